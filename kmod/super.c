// SPDX-License-Identifier: GPL-2.0
/*
 * super.c - the famfs_bpf file system type (FAMFS_FS_TYPE): mount on an fsdax pmem block device, the
 * superblock operations, and module init/exit.
 *
 * The superblock is a "nodev" one (the namespace lives in memory, as in ramfs). The device
 * named by the mount source is device 0; dev=PATH options add devices 1, 2, ... in the order
 * of the file system's device table (famfsctl mount finds them by UUID). Each is opened
 * exclusively by famfs_open_dev(), so a device already mounted is refused with EBUSY. Mounting reads nothing from the device: the namespace starts empty and famfsctl fills it
 * by replaying the on-media log (user space owns the format). The device must support DAX
 * (an fsdax namespace); anything else is refused at mount with a message saying so.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/blkdev.h>
#include <linux/fs_context.h>
#include <linux/fs_parser.h>
#include <linux/seq_file.h>
#include <linux/module.h>
#include <linux/random.h>
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
	fi->bind_flags = 0;
	fi->kind = 0;
	fi->ngrants = 0;
	fi->grants = NULL;
	return &fi->vfs_inode;
}

/* Eviction gives the file's grants back (its DAX entries and mappings are gone by then). */
static void famfs_evict_inode(struct inode *inode)
{
	truncate_inode_pages_final(&inode->i_data);
	clear_inode(inode);
	famfs_grants_release(inode);
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
	u32 i;

	buf->f_type = FAMFS_SUPER_MAGIC;
	buf->f_bsize = PAGE_SIZE;
	buf->f_blocks = 0;
	for (i = 0; i < fsi->ndevs; i++)
		buf->f_blocks += fsi->devs[i].size >> PAGE_SHIFT;
	/* space is allocated by famfsctl on the master: its count (FAMFS_IOC_SET_SPACE) */
	buf->f_bfree = 0;
	spin_lock(&fsi->space_lock);
	if (fsi->space_known) {
		buf->f_blocks = fsi->space_capacity >> PAGE_SHIFT;
		buf->f_bfree = fsi->space_free >> PAGE_SHIFT;
	}
	spin_unlock(&fsi->space_lock);
	buf->f_bavail = buf->f_bfree;
	buf->f_namelen = NAME_MAX;
	return 0;
}

/* /proc/mounts: the extra devices and the policy asked for. */
static int famfs_show_options(struct seq_file *m, struct dentry *root)
{
	struct famfs_fs_info *fsi = FAMFS_SB(root->d_sb);
	char sel[FAMFS_POLICY_NAME_LEN];
	u32 i;

	for (i = 1; i < fsi->ndevs; i++)
		seq_printf(m, ",dev=/dev/%pg", fsi->devs[i].bdev);
	famfs_policy_selected(fsi, sel, sizeof(sel));
	if (sel[0])
		seq_show_option(m, "policy", sel);
	return 0;
}

static const struct super_operations famfs_super_ops = {
	.alloc_inode	= famfs_alloc_inode,
	.free_inode	= famfs_free_inode,
	.evict_inode	= famfs_evict_inode,
	.statfs		= famfs_statfs,
	.drop_inode	= famfs_drop_inode,
	.show_options	= famfs_show_options,
};

/* Mount options: dev=PATH (repeatable: devices 1, 2, ... in order), policy=NAME. */
enum { Opt_dev, Opt_policy };

static const struct fs_parameter_spec famfs_fs_params[] = {
	fsparam_string("dev", Opt_dev),
	fsparam_string("policy", Opt_policy),
	{}
};

/* What the mount options asked for, until get_tree() opens it. */
struct famfs_fs_context {
	const char *dev[FAMFS_MAX_DEVS];	/* [0] is fc->source; the others are ours */
	u32	ndevs;
	char	policy[FAMFS_POLICY_NAME_LEN];
};

static int famfs_parse_param(struct fs_context *fc, struct fs_parameter *param)
{
	struct famfs_fs_context *ctx = fc->fs_private;
	struct fs_parse_result result;
	int opt;

	opt = fs_parse(fc, famfs_fs_params, param, &result);
	if (opt == -ENOPARAM && !strcmp(param->key, "source"))
		return vfs_parse_fs_param_source(fc, param);
	if (opt < 0)
		return opt;
	switch (opt) {
	case Opt_dev:
		if (ctx->ndevs + 1 >= FAMFS_MAX_DEVS)
			return invalf(fc, "at most %d devices", FAMFS_MAX_DEVS);
		ctx->dev[++ctx->ndevs] = param->string;
		param->string = NULL;
		return 0;
	case Opt_policy:
		if (strscpy(ctx->policy, param->string, sizeof(ctx->policy)) < 0)
			return invalf(fc, "policy name too long: %s", param->string);
		return 0;
	}
	return -EINVAL;
}

/*
 * Open device @path exclusively (the holder is this mount's fsi, so a device already in
 * another famfs mount, or any exclusive user, gives EBUSY) and take its dax device.
 */
