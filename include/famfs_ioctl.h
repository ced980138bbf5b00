/* SPDX-License-Identifier: Apache-2.0 */
/*
 * famfs_ioctl.h - famfs_bpf.ko user API: ioctls on files and directories of a famfs mount.
 * Shared by kmod/ and cli/ (and the loader). Fixed-width fields only, no pointers.
 */
#ifndef FAMFS_IOCTL_H
#define FAMFS_IOCTL_H

#include <linux/types.h>
#include <linux/ioctl.h>

#include "famfs_limits.h"

#define FAMFS_IOC_MAGIC		0xfa

/*
 * FAMFS_IOC_BIND (regular file, CAP_SYS_ADMIN): bind an empty, unbound file to its fmap key
 * and fix its size. After this the file's size never changes and every access is translated
 * by the mount's policy with this key. With FAMFS_BIND_READONLY the module also refuses
 * every write to the file (write(2): EPERM; a shared writable mmap: EPERM), whatever its
 * mode bits say: how a client keeps files the log did not mark writable on all hosts.
 * Errors: EINVAL (size 0, unknown flags, reserved bits set), EEXIST (already bound), EPERM
 * (no CAP_SYS_ADMIN), ENOTTY (not a regular famfs file).
 */
#define FAMFS_BIND_READONLY	0x1ULL

struct famfs_ioc_bind {
	__u64	key;		/* fmap key (famfs_fmap.h), != 0 */
	__u64	size;		/* file size in bytes, > 0 */
	__u64	flags;		/* FAMFS_BIND_* */
	__u64	reserved;	/* must be 0 */
};

/* FAMFS_IOC_GET_BIND (regular file): the key and size bound to the file; ENODATA if unbound. */

/*
 * FAMFS_IOC_XLATE (regular file): ask the live policy for one translation, exactly as a
 * fault would (the same checks; counted in translations/rejected). For getmap.
 * Errors: ENODATA (file unbound), ERANGE (offset >= file size), EIO (no policy attached,
 * or the answer was refused: dmesg says why).
 */
struct famfs_ioc_xlate {
	__u64	offset;		/* in: file offset in bytes */
	__u32	devindex;	/* out */
	__u32	reserved;
	__u64	dev_offset;	/* out: bytes from the device start */
	__u64	len;		/* out: bytes contiguous from dev_offset (after the module's clamp) */
};

/* FAMFS_IOC_STATS (any file or directory of the mount): per-mount counters. */
struct famfs_ioc_stats {
	__u64	pte_faults;	/* 4 KiB DAX faults (page_mkwrite/pfn_mkwrite included) */
	__u64	pmd_faults;	/* 2 MiB DAX faults that mapped a PMD */
	__u64	pmd_fallbacks;	/* 2 MiB DAX faults that fell back to 4 KiB */
	__u64	translations;	/* policy answers accepted */
	__u64	rejected;	/* policy answers refused, or no policy attached */
	__u64	dev_size;	/* bytes of device 0 */
	__u32	ndevs;		/* devices of the mount */
	__u32	policy_attached;/* 1 if the mount's policy is attached */
	char	policy[FAMFS_POLICY_NAME_LEN];	/* the policy this mount uses, "" if none */
	char	selected[FAMFS_POLICY_NAME_LEN];/* what the mount asks for ("" = first attached) */
	__u64	dev_sizes[FAMFS_MAX_DEVS];	/* bytes of each device, [0, ndevs) */
};

/*
 * FAMFS_IOC_SET_POLICY (any file or directory of the mount, CAP_SYS_ADMIN): make the mount
 * use the attached policy @name ("" = the first attached). Swapped with RCU: faults in flight
 * finish with the old policy, the next ones use the new one; nothing is remounted.
 * Errors: ENOENT (no attached policy of that name), EINVAL (name not NUL terminated or
 * reserved bits set), EPERM.
 */
struct famfs_ioc_policy {
	char	name[FAMFS_POLICY_NAME_LEN];
	__u64	reserved[2];	/* must be 0 */
};

#define FAMFS_IOC_BIND		_IOW(FAMFS_IOC_MAGIC, 1, struct famfs_ioc_bind)
#define FAMFS_IOC_GET_BIND	_IOR(FAMFS_IOC_MAGIC, 2, struct famfs_ioc_bind)
#define FAMFS_IOC_XLATE		_IOWR(FAMFS_IOC_MAGIC, 3, struct famfs_ioc_xlate)
#define FAMFS_IOC_STATS		_IOR(FAMFS_IOC_MAGIC, 4, struct famfs_ioc_stats)
#define FAMFS_IOC_SET_POLICY	_IOW(FAMFS_IOC_MAGIC, 5, struct famfs_ioc_policy)

#endif /* FAMFS_IOCTL_H */
