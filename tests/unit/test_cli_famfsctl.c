// SPDX-License-Identifier: Apache-2.0
/*
 * test_cli_famfsctl.c - the famfsctl binary itself, for what needs no kernel: help for
 * every command and policy subcommand (-? and --help), --version, option spellings
 * (logplay --dryrun, mkdir -pv, creat -v), refusals naming the argument, a checked stdout,
 * and fsck's text and JSON on an image file made by famfsctl mkfs. Runs $FAMFSCTL
 * (default build/famfsctl, from the top of the tree, where make unit runs).
 */
#include <sys/wait.h>

#include "cli_test.h"

struct run {
	int rc;			/* exit code, or -1 */
	char out[16384];	/* stdout */
	char err[8192];		/* stderr */
};

static char dir[256];

static void setup(void)
{
	char uuid[320];

	snprintf(dir, sizeof(dir), "%s/famfs-cli-XXXXXX", getenv("TMPDIR") ?: "/tmp");
	cr_assert_not_null(mkdtemp(dir));
	snprintf(uuid, sizeof(uuid), "%s/system_uuid", dir);
	setenv("FAMFS_SYSTEM_UUID_PATH", uuid, 1);
}

static void teardown(void)
{
	char cmd[300];

	snprintf(cmd, sizeof(cmd), "rm -rf -- '%s'", dir);
	cr_assert_eq(system(cmd), 0);
}

TestSuite(famfsctl, .init = setup, .fini = teardown);

static void slurp(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");
	size_t n = f ? fread(buf, 1, len - 1, f) : 0;

	buf[n] = '\0';
	if (f)
		fclose(f);
}

/* Run "famfsctl ARGS" through sh (ARGS as typed), stdout to @redirect if not NULL. */
static void run_to(struct run *r, const char *redirect, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void run_to(struct run *r, const char *redirect, const char *fmt, ...)
{
	char args[1024], cmd[2048], out[300], err[300];
	const char *bin = getenv("FAMFSCTL") ?: "build/famfsctl";
	va_list ap;
	int st;

	va_start(ap, fmt);
	vsnprintf(args, sizeof(args), fmt, ap);
	va_end(ap);
	snprintf(out, sizeof(out), "%s/out", dir);
	snprintf(err, sizeof(err), "%s/err", dir);
	snprintf(cmd, sizeof(cmd), "%s %s >%s 2>%s", bin, args, redirect ? redirect : out, err);
	st = system(cmd);
	r->rc = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
	slurp(out, r->out, sizeof(r->out));
	slurp(err, r->err, sizeof(r->err));
	if (!redirect)
		unlink(out);
}
#define run(r, ...) run_to(r, NULL, __VA_ARGS__)

static const char *const commands[] = {
	"mkfs", "mount", "umount", "load-maps", "logplay", "mkdir", "cp", "creat", "verify",
	"fsck", "getmap", "flush", "policy", "stats", "check", "chkread",
};

Test(famfsctl, version_from_one_define)
{
	struct run r;
	char want[64];

	run(&r, "--version");
	snprintf(want, sizeof(want), "famfsctl %s (on-media format %d.%d)\n", FAMFSCTL_VERSION,
		 FAMFS_OMF_MAJOR, FAMFS_OMF_MINOR);
	cr_assert_eq(r.rc, 0, "%s", r.err);
	cr_assert_str_eq(r.out, want);
}

Test(famfsctl, help_for_every_command)
{
	static const char *const forms[] = { "-?", "--help" };
	struct run r;
	char want[64];

	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		for (int f = 0; f < 2; f++) {
			run(&r, "%s '%s'", commands[i], forms[f]);
			snprintf(want, sizeof(want), "usage: famfsctl %s ", commands[i]);
			cr_assert_eq(r.rc, 0, "%s %s: exit %d: %s", commands[i], forms[f], r.rc, r.err);
			cr_assert(!strncmp(r.out, want, strlen(want)), "%s %s printed: %s",
				  commands[i], forms[f], r.out);
			cr_assert_str_empty(r.err, "%s %s: %s", commands[i], forms[f], r.err);
		}
	}
	run(&r, "'-?'");
	cr_assert_eq(r.rc, 0);
	cr_assert_not_null(strstr(r.out, "  getmap "), "%s", r.out);
}

