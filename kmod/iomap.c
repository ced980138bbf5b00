// SPDX-License-Identifier: GPL-2.0
/*
 * iomap.c - map (file, offset) to device memory by asking the policy, and check its answer.
 *
 * The module trusts no policy: the verifier bounds neither the return value nor the out
 * fields of a struct_ops program, so every answer is checked against the device before it
 * reaches the DAX core. A refused answer (or no policy) is -EIO, which dax_iomap_rw()
 * returns to read/write and dax_iomap_fault() turns into SIGBUS.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/dcache.h>
#include <linux/ratelimit.h>

#include "famfs.h"

/*
 * Count and report a refused translation. The policy's name is looked up here, off the hot
 * path (it names the mount's policy now, which a concurrent switch may have changed).
 */
static void famfs_reject(struct inode *inode, const struct famfs_xlate *x, int ret,
			 const char *why)
{
	struct famfs_fs_info *fsi = FAMFS_SB(inode->i_sb);
	char policy[FAMFS_POLICY_NAME_LEN];
	struct dentry *d;

	atomic64_inc(&fsi->rejected);
	if (!famfs_policy_name(fsi, policy, sizeof(policy))) {
		strscpy(policy, "(none)", sizeof(policy));
		if (ret == -ENXIO)
			why = "no policy attached";
	}
	d = d_find_any_alias(inode);
	pr_warn_ratelimited("%pd (ino %lu): policy %s: offset %llu: %s (ret %d, dev %u, dev_offset %llu, len %llu)\n",
			    d, inode->i_ino, policy, x->offset, why, ret, x->devindex,
			    x->dev_offset, x->dev_length);
	dput(d);
}

/**
 * famfs_translate() - ask the policy for the device range behind @pos and check it.
 * @inode:  a regular famfs file
 * @pos:    file offset in bytes, < i_size
 * @length: bytes wanted from @pos, > 0
 * @write:  true for a write or write fault
 * @x:      receives the checked answer; x->dev_length is clamped to @length
 *
 * Checks: file bound; policy returned 0; devindex < the mount's ndevs; dev_length > 0;
 * dev_offset has the same offset within a page as @pos (DAX maps whole pages); the range
 * lies inside the device. Counts translations and rejected answers per mount.
 * Context: may be atomic. Return: 0, or -EIO (refused; logged, rate-limited).
 */
int famfs_translate(struct inode *inode, loff_t pos, u64 length, bool write,
		    struct famfs_xlate *x)
{
	struct famfs_fs_info *fsi = FAMFS_SB(inode->i_sb);
	const char *why = NULL;
	int ret;

	*x = (struct famfs_xlate) {
		.key = FAMFS_I(inode)->key,
		.offset = pos,
		.length = length,
		.write = write,
		.ndevs = fsi->ndevs,
	};
	if (!x->key) {
		why = "file has no fmap key (not bound)";
		ret = -ENODATA;
		goto reject;
	}
	ret = famfs_policy_call(fsi, x);
	if (ret)
		why = "policy returned an error";	/* or none attached: famfs_reject() */
	else if (x->devindex >= fsi->ndevs)
		why = "device index out of range";
	else if (x->dev_length == 0)
		why = "zero length";
	else if ((x->dev_offset ^ (u64)pos) & ~PAGE_MASK)
		why = "device offset not congruent with file offset modulo PAGE_SIZE";
	else if (x->dev_offset >= fsi->devs[x->devindex].size ||
		 x->dev_length > fsi->devs[x->devindex].size - x->dev_offset)
		why = "range outside the device";
	if (why)
		goto reject;

	x->dev_length = min(x->dev_length, length);
	atomic64_inc(&fsi->translations);
	return 0;

reject:
	famfs_reject(inode, x, ret, why);
	return -EIO;
}

static int famfs_iomap_begin(struct inode *inode, loff_t pos, loff_t length,
			     unsigned int flags, struct iomap *iomap, struct iomap *srcmap)
{
	struct famfs_fs_info *fsi = FAMFS_SB(inode->i_sb);
	struct famfs_xlate x;
	int ret;

	if (pos >= i_size_read(inode)) {
		/* dax_iomap_rw() asks before clamping reads at EOF: nothing there */
		iomap->type = IOMAP_HOLE;
		iomap->flags = 0;
		iomap->offset = pos;
		iomap->length = length;
		iomap->addr = IOMAP_NULL_ADDR;
		iomap->bdev = fsi->devs[0].bdev;
		iomap->dax_dev = fsi->devs[0].dax_dev;
		return 0;
	}
	ret = famfs_translate(inode, pos, length, flags & IOMAP_WRITE, &x);
	if (ret)
		return ret;

	iomap->type = IOMAP_MAPPED;
	iomap->flags = 0;
	iomap->offset = pos;
	iomap->length = x.dev_length;
	iomap->addr = x.dev_offset + fsi->devs[x.devindex].part_off;
	iomap->bdev = fsi->devs[x.devindex].bdev;
	iomap->dax_dev = fsi->devs[x.devindex].dax_dev;
	return 0;
}

/* Nothing to commit: famfs never allocates. */
static int famfs_iomap_end(struct inode *inode, loff_t pos, loff_t length, ssize_t written,
			   unsigned int flags, struct iomap *iomap)
{
	return 0;
}

const struct iomap_ops famfs_iomap_ops = {
	.iomap_begin	= famfs_iomap_begin,
	.iomap_end	= famfs_iomap_end,
};
