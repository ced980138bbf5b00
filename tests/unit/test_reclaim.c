// SPDX-License-Identifier: Apache-2.0
/*
 * test_reclaim.c - deletes and the reclaim rule on image files: a deleted file's space stays
 * allocated (pending reclaim) while any client in the table has not applied the DELETE,
 * including a bad slot; it is reused after every client has, or after an eviction; fsck
 * tells a reuse after the RECLAIM (clean) from one before it (early reuse); DELETE and
 * RECLAIM entries that name nothing valid have no effect.
 */
#include "famfs_test.h"

TestSuite(reclaim, .init = tfs_setup, .fini = tfs_teardown);

static const uuid_t CLIENT = { 0xc1, 0x1e, 0x47, 0x00, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 };

static struct famfs_media *fs(void)
{
	tfs_mkfs(64 * MiB, 0);
	return tfs_open(FAMFS_OPEN_RDWR);
}

static uint64_t new_file(struct famfs_media *m, const char *path, uint64_t size)
{
	struct famfs_file_req req = { .path = path, .size = size, .mode = 0644 };
	struct famfs_log_entry e;
	uint64_t index;
	int rc = famfs_log_append_file(m, &req, &index, &e);

	cr_assert_eq(rc, 0, "append %s: %d\n%s", path, rc, T.msgs);
	return le64toh(e.le_file.fi_fmap.fm_ext[0].ext_offset);
}

static struct famfs_clients *table(void)
{
	struct famfs_clients *t;
	int rc = famfs_clients_open_dev(T.img, true, &t);

	cr_assert_eq(rc, 0, "clients open: %d\n%s", rc, T.msgs);
	return t;
}

static uint64_t reclaim(struct famfs_media *m, struct famfs_clients *t)
{
	uint64_t n = 99;

	cr_assert_eq(famfs_log_reclaim(m, t, &n), 0, "%s", T.msgs);
	return n;
}

static void fsck_clean(struct famfs_media *m, struct famfs_fsck_report *r)
{
	tfs_log_reset();
	cr_assert_eq(famfs_fsck(m, r), 0, "fsck:\n%s", T.msgs);
	cr_assert_eq(r->early_reuse, 0);
	cr_assert_eq(r->crosslinks, 0);
}

Test(reclaim, pending_until_the_client_applied_the_delete)
{
	struct famfs_media *m = fs();
	struct famfs_clients *t = table();
	struct famfs_fsck_report r;
	struct famfs_space s;
	uint64_t a, b, c, del;

	cr_assert_eq(famfs_clients_update(t, CLIENT, 1), 0);	/* it saw entry 0 */
	a = new_file(m, "a", UNIT);
	cr_assert_eq(famfs_log_append_delete(m, "a", &del, NULL), 0, "%s", T.msgs);
	cr_assert_eq(del, 1);
	cr_assert_eq(reclaim(m, t), 0, "client applied 1, the DELETE is entry 1");
	b = new_file(m, "b", UNIT);
	cr_assert_neq(b, a, "space of a reused before the client applied its delete");
	cr_assert_eq(famfs_space_get(m, &s), 0);
	cr_assert_eq(s.pending_reclaim, UNIT);
	cr_assert_eq(s.nfiles, 1);
	fsck_clean(m, &r);
	cr_assert_eq(r.deleted, 1);
	cr_assert_eq(r.space.pending_reclaim, UNIT);
	cr_assert_eq(r.space.used, s.used, "fsck and replay agree on used space");

	cr_assert_eq(famfs_clients_update(t, CLIENT, 2), 0);	/* applied the DELETE */
	cr_assert_eq(reclaim(m, t), 1);
	cr_assert_eq(reclaim(m, t), 0, "a reclaim is logged once");
	c = new_file(m, "c", UNIT);
	cr_assert_eq(c, a, "first fit reuses the reclaimed unit");
	fsck_clean(m, &r);
	cr_assert_eq(r.space.pending_reclaim, 0);
	famfs_clients_close(t);
	famfs_media_close(m);
}

