// SPDX-License-Identifier: Apache-2.0
/*
 * faultbench - the phases of make bench on one file (or device-dax device), each bracketed
 * by markers BASE+2n-1 .. BASE+2n for tests/bench/insn_plugin.c (runs in a guest):
 *   n=1  cold fault-in through a shared read mapping, one byte per 4 KiB (2 MiB PMD faults
 *        where the file allows them)
 *   n=2  the same through a second mapping
 *   n=3  4 KiB faults only (MADV_NOHUGEPAGE on a third mapping)
 *   n=4  sequential read through a faulted-in mapping: one 8-byte word per 64-byte line
 *   n=5  RANDOM_READS random 4 KiB reads through that mapping (every line of each page)
 *   n=6  pread() of the whole file, 1 MiB at a time
 *   n=7  RANDOM_READS random pread() of 4 KiB
 *   n=8  XLATES FAMFS_IOC_XLATE calls at random offsets (the policy's translation)
 *   n=9  XLATES FAMFS_IOC_XLATE calls at the file size (refused at the size check: the same
 *        ioctl path without the policy call; the cheap ioctl the translation is set against)
 * Phases 6-9 run only where the file supports them (device-dax has no read(); only famfs
 * has XLATE): a skipped phase prints "skip". Every phase's bytes are checked against the
 * seeded fill (creat -S SEED) outside the markers, so a wrong answer cannot pass as cheap:
 * the word reads fold into a checksum compared with the fill's, each random read's digest
 * with its page's, each XLATE answer with the first one's extent.
 *
 *   faultbench [-P] FILE SEED BASE [SIZE]  prints one "faultbench: phase=N insn_id=ID ns=T"
 *        line per phase run, then "faultbench: pages=N bad=B"; exit 1 if B > 0 (SIZE: bytes,
 *        for a device-dax char device; -P: skip phase 3, for a device-dax device whose 2 MiB
 *        align refuses 4 KiB faults with SIGBUS)
 *   faultbench fill FILE SEED SIZE    write the seeded fill of SIZE bytes through a shared
 *        mapping (a device-dax device, an ext4-dax file), for the peers famfs is compared with
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "famfs_ioctl.h"
#include "libfamfs.h"
#include "marker.h"

#define PG		4096
#define LINE		64
#define CHUNK		(1u << 20)	/* pread size of phase 6 */
#define RANDOM_READS	16384		/* phases 5 and 7 */
#define XLATES		16384		/* phases 8 and 9 */
#define NPHASES		9

static volatile uint8_t sink;
static uint64_t phase_t0;

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + ts.tv_nsec;
}

/* A marker's id is an immediate: one case per id, for the bases make bench uses. */
#define PHASE(id) case id: famfs_mark(id); break
#define BASE_CASES(b) PHASE(b + 1); PHASE(b + 2); PHASE(b + 3); PHASE(b + 4); PHASE(b + 5); \
	PHASE(b + 6); PHASE(b + 7); PHASE(b + 8); PHASE(b + 9); PHASE(b + 10); PHASE(b + 11); \
	PHASE(b + 12); PHASE(b + 13); PHASE(b + 14); PHASE(b + 15); PHASE(b + 16); \
	PHASE(b + 17); PHASE(b + 18)
static void mark(int id)
{
	switch (id) {
	BASE_CASES(100); BASE_CASES(200); BASE_CASES(300); BASE_CASES(400); BASE_CASES(500);
	BASE_CASES(600); BASE_CASES(700); BASE_CASES(800); BASE_CASES(900); BASE_CASES(1000);
	default:
		fprintf(stderr, "faultbench: no marker %d\n", id);
		exit(2);
	}
}
#undef BASE_CASES
#undef PHASE

static void begin(int base, int n)
{
	phase_t0 = now_ns();
	mark(base + 2 * n - 1);
}

static void end(int base, int n)
{
	mark(base + 2 * n);
	printf("faultbench: phase=%d insn_id=%d ns=%" PRIu64 "\n", n, base + 2 * n - 1,
	       now_ns() - phase_t0);
}

static void skip(int n, const char *why)
{
	printf("faultbench: phase=%d skip (%s)\n", n, why);
}

