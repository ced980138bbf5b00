// SPDX-License-Identifier: Apache-2.0
/*
 * gen_seeds.c - seed corpora for the fuzzers, cut from real images: mkfs (one device, and
 * two devices with an interleaved file) plus appends, through libfamfs itself.
 *   gen_seeds OUTDIR    writes OUTDIR/sb/ (flags byte + page 0 of a device),
 *                       OUTDIR/log/ (fuzz_common.h's image layout), OUTDIR/replay/ (entries)
 * Nothing binary is committed: make fuzz runs this at build time.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz_common.h"

static char dir[PATH_MAX], out[PATH_MAX];

static void die(const char *what)
{
	fprintf(stderr, "gen_seeds: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void get(const char *img, void *buf, size_t len, uint64_t off)
{
	int fd = open(img, O_RDONLY);

	if (fd < 0 || pread(fd, buf, len, (off_t)off) != (ssize_t)len)
		die(img);
	close(fd);
}

static void put_seed(const char *sub, const char *name, const void *buf, size_t len)
{
	char p[PATH_MAX + 64];
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", out, sub);
	mkdir(p, 0755);
	snprintf(p, sizeof(p), "%s/%s/%s", out, sub, name);
	f = fopen(p, "w");
	if (!f || fwrite(buf, 1, len, f) != len || fclose(f))
		die(p);
}

/* The log seed of image @img (entries [0, next_index)) with @flags; replay seeds too. */
static void cut(const char *img, const char *name, uint8_t flags, bool entries)
{
	static uint8_t buf[FZ_HDR_LEN + FZ_MAX_ENTRIES * FAMFS_LOG_ENTRY_SIZE];
	struct famfs_log_header *lh = (void *)(buf + 1 + sizeof(struct famfs_superblock));
	uint64_t n, i;
	char e[64];

	buf[0] = flags;
	get(img, buf + 1, sizeof(struct famfs_superblock), 0);
	get(img, lh, sizeof(*lh), FAMFS_LOG_OFFSET);
	n = le64toh(lh->lh_next_index);
	n = n > FZ_MAX_ENTRIES ? FZ_MAX_ENTRIES : n;
	get(img, buf + FZ_HDR_LEN, n * FAMFS_LOG_ENTRY_SIZE,
	    FAMFS_LOG_OFFSET + sizeof(*lh));
	put_seed("log", name, buf, FZ_HDR_LEN + n * FAMFS_LOG_ENTRY_SIZE);
	for (i = 0; entries && i < n; i++) {
		snprintf(e, sizeof(e), "%s-entry%llu", name, (unsigned long long)i);
		put_seed("replay", e, buf + FZ_HDR_LEN + i * FAMFS_LOG_ENTRY_SIZE,
			 FAMFS_LOG_ENTRY_SIZE);
	}
	if (entries && n > 1) {
		snprintf(e, sizeof(e), "%s-all", name);
		put_seed("replay", e, buf + FZ_HDR_LEN, n * FAMFS_LOG_ENTRY_SIZE);
	}
}

static void page_seed(const char *img, const char *name)
{
	static uint8_t buf[1 + 512];

	buf[0] = 0;
	get(img, buf + 1, 512, 0);	/* sb (416 B) or device header (128 B) */
	put_seed("sb", name, buf, 1 + 512);
}

static void image(const char *path, uint64_t size)
{
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);

	if (fd < 0 || ftruncate(fd, (off_t)size))
		die(path);
	close(fd);
}

static struct famfs_media *open_rw(const char *img)
{
	struct famfs_media *m;

	if (famfs_media_open_dev(img, FAMFS_OPEN_RDWR, &m))
		die("open");
	return m;
}

static void one_device(void)
{
	struct famfs_file_req f = { .path = "d/f", .size = 3 << 20, .mode = 0640, .uid = 7 };
	struct famfs_file_req g = { .path = "g", .size = 1, .mode = 0644,
				    .flags = FAMFS_FILE_RW_ALL };
	char img[PATH_MAX + 8];
	struct famfs_media *m;

	snprintf(img, sizeof(img), "%s/one", dir);
	image(img, 64 << 20);
	if (famfs_mkfs(img, &(struct famfs_mkfs_opts){ 0 }))
		die("mkfs");
	cut(img, "empty", 0, false);
	page_seed(img, "sb");
	m = open_rw(img);
	if (famfs_log_append_mkdir(m, "d", 0755, 0, 0, NULL) ||
	    famfs_log_append_mkdir(m, "d/e", 0700, 1, 1, NULL) ||
	    famfs_log_append_file(m, &f, NULL, NULL) || famfs_log_append_file(m, &g, NULL, NULL))
		die("append");
	famfs_media_close(m);
	cut(img, "files", 0, true);
	cut(img, "files-master", FZ_MASTER | FZ_FIX_SB, false);
	cut(img, "files-fixall", FZ_FIX_SB | FZ_FIX_LH | FZ_FIX_ENTRIES, false);
}

static void two_devices(void)
{
	struct famfs_file_req f = { .path = "s", .size = 8 << 20, .mode = 0644, .nstrips = 2,
				    .chunk_size = 2 << 20 };
	char img0[PATH_MAX + 8], img1[PATH_MAX + 8];
	const char *paths[2] = { img0, img1 };
	struct famfs_log_entry e;
	struct famfs_media *m;
	uint64_t idx;
	int fd;

	snprintf(img0, sizeof(img0), "%s/two0", dir);
	snprintf(img1, sizeof(img1), "%s/two1", dir);
	image(img0, 64 << 20);
	image(img1, 32 << 20);
	if (famfs_mkfs_devs(paths, 2, &(struct famfs_mkfs_opts){ 0 }))
		die("mkfs 2");
	page_seed(img0, "sb2");
	page_seed(img1, "devhdr");
	m = open_rw(img0);
	if (famfs_log_append_file(m, &f, &idx, &e) || famfs_log_append_mkdir(m, "x", 0755, 0, 0,
									    NULL))
		die("append 2");
	famfs_media_close(m);
	cut(img0, "interleave", 0, true);
	e.le_crc ^= 1;				/* an unreadable entry: repair's input */
	fd = open(img0, O_RDWR);
	if (fd < 0 || pwrite(fd, &e, sizeof(e), FAMFS_LOG_OFFSET + 1024) != sizeof(e))
		die("corrupt");
	close(fd);
	cut(img0, "damaged-master", FZ_MASTER | FZ_FIX_SB, false);
}

static int rm_one(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st; (void)flag; (void)ftw;
	return remove(p);
}

int main(int argc, char **argv)
{
	char tmpl[] = "/tmp/famfs-seeds-XXXXXX", uuid[PATH_MAX];

	if (argc != 2) {
		fprintf(stderr, "usage: gen_seeds OUTDIR\n");
		return 2;
	}
	snprintf(out, sizeof(out), "%s", argv[1]);
	mkdir(out, 0755);
	if (!mkdtemp(tmpl))
		die("mkdtemp");
	snprintf(dir, sizeof(dir), "%s", tmpl);
	snprintf(uuid, sizeof(uuid), "%s/uuid", dir);
	setenv("FAMFS_SYSTEM_UUID_PATH", uuid, 1);
	one_device();
	two_devices();
	return nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS) ? 1 : 0;
}
