// SPDX-License-Identifier: GPL-2.0
/*
 * file.c - regular files: read/write through dax_iomap_rw(); mmap faults mapped directly
 * (fault.c, as device-dax does) or, with direct_faults=0 and for MAP_PRIVATE copies,
 * through dax_iomap_fault() (4 KiB and 2 MiB); PMD-aligned mapping addresses, no
 * allocation, no size change.
 *
 * Lock order (as ext2 DAX): mmap_lock (fault) -> sb_start_pagefault -> invalidate_lock
 * (shared) -> DAX entry lock. read takes i_rwsem shared, write exclusive.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/huge_mm.h>
#include <linux/pagemap.h>
#include <linux/uio.h>
#include <linux/writeback.h>

#include "famfs.h"

static ssize_t famfs_read_iter(struct kiocb *iocb, struct iov_iter *to)
{
	struct inode *inode = file_inode(iocb->ki_filp);
	ssize_t ret;

	if (!iov_iter_count(to))
		return 0;
	inode_lock_shared(inode);
	ret = dax_iomap_rw(iocb, to, &famfs_iomap_ops);
	inode_unlock_shared(inode);
	file_accessed(iocb->ki_filp);
	return ret;
}

/* Writes land inside the file's fixed size: never extend, never allocate. */
static ssize_t famfs_write_iter(struct kiocb *iocb, struct iov_iter *from)
{
	struct inode *inode = file_inode(iocb->ki_filp);
	loff_t size;
	ssize_t ret;

	if (FAMFS_I(inode)->bind_flags & FAMFS_BIND_READONLY)
		return -EPERM;	/* read-only on this host (a client), whatever the mode says */
	inode_lock(inode);
	ret = generic_write_checks(iocb, from);
	if (ret <= 0)
		goto out;
	size = i_size_read(inode);
	if (iocb->ki_pos >= size) {
		ret = -ENOSPC;
		goto out;
	}
	iov_iter_truncate(from, size - iocb->ki_pos);
	ret = dax_iomap_rw(iocb, from, &famfs_iomap_ops);
out:
	inode_unlock(inode);
	return ret;
}

static vm_fault_t famfs_dax_huge_fault(struct vm_fault *vmf, unsigned int order)
{
	struct inode *inode = file_inode(vmf->vma->vm_file);
	struct famfs_fs_info *fsi = FAMFS_SB(inode->i_sb);
	bool write = vmf->flags & FAULT_FLAG_WRITE;
	vm_fault_t ret;
	famfs_pfn_t pfn;

	if (order != 0 && order != PMD_ORDER)
		return VM_FAULT_FALLBACK;	/* 1 GiB: never (and not counted) */
	if (write) {
		sb_start_pagefault(inode->i_sb);
		file_update_time(vmf->vma->vm_file);
	}
	filemap_invalidate_lock_shared(inode->i_mapping);
	ret = dax_iomap_fault(vmf, order, &pfn, NULL, &famfs_iomap_ops);
	filemap_invalidate_unlock_shared(inode->i_mapping);
	if (write)
		sb_end_pagefault(inode->i_sb);

	if (order == 0)
		atomic64_inc(&fsi->pte_faults);
	else if (ret & VM_FAULT_FALLBACK)
		atomic64_inc(&fsi->pmd_fallbacks);
	else
		atomic64_inc(&fsi->pmd_faults);
	return ret;
}

static vm_fault_t famfs_dax_fault(struct vm_fault *vmf)
{
	return famfs_dax_huge_fault(vmf, 0);
}

static const struct vm_operations_struct famfs_vm_ops = {
	.fault		= famfs_dax_fault,	/* 4 KiB */
	.huge_fault	= famfs_dax_huge_fault,	/* 2 MiB (order PMD_ORDER) */
	.page_mkwrite	= famfs_dax_fault,	/* first write to a read-faulted page */
	.pfn_mkwrite	= famfs_dax_fault,
};

static vm_fault_t famfs_direct_huge(struct vm_fault *vmf, unsigned int order)
{
	return famfs_direct_fault(vmf, order, famfs_dax_huge_fault);
}

static vm_fault_t famfs_direct_pte_fault(struct vm_fault *vmf)
{
	return famfs_direct_fault(vmf, 0, famfs_dax_huge_fault);
}

/*
 * The direct path (fault.c): no mkwrite hooks, so a shared writable mapping needs no write
 * notification (famfs has no writeback to start: the superblock's bdi is noop) and its
 * pages are mapped writable at the first fault.
 */
static const struct vm_operations_struct famfs_direct_vm_ops = {
	.fault		= famfs_direct_pte_fault,
	.huge_fault	= famfs_direct_huge,
};

static int famfs_mmap(struct file *file, struct vm_area_struct *vma)
{
	if (FAMFS_I(file_inode(file))->bind_flags & FAMFS_BIND_READONLY) {
		if ((vma->vm_flags & (VM_SHARED | VM_WRITE)) == (VM_SHARED | VM_WRITE))
			return -EPERM;
		if (vma->vm_flags & VM_SHARED)
			vm_flags_clear(vma, VM_MAYWRITE);	/* no mprotect(PROT_WRITE) later */
	}
	file_accessed(file);
	if (READ_ONCE(famfs_direct_faults)) {
		vma->vm_ops = &famfs_direct_vm_ops;
		vm_flags_set(vma, VM_HUGEPAGE | FAMFS_DIRECT_VM_FLAGS);
	} else {
		vma->vm_ops = &famfs_vm_ops;
		vm_flags_set(vma, VM_HUGEPAGE);
	}
	return 0;
}

/*
 * msync/fsync: write back the CPU caches of the range, for mappings of either path: the DAX
 * core's dirty entries, then every page of the range (the direct path tracks no dirty
 * pages). Metadata lives in user space.
 */
static int famfs_fsync(struct file *file, loff_t start, loff_t end, int datasync)
{
	return file_write_and_wait_range(file, start, end) ?:
	       famfs_direct_fsync(file_inode(file), start, end);
}

/*
 * The DAX core flushes each dirty entry through its pfn's kernel address; the dax_device
 * argument is only checked to be alive, so device 0 serves files that span several.
 */
static int famfs_dax_writepages(struct address_space *mapping, struct writeback_control *wbc)
{
	return dax_writeback_mapping_range(mapping, FAMFS_SB(mapping->host->i_sb)->devs[0].dax_dev,
					   wbc);
}

/* Sizes are fixed at bind time: truncate and every other size change are refused. */
static int famfs_file_setattr(struct mnt_idmap *idmap, struct dentry *dentry, struct iattr *iattr)
{
	if (iattr->ia_valid & ATTR_SIZE)
		return -EPERM;
	return simple_setattr(idmap, dentry, iattr);
}

const struct file_operations famfs_file_ops = {
	.read_iter		= famfs_read_iter,
	.write_iter		= famfs_write_iter,
	.mmap			= famfs_mmap,
	.get_unmapped_area	= thp_get_unmapped_area,	/* PMD-aligned addresses */
	.fsync			= famfs_fsync,
	.llseek			= generic_file_llseek,
	.unlocked_ioctl		= famfs_ioctl,
	.compat_ioctl		= compat_ptr_ioctl,
	.splice_read		= copy_splice_read,
};

const struct inode_operations famfs_file_inode_ops = {
	.setattr	= famfs_file_setattr,
	.getattr	= simple_getattr,
};

const struct address_space_operations famfs_dax_aops = {
	.writepages	= famfs_dax_writepages,
	.direct_IO	= noop_direct_IO,
	.dirty_folio	= noop_dirty_folio,
};
