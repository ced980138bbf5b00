#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# appends-run.sh - what cp -r of many small files costs, in guest instructions (make
# bench-appends; not part of make test). Boots one guest with the instruction-counting
# plugin (tests/bench/insn_plugin.c) and one 8G device, runs tests/vm/bench-appends.sh, and
# prints the instructions of cp -r of 1,000 and of 8,000 one-line files, per file, and their
# ratio (linear cost: about 8), then those of filling the whole log. The guest's wall times
# are in its output above the table.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
out=$(mktemp "${TMPDIR:-/var/tmp}/famfs-marks.XXXXXX")
FAMFS_VM_INSN_OUT=$out \
	flock /tmp/famfs-vm.lock bash "$repo/tests/vm/run.sh" bench-appends
python3 - "$out" <<'PY'
import sys
m = {}
for line in open(sys.argv[1]):
    f = line.split()
    if f[0] == "mark":
        m[int(f[1])] = int(f[2])
k1, k8, full = m[2] - m[1], m[4] - m[3], m[6] - m[5]
print("| cp -r of | guest instructions | per file |")
print("|---|---|---|")
print(f"| 1,000 one-line files | {k1:,} | {k1 // 1000:,} |")
print(f"| 8,000 one-line files | {k8:,} | {k8 // 8000:,} |")
print(f"| 8,300 files: the log fills (8,191 slots) | {full:,} | {full // 8191:,} per slot |")
print(f"ratio 8,000 / 1,000 files: {k8 / k1:.2f} (linear: 8; goal: at most 10)")
PY
