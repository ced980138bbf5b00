// SPDX-License-Identifier: Apache-2.0
/*
 * cmd_rm.c - famfsctl rm [-v] FILE... (master only, OMF >= 1.3): log a DELETE for each file,
 * apply it to this host's mount at once (unbind: mappings revoked, name gone), and reclaim
 * what every client has applied. Also cli_reclaim(), which cp and creat run before they
 * allocate: the master's allocator reuses a deleted file's space only after its RECLAIM.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>

#include "cli.h"

static void rm_help(FILE *f)
{
	fprintf(f, "usage: famfsctl rm [-v] FILE...\n"
		"Delete famfs files (master only): log a DELETE entry for each, unbind it on this\n"
		"host (its mappings are revoked: the next touch is SIGBUS; read/write get EIO) and\n"
		"remove its name. Every other host does the same when it applies the entry\n"
		"(load-maps, or follow). The space stays allocated (pending reclaim) until every\n"
		"host in the client table has applied the delete (famfsctl clients); the next\n"
		"allocation after that reuses it.\n"
		"  -v, --verbose     say what was logged, unbound and reclaimed\n"
		"  -?, --help        this help\n");
}

int cli_reclaim(struct famfs_media *m, uint64_t *nreclaimed)
{
	struct famfs_clients *t;
	int ret;

	*nreclaimed = 0;
	if (!famfs_media_is_master(m) ||
	    le16toh(famfs_media_sb(m)->sb_omf_minor) < FAMFS_OMF_MINOR_DELETE)
		return 0;	/* nothing to reclaim (the append names a non-master itself) */
	ret = famfs_clients_open_media(m, false, &t);
	if (ret)
		return ret;
	ret = famfs_log_reclaim(m, t, nreclaimed);
	famfs_clients_close(t);
	return ret;
}

/* Delete one file: log, apply here, reclaim. */
static int rm_one(const char *path)
{
	struct famfs_replay_opts o = { .verbose = cli_verbose };
	char mpt[PATH_MAX], rel[PATH_MAX];
	struct famfs_replay_result r;
	struct famfs_media *m;
	uint64_t index, fi, nrec;
	int ret = famfs_find_mount(path, mpt, sizeof(mpt), NULL, 0, rel, sizeof(rel));

	if (ret)
		return ret;
	ret = famfs_mount_ready(mpt) ?: famfs_media_open_mount(mpt, FAMFS_OPEN_RDONLY, &m);
	if (ret)
		return ret;
	if (famfs_media_is_master(m)) {	/* a client's .meta/.log refuses writable maps */
		famfs_media_close(m);
		ret = famfs_media_open_mount(mpt, FAMFS_OPEN_RDWR, &m);
		if (ret)
			return ret;
	}
	ret = famfs_log_append_delete(m, rel, &index, &fi);
	if (ret == 0)
		ret = famfs_load_maps(mpt, NULL, &o, &r);	/* applies it; records this host */
	if (ret == 0)
		ret = cli_reclaim(m, &nrec);
	famfs_media_close(m);
	if (ret == 0 && cli_verbose)
		famfs_msg(FAMFS_MSG_INFO, "famfs rm: %s: log entry %" PRIu64 " deletes entry %" PRIu64
			  "; %s", path, index, fi, nrec ? "space reclaimed" :
			  "space pending reclaim until every client has applied it");
	return ret;
}

int cmd_rm(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "verbose", no_argument, NULL, 'v' }, { "help", no_argument, NULL, 'h' }, { 0 },
	};
	int c, errors = 0;

	while ((c = cli_getopt(argc, argv, "+vh", opts, 'h')) != -1) {
		switch (c) {
		case 'v': cli_verbose = true; break;
		case 'h': rm_help(stdout); return 0;
		default: rm_help(stderr); return 2;
		}
	}
	if (optind >= argc)
		return cli_usage_error("rm", "expected at least one FILE");
	for (int i = optind; i < argc; i++)
		errors += rm_one(argv[i]) != 0;
	return errors ? 1 : 0;
}
