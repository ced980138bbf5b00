// SPDX-License-Identifier: GPL-2.0
/*
 * const_answer - the cheapest honest policy: no map lookup, no extent walk. It answers
 * device 0 at const_base + offset for every file, so it is right only for a file whose one
 * extent starts at const_base on device 0 (make bench sets it from getmap before loading:
 * policy_load const_answer const_answer BASE). The fault benchmark subtracts its cost from
 * each shipped policy's to get what the policy itself costs per translation (issue 9:
 * at most 250 guest instructions over this one).
 */
#include "vmlinux.h"
#include "famfs_policy.bpf.h"

char LICENSE[] SEC("license") = "GPL";

/* device byte offset of file offset 0 (2 MiB aligned for PMD answers); set before load */
const volatile __u64 const_base = 0;

SEC("struct_ops/translate")
int BPF_PROG(const_answer_translate, struct famfs_xlate *x)
{
	x->devindex = 0;
	x->dev_offset = const_base + x->offset;
	x->dev_length = x->length;
	return 0;
}

SEC(".struct_ops.link")
struct famfs_fmap_ops const_answer = {
	.translate	= (void *)const_answer_translate,
	FAMFS_OPS_CTX_INIT,
	.kinds		= FAMFS_FMAP_KIND_BIT(FAMFS_FMAP_SIMPLE),
	.name		= "const_answer",
};