static int famfs_open_dev(struct famfs_fs_info *fsi, struct fs_context *fc, const char *path)
{
	struct famfs_daxdev *d = &fsi->devs[fsi->ndevs];
	int ret;

	d->bdev_file = bdev_file_open_by_path(path, BLK_OPEN_READ | BLK_OPEN_WRITE, fsi, NULL);
	if (IS_ERR(d->bdev_file)) {
		ret = PTR_ERR(d->bdev_file);
		d->bdev_file = NULL;
		return errorf(fc, "cannot open %s exclusively: %d%s", path, ret,
			      ret == -EBUSY ? " (in use: already mounted?)" : ""), ret;
	}
	fsi->ndevs++;
	d->bdev = file_bdev(d->bdev_file);
	d->dax_dev = fs_dax_get_by_bdev(d->bdev, &d->part_off, fsi, &famfs_dax_holder_ops);
	if (!d->dax_dev)
		return invalf(fc, "%s does not support DAX (it must be an fsdax namespace)",
			      path);
	d->size = bdev_nr_bytes(d->bdev);
	return 0;
}

static void famfs_free_fsi(struct famfs_fs_info *fsi)
{
	u32 i;

	if (!fsi)
		return;
	for (i = 0; i < fsi->ndevs; i++) {
		if (fsi->devs[i].dax_dev)
			fs_put_dax(fsi->devs[i].dax_dev, fsi);
		bdev_fput(fsi->devs[i].bdev_file);
	}
	famfs_trees_destroy(fsi);
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
	fsi->sb = sb;
	famfs_mount_register(fsi);
	pr_info("mounted %pg (%llu bytes) and %u more device(s), mount id %#x\n",
		fsi->devs[0].bdev, fsi->devs[0].size, fsi->ndevs - 1, fsi->mount_id);
	return 0;
}

/* Mount ids are the high half of fmap keys: unique per mount, also across module reloads. */
static atomic_t famfs_mount_seq;

static int famfs_get_tree(struct fs_context *fc)
{
	struct famfs_fs_context *ctx = fc->fs_private;
	struct famfs_fs_info *fsi;
	u32 i;
	int ret;

	if (!fc->source)
		return invalf(fc, "no device given (mount -t " FAMFS_FS_TYPE " /dev/pmemN DIR)");
	fsi = kzalloc(sizeof(*fsi), GFP_KERNEL);
	if (!fsi)
		return -ENOMEM;
	INIT_LIST_HEAD(&fsi->mounts);
	spin_lock_init(&fsi->space_lock);
	famfs_trees_init(fsi);
	fsi->mount_id = atomic_inc_return(&famfs_mount_seq);
	strscpy(fsi->sel_name, ctx->policy, sizeof(fsi->sel_name));
	fc->s_fs_info = fsi;	/* famfs_free_fc() releases it until sget_fc() takes it */
	ctx->dev[0] = fc->source;
	for (i = 0; i <= ctx->ndevs; i++) {
		ret = famfs_open_dev(fsi, fc, ctx->dev[i]);
		if (ret)
			return ret;
	}
	/* sget_fc() hands fsi to the new superblock; famfs_kill_sb() frees it from then on */
	return get_tree_nodev(fc, famfs_fill_super);
}

static void famfs_free_fc(struct fs_context *fc)
{
	struct famfs_fs_context *ctx = fc->fs_private;
	u32 i;

	famfs_free_fsi(fc->s_fs_info);
	if (ctx) {
		for (i = 1; i <= ctx->ndevs; i++)
			kfree((char *)ctx->dev[i]);
		kfree(ctx);
	}
}

static const struct fs_context_operations famfs_context_ops = {
	.parse_param	= famfs_parse_param,
	.get_tree	= famfs_get_tree,
	.free		= famfs_free_fc,
};

static int famfs_init_fs_context(struct fs_context *fc)
{
	fc->fs_private = kzalloc(sizeof(struct famfs_fs_context), GFP_KERNEL);
	if (!fc->fs_private)
		return -ENOMEM;
	fc->ops = &famfs_context_ops;
	return 0;
}

/* The namespace is pinned in the dcache (ramfs style): famfs_kill_pinned_super() drops it. */
static void famfs_kill_sb(struct super_block *sb)
{
	struct famfs_fs_info *fsi = FAMFS_SB(sb);

	if (fsi)
		famfs_mount_unregister(fsi);	/* no policy change revokes this sb any more */
	famfs_kill_pinned_super(sb);
	famfs_free_fsi(fsi);
}

static struct file_system_type famfs_fs_type = {
	.owner			= THIS_MODULE,
	.name			= FAMFS_FS_TYPE,
	.init_fs_context	= famfs_init_fs_context,
	.kill_sb		= famfs_kill_sb,
};
MODULE_ALIAS_FS(FAMFS_FS_TYPE);

static int __init famfs_init(void)
{
	int ret;

	atomic_set(&famfs_mount_seq, get_random_u32());
	famfs_inode_cachep = kmem_cache_create("famfs_inode", sizeof(struct famfs_inode), 0,
					       SLAB_RECLAIM_ACCOUNT | SLAB_ACCOUNT,
					       famfs_inode_init_once);
	if (!famfs_inode_cachep)
		return -ENOMEM;
	ret = famfs_policy_init();
	if (ret) {
		pr_err("cannot register struct_ops famfs_fmap_ops: %d\n", ret);
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
