// SPDX-License-Identifier: Apache-2.0
/*
 * test_cli_parse.c - famfsctl's one size parser and one id parser (cli/parse.c): what
 * they accept, what they refuse, and that each refusal names the argument and why.
 */
#include <grp.h>
#include <pwd.h>

#include "cli_test.h"

static uint64_t size_of(const char *s)
{
	uint64_t v = 0xdeadbeef;
	int ret = cli_parse_size(s, &v);

	cr_assert_eq(ret, 0, "'%s' refused (%d)", s, ret);
	return v;
}

static void size_refused(const char *s, int err)
{
	uint64_t v = 77;

	cr_assert_eq(cli_parse_size(s, &v), err, "'%s' should give %d", s ? s : "(null)", err);
	cr_assert_eq(v, 77, "'%s': output written on error", s ? s : "(null)");
}

Test(cli_size, plain_decimal_bytes)
{
	cr_assert_eq(size_of("0"), 0);
	cr_assert_eq(size_of("1"), 1);
	cr_assert_eq(size_of("9437307"), 9437307);
	cr_assert_eq(size_of("18446744073709551615"), UINT64_MAX);
}

Test(cli_size, leading_zeros_are_decimal_not_octal)
{
	cr_assert_eq(size_of("016M"), 16ULL << 20);
	cr_assert_eq(size_of("010"), 10);
	cr_assert_eq(size_of("08"), 8);
	cr_assert_eq(size_of("0009K"), 9 << 10);
}

Test(cli_size, short_suffixes_are_powers_of_1024_any_case)
{
	cr_assert_eq(size_of("4K"), 4096);
	cr_assert_eq(size_of("4k"), 4096);
	cr_assert_eq(size_of("2M"), 2ULL << 20);
	cr_assert_eq(size_of("2m"), 2ULL << 20);
	cr_assert_eq(size_of("1G"), 1ULL << 30);
	cr_assert_eq(size_of("3g"), 3ULL << 30);
	cr_assert_eq(size_of("1T"), 1ULL << 40);
	cr_assert_eq(size_of("5t"), 5ULL << 40);
}

Test(cli_size, iec_suffixes_any_case)
{
	cr_assert_eq(size_of("4KiB"), 4096);
	cr_assert_eq(size_of("4kib"), 4096);
	cr_assert_eq(size_of("4KIB"), 4096);
	cr_assert_eq(size_of("8MiB"), 8ULL << 20);
	cr_assert_eq(size_of("8mIb"), 8ULL << 20);
	cr_assert_eq(size_of("64GiB"), 64ULL << 30);
	cr_assert_eq(size_of("2TiB"), 2ULL << 40);
}

Test(cli_size, largest_value_of_each_suffix)
{
	cr_assert_eq(size_of("16777215T"), 16777215ULL << 40);
	cr_assert_eq(size_of("17179869183G"), 17179869183ULL << 30);
}

Test(cli_size, empty_and_null_refused)
{
	size_refused("", -EINVAL);
	size_refused(NULL, -EINVAL);
}

Test(cli_size, negative_and_signed_refused)
{
	size_refused("-1", -EINVAL);
	size_refused("-0", -EINVAL);
	size_refused("-2M", -EINVAL);
	size_refused("+5", -EINVAL);
}

