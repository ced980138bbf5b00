#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# arbiter.sh - runs INSIDE a guest with 4 nvdimms (run.sh arbiter): famfs_bpf.ko as the
# arbiter of the physical address space. Three parts, each ending with its verdict line:
#   stale: maps=2 detected=2
#       a pinned fmap map of another layout (wrong value size; right size, no layout
#       record) is refused before use, with a message saying how to remove it.
#   hostile: policies=N refused=N foreign_pages=0 warnings=0
#       every hostile test policy (tests/policies/hostile.bpf.c) attached in turn; an
#       unprivileged user reads its own file, and anyone an interleaved file, with read()
#       and mmap; every page is classified by its seeded fill (tests/vm/pageclass.c): only
#       own pages or refusals (EIO/SIGBUS), each refusal counted under its reason; metadata
#       bytes unchanged; a policy that stores to an in-field and one built for another
#       context layout are refused at load/attach with a clear message.
#   revoke: switches=N stale_views=0
#       one process keeps a mapping while the mount's policy is switched between an honest
#       policy and h_shift (one page further on, inside the file's grant), then detached:
#       after each switch the same mapping shows the new policy's answer, or SIGBUS.
#   clone: mounts=2 files=N own_bytes=N foreign_pages=0
#       a block copy of a file system (same UUID) mounted beside the original; both log a
#       different file at the same log index; every file of both reads its own bytes.
#   memfail: poisoned=N sigbus_all=yes eio=yes others_ok=yes umount=ok
#       MADV_HWPOISON on a page of a file another process maps: that process gets SIGBUS at
#       its next touch, read() of the page EIO, a new mapping SIGBUS there; the file's other
#       pages and other files read their own bytes; the kernel log names the file; umount.
# dmesg must stay free of WARNING/BUG/KASAN (a memory-failure report is not a WARNING). Exit 0 only when every check passed.
set -uo pipefail
REPO=$(cd "$(dirname "$0")/../.." && pwd)
FAMFSCTL="$REPO/build/famfsctl"
PLOAD="$REPO/build/tests/policy_load"
PCLASS="$REPO/build/tests/pageclass"
export FAMFS_SYSTEM_UUID_PATH=/tmp/famfs-host/system_uuid
A=/tmp/famfs-a C=/tmp/famfs-c K=/tmp/famfs-k
NOBODY="setpriv --reuid=65534 --regid=65534 --clear-groups"

fails=0
. "$REPO/tests/vm/guest-step.sh"	# step TEXT: a timed heading
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
ctl() { echo "\$ famfsctl $*"; "$FAMFSCTL" "$@"; }
field() { sed -n "s/.*\<$1=\([0-9]*\).*/\1/p" <<<"$2"; }	# field NAME "k=v k=v"
rejected() { "$FAMFSCTL" stats -j "$1" | jq -r .rejected; }
# why MPT N: the mount's refusals under reason N (FAMFS_REJECT_*, include/famfs_ioctl.h)
# (jq, not python3: a python start costs seconds of TCG time, and why runs twice per policy)
why() { "$FAMFSCTL" stats -j "$1" | jq -e --argjson n "$2" '.rejected_why[$n]'; }
stat_j() { "$FAMFSCTL" stats -j "$1" | jq -e -r --arg k "$2" '.[$k]'; }
declare -A REASON=([h_devindex]=4 [h_past_end]=7 [h_overflow]=7 [h_zero_len]=5 [h_incongruent]=6
	[h_positive]=3 [h_negative]=3 [h_superblock]=8 [h_log]=8 [h_neighbour]=8)
meta_sum() { dd if="$1" bs=1M count=12 iflag=direct status=none | sha256sum | cut -c1-16; }

step "devices: 4 fsdax namespaces"
mapfile -t PMEM < <(bash "$REPO/tests/vm/guest-dev.sh" --all) || { echo "arbiter: device setup failed"; exit 1; }
[ "${#PMEM[@]}" -ge 4 ] || { echo "arbiter: need 4 pmem devices, have ${#PMEM[@]}"; exit 1; }
dmesg -C

