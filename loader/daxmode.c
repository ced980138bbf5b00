// SPDX-License-Identifier: Apache-2.0
/*
 * daxmode.c - dax character devices (/dev/daxX.Y, e.g. a CXL memory region) and their two
 * modes: devdax (bound to device_dax: mmap-able, which is how famfsctl writes and reads the
 * superblock and log, never through a page cache) and famfs (bound to fsdev_dax: what
 * famfs_bpf.ko mounts; mmap of the node then fails with ENODEV).
 *
 * The switch goes through sysfs, as daxctl does: unbind from the current driver
 * (/sys/bus/dax/devices/NAME/driver/unbind), then NAME into the new driver's new_id
 * (/sys/bus/dax/drivers/{fsdev_dax,device_dax}/new_id; a plain bind of fsdev_dax fails with
 * EIO, because that driver matches no device by type). libdaxctl is not used: the version in
 * Debian bookworm (76) knows no famfs mode.
 *
 * A device is switched back to devdax (to read it) only when no famfs mount on this host
 * uses it: unbinding fsdev_dax under a mount would make that mount's files fail.
 *
 * The sysfs root is settable (famfs_dax_set_sysfs_root()) so the unit tests run on a
 * made-up tree; famfs_dax_mode_of_driver() and famfs_dax_name_is() are pure.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "loader.h"

static const char *famfs_sysfs = "/sys";

void famfs_dax_set_sysfs_root(const char *root)
{
	famfs_sysfs = root ? root : "/sys";
}

const char *famfs_dax_mode_name(enum famfs_dax_mode mode)
{
	switch (mode) {
	case FAMFS_DAX_UNBOUND: return "unbound";
	case FAMFS_DAX_DEVDAX: return "devdax";
	case FAMFS_DAX_FAMFS: return "famfs";
	case FAMFS_DAX_SYSTEM_RAM: return "system-ram";
	default: return "unknown";
	}
}

enum famfs_dax_mode famfs_dax_mode_of_driver(const char *driver)
{
	if (!driver || !driver[0])
		return FAMFS_DAX_UNBOUND;
	if (!strcmp(driver, FAMFS_DAX_DRV_DEVDAX))
		return FAMFS_DAX_DEVDAX;
	if (!strcmp(driver, FAMFS_DAX_DRV_FAMFS))
		return FAMFS_DAX_FAMFS;
	if (!strcmp(driver, "kmem"))
		return FAMFS_DAX_SYSTEM_RAM;
	return FAMFS_DAX_OTHER;
}

bool famfs_dax_name_is(const char *name)
{
	return famfs_name_is_numbered(name, "dax");
}

int famfs_dax_name(const char *path, char *name, size_t len)
{
	char link[128], target[PATH_MAX];
	const char *base;
	struct stat st;
	ssize_t n;

	if (stat(path, &st))
		return -errno;
	if (!S_ISCHR(st.st_mode))
		return -ENOTTY;
	snprintf(link, sizeof(link), "%s/dev/char/%u:%u", famfs_sysfs, major(st.st_rdev),
		 minor(st.st_rdev));
	n = readlink(link, target, sizeof(target) - 1);
	if (n < 0)
		return -ENODEV;
	target[n] = '\0';
	base = strrchr(target, '/');
	base = base ? base + 1 : target;
	if (!famfs_dax_name_is(base) || strlen(base) >= len)
		return -ENODEV;
	snprintf(name, len, "%s", base);
	return 0;
}

int famfs_dax_mode_get(const char *name, enum famfs_dax_mode *mode)
{
	char link[PATH_MAX], target[PATH_MAX];
	const char *base;
	struct stat st;
	ssize_t n;

	snprintf(link, sizeof(link), "%s/bus/dax/devices/%s", famfs_sysfs, name);
	if (stat(link, &st)) {
		famfs_msg(FAMFS_MSG_ERR, "dax device %s: not on the dax bus (%s: %s)", name, link,
			  strerror(errno));
		return -ENODEV;
	}
	snprintf(link, sizeof(link), "%s/bus/dax/devices/%s/driver", famfs_sysfs, name);
	n = readlink(link, target, sizeof(target) - 1);
	if (n < 0) {
		*mode = FAMFS_DAX_UNBOUND;
		return 0;
	}
	target[n] = '\0';
	base = strrchr(target, '/');
	*mode = famfs_dax_mode_of_driver(base ? base + 1 : target);
	return 0;
}

/* Write @name into sysfs file @rel (under the sysfs root); -errno, logged with @what. */
static int famfs_sysfs_write(const char *rel, const char *name, const char *what)
{
	char path[PATH_MAX];
	int fd, ret = 0;

	snprintf(path, sizeof(path), "%s/%s", famfs_sysfs, rel);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0 || write(fd, name, strlen(name)) != (ssize_t)strlen(name))
		ret = -errno;
	if (fd >= 0 && close(fd) && !ret)
		ret = -errno;
	if (ret)
		famfs_msg(FAMFS_MSG_ERR, "dax device %s: %s: writing it to %s: %s", name, what, path,
			  strerror(-ret));
	return ret;
}

