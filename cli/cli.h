/* SPDX-License-Identifier: Apache-2.0 */
/* cli.h - famfsctl: the command table and helpers shared by the cmd_*.c files. */
#ifndef FAMFS_CLI_H
#define FAMFS_CLI_H

#include <stdbool.h>
#include <stdint.h>

#include "libfamfs.h"
#include "loader.h"

/* A subcommand: argv[0] is its name; returns the process exit code. */
struct cli_cmd {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
};

extern bool cli_verbose;

/* Parse "123", "4K", "2M", "1G" (powers of 1024) into bytes; -EINVAL on junk. */
int cli_parse_size(const char *s, uint64_t *bytes);
/* Report a usage error for @cmd and return the exit code 2. */
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * cli_new_file() - on the master: log a new file at @path (inside a famfs mount) shaped by
 * @req (size, mode, owner, flags, interleave; req->path is ignored), apply the entry to the
 * mount, and return an fd open O_RDWR on it (the caller fills it). -errno.
 */
int cli_new_file(const char *path, const struct famfs_file_req *req);

/* Interleave options shared by cp and creat: -N nstrips, -C chunk size, -d devices. */
struct cli_layout {
	uint32_t nstrips;
	uint64_t chunk_size;
	uint32_t devmask;
};
/* Parse one of -N/-C/-d into @l (others: -ENOENT); after parsing, cli_layout_check(). */
int cli_layout_opt(struct cli_layout *l, int opt, const char *arg, const char *cmd);
int cli_layout_check(struct cli_layout *l, const char *cmd);
#define CLI_LAYOUT_HELP \
	"  -N, --nstrips N   interleave over N strips (on distinct devices where possible)\n" \
	"  -C, --chunksize S interleave chunk size (power of two, multiple of 2M; default 2M)\n" \
	"  -d, --devices L   devices to use, e.g. 0,2 (default: all)\n"
#define CLI_LAYOUT_OPTS \
	{ "nstrips", required_argument, NULL, 'N' }, { "chunksize", required_argument, NULL, 'C' }, \
	{ "devices", required_argument, NULL, 'd' }
/* cli_new_dir() - on the master: log and make directory @path. 1 if it existed, 0, -errno. */
int cli_new_dir(const char *path, uint32_t mode, uint32_t uid, uint32_t gid);

int cmd_mkfs(int argc, char **argv);
int cmd_mount(int argc, char **argv);
int cmd_umount(int argc, char **argv);
int cmd_load_maps(int argc, char **argv);
int cmd_cp(int argc, char **argv);
int cmd_creat(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_mkdir(int argc, char **argv);
int cmd_fsck(int argc, char **argv);
int cmd_getmap(int argc, char **argv);
int cmd_flush(int argc, char **argv);
int cmd_policy(int argc, char **argv);
int cmd_stats(int argc, char **argv);

#endif /* FAMFS_CLI_H */
