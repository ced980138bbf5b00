#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# mh-client.sh SHARE - runs INSIDE the client guest of the two-host test, beside
# mh-master.sh on the same fabric memory. The client has its own identity; it mounts the
# master's file system, must be refused every log change, catches up with load-maps, plays
# the reader's side of the hand-off, runs the apps on the master's data, checks isolation.
# Last line:
#   multihost-client: failed=F mismatches=M files_shared=N packed=P stale_catchup=ok|fail handoff=ok|fail apps=... times:...
# (packed: shared files that are small files, packed at page granularity by the master; the
# client's fsck -j must count small-file units, and they verify like the rest)
set -uo pipefail
ROLE=client
SHARE=$1
. "$(dirname "$0")/mh-common.sh"
. "$REPO/tests/vm/mh-handoff.sh"
. "$REPO/tests/vm/mh-apps.sh"
STALE=fail
HANDOFF=fail
SHARED=0
PACKED=0
APPS_RUN=

verdict() {
	echo "multihost-client: failed=$fails mismatches=$MISMATCHES files_shared=$SHARED packed=$PACKED stale_catchup=$STALE handoff=$HANDOFF apps=${APPS_RUN#,} times:$TIMES"
}

refused() { # refused DESC CMD...: CMD must fail, say "not the master", change nothing
	local desc=$1 before out rc
	shift
	before=$(log_sum)
	out=$("$@" 2>&1); rc=$?
	echo "  \$ famfsctl ${*:2}: exit $rc: $(grep -m1 'not the master' <<<"$out")"
	check "$desc is refused on a client" test "$rc" != 0
	check "$desc: the error says this host is not the master" grep -q "not the master of" <<<"$out"
	check "$desc: the log is unchanged" test "$(log_sum)" = "$before"
}

step "wait until the master has its device, then bring up $DEV_WHAT here"
wait_for ns-ready
DEV=$(mh_device) || abort "device setup failed"
wait_for fs-v1
phase_done setup

step "mount the master's file system: this host plays the log as a client"
mkdir -p "$MPT"
ctl mount "$DEV" "$MPT" || abort "mount failed"
ME=$(cat "$FAMFS_SYSTEM_UUID_PATH")
echo "client system UUID $ME, master $(cat "$SHARE/master-uuid")"
check "client and master have different identities" test "$ME" != "$(cat "$SHARE/master-uuid")"
check "round 1 files read back right (read and mmap)" verify_manifest "round 1" "$SHARE/manifest-v1"
SHARED=$(wc -l < "$SHARE/manifest-v1")
PACKED=$(cd "$MPT" && cut -c67- "$SHARE/manifest-v1" | xargs -d '\n' stat -c %s | awk '$1 <= 2093056' | wc -l)
check "the client's view counts small-file units" \
	test "$("$FAMFSCTL" fsck -j "$MPT" | jq -r .space.small.units)" -ge 1

step "roles: every log change is refused here"
refused "cp" ctl cp /etc/hostname "$MPT/hostname"
refused "creat" ctl creat -s 2M "$MPT/new.bin"
refused "mkdir" ctl mkdir "$MPT/newdir"
check "nothing was made" test ! -e "$MPT/hostname" -a ! -e "$MPT/new.bin" -a ! -e "$MPT/newdir"
check "a file logged read-only is 0444 here" test "$(stat -c %a "$MPT/owned/ro")" = 444
check "a file logged writable-on-all-hosts keeps 0644" test "$(stat -c %a "$MPT/owned/rw")" = 644
check "its owner (nobody) cannot write the read-only one here" \
	setpriv --reuid=65534 --regid=65534 --clear-groups test ! -w "$MPT/owned/ro"
check "its owner (nobody) can write the writable one" \
	setpriv --reuid=65534 --regid=65534 --clear-groups test -w "$MPT/owned/rw"
check "even root cannot write the read-only one here (famfs_bpf.ko refuses: EPERM)" \
	bash -c "! dd if=/dev/zero of='$MPT/owned/ro' bs=4k count=1 conv=notrunc 2>/tmp/ro.err && grep -q 'Operation not permitted' /tmp/ro.err"
check "nor map it shared and writable, even as root (EPERM)" /usr/bin/python3 -c "
import errno, mmap, os, sys
fd = os.open('$MPT/owned/ro', os.O_RDWR)  # root may open a 0444 file for writing
try:
    mmap.mmap(fd, 4096, mmap.MAP_SHARED, mmap.PROT_READ | mmap.PROT_WRITE)
except OSError as e:
    sys.exit(0 if e.errno == errno.EPERM else 1)
sys.exit(1)"
check "getmap says read-only on this host" bash -c "'$FAMFSCTL' getmap -j '$MPT/owned/ro' | jq -e .readonly >/dev/null"
ls -l "$MPT" "$MPT/owned" "$MPT/handoff"
mark c-mounted
phase_done roles

step "stale client: the master adds files; they appear only after load-maps"
wait_for fs-v2
f0=$fails
JUNK=$(marker fs-v2)
find "$MPT" -path "$MPT/.meta" -prune -o -type f -printf '%i %p\n' | sort > /tmp/inodes.before
check "new files are not visible before load-maps" test ! -e "$MPT/late.bin" -a ! -e "$MPT/Europe"
check "a stale view still reads every file it knows right" verify_manifest "stale view" "$SHARE/manifest-v1"
NEW=$(wc -l < "$SHARE/manifest-v2")
out=$(ctl logplay -n "$MPT") || fail "logplay -n"
echo "$out"
check "logplay -n counts the $NEW new files and adds nothing" \
	bash -c "grep -q 'files to add $NEW ' <<<'$out' && test ! -e '$MPT/late.bin'"
