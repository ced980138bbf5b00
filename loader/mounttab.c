// SPDX-License-Identifier: Apache-2.0
/*
 * mounttab.c - which famfs mount (of /proc/self/mounts) uses a device: its source or one of
 * its dev= options, compared by device number or resolved path. Used by fsck, mkfs and the
 * dax mode switches (daxmode.c); needs no kernel module.
 */
#include <errno.h>
#include <limits.h>
#include <mntent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "loader.h"

/* Whether @a and @b name one device: the same block or char device number, or one file. */
static bool famfs_same_dev(const char *a, const struct stat *sa, const char *ra)
{
	char rb[PATH_MAX];
	struct stat sb;

	if (stat(a, &sb))
		return false;
	if ((S_ISBLK(sa->st_mode) && S_ISBLK(sb.st_mode)) ||
	    (S_ISCHR(sa->st_mode) && S_ISCHR(sb.st_mode)))
		return sa->st_rdev == sb.st_rdev;
	return realpath(a, rb) && !strcmp(ra, rb);
}

int famfs_dev_mount_point(const char *dev, char *mpt, size_t mptlen)
{
	char real[PATH_MAX], opt[PATH_MAX + 8];
	struct stat st;
	struct mntent *m;
	FILE *f;
	int ret = -ENOENT;

	if (stat(dev, &st) || !realpath(dev, real))
		return -ENOENT;
	f = setmntent("/proc/self/mounts", "r");
	if (!f)
		return -errno;
	while (ret && (m = getmntent(f))) {
		bool hit;

		if (strcmp(m->mnt_type, FAMFS_FS_TYPE))
			continue;
		hit = famfs_same_dev(m->mnt_fsname, &st, real);
		/* devices 1.. are dev=PATH options (super.c show_options) */
		for (char *o = m->mnt_opts, *e; !hit && o && *o; o = *e ? e + 1 : e) {
			e = strchrnul(o, ',');
			if (e - o > 4 && !strncmp(o, "dev=", 4) && e - o - 4 < (long)sizeof(opt)) {
				snprintf(opt, sizeof(opt), "%.*s", (int)(e - o - 4), o + 4);
				hit = famfs_same_dev(opt, &st, real);
			}
		}
		if (hit) {
			snprintf(mpt, mptlen, "%s", m->mnt_dir);
			ret = 0;
		}
	}
	endmntent(f);
	return ret;
}
