// SPDX-License-Identifier: Apache-2.0
/*
 * report.c - the text famfsctl prints for data (stats, fsck, getmap, policy, load-maps),
 * one function per report, writing to a FILE so the unit tests can read it back. Pure.
 * Lines the VM tests read (the shell and Python scripts in tests/vm) are kept exactly; the
 * JSON forms (json.c) are for scripts.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

typedef unsigned long long ull;

const char *cli_size_str(uint64_t bytes, unsigned flags, char *buf, size_t len)
{
	static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
	double v = bytes;
	int i = 0;

	if (!(flags & CLI_SIZE_HUMAN)) {
		snprintf(buf, len, "%llu", (ull)bytes);
		return buf;
	}
	while (v >= 1024 && i < (int)(sizeof(units) / sizeof(units[0])) - 1) {
		v /= 1024;
		i++;
	}
	snprintf(buf, len, "%.1f%s%s", v, flags & CLI_SIZE_TIGHT ? "" : " ", units[i]);
	return buf;
}

const char *cli_kind_name(uint32_t kind)
{
	switch (kind) {
	case FAMFS_FMAP_SIMPLE: return "simple";
	case FAMFS_FMAP_INTERLEAVE: return "interleaved";
	}
	return "unknown";
}

void cli_print_replay(FILE *f, const char *mpt, const struct famfs_replay_result *r, bool dry)
{
	fprintf(f, "famfs: %s %s: log entries %llu; files %s %llu (present %llu); dirs %s %llu (present %llu); fmaps added %llu\n",
		dry ? "logplay -n" : "load-maps", mpt, (ull)r->next_index,
		dry ? "to add" : "added", (ull)r->files_added, (ull)r->files_present,
		dry ? "to add" : "added", (ull)r->dirs_added, (ull)r->dirs_present,
		(ull)r->fmaps_added);
}

/* One line, key=value, for people and the VM tests' sed. */
void cli_print_stats(FILE *f, const struct famfs_ioc_stats *st, unsigned size_flags)
{
	char b[32];

	size_flags |= CLI_SIZE_TIGHT;
	fprintf(f, "pte_faults=%llu pmd_faults=%llu pmd_fallbacks=%llu translations=%llu rejected=%llu policy=%s dev_size=%s ndevs=%u selected=%s",
		(ull)st->pte_faults, (ull)st->pmd_faults, (ull)st->pmd_fallbacks,
		(ull)st->translations, (ull)st->rejected,
		st->policy_attached ? st->policy : "(none)",
		cli_size_str(st->dev_size, size_flags, b, sizeof(b)), st->ndevs,
		st->selected[0] ? st->selected : "-");
	for (uint32_t i = 0; i < st->ndevs && i < FAMFS_MAX_DEVS; i++)
		fprintf(f, " dev%u_size=%s", i, cli_size_str(st->dev_sizes[i], size_flags, b, sizeof(b)));
	fprintf(f, "\n");
}

/* Space per class: whole units (large files) and small-file units (OMF >= 1.2). */
static void cli_print_classes(FILE *f, const struct famfs_space *s, unsigned size_flags)
{
	char a[32], b[32], c[32], d[32];

	fprintf(f, "  large files: %s allocated, %s data, %s wasted (rounding to 2 MiB)\n",
		cli_size_str(s->large_bytes, size_flags, a, sizeof(a)),
		cli_size_str(s->large_data, size_flags, b, sizeof(b)),
		cli_size_str(s->large_bytes > s->large_data ? s->large_bytes - s->large_data : 0,
			     size_flags, c, sizeof(c)));
	fprintf(f, "  small files: %s allocated, %s data, %s wasted (rounding to 4 KiB); "
		"%llu units set aside, %s free in them\n",
		cli_size_str(s->small_bytes, size_flags, a, sizeof(a)),
		cli_size_str(s->small_data, size_flags, b, sizeof(b)),
		cli_size_str(s->small_bytes > s->small_data ? s->small_bytes - s->small_data : 0,
			     size_flags, c, sizeof(c)),
		(ull)s->small_units, cli_size_str(s->small_free, size_flags, d, sizeof(d)));
}

void cli_print_fsck(FILE *f, const char *path, bool clean, const struct famfs_fsck_report *r,
		    unsigned size_flags)
{
	const struct famfs_space *s = &r->space;
	char a[32], b[32], c[32];

	fprintf(f, "famfs fsck %s: %s\n", path, clean ? "clean" : "ERRORS");
	fprintf(f, "  capacity %s, used %s, free %s\n", cli_size_str(s->capacity, size_flags, a, sizeof(a)),
		cli_size_str(s->used, size_flags, b, sizeof(b)),
		cli_size_str(s->free, size_flags, c, sizeof(c)));
	for (uint32_t d = 0; s->ndevs > 1 && d < s->ndevs && d < FAMFS_MAX_DEVS; d++)
		fprintf(f, "    dev %u: capacity %s, used %s\n", d,
			cli_size_str(s->dev_capacity[d], size_flags, a, sizeof(a)),
			cli_size_str(s->dev_used[d], size_flags, b, sizeof(b)));
	fprintf(f, "  files %llu, directories %llu, log slots %llu of %llu used\n",
		(ull)s->nfiles, (ull)s->ndirs, (ull)s->log_used, (ull)s->log_slots);
	cli_print_classes(f, s, size_flags);
	fprintf(f, "  errors %llu (bad entries %llu, bad extents %llu, cross-links %llu, bad paths %llu)\n",
		(ull)r->errors, (ull)r->bad_entries, (ull)r->bad_extents, (ull)r->crosslinks,
		(ull)r->bad_paths);
	if (r->deleted || s->pending_reclaim || r->early_reuse)
		fprintf(f, "  deleted files %llu, pending reclaim %s, early reuses %llu\n",
			(ull)r->deleted, cli_size_str(s->pending_reclaim, size_flags, a, sizeof(a)),
			(ull)r->early_reuse);
}

