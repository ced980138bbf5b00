#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# mh-master.sh SHARE - runs INSIDE the master guest of the two-host test (multihost-run.sh
# starts it beside mh-client.sh, both on one fabric-memory backing file). The master makes
# the file system, adds files in two rounds (the client must catch up), plays its side of
# the hand-off, builds the application data, and checks isolation. Last line:
#   multihost-master: failed=F mismatches=M handoff=ok|fail apps=... times:...
set -uo pipefail
ROLE=master
SHARE=$1
. "$(dirname "$0")/mh-common.sh"
. "$REPO/tests/vm/mh-handoff.sh"
. "$REPO/tests/vm/mh-apps.sh"
SRC=/usr/share/zoneinfo
APPS=$SHARE/apps	# the application data and its source answers, made on the host (apps_prepare)
HANDOFF=fail
APPS_OK=

verdict() {
	echo "multihost-master: failed=$fails mismatches=$MISMATCHES handoff=$HANDOFF apps=${APPS_OK#,} times:$TIMES"
}

step "device: $DEV_WHAT, made here; famfs_bpf.ko"
DEV=$(mh_device) || abort "device setup failed"
mark ns-ready
step "famfsctl mkfs $DEV: this host (system UUID $(cat "$FAMFS_SYSTEM_UUID_PATH" 2>/dev/null || echo new)) becomes the master"
ctl mkfs -f "$DEV" || abort "mkfs failed"
mkdir -p "$MPT"
ctl mount "$DEV" "$MPT" || abort "mount failed"
cat "$FAMFS_SYSTEM_UUID_PATH" > "$SHARE/master-uuid"
phase_done setup

step "round 1: real files (cp -r $SRC/America), seeded files A and B side by side, hand-off files"
ctl cp -r "$SRC/America" "$MPT/" | tail -n1 || fail "cp -r America"
for d in iso handoff owned; do ctl mkdir "$MPT/$d" || fail "mkdir $d"; done
ctl creat -s $((9 * 1048576 + 123)) -S 11 "$MPT/iso/A" || fail "creat A"
ctl creat -s 4M -S 12 "$MPT/iso/B" || fail "creat B"
ctl creat -w -s 4K "$MPT/handoff/ticket" || fail "creat ticket"
ctl creat -w -s 32M "$MPT/handoff/data" || fail "creat data"
ctl creat -w -s 4K "$MPT/handoff/answer" || fail "creat answer"
ctl creat -u 65534 -g 65534 -S 13 -s 2M "$MPT/owned/ro" || fail "creat owned/ro"
ctl creat -w -u 65534 -g 65534 -S 14 -s 2M "$MPT/owned/rw" || fail "creat owned/rw"
ticket_write "$MPT/handoff/ticket" "seq=0 nothing handed over yet" || fail "ticket seq=0"
check "the master may write a file it logged for clients read-only (owner nobody)" \
	setpriv --reuid=65534 --regid=65534 --clear-groups test -w "$MPT/owned/ro"
manifest America iso owned > "$SHARE/manifest-v1"
mark fs-v1 "$(next_index)"
echo "round 1: $(wc -l < "$SHARE/manifest-v1") files, log next index $(next_index)"
phase_done round1

step "wait for the client to mount and check roles"
wait_for c-mounted
step "round 2: more files while the client is mounted (it must not see them until load-maps)"
ctl cp -r "$SRC/Europe" "$MPT/" | tail -n1 || fail "cp -r Europe"
ctl creat -s 5M -S 21 "$MPT/late.bin" || fail "creat late.bin"
manifest Europe late.bin > "$SHARE/manifest-v2"
# A half-written entry: junk in the slot after the last published one, next index unchanged.
# Clients must never act on it (the index is advanced only after the entry is flushed).
JUNK=$(next_index)
head -c 1024 /dev/urandom | dd of="$MPT/.meta/.log" bs=1024 seek=$((JUNK + 1)) conv=notrunc status=none
ctl flush -w "$MPT/.meta/.log" || fail "flush .meta/.log"
check "the junk slot is not published (next index still $JUNK)" test "$(next_index)" = "$JUNK"
mark fs-v2 "$JUNK"
phase_done round2

step "a published entry with a bad CRC: clients must report it, then read on once it is right"
wait_for c-caughtup
BAD=$((JUNK - 1))
dd if="$MPT/.meta/.log" of=/tmp/entry.save bs=1024 skip=$((BAD + 1)) count=1 status=none
printf 'X' | dd of="$MPT/.meta/.log" bs=1 seek=$(((BAD + 1) * 1024 + 100)) conv=notrunc status=none
ctl flush -w "$MPT/.meta/.log"
mark crc-bad "$BAD"
wait_for c-crc-seen
dd if=/tmp/entry.save of="$MPT/.meta/.log" bs=1024 seek=$((BAD + 1)) conv=notrunc status=none
ctl flush -w "$MPT/.meta/.log"
check "fsck is clean again after the repair" ctl fsck "$MPT"
mark crc-restored
phase_done crc

