// SPDX-License-Identifier: Apache-2.0
/*
 * cmd_policy.c - famfsctl policy show [MOUNTPOINT] | attach [NAME] | detach | list
 *                famfsctl stats MOUNTPOINT
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static void policy_help(FILE *f)
{
	fprintf(f, "usage: famfsctl policy show [MOUNTPOINT]   attached policy and its counters\n"
		"       famfsctl policy attach [NAME]        attach NAME (default famfs_simple)\n"
		"       famfsctl policy detach               detach (faults then fail: SIGBUS/EIO)\n"
		"       famfsctl policy list                 policies built into famfsctl\n");
}

static int policy_show(const char *mpt)
{
	struct famfs_ioc_stats st = { 0 };
	struct famfs_policy_stats ps;

	if (mpt && famfs_mount_stats(mpt, &st))
		return 1;
	if (mpt)
		printf("mount %s: policy %s\n", mpt, st.policy_attached ? st.policy : "(none)");
	for (int i = 0; famfs_policy_names[i]; i++) {
		const char *n = famfs_policy_names[i];

		if (famfs_policy_stats(n, &ps))
			continue;
		printf("policy %s%s: translations %llu, no_fmap %llu, unresolved %llu\n", n,
		       st.policy_attached && !strcmp(st.policy, n) ? " (attached)" : "",
		       (unsigned long long)ps.translations, (unsigned long long)ps.no_fmap,
		       (unsigned long long)ps.unresolved);
		for (int d = 0; d < FAMFS_FMAP_MAX_DEVS; d++)
			if (ps.dev_bytes[d])
				printf("  dev %d: %llu bytes mapped\n", d,
				       (unsigned long long)ps.dev_bytes[d]);
	}
	return 0;
}

int cmd_policy(int argc, char **argv)
{
	if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		policy_help(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	if (!strcmp(argv[1], "show") && argc <= 3)
		return policy_show(argc == 3 ? argv[2] : NULL);
	if (!strcmp(argv[1], "attach") && argc <= 3)
		return famfs_policy_attach(argc == 3 ? argv[2] : FAMFS_DEFAULT_POLICY) ? 1 : 0;
	if (!strcmp(argv[1], "detach") && argc == 2)
		return famfs_policy_detach() ? 1 : 0;
	if (!strcmp(argv[1], "list") && argc == 2) {
		for (int i = 0; famfs_policy_names[i]; i++)
			printf("%s\n", famfs_policy_names[i]);
		return 0;
	}
	return cli_usage_error("policy", "unknown subcommand or arguments");
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
	printf("pte_faults=%llu pmd_faults=%llu pmd_fallbacks=%llu translations=%llu rejected=%llu policy=%s dev_size=%llu\n",
	       (unsigned long long)st.pte_faults, (unsigned long long)st.pmd_faults,
	       (unsigned long long)st.pmd_fallbacks, (unsigned long long)st.translations,
	       (unsigned long long)st.rejected, st.policy_attached ? st.policy : "(none)",
	       (unsigned long long)st.dev_size);
	return 0;
}
