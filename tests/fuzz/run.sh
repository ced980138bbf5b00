#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# run.sh NAME... - make fuzz-check: each harness over its seed corpus and its regression
# inputs (tests/fuzz/regress/NAME/: one per finding, any crash fails), then FUZZ_TIME
# seconds of fuzzing from there (new inputs go to $FUZZ_DIR/corpus/NAME, not the tree).
# Prints one line per harness: executions, coverage, features, seconds.
set -euo pipefail
cd "$(dirname "$0")/../.."
: "${FUZZ_DIR:=build/fuzz}" "${FUZZ_TIME:=60}"
seeds_of() { case "$1" in fuzz_sb) echo sb ;; fuzz_log) echo log ;; fuzz_replay) echo replay ;; esac; }

for name in "$@"; do
	bin=$FUZZ_DIR/$name seeds=$FUZZ_DIR/seeds/$(seeds_of "$name")
	regress=tests/fuzz/regress/$name work=$FUZZ_DIR/corpus/$name out=$FUZZ_DIR/$name.log
	mkdir -p "$work" "$seeds"
	if ! "$bin" -runs=0 "$seeds" "$regress" >"$out" 2>&1; then
		tail -n 40 "$out"; echo "fuzz-check: FAIL: $name on its seeds and regressions"; exit 1
	fi
	start=$(date +%s)
	if ! "$bin" -max_total_time="$FUZZ_TIME" -timeout=10 -rss_limit_mb=2048 \
		-print_final_stats=1 "$work" "$seeds" "$regress" >"$out" 2>&1; then
		tail -n 40 "$out"; echo "fuzz-check: FAIL: $name (crash input in $PWD, log $out)"; exit 1
	fi
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$out")
	cov=$(grep -Eo '(DONE|#[0-9]+).*cov: [0-9]+ ft: [0-9]+' "$out" | tail -n1 |
	      sed -E 's/.*cov: ([0-9]+) ft: ([0-9]+).*/cov \1, ft \2/')
	echo "fuzz-check: $name ok: $execs executions, $cov, $(( $(date +%s) - start )) s," \
	     "$(ls "$work" | wc -l) new corpus units, $(ls "$regress" | wc -l) regressions"
done
