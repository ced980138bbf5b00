// SPDX-License-Identifier: Apache-2.0
/*
 * session.c - the append session: the log lock (flock LOCK_EX on the media's file) held
 * across many appends, and the allocator and path set replayed once when it is taken, then
 * kept in step entry by entry (famfs_replay_add()). Before each append the state is
 * revalidated against the log itself, cheaply: the header is re-read and compared with the
 * one the state was built from (next_index included), and so is the last slot. Nobody else
 * appends while we hold the lock, but the log is untrusted input: if anything moved, the
 * whole log is replayed again. Any failure after the allocator was touched drops the state
 * (the next append replays).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>

#include "famfs_priv.h"

/* Re-read and check the header. */
static int session_header(struct famfs_media *m)
{
	char why[FAMFS_WHY_LEN];
	int rc = m->ops->refresh(m, famfs_lh(m), sizeof(struct famfs_log_header));

	if (rc == 0 && famfs_log_header_check(famfs_lh(m), m->sb, why, sizeof(why)) != 0) {
		famfs_err("log header: %s", why);
		rc = -EUCLEAN;
	}
	return rc;
}

/* Is the log still what s->r was built from? Header (just re-read) and last slot. */
static bool session_current(struct famfs_append_session *s, uint64_t next)
{
	struct famfs_media *m = s->m;

	if (!s->valid || memcmp(famfs_lh(m), &s->lh, sizeof(s->lh)) != 0)
		return false;
	if (next == 0)
		return true;
	if (m->ops->refresh(m, famfs_slot(m, next - 1), FAMFS_LOG_ENTRY_SIZE) != 0)
		return false;
	return memcmp(famfs_slot(m, next - 1), &s->last, sizeof(s->last)) == 0;
}

/* Replay entries [0, @next) into s->r and remember what it was built from. */
static int session_replay(struct famfs_append_session *s, uint64_t next)
{
	struct famfs_media *m = s->m;
	int rc;

	if (s->valid)
		famfs_replay_free(&s->r);
	s->valid = false;
	if (next > famfs_log_nslots(m))
		next = famfs_log_nslots(m);	/* the header check bounds it; be sure */
	rc = m->ops->refresh(m, famfs_slot(m, 0), next * FAMFS_LOG_ENTRY_SIZE);
	if (rc == 0)
		rc = famfs_replay(m, &s->r);
	if (rc)
		return rc;
	s->replays++;
	memcpy(&s->lh, famfs_lh(m), sizeof(s->lh));
	if (next)
		memcpy(&s->last, famfs_slot(m, next - 1), sizeof(s->last));
	s->valid = true;
	return 0;
}

int famfs_session_sync(struct famfs_append_session *s)
{
	int rc = session_header(s->m);
	uint64_t next;

	if (rc)
		return rc;
	next = famfs_log_next_index(s->m);
	if (session_current(s, next))
		return 0;
	if (s->valid)
		famfs_dbg("append session: the log changed under the lock: replaying it again");
	return session_replay(s, next);
}

/* The allocator as a replay of the log leaves it: the small-file hints at their start
 * (alloc.c sets them only when it allocates), so a session writes what single appends would. */
static void session_like_replay(struct famfs_alloc *a)
{
	for (uint32_t d = 0; d < a->ndevs; d++)
		a->small[d].hint = 0;
}

void famfs_session_added(struct famfs_append_session *s, const struct famfs_log_entry *e)
{
	session_like_replay(&s->r.alloc);
	if (famfs_replay_add(&s->r, e) != 0) {
		famfs_replay_free(&s->r);
		s->valid = false;	/* out of memory: the next append replays */
		return;
	}
	memcpy(&s->lh, famfs_lh(s->m), sizeof(s->lh));
	memcpy(&s->last, e, sizeof(s->last));
}

/* famfs_append_begin() - take the log lock and replay the log once. */
int famfs_append_begin(struct famfs_media *m, struct famfs_append_session **out)
{
	struct famfs_append_session *s;
	int rc = famfs_append_precheck(m, NULL);

	if (rc)
		return rc;
	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->m = m;
	if (flock(m->fd, LOCK_EX) != 0) {
		rc = -errno;
		famfs_err("cannot lock the log: %s", strerror(-rc));
		free(s);
		return rc;
	}
	rc = famfs_session_sync(s);
	if (rc) {
		famfs_append_end(s);
		return rc;
	}
	*out = s;
	return 0;
}

/* famfs_append_end() - drop the kept state and release the log lock; NULL is a no-op. */
void famfs_append_end(struct famfs_append_session *s)
{
	if (!s)
		return;
	if (s->valid)
		famfs_replay_free(&s->r);
	flock(s->m->fd, LOCK_UN);
	free(s);
}

/* famfs_append_replays() - full replays of the log this session has done. */
uint64_t famfs_append_replays(const struct famfs_append_session *s)
{
	return s->replays;
}