Test(famfsctl, verbose_on_every_command)
{
	struct run r;
	char want[64];

	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		run(&r, "%s -v --help", commands[i]);
		snprintf(want, sizeof(want), "usage: famfsctl %s ", commands[i]);
		cr_assert_eq(r.rc, 0, "%s -v: exit %d: %s", commands[i], r.rc, r.err);
		cr_assert(!strncmp(r.out, want, strlen(want)), "%s -v: %s", commands[i], r.out);
		cr_assert_not_null(strstr(r.out, "-v, --verbose"), "%s --help lists no -v", commands[i]);
	}
}

Test(famfsctl, help_says_where_famfs_differs)
{
	struct run r;

	run(&r, "mount --help");
	cr_assert_not_null(strstr(r.out, "famfs's mount -p is"), "%s", r.out);
	run(&r, "fsck --help");
	cr_assert_not_null(strstr(r.out, "-r is --repair here"), "%s", r.out);
	run(&r, "verify --help");
	cr_assert_not_null(strstr(r.out, "famfs's\n                    meaning of -m") ||
			   strstr(r.out, "meaning of -m"), "%s", r.out);
	run(&r, "creat --help");
	cr_assert_not_null(strstr(r.out, "(famfs's -M)"), "%s", r.out);
}

Test(famfsctl, help_for_every_policy_subcommand)
{
	static const char *const subs[] = { "show", "attach", "set", "detach", "list" };
	struct run r;
	char want[64];

	for (size_t i = 0; i < sizeof(subs) / sizeof(subs[0]); i++) {
		snprintf(want, sizeof(want), "usage: famfsctl policy %s", subs[i]);
		run(&r, "policy %s --help", subs[i]);
		cr_assert_eq(r.rc, 0, "policy %s --help: %s", subs[i], r.err);
		cr_assert(!strncmp(r.out, want, strlen(want)), "%s", r.out);
		run(&r, "policy %s '-?'", subs[i]);
		cr_assert_eq(r.rc, 0, "policy %s -?: %s", subs[i], r.err);
		cr_assert(!strncmp(r.out, want, strlen(want)), "%s", r.out);
	}
}

Test(famfsctl, logplay_help_is_logplay_s)
{
	struct run r;

	run(&r, "logplay --help");
	cr_assert(!strncmp(r.out, "usage: famfsctl logplay [-n]", 28), "%s", r.out);
	cr_assert_not_null(strstr(r.out, "--dryrun"), "%s", r.out);
	run(&r, "load-maps --help");
	cr_assert(!strncmp(r.out, "usage: famfsctl load-maps [-n]", 30), "%s", r.out);
}

Test(famfsctl, option_spellings_are_accepted)
{
	struct run r;

	run(&r, "logplay --dryrun");		/* accepted; only the MOUNTPOINT is missing */
	cr_assert_eq(r.rc, 2);
	cr_assert_not_null(strstr(r.err, "famfsctl logplay: expected one MOUNTPOINT"), "%s", r.err);
	run(&r, "mkdir -pv -u root -g 0 %s/d", dir);	/* accepted; not a famfs mount */
	cr_assert_eq(r.rc, 1, "%s", r.err);
	cr_assert_not_null(strstr(r.err, "not inside a famfs mount"), "%s", r.err);
	run(&r, "creat -v -s 016M %s/f", dir);
	cr_assert_eq(r.rc, 1, "%s", r.err);
	cr_assert_not_null(strstr(r.err, "not inside a famfs mount"), "%s", r.err);
}

