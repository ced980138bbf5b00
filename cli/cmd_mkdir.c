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
		"  -p, --parents     make missing parents too; no error if DIR exists; refused,\n"
		"                    with nothing made, if DIR leaves the mount ('..', a symlink)\n"
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

/*
 * mkdir -p, checked before anything is made (as famfs refuses): the deepest existing
 * ancestor of @dir, resolved (realpath: '..' and symlinks), must be a directory inside a
 * famfs mount, and no component after it may be '..', so every directory made is inside
 * that mount. Then each missing component is logged and made in turn, from the top.
 */
static int mkdir_parents(const char *dir, uint32_t mode, uint32_t uid, uint32_t gid)
{
	char path[PATH_MAX], real[PATH_MAX], mpt[PATH_MAX], made[PATH_MAX * 2];
	const char *tail = "";
	char *slash;

	snprintf(path, sizeof(path), "%s", dir);
	while (!is_dir(path)) {
		slash = strrchr(path, '/');
		if (!slash) {		/* relative: the first component is missing */
			tail = dir;
			snprintf(path, sizeof(path), ".");
			break;
		}
		tail = dir + (slash - path) + 1;
		if (slash == path) {
			path[1] = '\0';
			break;
		}
		*slash = '\0';
		if (!stat(path, &(struct stat){ 0 }) && !is_dir(path)) {
			famfs_msg(FAMFS_MSG_ERR, "%s: %s is not a directory", dir, path);
			return -ENOTDIR;
		}
	}
	if (!realpath(path, real)) {
		famfs_msg(FAMFS_MSG_ERR, "%s: %s: %s", dir, path, strerror(errno));
		return -errno;
	}
	if (famfs_find_mount(real, mpt, sizeof(mpt), NULL, 0, NULL, 0)) {
		famfs_msg(FAMFS_MSG_ERR, "%s: resolves to %s, outside every famfs mount ('..' or a symlink?): nothing made",
			  dir, real);
		return -EXDEV;
	}
	/* the missing part: no '..' (it would climb out of what was checked) */
	char rest[PATH_MAX], *save = NULL;

	snprintf(rest, sizeof(rest), "%s", tail);
	for (char *c = strtok_r(rest, "/", &save); c; c = strtok_r(NULL, "/", &save))
		if (!strcmp(c, "..")) {
			famfs_msg(FAMFS_MSG_ERR, "%s: '..' after %s climbs out of what exists in the famfs mount at %s: nothing made",
				  dir, real, mpt);
			return -EXDEV;
		}
	snprintf(rest, sizeof(rest), "%s", tail);
	snprintf(made, sizeof(made), "%s", real);
	for (char *c = strtok_r(rest, "/", &save); c; c = strtok_r(NULL, "/", &save)) {
		if (!strcmp(c, "."))
			continue;
		size_t n = strlen(made);

		snprintf(made + n, sizeof(made) - n, "%s%s", n && made[n - 1] == '/' ? "" : "/", c);
		if (!is_dir(made) && cli_new_dir(made, mode, uid, gid) < 0)
			return -1;
	}
	return 0;
}

/* Log and make @dir (with @parents: mkdir_parents()). */
static int mkdir_path(const char *dir, bool parents, uint32_t mode, uint32_t uid, uint32_t gid)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s", dir);
	while (strlen(path) > 1 && path[strlen(path) - 1] == '/')
		path[strlen(path) - 1] = '\0';
	if (!parents)
		return cli_new_dir(path, mode, uid, gid) ? -1 : 0;
	return mkdir_parents(path, mode, uid, gid);
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
		case 'v': cli_verbose_on(); break;
		case 'h': mkdir_help(stdout); return 0;
		default: mkdir_help(stderr); return 2;
		}
	}
	if (optind != argc - 1)
		return cli_usage_error("mkdir", "expected one DIR");
	return mkdir_path(argv[optind], parents, mode, uid, gid) ? 1 : 0;
}
