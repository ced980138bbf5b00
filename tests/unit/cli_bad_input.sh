#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# cli_bad_input.sh FAMFSCTL - walk famfsctl's subcommands through classes of bad input on
# image files (no kernel needed): missing and unknown arguments, nonexistent paths,
# directories, FIFOs, sockets, zero/negative/huge/non-numeric sizes, non-famfs images,
# corrupt CRCs, torn entries, a full log, a full device, files cp cannot copy, and famfs's
# habits that need no mount (check, chkread, creat -M, verify -m, mkdir -p leaving the
# mount, -v and -?). Each case checks the exit status,
# a message naming what is wrong, and (for refused commands) that the image's sha256 is
# unchanged. On-media bytes are forged with a few lines of python3 (struct + zlib.crc32).
# Run by make unit; prints one line per case and a summary, exits 1 on any failure.
set -uo pipefail
F=${1:?usage: cli_bad_input.sh FAMFSCTL}
F=$(realpath "$F")
T=$(mktemp -d "${TMPDIR:-/tmp}/famfs-cli-XXXXXX")
trap 'rm -rf "$T"' EXIT
export FAMFS_SYSTEM_UUID_PATH=$T/uuid
cd "$T"
pass=0 fail=0

ok()  { pass=$((pass + 1)); echo "  ok   $*"; }
bad() { fail=$((fail + 1)); echo "  FAIL $*"; }

# expect STATUS WORD [IMAGE] -- CMD...: exit STATUS, WORD in stderr+stdout, IMAGE unchanged
expect() {
	local want=$1 word=$2 img=${3:-} before="" got out
	shift 3
	[ "$1" = "--" ] && shift
	[ -n "$img" ] && before=$(sha256sum "$img")
	out=$(timeout 10 "$F" "$@" </dev/null 2>&1); got=$?
	if [ "$got" != "$want" ]; then
		bad "famfsctl $*: exit $got, want $want: $(echo "$out" | head -3)"; return
	fi
	if ! grep -qF -- "$word" <<<"$out"; then
		bad "famfsctl $*: no '$word' in: $(echo "$out" | head -3)"; return
	fi
	if [ -n "$img" ] && [ "$(sha256sum "$img")" != "$before" ]; then
		bad "famfsctl $*: $img changed"; return
	fi
	ok "famfsctl $* -> $got, '$word'${img:+, $img unchanged}"
}

# ---- forging on-media bytes (offsets from docs/format.md) ----
LOG=$((2 << 20)) SLOT0=$(((2 << 20) + 1024))
forge() { python3 - "$@" <<'EOF'
import struct, sys, zlib
op, img, args = sys.argv[1], sys.argv[2], sys.argv[3:]
LOG, SLOT0 = 2 << 20, (2 << 20) + 1024
with open(img, 'r+b') as f:
    def rd(off, n): f.seek(off); return bytearray(f.read(n))
    def wr(off, b): f.seek(off); f.write(bytes(b))
    def entry(i, typ, path, mode=0o755):
        e = bytearray(1024)
        struct.pack_into('<QII', e, 0, i, typ, 0)
        struct.pack_into('<III', e, 16, mode, 0, 0)
        e[32:32 + len(path)] = path
        struct.pack_into('<I', e, 1016, zlib.crc32(bytes(e[:1016])))
        return e
    if op == 'dir':			# dir IMG INDEX PATH: a valid MKDIR entry
        wr(SLOT0 + int(args[0]) * 1024, entry(int(args[0]), 2, args[1].encode()))
    elif op == 'dirs':			# dirs IMG FROM TO: d<i> for i in [FROM, TO)
        wr(SLOT0 + int(args[0]) * 1024, b''.join(entry(i, 2, b'd%d' % i)
           for i in range(int(args[0]), int(args[1]))))
    elif op == 'next':			# next IMG N: lh_next_index (not CRC-covered)
        wr(LOG + 32, struct.pack('<Q', int(args[0])))
    elif op == 'flip':			# flip IMG OFFSET: one byte, no CRC fix
        b = rd(int(args[0]), 1); b[0] ^= 0x20; wr(int(args[0]), b)
    elif op == 'devsize':		# devsize IMG DEV BYTES: sb_devs[DEV].dd_size, CRC fixed
        sb = rd(0, 416)
        struct.pack_into('<Q', sb, 88 + 32 * int(args[0]) + 16, int(args[1]))
        struct.pack_into('<I', sb, 408, zlib.crc32(bytes(sb[:408])))
        wr(0, sb)
    elif op == 'file':			# file IMG INDEX PATH OFF LEN: a one-extent FILE entry
        i, off, ln = int(args[0]), int(args[2]), int(args[3])
        e = bytearray(1024)
        struct.pack_into('<QII', e, 0, i, 1, 0)
        struct.pack_into('<QIIII', e, 16, ln, 0, 0o644, 0, 0)
        e[40:40 + len(args[1])] = args[1].encode()
        struct.pack_into('<IIQ', e, 232, 1, 1, 0)
        struct.pack_into('<IIQQ', e, 248, 0, 0, off, ln)
        struct.pack_into('<I', e, 1016, zlib.crc32(bytes(e[:1016])))
        wr(SLOT0 + i * 1024, e)
EOF
}