Test(famfsctl, refusals_name_the_argument)
{
	struct run r;

	run(&r, "mkdir -u no-such-user-famfs %s/d", dir);
	cr_assert_eq(r.rc, 2);
	cr_assert_not_null(strstr(r.err, "no user named 'no-such-user-famfs'"), "%s", r.err);
	run(&r, "creat -s 1X %s/f", dir);
	cr_assert_eq(r.rc, 2);
	cr_assert_not_null(strstr(r.err, "bad size '1X'"), "%s", r.err);
	run(&r, "creat --size=-2M %s/f", dir);
	cr_assert_eq(r.rc, 2);
	cr_assert_not_null(strstr(r.err, "bad size '-2M': negative"), "%s", r.err);
	run(&r, "getmap -o '' %s/f", dir);
	cr_assert_eq(r.rc, 2);
	cr_assert_not_null(strstr(r.err, "bad offset '': empty"), "%s", r.err);
	run(&r, "stats --bogus /mnt");
	cr_assert_eq(r.rc, 2);
	cr_assert_not_null(strstr(r.err, "unknown option '--bogus'"), "%s", r.err);
	run(&r, "no-such-command");
	cr_assert_eq(r.rc, 2);
	cr_assert_not_null(strstr(r.err, "unknown command 'no-such-command'"), "%s", r.err);
	cr_assert_str_empty(r.out);
}

Test(famfsctl, policy_list_names_the_kinds)
{
	struct run r;
	json_object *o, *p;

	run(&r, "policy list");
	cr_assert_eq(r.rc, 0, "%s", r.err);
	cr_assert(!strncmp(r.out, "famfs_simple", 12), "%s", r.out);
	cr_assert_not_null(strstr(r.out, ": kinds simple\n"), "%s", r.out);
	cr_assert_not_null(strstr(r.out, "famfs_interleave"), "%s", r.out);
	run(&r, "policy list -j");
	cr_assert_eq(r.rc, 0, "%s", r.err);
	o = json_tokener_parse(r.out);
	cr_assert_not_null(o, "not JSON: %s", r.out);
	p = json_object_array_get_idx(jget(o, "policies"), 0);
	cr_assert_str_eq(jstr(p, "name"), "famfs_simple");
	cr_assert_eq(json_object_array_length(jget(p, "kinds")), 1);
	json_object_put(o);
}

Test(famfsctl, write_error_on_stdout_is_an_exit_code)
{
	struct run r;

	run_to(&r, "/dev/full", "--version");
	cr_assert_eq(r.rc, 1);
	cr_assert_not_null(strstr(r.err, "write error on stdout"), "%s", r.err);
	run_to(&r, "/dev/full", "fsck --help");
	cr_assert_eq(r.rc, 1);
}

Test(famfsctl, fsck_text_and_json_on_an_image)
{
	struct run r;
	json_object *o, *s;
	char want[512];

	snprintf(want, sizeof(want), "truncate -s 64M %s/img", dir);
	cr_assert_eq(system(want), 0);
	run(&r, "mkfs %s/img", dir);
	cr_assert_eq(r.rc, 0, "%s", r.err);
	run(&r, "fsck %s/img", dir);
	cr_assert_eq(r.rc, 0, "%s", r.err);
	snprintf(want, sizeof(want), "famfs fsck %s/img: clean\n  capacity 67108864, used ", dir);
	cr_assert(!strncmp(r.out, want, strlen(want)), "%s", r.out);
	run(&r, "-v fsck -j -h %s/img", dir);	/* debug messages must not reach stdout */
	cr_assert_eq(r.rc, 0, "%s", r.err);
	cr_assert(strchr(r.out, '\n') == r.out + strlen(r.out) - 1, "one line: %s", r.out);
	o = json_tokener_parse(r.out);
	cr_assert_not_null(o, "not JSON: %s", r.out);
	cr_assert(jbool(o, "clean"));
	s = jget(o, "space");
	cr_assert_eq(ju64(s, "capacity"), 64ULL << 20, "-j gives bytes even with -h");
	cr_assert_eq(json_object_array_length(jget(s, "devices")), 1);
	json_object_put(o);
}
