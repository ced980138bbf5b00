// SPDX-License-Identifier: Apache-2.0
/*
 * test_untrusted.c - shared metadata is untrusted input (issue 8): the one entry check, .meta
 * reserved, bounded device sizes, mkfs that cannot destroy by accident, FIFOs and the like
 * refused at once, and fsck --repair as the way out of a damaged log.
 */
#include <signal.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include "famfs_test.h"

TestSuite(untrusted, .init = tfs_setup, .fini = tfs_teardown);

static struct famfs_log_entry dir_entry(const char *path)
{
	struct famfs_log_entry e = { 0 };

	e.le_type = htole32(FAMFS_LOG_MKDIR);
	e.le_mkdir.md_mode = htole32(0755);
	snprintf(e.le_mkdir.md_path, sizeof(e.le_mkdir.md_path), "%s", path);
	return e;
}

/* famfs_entry_check(@e) fails with -EUCLEAN and a reason holding @word. */
static void expect_bad(const struct famfs_log_entry *e, const struct famfs_superblock *sb,
		       const char *word)
{
	char why[256] = "";

	cr_assert_eq(famfs_entry_check(e, sb, why, sizeof(why)), -EUCLEAN, "accepted (%s)", word);
	cr_assert_not_null(strstr(why, word), "'%s' not in '%s'", word, why);
}

Test(untrusted, entry_check_rules)
{
	struct famfs_superblock sb;
	struct famfs_log_entry e;
	char why[256];

	tfs_mkfs(64 * MiB, 0);
	tfs_sb_read(&sb);
	e = dir_entry("d/e");
	cr_assert_eq(famfs_entry_check(&e, &sb, why, sizeof(why)), 0, "%s", why);
	e = tfs_file_entry("d/f", META_END, UNIT);
	cr_assert_eq(famfs_entry_check(&e, &sb, why, sizeof(why)), 0, "%s", why);

	e = dir_entry("../escaped");		/* finding 1: made outside the mount */
	expect_bad(&e, &sb, "'..' component");
	e = tfs_file_entry("../escaped", META_END, UNIT);
	expect_bad(&e, &sb, "'..' component");
	e = dir_entry("a/./b");
	expect_bad(&e, &sb, "'.' component");
	e = dir_entry("a//b");
	expect_bad(&e, &sb, "empty path component");
	e = dir_entry("");
	expect_bad(&e, &sb, "empty path");
	e = dir_entry("/etc");
	expect_bad(&e, &sb, "absolute");
	e = dir_entry(".meta");			/* finding 4: reserved */
	expect_bad(&e, &sb, "reserved");
	e = tfs_file_entry(".meta/x", META_END, UNIT);
	expect_bad(&e, &sb, "reserved");
	e = dir_entry(".metadata");		/* only the name itself is reserved */
	cr_assert_eq(famfs_entry_check(&e, &sb, why, sizeof(why)), 0, "%s", why);

	e = dir_entry("x");			/* finding 2: no NUL in the path field */
	memset(e.le_mkdir.md_path, 'a', sizeof(e.le_mkdir.md_path));
	expect_bad(&e, &sb, "md_path not NUL-terminated");
	e = tfs_file_entry("x", META_END, UNIT);
	memset(e.le_file.fi_path, 'a', sizeof(e.le_file.fi_path));
	expect_bad(&e, NULL, "fi_path not NUL-terminated");

	e = tfs_file_entry("big", 60 * MiB, 8 * MiB);	/* beyond dd_size */
	expect_bad(&e, &sb, "beyond sb_devs[0].dd_size");
	cr_assert_eq(famfs_entry_check(&e, NULL, why, sizeof(why)), 0, "no sb: extents not checked");
	e = tfs_file_entry("f", META_END, UNIT);
	e.le_file.fi_fmap.fm_ext[0].ext_devindex = htole32(3);
	expect_bad(&e, &sb, "ext_devindex 3");
	e = tfs_file_entry("f", META_END, UNIT);
	e.le_file.fi_fmap.fm_nextents = htole32(17);
	expect_bad(&e, &sb, "fm_nextents");
	e = tfs_file_entry("f", META_END, UNIT);
	e.le_file.fi_flags = htole32(0x40);
	expect_bad(&e, &sb, "fi_flags");
	e = dir_entry("d");
	e.le_mkdir.md_mode = htole32(0104777);
	expect_bad(&e, &sb, "md_mode");
	e = dir_entry("d");
	e.le_type = htole32(9);
	expect_bad(&e, &sb, "le_type 9");
}

