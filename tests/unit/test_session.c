// SPDX-License-Identifier: Apache-2.0
/*
 * test_session.c - the append session: one replay for many appends, the same log as single
 * appends, the kept state equal to a fresh replay, and a log changed under the session
 * (next_index moved, or the last slot rewritten) replayed again.
 */
#include "famfs_test.h"
#include "famfs_priv.h"

TestSuite(session, .init = tfs_setup, .fini = tfs_teardown);

#define NAPPEND	60

/* Append number @i of a fixed mix (directories, files of several sizes, files in dirs). */
static int mix_append(struct famfs_media *m, struct famfs_append_session *s, int i)
{
	char path[64];

	if (i % 10 == 0) {
		snprintf(path, sizeof(path), "d%d", i / 10);
		return s ? famfs_append_mkdir(s, path, 0750, 1, 2, NULL, NULL) :
			   famfs_log_append_mkdir(m, path, 0750, 1, 2, NULL);
	}
	snprintf(path, sizeof(path), "d%d/f%d", i / 10, i);
	struct famfs_file_req req = { .path = path, .size = (uint64_t)(i % 4) * MiB + 100,
				      .mode = 0640, .uid = 3, .gid = 4 };

	return s ? famfs_append_file(s, &req, NULL, NULL) :
		   famfs_log_append_file(m, &req, NULL, NULL);
}

/* The log's slots [0, n) and next_index of image @path. */
static uint8_t *log_bytes(const char *path, uint64_t n, uint64_t *next)
{
	size_t len = n * FAMFS_LOG_ENTRY_SIZE;
	uint8_t *p = malloc(len);
	struct famfs_log_header lh;

	cr_assert_not_null(p);
	tfs_pio_at(path, &lh, sizeof(lh), LOG_OFF, false);
	*next = le64toh(lh.lh_next_index);
	tfs_pio_at(path, p, len, tfs_slot_off(0), false);
	return p;
}

Test(session, many_appends_one_replay_same_log_as_single_appends)
{
	struct famfs_append_session *s;
	struct famfs_media *m;
	uint64_t na, nb;
	uint8_t *a, *b;
	int i, rc;

	tfs_mkfs(512 * MiB, 0);
	m = tfs_open(FAMFS_OPEN_RDWR);
	cr_assert_eq(famfs_append_begin(m, &s), 0, "%s", T.msgs);
	for (i = 0; i < NAPPEND; i++)
		cr_assert_eq(mix_append(m, s, i), 0, "session append %d\n%s", i, T.msgs);
	cr_assert_eq(famfs_append_replays(s), 1, "the log was replayed once, not per append");
	famfs_append_end(s);
	famfs_media_close(m);

	/* the same requests as single appends, on a second image of the same size */
	tfs_image_at(T.imgs[1], 512 * MiB);
	cr_assert_eq(famfs_mkfs(T.imgs[1], &(struct famfs_mkfs_opts){ 0 }), 0, "%s", T.msgs);
	rc = famfs_media_open_dev(T.imgs[1], FAMFS_OPEN_RDWR, &m);
	cr_assert_eq(rc, 0, "%s", T.msgs);
	for (i = 0; i < NAPPEND; i++)
		cr_assert_eq(mix_append(m, NULL, i), 0, "single append %d\n%s", i, T.msgs);
	famfs_media_close(m);

	a = log_bytes(T.img, NAPPEND, &na);
	b = log_bytes(T.imgs[1], NAPPEND, &nb);
	cr_assert_eq(na, NAPPEND);
	cr_assert_eq(nb, NAPPEND);
	cr_assert(memcmp(a, b, NAPPEND * FAMFS_LOG_ENTRY_SIZE) == 0,
		  "a session writes the same entries as single appends");
	free(a);
	free(b);
	cr_assert_eq(T.nerr, 0, "%s", T.msgs);
}

