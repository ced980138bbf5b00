// SPDX-License-Identifier: Apache-2.0
/*
 * devices.c - find the devices of a file system by UUID among this host's pmem devices
 * (paths differ between hosts; the superblock's device table and each device's header do
 * not). Each candidate's first page is read with O_DIRECT (libfamfs famfs_dev_identify()).
 * From the paths found, the mount(2) options that name devices 1, 2, ... in slot order.
 *
 * The nvdimm namespace checks need no device (famfs_ns_check(), famfs_ns_name_is(),
 * famfs_ns_find()), nor does the parsing of the kernel's fs-context messages
 * (famfs_fsctx_parse()).
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <linux/fs.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "loader.h"

/* ---- namespaces: names, checks, the fix (pure) ---- */

const char *famfs_ns_mode_name(enum famfs_ns_mode mode)
{
	switch (mode) {
	case FAMFS_NS_FSDAX: return "fsdax";
	case FAMFS_NS_RAW: return "raw";
	case FAMFS_NS_SECTOR: return "sector";
	case FAMFS_NS_DEVDAX: return "devdax";
	default: return "unknown";
	}
}

/* "namespace" digits "." digits, nothing else */
bool famfs_ns_name_is(const char *arg)
{
	const char *p;

	if (strncmp(arg, "namespace", 9))
		return false;
	p = arg + 9;
	if (!isdigit((unsigned char)*p))
		return false;
	while (isdigit((unsigned char)*p))
		p++;
	if (*p++ != '.' || !isdigit((unsigned char)*p))
		return false;
	while (isdigit((unsigned char)*p))
		p++;
	return *p == '\0';
}

void famfs_ns_fix_cmd(const char *name, char *buf, size_t len)
{
	snprintf(buf, len, "ndctl create-namespace --force --reconfig=%s --mode=fsdax --map=mem --align=2M",
		 name);
}

int famfs_ns_check(const struct famfs_ns *ns, char *why, size_t len)
{
	const char *dev = ns->dev[0] ? ns->dev : "(no device)";
	char fix[160], what[200];

	if (ns->mode != FAMFS_NS_FSDAX)
		snprintf(what, sizeof(what), "is a %s namespace, famfs needs fsdax",
			 famfs_ns_mode_name(ns->mode));
	else if (ns->map != FAMFS_NS_MAP_MEM)
		snprintf(what, sizeof(what), "%s",
			 ns->map == FAMFS_NS_MAP_DEV ?
			 "keeps its struct page array on the device itself (--map=dev): famfs needs it in host memory (--map=mem), so the shared memory holds only data" :
			 "has no struct page array (famfs needs --map=mem)");
	else if (!ns->align || ns->align % FAMFS_NS_ALIGN)
		snprintf(what, sizeof(what), "is aligned to %llu bytes, famfs needs 2 MiB (PMD faults)",
			 (unsigned long long)ns->align);
	else
		return 0;
	famfs_ns_fix_cmd(ns->name, fix, sizeof(fix));
	snprintf(why, len, "%s (%s) %s; fix (erases the namespace): %s", dev, ns->name, what, fix);
	return -EINVAL;
}

const struct famfs_ns *famfs_ns_find(const struct famfs_ns *ns, int n, const char *arg)
{
	struct stat a, b;
	bool by_name = famfs_ns_name_is(arg), have_a = !by_name && !stat(arg, &a);

	for (int i = 0; i < n; i++) {
		if (by_name) {
			if (!strcmp(ns[i].name, arg))
				return &ns[i];
			continue;
		}
		if (!ns[i].dev[0])
			continue;
		if (!strcmp(ns[i].dev, arg))
			return &ns[i];
		if (have_a && (S_ISBLK(a.st_mode) || S_ISCHR(a.st_mode)) && !stat(ns[i].dev, &b) &&
		    (a.st_mode & S_IFMT) == (b.st_mode & S_IFMT) && a.st_rdev == b.st_rdev)
			return &ns[i];
	}
	return NULL;
}

int famfs_fsctx_parse(const char *line, enum famfs_msg_level *level, const char **text,
		      size_t *textlen)
{
	size_t n = strlen(line);

	while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		n--;
	if (!n)
		return -EINVAL;
	*level = FAMFS_MSG_INFO;
	if (n >= 2 && line[1] == ' ' && strchr("ewi", line[0])) {
		*level = line[0] == 'e' ? FAMFS_MSG_ERR : FAMFS_MSG_INFO;
		line += 2;
		n -= 2;
	}
	*text = line;
	*textlen = n;
	return 0;
}

