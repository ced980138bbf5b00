// SPDX-License-Identifier: Apache-2.0
/* test_log.c - appending, reading and replaying the log; every rejection writes nothing. */
#include <sys/stat.h>
#include <sys/wait.h>

#include "famfs_test.h"

TestSuite(log, .init = tfs_setup, .fini = tfs_teardown);

struct visit {
	int n;
	uint64_t index[16];
	struct famfs_log_entry e[16];
	int stop_at;	/* return 99 when n reaches this (0: never) */
};

static int visit_fn(uint64_t index, const struct famfs_log_entry *e, void *arg)
{
	struct visit *v = arg;

	cr_assert_lt(v->n, 16);
	v->index[v->n] = index;
	v->e[v->n++] = *e;
	return v->n == v->stop_at ? 99 : 0;
}

Test(log, append_mkdir_and_file_then_replay)
{
	struct famfs_file_req req = { .path = "d/f", .size = 3 * MiB + 5, .mode = 0100640,
				      .uid = 1000, .gid = 100, .flags = FAMFS_FILE_RW_ALL };
	struct famfs_log_entry out, got;
	struct visit v = { 0 };
	struct famfs_media *m;
	uint64_t idx = 77;

	tfs_mkfs(64 * MiB, 0);
	m = tfs_open(FAMFS_OPEN_RDWR);
	cr_assert_eq(famfs_log_append_mkdir(m, "d", 0750, 1, 2, &idx), 0, "%s", T.msgs);
	cr_assert_eq(idx, 0);
	cr_assert_eq(famfs_log_append_file(m, &req, &idx, &out), 0, "%s", T.msgs);
	cr_assert_eq(idx, 1);
	cr_assert_eq(tfs_file(m, "top", 1, NULL), 2);
	cr_assert_eq(famfs_log_next_index(m), 3);

	/* the returned entry is what is in the log */
	cr_assert_eq(famfs_log_get(m, 1, &got), 0);
	cr_assert(memcmp(&out, &got, sizeof(got)) == 0);
	cr_assert_eq(le64toh(got.le_seqnum), 1);
	cr_assert_eq(le32toh(got.le_type), FAMFS_LOG_FILE);
	cr_assert_eq(le64toh(got.le_file.fi_size), 3 * MiB + 5);
	cr_assert_eq(le32toh(got.le_file.fi_flags), FAMFS_FILE_RW_ALL);
	cr_assert_eq(le32toh(got.le_file.fi_mode), 0640, "mode keeps permission bits only");
	cr_assert_eq(le32toh(got.le_file.fi_uid), 1000);
	cr_assert_eq(le32toh(got.le_file.fi_gid), 100);
	cr_assert_str_eq(got.le_file.fi_path, "d/f");
	cr_assert_eq(le32toh(got.le_file.fi_fmap.fm_kind), FAMFS_FMAP_SIMPLE);
	cr_assert_eq(le32toh(got.le_file.fi_fmap.fm_nextents), 1);
	cr_assert_eq(le64toh(got.le_file.fi_fmap.fm_ext[0].ext_len), 4 * MiB);
	cr_assert_eq(le32toh(got.le_crc), famfs_log_entry_crc(&got));

	cr_assert_eq(famfs_log_for_each(m, 0, visit_fn, &v), 0);
	cr_assert_eq(v.n, 3);
	cr_assert_eq(v.index[0], 0);
	cr_assert_eq(le32toh(v.e[0].le_type), FAMFS_LOG_MKDIR);
	cr_assert_str_eq(v.e[0].le_mkdir.md_path, "d");
	cr_assert_eq(le32toh(v.e[0].le_mkdir.md_mode), 0750);
	cr_assert_eq(le32toh(v.e[0].le_mkdir.md_uid), 1);
	cr_assert_eq(le32toh(v.e[0].le_mkdir.md_gid), 2);
	cr_assert_str_eq(v.e[1].le_file.fi_path, "d/f");
	cr_assert_str_eq(v.e[2].le_file.fi_path, "top");
	cr_assert_eq(v.index[2], 2);
	famfs_media_close(m);
	cr_assert_eq(T.nerr, 0, "%s", T.msgs);
}