Test(session, kept_state_equals_a_fresh_replay)
{
	struct famfs_append_session *s;
	struct famfs_replay fresh;
	struct famfs_media *m;
	int i;

	tfs_mkfs(512 * MiB, 0);
	m = tfs_open(FAMFS_OPEN_RDWR);
	cr_assert_eq(famfs_append_begin(m, &s), 0, "%s", T.msgs);
	for (i = 0; i < NAPPEND; i++)
		cr_assert_eq(mix_append(m, s, i), 0, "%s", T.msgs);
	cr_assert(s->valid);
	cr_assert_eq(famfs_replay(m, &fresh), 0, "%s", T.msgs);
	cr_assert_eq(s->r.nfiles, fresh.nfiles);
	cr_assert_eq(s->r.ndirs, fresh.ndirs);
	cr_assert_eq(s->r.nfiles + s->r.ndirs, NAPPEND);
	cr_assert_eq(s->r.paths.count, fresh.paths.count);
	cr_assert_eq(s->r.crosslinked_units, 0);
	cr_assert_eq(fresh.crosslinked_units, 0);
	cr_assert_eq(famfs_bitmap_count(&s->r.alloc.dev[0]),
		     famfs_bitmap_count(&fresh.alloc.dev[0]), "the same units are used");
	cr_assert_gt(fresh.alloc.small[0].pages, 0, "the mix has small files");
	cr_assert_eq(s->r.alloc.small[0].pages, fresh.alloc.small[0].pages,
		     "the same small-file pages are used");
	cr_assert_eq(s->r.alloc.small[0].n, fresh.alloc.small[0].n);
	cr_assert_eq(s->r.small_data, fresh.small_data);
	cr_assert_eq(s->r.large_data, fresh.large_data);
	famfs_replay_free(&fresh);
	famfs_append_end(s);
	famfs_media_close(m);
}

Test(session, next_index_moved_under_the_session_replays_again)
{
	struct famfs_append_session *s;
	struct famfs_log_entry e;
	struct famfs_media *m;
	uint64_t idx;

	tfs_mkfs(256 * MiB, 0);
	m = tfs_open(FAMFS_OPEN_RDWR);
	cr_assert_eq(famfs_append_begin(m, &s), 0, "%s", T.msgs);
	cr_assert_eq(famfs_append_mkdir(s, "a", 0755, 0, 0, &idx, NULL), 0, "%s", T.msgs);
	cr_assert_eq(famfs_append_replays(s), 1);

	/* behind the session's back (the lock does not stop a raw write): a directory and a
	 * file holding the first data unit, and next_index moved to 3 */
	tfs_forge_dir(1, "forged");
	tfs_forge_file(2, "forged/held", META_END, UNIT);
	tfs_set_next(3);

	struct famfs_file_req req = { .path = "forged/new", .size = 1, .mode = 0644 };

	cr_assert_eq(famfs_append_file(s, &req, &idx, &e), 0, "the forged parent is seen\n%s",
		     T.msgs);
	cr_assert_eq(idx, 3);
	cr_assert_eq(famfs_append_replays(s), 2, "the moved next_index made it replay");
	cr_assert_neq(le64toh(e.le_file.fi_fmap.fm_ext[0].ext_offset), META_END,
		      "the forged file's unit is not handed out again");
	/* nothing moved since: no replay */
	cr_assert_eq(famfs_append_mkdir(s, "b", 0755, 0, 0, &idx, NULL), 0, "%s", T.msgs);
	cr_assert_eq(famfs_append_replays(s), 2);
	famfs_append_end(s);
	famfs_media_close(m);
	cr_assert_eq(T.nerr, 0, "%s", T.msgs);
}

Test(session, last_slot_rewritten_under_the_session_replays_again)
{
	struct famfs_append_session *s;
	struct famfs_media *m;

	tfs_mkfs(256 * MiB, 0);
	m = tfs_open(FAMFS_OPEN_RDWR);
	cr_assert_eq(famfs_append_begin(m, &s), 0, "%s", T.msgs);
	cr_assert_eq(famfs_append_mkdir(s, "old", 0755, 0, 0, NULL, NULL), 0, "%s", T.msgs);
	tfs_forge_dir(0, "renamed");	/* same next_index, another entry in the last slot */
	cr_assert_eq(famfs_append_mkdir(s, "old", 0755, 0, 0, NULL, NULL), 0,
		     "'old' is no longer logged\n%s", T.msgs);
	cr_assert_eq(famfs_append_replays(s), 2);
	cr_assert_eq(famfs_append_mkdir(s, "renamed", 0755, 0, 0, NULL, NULL), -EEXIST);
	cr_assert_eq(famfs_append_replays(s), 2);
	famfs_append_end(s);
	famfs_media_close(m);
}

