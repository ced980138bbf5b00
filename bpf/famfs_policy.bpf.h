/* SPDX-License-Identifier: GPL-2.0 */
/*
 * famfs_policy.bpf.h - what every fmap policy shares (BPF side only): the pinned fmap map
 * and the per-policy counter update. Include after vmlinux.h.
 */
#ifndef FAMFS_POLICY_BPF_H
#define FAMFS_POLICY_BPF_H

#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "famfs_ops.h"
#include "famfs_fmap.h"
#include "famfs_resolve.h"

/* The fmaps, shared by every policy: pinned by name under FAMFS_PIN_DIR by the loader. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, FAMFS_FMAP_MAX_ENTRIES);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, __u64);
	__type(value, struct famfs_fmap);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} famfs_fmaps SEC(".maps");

/* Each policy's per-CPU counters: FAMFS_POLICY_STATS(simple_stats); */
#define FAMFS_POLICY_STATS(name)						\
	struct {								\
		__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);			\
		__uint(max_entries, 1);						\
		__type(key, __u32);						\
		__type(value, struct famfs_policy_stats);			\
		__uint(pinning, LIBBPF_PIN_BY_NAME);				\
	} name SEC(".maps")

/* Copy a resolution into the answer. */
static __always_inline void famfs_answer(struct famfs_xlate *x, const struct famfs_resolved *r)
{
	x->devindex = r->devindex;
	x->dev_offset = r->dev_offset;
	x->dev_length = r->len;
}

/* Count one answer in @st (a PERCPU_ARRAY slot; may be NULL). */
static __always_inline void famfs_count(struct famfs_policy_stats *st, int ret,
					const struct famfs_xlate *x)
{
	if (!st)
		return;
	if (ret == -FAMFS_ENOENT) {
		st->no_fmap++;
	} else if (ret) {
		st->unresolved++;
	} else {
		__u32 d = x->devindex;	/* read once: CO-RE loads are not re-proved */

		st->translations++;
		if (d < FAMFS_MAX_DEVS) {
			d &= FAMFS_MAX_DEVS - 1;	/* the verifier's bound (a power of two) */
			st->dev_translations[d]++;
			st->dev_bytes[d] += x->dev_length < x->length ? x->dev_length : x->length;
		}
	}
}

/*
 * famfs_fmap_translate() - the body of a policy that reads famfs_fmaps: look the file's
 * fmap up by key, resolve (simple extents only, or any kind famfs_resolve() knows when
 * @any_kind), answer, count in @stats (the policy's FAMFS_POLICY_STATS map).
 */
static __always_inline int famfs_fmap_translate(struct famfs_xlate *x, void *stats,
						bool any_kind)
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
		ret = any_kind ? famfs_resolve(fm, x->offset, &r) :
				 famfs_resolve_simple(fm, x->offset, &r);
		if (!ret)
			famfs_answer(x, &r);
	}
	famfs_count(bpf_map_lookup_elem(stats, &zero), ret, x);
	return ret;
}

#endif /* FAMFS_POLICY_BPF_H */
