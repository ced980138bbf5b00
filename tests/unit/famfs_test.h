/* SPDX-License-Identifier: Apache-2.0 */
/*
 * famfs_test.h - fixture for the libfamfs Criterion tests. Each test runs in its own process
 * (Criterion forks) with its own directory from mkdtemp under $TMPDIR (default /tmp):
 * image files (T.img is device 0; T.imgs[i] device i of a several-device file system), the
 * system-uuid file (FAMFS_SYSTEM_UUID_PATH points there), and whatever else the test makes.
 * The directory is removed after the test. Helpers read and write the images directly
 * (pread/pwrite) to inspect or forge on-media bytes.
 */
#ifndef FAMFS_TEST_H
#define FAMFS_TEST_H

#include <criterion/criterion.h>
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "libfamfs.h"

#define MiB		FAMFS_MiB
#define UNIT		FAMFS_ALLOC_UNIT
#define LOG_OFF		FAMFS_LOG_OFFSET
#define META_END	(FAMFS_LOG_OFFSET + FAMFS_LOG_LEN_DEFAULT)	/* first data byte */

struct tfs {
	char dir[PATH_MAX - 64];
	char img[PATH_MAX];
	char imgs[FAMFS_MAX_DEVS][PATH_MAX];	/* imgs[0] = img */
	char uuid[PATH_MAX];
	int nerr;		/* FAMFS_MSG_ERR messages seen */
	char msgs[16384];	/* all messages, one per line */
};
static struct tfs T;

static void tfs_log(enum famfs_msg_level level, const char *msg)
{
	size_t used = strlen(T.msgs);

	if (level == FAMFS_MSG_ERR)
		T.nerr++;
	snprintf(T.msgs + used, sizeof(T.msgs) - used, "%s\n", msg);
}

/* Forget the messages seen so far. */
static inline void tfs_log_reset(void)
{
	T.nerr = 0;
	T.msgs[0] = '\0';
}

/* Run fsck expecting -EUCLEAN and exactly one logged problem mentioning @w1 and @w2. */
static inline void tfs_expect_one_problem(struct famfs_media *m, struct famfs_fsck_report *r,
			       const char *w1, const char *w2)
{
	tfs_log_reset();
	cr_assert_eq(famfs_fsck(m, r), -EUCLEAN);
	cr_assert_eq(r->errors, 1, "errors %llu\n%s", (unsigned long long)r->errors, T.msgs);
	cr_assert_eq(T.nerr, 1, "each problem logged once:\n%s", T.msgs);
	cr_assert_not_null(strstr(T.msgs, w1), "'%s' not in: %s", w1, T.msgs);
	if (w2)
		cr_assert_not_null(strstr(T.msgs, w2), "'%s' not in: %s", w2, T.msgs);
}

static inline void tfs_setup(void)
{
	const char *tmp = getenv("TMPDIR");

	memset(&T, 0, sizeof(T));
	snprintf(T.dir, sizeof(T.dir), "%s/famfs-unit-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	cr_assert_not_null(mkdtemp(T.dir), "mkdtemp: %s", strerror(errno));
	snprintf(T.img, sizeof(T.img), "%s/image", T.dir);
	snprintf(T.imgs[0], sizeof(T.imgs[0]), "%s", T.img);
	for (int i = 1; i < FAMFS_MAX_DEVS; i++)
		snprintf(T.imgs[i], sizeof(T.imgs[i]), "%s/image%d", T.dir, i);
	snprintf(T.uuid, sizeof(T.uuid), "%s/etc/system_uuid", T.dir);
	setenv("FAMFS_SYSTEM_UUID_PATH", T.uuid, 1);
	famfs_set_msg_fn(tfs_log);
	famfs_set_msg_level(FAMFS_MSG_ERR);
}

static int tfs_rm(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	return remove(path);
}

static inline void tfs_teardown(void)
{
	if (T.dir[0])
		nftw(T.dir, tfs_rm, 16, FTW_DEPTH | FTW_PHYS);
}

/* A sparse image file of @size bytes at @path. */
static inline void tfs_image_at(const char *path, uint64_t size)
{
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);

	cr_assert_geq(fd, 0, "create %s: %s", path, strerror(errno));
	cr_assert_eq(ftruncate(fd, (off_t)size), 0);
	close(fd);
}

