// SPDX-License-Identifier: Apache-2.0
/* fuzz_common.c - the memfd image behind the harnesses (see fuzz_common.h). */
#include <endian.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fuzz_common.h"

static int fz_fd = -1;
static char fz_path[64];
static char fz_uuid_path[] = "/tmp/famfs-fuzz-uuid-XXXXXX";

static void fz_drop(enum famfs_msg_level level, const char *msg)
{
	(void)level;
	(void)msg;
}

void fz_quiet(void)
{
	const char *v = getenv("FAMFS_FUZZ_VERBOSE");

	if (!v || strcmp(v, "1"))
		famfs_set_msg_fn(fz_drop);
	famfs_set_msg_level(FAMFS_MSG_INFO);
}

static void fz_forget_identity(void)
{
	unlink(fz_uuid_path);
}

/* One identity file per process, so FZ_MASTER can make this host the master. */
static void fz_identity(void)
{
	int fd;

	if (getenv("FAMFS_SYSTEM_UUID_PATH"))
		return;
	fd = mkstemp(fz_uuid_path);
	if (fd < 0)
		abort();
	close(fd);
	unlink(fz_uuid_path);	/* famfs_system_uuid() creates it */
	atexit(fz_forget_identity);
	setenv("FAMFS_SYSTEM_UUID_PATH", fz_uuid_path, 1);
}

static void fz_put(const void *p, size_t len, uint64_t off)
{
	if (pwrite(fz_fd, p, len, (off_t)off) != (ssize_t)len)
		abort();
}

/* The header part of the input: superblock and log header, CRCs fixed if asked. */
static void fz_headers(uint8_t flags, const uint8_t *data)
{
	struct famfs_superblock sb;
	struct famfs_log_header lh;
	uuid_t me;

	memcpy(&sb, data, sizeof(sb));
	memcpy(&lh, data + sizeof(sb), sizeof(lh));
	if ((flags & FZ_MASTER) && famfs_system_uuid(me) == 0)
		memcpy(sb.sb_master_uuid, me, sizeof(me));
	if (flags & FZ_FIX_SB)
		sb.sb_crc = htole32(famfs_sb_crc(&sb));
	if (flags & FZ_FIX_LH)
		lh.lh_crc = htole32(famfs_log_header_crc(&lh));
	fz_put(&sb, sizeof(sb), 0);
	fz_put(&lh, sizeof(lh), FAMFS_LOG_OFFSET);
}

const char *fz_image_load(const uint8_t *data, size_t size)
{
	struct famfs_log_entry e;
	size_t i, off;

	if (fz_fd < 0) {
		fz_identity();
		fz_fd = memfd_create("famfs-fuzz", MFD_CLOEXEC);
		if (fz_fd < 0)
			abort();
		snprintf(fz_path, sizeof(fz_path), "/proc/self/fd/%d", fz_fd);
	}
	if (ftruncate(fz_fd, 0) || ftruncate(fz_fd, (off_t)FZ_IMAGE_SIZE))
		abort();
	if (size < FZ_HDR_LEN)
		return fz_path;		/* an all-zero image: no superblock */
	fz_headers(data[0], data + 1);
	for (i = 0, off = FZ_HDR_LEN; i < FZ_MAX_ENTRIES && off < size; i++, off += sizeof(e)) {
		memset(&e, 0, sizeof(e));
		memcpy(&e, data + off, size - off < sizeof(e) ? size - off : sizeof(e));
		if (data[0] & FZ_FIX_ENTRIES)
			e.le_crc = htole32(famfs_log_entry_crc(&e));
		fz_put(&e, sizeof(e), FAMFS_LOG_OFFSET + sizeof(struct famfs_log_header) +
		       i * sizeof(e));
	}
	return fz_path;
}
