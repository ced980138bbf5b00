// SPDX-License-Identifier: Apache-2.0
/*
 * devices.c - the devices famfsctl is given and the devices it finds.
 *
 * A device argument is a path (/dev/pmemN, an image file) or an nvdimm namespace name
 * (namespaceN.M), looked up through libndctl (nvdimm.c). Before mkfs and mount a
 * namespace must be fsdax, keep its struct page array in host memory (--map=mem) and be
 * 2 MiB aligned; a refusal names the device and the ndctl command that fixes it.
 *
 * A file system's other devices are found by UUID among the block devices of this host's
 * namespaces (/dev/pmem* when there is no nvdimm bus) and its dax devices (/dev/dax*, in
 * devdax or famfs mode, daxmode.c): paths differ between hosts; the
 * superblock's device table and each device's header do not. Each candidate's first page
 * is read with O_DIRECT (libfamfs famfs_dev_identify()). From the paths found, the mount
 * options that name devices 1, 2, ... in slot order.
 *
 * The checks and the parsing here need no device (famfs_ns_check(), famfs_ns_name_is(),
 * famfs_fsctx_parse()): the unit tests call them with made-up namespaces.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <linux/fs.h>
#include <stdio.h>
#include <stdlib.h>
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

bool famfs_name_is_numbered(const char *name, const char *prefix)
{
	size_t n = strlen(prefix);
	const char *p = name;

	if (strncmp(p, prefix, n))
		return false;
	p += n;
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

bool famfs_ns_name_is(const char *arg)
{
	return famfs_name_is_numbered(arg, "namespace");
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

/* ---- resolving and checking a device argument ---- */

/* once per process: without an nvdimm bus nothing can be checked */
static void famfs_no_bus_note(const char *what)
{
	static bool said;

	if (said)
		return;
	said = true;
	famfs_msg(FAMFS_MSG_INFO, "no nvdimm bus on this host (libndctl): %s", what);
}

int famfs_dev_resolve(const char *arg, unsigned flags, char *path, size_t len)
{
	const struct famfs_ns *f;
	struct famfs_ns *ns;
	char why[512];
	struct stat st;
	int n, ret = 0;

	snprintf(path, len, "%s", arg);
	if (!famfs_ns_name_is(arg)) {
		/* images, and anything that is not a device, are the library's business */
		if (stat(arg, &st) || !(S_ISBLK(st.st_mode) || S_ISCHR(st.st_mode)))
			return 0;
		/* a dax character device: its mode is daxmode.c's business, not libndctl's */
		if (S_ISCHR(st.st_mode))
			return 0;
		if (!(flags & FAMFS_DEV_CHECK))
			return 0;
	}
	n = famfs_ns_list(&ns);
	if (n == -ENODEV) {
		if (famfs_ns_name_is(arg)) {
			famfs_msg(FAMFS_MSG_ERR, "%s: no nvdimm bus on this host (libndctl), so no namespace of that name: give the device path",
				  arg);
			return -ENOENT;
		}
		famfs_no_bus_note("devices are not checked for fsdax, --map=mem and 2 MiB alignment; other devices are looked for among /dev/pmem*");
		return 0;
	}
	if (n < 0) {
		famfs_msg(FAMFS_MSG_ERR, "%s: listing nvdimm namespaces: %s", arg, strerror(-n));
		return n;
	}
	f = famfs_ns_find(ns, n, arg);
	if (!f) {
		if (famfs_ns_name_is(arg)) {
			famfs_msg(FAMFS_MSG_ERR, "%s: no such nvdimm namespace (ndctl list -N lists them)", arg);
			ret = -ENOENT;
		} else {
			famfs_msg(FAMFS_MSG_INFO, "%s is not the device of an nvdimm namespace: not checked for fsdax, --map=mem and 2 MiB alignment",
				  arg);
		}
		goto out;
	}
	if (!f->enabled || !f->dev[0]) {
		famfs_msg(FAMFS_MSG_ERR, "%s has no device: it is %s (ndctl enable-namespace %s)", f->name,
			  f->enabled ? "not claimed by a mode" : "disabled", f->name);
		ret = -ENXIO;
		goto out;
	}
	snprintf(path, len, "%s", f->dev);
	if ((flags & FAMFS_DEV_CHECK) && famfs_ns_check(f, why, sizeof(why))) {
		famfs_msg(FAMFS_MSG_ERR, "%s", why);
		ret = -EINVAL;
		goto out;
	}
	famfs_msg(FAMFS_MSG_DEBUG, "%s: %s, %s, %s, map %s, align %llu", arg, f->name, f->dev,
		  famfs_ns_mode_name(f->mode), f->map == FAMFS_NS_MAP_MEM ? "mem" : "dev",
		  (unsigned long long)f->align);
out:
	free(ns);
	return ret;
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
				 char paths[][FAMFS_DEV_PATH_MAX], const char *among)
{
	uint32_t ndevs = le32toh(sb->sb_ndevs);
	char u[37];

	for (uint32_t i = 1; i < ndevs; i++) {
		if (paths[i][0])
			continue;
		uuid_unparse(sb->sb_devs[i].dd_uuid, u);
		famfs_msg(FAMFS_MSG_ERR, "device %u of %u (uuid %s, %llu bytes) not found among %s",
			  i, ndevs, u, (unsigned long long)le64toh(sb->sb_devs[i].dd_size), among);
	}
}

