#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# bench-faults.sh - runs INSIDE a guest started by tests/bench/faults-run.sh (QEMU with the
# instruction-counting plugin, three 2 GiB nvdimms): the same 1 GiB fault-in through
# tests/bench/faultbench on
#   100  device-dax (/dev/dax1.0, the floor: no file system; its 4 KiB phase gets SIGBUS, as
#        device-dax refuses faults smaller than its 2 MiB align: that phase is missing)
#   200  ext4 -o dax, bigalloc 2 MiB clusters (/dev/pmem2)
#   300  famfs-bpf, the DAX core's fault path (direct_faults=0), famfs_simple
#   400  famfs-bpf, the direct fault path (kmod/fault.c, the default), famfs_simple
#   500  famfs-bpf, the direct path again (how much a phase repeats)
# Every phase's bytes are checked against the seeded fill. Last line:
#   bench-faults: runs=5 bad=0
set -uo pipefail
REPO=$(cd "$(dirname "$0")/../.." && pwd)
FAMFSCTL="$REPO/build/famfsctl"
FB="$REPO/build/tests/faultbench"
MPT=/tmp/famfs EXT4=/tmp/ext4 SIZE=$((1 << 30))
export FAMFS_SYSTEM_UUID_PATH=/tmp/famfs-host/system_uuid
ctl() { echo "\$ famfsctl $*"; "$FAMFSCTL" "$@"; }
PARAM=/sys/module/famfs_bpf/parameters/direct_faults

DEV=$(bash "$REPO/tests/vm/guest-dev.sh") || { echo "bench-faults: device setup failed"; exit 1; }
for r in 1 2; do echo 2097152 > /sys/bus/nd/devices/region$r/align 2>/dev/null || true; done
ndctl create-namespace --force --reconfig=namespace1.0 --mode=devdax --align=2M >/dev/null ||
	{ echo "bench-faults: devdax namespace failed"; exit 1; }
ndctl create-namespace --force --reconfig=namespace2.0 --mode=fsdax --map=mem --align=2M >/dev/null ||
	{ echo "bench-faults: fsdax namespace 2 failed"; exit 1; }
DAX=$(ls /dev/dax1.* | head -n1) PMEM2=$(ls /dev/pmem2* | head -n1)
echo "famfs on $DEV, device-dax $DAX, ext4 on $PMEM2"

mkdir -p "$MPT" "$EXT4"
ctl mkfs -f "$DEV" >/dev/null && ctl mount "$DEV" "$MPT" || exit 1
ctl creat -s 1G -S 5 "$MPT/g" || exit 1
mkfs.ext4 -F -q -b 4096 -O bigalloc -C 2097152 "$PMEM2" && mount -o dax "$PMEM2" "$EXT4" || exit 1
fallocate -l "$SIZE" "$EXT4/g" && "$FB" fill "$EXT4/g" 5 "$SIZE" || exit 1
"$FB" fill "$DAX" 5 "$SIZE" || exit 1
umount "$EXT4" && mount -o dax "$PMEM2" "$EXT4" || exit 1	# no DAX entries left
filefrag -v "$EXT4/g" | sed -n '4,5p'

bad=0
"$FB" "$DAX" 5 100 "$SIZE" || bad=$((bad + 1))
"$FB" "$EXT4/g" 5 200 || bad=$((bad + 1))
echo 0 > "$PARAM"
ctl umount "$MPT" && ctl mount "$DEV" "$MPT" || exit 1
"$FB" "$MPT/g" 5 300 || bad=$((bad + 1))
echo 1 > "$PARAM"
ctl umount "$MPT" && ctl mount "$DEV" "$MPT" || exit 1		# no DAX entries left
"$FB" "$MPT/g" 5 400 || bad=$((bad + 1))
"$FB" "$MPT/g" 5 500 || bad=$((bad + 1))
ctl stats "$MPT"
dmesg | grep -E 'WARNING|BUG' && bad=$((bad + 1))
echo "bench-faults: runs=5 bad=$bad"
[ "$bad" = 0 ]
