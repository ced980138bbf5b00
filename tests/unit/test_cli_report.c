// SPDX-License-Identifier: Apache-2.0
/*
 * test_cli_report.c - famfsctl's text reports (cli/report.c): the exact lines, which the
 * VM tests read with sed/grep (the patterns below are theirs), and human sizes.
 */
#include <regex.h>

#include "cli_test.h"

/* Does extended regex @re match somewhere in @text (line by line, like grep/sed)? */
static bool matches(const char *text, const char *re)
{
	regex_t r;
	bool ok;

	cr_assert_eq(regcomp(&r, re, REG_EXTENDED | REG_NEWLINE | REG_NOSUB), 0, "%s", re);
	ok = !regexec(&r, text, 0, NULL, 0);
	regfree(&r);
	return ok;
}

Test(cli_report, sizes)
{
	char b[32];

	cr_assert_str_eq(cli_size_str(0, 0, b, sizeof(b)), "0");
	cr_assert_str_eq(cli_size_str(UINT64_MAX, 0, b, sizeof(b)), "18446744073709551615");
	cr_assert_str_eq(cli_size_str(1023, CLI_SIZE_HUMAN, b, sizeof(b)), "1023.0 B");
	cr_assert_str_eq(cli_size_str(1536, CLI_SIZE_HUMAN, b, sizeof(b)), "1.5 KiB");
	cr_assert_str_eq(cli_size_str(40ULL << 20, CLI_SIZE_HUMAN, b, sizeof(b)), "40.0 MiB");
	cr_assert_str_eq(cli_size_str(8ULL << 30, CLI_SIZE_HUMAN | CLI_SIZE_TIGHT, b, sizeof(b)),
			 "8.0GiB");
	cr_assert_str_eq(cli_size_str(3ULL << 40, CLI_SIZE_HUMAN, b, sizeof(b)), "3.0 TiB");
	cr_assert_str_eq(cli_size_str(UINT64_MAX, CLI_SIZE_HUMAN, b, sizeof(b)), "16.0 EiB");
}

Test(cli_report, kind_names)
{
	cr_assert_str_eq(cli_kind_name(FAMFS_FMAP_SIMPLE), "simple");
	cr_assert_str_eq(cli_kind_name(FAMFS_FMAP_INTERLEAVE), "interleaved");
	cr_assert_str_eq(cli_kind_name(0), "unknown");
	cr_assert_str_eq(cli_kind_name(FAMFS_FMAP_KIND_MAX + 1), "unknown");
}

Test(cli_report, replay_lines)
{
	struct famfs_replay_result r = { .files_added = 5, .files_present = 7, .dirs_added = 1,
					 .dirs_present = 2, .fmaps_added = 5, .next_index = 15 };
	struct mem m;
	const char *t;

	cli_print_replay(mem_open(&m), "/mnt/famfs", &r, false);
	t = mem_text(&m);
	cr_assert_str_eq(t, "famfs: load-maps /mnt/famfs: log entries 15; files added 5 (present 7); dirs added 1 (present 2); fmaps added 5\n");
	cr_assert(matches(t, "log entries 15; files added 5 "));	/* mh-client.sh */
	free(m.buf);
	cli_print_replay(mem_open(&m), "/mnt/famfs", &r, true);
	t = mem_text(&m);
	cr_assert_str_eq(t, "famfs: logplay -n /mnt/famfs: log entries 15; files to add 5 (present 7); dirs to add 1 (present 2); fmaps added 5\n");
	cr_assert(matches(t, "files to add 5 "));
	free(m.buf);
}