Test(reclaim, no_clients_reclaims_at_once_and_path_is_free_again)
{
	struct famfs_media *m = fs();
	struct famfs_clients *t = table();
	struct famfs_fsck_report r;
	uint64_t a, a2;

	a = new_file(m, "a", 3 * UNIT);
	cr_assert_eq(famfs_log_append_delete(m, "a", NULL, NULL), 0);
	cr_assert_eq(famfs_log_append_delete(m, "a", NULL, NULL), -ENOENT, "deleted twice");
	cr_assert_eq(reclaim(m, t), 1);
	a2 = new_file(m, "a", UNIT);	/* the path may be logged again */
	cr_assert_eq(a2, a);
	fsck_clean(m, &r);
	cr_assert_eq(r.space.nfiles, 1);
	famfs_clients_close(t);
	famfs_media_close(m);
}

Test(reclaim, eviction_unblocks_and_bad_slot_blocks)
{
	struct famfs_media *m = fs();
	struct famfs_clients *t = table();
	struct famfs_client_info ci[FAMFS_CLIENT_SLOTS];
	struct famfs_client_slot slot;
	uint64_t min;
	uint32_t n;
	int k;

	cr_assert_eq(famfs_clients_update(t, CLIENT, 0), 0);
	new_file(m, "a", UNIT);
	cr_assert_eq(famfs_log_append_delete(m, "a", NULL, NULL), 0);
	cr_assert_eq(reclaim(m, t), 0);
	cr_assert_eq(famfs_clients_list(t, ci), 1);
	k = (int)ci[0].slot;

	/* a torn or forged slot: counts as a client that applied nothing */
	tfs_read(&slot, sizeof(slot), FAMFS_CLIENTS_OFFSET + k * sizeof(slot));
	slot.cs_applied = htole64(1000);	/* CRC no longer matches */
	tfs_write(&slot, sizeof(slot), FAMFS_CLIENTS_OFFSET + k * sizeof(slot));
	famfs_clients_min_applied(t, &min, &n);
	cr_assert_eq(n, 1);
	cr_assert_eq(min, 0, "bad slot trusted");
	cr_assert_eq(reclaim(m, t), 0);
	cr_assert_eq(famfs_clients_list(t, ci), 1);
	cr_assert_not(ci[0].valid);

	cr_assert_eq(famfs_clients_evict(t, CLIENT), 1);
	famfs_clients_min_applied(t, &min, &n);
	cr_assert_eq(n, 0);
	cr_assert_eq(min, FAMFS_NO_INDEX);
	cr_assert_eq(reclaim(m, t), 1, "evicted: nothing blocks");
	famfs_clients_close(t);
	famfs_media_close(m);
}

Test(reclaim, slots_owned_by_uuid)
{
	struct famfs_clients *t;
	struct famfs_client_info ci[FAMFS_CLIENT_SLOTS];
	uuid_t u2;
	int n;

	famfs_media_close(fs());
	t = table();
	memcpy(u2, CLIENT, sizeof(u2));
	u2[15] ^= 0xff;
	cr_assert_eq(famfs_clients_update(t, CLIENT, 5), 0);
	cr_assert_eq(famfs_clients_update(t, u2, 7), 0);
	cr_assert_eq(famfs_clients_update(t, CLIENT, 6), 0, "same slot again");
	n = famfs_clients_list(t, ci);
	cr_assert_eq(n, 2);
	cr_assert_eq(ci[0].applied + ci[1].applied, 13);
	cr_assert_eq(famfs_clients_remove(t, CLIENT), 0);
	cr_assert_eq(famfs_clients_remove(t, CLIENT), -ENOENT);
	cr_assert_eq(famfs_clients_list(t, ci), 1);
	cr_assert_eq(ci[0].applied, 7);
	famfs_clients_close(t);
}

/* Forged entries: DELETE of @fi (@path), RECLAIM of @di with @min. */
static void forge_delete(uint64_t index, uint64_t fi, const char *path)
{
	struct famfs_log_entry e = { 0 };

	e.le_seqnum = htole64(index);
	e.le_type = htole32(FAMFS_LOG_DELETE);
	e.le_delete.de_file_index = htole64(fi);
	snprintf(e.le_delete.de_path, sizeof(e.le_delete.de_path), "%s", path);
	tfs_entry_write(index, &e, true);
}