step "file system A over ${PMEM[0]} ${PMEM[1]}: seeded files side by side"
ctl mkfs -f "${PMEM[0]}" "${PMEM[1]}" || fail "mkfs A"
mkdir -p "$A" "$C" "$K"

step "a stale pinned fmap map (made by another build) is detected, and the fix named"
stale=0
zeros=$(printf '00 %.0s' $(seq 416))
for v in "value 100" "value 416"; do
	rm -rf /sys/fs/bpf/famfs; mkdir -p /sys/fs/bpf/famfs
	bpftool map create /sys/fs/bpf/famfs/famfs_fmaps type hash key 8 $v entries 262144 \
		name famfs_fmaps flags 1 || fail "bpftool map create ($v)"
	[ "$v" = "value 416" ] && bpftool map update pinned /sys/fs/bpf/famfs/famfs_fmaps \
		key hex 01 00 00 00 01 00 00 00 value hex $zeros
	out=$("$FAMFSCTL" mount -p famfs_interleave "${PMEM[0]}" "$A" 2>&1); rc=$?
	echo "$out" | grep -m1 "another famfs-bpf build"
	if [ $rc -ne 0 ] && grep -q "made by another famfs-bpf build" <<<"$out" &&
	   grep -q "remove /sys/fs/bpf/famfs" <<<"$out" && ! grep -q " $A " /proc/mounts; then
		stale=$((stale + 1))
	else fail "stale pinned map ($v) must be refused"; fi
	grep -q " $A " /proc/mounts && umount "$A"
done
rm -rf /sys/fs/bpf/famfs
echo "stale: maps=2 detected=$stale"
ctl mount -p famfs_interleave "${PMEM[0]}" "$A" || { echo "arbiter: mount A failed"; dmesg | tail; exit 1; }
ctl creat -s 8M -S 11 -m 0600 "$A/victim" || fail "creat victim"
ctl creat -s 4M -S 22 -m 0644 -u 65534 "$A/mine" || fail "creat mine"
ctl creat -s 8M -S 33 -m 0600 "$A/after" || fail "creat after"
ctl creat -s 8M -N 2 -C 2M -S 44 -m 0644 "$A/striped" || fail "creat striped"
PEERS="11:$((8 << 20)) 33:$((8 << 20)) 22:$((4 << 20)) 44:$((8 << 20))"
out=$($NOBODY "$PCLASS" mmap "$A/mine" 22 $PEERS); echo "honest, nobody, mine: $out"
[ "$(field own "$out")" = "$(field pages "$out")" ] || fail "honest policy: every page own"
$NOBODY cat "$A/victim" >/dev/null 2>&1 && fail "nobody must not open the 0600 victim"
sum0=$(meta_sum "${PMEM[0]}"); sum1=$(meta_sum "${PMEM[1]}")

