// SPDX-License-Identifier: GPL-2.0
/*
 * famfs_chunkmap - experimental fmap policy: O(1) translation from a per-file array of 2 MiB
 * units (format in famfs_chunkmap.h) instead of walking extents or striping math.
 *
 * Why try it: a fault costs one hash lookup and one array lookup whatever the file's layout
 * (simple or interleaved; the format has no extent limit), and a layout can be changed one
 * 2 MiB unit at a time (hot-chunk placement experiments) by rewriting 4 bytes. The loader
 * derives the units from famfs_fmaps when this policy is loaded and on every new file.
 *
 * Limits: 2 MiB granularity (every answer ends at a unit boundary); 256 devices; 32 TiB per
 * device; FAMFS_CHUNKMAP_MAX_UNITS units in all; units are never reused.
 */
#include "vmlinux.h"
#include "famfs_policy.bpf.h"
#include "famfs_chunkmap.h"

char LICENSE[] SEC("license") = "GPL";

FAMFS_POLICY_STATS(chunkmap_stats);

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, FAMFS_FMAP_MAX_ENTRIES);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, __u64);
	__type(value, struct famfs_chunkmap);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} chunk_files SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, FAMFS_CHUNKMAP_MAX_UNITS);
	__type(key, __u32);
	__type(value, __u32);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} chunk_units SEC(".maps");

SEC("struct_ops/translate")
int BPF_PROG(famfs_chunkmap_translate, struct famfs_xlate *x)
{
	struct famfs_chunkmap *cm;
	struct famfs_resolved r;
	__u64 key = x->key;
	__u32 zero = 0, idx, *unit;
	int ret;

	cm = bpf_map_lookup_elem(&chunk_files, &key);
	if (!cm) {
		ret = -FAMFS_ENOENT;
		goto out;
	}
	idx = cm->base + (__u32)(x->offset >> FAMFS_CHUNK_SHIFT);
	unit = bpf_map_lookup_elem(&chunk_units, &idx);
	ret = famfs_resolve_chunk(cm, unit ? *unit : 0, x->offset, &r);
	if (!ret)
		famfs_answer(x, &r);
out:
	famfs_count(bpf_map_lookup_elem(&chunkmap_stats, &zero), ret, x);
	return ret;
}

SEC(".struct_ops.link")
struct famfs_fmap_ops famfs_chunkmap = {
	.translate	= (void *)famfs_chunkmap_translate,
	FAMFS_OPS_CTX_INIT,
	.kinds		= FAMFS_FMAP_KIND_BIT(FAMFS_FMAP_SIMPLE) |
			  FAMFS_FMAP_KIND_BIT(FAMFS_FMAP_INTERLEAVE),
	.name		= FAMFS_POLICY_CHUNKMAP,
};
