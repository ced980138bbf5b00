// SPDX-License-Identifier: Apache-2.0
/*
 * test_loader_ns.c - the parts of device handling that need no nvdimm and no kernel
 * (loader/devices.c): namespace names vs paths, the namespace check and the ndctl command
 * each refusal names, looking an argument up among (made-up) namespaces, the parsing of
 * the kernel's fs-context messages (fsopen's log), and image files taken as they are.
 */
#include "famfs_test.h"
#include "loader.h"

#define FIX0 "ndctl create-namespace --force --reconfig=namespace0.0 --mode=fsdax --map=mem --align=2M"

static struct famfs_ns good(void)
{
	struct famfs_ns ns = { .name = "namespace0.0", .dev = "/dev/pmem0",
			       .mode = FAMFS_NS_FSDAX, .map = FAMFS_NS_MAP_MEM,
			       .align = 2 << 20, .size = 8ULL << 30, .enabled = true };
	return ns;
}

Test(nsname, names_and_paths)
{
	cr_assert(famfs_ns_name_is("namespace0.0"));
	cr_assert(famfs_ns_name_is("namespace12.345"));
	cr_assert_not(famfs_ns_name_is("/dev/pmem0"));
	cr_assert_not(famfs_ns_name_is("pmem0"));
	cr_assert_not(famfs_ns_name_is("./namespace0.0"), "a path, even to a file of that name");
	cr_assert_not(famfs_ns_name_is("namespace0"));
	cr_assert_not(famfs_ns_name_is("namespace0."));
	cr_assert_not(famfs_ns_name_is("namespace.0"));
	cr_assert_not(famfs_ns_name_is("namespace0.0x"));
	cr_assert_not(famfs_ns_name_is("namespace0.0.1"));
	cr_assert_not(famfs_ns_name_is("namespacea.b"));
	cr_assert_not(famfs_ns_name_is(""));
}

Test(nscheck, fsdax_mem_2m_accepted)
{
	struct famfs_ns ns = good();
	char why[512] = "";

	cr_assert_eq(famfs_ns_check(&ns, why, sizeof(why)), 0, "%s", why);
	ns.align = 1ULL << 30;		/* 1 GiB: 2 MiB aligned too */
	cr_assert_eq(famfs_ns_check(&ns, why, sizeof(why)), 0, "%s", why);
}

/* @ns is refused; the message names the device, the namespace, @what and the fix. */
static void refused(const struct famfs_ns *ns, const char *what)
{
	char why[512] = "";

	cr_assert_eq(famfs_ns_check(ns, why, sizeof(why)), -EINVAL);
	cr_assert_not_null(strstr(why, ns->dev[0] ? ns->dev : "(no device)"), "%s", why);
	cr_assert_not_null(strstr(why, "(namespace0.0)"), "%s", why);
	cr_assert_not_null(strstr(why, what), "'%s' not in %s", what, why);
	cr_assert_not_null(strstr(why, FIX0), "%s", why);
	cr_assert_str_eq(strstr(why, "ndctl"), FIX0, "the command ends the message: %s", why);
}

Test(nscheck, raw_refused)
{
	struct famfs_ns ns = good();

	ns.mode = FAMFS_NS_RAW;
	ns.map = FAMFS_NS_MAP_NONE;
	ns.align = 0;
	refused(&ns, "is a raw namespace, famfs needs fsdax");
}

Test(nscheck, devdax_refused)
{
	struct famfs_ns ns = good();

	ns.mode = FAMFS_NS_DEVDAX;
	snprintf(ns.dev, sizeof(ns.dev), "/dev/dax0.0");
	refused(&ns, "is a devdax namespace, famfs needs fsdax");
}

Test(nscheck, sector_refused)
{
	struct famfs_ns ns = good();

	ns.mode = FAMFS_NS_SECTOR;
	snprintf(ns.dev, sizeof(ns.dev), "/dev/pmem0s");
	refused(&ns, "is a sector namespace");
}

Test(nscheck, map_dev_refused)
{
	struct famfs_ns ns = good();

	ns.map = FAMFS_NS_MAP_DEV;
	refused(&ns, "struct page array on the device itself (--map=dev)");
	ns.map = FAMFS_NS_MAP_NONE;
	refused(&ns, "--map=mem");
}

Test(nscheck, align_refused)
{
	struct famfs_ns ns = good();

	ns.align = 4096;
	refused(&ns, "is aligned to 4096 bytes, famfs needs 2 MiB");
	ns.align = 0;
	refused(&ns, "is aligned to 0 bytes");
	ns.align = 3 << 20;
	refused(&ns, "is aligned to 3145728 bytes");
}

Test(nscheck, no_device_named_as_such)
{
	struct famfs_ns ns = good();

	ns.dev[0] = '\0';
	ns.mode = FAMFS_NS_RAW;
	refused(&ns, "raw");
}

Test(nscheck, fix_command_names_the_namespace)
{
	char buf[160];

	famfs_ns_fix_cmd("namespace3.1", buf, sizeof(buf));
	cr_assert_str_eq(buf, "ndctl create-namespace --force --reconfig=namespace3.1 --mode=fsdax --map=mem --align=2M");
}

