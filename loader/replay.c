// SPDX-License-Identifier: Apache-2.0
/*
 * replay.c - load-maps / logplay: make a mounted famfs match its log.
 *
 * The module holds no metadata of its own. For every log entry this makes the directory,
 * or makes the file, puts its fmap into the pinned map and binds the file to its key
 * (FAMFS_IOC_BIND, bind.c: fixes its size and grants). The fmap goes in before the bind, so a file is
 * translatable from the moment it is visible. Entries already applied are left alone.
 *
 * The log is shared, untrusted input: before anything is made of an entry it must pass
 * libfamfs's famfs_entry_check() (NUL-terminated relative path without "..", "." or empty
 * components, nothing under .meta, a well-formed fmap inside the devices). An entry that
 * fails, or cannot be read, is reported by index and reason and applied to nothing; the
 * other entries are still replayed, and the replay returns an error at the end.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "loader.h"

/*
 * Client files are read-only unless logged writable on all hosts: mode bits without 'w',
 * and FAMFS_BIND_READONLY so the module refuses writes even from root.
 */
static uint32_t famfs_replay_mode(uint32_t mode, uint32_t flags, const struct famfs_replay_opts *o)
{
	mode &= 07777;
	if (o->as_client && !(flags & FAMFS_FILE_RW_ALL))
		mode &= ~0222;
	return mode;
}

/* Make directory @path. Return 1 if made, 0 if already there, -errno. */
static int famfs_make_dir(const char *path, uint32_t mode, uint32_t uid, uint32_t gid)
{
	struct stat st;

	if (!mkdir(path, mode)) {
		if (chown(path, uid, gid) || chmod(path, mode)) {
			famfs_msg(FAMFS_MSG_ERR, "%s: cannot set owner/mode: %s", path, strerror(errno));
			return -errno;
		}
		return 1;
	}
	if (errno == EEXIST && !stat(path, &st) && S_ISDIR(st.st_mode))
		return 0;
	famfs_msg(FAMFS_MSG_ERR, "cannot create directory %s: %s", path, strerror(errno));
	return -errno;
}

/*
 * The entry rules that need no superblock (famfs_replay_visit() checks the extents too),
 * then @mpt/@rel into @path. -EUCLEAN (reported) if the entry may not be applied.
 */
static int famfs_replay_path(const char *mpt, uint64_t index, const struct famfs_log_entry *e,
			     const char *rel, char path[PATH_MAX])
{
	char why[256];

	if (famfs_entry_check(e, NULL, why, sizeof(why))) {
		famfs_msg(FAMFS_MSG_ERR, "log entry %llu: %s; not applied",
			  (unsigned long long)index, why);
		return -EUCLEAN;
	}
	if (snprintf(path, PATH_MAX, "%s/%s", mpt, rel) >= PATH_MAX) {
		famfs_msg(FAMFS_MSG_ERR, "log entry %llu: %s/%s is too long; not applied",
			  (unsigned long long)index, mpt, rel);
		return -ENAMETOOLONG;
	}
	return 0;
}

int famfs_replay_entry(const char *mpt, int mapfd, uint32_t tag, uint64_t index,
		       const struct famfs_log_entry *e, const struct famfs_replay_opts *o,
		       struct famfs_replay_result *r)
{
	char path[PATH_MAX];
	struct famfs_fmap fm;
	bool added;
	int ret;

