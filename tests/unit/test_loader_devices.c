// SPDX-License-Identifier: Apache-2.0
/*
 * test_loader_devices.c - what famfsctl mount passes to mount(2), on image files (no
 * kernel): famfs_mount_options() and famfs_find_devices() (loader/devices.c). A device
 * that is not among /dev/pmem* is reported by index, UUID and size, and nothing is mounted.
 */
#include "famfs_test.h"
#include "loader.h"

TestSuite(mountopts, .init = tfs_setup, .fini = tfs_teardown);

Test(mountopts, one_device_no_options)
{
	char data[256] = "junk";

	tfs_mkfs(64 * MiB, 0);
	cr_assert_eq(famfs_mount_options(T.img, NULL, data, sizeof(data)), 0, "%s", T.msgs);
	cr_assert_str_eq(data, "");
	cr_assert_eq(T.nerr, 0);
}

Test(mountopts, policy_option)
{
	char data[256];

	tfs_mkfs(64 * MiB, 0);
	cr_assert_eq(famfs_mount_options(T.img, "famfs_interleave", data, sizeof(data)), 0);
	cr_assert_str_eq(data, "policy=famfs_interleave");
}

Test(mountopts, policy_name_too_long_refused)
{
	char data[256], name[FAMFS_POLICY_NAME_LEN + 1];

	tfs_mkfs(64 * MiB, 0);
	memset(name, 'p', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	cr_assert_eq(famfs_mount_options(T.img, name, data, sizeof(data)), -EINVAL);
	cr_assert_not_null(strstr(T.msgs, "too long (at most 31 characters)"), "%s", T.msgs);
	name[FAMFS_POLICY_NAME_LEN - 1] = '\0';		/* 31 characters: fine */
	cr_assert_eq(famfs_mount_options(T.img, name, data, sizeof(data)), 0, "%s", T.msgs);
}

Test(mountopts, not_a_famfs_refused)
{
	char data[256];

	tfs_image_at(T.img, 64 * MiB);
	cr_assert_neq(famfs_mount_options(T.img, NULL, data, sizeof(data)), 0);
	cr_assert_geq(T.nerr, 1, "the reason is logged");
	cr_assert_str_eq(data, "");
}

Test(mountopts, missing_device_named_and_nothing_to_mount)
{
	const uint64_t sizes[] = { 64 * MiB, 32 * MiB, 48 * MiB };
	char data[256], want[128];

	tfs_mkfs_devs(3, sizes);
	tfs_log_reset();
	cr_assert_eq(famfs_mount_options(T.imgs[0], "famfs_interleave", data, sizeof(data)),
		     -ENODEV);
	cr_assert_str_eq(data, "");
	snprintf(want, sizeof(want), "device 1 of 3 (uuid ");
	cr_assert_not_null(strstr(T.msgs, want), "%s", T.msgs);
	snprintf(want, sizeof(want), ", %llu bytes) not found among /dev/pmem*",
		 (unsigned long long)(32 * MiB));
	cr_assert_not_null(strstr(T.msgs, want), "%s", T.msgs);
	cr_assert_not_null(strstr(T.msgs, "device 2 of 3"), "%s", T.msgs);
	cr_assert_not_null(strstr(T.msgs, "not mounting"), "%s", T.msgs);
}

Test(mountopts, find_devices_one_device_is_device_0)
{
	char paths[FAMFS_MAX_DEVS][FAMFS_DEV_PATH_MAX];
	struct famfs_media *m;

	tfs_mkfs(64 * MiB, 0);
	m = tfs_open(FAMFS_OPEN_RDONLY);
	cr_assert_eq(famfs_find_devices(famfs_media_sb(m), T.img, paths), 0);
	cr_assert_str_eq(paths[0], T.img);
	famfs_media_close(m);
}
