// SPDX-License-Identifier: Apache-2.0
/*
 * mount.c - mount and unmount a famfs (validate device 0, find the other devices, mount(2),
 * attach a policy and replay the log), find famfs mounts (getmntent on /proc/self/mounts),
 * read their counters and switch their policy.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <mntent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <unistd.h>

#include "loader.h"

int famfs_mount_stats(const char *mpt, struct famfs_ioc_stats *st)
{
	int fd = open(mpt, O_RDONLY | O_CLOEXEC);
	int ret = 0;

	if (fd < 0) {
		ret = -errno;
		famfs_msg(FAMFS_MSG_ERR, "%s: %s", mpt, strerror(-ret));
		return ret;
	}
	if (ioctl(fd, FAMFS_IOC_STATS, st)) {
		ret = -errno;
		famfs_msg(FAMFS_MSG_ERR, "%s: not a famfs mount (FAMFS_IOC_STATS: %s)", mpt,
			  strerror(-ret));
	}
	close(fd);
	return ret;
}

int famfs_mount_ready(const char *mpt)
{
	struct famfs_ioc_stats st;
	int ret = famfs_mount_stats(mpt, &st);

	if (ret)
		return ret;
	if (!st.policy_attached) {
		famfs_msg(FAMFS_MSG_ERR, "%s: no fmap policy attached for this mount%s%s: its files and metadata cannot be read (famfsctl load-maps %s)",
			  mpt, st.selected[0] ? ", it asks for " : "", st.selected, mpt);
		return -ENXIO;
	}
	return 0;
}

int famfs_mount_set_policy(const char *mpt, const char *name)
{
	struct famfs_ioc_policy p = { 0 };
	int fd, ret = 0;

	if (strlen(name) >= sizeof(p.name)) {
		famfs_msg(FAMFS_MSG_ERR, "policy name too long: %s", name);
		return -EINVAL;
	}
	strcpy(p.name, name);
	fd = open(mpt, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || ioctl(fd, FAMFS_IOC_SET_POLICY, &p)) {
		ret = -errno;
		famfs_msg(FAMFS_MSG_ERR, "%s: cannot switch to policy %s: %s%s", mpt, name,
			  strerror(-ret), ret == -ENOENT ? " (not attached: famfsctl policy attach)" :
			  ret == -EOPNOTSUPP ? " (it does not resolve a fmap kind this mount holds: "
					       "famfsctl policy list shows each policy's kinds)" : "");
	}
	if (fd >= 0)
		close(fd);
	return ret;
}

/* Longest famfs mount point that is a path prefix of @real. */
static int famfs_mount_of(const char *real, char *mpt, size_t mptlen, char *dev, size_t devlen)
{
	FILE *f = setmntent("/proc/self/mounts", "r");
	struct mntent *m;
	size_t best = 0;

	if (!f)
		return -errno;
	while ((m = getmntent(f))) {
		size_t n = strlen(m->mnt_dir);

		if (strcmp(m->mnt_type, FAMFS_FS_TYPE) || n < best)
			continue;
		if (strncmp(real, m->mnt_dir, n) ||
		    (real[n] != '/' && real[n] != '\0' && strcmp(m->mnt_dir, "/")))
			continue;
		best = n;
		if (mpt)
			snprintf(mpt, mptlen, "%s", m->mnt_dir);
		if (dev)
			snprintf(dev, devlen, "%s", m->mnt_fsname);
	}
	endmntent(f);
	return best ? 0 : -ENOENT;
}

int famfs_find_mount(const char *path, char *mpt, size_t mptlen, char *dev, size_t devlen,
		     char *rel, size_t rellen)
{
	char real[PATH_MAX], m[PATH_MAX];
	const char *tail = "";
	char *slash;
	int ret;

	/* The path may not exist yet (cp DST): resolve its parent instead. */
	if (!realpath(path, real)) {
		char parent[PATH_MAX];

		snprintf(parent, sizeof(parent), "%s", path);
		slash = strrchr(parent, '/');
		if (slash && slash != parent) {
			*slash = '\0';
			tail = path + (slash - parent) + 1;
		} else {
			tail = slash ? path + 1 : path;
			snprintf(parent, sizeof(parent), "%s", slash ? "/" : ".");
		}
		if (!realpath(parent, real)) {
			ret = -errno;
			famfs_msg(FAMFS_MSG_ERR, "%s: %s", path, strerror(-ret));
			return ret;
		}
	}
	ret = famfs_mount_of(real, m, sizeof(m), dev, devlen);
	if (ret) {
		famfs_msg(FAMFS_MSG_ERR, "%s: not inside a famfs mount", path);
		return ret;
	}
	if (mpt)
		snprintf(mpt, mptlen, "%s", m);
	if (rel) {
		const char *r = real + strlen(m);

		while (*r == '/')
			r++;
		snprintf(rel, rellen, "%s%s%s", r, *r && *tail ? "/" : "", tail);
	}
	return 0;
}

int famfs_mount_fs(const char *dev, const char *mpt, const struct famfs_mount_opts *o,
		   struct famfs_replay_result *r)
{
	char data[4096];
	int ret;

	ret = famfs_mount_options(dev, o->policy, data, sizeof(data));
	if (ret)
		return ret;
	if (mount(dev, mpt, FAMFS_FS_TYPE, 0, data)) {
		ret = -errno;
		famfs_msg(FAMFS_MSG_ERR, "mount %s on %s: %s%s", dev, mpt, strerror(-ret),
			  ret == -ENODEV ? " (famfs_bpf.ko not loaded?)" :
			  ret == -EBUSY ? " (already mounted?)" :
			  ret == -EINVAL ? " (not an fsdax device? see dmesg)" : "");
		return ret;
	}
	ret = famfs_load_maps(mpt, o->policy, &o->replay, r);
	if (ret) {
		famfs_msg(FAMFS_MSG_ERR, "%s mounted, but load-maps failed: unmounting", mpt);
		umount2(mpt, 0);
	}
	return ret;
}

int famfs_umount_fs(const char *mpt)
{
	int ret = famfs_find_mount(mpt, NULL, 0, NULL, 0, NULL, 0);

	if (ret)
		return ret;
	if (umount2(mpt, 0)) {
		ret = -errno;
		famfs_msg(FAMFS_MSG_ERR, "umount %s: %s", mpt, strerror(-ret));
	}
	return ret;
}
