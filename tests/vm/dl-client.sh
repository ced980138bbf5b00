#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# dl-client.sh SHARE - the client guest of the delete test (delete-run.sh). Mounts, follows
# the log (famfsctl follow), holds the master's file 'victim' mapped with a reader verifying
# every pass; pauses its follow while the master deletes victim (the reader must go on
# reading victim's own bytes: the delete is not applied here yet), resumes it (the next
# touch must be SIGBUS, an old fd gets EIO, the name is gone), reads the file that reuses
# the space by its own name; registers a ghost identity that goes stale; unmounts. Last line:
#   delete-client: failed=F mismatches=M revoked_on_apply=yes|no times:...
set -uo pipefail
ROLE=client
SHARE=$1
. "$(dirname "$0")/mh-common.sh"
. "$REPO/tests/vm/dl-common.sh"
REVOKED=no
FLOG=/tmp/follow.log
RSTAT=/tmp/reader.status
FPID=

verdict() {
	echo "delete-client: failed=$fails mismatches=$MISMATCHES revoked_on_apply=$REVOKED times:$TIMES"
}

count_passes() { local n; n=$(grep -c " $1 " "$RSTAT" 2>/dev/null); echo "${n:-0}"; }
good_passes() { count_passes ok; }
bad_passes() { count_passes bad; }
wait_passes() { # wait_passes N: until the reader has N good passes in all
	local i
	for ((i = 0; i < 240; i++)); do
		[ "$(good_passes)" -ge "$1" ] && return 0
		sleep 0.5
	done
	return 1
}
wait_file() { # wait_file PATH: until follow made it
	local i
	for ((i = 0; i < 120; i++)); do [ -e "$1" ] && return 0; sleep 0.5; done
	return 1
}

wait_grep() { # wait_grep RE FILE: until FILE has a line matching RE
	local i
	for ((i = 0; i < 40; i++)); do grep -q "$1" "$2" && return 0; sleep 0.5; done
	return 1
}
wait_caught_up() { # wait_caught_up: until follow has applied the whole log here
	local i a
	for ((i = 0; i < 120; i++)); do
		a=$(applied_of "$ME")
		[ -n "$a" ] && [ "$a" -ge "$(next_index)" ] && return 0
		sleep 0.5
	done
	return 1
}
wait_gone() { # wait_gone PATH: until follow removed it
	local i
	for ((i = 0; i < 120; i++)); do [ -e "$1" ] || return 0; sleep 0.5; done
	return 1
}

step "device, mount, follow the log"
wait_for ns-ready
DEV=$(bash "$REPO/tests/vm/guest-dev.sh") || abort "device setup failed"
wait_for fs-v1
mkdir -p "$MPT"
ctl mount "$DEV" "$MPT" || abort "mount failed"
ME=$(cat "$FAMFS_SYSTEM_UUID_PATH")
WANT=$(cat "$SHARE/victim.sha")
check "victim reads back right here (read)" test "$(sha256sum < "$MPT/victim" | cut -d' ' -f1)" = "$WANT"
check "status: this host has applied the log" ctl status "$MPT"
# famfsctl itself (not the ctl function) so that $FPID is the follow process
"$FAMFSCTL" follow -i 500 "$MPT" > >(while IFS= read -r l; do echo "$(date +%s.%N) $l"; done >> "$FLOG") 2>&1 &
FPID=$!
phase_done setup

step "hold victim mapped (reader verifying every pass) and open; pause follow"
exec 7< "$MPT/victim"
$PY "$REPO/tests/vm/dl_reader.py" "$MPT/victim" "$WANT" "$RSTAT" &
RPID=$!
wait_passes 2 || abort "the reader made no passes"
kill -STOP "$FPID"
mark c-reading "$ME"
wait_for m-new1
DEL=$(marker m-new1)
N0=$(good_passes)
check "the delete is logged, not applied here: the reader keeps reading victim's bytes" \
	wait_passes $((N0 + 3))
check "... and victim's name is still here" test -e "$MPT/victim"
check "no bad pass before the delete is applied" test "$(bad_passes)" = 0
STALE_OK=$?
check "status: not applied here yet" test "$(applied_of "$ME")" -le "$DEL"
phase_done stale

step "resume follow: it applies the delete; the reader's next touch is SIGBUS"
T_CONT=$(date +%s.%N)
kill -CONT "$FPID"
for ((i = 0; i < 240; i++)); do kill -0 "$RPID" 2>/dev/null || break; sleep 0.5; done
wait "$RPID"; RRC=$?
T_DEAD=$(date +%s.%N)
echo "reader exit $RRC after $(good_passes) good passes, $(bad_passes) bad ($T_CONT -> $T_DEAD)"
tail -n 5 "$FLOG"
check "the reader died of SIGBUS (exit 135)" test "$RRC" = 135
SIGBUS_OK=$?
check "every pass it made read victim's own bytes" test "$(bad_passes)" = 0
MISMATCHES=$((MISMATCHES + $(bad_passes)))
check "follow logged the delete with the revocation" wait_grep "delete $MPT/victim .*mappings revoked" "$FLOG"
check "victim's name is gone here" test ! -e "$MPT/victim"
out=$(head -c 4096 <&7 2>&1 >/dev/null); rc=$?
echo "read() on the fd opened before the delete: exit $rc: $out"
check "read() on the old fd fails with EIO" grep -q "Input/output error" <<<"$out"
EIO_OK=$?
exec 7<&-
check "status: the delete is applied here" test "$(applied_of "$ME")" -gt "$DEL"
[ "$SIGBUS_OK" = 0 ] && [ "$STALE_OK" = 0 ] && [ "$EIO_OK" = 0 ] && REVOKED=yes
mark c-applied
phase_done apply

step "the file reusing victim's space: right bytes by its own name, none through victim's"
wait_for m-new2
check "follow made new2" wait_file "$MPT/new2"
check "new2 reads back its own seed here" ctl verify -S 6 -f "$MPT/new2" ||
	MISMATCHES=$((MISMATCHES + 1))
check "victim is still gone" test ! -e "$MPT/victim"
ctl clients "$MPT"

step "a ghost client: another identity registers on this mount, then goes stale"
mkdir -p /tmp/ghost
GH=/tmp/ghost/system_uuid
check "follow caught up" wait_caught_up
FAMFS_SYSTEM_UUID_PATH=$GH "$FAMFSCTL" load-maps "$MPT" > /dev/null || fail "ghost load-maps"
mark c-ghost "$(cat $GH)"
wait_for m-x
# follow applies the same entries on this mount: let it finish first (two replays of one
# mount at once may both try to make a new file)
check "follow made x" wait_file "$MPT/x"
check "follow removed v2" wait_gone "$MPT/v2"
check "follow caught up" wait_caught_up
FAMFS_SYSTEM_UUID_PATH=$GH "$FAMFSCTL" load-maps "$MPT" > /dev/null || fail "ghost catch-up"
mark c-ghost-caughtup
wait_for m-evicted
phase_done ghost

step "stop following and unmount: this host leaves the client table"
kill "$FPID"; wait "$FPID" 2>/dev/null
check "follow logged what it applied" grep -q "applied entries" "$FLOG"
ctl umount "$MPT" || fail "umount"
mark c-umounted
wait_for m-done
phase_done umount
verdict
