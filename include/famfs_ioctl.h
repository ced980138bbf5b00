/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR Apache-2.0 */
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
 * A grant: a device range a file owns. The loader derives a file's grants from its log
 * entry (the union of its extents or strips); the module then maps no byte of the file
 * outside them, whatever the policy answers.
 */
#define FAMFS_GRANT_FAILED	0x1	/* GET_BIND: memory failed inside this grant */

struct famfs_grant {
	__u32	devindex;	/* device of the mount, < ndevs */
	__u32	flags;		/* BIND: must be 0; GET_BIND: FAMFS_GRANT_* */
	__u64	offset;		/* bytes from the device start, PAGE_SIZE aligned */
	__u64	len;		/* bytes, > 0, PAGE_SIZE multiple */
};

/*
 * FAMFS_IOC_BIND (regular file, CAP_SYS_ADMIN): bind an empty, unbound file to its fmap key,
 * its size, its fmap kind and its grants. After this the file's size never changes and
 * every access is translated by the mount's policy with this key, then checked against the
 * grants. With FAMFS_BIND_READONLY the module refuses every write to the file (write(2):
 * EPERM; a shared writable mmap: EPERM), whatever its mode bits say: how a client keeps
 * files the log did not mark writable on all hosts. FAMFS_BIND_META marks a .meta file:
 * only those may be granted the head of a device (its first FAMFS_SB_SIZE bytes), and
 * other files can be bound only once a .meta file is.
 * Rules: argsz == sizeof(struct famfs_ioc_bind) (the uapi version); key's high 32 bits ==
 * the mount's mount_id (FAMFS_IOC_STATS), low 32 bits != 0; kind a FAMFS_FMAP_* value;
 * 1 <= ngrants <= FAMFS_MAX_GRANTS, each inside its device, page aligned, and overlapping
 * no grant of any other bound file of the mount (no two files ever share a page).
 * Errors: EINVAL (argsz, size 0, unknown flags or kind, reserved bits, a malformed grant),
 * EXDEV (key of another mount), EEXIST (already bound), EADDRINUSE (a grant overlaps another
 * file's; the kernel log names both), EACCES (a device head granted to a non-.meta file, or
 * no .meta file bound yet), EPERM (no CAP_SYS_ADMIN), ENOTTY (not a regular famfs file).
 */
#define FAMFS_BIND_READONLY	0x1ULL
#define FAMFS_BIND_META		0x2ULL

struct famfs_ioc_bind {
	__u32	argsz;		/* sizeof(struct famfs_ioc_bind) */
	__u32	kind;		/* FAMFS_FMAP_* of the file's fmap */
	__u64	key;		/* fmap key (famfs_fmap.h), != 0 */
	__u64	size;		/* file size in bytes, > 0 */
	__u64	flags;		/* FAMFS_BIND_* */
	__u32	ngrants;	/* grants[0, ngrants) used */
	__u32	reserved;	/* must be 0 */
	struct famfs_grant grants[FAMFS_MAX_GRANTS];
};

/* FAMFS_IOC_GET_BIND (regular file): the binding (key, size, kind, flags, grants); ENODATA if unbound. */

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

/* Why the module refused a translation: the index in famfs_ioc_stats.rejected_why[]. */
#define FAMFS_REJECT_UNBOUND	0	/* file has no fmap key */
#define FAMFS_REJECT_NO_POLICY	1	/* the mount has no attached policy */
#define FAMFS_REJECT_KIND	2	/* the policy does not resolve the file's fmap kind */
#define FAMFS_REJECT_ERROR	3	/* the policy returned an error (or a positive value) */
#define FAMFS_REJECT_DEVINDEX	4	/* device index >= ndevs */
#define FAMFS_REJECT_ZERO_LEN	5	/* dev_length 0 */
#define FAMFS_REJECT_CONGRUENT	6	/* dev_offset not congruent with offset mod PAGE_SIZE */
#define FAMFS_REJECT_DEVICE	7	/* range outside the device (or u64 overflow) */
#define FAMFS_REJECT_GRANT	8	/* not inside one of the file's grants */
#define FAMFS_REJECT_FAILED	9	/* starts in memory that failed (notify_failure) */
#define FAMFS_REJECT_NR		10
#define FAMFS_REJECT_SLOTS	16	/* room in the uapi */

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
	__u32	mount_id;	/* high 32 bits of every fmap key of this mount (unique) */
	__u32	kinds_bound;	/* FAMFS_FMAP_KIND_BIT mask of the kinds bound in this mount */
	__u32	policy_kinds;	/* kinds the mount's policy resolves (0 if none attached) */
	__u32	reserved;
	__u64	files_bound;	/* files bound (FAMFS_IOC_BIND) and not evicted */
	__u64	revocations;	/* times the mount's mappings were revoked (policy change) */
	__u64	failed_ranges;	/* memory failures reported on the mount's devices */
	__u64	rejected_why[FAMFS_REJECT_SLOTS];	/* rejected, per FAMFS_REJECT_* */
};

