// SPDX-License-Identifier: Apache-2.0
/*
 * test_loader_bind.c - the grants the loader hands the module (loader/bind.c), without a
 * kernel: one grant per extent or strip, exactly the fmap's ranges; too many or none
 * refused; and a bind the kernel refuses (here: a file outside famfs, ENOTTY) leaves no
 * name behind and says why.
 */
#include "famfs_test.h"
#include "loader.h"

TestSuite(bind, .init = tfs_setup, .fini = tfs_teardown);

static struct famfs_fmap fmap_of(uint32_t kind, uint32_t n)
{
	struct famfs_fmap fm = { .kind = kind, .nextents = n, .size = n * 4 * MiB };

	for (uint32_t i = 0; i < n && i < FAMFS_MAX_EXTENTS; i++)
		fm.ext[i] = (struct famfs_fmap_extent) {
			.devindex = i % 3, .offset = (10 + 4 * i) * MiB, .len = 4 * MiB,
		};
	return fm;
}

Test(bind, one_grant_per_extent)
{
	struct famfs_fmap fm = fmap_of(FAMFS_FMAP_SIMPLE, 3);
	struct famfs_ioc_bind b = { 0 };

	cr_assert_eq(famfs_grants_from_fmap(&fm, &b), 0);
	cr_assert_eq(b.ngrants, 3);
	for (int i = 0; i < 3; i++) {
		cr_assert_eq(b.grants[i].devindex, fm.ext[i].devindex);
		cr_assert_eq(b.grants[i].offset, fm.ext[i].offset);
		cr_assert_eq(b.grants[i].len, fm.ext[i].len);
		cr_assert_eq(b.grants[i].flags, 0);
	}
}

Test(bind, one_grant_per_strip)
{
	struct famfs_fmap fm = fmap_of(FAMFS_FMAP_INTERLEAVE, FAMFS_MAX_GRANTS);
	struct famfs_ioc_bind b = { 0 };

	fm.chunk_size = 2 * MiB;
	cr_assert_eq(famfs_grants_from_fmap(&fm, &b), 0);
	cr_assert_eq(b.ngrants, FAMFS_MAX_GRANTS);
	cr_assert_eq(b.grants[FAMFS_MAX_GRANTS - 1].offset, fm.ext[FAMFS_MAX_GRANTS - 1].offset);
}

Test(bind, none_or_too_many_refused)
{
	struct famfs_fmap fm = fmap_of(FAMFS_FMAP_SIMPLE, 0);
	struct famfs_ioc_bind b = { 0 };

	cr_assert_eq(famfs_grants_from_fmap(&fm, &b), -EINVAL);
	fm.nextents = FAMFS_MAX_GRANTS + 1;
	cr_assert_eq(famfs_grants_from_fmap(&fm, &b), -EINVAL);
	cr_assert_eq(b.ngrants, 0, "nothing filled in");
}

Test(bind, refused_bind_leaves_no_name)
{
	struct famfs_fmap fm = fmap_of(FAMFS_FMAP_SIMPLE, 1);
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/not-famfs", T.dir);
	cr_assert_eq(famfs_bind_file(path, 0644, getuid(), getgid(), 1, &fm, 0), -ENOTTY);
	cr_assert_neq(access(path, F_OK), 0, "the refused file must be gone");
	cr_assert_not_null(strstr(T.msgs, "not-famfs: not bound"), "%s", T.msgs);
}
