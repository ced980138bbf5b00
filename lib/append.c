// SPDX-License-Identifier: Apache-2.0
/*
 * append.c - adding entries to the log (master only). Everything is checked before a byte
 * is written; in an append session (session.c: flock(LOCK_EX), the log replayed once and
 * the state revalidated before each entry) the entry is built from the replayed allocator
 * and paths, checked with famfs_entry_check(), written with its CRC and persisted, and only
 * then is lh_next_index advanced and persisted: readers never see a half-written entry.
 * A single append (famfs_log_append_file/mkdir) is a session of one entry.
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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
	char fs[PATH_MAX], me[UUID_STR_LEN] = "?", master[UUID_STR_LEN], what[FAMFS_MAX_PATH + 8];
	uuid_t u;

	append_fs_name(m, fs, sizeof(fs));
	if (famfs_system_uuid(u) == 0)
		uuid_unparse_lower(u, me);
	uuid_unparse_lower(m->sb->sb_master_uuid, master);
	if (path)
		snprintf(what, sizeof(what), " '%s'", path);
	else
		what[0] = '\0';
	famfs_err("cannot log%s: this host is not the master of %s: only the master changes "
		  "the log (this host %s, master %s)", what, fs, me, master);
	return -EPERM;
}

/*
 * Checks that need neither the lock nor the log: master first (the most basic refusal, and
 * a client opens its mount read-only, so it must hear "not the master", not "read-only"),
 * then writable, then path syntax (@path NULL: no path yet, the session's begin).
 */
int famfs_append_precheck(struct famfs_media *m, const char *path)
{
	if (!famfs_media_is_master(m))
		return append_not_master(m, path);
	if (!m->rw) {
		famfs_err("cannot log%s%s%s: file system opened read-only", path ? " '" : "",
			  path ? path : "", path ? "'" : "");
		return -EROFS;
	}
	return path ? famfs_path_check(path) : 0;
}

/* Under the lock, state current: a free slot, path not taken, parent logged. */
static int append_prepare(struct famfs_append_session *s, const char *path, uint64_t *index)
{
	int rc = famfs_session_sync(s);

	if (rc)
		return rc;
	*index = famfs_log_next_index(s->m);
	if (*index >= famfs_log_nslots(s->m)) {
		famfs_err("log full: all %" PRIu64 " slots used", famfs_log_nslots(s->m));
		return -E2BIG;
	}
	rc = famfs_pathset_check_new(&s->r.paths, path);
	if (rc == -EEXIST)
		famfs_err("cannot log '%s': the path is already logged", path);
	else if (rc == -ENOENT)
		famfs_err("cannot log '%s': its parent directory is not logged", path);
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

/* One append in session @s: checks, build from the kept state, write, keep state in step. */
static int session_append(struct famfs_append_session *s, const char *path,
			  famfs_build_fn build, const void *arg, uint64_t *index,
			  struct famfs_log_entry *out)
{
	struct famfs_log_entry e;
	uint64_t i;
	int rc = famfs_append_precheck(s->m, path);

	if (rc == 0)
		rc = append_prepare(s, path, &i);
	if (rc)
		return rc;
	memset(&e, 0, sizeof(e));
	rc = build(&s->r, i, &e, arg);		/* from here the allocator holds new marks */
	if (rc == 0)
		rc = famfs_alloc_error(&s->r.alloc);
	if (rc == 0)
		rc = append_entry_ok(s->m, path, &e);
	if (rc == 0)
		rc = append_commit(s->m, &e, i);
	if (rc) {
		famfs_replay_free(&s->r);	/* marks of an entry never written */
		s->valid = false;
		return rc;
	}
	famfs_session_added(s, &e);
	if (index)
		*index = i;
	if (out)
		*out = e;
	return 0;
}

/* A single append: its own session (lock, replay, append, unlock). */
static int append_once(struct famfs_media *m, const char *path, famfs_build_fn build,
		       const void *arg, uint64_t *index, struct famfs_log_entry *out)
{
	struct famfs_append_session *s;
	int rc = famfs_append_precheck(m, path);

	if (rc == 0)
		rc = famfs_append_begin(m, &s);
	if (rc)
		return rc;
	rc = session_append(s, path, build, arg, index, out);
	famfs_append_end(s);
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
	return append_once(m, req->path, build_file, req, index, out);
}

/* famfs_append_file() - famfs_log_append_file() inside session @s. */
int famfs_append_file(struct famfs_append_session *s, const struct famfs_file_req *req,
		      uint64_t *index, struct famfs_log_entry *out)
{
	char why[FAMFS_WHY_LEN];
	int rc = famfs_file_req_why(s->m->sb, req, why, sizeof(why));

	if (rc) {
		famfs_err("cannot log '%s': %s", req->path ? req->path : "", why);
		return rc;
	}
	return session_append(s, req->path, build_file, req, index, out);
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

	return append_once(m, path, build_dir, &req, index, NULL);
}

/* famfs_append_mkdir() - famfs_log_append_mkdir() inside session @s. */
int famfs_append_mkdir(struct famfs_append_session *s, const char *path, uint32_t mode,
		       uint32_t uid, uint32_t gid, uint64_t *index, struct famfs_log_entry *out)
{
	struct famfs_dir_req req = { path, mode, uid, gid };

	return session_append(s, path, build_dir, &req, index, out);
}

/* famfs_append_commit() - for the other appends (reclaim.c), under the lock: append_commit(). */
int famfs_append_commit(struct famfs_media *m, struct famfs_log_entry *e, uint64_t index)
{
	return append_commit(m, e, index);
}
