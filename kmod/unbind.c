// SPDX-License-Identifier: GPL-2.0
/*
 * unbind.c - FAMFS_IOC_UNBIND: a deleted file gives back its memory on this host.
 *
 * Order, under the inode lock (excludes read/write, bind and xlate) and the invalidate lock
 * held exclusively (excludes faults, which hold it shared from translation to PTE insertion):
 * clear the key (every later translation is refused: EIO, SIGBUS), zap every PTE/PMD and drop
 * the DAX entries (revoke.c), and only then drop the grants, so no mapping of the memory
 * survives when another file may be bound to it. No write-back of CPU caches: the file's
 * data no longer matters, and its memory is someone else's next.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/pagemap.h>

#include "famfs.h"

/**
 * famfs_ioc_unbind() - unbind @file's inode (see FAMFS_IOC_UNBIND in famfs_ioctl.h).
 * Context: process; sleeps. Return: 0, -ENODATA (not bound), -EPERM.
 */
long famfs_ioc_unbind(struct file *file)
{
	struct inode *inode = file_inode(file);
	struct famfs_inode *fi = FAMFS_I(inode);
	struct address_space *mapping = inode->i_mapping;
	long ret = 0;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	inode_lock(inode);
	filemap_invalidate_lock(mapping);
	if (!fi->key || (fi->bind_flags & FAMFS_BIND_META)) {
		ret = -ENODATA;
		goto out;
	}
	smp_store_release(&fi->key, 0);	/* translations from now on are refused */
	unmap_mapping_range(mapping, 0, 0, 1);
	truncate_inode_pages(mapping, 0);
	famfs_grants_release(inode);	/* only now may another file own the memory */
	atomic64_inc(&FAMFS_SB(inode->i_sb)->revocations);
out:
	filemap_invalidate_unlock(mapping);
	inode_unlock(inode);
	return ret;
}
