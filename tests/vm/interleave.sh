#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# interleave.sh - runs INSIDE a guest with 5 nvdimms (run.sh interleave): two file systems,
# one over 2 devices and one over 3, mounted at once with different policies; interleaved
# (and simple) files verified byte for byte through mmap; policies swapped on a live mount
# while a reader faults continuously. Last line, checked by the harness:
#   interleave: kernel=KVER device=pmem|cxl devices=D files=N verified=N mismatches=0 swaps=S
# famfsctl's output is read as JSON (-j, jq).
set -uo pipefail
REPO=$(cd "$(dirname "$0")/../.." && pwd)
FAMFSCTL="$REPO/build/famfsctl"
MMAP_SHA="/usr/bin/python3 $REPO/tests/vm/mmap_sha256.py"
export FAMFS_SYSTEM_UUID_PATH=/tmp/famfs-host/system_uuid
A=/tmp/famfs-a B=/tmp/famfs-b
SWAPS=${FAMFS_SWAPS:-20}

fails=0 files=0 verified=0 mismatches=0 swaps=0
. "$REPO/tests/vm/guest-step.sh"	# step TEXT: a timed heading
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
ctl() { echo "\$ famfsctl $*"; "$FAMFSCTL" "$@"; }
stat_of() { "$FAMFSCTL" stats -j "$1" | jq -r ".$2"; }	# stat_of MPT KEY: a key of stats -j
mnt() { # mnt DEV MPT POLICY: famfsctl mount, with the kernel's words when it fails
	ctl mount -p "$3" "$1" "$2" && return 0
	dmesg | grep -i -E 'famfs|dax|pmem' | tail -n 5
	return 1
}

# FAMFS_DEVKIND=cxl (7.3, FAMFS_VM_CXL=3 FAMFS_VM_DEVICES=2): file system A is over two CXL
# memory regions (dax devices, famfs mode), B over two fsdax pmem namespaces and the third
# CXL region: one file system mixing the two kinds, its dax device found by UUID at mount
DEVKIND=${FAMFS_DEVKIND:-pmem}
if [ "$DEVKIND" = cxl ]; then
	step "devices: three CXL memory regions (devdax), every nvdimm region as an fsdax namespace"
	mapfile -t CXL < <(bash "$REPO/tests/vm/guest-cxl.sh") || { echo "interleave: CXL setup failed"; exit 1; }
	mapfile -t PM < <(bash "$REPO/tests/vm/guest-dev.sh" --all) || { echo "interleave: device setup failed"; exit 1; }
	[ "${#CXL[@]}" -ge 3 ] && [ "${#PM[@]}" -ge 2 ] ||
		{ echo "interleave: need 3 CXL and 2 pmem devices, have ${#CXL[@]} and ${#PM[@]}"; exit 1; }
	PMEM=("${CXL[0]}" "${CXL[1]}" "${PM[0]}" "${PM[1]}" "${CXL[2]}")
else
	step "devices: every nvdimm region as an fsdax namespace"
	mapfile -t PMEM < <(bash "$REPO/tests/vm/guest-dev.sh" --all) || { echo "interleave: device setup failed"; exit 1; }
fi
echo "devices ($DEVKIND): ${PMEM[*]}"
[ "${#PMEM[@]}" -ge 5 ] || { echo "interleave: need 5 devices, have ${#PMEM[@]}"; exit 1; }

step "two file systems: A over 2 devices, B over 3"
ctl mkfs -f "${PMEM[0]}" "${PMEM[1]}" || fail "mkfs A"
ctl mkfs -f "${PMEM[2]}" "${PMEM[3]}" "${PMEM[4]}" || fail "mkfs B"
mkdir -p "$A" "$B"
mnt "${PMEM[0]}" "$A" famfs_interleave || fail "mount A"
mnt "${PMEM[2]}" "$B" famfs_chunkmap || fail "mount B"
grep famfs /proc/mounts
ctl policy show "$A"
ctl policy show "$B"
a_pol=$(stat_of "$A" policy)
b_pol=$(stat_of "$B" policy)
[ "$a_pol" = famfs_interleave ] && [ "$b_pol" = famfs_chunkmap ] ||
	fail "two mounts, two policies ($a_pol, $b_pol)"

step "mount refuses a missing device (device 1 of A disabled), naming it"
ctl umount "$A"
if [ "$DEVKIND" = cxl ]; then	# its region taken down: the dax device is gone (famfsctl
	# mount would bind a dax device that is merely unbound)
	bash "$REPO/tests/vm/guest-cxl.sh" --destroy "${PMEM[1]}" || fail "take ${PMEM[1]}'s region down"
