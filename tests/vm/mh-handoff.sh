# SPDX-License-Identifier: Apache-2.0
# mh-handoff.sh - sourced by the two-host test: serial sharing through famfs memory. The
# ticket is a famfs file writable on all hosts; its first line is "seq=N ...". The rule
# (docs/sharing.md): the writer writes the data, flushes it, then writes and flushes the
# ticket; the reader flushes (invalidates) the ticket before each look, and the data after
# it saw the ticket advance, before reading.

TICKET_LEN=512

ticket_read() { # ticket_read FILE: the ticket's line, from memory (caches invalidated)
	"$FAMFSCTL" flush -i "$1" || return 1
	head -c $TICKET_LEN "$1" | tr -d '\0' | head -n1 | sed 's/ *$//'
}

ticket_write() { # ticket_write FILE TEXT: publish TEXT (one line), written back
	printf '%-*s\n' $((TICKET_LEN - 1)) "$2" |
		dd of="$1" bs=$TICKET_LEN count=1 conv=notrunc status=none || return 1
	ctl flush -w "$1"
}

ticket_wait() { # ticket_wait FILE SEQ SECS: until the ticket says seq=SEQ; prints it
	local t i
	for ((i = 0; i < $3 * 2; i++)); do
		t=$(ticket_read "$1") || return 1
		if [[ "$t" == "seq=$2" || "$t" == "seq=$2 "* ]]; then
			echo "$t"
			return 0
		fi
		sleep 0.5
	done
	echo "timed out after $3 s waiting for seq=$2 in $1 (last: '$t')" >&2
	return 1
}

ticket_field() { # ticket_field LINE NAME: the value of NAME=... in a ticket line
	tr ' ' '\n' <<<"$1" | sed -n "s/^$2=//p"
}

dataset_answer() { # dataset_answer FILE LEN: what the reader computes from the data set
	head -c "$2" "$1" | awk -F, 'NR > 1 { n[$10]++ } END { for (c in n) print c, n[c] }' |
		LC_ALL=C sort | sha256sum | cut -d' ' -f1
}
