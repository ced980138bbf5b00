/* SPDX-License-Identifier: Apache-2.0 */
/*
 * famfs_reclaim.h - libfamfs (included by libfamfs.h): deleting files and reclaiming their
 * space safely while other hosts may still map them (OMF >= 1.3), and the client table
 * every host records itself in. The protocol is in docs/sharing.md ("Delete and reclaim").
 *
 * Rule: a deleted file's extents stay allocated ("pending reclaim") until the log holds a
 * RECLAIM entry for its DELETE. The master logs that entry only when every slot of the
 * client table (bad slots included) has applied the DELETE (cs_applied > its index); an
 * operator removes a host that is down for good with famfs_clients_evict().
 */
#ifndef FAMFS_RECLAIM_H
#define FAMFS_RECLAIM_H

#include <stdbool.h>
#include <stdint.h>
#include <uuid/uuid.h>

struct famfs_media;

/* ---- the deletes of a log --------------------------------------------------------- */
#define FAMFS_NO_INDEX	UINT64_MAX

/* One applied DELETE: which FILE entry, and the RECLAIM that freed its space (if any). */
struct famfs_delete_rec {
	uint64_t file_index;	/* the FILE entry deleted */
	uint64_t delete_index;	/* the DELETE entry */
	uint64_t reclaim_index;	/* the RECLAIM entry, or FAMFS_NO_INDEX: pending reclaim */
	uint64_t bytes;		/* sum of the deleted file's extent lengths */
};
struct famfs_deletes {
	uint64_t n;			/* valid records, in DELETE order */
	struct famfs_delete_rec *v;
	uint64_t bad;			/* DELETE/RECLAIM entries that name nothing valid */
};
/*
 * famfs_deletes_scan() - every DELETE and RECLAIM entry of [0, next_index) of @m that
 * meets the rules in context: a DELETE names an earlier valid FILE entry with the same path
 * that no earlier DELETE named; a RECLAIM names an earlier recorded DELETE not reclaimed
 * before, with rc_min_applied > its index. Entries that do not are counted in @d->bad (with
 * @report: logged, FAMFS_MSG_ERR, naming the entry) and have no effect anywhere. Unreadable
 * entries are skipped (their readers report them). Free with famfs_deletes_free().
 * Return: 0 or -ENOMEM.
 */
int famfs_deletes_scan(struct famfs_media *m, bool report, struct famfs_deletes *d);
void famfs_deletes_free(struct famfs_deletes *d);
/* The record of the DELETE of FILE entry @file_index, or NULL (not deleted). */
const struct famfs_delete_rec *famfs_deletes_of_file(const struct famfs_deletes *d,
						     uint64_t file_index);
/* The record of DELETE entry @delete_index, or NULL (not a valid DELETE). */
const struct famfs_delete_rec *famfs_deletes_at(const struct famfs_deletes *d,
						uint64_t delete_index);
/* Bytes of deleted files still pending reclaim (no RECLAIM yet). */
uint64_t famfs_deletes_pending(const struct famfs_deletes *d);

/*
 * famfs_log_append_delete() - log a DELETE of the file at @path (master only, OMF >= 1.3).
 * Return: 0 with *@index (may be NULL) = the DELETE entry's index and *@file_index (may be
 * NULL) = the deleted FILE entry's; -EPERM not the master, -EROFS read-only, -EOPNOTSUPP
 * OMF < 1.3, -ENOENT no live file at @path (a directory, or deleted), -EINVAL bad path,
 * -E2BIG log full. Nothing is written on any error.
 */
int famfs_log_append_delete(struct famfs_media *m, const char *path, uint64_t *index,
			    uint64_t *file_index);

/*
 * famfs_log_next_index_fresh() - lh_next_index read from memory: the CPU cache lines of the
 * log header are invalidated first (another host advances it). For pollers (follow).
 */
uint64_t famfs_log_next_index_fresh(struct famfs_media *m);

/* ---- the client table (OMF >= 1.3) ------------------------------------------------- */
struct famfs_clients;	/* the table of one file system, loaded */

/* One slot as read (the CRC checked; bad slots are kept: they block reclaim). */
struct famfs_client_info {
	uint32_t slot;
	bool	 valid;		/* magic and CRC right */
	uuid_t	 uuid;
	uint64_t applied;	/* 0 for a bad slot */
	uint64_t heartbeat;	/* seconds since the epoch */
	uint64_t mount_time;
};
/*
 * famfs_clients_open_dev() / famfs_clients_open_mount() - the table on a device or image
 * @path (read with O_DIRECT from block devices, mmap otherwise), or of the famfs mounted at
 * @mpt (its .meta/.clients file, DAX). @rw: to write a slot. Return: 0 and *@out; -EOPNOTSUPP
 * the file system is older than OMF 1.3 (no table); -errno opening or mapping.
 */
int famfs_clients_open_dev(const char *path, bool rw, struct famfs_clients **out);
int famfs_clients_open_mount(const char *mpt, bool rw, struct famfs_clients **out);
/* famfs_clients_open_media() - the table of open media @m (its device, or its mount). */
int famfs_clients_open_media(struct famfs_media *m, bool rw, struct famfs_clients **out);
void famfs_clients_close(struct famfs_clients *t);
/*
 * famfs_clients_list() - the used slots (cs_magic not 0), re-read from memory first
 * (CPU cache invalidated), into @out (up to FAMFS_CLIENT_SLOTS). Return: how many.
 */
int famfs_clients_list(struct famfs_clients *t, struct famfs_client_info *out);
/*
 * famfs_clients_update() - write this host's slot (@uuid): applied index @applied, heartbeat
 * now; on first use take a free slot with mount time now. Written back from the CPU cache
 * before return. Return: 0; -ENOSPC no free slot; -EROFS opened read-only; -errno on I/O.
 */
int famfs_clients_update(struct famfs_clients *t, const uuid_t uuid, uint64_t applied);
/* famfs_clients_remove() - free this host's slot (umount). 0, or -ENOENT if it has none. */
int famfs_clients_remove(struct famfs_clients *t, const uuid_t uuid);
/* famfs_clients_evict() - free the slot(s) of @uuid, valid or not (operator: that host is
 * down and will never touch the memory again). Return: slots freed (0: none). */
int famfs_clients_evict(struct famfs_clients *t, const uuid_t uuid);
/*
 * famfs_clients_min_applied() - the smallest applied index over every used slot (a bad
 * slot counts as 0) into *@min (FAMFS_NO_INDEX when none), and their number in *@n.
 */
void famfs_clients_min_applied(struct famfs_clients *t, uint64_t *min, uint32_t *n);

/*
 * famfs_log_reclaim() - on the master, under the append lock: for every DELETE pending
 * reclaim that every client of @t has applied (famfs_clients_min_applied() > its index),
 * log a RECLAIM entry recording that snapshot. The table is read after the DELETEs were
 * published (see docs/sharing.md). Return: 0 with *@nreclaimed (may be NULL); -EPERM not
 * the master; -EROFS; -E2BIG log full; -errno.
 */
int famfs_log_reclaim(struct famfs_media *m, struct famfs_clients *t, uint64_t *nreclaimed);

#endif /* FAMFS_RECLAIM_H */