static const uint8_t *map_file(int fd, size_t size, int advice)
{
	uint8_t *p = mmap(NULL, size, PROT_READ, MAP_SHARED, fd, 0);

	if (p == MAP_FAILED) {
		perror("faultbench: mmap");
		exit(2);
	}
	if (advice && madvise(p, size, advice)) {
		perror("faultbench: madvise");
		exit(2);
	}
	return p;
}

static void touch(const uint8_t *p, size_t size)
{
	for (size_t o = 0; o < size; o += PG)
		sink = p[o];
}

/* One word per line of [p, p+len), folded (rotate and xor: order-sensitive). */
static uint64_t fold(const uint8_t *p, size_t len, uint64_t h)
{
	for (size_t o = 0; o < len; o += LINE) {
		uint64_t w;

		memcpy(&w, p + o, 8);
		h = ((h << 7) | (h >> 57)) ^ w;
	}
	return h;
}

/* What fold() gives over file bytes [off, off+len) of the seeded fill. */
static uint64_t fold_expected(uint64_t seed, uint64_t off, size_t len, uint64_t h)
{
	static uint8_t buf[CHUNK];

	for (size_t done = 0; done < len; ) {
		size_t n = len - done < CHUNK ? len - done : CHUNK;

		famfs_fill_seeded(buf, n, seed, off + done);
		h = fold(buf, n, h);
		done += n;
	}
	return h;
}

/* xorshift64: the random page numbers, the same sequence in every run */
static uint64_t rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* The fill mode: @size seeded bytes into @path through a shared writable mapping. */
static int fill(const char *path, uint64_t seed, size_t size)
{
	int fd = open(path, O_RDWR);
	uint8_t *p;

	if (fd < 0)
		return perror("faultbench: open"), 2;
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		return perror("faultbench: mmap"), 2;
	famfs_fill_seeded(p, size, seed, 0);
	munmap(p, size);	/* read back on this host only: no msync (EINVAL on ext4-dax here) */
	close(fd);
	return 0;
}

/* Phases 1-3 (3 unless @no_pte): fault-in; then one word per page checked. Returns bad pages. */
static uint64_t faults(int fd, size_t size, uint64_t seed, int base, int no_pte)
{
	const uint8_t *p;
	uint64_t bad = 0;

	begin(base, 1);
	p = map_file(fd, size, 0);
	touch(p, size);
	end(base, 1);
	munmap((void *)p, size);
	begin(base, 2);
	p = map_file(fd, size, 0);
	touch(p, size);
	end(base, 2);
	if (no_pte) {
		skip(3, "4 KiB faults refused by this device");
	} else {
		munmap((void *)p, size);
		begin(base, 3);
		p = map_file(fd, size, MADV_NOHUGEPAGE);
		touch(p, size);
		end(base, 3);
	}
	for (size_t o = 0; o < size; o += PG)
		bad += famfs_verify_seeded(p + o, 8, seed, o) != 0;
	munmap((void *)p, size);
	return bad;
}

/* Phases 4-5: reads through a mapping faulted in beforehand. Returns bad checks. */
static uint64_t mapped_reads(int fd, size_t size, uint64_t seed, int base, uint64_t want)
{
	static uint64_t digest[RANDOM_READS], page[RANDOM_READS];
	const uint8_t *p = map_file(fd, size, 0);
	uint64_t h = 0, s = 0x9e3779b97f4a7c15ULL, bad = 0, npages = size / PG;

	touch(p, size);
	begin(base, 4);
	h = fold(p, size, 0);
	end(base, 4);
	bad += h != want;
	for (int i = 0; i < RANDOM_READS; i++)
		page[i] = rnd(&s) % npages;
	begin(base, 5);
	for (int i = 0; i < RANDOM_READS; i++)
		digest[i] = fold(p + page[i] * PG, PG, 0);
	end(base, 5);
	for (int i = 0; i < RANDOM_READS; i++)
		bad += digest[i] != fold_expected(seed, page[i] * PG, PG, 0);
	munmap((void *)p, size);
	return bad;
}

