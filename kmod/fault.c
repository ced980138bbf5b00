// SPDX-License-Identifier: GPL-2.0
/*
 * fault.c - the direct fault path: map the pages a policy answer names straight into the
 * VMA, as device-dax does (vmf_insert_mixed() for 4 KiB, vmf_insert_pfn_pmd() for 2 MiB),
 * instead of going through the DAX core's per-file mapping entries (dax_iomap_fault()).
 *
 * A famfs file never allocates, never has holes and never changes size, so the DAX core's
 * entries buy it nothing: no hole to fill, no truncate to wait for, no block to allocate.
 * What they did give, and how this path keeps it:
 *   - dirty tracking for msync/fsync: gone; famfs_direct_fsync() writes the CPU caches back
 *     over the whole range asked (translated through the policy), dirty or not;
 *   - MAP_PRIVATE write faults (a copy of the page): left to the DAX core (rare, and it
 *     inserts no entry for the file's own pages);
 *   - revocation (policy switch, memory failure) is unmap_mapping_range() on the file, which
 *     zaps these PTEs/PMDs like any other; the next fault translates again;
 *   - get_user_pages: the PTEs are devmap, as device-dax's, so GUP pins the pages.
 * Every answer still goes through famfs_translate() (the grant and failed-memory checks).
 *
 * Lock order as file.c: mmap_lock -> sb_start_pagefault (write) -> invalidate_lock (shared),
 * which revocation takes exclusive before it unmaps.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/dax.h>
#include <linux/fs.h>
#include <linux/huge_mm.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/pagemap.h>
#include <linux/sizes.h>

#include "famfs.h"

bool famfs_direct_faults = true;
module_param_named(direct_faults, famfs_direct_faults, bool, 0644);
MODULE_PARM_DESC(direct_faults, "map faults directly, as device-dax does (1, default), or through the DAX core's mapping entries (0); read at mmap time");

/*
 * The pfn (and kernel address) of @nr pages of checked answer @x. 0, or -EIO if the device
 * gives fewer pages, or pages without struct pages (never for an fsdax namespace, which the
 * mount requires; vmf_insert_* would BUG on them).
 */
static int famfs_answer_pfn(struct famfs_fs_info *fsi, const struct famfs_xlate *x, long nr,
			    famfs_pfn_t *pfn, void **kaddr)
{
	struct famfs_daxdev *d = &fsi->devs[x->devindex];
	pgoff_t pgoff = (d->part_off + x->dev_offset) >> PAGE_SHIFT;
	int id = dax_read_lock();
	long n = dax_direct_access(d->dax_dev, pgoff, nr, DAX_ACCESS, kaddr, pfn);

	dax_read_unlock(id);
	if (n < nr || !famfs_pfn_has_page(*pfn))
		return -EIO;
	return 0;
}

static vm_fault_t famfs_direct_pte(struct vm_fault *vmf, struct inode *inode, bool write)
{
	struct famfs_fs_info *fsi = FAMFS_SB(inode->i_sb);
	loff_t pos = (loff_t)vmf->pgoff << PAGE_SHIFT;
	struct famfs_xlate x;
	void *kaddr;
	famfs_pfn_t pfn;

	if (pos >= i_size_read(inode))
		return VM_FAULT_SIGBUS;
	if (famfs_translate(inode, pos, PAGE_SIZE, write, &x) ||
	    famfs_answer_pfn(fsi, &x, 1, &pfn, &kaddr))
		return VM_FAULT_SIGBUS;
	return vmf_insert_mixed(vmf->vma, vmf->address, pfn);
}

