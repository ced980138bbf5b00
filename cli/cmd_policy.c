// SPDX-License-Identifier: Apache-2.0
/*
 * cmd_policy.c - famfsctl policy show [MOUNTPOINT] | attach [NAME] | set MOUNTPOINT NAME |
 *                detach NAME | list;  famfsctl stats MOUNTPOINT
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static void policy_help(FILE *f)
{
	fprintf(f, "usage: famfsctl policy show [MOUNTPOINT]    policies, their counters per device\n"
		"       famfsctl policy attach [NAME]         attach NAME (default famfs_simple)\n"
		"       famfsctl policy set MOUNTPOINT NAME   make the mount use attached NAME, now\n"
		"                                             (no remount; faults in flight finish)\n"
		"       famfsctl policy detach NAME           detach (its mounts then fail: EIO/SIGBUS)\n"
		"       famfsctl policy list                  policies built into famfsctl\n");
}

static int policy_show(const char *mpt)
{
	struct famfs_ioc_stats st = { 0 };
	struct famfs_policy_stats ps;

	if (mpt && famfs_mount_stats(mpt, &st))
		return 1;
	if (mpt)
		printf("mount %s: policy %s%s%s, %u device(s)\n", mpt,
		       st.policy_attached ? st.policy : "(none)",
		       st.selected[0] ? ", asks for " : "", st.selected, st.ndevs);
	for (int i = 0; famfs_policy_names[i]; i++) {
		const char *n = famfs_policy_names[i];

		if (famfs_policy_stats(n, &ps))
			continue;
		printf("policy %s%s%s: translations %llu, no_fmap %llu, unresolved %llu\n", n,
		       famfs_policy_attached(n) ? " (attached)" : "",
		       mpt && st.policy_attached && !strcmp(st.policy, n) ? " (this mount)" : "",
		       (unsigned long long)ps.translations, (unsigned long long)ps.no_fmap,
		       (unsigned long long)ps.unresolved);
		for (int d = 0; d < FAMFS_MAX_DEVS; d++)
			if (ps.dev_translations[d])
				printf("  dev %d: %llu translations, %llu bytes mapped\n", d,
				       (unsigned long long)ps.dev_translations[d],
				       (unsigned long long)ps.dev_bytes[d]);
	}
	return 0;
}

int cmd_policy(int argc, char **argv)
{
	const char *sub = argc > 1 ? argv[1] : "";

	if (argc < 2 || !strcmp(sub, "-h") || !strcmp(sub, "--help")) {
		policy_help(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	if (!strcmp(sub, "show") && argc <= 3)
		return policy_show(argc == 3 ? argv[2] : NULL);
	if (!strcmp(sub, "attach") && argc <= 3)
		return famfs_policy_attach(argc == 3 ? argv[2] : FAMFS_DEFAULT_POLICY) ? 1 : 0;
	if (!strcmp(sub, "set") && argc == 4)
		return famfs_mount_set_policy(argv[2], argv[3]) ? 1 : 0;
	if (!strcmp(sub, "detach") && argc == 3)
		return famfs_policy_detach(argv[2]) ? 1 : 0;
	if (!strcmp(sub, "list") && argc == 2) {
		for (int i = 0; famfs_policy_names[i]; i++)
			printf("%s%s\n", famfs_policy_names[i],
			       famfs_policy_attached(famfs_policy_names[i]) ? " (attached)" : "");
		return 0;
	}
	return cli_usage_error("policy", "unknown subcommand '%s' or wrong arguments", sub);
}

/* One line, key=value, for scripts and tests. */
int cmd_stats(int argc, char **argv)
{
	struct famfs_ioc_stats st;

	if (argc == 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		printf("usage: famfsctl stats MOUNTPOINT\n");
		return 0;
	}
	if (argc != 2)
		return cli_usage_error("stats", "expected one MOUNTPOINT");
	if (famfs_mount_stats(argv[1], &st))
		return 1;
	printf("pte_faults=%llu pmd_faults=%llu pmd_fallbacks=%llu translations=%llu rejected=%llu policy=%s dev_size=%llu ndevs=%u selected=%s",
	       (unsigned long long)st.pte_faults, (unsigned long long)st.pmd_faults,
	       (unsigned long long)st.pmd_fallbacks, (unsigned long long)st.translations,
	       (unsigned long long)st.rejected, st.policy_attached ? st.policy : "(none)",
	       (unsigned long long)st.dev_size, st.ndevs, st.selected[0] ? st.selected : "-");
	for (uint32_t i = 0; i < st.ndevs && i < FAMFS_MAX_DEVS; i++)
		printf(" dev%u_size=%llu", i, (unsigned long long)st.dev_sizes[i]);
	printf("\n");
	return 0;
}
