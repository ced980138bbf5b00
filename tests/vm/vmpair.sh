# SPDX-License-Identifier: Apache-2.0
# vmpair.sh - sourced (after vmlib.sh) by the harnesses that boot two guests at once on one
# fabric-memory backing file: multihost-run.sh, delete-run.sh, cxl-share-run.sh. Each guest
# runs in its own process group with one vCPU, its console in WORK/ROLE.log (shown live
# here, each line prefixed "[ROLE] "), its exit status in WORK/ROLE.rc; both mount WORK/share
# read-write (virtme-ng --rwdir), where the guest scripts leave their markers.
declare -A pair_pid=() pair_rc=()
pair_tails=()
pair_t0=$(date +%s)
pair_secs=0

# pair_start WORK QEMU_OPTS TIMEOUT ROLE NAME CMD: boot guest ROLE (virtme-ng --name NAME)
# running `bash CMD`, for at most TIMEOUT seconds.
pair_start() {
	local work=$1 opts=$2 tmo=$3 role=$4 name=$5 cmd=$6
	: > "$work/$role.log"
	set -m
	( trap - EXIT
	  r=0
	  VM_BG=1 vm_boot "$tmo" "$opts" 1 "$cmd" --rwdir="$work/share" --name "$name" \
		> "$work/$role.log" 2>&1 || r=$?
	  echo $r > "$work/$role.rc" ) &
	pair_pid[$role]=$!
	set +m
	tail -n +1 -F "$work/$role.log" 2>/dev/null | sed -u "s/^/[$role] /" &
	pair_tails+=($!)
}

# field LINE KEY: the value of KEY=VALUE in a verdict LINE
field() { tr ' ' '\n' <<<"$1" | sed -n "s/^$2=//p" | head -n1; }

# pair_verdict WORK PREFIX ROLE: ROLE's last verdict line, "PREFIX-ROLE: ..." ("" if none)
pair_verdict() { grep -a "^$2-$3: " "$1/$3.log" | tail -n1 || true; }

# pair_ok WORK PREFIX ROLE: ROLE exited 0 with a verdict line saying failed=0 mismatches=0
pair_ok() {
	local v
	v=$(pair_verdict "$1" "$2" "$3")
	[ "${pair_rc[$3]:-1}" = 0 ] && [ -n "$v" ] && [ "$(field "$v" failed)" = 0 ] &&
		[ "$(field "$v" mismatches)" = 0 ]
}

# pair_wait WORK PREFIX HARNESS: wait until the master and the client have both ended; when
# one ends badly, tell the other (WORK/share/abort-harness) to stop waiting for it. Sets
# pair_secs, the seconds since vmpair.sh was sourced.
pair_wait() {
	local work=$1 prefix=$2 me=$3 r ended=0
	while [ "$ended" -lt 2 ]; do
		for r in master client; do
			[ -n "${pair_rc[$r]:-}" ] || [ ! -s "$work/$r.rc" ] && continue
			pair_rc[$r]=$(cat "$work/$r.rc")
			ended=$((ended + 1))
			echo "$me: $r guest exited ${pair_rc[$r]} after $(( $(date +%s) - pair_t0 ))s"
			pair_ok "$work" "$prefix" "$r" || echo "$r ended badly" > "$work/share/abort-harness"
			unset "pair_pid[$r]"
		done
		sleep 1
	done
	sleep 1	# let the live view print the last lines
	pair_secs=$(( $(date +%s) - pair_t0 ))
}

# pair_cleanup: stop what still runs (guests' process groups, the live views)
pair_cleanup() {
	local r
	for r in "${pair_pid[@]}"; do kill -- -"$r" 2>/dev/null || true; done
	for r in "${pair_tails[@]}"; do kill "$r" 2>/dev/null || true; done
}