Test(untrusted, fsck_and_replay_skip_escaping_and_unterminated_paths)
{
	struct famfs_fsck_report r;
	struct famfs_log_entry e;
	struct famfs_space s;
	struct famfs_media *m;

	tfs_mkfs(64 * MiB, 0);
	tfs_forge_dir(0, "../escaped");
	e = tfs_file_entry("x", META_END, UNIT);
	memset(e.le_file.fi_path, 'a', sizeof(e.le_file.fi_path));
	e.le_seqnum = htole64(1);
	tfs_entry_write(1, &e, true);
	tfs_set_next(2);
	m = tfs_open(FAMFS_OPEN_RDWR);
	tfs_log_reset();
	cr_assert_eq(famfs_fsck(m, &r), -EUCLEAN);
	cr_assert_eq(r.bad_paths, 2, "%s", T.msgs);
	cr_assert_not_null(strstr(T.msgs, "log entry 0: md_path '../escaped': '..' component"),
			   "%s", T.msgs);
	cr_assert_not_null(strstr(T.msgs, "log entry 1: fi_path not NUL-terminated"), "%s", T.msgs);
	/* the allocator still keeps the unnamed file's space */
	cr_assert_eq(famfs_space_get(m, &s), 0, "%s", T.msgs);
	cr_assert_eq(s.used, META_END + UNIT);
	cr_assert_eq(tfs_file(m, "ok", 1, &e), 2);
	cr_assert_eq(le64toh(e.le_file.fi_fmap.fm_ext[0].ext_offset), META_END + UNIT);
	famfs_media_close(m);
}

Test(untrusted, meta_is_reserved_and_nothing_is_logged)
{
	struct famfs_file_req req = { .size = 4096, .mode = 0644 };
	const char *paths[] = { ".meta", ".meta/x", FAMFS_META_LOG, ".meta/d/e" };
	struct famfs_media *m;
	uint8_t *before;

	tfs_mkfs(64 * MiB, 0);
	m = tfs_open(FAMFS_OPEN_RDWR);
	before = tfs_meta_copy();
	for (unsigned i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		req.path = paths[i];
		tfs_log_reset();
		cr_assert_eq(famfs_log_append_file(m, &req, NULL, NULL), -EINVAL, "%s", paths[i]);
		cr_assert_not_null(strstr(T.msgs, "reserved"), "%s", T.msgs);
		cr_assert_eq(famfs_log_append_mkdir(m, paths[i], 0755, 0, 0, NULL), -EINVAL);
	}
	tfs_meta_unchanged(before);
	famfs_media_close(m);
}

/* Device @dev of a 2-device file system claims @size bytes (valid CRC): refused, named. */
static void expect_size_refused(unsigned dev, uint64_t size)
{
	uint64_t sizes[2] = { 64 * MiB, 16 * MiB };
	struct famfs_superblock sb;
	struct famfs_media *m = NULL;

	tfs_mkfs_devs(2, sizes);
	tfs_sb_read(&sb);
	sb.sb_devs[dev].dd_size = htole64(size);
	tfs_sb_write(&sb, true);
	tfs_log_reset();
	cr_assert_eq(famfs_media_open_dev(T.img, FAMFS_OPEN_RDONLY, &m), -EUCLEAN);
	cr_assert_not_null(strstr(T.msgs, "exceeds the largest device"), "%s", T.msgs);
	cr_assert_eq(T.nerr, 1, "%s", T.msgs);
}

Test(untrusted, device_size_2_56_is_refused)
{
	expect_size_refused(1, 1ULL << 56);
}

Test(untrusted, device_size_2_60_is_refused)
{
	expect_size_refused(1, 1ULL << 60);
}

