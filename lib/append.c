// SPDX-License-Identifier: Apache-2.0
/*
 * append.c - adding entries to the log (master only). Everything is checked before a byte
 * is written; under flock(LOCK_EX) the header and used slots are re-read, the log replayed
 * (allocator + paths), the entry built and written with its CRC and persisted, and only then
 * is lh_next_index advanced and persisted: readers never see a half-written entry.

 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "famfs_priv.h"


/* Fills @e (everything but seqnum and CRC) for slot @index from the replayed state; may
 * allocate. */
typedef int (*famfs_build_fn)(struct famfs_replay *r, uint64_t index, struct famfs_log_entry *e,
			      const void *arg);

/* The device, image or mount point @m was opened from (for messages). */
static void append_fs_name(const struct famfs_media *m, char *buf, size_t len)
{
	char link[64];
	ssize_t n;
	size_t meta = strlen("/" FAMFS_META_LOG);

	snprintf(link, sizeof(link), "/proc/self/fd/%d", m->fd);
	n = readlink(link, buf, len - 1);
	if (n <= 0) {
		snprintf(buf, len, "this file system");
		return;
	}
	buf[n] = '\0';
	if ((size_t)n > meta && !strcmp(buf + n - meta, "/" FAMFS_META_LOG))
		buf[n - meta] = '\0';	/* a mount's .meta/.log: name the mount */
}

/* -EPERM with a message naming the file system, this host and the master. */
static int append_not_master(const struct famfs_media *m, const char *path)
{
	char fs[PATH_MAX], me[UUID_STR_LEN] = "?", master[UUID_STR_LEN];
	uuid_t u;

	append_fs_name(m, fs, sizeof(fs));
	if (famfs_system_uuid(u) == 0)
		uuid_unparse_lower(u, me);
	uuid_unparse_lower(m->sb->sb_master_uuid, master);
	famfs_err("cannot log '%s': this host is not the master of %s: only the master changes "
		  "the log (this host %s, master %s)", path, fs, me, master);
	return -EPERM;
}

/*
 * Checks that need neither the lock nor the log: master first (the most basic refusal, and
 * a client opens its mount read-only, so it must hear "not the master", not "read-only"),
 * then writable, then path syntax.
 */
static int append_precheck(struct famfs_media *m, const char *path)
{
	if (!famfs_media_is_master(m))
		return append_not_master(m, path ? path : "");
	if (!m->rw) {
		famfs_err("cannot log '%s': file system opened read-only", path ? path : "");
		return -EROFS;
	}
	return famfs_path_check(path);
}

/* Re-read the header, check there is a free slot. */
static int append_header(struct famfs_media *m, uint64_t *index)
{
	char why[FAMFS_WHY_LEN];
	int rc = m->ops->refresh(m, famfs_lh(m), sizeof(struct famfs_log_header));

	if (rc == 0 && famfs_log_header_check(famfs_lh(m), m->sb, why, sizeof(why)) != 0) {
		famfs_err("log header: %s", why);
		rc = -EUCLEAN;
	}
	if (rc)
		return rc;
	*index = famfs_log_next_index(m);
	if (*index >= famfs_log_nslots(m)) {
		famfs_err("log full: all %" PRIu64 " slots used", famfs_log_nslots(m));
		return -E2BIG;
	}
	return 0;
}

/* Under the lock: free slot, current slots, replayed state, path not taken, parent logged. */
static int append_prepare(struct famfs_media *m, const char *path, struct famfs_replay *r,
			  uint64_t *index)
{
	int rc = append_header(m, index);

	if (rc == 0)
		rc = m->ops->refresh(m, famfs_slot(m, 0), (*index + 1) * FAMFS_LOG_ENTRY_SIZE);
	if (rc == 0)
		rc = famfs_replay(m, r);
	if (rc)
		return rc;
	rc = famfs_pathset_check_new(&r->paths, path);
	if (rc == -EEXIST)
		famfs_err("cannot log '%s': the path is already logged", path);
	else if (rc == -ENOENT)
		famfs_err("cannot log '%s': its parent directory is not logged", path);
	if (rc)
		famfs_replay_free(r);
	return rc;
}

/* The entry about to be written meets the rules replay applies (nothing else is logged). */
static int append_entry_ok(struct famfs_media *m, const char *path,
			   const struct famfs_log_entry *e)
{
	char why[FAMFS_WHY_LEN];

	if (famfs_entry_check(e, m->sb, why, sizeof(why)) == 0)
		return 0;
	famfs_err("cannot log '%s': the entry would not replay: %s", path, why);
	return -EINVAL;
}

