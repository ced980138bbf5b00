// SPDX-License-Identifier: Apache-2.0
/*
 * media.c - opening a file system: pick the backend for what @path is, load and validate
 * the superblock, then load and validate the log. The backends (media_mmap.c,
 * media_direct.c) only know how to hold and persist the two regions.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "famfs_priv.h"

static struct famfs_media *famfs_media_new(int flags)
{
	struct famfs_media *m = calloc(1, sizeof(*m));

	if (m) {
		m->fd = -1;
		m->sb_fd = -1;
		m->rw = flags == FAMFS_OPEN_RDWR;
	}
	return m;
}

/* famfs_media_close() - unmap/free both regions and close the files; NULL is a no-op. */
void famfs_media_close(struct famfs_media *m)
{
	if (!m)
		return;
	if (m->log)
		m->ops->unmap(m, m->log, m->log_len);
	if (m->sb)
		m->ops->unmap(m, m->sb, m->sb_len);
	if (m->sb_fd >= 0)
		close(m->sb_fd);
	if (m->fd >= 0)
		close(m->fd);
	free(m);
}

/* Load the superblock region from @fd and validate it against m->dev_size. */
static int famfs_media_load_sb(struct famfs_media *m, int fd, const char *name)
{
	char why[FAMFS_WHY_LEN];
	void *p;
	int rc = m->ops->map(m, fd, 0, FAMFS_SB_SIZE, &p);

	if (rc)
		return rc;
	m->sb = p;
	m->sb_len = FAMFS_SB_SIZE;
	rc = famfs_sb_check(m->sb, 0, why, sizeof(why));
	if (rc) {
		famfs_err("%s: bad superblock: %s", name, why);
		return rc;
	}
	if (m->dev_size < le64toh(m->sb->sb_devs[0].dd_size)) {
		famfs_err("%s: device is %" PRIu64 " bytes, the superblock says %" PRIu64, name,
			  m->dev_size, (uint64_t)le64toh(m->sb->sb_devs[0].dd_size));
		return -ENOSPC;
	}
	return 0;
}

/* Load the log region (@off on @fd) and validate its header. */
static int famfs_media_load_log(struct famfs_media *m, int fd, uint64_t off, const char *name)
{
	char why[FAMFS_WHY_LEN];
	void *p;
	size_t len = le64toh(m->sb->sb_log_len);
	int rc = m->ops->map(m, fd, off, len, &p);

	if (rc)
		return rc;
	m->log = p;
	m->log_len = len;
	m->log_fd_off = off;
	rc = famfs_log_header_check(famfs_lh(m), m->sb, why, sizeof(why));
	if (rc)
		famfs_err("%s: bad log header: %s", name, why);
	return rc;
}

static const struct famfs_media_ops *famfs_dev_ops(enum famfs_dev_kind kind)
{
	switch (kind) {
	case FAMFS_DEV_BLOCK:
		return &famfs_direct_ops;
	case FAMFS_DEV_DAX:
		return &famfs_dax_ops;
	default:
		return &famfs_image_ops;
	}
}

/* famfs_media_open_dev() - open and validate the file system on a device or image. */
int famfs_media_open_dev(const char *path, int flags, struct famfs_media **out)
{
	struct famfs_media *m = famfs_media_new(flags);
	struct famfs_dev d;
	int rc;

	if (!m)
		return -ENOMEM;
	rc = famfs_dev_open(path, m->rw, &d);
	if (rc)
		goto fail;
	m->fd = d.fd;
	m->ops = famfs_dev_ops(d.kind);
	m->dev_size = d.size;
	if (d.size < FAMFS_SB_SIZE) {
		famfs_err("%s: no superblock: only %" PRIu64 " bytes", path, d.size);
		rc = -EUCLEAN;
		goto fail;
	}
	rc = famfs_media_load_sb(m, m->fd, path);
	if (rc == 0)
		rc = famfs_media_load_log(m, m->fd, le64toh(m->sb->sb_log_offset), path);
	if (rc == 0) {
		*out = m;
		return 0;
	}
fail:
	famfs_media_close(m);
	return rc;
}

/* Open @mpt/.meta/@name; if it holds less than @min bytes, fail with -@short_err. */
static int famfs_meta_open(const char *mpt, const char *name, bool rw, uint64_t min,
			   int short_err, int *fd)
{
	char path[PATH_MAX];
	struct stat st;
	int rc;

	if (snprintf(path, sizeof(path), "%s/.meta/%s", mpt, name) >= (int)sizeof(path))
		return -ENAMETOOLONG;
	*fd = open(path, (rw ? O_RDWR : O_RDONLY) | O_CLOEXEC | O_NONBLOCK);
	if (*fd < 0 || fstat(*fd, &st) != 0) {
		rc = -errno;
		famfs_err("%s: %s", path, strerror(-rc));
		return rc;
	}
	if (!S_ISREG(st.st_mode)) {
		famfs_err("%s: not a regular file", path);
		return -short_err;
	}
	if ((uint64_t)st.st_size < min) {
		famfs_err("%s: %lld bytes, expected at least %" PRIu64, path,
			  (long long)st.st_size, min);
		return -short_err;
	}
	return 0;
}

/* famfs_media_open_mount() - open the file system mounted at @mpt via its .meta files. */
int famfs_media_open_mount(const char *mpt, int flags, struct famfs_media **out)
{
	struct famfs_media *m = famfs_media_new(flags);
	int rc;

	if (!m)
		return -ENOMEM;
	m->ops = &famfs_dax_ops;
	m->dev_size = UINT64_MAX;	/* a mount has no device size but the sb's */
	rc = famfs_meta_open(mpt, ".superblock", m->rw, sizeof(struct famfs_superblock),
			     EUCLEAN, &m->sb_fd);
	if (rc == 0)
		rc = famfs_media_load_sb(m, m->sb_fd, mpt);
	if (rc == 0) {
		m->dev_size = le64toh(m->sb->sb_devs[0].dd_size);
		rc = famfs_meta_open(mpt, ".log", m->rw, le64toh(m->sb->sb_log_len),
				     ENOSPC, &m->fd);
	}
	if (rc == 0)
		rc = famfs_media_load_log(m, m->fd, 0, mpt);
	if (rc == 0) {
		*out = m;
		return 0;
	}
	famfs_media_close(m);
	return rc;
}

void famfs_media_locate(const struct famfs_media *m, const void *addr, int *fd, uint64_t *off)
{
	const uint8_t *p = addr, *sb = (const uint8_t *)m->sb;

	if (p >= sb && p < sb + m->sb_len) {
		*fd = m->sb_fd >= 0 ? m->sb_fd : m->fd;
		*off = (uint64_t)(p - sb);
	} else {
		*fd = m->fd;
		*off = m->log_fd_off + (uint64_t)(p - m->log);
	}
}

/* famfs_media_sb() - the superblock as loaded (live memory for mmap backends). */
const struct famfs_superblock *famfs_media_sb(const struct famfs_media *m)
{
	return m->sb;
}

/* famfs_media_dev_size() - device size seen at open (sb_devs[0].dd_size for mounts). */
uint64_t famfs_media_dev_size(const struct famfs_media *m)
{
	return m->dev_size;
}

/* famfs_media_is_master() - does this host's system UUID match sb_master_uuid? */
bool famfs_media_is_master(const struct famfs_media *m)
{
	uuid_t me;

	if (famfs_system_uuid(me) != 0)
		return false;
	return uuid_compare(me, m->sb->sb_master_uuid) == 0;
}
