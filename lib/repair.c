// SPDX-License-Identifier: Apache-2.0
/*
 * repair.c - fsck --repair: a way out of a damaged log. An entry below next_index that
 * cannot be read (bad CRC or seqnum) stops every replay, so every later append fails; a
 * FILE or MKDIR entry that breaks famfs_entry_check() can never be applied, so every mount
 * reports it. The repair (master only, under the append lock) overwrites each such slot
 * with a valid FAMFS_LOG_VOID entry after reporting what is lost. The void entry keeps the lost entry's
 * extents that can still be trusted (inside their device, not used by any readable entry),
 * so that space stays allocated: a host may still map the lost file.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>

#include "famfs_priv.h"

/*
 * Must slot @i (its bytes in @raw) be voided? Yes if it cannot be read (bad seqnum or CRC),
 * or if it is a FILE or MKDIR entry that breaks famfs_entry_check(): replay could never
 * apply it. Unknown types are left alone (a newer minor version may know them). The reason
 * goes to @why.
 */
static bool repair_needed(const struct famfs_media *m, uint64_t i,
			  const struct famfs_log_entry *raw, char *why, size_t n)
{
	uint32_t type = le32toh(raw->le_type);

	if (le64toh(raw->le_seqnum) != i || le32toh(raw->le_crc) != famfs_log_entry_crc(raw)) {
		snprintf(why, n, "unreadable: bad le_seqnum or le_crc");
		return true;
	}
	return (type == FAMFS_LOG_FILE || type == FAMFS_LOG_MKDIR) &&
	       famfs_entry_check(raw, m->sb, why, n) != 0;
}

/* Mark the space of the entries that stay; count the others in *@nbad. */
static void repair_scan(struct famfs_media *m, struct famfs_alloc *a, uint64_t *nbad)
{
	uint64_t next = famfs_log_next_index(m), i, k;
	char why[FAMFS_WHY_LEN];
	struct famfs_log_entry e;
	const struct famfs_fmap_omf *fm;

	*nbad = 0;
	for (i = 0; i < next; i++) {
		if (famfs_log_get(m, i, &e) != 0 || repair_needed(m, i, &e, why, sizeof(why))) {
			(*nbad)++;	/* unreadable ones are logged by famfs_log_get() */
			continue;
		}
		if (le32toh(e.le_type) != FAMFS_LOG_FILE && le32toh(e.le_type) != FAMFS_LOG_VOID)
			continue;
		fm = le32toh(e.le_type) == FAMFS_LOG_FILE ? &e.le_file.fi_fmap : &e.le_void.vo_fmap;
		for (k = 0; k < le32toh(fm->fm_nextents) && k < FAMFS_MAX_EXTENTS; k++)
			famfs_alloc_mark(a, &fm->fm_ext[k]);
	}
}

/* Report what slot @i held, as far as its bytes still say, and why it goes (@why). */
static void repair_report_lost(uint64_t i, const struct famfs_log_entry *raw, bool dry_run,
			       const char *why)
{
	uint32_t type = le32toh(raw->le_type);
	char path[FAMFS_MAX_PATH];
	const char *src = type == FAMFS_LOG_FILE ? raw->le_file.fi_path :
			  type == FAMFS_LOG_MKDIR ? raw->le_mkdir.md_path : NULL;

	if (!src || famfs_entry_path(src, path) != 0)
		snprintf(path, sizeof(path), "(unreadable)");
	famfs_info("log entry %" PRIu64 ": %s void: lost %s '%s'%s (%s)", i,
		   dry_run ? "would be made" : "made", type == FAMFS_LOG_FILE ? "file" :
		   type == FAMFS_LOG_MKDIR ? "directory" : "entry of unknown type", path,
		   type == FAMFS_LOG_MKDIR ? "; files under it are not replayed" : "", why);
}

