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

/* Open the media of the mount holding @path for appending; *rel = @path inside it. */
static int cli_open_for_append(const char *path, char *mpt, size_t mptlen, char *rel,
			       size_t rellen, struct famfs_media **m)
{
	int ret = famfs_find_mount(path, mpt, mptlen, NULL, 0, rel, rellen);

	if (ret)
		return ret;
	if (!*rel) {
		famfs_msg(FAMFS_MSG_ERR, "%s: is the mount point itself", path);
		return -EINVAL;
	}
	ret = famfs_mount_ready(mpt) ?: cli_path_free(path, rel);
	if (ret)
		return ret;
	/* Read-only first: a client's .meta/.log refuses writable maps, and the append then
	 * refuses it as "not the master", naming both hosts. */
	ret = famfs_media_open_mount(mpt, FAMFS_OPEN_RDONLY, m);
	if (ret || !famfs_media_is_master(*m))
		return ret;
	famfs_media_close(*m);
	return famfs_media_open_mount(mpt, FAMFS_OPEN_RDWR, m);
}

static int cli_apply(const char *mpt, const struct famfs_media *m, uint64_t index,
		     const struct famfs_log_entry *e)
{
	struct famfs_replay_opts o = { .verbose = cli_verbose };
	struct famfs_replay_result r = { 0 };
	uint32_t tag;
	int mapfd, ret = famfs_mount_tag(mpt, &tag);

	if (ret)
		return ret;
	mapfd = famfs_fmaps_open();
	if (mapfd < 0)
		return mapfd;
	ret = famfs_replay_entry(mpt, mapfd, tag, index, e, &o, &r);
	close(mapfd);
	return ret;
}

int cli_new_file(const char *path, const struct famfs_file_req *tmpl)
{
	char mpt[PATH_MAX], rel[PATH_MAX], full[PATH_MAX];
	struct famfs_log_entry e;
	struct famfs_media *m;
	uint64_t index;
	int ret, fd;

	ret = cli_open_for_append(path, mpt, sizeof(mpt), rel, sizeof(rel), &m);
	if (ret)
		return ret;
	if (tmpl->nstrips) {
		struct famfs_ioc_stats st;

		/* refuse before logging: the file could be logged but never read here */
		if (!famfs_mount_stats(mpt, &st) && st.policy_attached &&
		    !(st.policy_kinds & FAMFS_FMAP_KIND_BIT(FAMFS_FMAP_INTERLEAVE))) {
			famfs_msg(FAMFS_MSG_ERR, "%s uses policy %s, which cannot resolve interleaved files (famfsctl policy set %s famfs_interleave)",
				  mpt, st.policy, mpt);
			famfs_media_close(m);
			return -EOPNOTSUPP;
		}
	}
	struct famfs_file_req req = *tmpl;

	req.path = rel;
	ret = famfs_log_append_file(m, &req, &index, &e);
	if (!ret)
		ret = cli_apply(mpt, m, index, &e);
	famfs_media_close(m);
	if (ret)
		return ret;
	snprintf(full, sizeof(full), "%s/%s", mpt, rel);
	fd = open(full, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		ret = -errno;
		famfs_msg(FAMFS_MSG_ERR, "%s: logged but cannot open: %s", full, strerror(-ret));
		return ret;
	}
	ret = cli_zero_tail(fd, full, req.size);
	if (ret) {
		close(fd);
		return ret;
	}
	return fd;
}

int cli_new_dir(const char *path, uint32_t mode, uint32_t uid, uint32_t gid)
{
	char mpt[PATH_MAX], rel[PATH_MAX];
	struct famfs_log_entry e;
	struct famfs_media *m;
	uint64_t index;
	int ret;

	ret = cli_open_for_append(path, mpt, sizeof(mpt), rel, sizeof(rel), &m);
	if (ret)
		return ret;
	ret = famfs_log_append_mkdir(m, rel, mode, uid, gid, &index);
	if (!ret)
		ret = famfs_log_get(m, index, &e);
	if (!ret)
		ret = cli_apply(mpt, m, index, &e);
	famfs_media_close(m);
	return ret;
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
