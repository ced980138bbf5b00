#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# dl-master.sh SHARE - the master guest of the delete test (delete-run.sh). Makes files,
# deletes one while the client (dl-client.sh) holds it mapped and its follow is paused, and
# checks that no allocation reuses the space until the client has applied the delete, and
# that one does right after; then a ghost client (registered, then stale: a host that
# stopped without unmounting) blocks reuse until it catches up, and again until evicted;
# a client that unmounted blocks nothing. Last line:
#   delete-master: failed=F mismatches=M deleted=N early_reuse=E reused_after_ack=yes|no evict=ok|fail times:...
set -uo pipefail
ROLE=master
SHARE=$1
. "$(dirname "$0")/mh-common.sh"
. "$REPO/tests/vm/dl-common.sh"
DELETED=0
EARLY=0
REUSED=no
EVICT=fail
J=/tmp/maps
mkdir -p $J

verdict() {
	echo "delete-master: failed=$fails mismatches=$MISMATCHES deleted=$DELETED early_reuse=$EARLY reused_after_ack=$REUSED evict=$EVICT times:$TIMES"
}

new_file() { # new_file NAME SIZE SEED: creat it, save its getmap -j to $J/NAME.json
	ctl creat -s "$2" -S "$3" "$MPT/$1" || { fail "creat $1"; return 1; }
	ctl getmap -j "$MPT/$1" > "$J/$1.json" || fail "getmap $1"
}
rm_file() { # rm_file NAME: delete it, count it; the DELETE's log index in $LASTDEL
	LASTDEL=$(next_index)
	ctl rm -v "$MPT/$1" || { fail "rm $1"; return 1; }
	DELETED=$((DELETED + 1))
	check "rm $1: its name is gone on the master" test ! -e "$MPT/$1"
}
must_not_reuse() { # must_not_reuse OLD NEW: NEW's space shares nothing with deleted OLD's
	if overlaps "$J/$1.json" "$J/$2.json"; then
		EARLY=$((EARLY + 1))
		fail "$2 reuses the space of $1 before every client applied its delete"
	else
		echo "ok: $2 does not reuse the space of deleted $1 (a client has not applied the delete)"
	fi
}
wait_applied() { # wait_applied UUID INDEX: until UUID's slot has applied past INDEX
	local i a
	for ((i = 0; i < 120; i++)); do
		a=$(applied_of "$1")
		[ -n "$a" ] && [ "$a" -gt "$2" ] && return 0
		sleep 0.5
	done
	fail "client $1 did not apply entry $2 (applied '${a:-}')"
	return 1
}

step "device, mkfs, mount"
DEV=$(bash "$REPO/tests/vm/guest-dev.sh") || abort "device setup failed"
mark ns-ready
ctl mkfs -f "$DEV" || abort "mkfs failed"
mkdir -p "$MPT"
ctl mount "$DEV" "$MPT" || abort "mount failed"
cat "$FAMFS_SYSTEM_UUID_PATH" > "$SHARE/master-uuid"
new_file keep 8M 1; new_file victim 16M 2; new_file v2 6M 4; new_file v3 6M 5
sha256sum "$MPT/victim" | cut -d' ' -f1 > "$SHARE/victim.sha"
check "fsck clean, nothing pending" test "$(fsck_field pending_reclaim)" = 0
mark fs-v1 "$(next_index)"
phase_done setup

step "the client maps victim and pauses its follow; then delete victim here"
wait_for c-reading
CLIENT=$(marker c-reading)
check "the client table lists both hosts" test "$(nclients)" = 2
ctl clients "$MPT"
rm_file victim
DEL=$LASTDEL
echo "victim deleted by log entry $DEL"
check "fsck: clean, victim's 16 MiB pending reclaim" test "$(fsck_field pending_reclaim)" = 16777216
new_file new1 16M 3
must_not_reuse victim new1
mark m-new1 "$DEL"
phase_done delete

step "the client applies the delete (SIGBUS there); the next allocation reuses the space"
wait_for c-applied
check "the client's slot says it applied the delete" test "$(applied_of "$CLIENT")" -gt "$DEL"
new_file new2 16M 6
if overlaps "$J/victim.json" "$J/new2.json"; then
	REUSED=yes
	echo "ok: new2 reuses the space of victim once every client applied its delete"
else
	fail "new2 does not reuse victim's space after the client applied the delete"
fi
check "new2 reads back its own seed on the master" ctl verify -S 6 -f "$MPT/new2"
check "fsck clean, nothing pending" test "$(fsck_field pending_reclaim)" = 0
check "fsck: no early reuse" test "$(fsck_field early_reuse)" = 0
mark m-new2
phase_done reuse

step "a ghost client (registered, then stale) blocks reuse until it catches up"
wait_for c-ghost
GHOST=$(marker c-ghost)
rm_file v2
D2=$LASTDEL
new_file x 6M 7
must_not_reuse v2 x
mark m-x
wait_for c-ghost-caughtup
wait_applied "$CLIENT" "$D2"
new_file y 6M 8
overlaps "$J/v2.json" "$J/y.json" || { REUSED=no; fail "y does not reuse v2's space after the ghost caught up"; }

step "... and again until the operator evicts it"
rm_file v3
D3=$LASTDEL
new_file z 6M 9
must_not_reuse v3 z
wait_applied "$CLIENT" "$D3"
new_file z2 6M 10
must_not_reuse v3 z2
check "clients --evict the ghost" ctl clients --evict "$GHOST" "$MPT"
check "the ghost left the table" test -z "$(applied_of "$GHOST")"
new_file w 6M 11
if overlaps "$J/v3.json" "$J/w.json"; then
	EVICT=ok
	echo "ok: w reuses v3's space once the stale ghost was evicted"
else
	fail "w does not reuse v3's space after the eviction"
fi
mark m-evicted
phase_done ghost

step "a client that unmounted leaves the table and blocks nothing"
wait_for c-umounted
check "only the master is left in the table" test "$(nclients)" = 1
rm_file keep
new_file k2 8M 12
overlaps "$J/keep.json" "$J/k2.json" || { EVICT=fail; fail "k2 does not reuse keep's space with no other client"; }
check "final fsck clean" ctl fsck "$MPT"
check "fsck: no early reuse" test "$(fsck_field early_reuse)" = 0
check "fsck: $DELETED files deleted" test "$(fsck_field deleted)" = "$DELETED"
ctl umount "$MPT" || fail "umount"
phase_done umount
mark m-done
verdict