# hostile POLICY FILE SEED USER: attach, select, classify FILE's pages by read() and mmap
policies=0 refused=0 foreign=0
hostile() {
	local pol=$1 file=$2 seed=$3 who=$4 r0 out_r out_m bad=0 before w0=0 w1=0
	policies=$((policies + 1))
	"$PLOAD" hostile "$pol" || { fail "$pol: attach"; return; }
	"$FAMFSCTL" policy set "$A" "$pol" >/dev/null || { fail "$pol: select"; "$FAMFSCTL" policy detach "$pol"; return; }
	before=$(rejected "$A")
	[ -n "${REASON[$pol]:-}" ] && w0=$(why "$A" "${REASON[$pol]}")
	out_r=$($who "$PCLASS" read "$file" "$seed" $PEERS)
	out_m=$($who "$PCLASS" mmap "$file" "$seed" $PEERS)
	r0=$(( $(rejected "$A") - before ))
	[ -n "${REASON[$pol]:-}" ] && w1=$(why "$A" "${REASON[$pol]}")
	echo "$pol on ${file##*/}: read: $out_r"
	echo "$pol on ${file##*/}: mmap: $out_m (rejected +$r0, under reason ${REASON[$pol]:-none} +$((w1 - w0)))"
	for o in "$out_r" "$out_m"; do
		foreign=$((foreign + $(field foreign "$o") + $(field unknown "$o") + $(field shifted "$o")))
		[ $(( $(field foreign "$o") + $(field unknown "$o") + $(field shifted "$o") + $(field zero "$o") )) = 0 ] || bad=1
	done
	case $pol in
	h_overlong) # clamped to the file's grant: every page its own, nothing refused
		[ "$(field own "$out_m")" = "$(field pages "$out_m")" ] || bad=1 ;;
	*)	# refused: every page EIO (read) and SIGBUS (mmap), each counted
		[ "$(field eio "$out_r")" = "$(field pages "$out_r")" ] &&
		[ "$(field sigbus "$out_m")" = "$(field pages "$out_m")" ] && [ "$r0" -gt 0 ] &&
		[ $((w1 - w0)) = "$r0" ] || bad=1 ;;	# every refusal counted under its reason
	esac
	"$FAMFSCTL" policy set "$A" famfs_interleave >/dev/null || fail "$pol: back to famfs_interleave"
	"$FAMFSCTL" policy detach "$pol" >/dev/null || fail "$pol: detach"
	if [ $bad = 0 ]; then refused=$((refused + 1)); echo "ok: $pol held"; else fail "$pol"; fi
}

step "hostile policies, each attached alone; nobody reads its own file, anyone the striped one"
for pol in h_devindex h_past_end h_overflow h_zero_len h_incongruent h_positive h_negative \
	   h_superblock h_log h_neighbour h_overlong; do
	hostile "$pol" "$A/mine" 22 "$NOBODY"
done
for pol in h_overlong h_neighbour h_log; do
	hostile "$pol" "$A/striped" 44 "$NOBODY"
done
for why in "device index out of range" "range outside the device" "zero length" "not congruent" \
	   "policy returned an error" "range outside the file's grants"; do
	grep -q "$why" <(dmesg) && echo "ok: dmesg names '$why'" || fail "dmesg should name '$why'"
done

step "a policy that stores to an in-field is refused by the verifier"
policies=$((policies + 1))
out=$(LIBBPF_DEBUG=1 "$PLOAD" h_store_in h_store_in 2>&1); rc=$?
if [ $rc -ne 0 ] && grep -q "not an out field" <<<"$out"; then
	refused=$((refused + 1)); echo "ok: h_store_in refused: $(grep -o 'famfs[^ ]*: write to struct famfs_xlate[^\\]*' <<<"$out" | head -n1)"
else fail "h_store_in must be refused ('not an out field')"; fi

step "a policy built for another struct famfs_xlate layout is refused at attach"
policies=$((policies + 1))
out=$("$PLOAD" h_stale_ctx h_stale_ctx 2>&1); rc=$?
msg=$(dmesg | grep "h_stale_ctx refused" | tail -n1)
echo "$out"; echo "$msg"
if [ $rc -ne 0 ] && grep -q "built for struct famfs_xlate v" <<<"$msg"; then
	refused=$((refused + 1)); echo "ok: h_stale_ctx refused"
else fail "h_stale_ctx must be refused at attach with a message"; fi

[ "$(meta_sum "${PMEM[0]}")" = "$sum0" ] && [ "$(meta_sum "${PMEM[1]}")" = "$sum1" ] ||
	fail "metadata (first 12 MiB of each device) changed"
out=$($NOBODY "$PCLASS" mmap "$A/mine" 22 $PEERS)
[ "$(field own "$out")" = "$(field pages "$out")" ] || fail "after the hostile policies: mine reads its own bytes ($out)"
warn=$(dmesg | grep -c -E 'WARNING|BUG|KASAN|Oops')
echo "hostile: policies=$policies refused=$refused foreign_pages=$foreign warnings=$warn"
[ "$refused" = "$policies" ] && [ "$foreign" = 0 ] && [ "$warn" = 0 ] || fail "hostile verdict"

