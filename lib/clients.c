// SPDX-License-Identifier: Apache-2.0
/*
 * clients.c - the client table (OMF >= 1.3): FAMFS_CLIENT_SLOTS 64-byte slots at
 * FAMFS_CLIENTS_OFFSET of device 0, one per host that has the file system mounted, each
 * written only by the host whose system UUID it holds (eviction aside). A slot is one CPU
 * cache line, so hosts writing their own slots through DAX never overwrite each other's.
 *
 * Access: a mount's .meta/.superblock, from FAMFS_CLIENTS_OFFSET (DAX; on OMF >= 1.3 that
 * file is writable on every host, for this table only), an image file or a dax
 * device (mmap), or a block device (O_DIRECT, read only: a sector write would carry other
 * hosts' slots along). Reads invalidate the CPU cache first; writes are written back.
 * Every slot is untrusted: a bad magic or CRC is read again once, then counts as a client
 * that has applied nothing.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "famfs_priv.h"

struct famfs_clients {
	int			fd;
	bool			rw;
	bool			direct;	/* O_DIRECT copy in @slots, else @slots is mapped */
	uint64_t		off;	/* of the table in @fd */
	struct famfs_client_slot *slots;	/* [FAMFS_CLIENT_SLOTS] */
	struct famfs_dev	dev;	/* direct: the device */
};

static uint32_t slot_crc(const struct famfs_client_slot *s)
{
	return (uint32_t)crc32(0L, (const Bytef *)s, offsetof(struct famfs_client_slot, cs_crc));
}

static bool slot_valid(const struct famfs_client_slot *s)
{
	return le64toh(s->cs_magic) == FAMFS_CLIENT_MAGIC && le32toh(s->cs_crc) == slot_crc(s);
}

static bool slot_used(const struct famfs_client_slot *s)
{
	return s->cs_magic != 0;
}

/* Re-read the table from memory. */
static int clients_refresh(struct famfs_clients *t)
{
	if (t->direct)
		return famfs_dev_read(&t->dev, t->slots, FAMFS_PAGE, t->off);
	famfs_cache_invalidate(t->slots, FAMFS_CLIENTS_LEN);
	return 0;
}

/* Write slot @k back to memory. */
static int clients_persist(struct famfs_clients *t, uint32_t k)
{
	famfs_cache_writeback(&t->slots[k], sizeof(t->slots[k]));
	if (msync((void *)((uintptr_t)t->slots & ~(uintptr_t)(FAMFS_PAGE - 1)), FAMFS_PAGE,
		  MS_SYNC) != 0) {
		famfs_err("client table: msync: %s", strerror(errno));
		return -errno;
	}
	return 0;
}

static int clients_map(struct famfs_clients *t, int fd, uint64_t off)
{
	void *p = mmap(NULL, FAMFS_PAGE, PROT_READ | (t->rw ? PROT_WRITE : 0), MAP_SHARED, fd,
		       (off_t)off);

	if (p == MAP_FAILED) {
		famfs_err("client table: mmap: %s", strerror(errno));
		return -errno;
	}
	t->fd = fd;
	t->off = off;
	t->slots = p;
	return 0;
}

static struct famfs_clients *clients_new(bool rw)
{
	struct famfs_clients *t = calloc(1, sizeof(*t));

	if (t) {
		t->fd = -1;
		t->rw = rw;
		t->dev.fd = -1;
	}
	return t;
}

static int clients_omf_check(const struct famfs_superblock *sb, const char *name)
{
	if (le16toh(sb->sb_omf_minor) >= FAMFS_OMF_MINOR_DELETE)
		return 0;
	famfs_dbg("%s: OMF 1.%u has no client table (1.%d and later)", name,
		  le16toh(sb->sb_omf_minor), FAMFS_OMF_MINOR_DELETE);
	return -EOPNOTSUPP;
}

/* The superblock behind @fd says OMF >= 1.3 (read through a short mapping). */
static int clients_sb_check(struct famfs_clients *t, int fd, const char *name)
{
	struct famfs_superblock *sb = mmap(NULL, FAMFS_PAGE, PROT_READ, MAP_SHARED, fd, 0);
	int rc;

	if (sb == MAP_FAILED) {
		famfs_err("%s: mmap: %s", name, strerror(errno));
		return -errno;
	}
	famfs_cache_invalidate(sb, sizeof(*sb));
	rc = le64toh(sb->sb_magic) == FAMFS_SB_MAGIC ? clients_omf_check(sb, name) : -EUCLEAN;
	if (rc == -EUCLEAN)
		famfs_err("%s: no famfs superblock", name);
	munmap(sb, FAMFS_PAGE);
	return rc;
}