newfs() { rm -f "$1"; truncate -s "${2:-64M}" "$1"; "$F" mkfs "$1" >/dev/null || bad "mkfs $1"; }

echo "== missing and unknown arguments"
expect 2 "usage" "" -- 
expect 2 "unknown command 'bogus'" "" -- bogus
for c in mkfs fsck mkdir creat cp getmap verify load-maps mount flush; do
	expect 2 "famfsctl $c:" "" -- "$c"
done
newfs img
expect 2 "unknown option '--bogus'" img -- fsck --bogus img
expect 2 "unknown option '--bogus'" img -- mkfs --bogus img
expect 2 "expected DEVICE or MOUNTPOINT" img -- fsck img img
expect 2 "-n is a dry run of --repair" img -- fsck -n img

echo "== nonexistent paths, directories, FIFOs, sockets"
expect 1 "No such file or directory" "" -- fsck "$T/nonexistent"
expect 1 "No such file or directory" "" -- mkfs "$T/nonexistent"
mkdir adir
expect 1 "Is a directory" "" -- mkfs adir
expect 1 "not a famfs mount" "" -- fsck adir
mkfifo fifo
expect 1 "is a FIFO" "" -- fsck fifo
expect 1 "is a FIFO" "" -- mkfs fifo
expect 1 "is a FIFO" "" -- mkfs -k -f fifo
expect 1 "is a FIFO" "" -- fsck -r fifo
python3 -c 'import socket,sys; s=socket.socket(socket.AF_UNIX); s.bind(sys.argv[1])' sock
expect 1 "sock" "" -- fsck sock
expect 1 "not a famfs file" "" -- getmap fifo
expect 1 "not a famfs file" "" -- flush fifo
expect 1 "not inside a famfs mount" "" -- creat -s 4096 "$T/x"
expect 1 "not inside a famfs mount" "" -- mkdir "$T/y"
[ -e "$T/x" ] || [ -e "$T/y" ] && bad "creat/mkdir outside famfs made something"

echo "== cp: files famfs cannot hold, overwriting outside famfs, -t"
: > empty
expect 1 "empty: empty file" "" -- cp empty "$T/x"
expect 1 "/dev/null: a character device" "" -- cp /dev/null "$T/x"
expect 1 "fifo: a FIFO" "" -- cp fifo "$T/x"
expect 1 "sock: a socket" "" -- cp sock "$T/x"
expect 1 "cp: stopped" "" -- cp fifo empty adir
printf 'keep me\n' > outside
expect 1 "not inside a famfs mount" outside -- cp /etc/hostname outside
expect 2 "bad thread count '65' (0..64)" "" -- cp -t 65 empty "$T/x"
expect 2 "bad thread count 'x'" "" -- cp --threadct x empty "$T/x"
expect 0 "-t, --threadct N" "" -- cp -?
[ -e "$T/x" ] && bad "cp outside famfs made something"

echo "== sizes: zero, negative, huge, non-numeric"
for s in 0 -1 99999999999999999999 abc 12Q ""; do
	expect 2 "bad size '$s'" "" -- creat -s "$s" "$T/x"
done
for l in 0 -5 abc 3M 99999999999999999999; do
	expect_word="log length"
	want=2; [ "$l" = 3M ] && want=1
	expect $want "$expect_word" img -- mkfs -f -l "$l" img
done
expect 2 "bad offset" "" -- getmap -o -1 fifo

echo "== non-famfs images, too small, mkfs safety"
truncate -s 64M junk; printf 'not a file system' | dd of=junk conv=notrunc 2>/dev/null
expect 1 "is not a famfs superblock" junk -- fsck junk
expect 1 "no famfs superblock or device header to invalidate" junk -- mkfs -k junk
expect 0 "invalidated" "" -- mkfs -k -f junk
truncate -s 1M tiny
expect 1 "too small" tiny -- mkfs tiny
expect 1 "holds a valid famfs superblock" img -- mkfs img
expect 0 "invalidated" "" -- mkfs -k img
expect 1 "bad superblock" img -- fsck img
newfs img
forge dirs img 0 8; forge next img 8
expect 0 "created on" "" -- mkfs -f img
forge next img 8
expect 1 "log entry 7: bad le_seqnum" img -- fsck img	# old entries were cleared by mkfs -f

echo "== corrupt CRCs"
newfs img
forge flip img 72				# sb_mkfs_time: sb_crc no longer matches
expect 1 "sb_crc" img -- fsck img
expect 1 "damaged famfs superblock" img -- mkfs img
expect 1 "sb_crc" img -- fsck -r img
newfs img
forge dir img 0 d; forge dir img 1 d/e; forge dir img 2 f; forge next img 3
expect 0 "clean" img -- fsck img
forge flip img $((SLOT0 + 1024 + 40))	# entry 1's path, CRC not fixed
expect 1 "log entry 1: bad le_seqnum" img -- fsck img
expect 1 "would be voided" img -- fsck -r -n img
FAMFS_SYSTEM_UUID_PATH=$T/other expect 1 "not the master" img -- fsck -r img
expect 0 "1 unreadable or invalid entry voided" "" -- fsck -r img
expect 0 "clean" img -- fsck img
expect 0 "0 unreadable or invalid entries voided" img -- fsck -r img