Test(cli_report, stats_line)
{
	struct famfs_ioc_stats st = {
		.pte_faults = 1, .pmd_faults = 20, .pmd_fallbacks = 0, .translations = 21,
		.rejected = 2, .dev_size = 2ULL << 30, .ndevs = 2, .policy_attached = 1,
		.policy = "famfs_interleave", .dev_sizes = { 2ULL << 30, 1ULL << 30 },
	};
	struct mem m;
	const char *t;

	cli_print_stats(mem_open(&m), &st, 0);
	t = mem_text(&m);
	cr_assert_str_eq(t, "pte_faults=1 pmd_faults=20 pmd_fallbacks=0 translations=21 rejected=2 policy=famfs_interleave dev_size=2147483648 ndevs=2 selected=- dev0_size=2147483648 dev1_size=1073741824\n");
	cr_assert(matches(t, "policy=[a-z_]+"));		/* interleave.sh */
	cr_assert(matches(t, "translations=([0-9]+)"));
	free(m.buf);
	st.policy_attached = 0;
	st.ndevs = 1;
	strcpy(st.selected, "famfs_chunkmap");
	cli_print_stats(mem_open(&m), &st, CLI_SIZE_HUMAN);
	t = mem_text(&m);
	cr_assert_str_eq(t, "pte_faults=1 pmd_faults=20 pmd_fallbacks=0 translations=21 rejected=2 policy=(none) dev_size=2.0GiB ndevs=1 selected=famfs_chunkmap dev0_size=2.0GiB\n");
	free(m.buf);
}

Test(cli_report, fsck_table)
{
	struct famfs_fsck_report r = {
		.space = { .capacity = 3ULL << 30, .used = 1ULL << 30, .free = 2ULL << 30,
			   .nfiles = 7, .ndirs = 2, .log_used = 9, .log_slots = 32000, .ndevs = 2,
			   .dev_capacity = { 2ULL << 30, 1ULL << 30 },
			   .dev_used = { 768ULL << 20, 256ULL << 20 },
			   .large_bytes = 512ULL << 20, .large_data = 500ULL << 20,
			   .small_units = 3, .small_bytes = 4ULL << 20, .small_data = 3ULL << 20,
			   .small_free = 2ULL << 20 },
	};
	struct mem m;
	const char *t;

	cli_print_fsck(mem_open(&m), "/mnt/famfs", true, &r, CLI_SIZE_HUMAN);
	t = mem_text(&m);
	cr_assert_str_eq(t, "famfs fsck /mnt/famfs: clean\n"
			 "  capacity 3.0 GiB, used 1.0 GiB, free 2.0 GiB\n"
			 "    dev 0: capacity 2.0 GiB, used 768.0 MiB\n"
			 "    dev 1: capacity 1.0 GiB, used 256.0 MiB\n"
			 "  files 7, directories 2, log slots 9 of 32000 used\n"
			 "  large files: 512.0 MiB allocated, 500.0 MiB data, 12.0 MiB wasted (rounding to 2 MiB)\n"
			 "  small files: 4.0 MiB allocated, 3.0 MiB data, 1.0 MiB wasted (rounding to 4 KiB); 3 units set aside, 2.0 MiB free in them\n"
			 "  errors 0 (bad entries 0, bad extents 0, cross-links 0, bad paths 0)\n");
	free(m.buf);
	r.space.ndevs = 1;
	r.errors = r.crosslinks = 1;
	cli_print_fsck(mem_open(&m), "/dev/pmem0", false, &r, 0);
	t = mem_text(&m);
	cr_assert_str_eq(t, "famfs fsck /dev/pmem0: ERRORS\n"
			 "  capacity 3221225472, used 1073741824, free 2147483648\n"
			 "  files 7, directories 2, log slots 9 of 32000 used\n"
			 "  large files: 536870912 allocated, 524288000 data, 12582912 wasted (rounding to 2 MiB)\n"
			 "  small files: 4194304 allocated, 3145728 data, 1048576 wasted (rounding to 4 KiB); 3 units set aside, 2097152 free in them\n"
			 "  errors 1 (bad entries 0, bad extents 0, cross-links 1, bad paths 0)\n");
	free(m.buf);
}

