#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# bench-db.sh - runs INSIDE a guest started by tests/bench/bench-run.sh (make bench; the
# guest has FAMFS_VM_MEM=1G of RAM and two 4 GiB nvdimms): famfs's headline case, a data
# set bigger than memory. db_bench fillseq writes a RocksDB database of about twice the
# guest's RAM on ext4 (page cache); famfsctl cp -r copies it into famfs-bpf; then the same
# db_bench readrandom, read-only with mmap reads, runs on
#   ext4 through the page cache (caches dropped first)
#   ext4 -o dax on the same device (remounted)
#   famfs-bpf
# and prints ops/s for each (wall time); with the instruction plugin, markers 31-32, 33-34
# and 35-36 bracket the three runs. Every run must find every key it reads. Last line:
#   bench-db: db_bytes=B ram_bytes=R reads=N ext4_ops=X ext4_dax_ops=Y famfs_ops=Z found=all bad=0
set -uo pipefail
REPO=$(cd "$(dirname "$0")/../.." && pwd)
FAMFSCTL="$REPO/build/famfsctl"
MARKER="$REPO/build/tests/mark"		# markers 31-36 around the three readrandom runs
MPT=/tmp/famfs EXT4=/tmp/ext4
export FAMFS_SYSTEM_UUID_PATH=/tmp/famfs-host/system_uuid
VALUE=4000
READS=${FAMFS_BENCH_DB_READS:-20000}
bad=0
fail() { echo "FAIL: $*"; bad=$((bad + 1)); }

[ -x "$MARKER" ] || { echo "bench-db: no $MARKER (make bench builds it)"; exit 1; }
mapfile -t DEVS < <(bash "$REPO/tests/vm/guest-dev.sh" --all) || { echo "bench-db: device setup failed"; exit 1; }
[ "${#DEVS[@]}" -ge 2 ] || { echo "bench-db: want two pmem devices, have ${DEVS[*]}"; exit 1; }
ram=$(awk '/^MemTotal:/ { print $2 * 1024 }' /proc/meminfo)
num=$((2 * ram / (VALUE + 16)))		# about twice the RAM
echo "RAM $ram bytes: $num keys of $VALUE bytes; famfs on ${DEVS[0]}, ext4 on ${DEVS[1]}"

mkdir -p "$MPT" "$EXT4"
mkfs.ext4 -F -q -b 4096 "${DEVS[1]}" && mount "${DEVS[1]}" "$EXT4" || exit 1
t=$SECONDS
db_bench --benchmarks=fillseq --db="$EXT4/db" --num=$num --value_size=$VALUE \
	--compression_type=none --seed=1 --disable_wal=1 --use_stderr_info_logger=1 \
	>/tmp/fillseq.out 2>&1 || { tail /tmp/fillseq.out; exit 1; }
grep '^fillseq' /tmp/fillseq.out
dbb=$(du -sb "$EXT4/db" | cut -f1)
echo "database: $dbb bytes in $(ls "$EXT4/db" | wc -l) files, written in $((SECONDS - t)) s"
"$FAMFSCTL" mkfs -f "${DEVS[0]}" >/dev/null && "$FAMFSCTL" mount "${DEVS[0]}" "$MPT" >/dev/null || exit 1
# RocksDB leaves empty files (LOCK, an empty WAL): famfs holds no empty file, and a
# read-only open needs neither; removed from the source too, so all three runs read the same
find "$EXT4/db" -type f -empty -print -delete
t=$SECONDS
"$FAMFSCTL" cp -r "$EXT4/db" "$MPT/" || fail "famfsctl cp -r of the database"
echo "copied into famfs in $((SECONDS - t)) s"

readrandom() { # readrandom NAME DBDIR MARK: ops/s of readrandom on DBDIR, between markers
	local out ops found	# MARK+1 and MARK+2; checks every key found
	"$MARKER" $(($3 + 1))
	out=$(db_bench --benchmarks=readrandom --db="$2" --use_existing_db=1 --readonly=1 \
		--mmap_read=1 --num=$num --reads=$READS --seed=7 --cache_size=1048576 \
		--use_stderr_info_logger=1 2>&1)
	local rc=$?
	"$MARKER" $(($3 + 2))
	[ "$rc" = 0 ] || { echo "$out" | tail -n 5 >&2; fail "$1: db_bench"; echo 0; return; }
	ops=$(grep -E '^readrandom' <<<"$out" | grep -oE '[0-9]+ ops/sec' | grep -oE '^[0-9]+')
	found=$(grep -oE '\([0-9]+ of [0-9]+ found\)' <<<"$out")
	echo "$1: $(grep -E '^readrandom' <<<"$out")" >&2
	[ "$found" = "($READS of $READS found)" ] || fail "$1: $found, want every key found"
	echo "${ops:-0}"
}
sync; echo 3 > /proc/sys/vm/drop_caches
ext4_ops=$(readrandom ext4 "$EXT4/db" 30)
umount "$EXT4" && mount -o dax "${DEVS[1]}" "$EXT4" || exit 1
ext4_dax_ops=$(readrandom ext4-dax "$EXT4/db" 32)
famfs_ops=$(readrandom famfs "$MPT/db" 34)
awk -v a="$famfs_ops" -v b="$ext4_dax_ops" -v c="$ext4_ops" 'BEGIN {
	printf "famfs / ext4-dax %.2f, famfs / ext4 page cache %.2f (ops/s, wall time, one boot)\n", a / b, a / c }'
dmesg | grep -E 'WARNING|BUG' && fail "kernel warnings"
echo "bench-db: db_bytes=$dbb ram_bytes=$ram reads=$READS ext4_ops=$ext4_ops ext4_dax_ops=$ext4_dax_ops famfs_ops=$famfs_ops found=$([ "$bad" = 0 ] && echo all || echo some) bad=$bad"
[ "$bad" = 0 ]
