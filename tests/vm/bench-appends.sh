#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# bench-appends.sh - runs INSIDE a guest started by tests/bench/appends-run.sh (QEMU with the
# instruction-counting plugin): what famfsctl cp -r of many one-line files
# costs. On a fresh file system each time: cp -r of 1,000 files (marks 1-2), of 8,000 files
# (marks 3-4), and of more files than the default log has slots (marks 5-6: cp stops at
# "log full", every slot used). After each of the first two copies, the metadata phases of
# make bench on that file system: umount and mount (replay and load-maps; marks 11-12 at
# 1,000 files, 21-22 at 8,000), load-maps again on the mounted client (13-14, 23-24), fsck
# (15-16, 25-26). Files sit 100 to a directory. Prints the wall time of each phase; checks
# the copies (count, bytes of a sample, fsck clean) and the mounts. Last line:
#   bench-appends: small=N large=N log_used=N log_slots=N full_rc=1 bad=0
set -uo pipefail
REPO=$(cd "$(dirname "$0")/../.." && pwd)
FAMFSCTL="$REPO/build/famfsctl"
MARK="$REPO/build/tests/mark"
MPT=/tmp/famfs
SRC=/tmp/bench-src
export FAMFS_SYSTEM_UUID_PATH=/tmp/famfs-host/system_uuid
bad=0
fail() { echo "FAIL: $*"; bad=$((bad + 1)); }
ctl() { "$FAMFSCTL" "$@"; }
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

tree() { # tree DIR N: N one-line files, 100 to a subdirectory
	local dir=$1 n=$2 i
	for ((i = 0; i < n; i++)); do
		((i % 100)) || mkdir -p "$dir/d$((i / 100))"
		echo "file $i of $n" > "$dir/d$((i / 100))/f$i"
	done
}
meta() { # meta N MARK: the metadata phases on the N files in $MPT, marks MARK+1 .. MARK+6
	local n=$1 m=$2 t0
	ctl umount "$MPT" || { fail "umount before mount of $n files"; return; }
	t0=$(now)
	"$MARK" $((m + 1)); ctl mount "$DEV" "$MPT" >/dev/null; local rc=$?; "$MARK" $((m + 2))
	echo "wall mount of $n files: $(secs "$t0" "$(now)") s"
	[ "$rc" = 0 ] || { fail "mount of $n files"; return; }
	t0=$(now)
	"$MARK" $((m + 3)); ctl load-maps "$MPT" >/dev/null; rc=$?; "$MARK" $((m + 4))
	echo "wall load-maps of $n files: $(secs "$t0" "$(now)") s"
	[ "$rc" = 0 ] || fail "load-maps of $n files"
	t0=$(now)
	"$MARK" $((m + 5)); ctl fsck "$MPT" >/dev/null; rc=$?; "$MARK" $((m + 6))
	echo "wall fsck of $n files: $(secs "$t0" "$(now)") s"
	[ "$rc" = 0 ] || fail "fsck of $n files"
	[ "$(ctl stats -j "$MPT" | jq .files_bound)" -ge "$n" ] || fail "after the mount of $n files: fewer bound"
}
fresh() { # a new, empty file system mounted at $MPT
	mountpoint -q "$MPT" && { ctl umount "$MPT" || return 1; }
	ctl mkfs -f "$DEV" >/dev/null && ctl mount "$DEV" "$MPT" >/dev/null
}
fsck_field() { ctl fsck -j "$MPT" | python3 -c "import json,sys; print(json.load(sys.stdin)['space']['$1'])"; }
copied() { # copied N DIR: N files in the mount, a sample's bytes right
	local n=$1 name=$2 got
	got=$(find "$MPT/$name" -type f | wc -l)
	[ "$got" = "$n" ] || fail "$name: $got files in the mount, want $n"
	cmp -s "$SRC/$name/d0/f0" "$MPT/$name/d0/f0" || fail "$name/d0/f0 differs"
	cmp -s "$SRC/$name/d$(((n - 1) / 100))/f$((n - 1))" \
	       "$MPT/$name/d$(((n - 1) / 100))/f$((n - 1))" || fail "$name: last file differs"
	ctl fsck "$MPT" >/dev/null || fail "fsck after $name"
	echo "$got"
}
phase() { # phase NAME MARK_A MARK_B: cp -r $SRC/NAME into $MPT between two markers
	local name=$1 t0 t1 rc
	t0=$(now)
	"$MARK" "$2"
	ctl cp -r "$SRC/$name" "$MPT/" > "/tmp/cp-$name.out" 2> "/tmp/cp-$name.err"
	rc=$?
	"$MARK" "$3"
	t1=$(now)
	echo "wall $name: $(secs "$t0" "$t1") s (exit $rc): $(tail -n1 "/tmp/cp-$name.out")"
	return $rc
}

[ -x "$MARK" ] || { echo "bench-appends: no $MARK (make bench-appends builds it)"; exit 1; }
DEV=$(bash "$REPO/tests/vm/guest-dev.sh") || { echo "bench-appends: device setup failed"; exit 1; }
mkdir -p "$MPT" "$SRC"
t0=$(now)
tree "$SRC/k1" 1000
tree "$SRC/k8" 8000
tree "$SRC/full" 8300
echo "source trees made in $(secs "$t0" "$(now)") s"

fresh || { echo "bench-appends: mkfs/mount failed"; exit 1; }
phase k1 1 2 || fail "cp -r of 1,000 files"
n1=$(copied 1000 k1)
meta 1000 10

fresh || fail "mkfs/mount"
phase k8 3 4 || fail "cp -r of 8,000 files"
n8=$(copied 8000 k8)
meta 8000 20

fresh || fail "mkfs/mount"
phase full 5 6
full_rc=$?
grep -q "log full" "/tmp/cp-full.err" || fail "cp past the end of the log did not say 'log full'"
used=$(fsck_field log_slots_used)
slots=$(fsck_field log_slots)
[ "$used" = "$slots" ] || fail "log: $used of $slots slots used after cp stopped at log full"
ctl fsck "$MPT" >/dev/null || fail "fsck of the full log"
echo "full log: $used of $slots slots used; cp said: $(grep -m1 'log full' /tmp/cp-full.err)"
[ "$full_rc" = 1 ] || fail "cp past the end of the log: exit $full_rc, want 1"
ctl umount "$MPT"
echo "bench-appends: small=$n1 large=$n8 log_used=$used log_slots=$slots full_rc=$full_rc bad=$bad"
[ "$bad" = 0 ]