Test(log, for_each_from_and_stop)
{
	struct visit v = { 0 };
	struct famfs_media *m;
	int i;

	tfs_mkfs(64 * MiB, 0);
	m = tfs_open(FAMFS_OPEN_RDWR);
	for (i = 0; i < 5; i++) {
		char p[8];

		snprintf(p, sizeof(p), "d%d", i);
		tfs_dir(m, p);
	}
	cr_assert_eq(famfs_log_for_each(m, 3, visit_fn, &v), 0);
	cr_assert_eq(v.n, 2);
	cr_assert_eq(v.index[0], 3);
	cr_assert_str_eq(v.e[1].le_mkdir.md_path, "d4");
	v = (struct visit){ .stop_at = 2 };
	cr_assert_eq(famfs_log_for_each(m, 0, visit_fn, &v), 99);
	cr_assert_eq(v.n, 2);
	v = (struct visit){ 0 };
	cr_assert_eq(famfs_log_for_each(m, 5, visit_fn, &v), 0);
	cr_assert_eq(famfs_log_for_each(m, 100, visit_fn, &v), 0);
	cr_assert_eq(v.n, 0);
	famfs_media_close(m);
}

Test(log, entries_survive_reopen_and_are_seen_live)
{
	struct famfs_log_entry a, b;
	struct famfs_media *w, *r;

	tfs_mkfs(64 * MiB, 0);
	w = tfs_open(FAMFS_OPEN_RDWR);
	r = tfs_open(FAMFS_OPEN_RDONLY);	/* opened before the append */
	tfs_file(w, "f", 10 * MiB, &a);
	cr_assert_eq(famfs_log_next_index(r), 1, "a second opener must see the new entry");
	cr_assert_eq(famfs_log_get(r, 0, &b), 0);
	cr_assert(memcmp(&a, &b, sizeof(a)) == 0);
	famfs_media_close(w);
	famfs_media_close(r);
	r = tfs_open(FAMFS_OPEN_RDONLY);
	cr_assert_eq(famfs_log_next_index(r), 1);
	cr_assert_eq(famfs_log_get(r, 0, &b), 0);
	cr_assert(memcmp(&a, &b, sizeof(a)) == 0);
	famfs_media_close(r);
}

Test(log, get_out_of_range)
{
	struct famfs_log_entry e;
	struct famfs_media *m;

	tfs_mkfs(64 * MiB, 0);
	m = tfs_open(FAMFS_OPEN_RDWR);
	cr_assert_eq(famfs_log_get(m, 0, &e), -ERANGE);
	tfs_dir(m, "d");
	cr_assert_eq(famfs_log_get(m, 0, &e), 0);
	cr_assert_eq(famfs_log_get(m, 1, &e), -ERANGE);
	cr_assert_eq(famfs_log_get(m, UINT64_MAX, &e), -ERANGE);
	famfs_media_close(m);
}

Test(log, bad_entry_crc_is_ebadmsg)
{
	struct famfs_log_entry e;
	struct visit v = { 0 };
	struct famfs_media *m;
	uint8_t *before;

	tfs_mkfs(64 * MiB, 0);
	m = tfs_open(FAMFS_OPEN_RDWR);
	tfs_dir(m, "a");
	tfs_dir(m, "b");
	tfs_dir(m, "c");
	tfs_entry_read(1, &e);
	e.le_mkdir.md_path[0] = 'x';	/* CRC not updated */
	tfs_entry_write(1, &e, false);
	tfs_log_reset();
	cr_assert_eq(famfs_log_get(m, 1, &e), -EBADMSG);
	cr_assert_eq(T.nerr, 1);
	cr_assert_not_null(strstr(T.msgs, "entry 1"), "%s", T.msgs);
	cr_assert_eq(famfs_log_get(m, 2, &e), 0, "a bad entry spoils only itself");
	cr_assert_eq(famfs_log_for_each(m, 0, visit_fn, &v), -EBADMSG);
	cr_assert_eq(v.n, 1, "for_each must stop at the bad entry");
	/* the allocator cannot trust a log it cannot read: append refuses, writes nothing */
	before = tfs_meta_copy();
	cr_assert_eq(famfs_log_append_mkdir(m, "d", 0755, 0, 0, NULL), -EBADMSG);
	tfs_meta_unchanged(before);
	famfs_media_close(m);
}

