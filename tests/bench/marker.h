/* SPDX-License-Identifier: Apache-2.0 */
/*
 * marker.h - bracket a phase for tests/bench/insn_plugin.c: famfs_mark(id) executes
 * `nopl 0xfa5f0000+id(%rax)` (a no-op on any x86 CPU), which the plugin recognizes and
 * answers by writing "mark ID COUNT" (guest instructions executed so far, all vCPUs).
 */
#ifndef FAMFS_BENCH_MARKER_H
#define FAMFS_BENCH_MARKER_H

#define famfs_mark(id) \
	__asm__ volatile(".byte 0x0f, 0x1f, 0x80\n\t.long 0xfa5f0000 + %c0" :: "i"(id) : "memory")

#endif
