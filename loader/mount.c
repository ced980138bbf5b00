// SPDX-License-Identifier: Apache-2.0
/*
 * mount.c - mount and unmount a famfs (resolve and check device 0, validate it, find the
 * other devices, mount through fsopen/fsconfig/fsmount/move_mount with the kernel's
 * messages passed on, attach a policy and replay the log), find famfs mounts (getmntent
 * on /proc/self/mounts), read their counters and switch their policy.
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
#include <sys/stat.h>
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

int famfs_mount_set_space(const char *mpt, struct famfs_media *m)
{
	struct famfs_ioc_space io = { .argsz = sizeof(io) };
	struct famfs_space s;
	int fd, ret = famfs_space_get(m, &s);

	if (ret) {
		famfs_msg(FAMFS_MSG_ERR, "%s: space not counted (%s): df keeps its old numbers", mpt,
			  strerror(-ret));
		return ret;
	}
	io.capacity = s.capacity;
	io.used = s.used;
	io.free = s.free;
	fd = open(mpt, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || ioctl(fd, FAMFS_IOC_SET_SPACE, &io)) {
		ret = -errno;
		famfs_msg(FAMFS_MSG_ERR, "%s: cannot give the kernel the space in use (FAMFS_IOC_SET_SPACE: %s): df keeps its old numbers",
			  mpt, strerror(-ret));
	} else {
		famfs_msg(FAMFS_MSG_DEBUG, "%s: space for statfs: capacity %llu used %llu free %llu",
			  mpt, (unsigned long long)s.capacity, (unsigned long long)s.used,
			  (unsigned long long)s.free);
	}
	if (fd >= 0)
		close(fd);
	return ret;
}

/* Pass on what the kernel said about the fs context @fsfd (read(2): one message a read). */
static void famfs_fsctx_report(int fsfd)
{
	enum famfs_msg_level level;
	char buf[1024];
	const char *text;
	size_t len;
	ssize_t n;

	while ((n = read(fsfd, buf, sizeof(buf) - 1)) > 0) {
		buf[n] = '\0';
		if (!famfs_fsctx_parse(buf, &level, &text, &len))
			famfs_msg(level, "%s%.*s", level == FAMFS_MSG_ERR || buf[0] != 'w' ? "" :
				  "warning: ", (int)len, text);
	}
}

/*
 * Mount through the new mount API: fsopen(FAMFS_FS_TYPE), "source" = device 0, one "dev"
 * per device 1.. in slot order, "policy", FSCONFIG_CMD_CREATE, fsmount, move_mount onto
 * @mpt. On failure the kernel's own messages (the fs context's log) are reported.
 */
static int famfs_fsmount(const char *mpt, char paths[][FAMFS_DEV_PATH_MAX], uint32_t ndevs,
			 const char *policy)
{
	int fsfd, mfd = -1, ret = 0;
	const char *step = "fsopen";

	fsfd = fsopen(FAMFS_FS_TYPE, FSOPEN_CLOEXEC);
	if (fsfd < 0) {
		ret = -errno;
		goto fail;
	}
	step = "fsconfig";
	if (fsconfig(fsfd, FSCONFIG_SET_STRING, "source", paths[0], 0))
		goto fail_errno;
	for (uint32_t i = 1; i < ndevs; i++)
		if (fsconfig(fsfd, FSCONFIG_SET_STRING, "dev", paths[i], 0))
			goto fail_errno;
	if (policy && fsconfig(fsfd, FSCONFIG_SET_STRING, "policy", policy, 0))
		goto fail_errno;
	if (fsconfig(fsfd, FSCONFIG_CMD_CREATE, NULL, NULL, 0))
		goto fail_errno;
	step = "fsmount";
	mfd = fsmount(fsfd, FSMOUNT_CLOEXEC, 0);
	if (mfd < 0)
		goto fail_errno;
	step = "move_mount";
	if (move_mount(mfd, "", AT_FDCWD, mpt, MOVE_MOUNT_F_EMPTY_PATH))
		goto fail_errno;
	famfs_fsctx_report(fsfd);	/* warnings and notes of a mount that worked */
	close(mfd);
	close(fsfd);
	return 0;
fail_errno:
	ret = -errno;
fail:
	if (fsfd >= 0) {
		famfs_fsctx_report(fsfd);
		close(fsfd);
	}
	if (mfd >= 0)
		close(mfd);
	famfs_msg(FAMFS_MSG_ERR, "mount %s on %s: %s: %s%s", paths[0], mpt, step, strerror(-ret),
		  ret == -ENODEV && !strcmp(step, "fsopen") ? " (famfs_bpf.ko not loaded?)" :
		  ret == -EBUSY ? " (already mounted?)" :
		  ret == -EINVAL ? " (not an fsdax device?)" :
		  ret == -EOPNOTSUPP ? " (a dax device this kernel cannot mount: see dmesg)" : "");
	return ret;
}

int famfs_mount_fs(const char *dev, const char *mpt, const struct famfs_mount_opts *o,
		   struct famfs_replay_result *r)
{
	char paths[FAMFS_MAX_DEVS][FAMFS_DEV_PATH_MAX], dev0[FAMFS_DEV_PATH_MAX], dax0[32];
	uint32_t ndevs;
	int ret;

	ret = famfs_dev_resolve(dev, FAMFS_DEV_CHECK, dev0, sizeof(dev0));
	if (ret)
		return ret;
	ret = famfs_dax_for_read(dev0);	/* a dax device is read in devdax mode */
	if (ret)
		return ret;
	ret = famfs_mount_devices(dev0, o->policy, paths, &ndevs);
	if (ret)
		return ret;
	if (!famfs_dax_name(dev0, dax0, sizeof(dax0))) {
		/* the first load-maps reads this copy: in famfs mode dev0 cannot be mmapped */
		ret = famfs_meta_snapshot(dev0);
		if (ret)
			return ret;
	}
	for (uint32_t i = 0; i < ndevs; i++) {
		ret = famfs_dax_for_mount(paths[i]);	/* dax devices to famfs mode */
		if (ret) {
			famfs_msg(FAMFS_MSG_ERR, "not mounting %s: device %u (%s) cannot be put in famfs mode",
				  paths[0], i, paths[i]);
			return ret;
		}
	}
	ret = famfs_fsmount(mpt, paths, ndevs, o->policy);
	if (ret)
		return ret;
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
	famfs_client_unmounting(mpt, true);	/* leave the client table (follow.c) */
	if (umount2(mpt, 0)) {
		ret = -errno;
		famfs_msg(FAMFS_MSG_ERR, "umount %s: %s", mpt, strerror(-ret));
		famfs_client_unmounting(mpt, false);	/* still mounted: back in */
	}
	return ret;
}
