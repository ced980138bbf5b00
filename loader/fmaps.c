// SPDX-License-Identifier: Apache-2.0
/* fmaps.c - the pinned fmap map: open it, convert logged fmaps into its values, fill it. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>

#include "loader.h"

/* The record at FAMFS_KEY_LAYOUT that says which layout a pinned fmap map holds. */
static void famfs_fmaps_layout(struct famfs_fmap *rec)
{
	memset(rec, 0, sizeof(*rec));
	rec->nextents = FAMFS_FMAP_LAYOUT_VERSION;
	rec->size = sizeof(struct famfs_fmap);
}

static int famfs_fmaps_stale(const char *what)
{
	famfs_msg(FAMFS_MSG_ERR, "the pinned fmap map %s was made by another famfs-bpf build (%s, this "
		  "build uses layout %u: key 8 bytes, value %zu bytes): unmount every famfs_bpf "
		  "mount, detach every policy (famfsctl policy detach NAME) and remove %s, then "
		  "mount again", FAMFS_FMAPS_PIN, what, FAMFS_FMAP_LAYOUT_VERSION,
		  sizeof(struct famfs_fmap), FAMFS_PIN_DIR);
	return -EPROTO;
}

/* 0 if @fd is an fmap map of this build's layout; -EPROTO (message says the fix). */
static int famfs_fmaps_check_fd(int fd, bool empty_ok)
{
	struct bpf_map_info info = { 0 };
	__u32 len = sizeof(info);
	struct famfs_fmap rec, want;
	__u64 key = FAMFS_KEY_LAYOUT, next;
	char what[96];

	if (bpf_map_get_info_by_fd(fd, &info, &len))
		return -errno;
	if (info.type != BPF_MAP_TYPE_HASH || info.key_size != sizeof(__u64) ||
	    info.value_size != sizeof(struct famfs_fmap)) {
		snprintf(what, sizeof(what), "type %u, key %u bytes, value %u bytes", info.type,
			 info.key_size, info.value_size);
		return famfs_fmaps_stale(what);
	}
	famfs_fmaps_layout(&want);
	if (!bpf_map_lookup_elem(fd, &key, &rec))
		return memcmp(&rec, &want, sizeof(rec)) ?
		       famfs_fmaps_stale("its layout record differs") : 0;
	if (empty_ok && bpf_map_get_next_key(fd, NULL, &next))
		return 0;	/* new and empty: famfs_fmaps_stamp() marks it */
	return famfs_fmaps_stale("no layout record");
}

int famfs_fmaps_check_pinned(void)
{
	int fd = bpf_obj_get(FAMFS_FMAPS_PIN), ret;

	if (fd < 0)
		return errno == ENOENT ? 0 : -errno;	/* none yet: the policy load makes it */
	ret = famfs_fmaps_check_fd(fd, true);
	close(fd);
	return ret;
}

int famfs_fmaps_stamp(void)
{
	struct famfs_fmap rec;
	__u64 key = FAMFS_KEY_LAYOUT;
	int fd = bpf_obj_get(FAMFS_FMAPS_PIN), ret = 0;

	if (fd < 0)
		return -errno;
	famfs_fmaps_layout(&rec);
	ret = famfs_fmaps_check_fd(fd, true);
	if (!ret && bpf_map_update_elem(fd, &key, &rec, BPF_NOEXIST) && errno != EEXIST)
		ret = -errno;
	close(fd);
	return ret;
}

int famfs_fmaps_open(void)
{
	int fd = bpf_obj_get(FAMFS_FMAPS_PIN), ret;

	if (fd < 0) {
		fd = -errno;
		famfs_msg(FAMFS_MSG_ERR, "cannot open the fmap map %s: %s (no policy ever attached?)",
			  FAMFS_FMAPS_PIN, strerror(-fd));
		return fd;
	}
	ret = famfs_fmaps_check_fd(fd, false);
	if (ret) {
		close(fd);
		return ret;
	}
	return fd;
}

int famfs_mount_tag(const char *mpt, uint32_t *tag)
{
	struct famfs_ioc_stats st;
	int ret = famfs_mount_stats(mpt, &st);

	if (!ret)
		*tag = st.mount_id;
	return ret;
}

int famfs_fmap_from_omf(const struct famfs_fmap_omf *omf, uint64_t size, uint32_t flags,
			struct famfs_fmap *out)
{
	uint32_t n = le32toh(omf->fm_nextents);

	uint32_t kind = le32toh(omf->fm_kind);

	memset(out, 0, sizeof(*out));
	if ((kind != FAMFS_FMAP_SIMPLE && kind != FAMFS_FMAP_INTERLEAVE) || n == 0 ||
	    n > FAMFS_MAX_EXTENTS)
		return -EINVAL;
	out->kind = kind;	/* one set of kind numbers (famfs_limits.h) */
	out->nextents = n;
	out->size = size;
	out->flags = flags;
	out->chunk_size = le64toh(omf->fm_chunk_size);
	for (uint32_t i = 0; i < n; i++) {
		out->ext[i].devindex = le32toh(omf->fm_ext[i].ext_devindex);
		out->ext[i].offset = le64toh(omf->fm_ext[i].ext_offset);
		out->ext[i].len = le64toh(omf->fm_ext[i].ext_len);
	}
	return 0;
}

int famfs_fmap_put(int mapfd, uint64_t key, const struct famfs_fmap *fm, bool *added)
{
	struct famfs_fmap cur;

	if (added)
		*added = false;
	if (!bpf_map_lookup_elem(mapfd, &key, &cur) && !memcmp(&cur, fm, sizeof(cur)))
		return famfs_chunkmap_put(key, fm);
	if (bpf_map_update_elem(mapfd, &key, fm, BPF_ANY)) {
		int ret = -errno;

		famfs_msg(FAMFS_MSG_ERR, "fmap map update (key %#llx): %s",
			  (unsigned long long)key, strerror(-ret));
		return ret;
	}
	if (added)
		*added = true;
	return famfs_chunkmap_put(key, fm);
}
