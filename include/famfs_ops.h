/* SPDX-License-Identifier: Apache-2.0 */
/*
 * famfs_ops.h - the struct_ops contract between famfs_bpf.ko and the fmap policies.
 * Included by kmod/ (kernel types) and bpf/ (after vmlinux.h). The module registers
 * struct famfs_fmap_ops with register_bpf_struct_ops(); a policy is a BPF program set in
 * SEC(".struct_ops.link") that fills it.
 */
#ifndef FAMFS_OPS_H
#define FAMFS_OPS_H

#include "famfs_limits.h"


/*
 * One translation request. The module fills the "in" fields; the policy writes only the
 * "out" fields (the verifier rejects writes anywhere else).
 */
struct famfs_xlate {
	/* in */
	__u64	key;		/* fmap key bound to the file (FAMFS_IOC_BIND) */
	__u64	offset;		/* file offset in bytes (iomap pos); < file size */
	__u64	length;		/* bytes the caller wants mapped from offset */
	__u32	write;		/* 1 for a write or write fault, else 0 */
	__u32	ndevs;		/* devices of this mount: valid devindex < ndevs */
	/* out */
	__u32	devindex;	/* device holding offset */
	__u32	out_reserved;
	__u64	dev_offset;	/* device byte offset of offset; must be congruent with offset
				 * modulo PAGE_SIZE */
	__u64	dev_length;	/* bytes contiguous on the device from dev_offset, > 0; an
				 * answer past the device end is refused, then the module
				 * clamps it to length */
};

/*
 * struct famfs_fmap_ops - an fmap policy.
 * @translate: resolve x->key/x->offset into x->devindex/x->dev_offset/x->dev_length.
 *	Called from iomap_begin in fault and read/write context with RCU read lock held
 *	(must not sleep). Return 0 with the out fields set, or a negative errno (-ENOENT no
 *	fmap, -ERANGE offset not mapped, -EINVAL corrupt fmap); any error, and any answer
 *	that fails the module's checks, becomes -EIO (read/write) or SIGBUS (fault).
 * @name: policy name, NUL terminated, shown by FAMFS_IOC_STATS and famfsctl policy show.
 */
struct famfs_fmap_ops {
	int (*translate)(struct famfs_xlate *x);
	char name[FAMFS_POLICY_NAME_LEN];
};

#endif /* FAMFS_OPS_H */
