// SPDX-License-Identifier: Apache-2.0
/*
 * path.c - rules for paths in the log: relative, no ".", "..", or empty components, and
 * nothing at or under FAMFS_META_DIR (the mount's metadata files live there).
 */
#include <errno.h>
#include <string.h>

#include "famfs_priv.h"

/* Check one component of @len bytes at @c. */
static int famfs_component_why(const char *c, size_t len, char *why, size_t whylen)
{
	if (len == 0)
		return famfs_why(why, whylen, EINVAL, "empty path component");
	if ((len == 1 && c[0] == '.') || (len == 2 && c[0] == '.' && c[1] == '.'))
		return famfs_why(why, whylen, EINVAL, "'%.*s' component", (int)len, c);
	return 0;
}

int famfs_path_why(const char *path, char *why, size_t whylen)
{
	const char *c;
	size_t len;
	int rc = 0;

	if (!path || !*path)
		return famfs_why(why, whylen, EINVAL, "empty path");
	len = strnlen(path, FAMFS_MAX_PATH);
	if (len >= FAMFS_MAX_PATH)
		return famfs_why(why, whylen, EINVAL, "longer than %d bytes", FAMFS_MAX_PATH - 1);
	if (path[0] == '/')
		return famfs_why(why, whylen, EINVAL, "absolute (must be relative to the mount)");
	len = strcspn(path, "/");
	if (len == strlen(FAMFS_META_DIR) && !strncmp(path, FAMFS_META_DIR, len))
		return famfs_why(why, whylen, EINVAL, "'%s' is reserved for the file system's "
				 "metadata", FAMFS_META_DIR);
	for (c = path; rc == 0; c += len + 1) {
		len = strcspn(c, "/");
		rc = famfs_component_why(c, len, why, whylen);
		if (c[len] == '\0')
			break;
	}
	return rc;
}

/* famfs_path_check() - 0 if @path is a valid relative famfs path, else -EINVAL (logged). */
int famfs_path_check(const char *path)
{
	char why[FAMFS_WHY_LEN];
	int rc = famfs_path_why(path, why, sizeof(why));

	if (rc)
		famfs_err("bad path '%.*s': %s", FAMFS_MAX_PATH, path ? path : "", why);
	return rc;
}
