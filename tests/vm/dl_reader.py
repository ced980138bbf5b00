#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""dl_reader.py FILE SHA256 STATUS - map FILE once (MAP_SHARED, read only) and, until a SIGBUS
kills us, hash the whole mapping again and again, appending "pass N ok|bad TIME" to STATUS
(flushed) after each pass, so the caller knows every pass read the file's own bytes and when
the last good one ended. The mapping is held all along: the test deletes the file under it."""
import hashlib
import mmap
import os
import sys
import time

path, want, status = sys.argv[1], sys.argv[2], sys.argv[3]
STEP = 2 << 20
with open(path, "rb") as f, open(status, "a", buffering=1) as out:
    size = os.fstat(f.fileno()).st_size
    m = mmap.mmap(f.fileno(), size, mmap.MAP_SHARED, mmap.PROT_READ)
    n = 0
    while True:
        h = hashlib.sha256()
        for off in range(0, size, STEP):
            h.update(m[off:off + STEP])
        n += 1
        out.write(f"pass {n} {'ok' if h.hexdigest() == want else 'bad'} {time.time():.3f}\n")
        time.sleep(0.2)