	switch (le32toh(e->le_type)) {
	case FAMFS_LOG_VOID:		/* a repaired slot: names no file */
	case FAMFS_LOG_RECLAIM:		/* the master's allocator state only */
		return 0;
	case FAMFS_LOG_DELETE:
		return famfs_apply_delete(mpt, mapfd, tag, index, e, o, r);
	}
	switch (le32toh(e->le_type)) {
	case FAMFS_LOG_MKDIR: {
		const struct famfs_mkdir_omf *d = &e->le_mkdir;

		ret = famfs_replay_path(mpt, index, e, d->md_path, path);
		if (ret)
			return ret;
		if (o->dry_run) {
			r->dirs_present += !access(path, F_OK);
			r->dirs_added += !!access(path, F_OK);
			return 0;
		}
		ret = famfs_make_dir(path, famfs_replay_mode(le32toh(d->md_mode), FAMFS_FILE_RW_ALL, o),
				     le32toh(d->md_uid), le32toh(d->md_gid));
		if (ret < 0)
			return ret;
		ret ? r->dirs_added++ : r->dirs_present++;
		if (ret && o->verbose)
			famfs_msg(FAMFS_MSG_INFO, "mkdir %s", path);
		return 0;
	}
	case FAMFS_LOG_FILE: {
		const struct famfs_file_omf *f = &e->le_file;
		uint64_t size = le64toh(f->fi_size);
		uint32_t flags = le32toh(f->fi_flags);
		uint64_t key = famfs_fmap_key(tag, (uint32_t)index + 1);

		ret = famfs_replay_path(mpt, index, e, f->fi_path, path);
		if (ret)
			return ret;
		ret = famfs_fmap_from_omf(&f->fi_fmap, size, flags, &fm);
		if (ret) {
			famfs_msg(FAMFS_MSG_ERR, "log entry %llu (%s): unsupported or malformed fmap",
				  (unsigned long long)index, f->fi_path);
			return ret;
		}
		if (o->dry_run) {
			r->files_present += !access(path, F_OK);
			r->files_added += !!access(path, F_OK);
			return 0;
		}
		ret = famfs_fmap_put(mapfd, key, &fm, &added);
		if (ret)
			return ret;
		r->fmaps_added += added;
		ret = famfs_bind_file(path, famfs_replay_mode(le32toh(f->fi_mode), flags, o),
				      le32toh(f->fi_uid), le32toh(f->fi_gid), key, &fm,
				      o->as_client && !(flags & FAMFS_FILE_RW_ALL) ?
				      FAMFS_BIND_READONLY : 0);
		if (ret < 0)
			famfs_msg(FAMFS_MSG_ERR, "log entry %llu (%s) not applied",
				  (unsigned long long)index, f->fi_path);
		if (ret < 0)
			return ret;
		ret ? r->files_added++ : r->files_present++;
		if (ret && o->verbose)
			famfs_msg(FAMFS_MSG_INFO, "file %s (%llu bytes)", path, (unsigned long long)size);
		return 0;
	}
	default:
		famfs_msg(FAMFS_MSG_ERR, "log entry %llu: unknown type %u", (unsigned long long)index,
			  le32toh(e->le_type));
		return -EINVAL;
	}
}

/* One metadata file: a simple fmap over [off, off+len) of device 0. */
static int famfs_meta_file(const char *mpt, const char *rel, int mapfd, uint32_t tag,
			   uint32_t low, uint64_t off, uint64_t len, bool client)
{
	struct famfs_fmap fm = {
		.kind = FAMFS_FMAP_SIMPLE, .nextents = 1, .size = len,
		.ext[0] = { .devindex = 0, .offset = off, .len = len },
	};
	char path[PATH_MAX];
	int ret;

	ret = famfs_fmap_put(mapfd, famfs_fmap_key(tag, low), &fm, NULL);
	if (ret)
		return ret;
	snprintf(path, sizeof(path), "%s/%s", mpt, rel);
	ret = famfs_bind_file(path, client ? 0444 : 0644, 0, 0, famfs_fmap_key(tag, low), &fm,
			      FAMFS_BIND_META | (client ? FAMFS_BIND_READONLY : 0));
	return ret < 0 ? ret : 0;
}

/*
 * .meta/.superblock and .meta/.log: the superblock is read once from the device with
 * O_DIRECT (never its page cache) to learn where the log is; from then on all metadata is
 * read and written through these two DAX files.
 */
static int famfs_meta_ensure(const char *mpt, const char *dev, int mapfd, bool *client,
			     uint32_t *tag)
{
	struct famfs_media *m;
	const struct famfs_superblock *sb;
	char path[PATH_MAX];
	bool sb_ro;
	int ret;

	ret = famfs_meta_source_open(mpt, dev, &m);
	if (ret)
		return ret;
	sb = famfs_media_sb(m);
	/* OMF >= 1.3: every host writes its client table slot through .meta/.superblock */
	sb_ro = *client && le16toh(sb->sb_omf_minor) < FAMFS_OMF_MINOR_DELETE;
	ret = famfs_mount_tag(mpt, tag);
	if (ret)
		goto out;
	*client = *client || !famfs_media_is_master(m);
	snprintf(path, sizeof(path), "%s/%s", mpt, FAMFS_META_DIR);
	ret = famfs_make_dir(path, 0755, 0, 0);
	if (ret >= 0)
		ret = famfs_meta_file(mpt, FAMFS_META_SB, mapfd, *tag, FAMFS_KEY_META_SB, 0,
				      FAMFS_SB_SIZE, sb_ro);
	if (!ret)
		ret = famfs_meta_file(mpt, FAMFS_META_LOG, mapfd, *tag, FAMFS_KEY_META_LOG,
				      le64toh(sb->sb_log_offset), le64toh(sb->sb_log_len), *client);
out:
	famfs_media_close(m);
	return ret < 0 ? ret : 0;
}

struct famfs_replay_walk {
	const char *mpt;
	int mapfd;
	uint32_t tag;
	const struct famfs_replay_opts *o;
	struct famfs_replay_result *r;
	uint64_t failed;	/* entries not applied: unreadable, invalid, or failed */
	int first_err;		/* the first of their errors */
	struct famfs_deletes deletes;	/* FILE entries deleted later are not made */
};

