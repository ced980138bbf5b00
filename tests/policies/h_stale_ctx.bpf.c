// SPDX-License-Identifier: GPL-2.0
/*
 * h_stale_ctx - a policy built for another struct famfs_xlate layout (it declares the next
 * version and 8 more bytes): the module must refuse it at attach with a message naming
 * both layouts. tests/vm/hostile.sh.
 */
#include "vmlinux.h"
#include "famfs_policy.bpf.h"

char LICENSE[] SEC("license") = "GPL";

SEC("struct_ops/translate")
int BPF_PROG(h_stale_ctx_translate, struct famfs_xlate *x)
{
	return -2;
}

SEC(".struct_ops.link")
struct famfs_fmap_ops h_stale_ctx = {
	.translate = (void *)h_stale_ctx_translate,
	.ctx_version = FAMFS_XLATE_VERSION + 1,
	.ctx_size = sizeof(struct famfs_xlate) + 8,
	.kinds = FAMFS_FMAP_KIND_BIT(FAMFS_FMAP_SIMPLE),
	.name = "h_stale_ctx",
};
