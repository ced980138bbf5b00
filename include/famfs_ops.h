/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR Apache-2.0 */
/*
 * famfs_ops.h - the struct_ops contract between famfs_bpf.ko and the fmap policies.
 * Included by kmod/ (kernel types), bpf/ (after vmlinux.h) and the loader. The module
 * registers struct famfs_fmap_ops with register_bpf_struct_ops(); a policy is a BPF program
 * set in SEC(".struct_ops.link") that fills it.
 *
 * Versioning: a policy states the context layout it was built for (FAMFS_OPS_CTX_INIT:
 * ctx_version and ctx_size); the module refuses at attach any other (-EPROTO, and a kernel
 * message naming both layouts). Inside one version, policies read struct famfs_xlate
 * through CO-RE (preserve_access_index when compiled for BPF): libbpf relocates every field
 * access against the module's BTF at load, so a field moved by a module rebuild is still
 * found, and a field removed fails the load instead of reading the wrong bytes.
 */
#ifndef FAMFS_OPS_H
#define FAMFS_OPS_H

#include "famfs_limits.h"

/* Bump on any change of struct famfs_xlate's meaning or fields. */
#define FAMFS_XLATE_VERSION	2

#if defined(__bpf__)
#define FAMFS_CORE		__attribute__((preserve_access_index))
#else
#define FAMFS_CORE
#endif

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
	__u64	dev_length;	/* bytes contiguous on the device from dev_offset, > 0; the
				 * answer must lie inside one of the file's grants (the module
				 * clamps it to that grant's end and to length) */
} FAMFS_CORE;

/*
 * struct famfs_fmap_ops - an fmap policy.
 * @translate: resolve x->key/x->offset into x->devindex/x->dev_offset/x->dev_length.
 *	Called from iomap_begin in fault and read/write context with RCU read lock held
 *	(must not sleep). Return 0 with the out fields set, or a negative errno (-ENOENT no
 *	fmap, -ERANGE offset not mapped, -EINVAL corrupt fmap); any error, and any answer
 *	that fails the module's checks (device, page congruence, the file's grants), becomes
 *	-EIO (read/write) or SIGBUS (fault), counted and logged.
 * @ctx_version: FAMFS_XLATE_VERSION the policy was built for (FAMFS_OPS_CTX_INIT).
 * @ctx_size: sizeof(struct famfs_xlate) the policy was built for, bytes.
 * @kinds: fmap kinds the policy resolves, a mask of FAMFS_FMAP_KIND_BIT(FAMFS_FMAP_*);
 *	non-zero. The module refuses to make a mount use a policy that lacks a kind one of the
 *	mount's files was bound with, and never asks a policy about a kind it lacks.
 * @reserved: 0.
 * @name: policy name, NUL terminated, unique among attached policies; shown by
 *	FAMFS_IOC_STATS and famfsctl policy show.
 */
struct famfs_fmap_ops {
	int (*translate)(struct famfs_xlate *x);
	__u32	ctx_version;
	__u32	ctx_size;
	__u32	kinds;
	__u32	reserved;
	char	name[FAMFS_POLICY_NAME_LEN];
};

/* The layout fields every policy sets: .translate = ..., FAMFS_OPS_CTX_INIT, .kinds = ... */
#define FAMFS_OPS_CTX_INIT \
	.ctx_version = FAMFS_XLATE_VERSION, .ctx_size = sizeof(struct famfs_xlate)

#endif /* FAMFS_OPS_H */
