// SPDX-License-Identifier: GPL-2.0
/*
 * daxdev.c - the devices of a mount: an fsdax pmem block device, or a dax character device
 * (/dev/daxX.Y, e.g. a CXL memory region) bound to the fsdev_dax driver ("famfs mode").
 *
 * A block device is opened exclusively (bdev_file_open_by_path(), holder = the mount's fsi)
 * and its dax device taken with fs_dax_get_by_bdev(). A dax character device has no block
 * device: its path is resolved with kern_path() to the inode's i_rdev (may_open_dev() is
 * not exported, so the MNT_NODEV and permission checks are done here), dax_dev_get(devt)
 * finds its dax_device, and fs_dax_get() makes this mount its exclusive holder. fs_dax_get()
 * is what tells a real, fsdev_dax-bound dax device from anything else: dax_dev_get() on a
 * number that is no dax device makes a fresh, unbound dax inode, which fs_dax_get() refuses
 * (-ENODEV). Either way the holder operations are famfs_dax_holder_ops, so memory errors of
 * both kinds reach memfail.c.
 *
 * fs_dax_get() exists from the kernels that carry fsdev_dax (7.x; Kbuild defines
 * FAMFS_HAVE_FS_DAX_GET when the headers declare it). Without it (6.12) a character device
 * is refused by name with -EOPNOTSUPP, and only pmem works.
 *
 * Context: process, at mount (get_tree) and in famfs_free_fsi(); no locks held.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/blkdev.h>
#include <linux/fs_context.h>
#include <linux/mount.h>
#include <linux/namei.h>

#include "famfs.h"

/*
 * A refusal: into the mount's message log (fsopen's, which famfsctl prints) and, when that
 * log is not dmesg already (legacy mount(2) sends errorf() there), into dmesg too.
 */
#define famfs_refuse(fc, err, fmt, ...) ({					\
	if ((fc)->log.log)							\
		pr_err(fmt "\n", ##__VA_ARGS__);				\
	errorf(fc, fmt, ##__VA_ARGS__);						\
	(err);									\
})

/*
 * The largest number of pages dax_direct_access() gives from page 0 of @dax_dev; 0 if
 * none. fsdev_dax refuses (-EFAULT) a request past its end instead of shortening it, so
 * this searches: 64 TiB at most, about 34 calls at mount.
 */
static long famfs_dax_pages(struct dax_device *dax_dev)
{
	long lo = 0, hi = 1L << (46 - PAGE_SHIFT);
	void *kaddr;
	int id = dax_read_lock();
	/* no pfn asked for (NULL): its type differs between kernels (pfn_t, unsigned long) */
	long n = dax_direct_access(dax_dev, 0, hi, DAX_ACCESS, &kaddr, NULL);

	if (n > 0) {		/* a driver that shortens the answer: that is its size */
		dax_read_unlock(id);
		return n;
	}
	while (lo < hi) {	/* invariant: lo pages are reachable, hi + 1 are not */
		long mid = lo + (hi - lo + 1) / 2;

		n = dax_direct_access(dax_dev, 0, mid, DAX_ACCESS, &kaddr, NULL);
		if (n >= mid)
			lo = mid;
		else
			hi = mid - 1;
	}
	dax_read_unlock(id);
	return lo;
}

#ifdef FAMFS_HAVE_FS_DAX_GET
/* The fix for what fs_dax_get() said, for the mount's error message. */
static const char *famfs_dax_get_fix(int ret)
{
	switch (ret) {
	case -EOPNOTSUPP:
		return "it is bound to device_dax (devdax mode), not fsdev_dax: famfsctl mount switches it (or: famfsctl daxmode DEVICE famfs)";
	case -EBUSY:
		return "another holder has it (another famfs mount, or another file system)";
	case -ENODEV:
		return "it is not a dax device bound to a driver (is fsdev_dax loaded and bound? famfsctl daxmode DEVICE famfs)";
	default:
		return "fs_dax_get() refused it";
	}
}

/* Claim dax character device @devt for @fsi: slot @d gets its dax_device and size. */
static int famfs_open_chardax(struct famfs_fs_info *fsi, struct fs_context *fc,
			      const char *path, dev_t devt, struct famfs_daxdev *d)
{
	struct dax_device *dax_dev = dax_dev_get(devt);
	long pages;
	int ret;

	if (!dax_dev)
		return famfs_refuse(fc, -ENODEV, "%s: no dax device for %u:%u", path,
				    MAJOR(devt), MINOR(devt));
	ret = fs_dax_get(dax_dev, fsi, &famfs_dax_holder_ops);
	put_dax(dax_dev);	/* dax_dev_get()'s reference: fs_dax_get() took its own */
	if (ret)
		return famfs_refuse(fc, ret, "cannot claim dax device %s: %d: %s", path, ret,
				    famfs_dax_get_fix(ret));
	d->dax_dev = dax_dev;		/* from here famfs_free_fsi() gives it back */
	d->devt = devt;
	d->part_off = 0;
	pages = famfs_dax_pages(dax_dev);
	if (pages <= 0)
		return famfs_refuse(fc, -EIO, "dax device %s: dax_direct_access gives no pages",
				    path);
	d->size = (u64)pages << PAGE_SHIFT;
	return 0;
}
#else
static int famfs_open_chardax(struct famfs_fs_info *fsi, struct fs_context *fc,
			      const char *path, dev_t devt, struct famfs_daxdev *d)
{
	(void)famfs_dax_pages;
	return famfs_refuse(fc, -EOPNOTSUPP, "%s is a character device (a dax device?): this kernel has no fs_dax_get() (no fsdev_dax \"famfs mode\"; it needs a 7.x kernel such as Debian's 7.3): use an fsdax pmem namespace (ndctl create-namespace --mode=fsdax --map=mem --align=2M)",
			    path);
}
#endif

