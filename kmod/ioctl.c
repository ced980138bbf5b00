// SPDX-License-Identifier: GPL-2.0
/*
 * ioctl.c - FAMFS_IOC_* (include/famfs_ioctl.h): bind a file to its fmap key, size and grants, read
 * the binding, ask the live policy for one translation, read the per-mount counters.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/fs.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "famfs.h"

/* The request's own fields, before any grant is looked at. */
static int famfs_bind_check(struct famfs_fs_info *fsi, const struct famfs_ioc_bind *b)
{
	if (b->argsz != sizeof(*b) || !b->size || b->size > MAX_LFS_FILESIZE ||
	    (b->flags & ~(FAMFS_BIND_READONLY | FAMFS_BIND_META)) || b->reserved ||
	    b->kind < 1 || b->kind > FAMFS_FMAP_KIND_MAX || !(u32)b->key)
		return -EINVAL;
	if ((u32)(b->key >> 32) != fsi->mount_id)
		return -EXDEV;		/* a key of another mount: fmaps must never be shared */
	return 0;
}

static long famfs_ioc_bind(struct file *file, void __user *argp)
{
	struct inode *inode = file_inode(file);
	struct famfs_fs_info *fsi = FAMFS_SB(inode->i_sb);
	struct famfs_inode *fi = FAMFS_I(inode);
	struct famfs_ioc_bind *b;
	long ret;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	b = memdup_user(argp, sizeof(*b));
	if (IS_ERR(b))
		return PTR_ERR(b);
	ret = famfs_bind_check(fsi, b);
	if (ret)
		goto out;
	inode_lock(inode);
	if (fi->key || i_size_read(inode))
		ret = -EEXIST;
	else
		ret = famfs_grants_bind(inode, b);
	if (!ret) {
		fi->bind_flags = b->flags;
		fi->kind = b->kind;
		famfs_policy_kind_bound(fsi, b->kind);
		i_size_write(inode, b->size);
		smp_store_release(&fi->key, b->key);	/* publishes grants, kind, flags */
	}
	inode_unlock(inode);
out:
	kfree(b);
	return ret;
}

static long famfs_ioc_get_bind(struct file *file, void __user *argp)
{
	struct famfs_inode *fi = FAMFS_I(file_inode(file));
	struct famfs_ioc_bind *b;
	long ret;
	u32 i;

	if (!smp_load_acquire(&fi->key))
		return -ENODATA;
	b = kzalloc(sizeof(*b), GFP_KERNEL);
	if (!b)
		return -ENOMEM;
	b->argsz = sizeof(*b);
	b->kind = fi->kind;
	b->key = fi->key;
	b->size = i_size_read(file_inode(file));
	b->flags = fi->bind_flags;
	b->ngrants = fi->ngrants;
	memcpy(b->grants, fi->grants, fi->ngrants * sizeof(*fi->grants));
	for (i = 0; i < b->ngrants; i++)
		if (famfs_failed_in(FAMFS_SB(file_inode(file)->i_sb), b->grants[i].devindex,
				    b->grants[i].offset, b->grants[i].len))
			b->grants[i].flags |= FAMFS_GRANT_FAILED;
	ret = copy_to_user(argp, b, sizeof(*b)) ? -EFAULT : 0;
	kfree(b);
	return ret;
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
	inode_lock_shared(inode);	/* against an unbind freeing the grants */
	if (!FAMFS_I(inode)->key)
		ret = -ENODATA;
	else if (q.offset >= size)
		ret = -ERANGE;
	else
		ret = famfs_translate(inode, q.offset, size - q.offset, false, &x);
	inode_unlock_shared(inode);
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
	unsigned int i;

	s.pte_faults = atomic64_read(&fsi->pte_faults);
	s.pmd_faults = atomic64_read(&fsi->pmd_faults);
	s.pmd_fallbacks = atomic64_read(&fsi->pmd_fallbacks);
	s.translations = atomic64_read(&fsi->translations);
	s.rejected = atomic64_read(&fsi->rejected);
	for (i = 0; i < FAMFS_REJECT_NR; i++)
		s.rejected_why[i] = atomic64_read(&fsi->rejected_why[i]);
	s.revocations = atomic64_read(&fsi->revocations);
	s.failed_ranges = atomic64_read(&fsi->failed_ranges);
	s.files_bound = atomic64_read(&fsi->files_bound);
	s.mount_id = fsi->mount_id;
	s.kinds_bound = READ_ONCE(fsi->kinds_bound);
	s.dev_size = fsi->devs[0].size;
	s.ndevs = fsi->ndevs;
	for (i = 0; i < fsi->ndevs && i < ARRAY_SIZE(s.dev_sizes); i++)
		s.dev_sizes[i] = fsi->devs[i].size;
	s.policy_attached = famfs_policy_name(fsi, s.policy, sizeof(s.policy), &s.policy_kinds);
	famfs_policy_selected(fsi, s.selected, sizeof(s.selected));
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

/* The loader's count of allocated space, for statfs (famfs_statfs()). */
static long famfs_ioc_set_space(struct file *file, void __user *argp)
{
	struct famfs_fs_info *fsi = FAMFS_SB(file_inode(file)->i_sb);
	struct famfs_ioc_space s;
	u64 total = 0;
	u32 i;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	if (copy_from_user(&s, argp, sizeof(s)))
		return -EFAULT;
	for (i = 0; i < fsi->ndevs; i++)
		total += fsi->devs[i].size;
	if (s.argsz != sizeof(s) || s.reserved || s.used > s.capacity || s.free > s.capacity ||
	    s.capacity > total)
		return -EINVAL;
	spin_lock(&fsi->space_lock);
	fsi->space_capacity = s.capacity;
	fsi->space_free = s.free;
	fsi->space_known = true;
	spin_unlock(&fsi->space_lock);
	return 0;
}

/**
 * famfs_ioctl() - ioctls on famfs files and directories (see famfs_ioctl.h for each).
 * BIND, GET_BIND and XLATE need a regular file; STATS, SET_POLICY and SET_SPACE work on any famfs
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
	case FAMFS_IOC_SET_SPACE:
		return famfs_ioc_set_space(file, argp);
	case FAMFS_IOC_UNBIND:
		return reg ? famfs_ioc_unbind(file) : -ENOTTY;
	default:
		return -ENOTTY;
	}
}