Test(cli_size, garbage_refused)
{
	static const char *const bad[] = {
		"abc", "K", "M1", "5X", "5KB", "5Ki", "5iB", "5KiBs", "5 K", " 5", "5 ", "1.5G",
		"0x10", "1e3", "12,000", "2MM", "3\n",
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		size_refused(bad[i], -EINVAL);
}

Test(cli_size, overflow_refused)
{
	size_refused("18446744073709551616", -ERANGE);
	size_refused("99999999999999999999999", -ERANGE);
	size_refused("16777216T", -ERANGE);
	size_refused("17179869184G", -ERANGE);
	size_refused("18014398509481984K", -ERANGE);
}

/* cli_size_arg(): the message names the command, what, the argument and why. */
static void size_message(const char *arg, int err, const char *why)
{
	uint64_t v;
	const char *msg;

	err_begin();
	cr_assert_eq(cli_size_arg("creat", "size", arg, &v), err);
	msg = err_end();
	cr_assert_not_null(strstr(msg, "famfsctl creat: bad size '"), "%s", msg);
	cr_assert_not_null(strstr(msg, arg), "argument not named: %s", msg);
	cr_assert_not_null(strstr(msg, why), "'%s' not in: %s", why, msg);
	cr_assert_not_null(strstr(msg, "famfsctl creat --help"), "%s", msg);
}

Test(cli_size, each_refusal_says_why)
{
	size_message("", -EINVAL, "empty");
	size_message("-4K", -EINVAL, "negative");
	size_message("12Q", -EINVAL, "KiB");
	size_message("99999999999999999999", -ERANGE, "too large");
}

Test(cli_size, accepted_sizes_print_nothing)
{
	uint64_t v;

	err_begin();
	cr_assert_eq(cli_size_arg("mkfs", "log length", "16MiB", &v), 0);
	cr_assert_str_empty(err_end());
	cr_assert_eq(v, 16ULL << 20);
}

static uint32_t id_of(const char *s, bool group)
{
	uint32_t id = 12345;
	int ret = cli_parse_id(s, group, &id);

	cr_assert_eq(ret, 0, "'%s' refused (%d)", s, ret);
	return id;
}

Test(cli_id, numbers)
{
	cr_assert_eq(id_of("0", false), 0);
	cr_assert_eq(id_of("1000", false), 1000);
	cr_assert_eq(id_of("65534", true), 65534);
	cr_assert_eq(id_of("0100", true), 100, "decimal, not octal");
	cr_assert_eq(id_of("4294967294", false), 4294967294U);
}

Test(cli_id, user_and_group_names)
{
	struct passwd *p = getpwnam("nobody");
	struct group *g = getgrnam("root");

	cr_assert_eq(id_of("root", false), 0);
	cr_assert_not_null(g, "this host has no group root");
	cr_assert_eq(id_of("root", true), g->gr_gid);
	if (p)
		cr_assert_eq(id_of("nobody", false), p->pw_uid);
}

Test(cli_id, unknown_names_refused_not_zero)
{
	uint32_t id = 7;

	cr_assert_eq(cli_parse_id("no-such-user-famfs", false, &id), -ENOENT);
	cr_assert_eq(cli_parse_id("no-such-group-famfs", true, &id), -ENOENT);
	cr_assert_eq(cli_parse_id("12abc", false, &id), -ENOENT);
	cr_assert_eq(id, 7);
}

Test(cli_id, empty_negative_and_too_large_refused)
{
	uint32_t id = 7;

	cr_assert_eq(cli_parse_id("", false, &id), -EINVAL);
	cr_assert_eq(cli_parse_id(NULL, true, &id), -EINVAL);
	cr_assert_eq(cli_parse_id("-1", false, &id), -EINVAL);
	cr_assert_eq(cli_parse_id("-5", true, &id), -EINVAL);
	cr_assert_eq(cli_parse_id("4294967295", false, &id), -ERANGE, "(uid_t)-1 means 'no change'");
	cr_assert_eq(cli_parse_id("99999999999999999999", true, &id), -ERANGE);
	cr_assert_eq(id, 7);
}

Test(cli_id, messages_name_the_argument)
{
	uint32_t id;
	const char *msg;

	err_begin();
	cr_assert_eq(cli_id_arg("mkdir", false, "bob-not-here", &id), -ENOENT);
	msg = err_end();
	cr_assert_not_null(strstr(msg, "famfsctl mkdir: no user named 'bob-not-here'"), "%s", msg);
	err_begin();
	cr_assert_eq(cli_id_arg("cp", true, "grp-not-here", &id), -ENOENT);
	msg = err_end();
	cr_assert_not_null(strstr(msg, "famfsctl cp: no group named 'grp-not-here'"), "%s", msg);
	err_begin();
	cr_assert_eq(cli_id_arg("creat", false, "-3", &id), -EINVAL);
	msg = err_end();
	cr_assert_not_null(strstr(msg, "'-3'"), "%s", msg);
	err_begin();
	cr_assert_eq(cli_id_arg("creat", true, "4294967295", &id), -ERANGE);
	msg = err_end();
	cr_assert_not_null(strstr(msg, "'4294967295'"), "%s", msg);
}