out=$(ctl load-maps "$MPT") || fail "load-maps"
echo "$out"
check "load-maps: $JUNK entries (the unpublished junk slot is ignored), $NEW files added" \
	grep -q "log entries $JUNK; files added $NEW " <<<"$out"
check "round 2 files read back right" verify_manifest "round 2" "$SHARE/manifest-v2"
find "$MPT" -path "$MPT/.meta" -prune -o -type f -printf '%i %p\n' | sort > /tmp/inodes.after
check "files it already had are untouched (same inodes)" \
	bash -c "comm -23 /tmp/inodes.before /tmp/inodes.after | grep -c . | grep -qx 0"
out=$(ctl load-maps "$MPT") || fail "second load-maps"
check "a second load-maps adds nothing" grep -q 'files added 0 ' <<<"$out"
[ "$fails" = "$f0" ] && STALE=ok
SHARED=$((SHARED + NEW))
mark c-caughtup
phase_done stale

step "a published entry with a bad CRC is reported (after one invalidate-and-retry), not used"
wait_for crc-bad
BAD=$(marker crc-bad)
out=$(ctl logplay -n "$MPT" 2>&1); rc=$?
echo "$out" | grep -m1 "log entry"
check "logplay fails on entry $BAD, naming it" \
	bash -c "[ $rc != 0 ] && grep -q 'log entry $BAD: bad' <<<'$out'"
mark c-crc-seen
wait_for crc-restored
out=$(ctl load-maps "$MPT") || fail "load-maps after the repair"
check "after the master's repair load-maps works and adds nothing" grep -q 'files added 0 ' <<<"$out"
phase_done crc

step "hand-off: wait for seq=1 in the ticket (famfs memory), verify, answer, seq=2"
check "the ticket is writable here (logged writable on all hosts)" test -w "$MPT/handoff/ticket"
if T=$(ticket_wait "$MPT/handoff/ticket" 1 "$WAIT_S"); then
	echo "ticket: $T"
	LEN=$(ticket_field "$T" len)
	ctl flush -v -i "$MPT/handoff/data"
	SUM=$(head -c "$LEN" "$MPT/handoff/data" | sha256sum | cut -d' ' -f1)
	if [ "$SUM" = "$(ticket_field "$T" sha256)" ]; then
		echo "ok: the data set ($LEN bytes) has the sha256 the master announced"
		printf 'carriers=%s sha256=%s\n' "$(dataset_answer "$MPT/handoff/data" "$LEN")" "$SUM" |
			dd of="$MPT/handoff/answer" conv=notrunc status=none
		ctl flush -v -w "$MPT/handoff/answer"
		ticket_write "$MPT/handoff/ticket" "seq=2 answer=ok" && HANDOFF=ok
	else
		fail "hand-off data: sha256 $SUM, the ticket says $(ticket_field "$T" sha256)"
		MISMATCHES=$((MISMATCHES + 1))
		ticket_write "$MPT/handoff/ticket" "seq=2 answer=bad-data"
	fi
else
	fail "no seq=1 from the master"
fi
phase_done handoff

step "apps on the master's data: sqlite3, db_bench (mmap, read-only), DuckDB"
wait_for apps-ready
ctl load-maps "$MPT" || fail "load-maps for apps"
ls -l "$MPT/apps" "$MPT/apps/rocksdb"
sqlite_answers "$MPT/apps/flights.db" > "$SHARE/sqlite.client" && APPS_RUN+=",sqlite"
rocks_answers "$MPT/apps/rocksdb" > "$SHARE/rocksdb.client" && APPS_RUN+=",rocksdb"
wait_for apps-answered	# the master's answers, made beside these
for app in sqlite rocksdb; do
	check "$app answers on the client hold the known facts" answers_ok $app "$SHARE/$app.client"
	check "$app: the client's answers equal the master's" cmp "$SHARE/$app.master" "$SHARE/$app.client" ||
		MISMATCHES=$((MISMATCHES + 1))
done
mark duck-client
wait_for duck-master
mark duck-start-client
duck_answers "$MPT/apps/flights.parquet" > "$SHARE/duckdb.client" && APPS_RUN+=",duckdb"
mark duck-end-client
wait_for duck-master-done
check "duckdb: the client's answers equal the master's (both ran at once)" \
	cmp "$SHARE/duckdb.master" "$SHARE/duckdb.client" || MISMATCHES=$((MISMATCHES + 1))
check "duckdb answers hold the known flight count" answers_ok duckdb "$SHARE/duckdb.client"
phase_done apps

step "isolation on the client: A's mapping reaches A's memory only"
check "isolation (client)" $PY "$REPO/tests/vm/isolation.py" "$FAMFSCTL" "$MPT/iso/A" "$MPT/iso/B"
check "verify A (seed 11)" ctl verify -S 11 -f "$MPT/iso/A"
check "verify B (seed 12)" ctl verify -S 12 -f "$MPT/iso/B"
check "final fsck (read-only, on the client)" ctl fsck "$MPT"
ctl umount "$MPT" || fail "umount"
phase_done isolation
mark c-done
verdict
[ "$fails" = 0 ] && [ "$MISMATCHES" = 0 ]