static void forge_reclaim(uint64_t index, uint64_t di, uint64_t min)
{
	struct famfs_log_entry e = { 0 };

	e.le_seqnum = htole64(index);
	e.le_type = htole32(FAMFS_LOG_RECLAIM);
	e.le_reclaim.rc_delete_index = htole64(di);
	e.le_reclaim.rc_min_applied = htole64(min);
	tfs_entry_write(index, &e, true);
}

Test(reclaim, fsck_reuse_after_reclaim_is_clean)
{
	struct famfs_fsck_report r;
	struct famfs_media *m;

	tfs_mkfs(64 * MiB, 0);
	tfs_forge_file(0, "a", META_END, UNIT);
	forge_delete(1, 0, "a");
	forge_reclaim(2, 1, 2);
	tfs_forge_file(3, "b", META_END, UNIT);	/* reuses a's unit after the RECLAIM */
	tfs_set_next(4);
	m = tfs_open(FAMFS_OPEN_RDONLY);
	fsck_clean(m, &r);
	cr_assert_eq(r.deleted, 1);
	famfs_media_close(m);
}

Test(reclaim, fsck_reuse_before_reclaim_is_an_error)
{
	struct famfs_fsck_report r;
	struct famfs_media *m;

	tfs_mkfs(64 * MiB, 0);
	tfs_forge_file(0, "a", META_END, UNIT);
	forge_delete(1, 0, "a");
	tfs_forge_file(2, "b", META_END, UNIT);	/* no RECLAIM: a client may still map a */
	forge_reclaim(3, 1, 3);			/* too late */
	tfs_set_next(4);
	m = tfs_open(FAMFS_OPEN_RDONLY);
	tfs_expect_one_problem(m, &r, "log entry 2", "before every client applied the delete");
	cr_assert_eq(r.early_reuse, 1);
	cr_assert_eq(r.crosslinks, 0);
	famfs_media_close(m);
}

Test(reclaim, fsck_crosslink_with_a_file_deleted_later)
{
	struct famfs_fsck_report r;
	struct famfs_media *m;

	tfs_mkfs(64 * MiB, 0);
	tfs_forge_file(0, "a", META_END, UNIT);
	tfs_forge_file(1, "b", META_END, UNIT);	/* cross-linked while both live */
	forge_delete(2, 0, "a");
	forge_reclaim(3, 2, 3);
	tfs_set_next(4);
	m = tfs_open(FAMFS_OPEN_RDONLY);
	tfs_expect_one_problem(m, &r, "log entry 1", "while both were live");
	cr_assert_eq(r.crosslinks, 1);
	famfs_media_close(m);
}

Test(reclaim, deletes_naming_nothing_valid_have_no_effect)
{
	struct famfs_fsck_report r;
	struct famfs_space s;
	struct famfs_media *m;

	tfs_mkfs(64 * MiB, 0);
	tfs_forge_dir(0, "d");
	tfs_forge_file(1, "a", META_END, UNIT);
	forge_delete(2, 0, "d");	/* a directory */
	forge_delete(3, 1, "b");	/* wrong path */
	forge_reclaim(4, 1, 5);		/* entry 1 is no DELETE */
	tfs_set_next(5);
	m = tfs_open(FAMFS_OPEN_RDONLY);
	tfs_log_reset();
	cr_assert_eq(famfs_fsck(m, &r), -EUCLEAN);
	cr_assert_eq(r.bad_entries, 3, "%s", T.msgs);
	cr_assert_eq(r.deleted, 0);
	cr_assert_eq(famfs_space_get(m, &s), 0);
	cr_assert_eq(s.nfiles, 1, "a is still live");
	cr_assert_eq(s.used, META_END + UNIT, "a's unit still allocated");
	famfs_media_close(m);
}

