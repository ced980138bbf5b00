// SPDX-License-Identifier: Apache-2.0
/* pathset.c - the set of paths in the log, with whether each is a directory (libc tsearch). */
/* tdestroy() is a GNU extension: the Makefile builds with -D_GNU_SOURCE */
#include <errno.h>
#include <search.h>
#include <stdlib.h>
#include <string.h>

#include "famfs_priv.h"

struct famfs_pnode {
	bool	is_dir;
	char	*path;
};

static int famfs_pnode_cmp(const void *a, const void *b)
{
	return strcmp(((const struct famfs_pnode *)a)->path, ((const struct famfs_pnode *)b)->path);
}

static void famfs_pnode_free(void *p)
{
	free(((struct famfs_pnode *)p)->path);
	free(p);
}

static const struct famfs_pnode *famfs_pathset_find(const struct famfs_pathset *s,
						    const char *path)
{
	struct famfs_pnode key = { .path = (char *)path };
	void *const *hit = tfind(&key, &s->root, famfs_pnode_cmp);

	return hit ? *(const struct famfs_pnode *const *)hit : NULL;
}

int famfs_pathset_add(struct famfs_pathset *s, const char *path, bool is_dir)
{
	struct famfs_pnode *n = calloc(1, sizeof(*n));
	void *hit;

	if (!n || !(n->path = strdup(path))) {
		free(n);
		return -ENOMEM;
	}
	n->is_dir = is_dir;
	hit = tsearch(n, &s->root, famfs_pnode_cmp);
	if (!hit || *(struct famfs_pnode **)hit != n) {
		famfs_pnode_free(n);
		return hit ? -EEXIST : -ENOMEM;
	}
	s->count++;
	return 0;
}

int famfs_pathset_check_new(const struct famfs_pathset *s, const char *path)
{
	char parent[FAMFS_MAX_PATH];
	const struct famfs_pnode *p;
	char *slash;

	if (famfs_pathset_find(s, path))
		return -EEXIST;
	strncpy(parent, path, sizeof(parent) - 1);
	parent[sizeof(parent) - 1] = '\0';
	slash = strrchr(parent, '/');
	if (!slash)
		return 0;	/* lives in the root */
	*slash = '\0';
	p = famfs_pathset_find(s, parent);
	return p && p->is_dir ? 0 : -ENOENT;
}

void famfs_pathset_free(struct famfs_pathset *s)
{
	tdestroy(s->root, famfs_pnode_free);
	s->root = NULL;
	s->count = 0;
}

int famfs_pathset_del(struct famfs_pathset *s, const char *path)
{
	struct famfs_pnode key = { .path = (char *)path }, *n;
	void *const *hit = tfind(&key, &s->root, famfs_pnode_cmp);

	if (!hit)
		return -ENOENT;
	n = *(struct famfs_pnode *const *)hit;
	tdelete(&key, &s->root, famfs_pnode_cmp);
	famfs_pnode_free(n);
	s->count--;
	return 0;
}