step "revocation: one mapping held while the policy is switched"
"$PLOAD" hostile h_shift || fail "attach h_shift"
coproc W { "$PCLASS" watch "$A/mine" 22 5; }
look() { echo >&"${W[1]}"; read -r -t 60 v <&"${W[0]}"; echo "$v"; }
switches=0 stale=0
v=$(look); echo "famfs_interleave: page 5 is $v"; [ "$v" = own ] || stale=$((stale + 1))
for i in 1 2 3; do
	"$FAMFSCTL" policy set "$A" h_shift >/dev/null || fail "select h_shift"
	switches=$((switches + 1)); v=$(look); echo "h_shift: page 5 is $v"
	[ "$v" = shifted ] || stale=$((stale + 1))
	"$FAMFSCTL" policy set "$A" famfs_interleave >/dev/null || fail "select famfs_interleave"
	switches=$((switches + 1)); v=$(look); echo "famfs_interleave: page 5 is $v"
	[ "$v" = own ] || stale=$((stale + 1))
done
"$FAMFSCTL" policy set "$A" h_shift >/dev/null; v=$(look)
"$FAMFSCTL" policy detach h_shift >/dev/null || fail "detach h_shift"
switches=$((switches + 1)); v=$(look); echo "h_shift detached: page 5 is $v"
[ "$v" = sigbus ] || stale=$((stale + 1))
"$FAMFSCTL" policy set "$A" famfs_interleave >/dev/null
switches=$((switches + 1)); v=$(look); echo "famfs_interleave again: page 5 is $v"
[ "$v" = own ] || stale=$((stale + 1))
exec {W[1]}>&-; wait "$W_PID" 2>/dev/null
echo "revoke: switches=$switches stale_views=$stale"
[ "$stale" = 0 ] || fail "revoke verdict"

step "memory errors: a page of a mapped file poisoned while another process maps it"
ctl creat -s 8M -S 81 -m 0644 "$A/sick" || fail "creat sick"
ctl creat -s 4M -S 91 -m 0644 "$A/well" || fail "creat well"
coproc H { "$PCLASS" watch "$A/sick" 81 3; }
hlook() { echo >&"${H[1]}"; read -r -t 60 v <&"${H[0]}"; echo "$v"; }
v=$(hlook); echo "holder, before: page 3 is $v"; [ "$v" = own ] || fail "holder sees its page before"
out=$("$PCLASS" poison "$A/sick" 81 3); echo "$out"
poisoned=0; [ "$out" = poisoned ] && poisoned=1
v=$(hlook); echo "holder, after: page 3 is $v"
sigbus_all=no; [ "$v" = sigbus ] && sigbus_all=yes
exec {H[1]}>&-; wait "$H_PID" 2>/dev/null
out_r=$("$PCLASS" read "$A/sick" 81); out_m=$("$PCLASS" mmap "$A/sick" 81)
echo "sick after: read: $out_r"; echo "sick after: new mmap: $out_m"
eio=no; [ "$(field eio "$out_r")" = 1 ] && eio=yes
[ "$(field sigbus "$out_m")" = 1 ] || sigbus_all=no
others=no
[ "$(field own "$out_r")" = $(( $(field pages "$out_r") - 1 )) ] &&
[ "$(field own "$out_m")" = $(( $(field pages "$out_m") - 1 )) ] &&
[ "$(field own "$("$PCLASS" mmap "$A/well" 91)")" = 1024 ] &&
[ "$(field own "$($NOBODY "$PCLASS" mmap "$A/mine" 22)")" = 1024 ] && others=yes
dmesg | grep "memory failure in device" | tail -n 2
dmesg | grep -q "memory failure in device .* file sick " || fail "the kernel log names the poisoned file"
[ "$(stat_j "$A" failed_ranges)" = 1 ] || fail "stats counts 1 failed range"
"$FAMFSCTL" getmap -j "$A/sick" | jq -e '[.grants[].memory_failed] | any' ||
	fail "getmap names the failed memory of sick"