/* Is driver @drv registered on the dax bus? */
static bool famfs_dax_driver_present(const char *drv)
{
	char path[PATH_MAX];
	struct stat st;

	snprintf(path, sizeof(path), "%s/bus/dax/drivers/%s", famfs_sysfs, drv);
	return !stat(path, &st) && S_ISDIR(st.st_mode);
}

/* Bind @name (unbound) to @drv through new_id; then check it took. */
static int famfs_dax_bind(const char *name, const char *drv, enum famfs_dax_mode want)
{
	char rel[128];
	enum famfs_dax_mode now;
	int ret;

	snprintf(rel, sizeof(rel), "bus/dax/drivers/%s/new_id", drv);
	ret = famfs_sysfs_write(rel, name, "binding");
	if (ret == -EEXIST) {	/* already in the driver's id list: a bind does it */
		snprintf(rel, sizeof(rel), "bus/dax/drivers/%s/bind", drv);
		ret = famfs_sysfs_write(rel, name, "binding");
	}
	if (ret)
		return ret;
	ret = famfs_dax_mode_get(name, &now);
	if (!ret && now != want) {
		famfs_msg(FAMFS_MSG_ERR, "dax device %s: %s did not take it (it is %s)", name, drv,
			  famfs_dax_mode_name(now));
		ret = -EIO;
	}
	return ret;
}

