// SPDX-License-Identifier: Apache-2.0
/*
 * json.c - every JSON object famfsctl prints (-j, --json), built with json-c here only.
 * Conventions: one object per command run, printed on one line on stdout; names as in the
 * kernel and library structs; counts and sizes (bytes) are JSON numbers; 64-bit keys are
 * hex strings ("0x..."), since not every JSON reader keeps 64-bit integers exact. Pure.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "cli.h"

const char *cli_hex64(uint64_t v, char *buf, size_t len)
{
	snprintf(buf, len, "0x%llx", (unsigned long long)v);
	return buf;
}

static void add_u64(json_object *o, const char *k, uint64_t v)
{
	json_object_object_add(o, k, json_object_new_uint64(v));
}

static void add_str(json_object *o, const char *k, const char *v)
{
	json_object_object_add(o, k, json_object_new_string(v));
}

static void add_bool(json_object *o, const char *k, bool v)
{
	json_object_object_add(o, k, json_object_new_boolean(v));
}

int cli_json_print(FILE *f, json_object *o)
{
	int ret = fprintf(f, "%s\n", json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));

	json_object_put(o);
	return ret < 0 ? -EIO : 0;
}

json_object *cli_json_replay(const char *mpt, const char *dev,
			     const struct famfs_replay_result *r, bool dry)
{
	json_object *o = json_object_new_object();

	if (dev)
		add_str(o, "device", dev);
	if (mpt)
		add_str(o, "mount", mpt);
	add_bool(o, "dry_run", dry);
	add_u64(o, "log_entries", r->next_index);
	add_u64(o, "files_added", r->files_added);
	add_u64(o, "files_present", r->files_present);
	add_u64(o, "dirs_added", r->dirs_added);
	add_u64(o, "dirs_present", r->dirs_present);
	add_u64(o, "fmaps_added", r->fmaps_added);
	return o;
}

/* The fmap kinds of a FAMFS_FMAP_KIND_BIT mask, by name: ["simple", "interleaved"]. */
static json_object *cli_json_kinds(uint32_t mask)
{
	json_object *a = json_object_new_array();

	for (uint32_t k = 1; k <= FAMFS_FMAP_KIND_MAX; k++)
		if (mask & FAMFS_FMAP_KIND_BIT(k))
			json_object_array_add(a, json_object_new_string(cli_kind_name(k)));
	return a;
}

static json_object *cli_json_u64_array(const __u64 *v, size_t n)
{
	json_object *a = json_object_new_array();

	for (size_t i = 0; i < n; i++)
		json_object_array_add(a, json_object_new_uint64(v[i]));
	return a;
}

/* What the arbiter keeps per mount: its key tag, kinds, bound files, refusals by reason. */
static void cli_json_stats_arbiter(json_object *o, const struct famfs_ioc_stats *st)
{
	char hex[24];

	add_str(o, "mount_id", cli_hex64(st->mount_id, hex, sizeof(hex)));
	json_object_object_add(o, "kinds_bound", cli_json_kinds(st->kinds_bound));
	json_object_object_add(o, "policy_kinds", cli_json_kinds(st->policy_kinds));
	add_u64(o, "files_bound", st->files_bound);
	add_u64(o, "revocations", st->revocations);
	add_u64(o, "failed_ranges", st->failed_ranges);
	json_object_object_add(o, "rejected_why",
			       cli_json_u64_array(st->rejected_why, FAMFS_REJECT_NR));
}

json_object *cli_json_stats(const char *mpt, const struct famfs_ioc_stats *st)
{
	json_object *o = json_object_new_object();

	if (mpt)
		add_str(o, "mount", mpt);
	add_u64(o, "pte_faults", st->pte_faults);
	add_u64(o, "pmd_faults", st->pmd_faults);
	add_u64(o, "pmd_fallbacks", st->pmd_fallbacks);
	add_u64(o, "translations", st->translations);
	add_u64(o, "rejected", st->rejected);
	add_bool(o, "policy_attached", st->policy_attached);
	add_str(o, "policy", st->policy_attached ? st->policy : "");
	add_str(o, "selected", st->selected);
	add_u64(o, "dev_size", st->dev_size);
	add_u64(o, "ndevs", st->ndevs);
	json_object_object_add(o, "dev_sizes", cli_json_u64_array(st->dev_sizes,
				st->ndevs < FAMFS_MAX_DEVS ? st->ndevs : FAMFS_MAX_DEVS));
	cli_json_stats_arbiter(o, st);
	return o;
}