Test(session, every_check_still_runs_and_a_refusal_keeps_the_state)
{
	struct famfs_append_session *s;
	struct famfs_media *m;
	uint8_t *before;

	tfs_mkfs(64 * MiB, 0);
	m = tfs_open(FAMFS_OPEN_RDWR);
	cr_assert_eq(famfs_append_begin(m, &s), 0, "%s", T.msgs);
	cr_assert_eq(famfs_append_mkdir(s, "d", 0755, 0, 0, NULL, NULL), 0, "%s", T.msgs);
	before = tfs_meta_copy();
	tfs_log_reset();
	cr_assert_eq(famfs_append_mkdir(s, "d", 0755, 0, 0, NULL, NULL), -EEXIST);
	cr_assert_not_null(strstr(T.msgs, "already logged"), "%s", T.msgs);
	cr_assert_eq(famfs_append_mkdir(s, "nodir/x", 0755, 0, 0, NULL, NULL), -ENOENT);
	cr_assert_not_null(strstr(T.msgs, "parent directory is not logged"), "%s", T.msgs);
	cr_assert_eq(famfs_append_mkdir(s, "../x", 0755, 0, 0, NULL, NULL), -EINVAL);
	struct famfs_file_req zero = { .path = "d/z", .size = 0 };

	cr_assert_eq(famfs_append_file(s, &zero, NULL, NULL), -EINVAL);
	cr_assert_eq(famfs_append_replays(s), 1, "refusals before allocating keep the state");
	struct famfs_file_req big = { .path = "d/big", .size = 1024 * MiB };

	cr_assert_eq(famfs_append_file(s, &big, NULL, NULL), -ENOSPC);
	tfs_meta_unchanged(before);
	struct famfs_file_req ok = { .path = "d/ok", .size = 1 };

	cr_assert_eq(famfs_append_file(s, &ok, NULL, NULL), 0, "%s", T.msgs);
	cr_assert_leq(famfs_append_replays(s), 2);
	famfs_append_end(s);
	famfs_media_close(m);
}

Test(session, log_full_in_a_session_is_e2big)
{
	struct famfs_append_session *s;
	struct famfs_media *m;
	uint64_t nslots, i;
	char path[32];

	tfs_mkfs(64 * MiB, FAMFS_LOG_LEN_MIN);
	m = tfs_open(FAMFS_OPEN_RDWR);
	nslots = famfs_log_nslots(m);
	for (i = 0; i < nslots - 3; i++) {	/* forged quickly: each real append msyncs */
		snprintf(path, sizeof(path), "d%llu", (unsigned long long)i);
		tfs_forge_dir(i, path);
	}
	tfs_set_next(nslots - 3);
	cr_assert_eq(famfs_append_begin(m, &s), 0, "%s", T.msgs);
	for (i = nslots - 3; i < nslots; i++) {
		snprintf(path, sizeof(path), "d%llu", (unsigned long long)i);
		cr_assert_eq(famfs_append_mkdir(s, path, 0755, 0, 0, NULL, NULL), 0, "%s", T.msgs);
	}
	cr_assert_eq(famfs_append_mkdir(s, "d1", 0755, 0, 0, NULL, NULL), -E2BIG,
		     "full before the path is looked at");
	cr_assert_eq(famfs_append_mkdir(s, "one-more", 0755, 0, 0, NULL, NULL), -E2BIG);
	cr_assert_eq(famfs_append_replays(s), 1);
	famfs_append_end(s);
	cr_assert_eq(famfs_log_next_index(m), nslots);
	famfs_media_close(m);
}

Test(session, begin_refuses_a_client_and_a_read_only_media)
{
	struct famfs_append_session *s = NULL;
	struct famfs_media *m;

	tfs_mkfs(64 * MiB, 0);
	m = tfs_open(FAMFS_OPEN_RDONLY);
	cr_assert_eq(famfs_append_begin(m, &s), -EROFS);
	cr_assert_null(s);
	famfs_media_close(m);
	m = tfs_open(FAMFS_OPEN_RDWR);
	char other[PATH_MAX];

	snprintf(other, sizeof(other), "%s/client_uuid", T.dir);
	setenv("FAMFS_SYSTEM_UUID_PATH", other, 1);	/* from now on we are another host */
	tfs_log_reset();
	cr_assert_eq(famfs_append_begin(m, &s), -EPERM);
	cr_assert_not_null(strstr(T.msgs, "not the master"), "%s", T.msgs);
	cr_assert_null(s);
	famfs_media_close(m);
}

Test(session, the_lock_is_released_by_end)
{
	struct famfs_append_session *s;
	struct famfs_media *m, *m2;

	tfs_mkfs(64 * MiB, 0);
	m = tfs_open(FAMFS_OPEN_RDWR);
	m2 = tfs_open(FAMFS_OPEN_RDWR);
	cr_assert_eq(famfs_append_begin(m, &s), 0, "%s", T.msgs);
	cr_assert_eq(famfs_append_mkdir(s, "x", 0755, 0, 0, NULL, NULL), 0);
	famfs_append_end(s);
	/* a second opening of the same image appends (it would block if the lock were held) */
	cr_assert_eq(tfs_dir(m2, "y"), 1);
	famfs_media_close(m2);
	famfs_media_close(m);
}
