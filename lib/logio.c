// SPDX-License-Identifier: Apache-2.0
/* logio.c - reading the log: counters, one checked entry, and in-order iteration. */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "famfs_priv.h"

/* famfs_log_next_index() - entries [0, result) are valid (lh_next_index as loaded/live). */
uint64_t famfs_log_next_index(const struct famfs_media *m)
{
	return le64toh(__atomic_load_n(&famfs_lh(m)->lh_next_index, __ATOMIC_ACQUIRE));
}

/* famfs_log_nslots() - number of entry slots in the log. */
uint64_t famfs_log_nslots(const struct famfs_media *m)
{
	return le64toh(famfs_lh(m)->lh_nslots);
}

/* Copy slot @index to @e; true if its seqnum and CRC are right. */
static bool famfs_entry_copy(const struct famfs_media *m, uint64_t index,
			     struct famfs_log_entry *e)
{
	memcpy(e, famfs_slot(m, index), sizeof(*e));
	return le64toh(e->le_seqnum) == index && le32toh(e->le_crc) == famfs_log_entry_crc(e);
}

/* famfs_log_get() - copy out and check entry @index; one cache-invalidating retry. */
int famfs_log_get(struct famfs_media *m, uint64_t index, struct famfs_log_entry *e)
{
	uint64_t next = famfs_log_next_index(m);

	if (index >= next || index >= famfs_log_nslots(m)) {
		famfs_err("log entry %" PRIu64 ": out of range (next index %" PRIu64 ")",
			  index, next);
		return -ERANGE;
	}
	if (famfs_entry_copy(m, index, e))
		return 0;
	if (m->ops->refresh(m, famfs_slot(m, index), FAMFS_LOG_ENTRY_SIZE) == 0 &&
	    famfs_entry_copy(m, index, e))
		return 0;
	famfs_err("log entry %" PRIu64 ": bad le_seqnum %" PRIu64 " or le_crc 0x%08x (computed "
		  "0x%08x)", index, (uint64_t)le64toh(e->le_seqnum), le32toh(e->le_crc),
		  famfs_log_entry_crc(e));
	return -EBADMSG;
}

/* famfs_log_for_each() - visit entries [@from, next_index) in order; stops at an error. */
int famfs_log_for_each(struct famfs_media *m, uint64_t from, famfs_log_visit_fn fn, void *arg)
{
	uint64_t next = famfs_log_next_index(m), i;
	struct famfs_log_entry e;
	int rc;

	for (i = from; i < next; i++) {
		rc = famfs_log_get(m, i, &e);
		if (rc == 0)
			rc = fn(i, &e, arg);
		if (rc)
			return rc;
	}
	return 0;
}