int famfs_clients_open_dev(const char *path, bool rw, struct famfs_clients **out)
{
	struct famfs_media *m;
	int rc = famfs_media_open_dev(path, rw ? FAMFS_OPEN_RDWR : FAMFS_OPEN_RDONLY, &m);

	if (rc)
		return rc;
	rc = famfs_clients_open_media(m, rw, out);
	famfs_media_close(m);
	return rc;
}

int famfs_clients_open_mount(const char *mpt, bool rw, struct famfs_clients **out)
{
	struct famfs_clients *t = clients_new(rw);
	char path[PATH_MAX];
	int fd, rc;

	if (!t)
		return -ENOMEM;
	snprintf(path, sizeof(path), "%s/%s", mpt, FAMFS_META_SB);
	fd = open(path, (rw ? O_RDWR : O_RDONLY) | O_CLOEXEC);
	if (fd < 0) {
		rc = -errno;
		famfs_err("%s: %s", path, strerror(-rc));
		free(t);
		return rc;
	}
	rc = clients_sb_check(t, fd, path);
	if (rc == 0)
		rc = clients_map(t, fd, FAMFS_CLIENTS_OFFSET);
	if (rc) {
		close(fd);
		free(t);
		return rc;
	}
	*out = t;
	return 0;
}

/* The mount a media was opened through: the directory above its .meta/.log. */
static bool media_mount_of(const struct famfs_media *m, char *mpt, size_t len)
{
	char link[64];
	size_t meta = strlen("/" FAMFS_META_LOG);
	ssize_t n;

	if (m->sb_fd < 0)
		return false;
	snprintf(link, sizeof(link), "/proc/self/fd/%d", m->fd);
	n = readlink(link, mpt, len - 1);
	if (n <= (ssize_t)meta)
		return false;
	mpt[n] = '\0';
	if (strcmp(mpt + n - meta, "/" FAMFS_META_LOG))
		return false;
	mpt[n - meta] = '\0';
	return true;
}

int famfs_clients_open_media(struct famfs_media *m, bool rw, struct famfs_clients **out)
{
	struct famfs_clients *t;
	char mpt[PATH_MAX];
	int rc = clients_omf_check(m->sb, "client table");

	if (rc)
		return rc;
	if (media_mount_of(m, mpt, sizeof(mpt)))
		return famfs_clients_open_mount(mpt, rw, out);
	t = clients_new(rw);
	if (!t)
		return -ENOMEM;
	if (m->ops == &famfs_direct_ops) {
		if (rw) {
			famfs_err("client table: a block device is read only here (write it "
				  "through a mount)");
			free(t);
			return -EROFS;
		}
		snprintf(mpt, sizeof(mpt), "/proc/self/fd/%d", m->fd);
		rc = famfs_dev_open(mpt, false, &t->dev);
		t->slots = rc ? NULL : famfs_aligned_zalloc(FAMFS_PAGE);
		t->direct = true;
		t->off = FAMFS_CLIENTS_OFFSET;
		if (rc == 0 && !t->slots)
			rc = -ENOMEM;
		if (rc == 0)
			rc = clients_refresh(t);
	} else if (rw && !m->rw) {
		famfs_err("client table: the file system was opened read-only");
		rc = -EROFS;
	} else {
		rc = clients_map(t, dup(m->fd), FAMFS_CLIENTS_OFFSET);
	}
	if (rc) {
		famfs_clients_close(t);
		return rc;
	}
	*out = t;
	return 0;
}

void famfs_clients_close(struct famfs_clients *t)
{
	if (!t)
		return;
	if (t->direct) {
		free(t->slots);
		if (t->dev.fd >= 0)
			close(t->dev.fd);
	} else if (t->slots) {
		munmap(t->slots, FAMFS_PAGE);
	}
	if (t->fd >= 0)
		close(t->fd);
	free(t);
}

/* Slot @k as read, one re-read if it looks torn. */
static void clients_info(struct famfs_clients *t, uint32_t k, struct famfs_client_info *ci)
{
	struct famfs_client_slot s = t->slots[k];

	if (slot_used(&s) && !slot_valid(&s) && clients_refresh(t) == 0)
		s = t->slots[k];
	memset(ci, 0, sizeof(*ci));
	ci->slot = k;
	ci->valid = slot_valid(&s);
	memcpy(ci->uuid, s.cs_uuid, sizeof(ci->uuid));
	if (ci->valid) {
		ci->applied = le64toh(s.cs_applied);
		ci->heartbeat = le64toh(s.cs_heartbeat);
		ci->mount_time = le64toh(s.cs_mount_time);
	}
}

