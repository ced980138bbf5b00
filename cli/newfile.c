// SPDX-License-Identifier: Apache-2.0
/*
 * newfile.c - what cp, creat and mkdir share: log a new file or directory on the master
 * through the mount's .meta/.log, then apply that one entry to the mount.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

/*
 * Refuse before logging what could not be made in the mount afterwards (a refused command
 * leaves the log unchanged): @rel must be a valid famfs path (not .meta or under it), @path
 * must not exist yet, and its parent must be a directory in the mount.
 */
static int cli_path_free(const char *path, const char *rel)
{
	char parent[PATH_MAX], *slash;
	struct stat st;

	if (famfs_path_check(rel))
		return -EINVAL;		/* reported, naming the rule */
	if (!lstat(path, &st)) {
		famfs_msg(FAMFS_MSG_ERR, "%s: already exists", path);
		return -EEXIST;
	}
	snprintf(parent, sizeof(parent), "%s", path);
	slash = strrchr(parent, '/');
	if (slash && slash != parent)
		*slash = '\0';
	if (slash && (stat(parent, &st) || !S_ISDIR(st.st_mode))) {
		famfs_msg(FAMFS_MSG_ERR, "%s: parent %s is not a directory in the mount", path,
			  parent);
		return -ENOENT;
	}
	return 0;
}

/*
 * The mount being appended to: its media, the append session (the log lock and the state
 * replayed once, cli_append_hold()), the fmap map and the mount's key tag. Without hold it
 * lives for one cli_new_file()/cli_new_dir() call, as a single append.
 */
static struct cli_appender {
	bool hold;
	char mpt[PATH_MAX];
	struct famfs_media *m;			/* NULL: nothing open */
	struct famfs_append_session *s;		/* NULL: one append at a time */
	int mapfd;
	uint32_t tag;
} app = { .mapfd = -1 };

static void app_close(void)
{
	famfs_append_end(app.s);
	app.s = NULL;
	if (app.m && app.mpt[0])	/* df sees what was added: once per call or held session */
		famfs_mount_set_space(app.mpt, app.m);
	famfs_media_close(app.m);
	app.m = NULL;
	if (app.mapfd >= 0)
		close(app.mapfd);
	app.mapfd = -1;
	app.mpt[0] = '\0';
}

/* The master's media, the fmap map, the tag and (held) the session of mount @mpt. */
static int app_open_master(const char *mpt)
{
	int ret;

	famfs_media_close(app.m);
	app.m = NULL;
	ret = famfs_media_open_mount(mpt, FAMFS_OPEN_RDWR, &app.m);
	if (!ret)
		ret = famfs_mount_tag(mpt, &app.tag);
	if (!ret) {
		uint64_t nrec;

		ret = cli_reclaim(app.m, &nrec);	/* deleted space every client let go of */
	}
	if (!ret) {
		app.mapfd = famfs_fmaps_open();
		ret = app.mapfd < 0 ? app.mapfd : 0;
	}
	if (!ret && app.hold)
		ret = famfs_append_begin(app.m, &app.s);
	return ret;
}

/* Open (or keep) the appender of the mount holding @path; *rel = @path inside it. */
static int app_open(const char *path, char *rel, size_t rellen)
{
	char mpt[PATH_MAX];
	int ret = famfs_find_mount(path, mpt, sizeof(mpt), NULL, 0, rel, rellen);

	if (ret)
		return ret;
	if (!*rel) {
		famfs_msg(FAMFS_MSG_ERR, "%s: is the mount point itself", path);
		return -EINVAL;
	}
	if (app.m && !strcmp(app.mpt, mpt))
		return cli_path_free(path, rel);
	app_close();
	ret = famfs_mount_ready(mpt) ?: cli_path_free(path, rel);
	if (ret)
		return ret;
	/* Read-only first: a client's .meta/.log refuses writable maps, and the append then
	 * refuses it as "not the master", naming both hosts. */
	ret = famfs_media_open_mount(mpt, FAMFS_OPEN_RDONLY, &app.m);
	if (!ret && famfs_media_is_master(app.m))
		ret = app_open_master(mpt);
	if (ret) {
		app_close();
		return ret;
	}
	snprintf(app.mpt, sizeof(app.mpt), "%s", mpt);
	return 0;
}

/* Done with one call: keep the appender when held, else close it. */
static int app_done(int ret)
{
	if (!app.hold)
		app_close();
	return ret;
}

void cli_append_hold(void)
{
	app.hold = true;
}

void cli_append_release(void)
{
	app.hold = false;
	app_close();
}

