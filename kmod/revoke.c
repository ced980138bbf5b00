// SPDX-License-Identifier: GPL-2.0
/*
 * revoke.c - take back every mapping of a mount's files, so that the next access faults
 * (and translates) again. Used when the policy in force for a mount changes: a page
 * mapped by the old policy's answer must not stay reachable through the new one.
 *
 * For each bound file, under its invalidate_lock held exclusively (faults hold it shared
 * from translation to PTE insertion, so none is half done): write back CPU caches of dirty
 * DAX entries, zap every PTE/PMD of the file in every process, and drop the DAX mapping
 * entries, which remember the old pfns. The inode walk follows drop_pagecache_sb().
 * Limit: pages pinned by get_user_pages() before the revocation (an O_DIRECT transfer in
 * flight) stay pinned until that transfer completes.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/pagemap.h>

#include "famfs.h"

/*
 * famfs_revoke_inode() - revoke every mapping of @inode. @writeback: first write back CPU
 * caches of its dirty pages (not after a memory failure: that would touch the bad memory).
 * Context: process; takes the invalidate_lock.
 */
void famfs_revoke_inode(struct inode *inode, bool writeback)
{
	struct address_space *mapping = inode->i_mapping;

	filemap_invalidate_lock(mapping);
	if (writeback)
		filemap_write_and_wait(mapping);
	unmap_mapping_range(mapping, 0, 0, 1);
	truncate_inode_pages(mapping, 0);
	filemap_invalidate_unlock(mapping);
}

/**
 * famfs_revoke_sb() - revoke the mappings of every bound regular file of @sb.
 * Context: process; sleeps. Callers hold famfs_policy_mutex (which keeps @sb alive).
 */
void famfs_revoke_sb(struct super_block *sb)
{
	struct inode *inode, *toput = NULL;

	spin_lock(&sb->s_inode_list_lock);
	list_for_each_entry(inode, &sb->s_inodes, i_sb_list) {
		spin_lock(&inode->i_lock);
		if ((famfs_inode_state(inode) & (I_FREEING | I_WILL_FREE | I_NEW)) ||
		    !S_ISREG(inode->i_mode) || !FAMFS_I(inode)->key) {
			spin_unlock(&inode->i_lock);
			continue;
		}
		__iget(inode);
		spin_unlock(&inode->i_lock);
		spin_unlock(&sb->s_inode_list_lock);

		famfs_revoke_inode(inode, true);
		iput(toput);
		toput = inode;

		cond_resched();
		spin_lock(&sb->s_inode_list_lock);
	}
	spin_unlock(&sb->s_inode_list_lock);
	iput(toput);
}
