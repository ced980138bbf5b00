// SPDX-License-Identifier: Apache-2.0
/*
 * test_cli_cp.c - cp's data copies (cli/cp_copy.c): the bytes with and without copy
 * threads, a failed copy counted and named, and the progress line: drawn in place on a
 * terminal, never on a pipe.
 */
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <pthread.h>
#include <pty.h>
#include <time.h>

#include <sys/stat.h>

#include "cli_test.h"

static char dir[PATH_MAX - 64];

static void setup(void)
{
	const char *tmp = getenv("TMPDIR");

	snprintf(dir, sizeof(dir), "%s/famfs-cp-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	cr_assert_not_null(mkdtemp(dir));
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	return remove(path);
}

static void teardown(void)
{
	nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

TestSuite(cli_cp, .init = setup, .fini = teardown);

/* Write @n bytes of a pattern seeded by @seed to DIR/@name; return an fd open on it. */
static int src_file(const char *name, size_t n, unsigned seed)
{
	char path[PATH_MAX];
	unsigned char *b = malloc(n);
	int fd;

	cr_assert_not_null(b);
	for (size_t i = 0; i < n; i++)
		b[i] = (unsigned char)(i * 31 + seed);
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	cr_assert_geq(fd, 0);
	cr_assert_eq(write(fd, b, n), (ssize_t)n);
	free(b);
	cr_assert_eq(lseek(fd, 0, SEEK_SET), 0);
	return fd;
}

static int dst_file(const char *name)
{
	char path[PATH_MAX];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	cr_assert_geq(fd, 0);
	return fd;
}

/* The bytes of DIR/@name (malloc'ed, *@len bytes). */
static unsigned char *slurp(const char *name, size_t *len)
{
	char path[PATH_MAX];
	struct stat st;
	unsigned char *b;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_RDONLY);
	cr_assert_geq(fd, 0);
	cr_assert_eq(fstat(fd, &st), 0);
	b = malloc(st.st_size + 1);
	cr_assert_not_null(b);
	cr_assert_eq(read(fd, b, st.st_size), st.st_size);
	close(fd);
	*len = st.st_size;
	return b;
}

static bool same(const char *a, const char *b)
{
	size_t la, lb;
	unsigned char *x = slurp(a, &la), *y = slurp(b, &lb);
	bool eq = la == lb && !memcmp(x, y, la);

	free(x);
	free(y);
	return eq;
}

static void copy_many(unsigned nthreads)
{
	struct cp_copier *c;
	uint64_t files, bytes, errors, want = 0;
	char s[32], d[32];

	cr_assert_eq(cp_copier_start(&c, nthreads), 0);
	for (unsigned i = 0; i < 50; i++) {
		size_t n = 1 + i * 40000;	/* up to ~2 MiB: several 1 MiB reads */

		snprintf(s, sizeof(s), "s%u", i);
		snprintf(d, sizeof(d), "d%u", i);
		cr_assert_eq(cp_copier_add(c, src_file(s, n, i), dst_file(d), s, d, n), 0);
		want += n;
	}
	cp_copier_finish(c, &files, &bytes, &errors);
	cr_assert_eq(files, 50);
	cr_assert_eq(bytes, want);
	cr_assert_eq(errors, 0);
	for (unsigned i = 0; i < 50; i++) {
		snprintf(s, sizeof(s), "s%u", i);
		snprintf(d, sizeof(d), "d%u", i);
		cr_assert(same(s, d), "%s differs from %s", d, s);
	}
}

Test(cli_cp, copies_in_this_thread)
{
	copy_many(0);
}

Test(cli_cp, copies_with_threads)
{
	copy_many(4);
}

Test(cli_cp, a_short_source_is_an_error_naming_it)
{
	struct cp_copier *c;
	uint64_t files, bytes, errors;
	int err[2];
	char msg[512] = "";

	cr_assert_eq(pipe(err), 0);
	cr_assert_eq(dup2(err[1], STDERR_FILENO), STDERR_FILENO);
	cr_assert_eq(cp_copier_start(&c, 2), 0);
	/* 10 bytes there, 20 expected: the file shrank under cp */
	cp_copier_add(c, src_file("short", 10, 1), dst_file("out"), "short-src", "out-dst", 20);
	cp_copier_add(c, src_file("ok", 10, 2), dst_file("ok.out"), "ok", "ok.out", 10);
	cp_copier_finish(c, &files, &bytes, &errors);
	cr_assert_eq(files, 1);
	cr_assert_eq(errors, 1);
	close(STDERR_FILENO);
	close(err[1]);
	cr_assert_gt(read(err[0], msg, sizeof(msg) - 1), 0);
	cr_assert_not_null(strstr(msg, "short-src: read: file shrank"), "%s", msg);
	cr_assert_null(strstr(msg, "famfs cp: "), "no progress line on a pipe: %s", msg);
}

/* Feeds a pipe slowly: 1 byte now, 1 byte 400 ms later. */
static void *slow_writer(void *arg)
{
	int fd = *(int *)arg;
	struct timespec t = { 0, 400000000 };

	cr_assert_eq(write(fd, "a", 1), 1);
	nanosleep(&t, NULL);
	cr_assert_eq(write(fd, "b", 1), 1);
	close(fd);
	return NULL;
}

Test(cli_cp, progress_line_on_a_terminal)
{
	struct cp_copier *c;
	uint64_t files, bytes, errors;
	int master, slave, in[2];
	pthread_t w;
	char out[1024] = "";
	ssize_t n, got = 0;

	cr_assert_eq(openpty(&master, &slave, NULL, NULL, NULL), 0);
	cr_assert_eq(dup2(slave, STDERR_FILENO), STDERR_FILENO);
	cr_assert_eq(pipe(in), 0);
	cr_assert_eq(cp_copier_start(&c, 0), 0);
	pthread_create(&w, NULL, slow_writer, &in[1]);
	cr_assert_eq(cp_copier_add(c, in[0], dst_file("slow"), "pipe", "slow", 2), 0);
	pthread_join(w, NULL);
	cp_copier_finish(c, &files, &bytes, &errors);
	cr_assert_eq(files, 1);
	cr_assert_eq(bytes, 2);
	close(STDERR_FILENO);
	close(slave);
	while (got < (ssize_t)sizeof(out) - 1 && (n = read(master, out + got, sizeof(out) - 1 - got)) > 0)
		got += n;
	out[got > 0 ? got : 0] = '\0';
	cr_assert_not_null(strstr(out, "\rfamfs cp: "), "redrawn in place: '%s'", out);
	cr_assert_not_null(strstr(out, "famfs cp: 1 files, 2.0 B, "), "final counts: '%s'", out);
	cr_assert_not_null(strstr(out, "files/s"), "'%s'", out);
	cr_assert_not_null(strchr(out, '\n'), "the line is ended: '%s'", out);
}
