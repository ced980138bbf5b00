#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# faults-run.sh - the fault path against device-dax and ext4-dax, in guest instructions
# (make bench-faults; not part of make test). One guest with the instruction-counting plugin
# (tests/bench/insn_plugin.c) and three nvdimms runs tests/vm/bench-faults.sh; this prints
# per phase the instructions of each peer and famfs-bpf's ratios to device-dax and ext4-dax,
# then a JSON line "bench-faults: {...}" with every figure.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
out=$(mktemp "${TMPDIR:-/var/tmp}/famfs-marks.XXXXXX")
FAMFS_VM_INSN_OUT=$out FAMFS_VM_DEVICES=3 FAMFS_DEV_SIZE=2G \
	flock /tmp/famfs-vm.lock bash "$repo/tests/vm/run.sh" bench-faults || true	# table anyway
python3 - "$out" <<'PY'
import json, sys
m = {}
for line in open(sys.argv[1]):
    f = line.split()
    if f[0] == "mark":
        m[int(f[1])] = int(f[2])
peers = [(100, "device-dax"), (200, "ext4-dax"), (300, "famfs (DAX core path)"),
         (400, "famfs (direct path)"), (500, "famfs (direct, repeat)")]
phases = [("1 GiB fault-in, cold (PMD)", 1, 2), ("same, second mapping", 3, 4),
          ("262,144 PTE faults", 5, 6)]
def ph(b, a, z):
    return m[b + z] - m[b + a] if b + a in m and b + z in m else None
fig = {name: {p: ph(b, a, z) for b, p in peers} for name, a, z in phases}
def ratio(x, y):
    return f"{x / y:.2f}" if x and y else "-"
print("| phase | " + " | ".join(p for _, p in peers) + " | direct / device-dax | direct / ext4-dax | DAX core / device-dax |")
print("|---|" + "---|" * (len(peers) + 3))
for name, _, _ in phases:
    f = fig[name]
    d = f["famfs (direct path)"]
    print(f"| {name} | " + " | ".join(f"{f[p]:,}" if f[p] else "-" for _, p in peers) +
          f" | {ratio(d, f['device-dax'])} | {ratio(d, f['ext4-dax'])} | {ratio(f['famfs (DAX core path)'], f['device-dax'])} |")
print("bench-faults: " + json.dumps(fig, separators=(",", ":")))
PY
