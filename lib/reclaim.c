// SPDX-License-Identifier: Apache-2.0
/*
 * reclaim.c - deletes and the reuse of their space (OMF >= 1.3): the shape rules of DELETE
 * and RECLAIM entries, the scan that says which FILE entries are deleted and which of those
 * are reclaimed (replay, fsck and the loader all decide from it, so every host decides the
 * same), and the master's two appends, DELETE and RECLAIM. The client table is clients.c.
 *
 * Everything here reads the log as untrusted: a DELETE or RECLAIM that names nothing valid
 * has no effect (fsck reports it).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>

#include "famfs_priv.h"

/* OMF >= 1.3 on @sb (NULL: not checked). */
static bool reclaim_omf_ok(const struct famfs_superblock *sb)
{
	return !sb || le16toh(sb->sb_omf_minor) >= FAMFS_OMF_MINOR_DELETE;
}

/* famfs_delete_entry_why() - the shape of a DELETE or RECLAIM entry (entry.c calls it). */
int famfs_delete_entry_why(const struct famfs_log_entry *e, const struct famfs_superblock *sb,
			   char *why, size_t n)
{
	uint64_t self = le64toh(e->le_seqnum);
	char path[FAMFS_MAX_PATH], r[FAMFS_WHY_LEN];

	if (!reclaim_omf_ok(sb))
		return famfs_why(why, n, EUCLEAN, "le_type %u needs OMF 1.%d (this is 1.%u)",
				 le32toh(e->le_type), FAMFS_OMF_MINOR_DELETE,
				 le16toh(sb->sb_omf_minor));
	if (le32toh(e->le_type) == FAMFS_LOG_DELETE) {
		if (le64toh(e->le_delete.de_file_index) >= self)
			return famfs_why(why, n, EUCLEAN, "de_file_index %" PRIu64 " is not before "
					 "the entry", (uint64_t)le64toh(e->le_delete.de_file_index));
		if (famfs_entry_path(e->le_delete.de_path, path) != 0)
			return famfs_why(why, n, EUCLEAN, "de_path not NUL-terminated");
		if (famfs_path_why(path, r, sizeof(r)) != 0)
			return famfs_why(why, n, EUCLEAN, "de_path '%s': %s", path, r);
		return 0;
	}
	if (le64toh(e->le_reclaim.rc_delete_index) >= self)
		return famfs_why(why, n, EUCLEAN, "rc_delete_index %" PRIu64 " is not before the "
				 "entry", (uint64_t)le64toh(e->le_reclaim.rc_delete_index));
	if (e->le_reclaim.rc_reserved)
		return famfs_why(why, n, EUCLEAN, "rc_reserved not 0");
	if (le64toh(e->le_reclaim.rc_min_applied) <= le64toh(e->le_reclaim.rc_delete_index))
		return famfs_why(why, n, EUCLEAN, "rc_min_applied %" PRIu64 " does not pass the "
				 "DELETE at %" PRIu64, (uint64_t)le64toh(e->le_reclaim.rc_min_applied),
				 (uint64_t)le64toh(e->le_reclaim.rc_delete_index));
	return 0;
}

/*
 * Entry @index read without a message: an unreadable entry is reported by the reader that
 * owns it (replay, fsck, the loader), not again here. One cache-invalidating retry, as
 * famfs_log_get(). Return: 0, -EBADMSG.
 */
static int quiet_get(struct famfs_media *m, uint64_t index, struct famfs_log_entry *e)
{
	if (index >= famfs_log_next_index(m) || index >= famfs_log_nslots(m))
		return -ERANGE;
	for (int k = 0; k < 2; k++) {
		memcpy(e, famfs_slot(m, index), sizeof(*e));
		if (le64toh(e->le_seqnum) == index && le32toh(e->le_crc) == famfs_log_entry_crc(e))
			return 0;
		if (k == 0 && m->ops->refresh(m, famfs_slot(m, index), FAMFS_LOG_ENTRY_SIZE))
			break;
	}
	return -EBADMSG;
}

/* ---- the scan --------------------------------------------------------------------- */
struct scan_ctx {
	struct famfs_media	*m;
	struct famfs_deletes	*d;
	bool			report;
};