Test(cli_report, getmap_lines)
{
	struct cli_getmap g = {
		.file = "/mnt/b/il", .bind = { .key = 0xabcd000000000003ULL, .size = 6ULL << 20,
					       .flags = FAMFS_BIND_READONLY },
		.have_fmap = true,
		.fmap = { .kind = FAMFS_FMAP_INTERLEAVE, .nextents = 2, .chunk_size = 2 << 20,
			  .ext = { { .devindex = 0, .offset = 0x400000, .len = 0x400000 },
				   { .devindex = 2, .offset = 0x200000, .len = 0x400000 } } },
		.xlate = { .offset = 0, .devindex = 0, .dev_offset = 0x400000, .len = 0x200000 },
		.policy = "famfs_interleave",
	};
	struct mem m;
	const char *t;

	cli_print_getmap(mem_open(&m), &g, 0);
	t = mem_text(&m);
	cr_assert_str_eq(t, "/mnt/b/il: key 0xabcd000000000003 size 6291456 (read-only on this host)\n"
			 "  fmap: interleaved, 2 extents\n"
			 "    [0] dev 0 offset 0x400000 len 0x400000\n"
			 "    [1] dev 2 offset 0x200000 len 0x400000\n"
			 "  policy famfs_interleave: offset 0 -> dev 0 offset 0x400000 len 0x200000\n");
	cr_assert(matches(t, "\\] dev [0-9]+ "));		/* interleave.sh */
	cr_assert(matches(t, "read-only on this host"));	/* mh-client.sh */
	free(m.buf);
	g.have_fmap = false;
	g.xerr = EIO;
	g.policy[0] = '\0';
	g.bind.flags = 0;
	cli_print_getmap(mem_open(&m), &g, CLI_SIZE_HUMAN);
	t = mem_text(&m);
	cr_assert_str_eq(t, "/mnt/b/il: key 0xabcd000000000003 size 6.0 MiB\n"
			 "  fmap: none in /sys/fs/bpf/famfs/famfs_fmaps\n"
			 "  policy (none): offset 0 -> Input/output error\n");
	free(m.buf);
}

Test(cli_report, policy_lines)
{
	struct famfs_ioc_stats st = { .ndevs = 3, .policy_attached = 1, .policy = "famfs_simple",
				      .selected = "famfs_simple" };
	struct cli_policy_row rows[3] = {
		{ .name = "famfs_simple", .attached = true, .this_mount = true, .have_stats = true,
		  .stats = { .translations = 9, .dev_translations = { 5, 0, 4 },
			     .dev_bytes = { 5 << 21, 0, 3 << 20 } },
		  .kinds = FAMFS_FMAP_KIND_BIT(FAMFS_FMAP_SIMPLE) },
		{ .name = "famfs_chunkmap", .kinds = FAMFS_FMAP_KIND_BIT(FAMFS_FMAP_SIMPLE) |
						     FAMFS_FMAP_KIND_BIT(FAMFS_FMAP_INTERLEAVE) },
		{ .name = "famfs_none" },
	};
	struct mem m;
	const char *t;

	cli_print_policy_mount(mem_open(&m), "/mnt/famfs", &st);
	cli_print_policy_row(m.f, &rows[0], 0);
	t = mem_text(&m);
	cr_assert_str_eq(t, "mount /mnt/famfs: policy famfs_simple, asks for famfs_simple, 3 device(s)\n"
			 "policy famfs_simple (attached) (this mount): translations 9, no_fmap 0, unresolved 0\n"
			 "  dev 0: 5 translations, 10485760 bytes mapped\n"
			 "  dev 2: 4 translations, 3145728 bytes mapped\n");
	cr_assert(matches(t, "^ +dev ([0-9]+): [0-9]+ translations, ([0-9]+) bytes"));	/* experiment.py */
	free(m.buf);
	cli_print_policy_row(mem_open(&m), &rows[0], CLI_SIZE_HUMAN);
	t = mem_text(&m);
	cr_assert(matches(t, "^  dev 2: 4 translations, 3.0 MiB mapped$"), "%s", t);
	free(m.buf);
	cli_print_policy_list(mem_open(&m), rows, 3);
	t = mem_text(&m);
	cr_assert_str_eq(t, "famfs_simple (attached): kinds simple\n"
			 "famfs_chunkmap: kinds simple, interleaved\n"
			 "famfs_none: kinds none\n");
	/* experiment.py: "(attached)" on the rest of the policy's line */
	cr_assert(matches(t, "^famfs_simple \\(attached\\)"));
	cr_assert(!matches(t, "^famfs_chunkmap.*attached"));
	free(m.buf);
}