/* The void entry for unreadable slot @i: the lost file's trustworthy extents, marked. */
static void repair_build(struct famfs_media *m, struct famfs_alloc *a, uint64_t i,
			 const struct famfs_log_entry *raw, struct famfs_log_entry *e)
{
	const struct famfs_fmap_omf *old = &raw->le_file.fi_fmap;
	struct famfs_fmap_omf *fm = &e->le_void.vo_fmap;
	uint32_t k, n = 0, next = le32toh(old->fm_nextents);
	uint64_t bytes = 0;

	memset(e, 0, sizeof(*e));
	e->le_seqnum = htole64(i);
	e->le_type = htole32(FAMFS_LOG_VOID);
	e->le_void.vo_lost_type = raw->le_type;
	fm->fm_kind = htole32(FAMFS_FMAP_SIMPLE);
	for (k = 0; le32toh(raw->le_type) == FAMFS_LOG_FILE && k < next && k < FAMFS_MAX_EXTENTS;
	     k++) {
		if (famfs_extent_why(m->sb, &old->fm_ext[k], NULL, 0) != 0 ||
		    famfs_alloc_mark(a, &old->fm_ext[k]) != 0)
			continue;	/* outside its device, or another file's space */
		fm->fm_ext[n++] = old->fm_ext[k];
		bytes += le64toh(old->fm_ext[k].ext_len);
	}
	fm->fm_nextents = htole32(n);
	e->le_crc = htole32(famfs_log_entry_crc(e));
	famfs_info("log entry %" PRIu64 ": %u extents (%" PRIu64 " bytes) stay allocated", i, n,
		   bytes);
}

/* Void every slot repair_needed() names; *@nvoided counts them. */
static int repair_all(struct famfs_media *m, struct famfs_alloc *a, bool dry_run,
		      uint64_t *nvoided)
{
	uint64_t next = famfs_log_next_index(m), i;
	struct famfs_log_entry raw, e;
	char why[FAMFS_WHY_LEN];
	int rc = 0;

	for (i = 0; i < next && rc == 0; i++) {
		memcpy(&raw, famfs_slot(m, i), sizeof(raw));	/* refreshed by repair_scan() */
		if (!repair_needed(m, i, &raw, why, sizeof(why)))
			continue;
		repair_report_lost(i, &raw, dry_run, why);
		repair_build(m, a, i, &raw, &e);
		(*nvoided)++;
		if (dry_run)
			continue;
		memcpy(famfs_slot(m, i), &e, sizeof(e));
		rc = m->ops->persist(m, famfs_slot(m, i), sizeof(e));
	}
	return rc;
}

/* Master, writable (unless a dry run), a sound log header. */
static int repair_precheck(struct famfs_media *m, bool dry_run)
{
	char why[FAMFS_WHY_LEN];

	if (!famfs_media_is_master(m)) {
		famfs_err("cannot repair: this host is not the master (only the master changes "
			  "the log)");
		return -EPERM;
	}
	if (!dry_run && !m->rw) {
		famfs_err("cannot repair: file system opened read-only");
		return -EROFS;
	}
	if (famfs_log_header_check(famfs_lh(m), m->sb, why, sizeof(why)) != 0) {
		famfs_err("cannot repair: log header: %s", why);
		return -EUCLEAN;
	}
	return 0;
}

/* famfs_log_repair() - void every unreadable or invalid entry below next_index. */
int famfs_log_repair(struct famfs_media *m, bool dry_run, uint64_t *nvoided)
{
	struct famfs_alloc a;
	uint64_t nbad = 0;
	int rc = repair_precheck(m, dry_run);

	*nvoided = 0;
	if (rc)
		return rc;
	if (flock(m->fd, LOCK_EX) != 0)
		return -errno;
	rc = m->ops->refresh(m, famfs_lh(m), sizeof(struct famfs_log_header));
	if (rc == 0)
		rc = m->ops->refresh(m, famfs_slot(m, 0),
				     famfs_log_next_index(m) * FAMFS_LOG_ENTRY_SIZE);
	if (rc == 0)
		rc = famfs_alloc_init(&a, m->sb);
	if (rc == 0) {
		repair_scan(m, &a, &nbad);
		if (nbad)
			rc = repair_all(m, &a, dry_run, nvoided);
		famfs_alloc_free(&a);
	}
	flock(m->fd, LOCK_UN);
	return rc;
}
