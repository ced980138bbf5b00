// SPDX-License-Identifier: Apache-2.0
/* cmd_mkdir.c - famfsctl mkdir [-p] [-v] [-m MODE] [-u USER] [-g GROUP] DIR (master only) */
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
	fprintf(f, "usage: famfsctl mkdir [-p] [-v] [-m MODE] [-u USER] [-g GROUP] DIR\n"
		"Log and make a directory in famfs (master only).\n"
		"  -p, --parents     make missing parents too; no error if DIR exists\n"
		"  -m, --mode MODE   octal mode (default 0755)\n"
		"  -u, --uid USER    owner: a name or a number (default: caller)\n"
		"  -g, --gid GROUP   group: a name or a number (default: caller's)\n"
		"  -v, --verbose     name each directory made\n"
		"  -?, --help        this help\n");
}

static bool is_dir(const char *p)
{
	struct stat st;

	return !stat(p, &st) && S_ISDIR(st.st_mode);
}

/* Log and make @dir (with @parents: each missing component in turn, from the top). */
static int mkdir_path(const char *dir, bool parents, uint32_t mode, uint32_t uid, uint32_t gid)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s", dir);
	while (strlen(path) > 1 && path[strlen(path) - 1] == '/')
		path[strlen(path) - 1] = '\0';
	if (!parents)
		return cli_new_dir(path, mode, uid, gid) ? -1 : 0;
	for (char *s = path + 1;; s++) {
		if (*s != '/' && *s != '\0')
			continue;
		char save = *s;

		*s = '\0';
		if (!is_dir(path) && cli_new_dir(path, mode, uid, gid) < 0)
			return -1;
		*s = save;
		if (!save)
			return 0;
	}
}

int cmd_mkdir(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "parents", no_argument, NULL, 'p' }, { "mode", required_argument, NULL, 'm' },
		{ "uid", required_argument, NULL, 'u' }, { "gid", required_argument, NULL, 'g' },
		{ "verbose", no_argument, NULL, 'v' }, { "help", no_argument, NULL, 'h' }, { 0 },
	};
	unsigned long mode = 0755;
	uint32_t uid = getuid(), gid = getgid();
	bool parents = false;
	int c;

	while ((c = cli_getopt(argc, argv, "+pvm:u:g:h", opts, 'h')) != -1) {
		switch (c) {
		case 'p': parents = true; break;
		case 'm':
			mode = strtoul(optarg, NULL, 8);
			if (mode > 07777 || strspn(optarg, "01234567") != strlen(optarg))
				return cli_usage_error("mkdir", "bad mode '%s'", optarg);
			break;
		case 'u':
			if (cli_id_arg("mkdir", false, optarg, &uid))
				return 2;
			break;
		case 'g':
			if (cli_id_arg("mkdir", true, optarg, &gid))
				return 2;
			break;
		case 'v': cli_verbose = true; break;
		case 'h': mkdir_help(stdout); return 0;
		default: mkdir_help(stderr); return 2;
		}
	}
	if (optind != argc - 1)
		return cli_usage_error("mkdir", "expected one DIR");
	return mkdir_path(argv[optind], parents, mode, uid, gid) ? 1 : 0;
}
