#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# smallfiles.sh - runs INSIDE a guest (tests/vm/run.sh smallfiles): small files packed at page
# granularity (OMF 1.2, issue 12) while large files keep their 2 MiB extents and PMD faults.
#   1. cp -r /usr/share/zoneinfo: allocated space (fsck -j, before and after) at most 4x the
#      data; every file read back by read() and through a mapping, equal to the source, with
#      zeros past the end of each last page; TZDIR=... date answers as on the host
#   2. seeded small files side by side in one unit: every page of each (read() and mmap)
#      classified by its seeded fill against all the others (tests/vm/pageclass.c): only
#      its own bytes, zeros past its end, never a neighbour's
#   3. a 64 MiB file after them: 2 MiB-aligned extent, 32 PMD faults for 32 whole units;
#      O_DIRECT from its mapping into a loop device (get_user_pages on famfs pages); writes
#      through a shared mapping seen by read(), msync
#   (the fault path is the module's direct one, kmod/fault.c, unless direct_faults=0)
#   4. umount, mount again (a fresh replay): packed files still verify, fsck clean
# Last line, checked by the harness:
#   smallfiles: kernel=KVER device=pmem files=N data_bytes=D allocated_bytes=A foreign_pages=0 mismatches=0
set -uo pipefail
REPO=$(cd "$(dirname "$0")/../.." && pwd)
FAMFSCTL="$REPO/build/famfsctl"
PCLASS="$REPO/build/tests/pageclass"
MPT=/tmp/famfs
SRC_TZ=/usr/share/zoneinfo
ZONES="America/New_York Europe/Paris Asia/Tokyo Australia/Sydney"
WHEN=@1700000000
export FAMFS_SYSTEM_UUID_PATH=/tmp/famfs-host/system_uuid

fails=0 MISMATCHES=0 FOREIGN=0
. "$REPO/tests/vm/guest-step.sh"	# step TEXT: a timed heading
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
ctl() { echo "\$ famfsctl $*"; "$FAMFSCTL" "$@"; }
field() { sed -n "s/.*\<$1=\([0-9]*\).*/\1/p" <<<"$2"; }	# field NAME "k=v k=v"
space() { "$FAMFSCTL" fsck -j "$MPT" 2>/dev/null | jq -r ".space.$1"; }	# space FIELD (fsck -j)
stat_j() { "$FAMFSCTL" stats -j "$MPT" | jq -r ".$1"; }

step "device, mkfs, mount"
DEV=$(bash "$REPO/tests/vm/guest-dev.sh") || { echo "smallfiles: device setup failed"; exit 1; }
ctl mkfs -f "$DEV" >/dev/null || { echo "smallfiles: mkfs failed"; exit 1; }
mkdir -p "$MPT"
ctl mount "$DEV" "$MPT" || { echo "smallfiles: mount failed"; dmesg | tail; exit 1; }
dmesg -C

