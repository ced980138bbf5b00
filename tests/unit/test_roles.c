// SPDX-License-Identifier: Apache-2.0
/*
 * test_roles.c - several hosts on one file system: per-host identity files, the master's
 * exclusive right to the log (and the error a client gets), and the cache maintenance
 * calls used around a hand-off.
 */
#include "famfs_test.h"

TestSuite(roles, .init = tfs_setup, .fini = tfs_teardown);

/* The UUID in identity file @path (created on first use), as text. */
static void uuid_of(const char *path, char out[UUID_STR_LEN])
{
	uuid_t u;

	setenv("FAMFS_SYSTEM_UUID_PATH", path, 1);
	cr_assert_eq(famfs_system_uuid(u), 0, "%s", T.msgs);
	uuid_unparse_lower(u, out);
}

Test(roles, each_host_keeps_its_own_identity)
{
	char a[PATH_MAX], b[PATH_MAX], ua[UUID_STR_LEN], ua2[UUID_STR_LEN], ub[UUID_STR_LEN];

	snprintf(a, sizeof(a), "%s/host-a/system_uuid", T.dir);
	snprintf(b, sizeof(b), "%s/host-b/system_uuid", T.dir);
	uuid_of(a, ua);		/* created on first use, parent directory too */
	uuid_of(b, ub);
	uuid_of(a, ua2);	/* read back, not made again */
	cr_assert_str_eq(ua, ua2);
	cr_assert_str_neq(ua, ub);
}

Test(roles, a_client_is_refused_by_name_and_nothing_changes)
{
	char other[PATH_MAX], master[UUID_STR_LEN], me[UUID_STR_LEN], want[PATH_MAX + 64];
	struct famfs_file_req req = { .path = "f", .size = UNIT, .mode = 0644 };
	struct famfs_media *m;
	uint64_t index = 99;

	tfs_mkfs(64 * MiB, 0);
	uuid_of(T.uuid, master);	/* mkfs made this host the master */
	snprintf(other, sizeof(other), "%s/client/system_uuid", T.dir);
	uuid_of(other, me);		/* from now on we are another host */
	m = tfs_open(FAMFS_OPEN_RDWR);
	cr_assert(!famfs_media_is_master(m));
	tfs_log_reset();
	cr_assert_eq(famfs_log_append_file(m, &req, &index, NULL), -EPERM);
	cr_assert_eq(famfs_log_append_mkdir(m, "d", 0755, 0, 0, &index), -EPERM);
	snprintf(want, sizeof(want), "this host is not the master of %s: only the master changes "
		 "the log (this host %s, master %s)", T.img, me, master);
	cr_assert_not_null(strstr(T.msgs, want), "got: %s\nwant: %s", T.msgs, want);
	cr_assert_eq(T.nerr, 2);
	cr_assert_eq(index, 99, "no index handed out");
	cr_assert_eq(famfs_log_next_index(m), 0, "nothing logged");
	famfs_media_close(m);
}

Test(roles, cache_maintenance_keeps_the_bytes)
{
	static unsigned char buf[3 * 4096 + 100];
	const char *how = famfs_cache_method(false), *wb = famfs_cache_method(true);

	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = (unsigned char)(i * 7);
	/* unaligned start and length: every line touched must be handled, none past it */
	famfs_cache_writeback(buf + 3, sizeof(buf) - 5);
	famfs_cache_invalidate(buf + 1, sizeof(buf) - 1);
	for (size_t i = 0; i < sizeof(buf); i++)
		cr_assert_eq(buf[i], (unsigned char)(i * 7), "byte %zu", i);
	cr_assert(!strcmp(how, "clflushopt") || !strcmp(how, "clflush") || !strcmp(how, "none"),
		  "method '%s'", how);
	cr_assert(!strcmp(wb, "clwb") || !strcmp(wb, "clflushopt") || !strcmp(wb, "clflush") ||
		  !strcmp(wb, "none"), "write-back method '%s'", wb);
}
