#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# bench-run.sh - make bench (not part of make test): the fault, read and translation phases
# of famfs-bpf against device-dax and ext4-dax, and under each shipped policy against
# const_answer, in guest instructions and wall time, all in one guest boot
# (tests/vm/bench.sh: QEMU with the instruction-counting plugin tests/bench/insn_plugin.c,
# four 2 GiB nvdimms); then the metadata phases at 1,000 and 8,000 files in a second boot
# (tests/vm/bench-appends.sh). tests/bench/report.py prints the table, the goals and a JSON
# line "bench: {...}", and draws the chart. Output in $FAMFS_BENCH_OUT (default
# build/bench): marks*.txt, guest*.log, bench.json, bench.png.
# A third boot runs RocksDB's db_bench readrandom (mmap reads) on a database twice the guest's
# RAM on famfs-bpf, ext4 -o dax and ext4 through the page cache (tests/vm/bench-db.sh).
#   FAMFS_BENCH_APPENDS=0 skips the metadata boot, FAMFS_BENCH_DB=0 the db_bench boot,
#   FAMFS_BENCH_FAULTS=0 the first (its figures are taken from the last run's files).
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
out=${FAMFS_BENCH_OUT:-$repo/build/bench}
mkdir -p "$out"
rc=0
if [ "${FAMFS_BENCH_FAULTS:-1}" = 1 ]; then
	rm -f "$out/marks.txt" "$out/guest.log"
	FAMFS_VM_INSN_OUT=$out/marks.txt FAMFS_VM_DEVICES=4 FAMFS_DEV_SIZE=2G \
		flock /tmp/famfs-vm.lock bash "$repo/tests/vm/run.sh" bench > "$out/guest.log" 2>&1 || rc=1
	tail -n 3 "$out/guest.log"
fi
args=("$out/marks.txt" "$out/guest.log")
if [ "${FAMFS_BENCH_APPENDS:-1}" = 1 ]; then
	rm -f "$out/marks-appends.txt" "$out/guest-appends.log"
	FAMFS_VM_INSN_OUT=$out/marks-appends.txt \
		flock /tmp/famfs-vm.lock bash "$repo/tests/vm/run.sh" bench-appends > "$out/guest-appends.log" 2>&1 || rc=1
	grep -E '^wall |^bench-appends:' "$out/guest-appends.log" || true
	tail -n 2 "$out/guest-appends.log"
	args+=("$out/marks-appends.txt")
fi
if [ "${FAMFS_BENCH_DB:-1}" = 1 ]; then	# a data set twice the guest's RAM (tests/vm/bench-db.sh)
	rm -f "$out/marks-db.txt" "$out/guest-db.log"
	FAMFS_VM_INSN_OUT=$out/marks-db.txt FAMFS_VM_MEM=1G FAMFS_VM_DEVICES=2 FAMFS_DEV_SIZE=4G \
		flock /tmp/famfs-vm.lock bash "$repo/tests/vm/run.sh" bench-db > "$out/guest-db.log" 2>&1 || rc=1
	grep -E '^(ext4|ext4-dax|famfs): readrandom|^famfs / |^bench-db:|^run.sh: (PASS|FAIL)' "$out/guest-db.log" || true
	args+=(--db "$out/guest-db.log" --db-marks "$out/marks-db.txt")
fi
# Debian's python3 (python3-matplotlib), not one earlier on PATH
/usr/bin/python3 "$repo/tests/bench/report.py" "${args[@]}" --json "$out/bench.json" --png "$out/bench.png"
echo "bench-run: chart $out/bench.png, figures $out/bench.json, guest logs $out/guest*.log"
exit $rc