step "cp -r $SRC_TZ: space before and after"
used0=$(space used)
ctl cp -r "$SRC_TZ" "$MPT/" || fail "cp -r zoneinfo"
used1=$(space used)
mapfile -t FILES < <(cd "$MPT/zoneinfo" && find . -type f -printf '%P\n' | sort)
NFILES=${#FILES[@]}
DATA=$(cd "$MPT/zoneinfo" && find . -type f -printf '%s\n' | awk '{s += $1} END {print s + 0}')
ALLOC=$((used1 - used0))
UNITS_BEFORE=$((NFILES * (2 << 20)))	# what OMF 1.1 allocates: a 2 MiB unit per file
echo "files $NFILES, data $DATA bytes, allocated $ALLOC bytes ($(awk -v a="$ALLOC" -v d="$DATA" 'BEGIN {printf "%.2f", a / d}')x the data)"
echo "whole units per file (OMF 1.1) would take $UNITS_BEFORE bytes ($(awk -v a="$UNITS_BEFORE" -v d="$DATA" 'BEGIN {printf "%.0f", a / d}')x)"
"$FAMFSCTL" fsck -j "$MPT" | jq -c '.space | {small, large, metadata}'
[ "$NFILES" -ge 500 ] || fail "only $NFILES files copied"
[ "$ALLOC" -le $((4 * DATA)) ] || fail "allocated $ALLOC > 4 x data $DATA"

step "every file: read() and mmap equal to the source, zeros past its end"
same_all() { # same_all N: the first N files (all: 0) against the source; prints, returns bad
	local out
	out=$(cd "$MPT/zoneinfo" && printf '%s\n' "${FILES[@]}" | { [ "$1" = 0 ] && cat || head -n "$1"; } |
	      "$PCLASS" same - "$SRC_TZ")
	echo "$out" | tail -n 20
	bad=$(sed -n 's/^same: files=[0-9]* bad=\([0-9]*\)$/\1/p' <<<"$out")
	[ -n "$bad" ] || bad=1
}
same_all 0
echo "$NFILES files compared, $bad differ"
MISMATCHES=$((MISMATCHES + bad))
packed=$("$FAMFSCTL" getmap -j "$MPT/zoneinfo/Europe/Paris" | jq -r '.extents[0].offset')
echo "Europe/Paris: extent at device offset $packed ($(( packed % (2 << 20) )) into its unit)"

step "an unmodified app: TZDIR=$MPT/zoneinfo date"
for z in $ZONES; do
	want=$(TZDIR=$SRC_TZ TZ=$z date -d "$WHEN" '+%F %T %Z %z')
	got=$(TZDIR=$MPT/zoneinfo TZ=$z date -d "$WHEN" '+%F %T %Z %z')
	echo "  $z: famfs '$got' host '$want'"
	[ "$got" = "$want" ] || { fail "date in $z"; MISMATCHES=$((MISMATCHES + 1)); }
done

step "seeded small files side by side: every page classified against all the others"
SIZES=(1 100 4095 4096 4097 5000 12289 65536 300001 1048579 2093056)
PEERS=
ctl mkdir "$MPT/nb" || fail "mkdir nb"
for i in "${!SIZES[@]}"; do
	ctl creat -s "${SIZES[$i]}" -S $((100 + i)) "$MPT/nb/f$i" >/dev/null || fail "creat nb/f$i"
	PEERS+=" $((100 + i)):${SIZES[$i]}"
done
for i in "${!SIZES[@]}"; do
	others=$(tr ' ' '\n' <<<"$PEERS" | grep -v "^$((100 + i)):" | tr '\n' ' ')
	for how in read mmap; do
		out=$("$PCLASS" "$how" "$MPT/nb/f$i" $((100 + i)) $others)
		pages=$(field pages "$out") own=$(field own "$out") foreign=$(field foreign "$out")
		echo "  f$i (${SIZES[$i]} bytes) $how: $out"
		FOREIGN=$((FOREIGN + foreign))
		[ "$own" = "$pages" ] || { fail "f$i $how: $out"; MISMATCHES=$((MISMATCHES + 1)); }
	done
done
off0=$("$FAMFSCTL" getmap -j "$MPT/nb/f0" | jq -r '.extents[0].offset')
off1=$("$FAMFSCTL" getmap -j "$MPT/nb/f1" | jq -r '.extents[0].offset')
echo "nb/f0 at $off0, nb/f1 at $off1: $(( off1 - off0 )) bytes apart"
[ $((off1 - off0)) = 4096 ] || fail "neighbours are not packed page by page ($off0, $off1)"

step "a large file keeps its 2 MiB extent and PMD faults"
ctl creat -s 64M -S 7 "$MPT/large" >/dev/null || fail "creat large"
loff=$("$FAMFSCTL" getmap -j "$MPT/large" | jq -r '.extents[0].offset')
[ $((loff % (2 << 20))) = 0 ] || fail "large file extent at $loff: not 2 MiB aligned"
pmd0=$(stat_j pmd_faults)
out=$("$PCLASS" mmap "$MPT/large" 7); echo "  large mmap: $out"
pmd1=$(stat_j pmd_faults)
echo "  PMD faults for 64 MiB: $((pmd1 - pmd0))"
[ "$(field own "$out")" = 16384 ] || { fail "large: $out"; MISMATCHES=$((MISMATCHES + 1)); }
[ $((pmd1 - pmd0)) -ge 32 ] || fail "large file: $((pmd1 - pmd0)) PMD faults, want 32"

step "get_user_pages on a famfs mapping: O_DIRECT from it into a loop device"
modprobe loop 2>/dev/null
truncate -s 64M /tmp/gup.img
LOOP=$(timeout 60 losetup -f --show /tmp/gup.img) || fail "losetup"
echo "loop device $LOOP"
gup_failed() { fail "O_DIRECT write from a famfs mapping"; echo w > /proc/sysrq-trigger; dmesg | tail -n 60; }
timeout -s KILL 120 python3 - "$MPT/large" "$LOOP" <<'PY' || gup_failed
import mmap, os, sys
src = os.open(sys.argv[1], os.O_RDONLY)
mm = mmap.mmap(src, 0, mmap.MAP_SHARED, mmap.PROT_READ)
out = os.open(sys.argv[2], os.O_WRONLY | os.O_DIRECT)
mv, step = memoryview(mm), 1 << 20
for o in range(0, len(mm), step):	# write(2) straight from the mapping: the kernel pins its pages
    assert os.write(out, mv[o:o + step]) == step
os.fsync(out)
PY
timeout 60 losetup -d "$LOOP"
if cmp -s <(head -c 64M "$MPT/large") /tmp/gup.img; then echo "O_DIRECT copy equals the file"
else fail "O_DIRECT copy differs"; MISMATCHES=$((MISMATCHES + 1)); fi
rm -f /tmp/gup.img

step "writes through a shared mapping (PMD and PTE) are what read() sees; msync succeeds"
ctl creat -s $((3 << 20)) -S 9 "$MPT/rw" >/dev/null || fail "creat rw"
python3 - "$MPT/rw" <<'PY' || { fail "write through a mapping"; MISMATCHES=$((MISMATCHES + 1)); }
import mmap, os, sys
fd = os.open(sys.argv[1], os.O_RDWR)
mm = mmap.mmap(fd, 0, mmap.MAP_SHARED, mmap.PROT_READ | mmap.PROT_WRITE)
marks = {0: b"famfs-pmd", (2 << 20) + 4099: b"famfs-pte", (3 << 20) - 5: b"tail!"}
for off, data in marks.items():
    mm[off:off + len(data)] = data
mm.flush()					# msync: the direct path's fsync writes the range back
for off, data in marks.items():
    assert os.pread(fd, len(data), off) == data, off
print("mapped writes seen by read():", len(marks))
PY

step "umount, mount again (fresh replay), verify again, fsck"
ctl umount "$MPT" || fail "umount"
ctl mount "$DEV" "$MPT" || fail "second mount"
same_all 0
for i in "${!SIZES[@]}"; do
	out=$("$PCLASS" mmap "$MPT/nb/f$i" $((100 + i)))
	[ "$(field own "$out")" = "$(field pages "$out")" ] || bad=$((bad + 1))
done
echo "after remount: $bad differ"
MISMATCHES=$((MISMATCHES + bad))
ctl fsck "$MPT" || fail "fsck"
[ "$(space small.units)" -ge 1 ] || fail "no small-file units in fsck -j"
if dmesg | grep -E 'WARNING|BUG|Oops' ; then fail "kernel warnings"; fi
ctl umount "$MPT" || fail "final umount"

[ "$fails" = 0 ] || echo "smallfiles: $fails failure(s)"
echo "smallfiles: kernel=$(uname -r) device=pmem files=$NFILES data_bytes=$DATA allocated_bytes=$ALLOC foreign_pages=$FOREIGN mismatches=$((MISMATCHES + fails))"
[ "$fails" = 0 ] && [ "$MISMATCHES" = 0 ] && [ "$FOREIGN" = 0 ]
