# SPDX-License-Identifier: Apache-2.0
"""isolation.py FAMFSCTL A B - on one host: mapping famfs file A gives access to A's memory
only, B being the file allocated right after A.

Checks (each printed; exit 1 if any fails):
  - the policy's translation (famfsctl getmap -j -o OFF, i.e. FAMFS_IOC_XLATE) of every
    2 MiB of A and of its last byte lands inside A's extents, at the place A's simple fmap
    says, and never inside B's extents;
  - translating at A's size and past it fails;
  - read() returns exactly A's size bytes, and 0 bytes at EOF;
  - a load from a shared mapping past A's last page (inside A's last allocation unit, and
    where B starts) is SIGBUS, a load from A's last byte is not;
  - none of B's first 4 KiB appears anywhere in A.
"""
import ctypes
import json
import os
import signal
import subprocess
import sys

UNIT = 2 << 20
PAGE = 4096

failures = 0


def check(ok, what):
    global failures
    print(("ok: " if ok else "FAIL: ") + what)
    if not ok:
        failures += 1


def getmap(famfsctl, path, off):
    out = subprocess.run([famfsctl, "getmap", "-j", "-o", str(off), path],
                         capture_output=True, text=True, check=False)
    return json.loads(out.stdout)


def inside(exts, dev, off, length):
    return any(e["dev"] == dev and e["offset"] <= off and off + length <= e["offset"] + e["len"]
               for e in exts)


def expected(exts, off):
    """(dev, dev_offset) of file offset off in a simple fmap."""
    for e in exts:
        if off < e["len"]:
            return e["dev"], e["offset"] + off
        off -= e["len"]
    return None


def check_xlate(famfsctl, a, b):
    ma, mb = getmap(famfsctl, a, 0), getmap(famfsctl, b, 0)
    size, ea, eb = ma["size"], ma["extents"], mb["extents"]
    check(bool(ea) and bool(eb), f"{a} and {b} have extents ({len(ea)}, {len(eb)})")
    overlap = [(x, y) for x in ea for y in eb if x["dev"] == y["dev"] and
               x["offset"] < y["offset"] + y["len"] and y["offset"] < x["offset"] + x["len"]]
    check(not overlap, f"A's and B's extents are disjoint {overlap or ''}")
    adjacent = any(x["dev"] == y["dev"] and x["offset"] + x["len"] == y["offset"]
                   for x in ea for y in eb)
    print(f"A {a}: size {size}, extents {ea}; B starts right after A: {adjacent}")
    offsets = list(range(0, size, UNIT)) + [size - 1]
    bad = []
    for off in offsets:
        x = getmap(famfsctl, a, off)["xlate"]
        if "error" in x:
            bad.append((off, x["error"]))
            continue
        dev, doff, length = x["devindex"], x["dev_offset"], x["len"]
        want = expected(ea, off) if ma.get("kind") == "simple" else None
        if not inside(ea, dev, doff, max(length, 1)) or inside(eb, dev, doff, 1) or \
                (want is not None and want != (dev, doff)):
            bad.append((off, dev, doff, length))
    check(not bad, f"xlate of {len(offsets)} offsets of A (every 2 MiB, last byte) stays "
          f"inside A's extents {bad or ''}")
    for off in (size, (size + UNIT - 1) // UNIT * UNIT):
        x = getmap(famfsctl, a, off)["xlate"]
        check("error" in x, f"xlate at offset {off} (>= size {size}) fails: {x.get('error', x)}")
    return size


def check_read(a, b, size):
    with open(a, "rb") as f:
        data = f.read()
        check(len(data) == size, f"read() returns {len(data)} bytes, size is {size}")
        check(os.pread(f.fileno(), 4096, size) == b"", "read() at EOF returns 0 bytes")
    with open(b, "rb") as f:
        head = f.read(PAGE)
    check(len(head) == PAGE and head not in data, "none of B's first 4 KiB appears in A")


def load_in_child(addr, off):
    """Load one byte at addr+off in a child; return the signal that killed it, or 0."""
    pid = os.fork()
    if pid == 0:
        ctypes.string_at(addr + off, 1)
        os._exit(0)
    _, status = os.waitpid(pid, 0)
    return os.WTERMSIG(status) if os.WIFSIGNALED(status) else 0


def check_mmap(a, size):
    libc = ctypes.CDLL(None, use_errno=True)
    libc.mmap.restype = ctypes.c_void_p
    libc.mmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_int,
                          ctypes.c_int, ctypes.c_long]
    length = (size + UNIT - 1) // UNIT * UNIT + UNIT
    fd = os.open(a, os.O_RDONLY)
    addr = libc.mmap(None, length, 1, 1, fd, 0)	# PROT_READ, MAP_SHARED
    os.close(fd)
    check(addr not in (None, ctypes.c_void_p(-1).value), f"mmap {length} bytes of A")
    if addr in (None, ctypes.c_void_p(-1).value):
        return
    sig = load_in_child(addr, size - 1)
    check(sig == 0, f"load of A's last byte (offset {size - 1}) works (signal {sig})")
    for off in ((size + PAGE - 1) // PAGE * PAGE, (size + UNIT - 1) // UNIT * UNIT):
        sig = load_in_child(addr, off)
        check(sig == signal.SIGBUS, f"load at offset {off} past A's last page: "
              f"{signal.Signals(sig).name if sig else 'no signal'} (want SIGBUS)")


def main():
    if len(sys.argv) != 4:
        sys.exit("usage: isolation.py FAMFSCTL A B")
    famfsctl, a, b = sys.argv[1:]
    size = check_xlate(famfsctl, a, b)
    check_read(a, b, size)
    check_mmap(a, size)
    print(f"isolation: {failures} failure(s)")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
