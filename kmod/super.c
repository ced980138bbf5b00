// SPDX-License-Identifier: GPL-2.0
/*
 * super.c - the "famfs" file system type: mount on an fsdax pmem block device, the
 * superblock operations, and module init/exit.
 *
 * The superblock is a "nodev" one (the namespace lives in memory, as in ramfs); the device
 * named by the mount source is opened exclusively by famfs_open_dev(), so a second mount
 * of the same device is refused with EBUSY. Mounting reads nothing from the device: the namespace starts empty and famfsctl fills it
 * by replaying the on-media log (user space owns the format). The device must support DAX
 * (an fsdax namespace); anything else is refused at mount with a message saying so.
 */
#include <linux/blkdev.h>
#include <linux/fs_context.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/statfs.h>

#include "famfs.h"

static struct kmem_cache *famfs_inode_cachep;

static struct inode *famfs_alloc_inode(struct super_block *sb)
{
	struct famfs_inode *fi = alloc_inode_sb(sb, famfs_inode_cachep, GFP_KERNEL);

	if (!fi)
		return NULL;
	fi->key = 0;
	return &fi->vfs_inode;
}

static void famfs_free_inode(struct inode *inode)
{
	kmem_cache_free(famfs_inode_cachep, FAMFS_I(inode));
}

static void famfs_inode_init_once(void *p)
{
	inode_init_once(&((struct famfs_inode *)p)->vfs_inode);
}

static int famfs_statfs(struct dentry *dentry, struct kstatfs *buf)
{
	struct famfs_fs_info *fsi = FAMFS_SB(dentry->d_sb);

	buf->f_type = FAMFS_SUPER_MAGIC;
	buf->f_bsize = PAGE_SIZE;
	buf->f_blocks = fsi->dev_size >> PAGE_SHIFT;
	buf->f_bfree = 0;	/* space is allocated by famfsctl on the master, not here */
	buf->f_bavail = 0;
	buf->f_namelen = NAME_MAX;
	return 0;
}

static const struct super_operations famfs_super_ops = {
	.alloc_inode	= famfs_alloc_inode,
	.free_inode	= famfs_free_inode,
	.statfs		= famfs_statfs,
	.drop_inode	= generic_delete_inode,
};

/* Open the device named by the mount source exclusively and take its dax device. */
static int famfs_open_dev(struct famfs_fs_info *fsi, struct fs_context *fc)
{
	if (!fc->source)
		return invalf(fc, "famfs: no device given (mount -t famfs /dev/pmemN DIR)");
	fsi->bdev_file = bdev_file_open_by_path(fc->source, BLK_OPEN_READ | BLK_OPEN_WRITE,
						fc->fs_type, NULL);
	if (IS_ERR(fsi->bdev_file)) {
		int ret = PTR_ERR(fsi->bdev_file);

		fsi->bdev_file = NULL;
		errorf(fc, "famfs: cannot open %s exclusively: %d%s", fc->source, ret,
		       ret == -EBUSY ? " (already mounted?)" : "");
		return ret;
	}
	fsi->bdev = file_bdev(fsi->bdev_file);
	fsi->dax_dev = fs_dax_get_by_bdev(fsi->bdev, &fsi->dax_part_off, fsi, NULL);
	if (!fsi->dax_dev)
		return invalf(fc, "famfs: %s does not support DAX (it must be an fsdax namespace)",
			      fc->source);
	fsi->dev_size = bdev_nr_bytes(fsi->bdev);
	return 0;
}

static void famfs_free_fsi(struct famfs_fs_info *fsi)
{
	if (!fsi)
		return;
	if (fsi->dax_dev)
		fs_put_dax(fsi->dax_dev, fsi);
	if (fsi->bdev_file)
		bdev_fput(fsi->bdev_file);
	kfree(fsi);
}

static int famfs_fill_super(struct super_block *sb, struct fs_context *fc)
{
	struct famfs_fs_info *fsi = sb->s_fs_info;	/* sget_fc() moved it from fc */
	struct inode *root;

	sb->s_maxbytes = MAX_LFS_FILESIZE;
	sb->s_blocksize = PAGE_SIZE;
	sb->s_blocksize_bits = PAGE_SHIFT;
	sb->s_magic = FAMFS_SUPER_MAGIC;
	sb->s_op = &famfs_super_ops;
	sb->s_time_gran = 1;

	root = famfs_get_inode(sb, NULL, S_IFDIR | 0755);
	sb->s_root = d_make_root(root);
	if (!sb->s_root)
		return -ENOMEM;
	pr_info("famfs: mounted %pg (%llu bytes)\n", fsi->bdev, fsi->dev_size);
	return 0;
}

static int famfs_get_tree(struct fs_context *fc)
{
	struct famfs_fs_info *fsi;
	int ret;

	fsi = kzalloc(sizeof(*fsi), GFP_KERNEL);
	if (!fsi)
		return -ENOMEM;
	fc->s_fs_info = fsi;
	ret = famfs_open_dev(fsi, fc);
	if (ret)
		return ret;	/* famfs_free_fc() releases fsi */
	/* sget_fc() hands fsi to the new superblock; famfs_kill_sb() frees it from then on */
	return get_tree_nodev(fc, famfs_fill_super);
}

static void famfs_free_fc(struct fs_context *fc)
{
	famfs_free_fsi(fc->s_fs_info);
}

static const struct fs_context_operations famfs_context_ops = {
	.get_tree	= famfs_get_tree,
	.free		= famfs_free_fc,
};

static int famfs_init_fs_context(struct fs_context *fc)
{
	fc->ops = &famfs_context_ops;
	return 0;
}

/* The namespace is pinned in the dcache (ramfs style): kill_litter_super() drops it. */
static void famfs_kill_sb(struct super_block *sb)
{
	struct famfs_fs_info *fsi = FAMFS_SB(sb);

	kill_litter_super(sb);
	famfs_free_fsi(fsi);
}

static struct file_system_type famfs_fs_type = {
	.owner			= THIS_MODULE,
	.name			= "famfs",
	.init_fs_context	= famfs_init_fs_context,
	.kill_sb		= famfs_kill_sb,
};
MODULE_ALIAS_FS("famfs");

static int __init famfs_init(void)
{
	int ret;

	famfs_inode_cachep = kmem_cache_create("famfs_inode", sizeof(struct famfs_inode), 0,
					       SLAB_RECLAIM_ACCOUNT | SLAB_ACCOUNT,
					       famfs_inode_init_once);
	if (!famfs_inode_cachep)
		return -ENOMEM;
	ret = famfs_policy_init();
	if (ret) {
		pr_err("famfs: cannot register struct_ops famfs_fmap_ops: %d\n", ret);
		goto out_cache;
	}
	ret = register_filesystem(&famfs_fs_type);
	if (ret)
		goto out_cache;
	return 0;

out_cache:
	kmem_cache_destroy(famfs_inode_cachep);
	return ret;
}

static void __exit famfs_exit(void)
{
	unregister_filesystem(&famfs_fs_type);
	rcu_barrier();
	kmem_cache_destroy(famfs_inode_cachep);
}

module_init(famfs_init);
module_exit(famfs_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("famfs: shared fabric-attached memory file system, fmaps resolved by BPF struct_ops");
