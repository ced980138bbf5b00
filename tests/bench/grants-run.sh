#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# grants-run.sh - what the module's grant check costs, in guest instructions (make
# bench-grants; not part of make test). Boots one guest with the instruction-counting plugin
# (tests/bench/insn_plugin.c), runs tests/vm/bench-grants.sh, and prints per phase the
# instructions for a 1 GiB file with 1 grant and one with 16 grants, their ratio, and the
# extra instructions per fault; then the repeat of the 1-grant warm phase (noise).
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
out=$(mktemp "${TMPDIR:-/var/tmp}/famfs-marks.XXXXXX")
FAMFS_VM_INSN_OUT=$out flock /tmp/famfs-vm.lock bash "$repo/tests/vm/run.sh" bench-grants
python3 - "$out" <<'PY'
import sys
m = {}
for line in open(sys.argv[1]):
    f = line.split()
    if f[0] == "mark":
        m[int(f[1])] = int(f[2])
def ph(base, a, b): return m[base + b] - m[base + a]
names = [("1 GiB fault-in, cold (PMD)", 1, 2, 512), ("same, second mapping", 3, 4, 512),
         ("262,144 PTE faults", 5, 6, 262144)]
print("| phase | 1 grant | 16 grants | ratio | extra insns per fault |")
print("|---|---|---|---|---|")
for name, a, b, faults in names:
    g1, g16 = ph(100, a, b), ph(200, a, b)
    print(f"| {name} | {g1:,} | {g16:,} | {g16 / g1:.4f} | {(g16 - g1) / faults:.1f} |")
for name, a, b, faults in names[1:]:
    r1, r2 = ph(100, a, b), ph(300, a, b)
    print(f"repeat of '{name}' with 1 grant: {r2:,} vs {r1:,} ({r2 / r1:.4f})")
PY
