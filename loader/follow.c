// SPDX-License-Identifier: Apache-2.0
/*
 * follow.c - this host in the client table (OMF >= 1.3), and famfsctl follow: a client that
 * keeps its mount current by itself.
 *
 * Join before reading the log, record after applying: the master publishes a DELETE and
 * only then reads the table to decide a reclaim; a host writes its slot (applied 0) and
 * only then reads next_index. Either the master sees the slot (and waits for it), or the
 * host sees the DELETE (and never binds the file). Both sides write back and fence.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "loader.h"

/* The mount's client table and this host's UUID; 1 if there is no table (OMF < 1.3). */
static int client_table(const char *mpt, bool rw, struct famfs_clients **t, uuid_t me)
{
	int ret = famfs_system_uuid(me);

	if (ret) {
		famfs_msg(FAMFS_MSG_ERR, "cannot read this host's system UUID: %s", strerror(-ret));
		return ret;
	}
	ret = famfs_clients_open_mount(mpt, rw, t);
	return ret == -EOPNOTSUPP ? 1 : ret;
}

int famfs_client_self(const char *mpt, struct famfs_client_info *ci)
{
	struct famfs_client_info all[FAMFS_CLIENT_SLOTS];
	struct famfs_clients *t;
	uuid_t me;
	int ret = client_table(mpt, false, &t, me), n, k;

	if (ret)
		return ret == 1 ? -EOPNOTSUPP : ret;
	n = famfs_clients_list(t, all);
	famfs_clients_close(t);
	for (k = 0; k < n; k++) {
		if (all[k].valid && !uuid_compare(all[k].uuid, me)) {
			*ci = all[k];
			return 0;
		}
	}
	return -ENOENT;
}

int famfs_client_join(const char *mpt)
{
	struct famfs_client_info ci;
	struct famfs_clients *t;
	uuid_t me;
	int ret = famfs_client_self(mpt, &ci);

	if (ret != -ENOENT)
		return ret == -EOPNOTSUPP ? 0 : ret;
	ret = client_table(mpt, true, &t, me);
	if (ret)
		return ret == 1 ? 0 : ret;
	ret = famfs_clients_update(t, me, 0);
	famfs_clients_close(t);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);	/* the slot before the log is read */
	return ret;
}

int famfs_client_applied(const char *mpt, uint64_t applied)
{
	struct famfs_clients *t;
	uuid_t me;
	int ret = client_table(mpt, true, &t, me);

	if (ret)
		return ret == 1 ? 0 : ret;
	ret = famfs_clients_update(t, me, applied);
	famfs_clients_close(t);
	return ret;
}

int famfs_client_leave(const char *mpt)
{
	struct famfs_clients *t;
	uuid_t me;
	int ret = client_table(mpt, true, &t, me);

	if (ret)
		return ret == 1 ? 0 : ret;
	ret = famfs_clients_remove(t, me);
	famfs_clients_close(t);
	return ret == -ENOENT ? 0 : ret;
}

int famfs_client_unmounting(const char *mpt, bool leaving)
{
	static struct famfs_client_info saved;
	static bool have;

	if (leaving) {
		have = famfs_client_self(mpt, &saved) == 0;
		return famfs_client_leave(mpt);
	}
	return have ? famfs_client_applied(mpt, saved.applied) : 0;
}

/* next_index of the mount's log, read from memory (cache lines invalidated first). */
static int follow_next(const char *mpt, uint64_t *next)
{
	struct famfs_media *m;
	int ret = famfs_media_open_mount(mpt, FAMFS_OPEN_RDONLY, &m);

	if (ret)
		return ret;
	*next = famfs_log_next_index_fresh(m);
	famfs_media_close(m);
	return 0;
}

int famfs_follow(const char *mpt, unsigned interval_ms, unsigned rounds, volatile int *stop)
{
	struct famfs_replay_opts o = { .verbose = true };
	struct famfs_replay_result r;
	struct famfs_client_info ci;
	uint64_t next, applied = 0;
	unsigned n;
	int ret;

	ret = famfs_load_maps(mpt, NULL, &o, &r);
	if (ret)
		return ret;
	applied = r.applied;
	famfs_msg(FAMFS_MSG_INFO, "follow %s: applied %" PRIu64 " log entries; polling every %u ms",
		  mpt, applied, interval_ms);
	for (n = 0; !*stop && (!rounds || n < rounds); n++) {
		usleep(interval_ms * 1000U);
		ret = follow_next(mpt, &next);
		if (ret)
			return ret;
		if (next == applied) {
			ret = famfs_client_self(mpt, &ci);
			if (ret == 0)
				famfs_client_applied(mpt, applied);	/* heartbeat */
			if (ret != -ENOENT)
				continue;	/* nothing new (no table before OMF 1.3) */
			famfs_msg(FAMFS_MSG_INFO, "follow %s: this host's slot is gone (evicted?): "
				  "joining again", mpt);
		}
		ret = famfs_load_maps(mpt, NULL, &o, &r);
		if (ret) {
			famfs_msg(FAMFS_MSG_ERR, "follow %s: load-maps failed at entry %" PRIu64
				  "; retrying", mpt, r.applied);
			continue;
		}
		famfs_msg(FAMFS_MSG_INFO, "follow %s: applied entries %" PRIu64 "..%" PRIu64
			  ": %" PRIu64 " files and %" PRIu64 " directories added, %" PRIu64
			  " deleted", mpt, applied, r.applied, r.files_added, r.dirs_added,
			  r.files_deleted);
		applied = r.applied;
	}
	return 0;
}