Test(untrusted, device0_size_2_56_is_refused)
{
	expect_size_refused(0, 1ULL << 56);
}

Test(untrusted, largest_device_is_accepted)
{
	struct famfs_superblock sb;
	char why[256];

	tfs_mkfs(64 * MiB, 0);
	tfs_sb_read(&sb);
	sb.sb_devs[0].dd_size = htole64(FAMFS_DEV_SIZE_MAX);
	sb.sb_crc = htole32(famfs_sb_crc(&sb));
	cr_assert_eq(famfs_sb_check(&sb, 0, why, sizeof(why)), 0, "%s", why);
	sb.sb_devs[0].dd_size = htole64(FAMFS_DEV_SIZE_MAX + UNIT);
	sb.sb_crc = htole32(famfs_sb_crc(&sb));
	cr_assert_eq(famfs_sb_check(&sb, 0, why, sizeof(why)), -EUCLEAN);
}

Test(untrusted, mkfs_refuses_a_damaged_superblock)
{
	struct famfs_mkfs_opts o = { 0 }, f = { .force = true };
	uint8_t b;
	uint32_t crc;

	tfs_mkfs(64 * MiB, 0);
	tfs_read(&b, 1, 72);		/* sb_mkfs_time: one flipped byte, CRC now wrong */
	b ^= 0x40;
	tfs_write(&b, 1, 72);
	crc = tfs_file_crc(T.img);
	tfs_log_reset();
	cr_assert_eq(famfs_mkfs(T.img, &o), -EEXIST);
	cr_assert_not_null(strstr(T.msgs, "damaged famfs superblock (sb_crc"), "%s", T.msgs);
	cr_assert_eq(tfs_file_crc(T.img), crc, "nothing written");
	cr_assert_eq(famfs_mkfs(T.img, &f), 0, "%s", T.msgs);
}

Test(untrusted, mkfs_refuses_a_damaged_device_header)
{
	uint64_t sizes[2] = { 64 * MiB, 16 * MiB };
	const char *paths[1] = { T.imgs[1] };
	struct famfs_daxdev_header h;
	uint32_t crc;

	tfs_mkfs_devs(2, sizes);
	tfs_dh_read(T.imgs[1], &h);
	h.dh_size ^= 1;
	tfs_dh_write(T.imgs[1], &h, false);
	crc = tfs_file_crc(T.imgs[1]);
	tfs_log_reset();
	cr_assert_eq(famfs_mkfs_devs(paths, 1, &(struct famfs_mkfs_opts){ 0 }), -EEXIST);
	cr_assert_not_null(strstr(T.msgs, "damaged famfs device header"), "%s", T.msgs);
	cr_assert_eq(tfs_file_crc(T.imgs[1]), crc);
}

Test(untrusted, mkfs_kill_refuses_a_non_famfs_file)
{
	struct famfs_mkfs_opts k = { .kill = true }, kf = { .kill = true, .force = true };
	char junk[4096];
	uint32_t crc;

	tfs_image_at(T.img, 64 * MiB);
	memset(junk, 'j', sizeof(junk));
	tfs_write(junk, sizeof(junk), 0);
	crc = tfs_file_crc(T.img);
	tfs_log_reset();
	cr_assert_eq(famfs_mkfs(T.img, &k), -ENODATA);
	cr_assert_not_null(strstr(T.msgs, "no famfs superblock or device header"), "%s", T.msgs);
	cr_assert_eq(tfs_file_crc(T.img), crc, "nothing written");
	cr_assert_eq(famfs_mkfs(T.img, &kf), 0, "-k -f zeroes the magic anyway");
	cr_assert_neq(tfs_file_crc(T.img), crc);
}

Test(untrusted, mkfs_kill_on_famfs_still_works)
{
	struct famfs_mkfs_opts k = { .kill = true };
	struct famfs_media *m = NULL;

	tfs_mkfs(64 * MiB, 0);
	cr_assert_eq(famfs_mkfs(T.img, &k), 0, "%s", T.msgs);
	cr_assert_eq(famfs_media_open_dev(T.img, FAMFS_OPEN_RDONLY, &m), -EUCLEAN);
}