/* Is candidate @p (namespace @ns, NULL without libndctl) device i of @sb? 1 yes (slot in
 * *idx), 0 no, -EUCLEAN/-EINVAL it is but it cannot be used (logged). */
static int famfs_candidate(const struct famfs_superblock *sb, const char *dev0, const char *p,
			   const struct famfs_ns *ns, uint32_t *idx)
{
	uint32_t ndevs = le32toh(sb->sb_ndevs);
	struct famfs_dev_id id;
	char why[512];

	if (!strcmp(p, dev0) || famfs_dev_identify(p, &id) || id.is_sb ||
	    memcmp(id.fs_uuid, sb->sb_fs_uuid, sizeof(id.fs_uuid)) || id.devindex >= ndevs)
		return 0;
	if (famfs_sb_dev_check(sb, id.devindex, &id, famfs_blkdev_size(p), why, sizeof(why))) {
		famfs_msg(FAMFS_MSG_ERR, "%s claims to be device %u of this file system but %s",
			  p, id.devindex, why);
		return -EUCLEAN;
	}
	if (ns && famfs_ns_check(ns, why, sizeof(why))) {
		famfs_msg(FAMFS_MSG_ERR, "device %u of %u: %s", id.devindex, ndevs, why);
		return -EINVAL;
	}
	*idx = id.devindex;
	return 1;
}

/*
 * The dax character devices (/dev/dax*) among the candidates, whatever bus they come from
 * (CXL regions, nvdimm devdax namespaces). One in famfs mode that no famfs mount uses is
 * switched to devdax to read its first page, and back to famfs mode if it is not one of
 * this file system's devices (a device the mount takes is switched by the mount).
 */
static int famfs_find_dax_devices(const struct famfs_superblock *sb, const char *dev0,
				  char paths[][FAMFS_DEV_PATH_MAX], uint32_t *found)
{
	char mpt[PATH_MAX];
	glob_t g = { 0 };
	uint32_t idx;
	int ret = 0;

	if (glob("/dev/dax*", 0, NULL, &g))
		return 0;
	for (size_t c = 0; c < g.gl_pathc && !ret; c++) {
		const char *p = g.gl_pathv[c];
		bool was_famfs = famfs_dax_is_famfs_mode(p);
		int r;

		if (was_famfs && (!famfs_dev_mount_point(p, mpt, sizeof(mpt)) || famfs_dax_for_read(p)))
			continue;	/* another mount's, or it cannot be read now */
		r = famfs_candidate(sb, dev0, p, NULL, &idx);
		if (r < 0)
			ret = r;
		else if (r && !paths[idx][0]) {
			snprintf(paths[idx], FAMFS_DEV_PATH_MAX, "%s", p);
			(*found)++;
		} else if (was_famfs) {
			(void)famfs_dax_for_mount(p);	/* not ours: as it was */
		}
	}
	globfree(&g);
	return ret;
}

