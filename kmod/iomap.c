// SPDX-License-Identifier: GPL-2.0
/*
 * iomap.c - map (file, offset) to device memory by asking the policy, and check its answer.
 *
 * The module trusts no policy: the verifier bounds neither the return value nor the out
 * fields of a struct_ops program, so every answer is checked against the device and
 * against the device ranges the file owns (its grants, grant.c) before it reaches the DAX
 * core: no policy can make a file reach another file's memory or the metadata. A refused answer (or no policy) is -EIO, which dax_iomap_rw()
 * returns to read/write and dax_iomap_fault() turns into SIGBUS.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/dcache.h>
#include <linux/ratelimit.h>

#include "famfs.h"

static const char *const famfs_reject_text[FAMFS_REJECT_NR] = {
	[FAMFS_REJECT_UNBOUND]	 = "file has no fmap key (not bound)",
	[FAMFS_REJECT_NO_POLICY] = "no policy attached",
	[FAMFS_REJECT_KIND]	 = "policy does not resolve this file's fmap kind",
	[FAMFS_REJECT_ERROR]	 = "policy returned an error",
	[FAMFS_REJECT_DEVINDEX]	 = "device index out of range",
	[FAMFS_REJECT_ZERO_LEN]	 = "zero length",
	[FAMFS_REJECT_CONGRUENT] = "device offset not congruent with file offset modulo PAGE_SIZE",
	[FAMFS_REJECT_DEVICE]	 = "range outside the device",
	[FAMFS_REJECT_GRANT]	 = "range outside the file's grants",
	[FAMFS_REJECT_FAILED]	 = "memory failed there (fenced)",
};

/*
 * One rate limit per reason (the kernel's default: 10 messages per 5 s each), so a flood of
 * one kind of refusal never hides the first of another kind from the log.
 */
static struct ratelimit_state famfs_reject_rs[FAMFS_REJECT_NR] = {
	[0 ... FAMFS_REJECT_NR - 1] = RATELIMIT_STATE_INIT(famfs_reject_rs,
						DEFAULT_RATELIMIT_INTERVAL, DEFAULT_RATELIMIT_BURST),
};

/*
 * Count and report a refused translation. The policy's name is looked up here, off the hot
 * path (it names the mount's policy now, which a concurrent switch may have changed).
 */
static int famfs_reject(struct inode *inode, const struct famfs_xlate *x, int ret, int why)
{
	struct famfs_fs_info *fsi = FAMFS_SB(inode->i_sb);
	char policy[FAMFS_POLICY_NAME_LEN];
	struct dentry *d;

	atomic64_inc(&fsi->rejected);
	atomic64_inc(&fsi->rejected_why[why]);
	if (!famfs_policy_name(fsi, policy, sizeof(policy), NULL))
		strscpy(policy, "(none)", sizeof(policy));
	d = d_find_any_alias(inode);
	if (__ratelimit(&famfs_reject_rs[why]))
		pr_warn("%pd (ino %llu): policy %s: offset %llu: %s (ret %d, dev %u, dev_offset %llu, len %llu)\n",
			d, famfs_ino(inode), policy, x->offset, famfs_reject_text[why], ret,
			x->devindex, x->dev_offset, x->dev_length);
	dput(d);
	return -EIO;
}

/* The module's checks of an answer, in order; FAMFS_REJECT_* or -1 when it is good. */
static int famfs_answer_check(struct famfs_fs_info *fsi, const struct famfs_inode *fi,
			      loff_t pos, struct famfs_xlate *x)
{
	if (x->devindex >= fsi->ndevs)
		return FAMFS_REJECT_DEVINDEX;
	if (x->dev_length == 0)
		return FAMFS_REJECT_ZERO_LEN;
	if ((x->dev_offset ^ (u64)pos) & ~PAGE_MASK)
		return FAMFS_REJECT_CONGRUENT;
	if (x->dev_offset >= fsi->devs[x->devindex].size ||
	    x->dev_length > fsi->devs[x->devindex].size - x->dev_offset)
		return FAMFS_REJECT_DEVICE;
	if (!famfs_grant_fit(fi, x))	/* also clamps dev_length to the grant */
		return FAMFS_REJECT_GRANT;
	if (!famfs_failed_clamp(fsi, x))	/* also cuts it before failed memory */
		return FAMFS_REJECT_FAILED;
	return -1;
}

/**
 * famfs_translate() - ask the policy for the device range behind @pos and check it.
 * @inode:  a regular famfs file
 * @pos:    file offset in bytes, < i_size
 * @length: bytes wanted from @pos, > 0
 * @write:  true for a write or write fault
 * @x:      receives the checked answer; x->dev_length is clamped to the grant and @length
 *
 * Checks: file bound; a policy attached that resolves the file's kind and returned 0;
 * devindex < the mount's ndevs; dev_length > 0; dev_offset has the same offset within a
 * page as @pos (DAX maps whole pages); the range lies inside the device; it starts inside
 * one of the file's grants (and is cut at that grant's end); it does not start in failed
 * memory (and is cut before any). Counts translations and
 * rejected answers (per reason) per mount.
 * Context: may be atomic. Return: 0, or -EIO (refused; logged, rate-limited).
 */
int famfs_translate(struct inode *inode, loff_t pos, u64 length, bool write,
		    struct famfs_xlate *x)
{
	struct famfs_fs_info *fsi = FAMFS_SB(inode->i_sb);
	struct famfs_inode *fi = FAMFS_I(inode);
	int why, ret = 0;

	*x = (struct famfs_xlate) {
		.key = smp_load_acquire(&fi->key),	/* pairs with the bind's release */
		.offset = pos,
		.length = length,
		.write = write,
		.ndevs = fsi->ndevs,
	};
	if (!x->key)
		return famfs_reject(inode, x, -ENODATA, FAMFS_REJECT_UNBOUND);
	ret = famfs_policy_call(fsi, fi->kind, x, &why);
	if (ret)
		return famfs_reject(inode, x, ret, why);
	why = famfs_answer_check(fsi, fi, pos, x);
	if (why >= 0)
		return famfs_reject(inode, x, 0, why);

	x->dev_length = min(x->dev_length, length);
	atomic64_inc(&fsi->translations);
	return 0;
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
