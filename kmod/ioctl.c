// SPDX-License-Identifier: GPL-2.0
/*
 * ioctl.c - FAMFS_IOC_* (include/famfs_ioctl.h): bind a file to its fmap key and size, read
 * the binding, ask the live policy for one translation, read the per-mount counters.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/fs.h>
#include <linux/rcupdate.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "famfs.h"

static long famfs_ioc_bind(struct file *file, void __user *argp)
{
	struct inode *inode = file_inode(file);
	struct famfs_inode *fi = FAMFS_I(inode);
	struct famfs_ioc_bind b;
	long ret = 0;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	if (copy_from_user(&b, argp, sizeof(b)))
		return -EFAULT;
	if (!b.key || !b.size || b.size > MAX_LFS_FILESIZE || (b.flags & ~FAMFS_BIND_READONLY) ||
	    b.reserved)
		return -EINVAL;

	inode_lock(inode);
	if (fi->key || i_size_read(inode))
		ret = -EEXIST;
	else {
		fi->key = b.key;
		fi->bind_flags = b.flags;
		i_size_write(inode, b.size);
	}
	inode_unlock(inode);
	return ret;
}

static long famfs_ioc_get_bind(struct file *file, void __user *argp)
{
	struct inode *inode = file_inode(file);
	struct famfs_ioc_bind b = {};

	b.key = FAMFS_I(inode)->key;
	if (!b.key)
		return -ENODATA;
	b.size = i_size_read(inode);
	b.flags = FAMFS_I(inode)->bind_flags;
	return copy_to_user(argp, &b, sizeof(b)) ? -EFAULT : 0;
}

static long famfs_ioc_xlate(struct file *file, void __user *argp)
{
	struct inode *inode = file_inode(file);
	struct famfs_ioc_xlate q;
	struct famfs_xlate x;
	u64 size = i_size_read(inode);
	int ret;

	if (copy_from_user(&q, argp, sizeof(q)))
		return -EFAULT;
	if (!FAMFS_I(inode)->key)
		return -ENODATA;
	if (q.offset >= size)
		return -ERANGE;
	ret = famfs_translate(inode, q.offset, size - q.offset, false, &x);
	if (ret)
		return ret;
	q.devindex = x.devindex;
	q.reserved = 0;
	q.dev_offset = x.dev_offset;
	q.len = x.dev_length;
	return copy_to_user(argp, &q, sizeof(q)) ? -EFAULT : 0;
}

static long famfs_ioc_stats(struct file *file, void __user *argp)
{
	struct famfs_fs_info *fsi = FAMFS_SB(file_inode(file)->i_sb);
	struct famfs_ioc_stats s = {};
	struct famfs_policy_sel *sel;
	unsigned int i;

	s.pte_faults = atomic64_read(&fsi->pte_faults);
	s.pmd_faults = atomic64_read(&fsi->pmd_faults);
	s.pmd_fallbacks = atomic64_read(&fsi->pmd_fallbacks);
	s.translations = atomic64_read(&fsi->translations);
	s.rejected = atomic64_read(&fsi->rejected);
	s.dev_size = fsi->devs[0].size;
	s.ndevs = fsi->ndevs;
	for (i = 0; i < fsi->ndevs && i < ARRAY_SIZE(s.dev_sizes); i++)
		s.dev_sizes[i] = fsi->devs[i].size;
	s.policy_attached = famfs_policy_name(fsi, s.policy, sizeof(s.policy));
	rcu_read_lock();
	sel = rcu_dereference(fsi->policy);
	strscpy(s.selected, sel ? sel->name : "", sizeof(s.selected));
	rcu_read_unlock();
	return copy_to_user(argp, &s, sizeof(s)) ? -EFAULT : 0;
}

static long famfs_ioc_set_policy(struct file *file, void __user *argp)
{
	struct famfs_fs_info *fsi = FAMFS_SB(file_inode(file)->i_sb);
	struct famfs_ioc_policy p;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	if (copy_from_user(&p, argp, sizeof(p)))
		return -EFAULT;
	if (!memchr(p.name, '\0', sizeof(p.name)) || p.reserved[0] || p.reserved[1])
		return -EINVAL;
	return famfs_policy_select(fsi, p.name);
}

/**
 * famfs_ioctl() - ioctls on famfs files and directories (see famfs_ioctl.h for each).
 * BIND, GET_BIND and XLATE need a regular file; STATS and SET_POLICY work on any famfs
 * inode.
 * Return: 0 or -errno; -ENOTTY for unknown commands.
 */
long famfs_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	void __user *argp = (void __user *)arg;
	bool reg = S_ISREG(file_inode(file)->i_mode);

	switch (cmd) {
	case FAMFS_IOC_BIND:
		return reg ? famfs_ioc_bind(file, argp) : -ENOTTY;
	case FAMFS_IOC_GET_BIND:
		return reg ? famfs_ioc_get_bind(file, argp) : -ENOTTY;
	case FAMFS_IOC_XLATE:
		return reg ? famfs_ioc_xlate(file, argp) : -ENOTTY;
	case FAMFS_IOC_STATS:
		return famfs_ioc_stats(file, argp);
	case FAMFS_IOC_SET_POLICY:
		return famfs_ioc_set_policy(file, argp);
	default:
		return -ENOTTY;
	}
}