"$FAMFSCTL" getmap -j "$A/well" | jq -e '[.grants[].memory_failed] | any' >/dev/null &&
	fail "getmap of well shows no failed memory"
[ "$(why "$A" 9)" -gt 0 ] || fail "refusals counted under FAMFS_REJECT_FAILED"


step "the policy in force must resolve every fmap kind the mount holds"
kinds=0
"$FAMFSCTL" policy attach famfs_simple >/dev/null 2>&1
out=$("$FAMFSCTL" policy set "$A" famfs_simple 2>&1); rc=$?; echo "$out"
[ $rc -ne 0 ] && grep -q "does not resolve a fmap kind" <<<"$out" && kinds=$((kinds + 1)) ||
	fail "policy set famfs_simple on a mount with interleaved files must be refused"
ctl umount "$A" || fail "umount A"
for p in famfs_simple famfs_interleave; do "$FAMFSCTL" policy detach "$p" >/dev/null 2>&1; done
sleep 1
ctl mount "${PMEM[0]}" "$A" || fail "mount A without -p"
[ "$(stat_j "$A" policy)" = famfs_interleave ] && kinds=$((kinds + 1)) ||
	fail "a mount without -p of a log with interleaved files must pick famfs_interleave"
echo "kinds: set_refused=$((kinds > 0)) default_resolves=$((kinds > 1))"

step "clone: a block copy of file system C mounted beside it"
ctl mkfs -f "${PMEM[2]}" || fail "mkfs C"
ctl mount "${PMEM[2]}" "$C" || fail "mount C"
ctl creat -s 6M -S 51 "$C/one" || fail "creat C/one"
ctl umount "$C" || fail "umount C"
dd if="${PMEM[2]}" of="${PMEM[3]}" bs=2M count=64 iflag=direct oflag=direct status=none || fail "copy C"
ctl mount "${PMEM[2]}" "$C" || fail "remount C"
ctl mount "${PMEM[3]}" "$K" || fail "mount the copy beside it"
ctl creat -s 10M -S 61 "$C/two" || fail "creat C/two"
ctl creat -s 4M -S 71 "$K/two" || fail "creat K/two (same log index, other size and seed)"
"$FAMFSCTL" load-maps "$C" >/dev/null; "$FAMFSCTL" load-maps "$K" >/dev/null
files=0 own=0 cforeign=0
for spec in "$C/one:51:$((6 << 20))" "$C/two:61:$((10 << 20))" "$K/one:51:$((6 << 20))" "$K/two:71:$((4 << 20))"; do
	IFS=: read -r f s sz <<<"$spec"
	files=$((files + 1))
	out=$("$PCLASS" mmap "$f" "$s" 51:$((6 << 20)) 61:$((10 << 20)) 71:$((4 << 20)))
	echo "${f}: size $(stat -c %s "$f") $out"
	[ "$(stat -c %s "$f")" = "$sz" ] && [ "$(field own "$out")" = "$(field pages "$out")" ] && own=$((own + 1))
	cforeign=$((cforeign + $(field foreign "$out") + $(field shifted "$out")))
done
echo "clone: mounts=2 files=$files own_bytes=$own foreign_pages=$cforeign"
[ "$own" = "$files" ] && [ "$cforeign" = 0 ] || fail "clone verdict"
ctl umount "$K"; ctl umount "$C"
umnt=ok; ctl umount "$A" || { umnt=failed; fail "umount A"; }
echo "memfail: poisoned=$poisoned sigbus_all=$sigbus_all eio=$eio others_ok=$others umount=$umnt"
[ "$poisoned" = 1 ] && [ "$sigbus_all" = yes ] && [ "$eio" = yes ] && [ "$others" = yes ] || fail "memfail verdict"

warn=$(dmesg | grep -E 'WARNING|BUG|KASAN|Oops' | head -n 5)
[ -z "$warn" ] || { echo "$warn"; fail "dmesg has WARNING/BUG"; }
echo "arbiter: kernel=$(uname -r) device=pmem fails=$fails"
[ "$fails" = 0 ]
