// SPDX-License-Identifier: Apache-2.0
/*
 * policy.c - load, attach, pin and detach fmap policies (libbpf).
 *
 * Every policy is a BPF object built into famfsctl through its skeleton's ELF bytes; its
 * struct_ops map carries the policy's name. Lifecycle in plain sight: open (pin root
 * FAMFS_PIN_DIR, so famfs_fmaps is reused across policies and runs) -> load -> fill the
 * policy's own maps (prepare) -> attach the struct_ops map -> pin the link at
 * FAMFS_PIN_DIR/link_<name>. The pinned link keeps the policy attached after famfsctl
 * exits; unpinning it detaches (the module's unreg runs). Several policies may be attached;
 * each mount uses one (famfs_mount_set_policy()).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/magic.h>

#include "loader.h"
#include "famfs_chunkmap.skel.h"
#include "famfs_interleave.skel.h"
#include "famfs_simple.skel.h"

struct famfs_policy_obj {
	const char *name;				/* = the struct_ops map name */
	const void *(*elf_bytes)(size_t *sz);		/* from the skeleton */
	const char *stats_map;				/* pinned per-CPU counters */
	int (*prepare)(void);	/* fill the policy's own maps before it is attached */
};

static const struct famfs_policy_obj famfs_policies[] = {
	{ "famfs_simple", famfs_simple_bpf__elf_bytes, "simple_stats", NULL },
	{ "famfs_interleave", famfs_interleave_bpf__elf_bytes, "interleave_stats", NULL },
	{ "famfs_chunkmap", famfs_chunkmap_bpf__elf_bytes, "chunkmap_stats",
	  famfs_chunkmap_sync_all },
};

const char *const famfs_policy_names[] = {
	"famfs_simple", "famfs_interleave", "famfs_chunkmap", NULL
};

static void famfs_link_pin(const char *name, char *path, size_t len)
{
	snprintf(path, len, "%s/link_%s", FAMFS_PIN_DIR, name);
}

bool famfs_policy_attached(const char *name)
{
	char pin[256];

	famfs_link_pin(name, pin, sizeof(pin));
	return !access(pin, F_OK);
}


static const struct famfs_policy_obj *famfs_policy_find(const char *name)
{
	for (size_t i = 0; i < sizeof(famfs_policies) / sizeof(famfs_policies[0]); i++)
		if (!strcmp(famfs_policies[i].name, name))
			return &famfs_policies[i];
	return NULL;
}

int famfs_bpffs_ensure(void)
{
	struct statfs st;

	if (statfs("/sys/fs/bpf", &st) || st.f_type != BPF_FS_MAGIC) {
		if (mount("bpf", "/sys/fs/bpf", "bpf", 0, NULL)) {
			famfs_msg(FAMFS_MSG_ERR, "cannot mount bpffs on /sys/fs/bpf: %s",
				   strerror(errno));
			return -errno;
		}
	}
	if (mkdir(FAMFS_PIN_DIR, 0700) && errno != EEXIST) {
		famfs_msg(FAMFS_MSG_ERR, "cannot create %s: %s", FAMFS_PIN_DIR, strerror(errno));
		return -errno;
	}
	return 0;
}