/* Image of @size bytes with a fresh file system (log of @log_len, 0 = default). */
static inline void tfs_mkfs(uint64_t size, uint64_t log_len)
{
	struct famfs_mkfs_opts o = { .log_len = log_len };
	int rc;

	tfs_image_at(T.img, size);
	rc = famfs_mkfs(T.img, &o);
	cr_assert_eq(rc, 0, "mkfs: %d\n%s", rc, T.msgs);
}

static inline struct famfs_media *tfs_open(int flags)
{
	struct famfs_media *m = NULL;
	int rc = famfs_media_open_dev(T.img, flags, &m);

	cr_assert_eq(rc, 0, "open: %d\n%s", rc, T.msgs);
	return m;
}

/* Images T.imgs[0..n) of @sizes[i] bytes with one file system over them (default log). */
static inline void tfs_mkfs_devs(unsigned n, const uint64_t *sizes)
{
	const char *paths[FAMFS_MAX_DEVS];
	unsigned i;
	int rc;

	for (i = 0; i < n; i++) {
		tfs_image_at(T.imgs[i], sizes[i]);
		paths[i] = T.imgs[i];
	}
	rc = famfs_mkfs_devs(paths, n, &(struct famfs_mkfs_opts){ 0 });
	cr_assert_eq(rc, 0, "mkfs over %u devices: %d\n%s", n, rc, T.msgs);
}

static inline void tfs_pio_at(const char *path, void *buf, size_t len, uint64_t off, bool write)
{
	int fd = open(path, O_RDWR);
	ssize_t n;

	cr_assert_geq(fd, 0, "open %s: %s", path, strerror(errno));
	n = write ? pwrite(fd, buf, len, (off_t)off) : pread(fd, buf, len, (off_t)off);
	cr_assert_eq(n, (ssize_t)len, "%s: I/O at %llu", path, (unsigned long long)off);
	close(fd);
}

static inline void tfs_pio(void *buf, size_t len, uint64_t off, bool write)
{
	tfs_pio_at(T.img, buf, len, off, write);
}

/* crc32 of the whole file at @path (to show that nothing was written to it). */
static inline uint32_t tfs_file_crc(const char *path)
{
	static unsigned char buf[1 << 20];
	uLong crc = crc32(0L, Z_NULL, 0);
	int fd = open(path, O_RDONLY);
	ssize_t n;

	cr_assert_geq(fd, 0, "open %s: %s", path, strerror(errno));
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		crc = crc32(crc, buf, (uInt)n);
	cr_assert_eq(n, 0, "read %s", path);
	close(fd);
	return (uint32_t)crc;
}

/* Read the device header at offset 0 of @path. */
static inline void tfs_dh_read(const char *path, struct famfs_daxdev_header *h)
{
	tfs_pio_at(path, h, sizeof(*h), 0, false);
}

/* Write @h at offset 0 of @path, with a fresh CRC if @recrc. */
static inline void tfs_dh_write(const char *path, struct famfs_daxdev_header *h, bool recrc)
{
	if (recrc)
		h->dh_crc = htole32(famfs_dev_header_crc(h));
	tfs_pio_at(path, h, sizeof(*h), 0, true);
}

static inline void tfs_read(void *buf, size_t len, uint64_t off)
{
	tfs_pio(buf, len, off, false);
}

static inline void tfs_write(const void *buf, size_t len, uint64_t off)
{
	tfs_pio((void *)buf, len, off, true);
}

static inline void tfs_sb_read(struct famfs_superblock *sb)
{
	tfs_read(sb, sizeof(*sb), 0);
}

/* Write @sb back, with a fresh CRC if @recrc. */
static inline void tfs_sb_write(struct famfs_superblock *sb, bool recrc)
{
	if (recrc)
		sb->sb_crc = htole32(famfs_sb_crc(sb));
	tfs_write(sb, sizeof(*sb), 0);
}

static inline void tfs_lh_read(struct famfs_log_header *lh)
{
	tfs_read(lh, sizeof(*lh), LOG_OFF);
}

static inline void tfs_lh_write(struct famfs_log_header *lh, bool recrc)
{
	if (recrc)
		lh->lh_crc = htole32(famfs_log_header_crc(lh));
	tfs_write(lh, sizeof(*lh), LOG_OFF);
}

static inline uint64_t tfs_slot_off(uint64_t index)
{
	return LOG_OFF + sizeof(struct famfs_log_header) + index * FAMFS_LOG_ENTRY_SIZE;
}

