#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# bench.sh - runs INSIDE a guest started by tests/bench/bench-run.sh (make bench: QEMU with
# the instruction-counting plugin, four 2 GiB nvdimms): the phases of tests/bench/faultbench
# (fault-in cold/warm/4 KiB, reads through the mapping, pread, FAMFS_IOC_XLATE) on one
# 1 GiB file or device, for each peer, each with its marker base:
#   100  device-dax, 2 MiB align (/dev/dax1.0: the floor; no read(); it refuses 4 KiB faults
#        with SIGBUS, so its phase 3 is skipped)
#   200  device-dax, 4 KiB align (/dev/dax3.0: the floor of the 4 KiB-fault phase)
#   300  ext4 -o dax, bigalloc 2 MiB clusters (/dev/pmem2)
#   400  famfs-bpf, the DAX core's fault path (direct_faults=0), famfs_simple
#   500  famfs-bpf, the direct fault path (the default), famfs_simple
#   600  the same, famfs_interleave
#   700  the same, famfs_chunkmap
#   800  the same, const_answer (tests/policies: the cheapest honest policy)
#   900  famfs_simple again (how much a phase repeats)
# Every phase's bytes are checked against the seeded fill (faultbench). Last line:
#   bench: runs=9 bad=0
set -uo pipefail
REPO=$(cd "$(dirname "$0")/../.." && pwd)
FAMFSCTL="$REPO/build/famfsctl"
FB="$REPO/build/tests/faultbench"
PLOAD="$REPO/build/tests/policy_load"
MPT=/tmp/famfs EXT4=/tmp/ext4 SIZE=$((1 << 30))
export FAMFS_SYSTEM_UUID_PATH=/tmp/famfs-host/system_uuid
ctl() { echo "\$ famfsctl $*"; "$FAMFSCTL" "$@"; }
PARAM=/sys/module/famfs_bpf/parameters/direct_faults
bad=0 runs=0
run() { # run [-P] BASE PEER FILE [SIZE]: faultbench on FILE, its phases marked from BASE
	local opt=; [ "$1" = -P ] && { opt=-P; shift; }
	local base=$1 peer=$2; shift 2
	echo "== $base $peer"
	runs=$((runs + 1))
	"$FB" $opt "$1" 5 "$base" ${2:+"$2"} || { echo "FAIL: $peer"; bad=$((bad + 1)); }
}
policy() { # policy NAME: the mount's policy is NAME from now on
	"$FAMFSCTL" policy set "$MPT" "$1" >/dev/null &&
		[ "$("$FAMFSCTL" stats -j "$MPT" | jq -r .policy)" = "$1" ] ||
		{ echo "FAIL: policy set $1"; bad=$((bad + 1)); }
}

for b in "$FB" "$PLOAD"; do [ -x "$b" ] || { echo "bench: no $b (make bench builds it)"; exit 1; }; done
DEV=$(bash "$REPO/tests/vm/guest-dev.sh") || { echo "bench: device setup failed"; exit 1; }
for r in 1 2 3; do echo 2097152 > /sys/bus/nd/devices/region$r/align 2>/dev/null || true; done
ndctl create-namespace --force --reconfig=namespace1.0 --mode=devdax --align=2M >/dev/null ||
	{ echo "bench: devdax namespace failed"; exit 1; }
ndctl create-namespace --force --reconfig=namespace2.0 --mode=fsdax --map=mem --align=2M >/dev/null ||
	{ echo "bench: fsdax namespace 2 failed"; exit 1; }
ndctl create-namespace --force --reconfig=namespace3.0 --mode=devdax --align=4K >/dev/null ||
	{ echo "bench: 4 KiB devdax namespace failed"; exit 1; }
DAX=$(ls /dev/dax1.* | head -n1) DAX4K=$(ls /dev/dax3.* | head -n1) PMEM2=$(ls /dev/pmem2* | head -n1)
echo "famfs on $DEV, device-dax $DAX (2M) and $DAX4K (4K), ext4 on $PMEM2"

mkdir -p "$MPT" "$EXT4"
ctl mkfs -f "$DEV" >/dev/null && ctl mount "$DEV" "$MPT" || exit 1
ctl creat -s 1G -S 5 "$MPT/g" || exit 1
mkfs.ext4 -F -q -b 4096 -O bigalloc -C 2097152 "$PMEM2" && mount -o dax "$PMEM2" "$EXT4" || exit 1
fallocate -l "$SIZE" "$EXT4/g" && "$FB" fill "$EXT4/g" 5 "$SIZE" || exit 1
"$FB" fill "$DAX" 5 "$SIZE" && "$FB" fill "$DAX4K" 5 "$SIZE" || exit 1
umount "$EXT4" && mount -o dax "$PMEM2" "$EXT4" || exit 1	# no DAX entries left
filefrag -v "$EXT4/g" | sed -n '4,5p'
base=$("$FAMFSCTL" getmap -j "$MPT/g" | jq -r '.extents[0].offset')
[ "$("$FAMFSCTL" getmap -j "$MPT/g" | jq -r '.extents | length')" = 1 ] || { echo "bench: g is not one extent"; exit 1; }
for p in famfs_interleave famfs_chunkmap; do ctl policy attach "$p" >/dev/null || exit 1; done
"$PLOAD" const_answer const_answer "$base" || { echo "bench: const_answer refused"; exit 1; }

run -P 100 device-dax-2M "$DAX" "$SIZE"
run 200 device-dax-4K "$DAX4K" "$SIZE"
run 300 ext4-dax "$EXT4/g"
echo 0 > "$PARAM"
ctl umount "$MPT" && ctl mount "$DEV" "$MPT" || exit 1
policy famfs_simple
run 400 famfs-dax-core "$MPT/g"
echo 1 > "$PARAM"
ctl umount "$MPT" && ctl mount "$DEV" "$MPT" || exit 1		# no DAX entries left
policy famfs_simple;     run 500 famfs-simple "$MPT/g"
policy famfs_interleave; run 600 famfs-interleave "$MPT/g"
policy famfs_chunkmap;   run 700 famfs-chunkmap "$MPT/g"
policy const_answer;     run 800 const-answer "$MPT/g"
policy famfs_simple;     run 900 famfs-simple-repeat "$MPT/g"
ctl stats "$MPT"
dmesg | grep -E 'WARNING|BUG' && bad=$((bad + 1))
echo "bench: runs=$runs bad=$bad"
[ "$bad" = 0 ]