static int cli_apply(uint64_t index, const struct famfs_log_entry *e)
{
	struct famfs_replay_opts o = { .verbose = cli_verbose };
	struct famfs_replay_result r = { 0 };

	return famfs_replay_entry(app.mpt, app.mapfd, app.tag, index, e, &o, &r);
}

/* Refuse an interleaved file on a mount whose policy cannot resolve it (before logging). */
static int cli_layout_supported(const struct famfs_file_req *req)
{
	struct famfs_ioc_stats st;

	if (!req->nstrips || famfs_mount_stats(app.mpt, &st) || !st.policy_attached ||
	    (st.policy_kinds & FAMFS_FMAP_KIND_BIT(FAMFS_FMAP_INTERLEAVE)))
		return 0;
	famfs_msg(FAMFS_MSG_ERR, "%s uses policy %s, which cannot resolve interleaved files (famfsctl policy set %s famfs_interleave)",
		  app.mpt, st.policy, app.mpt);
	return -EOPNOTSUPP;
}

static int cli_log_file(const char *rel, const struct famfs_file_req *tmpl)
{
	struct famfs_file_req req = *tmpl;
	struct famfs_log_entry e;
	uint64_t index;
	int ret = cli_layout_supported(tmpl);

	req.path = rel;
	if (!ret)
		ret = app.s ? famfs_append_file(app.s, &req, &index, &e) :
			      famfs_log_append_file(app.m, &req, &index, &e);
	return ret ?: cli_apply(index, &e);
}

int cli_new_file(const char *path, const struct famfs_file_req *tmpl)
{
	char rel[PATH_MAX], full[PATH_MAX];
	int ret, fd;

	ret = app_open(path, rel, sizeof(rel));
	if (!ret)
		ret = cli_log_file(rel, tmpl);
	if (ret)
		return app_done(ret);
	snprintf(full, sizeof(full), "%s/%s", app.mpt, rel);
	app_done(0);
	fd = open(full, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		ret = -errno;
		famfs_msg(FAMFS_MSG_ERR, "%s: logged but cannot open: %s", full, strerror(-ret));
		return ret;
	}
	ret = cli_zero_tail(fd, full, tmpl->size);
	if (ret) {
		close(fd);
		return ret;
	}
	return fd;
}

int cli_new_dir(const char *path, uint32_t mode, uint32_t uid, uint32_t gid)
{
	char rel[PATH_MAX];
	struct famfs_log_entry e;
	uint64_t index;
	int ret;

	ret = app_open(path, rel, sizeof(rel));
	if (ret)
		return app_done(ret);
	if (app.s)
		ret = famfs_append_mkdir(app.s, rel, mode, uid, gid, &index, &e);
	else
		ret = famfs_log_append_mkdir(app.m, rel, mode, uid, gid, &index) ?:
		      famfs_log_get(app.m, index, &e);
	if (!ret)
		ret = cli_apply(index, &e);
	return app_done(ret);
}

int cli_layout_opt(struct cli_layout *l, int opt, const char *arg, const char *cmd)
{
	char *end;
	unsigned long v;

	switch (opt) {
	case 'N':
		v = strtoul(arg, &end, 10);
		if (*end || !v || v > FAMFS_MAX_EXTENTS)
			return cli_usage_error(cmd, "bad strip count '%s' (1..%d)", arg,
					       FAMFS_MAX_EXTENTS), -EINVAL;
		l->nstrips = v;
		return 0;
	case 'C':
		if (cli_size_arg(cmd, "chunk size", arg, &l->chunk_size))
			return -EINVAL;
		if (!l->chunk_size)
			return cli_usage_error(cmd, "bad chunk size '%s': not 0", arg), -EINVAL;
		return 0;
	case 'd':
		for (const char *p = arg; *p; p = *end ? end + 1 : end) {
			v = strtoul(p, &end, 10);
			if (end == p || (*end && *end != ',') || v >= FAMFS_MAX_DEVS)
				return cli_usage_error(cmd, "bad device list '%s' (e.g. 0,2)", arg),
				       -EINVAL;
			l->devmask |= 1U << v;
		}
		return 0;
	}
	return -ENOENT;
}

int cli_layout_check(struct cli_layout *l, const char *cmd)
{
	if (l->chunk_size && !l->nstrips)
		return cli_usage_error(cmd, "-C needs -N"), -EINVAL;
	if (l->nstrips && !l->chunk_size)
		l->chunk_size = FAMFS_ALLOC_UNIT;
	return 0;
}
