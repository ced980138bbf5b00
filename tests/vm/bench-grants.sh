#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# bench-grants.sh - runs INSIDE a guest started by tests/bench/grants-run.sh (QEMU with the
# instruction-counting plugin): faults in a 1 GiB file with 1 grant and one with 16 grants
# (16 strips on one device, famfs_interleave: the same O(1) resolution, so the difference is
# the module's grant scan), each through tests/bench/faultbench. Last line:
#   bench-grants: files=2 bad=0
set -uo pipefail
REPO=$(cd "$(dirname "$0")/../.." && pwd)
FAMFSCTL="$REPO/build/famfsctl"
FB="$REPO/build/tests/faultbench"
MPT=/tmp/famfs
export FAMFS_SYSTEM_UUID_PATH=/tmp/famfs-host/system_uuid
ctl() { echo "\$ famfsctl $*"; "$FAMFSCTL" "$@"; }

DEV=$(bash "$REPO/tests/vm/guest-dev.sh") || { echo "bench-grants: device setup failed"; exit 1; }
mkdir -p "$MPT"
ctl mkfs -f "$DEV" >/dev/null && ctl mount -p famfs_interleave "$DEV" "$MPT" || exit 1
ctl creat -s 1G -N 1 -C 2M -S 5 "$MPT/g1" || exit 1
ctl creat -s 1G -N 16 -C 2M -S 6 "$MPT/g16" || exit 1
ctl umount "$MPT" && ctl mount -p famfs_interleave "$DEV" "$MPT" || exit 1	# no DAX entries left
ctl getmap "$MPT/g16" | head -n 4
bad=0
"$FB" "$MPT/g1" 5 100 || bad=$((bad + 1))
"$FB" "$MPT/g16" 6 200 || bad=$((bad + 1))
"$FB" "$MPT/g1" 5 300 || bad=$((bad + 1))	# again: how much the warm phases repeat
ctl stats "$MPT"
echo "bench-grants: files=2 bad=$bad"
[ "$bad" = 0 ]
