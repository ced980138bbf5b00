// SPDX-License-Identifier: Apache-2.0
/*
 * test_loader_daxmode.c - dax device names and modes (loader/daxmode.c) on a made-up sysfs
 * tree: the driver a device is bound to read as its mode, a device node's name looked up
 * through /sys/dev/char, and the switches that must refuse with nothing written (no
 * fsdev_dax driver on this kernel; a device onlined as system RAM).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "famfs_test.h"
#include "loader.h"

static char root[] = "/tmp/famfs-daxmode-XXXXXX";

static void mk(const char *rel)
{
	char p[512], cmd[600];

	snprintf(p, sizeof(p), "%s/%s", root, rel);
	snprintf(cmd, sizeof(cmd), "mkdir -p '%s'", p);
	cr_assert_eq(system(cmd), 0);
}

static void ln(const char *target, const char *rel)
{
	char p[512];

	snprintf(p, sizeof(p), "%s/%s", root, rel);
	cr_assert_eq(symlink(target, p), 0, "symlink %s: %s", p, strerror(errno));
}

/* A file the code may write to (unbind, new_id); empty until written. */
static void touch(const char *rel)
{
	char p[512];
	int fd;

	snprintf(p, sizeof(p), "%s/%s", root, rel);
	fd = open(p, O_CREAT | O_WRONLY | O_TRUNC, 0644);
	cr_assert_geq(fd, 0);
	close(fd);
}

static off_t size_of(const char *rel)
{
	char p[512];
	struct stat st;

	snprintf(p, sizeof(p), "%s/%s", root, rel);
	cr_assert_eq(stat(p, &st), 0, "%s", p);
	return st.st_size;
}

/* dax0.0 bound to device_dax, dax1.0 to kmem, dax2.0 unbound; no fsdev_dax driver. */
static void setup(void)
{
	cr_assert_not_null(mkdtemp(root));
	mk("bus/dax/drivers/device_dax");
	mk("bus/dax/drivers/kmem");
	mk("devices/cxl/dax0.0");
	mk("devices/cxl/dax1.0");
	mk("devices/cxl/dax2.0");
	mk("bus/dax/devices");
	ln("../../../devices/cxl/dax0.0", "bus/dax/devices/dax0.0");
	ln("../../../devices/cxl/dax1.0", "bus/dax/devices/dax1.0");
	ln("../../../devices/cxl/dax2.0", "bus/dax/devices/dax2.0");
	ln("../../../bus/dax/drivers/device_dax", "devices/cxl/dax0.0/driver");
	ln("../../../bus/dax/drivers/kmem", "devices/cxl/dax1.0/driver");
	touch("bus/dax/drivers/device_dax/unbind");
	touch("bus/dax/drivers/kmem/unbind");
	touch("bus/dax/drivers/device_dax/new_id");
	famfs_dax_set_sysfs_root(root);
}

static void teardown(void)
{
	char cmd[600];

	famfs_dax_set_sysfs_root(NULL);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	cr_assert_eq(system(cmd), 0);
	strcpy(root, "/tmp/famfs-daxmode-XXXXXX");
}

Test(daxname, names)
{
	cr_assert(famfs_dax_name_is("dax0.0"));
	cr_assert(famfs_dax_name_is("dax12.345"));
	cr_assert_not(famfs_dax_name_is("/dev/dax0.0"), "a path, not a name");
	cr_assert_not(famfs_dax_name_is("dax0"));
	cr_assert_not(famfs_dax_name_is("dax0."));
	cr_assert_not(famfs_dax_name_is("dax.0"));
	cr_assert_not(famfs_dax_name_is("dax0.0x"));
	cr_assert_not(famfs_dax_name_is("daxa.b"));
	cr_assert_not(famfs_dax_name_is("pmem0"));
	cr_assert_not(famfs_dax_name_is(""));
}

Test(daxname, driver_to_mode)
{
	cr_assert_eq(famfs_dax_mode_of_driver("device_dax"), FAMFS_DAX_DEVDAX);
	cr_assert_eq(famfs_dax_mode_of_driver("fsdev_dax"), FAMFS_DAX_FAMFS);
	cr_assert_eq(famfs_dax_mode_of_driver("kmem"), FAMFS_DAX_SYSTEM_RAM);
	cr_assert_eq(famfs_dax_mode_of_driver(""), FAMFS_DAX_UNBOUND);
	cr_assert_eq(famfs_dax_mode_of_driver(NULL), FAMFS_DAX_UNBOUND);
	cr_assert_eq(famfs_dax_mode_of_driver("dax_pmem"), FAMFS_DAX_OTHER);
	cr_assert_str_eq(famfs_dax_mode_name(FAMFS_DAX_FAMFS), "famfs");
	cr_assert_str_eq(famfs_dax_mode_name(FAMFS_DAX_DEVDAX), "devdax");
	cr_assert_str_eq(famfs_dax_mode_name(FAMFS_DAX_SYSTEM_RAM), "system-ram");
}

