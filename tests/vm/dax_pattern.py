# SPDX-License-Identifier: Apache-2.0
"""dax_pattern.py write|check DEV OFFSET SEED [LEN]: a seeded pattern through mmap of a
devdax device (/dev/daxX.Y) at OFFSET (a multiple of the device's align, 2 MiB), LEN bytes
(default 2 MiB), or of a regular file (a backing file, read on the host). write stores it;
check compares, printing the first
differing offset. Exit 0 on success, 1 on a mismatch, 2 on bad use or a failed mmap."""
import hashlib
import mmap
import os
import sys

MIB2 = 2 << 20


def pattern(seed, length):
    """LEN bytes: SHA-256 counter blocks of (seed, block index)."""
    out = bytearray()
    i = 0
    while len(out) < length:
        out += hashlib.sha256(b"famfs-dax %d %d" % (seed, i)).digest()
        i += 1
    return bytes(out[:length])


def main(argv):
    if len(argv) not in (5, 6) or argv[1] not in ("write", "check"):
        print(__doc__, file=sys.stderr)
        return 2
    op, dev, off, seed = argv[1], argv[2], int(argv[3], 0), int(argv[4], 0)
    length = int(argv[5], 0) if len(argv) == 6 else MIB2
    want = pattern(seed, length)
    try:
        fd = os.open(dev, os.O_RDWR)
        m = mmap.mmap(fd, length, mmap.MAP_SHARED, mmap.PROT_READ | mmap.PROT_WRITE, offset=off)
    except OSError as e:
        print(f"dax_pattern: {dev} at {off}: {e}", file=sys.stderr)
        return 2
    if op == "write":
        m[:] = want    # no msync: device-dax has no page cache (and refuses it: EINVAL)
        print(f"dax_pattern: wrote seed {seed} to {dev} [{off}, +{length})")
        return 0
    got = m[:]
    if got == want:
        print(f"dax_pattern: {dev} [{off}, +{length}) holds seed {seed}")
        return 0
    bad = next(i for i in range(length) if got[i] != want[i])
    print(f"dax_pattern: MISMATCH on {dev}: seed {seed} differs at offset {off + bad}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