static void cli_print_fmap(FILE *f, const struct famfs_fmap *fm)
{
	fprintf(f, "  fmap: %s, %u extent%s\n", cli_kind_name(fm->kind),
		fm->nextents, fm->nextents == 1 ? "" : "s");
	for (uint32_t i = 0; i < fm->nextents && i < FAMFS_MAX_EXTENTS; i++)
		fprintf(f, "    [%u] dev %u offset %#llx len %#llx\n", i, fm->ext[i].devindex,
			(ull)fm->ext[i].offset, (ull)fm->ext[i].len);
}

void cli_print_getmap(FILE *f, const struct cli_getmap *g, unsigned size_flags)
{
	const struct famfs_ioc_xlate *x = &g->xlate;
	char b[32];

	fprintf(f, "%s: key %#llx size %s%s\n", g->file, (ull)g->bind.key,
		cli_size_str(g->bind.size, size_flags, b, sizeof(b)),
		g->bind.flags & FAMFS_BIND_READONLY ? " (read-only on this host)" : "");
	if (g->have_fmap)
		cli_print_fmap(f, &g->fmap);
	else
		fprintf(f, "  fmap: none in %s\n", FAMFS_FMAPS_PIN);
	for (uint32_t i = 0; i < g->bind.ngrants; i++)
		if (g->bind.grants[i].flags & FAMFS_GRANT_FAILED)
			fprintf(f, "  memory failed in grant %u: dev %u offset %#llx len %#llx (fenced: EIO/SIGBUS there)\n",
				i, g->bind.grants[i].devindex, (ull)g->bind.grants[i].offset,
				(ull)g->bind.grants[i].len);
	if (!g->xerr)
		fprintf(f, "  policy %s: offset %#llx -> dev %u offset %#llx len %#llx\n", g->policy,
			(ull)x->offset, x->devindex, (ull)x->dev_offset, (ull)x->len);
	else
		fprintf(f, "  policy %s: offset %#llx -> %s\n", g->policy[0] ? g->policy : "(none)",
			(ull)x->offset, strerror(g->xerr));
}

void cli_print_policy_mount(FILE *f, const char *mpt, const struct famfs_ioc_stats *st)
{
	fprintf(f, "mount %s: policy %s%s%s, %u device(s)\n", mpt,
		st->policy_attached ? st->policy : "(none)",
		st->selected[0] ? ", asks for " : "", st->selected, st->ndevs);
}

void cli_print_policy_row(FILE *f, const struct cli_policy_row *p, unsigned size_flags)
{
	const struct famfs_policy_stats *s = &p->stats;
	char b[32];

	fprintf(f, "policy %s%s%s: translations %llu, no_fmap %llu, unresolved %llu\n", p->name,
		p->attached ? " (attached)" : "", p->this_mount ? " (this mount)" : "",
		(ull)s->translations, (ull)s->no_fmap, (ull)s->unresolved);
	for (int d = 0; d < FAMFS_MAX_DEVS; d++) {
		if (!s->dev_translations[d])
			continue;
		if (size_flags & CLI_SIZE_HUMAN)
			fprintf(f, "  dev %d: %llu translations, %s mapped\n", d,
				(ull)s->dev_translations[d],
				cli_size_str(s->dev_bytes[d], size_flags, b, sizeof(b)));
		else
			fprintf(f, "  dev %d: %llu translations, %llu bytes mapped\n", d,
				(ull)s->dev_translations[d], (ull)s->dev_bytes[d]);
	}
}

/* "simple, interleaved": the kinds of a FAMFS_FMAP_KIND_BIT mask, "none" if empty. */
static const char *cli_kinds_str(uint32_t mask, char *buf, size_t len)
{
	size_t n = 0;

	buf[0] = '\0';
	for (uint32_t k = 1; k <= FAMFS_FMAP_KIND_MAX; k++)
		if (mask & FAMFS_FMAP_KIND_BIT(k))
			n += snprintf(buf + n, n < len ? len - n : 0, "%s%s", n ? ", " : "",
				      cli_kind_name(k));
	if (!n)
		snprintf(buf, len, "none");
	return buf;
}

/* One line per policy: name, "(attached)", then the fmap kinds it resolves. */
void cli_print_policy_list(FILE *f, const struct cli_policy_row *rows, size_t n)
{
	char k[32];

	for (size_t i = 0; i < n; i++)
		fprintf(f, "%s%s: kinds %s\n", rows[i].name, rows[i].attached ? " (attached)" : "",
			cli_kinds_str(rows[i].kinds, k, sizeof(k)));
}