/* A block device: opened exclusively, its dax device through fs_dax_get_by_bdev(). */
static int famfs_open_bdev(struct famfs_fs_info *fsi, struct fs_context *fc, const char *path,
			   struct famfs_daxdev *d)
{
	int ret;

	d->bdev_file = bdev_file_open_by_path(path, BLK_OPEN_READ | BLK_OPEN_WRITE, fsi, NULL);
	if (IS_ERR(d->bdev_file)) {
		ret = PTR_ERR(d->bdev_file);
		d->bdev_file = NULL;
		return errorf(fc, "cannot open %s exclusively: %d%s", path, ret,
			      ret == -EBUSY ? " (in use: already mounted?)" : ""), ret;
	}
	d->bdev = file_bdev(d->bdev_file);
	d->devt = d->bdev->bd_dev;
	d->dax_dev = fs_dax_get_by_bdev(d->bdev, &d->part_off, fsi, &famfs_dax_holder_ops);
	if (!d->dax_dev)
		return invalf(fc, "%s does not support DAX (it must be an fsdax namespace)",
			      path);
	d->size = bdev_nr_bytes(d->bdev);
	return 0;
}

/**
 * famfs_open_dev() - add device @path as the next device of @fsi (slot fsi->ndevs).
 * @path: a block device (fsdax pmem) or a dax character device bound to fsdev_dax.
 *
 * The holder of either is @fsi, so a device in another mount, or with another exclusive
 * user, is refused. fsi->ndevs counts the slot as soon as it holds anything to release, so
 * famfs_free_fsi() undoes a half-opened device too. Every refusal is logged through @fc
 * (the mount's message log and dmesg), naming @path and the fix.
 * Return: 0; -ENOENT/-ENOTDIR/-EACCES path lookup or permission; -EACCES a device node on a
 * nodev mount; -EOPNOTSUPP a character device on a kernel without fs_dax_get(), or one bound
 * to device_dax; -EBUSY held by someone else; -ENODEV no dax device there; -EINVAL a block
 * device without DAX; -EIO no pages; -ENOMEM. Context: process, no locks held.
 */
int famfs_open_dev(struct famfs_fs_info *fsi, struct fs_context *fc, const char *path)
{
	struct famfs_daxdev *d = &fsi->devs[fsi->ndevs];
	struct path p;
	struct inode *inode;
	dev_t devt;
	int ret;

	ret = kern_path(path, LOOKUP_FOLLOW, &p);
	if (ret)
		return errorf(fc, "%s: lookup failed: %d", path, ret), ret;
	inode = d_backing_inode(p.dentry);
	if (!S_ISCHR(inode->i_mode)) {
		path_put(&p);
		ret = famfs_open_bdev(fsi, fc, path, d);
		if (d->bdev_file)
			fsi->ndevs++;
		return ret;
	}
	devt = inode->i_rdev;
	if (p.mnt->mnt_flags & MNT_NODEV)
		ret = -EACCES;
	else
		ret = inode_permission(mnt_idmap(p.mnt), inode, MAY_READ | MAY_WRITE);
	path_put(&p);
	if (ret)
		return famfs_refuse(fc, ret, "%s: may not open this device node: %d", path, ret);
	d->path = kstrdup(path, GFP_KERNEL);
	if (!d->path)
		return -ENOMEM;
	fsi->ndevs++;		/* famfs_free_fsi() frees the path (and the holder, if taken) */
	return famfs_open_chardax(fsi, fc, path, devt, d);
}

/**
 * famfs_close_dev() - give back what famfs_open_dev() took for @d: the dax holder
 * (fs_put_dax(): holder released, the dax_device reference dropped), the block device, the
 * path. Safe on a half-opened slot. Context: process.
 */
void famfs_close_dev(struct famfs_fs_info *fsi, struct famfs_daxdev *d)
{
	if (d->dax_dev)
		fs_put_dax(d->dax_dev, fsi);
	if (d->bdev_file)
		bdev_fput(d->bdev_file);
	kfree(d->path);
	memset(d, 0, sizeof(*d));
}

/* famfs_dev_show() - @d's name for /proc/mounts and messages: "/dev/pmem0" or the path. */
void famfs_dev_show(struct seq_file *m, const struct famfs_daxdev *d)
{
	if (d->bdev)
		seq_printf(m, "/dev/%pg", d->bdev);
	else
		seq_escape(m, d->path ?: "?", ", \t\n\\");
}