int famfs_clients_list(struct famfs_clients *t, struct famfs_client_info *out)
{
	uint32_t k;
	int n = 0;

	if (clients_refresh(t) != 0)
		return 0;
	for (k = 0; k < FAMFS_CLIENT_SLOTS; k++)
		if (slot_used(&t->slots[k]))
			clients_info(t, k, &out[n++]);
	return n;
}

void famfs_clients_min_applied(struct famfs_clients *t, uint64_t *min, uint32_t *n)
{
	struct famfs_client_info ci[FAMFS_CLIENT_SLOTS];
	int cnt = famfs_clients_list(t, ci), k;

	*min = FAMFS_NO_INDEX;
	for (k = 0; k < cnt; k++)
		if (ci[k].applied < *min)
			*min = ci[k].applied;
	*n = (uint32_t)cnt;
}

/* The slot this host owns (valid, its UUID), or -1. */
static int clients_find(struct famfs_clients *t, const uuid_t uuid)
{
	uint32_t k;

	for (k = 0; k < FAMFS_CLIENT_SLOTS; k++)
		if (slot_valid(&t->slots[k]) && !memcmp(t->slots[k].cs_uuid, uuid, 16))
			return (int)k;
	return -1;
}

/* A free slot, probing from one that depends on @uuid (two hosts rarely pick the same). */
static int clients_free_slot(struct famfs_clients *t, const uuid_t uuid)
{
	uint32_t start = (uint32_t)crc32(0L, uuid, 16) % FAMFS_CLIENT_SLOTS, j;

	for (j = 0; j < FAMFS_CLIENT_SLOTS; j++) {
		uint32_t k = (start + j) % FAMFS_CLIENT_SLOTS;

		if (!slot_used(&t->slots[k]))
			return (int)k;
	}
	return -1;
}

static int clients_write(struct famfs_clients *t, uint32_t k, const struct famfs_client_slot *s)
{
	memcpy(&t->slots[k], s, sizeof(*s));
	return clients_persist(t, k);
}

int famfs_clients_update(struct famfs_clients *t, const uuid_t uuid, uint64_t applied)
{
	struct famfs_client_slot s;
	uint64_t now = (uint64_t)time(NULL);
	int k, tries, rc;

	if (!t->rw || t->direct)
		return -EROFS;
	for (tries = 0; tries < 4; tries++) {
		rc = clients_refresh(t);
		if (rc)
			return rc;
		k = clients_find(t, uuid);
		memset(&s, 0, sizeof(s));
		if (k >= 0) {
			s = t->slots[k];
		} else {
			k = clients_free_slot(t, uuid);
			if (k < 0) {
				famfs_err("client table: all %d slots are used (famfsctl clients "
					  "--evict a host that is gone)", FAMFS_CLIENT_SLOTS);
				return -ENOSPC;
			}
			s.cs_magic = htole64(FAMFS_CLIENT_MAGIC);
			memcpy(s.cs_uuid, uuid, 16);
			s.cs_mount_time = htole64(now);
		}
		s.cs_applied = htole64(applied);
		s.cs_heartbeat = htole64(now);
		s.cs_crc = htole32(slot_crc(&s));
		rc = clients_write(t, (uint32_t)k, &s);
		if (rc)
			return rc;
		/* Another host may have taken the same free slot at the same time: look again. */
		usleep(1000);
		clients_refresh(t);
		if (!memcmp(&t->slots[k], &s, sizeof(s)))
			return 0;
	}
	famfs_err("client table: lost the race for a slot %d times", tries);
	return -EAGAIN;
}

/* Zero every used slot for which @match holds; return how many. */
static int clients_zero(struct famfs_clients *t, const uuid_t uuid, bool only_valid)
{
	static const struct famfs_client_slot zero;
	uint32_t k;
	int n = 0;

	if (!t->rw || t->direct || clients_refresh(t) != 0)
		return -EROFS;
	for (k = 0; k < FAMFS_CLIENT_SLOTS; k++) {
		if (!slot_used(&t->slots[k]) || memcmp(t->slots[k].cs_uuid, uuid, 16) ||
		    (only_valid && !slot_valid(&t->slots[k])))
			continue;
		if (clients_write(t, k, &zero) == 0)
			n++;
	}
	return n;
}

int famfs_clients_remove(struct famfs_clients *t, const uuid_t uuid)
{
	int n = clients_zero(t, uuid, true);

	return n < 0 ? n : n ? 0 : -ENOENT;
}

int famfs_clients_evict(struct famfs_clients *t, const uuid_t uuid)
{
	return clients_zero(t, uuid, false);
}
