/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR Apache-2.0 */
/*
 * famfs_resolve.h - fmap resolution: (fmap, file offset) -> (device, device offset, length).
 *
 * One header compiled twice: as BPF inside the policies (bpf/, with vmlinux.h) and as
 * host C for the Criterion tests (tests/unit/test_resolve.c). No helpers, no globals, loops
 * bounded by FAMFS_MAX_EXTENTS so the verifier accepts them.
 */
#ifndef FAMFS_RESOLVE_H
#define FAMFS_RESOLVE_H

#include "famfs_fmap.h"

#ifndef __always_inline
#define __always_inline inline __attribute__((always_inline))
#endif

/* errno values (Linux numbering; BPF programs have no errno.h) */
#define FAMFS_ENOENT	2
#define FAMFS_EINVAL	22
#define FAMFS_ERANGE	34

struct famfs_resolved {
	__u32	devindex;	/* device index */
	__u32	reserved;
	__u64	dev_offset;	/* bytes from the device start, for the requested file offset */
	__u64	len;		/* bytes contiguous on the device from dev_offset, > 0 */
};

/**
 * famfs_resolve_simple() - resolve a file offset through a simple-extent fmap.
 * @fm:  the file's fmap (kind FAMFS_FMAP_SIMPLE)
 * @off: file offset in bytes; any alignment
 * @r:   filled on success: device, device offset of @off, bytes left in that extent
 *
 * Extents back the file in order: extent i covers file bytes
 * [sum(len[0..i-1]), sum(len[0..i])). The answer's length runs to the end of the extent
 * that holds @off (it may reach past fm->size inside the file's last allocation unit).
 *
 * Return: 0; -FAMFS_ERANGE when @off >= fm->size or no extent covers @off;
 * -FAMFS_EINVAL for a corrupt fmap (wrong kind, nextents 0 or > FAMFS_MAX_EXTENTS,
 * an extent of length 0, a device index >= FAMFS_MAX_DEVS, or offset overflow).
 */
static __always_inline int famfs_resolve_simple(const struct famfs_fmap *fm, __u64 off,
						struct famfs_resolved *r)
{
	__u64 base = 0;
	__u32 n = fm->nextents;
	__u32 i;

	if (fm->kind != FAMFS_FMAP_SIMPLE || n == 0 || n > FAMFS_MAX_EXTENTS)
		return -FAMFS_EINVAL;
	if (off >= fm->size)
		return -FAMFS_ERANGE;

	for (i = 0; i < FAMFS_MAX_EXTENTS; i++) {
		const struct famfs_fmap_extent *e = &fm->ext[i];

		if (i >= n)
			break;
		if (e->len == 0 || e->devindex >= FAMFS_MAX_DEVS ||
		    e->offset + e->len < e->offset)
			return -FAMFS_EINVAL;
		if (off < base + e->len) {
			r->devindex = e->devindex;
			r->reserved = 0;
			r->dev_offset = e->offset + (off - base);
			r->len = e->len - (off - base);
			return 0;
		}
		base += e->len;
	}
	return -FAMFS_ERANGE;
}

/**
 * famfs_resolve_interleave() - resolve a file offset through an interleaved fmap.
 * @fm:  the file's fmap (kind FAMFS_FMAP_INTERLEAVE): nextents strips ext[], each one
 *       device extent; chunk_size a power of two, a multiple of FAMFS_ALLOC_UNIT
 * @off: file offset in bytes; any alignment
 * @r:   filled on success
 *
 * Striping (famfs): chunk = off / chunk_size; stripe = chunk / nstrips;
 * strip = chunk % nstrips; strip_off = off % chunk_size + stripe * chunk_size. The answer's
 * length runs to the end of the chunk (the next chunk lives on the next strip).
 *
 * Return: 0; -FAMFS_ERANGE when @off >= fm->size or strip_off lies past the strip;
 * -FAMFS_EINVAL for a corrupt fmap (wrong kind, nstrips 0 or > FAMFS_MAX_EXTENTS, bad
 * chunk size, a strip of length 0, a device index >= FAMFS_MAX_DEVS, or overflow).
 */
static __always_inline int famfs_resolve_interleave(const struct famfs_fmap *fm, __u64 off,
						    struct famfs_resolved *r)
{
	__u64 cs = fm->chunk_size, chunk, stripe, strip_off, in_chunk;
	const struct famfs_fmap_extent *e;
	__u32 n = fm->nextents, strip;

	if (fm->kind != FAMFS_FMAP_INTERLEAVE || n == 0 || n > FAMFS_MAX_EXTENTS ||
	    cs < FAMFS_ALLOC_UNIT || (cs & (cs - 1)))
		return -FAMFS_EINVAL;
	if (off >= fm->size)
		return -FAMFS_ERANGE;

	in_chunk = off & (cs - 1);
	chunk = off / cs;
	stripe = chunk / n;
	strip = (__u32)(chunk - stripe * n);
	strip_off = in_chunk + stripe * cs;
	e = &fm->ext[strip & (FAMFS_MAX_EXTENTS - 1)];
	if (e->len == 0 || e->devindex >= FAMFS_MAX_DEVS || e->offset + e->len < e->offset)
		return -FAMFS_EINVAL;
	if (strip_off >= e->len)
		return -FAMFS_ERANGE;
	r->devindex = e->devindex;
	r->reserved = 0;
	r->dev_offset = e->offset + strip_off;
	r->len = cs - in_chunk;
	return 0;
}

/**
 * famfs_resolve() - resolve a file offset through any fmap kind this header knows.
 * Same contract as famfs_resolve_simple(); unknown kinds are -FAMFS_EINVAL.
 */
static __always_inline int famfs_resolve(const struct famfs_fmap *fm, __u64 off,
					 struct famfs_resolved *r)
{
	switch (fm->kind) {
	case FAMFS_FMAP_SIMPLE:
		return famfs_resolve_simple(fm, off, r);
	case FAMFS_FMAP_INTERLEAVE:
		return famfs_resolve_interleave(fm, off, r);
	default:
		return -FAMFS_EINVAL;
	}
}

#endif /* FAMFS_RESOLVE_H */
