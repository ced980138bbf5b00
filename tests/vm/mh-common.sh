# SPDX-License-Identifier: Apache-2.0
# mh-common.sh - sourced INSIDE each guest of the two-host test (mh-master.sh, mh-client.sh):
# paths, check counting, the famfsctl wrapper, and the markers the two guests coordinate
# through. Markers are files in $SHARE, a host directory both guests mount read-write
# (virtme-ng --rwdir); they only say "I reached step X". Shared data and the hand-off
# ticket live in famfs itself.
#
# FAMFS_DEMO=1 (set when $SHARE/demo exists) shows each famfsctl command as typed.

exec 2>&1	# the guest's stderr does not reliably reach the console: messages go with stdout
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
FAMFSCTL="$REPO/build/famfsctl"
PY=/usr/bin/python3			# Debian's python: scripts/setup.sh installs duckdb there
MMAP_SHA="$PY $REPO/tests/vm/mmap_sha256.py"
MPT=/tmp/famfs				# guest /tmp is private to each guest
export FAMFS_SYSTEM_UUID_PATH=/tmp/famfs-host/system_uuid	# one identity per guest
WAIT_S=${FAMFS_MH_WAIT:-900}		# bound on any wait for the other guest
[ -e "$SHARE/demo" ] && export FAMFS_DEMO=1	# multihost-run.sh under make demo

# mh_device: this guest's device path: an fsdax pmem namespace (guest-dev.sh), or with
# FAMFS_DEVKIND=cxl (7.3, both guests on one CXL backing file) the CXL memory region in
# devdax mode (guest-cxl.sh; famfsctl mount puts it in famfs mode)
DEVKIND=${FAMFS_DEVKIND:-pmem}
# what mh_device brings up, for the step headings
if [ "$DEVKIND" = cxl ]; then DEV_WHAT="a CXL memory region (on the shared backing file)"
else DEV_WHAT="an fsdax namespace (on the shared backing file)"; fi
mh_device() {
	if [ "$DEVKIND" = cxl ]; then
		bash "$REPO/tests/vm/guest-cxl.sh" | head -n1
	else
		bash "$REPO/tests/vm/guest-dev.sh"
	fi
}

fails=0
MISMATCHES=0
T0=$(date +%s)
TIMES=

. "$REPO/tests/vm/guest-step.sh"	# step TEXT: a timed heading
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
check() { # check DESC CMD...: run CMD, count a failure (and return 1) if it fails
	local d=$1; shift
	if "$@"; then echo "ok: $d"; return 0; fi
	fail "$d"
	return 1
}
ctl() { # famfsctl, shown as a user would type it in demo mode
	[ "${FAMFS_DEMO:-0}" = 1 ] && echo "\$ famfsctl $*" >&2
	"$FAMFSCTL" "$@"
}
phase_done() { # phase_done NAME: record how long the phase took
	local now
	now=$(date +%s)
	TIMES+=" $1=$((now - T0))s"
	echo "phase $1 took $((now - T0)) s"
	T0=$now
}

# ---- markers ---------------------------------------------------------------------------
mark() { # mark NAME [TEXT]: publish a marker (written whole, then renamed into place)
	printf '%s\n' "${2:-}" > "$SHARE/.$1.$ROLE.tmp" && mv "$SHARE/.$1.$ROLE.tmp" "$SHARE/$1"
}
abort() { # abort WHY: tell the other guest to stop waiting, print the verdict, exit
	fail "$*"
	mark "abort-$ROLE" "$*"
	verdict
	exit 1
}
wait_for() { # wait_for NAME [SECS]: until marker NAME exists; abort on timeout or peer abort
	local name=$1 secs=${2:-$WAIT_S} i
	for ((i = 0; i < secs * 2; i++)); do
		[ -e "$SHARE/$name" ] && return 0
		if ls "$SHARE"/abort-* >/dev/null 2>&1; then
			abort "waiting for '$name': the other side gave up: $(cat "$SHARE"/abort-* | head -n1)"
		fi
		sleep 0.5
	done
	abort "timed out after ${secs}s waiting for '$name'"
}
marker() { cat "$SHARE/$1"; }

# ---- data checks -----------------------------------------------------------------------
manifest() { # manifest DIR...: "sha256  path" of every file under DIR..., relative to $MPT
	( cd "$MPT" && find "$@" -type f | LC_ALL=C sort | xargs -d '\n' sha256sum )
}
verify_manifest() { # verify_manifest LABEL FILE: read() and mmap sha256 vs the manifest
	local label=$1 list=$2 bad_r bad_m
	bad_r=$( (cd "$MPT" && sha256sum -c --quiet "$list") 2>&1 | grep -c FAILED)
	bad_m=$(diff <(sort -k2 "$list") <(cd "$MPT" && $MMAP_SHA $(cut -c67- "$list") | sort -k2) | grep -c '^>')
	echo "$label: $(wc -l < "$list") files: read() mismatches $bad_r, mmap mismatches $bad_m"
	MISMATCHES=$((MISMATCHES + bad_r + bad_m))
	[ "$bad_r" = 0 ] && [ "$bad_m" = 0 ]
}
log_sum() { sha256sum "$MPT/.meta/.log" | cut -d' ' -f1; }
next_index() { od -An -t u8 -j 32 -N 8 "$MPT/.meta/.log" | tr -d ' '; }	# lh_next_index