Test(log, wrong_seqnum_is_ebadmsg)
{
	struct famfs_log_entry e;
	struct famfs_media *m;

	tfs_mkfs(64 * MiB, 0);
	m = tfs_open(FAMFS_OPEN_RDWR);
	tfs_dir(m, "a");
	tfs_dir(m, "b");
	tfs_entry_read(1, &e);
	e.le_seqnum = htole64(0);
	tfs_entry_write(1, &e, true);	/* valid CRC, wrong seqnum */
	cr_assert_eq(famfs_log_get(m, 1, &e), -EBADMSG);
	famfs_media_close(m);
}

/* Expect an append of a file at @path (@dir: a mkdir) to fail with @err, writing nothing. */
static void expect_reject(struct famfs_media *m, const char *path, bool dir, uint64_t size,
			  uint32_t flags, int err)
{
	struct famfs_file_req req = { .path = path, .size = size, .mode = 0644, .flags = flags };
	uint64_t next = famfs_log_next_index(m), idx = 4242;
	uint8_t *before = tfs_meta_copy();
	int rc;

	tfs_log_reset();
	rc = dir ? famfs_log_append_mkdir(m, path, 0755, 0, 0, &idx)
		 : famfs_log_append_file(m, &req, &idx, NULL);
	cr_assert_eq(rc, err, "'%s': got %d, want %d", path ? path : "(null)", rc, err);
	cr_assert_eq(idx, 4242, "index written on failure");
	cr_assert_eq(famfs_log_next_index(m), next);
	cr_assert_eq(T.nerr, 1, "one message per failure:\n%s", T.msgs);
	tfs_meta_unchanged(before);
}

Test(log, rejects_write_nothing)
{
	char longp[FAMFS_MAX_PATH + 8];
	struct famfs_media *m;

	tfs_mkfs(64 * MiB, 0);
	m = tfs_open(FAMFS_OPEN_RDWR);
	tfs_dir(m, "d");
	tfs_file(m, "d/f", 1, NULL);
	expect_reject(m, "d/f", false, 1, 0, -EEXIST);
	expect_reject(m, "d/f", true, 0, 0, -EEXIST);
	expect_reject(m, "d", false, 1, 0, -EEXIST);
	expect_reject(m, "d", true, 0, 0, -EEXIST);
	expect_reject(m, "x/f", false, 1, 0, -ENOENT);
	expect_reject(m, "x/y", true, 0, 0, -ENOENT);
	expect_reject(m, "d/f/g", false, 1, 0, -ENOENT);	/* parent is a file */
	expect_reject(m, "/abs", false, 1, 0, -EINVAL);
	expect_reject(m, "d/../f", false, 1, 0, -EINVAL);
	expect_reject(m, "d//f2", false, 1, 0, -EINVAL);
	expect_reject(m, "d/./f2", true, 0, 0, -EINVAL);
	expect_reject(m, "", true, 0, 0, -EINVAL);
	memset(longp, 'a', sizeof(longp));
	longp[sizeof(longp) - 1] = '\0';
	expect_reject(m, longp, false, 1, 0, -EINVAL);
	expect_reject(m, longp, true, 0, 0, -EINVAL);
	expect_reject(m, "zero", false, 0, 0, -EINVAL);
	expect_reject(m, "flags", false, 1, 0x80, -EINVAL);
	expect_reject(m, "huge", false, 1ULL << 40, 0, -ENOSPC);
	expect_reject(m, "max", false, UINT64_MAX, 0, -ENOSPC);
	cr_assert_eq(famfs_log_next_index(m), 2);
	/* the longest valid path is fine */
	longp[FAMFS_MAX_PATH - 1] = '\0';
	tfs_file(m, longp, 1, NULL);
	famfs_media_close(m);
}

