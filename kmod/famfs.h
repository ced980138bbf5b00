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

/* The policy a mount asks, by name (RCU; "" = the first attached policy). */
struct famfs_policy_sel {
	char			name[FAMFS_POLICY_NAME_LEN];
	struct rcu_head		rcu;
};

/* Per-mount state (sb->s_fs_info). Counters are read by FAMFS_IOC_STATS. */
struct famfs_fs_info {
	struct famfs_daxdev	devs[FAMFS_MAX_DEVS];
	u32			ndevs;
	struct famfs_policy_sel __rcu *policy;	/* set by policy= or FAMFS_IOC_SET_POLICY */
	atomic64_t		pte_faults;
	atomic64_t		pmd_faults;
	atomic64_t		pmd_fallbacks;
	atomic64_t		translations;
	atomic64_t		rejected;
};

/* Per-inode state: what FAMFS_IOC_BIND set (key 0 = unbound). */
struct famfs_inode {
	struct inode	vfs_inode;
	u64		key;
	u64		bind_flags;	/* FAMFS_BIND_* */
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

/* iomap.c */
extern const struct iomap_ops famfs_iomap_ops;
int famfs_translate(struct inode *inode, loff_t pos, u64 length, bool write,
		    struct famfs_xlate *x);

/* policy.c */
int famfs_policy_init(void);
int famfs_policy_call(struct famfs_fs_info *fsi, struct famfs_xlate *x);
bool famfs_policy_name(struct famfs_fs_info *fsi, char *name, size_t namelen);
int famfs_policy_select(struct famfs_fs_info *fsi, const char *name);
void famfs_policy_sel_free(struct famfs_fs_info *fsi);

/* ioctl.c */
long famfs_ioctl(struct file *file, unsigned int cmd, unsigned long arg);

#endif /* KMOD_FAMFS_H */
