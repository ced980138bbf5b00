// SPDX-License-Identifier: Apache-2.0
/*
 * pageclass - read a seeded famfs file page by page, through read() or through a shared
 * mapping, and classify every 4 KiB page by what it holds (tests/vm/hostile.sh):
 *   own      the file's own seeded bytes at that offset (famfsctl creat -S SEED)
 *   shifted  its own seeded bytes, but from another offset of the file
 *   zero     all zero bytes
 *   foreign  another seeded file's bytes (a PEER), or famfs metadata (superblock, log)
 *   unknown  anything else
 *   eio      read() failed with EIO (a refused translation)
 *   sigbus   touching the mapping raised SIGBUS (a refused translation, fault path)
 *
 *   pageclass read|mmap FILE SEED [PEERSEED:PEERSIZE ...]
 *   pageclass watch FILE SEED PAGE   map FILE, then for each line on stdin print the class
 *                                    of page PAGE through that same mapping
 *   pageclass poison FILE SEED PAGE  map FILE, touch page PAGE, madvise(MADV_HWPOISON) it
 *                                    (root; CONFIG_MEMORY_FAILURE): prints "poisoned" or why
 * Prints one line: "pages=N own=.. shifted=.. zero=.. foreign=.. unknown=.. eio=.. sigbus=..".
 * Exit 0 when it ran (the caller judges the counts), 2 on usage or I/O setup errors.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "famfs_omf.h"
#include "libfamfs.h"

#define PG 4096

enum { OWN, SHIFTED, ZERO, FOREIGN, UNKNOWN, EIO_, SIGBUS_, NCLASS };
static const char *const names[NCLASS] = {
	"own", "shifted", "zero", "foreign", "unknown", "eio", "sigbus"
};

struct peer { uint64_t seed, size; };
static struct peer peers[64];
static int npeers;

static int seeded_at(const uint8_t *p, uint64_t seed, uint64_t size, uint64_t *at)
{
	for (uint64_t o = 0; o + PG <= size; o += PG)
		if (!famfs_verify_seeded(p, PG, seed, o)) {
			*at = o;
			return 1;
		}
	return 0;
}

static int has_meta_magic(const uint8_t *p)
{
	uint64_t v;

	for (int i = 0; i < PG; i += 8) {
		memcpy(&v, p + i, 8);
		v = le64toh(v);
		if (v == FAMFS_SB_MAGIC || v == FAMFS_LOG_MAGIC || v == FAMFS_DEV_MAGIC)
			return 1;
	}
	return 0;
}

/* Class of page @p found at file offset @off of a file seeded with @seed (@size bytes). */
static int classify(const uint8_t *p, uint64_t off, uint64_t seed, uint64_t size)
{
	static const uint8_t zero[PG];
	uint64_t at;

	if (!famfs_verify_seeded(p, PG, seed, off))
		return OWN;
	if (!memcmp(p, zero, PG))
		return ZERO;
	if (has_meta_magic(p))
		return FOREIGN;
	for (int i = 0; i < npeers; i++)
		if (seeded_at(p, peers[i].seed, peers[i].size, &at))
			return FOREIGN;
	if (seeded_at(p, seed, size, &at))
		return SHIFTED;
	return UNKNOWN;
}

static sigjmp_buf bus_jmp;
static void on_sigbus(int sig) { siglongjmp(bus_jmp, 1); }

/* Copy page @i of @map into @buf; SIGBUS_ if touching it faults. */
static int touch(const uint8_t *map, uint64_t i, uint8_t *buf)
{
	if (sigsetjmp(bus_jmp, 1))
		return SIGBUS_;
	for (int k = 0; k < PG; k += 8)	/* word loads: no rep movsb byte loop under TCG */
		memcpy(buf + k, (const uint8_t *)map + i * PG + k, 8);
	return -1;
}

static void report(const uint64_t *n, uint64_t pages)
{
	printf("pages=%" PRIu64, pages);
	for (int c = 0; c < NCLASS; c++)
		printf(" %s=%" PRIu64, names[c], n[c]);
	printf("\n");
	fflush(stdout);
}

int main(int argc, char **argv)
{
	uint64_t n[NCLASS] = { 0 }, seed, pages, size;
	static uint8_t buf[PG];
	struct sigaction sa = { .sa_handler = on_sigbus };
	struct stat st;
	uint8_t *map = NULL;
	int fd, c;

	if (argc < 4)
		return fprintf(stderr, "usage: pageclass read|mmap|watch FILE SEED [PEER:SIZE|PAGE]...\n"), 2;
	seed = strtoull(argv[3], NULL, 0);
	fd = open(argv[2], O_RDONLY);
	if (fd < 0 || fstat(fd, &st))
		return fprintf(stderr, "pageclass: %s: %s\n", argv[2], strerror(errno)), 2;
	size = st.st_size;
	pages = size / PG;
	for (int i = 4; strcmp(argv[1], "watch") && i < argc && npeers < 64; i++)
		if (sscanf(argv[i], "%" SCNu64 ":%" SCNu64, &peers[npeers].seed, &peers[npeers].size) == 2)
			npeers++;
	sigaction(SIGBUS, &sa, NULL);
	if (strcmp(argv[1], "read")) {
		map = mmap(NULL, size, PROT_READ, MAP_SHARED, fd, 0);
		if (map == MAP_FAILED)
			return fprintf(stderr, "pageclass: mmap %s: %s\n", argv[2], strerror(errno)), 2;
	}
	if (!strcmp(argv[1], "poison")) {
		uint64_t pg = argc > 4 ? strtoull(argv[4], NULL, 0) : 0;

		if (touch(map, pg, buf) >= 0 || madvise(map + pg * PG, PG, MADV_HWPOISON))
			return printf("poison: %s\n", strerror(errno)), 1;
		printf("poisoned\n");
		return 0;
	}
	if (!strcmp(argv[1], "watch")) {
		uint64_t pg = argc > 4 ? strtoull(argv[4], NULL, 0) : 0;
		char line[64];

		while (fgets(line, sizeof(line), stdin)) {
			c = touch(map, pg, buf);
			printf("%s\n", names[c >= 0 ? c : classify(buf, pg * PG, seed, size)]);
			fflush(stdout);
		}
		return 0;
	}
	for (uint64_t i = 0; i < pages; i++) {
		if (map)
			c = touch(map, i, buf);
		else
			c = pread(fd, buf, PG, i * PG) == PG ? -1 : EIO_;
		n[c >= 0 ? c : classify(buf, i * PG, seed, size)]++;
	}
	report(n, pages);
	return 0;
}