Test(reclaim, bad_shapes_refused)
{
	struct famfs_log_entry e = { 0 };
	char why[256];

	e.le_seqnum = htole64(3);
	e.le_type = htole32(FAMFS_LOG_DELETE);
	e.le_delete.de_file_index = htole64(3);	/* itself */
	strcpy(e.le_delete.de_path, "a");
	cr_assert_eq(famfs_entry_check(&e, NULL, why, sizeof(why)), -EUCLEAN);
	cr_assert_not_null(strstr(why, "de_file_index"), "%s", why);
	e.le_delete.de_file_index = htole64(1);
	strcpy(e.le_delete.de_path, "../a");
	cr_assert_eq(famfs_entry_check(&e, NULL, why, sizeof(why)), -EUCLEAN);
	strcpy(e.le_delete.de_path, "a");
	cr_assert_eq(famfs_entry_check(&e, NULL, why, sizeof(why)), 0);

	memset(&e, 0, sizeof(e));
	e.le_seqnum = htole64(3);
	e.le_type = htole32(FAMFS_LOG_RECLAIM);
	e.le_reclaim.rc_delete_index = htole64(1);
	e.le_reclaim.rc_min_applied = htole64(1);	/* does not pass the DELETE */
	cr_assert_eq(famfs_entry_check(&e, NULL, why, sizeof(why)), -EUCLEAN);
	cr_assert_not_null(strstr(why, "rc_min_applied"), "%s", why);
	e.le_reclaim.rc_min_applied = htole64(2);
	cr_assert_eq(famfs_entry_check(&e, NULL, why, sizeof(why)), 0);
}

Test(reclaim, refused_on_old_format_and_on_a_client)
{
	struct famfs_superblock sb;
	struct famfs_media *m;
	FILE *f;

	tfs_mkfs(64 * MiB, 0);
	m = tfs_open(FAMFS_OPEN_RDWR);
	new_file(m, "a", UNIT);
	cr_assert_eq(famfs_log_append_delete(m, "nope", NULL, NULL), -ENOENT);
	famfs_media_close(m);

	f = fopen(T.uuid, "w");	/* another host */
	cr_assert_not_null(f);
	fprintf(f, "8411a563-0000-4000-8000-000000000001\n");
	fclose(f);
	m = tfs_open(FAMFS_OPEN_RDWR);
	cr_assert_eq(famfs_log_append_delete(m, "a", NULL, NULL), -EPERM);
	famfs_media_close(m);
	unlink(T.uuid);

	tfs_mkfs(64 * MiB, 0);
	tfs_sb_read(&sb);
	sb.sb_omf_minor = htole16(1);
	sb.sb_crc = htole32(famfs_sb_crc(&sb));
	tfs_write(&sb, sizeof(sb), 0);
	m = tfs_open(FAMFS_OPEN_RDWR);
	new_file(m, "a", UNIT);
	cr_assert_eq(famfs_log_append_delete(m, "a", NULL, NULL), -EOPNOTSUPP);
	struct famfs_clients *t;

	cr_assert_eq(famfs_clients_open_dev(T.img, false, &t), -EOPNOTSUPP);
	famfs_media_close(m);
}

Test(reclaim, small_file_pages_reclaimed)
{
	struct famfs_media *m = fs();
	struct famfs_clients *t = table();
	struct famfs_fsck_report r;
	uint64_t a, b, c;

	a = new_file(m, "s", 4096);
	b = new_file(m, "keep", 8192);
	cr_assert_eq(famfs_log_append_delete(m, "s", NULL, NULL), 0);
	cr_assert_eq(famfs_clients_update(t, CLIENT, 0), 0);
	cr_assert_neq(new_file(m, "early", 4096), a, "a small file's pages reused early");
	cr_assert_eq(famfs_clients_evict(t, CLIENT), 1);
	cr_assert_eq(reclaim(m, t), 1);
	c = new_file(m, "t", 4096);
	cr_assert_eq(c, a, "the reclaimed page is reused (first fit)");
	cr_assert_neq(b, a);
	fsck_clean(m, &r);
	cr_assert_eq(r.deleted, 1);
	famfs_clients_close(t);
	famfs_media_close(m);
}