Test(log, not_master_is_eperm)
{
	char other[PATH_MAX];
	struct famfs_media *m;

	tfs_mkfs(64 * MiB, 0);
	snprintf(other, sizeof(other), "%s/other_host_uuid", T.dir);
	setenv("FAMFS_SYSTEM_UUID_PATH", other, 1);	/* now we are another host */
	m = tfs_open(FAMFS_OPEN_RDWR);
	cr_assert(!famfs_media_is_master(m));
	expect_reject(m, "f", false, 1, 0, -EPERM);
	expect_reject(m, "d", true, 0, 0, -EPERM);
	famfs_media_close(m);
	setenv("FAMFS_SYSTEM_UUID_PATH", T.uuid, 1);	/* back on the master's identity */
	m = tfs_open(FAMFS_OPEN_RDWR);
	cr_assert(famfs_media_is_master(m));
	tfs_file(m, "f", 1, NULL);
	famfs_media_close(m);
}

Test(log, read_only_is_erofs)
{
	struct famfs_media *m;

	tfs_mkfs(64 * MiB, 0);
	m = tfs_open(FAMFS_OPEN_RDONLY);
	expect_reject(m, "f", false, 1, 0, -EROFS);
	expect_reject(m, "d", true, 0, 0, -EROFS);
	famfs_media_close(m);
}

Test(log, full_log_is_e2big)
{
	struct famfs_media *m;
	struct famfs_fsck_report r;
	uint64_t nslots, i;
	char p[24];

	tfs_mkfs(FAMFS_DEV_SIZE_MIN, FAMFS_LOG_LEN_MIN);
	m = tfs_open(FAMFS_OPEN_RDWR);
	nslots = famfs_log_nslots(m);
	tfs_dir(m, "d0");
	for (i = 1; i < nslots - 1; i++) {	/* forge valid entries quickly */
		snprintf(p, sizeof(p), "d%llu", (unsigned long long)i);
		tfs_forge_dir(i, p);
	}
	tfs_set_next(nslots - 1);
	cr_assert_eq(famfs_log_next_index(m), nslots - 1);
	cr_assert_eq(tfs_file(m, "last", 1, NULL), nslots - 1, "the last slot is usable");
	expect_reject(m, "more", false, 1, 0, -E2BIG);
	expect_reject(m, "more", true, 0, 0, -E2BIG);
	cr_assert_eq(famfs_fsck(m, &r), 0, "%s", T.msgs);
	cr_assert_eq(r.space.log_used, nslots);
	cr_assert_eq(r.space.ndirs, nslots - 1);
	famfs_media_close(m);
}

Test(log, many_appends)
{
	struct famfs_media *m;
	struct famfs_fsck_report r;
	char p[32];
	int i;

	tfs_mkfs(1024 * MiB, 0);
	m = tfs_open(FAMFS_OPEN_RDWR);
	tfs_dir(m, "dir");
	for (i = 0; i < 150; i++) {
		snprintf(p, sizeof(p), i % 3 ? "dir/f%d" : "g%d", i);
		cr_assert_eq(tfs_file(m, p, 4096, NULL), (uint64_t)i + 1);
	}
	cr_assert_eq(famfs_fsck(m, &r), 0, "%s", T.msgs);
	cr_assert_eq(r.space.nfiles, 150);
	cr_assert_eq(r.space.used, META_END + 150 * FAMFS_SMALL_PAGE);	/* packed: one unit */
	cr_assert_eq(r.space.small_units, 1);
	famfs_media_close(m);
}

/* Child of the concurrency test: append @n directories named <tag><i>. */
static int appender(const char *tag, int n)
{
	struct famfs_media *m = NULL;
	char p[32];
	int i;

	if (famfs_media_open_dev(T.img, FAMFS_OPEN_RDWR, &m) != 0)
		return 1;
	for (i = 0; i < n; i++) {
		snprintf(p, sizeof(p), "%s%d", tag, i);
		if (famfs_log_append_file(m, &(struct famfs_file_req){ .path = p, .size = 1 },
					  NULL, NULL) != 0)
			return 2;
	}
	famfs_media_close(m);
	return 0;
}