/* One class of files: allocated bytes, file bytes, wasted = the difference; small-file
 * units set aside and their free bytes (0 for the whole-unit class). */
static json_object *cli_json_class(uint64_t bytes, uint64_t data, uint64_t units,
				   uint64_t unit_free)
{
	json_object *o = json_object_new_object();

	add_u64(o, "allocated", bytes);
	add_u64(o, "data", data);
	add_u64(o, "wasted", bytes > data ? bytes - data : 0);
	add_u64(o, "units", units);
	add_u64(o, "free_in_units", unit_free);
	return o;
}

static json_object *cli_json_space(const struct famfs_space *s)
{
	json_object *o = json_object_new_object(), *devs = json_object_new_array();

	add_u64(o, "capacity", s->capacity);
	add_u64(o, "used", s->used);
	add_u64(o, "free", s->free);
	add_u64(o, "files", s->nfiles);
	add_u64(o, "directories", s->ndirs);
	add_u64(o, "log_slots_used", s->log_used);
	add_u64(o, "log_slots", s->log_slots);
	add_u64(o, "metadata", s->metadata);
	json_object_object_add(o, "large", cli_json_class(s->large_bytes, s->large_data, 0, 0));
	json_object_object_add(o, "small", cli_json_class(s->small_bytes, s->small_data,
							  s->small_units, s->small_free));
	for (uint32_t d = 0; d < s->ndevs && d < FAMFS_MAX_DEVS; d++) {
		json_object *e = json_object_new_object();

		add_u64(e, "dev", d);
		add_u64(e, "capacity", s->dev_capacity[d]);
		add_u64(e, "used", s->dev_used[d]);
		json_object_array_add(devs, e);
	}
	json_object_object_add(o, "devices", devs);
	return o;
}

json_object *cli_json_fsck(const char *path, bool clean, const struct famfs_fsck_report *r,
			   const struct cli_fsck_repair *rep)
{
	json_object *o = json_object_new_object();

	add_str(o, "path", path);
	add_bool(o, "clean", clean);
	if (rep) {
		json_object *x = json_object_new_object();

		add_bool(x, "dry_run", rep->dry_run);
		add_u64(x, "voided", rep->voided);
		json_object_object_add(o, "repair", x);
	}
	json_object_object_add(o, "space", cli_json_space(&r->space));
	add_u64(o, "errors", r->errors);
	add_u64(o, "bad_entries", r->bad_entries);
	add_u64(o, "bad_extents", r->bad_extents);
	add_u64(o, "crosslinks", r->crosslinks);
	add_u64(o, "bad_paths", r->bad_paths);
	add_u64(o, "deleted", r->deleted);
	add_u64(o, "pending_reclaim", r->space.pending_reclaim);
	add_u64(o, "early_reuse", r->early_reuse);
	return o;
}

static json_object *cli_json_extents(const struct famfs_fmap *fm)
{
	json_object *a = json_object_new_array();

	for (uint32_t i = 0; i < fm->nextents && i < FAMFS_MAX_EXTENTS; i++) {
		json_object *e = json_object_new_object();

		add_u64(e, "dev", fm->ext[i].devindex);
		add_u64(e, "offset", fm->ext[i].offset);
		add_u64(e, "len", fm->ext[i].len);
		json_object_array_add(a, e);
	}
	return a;
}

/* The policy's answer: offset -> devindex, dev_offset, len; or error. */
static json_object *cli_json_xlate(const struct cli_getmap *g)
{
	json_object *xl = json_object_new_object();

	add_str(xl, "policy", g->policy[0] ? g->policy : "(none)");
	add_u64(xl, "offset", g->xlate.offset);
	if (g->xerr) {
		add_str(xl, "error", strerror(g->xerr));
		return xl;
	}
	add_u64(xl, "devindex", g->xlate.devindex);
	add_u64(xl, "dev_offset", g->xlate.dev_offset);
	add_u64(xl, "len", g->xlate.len);
	return xl;
}

/* The device ranges the module lets the file's answers land in (fixed at bind). */
static json_object *cli_json_grants(const struct famfs_ioc_bind *b)
{
	json_object *a = json_object_new_array();

	for (uint32_t i = 0; i < b->ngrants && i < FAMFS_MAX_GRANTS; i++) {
		json_object *e = json_object_new_object();

		add_u64(e, "dev", b->grants[i].devindex);
		add_u64(e, "offset", b->grants[i].offset);
		add_u64(e, "len", b->grants[i].len);
		json_object_object_add(e, "memory_failed",
				       json_object_new_boolean(b->grants[i].flags & FAMFS_GRANT_FAILED));
		json_object_array_add(a, e);
	}
	return a;
}

