// SPDX-License-Identifier: GPL-2.0
/*
 * h_store_in - a policy that writes an in-field (x->key): the verifier must refuse to load
 * it ("not an out field"), so it can never be attached. tests/vm/hostile.sh.
 */
#include "vmlinux.h"
#include "famfs_policy.bpf.h"

char LICENSE[] SEC("license") = "GPL";

SEC("struct_ops/translate")
int BPF_PROG(h_store_in_translate, struct famfs_xlate *x)
{
	x->key = 0;
	return -1;
}

SEC(".struct_ops.link")
struct famfs_fmap_ops h_store_in = {
	.translate = (void *)h_store_in_translate,
	FAMFS_OPS_CTX_INIT,
	.kinds = FAMFS_FMAP_KIND_BIT(FAMFS_FMAP_SIMPLE),
	.name = "h_store_in",
};