else
	ns=$(ndctl list -N | jq -r --arg b "${PMEM[1]#/dev/}" '[.[] | select(.blockdev == $b)][0].dev')
	ndctl disable-namespace "$ns" >/dev/null || fail "disable $ns"
fi
out=$("$FAMFSCTL" mount "${PMEM[0]}" "$A" 2>&1); rc=$?
echo "$out"
[ $rc -ne 0 ] && grep -q 'device 1 of 2 .* not found' <<<"$out" || fail "mount without device 1 must fail naming it"
grep -q " $A " /proc/mounts && fail "A mounted without its device 1"
if [ "$DEVKIND" = cxl ]; then	# the region made again: same memory, so the same file system
	mapfile -t CXL < <(bash "$REPO/tests/vm/guest-cxl.sh") || fail "make the CXL regions again"
	PMEM[1]=${CXL[1]}
else
	ndctl enable-namespace "$ns" >/dev/null || fail "enable $ns"
	for i in $(seq 50); do [ -b "${PMEM[1]}" ] && break; sleep 0.1; done
fi
mnt "${PMEM[0]}" "$A" famfs_interleave || fail "mount A again"

# File sizes: on CXL memory, which QEMU emulates as I/O memory (about 10 MB/s under TCG),
# smaller files with the same strips and chunks (B: one strip in three, or in two, is there)
if [ "$DEVKIND" = cxl ]; then SZ=(16M 16M 4M 24M 24M 12M 8M) BIG_MIB=24
else SZ=(64M 40M 10M 96M 50M 30M 20M) BIG_MIB=0; fi
# name seed size nstrips chunk fs
FILES="
$A/il2-2m 11 ${SZ[0]} 2 2M
$A/il2-4m 12 ${SZ[1]} 2 4M
$A/simple 13 ${SZ[2]} 0 0
$B/il3-2m 21 ${SZ[3]} 3 2M
$B/il3-8m 22 ${SZ[4]} 3 8M
$B/il6-wrap 23 ${SZ[5]} 6 2M
$B/il2-devs02 24 ${SZ[6]} 2 2M
"
step "interleaved files (creat -N -C), seeded"
while read -r f seed size n c; do
	[ -n "$f" ] || continue
	opts=()
	[ "$n" != 0 ] && opts=(-N "$n" -C "$c")
	[ "$(basename "$f")" = il2-devs02 ] && opts+=(-d 0,2)
	ctl creat -s "$size" -S "$seed" "${opts[@]}" "$f" || fail "creat $f"
	files=$((files + 1))
done <<<"$FILES"
BIG=/usr/lib/x86_64-linux-gnu/libLLVM-14.so.1
[ -f "$BIG" ] || BIG=$(find /usr/lib -xdev -type f -size +50M | sort | head -n1)
# read over 9p once (the host's root: the slowest read under TCG), into guest memory; the
# copy into famfs and the expected sha256 come from there
if [ "$BIG_MIB" = 0 ]; then cp "$BIG" /tmp/big.src; else head -c "${BIG_MIB}M" "$BIG" > /tmp/big.src; fi ||
	fail "read $BIG"
BIG_SHA=$(sha256sum < /tmp/big.src | cut -d' ' -f1)
ctl cp -N 3 -C 4M /tmp/big.src "$B/big.bin" || fail "cp -N 3"
files=$((files + 1))

step "df agrees with fsck on file systems of several devices"
for mp in "$A" "$B"; do
	fj=$("$FAMFSCTL" fsck -j "$mp")
	read -r size used avail < <(df -B1 --output=size,used,avail "$mp" | tail -n1)
	echo "  $mp: df -B1 size $size used $used avail $avail; fsck -j $(jq -c '.space | {capacity, used, free}' <<<"$fj")"
	[ "$size" = "$(jq .space.capacity <<<"$fj")" ] && [ "$used" = "$(jq .space.used <<<"$fj")" ] &&
		[ "$avail" = "$(jq .space.free <<<"$fj")" ] || fail "$mp: df and fsck disagree"
done

step "strips land on distinct devices"
for f in "$A/il2-2m" "$B/il3-2m" "$B/il2-devs02"; do
	"$FAMFSCTL" getmap "$f"
	devs=$("$FAMFSCTL" getmap -j "$f" | jq -r '[.extents[].dev] | unique | map(tostring) | join(" ")')
	n=$("$FAMFSCTL" getmap -j "$f" | jq '.extents | length')
	echo "  $f: strips $n on devices: $devs"
	[ "$(wc -w <<<"$devs")" = "$n" ] || fail "$f: strips not on distinct devices"
