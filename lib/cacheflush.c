// SPDX-License-Identifier: Apache-2.0
/*
 * cacheflush.c - CPU cache maintenance for memory other hosts read (fabric memory is not
 * cache-coherent across hosts). Write-back uses the best of clwb, clflushopt, clflush;
 * invalidation needs clflushopt or clflush. The CPU's abilities come from libgcc's cpuid
 * cache (__builtin_cpu_supports).
 */
#include <stdint.h>

#include "famfs_priv.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

#define FAMFS_CACHELINE 64

static const char *line_start(const void *addr)
{
	return (const char *)((uintptr_t)addr & ~(uintptr_t)(FAMFS_CACHELINE - 1));
}

static __attribute__((target("clwb"))) void lines_clwb(const char *p, const char *end)
{
	for (; p < end; p += FAMFS_CACHELINE)
		_mm_clwb((void *)p);
}

static __attribute__((target("clflushopt"))) void lines_clflushopt(const char *p, const char *end)
{
	for (; p < end; p += FAMFS_CACHELINE)
		_mm_clflushopt((void *)p);
}

static void lines_clflush(const char *p, const char *end)
{
	for (; p < end; p += FAMFS_CACHELINE)
		_mm_clflush(p);
}

void famfs_cache_writeback(const void *addr, size_t len)
{
	const char *p = line_start(addr), *end = (const char *)addr + len;

	if (__builtin_cpu_supports("clwb"))
		lines_clwb(p, end);
	else if (__builtin_cpu_supports("clflushopt"))
		lines_clflushopt(p, end);
	else
		lines_clflush(p, end);
	_mm_sfence();
}

void famfs_cache_invalidate(const void *addr, size_t len)
{
	const char *p = line_start(addr), *end = (const char *)addr + len;

	_mm_mfence();
	if (__builtin_cpu_supports("clflushopt"))
		lines_clflushopt(p, end);
	else
		lines_clflush(p, end);
	_mm_mfence();
}

const char *famfs_cache_method(bool writeback)
{
	if (writeback && __builtin_cpu_supports("clwb"))
		return "clwb";
	return __builtin_cpu_supports("clflushopt") ? "clflushopt" : "clflush";
}

#else	/* no cache maintenance instructions known here: order only */

void famfs_cache_writeback(const void *addr, size_t len)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

void famfs_cache_invalidate(const void *addr, size_t len)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

const char *famfs_cache_method(bool writeback)
{
	return "none";
}

#endif
