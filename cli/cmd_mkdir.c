// SPDX-License-Identifier: Apache-2.0
/* cmd_mkdir.c - famfsctl mkdir [-p] [-m MODE] [-u UID] [-g GID] DIR (master only) */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

static void mkdir_help(FILE *f)
{
	fprintf(f, "usage: famfsctl mkdir [-p] [-m MODE] [-u UID] [-g GID] DIR\n"
		"Log and make a directory in famfs (master only).\n"
		"  -p, --parents     make missing parents too; no error if DIR exists\n"
		"  -m, --mode MODE   octal mode (default 0755)\n");
}

static bool is_dir(const char *p)
{
	struct stat st;

	return !stat(p, &st) && S_ISDIR(st.st_mode);
}

int cmd_mkdir(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "parents", no_argument, NULL, 'p' }, { "mode", required_argument, NULL, 'm' },
		{ "uid", required_argument, NULL, 'u' }, { "gid", required_argument, NULL, 'g' },
		{ "help", no_argument, NULL, 'h' }, { 0 },
	};
	unsigned long mode = 0755, uid = getuid(), gid = getgid();
	bool parents = false;
	char path[PATH_MAX];
	int c;

	while ((c = getopt_long(argc, argv, "+pm:u:g:h", opts, NULL)) != -1) {
		switch (c) {
		case 'p': parents = true; break;
		case 'm':
			mode = strtoul(optarg, NULL, 8);
			if (mode > 07777 || strspn(optarg, "01234567") != strlen(optarg))
				return cli_usage_error("mkdir", "bad mode '%s'", optarg);
			break;
		case 'u': uid = strtoul(optarg, NULL, 10); break;
		case 'g': gid = strtoul(optarg, NULL, 10); break;
		case 'h': mkdir_help(stdout); return 0;
		default: mkdir_help(stderr); return 2;
		}
	}
	if (optind != argc - 1)
		return cli_usage_error("mkdir", "expected one DIR");
	snprintf(path, sizeof(path), "%s", argv[optind]);
	while (strlen(path) > 1 && path[strlen(path) - 1] == '/')
		path[strlen(path) - 1] = '\0';

	if (!parents)
		return cli_new_dir(path, mode, uid, gid) ? 1 : 0;
	/* -p: each missing component in turn, from the top */
	for (char *s = path + 1;; s++) {
		if (*s != '/' && *s != '\0')
			continue;
		char save = *s;

		*s = '\0';
		if (!is_dir(path) && cli_new_dir(path, mode, uid, gid) < 0)
			return 1;
		*s = save;
		if (!save)
			break;
	}
	return 0;
}