step "hand-off: write a data set into famfs, flush, ticket seq=1; wait for the client's answer"
HO=$(cat "$SHARE/handoff.src")	# len, sha256 and the reader's answer, from the source on the host
LEN=$(ticket_field "$HO" len) SUM=$(ticket_field "$HO" sha256)
[ "$(stat -c %s "$APPS/flights.csv")" = "$LEN" ] || fail "flights.csv is not $LEN bytes"
dd if="$APPS/flights.csv" of="$MPT/handoff/data" bs=1M conv=notrunc status=none || fail "write data"
ctl flush -v -w "$MPT/handoff/data" || fail "flush data"
ticket_write "$MPT/handoff/ticket" "seq=1 len=$LEN sha256=$SUM" || fail "ticket seq=1"
if T=$(ticket_wait "$MPT/handoff/ticket" 2 "$WAIT_S"); then
	echo "ticket: $T"
	ctl flush -v -i "$MPT/handoff/answer"
	GOT=$(head -n1 "$MPT/handoff/answer" | tr -d '\0')
	WANT="carriers=$(ticket_field "$HO" carriers) sha256=$SUM"
	echo "client's answer: $GOT"
	echo "master's own:    $WANT"
	if [ "$GOT" = "$WANT" ] && [ "$(ticket_field "$T" answer)" = ok ]; then HANDOFF=ok
	else fail "hand-off answer"; MISMATCHES=$((MISMATCHES + 1)); fi
else
	fail "no seq=2 from the client"
fi
phase_done handoff

step "apps: flights.db (sqlite3), flights.parquet (DuckDB), a RocksDB (db_bench fillseq) into famfs"
ctl mkdir "$MPT/apps" || fail "mkdir apps"
ctl cp "$APPS/flights.db" "$APPS/flights.parquet" "$MPT/apps/" | tail -n1 || fail "cp apps"
# RocksDB's LOCK file is empty and famfs holds no empty files: like famfs cp, cp names it
# and exits 1 while copying the rest; the copy must have failed on the empty files only.
EMPTY=$(find "$APPS/rocksdb" -type f -empty | wc -l)
CP_OUT=$(ctl cp -r "$APPS/rocksdb" "$MPT/apps/"); echo "$CP_OUT" | tail -n1
grep -q " $EMPTY errors\$" <<<"$CP_OUT" || fail "cp -r rocksdb"
mark apps-ready	# the client queries the data at the same time as this host (one vCPU each)
sqlite_answers "$MPT/apps/flights.db" > "$SHARE/sqlite.master"
rocks_answers "$MPT/apps/rocksdb" > "$SHARE/rocksdb.master"
for app in sqlite rocksdb; do
	if answers_ok $app "$SHARE/$app.master" && cmp -s "$SHARE/$app.src" "$SHARE/$app.master"; then
		echo "ok: $app on famfs answers as on the source copy: $(head -n1 "$SHARE/$app.master")"
	else
		fail "$app answers on famfs differ from the source copy"
		diff "$SHARE/$app.src" "$SHARE/$app.master" | head
		MISMATCHES=$((MISMATCHES + 1))
	fi
done
mark apps-answered
phase_done apps_build

step "DuckDB on both hosts at once, on the Parquet file in famfs"
mark duck-master
wait_for duck-client
mark duck-start-master
duck_answers "$MPT/apps/flights.parquet" > "$SHARE/duckdb.master" || fail "duckdb query"
mark duck-end-master
mark duck-master-done
check "duckdb on famfs answers as on the source copy" cmp -s "$SHARE/duckdb.src" "$SHARE/duckdb.master"
answers_ok duckdb "$SHARE/duckdb.master" || fail "duckdb answers lack the known flight count"
phase_done duckdb

step "isolation on the master: A's mapping reaches A's memory only"
check "isolation (master)" $PY "$REPO/tests/vm/isolation.py" "$FAMFSCTL" "$MPT/iso/A" "$MPT/iso/B"
check "verify A (seed 11)" ctl verify -S 11 -f "$MPT/iso/A"
check "verify B (seed 12)" ctl verify -S 12 -f "$MPT/iso/B"
phase_done isolation

step "compare the client's application answers with the master's"
wait_for c-done
for app in sqlite rocksdb duckdb; do
	if [ -s "$SHARE/$app.client" ] && cmp -s "$SHARE/$app.master" "$SHARE/$app.client"; then
		echo "ok: $app: both hosts got the same answers ($(wc -l < "$SHARE/$app.client") lines)"
		APPS_OK+=",$app"
	else
		fail "$app: the hosts' answers differ"
		diff "$SHARE/$app.master" "$SHARE/$app.client" | head
		MISMATCHES=$((MISMATCHES + 1))
	fi
done
# Both DuckDB runs must have overlapped: compare the markers' times on the host's clock.
ov=$(stat -c %.3Y "$SHARE"/duck-{start,end}-{master,client} | tr '\n' ' ' |
	awk '{ s = $1 > $2 ? $1 : $2; e = $3 < $4 ? $3 : $4; printf "%.1f", e - s }')
check "the two hosts' DuckDB runs overlapped (${ov}s)" awk -v o="$ov" 'BEGIN { exit !(o > 0) }'
check "final fsck" ctl fsck "$MPT"
ctl stats "$MPT"
ctl umount "$MPT" || fail "umount"
phase_done final
verdict
[ "$fails" = 0 ] && [ "$MISMATCHES" = 0 ]
