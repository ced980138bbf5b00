/* SPDX-License-Identifier: Apache-2.0 */
/* cli.h - famfsctl: the command table and helpers shared by the cmd_*.c files. */
#ifndef FAMFS_CLI_H
#define FAMFS_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "libfamfs.h"
#include "loader.h"

/* A subcommand: argv[0] is its name; returns the process exit code. */
struct cli_cmd {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
};

/* famfsctl's version (famfsctl --version), defined here only. */
#define FAMFSCTL_VERSION	"0.5.0"

extern bool cli_verbose;
/* cli_verbose_on() - a command's -v: cli_verbose and debug messages (famfs_msg, libbpf). */
void cli_verbose_on(void);

/* ---- argument parsing, shared by every command (parse.c; pure, unit-tested) ---- */
/* Report a usage error for @cmd on stderr and return the exit code 2. */
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/*
 * cli_parse_size() - @s as bytes: decimal digits ("016M" is 16 MiB, never octal) and an
 * optional suffix K, M, G, T or KiB, MiB, GiB, TiB, any case, powers of 1024.
 * Return: 0 and *bytes; -EINVAL empty, negative, a sign or blank first, or junk; -ERANGE
 * more than 2^64 - 1 bytes. Prints nothing.
 */
int cli_parse_size(const char *s, uint64_t *bytes);
/*
 * cli_size_arg() - cli_parse_size(); on error also a usage message for @cmd naming @what
 * (e.g. "size"), the argument @s and why. Return as cli_parse_size().
 */
int cli_size_arg(const char *cmd, const char *what, const char *s, uint64_t *bytes);
/*
 * cli_parse_id() - a user id (@group false) or group id (@group true): a decimal number
 * below 2^32 - 1, or a name looked up with getpwnam()/getgrnam().
 * Return: 0 and *id; -EINVAL empty or negative; -ERANGE number too large; -ENOENT no such
 * user or group on this host. Prints nothing.
 */
int cli_parse_id(const char *s, bool group, uint32_t *id);
/* cli_id_arg() - cli_parse_id(); on error also a usage message for @cmd naming @s and why. */
int cli_id_arg(const char *cmd, bool group, const char *s, uint32_t *id);
struct option;
/*
 * cli_getopt() - getopt_long() for a command (argv[0] is its name; no longindex). Returns
 * as getopt_long(), except: "-?" (famfs's help option) returns @help, the command's own
 * help option; an unknown option or a missing argument returns '?' after a usage message
 * on stderr naming it. Reset optind to 0 before parsing a new argv.
 */
int cli_getopt(int argc, char **argv, const char *optstring, const struct option *longopts,
	       int help);

/* ---- what commands print (report.c: text, json.c: -j; both pure, unit-tested) ---- */
#define CLI_SIZE_HUMAN	0x1	/* "1.5 GiB" instead of bytes */
#define CLI_SIZE_TIGHT	0x2	/* with CLI_SIZE_HUMAN: no blank ("1.5GiB"), for key=value */
/* cli_size_str() - @bytes as text in @buf (@len bytes) per CLI_SIZE_* @flags; returns @buf. */
const char *cli_size_str(uint64_t bytes, unsigned flags, char *buf, size_t len);
/* cli_kind_name() - "simple" or "interleaved" for a FAMFS_FMAP_* kind, else "unknown". */
const char *cli_kind_name(uint32_t kind);

/* One file as getmap sees it: binding, fmap (if in the pinned map), the policy's answer. */
struct cli_getmap {
	const char *file;
	struct famfs_ioc_bind bind;
	bool have_fmap;
	struct famfs_fmap fmap;
	struct famfs_ioc_xlate xlate;	/* xlate.offset: what was asked */
	int xerr;			/* errno of the translation, 0 if answered */
	char policy[FAMFS_POLICY_NAME_LEN];	/* the mount's policy, "" if none */
};
/* One built-in policy as policy show/list report it. */
struct cli_policy_row {
	const char *name;
	bool attached;		/* its link is pinned */
	bool this_mount;	/* the policy the mount shown uses */
	bool have_stats;	/* its stats map is pinned: @stats is valid */
	struct famfs_policy_stats stats;
	uint32_t kinds;		/* FAMFS_FMAP_KIND_BIT mask of the fmap kinds it resolves */
};

/* Text forms; the tests in tests/vm/ read some of these lines: keep them as they are. */
void cli_print_replay(FILE *f, const char *mpt, const struct famfs_replay_result *r, bool dry);
void cli_print_stats(FILE *f, const struct famfs_ioc_stats *st, unsigned size_flags);
void cli_print_fsck(FILE *f, const char *path, bool clean, const struct famfs_fsck_report *r,
		    unsigned size_flags);
void cli_print_getmap(FILE *f, const struct cli_getmap *g, unsigned size_flags);
void cli_print_policy_mount(FILE *f, const char *mpt, const struct famfs_ioc_stats *st);
void cli_print_policy_row(FILE *f, const struct cli_policy_row *p, unsigned size_flags);
void cli_print_policy_list(FILE *f, const struct cli_policy_row *rows, size_t n);

/*
 * JSON forms (-j), built with json-c here only. Each returns a new object (caller owns it:
 * cli_json_print() or json_object_put()); 64-bit keys are hex strings "0x...", counts and
 * sizes are numbers. @mpt, @dev may be NULL (then left out).
 */
struct json_object;
struct json_object *cli_json_replay(const char *mpt, const char *dev,
				    const struct famfs_replay_result *r, bool dry);
