// SPDX-License-Identifier: GPL-2.0
/*
 * memfail.c - memory errors: the dax holder's notify_failure for every device of a mount.
 *
 * When the memory-failure code reports a bad range of a device (a hardware error, or
 * MADV_HWPOISON), the range is fenced: it goes into the mount's per-device tree of failed
 * ranges, every file whose grants overlap it (the grant trees are the reverse map) has its
 * mappings revoked, and from then on famfs_translate() refuses any answer that starts in a
 * failed range (EIO for read/write, SIGBUS for a fault) and cuts any answer at the next
 * one. Other files, and the file's other ranges, keep working. Failed ranges last as long
 * as the mount.
 *
 * Context: notify_failure runs in process context (memory_failure()); it may sleep.
 * famfs_failed_clamp() runs on the fault path: one atomic read when nothing ever failed.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/dax.h>
#include <linux/maple_tree.h>
#include <linux/mm.h>

#include "famfs.h"

/**
 * famfs_failed_clamp() - fence answer @x from failed memory.
 * Return: false if x's first byte is in a failed range (refuse it); true otherwise, with
 * x->dev_length cut before the next failed range. Context: any.
 */
bool famfs_failed_clamp(struct famfs_fs_info *fsi, struct famfs_xlate *x)
{
	MA_STATE(mas, &fsi->failed[x->devindex], x->dev_offset, x->dev_offset);
	void *e;

	if (!atomic_read(&fsi->nfailed))
		return true;
	rcu_read_lock();
	e = mas_find(&mas, x->dev_offset + x->dev_length - 1);
	rcu_read_unlock();
	if (!e)
		return true;
	if (mas.index <= x->dev_offset)
		return false;
	x->dev_length = mas.index - x->dev_offset;
	return true;
}

/* famfs_failed_in() - did memory fail anywhere in device @d's [@start, @start + @len)? */
bool famfs_failed_in(struct famfs_fs_info *fsi, u32 d, u64 start, u64 len)
{
	MA_STATE(mas, &fsi->failed[d], start, start);
	void *e;

	if (!atomic_read(&fsi->nfailed) || !len)
		return false;
	rcu_read_lock();
	e = mas_find(&mas, start + len - 1);
	rcu_read_unlock();
	return e != NULL;
}

/* Revoke the mappings of every file owning a byte of device @d's [@start, @end]. */
static void famfs_failed_revoke(struct famfs_fs_info *fsi, u32 d, u64 start, u64 end)
{
	unsigned long idx = start;
	struct famfs_inode *fi;
	struct inode *inode;
	struct dentry *de;

	while (idx <= end) {
		rcu_read_lock();	/* inodes are freed after an RCU grace period */
		fi = mt_find(&fsi->grants[d], &idx, end);
		inode = fi ? igrab(&fi->vfs_inode) : NULL;
		rcu_read_unlock();
		if (!fi)
			break;
		if (!inode)
			continue;
		de = d_find_any_alias(inode);
		pr_err("memory failure in device %u [%llu, %llu]: file %pd (ino %llu) fenced there\n",
		       d, start, end, de, famfs_ino(inode));
		dput(de);
		famfs_revoke_inode(inode, false);
		iput(inode);
		if (!idx)
			break;		/* the range ended at the top of the index space */
	}
}

/* Which device of the mount is @dax_dev; -1 if none. */
static int famfs_dax_index(struct famfs_fs_info *fsi, struct dax_device *dax_dev)
{
	u32 d;

	for (d = 0; d < fsi->ndevs; d++)
		if (fsi->devs[d].dax_dev == dax_dev)
			return d;
	return -1;
}

/*
 * notify_failure: @offset and @len are bytes of the dax device (the partition starts at
 * part_off). Fence the range, then revoke the files that own it. MF_MEM_PRE_REMOVE (the
 * device is going away) fences the whole range given, like a failure.
 */
static int famfs_notify_failure(struct dax_device *dax_dev, u64 offset, u64 len, int mf_flags)
{
	struct famfs_fs_info *fsi = dax_holder(dax_dev);
	int d = fsi ? famfs_dax_index(fsi, dax_dev) : -1;
	u64 start, end;
	int ret;

	if (d < 0 || !len)
		return -EOPNOTSUPP;
	if (offset + len <= fsi->devs[d].part_off || offset >= fsi->devs[d].part_off + fsi->devs[d].size)
		return 0;	/* outside this partition */
	start = max(offset, fsi->devs[d].part_off) - fsi->devs[d].part_off;
	end = min(offset + len - fsi->devs[d].part_off, fsi->devs[d].size) - 1;
	start = round_down(start, PAGE_SIZE);
	end = round_up(end + 1, PAGE_SIZE) - 1;
	ret = mtree_store_range(&fsi->failed[d], start, end, xa_mk_value(1), GFP_KERNEL);
	if (ret)
		return ret;
	atomic_inc(&fsi->nfailed);
	atomic64_inc(&fsi->failed_ranges);
	famfs_failed_revoke(fsi, d, start, end);
	return 0;
}

const struct dax_holder_operations famfs_dax_holder_ops = {
	.notify_failure	= famfs_notify_failure,
};
