// SPDX-License-Identifier: GPL-2.0
/*
 * inode.c - the in-memory namespace (ramfs-like): directories and empty regular files made
 * through the VFS by famfsctl while it replays the log. Regular files are DAX files whose
 * size and fmap key are set once by FAMFS_IOC_BIND (ioctl.c). No symlinks, no devices.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs.h>
#include <linux/pagemap.h>
#include <linux/time.h>

#include "famfs.h"

/* simple_dir_operations plus our ioctls (FAMFS_IOC_STATS on the mount root). */
static const struct file_operations famfs_dir_ops = {
	.open		= dcache_dir_open,
	.release	= dcache_dir_close,
	.llseek		= dcache_dir_lseek,
	.read		= generic_read_dir,
	.iterate_shared	= dcache_readdir,
	.fsync		= noop_fsync,
	.unlocked_ioctl	= famfs_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
};

/**
 * famfs_get_inode() - a new inode of @mode (S_IFREG or S_IFDIR) owned per the VFS rules.
 * Return: the inode, or NULL on allocation failure.
 */
struct inode *famfs_get_inode(struct super_block *sb, const struct inode *dir, umode_t mode)
{
	struct inode *inode = new_inode(sb);

	if (!inode)
		return NULL;
	inode->i_ino = get_next_ino();
	inode_init_owner(&nop_mnt_idmap, inode, dir, mode);
	simple_inode_init_ts(inode);

	switch (mode & S_IFMT) {
	case S_IFREG:
		inode->i_op = &famfs_file_inode_ops;
		inode->i_fop = &famfs_file_ops;
		inode->i_mapping->a_ops = &famfs_dax_aops;
		inode->i_flags |= S_DAX;
		break;
	case S_IFDIR:
		inode->i_op = &famfs_dir_inode_ops;
		inode->i_fop = &famfs_dir_ops;
		inc_nlink(inode);	/* "." */
		break;
	default:
		iput(inode);
		return NULL;
	}
	return inode;
}

static int famfs_mknod(struct inode *dir, struct dentry *dentry, umode_t mode)
{
	struct inode *inode = famfs_get_inode(dir->i_sb, dir, mode);

	if (!inode)
		return -ENOMEM;
	famfs_d_pin(dentry, inode);	/* the namespace lives in the dcache, as in ramfs */
	inode_set_mtime_to_ts(dir, inode_set_ctime_current(dir));
	return 0;
}

static int famfs_create(struct mnt_idmap *idmap, struct inode *dir, struct dentry *dentry,
			umode_t mode FAMFS_CREATE_EXCL_ARG)
{
	return famfs_mknod(dir, dentry, (mode & ~S_IFMT) | S_IFREG);
}

static famfs_mkdir_ret_t famfs_mkdir(struct mnt_idmap *idmap, struct inode *dir,
				     struct dentry *dentry, umode_t mode)
{
	int ret = famfs_mknod(dir, dentry, (mode & ~S_IFMT) | S_IFDIR);

	if (!ret)
		inc_nlink(dir);
	return FAMFS_MKDIR_RET(ret);
}

const struct inode_operations famfs_dir_inode_ops = {
	.create		= famfs_create,
	.lookup		= simple_lookup,
	.link		= simple_link,
	.unlink		= simple_unlink,
	.mkdir		= famfs_mkdir,
	.rmdir		= simple_rmdir,
	.rename		= simple_rename,
	.setattr	= simple_setattr,
	.getattr	= simple_getattr,
};
