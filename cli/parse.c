// SPDX-License-Identifier: Apache-2.0
/*
 * parse.c - famfsctl's argument parsing, shared by every command: sizes, user and group
 * ids, getopt_long() with famfs's "-?" for help, and usage errors. Pure (no kernel, no
 * BPF): linked into the unit tests through build/libfamfscli.a.
 */
#include <errno.h>
#include <getopt.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "famfsctl%s%s: ", *cmd ? " " : "", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (see 'famfsctl%s%s --help')\n", *cmd ? " " : "", cmd);
	return 2;
}

/* Shift of the unit suffix @s ("" bytes; K M G T, or KiB MiB GiB TiB, any case); -1 if junk. */
static int cli_size_shift(const char *s)
{
	static const char units[] = "KMGT";
	const char *u;

	if (!*s)
		return 0;
	u = strchr(units, s[0] >= 'a' && s[0] <= 'z' ? s[0] - 'a' + 'A' : s[0]);
	if (!u || !*u)
		return -1;
	if (s[1] && strcasecmp(s + 1, "iB"))
		return -1;
	return 10 * (int)(u - units + 1);
}

int cli_parse_size(const char *s, uint64_t *bytes)
{
	unsigned long long v;
	char *end;
	int shift;

	if (!s || !*s)
		return -EINVAL;
	if (*s < '0' || *s > '9')	/* no sign, no blanks: strtoull would take them */
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);	/* decimal: "016M" is 16 MiB, not octal */
	if (errno == ERANGE)
		return -ERANGE;
	shift = cli_size_shift(end);
	if (shift < 0)
		return -EINVAL;
	if (shift && v > (~0ULL >> shift))
		return -ERANGE;
	*bytes = (uint64_t)v << shift;
	return 0;
}

/* Why @s is not a size, for a message (@err from cli_parse_size()). */
static const char *cli_size_why(const char *s, int err)
{
	if (err == -ERANGE)
		return "too large (more than 2^64-1 bytes)";
	if (!*s)
		return "empty";
	if (*s == '-')
		return "negative";
	return "not a decimal number with an optional K, M, G, T (or KiB, MiB, GiB, TiB) suffix";
}

int cli_size_arg(const char *cmd, const char *what, const char *s, uint64_t *bytes)
{
	int ret = cli_parse_size(s, bytes);

	if (ret)
		cli_usage_error(cmd, "bad %s '%s': %s", what, s ? s : "", cli_size_why(s ? s : "", ret));
	return ret;
}

int cli_parse_id(const char *s, bool group, uint32_t *id)
{
	unsigned long long v;
	char *end;

	if (!s || !*s || *s == '-')
		return -EINVAL;
	if (*s >= '0' && *s <= '9') {
		errno = 0;
		v = strtoull(s, &end, 10);
		if (!*end)	/* all digits: a number; (uint32_t)-1 means "no id" to chown */
			return errno || v >= UINT32_MAX ? -ERANGE : (*id = v, 0);
	}
	if (group) {
		struct group *g = getgrnam(s);

		return g ? (*id = g->gr_gid, 0) : -ENOENT;
	}
	struct passwd *p = getpwnam(s);

	return p ? (*id = p->pw_uid, 0) : -ENOENT;
}

int cli_id_arg(const char *cmd, bool group, const char *s, uint32_t *id)
{
	const char *what = group ? "group" : "user";
	int ret = cli_parse_id(s, group, id);

	if (ret == -ENOENT)
		cli_usage_error(cmd, "no %s named '%s' on this host (give a name from %s or a number)",
				what, s, group ? "/etc/group" : "/etc/passwd");
	else if (ret == -ERANGE)
		cli_usage_error(cmd, "bad %s id '%s': at most %u", what, s, UINT32_MAX - 1);
	else if (ret)
		cli_usage_error(cmd, "bad %s '%s': empty or negative (a name or a number)", what,
				s ? s : "");
	return ret;
}

/* Report getopt's error for the option just seen (opterr is 0: getopt printed nothing). */
static void cli_opt_error(int argc, char **argv, const char *optstring)
{
	const char *arg = optind > 0 && optind <= argc ? argv[optind - 1] : "";

	if (optopt && !strncmp(arg, "--", 2))	/* a known long option, used wrongly */
		cli_usage_error(argv[0], "option '%s' %s", arg,
				strchr(arg, '=') ? "takes no argument" : "needs an argument");
	else if (optopt && strchr(optstring, optopt) && optopt != ':' && optopt != '+')
		cli_usage_error(argv[0], "option '-%c' needs an argument", optopt);
	else if (optopt)
		cli_usage_error(argv[0], "unknown option '-%c'", optopt);
	else
		cli_usage_error(argv[0], "unknown option '%s'", arg);
}

int cli_getopt(int argc, char **argv, const char *optstring, const struct option *longopts,
	       int help)
{
	int c;

	opterr = 0;
	c = getopt_long(argc, argv, optstring, longopts, NULL);
	if (c != '?')
		return c;
	if (optopt == '?')	/* "-?": famfs's help option */
		return help;
	cli_opt_error(argc, argv, optstring);
	return '?';
}