json_object *cli_json_getmap(const struct cli_getmap *g)
{
	json_object *o = json_object_new_object();
	char hex[24];

	add_str(o, "file", g->file);
	add_str(o, "key", cli_hex64(g->bind.key, hex, sizeof(hex)));
	add_u64(o, "size", g->bind.size);
	add_bool(o, "readonly", g->bind.flags & FAMFS_BIND_READONLY);
	json_object_object_add(o, "grants", cli_json_grants(&g->bind));
	if (g->have_fmap) {
		add_str(o, "kind", cli_kind_name(g->fmap.kind));
		if (g->fmap.kind == FAMFS_FMAP_INTERLEAVE)
			add_u64(o, "chunk_size", g->fmap.chunk_size);
		json_object_object_add(o, "extents", cli_json_extents(&g->fmap));
	} else {
		json_object_object_add(o, "extents", json_object_new_array());
	}
	json_object_object_add(o, "xlate", cli_json_xlate(g));
	return o;
}

static json_object *cli_json_policy(const struct cli_policy_row *p)
{
	json_object *o = json_object_new_object(), *devs;

	add_str(o, "name", p->name);
	add_bool(o, "attached", p->attached);
	add_bool(o, "this_mount", p->this_mount);
	json_object_object_add(o, "kinds", cli_json_kinds(p->kinds));
	if (!p->have_stats)
		return o;
	add_u64(o, "translations", p->stats.translations);
	add_u64(o, "no_fmap", p->stats.no_fmap);
	add_u64(o, "unresolved", p->stats.unresolved);
	devs = json_object_new_array();
	for (int d = 0; d < FAMFS_MAX_DEVS; d++) {
		json_object *e;

		if (!p->stats.dev_translations[d])
			continue;
		e = json_object_new_object();
		add_u64(e, "dev", d);
		add_u64(e, "translations", p->stats.dev_translations[d]);
		add_u64(e, "bytes", p->stats.dev_bytes[d]);
		json_object_array_add(devs, e);
	}
	json_object_object_add(o, "devices", devs);
	return o;
}

json_object *cli_json_policies(const char *mpt, const struct famfs_ioc_stats *st,
			       const struct cli_policy_row *rows, size_t n)
{
	json_object *o = json_object_new_object(), *a = json_object_new_array();

	if (mpt && st) {
		json_object *m = json_object_new_object();

		add_str(m, "path", mpt);
		add_str(m, "policy", st->policy_attached ? st->policy : "");
		add_str(m, "selected", st->selected);
		add_u64(m, "ndevs", st->ndevs);
		json_object_object_add(o, "mount", m);
	}
	for (size_t i = 0; i < n; i++)
		json_object_array_add(a, cli_json_policy(&rows[i]));
	json_object_object_add(o, "policies", a);
	return o;
}

json_object *cli_json_check(const struct cli_check *c)
{
	json_object *o = json_object_new_object(), *a = json_object_new_array();

	add_str(o, "mount", c->mount);
	add_u64(o, "files", c->nfiles);
	add_u64(o, "directories", c->ndirs);
	add_u64(o, "skipped", c->nother);
	add_u64(o, "errors", c->nbad + c->sb_missing + c->log_missing);
	add_bool(o, "superblock_missing", c->sb_missing);
	add_bool(o, "log_missing", c->log_missing);
	for (uint64_t i = 0; i < c->nbad && i < CLI_CHECK_MAX_BAD; i++) {
		json_object *b = json_object_new_object();

		add_str(b, "file", c->bad[i].file);
		add_str(b, "error", c->bad[i].why);
		json_object_array_add(a, b);
	}
	json_object_object_add(o, "bad", a);
	return o;
}

json_object *cli_json_chkread_new(void)
{
	return json_object_new_array();
}

void cli_json_chkread_add(json_object *arr, const char *file, int ret, uint64_t size,
			  uint64_t bad)
{
	json_object *f = json_object_new_object();

	add_str(f, "file", file);
	add_u64(f, "size", size);
	add_bool(f, "match", !ret);
	if (ret == 1)
		add_u64(f, "mismatch_offset", bad);
	else if (ret)
		add_str(f, "error", strerror(-ret));
	json_object_array_add(arr, f);
}

json_object *cli_json_chkread(json_object *arr, unsigned files, unsigned errors)
{
	json_object *o = json_object_new_object();

	add_u64(o, "files", files);
	add_u64(o, "errors", errors);
	json_object_object_add(o, "results", arr);
	return o;
}
