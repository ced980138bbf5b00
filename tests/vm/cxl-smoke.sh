#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# cxl-smoke.sh - runs INSIDE a 7.3 guest with CXL type-3 RAM devices (make cxl-smoke:
# run.sh cxl-smoke with FAMFS_VM_CXL=N): guest-cxl.sh makes the regions and devdax devices
# and loads famfs_bpf.ko; each dax device is then mapped (mmap of /dev/daxX.Y, devdax mode)
# and a seeded 2 MiB pattern written and read back at its start and at its last 2 MiB.
# Verdict line:
#   cxl: kernel=<uname -r> devices=N size=<bytes of each> align=<bytes> ok=1
# (ok=0 and exit 1 when anything failed.)
set -uo pipefail
REPO=$(cd "$(dirname "$0")/../.." && pwd)
t0=$(cut -d' ' -f1 /proc/uptime)
devs=$(bash "$REPO/tests/vm/guest-cxl.sh") || { echo "cxl: kernel=$(uname -r) devices=0 size=0 align=0 ok=0"; exit 1; }
t1=$(cut -d' ' -f1 /proc/uptime)
echo "cxl-smoke: guest up at ${t0}s of uptime, regions made in $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')s"
ok=1 n=0 sizes= aligns=
for d in $devs; do
	n=$((n + 1))
	name=${d#/dev/}
	sz=$(cat "/sys/bus/dax/devices/$name/size")
	al=$(cat "/sys/bus/dax/devices/$name/align")
	sizes+=" $sz" aligns+=" $al"
	grep -q '^famfs_bpf ' /proc/modules || { echo "cxl-smoke: famfs_bpf not loaded"; ok=0; }
	if ! /usr/bin/python3 "$REPO/tests/vm/dax_pattern.py" write "$d" 0 "$((n * 7))" ||
	   ! /usr/bin/python3 "$REPO/tests/vm/dax_pattern.py" write "$d" "$((sz - (2 << 20)))" "$((n * 7 + 1))" ||
	   ! /usr/bin/python3 "$REPO/tests/vm/dax_pattern.py" check "$d" 0 "$((n * 7))" ||
	   ! /usr/bin/python3 "$REPO/tests/vm/dax_pattern.py" check "$d" "$((sz - (2 << 20)))" "$((n * 7 + 1))"; then
		echo "cxl-smoke: FAIL: pattern on $d"
		ok=0
	fi
done
uniq1() { tr ' ' '\n' | sed '/^$/d' | sort -u | paste -sd, -; }
[ "$n" -ge 1 ] || ok=0
echo "cxl: kernel=$(uname -r) devices=$n size=$(uniq1 <<<"$sizes") align=$(uniq1 <<<"$aligns") ok=$ok"
[ "$ok" = 1 ]
