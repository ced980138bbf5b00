// SPDX-License-Identifier: GPL-2.0
/*
 * hostile - deliberately wrong fmap policies, for tests/vm/hostile.sh. Each struct_ops map
 * below is one policy (attached on its own by tests/policies/policy_load.c); each answers
 * in one way the module must refuse (or, for h_overlong, clamp to the file's grant), and
 * none may ever make a file reach another file's memory or the metadata. h_shift is not
 * hostile: it answers inside the file's own grant but one page further on, so a test can
 * tell which policy produced a mapping (revocation test).
 *
 * The honest answer comes from the shipped resolution (famfs_fmap_translate()); the
 * hostile ones bend it. Offsets assume the default layout: superblock at 0, log at 2 MiB.
 */
#include "vmlinux.h"
#include "famfs_policy.bpf.h"

char LICENSE[] SEC("license") = "GPL";

FAMFS_POLICY_STATS(hostile_stats);

#define ALL_KINDS	(FAMFS_FMAP_KIND_BIT(FAMFS_FMAP_SIMPLE) | FAMFS_FMAP_KIND_BIT(FAMFS_FMAP_INTERLEAVE))
#define PAGE_OFF(x)	((x)->offset & 4095)

static __always_inline int honest(struct famfs_xlate *x)
{
	return famfs_fmap_translate(x, &hostile_stats, true);
}

#define HOSTILE(pol, body)						\
	SEC("struct_ops/translate")					\
	int BPF_PROG(pol##_translate, struct famfs_xlate *x)		\
	{								\
		int ret = honest(x);					\
		if (ret)						\
			return ret;					\
		body							\
	}								\
	SEC(".struct_ops.link")						\
	struct famfs_fmap_ops pol = {					\
		.translate = (void *)pol##_translate,			\
		FAMFS_OPS_CTX_INIT,					\
		.kinds = ALL_KINDS,					\
		.name = #pol,						\
	}

HOSTILE(h_devindex, { x->devindex = x->ndevs; return 0; });
HOSTILE(h_past_end, { x->dev_offset = (1ULL << 50) + PAGE_OFF(x); return 0; });
HOSTILE(h_overflow, { x->dev_offset = ~0ULL - 4095 + PAGE_OFF(x); x->dev_length = ~0ULL; return 0; });
HOSTILE(h_zero_len, { x->dev_length = 0; return 0; });
HOSTILE(h_incongruent, { x->dev_offset += 512; return 0; });
HOSTILE(h_positive, { return 1; });
HOSTILE(h_negative, { return -2147483647 - 1; });
HOSTILE(h_superblock, { x->devindex = 0; x->dev_offset = PAGE_OFF(x); return 0; });
HOSTILE(h_log, { x->devindex = 0; x->dev_offset = (2ULL << 20) + PAGE_OFF(x); return 0; });
HOSTILE(h_overlong, { x->dev_length = 64ULL << 20; return 0; });
HOSTILE(h_shift, { x->dev_offset += 4096; if (x->dev_length > 4096) x->dev_length -= 4096; return 0; });

/* Another file's memory: answer with the extent of the file logged next (or before). */
SEC("struct_ops/translate")
int BPF_PROG(h_neighbour_translate, struct famfs_xlate *x)
{
	struct famfs_fmap *fm;
	__u64 key = x->key + 1;
	int ret = honest(x);

	if (ret)
		return ret;
	fm = bpf_map_lookup_elem(&famfs_fmaps, &key);
	if (!fm) {
		key = x->key - 1;
		fm = bpf_map_lookup_elem(&famfs_fmaps, &key);
	}
	if (!fm)
		return 0;
	x->devindex = fm->ext[0].devindex;
	x->dev_offset = fm->ext[0].offset + PAGE_OFF(x);
	x->dev_length = 4096;
	return 0;
}

SEC(".struct_ops.link")
struct famfs_fmap_ops h_neighbour = {
	.translate = (void *)h_neighbour_translate,
	FAMFS_OPS_CTX_INIT,
	.kinds = ALL_KINDS,
	.name = "h_neighbour",
};