/* Write @e to slot @index and persist it, then publish it by advancing next_index. */
static int append_commit(struct famfs_media *m, struct famfs_log_entry *e, uint64_t index)
{
	struct famfs_log_header *lh = famfs_lh(m);
	struct famfs_log_entry *slot = famfs_slot(m, index);
	int rc;

	e->le_seqnum = htole64(index);
	e->le_crc = htole32(famfs_log_entry_crc(e));
	memcpy(slot, e, sizeof(*e));
	rc = m->ops->persist(m, slot, sizeof(*slot));
	if (rc)
		return rc;
	__atomic_store_n(&lh->lh_next_index, htole64(index + 1), __ATOMIC_RELEASE);
	rc = m->ops->persist(m, &lh->lh_next_index, sizeof(lh->lh_next_index));
	if (rc)		/* not published: take it back */
		__atomic_store_n(&lh->lh_next_index, htole64(index), __ATOMIC_RELEASE);
	return rc;
}

static int famfs_append(struct famfs_media *m, const char *path, famfs_build_fn build,
			const void *arg, uint64_t *index, struct famfs_log_entry *out)
{
	struct famfs_log_entry e;
	struct famfs_replay r;
	uint64_t i;
	int rc = append_precheck(m, path);

	if (rc)
		return rc;
	if (flock(m->fd, LOCK_EX) != 0)
		return -errno;
	rc = append_prepare(m, path, &r, &i);
	if (rc == 0) {
		memset(&e, 0, sizeof(e));
		rc = build(&r, i, &e, arg);
		if (rc == 0)
			rc = famfs_alloc_error(&r.alloc);
		if (rc == 0)
			rc = append_entry_ok(m, path, &e);
		if (rc == 0)
			rc = append_commit(m, &e, i);
		famfs_replay_free(&r);
	}
	flock(m->fd, LOCK_UN);
	if (rc == 0 && index)
		*index = i;
	if (rc == 0 && out)
		*out = e;
	return rc;
}

/* Allocate @req's fmap: simple, or interleaved with strips rotated by @index. */
static int build_fmap(struct famfs_replay *r, uint64_t index, const struct famfs_file_req *req,
		      struct famfs_fmap_omf *fm)
{
	struct famfs_stripes st = {
		.nstrips = req->nstrips, .chunk_size = req->chunk_size, .devmask = req->devmask,
		.index = index,
	};

	if (req->nstrips == 0) {
		if (famfs_alloc_simple(&r->alloc, req->size, req->devmask, fm) == 0)
			return 0;
		famfs_err("cannot log '%s': no space for %" PRIu64 " bytes (devmask 0x%x)",
			  req->path, req->size, req->devmask);
		return -ENOSPC;
	}
	st.strip_len = famfs_strip_len(req->size, req->chunk_size, req->nstrips);
	if (famfs_alloc_interleave(&r->alloc, &st, fm) == 0)
		return 0;
	famfs_err("cannot log '%s': no space for %u strips of %" PRIu64 " contiguous bytes "
		  "(devmask 0x%x)", req->path, req->nstrips, st.strip_len, req->devmask);
	return -ENOSPC;
}

static int build_file(struct famfs_replay *r, uint64_t index, struct famfs_log_entry *e,
		      const void *arg)
{
	const struct famfs_file_req *req = arg;
	struct famfs_file_omf *f = &e->le_file;
	int rc = build_fmap(r, index, req, &f->fi_fmap);

	if (rc)
		return rc;
	e->le_type = htole32(FAMFS_LOG_FILE);
	f->fi_size = htole64(req->size);
	f->fi_flags = htole32(req->flags);
	f->fi_mode = htole32(req->mode & 07777);
	f->fi_uid = htole32(req->uid);
	f->fi_gid = htole32(req->gid);
	strcpy(f->fi_path, req->path);	/* length checked by famfs_path_check() */
	return 0;
}

/* famfs_log_append_file() - allocate space for a new file and log it (master only). */
int famfs_log_append_file(struct famfs_media *m, const struct famfs_file_req *req,
			  uint64_t *index, struct famfs_log_entry *out)
{
	char why[FAMFS_WHY_LEN];
	int rc = famfs_file_req_why(m->sb, req, why, sizeof(why));

	if (rc) {
		famfs_err("cannot log '%s': %s", req->path ? req->path : "", why);
		return rc;
	}
	return famfs_append(m, req->path, build_file, req, index, out);
}

struct famfs_dir_req {
	const char *path;
	uint32_t mode, uid, gid;
};

static int build_dir(struct famfs_replay *r, uint64_t index, struct famfs_log_entry *e,
		     const void *arg)
{
	const struct famfs_dir_req *req = arg;

	e->le_type = htole32(FAMFS_LOG_MKDIR);
	e->le_mkdir.md_mode = htole32(req->mode & 07777);
	e->le_mkdir.md_uid = htole32(req->uid);
	e->le_mkdir.md_gid = htole32(req->gid);
	strcpy(e->le_mkdir.md_path, req->path);
	return 0;
}

/* famfs_log_append_mkdir() - log a directory (master only); same rules as files. */
int famfs_log_append_mkdir(struct famfs_media *m, const char *path, uint32_t mode,
			   uint32_t uid, uint32_t gid, uint64_t *index)
{
	struct famfs_dir_req req = { path, mode, uid, gid };

	return famfs_append(m, path, build_dir, &req, index, NULL);
}
