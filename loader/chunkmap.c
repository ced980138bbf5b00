// SPDX-License-Identifier: Apache-2.0
/*
 * chunkmap.c - loader support for the experimental famfs_chunkmap policy: derive its
 * per-file 2 MiB unit arrays (famfs_chunkmap.h) from famfs_fmaps. The conversion resolves
 * every unit with the same famfs_resolve() the other policies run in BPF, so all policies
 * agree on every byte by construction.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "loader.h"
#include "famfs_chunkmap.h"
#include "famfs_chunkmap.skel.h"


static int chunkmap_store(int files, int units, uint64_t key, const struct famfs_fmap *fm)
{
	struct famfs_chunkmap cm, cursor = { 0 };
	uint64_t cursor_key = FAMFS_CHUNKMAP_CURSOR;

	if (!bpf_map_lookup_elem(files, &key, &cm) && cm.size == fm->size)
		return 0;	/* already there; units are never rewritten */
	bpf_map_lookup_elem(files, &cursor_key, &cursor);
	cm.size = fm->size;
	cm.nunits = (fm->size + FAMFS_CHUNK_SIZE - 1) >> FAMFS_CHUNK_SHIFT;
	cm.base = cursor.base ? cursor.base : 1;	/* unit 0 stays unused */
	if ((uint64_t)cm.base + cm.nunits > FAMFS_CHUNKMAP_MAX_UNITS) {
		famfs_msg(FAMFS_MSG_ERR, "famfs_chunkmap: out of units (%u of %u used)", cm.base,
			  FAMFS_CHUNKMAP_MAX_UNITS);
		return -ENOSPC;
	}
	for (uint32_t u = 0; u < cm.nunits; u++) {
		struct famfs_resolved r;
		uint32_t idx = cm.base + u, unit;
		int ret = famfs_resolve(fm, (uint64_t)u << FAMFS_CHUNK_SHIFT, &r);

		unit = ret ? 0 : famfs_chunk_unit(r.devindex, r.dev_offset);
		if (!unit || r.len < FAMFS_CHUNK_SIZE) {
			famfs_msg(FAMFS_MSG_ERR, "famfs_chunkmap: key %#llx unit %u: not a whole 2 MiB-aligned unit (%s)",
				  (unsigned long long)key, u, fm->size < FAMFS_CHUNK_SIZE ?
				  "a small file packed at 4 KiB granularity: famfs_chunkmap serves whole units only, use famfs_simple or famfs_interleave" :
				  "famfs_chunkmap serves whole units only");
			return -EINVAL;
		}
		if (bpf_map_update_elem(units, &idx, &unit, BPF_ANY))
			return -errno;
	}
	cursor.base = cm.base + cm.nunits;
	if (bpf_map_update_elem(files, &key, &cm, BPF_ANY) ||
	    bpf_map_update_elem(files, &cursor_key, &cursor, BPF_ANY))
		return -errno;
	return 0;
}

/* The pin paths of famfs_chunkmap's maps, from its own object (named once, in the .bpf.c). */
static int chunkmap_pins(char *files, char *units, size_t len)
{
	LIBBPF_OPTS(bpf_object_open_opts, opts, .pin_root_path = FAMFS_PIN_DIR);
	struct famfs_chunkmap_bpf *skel = famfs_chunkmap_bpf__open_opts(&opts);

	if (!skel)
		return -errno;
	snprintf(files, len, "%s", bpf_map__pin_path(skel->maps.chunk_files));
	snprintf(units, len, "%s", bpf_map__pin_path(skel->maps.chunk_units));
	famfs_chunkmap_bpf__destroy(skel);
	return 0;
}

static int chunkmap_open(int *files, int *units)
{
	static char files_pin[256], units_pin[256];
	int ret = files_pin[0] ? 0 : chunkmap_pins(files_pin, units_pin, sizeof(files_pin));

	if (ret)
		return ret;
	*files = bpf_obj_get(files_pin);
	if (*files < 0)
		return errno == ENOENT ? 1 : -errno;	/* 1: famfs_chunkmap never loaded */
	*units = bpf_obj_get(units_pin);
	if (*units < 0) {
		close(*files);
		return -errno;
	}
	return 0;
}

int famfs_chunkmap_put(uint64_t key, const struct famfs_fmap *fm)
{
	int files, units, ret = chunkmap_open(&files, &units);

	if (ret)
		return ret > 0 ? 0 : ret;
	ret = chunkmap_store(files, units, key, fm);
	close(files);
	close(units);
	return ret;
}

int famfs_chunkmap_sync_all(void)
{
	int files, units, fmaps, ret = chunkmap_open(&files, &units);
	uint64_t key, next;
	struct famfs_fmap fm;
	void *prev = NULL;

	if (ret)
		return ret > 0 ? -ENOENT : ret;
	fmaps = bpf_obj_get(FAMFS_FMAPS_PIN);
	if (fmaps < 0) {
		ret = errno == ENOENT ? 0 : -errno;	/* no fmaps yet: nothing to derive */
		goto out;
	}
	while (!ret && !bpf_map_get_next_key(fmaps, prev, &next)) {
		key = next;
		prev = &key;
		if (key != FAMFS_KEY_LAYOUT && !bpf_map_lookup_elem(fmaps, &key, &fm))
			ret = chunkmap_store(files, units, key, &fm);	/* key 0: the layout record */
	}
	close(fmaps);
out:
	close(files);
	close(units);
	if (ret)
		famfs_msg(FAMFS_MSG_ERR, "famfs_chunkmap: cannot derive the unit maps: %s",
			  strerror(-ret));
	return ret;
}
