#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# cxl-share.sh ROLE SHARE - runs INSIDE one of two 7.3 guests on ONE CXL backing file
# (tests/vm/cxl-share-run.sh): guest-cxl.sh makes its region and devdax device, then
#   ROLE=a writes seed 11 at dax offset 0, says so (SHARE/a.wrote), waits for b, and
#          checks b's seed 22 at dax offset 64 MiB;
#   ROLE=b waits for a, checks a's seed 11 at offset 0, writes seed 22 at 64 MiB (b.wrote).
# Markers live in SHARE, a host directory both guests mount read-write. Verdict line:
#   cxl-share-ROLE: kernel=<uname -r> dev=/dev/daxX.Y size=<bytes> seen_other=yes|no ok=1|0
set -uo pipefail
REPO=$(cd "$(dirname "$0")/../.." && pwd)
role=${1:?usage: cxl-share.sh a|b SHARE}
share=${2:?usage: cxl-share.sh a|b SHARE}
PAT="/usr/bin/python3 $REPO/tests/vm/dax_pattern.py"
OFF_A=0 OFF_B=$((64 << 20))
other=b; [ "$role" = a ] || other=a
verdict() { # a failing guest says so at once (ROLE.failed), so the other stops waiting
	[ "$2" = 1 ] || : >"$share/$role.failed"
	echo "cxl-share-$role: kernel=$(uname -r) dev=${dev:-none} size=${size:-0} seen_other=$1 ok=$2"
}
wait_for() { # wait_for FILE: up to 600 s, or until the harness says the other guest ended
	local i
	for i in $(seq 1200); do
		[ -e "$1" ] && return 0
		[ -e "$share/$other.failed" ] && { echo "cxl-share: guest $other failed"; return 1; }
		[ -e "$share/abort-harness" ] && { echo "cxl-share: the other guest ended: $(cat "$share/abort-harness")"; return 1; }
		sleep 0.5
	done
	echo "cxl-share: timed out waiting for $1"
	return 1
}
dev=$(bash "$REPO/tests/vm/guest-cxl.sh" | head -n1) || { verdict no 0; exit 1; }
size=$(cat "/sys/bus/dax/devices/${dev#/dev/}/size")
echo "cxl-share: $role on $dev ($size bytes)"
case $role in
a)
	$PAT write "$dev" $OFF_A 11 && : >"$share/a.wrote" || { verdict no 0; exit 1; }
	wait_for "$share/b.wrote" || { verdict no 0; exit 1; }
	if $PAT check "$dev" $OFF_B 22; then verdict yes 1; else verdict no 0; exit 1; fi
	;;
b)
	wait_for "$share/a.wrote" || { verdict no 0; exit 1; }
	$PAT check "$dev" $OFF_A 11 || { verdict no 0; : >"$share/b.wrote"; exit 1; }
	$PAT write "$dev" $OFF_B 22 && : >"$share/b.wrote" || { verdict yes 0; exit 1; }
	verdict yes 1
	;;
*) echo "cxl-share: ROLE must be a or b, not '$role'"; exit 2 ;;
esac
