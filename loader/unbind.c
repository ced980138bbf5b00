// SPDX-License-Identifier: Apache-2.0
/*
 * unbind.c - applying a DELETE log entry to a mount: the file the entry names is unbound
 * (FAMFS_IOC_UNBIND: its mappings revoked, its grants dropped, every later access EIO or
 * SIGBUS), its fmap leaves the pinned map, and its name is unlinked. Idempotent: a name
 * that is gone, or bound to another key (a newer file of the same path), means the DELETE
 * was applied before.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <bpf/bpf.h>

#include "loader.h"

int famfs_apply_delete(const char *mpt, int mapfd, uint32_t tag, uint64_t index,
		       const struct famfs_log_entry *e, const struct famfs_replay_opts *o,
		       struct famfs_replay_result *r)
{
	uint64_t fi = le64toh(e->le_delete.de_file_index);
	uint64_t key = famfs_fmap_key(tag, (uint32_t)fi + 1);
	struct famfs_ioc_bind b = { .argsz = sizeof(b) };
	char path[PATH_MAX];
	int fd, ret = 0;

	if (snprintf(path, sizeof(path), "%s/%.*s", mpt, FAMFS_MAX_PATH,
		     e->le_delete.de_path) >= (int)sizeof(path))
		return -ENAMETOOLONG;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return errno == ENOENT ? 0 : -errno;	/* gone: applied before */
	if (ioctl(fd, FAMFS_IOC_GET_BIND, &b) == 0 && b.key != key) {
		close(fd);
		return 0;	/* a newer file of that path: applied before */
	}
	if (o->dry_run) {
		r->files_deleted++;
		close(fd);
		return 0;
	}
	if (b.key == key && ioctl(fd, FAMFS_IOC_UNBIND) != 0 && errno != ENODATA) {
		ret = -errno;
		famfs_msg(FAMFS_MSG_ERR, "log entry %llu: cannot unbind %s: %s",
			  (unsigned long long)index, path, strerror(-ret));
	}
	close(fd);
	if (ret)
		return ret;
	if (mapfd >= 0)
		bpf_map_delete_elem(mapfd, &key);	/* nothing translates it any more */
	if (unlink(path) != 0 && errno != ENOENT) {
		ret = -errno;
		famfs_msg(FAMFS_MSG_ERR, "log entry %llu: unbound %s but cannot unlink it: %s",
			  (unsigned long long)index, path, strerror(-ret));
		return ret;
	}
	r->files_deleted++;
	if (o->verbose)
		famfs_msg(FAMFS_MSG_INFO, "delete %s (log entry %llu: mappings revoked)", path,
			  (unsigned long long)index);
	return 0;
}