/*
 * FAMFS_IOC_SET_POLICY (any file or directory of the mount, CAP_SYS_ADMIN): make the mount
 * use the attached policy @name ("" = the first attached). Swapped with RCU: faults in flight
 * finish with the old policy; then every existing mapping of the mount's files is revoked
 * (unmapped, DAX entries dropped), so the next access faults through the new policy.
 * Nothing is remounted. Errors: ENOENT (no attached policy of that name), EOPNOTSUPP (the
 * policy does not resolve a fmap kind bound in this mount), EINVAL (name not NUL
 * terminated or reserved bits set), EPERM.
 */
struct famfs_ioc_policy {
	char	name[FAMFS_POLICY_NAME_LEN];
	__u64	reserved[2];	/* must be 0 */
};

/*
 * FAMFS_IOC_SET_SPACE (any file or directory of the mount, CAP_SYS_ADMIN): the space the
 * log has allocated, so statfs (df) can report it. Only user space knows it (the loader
 * counts it with famfs_space_get() after each replay: at mount, load-maps, logplay, and
 * after each file it adds); the module keeps the last numbers given. statfs reports
 * f_bsize = PAGE_SIZE (4 KiB), f_blocks = capacity / f_bsize, f_bfree = f_bavail =
 * free / f_bsize (rounded down); until the first SET_SPACE, f_blocks is the devices'
 * size and f_bfree = f_bavail = 0 (nothing known to be free).
 * Rules: argsz == sizeof(struct famfs_ioc_space) (the uapi version), reserved 0,
 * used <= capacity, free <= capacity, capacity <= the mount's devices' total size.
 * Errors: EINVAL (a rule broken), EPERM (no CAP_SYS_ADMIN), EFAULT.
 */
struct famfs_ioc_space {
	__u32	argsz;		/* sizeof(struct famfs_ioc_space) */
	__u32	reserved;	/* must be 0 */
	__u64	capacity;	/* bytes the file system holds (all devices) */
	__u64	used;		/* bytes allocated (reserved heads included) */
	__u64	free;		/* bytes free for new files */
};

#define FAMFS_IOC_BIND		_IOW(FAMFS_IOC_MAGIC, 1, struct famfs_ioc_bind)
#define FAMFS_IOC_GET_BIND	_IOR(FAMFS_IOC_MAGIC, 2, struct famfs_ioc_bind)
#define FAMFS_IOC_XLATE		_IOWR(FAMFS_IOC_MAGIC, 3, struct famfs_ioc_xlate)
#define FAMFS_IOC_STATS		_IOR(FAMFS_IOC_MAGIC, 4, struct famfs_ioc_stats)
#define FAMFS_IOC_SET_POLICY	_IOW(FAMFS_IOC_MAGIC, 5, struct famfs_ioc_policy)
#define FAMFS_IOC_SET_SPACE	_IOW(FAMFS_IOC_MAGIC, 6, struct famfs_ioc_space)
/*
 * FAMFS_IOC_UNBIND (regular file, CAP_SYS_ADMIN; no argument): the file is deleted (a DELETE
 * log entry). Its key is cleared, every mapping of it in every process is revoked (the next
 * touch is SIGBUS), its grants are dropped (so another file may be bound to that memory)
 * and every later read()/write() is EIO. The name stays until it is unlinked; the file can
 * never be bound again. Errors: ENODATA (not bound, unbound already, or a .meta file), EPERM,
 * ENOTTY.
 */
#define FAMFS_IOC_UNBIND	_IO(FAMFS_IOC_MAGIC, 7)

_Static_assert(sizeof(struct famfs_grant) == 24, "famfs_grant size");
_Static_assert(sizeof(struct famfs_ioc_bind) == 40 + 24 * FAMFS_MAX_GRANTS, "famfs_ioc_bind size");
_Static_assert(sizeof(struct famfs_ioc_space) == 32, "famfs_ioc_space size");
_Static_assert(FAMFS_REJECT_NR <= FAMFS_REJECT_SLOTS, "reject reasons fit the uapi");

#endif /* FAMFS_IOCTL_H */
