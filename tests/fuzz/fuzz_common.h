/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_common.h - what the libFuzzer harnesses share: the input layout of an image and a
 * memfd holding it, so libfamfs opens the fuzzed bytes like any image file.
 *
 * Image input (fuzz_log, and the seeds gen_seeds writes):
 *   byte 0          flags: FZ_FIX_SB / FZ_FIX_LH / FZ_FIX_ENTRIES recompute that CRC (so
 *                   the fuzzer gets past the checksums), FZ_MASTER makes this host the master
 *   next 416 bytes  struct famfs_superblock (device 0 offset 0)
 *   next 1024       struct famfs_log_header (at FAMFS_LOG_OFFSET)
 *   then            up to FZ_MAX_ENTRIES log slots of 1024 bytes (a short last one is padded)
 */
#ifndef FUZZ_COMMON_H
#define FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>

#include "libfamfs.h"

#define FZ_FIX_SB	0x01
#define FZ_FIX_LH	0x02
#define FZ_FIX_ENTRIES	0x04
#define FZ_MASTER	0x08
#define FZ_MAX_ENTRIES	64
#define FZ_IMAGE_SIZE	(64ULL << 20)	/* sparse memfd: device 0 of the fuzzed file system */
#define FZ_HDR_LEN	(1 + sizeof(struct famfs_superblock) + sizeof(struct famfs_log_header))

/*
 * fz_image_load() - (re)fill the memfd image from @data/@size as laid out above and return
 * its path (/proc/self/fd/N). Aborts on a host error (not the input's fault).
 */
const char *fz_image_load(const uint8_t *data, size_t size);
/* fz_quiet() - drop library messages (set FAMFS_FUZZ_VERBOSE=1 to see them). */
void fz_quiet(void);

#endif /* FUZZ_COMMON_H */
