// SPDX-License-Identifier: Apache-2.0
/*
 * test_cli_json.c - famfsctl's -j output (cli/json.c), printed and parsed back with
 * json-c: one line, every field there with its type, 64-bit keys as "0x..." strings,
 * sizes as exact numbers.
 */
#include "cli_test.h"

static struct cli_getmap sample_getmap(void)
{
	struct cli_getmap g = {
		.file = "/mnt/famfs/big.bin",
		.bind = { .key = 0x9a3c51e700000005ULL, .size = (5ULL << 40) + 123,
			  .flags = FAMFS_BIND_READONLY, .kind = FAMFS_FMAP_SIMPLE, .ngrants = 2,
			  .grants = { { .devindex = 0, .offset = 0x10600000, .len = 0x200000 },
				      { .devindex = 2, .offset = 0xfffe00000000ULL,
					.len = 5ULL << 40 } } },
		.have_fmap = true,
		.fmap = { .kind = FAMFS_FMAP_SIMPLE, .nextents = 2,
			  .ext = { { .devindex = 0, .offset = 0x10600000, .len = 0x200000 },
				   { .devindex = 2, .offset = 0xfffe00000000ULL, .len = 5ULL << 40 } } },
		.xlate = { .offset = 0x200000, .devindex = 2, .dev_offset = 0xfffe00000000ULL,
			   .len = 0x200000 },
		.policy = "famfs_simple",
	};
	return g;
}

Test(cli_json, hex_keys)
{
	char b[24];

	cr_assert_str_eq(cli_hex64(0, b, sizeof(b)), "0x0");
	cr_assert_str_eq(cli_hex64(0xabc, b, sizeof(b)), "0xabc");
	cr_assert_str_eq(cli_hex64(UINT64_MAX, b, sizeof(b)), "0xffffffffffffffff");
}

Test(cli_json, getmap_fields_and_hex_key)
{
	struct cli_getmap g = sample_getmap();
	json_object *o = json_roundtrip(cli_json_getmap(&g)), *exts, *e, *x;

	cr_assert_str_eq(jstr(o, "file"), "/mnt/famfs/big.bin");
	cr_assert_str_eq(jstr(o, "key"), "0x9a3c51e700000005");
	cr_assert_eq(ju64(o, "size"), (5ULL << 40) + 123);
	cr_assert(jbool(o, "readonly"));
	cr_assert_str_eq(jstr(o, "kind"), "simple");
	cr_assert(!jhas(o, "chunk_size"), "chunk_size only for interleaved files");
	exts = jget(o, "extents");
	cr_assert_eq(json_object_array_length(exts), 2);
	e = json_object_array_get_idx(exts, 1);
	cr_assert_eq(ju64(e, "dev"), 2);
	cr_assert_eq(ju64(e, "offset"), 0xfffe00000000ULL);
	cr_assert_eq(ju64(e, "len"), 5ULL << 40);
	x = jget(o, "xlate");
	cr_assert_eq(json_object_array_length(jget(o, "grants")), 2);
	e = json_object_array_get_idx(jget(o, "grants"), 1);
	cr_assert_eq(ju64(e, "dev"), 2);
	cr_assert_eq(ju64(e, "offset"), 0xfffe00000000ULL);
	cr_assert_eq(ju64(e, "len"), 5ULL << 40);
	cr_assert_str_eq(jstr(x, "policy"), "famfs_simple");
	cr_assert_eq(ju64(x, "offset"), 0x200000);
	cr_assert_eq(ju64(x, "devindex"), 2);
	cr_assert_eq(ju64(x, "dev_offset"), 0xfffe00000000ULL);
	cr_assert_eq(ju64(x, "len"), 0x200000);
	cr_assert(!jhas(x, "error"));
	json_object_put(o);
}