int famfs_find_devices(const struct famfs_superblock *sb, const char *dev0,
		       char paths[][FAMFS_DEV_PATH_MAX])
{
	uint32_t ndevs = le32toh(sb->sb_ndevs), i, found = 1, idx;
	struct famfs_ns *ns = NULL;
	const char *among;
	glob_t g = { 0 };
	size_t ncand;
	int n, ret = 0;

	for (i = 0; i < ndevs; i++)
		paths[i][0] = '\0';
	snprintf(paths[0], FAMFS_DEV_PATH_MAX, "%s", dev0);
	if (ndevs <= 1)
		return 0;
	n = famfs_ns_list(&ns);
	if (n >= 0) {
		among = "the block devices of this host's nvdimm namespaces (ndctl list -N)";
		ncand = n;
	} else {
		if (n == -ENODEV)
			famfs_no_bus_note("looking for the other devices among /dev/pmem*, unchecked");
		else
			famfs_msg(FAMFS_MSG_INFO, "listing nvdimm namespaces: %s: looking among /dev/pmem*",
				  strerror(-n));
		ns = NULL;
		among = "/dev/pmem*";
		if (glob("/dev/pmem*", 0, NULL, &g))
			g.gl_pathc = 0;
		ncand = g.gl_pathc;
	}
	for (size_t c = 0; c < ncand; c++) {
		const char *p = ns ? ns[c].dev : g.gl_pathv[c];
		int r;

		if (ns && (!p[0] || ns[c].mode == FAMFS_NS_DEVDAX || access(p, F_OK)))
			continue;	/* no block device to read with O_DIRECT */
		r = famfs_candidate(sb, dev0, p, ns ? &ns[c] : NULL, &idx);
		if (r < 0) {
			ret = r;
			goto out;
		}
		if (r && !paths[idx][0]) {
			snprintf(paths[idx], FAMFS_DEV_PATH_MAX, "%s", p);
			found++;
		}
	}
	ret = famfs_find_dax_devices(sb, dev0, paths, &found);
	if (ret)
		goto out;
	famfs_report_missing(sb, paths, among);
	ret = found == ndevs ? 0 : -ENODEV;
out:
	if (g.gl_pathc)
		globfree(&g);
	free(ns);
	return ret;
}

int famfs_mount_devices(const char *dev, const char *policy, char paths[][FAMFS_DEV_PATH_MAX],
			uint32_t *ndevs)
{
	struct famfs_media *m;
	int ret;

	*ndevs = 0;
	if (policy && strlen(policy) >= FAMFS_POLICY_NAME_LEN) {
		famfs_msg(FAMFS_MSG_ERR, "policy name '%s' too long (at most %d characters)", policy,
			  FAMFS_POLICY_NAME_LEN - 1);
		return -EINVAL;
	}
	ret = famfs_media_open_dev(dev, FAMFS_OPEN_RDONLY, &m);
	if (ret)
		return ret;	/* the message says what is wrong with the superblock or log */
	ret = famfs_find_devices(famfs_media_sb(m), dev, paths);
	if (!ret)
		*ndevs = le32toh(famfs_media_sb(m)->sb_ndevs);
	famfs_media_close(m);
	if (ret)
		famfs_msg(FAMFS_MSG_ERR, "not mounting %s: a device of this file system is missing or wrong",
			  dev);
	return ret;
}

int famfs_mount_options(const char *dev, const char *policy, char *data, size_t size)
{
	char paths[FAMFS_MAX_DEVS][FAMFS_DEV_PATH_MAX];
	uint32_t ndevs;
	size_t len = 0;
	int ret;

	data[0] = '\0';
	ret = famfs_mount_devices(dev, policy, paths, &ndevs);
	if (ret)
		return ret;
	for (uint32_t i = 1; i < ndevs && len < size; i++)
		len += snprintf(data + len, size - len, "%sdev=%s", len ? "," : "", paths[i]);
	if (policy && len < size)
		len += snprintf(data + len, size - len, "%spolicy=%s", len ? "," : "", policy);
	return len < size ? 0 : -E2BIG;
}