/* ---- finding a file system's devices ---- */

static uint64_t famfs_blkdev_size(const char *path)
{
	uint64_t size = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd >= 0) {
		if (ioctl(fd, BLKGETSIZE64, &size))
			size = 0;
		close(fd);
	}
	return size;
}

/* Name each device of @sb with no path: its index, UUID and recorded size. */
static void famfs_report_missing(const struct famfs_superblock *sb,
				 char paths[][FAMFS_DEV_PATH_MAX])
{
	uint32_t ndevs = le32toh(sb->sb_ndevs);
	char u[37];

	for (uint32_t i = 1; i < ndevs; i++) {
		if (paths[i][0])
			continue;
		uuid_unparse(sb->sb_devs[i].dd_uuid, u);
		famfs_msg(FAMFS_MSG_ERR, "device %u of %u (uuid %s, %llu bytes) not found among /dev/pmem*",
			  i, ndevs, u, (unsigned long long)le64toh(sb->sb_devs[i].dd_size));
	}
}

int famfs_find_devices(const struct famfs_superblock *sb, const char *dev0,
		       char paths[][FAMFS_DEV_PATH_MAX])
{
	uint32_t ndevs = le32toh(sb->sb_ndevs), i, found = 1;
	struct famfs_dev_id id;
	char why[256];
	glob_t g;

	for (i = 0; i < ndevs; i++)
		paths[i][0] = '\0';
	snprintf(paths[0], FAMFS_DEV_PATH_MAX, "%s", dev0);
	if (ndevs <= 1)
		return 0;
	if (glob("/dev/pmem*", 0, NULL, &g))
		g.gl_pathc = 0;
	for (size_t c = 0; c < g.gl_pathc; c++) {
		const char *p = g.gl_pathv[c];

		if (!strcmp(p, dev0) || famfs_dev_identify(p, &id) || id.is_sb ||
		    memcmp(id.fs_uuid, sb->sb_fs_uuid, sizeof(id.fs_uuid)) ||
		    id.devindex >= ndevs)
			continue;
		if (famfs_sb_dev_check(sb, id.devindex, &id, famfs_blkdev_size(p), why, sizeof(why))) {
			famfs_msg(FAMFS_MSG_ERR, "%s claims to be device %u of this file system but %s",
				  p, id.devindex, why);
			globfree(&g);
			return -EUCLEAN;
		}
		if (!paths[id.devindex][0]) {
			snprintf(paths[id.devindex], FAMFS_DEV_PATH_MAX, "%s", p);
			found++;
		}
	}
	if (g.gl_pathc)
		globfree(&g);
	famfs_report_missing(sb, paths);
	return found == ndevs ? 0 : -ENODEV;
}

int famfs_mount_options(const char *dev, const char *policy, char *data, size_t size)
{
	char paths[FAMFS_MAX_DEVS][FAMFS_DEV_PATH_MAX];
	struct famfs_media *m;
	size_t len = 0;
	int ret;

	data[0] = '\0';
	if (policy && strlen(policy) >= FAMFS_POLICY_NAME_LEN) {
		famfs_msg(FAMFS_MSG_ERR, "policy name '%s' too long (at most %d characters)", policy,
			  FAMFS_POLICY_NAME_LEN - 1);
		return -EINVAL;
	}
	ret = famfs_media_open_dev(dev, FAMFS_OPEN_RDONLY, &m);
	if (ret)
		return ret;	/* the message says what is wrong with the superblock or log */
	ret = famfs_find_devices(famfs_media_sb(m), dev, paths);
	for (uint32_t i = 1; !ret && i < le32toh(famfs_media_sb(m)->sb_ndevs); i++)
		len += snprintf(data + len, size - len, "%sdev=%s", len ? "," : "", paths[i]);
	famfs_media_close(m);
	if (ret) {
		famfs_msg(FAMFS_MSG_ERR, "not mounting %s: a device of this file system is missing or wrong",
			  dev);
		return ret;
	}
	if (policy)
		len += snprintf(data + len, size - len, "%spolicy=%s", len ? "," : "", policy);
	return len < size ? 0 : -E2BIG;
}