static inline void tfs_entry_read(uint64_t index, struct famfs_log_entry *e)
{
	tfs_read(e, sizeof(*e), tfs_slot_off(index));
}

/* Write @e to slot @index, with a fresh CRC if @recrc. */
static inline void tfs_entry_write(uint64_t index, struct famfs_log_entry *e, bool recrc)
{
	if (recrc)
		e->le_crc = htole32(famfs_log_entry_crc(e));
	tfs_write(e, sizeof(*e), tfs_slot_off(index));
}

/* Rewrite the superblock's OMF minor (CRC updated): a file system made by older code. */
static inline void tfs_set_minor(uint16_t minor)
{
	struct famfs_superblock sb;

	tfs_sb_read(&sb);
	sb.sb_omf_minor = htole16(minor);
	tfs_sb_write(&sb, true);
}

static inline void tfs_set_next(uint64_t next)
{
	uint64_t v = htole64(next);

	tfs_write(&v, sizeof(v), LOG_OFF + offsetof(struct famfs_log_header, lh_next_index));
}

/* Forge a valid MKDIR entry in slot @index (next_index untouched). */
static inline void tfs_forge_dir(uint64_t index, const char *path)
{
	struct famfs_log_entry e = { 0 };

	e.le_seqnum = htole64(index);
	e.le_type = htole32(FAMFS_LOG_MKDIR);
	e.le_mkdir.md_mode = htole32(0755);
	snprintf(e.le_mkdir.md_path, sizeof(e.le_mkdir.md_path), "%s", path);
	tfs_entry_write(index, &e, true);
}

/* A one-extent FILE entry for @path covering [off, off+len) of device 0 (no seqnum, no CRC). */
static inline struct famfs_log_entry tfs_file_entry(const char *path, uint64_t off, uint64_t len)
{
	struct famfs_log_entry e = { 0 };
	struct famfs_file_omf *f = &e.le_file;

	e.le_type = htole32(FAMFS_LOG_FILE);
	f->fi_size = htole64(len);
	f->fi_mode = htole32(0644);
	snprintf(f->fi_path, sizeof(f->fi_path), "%s", path);
	f->fi_fmap.fm_kind = htole32(FAMFS_FMAP_SIMPLE);
	f->fi_fmap.fm_nextents = htole32(1);
	f->fi_fmap.fm_ext[0].ext_offset = htole64(off);
	f->fi_fmap.fm_ext[0].ext_len = htole64(len);
	return e;
}

/* Forge a valid one-extent FILE entry in slot @index covering [off, off+len). */
static inline void tfs_forge_file(uint64_t index, const char *path, uint64_t off, uint64_t len)
{
	struct famfs_log_entry e = tfs_file_entry(path, off, len);

	e.le_seqnum = htole64(index);
	tfs_entry_write(index, &e, true);
}

/* A malloc'ed copy of the superblock page and the whole default-size log. */
static inline uint8_t *tfs_meta_copy(void)
{
	uint8_t *p = malloc(META_END);

	cr_assert_not_null(p);
	tfs_read(p, META_END, 0);
	return p;
}

/* Assert the metadata equals @before (then free it). */
static inline void tfs_meta_unchanged(uint8_t *before)
{
	uint8_t *now = tfs_meta_copy();

	cr_assert(memcmp(before, now, META_END) == 0, "metadata changed");
	free(now);
	free(before);
}

/* Append a file, asserting success; returns its index. */
static inline uint64_t tfs_file(struct famfs_media *m, const char *path, uint64_t size,
				struct famfs_log_entry *out)
{
	struct famfs_file_req req = { .path = path, .size = size, .mode = 0644 };
	uint64_t index = UINT64_MAX;
	int rc = famfs_log_append_file(m, &req, &index, out);

	cr_assert_eq(rc, 0, "append file %s: %d\n%s", path, rc, T.msgs);
	return index;
}

static inline uint64_t tfs_dir(struct famfs_media *m, const char *path)
{
	uint64_t index = UINT64_MAX;
	int rc = famfs_log_append_mkdir(m, path, 0755, 0, 0, &index);

	cr_assert_eq(rc, 0, "append mkdir %s: %d\n%s", path, rc, T.msgs);
	return index;
}

#endif /* FAMFS_TEST_H */