/* A 2 MiB fault: a PMD when the VMA, the file and the answer all cover the aligned 2 MiB. */
static vm_fault_t famfs_direct_pmd(struct vm_fault *vmf, struct inode *inode, bool write)
{
	struct famfs_fs_info *fsi = FAMFS_SB(inode->i_sb);
	struct vm_area_struct *vma = vmf->vma;
	unsigned long addr = vmf->address & PMD_MASK;
	pgoff_t pgoff = linear_page_index(vma, addr);
	pgoff_t max = DIV_ROUND_UP(i_size_read(inode), PAGE_SIZE);
	struct famfs_xlate x;
	void *kaddr;
	famfs_pfn_t pfn;

	if (write && !(vma->vm_flags & VM_SHARED))
		return VM_FAULT_FALLBACK;	/* a private copy: 4 KiB, through the DAX core */
	if (addr < vma->vm_start || addr + PMD_SIZE > vma->vm_end || (pgoff & (PTRS_PER_PMD - 1)))
		return VM_FAULT_FALLBACK;
	if (pgoff >= max)
		return VM_FAULT_SIGBUS;
	if (pgoff + PTRS_PER_PMD > max)
		return VM_FAULT_FALLBACK;
	if (famfs_translate(inode, (loff_t)pgoff << PAGE_SHIFT, PMD_SIZE, write, &x))
		return VM_FAULT_FALLBACK;	/* the 4 KiB retry gets its SIGBUS */
	if (x.dev_length < PMD_SIZE || ((fsi->devs[x.devindex].part_off + x.dev_offset) & ~PMD_MASK))
		return VM_FAULT_FALLBACK;
	if (famfs_answer_pfn(fsi, &x, PTRS_PER_PMD, &pfn, &kaddr) ||
	    (famfs_pfn_to_pfn(pfn) & (PTRS_PER_PMD - 1)))
		return VM_FAULT_FALLBACK;
	return vmf_insert_pfn_pmd(vmf, pfn, write);
}

/**
 * famfs_direct_fault() - the direct path's ->fault / ->huge_fault.
 * @vmf:   the fault; a MAP_PRIVATE write fault (vmf->cow_page) goes to @dax_fault
 * @order: 0 (4 KiB) or PMD_ORDER; any other (PUD_ORDER, which the kernel tries first for
 *         DAX VMAs) falls back at once
 * @dax_fault: the DAX core path (file.c), for private copies
 * Context: mmap_lock held (read). Return: VM_FAULT_NOPAGE, _SIGBUS, _FALLBACK, _OOM.
 */
vm_fault_t famfs_direct_fault(struct vm_fault *vmf, unsigned int order,
			      vm_fault_t (*dax_fault)(struct vm_fault *, unsigned int))
{
	struct inode *inode = file_inode(vmf->vma->vm_file);
	struct famfs_fs_info *fsi = FAMFS_SB(inode->i_sb);
	bool write = vmf->flags & FAULT_FLAG_WRITE;
	vm_fault_t ret;

	if (order != 0 && order != PMD_ORDER)
		return VM_FAULT_FALLBACK;	/* a 1 GiB (PUD) try: vmf->pmd is not even set */
	if (order == 0 && vmf->cow_page)
		return dax_fault(vmf, 0);
	if (write) {
		sb_start_pagefault(inode->i_sb);
		file_update_time(vmf->vma->vm_file);
	}
	filemap_invalidate_lock_shared(inode->i_mapping);
	ret = order ? famfs_direct_pmd(vmf, inode, write) : famfs_direct_pte(vmf, inode, write);
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

/**
 * famfs_direct_fsync() - write the CPU caches back over file bytes [@start, @end].
 * The direct path tracks no dirty pages, so every page of the range is written back
 * (dax_flush(): clwb/clflushopt over the kernel mapping), wherever the policy says it lives.
 * Context: process; takes invalidate_lock shared. Return: 0, or -EIO if a translation is
 * refused.
 */
int famfs_direct_fsync(struct inode *inode, loff_t start, loff_t end)
{
	struct famfs_fs_info *fsi = FAMFS_SB(inode->i_sb);
	loff_t size = i_size_read(inode), pos = start & PAGE_MASK;
	struct famfs_xlate x;
	int ret = 0;

	if (!smp_load_acquire(&FAMFS_I(inode)->key))
		return 0;	/* not bound: nothing mapped, nothing to write back */
	if (end >= size)
		end = size - 1;
	filemap_invalidate_lock_shared(inode->i_mapping);
	while (pos <= end && !ret) {
		long nr;
		void *kaddr;
		famfs_pfn_t pfn;

		/* pos is page aligned, so is the answer (congruent); at most 64 MiB a step */
		ret = famfs_translate(inode, pos, min_t(u64, end - pos + 1, SZ_64M), false, &x);
		if (ret)
			break;
		nr = DIV_ROUND_UP(x.dev_length, PAGE_SIZE);
		ret = famfs_answer_pfn(fsi, &x, nr, &pfn, &kaddr);
		if (ret)
			break;
		dax_flush(fsi->devs[x.devindex].dax_dev, kaddr, nr << PAGE_SHIFT);
		pos += nr << PAGE_SHIFT;
		cond_resched();
	}
	filemap_invalidate_unlock_shared(inode->i_mapping);
	return ret;
}