Test(cli_json, getmap_refused_translation_and_no_fmap)
{
	struct cli_getmap g = sample_getmap();
	json_object *o, *x;

	g.have_fmap = false;
	g.xerr = EIO;
	g.policy[0] = '\0';
	g.bind.flags = 0;
	o = json_roundtrip(cli_json_getmap(&g));
	cr_assert(!jbool(o, "readonly"));
	cr_assert(!jhas(o, "kind"));
	cr_assert_eq(json_object_array_length(jget(o, "extents")), 0);
	x = jget(o, "xlate");
	cr_assert_str_eq(jstr(x, "policy"), "(none)");
	cr_assert_str_eq(jstr(x, "error"), strerror(EIO));
	cr_assert(!jhas(x, "devindex") && !jhas(x, "dev_offset") && !jhas(x, "len"));
	json_object_put(o);
}

Test(cli_json, getmap_interleaved_has_chunk_size)
{
	struct cli_getmap g = sample_getmap();
	json_object *o;

	g.fmap.kind = FAMFS_FMAP_INTERLEAVE;
	g.fmap.chunk_size = 4ULL << 20;
	o = json_roundtrip(cli_json_getmap(&g));
	cr_assert_str_eq(jstr(o, "kind"), "interleaved");
	cr_assert_eq(ju64(o, "chunk_size"), 4ULL << 20);
	json_object_put(o);
}

Test(cli_json, stats)
{
	struct famfs_ioc_stats st = {
		.pte_faults = 1, .pmd_faults = 2, .pmd_fallbacks = 3, .translations = UINT64_MAX,
		.rejected = 5, .dev_size = 8ULL << 30, .ndevs = 3, .policy_attached = 1,
		.policy = "famfs_interleave", .selected = "famfs_interleave",
		.dev_sizes = { 8ULL << 30, 2ULL << 30, 1ULL << 30, 77 },
		.mount_id = 0x80000003U, .files_bound = 42, .revocations = 2, .failed_ranges = 1,
		.kinds_bound = FAMFS_FMAP_KIND_BIT(FAMFS_FMAP_SIMPLE) |
			       FAMFS_FMAP_KIND_BIT(FAMFS_FMAP_INTERLEAVE),
		.policy_kinds = FAMFS_FMAP_KIND_BIT(FAMFS_FMAP_INTERLEAVE),
		.rejected_why = { [FAMFS_REJECT_NO_POLICY] = 3, [FAMFS_REJECT_GRANT] = 2 },
	};
	json_object *o = json_roundtrip(cli_json_stats("/mnt/famfs", &st)), *sizes, *why, *k;

	cr_assert_str_eq(jstr(o, "mount"), "/mnt/famfs");
	cr_assert_eq(ju64(o, "pte_faults"), 1);
	cr_assert_eq(ju64(o, "pmd_faults"), 2);
	cr_assert_eq(ju64(o, "pmd_fallbacks"), 3);
	cr_assert_eq(ju64(o, "translations"), UINT64_MAX, "64-bit counters exact");
	cr_assert_eq(ju64(o, "rejected"), 5);
	cr_assert(jbool(o, "policy_attached"));
	cr_assert_str_eq(jstr(o, "policy"), "famfs_interleave");
	cr_assert_str_eq(jstr(o, "selected"), "famfs_interleave");
	cr_assert_eq(ju64(o, "dev_size"), 8ULL << 30);
	cr_assert_eq(ju64(o, "ndevs"), 3);
	sizes = jget(o, "dev_sizes");
	cr_assert_eq(json_object_array_length(sizes), 3, "only the mount's devices");
	cr_assert_eq(json_object_get_uint64(json_object_array_get_idx(sizes, 2)), 1ULL << 30);
	cr_assert_str_eq(jstr(o, "mount_id"), "0x80000003", "the key tag as a hex string");
	cr_assert_eq(ju64(o, "files_bound"), 42);
	cr_assert_eq(ju64(o, "revocations"), 2);
	cr_assert_eq(ju64(o, "failed_ranges"), 1);
	k = jget(o, "kinds_bound");
	cr_assert_eq(json_object_array_length(k), 2);
	cr_assert_str_eq(json_object_get_string(json_object_array_get_idx(k, 0)), "simple");
	cr_assert_str_eq(json_object_get_string(json_object_array_get_idx(k, 1)), "interleaved");
	k = jget(o, "policy_kinds");
	cr_assert_eq(json_object_array_length(k), 1);
	cr_assert_str_eq(json_object_get_string(json_object_array_get_idx(k, 0)), "interleaved");
	why = jget(o, "rejected_why");
	cr_assert_eq(json_object_array_length(why), FAMFS_REJECT_NR, "one per FAMFS_REJECT_*");
	cr_assert_eq(json_object_get_uint64(json_object_array_get_idx(why, FAMFS_REJECT_NO_POLICY)), 3);
	cr_assert_eq(json_object_get_uint64(json_object_array_get_idx(why, FAMFS_REJECT_GRANT)), 2);
	cr_assert_eq(json_object_get_uint64(json_object_array_get_idx(why, FAMFS_REJECT_UNBOUND)), 0);
	json_object_put(o);
}