__attribute__((format(printf, 3, 4)))
static void scan_bad(struct scan_ctx *c, uint64_t i, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	c->d->bad++;
	if (!c->report)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	famfs_err("log entry %" PRIu64 ": %s; no effect", i, msg);
}

static uint64_t fmap_bytes(const struct famfs_fmap_omf *fm)
{
	uint32_t n = le32toh(fm->fm_nextents), k;
	uint64_t total = 0;

	for (k = 0; k < n && k < FAMFS_MAX_EXTENTS; k++)
		total += le64toh(fm->fm_ext[k].ext_len);
	return total;
}

/* A DELETE at @i: its FILE entry must be valid, same path, not deleted before. */
static int scan_delete(struct scan_ctx *c, uint64_t i, const struct famfs_log_entry *e)
{
	uint64_t fi = le64toh(e->le_delete.de_file_index);
	struct famfs_log_entry f;
	struct famfs_delete_rec *v;

	if (quiet_get(c->m, fi, &f) != 0 || le32toh(f.le_type) != FAMFS_LOG_FILE ||
	    famfs_entry_check(&f, c->m->sb, NULL, 0) != 0) {
		scan_bad(c, i, "DELETE names entry %" PRIu64 ", not a valid FILE entry", fi);
		return 0;
	}
	if (strncmp(f.le_file.fi_path, e->le_delete.de_path, FAMFS_MAX_PATH) != 0) {
		scan_bad(c, i, "DELETE of '%.*s' names entry %" PRIu64 ", which is '%.*s'",
			 FAMFS_MAX_PATH, e->le_delete.de_path, fi, FAMFS_MAX_PATH,
			 f.le_file.fi_path);
		return 0;
	}
	if (famfs_deletes_of_file(c->d, fi)) {
		scan_bad(c, i, "DELETE of entry %" PRIu64 " again", fi);
		return 0;
	}
	v = realloc(c->d->v, (c->d->n + 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	c->d->v = v;
	v[c->d->n++] = (struct famfs_delete_rec){
		.file_index = fi, .delete_index = i, .reclaim_index = FAMFS_NO_INDEX,
		.bytes = fmap_bytes(&f.le_file.fi_fmap),
	};
	return 0;
}

static int scan_visit(uint64_t i, const struct famfs_log_entry *e, void *arg)
{
	struct scan_ctx *c = arg;
	uint32_t type = le32toh(e->le_type);
	struct famfs_delete_rec *rec;
	uint64_t di;

	if (type != FAMFS_LOG_DELETE && type != FAMFS_LOG_RECLAIM)
		return 0;
	if (famfs_entry_check(e, c->m->sb, NULL, 0) != 0)
		return 0;	/* the entry rules: fsck reports it */
	if (type == FAMFS_LOG_DELETE)
		return scan_delete(c, i, e);
	di = le64toh(e->le_reclaim.rc_delete_index);
	rec = (struct famfs_delete_rec *)famfs_deletes_at(c->d, di);
	if (!rec)
		scan_bad(c, i, "RECLAIM names entry %" PRIu64 ", not a valid DELETE", di);
	else if (rec->reclaim_index != FAMFS_NO_INDEX)
		scan_bad(c, i, "RECLAIM of the DELETE at %" PRIu64 " again (first at %" PRIu64 ")",
			 di, rec->reclaim_index);
	else
		rec->reclaim_index = i;
	return 0;
}

/* famfs_deletes_scan() - the valid DELETEs and RECLAIMs of the log. */
int famfs_deletes_scan(struct famfs_media *m, bool report, struct famfs_deletes *d)
{
	struct scan_ctx c = { .m = m, .d = d, .report = report };
	uint64_t next = famfs_log_next_index(m), i;
	struct famfs_log_entry e;
	int rc = 0;

	memset(d, 0, sizeof(*d));
	if (!reclaim_omf_ok(m->sb))
		return 0;
	for (i = 0; i < next && rc == 0; i++) {
		if (quiet_get(m, i, &e) == 0)
			rc = scan_visit(i, &e, &c);
	}
	if (rc)
		famfs_deletes_free(d);
	return rc;
}

void famfs_deletes_free(struct famfs_deletes *d)
{
	free(d->v);
	memset(d, 0, sizeof(*d));
}

const struct famfs_delete_rec *famfs_deletes_of_file(const struct famfs_deletes *d,
						     uint64_t file_index)
{
	uint64_t k;

	for (k = 0; k < d->n; k++)
		if (d->v[k].file_index == file_index)
			return &d->v[k];
	return NULL;
}

/* Records are in DELETE order: binary search. */
const struct famfs_delete_rec *famfs_deletes_at(const struct famfs_deletes *d,
						uint64_t delete_index)
{
	uint64_t lo = 0, hi = d->n;

	while (lo < hi) {
		uint64_t mid = lo + (hi - lo) / 2;

		if (d->v[mid].delete_index == delete_index)
			return &d->v[mid];
		if (d->v[mid].delete_index < delete_index)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

uint64_t famfs_deletes_pending(const struct famfs_deletes *d)
{
	uint64_t k, bytes = 0;

	for (k = 0; k < d->n; k++)
		if (d->v[k].reclaim_index == FAMFS_NO_INDEX)
			bytes += d->v[k].bytes;
	return bytes;
}

/* ---- appends ---------------------------------------------------------------------- */
/* The live FILE entry at @path: the last valid one with that path that is not deleted. */
static int live_file(struct famfs_media *m, const struct famfs_deletes *d, const char *path,
		     uint64_t *file_index)
{
	uint64_t next = famfs_log_next_index(m), i;
	struct famfs_log_entry e;
	bool found = false;

	for (i = 0; i < next; i++) {
		if (famfs_log_get(m, i, &e) != 0)
			return -EBADMSG;
		if (le32toh(e.le_type) != FAMFS_LOG_FILE || famfs_entry_check(&e, m->sb, NULL, 0) ||
		    strncmp(e.le_file.fi_path, path, FAMFS_MAX_PATH) || famfs_deletes_of_file(d, i))
			continue;
		*file_index = i;
		found = true;
	}
	return found ? 0 : -ENOENT;
}

static int reclaim_precheck(struct famfs_media *m, const char *what)
{
	if (!famfs_media_is_master(m)) {
		famfs_err("cannot %s: this host is not the master: only the master changes the log",
			  what);
		return -EPERM;
	}
	if (!m->rw) {
		famfs_err("cannot %s: file system opened read-only", what);
		return -EROFS;
	}
	if (!reclaim_omf_ok(m->sb)) {
		famfs_err("cannot %s: the file system is OMF 1.%u; deleting needs 1.%d (a new mkfs)",
			  what, le16toh(m->sb->sb_omf_minor), FAMFS_OMF_MINOR_DELETE);
		return -EOPNOTSUPP;
	}
	return 0;
}

/* Under the lock: the header re-read and checked, a free slot at *@index. */
static int reclaim_header(struct famfs_media *m, uint64_t *index)
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

/* Under the lock: fresh header and slots, and the deletes. */
static int reclaim_prepare(struct famfs_media *m, uint64_t *index, struct famfs_deletes *d)
{
	int rc = reclaim_header(m, index);

	if (rc == 0)
		rc = m->ops->refresh(m, famfs_slot(m, 0), (*index + 1) * FAMFS_LOG_ENTRY_SIZE);
	if (rc == 0)
		rc = famfs_deletes_scan(m, false, d);
	return rc;
}

/* famfs_log_append_delete() - log a DELETE of the live file at @path (master). */
int famfs_log_append_delete(struct famfs_media *m, const char *path, uint64_t *index,
			    uint64_t *file_index)
{
	struct famfs_log_entry e;
	struct famfs_deletes d;
	char what[FAMFS_MAX_PATH + 16];
	uint64_t i, fi = 0;
	int rc;

	snprintf(what, sizeof(what), "delete '%.*s'", FAMFS_MAX_PATH, path ? path : "");
	rc = reclaim_precheck(m, what);

	if (rc == 0)
		rc = famfs_path_check(path);
	if (rc)
		return rc;
	if (flock(m->fd, LOCK_EX) != 0)
		return -errno;
	rc = reclaim_prepare(m, &i, &d);
	if (rc == 0) {
		rc = live_file(m, &d, path, &fi);
		if (rc == -ENOENT)
			famfs_err("cannot delete '%s': no file of that path is logged", path);
		famfs_deletes_free(&d);
	}
	if (rc == 0) {
		memset(&e, 0, sizeof(e));
		e.le_type = htole32(FAMFS_LOG_DELETE);
		e.le_seqnum = htole64(i);
		e.le_delete.de_file_index = htole64(fi);
		strcpy(e.le_delete.de_path, path);	/* length checked by famfs_path_check() */
		rc = famfs_append_commit(m, &e, i);
	}
	flock(m->fd, LOCK_UN);
	if (rc == 0 && index)
		*index = i;
	if (rc == 0 && file_index)
		*file_index = fi;
	return rc;
}

/* famfs_log_reclaim() - RECLAIM every pending DELETE that every client has applied. */
int famfs_log_reclaim(struct famfs_media *m, struct famfs_clients *t, uint64_t *nreclaimed)
{
	struct famfs_log_entry e;
	struct famfs_deletes d;
	uint64_t i, k, min, done = 0;
	uint32_t nclients;
	int rc = reclaim_precheck(m, "reclaim");

	if (rc)
		return rc;
	if (flock(m->fd, LOCK_EX) != 0)
		return -errno;
	rc = reclaim_prepare(m, &i, &d);
	if (rc == 0) {
		__atomic_thread_fence(__ATOMIC_SEQ_CST);	/* DELETEs published before the read */
		famfs_clients_min_applied(t, &min, &nclients);
		for (k = 0; k < d.n && rc == 0; k++) {
			if (d.v[k].reclaim_index != FAMFS_NO_INDEX || min <= d.v[k].delete_index)
				continue;
			rc = i < famfs_log_nslots(m) ? 0 : -E2BIG;
			if (rc) {
				famfs_err("log full: cannot log the reclaim of entry %" PRIu64,
					  d.v[k].delete_index);
				break;
			}
			memset(&e, 0, sizeof(e));
			e.le_type = htole32(FAMFS_LOG_RECLAIM);
			e.le_reclaim.rc_delete_index = htole64(d.v[k].delete_index);
			e.le_reclaim.rc_min_applied = htole64(min);
			e.le_reclaim.rc_nclients = htole32(nclients);
			rc = famfs_append_commit(m, &e, i);
			if (rc == 0) {
				famfs_info("reclaimed %" PRIu64 " bytes of the file deleted at entry %"
					   PRIu64 " (entry %" PRIu64 ")", d.v[k].bytes,
					   d.v[k].delete_index, i);
				i++;
				done++;
			}
		}
		famfs_deletes_free(&d);
	}
	flock(m->fd, LOCK_UN);
	if (nreclaimed)
		*nreclaimed = done;
	return rc;
}

/* ---- fsck ------------------------------------------------------------------------- */
struct fsck_file {
	uint64_t index;
	struct famfs_fmap_omf fm;
};

static bool ext_overlap(const struct famfs_extent_omf *x, const struct famfs_extent_omf *y)
{
	uint64_t xo = le64toh(x->ext_offset), xl = le64toh(x->ext_len);
	uint64_t yo = le64toh(y->ext_offset), yl = le64toh(y->ext_len);

	return x->ext_devindex == y->ext_devindex && xo < yo + yl && yo < xo + xl;
}

static bool fmap_overlap(const struct famfs_fmap_omf *a, const struct famfs_fmap_omf *b)
{
	uint32_t na = le32toh(a->fm_nextents), nb = le32toh(b->fm_nextents), i, j;

	for (i = 0; i < na && i < FAMFS_MAX_EXTENTS; i++)
		for (j = 0; j < nb && j < FAMFS_MAX_EXTENTS; j++)
			if (ext_overlap(&a->fm_ext[i], &b->fm_ext[j]))
				return true;
	return false;
}

/* The valid FILE entries of the log (their extents inside their devices). */
static int fsck_files(struct famfs_media *m, struct fsck_file **out, uint64_t *n)
{
	uint64_t next = famfs_log_next_index(m), i;
	struct famfs_log_entry e;
	struct fsck_file *v = NULL, *nv;

	*n = 0;
	for (i = 0; i < next; i++) {
		if (quiet_get(m, i, &e) != 0 || le32toh(e.le_type) != FAMFS_LOG_FILE ||
		    famfs_entry_check(&e, m->sb, NULL, 0) != 0)
			continue;
		nv = realloc(v, (*n + 1) * sizeof(*v));
		if (!nv) {
			free(v);
			return -ENOMEM;
		}
		v = nv;
		v[*n].index = i;
		v[(*n)++].fm = e.le_file.fi_fmap;
	}
	*out = v;
	return 0;
}

/*
 * One overlapping pair, @a logged before @b (at least one deleted): @b was allocated while
 * @a's space was still held (b < a's RECLAIM, or a never deleted) is a conflict: an early
 * reuse if @a was deleted by then, else a cross-link.
 */
static void fsck_pair(const struct famfs_deletes *d, uint64_t a, uint64_t b, uint64_t *early,
		      uint64_t *cross)
{
	const struct famfs_delete_rec *ra = famfs_deletes_of_file(d, a);

	if (ra && ra->reclaim_index != FAMFS_NO_INDEX && b > ra->reclaim_index)
		return;	/* a reuse after the reclaim: fine */
	if (ra && b > ra->delete_index) {
		(*early)++;
		famfs_err("log entry %" PRIu64 ": reuses the space of the file of entry %" PRIu64
			  " (deleted at %" PRIu64 ") before every client applied the delete "
			  "(no RECLAIM before it)", b, a, ra->delete_index);
		return;
	}
	(*cross)++;
	famfs_err("log entry %" PRIu64 ": shares space with the file of entry %" PRIu64
		  " while both were live", b, a);
}

/* famfs_reclaim_fsck() - overlaps involving a deleted file, in log order (fsck.c). */
int famfs_reclaim_fsck(struct famfs_media *m, const struct famfs_deletes *d, uint64_t *early,
		       uint64_t *cross)
{
	struct fsck_file *f;
	uint64_t n, k, j;
	int rc;

	*early = *cross = 0;
	if (d->n == 0)
		return 0;
	rc = fsck_files(m, &f, &n);
	if (rc)
		return rc;
	for (k = 0; k < n; k++) {
		if (!famfs_deletes_of_file(d, f[k].index))
			continue;
		for (j = 0; j < n; j++) {
			if (j == k || (famfs_deletes_of_file(d, f[j].index) && j < k))
				continue;	/* each pair once */
			if (!fmap_overlap(&f[k].fm, &f[j].fm))
				continue;
			if (f[k].index < f[j].index)
				fsck_pair(d, f[k].index, f[j].index, early, cross);
			else
				fsck_pair(d, f[j].index, f[k].index, early, cross);
		}
	}
	free(f);
	return 0;
}

/* famfs_deletes_mark_pending() - mark the extents of deleted files pending reclaim in @a. */
int famfs_deletes_mark_pending(struct famfs_media *m, const struct famfs_deletes *d,
			       struct famfs_alloc *a)
{
	struct famfs_log_entry e;
	uint64_t k;
	uint32_t x;

	for (k = 0; k < d->n; k++) {
		if (d->v[k].reclaim_index != FAMFS_NO_INDEX ||
		    quiet_get(m, d->v[k].file_index, &e) != 0)
			continue;
		for (x = 0; x < le32toh(e.le_file.fi_fmap.fm_nextents) && x < FAMFS_MAX_EXTENTS; x++)
			famfs_alloc_mark(a, &e.le_file.fi_fmap.fm_ext[x]);
	}
	return 0;
}

uint64_t famfs_log_next_index_fresh(struct famfs_media *m)
{
	m->ops->refresh(m, &famfs_lh(m)->lh_next_index, sizeof(famfs_lh(m)->lh_next_index));
	return famfs_log_next_index(m);
}
