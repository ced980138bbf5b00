#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""mmap_sha256.py FILE... - print "<sha256>  <path>" for each FILE, reading it only through
mmap (MAP_SHARED, PROT_READ), so every byte comes from a DAX fault. Files are read in 2 MiB
steps so the kernel can map PMDs. Exit 1 if any file cannot be mapped; a SIGBUS kills us
(that is how a failed fault shows: the caller checks the signal)."""
import hashlib
import mmap
import os
import sys

STEP = 2 << 20
rc = 0
for path in sys.argv[1:]:
    try:
        with open(path, "rb") as f:
            size = os.fstat(f.fileno()).st_size
            h = hashlib.sha256()
            if size:
                with mmap.mmap(f.fileno(), size, mmap.MAP_SHARED, mmap.PROT_READ) as m:
                    for off in range(0, size, STEP):
                        h.update(m[off:off + STEP])
            print(f"{h.hexdigest()}  {path}")
    except OSError as e:
        print(f"mmap_sha256: {path}: {e}", file=sys.stderr)
        rc = 1
sys.exit(rc)
