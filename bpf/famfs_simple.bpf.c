// SPDX-License-Identifier: GPL-2.0
/*
 * famfs_simple - the first fmap policy: simple extents.
 *
 * Looks the file's fmap up in the pinned famfs_fmaps hash map by the key the module hands
 * over, and walks its extents in order (famfs_resolve_simple(), shared with the host tests)
 * to find the device range behind the file offset. Counts answers per CPU in simple_stats.
 *
 * Limits: FAMFS_MAX_EXTENTS extents per file; interleaved fmaps are refused (-EINVAL):
 * use famfs_interleave for those. The module checks every answer; this program only has
 * to be right, not safe.
 */
#include "vmlinux.h"
#include "famfs_policy.bpf.h"

char LICENSE[] SEC("license") = "GPL";

FAMFS_POLICY_STATS(simple_stats);

SEC("struct_ops/translate")
int BPF_PROG(famfs_simple_translate, struct famfs_xlate *x)
{
	return famfs_fmap_translate(x, &simple_stats, false);
}

SEC(".struct_ops.link")
struct famfs_fmap_ops famfs_simple = {
	.translate	= (void *)famfs_simple_translate,
	FAMFS_OPS_CTX_INIT,
	.kinds		= FAMFS_FMAP_KIND_BIT(FAMFS_FMAP_SIMPLE),
	.name		= FAMFS_POLICY_SIMPLE,
};
