#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# e2e.sh - runs INSIDE a guest (tests/vm/run.sh starts it): the end-to-end flow on the
# emulated fabric-memory device. Every step prints what it does (FAMFS_DEMO=1 also shows
# each famfsctl command as typed, and a listing of the mount); the last line is the
# verdict the harness checks:
#   e2e: kernel=KVER device=pmem|cxl files=N bytes=B verified=N mismatches=0 pmd_faults=P translations=T rejected=R
# Exit 0 only when every check passed. famfsctl's output is read as JSON (-j, jq).
set -uo pipefail
REPO=$(cd "$(dirname "$0")/../.." && pwd)
FAMFSCTL=${FAMFSCTL:-$REPO/build/famfsctl}	# make test-deb-vm: the packaged one
MMAP_SHA="/usr/bin/python3 $REPO/tests/vm/mmap_sha256.py"
MPT=/tmp/famfs
SRC_TZ=/usr/share/zoneinfo
ZONES="America/New_York Europe/Paris Asia/Tokyo Australia/Sydney America/Sao_Paulo Africa/Cairo"
WHEN=@1700000000
export FAMFS_SYSTEM_UUID_PATH=/tmp/famfs-host/system_uuid

fails=0
. "$REPO/tests/vm/guest-step.sh"	# step TEXT: a timed heading
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
check() { # check DESC CMD...: run CMD, count a failure if it fails
	local d=$1; shift
	if "$@"; then echo "ok: $d"; else fail "$d"; fi
}
ctl() { # famfsctl, shown as a user would type it in demo mode
	[ "${FAMFS_DEMO:-0}" = 1 ] && echo "\$ famfsctl $*"
	"$FAMFSCTL" "$@"
}
stat_of() { "$FAMFSCTL" stats -j "$MPT" | jq -r ".$1"; }	# a key of stats -j