Test(nsfind, by_name_and_by_path)
{
	struct famfs_ns ns[3] = { good(), good(), good() };

	snprintf(ns[1].name, sizeof(ns[1].name), "namespace1.0");
	snprintf(ns[1].dev, sizeof(ns[1].dev), "/dev/pmem1");
	snprintf(ns[2].name, sizeof(ns[2].name), "namespace2.0");
	ns[2].dev[0] = '\0';		/* disabled: no device */
	cr_assert_eq(famfs_ns_find(ns, 3, "namespace1.0"), &ns[1]);
	cr_assert_eq(famfs_ns_find(ns, 3, "namespace2.0"), &ns[2], "found by name without a device");
	cr_assert_eq(famfs_ns_find(ns, 3, "/dev/pmem1"), &ns[1]);
	cr_assert_eq(famfs_ns_find(ns, 3, "/dev/pmem0"), &ns[0]);
	cr_assert_null(famfs_ns_find(ns, 3, "namespace9.0"));
	cr_assert_null(famfs_ns_find(ns, 3, "/dev/pmem7"));
	cr_assert_null(famfs_ns_find(ns, 3, ""), "the disabled one's empty path matches nothing");
	cr_assert_null(famfs_ns_find(ns, 0, "namespace0.0"));
}

Test(nsmode, names)
{
	cr_assert_str_eq(famfs_ns_mode_name(FAMFS_NS_FSDAX), "fsdax");
	cr_assert_str_eq(famfs_ns_mode_name(FAMFS_NS_RAW), "raw");
	cr_assert_str_eq(famfs_ns_mode_name(FAMFS_NS_SECTOR), "sector");
	cr_assert_str_eq(famfs_ns_mode_name(FAMFS_NS_DEVDAX), "devdax");
	cr_assert_str_eq(famfs_ns_mode_name(FAMFS_NS_UNKNOWN), "unknown");
}

/* parse @line; expect @level and @text */
static void parsed(const char *line, enum famfs_msg_level level, const char *text)
{
	enum famfs_msg_level l;
	const char *t;
	size_t n;

	cr_assert_eq(famfs_fsctx_parse(line, &l, &t, &n), 0, "%s", line);
	cr_assert_eq(l, level, "level of '%s'", line);
	cr_assert_eq(n, strlen(text), "'%s': %zu bytes, want '%s'", line, n, text);
	cr_assert(!strncmp(t, text, n), "'%.*s' != '%s'", (int)n, t, text);
}

Test(fsctx, kernel_lines)
{
	parsed("e famfs_bpf: /dev/pmem1 does not support DAX (it must be an fsdax namespace)",
	       FAMFS_MSG_ERR, "famfs_bpf: /dev/pmem1 does not support DAX (it must be an fsdax namespace)");
	parsed("e famfs_bpf: cannot open /dev/pmem0 exclusively: -16 (in use: already mounted?)\n",
	       FAMFS_MSG_ERR, "famfs_bpf: cannot open /dev/pmem0 exclusively: -16 (in use: already mounted?)");
	parsed("w famfs_bpf: something odd", FAMFS_MSG_INFO, "famfs_bpf: something odd");
	parsed("i famfs_bpf: a note", FAMFS_MSG_INFO, "famfs_bpf: a note");
	parsed("e x", FAMFS_MSG_ERR, "x");
}

Test(fsctx, unknown_prefix_kept_whole)
{
	parsed("famfs_bpf: no prefix", FAMFS_MSG_INFO, "famfs_bpf: no prefix");
	parsed("x famfs_bpf: odd level", FAMFS_MSG_INFO, "x famfs_bpf: odd level");
	parsed("e", FAMFS_MSG_INFO, "e");
	parsed("ex", FAMFS_MSG_INFO, "ex");
}

Test(fsctx, empty_refused)
{
	enum famfs_msg_level l;
	const char *t;
	size_t n;

	cr_assert_eq(famfs_fsctx_parse("", &l, &t, &n), -EINVAL);
	cr_assert_eq(famfs_fsctx_parse("\n", &l, &t, &n), -EINVAL);
}

TestSuite(resolve, .init = tfs_setup, .fini = tfs_teardown);

Test(resolve, image_files_taken_as_they_are)
{
	char path[FAMFS_DEV_PATH_MAX];

	tfs_image_at(T.img, 64 * MiB);
	cr_assert_eq(famfs_dev_resolve(T.img, FAMFS_DEV_CHECK, path, sizeof(path)), 0, "%s", T.msgs);
	cr_assert_str_eq(path, T.img);
	cr_assert_str_eq(T.msgs, "", "nothing said about an image: %s", T.msgs);
	cr_assert_eq(famfs_dev_resolve("/nonexistent/x", FAMFS_DEV_CHECK, path, sizeof(path)), 0,
		     "a missing path is the library's to report");
	cr_assert_str_eq(path, "/nonexistent/x");
}

Test(resolve, unknown_namespace_refused)
{
	char path[FAMFS_DEV_PATH_MAX];

	cr_assert_eq(famfs_dev_resolve("namespace99.7", 0, path, sizeof(path)), -ENOENT);
	cr_assert_eq(T.nerr, 1, "%s", T.msgs);
	cr_assert_not_null(strstr(T.msgs, "namespace99.7"), "%s", T.msgs);
}