Test(cli_json, stats_without_policy)
{
	struct famfs_ioc_stats st = { .ndevs = 1, .policy = "stale" };
	json_object *o = json_roundtrip(cli_json_stats(NULL, &st));

	cr_assert(!jhas(o, "mount"));
	cr_assert(!jbool(o, "policy_attached"));
	cr_assert_str_eq(jstr(o, "policy"), "");
	cr_assert_str_eq(jstr(o, "selected"), "");
	json_object_put(o);
}

Test(cli_json, replay_for_mount_and_logplay)
{
	struct famfs_replay_result r = {
		.files_added = 10, .dirs_added = 2, .files_present = 3, .dirs_present = 4,
		.fmaps_added = 10, .next_index = 19,
	};
	json_object *o = json_roundtrip(cli_json_replay("/mnt/famfs", "/dev/pmem0", &r, false));

	cr_assert_str_eq(jstr(o, "device"), "/dev/pmem0");
	cr_assert_str_eq(jstr(o, "mount"), "/mnt/famfs");
	cr_assert(!jbool(o, "dry_run"));
	cr_assert_eq(ju64(o, "log_entries"), 19);
	cr_assert_eq(ju64(o, "files_added"), 10);
	cr_assert_eq(ju64(o, "files_present"), 3);
	cr_assert_eq(ju64(o, "dirs_added"), 2);
	cr_assert_eq(ju64(o, "dirs_present"), 4);
	cr_assert_eq(ju64(o, "fmaps_added"), 10);
	json_object_put(o);
	o = json_roundtrip(cli_json_replay("/mnt/famfs", NULL, &r, true));
	cr_assert(!jhas(o, "device"));
	cr_assert(jbool(o, "dry_run"));
	json_object_put(o);
}

Test(cli_json, fsck)
{
	struct famfs_fsck_report r = {
		.space = { .capacity = 3ULL << 30, .used = 1ULL << 30, .free = 2ULL << 30,
			   .nfiles = 7, .ndirs = 2, .log_used = 9, .log_slots = 32000, .ndevs = 2,
			   .dev_capacity = { 2ULL << 30, 1ULL << 30 },
			   .dev_used = { 768ULL << 20, 256ULL << 20 } },
		.errors = 3, .bad_entries = 1, .bad_extents = 1, .crosslinks = 1, .bad_paths = 0,
	};
	json_object *o = json_roundtrip(cli_json_fsck("/dev/pmem0", false, &r, NULL)), *s, *d;

	cr_assert_str_eq(jstr(o, "path"), "/dev/pmem0");
	cr_assert(!jbool(o, "clean"));
	cr_assert_eq(ju64(o, "errors"), 3);
	cr_assert_eq(ju64(o, "bad_entries"), 1);
	cr_assert_eq(ju64(o, "bad_extents"), 1);
	cr_assert_eq(ju64(o, "crosslinks"), 1);
	cr_assert_eq(ju64(o, "bad_paths"), 0);
	s = jget(o, "space");
	cr_assert_eq(ju64(s, "capacity"), 3ULL << 30);
	cr_assert_eq(ju64(s, "used"), 1ULL << 30);
	cr_assert_eq(ju64(s, "free"), 2ULL << 30);
	cr_assert_eq(ju64(s, "files"), 7);
	cr_assert_eq(ju64(s, "directories"), 2);
	cr_assert_eq(ju64(s, "log_slots_used"), 9);
	cr_assert_eq(ju64(s, "log_slots"), 32000);
	cr_assert_eq(json_object_array_length(jget(s, "devices")), 2);
	d = json_object_array_get_idx(jget(s, "devices"), 1);
	cr_assert_eq(ju64(d, "dev"), 1);
	cr_assert_eq(ju64(d, "capacity"), 1ULL << 30);
	cr_assert_eq(ju64(d, "used"), 256ULL << 20);
	cr_assert(!jhas(o, "repair"), "no repair object without --repair");
	json_object_put(o);
}

