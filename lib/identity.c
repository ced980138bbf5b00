// SPDX-License-Identifier: Apache-2.0
/*
 * identity.c - this host's system UUID: a text UUID in one file (env FAMFS_SYSTEM_UUID_PATH,
 * default /etc/famfs/system_uuid), created at random on first use. Creation is atomic: the
 * UUID is written to a temporary file that is then link()ed into place, so concurrent first
 * users agree on one UUID and nobody reads a half-written file.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "famfs_priv.h"

#define FAMFS_SYSTEM_UUID_DEFAULT	"/etc/famfs/system_uuid"

static const char *famfs_uuid_path(void)
{
	const char *p = getenv("FAMFS_SYSTEM_UUID_PATH");

	return (p && *p) ? p : FAMFS_SYSTEM_UUID_DEFAULT;
}

/* Read and parse the file: 0, -ENOENT if missing, -EINVAL if not a UUID, -errno. */
static int famfs_uuid_read(const char *path, uuid_t out)
{
	char buf[64] = { 0 };
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[strcspn(buf, " \t\r\n")] = '\0';
	if (uuid_parse(buf, out) != 0) {
		famfs_err("%s: not a UUID ('%s')", path, buf);
		return -EINVAL;
	}
	return 0;
}

/* mkdir -p of the directory holding @path. */
static int famfs_mkdir_parents(const char *path)
{
	char dir[PATH_MAX];
	char *p;

	if (snprintf(dir, sizeof(dir), "%s", path) >= (int)sizeof(dir))
		return -ENAMETOOLONG;
	for (p = dir + 1; (p = strchr(p, '/')) != NULL; p++) {
		*p = '\0';
		if (mkdir(dir, 0755) != 0 && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	return 0;
}

/* Write a fresh random UUID to a temporary file and link it to @path (first one wins). */
static int famfs_uuid_create(const char *path)
{
	char tmp[PATH_MAX], text[UUID_STR_LEN + 1];
	uuid_t u;
	int fd, rc = 0;

	if (snprintf(tmp, sizeof(tmp), "%s.XXXXXX", path) >= (int)sizeof(tmp))
		return -ENAMETOOLONG;
	fd = mkstemp(tmp);
	if (fd < 0)
		return -errno;
	uuid_generate_random(u);
	uuid_unparse_lower(u, text);
	strcat(text, "\n");
	if (famfs_pio(fd, text, strlen(text), 0, true) != 0 || fsync(fd) != 0 ||
	    fchmod(fd, 0644) != 0)
		rc = -EIO;
	close(fd);
	if (rc == 0 && link(tmp, path) != 0 && errno != EEXIST)
		rc = -errno;
	unlink(tmp);
	return rc;
}

/* famfs_system_uuid() - this host's system UUID; creates the identity file if missing. */
int famfs_system_uuid(uuid_t out)
{
	const char *path = famfs_uuid_path();
	int rc = famfs_uuid_read(path, out);

	if (rc == -ENOENT) {
		rc = famfs_mkdir_parents(path);
		if (rc == 0)
			rc = famfs_uuid_create(path);
		if (rc == 0)
			rc = famfs_uuid_read(path, out);
	}
	if (rc < 0 && rc != -EINVAL)
		famfs_err("system uuid %s: %s", path, strerror(-rc));
	return rc;
}