echo "== torn entries, crafted entries"
newfs img
forge dir img 0 d; forge next img 2		# next_index advanced, entry 1 never written
expect 1 "log entry 1: bad le_seqnum" img -- fsck img
newfs img
forge dir img 0 ../escaped; forge next img 1
expect 1 "'..' component" img -- fsck img
newfs img
forge dir img 0 d; forge dir img 1 .meta; forge dir img 2 d/e; forge next img 3
expect 1 "reserved" img -- fsck img
expect 1 "lost directory '.meta'" img -- fsck -r -n img
expect 0 "1 unreadable or invalid entry voided" "" -- fsck -r img
expect 0 "clean" img -- fsck img
newfs img
forge devsize img 0 $((1 << 56))
expect 1 "exceeds the largest device" img -- fsck img
newfs img
forge devsize img 0 $((1 << 60))
expect 1 "exceeds the largest device" img -- fsck img
expect 1 "damaged famfs superblock" img -- mkfs img

echo "== full log, full device"
rm -f img; truncate -s 64M img; "$F" mkfs -l 8M img >/dev/null
forge dirs img 0 8191; forge next img 8191
expect 0 "8191 of 8191 used" img -- fsck img
forge next img 8192
expect 1 "lh_next_index 8192 exceeds lh_nslots 8191" img -- fsck img
newfs img
forge file img 0 big $((10 << 20)) $((54 << 20)); forge next img 1
expect 0 "free 0" img -- fsck img
forge file img 1 more $((64 << 20)) $((2 << 20)); forge next img 2
expect 1 "beyond sb_devs[0].dd_size" img -- fsck img

echo "== famfs habits: check, chkread, creat -M / re-create, verify -m, mkdir -p, -v"
expect 2 "famfsctl check: expected one MOUNTPOINT" "" -- check
expect 2 "famfsctl chkread: expected FILE|DIR" "" -- chkread
expect 1 "not inside a famfs mount" "" -- check "$T"
mkdir -p "$T/tree/sub"; printf 'some bytes\n' > "$T/tree/sub/f"; : > "$T/tree/empty"
expect 0 "read and mmap match (11 bytes)" "" -- chkread "$T/tree/sub/f"
expect 1 "empty file" "" -- chkread "$T/tree"
expect 1 "not a regular file" "" -- chkread fifo
expect 2 "bad -M 'nocomma': expected FILE,SIZE[,SEED]" "" -- creat -M nocomma
expect 2 "bad size '0' for" "" -- creat -M "$T/m,0"
expect 2 "bad seed 'x7' for" "" -- creat -M "$T/m,2M,x7"
expect 2 "-M is not used with -s, -S, -r or FILE" "" -- creat -M "$T/m,2M" -s 2M
expect 2 "bad thread count '0'" "" -- creat -t 0 -M "$T/m,2M"
[ -e "$T/m" ] && bad "creat -M with bad input made $T/m"
expect 1 "not inside a famfs mount" "" -- creat -M "$T/m,2M,1"
expect 1 "1 errors" "" -- creat -M "$T/m,2M,1"
expect 1 "exists and is not a famfs file" "$T/tree/sub/f" -- creat -s 11 -S 1 "$T/tree/sub/f"
expect 2 "-s SIZE is required for a new file" "" -- creat -S 1 "$T/new"
expect 2 "bad -m '$T/tree/sub/f': expected FILE,SEED" "" -- verify -m "$T/tree/sub/f"
expect 2 "-m is not used with -S, -f or operands" "" -- verify -m "$T/tree/sub/f,1" -S 1 -f x
expect 1 "mismatch at offset 0" "" -- verify -m "$T/tree/sub/f,1"
expect 1 "0 of 1 files ok, 1 errors" "" -- verify -q -t 4 -m "$T/tree/sub/f,1"
expect 1 "outside every famfs mount" "" -- mkdir -p "$T/p1/p2"
expect 1 "outside every famfs mount" "" -- mkdir -p "$T/tree/../p1/../../p3"
ln -s "$T/tree" "$T/link"
expect 1 "resolves to $T/tree, outside every famfs mount" "" -- mkdir -p "$T/link/p4"
[ -e "$T/p1" ] || [ -e "$T/p3" ] || [ -e "$T/tree/p4" ] && bad "mkdir -p outside famfs made something"
for c in mkfs mount umount load-maps logplay mkdir cp creat verify check chkread fsck getmap flush stats; do
	expect 0 "usage: famfsctl $c" "" -- "$c" -v -?
done
expect 0 "usage: famfsctl policy show" "" -- policy show -v -?
expect 0 "famfs's mount -p is" "" -- mount -?
expect 0 "-r is --repair here" "" -- fsck -?

echo "cli_bad_input: $pass passed, $fail failed"
[ "$fail" = 0 ]