int famfs_dax_mode_set(const char *name, enum famfs_dax_mode want)
{
	const char *drv = want == FAMFS_DAX_FAMFS ? FAMFS_DAX_DRV_FAMFS : FAMFS_DAX_DRV_DEVDAX;
	enum famfs_dax_mode now;
	struct utsname u;
	char rel[128];
	int ret;

	if (want != FAMFS_DAX_FAMFS && want != FAMFS_DAX_DEVDAX)
		return -EINVAL;
	ret = famfs_dax_mode_get(name, &now);
	if (ret || now == want)
		return ret;
	if (now == FAMFS_DAX_SYSTEM_RAM || now == FAMFS_DAX_OTHER) {
		famfs_msg(FAMFS_MSG_ERR, "dax device %s is %s (not devdax or famfs mode): not switching it; if it is yours, make it devdax first (daxctl offline-memory %s; daxctl reconfigure-device --mode=devdax %s)",
			  name, now == FAMFS_DAX_SYSTEM_RAM ? "onlined as system RAM (kmem)" :
			  "bound to another driver", name, name);
		return -EBUSY;
	}
	if (!famfs_dax_driver_present(drv)) {
		if (uname(&u))
			snprintf(u.release, sizeof(u.release), "?");
		if (want == FAMFS_DAX_FAMFS)
			famfs_msg(FAMFS_MSG_ERR, "dax device %s: no fsdev_dax driver on this kernel (%s): famfs mode needs CONFIG_DEV_DAX_FSDEV (Debian's 7.3 kernel or newer) and the module loaded (modprobe fsdev_dax); on 6.12 use an fsdax pmem namespace instead",
				  name, u.release);
		else
			famfs_msg(FAMFS_MSG_ERR, "dax device %s: no device_dax driver on this kernel (%s): modprobe device_dax",
				  name, u.release);
		return -EOPNOTSUPP;
	}
	if (now != FAMFS_DAX_UNBOUND) {
		snprintf(rel, sizeof(rel), "bus/dax/devices/%s/driver/unbind", name);
		ret = famfs_sysfs_write(rel, name, "unbinding");
		if (ret)
			return ret;
	}
	if (want == FAMFS_DAX_DEVDAX) {
		/* out of fsdev_dax's id list, so only device_dax matches it again */
		snprintf(rel, sizeof(rel), "bus/dax/drivers/%s/remove_id", FAMFS_DAX_DRV_FAMFS);
		(void)famfs_sysfs_write(rel, name, "leaving the fsdev_dax id list");
	}
	ret = famfs_dax_bind(name, drv, want);
	if (ret && now != FAMFS_DAX_UNBOUND) {
		/* put it back where it was */
		const char *was = now == FAMFS_DAX_FAMFS ? FAMFS_DAX_DRV_FAMFS : FAMFS_DAX_DRV_DEVDAX;

		if (!famfs_dax_bind(name, was, now))
			famfs_msg(FAMFS_MSG_ERR, "dax device %s: left in %s mode, as it was", name,
				  famfs_dax_mode_name(now));
		return ret;
	}
	if (!ret)
		famfs_msg(FAMFS_MSG_INFO, "dax device %s: %s mode (%s)", name,
			  famfs_dax_mode_name(want), drv);
	return ret;
}

int famfs_dax_for_read(const char *path)
{
	enum famfs_dax_mode mode;
	char name[32], mpt[PATH_MAX];
	int ret = famfs_dax_name(path, name, sizeof(name));

	if (ret == -ENOTTY || ret == -ENOENT)
		return 0;	/* not a character device: not ours to switch */
	if (ret) {
		famfs_msg(FAMFS_MSG_ERR, "%s: a character device that is no dax device (no daxN.M in /sys/dev/char)",
			  path);
		return -ENODEV;
	}
	ret = famfs_dax_mode_get(name, &mode);
	if (ret || mode == FAMFS_DAX_DEVDAX)
		return ret;
	if (mode == FAMFS_DAX_FAMFS && !famfs_dev_mount_point(path, mpt, sizeof(mpt))) {
		famfs_msg(FAMFS_MSG_ERR, "%s (%s) is in famfs mode and mounted at %s: it cannot be read as a device now (use the mount: its .meta files)",
			  path, name, mpt);
		return -EBUSY;
	}
	return famfs_dax_mode_set(name, FAMFS_DAX_DEVDAX);
}

int famfs_dax_for_mount(const char *path)
{
	char name[32];
	int ret = famfs_dax_name(path, name, sizeof(name));

	if (ret == -ENOTTY || ret == -ENOENT)
		return 0;
	if (ret) {
		famfs_msg(FAMFS_MSG_ERR, "%s: a character device that is no dax device (no daxN.M in /sys/dev/char)",
			  path);
		return -ENODEV;
	}
	return famfs_dax_mode_set(name, FAMFS_DAX_FAMFS);
}

static void famfs_dax_quiet(enum famfs_msg_level level, const char *msg)
{
}

bool famfs_dax_is_famfs_mode(const char *path)
{
	enum famfs_dax_mode mode;
	char name[32];
	famfs_msg_fn was;
	bool yes;

	if (famfs_dax_name(path, name, sizeof(name)))
		return false;
	was = famfs_set_msg_fn(famfs_dax_quiet);
	yes = !famfs_dax_mode_get(name, &mode) && mode == FAMFS_DAX_FAMFS;
	famfs_set_msg_fn(was);
	return yes;
}