/* Phases 6-7: pread(). Returns bad checks; skipped (0) where read() is not supported. */
static uint64_t preads(int fd, size_t size, uint64_t seed, int base, uint64_t want)
{
	static uint64_t digest[RANDOM_READS], page[RANDOM_READS];
	static uint8_t buf[CHUNK];
	uint64_t h = 0, s = 0x2545f4914f6cdd1dULL, bad = 0, npages = size / PG;
	ssize_t n;

	if (pread(fd, buf, PG, 0) != PG) {
		skip(6, strerror(errno));
		skip(7, strerror(errno));
		return 0;
	}
	begin(base, 6);
	for (size_t o = 0; o < size; o += CHUNK) {
		n = pread(fd, buf, CHUNK, o);
		if (n != CHUNK)
			break;
		h = fold(buf, CHUNK, h);
	}
	end(base, 6);
	bad += h != want;
	for (int i = 0; i < RANDOM_READS; i++)
		page[i] = rnd(&s) % npages;
	begin(base, 7);
	for (int i = 0; i < RANDOM_READS; i++) {
		n = pread(fd, buf, PG, page[i] * PG);
		digest[i] = n == PG ? fold(buf, PG, 0) : 0;
	}
	end(base, 7);
	for (int i = 0; i < RANDOM_READS; i++)
		bad += digest[i] != fold_expected(seed, page[i] * PG, PG, 0);
	return bad;
}

/*
 * Phases 8-9: FAMFS_IOC_XLATE. The file is one extent: every answer must be the first one's
 * device and its offset plus the file offset. Returns bad answers; skipped off famfs.
 */
static uint64_t xlates(int fd, size_t size, int base)
{
	struct famfs_ioc_xlate x0 = { .offset = 0 }, x;
	uint64_t s = 0x5851f42d4c957f2dULL, bad = 0, off;

	if (ioctl(fd, FAMFS_IOC_XLATE, &x0)) {
		skip(8, strerror(errno));
		skip(9, strerror(errno));
		return 0;
	}
	begin(base, 8);
	for (int i = 0; i < XLATES; i++) {
		off = (rnd(&s) % (size / PG)) * PG;
		x = (struct famfs_ioc_xlate){ .offset = off };
		if (ioctl(fd, FAMFS_IOC_XLATE, &x) || x.devindex != x0.devindex ||
		    x.dev_offset != x0.dev_offset + off)
			bad++;
	}
	end(base, 8);
	begin(base, 9);
	for (int i = 0; i < XLATES; i++) {
		x = (struct famfs_ioc_xlate){ .offset = size };
		if (!ioctl(fd, FAMFS_IOC_XLATE, &x) || errno != ERANGE)
			bad++;
	}
	end(base, 9);
	return bad;
}

int main(int argc, char **argv)
{
	uint64_t seed, bad, want;
	struct stat st;
	size_t size;
	int fd, base, no_pte = 0;

	if (argc > 1 && !strcmp(argv[1], "-P")) {
		no_pte = 1;
		argc--, argv++;
	}
	if (argc == 5 && !strcmp(argv[1], "fill"))
		return fill(argv[2], strtoull(argv[3], NULL, 0), strtoull(argv[4], NULL, 0));
	if (argc != 4 && argc != 5)
		return fprintf(stderr, "usage: faultbench [-P] FILE SEED BASE(100..1000) [SIZE] | fill FILE SEED SIZE\n"), 2;
	seed = strtoull(argv[2], NULL, 0);
	base = atoi(argv[3]);
	if (base % 100 || base < 100 || base > 1000)
		return fprintf(stderr, "faultbench: BASE %s is not one of 100, 200, ... 1000\n", argv[3]), 2;
	fd = open(argv[1], O_RDONLY);
	if (fd < 0 || fstat(fd, &st))
		return perror("faultbench"), 2;
	size = argc == 5 ? strtoull(argv[4], NULL, 0) : (size_t)st.st_size;
	if (!size || size % CHUNK)
		return fprintf(stderr, "faultbench: size %zu is not a multiple of 1 MiB\n", size), 2;
	want = fold_expected(seed, 0, size, 0);
	setvbuf(stdout, NULL, _IOLBF, 0);
	bad = faults(fd, size, seed, base, no_pte);
	printf("faultbench: faults bad=%" PRIu64 "\n", bad);
	bad += mapped_reads(fd, size, seed, base, want);
	bad += preads(fd, size, seed, base, want);
	bad += xlates(fd, size, base);
	printf("faultbench: pages=%zu bad=%" PRIu64 "\n", size / PG, bad);
	return bad ? 1 : 0;
}