Test(untrusted, mkfs_force_clears_old_log_slots)
{
	struct famfs_mkfs_opts f = { .force = true };
	struct famfs_log_entry e, zero = { 0 };
	struct famfs_media *m;

	tfs_mkfs(64 * MiB, 0);
	m = tfs_open(FAMFS_OPEN_RDWR);
	tfs_dir(m, "d");
	for (int i = 1; i < 8; i++) {		/* past the first page of the log */
		char p[16];

		snprintf(p, sizeof(p), "d/f%d", i);
		tfs_file(m, p, 1, NULL);
	}
	famfs_media_close(m);
	cr_assert_eq(famfs_mkfs(T.img, &f), 0, "%s", T.msgs);
	tfs_set_next(8);			/* raise next_index over the old slots */
	for (int i = 0; i < 8; i++) {
		tfs_entry_read(i, &e);
		cr_assert(memcmp(&e, &zero, sizeof(e)) == 0, "slot %d still holds bytes", i);
	}
	m = tfs_open(FAMFS_OPEN_RDONLY);
	tfs_log_reset();
	cr_assert_eq(famfs_log_get(m, 7, &e), -EBADMSG, "old entries do not come back");
	famfs_media_close(m);
}

static void on_alarm(int sig)
{
	(void)sig;
	cr_assert_fail("blocked on a FIFO");
}

/* Opening @path as a device fails at once (-ENODEV) with a message naming @what. */
static void expect_not_a_device(const char *path, const char *what)
{
	struct famfs_media *m = NULL;
	struct famfs_dev_id id;

	signal(SIGALRM, on_alarm);
	alarm(5);
	tfs_log_reset();
	cr_assert_lt(famfs_media_open_dev(path, FAMFS_OPEN_RDONLY, &m), 0);
	cr_assert_lt(famfs_media_open_dev(path, FAMFS_OPEN_RDWR, &m), 0);
	cr_assert_lt(famfs_mkfs(path, &(struct famfs_mkfs_opts){ 0 }), 0);
	cr_assert_lt(famfs_dev_identify(path, &id), 0);
	alarm(0);
	cr_assert_not_null(strstr(T.msgs, what), "'%s' not in: %s", what, T.msgs);
}

Test(untrusted, fifo_is_refused_at_once)
{
	char p[PATH_MAX];

	snprintf(p, sizeof(p), "%s/fifo", T.dir);
	cr_assert_eq(mkfifo(p, 0600), 0);
	expect_not_a_device(p, "is a FIFO");
}

Test(untrusted, directory_is_refused)
{
	expect_not_a_device(T.dir, "directory");
}

Test(untrusted, socket_is_refused)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	int s = socket(AF_UNIX, SOCK_STREAM, 0);

	snprintf(a.sun_path, sizeof(a.sun_path), "%s/sock", T.dir);
	cr_assert_eq(bind(s, (struct sockaddr *)&a, sizeof(a)), 0, "%s", strerror(errno));
	expect_not_a_device(a.sun_path, "sock");
	close(s);
}

/* A file system with d, d/f (2 units), g; entry 1 (d/f) then made unreadable. */
static struct famfs_media *damaged_fs(struct famfs_log_entry *lost)
{
	struct famfs_log_entry e;
	struct famfs_media *m;

	tfs_mkfs(64 * MiB, 0);
	m = tfs_open(FAMFS_OPEN_RDWR);
	tfs_dir(m, "d");
	tfs_file(m, "d/f", 2 * UNIT, lost);
	tfs_file(m, "g", 1, NULL);
	tfs_entry_read(1, &e);
	e.le_file.fi_uid ^= 1;			/* one flipped bit: the CRC no longer matches */
	tfs_entry_write(1, &e, false);
	return m;
}