done
[ "$("$FAMFSCTL" getmap -j "$B/il2-devs02" | jq -r '[.extents[].dev] | unique | map(tostring) | join(",")')" = "0,2" ] ||
	fail "-d 0,2 not honoured"

verify_all() { # every file: seeded ones through mmap (famfsctl verify), big.bin read() + mmap
	local label=$1 bad=0
	while read -r f seed size n c; do
		[ -n "$f" ] || continue
		"$FAMFSCTL" verify -S "$seed" -f "$f" >/dev/null || { echo "  $label: $f mismatch"; bad=$((bad + 1)); }
	done <<<"$FILES"
	want=$BIG_SHA
	[ "$(sha256sum < "$B/big.bin" | cut -d' ' -f1)" = "$want" ] || { echo "  $label: big.bin read() mismatch"; bad=$((bad + 1)); }
	[ "$($MMAP_SHA "$B/big.bin" | cut -d' ' -f1)" = "$want" ] || { echo "  $label: big.bin mmap mismatch"; bad=$((bad + 1)); }
	echo "$label: $files files, $bad mismatches"
	mismatches=$((mismatches + bad))
	return $bad
}
step "verify every byte (mmap; big.bin also read())"
verify_all "first pass" && verified=$files
ctl policy show "$A"
ctl policy show "$B"
"$FAMFSCTL" stats "$A"; "$FAMFSCTL" stats "$B"
for mp in "$A" "$B"; do
	pol=$(stat_of "$mp" policy)
	nd=$("$FAMFSCTL" policy show -j "$mp" | jq --arg p "$pol" '[.policies[] | select(.name == $p) | (.devices // [])[]] | length')
	echo "  $mp ($pol): devices with mapped bytes: $nd"
	[ "$nd" -ge 2 ] || fail "$mp: faults should spread over devices"
done

step "swap policies on live mount $B ($SWAPS times) while a reader faults continuously"
( while [ ! -e /tmp/stop-reader ]; do
	"$FAMFSCTL" verify -S 21 -f "$B/il3-2m" >/dev/null || echo "READER-MISMATCH il3-2m"
	"$FAMFSCTL" verify -S 24 -f "$B/il2-devs02" >/dev/null || echo "READER-MISMATCH il2-devs02"
	echo "READER-PASS"
  done ) > /tmp/reader.log 2>&1 &
reader=$!
pols=(famfs_interleave famfs_chunkmap)
x0=$(stat_of "$B" translations)
# swap at least $SWAPS times, and on until the reader has made 4 passes (each pass maps
# both files afresh: every 2 MiB is a new fault, translated by whichever policy is current)
while [ "$swaps" -lt "$SWAPS" ] || { [ "$(grep -c READER-PASS /tmp/reader.log)" -lt 4 ] && [ "$swaps" -lt 400 ]; }; do
	p=${pols[$((swaps % 2))]}
	"$FAMFSCTL" policy set "$B" "$p" || fail "policy set $p"
	swaps=$((swaps + 1))
	sleep 0.1
done
touch /tmp/stop-reader
wait $reader
passes=$(grep -c READER-PASS /tmp/reader.log)
bad=$(grep -c READER-MISMATCH /tmp/reader.log)
x1=$(stat_of "$B" translations)
echo "reader: $passes passes, $bad mismatches, $((x1 - x0)) translations during $swaps swaps"
grep READER-MISMATCH /tmp/reader.log | head
mismatches=$((mismatches + bad))
[ "$passes" -ge 4 ] || fail "the reader did not run through the swaps"
"$FAMFSCTL" stats "$B"
rej=$(stat_of "$B" rejected)
[ "$rej" = 0 ] || fail "translations rejected during swaps: $rej"

step "after the swaps, unmount and mount again, verify again"
ctl umount "$A" && ctl umount "$B" || fail "umount"
mnt "${PMEM[0]}" "$A" famfs_interleave || fail "remount A"
mnt "${PMEM[2]}" "$B" famfs_interleave || fail "remount B"
verify_all "after remount" || true
ctl fsck "$A" || fail "fsck A"
ctl fsck "$B" || fail "fsck B"
ctl umount "$A"; ctl umount "$B"

[ "$fails" = 0 ] || echo "interleave: $fails check(s) failed"
echo "interleave: kernel=$(uname -r) device=$DEVKIND devices=$((2 + 3)) files=$files verified=$verified mismatches=$mismatches swaps=$swaps"
[ "$fails" = 0 ] && [ "$mismatches" = 0 ]
