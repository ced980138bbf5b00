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
 *   tail     the last, partial page: its own bytes up to the end of the file, but through
 *            the mapping not zeros past it (what the memory held before, or a neighbour's)
 * The last page of a file whose size is not a page multiple counts as own when its bytes up
 * to the end are the file's (and, through a mapping, every byte past the end is zero).
 *
 *   pageclass read|mmap FILE SEED [PEERSEED:PEERSIZE ...]
 *   pageclass watch FILE SEED PAGE   map FILE, then for each line on stdin print the class
 *                                    of page PAGE through that same mapping
 *   pageclass poison FILE SEED PAGE  map FILE, touch page PAGE, madvise(MADV_HWPOISON) it
 *                                    (root; CONFIG_MEMORY_FAILURE): prints "poisoned" or why
 *   pageclass same FILE SRC          FILE (famfs) against SRC (any file): read() and a shared
 *                                    mapping of FILE must return SRC's bytes, and the mapping
 *                                    zeros past the end of the last page; prints
 *                                    "same: read=ok|bad mmap=ok|bad tail=zero|junk", exit 1 if not
 *   pageclass same - SRCDIR          the same for every relative path read from stdin (FILE in
 *                                    the current directory, SRC under SRCDIR): prints the bad
 *                                    ones, then "same: files=N bad=B"; exit 1 if B > 0
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

enum { OWN, SHIFTED, ZERO, FOREIGN, UNKNOWN, EIO_, SIGBUS_, TAIL, NCLASS };
static const char *const names[NCLASS] = {
	"own", "shifted", "zero", "foreign", "unknown", "eio", "sigbus", "tail"
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

static int all_zero(const uint8_t *p, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (p[i])
			return 0;
	return 1;
}

/* Class of the last, partial page (@keep bytes of the file in it); @mapped: all of @p was
 * read through a mapping (past the end too), else only @keep bytes by read(). */
static int classify_last(const uint8_t *p, size_t keep, uint64_t off, uint64_t seed,
			 uint64_t size, int mapped)
{
	static uint8_t full[PG];

	if (!famfs_verify_seeded(p, keep, seed, off))
		return !mapped || all_zero(p + keep, PG - keep) ? OWN : TAIL;
	memcpy(full, p, PG);
	if (!mapped)
		memset(full + keep, 0, PG - keep);
	return classify(full, off, seed, size);
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

/* The "same" mode: @fd (@size bytes, named @name) against the file @src. */
static int same(int fd, uint64_t size, const char *name, const char *src, int quiet)
{
	uint64_t mlen = (size + PG - 1) / PG * PG;
	volatile int rd_ok = 1, mm_ok = 1, tail_ok = 1;
	volatile uint64_t o;
	int sfd = open(src, O_RDONLY);
	static uint8_t a[1 << 16], b[1 << 16];
	struct stat sst;
	uint8_t *map;

	if (sfd < 0 || fstat(sfd, &sst) || (uint64_t)sst.st_size != size) {
		printf("same: %s: size %" PRIu64 " differs from %s\n", name, size, src);
		if (sfd >= 0)
			close(sfd);
		return 1;
	}
	map = size ? mmap(NULL, mlen, PROT_READ, MAP_SHARED, fd, 0) : NULL;
	if (map == MAP_FAILED)
		return printf("same: mmap %s: %s\n", name, strerror(errno)), 1;
	if (sigsetjmp(bus_jmp, 1)) {	/* a fault in the mapping: SIGBUS */
		mm_ok = 0;
		goto out;
	}
	for (o = 0; o < size; o += sizeof(a)) {
		size_t len = size - o < sizeof(a) ? (size_t)(size - o) : sizeof(a);

		if (pread(sfd, a, len, (off_t)o) != (ssize_t)len)
			return printf("same: read %s: %s\n", src, strerror(errno)), 1;
		if (pread(fd, b, len, (off_t)o) != (ssize_t)len || memcmp(a, b, len))
			rd_ok = 0;
		if (memcmp(a, map + o, len))
			mm_ok = 0;
	}
	if (mm_ok && size % PG && !all_zero(map + size, (size_t)(mlen - size)))
		tail_ok = 0;
out:
	if (map)
		munmap(map, mlen);
	close(sfd);
	if (!quiet || !(rd_ok && mm_ok && tail_ok))
		printf("same: %s%sread=%s mmap=%s tail=%s\n", quiet ? name : "", quiet ? ": " : "",
		       rd_ok ? "ok" : "bad", mm_ok ? "ok" : "bad", tail_ok ? "zero" : "junk");
	return !(rd_ok && mm_ok && tail_ok);
}

/*
 * "same - SRCDIR": for each relative path on stdin, FILE is that path under the current
 * directory (the mount) and SRC the same path under SRCDIR; one line per file that is not
 * the same, then "same: files=N bad=B". Exit 1 if any is bad.
 */
static int same_list(const char *srcdir)
{
	struct sigaction sa = { .sa_handler = on_sigbus };
	char rel[4096], src[8192];
	uint64_t n = 0, bad = 0;
	struct stat st;

	sigaction(SIGBUS, &sa, NULL);
	while (fgets(rel, sizeof(rel), stdin)) {
		int fd, r;

		rel[strcspn(rel, "\n")] = '\0';
		if (!rel[0])
			continue;
		snprintf(src, sizeof(src), "%s/%s", srcdir, rel);
		fd = open(rel, O_RDONLY);
		n++;
		if (fd < 0 || fstat(fd, &st)) {
			printf("same: %s: %s\n", rel, strerror(errno));
			bad++;
			continue;
		}
		r = same(fd, (uint64_t)st.st_size, rel, src, 1);
		close(fd);
		bad += r != 0;
	}
	printf("same: files=%" PRIu64 " bad=%" PRIu64 "\n", n, bad);
	return bad != 0;
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

	if (argc == 4 && !strcmp(argv[1], "same") && !strcmp(argv[2], "-"))
		return same_list(argv[3]);
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
	if (!strcmp(argv[1], "same"))
		return same(fd, size, argv[2], argv[3], 0);
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
	pages = (size + PG - 1) / PG;
	for (uint64_t i = 0; i < pages; i++) {
		size_t keep = size - i * PG < PG ? (size_t)(size - i * PG) : PG;

		if (map)
			c = touch(map, i, buf);
		else
			c = pread(fd, buf, PG, i * PG) == (ssize_t)keep ? -1 : EIO_;
		if (c < 0)
			c = keep < PG ? classify_last(buf, keep, i * PG, seed, size, !!map) :
					classify(buf, i * PG, seed, size);
		n[c]++;
	}
	report(n, pages);
	return 0;
}