Test(untrusted, unreadable_entry_blocks_appends_until_repaired)
{
	struct famfs_file_req req = { .path = "new", .size = UNIT, .mode = 0644 };
	struct famfs_log_entry lost, e;
	struct famfs_fsck_report r;
	struct famfs_media *m = damaged_fs(&lost);
	uint64_t n = 0, idx;
	uint8_t *before;

	tfs_log_reset();
	cr_assert_eq(famfs_log_append_file(m, &req, NULL, NULL), -EBADMSG, "finding 6");
	cr_assert_eq(famfs_log_append_file(m, &req, NULL, NULL), -EBADMSG, "... forever");
	before = tfs_meta_copy();
	famfs_set_msg_level(FAMFS_MSG_INFO);
	tfs_log_reset();
	cr_assert_eq(famfs_log_repair(m, true, &n), 0, "%s", T.msgs);
	cr_assert_eq(n, 1);
	cr_assert_not_null(strstr(T.msgs, "log entry 1: would be made void: lost file 'd/f'"),
			   "%s", T.msgs);
	tfs_meta_unchanged(before);		/* a dry run writes nothing */
	tfs_log_reset();
	cr_assert_eq(famfs_log_repair(m, false, &n), 0, "%s", T.msgs);
	cr_assert_eq(n, 1);
	cr_assert_not_null(strstr(T.msgs, "1 extents (4194304 bytes) stay allocated"), "%s", T.msgs);
	tfs_entry_read(1, &e);
	cr_assert_eq(le32toh(e.le_type), FAMFS_LOG_VOID);
	cr_assert_eq(le32toh(e.le_void.vo_lost_type), FAMFS_LOG_FILE);
	cr_assert_eq(e.le_void.vo_fmap.fm_ext[0].ext_offset, lost.le_file.fi_fmap.fm_ext[0].ext_offset);
	famfs_set_msg_level(FAMFS_MSG_ERR);
	cr_assert_eq(famfs_log_append_file(m, &req, &idx, &e), 0, "appends work again: %s", T.msgs);
	cr_assert_eq(idx, 3);
	cr_assert_neq(e.le_file.fi_fmap.fm_ext[0].ext_offset,
		      lost.le_file.fi_fmap.fm_ext[0].ext_offset, "the lost space stays allocated");
	tfs_log_reset();
	cr_assert_eq(famfs_fsck(m, &r), 0, "%s", T.msgs);
	cr_assert_eq(r.void_entries, 1);
	cr_assert_eq(r.space.used, META_END + 2 * UNIT + FAMFS_SMALL_PAGE + UNIT);	/* g: a page */
	cr_assert_eq(famfs_log_repair(m, false, &n), 0);
	cr_assert_eq(n, 0, "nothing left to repair");
	famfs_media_close(m);
}

Test(untrusted, repair_drops_extents_another_file_owns)
{
	struct famfs_log_entry lost, e;
	struct famfs_media *m = damaged_fs(&lost);
	uint64_t n;

	tfs_entry_read(1, &e);			/* the lost entry claims g's space too */
	e.le_file.fi_fmap.fm_ext[1] = e.le_file.fi_fmap.fm_ext[0];
	e.le_file.fi_fmap.fm_ext[1].ext_offset = htole64(META_END + 2 * UNIT);
	e.le_file.fi_fmap.fm_nextents = htole32(2);
	tfs_entry_write(1, &e, false);
	cr_assert_eq(famfs_log_repair(m, false, &n), 0, "%s", T.msgs);
	tfs_entry_read(1, &e);
	cr_assert_eq(le32toh(e.le_void.vo_fmap.fm_nextents), 1);
	famfs_media_close(m);
}

Test(untrusted, repair_is_master_only)
{
	struct famfs_log_entry lost;
	struct famfs_media *m = damaged_fs(&lost);
	char other[PATH_MAX];
	uint64_t n;
	uint8_t *before = tfs_meta_copy();

	famfs_media_close(m);
	snprintf(other, sizeof(other), "%s/other_host_uuid", T.dir);
	setenv("FAMFS_SYSTEM_UUID_PATH", other, 1);
	m = tfs_open(FAMFS_OPEN_RDWR);
	cr_assert_eq(famfs_log_repair(m, false, &n), -EPERM);
	famfs_media_close(m);
	tfs_meta_unchanged(before);
}

