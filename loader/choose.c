// SPDX-License-Identifier: Apache-2.0
/*
 * choose.c - which policy a mount uses: one that resolves every fmap kind its log holds.
 * The kinds come from the log itself (read from the device with O_DIRECT, before anything
 * is mapped); the policies' kinds from their own objects (famfs_policy_kinds()).
 */
#include <errno.h>
#include <string.h>

#include "loader.h"

/* Unreadable entries are skipped here (replay reports them); their kinds count for nothing. */
static void famfs_quiet(enum famfs_msg_level level, const char *msg)
{
}

int famfs_log_kinds(const char *mpt, const char *dev, uint32_t *kinds)
{
	struct famfs_log_entry e;
	struct famfs_media *m;
	uint64_t next, i;
	famfs_msg_fn was;
	uint32_t kind;
	int ret;

	*kinds = 0;
	ret = famfs_meta_source_open(mpt, dev, &m);
	if (ret)
		return ret;
	next = famfs_log_next_index(m);
	was = famfs_set_msg_fn(famfs_quiet);
	for (i = 0; i < next; i++) {
		if (famfs_log_get(m, i, &e) || le32toh(e.le_type) != FAMFS_LOG_FILE)
			continue;
		kind = le32toh(e.le_file.fi_fmap.fm_kind);
		if (kind >= 1 && kind <= FAMFS_FMAP_KIND_MAX)
			*kinds |= FAMFS_FMAP_KIND_BIT(kind);
	}
	famfs_set_msg_fn(was);
	famfs_media_close(m);
	return 0;
}

static const char *famfs_kinds_text(uint32_t kinds)
{
	return kinds & FAMFS_FMAP_KIND_BIT(FAMFS_FMAP_INTERLEAVE) ? "interleaved" : "simple";
}

/* 0 if policy @name resolves @kinds, else -EOPNOTSUPP naming one that does. */
static int famfs_policy_fits(const char *name, uint32_t have, uint32_t kinds)
{
	const char *fit;

	if (!(kinds & ~have))
		return 0;
	fit = famfs_policy_for_kinds(kinds);
	famfs_msg(FAMFS_MSG_ERR, "policy %s cannot resolve the %s files this log holds: use %s%s",
		  name, famfs_kinds_text(kinds & ~have), fit ? "-p " : "a policy that does",
		  fit ? fit : "");
	return -EOPNOTSUPP;
}

int famfs_mount_policy_ensure(const char *mpt, const char *dev, const char *want,
			      const struct famfs_ioc_stats *st)
{
	uint32_t kinds, have = 0;
	const char *name;
	int ret;

	/*
	 * A famfs-mode dax device 0 is read through the mount's .meta files, which need a
	 * policy to be mapped: with none attached (detached since the mount), attach the one
	 * the mount selected (else the default: every policy resolves the simple .meta files)
	 * before reading the log's kinds; a wrong fit is still refused below.
	 */
	if (!st->policy_attached && famfs_dax_is_famfs_mode(dev)) {
		name = want ? want : st->selected[0] ? st->selected : FAMFS_DEFAULT_POLICY;
		ret = famfs_policy_attached(name) ? 0 : famfs_policy_attach(name);
		if (!ret)
			ret = famfs_mount_set_policy(mpt, name);
		if (ret)
			return ret;
		st = NULL;	/* the mount now has @name: compared by name below */
	}
	ret = famfs_log_kinds(mpt, dev, &kinds);
	if (ret)
		return ret;
	if (!st) {
		ret = famfs_policy_kinds(name, &have);
		return ret ? ret : famfs_policy_fits(name, have, kinds);
	}
	if (!want && st->policy_attached)	/* keep what the mount uses, if it can */
		return famfs_policy_fits(st->policy, st->policy_kinds, kinds);
	name = want ? want : st->selected[0] ? st->selected : famfs_policy_for_kinds(kinds);
	if (!name)
		return famfs_policy_fits(FAMFS_DEFAULT_POLICY, 0, kinds);
	ret = famfs_policy_kinds(name, &have);
	if (!ret)
		ret = famfs_policy_fits(name, have, kinds);
	if (!ret && !famfs_policy_attached(name))
		ret = famfs_policy_attach(name);
	if (!ret && (!st->policy_attached || strcmp(st->policy, name)))
		ret = famfs_mount_set_policy(mpt, name);
	return ret;
}