struct json_object *cli_json_stats(const char *mpt, const struct famfs_ioc_stats *st);
/* What fsck --repair did (or would do, @dry_run): entries made void entries. */
struct cli_fsck_repair {
	bool dry_run;
	uint64_t voided;
};
/* What check found in a mount (cmd_check.c); the first CLI_CHECK_MAX_BAD bad files kept. */
#define CLI_CHECK_MAX_BAD	64
struct cli_check {
	char mount[4096];
	uint64_t nfiles, ndirs, nother, nbad;	/* nother: neither file nor directory, skipped */
	bool sb_missing, log_missing;		/* .meta/.superblock, .meta/.log */
	struct { char file[4096]; char why[160]; } bad[CLI_CHECK_MAX_BAD];
};
struct json_object *cli_json_check(const struct cli_check *c);
/* chkread: an array (cli_json_chkread_new()), one entry per file (@ret 0 match, 1 differ at
 * @bad, -errno), then the object {files, errors, results} (takes @arr). */
struct json_object *cli_json_chkread_new(void);
void cli_json_chkread_add(struct json_object *arr, const char *file, int ret, uint64_t size,
			  uint64_t bad);
struct json_object *cli_json_chkread(struct json_object *arr, unsigned files, unsigned errors);
/* @rep: NULL without --repair. */
struct json_object *cli_json_fsck(const char *path, bool clean, const struct famfs_fsck_report *r,
				  const struct cli_fsck_repair *rep);
struct json_object *cli_json_getmap(const struct cli_getmap *g);
struct json_object *cli_json_policies(const char *mpt, const struct famfs_ioc_stats *st,
				      const struct cli_policy_row *rows, size_t n);
/* cli_json_print() - print @o as one line on @f and free it. 0, or -EIO on a write error. */
int cli_json_print(FILE *f, struct json_object *o);
/* "0x..." for @v in @buf (at least 19 bytes); returns @buf. */
const char *cli_hex64(uint64_t v, char *buf, size_t len);

/*
 * cli_zero_tail() - zero bytes [@size, roundup(@size, page)) of famfs file @fd (named @path
 * in messages) through a shared mapping of its last page, written back from the CPU cache.
 * Return 0, or -errno of mmap (logged).
 */
int cli_zero_tail(int fd, const char *path, uint64_t size);

/*
 * cli_new_file() - on the master: log a new file at @path (inside a famfs mount) shaped by
 * @req (size, mode, owner, flags, interleave; req->path is ignored), apply the entry to the
 * mount, and return an fd open O_RDWR on it (the caller fills it). -errno.
 */
int cli_new_file(const char *path, const struct famfs_file_req *req);

/*
 * cli_append_hold() - from now on keep the master's append session open across
 * cli_new_file() / cli_new_dir() calls on one mount (famfs_append_begin(): the log lock held
 * and the log replayed once, not once per file) until cli_append_release(), which releases
 * the lock. Other appenders wait meanwhile. Not thread-safe: call from one thread.
 */
void cli_append_hold(void);
void cli_append_release(void);

/* ---- cp's data copies (cp_copy.c) ---- */
#define CP_THREADS_MAX	64	/* cp -t N: at most this many copy threads */
struct cp_copier;
/* cp_copier_start() - copy in the caller's thread (@nthreads 0) or with @nthreads threads;
 * draws the progress line on stderr when it is a terminal. 0 or -ENOMEM. */
int cp_copier_start(struct cp_copier **out, unsigned nthreads);
/* cp_copier_add() - copy @size bytes from @in to @out (both closed when done; errors are
 * reported naming @src or @dst, and counted). With threads it may wait for room in the
 * queue and returns before the copy is done. 0, or -errno of an inline copy. */
int cp_copier_add(struct cp_copier *c, int in, int out, const char *src, const char *dst,
		  uint64_t size);
/* cp_copier_finish() - wait for every copy, end the progress line, free @c; the files
 * copied, their bytes and the copies that failed. */
void cp_copier_finish(struct cp_copier *c, uint64_t *files, uint64_t *bytes, uint64_t *errors);

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
int cmd_daxmode(int argc, char **argv);
int cmd_getmap(int argc, char **argv);
int cmd_flush(int argc, char **argv);
int cmd_policy(int argc, char **argv);
int cmd_stats(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_chkread(int argc, char **argv);
int cmd_rm(int argc, char **argv);
int cmd_clients(int argc, char **argv);
int cmd_status(int argc, char **argv);
int cmd_follow(int argc, char **argv);
/*
 * cli_reclaim() - on the master (OMF >= 1.3): log a RECLAIM for every deleted file that
 * every client in the table has applied (famfs_log_reclaim()), so the next allocation may
 * reuse its space. *@nreclaimed = how many. 0 (also on a client, or an older format), -errno.
 */
int cli_reclaim(struct famfs_media *m, uint64_t *nreclaimed);
/* One row of famfsctl clients / status: a slot, and how far behind the log it is. */
struct cli_client_row {
	struct famfs_client_info ci;
	uint64_t next_index;	/* the log's */
	uint64_t now;		/* seconds since the epoch */
	bool	 self;		/* this host */
	bool	 master;	/* the superblock's master */
};
void cli_print_client(FILE *f, const struct cli_client_row *c, bool header);
struct json_object *cli_json_client(const struct cli_client_row *c);
/* {"clients": [cli_json_client(), ...]} */
struct json_object *cli_json_clients(const struct cli_client_row *rows, int n);

#endif /* FAMFS_CLI_H */