int famfs_policy_attach(const char *name)
{
	const struct famfs_policy_obj *p = famfs_policy_find(name);
	LIBBPF_OPTS(bpf_object_open_opts, opts, .pin_root_path = FAMFS_PIN_DIR,
		    .object_name = name);
	struct bpf_object *obj = NULL;
	struct bpf_link *link = NULL;
	struct bpf_map *ops;
	const void *elf;
	char pin[256];
	size_t sz;
	int ret, tries;

	if (!p) {
		famfs_msg(FAMFS_MSG_ERR, "unknown policy '%s' (famfsctl policy list)", name);
		return -ENOENT;
	}
	famfs_link_pin(name, pin, sizeof(pin));
	if (!access(pin, F_OK)) {
		famfs_msg(FAMFS_MSG_ERR, "policy %s is already attached (%s exists)", name, pin);
		return -EEXIST;
	}
	ret = famfs_bpffs_ensure();
	if (ret)
		return ret;

	elf = p->elf_bytes(&sz);
	obj = bpf_object__open_mem(elf, sz, &opts);
	if (!obj) {
		ret = -errno;
		famfs_msg(FAMFS_MSG_ERR, "policy %s: open failed: %s", name, strerror(-ret));
		return ret;
	}
	ret = bpf_object__load(obj);
	if (ret) {
		famfs_msg(FAMFS_MSG_ERR, "policy %s: load failed: %s (is famfs_bpf.ko loaded?)",
			  name, strerror(-ret));
		goto cleanup;
	}
	ops = bpf_object__find_map_by_name(obj, name);
	if (!ops) {
		ret = -ENOENT;
		famfs_msg(FAMFS_MSG_ERR, "policy %s: no struct_ops map named %s", name, name);
		goto cleanup;
	}
	if (p->prepare) {
		ret = p->prepare();
		if (ret)
			goto cleanup;
	}
	/* A detach just before us may still be finishing in the kernel: EEXIST for a while. */
	for (tries = 0; tries < 50; tries++) {
		link = bpf_map__attach_struct_ops(ops);
		if (link || errno != EEXIST)
			break;
		usleep(100 * 1000);
	}
	if (!link) {
		ret = -errno;
		famfs_msg(FAMFS_MSG_ERR, "policy %s: attach failed: %s%s", name, strerror(-ret),
			  ret == -EEXIST ? " (a policy of that name is attached)" :
			  ret == -ENOSPC ? " (too many policies attached)" : "");
		goto cleanup;
	}
	ret = bpf_link__pin(link, pin);
	if (ret) {
		famfs_msg(FAMFS_MSG_ERR, "policy %s: cannot pin link at %s: %s", name, pin,
			  strerror(-ret));
		goto cleanup;
	}
	bpf_link__disconnect(link);	/* the pin keeps it attached after we exit */
	famfs_msg(FAMFS_MSG_INFO, "policy %s attached (link pinned at %s)", name, pin);
cleanup:
	bpf_link__destroy(link);
	bpf_object__close(obj);
	return ret;
}

int famfs_policy_detach(const char *name)
{
	char pin[256];

	famfs_link_pin(name, pin, sizeof(pin));
	if (unlink(pin)) {
		int ret = -errno;

		famfs_msg(FAMFS_MSG_ERR, "policy %s is not attached (no link at %s): %s", name, pin,
			  strerror(-ret));
		return ret;
	}
	return 0;
}

int famfs_policy_stats(const char *name, struct famfs_policy_stats *out)
{
	const struct famfs_policy_obj *p = famfs_policy_find(name);
	char path[256];
	int ncpu = libbpf_num_possible_cpus();
	__u32 zero = 0;
	int fd, ret = 0;

	memset(out, 0, sizeof(*out));
	if (!p)
		return -ENOENT;
	if (ncpu <= 0)
		return ncpu ? ncpu : -EINVAL;
	snprintf(path, sizeof(path), "%s/%s", FAMFS_PIN_DIR, p->stats_map);
	fd = bpf_obj_get(path);
	if (fd < 0)
		return -errno;
	struct famfs_policy_stats v[ncpu];

	if (bpf_map_lookup_elem(fd, &zero, v)) {
		ret = -errno;
	} else {
		for (int c = 0; c < ncpu; c++) {
			out->translations += v[c].translations;
			out->no_fmap += v[c].no_fmap;
			out->unresolved += v[c].unresolved;
			for (int d = 0; d < FAMFS_MAX_DEVS; d++) {
				out->dev_translations[d] += v[c].dev_translations[d];
				out->dev_bytes[d] += v[c].dev_bytes[d];
			}
		}
	}
	close(fd);
	return ret;
}