Test(log, concurrent_appenders_are_serialized)
{
	struct famfs_fsck_report r;
	struct famfs_media *m;
	pid_t pid[2];
	int i, st;

	tfs_mkfs(1024 * MiB, 0);
	for (i = 0; i < 2; i++) {
		pid[i] = fork();
		cr_assert_geq(pid[i], 0);
		if (pid[i] == 0)
			_exit(appender(i ? "b" : "a", 40));
	}
	for (i = 0; i < 2; i++) {
		cr_assert_eq(waitpid(pid[i], &st, 0), pid[i]);
		cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "appender %d failed: %d", i, st);
	}
	m = tfs_open(FAMFS_OPEN_RDONLY);
	cr_assert_eq(famfs_log_next_index(m), 80);
	cr_assert_eq(famfs_fsck(m, &r), 0, "%s", T.msgs);
	cr_assert_eq(r.crosslinks, 0);
	cr_assert_eq(r.space.used, META_END + 80 * FAMFS_SMALL_PAGE);	/* no page twice */
	cr_assert_eq(r.space.small_units, 1);
	famfs_media_close(m);
}

/* Split the image's metadata into MPT/.meta/.superblock and MPT/.meta/.log. */
static void fake_mount(char *mpt, size_t len)
{
	char path[PATH_MAX + 32];
	uint8_t *meta = tfs_meta_copy();
	FILE *f;

	snprintf(mpt, len, "%s/mnt", T.dir);
	snprintf(path, sizeof(path), "%s/.meta", mpt);
	cr_assert_eq(mkdir(mpt, 0755), 0);
	cr_assert_eq(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/.meta/.superblock", mpt);
	f = fopen(path, "w");
	cr_assert_eq(fwrite(meta, 1, FAMFS_SB_SIZE, f), FAMFS_SB_SIZE);
	fclose(f);
	snprintf(path, sizeof(path), "%s/.meta/.log", mpt);
	f = fopen(path, "w");
	cr_assert_eq(fwrite(meta + LOG_OFF, 1, FAMFS_LOG_LEN_DEFAULT, f), FAMFS_LOG_LEN_DEFAULT);
	fclose(f);
	free(meta);
}

Test(log, open_mount_reads_and_appends_through_meta_files)
{
	char mpt[PATH_MAX], path[PATH_MAX + 32];
	struct famfs_log_entry e;
	struct famfs_media *m = NULL;
	uint64_t next;
	FILE *f;

	tfs_mkfs(64 * MiB, 0);
	m = tfs_open(FAMFS_OPEN_RDWR);
	tfs_dir(m, "d");
	famfs_media_close(m);
	fake_mount(mpt, sizeof(mpt));
	cr_assert_eq(famfs_media_open_mount(mpt, FAMFS_OPEN_RDWR, &m), 0, "%s", T.msgs);
	cr_assert_eq(famfs_media_dev_size(m), 64 * MiB);
	cr_assert_eq(famfs_log_next_index(m), 1);
	tfs_file(m, "d/f", 1, NULL);
	famfs_media_close(m);
	/* the append went to .meta/.log */
	snprintf(path, sizeof(path), "%s/.meta/.log", mpt);
	f = fopen(path, "r");
	cr_assert_eq(fseek(f, offsetof(struct famfs_log_header, lh_next_index), SEEK_SET), 0);
	cr_assert_eq(fread(&next, sizeof(next), 1, f), 1);
	cr_assert_eq(le64toh(next), 2);
	cr_assert_eq(fseek(f, sizeof(struct famfs_log_header) + FAMFS_LOG_ENTRY_SIZE, SEEK_SET), 0);
	cr_assert_eq(fread(&e, sizeof(e), 1, f), 1);
	fclose(f);
	cr_assert_str_eq(e.le_file.fi_path, "d/f");
	cr_assert_eq(le32toh(e.le_crc), famfs_log_entry_crc(&e));
	/* a truncated .log is refused */
	cr_assert_eq(truncate(path, MiB), 0);
	cr_assert_eq(famfs_media_open_mount(mpt, FAMFS_OPEN_RDONLY, &m), -ENOSPC);
	snprintf(path, sizeof(path), "%s/nomount", T.dir);
	cr_assert_eq(famfs_media_open_mount(path, FAMFS_OPEN_RDONLY, &m), -ENOENT);
}
