// SPDX-License-Identifier: GPL-2.0
/*
 * famfs_simple - the first fmap policy: simple extents.
 *
 * Looks the file's fmap up in the pinned famfs_fmaps hash map by the key the module hands
 * over, and walks its extents in order (famfs_resolve(), shared with the host tests) to
 * find the device range behind the file offset. Counts answers per CPU in simple_stats.
 *
 * Limits: FAMFS_FMAP_MAX_EXTENTS extents per file; interleaved fmaps are refused (-EINVAL).
 * The module checks every answer; this program only has to be right, not safe.
 */
#include "vmlinux.h"
#include "famfs_policy.bpf.h"

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct famfs_policy_stats);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} simple_stats SEC(".maps");

SEC("struct_ops/translate")
int BPF_PROG(famfs_simple_translate, struct famfs_xlate *x)
{
	struct famfs_resolved r;
	struct famfs_fmap *fm;
	__u64 key = x->key;
	__u32 zero = 0;
	int ret;

	fm = bpf_map_lookup_elem(&famfs_fmaps, &key);
	if (!fm) {
		ret = -FAMFS_ENOENT;
	} else {
		ret = famfs_resolve_simple(fm, x->offset, &r);
		if (!ret) {
			x->devindex = r.devindex;
			x->dev_offset = r.dev_offset;
			x->dev_length = r.len;
		}
	}
	famfs_count(bpf_map_lookup_elem(&simple_stats, &zero), ret, x);
	return ret;
}

SEC(".struct_ops.link")
struct famfs_fmap_ops famfs_simple = {
	.translate	= (void *)famfs_simple_translate,
	.name		= "famfs_simple",
};
