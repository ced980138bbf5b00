// SPDX-License-Identifier: Apache-2.0
/* fmaps.c - the pinned fmap map: open it, convert logged fmaps into its values, fill it. */
#include <errno.h>
#include <string.h>

#include <bpf/bpf.h>

#include "loader.h"

int famfs_fmaps_open(void)
{
	int fd = bpf_obj_get(FAMFS_FMAPS_PIN);

	if (fd < 0) {
		fd = -errno;
		famfs_msg(FAMFS_MSG_ERR, "cannot open the fmap map %s: %s (no policy ever attached?)",
			  FAMFS_FMAPS_PIN, strerror(-fd));
	}
	return fd;
}

uint32_t famfs_fs_tag(const struct famfs_superblock *sb)
{
	uint32_t tag;

	memcpy(&tag, sb->sb_fs_uuid, sizeof(tag));
	return le32toh(tag);
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
	/* on-media and map kinds share their numbers */
	out->kind = kind == FAMFS_FMAP_SIMPLE ? FAMFS_FMAP_SIMPLE : FAMFS_FMAP_INTERLEAVE;
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
