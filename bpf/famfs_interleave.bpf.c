// SPDX-License-Identifier: GPL-2.0
/*
 * famfs_interleave - fmap policy for files striped across devices (and simple ones).
 *
 * Same fmap map as famfs_simple. Interleaved fmaps resolve with famfs's striping math
 * (famfs_resolve_interleave() in famfs_resolve.h: chunk -> stripe, strip, offset in strip),
 * one chunk per answer, so a 2 MiB fault always lands on one device; simple fmaps walk
 * their extents as famfs_simple does. Counts answers, and translations and bytes per
 * device, in interleave_stats.
 *
 * Limits: FAMFS_MAX_EXTENTS strips; chunk size a power of two, >= 2 MiB.
 */
#include "vmlinux.h"
#include "famfs_policy.bpf.h"

char LICENSE[] SEC("license") = "GPL";

FAMFS_POLICY_STATS(interleave_stats);

SEC("struct_ops/translate")
int BPF_PROG(famfs_interleave_translate, struct famfs_xlate *x)
{
	return famfs_fmap_translate(x, &interleave_stats, true);
}

SEC(".struct_ops.link")
struct famfs_fmap_ops famfs_interleave = {
	.translate	= (void *)famfs_interleave_translate,
	FAMFS_OPS_CTX_INIT,
	.kinds		= FAMFS_FMAP_KIND_BIT(FAMFS_FMAP_SIMPLE) |
			  FAMFS_FMAP_KIND_BIT(FAMFS_FMAP_INTERLEAVE),
	.name		= FAMFS_POLICY_INTERLEAVE,
};
