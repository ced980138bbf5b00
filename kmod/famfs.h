/* SPDX-License-Identifier: GPL-2.0 */
/*
 * famfs.h - famfs_bpf.ko internals shared by its source files.
 *
 * famfs_bpf.ko is a minimal fs-dax file system: ramfs-like in-memory namespace, regular files
 * whose bytes live on one or more fsdax pmem devices, and no extent format of its own. Every
 * (file, offset) -> (device, device offset) translation is asked of a BPF struct_ops policy
 * (struct famfs_fmap_ops, policy.c) and checked before it is mapped (iomap.c).
 */
#ifndef KMOD_FAMFS_H
#define KMOD_FAMFS_H

#include <linux/fs.h>
#include <linux/dax.h>
#include <linux/iomap.h>
#include <linux/atomic.h>
#include <linux/list.h>
#include <linux/maple_tree.h>

#include "compat.h"
#include "famfs_ops.h"
#include "famfs_ioctl.h"


/* One fsdax device of a mount: index 0 is the mount source, the others dev= options. */
struct famfs_daxdev {
	struct file		*bdev_file;	/* the pmem block device, opened exclusively */
	struct block_device	*bdev;
	struct dax_device	*dax_dev;	/* from fs_dax_get_by_bdev() */
	u64			part_off;	/* partition start on the dax device, bytes */
	u64			size;		/* bytes of the block device */
};

/*
 * Per-mount state (sb->s_fs_info). Counters are read by FAMFS_IOC_STATS.
 * Policy: @sel_name is what the mount asks for ("" = the first attached policy); @ops is
 * the attached policy that resolves to, kept current by policy.c under famfs_policy_mutex
 * (on select, attach, detach) and read under RCU on every translation: no name compare on
 * the fault path.
 * Grants: @grants[d] maps every granted byte range of device d to the famfs_inode that owns
 * it (maple tree; an overlapping insert fails, which is the no-aliasing rule).
 */
struct famfs_fs_info {
	struct famfs_daxdev	devs[FAMFS_MAX_DEVS];
	u32			ndevs;
	u32			mount_id;	/* high half of this mount's fmap keys */
	struct super_block	*sb;
	struct list_head	mounts;		/* on famfs_mount_list (policy.c) */
	char			sel_name[FAMFS_POLICY_NAME_LEN];	/* policy mutex */
	struct famfs_fmap_ops __rcu *ops;	/* the policy in force, or NULL */
	u32			kinds_bound;	/* FAMFS_FMAP_KIND_BIT mask; policy mutex */
	atomic_t		nmeta;		/* .meta files bound */
	atomic64_t		files_bound;
	struct maple_tree	grants[FAMFS_MAX_DEVS];
	struct maple_tree	failed[FAMFS_MAX_DEVS];	/* failed ranges (memfail.c) */
	atomic_t		nfailed;	/* 0: nothing failed, skip the lookup */
	atomic64_t		failed_ranges;
	atomic64_t		pte_faults;
	atomic64_t		pmd_faults;
	atomic64_t		pmd_fallbacks;
	atomic64_t		translations;
	atomic64_t		rejected;
	atomic64_t		rejected_why[FAMFS_REJECT_NR];
	atomic64_t		revocations;
	spinlock_t		space_lock;	/* the three below, for statfs */
	bool			space_known;	/* FAMFS_IOC_SET_SPACE was given */
	u64			space_capacity;	/* bytes */
	u64			space_free;	/* bytes */
};

/*
 * Per-inode state: what FAMFS_IOC_BIND set (key 0 = unbound). @key is published last
 * (release), so a reader that sees it (acquire) sees the grants, kind and flags too.
 */
struct famfs_inode {
	struct inode		vfs_inode;
	u64			key;
	u64			bind_flags;	/* FAMFS_BIND_* */
	u32			kind;		/* FAMFS_FMAP_* */
	u32			ngrants;
	struct famfs_grant	*grants;	/* [ngrants], fixed once bound */
};

static inline struct famfs_inode *FAMFS_I(struct inode *inode)
{
	return container_of(inode, struct famfs_inode, vfs_inode);
}

static inline struct famfs_fs_info *FAMFS_SB(struct super_block *sb)
{
	return sb->s_fs_info;
}

/* inode.c */
extern const struct inode_operations famfs_dir_inode_ops;
struct inode *famfs_get_inode(struct super_block *sb, const struct inode *dir, umode_t mode);

/* file.c */
extern const struct file_operations famfs_file_ops;
extern const struct inode_operations famfs_file_inode_ops;
extern const struct address_space_operations famfs_dax_aops;

/* fault.c */
extern bool famfs_direct_faults;
vm_fault_t famfs_direct_fault(struct vm_fault *vmf, unsigned int order,
			      vm_fault_t (*dax_fault)(struct vm_fault *, unsigned int));
int famfs_direct_fsync(struct inode *inode, loff_t start, loff_t end);

/* iomap.c */
extern const struct iomap_ops famfs_iomap_ops;
int famfs_translate(struct inode *inode, loff_t pos, u64 length, bool write,
		    struct famfs_xlate *x);

/* grant.c */
int famfs_grants_bind(struct inode *inode, const struct famfs_ioc_bind *b);
void famfs_grants_release(struct inode *inode);
void famfs_trees_init(struct famfs_fs_info *fsi);
void famfs_trees_destroy(struct famfs_fs_info *fsi);
bool famfs_grant_fit(const struct famfs_inode *fi, struct famfs_xlate *x);

/* revoke.c */
void famfs_revoke_inode(struct inode *inode, bool writeback);
void famfs_revoke_sb(struct super_block *sb);

/* memfail.c */
extern const struct dax_holder_operations famfs_dax_holder_ops;
bool famfs_failed_clamp(struct famfs_fs_info *fsi, struct famfs_xlate *x);
bool famfs_failed_in(struct famfs_fs_info *fsi, u32 d, u64 start, u64 len);

/* policy.c */
int famfs_policy_init(void);
int famfs_policy_call(struct famfs_fs_info *fsi, u32 kind, struct famfs_xlate *x,
		      int *why);
bool famfs_policy_name(struct famfs_fs_info *fsi, char *name, size_t namelen, u32 *kinds);
int famfs_policy_select(struct famfs_fs_info *fsi, const char *name);
void famfs_policy_selected(struct famfs_fs_info *fsi, char *name, size_t namelen);
int famfs_policy_kind_bound(struct famfs_fs_info *fsi, u32 kind);
void famfs_mount_register(struct famfs_fs_info *fsi);
void famfs_mount_unregister(struct famfs_fs_info *fsi);

/* ioctl.c */
long famfs_ioctl(struct file *file, unsigned int cmd, unsigned long arg);

/* unbind.c */
long famfs_ioc_unbind(struct file *file);

#endif /* KMOD_FAMFS_H */
