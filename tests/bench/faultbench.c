// SPDX-License-Identifier: Apache-2.0
/*
 * faultbench - fault a famfs file in through a shared read mapping, one byte per 4 KiB,
 * bracketing each phase with markers for tests/bench/insn_plugin.c (runs in a guest):
 *   BASE+1 .. BASE+2  cold fault-in (2 MiB PMD faults where the file allows them)
 *   BASE+3 .. BASE+4  the same through a second mapping (DAX entries already exist)
 *   BASE+5 .. BASE+6  4 KiB faults only (MADV_NOHUGEPAGE on a third mapping)
 * Then checks one 8-byte word per page against the seeded fill (creat -S SEED), outside
 * the markers, so a wrong answer cannot pass as cheap.
 *
 *   faultbench FILE SEED BASE [SIZE]  prints "faultbench: pages=N bad=B"; exit 1 if B > 0
 *                                     (SIZE: bytes, for a device-dax char device)
 *   faultbench fill FILE SEED SIZE    write the seeded fill of SIZE bytes through a shared
 *                                     mapping (a device-dax device, an ext4-dax file), for the
 *                                     peers famfs is compared with
 */
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "libfamfs.h"
#include "marker.h"

#define PG 4096

static volatile uint8_t sink;

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

/* A marker's id is an immediate: one case per id the harness uses (bases 100, 200, 300). */
#define PHASE(id) case id: famfs_mark(id); break
static void mark(int base, int n)
{
	switch (base + n) {
	PHASE(101); PHASE(102); PHASE(103); PHASE(104); PHASE(105); PHASE(106);
	PHASE(201); PHASE(202); PHASE(203); PHASE(204); PHASE(205); PHASE(206);
	PHASE(301); PHASE(302); PHASE(303); PHASE(304); PHASE(305); PHASE(306);
	PHASE(401); PHASE(402); PHASE(403); PHASE(404); PHASE(405); PHASE(406);
	PHASE(501); PHASE(502); PHASE(503); PHASE(504); PHASE(505); PHASE(506);
	}
}
#undef PHASE

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

int main(int argc, char **argv)
{
	struct stat st;
	uint64_t seed, bad = 0;
	const uint8_t *p;
	int fd, base;

	if (argc == 5 && !strcmp(argv[1], "fill"))
		return fill(argv[2], strtoull(argv[3], NULL, 0), strtoull(argv[4], NULL, 0));
	if (argc != 4 && argc != 5)
		return fprintf(stderr, "usage: faultbench FILE SEED BASE(100..500) [SIZE] | fill FILE SEED SIZE\n"), 2;
	seed = strtoull(argv[2], NULL, 0);
	base = atoi(argv[3]);
	fd = open(argv[1], O_RDONLY);
	if (fd < 0 || fstat(fd, &st))
		return perror("faultbench"), 2;
	if (argc == 5)
		st.st_size = (off_t)strtoull(argv[4], NULL, 0);
	mark(base, 1);
	p = map_file(fd, st.st_size, 0);
	touch(p, st.st_size);
	mark(base, 2);
	munmap((void *)p, st.st_size);
	mark(base, 3);
	p = map_file(fd, st.st_size, 0);
	touch(p, st.st_size);
	mark(base, 4);
	munmap((void *)p, st.st_size);
	mark(base, 5);
	p = map_file(fd, st.st_size, MADV_NOHUGEPAGE);
	touch(p, st.st_size);
	mark(base, 6);
	for (size_t o = 0; o < (size_t)st.st_size; o += PG)
		bad += famfs_verify_seeded(p + o, 8, seed, o) != 0;
	printf("faultbench: pages=%" PRIu64 " bad=%" PRIu64 "\n", (uint64_t)st.st_size / PG, bad);
	return bad ? 1 : 0;
}