Test(daxmode, mode_from_sysfs, .init = setup, .fini = teardown)
{
	enum famfs_dax_mode m = FAMFS_DAX_OTHER;

	cr_assert_eq(famfs_dax_mode_get("dax0.0", &m), 0);
	cr_assert_eq(m, FAMFS_DAX_DEVDAX);
	cr_assert_eq(famfs_dax_mode_get("dax1.0", &m), 0);
	cr_assert_eq(m, FAMFS_DAX_SYSTEM_RAM);
	cr_assert_eq(famfs_dax_mode_get("dax2.0", &m), 0);
	cr_assert_eq(m, FAMFS_DAX_UNBOUND);
	cr_assert_eq(famfs_dax_mode_get("dax9.0", &m), -ENODEV, "not on the bus");
}

Test(daxmode, no_fsdev_driver_changes_nothing, .init = setup, .fini = teardown)
{
	enum famfs_dax_mode m;

	cr_assert_eq(famfs_dax_mode_set("dax0.0", FAMFS_DAX_FAMFS), -EOPNOTSUPP);
	cr_assert_eq(size_of("bus/dax/drivers/device_dax/unbind"), 0, "not unbound");
	cr_assert_eq(famfs_dax_mode_get("dax0.0", &m), 0);
	cr_assert_eq(m, FAMFS_DAX_DEVDAX);
}

Test(daxmode, system_ram_not_touched, .init = setup, .fini = teardown)
{
	mk("bus/dax/drivers/fsdev_dax");
	touch("bus/dax/drivers/fsdev_dax/new_id");
	cr_assert_eq(famfs_dax_mode_set("dax1.0", FAMFS_DAX_FAMFS), -EBUSY);
	cr_assert_eq(size_of("bus/dax/drivers/kmem/unbind"), 0);
	cr_assert_eq(size_of("bus/dax/drivers/fsdev_dax/new_id"), 0);
	cr_assert_eq(famfs_dax_mode_set("dax0.0", FAMFS_DAX_SYSTEM_RAM), -EINVAL, "not a mode to switch to");
}

Test(daxmode, switch_writes_unbind_then_new_id, .init = setup, .fini = teardown)
{
	/* the fake driver never takes it: the switch writes both files, sees it did not
	 * take, and tries to put it back (device_dax new_id) */
	mk("bus/dax/drivers/fsdev_dax");
	touch("bus/dax/drivers/fsdev_dax/new_id");
	cr_assert_eq(famfs_dax_mode_set("dax0.0", FAMFS_DAX_FAMFS), -EIO);
	cr_assert_eq(size_of("bus/dax/drivers/device_dax/unbind"), 6, "\"dax0.0\" to unbind");
	cr_assert_eq(size_of("bus/dax/drivers/fsdev_dax/new_id"), 6, "\"dax0.0\" to new_id");
	cr_assert_eq(size_of("bus/dax/drivers/device_dax/new_id"), 6, "back to device_dax");
}

Test(daxmode, node_names, .init = setup, .fini = teardown)
{
	char name[32], path[512];
	struct stat st;

	cr_assert_eq(famfs_dax_name("/nonexistent/dax0.0", name, sizeof(name)), -ENOENT);
	snprintf(path, sizeof(path), "%s/bus", root);
	cr_assert_eq(famfs_dax_name(path, name, sizeof(name)), -ENOTTY, "a directory");
	/* /dev/null is a character device; give it a dax name in the fake tree */
	cr_assert_eq(stat("/dev/null", &st), 0);
	cr_assert_eq(famfs_dax_name("/dev/null", name, sizeof(name)), -ENODEV, "no /sys/dev/char link");
	mk("dev/char");
	snprintf(path, sizeof(path), "dev/char/%u:%u", major(st.st_rdev), minor(st.st_rdev));
	ln("../../devices/cxl/dax0.0", path);
	cr_assert_eq(famfs_dax_name("/dev/null", name, sizeof(name)), 0);
	cr_assert_str_eq(name, "dax0.0");
	cr_assert_eq(famfs_dax_name("/dev/null", name, 4), -ENODEV, "name does not fit");
}
