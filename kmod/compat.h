/* SPDX-License-Identifier: GPL-2.0 */
/*
 * compat.h - the kernel API differences between the kernels famfs_bpf.ko is built for:
 * Debian's 6.12 (bookworm-backports) and 7.3 (trixie-backports). One entry per difference,
 * each naming the release that changed it. Only those two builds are checked (make kmod,
 * make kmod-7.3); a kernel between them may need a threshold moved.
 */
#ifndef FAMFS_COMPAT_H
#define FAMFS_COMPAT_H

#include <linux/version.h>
#include <linux/fs.h>
#include <linux/dcache.h>
#include <linux/mm.h>

/*
 * pfn_t is gone (6.17, with the devmap PTE bit): dax_direct_access(), dax_iomap_fault(),
 * vmf_insert_mixed() and vmf_insert_pfn_pmd() take a plain unsigned long pfn. "Has struct
 * pages" was pfn_t_devmap(); after 6.17 a DAX pfn without a struct page is not pfn_valid().
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 17, 0)
typedef unsigned long famfs_pfn_t;
static inline unsigned long famfs_pfn_to_pfn(famfs_pfn_t pfn) { return pfn; }
static inline bool famfs_pfn_has_page(famfs_pfn_t pfn) { return pfn_valid(pfn); }
#else
#include <linux/pfn_t.h>
typedef pfn_t famfs_pfn_t;
static inline unsigned long famfs_pfn_to_pfn(famfs_pfn_t pfn) { return pfn_t_to_pfn(pfn); }
static inline bool famfs_pfn_has_page(famfs_pfn_t pfn) { return pfn_t_devmap(pfn); }
#endif

/*
 * With pfn_t went vm_mixed_ok()'s devmap exception (6.17): vmf_insert_mixed() and
 * vmf_insert_pfn_pmd() want a VM_MIXEDMAP (or VM_PFNMAP) vma, else SIGBUS (and a BUG for a
 * PMD). The direct fault path's VMAs get FAMFS_DIRECT_VM_FLAGS at mmap.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 17, 0)
#define FAMFS_DIRECT_VM_FLAGS	VM_MIXEDMAP
#else
#define FAMFS_DIRECT_VM_FLAGS	0
#endif

/*
 * ->mkdir returns the dentry it made (6.15): NULL means "the one passed in", else an
 * ERR_PTR. FAMFS_MKDIR_RET(ret) turns our 0/-errno into the right return.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 15, 0)
typedef struct dentry *famfs_mkdir_ret_t;
#define FAMFS_MKDIR_RET(ret)	((ret) ? ERR_PTR(ret) : NULL)
#else
typedef int famfs_mkdir_ret_t;
#define FAMFS_MKDIR_RET(ret)	(ret)
#endif

/*
 * ->create lost its "bool excl" argument (O_EXCL is the VFS's business): the 7.3 headers
 * have the 4-argument form; the release it changed in (after 6.19) is not checked here.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(7, 0, 0)
#define FAMFS_CREATE_EXCL_ARG
#else
#define FAMFS_CREATE_EXCL_ARG	, bool excl
#endif

/*
 * generic_delete_inode() was renamed inode_just_drop() (6.18): ->drop_inode that never
 * keeps an unused inode cached.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 18, 0)
#define famfs_drop_inode	inode_just_drop
#else
#define famfs_drop_inode	generic_delete_inode
#endif

/*
 * Pinned ("persistent") dentries, ramfs style (6.19): d_make_persistent() replaces
 * d_instantiate() + dget(), simple_unlink() unpins, and kill_anon_super() drops what is
 * still pinned at umount; kill_litter_super() is gone.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 19, 0)
static inline void famfs_d_pin(struct dentry *dentry, struct inode *inode)
{
	d_make_persistent(dentry, inode);
}
#define famfs_kill_pinned_super	kill_anon_super
#else
static inline void famfs_d_pin(struct dentry *dentry, struct inode *inode)
{
	d_instantiate(dentry, inode);
	dget(dentry);
}
#define famfs_kill_pinned_super	kill_litter_super
#endif

/*
 * inode->i_state became struct inode_state_flags behind accessors (6.19):
 * inode_state_read() under i_lock.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 19, 0)
#define famfs_inode_state(inode)	inode_state_read(inode)
#else
#define famfs_inode_state(inode)	((inode)->i_state)
#endif

/* inode->i_ino is u64 on 7.3 (unsigned long on 6.12): print it as %llu through this. */
#define famfs_ino(inode)	((unsigned long long)(inode)->i_ino)

#endif /* FAMFS_COMPAT_H */
