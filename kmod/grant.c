// SPDX-License-Identifier: GPL-2.0
/*
 * grant.c - the module as arbiter of the physical address space: which device ranges each
 * file owns (its grants, fixed at FAMFS_IOC_BIND), and the rule that no two bound files of
 * a mount own the same byte.
 *
 * Each mount keeps one maple tree per device mapping every granted range to the
 * famfs_inode that owns it. Binding inserts the file's grants; an insert that overlaps an
 * existing range fails, and the bind is refused with nothing left behind. Eviction erases
 * them. A device is opened exclusively by one mount, so per-mount trees see every grant of
 * the device. The trees are also the reverse map from device memory to file.
 *
 * Context: bind and release run in process context (GFP_KERNEL); famfs_grant_fit() runs
 * on the fault path, lock free: a file's grants never change once its key is published.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/maple_tree.h>
#include <linux/ratelimit.h>
#include <linux/slab.h>

#include "famfs.h"

/* The mount's per-device trees: grants (here) and failed ranges (memfail.c). */
void famfs_trees_init(struct famfs_fs_info *fsi)
{
	int d;

	for (d = 0; d < FAMFS_MAX_DEVS; d++) {
		mt_init(&fsi->grants[d]);
		mt_init(&fsi->failed[d]);
	}
}

void famfs_trees_destroy(struct famfs_fs_info *fsi)
{
	int d;

	for (d = 0; d < FAMFS_MAX_DEVS; d++) {
		mtree_destroy(&fsi->grants[d]);
		mtree_destroy(&fsi->failed[d]);
	}
}

/* One grant's shape: a page-aligned, non-empty range inside its device. */
static int famfs_grant_check(struct famfs_fs_info *fsi, const struct famfs_grant *g, bool meta)
{
	if (g->devindex >= fsi->ndevs || g->flags || !g->len ||
	    !PAGE_ALIGNED(g->offset) || !PAGE_ALIGNED(g->len) ||
	    g->offset >= fsi->devs[g->devindex].size ||
	    g->len > fsi->devs[g->devindex].size - g->offset)
		return -EINVAL;
	if (!meta && g->offset < FAMFS_SB_SIZE)
		return -EACCES;		/* a device head belongs to the .meta files */
	return 0;
}

/* Insert @n grants of @fi; on overlap undo what went in and return -EADDRINUSE. */
static int famfs_grants_insert(struct famfs_fs_info *fsi, struct famfs_inode *fi,
			       const struct famfs_grant *g, u32 n)
{
	unsigned long idx;
	struct famfs_inode *other;
	u32 i;
	int ret = 0;

	for (i = 0; i < n && !ret; i++)
		ret = mtree_insert_range(&fsi->grants[g[i].devindex], g[i].offset,
					 g[i].offset + g[i].len - 1, fi, GFP_KERNEL);
	if (!ret)
		return 0;
	i--;
	if (ret == -EEXIST) {
		idx = g[i].offset;
		other = mt_find(&fsi->grants[g[i].devindex], &idx, g[i].offset + g[i].len - 1);
		pr_warn_ratelimited("bind of ino %llu refused: grant %u (dev %u, offset %llu, %llu bytes) overlaps ino %llu's\n",
				    famfs_ino(&fi->vfs_inode), i, g[i].devindex, g[i].offset, g[i].len,
				    other ? famfs_ino(&other->vfs_inode) : 0);
		ret = -EADDRINUSE;
	}
	while (i--)
		mtree_erase(&fsi->grants[g[i].devindex], g[i].offset);
	return ret;
}

/**
 * famfs_grants_bind() - give @inode the grants of bind request @b, checked.
 * @inode: a regular famfs file, unbound, inode lock held
 * @b:     the request; flags, ngrants and grants are read
 *
 * Return: 0; -EINVAL (bad count or grant shape), -EACCES (a device head for a non-.meta
 * file, or no .meta file bound yet), -EADDRINUSE (overlaps another file's grant), -ENOMEM.
 */
int famfs_grants_bind(struct inode *inode, const struct famfs_ioc_bind *b)
{
	struct famfs_fs_info *fsi = FAMFS_SB(inode->i_sb);
	struct famfs_inode *fi = FAMFS_I(inode);
	bool meta = b->flags & FAMFS_BIND_META;
	struct famfs_grant *g;
	u32 i;
	int ret;

	if (!b->ngrants || b->ngrants > FAMFS_MAX_GRANTS)
		return -EINVAL;
	if (!meta && !atomic_read(&fsi->nmeta))
		return -EACCES;
	for (i = 0; i < b->ngrants; i++) {
		ret = famfs_grant_check(fsi, &b->grants[i], meta);
		if (ret)
			return ret;
	}
	g = kmemdup(b->grants, b->ngrants * sizeof(*g), GFP_KERNEL);
	if (!g)
		return -ENOMEM;
	ret = famfs_grants_insert(fsi, fi, g, b->ngrants);
	if (ret) {
		kfree(g);
		return ret;
	}
	fi->grants = g;
	fi->ngrants = b->ngrants;
	if (meta)
		atomic_inc(&fsi->nmeta);
	atomic64_inc(&fsi->files_bound);
	return 0;
}

/* famfs_grants_release() - at eviction: the file's ranges go back (process context). */
void famfs_grants_release(struct inode *inode)
{
	struct famfs_fs_info *fsi = FAMFS_SB(inode->i_sb);
	struct famfs_inode *fi = FAMFS_I(inode);
	u32 i;

	if (!fi->grants)
		return;
	for (i = 0; i < fi->ngrants; i++)
		mtree_erase(&fsi->grants[fi->grants[i].devindex], fi->grants[i].offset);
	if (fi->bind_flags & FAMFS_BIND_META)
		atomic_dec(&fsi->nmeta);
	atomic64_dec(&fsi->files_bound);
	kfree(fi->grants);
	fi->grants = NULL;
	fi->ngrants = 0;
}

/**
 * famfs_grant_fit() - does answer @x lie inside one of @fi's grants?
 * If so, clamp x->dev_length to that grant's end and return true. The answer's device
 * index and range were checked against the device before. Context: any (lock free).
 */
bool famfs_grant_fit(const struct famfs_inode *fi, struct famfs_xlate *x)
{
	const struct famfs_grant *g;
	u32 i;

	for (i = 0; i < fi->ngrants; i++) {
		g = &fi->grants[i];
		if (g->devindex == x->devindex && x->dev_offset >= g->offset &&
		    x->dev_offset - g->offset < g->len) {
			x->dev_length = min(x->dev_length, g->len - (x->dev_offset - g->offset));
			return true;
		}
	}
	return false;
}
