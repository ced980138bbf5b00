// SPDX-License-Identifier: Apache-2.0
/*
 * entry.c - the one set of rules a log entry must meet before anything is made of it:
 * append (before an entry is written), allocator replay, fsck and the loader (before it
 * touches a mount) all call famfs_entry_why() / famfs_entry_check().
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "famfs_priv.h"

/* Fail with @f as the fault class. */
static int entry_fault(enum famfs_entry_fault *fault, enum famfs_entry_fault f, int rc)
{
	if (fault)
		*fault = f;
	return rc;
}

/* Logged path field @name at @src: NUL-terminated and valid (famfs_path_why()). */
static int entry_path_why(const char *name, const char *src, char *why, size_t n)
{
	char path[FAMFS_MAX_PATH], r[FAMFS_WHY_LEN];

	if (famfs_entry_path(src, path) != 0)
		return famfs_why(why, n, EUCLEAN, "%s not NUL-terminated", name);
	if (famfs_path_why(path, r, sizeof(r)) != 0)
		return famfs_why(why, n, EUCLEAN, "%s '%s': %s", name, path, r);
	return 0;
}

/* famfs_entry_extents_why() - the first @next extents of @fm inside @sb's devices. */
int famfs_entry_extents_why(const struct famfs_superblock *sb, const struct famfs_fmap_omf *fm,
			    uint32_t next, char *why, size_t n)
{
	char r[FAMFS_WHY_LEN];
	uint32_t k;

	for (k = 0; k < next && k < FAMFS_MAX_EXTENTS; k++)
		if (famfs_extent_why(sb, &fm->fm_ext[k], r, sizeof(r)) != 0)
			return famfs_why(why, n, EUCLEAN, "fm_ext[%u]: %s", k, r);
	return 0;
}

static int entry_file_why(const struct famfs_file_omf *f, const struct famfs_superblock *sb,
			  char *why, size_t n, enum famfs_entry_fault *fault)
{
	uint32_t flags = le32toh(f->fi_flags), mode = le32toh(f->fi_mode);

	if (entry_path_why("fi_path", f->fi_path, why, n) != 0)
		return entry_fault(fault, FAMFS_ENTRY_BAD_PATH, -EUCLEAN);
	if (flags & ~(uint32_t)FAMFS_FILE_RW_ALL)
		return entry_fault(fault, FAMFS_ENTRY_BAD_SHAPE,
				   famfs_why(why, n, EUCLEAN, "fi_flags 0x%x unknown", flags));
	if (mode & ~07777U)
		return entry_fault(fault, FAMFS_ENTRY_BAD_SHAPE,
				   famfs_why(why, n, EUCLEAN, "fi_mode 0%o is not 07777 bits", mode));
	if (famfs_fmap_shape_why(f, why, n) != 0)
		return entry_fault(fault, FAMFS_ENTRY_BAD_SHAPE, -EUCLEAN);
	if (sb && famfs_entry_extents_why(sb, &f->fi_fmap, le32toh(f->fi_fmap.fm_nextents),
					  why, n) != 0)
		return entry_fault(fault, FAMFS_ENTRY_BAD_EXTENT, -EUCLEAN);
	return 0;
}

static int entry_dir_why(const struct famfs_mkdir_omf *d, char *why, size_t n,
			 enum famfs_entry_fault *fault)
{
	uint32_t mode = le32toh(d->md_mode);

	if (entry_path_why("md_path", d->md_path, why, n) != 0)
		return entry_fault(fault, FAMFS_ENTRY_BAD_PATH, -EUCLEAN);
	if (mode & ~07777U)
		return entry_fault(fault, FAMFS_ENTRY_BAD_SHAPE,
				   famfs_why(why, n, EUCLEAN, "md_mode 0%o is not 07777 bits", mode));
	return 0;
}

static int entry_void_why(const struct famfs_void_omf *v, const struct famfs_superblock *sb,
			  char *why, size_t n, enum famfs_entry_fault *fault)
{
	const struct famfs_fmap_omf *fm = &v->vo_fmap;
	uint32_t next = le32toh(fm->fm_nextents);

	if (le32toh(fm->fm_kind) != FAMFS_FMAP_SIMPLE || next > FAMFS_MAX_EXTENTS ||
	    fm->fm_chunk_size != 0)
		return entry_fault(fault, FAMFS_ENTRY_BAD_SHAPE,
				   famfs_why(why, n, EUCLEAN, "void entry: fm_kind %u fm_nextents %u "
					     "is not a simple fmap of 0..%d extents",
					     le32toh(fm->fm_kind), next, FAMFS_MAX_EXTENTS));
	if (sb && famfs_entry_extents_why(sb, fm, next, why, n) != 0)
		return entry_fault(fault, FAMFS_ENTRY_BAD_EXTENT, -EUCLEAN);
	return 0;
}

/* famfs_entry_why() - famfs_entry_check(), and which class of rule failed in *@fault. */
int famfs_entry_why(const struct famfs_log_entry *e, const struct famfs_superblock *sb,
		    char *why, size_t n, enum famfs_entry_fault *fault)
{
	entry_fault(fault, FAMFS_ENTRY_OK, 0);
	switch (le32toh(e->le_type)) {
	case FAMFS_LOG_FILE:
		return entry_file_why(&e->le_file, sb, why, n, fault);
	case FAMFS_LOG_MKDIR:
		return entry_dir_why(&e->le_mkdir, why, n, fault);
	case FAMFS_LOG_VOID:
		return entry_void_why(&e->le_void, sb, why, n, fault);
	case FAMFS_LOG_DELETE:
	case FAMFS_LOG_RECLAIM:
		if (famfs_delete_entry_why(e, sb, why, n) != 0)
			return entry_fault(fault, FAMFS_ENTRY_BAD_SHAPE, -EUCLEAN);
		return 0;
	default:
		return entry_fault(fault, FAMFS_ENTRY_BAD_TYPE,
				   famfs_why(why, n, EUCLEAN, "le_type %u is unknown",
					     le32toh(e->le_type)));
	}
}

/* famfs_entry_check() - may entry @e be applied? (See libfamfs.h.) */
int famfs_entry_check(const struct famfs_log_entry *e, const struct famfs_superblock *sb,
		      char *why, size_t whylen)
{
	return famfs_entry_why(e, sb, why, whylen, NULL);
}
