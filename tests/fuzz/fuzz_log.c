// SPDX-License-Identifier: Apache-2.0
/*
 * fuzz_log.c - libFuzzer harness: log parsing, allocator replay, fsck, repair and append
 * over an in-memory image (fuzz_common.h gives the input layout).
 * Invariants: after a successful famfs_log_repair() every entry below next_index reads
 * back (no -EBADMSG), and an append then never fails with -EBADMSG; every entry that
 * famfs_log_append_*() wrote passes famfs_entry_check().
 */
#include <errno.h>
#include <stdlib.h>

#include "fuzz_common.h"

static int fz_visit(uint64_t index, const struct famfs_log_entry *e, void *arg)
{
	char why[256];

	(void)index;
	famfs_entry_check(e, arg, why, sizeof(why));
	return 0;
}

/* The read-only side: what fsck, df and any reader do. */
static void fz_read(const char *path)
{
	struct famfs_fsck_report r;
	struct famfs_space s;
	struct famfs_media *m;

	if (famfs_media_open_dev(path, FAMFS_OPEN_RDONLY, &m) != 0)
		return;
	famfs_fsck(m, &r);
	famfs_space_get(m, &s);
	famfs_log_for_each(m, 0, fz_visit, (void *)famfs_media_sb(m));
	famfs_media_close(m);
}

/* The master's side: repair, then appends work. */
static void fz_master(const char *path)
{
	struct famfs_file_req req = { .path = "fz/f", .size = 1, .mode = 0644 };
	struct famfs_log_entry e;
	struct famfs_media *m;
	uint64_t n, idx;
	int rc;

	if (famfs_media_open_dev(path, FAMFS_OPEN_RDWR, &m) != 0)
		return;
	famfs_log_repair(m, true, &n);
	if (famfs_log_repair(m, false, &n) == 0) {
		if (famfs_log_for_each(m, 0, fz_visit, (void *)famfs_media_sb(m)) == -EBADMSG)
			abort();	/* repaired, yet an entry is unreadable */
		rc = famfs_log_append_mkdir(m, "fz", 0755, 0, 0, NULL);
		if (rc == -EBADMSG)
			abort();	/* repaired, yet appends fail forever */
		rc = famfs_log_append_file(m, &req, &idx, &e);
		if (rc == -EBADMSG || (rc == 0 && famfs_entry_check(&e, famfs_media_sb(m), NULL, 0)))
			abort();
	}
	famfs_media_close(m);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path;

	fz_quiet();
	path = fz_image_load(data, size);
	fz_read(path);
	if (size > 0 && (data[0] & FZ_MASTER)) {
		fz_master(path);
		fz_read(path);
	}
	return 0;
}
