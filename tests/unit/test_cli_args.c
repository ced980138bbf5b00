// SPDX-License-Identifier: Apache-2.0
/*
 * test_cli_args.c - famfsctl's option handling (cli_getopt()): "-?" is help for every
 * command, unknown options and missing arguments are refused with a message naming them,
 * long options and famfs's spellings map to the short ones, operands stop the parse.
 */
#include "cli_test.h"

static const struct option opts[] = {
	{ "size", required_argument, NULL, 's' }, { "json", no_argument, NULL, 'j' },
	{ "dry-run", no_argument, NULL, 'n' }, { "dryrun", no_argument, NULL, 'n' },
	{ "human", no_argument, NULL, 'h' }, { "help", no_argument, NULL, 'H' }, { 0 },
};
#define OPTSTRING "+s:jnh"

/* Parse @argv (NULL-terminated) to the end; the options seen, in order, go to @seen. */
static int parse(char **argv, char *seen, size_t len)
{
	int argc = 0, c;
	size_t n = 0;

	while (argv[argc])
		argc++;
	optind = 0;
	while ((c = cli_getopt(argc, argv, OPTSTRING, opts, 'H')) != -1 && n + 1 < len)
		seen[n++] = c;
	seen[n] = '\0';
	return optind;
}

Test(cli_args, question_mark_is_help)
{
	char *argv[] = { "stats", "-?", NULL };
	char seen[8];

	err_begin();
	parse(argv, seen, sizeof(seen));
	cr_assert_str_empty(err_end(), "-? must not be reported as an error");
	cr_assert_str_eq(seen, "H");
}

Test(cli_args, long_help_and_human_are_distinct)
{
	char *argv[] = { "fsck", "--help", "-h", "--human", NULL };
	char seen[8];

	parse(argv, seen, sizeof(seen));
	cr_assert_str_eq(seen, "Hhh");
}

Test(cli_args, dryrun_is_an_alias_of_n)
{
	char *argv[] = { "logplay", "--dryrun", "--dry-run", "-n", "/mnt/famfs", NULL };
	char seen[8];

	cr_assert_eq(parse(argv, seen, sizeof(seen)), 4);
	cr_assert_str_eq(seen, "nnn");
}

Test(cli_args, option_arguments)
{
	char *argv[] = { "creat", "-s", "2M", "--size=4K", "-s8M", "-j", "file", NULL };
	char seen[8];
	int c;

	optind = 0;
	c = cli_getopt(6, argv, OPTSTRING, opts, 'H');
	cr_assert_eq(c, 's');
	cr_assert_str_eq(optarg, "2M");
	c = cli_getopt(6, argv, OPTSTRING, opts, 'H');
	cr_assert_eq(c, 's');
	cr_assert_str_eq(optarg, "4K");
	c = cli_getopt(6, argv, OPTSTRING, opts, 'H');
	cr_assert_str_eq(optarg, "8M");
	cr_assert_eq(parse(argv, seen, sizeof(seen)), 6);
	cr_assert_str_eq(seen, "sssj");
}

Test(cli_args, operands_stop_the_options)
{
	char *argv[] = { "getmap", "-j", "file", "-n", NULL };
	char seen[8];

	cr_assert_eq(parse(argv, seen, sizeof(seen)), 2, "'+': the first operand ends options");
	cr_assert_str_eq(seen, "j");
}

Test(cli_args, unknown_short_option_named)
{
	char *argv[] = { "stats", "-z", NULL };
	char seen[8];
	const char *msg;

	err_begin();
	parse(argv, seen, sizeof(seen));
	msg = err_end();
	cr_assert_str_eq(seen, "?");
	cr_assert_not_null(strstr(msg, "famfsctl stats: unknown option '-z'"), "%s", msg);
	cr_assert_not_null(strstr(msg, "'famfsctl stats --help'"), "%s", msg);
}

Test(cli_args, unknown_long_option_named)
{
	char *argv[] = { "mount", "--bogus", NULL };
	char seen[8];
	const char *msg;

	err_begin();
	parse(argv, seen, sizeof(seen));
	msg = err_end();
	cr_assert_str_eq(seen, "?");
	cr_assert_not_null(strstr(msg, "famfsctl mount: unknown option '--bogus'"), "%s", msg);
}

Test(cli_args, missing_argument_named)
{
	char *argv[] = { "creat", "-s", NULL };
	char seen[8];
	const char *msg;

	err_begin();
	parse(argv, seen, sizeof(seen));
	msg = err_end();
	cr_assert_str_eq(seen, "?");
	cr_assert_not_null(strstr(msg, "famfsctl creat: option '-s' needs an argument"), "%s", msg);
}

Test(cli_args, missing_argument_of_a_long_option_named_as_typed)
{
	char *argv[] = { "creat", "--size", NULL };
	char seen[8];
	const char *msg;

	err_begin();
	parse(argv, seen, sizeof(seen));
	msg = err_end();
	cr_assert_str_eq(seen, "?");
	cr_assert_not_null(strstr(msg, "famfsctl creat: option '--size' needs an argument"), "%s",
			   msg);
}

Test(cli_args, argument_to_a_flag_refused)
{
	char *argv[] = { "stats", "--json=yes", NULL };
	char seen[8];
	const char *msg;

	err_begin();
	parse(argv, seen, sizeof(seen));
	msg = err_end();
	cr_assert_str_eq(seen, "?");
	cr_assert_not_null(strstr(msg, "famfsctl stats: option '--json=yes' takes no argument"),
			   "%s", msg);
}

Test(cli_args, usage_error_is_exit_2_on_stderr)
{
	const char *msg;

	err_begin();
	cr_assert_eq(cli_usage_error("umount", "expected one %s", "MOUNTPOINT"), 2);
	msg = err_end();
	cr_assert_str_eq(msg, "famfsctl umount: expected one MOUNTPOINT (see 'famfsctl umount --help')\n");
	err_begin();
	cli_usage_error("", "unknown option '%s'", "-x");
	msg = err_end();
	cr_assert_str_eq(msg, "famfsctl: unknown option '-x' (see 'famfsctl --help')\n");
}

Test(cli_args, a_fresh_parse_after_reset)
{
	char *a[] = { "policy show", "-j", "/mnt", NULL };
	char *b[] = { "policy list", "-h", NULL };
	char seen[8];

	cr_assert_eq(parse(a, seen, sizeof(seen)), 2);
	cr_assert_str_eq(seen, "j");
	cr_assert_eq(parse(b, seen, sizeof(seen)), 2);
	cr_assert_str_eq(seen, "h");
}