big_file() { # a real file >= 100 MiB that no one here wrote
	local f
	for f in /usr/lib/x86_64-linux-gnu/libLLVM-14.so.1 /usr/lib/x86_64-linux-gnu/libLLVM-1[0-9].so.1 \
		 /boot/vmlinuz-* /var/cache/apt/archives/*.deb; do
		[ -f "$f" ] && [ "$(stat -c %s "$f")" -ge $((100 << 20)) ] && { echo "$f"; return; }
	done
	find /usr/lib /usr/share /opt -xdev -type f -size +100M 2>/dev/null | sort | head -n1
}

# FAMFS_DEVKIND: pmem (an fsdax nvdimm namespace, guest-dev.sh) or cxl (a CXL memory region
# left in devdax mode by guest-cxl.sh, which also loads the module and mounts bpffs;
# famfsctl mount puts it in famfs mode, fsdev_dax)
DEVKIND=${FAMFS_DEVKIND:-pmem}
if [ "$DEVKIND" = cxl ]; then
	step "device: CXL memory region (devdax), famfs_bpf.ko, bpffs"
	DEV=$(bash "$REPO/tests/vm/guest-cxl.sh" | head -n1) || { echo "e2e: device setup failed"; exit 1; }
	[ -c "$DEV" ] || { echo "e2e: guest-cxl.sh gave no dax device ($DEV)"; exit 1; }
else
	step "device: fsdax namespace, famfs_bpf.ko, bpffs"
	DEV=$(bash "$REPO/tests/vm/guest-dev.sh") || { echo "e2e: device setup failed"; exit 1; }
fi
echo "device $DEV ($DEVKIND)"
# How much data: QEMU emulates CXL memory as I/O memory, each guest access a callback (about
# 10 MB/s under TCG, nvdimm memory moves at RAM speed), so on cxl the large file is the first
# 16 MiB of the real one and seeded.bin is 8 MiB: the same checks on less data. Env:
# FAMFS_E2E_BIG_MIB (0: the whole file), FAMFS_E2E_SEEDED (creat -s size).
if [ "$DEVKIND" = cxl ]; then BIG_MIB=${FAMFS_E2E_BIG_MIB:-16} SEEDED=${FAMFS_E2E_SEEDED:-8M}
else BIG_MIB=${FAMFS_E2E_BIG_MIB:-0} SEEDED=${FAMFS_E2E_SEEDED:-40M}; fi
echo "e2e: famfsctl $FAMFSCTL ($("$FAMFSCTL" --version))"
if [ -n "${FAMFS_KMOD:-}" ]; then	# another build of the module: check it is the one loaded
	objcopy -O binary --only-section=.note.gnu.build-id "$FAMFS_KMOD" /tmp/e2e.ko-id
	want=$(od -An -tx1 /tmp/e2e.ko-id | tr -d ' 
')
	got=$(od -An -tx1 /sys/module/famfs_bpf/notes/.note.gnu.build-id | tr -d ' 
')
	echo "e2e: module $FAMFS_KMOD build-id note $want, loaded $got"
	[ -n "$want" ] && [ "$want" = "$got" ] || { echo "e2e: the loaded famfs_bpf is not $FAMFS_KMOD"; exit 1; }
fi

step "famfsctl mkfs $DEV"
ctl mkfs -f "$DEV" || { echo "e2e: mkfs failed"; exit 1; }
# raw_mount_refused WHY: mount(2) of $DEV straight to the module must fail, and dmesg must
# name the device and WHY (kmod/daxdev.c's fix for what fs_dax_get() said)
raw_mount_refused() {
	local out rc msg
	mkdir -p /tmp/e2e-raw
	out=$(mount -t famfs_bpf "$DEV" /tmp/e2e-raw 2>&1); rc=$?
	msg=$(dmesg | grep -F "cannot claim dax device $DEV" | tail -n1)
	echo "  mount(2) $DEV: exit $rc ($out); dmesg: ${msg#*] }"
	[ $rc != 0 ] && grep -qF "$1" <<<"$msg" && ! mountpoint -q /tmp/e2e-raw
}
if [ "$DEVKIND" = cxl ]; then
	step "the module refuses the dax device, by name, while bound to device_dax"
	check "mount(2) of $DEV in devdax mode is refused" raw_mount_refused "bound to device_dax"
	check "... and it stays in devdax mode" test "$("$FAMFSCTL" daxmode "$DEV" | awk '{print $3}')" = devdax
fi
step "famfsctl mount $DEV $MPT (attaches famfs_simple, replays the log)"
mkdir -p "$MPT"
ctl mount "$DEV" "$MPT" || { echo "e2e: mount failed"; dmesg | tail -20; exit 1; }
ctl policy show "$MPT"
if [ "$DEVKIND" = cxl ]; then
	step "a second claim of the mounted dax device (another mount(2)) is refused by name"
	check "mount(2) of $DEV held by this mount is refused" raw_mount_refused "another holder has it"
	check "... and the first mount still answers" "$FAMFSCTL" stats "$MPT"
fi

step "famfsctl cp -r $SRC_TZ $MPT/ (a real data set: $(find $SRC_TZ -type f | wc -l) files)"
t0=$(date +%s)
ctl cp -r "$SRC_TZ" "$MPT/" || fail "cp -r zoneinfo"
echo "cp -r took $(( $(date +%s) - t0 )) s"
BIG_SRC=$(big_file)
[ -n "$BIG_SRC" ] || { echo "e2e: no file >= 100 MiB found on this machine"; exit 1; }
# read over 9p once (the host's root: the slowest read under TCG) into guest memory; the copy
# into famfs and the expected sha256 come from there
BIG=/tmp/e2e-big/$(basename "$BIG_SRC")
mkdir -p /tmp/e2e-big || exit 1
if [ "$BIG_MIB" = 0 ]; then cp "$BIG_SRC" "$BIG"; else head -c "${BIG_MIB}M" "$BIG_SRC" > "$BIG"; fi ||
	{ echo "e2e: cannot read $BIG_SRC"; exit 1; }
step "famfsctl cp $BIG_SRC (read into $BIG$([ "$BIG_MIB" = 0 ] || echo ", its first $BIG_MIB MiB")) $MPT/big.bin ($(stat -c %s "$BIG") bytes)"
ctl cp "$BIG" "$MPT/big.bin" || fail "cp big file"
step "famfsctl creat -s $SEEDED -S 42 $MPT/seeded.bin; famfsctl mkdir -p $MPT/a/b/c"
ctl creat -s "$SEEDED" -S 42 "$MPT/seeded.bin" || fail "creat"
ctl mkdir -p "$MPT/a/b/c" || fail "mkdir -p"
check "verify seeded.bin" ctl verify -S 42 -f "$MPT/seeded.bin"
check "verify with a wrong seed fails" bash -c "! '$FAMFSCTL' verify -S 43 -f '$MPT/seeded.bin' 2>/dev/null"
ctl getmap "$MPT/big.bin"
ctl fsck "$MPT" || fail "fsck on the mount"

# Expected sums come from the source, read on the host side of 9p.
( cd "$SRC_TZ" && find . -type f -size +0 -printf '%P\n' | sort ) > /tmp/e2e.list
NFILES=$(wc -l < /tmp/e2e.list)
( cd "$SRC_TZ" && xargs -a /tmp/e2e.list -d '\n' sha256sum ) | sed "s|  |  zoneinfo/|" > /tmp/e2e.expect
( cd "$(dirname "$BIG")" && sha256sum "$(basename "$BIG")" ) | sed "s|  .*|  big.bin|" >> /tmp/e2e.expect
NFILES=$((NFILES + 1))
BYTES=$(( $(cd "$SRC_TZ" && xargs -a /tmp/e2e.list -d '\n' stat -c %s | awk '{s += $1} END {print s}') + $(stat -c %s "$BIG") ))

step "famfs habits: check, chkread, creat -M, creat re-fill, verify -m, mkdir -p, fsck DEVICE, df"
log_sum() { sha256sum "$MPT/.meta/.log" | cut -d' ' -f1; }
out=$(ctl check -j "$MPT"); rc=$?
echo "$out"
check "check: every file mapped and translated (exit $rc)" \
	test "$rc" = 0 -a "$(jq .errors <<<"$out")" = 0 -a "$(jq .files <<<"$out")" -ge "$((NFILES + 3))"
out=$(ctl chkread -j "$MPT/seeded.bin" "$MPT/zoneinfo"); rc=$?
check "chkread: read() and mmap agree on $(jq .files <<<"$out") files" \
	test "$rc" = 0 -a "$(jq .errors <<<"$out")" = 0 -a "$(jq .files <<<"$out")" -ge 100
ctl creat -M "$MPT/m1.bin,4M,7" -M "$MPT/m2.bin,2M,8" || fail "creat -M"
check "verify -m of the two -M files" ctl verify -m "$MPT/m1.bin,7" -m "$MPT/m2.bin,8"
check "verify -m with one wrong seed fails" bash -c "! '$FAMFSCTL' verify -q -m '$MPT/m1.bin,7' -m '$MPT/m2.bin,9' 2>&1"
before=$(log_sum)
check "creat of seeded.bin again, same size, seed 43: re-filled" ctl creat -s "$SEEDED" -S 43 "$MPT/seeded.bin"
check "the re-fill wrote seed 43" ctl verify -S 43 -f "$MPT/seeded.bin"
check "creat of seeded.bin with another size is refused" bash -c "! '$FAMFSCTL' creat -s 2M -S 1 '$MPT/seeded.bin' 2>&1"
check "the re-fill back to seed 42 (no -s)" ctl creat -S 42 "$MPT/seeded.bin"
check "seeded.bin holds seed 42 again" ctl verify -S 42 -f "$MPT/seeded.bin"
check "re-creates logged nothing" test "$(log_sum)" = "$before"
out=$(ctl mkdir -p "$MPT/../famfs-escape/x" 2>&1); rc=$?
echo "  mkdir -p $MPT/../famfs-escape/x: exit $rc: $out"
check "mkdir -p through '..' out of the mount is refused, nothing made" \
	test "$rc" != 0 -a ! -e /tmp/famfs-escape -a "$(log_sum)" = "$before"
out=$(ctl mkdir -p "$MPT/zoneinfo/../a/../../famfs-escape" 2>&1); rc=$?
echo "  mkdir -p $MPT/zoneinfo/../a/../../famfs-escape: exit $rc: $out"
check "mkdir -p with '..' after a new part is refused, nothing made" \
	test "$rc" != 0 -a ! -e /tmp/famfs-escape -a "$(log_sum)" = "$before"
if ln -s /tmp "$MPT/link-out" 2>/dev/null; then
	check "mkdir -p through a symlink out of the mount is refused" \
		bash -c "! '$FAMFSCTL' mkdir -p '$MPT/link-out/famfs-escape/y' 2>&1 && [ ! -e /tmp/famfs-escape ]"
else
	echo "  (the mount takes no symlinks: the symlink case cannot arise here)"
fi
check "mkdir -p through '..' that stays inside is made" ctl mkdir -p "$MPT/zoneinfo/../a/b2"
check "  ... at $MPT/a/b2" test -d "$MPT/a/b2"
out=$(ctl fsck "$DEV" 2>&1); rc=$?
echo "  fsck $DEV: exit $rc: $out"
check "fsck of the mounted device is refused, naming $MPT" \
	bash -c "[ $rc = 1 ] && grep -qF 'is mounted at $MPT' <<<'$out'"
out=$(ctl logplay --dryrun -j "$MPT"); rc=$?
check "logplay --dryrun: a dry run (exit $rc)" test "$rc" = 0 -a "$(jq .dry_run <<<"$out")" = true
check "  ... that adds nothing" test "$(jq .files_added <<<"$out")" = 0
fsck_j=$(ctl fsck -j "$MPT")
df_used=$(df -B1 --output=used "$MPT" | tail -n1 | tr -d ' ')
df_avail=$(df -B1 --output=avail "$MPT" | tail -n1 | tr -d ' ')
df_size=$(df -B1 --output=size "$MPT" | tail -n1 | tr -d ' ')
echo "  df -B1: size $df_size used $df_used avail $df_avail; fsck -j: $(jq -c '.space | {capacity, used, free}' <<<"$fsck_j")"
check "df's used and free are fsck's" test "$df_used" = "$(jq .space.used <<<"$fsck_j")" \
	-a "$df_avail" = "$(jq .space.free <<<"$fsck_j")" -a "$df_size" = "$(jq .space.capacity <<<"$fsck_j")"

verify_all() { # verify_all LABEL: read() and mmap sha256 of every file vs the source
	local label=$1 bad_r bad_m
	( cd "$MPT" && sha256sum -c --quiet /tmp/e2e.expect ) > /tmp/e2e.read.out 2>&1
	bad_r=$(grep -c 'FAILED' /tmp/e2e.read.out)
	( cd "$MPT" && $MMAP_SHA $(cut -c67- /tmp/e2e.expect) ) > /tmp/e2e.mmap 2>/tmp/e2e.mmap.err
	bad_m=$(diff <(sort -k2 /tmp/e2e.expect) <(sort -k2 /tmp/e2e.mmap) | grep -c '^>')
	[ -s /tmp/e2e.mmap.err ] && { cat /tmp/e2e.mmap.err; bad_m=$((bad_m + 1)); }
	echo "$label: $NFILES files: read() mismatches $bad_r, mmap mismatches $bad_m"
	MISMATCHES=$((MISMATCHES + bad_r + bad_m))
	[ "$bad_r" = 0 ] && [ "$bad_m" = 0 ]
}

MISMATCHES=0
VERIFIED=0
if [ "${FAMFS_DEMO:-0}" = 1 ]; then
	echo "\$ ls -l $MPT $MPT/zoneinfo/Europe | head"; ls -l "$MPT"; ls -l "$MPT/zoneinfo/Europe" | head -n 5
	echo "\$ df -h $MPT"; df -h "$MPT"
fi

step "read back every file with read() and through mmap, compare sha256 with the source"
pmd0=$(stat_of pmd_faults)
check "all files, first mount" verify_all "first mount" && VERIFIED=$NFILES
pmd1=$(stat_of pmd_faults)
# Only big.bin is >= 2 MiB among the files mmap-read here: each of its whole 2 MiB pieces
# must have been one PMD fault.
want_pmd=$(( $(stat -c %s "$BIG") >> 21 ))
check "PMD faults on big.bin: $((pmd1 - pmd0)) >= $want_pmd" test $((pmd1 - pmd0)) -ge "$want_pmd"
ctl stats "$MPT"

step "an unmodified app: TZDIR=$MPT/zoneinfo date, against the host's zoneinfo"
for z in $ZONES; do
	want=$(TZDIR=$SRC_TZ TZ=$z date -d "$WHEN" '+%F %T %Z %z')
	got=$(TZDIR=$MPT/zoneinfo TZ=$z date -d "$WHEN" '+%F %T %Z %z')
	echo "  $z: famfs '$got' host '$want'"
	[ "$got" = "$want" ] || { fail "date in $z"; MISMATCHES=$((MISMATCHES + 1)); }
done

step "bad input is refused and changes nothing"
before=$(sha256sum "$MPT/.meta/.log" | cut -d' ' -f1)
check "creat over an existing path fails" bash -c "! '$FAMFSCTL' creat -s 2M '$MPT/seeded.bin' 2>&1"
check "creat with a missing parent fails" bash -c "! '$FAMFSCTL' creat -s 2M '$MPT/no/such/file' 2>&1"
check "creat larger than the device fails" bash -c "! '$FAMFSCTL' creat -s 64G '$MPT/huge' 2>&1"
check "truncate is refused" bash -c "! truncate -s 1M '$MPT/seeded.bin' 2>&1"
check "writing past EOF is refused" bash -c "! dd if=/dev/zero of='$MPT/seeded.bin' bs=4k seek=20000 count=1 conv=notrunc 2>&1"
after=$(sha256sum "$MPT/.meta/.log" | cut -d' ' -f1)
check "the log is unchanged" test "$before" = "$after"

step "famfs cp habits: same-size overwrite, other sizes, empty files and devices refused, -t, cp -r again"
H=/tmp/e2e-habits
mkdir -p "$H"
printf 'one line\n' > "$H/a"; printf 'ONE LINE\n' > "$H/b"; printf 'a longer line\n' > "$H/c"; : > "$H/empty"
habit() { # habit DESC WANT_RC WORD CMD...: CMD exits WANT_RC and says WORD
	local d=$1 want=$2 word=$3 out rc
	shift 3
	out=$("$@" 2>&1); rc=$?
	echo "  \$ famfsctl ${*:2}: exit $rc: $(grep -m1 -F -- "$word" <<<"$out")"
	if [ "$rc" = "$want" ] && grep -qF -- "$word" <<<"$out"; then echo "ok: $d"; else fail "$d"; fi
}
ctl cp "$H/a" "$MPT/habit" >/dev/null || fail "cp habit"
habit "cp onto a famfs file of the same size overwrites it" 0 " 1 overwritten" \
	"$FAMFSCTL" cp "$H/b" "$MPT/habit"
check "  ... with the new bytes" cmp -s "$H/b" "$MPT/habit"
habit "cp onto a famfs file of another size is refused" 1 "famfs files never change size" \
	"$FAMFSCTL" cp "$H/c" "$MPT/habit"
check "  ... and leaves the file as it was" cmp -s "$H/b" "$MPT/habit"
ctl mkdir "$MPT/habits" || fail "mkdir habits"
habit "cp of an empty file fails naming it" 1 "$H/empty: empty file" \
	"$FAMFSCTL" cp "$H/empty" "$H/a" "$MPT/habits/"
check "  ... and copies the rest" cmp -s "$H/a" "$MPT/habits/a"
habit "cp of a character device fails naming it" 1 "/dev/zero: a character device" \
	"$FAMFSCTL" cp /dev/zero "$MPT/habits/zero"
check "  ... and makes nothing" test ! -e "$MPT/habits/zero"
habit "cp -t 4 -r copies with 4 threads" 0 " 0 errors" "$FAMFSCTL" cp -t 4 -r "$SRC_TZ/Europe" "$MPT/habits/"
sums() { (cd "$1" && find . -type f -size +0 -exec sha256sum {} + | sort -k2); }
check "  ... the same bytes" diff <(sums "$SRC_TZ/Europe") <(sums "$MPT/habits/Europe")
before=$(sha256sum "$MPT/.meta/.log" | cut -d' ' -f1)
habit "cp -r of the same tree again overwrites it (famfs cp is restartable)" 0 " 0 dirs, " \
	"$FAMFSCTL" cp -r "$SRC_TZ/Europe" "$MPT/habits/"
check "  ... logging nothing" test "$before" = "$(sha256sum "$MPT/.meta/.log" | cut -d' ' -f1)"
check "  ... the same bytes" diff <(sums "$SRC_TZ/Europe") <(sums "$MPT/habits/Europe")

step "umount, mount again, load-maps, verify again"
ctl umount "$MPT" || fail "umount"
ctl mount "$DEV" "$MPT" || fail "second mount"
out=$(ctl load-maps -j "$MPT") || fail "load-maps after mount"
echo "$out"
check "a second load-maps adds nothing" test "$(jq .files_added <<<"$out")" = 0
check "all files, after remount" verify_all "after remount"
check "verify seeded.bin after remount" ctl verify -S 42 -f "$MPT/seeded.bin"

step "detach the policy: access must fail cleanly (EIO, SIGBUS), never wild"
ctl policy detach famfs_simple || fail "policy detach"
for i in $(seq 50); do [ "$(stat_of policy_attached)" = false ] && break; sleep 0.2; done
check "no policy attached" test "$(stat_of policy_attached)" = false
rej0=$(stat_of rejected)
out=$(cat "$MPT/zoneinfo/Europe/Paris" 2>&1 >/dev/null); rc=$?
echo "  read(): rc=$rc: $out"
check "read() fails with EIO" bash -c "[ $rc -ne 0 ] && grep -q 'Input/output error' <<<'$out'"
$MMAP_SHA "$MPT/big.bin" >/dev/null 2>&1; rc=$?
echo "  mmap read: exit status $rc (SIGBUS is $((128 + 7)) / -7)"
check "mmap access gets SIGBUS" test "$rc" = 135 -o "$rc" = 249
check "rejected translations were counted" test "$(stat_of rejected)" -gt "$rej0"
dmesg | grep 'famfs:.*no policy attached' | tail -n 2

step "reattach without remount (load-maps attaches famfs_simple) and read again"
ctl load-maps "$MPT" || fail "load-maps reattach"
check "policy attached again" test "$(stat_of policy)" = famfs_simple
check "all files, after reattach" verify_all "after reattach"
check "verify seeded.bin after reattach" ctl verify -S 42 -f "$MPT/seeded.bin"
ctl policy show "$MPT"
bpftool map dump pinned /sys/fs/bpf/famfs/famfs_fmaps 2>/dev/null | head -n 30

step "check names a file made without famfsctl (touch), then the mount is left as it was"
if touch "$MPT/handmade" 2>/dev/null; then
	out=$(ctl check "$MPT" 2>&1); rc=$?
	echo "$out"
	check "check fails (exit 1) and names $MPT/handmade" \
		bash -c "[ $rc = 1 ] && grep -qF '$MPT/handmade: no fmap' <<<'$out'"
	rm -f "$MPT/handmade" 2>/dev/null || echo "  (handmade stays until the umount)"
else
	echo "  (the mount refuses files made without famfsctl)"
fi

step "summary"
ctl stats "$MPT"
ctl fsck "$MPT" || fail "final fsck"
PMD=$(stat_of pmd_faults); XL=$(stat_of translations); REJ=$(stat_of rejected)
ctl umount "$MPT" || fail "final umount"
[ "$fails" = 0 ] || echo "e2e: $fails check(s) failed"
echo "e2e: kernel=$(uname -r) device=$DEVKIND files=$NFILES bytes=$BYTES verified=$VERIFIED mismatches=$MISMATCHES pmd_faults=$PMD translations=$XL rejected=$REJ"
[ "$fails" = 0 ] && [ "$MISMATCHES" = 0 ]