/* Note entry @index as not applied, with error @ret. */
static void famfs_replay_failed(struct famfs_replay_walk *w, int ret)
{
	if (!w->failed++)
		w->first_err = ret;
}

/* Check entry @index against every rule (extents against @sb too), then apply it. */
static void famfs_replay_visit(struct famfs_replay_walk *w, const struct famfs_superblock *sb,
			       uint64_t index, const struct famfs_log_entry *e)
{
	char why[256];
	int ret;

	w->r->next_index = index + 1;
	if (famfs_entry_check(e, sb, why, sizeof(why))) {
		famfs_msg(FAMFS_MSG_ERR, "log entry %llu: %s; not applied",
			  (unsigned long long)index, why);
		famfs_replay_failed(w, -EUCLEAN);
		return;
	}
	if (le32toh(e->le_type) == FAMFS_LOG_FILE && famfs_deletes_of_file(&w->deletes, index))
		return;	/* deleted later in the log: never made (its DELETE unbinds a stale one) */
	ret = famfs_replay_entry(w->mpt, w->mapfd, w->tag, index, e, w->o, w->r);
	if (ret)
		famfs_replay_failed(w, ret);
	if (ret && le32toh(e->le_type) == FAMFS_LOG_DELETE && w->r->applied > index)
		w->r->applied = index;	/* not applied: this host may still map the file */
}

/*
 * Every entry in [0, next_index): an unreadable one (reported by famfs_log_get()) or one
 * that fails is skipped and the rest go on. Return 0, or the first error after reporting
 * how many entries were not applied.
 */
static int famfs_replay_all(struct famfs_replay_walk *w, struct famfs_media *m)
{
	uint64_t next = famfs_log_next_index_fresh(m), i;
	struct famfs_log_entry e;
	int ret;

	ret = famfs_deletes_scan(m, false, &w->deletes);
	if (ret)
		return ret;
	w->r->applied = next;
	for (i = 0; i < next; i++) {
		ret = famfs_log_get(m, i, &e);
		if (ret) {
			w->r->next_index = i + 1;
			famfs_replay_failed(w, ret);
			if (w->r->applied > i)
				w->r->applied = i;	/* it may be a DELETE we did not apply */
			continue;
		}
		famfs_replay_visit(w, famfs_media_sb(m), i, &e);
	}
	famfs_deletes_free(&w->deletes);
	if (w->failed)
		famfs_msg(FAMFS_MSG_ERR, "%llu of %llu log entries not applied",
			  (unsigned long long)w->failed, (unsigned long long)next);
	return w->failed ? w->first_err : 0;
}

int famfs_load_maps(const char *mpt, const char *policy, const struct famfs_replay_opts *o,
		    struct famfs_replay_result *r)
{
	struct famfs_replay_opts opts = *o;
	struct famfs_replay_walk w = { .o = &opts, .r = r, .mapfd = -1 };
	struct famfs_ioc_stats st;
	struct famfs_media *m;
	char root[PATH_MAX], dev[PATH_MAX];
	int ret;

	memset(r, 0, sizeof(*r));
	ret = famfs_find_mount(mpt, root, sizeof(root), dev, sizeof(dev), NULL, 0);
	if (ret)
		return ret;
	w.mpt = root;
	ret = famfs_mount_stats(root, &st);
	if (ret)
		return ret;
	if (opts.dry_run) {	/* change nothing: read the log from the device (O_DIRECT) */
		ret = famfs_meta_source_open(root, dev, &m);
		if (ret)
			return ret;
		goto replay;
	}
	ret = famfs_mount_policy_ensure(root, dev, policy, &st);
	if (ret)
		return ret;
	w.mapfd = famfs_fmaps_open();
	if (w.mapfd < 0)
		return w.mapfd;
	ret = famfs_meta_ensure(root, dev, w.mapfd, &opts.as_client, &w.tag);
	if (ret)
		goto out;
	ret = famfs_client_join(root);	/* before the log is read: see docs/sharing.md */
	if (ret)
		goto out;
	ret = famfs_media_open_mount(root, FAMFS_OPEN_RDONLY, &m);
	if (ret)
		goto out;
replay:
	ret = famfs_replay_all(&w, m);
	if (!opts.dry_run)
		famfs_mount_set_space(root, m);	/* df: what this log allocates */
	famfs_media_close(m);
	if (!opts.dry_run) {
		int cret = famfs_client_applied(root, r->applied);

		ret = ret ? ret : cret;
	}
out:
	if (w.mapfd >= 0)
		close(w.mapfd);
	return ret;
}