Test(untrusted, fsck_checks_void_entries)
{
	struct famfs_log_entry lost, e;
	struct famfs_fsck_report r;
	struct famfs_media *m = damaged_fs(&lost);
	uint64_t n;

	cr_assert_eq(famfs_log_repair(m, false, &n), 0, "%s", T.msgs);
	tfs_entry_read(1, &e);
	e.le_void.vo_fmap.fm_ext[0].ext_offset = htole64(META_END + 2 * UNIT);	/* onto g */
	tfs_entry_write(1, &e, true);
	tfs_expect_one_problem(m, &r, "log entry 2 'g'", "shares");	/* the later one */
	famfs_media_close(m);
}

/* A device claiming the largest size costs memory only for what the log allocates. */
Test(untrusted, claimed_huge_device_costs_little_memory)
{
	uint64_t sizes[2] = { 64 * MiB, 16 * MiB };
	struct famfs_superblock sb;
	struct famfs_fsck_report r;
	struct famfs_log_entry e;
	struct famfs_media *m;
	struct rusage before, after;

	tfs_mkfs_devs(2, sizes);
	tfs_sb_read(&sb);
	sb.sb_devs[1].dd_size = htole64(FAMFS_DEV_SIZE_MAX);
	tfs_sb_write(&sb, true);
	e = tfs_file_entry("far", FAMFS_DEV_SIZE_MAX - UNIT, UNIT);
	e.le_file.fi_fmap.fm_ext[0].ext_devindex = htole32(1);
	tfs_entry_write(0, &e, true);
	tfs_set_next(1);
	m = tfs_open(FAMFS_OPEN_RDWR);
	getrusage(RUSAGE_SELF, &before);
	for (int i = 0; i < 20; i++)
		cr_assert_eq(famfs_fsck(m, &r), 0, "%s", T.msgs);
	getrusage(RUSAGE_SELF, &after);
	cr_assert_eq(r.space.dev_used[1], FAMFS_SB_SIZE + UNIT);
	cr_assert_lt(after.ru_maxrss - before.ru_maxrss, 4096, "max RSS grew %ld KiB",
		     after.ru_maxrss - before.ru_maxrss);
	cr_assert_eq(tfs_file(m, "near", 1, &e), 1);
	famfs_media_close(m);
}

/* A readable entry replay could never apply (finding 4's junk .meta entry) is voided too;
 * its valid extents stay allocated; an unknown type is left alone. */
Test(untrusted, repair_voids_entries_replay_cannot_apply)
{
	struct famfs_fsck_report r;
	struct famfs_log_entry e;
	struct famfs_media *m;
	uint64_t n;

	tfs_mkfs(64 * MiB, 0);
	tfs_forge_dir(0, "d");
	tfs_forge_file(1, ".meta", META_END, UNIT);
	tfs_forge_file(2, "d/f", META_END + UNIT, UNIT);
	e = dir_entry("x");
	e.le_seqnum = htole64(3);
	e.le_type = htole32(9);
	tfs_entry_write(3, &e, true);
	tfs_set_next(4);
	m = tfs_open(FAMFS_OPEN_RDWR);
	famfs_set_msg_level(FAMFS_MSG_INFO);
	tfs_log_reset();
	cr_assert_eq(famfs_log_repair(m, false, &n), 0, "%s", T.msgs);
	cr_assert_eq(n, 1, "%s", T.msgs);
	cr_assert_not_null(strstr(T.msgs, "log entry 1: made void: lost file '.meta' (fi_path "
				  "'.meta': '.meta' is reserved"), "%s", T.msgs);
	tfs_entry_read(1, &e);
	cr_assert_eq(le32toh(e.le_type), FAMFS_LOG_VOID);
	cr_assert_eq(le32toh(e.le_void.vo_fmap.fm_nextents), 1, "its space stays allocated");
	tfs_entry_read(3, &e);
	cr_assert_eq(le32toh(e.le_type), 9, "unknown types are kept");
	famfs_set_msg_level(FAMFS_MSG_ERR);
	tfs_expect_one_problem(m, &r, "log entry 3", "le_type 9");
	cr_assert_eq(r.void_entries, 1);
	famfs_media_close(m);
}