Test(cli_json, fsck_repair)
{
	struct famfs_fsck_report r = { .space = { .ndevs = 1 } };
	struct cli_fsck_repair rep = { .dry_run = true, .voided = 2 };
	json_object *o = json_roundtrip(cli_json_fsck("/mnt/famfs", true, &r, &rep)), *x;

	x = jget(o, "repair");
	cr_assert(jbool(x, "dry_run"));
	cr_assert_eq(ju64(x, "voided"), 2);
	json_object_put(o);
}

static void sample_rows(struct cli_policy_row rows[2])
{
	memset(rows, 0, 2 * sizeof(rows[0]));
	rows[0] = (struct cli_policy_row){ .name = "famfs_simple", .attached = true,
		.this_mount = true, .have_stats = true,
		.stats = { .translations = 100, .no_fmap = 1, .unresolved = 2,
			   .dev_translations = { 60, 0, 40 }, .dev_bytes = { 6ULL << 30, 0, 4096 } } };
	rows[0].kinds = FAMFS_FMAP_KIND_BIT(FAMFS_FMAP_SIMPLE);
	rows[1] = (struct cli_policy_row){ .name = "famfs_chunkmap" };
}

Test(cli_json, policy_show_with_mount)
{
	struct famfs_ioc_stats st = { .ndevs = 3, .policy_attached = 1, .policy = "famfs_simple" };
	struct cli_policy_row rows[2];
	json_object *o, *m, *p, *devs, *d;

	sample_rows(rows);
	o = json_roundtrip(cli_json_policies("/mnt/famfs", &st, rows, 2));
	m = jget(o, "mount");
	cr_assert_str_eq(jstr(m, "path"), "/mnt/famfs");
	cr_assert_str_eq(jstr(m, "policy"), "famfs_simple");
	cr_assert_str_eq(jstr(m, "selected"), "");
	cr_assert_eq(ju64(m, "ndevs"), 3);
	cr_assert_eq(json_object_array_length(jget(o, "policies")), 2);
	p = json_object_array_get_idx(jget(o, "policies"), 0);
	cr_assert_str_eq(jstr(p, "name"), "famfs_simple");
	cr_assert(jbool(p, "attached") && jbool(p, "this_mount"));
	cr_assert_eq(json_object_array_length(jget(p, "kinds")), 1);
	cr_assert_str_eq(json_object_get_string(json_object_array_get_idx(jget(p, "kinds"), 0)),
			 "simple");
	cr_assert_eq(ju64(p, "translations"), 100);
	cr_assert_eq(ju64(p, "no_fmap"), 1);
	cr_assert_eq(ju64(p, "unresolved"), 2);
	devs = jget(p, "devices");
	cr_assert_eq(json_object_array_length(devs), 2, "only devices with translations");
	d = json_object_array_get_idx(devs, 1);
	cr_assert_eq(ju64(d, "dev"), 2);
	cr_assert_eq(ju64(d, "translations"), 40);
	cr_assert_eq(ju64(d, "bytes"), 4096);
	p = json_object_array_get_idx(jget(o, "policies"), 1);
	cr_assert(!jbool(p, "attached"));
	cr_assert_eq(json_object_array_length(jget(p, "kinds")), 0);
	cr_assert(!jhas(p, "translations"), "no counters when the stats map is not pinned");
	json_object_put(o);
}

Test(cli_json, policy_list_has_no_mount)
{
	struct cli_policy_row rows[2];
	json_object *o;

	sample_rows(rows);
	o = json_roundtrip(cli_json_policies(NULL, NULL, rows, 2));
	cr_assert(!jhas(o, "mount"));
	cr_assert_eq(json_object_array_length(jget(o, "policies")), 2);
	json_object_put(o);
}

Test(cli_json, special_characters_in_paths_are_escaped)
{
	struct cli_getmap g = sample_getmap();
	json_object *o;

	g.file = "/mnt/famfs/a \"quoted\"\\name\n";
	o = json_roundtrip(cli_json_getmap(&g));
	cr_assert_str_eq(jstr(o, "file"), "/mnt/famfs/a \"quoted\"\\name\n");
	json_object_put(o);
}

Test(cli_json, write_error_is_reported)
{
	FILE *f = fopen("/dev/full", "w");

	cr_assert_not_null(f);
	setvbuf(f, NULL, _IONBF, 0);
	cr_assert_eq(cli_json_print(f, cli_json_replay(NULL, NULL, &(struct famfs_replay_result){ 0 },
						       false)), -EIO);
	fclose(f);
}

Test(cli_json, check_counts_and_bad_files)
{
	static struct cli_check c = {
		.mount = "/mnt/famfs", .nfiles = 12, .ndirs = 3, .nother = 1, .nbad = 2,
		.log_missing = true,
		.bad = { { "/mnt/famfs/handmade", "no fmap (not made by famfsctl?)" },
			 { "/mnt/famfs/x", "policy famfs_simple cannot translate offset 0: EIO" } },
	};
	json_object *o = json_roundtrip(cli_json_check(&c)), *b;

	cr_assert_str_eq(jstr(o, "mount"), "/mnt/famfs");
	cr_assert_eq(ju64(o, "files"), 12);
	cr_assert_eq(ju64(o, "directories"), 3);
	cr_assert_eq(ju64(o, "skipped"), 1);
	cr_assert_eq(ju64(o, "errors"), 3, "two bad files and the missing log");
	cr_assert(!jbool(o, "superblock_missing"));
	cr_assert(jbool(o, "log_missing"));
	cr_assert_eq(json_object_array_length(jget(o, "bad")), 2);
	b = json_object_array_get_idx(jget(o, "bad"), 0);
	cr_assert_str_eq(jstr(b, "file"), "/mnt/famfs/handmade");
	cr_assert_str_eq(jstr(b, "error"), "no fmap (not made by famfsctl?)");
	json_object_put(o);
}

Test(cli_json, chkread_match_mismatch_error)
{
	json_object *a = cli_json_chkread_new(), *o, *f;

	cli_json_chkread_add(a, "/mnt/famfs/ok", 0, 4096, 0);
	cli_json_chkread_add(a, "/mnt/famfs/bad", 1, 8192, 5000);
	cli_json_chkread_add(a, "/mnt/famfs/fifo", -EINVAL, 0, 0);
	o = json_roundtrip(cli_json_chkread(a, 3, 2));
	cr_assert_eq(ju64(o, "files"), 3);
	cr_assert_eq(ju64(o, "errors"), 2);
	f = json_object_array_get_idx(jget(o, "results"), 0);
	cr_assert(jbool(f, "match"));
	cr_assert_eq(ju64(f, "size"), 4096);
	cr_assert(!jhas(f, "mismatch_offset"));
	f = json_object_array_get_idx(jget(o, "results"), 1);
	cr_assert(!jbool(f, "match"));
	cr_assert_eq(ju64(f, "mismatch_offset"), 5000);
	f = json_object_array_get_idx(jget(o, "results"), 2);
	cr_assert(!jbool(f, "match"));
	cr_assert_str_eq(jstr(f, "error"), strerror(EINVAL));
	json_object_put(o);
}
