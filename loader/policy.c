// SPDX-License-Identifier: Apache-2.0
/*
 * policy.c - load, attach, pin and detach fmap policies (libbpf).
 *
 * Every policy is a BPF object built into famfsctl and used through its libbpf skeleton as
 * generated (skel->maps.*, skel->struct_ops.*): map names are compiled references, and
 * what a policy declares (its kinds, its counters' pin) is read from the object itself.
 * Lifecycle in plain sight: open (pin root FAMFS_PIN_DIR, so famfs_fmaps is reused across
 * policies and runs) -> check the pinned fmap map's layout -> load -> stamp the layout,
 * fill the policy's own maps (prepare) -> attach the struct_ops map -> pin the link at
 * FAMFS_PIN_DIR/link_<name>. The module refuses a policy built for another struct
 * famfs_xlate layout at attach (-EPROTO). The pinned link keeps the policy attached after famfsctl
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

/* What one use of a policy's skeleton asks for and learns. */
struct famfs_policy_req {
	bool attach;			/* load + attach + pin; else open only */
	uint32_t kinds;			/* out: the policy's declared kinds */
	char stats_pin[256];		/* out: its counters' pin path */
};

struct famfs_policy_obj {
	const char *name;		/* = its struct_ops .name (famfs_limits.h) */
	int (*skel)(const struct famfs_policy_obj *p, struct famfs_policy_req *r);
	int (*prepare)(void);		/* fill the policy's own maps before it is attached */
};

static int famfs_policy_link(const struct famfs_policy_obj *p, struct bpf_map *ops);

static int famfs_policy_fail(const struct famfs_policy_obj *p, const char *step, int ret)
{
	famfs_msg(FAMFS_MSG_ERR, "policy %s: %s failed: %s%s", p->name, step, strerror(-ret),
		  ret == -EPROTO ? " (built for another struct famfs_xlate layout than the loaded "
				   FAMFS_MODULE ".ko: rebuild it; dmesg names both)" :
		  !strcmp(step, "load") ? " (is " FAMFS_MODULE ".ko loaded? -v shows libbpf's log)" : "");
	return ret;
}

/* After open: what the object declares; then, if asked, load and attach its struct_ops. */
static int famfs_policy_use(const struct famfs_policy_obj *p, struct famfs_policy_req *r,
			    uint32_t kinds, struct bpf_map *stats, struct bpf_map *ops,
			    int (*load)(void *skel), void *skel)
{
	int ret;

	r->kinds = kinds;
	snprintf(r->stats_pin, sizeof(r->stats_pin), "%s", bpf_map__pin_path(stats));
	if (!r->attach)
		return 0;
	ret = famfs_fmaps_check_pinned();
	if (ret)
		return ret;
	ret = load(skel);
	if (ret)
		return famfs_policy_fail(p, "load", ret);
	return famfs_policy_link(p, ops);
}

static int famfs_simple_load(void *skel) { return famfs_simple_bpf__load(skel); }
static int famfs_interleave_load(void *skel) { return famfs_interleave_bpf__load(skel); }
static int famfs_chunkmap_load(void *skel) { return famfs_chunkmap_bpf__load(skel); }

static int famfs_simple_skel(const struct famfs_policy_obj *p, struct famfs_policy_req *r)
{
	LIBBPF_OPTS(bpf_object_open_opts, opts, .pin_root_path = FAMFS_PIN_DIR);
	struct famfs_simple_bpf *skel = famfs_simple_bpf__open_opts(&opts);
	int ret;

	if (!skel)
		return famfs_policy_fail(p, "open", -errno);
	ret = famfs_policy_use(p, r, skel->struct_ops.famfs_simple->kinds, skel->maps.simple_stats,
			       skel->maps.famfs_simple, famfs_simple_load, skel);
	famfs_simple_bpf__destroy(skel);
	return ret;
}

static int famfs_interleave_skel(const struct famfs_policy_obj *p, struct famfs_policy_req *r)
{
	LIBBPF_OPTS(bpf_object_open_opts, opts, .pin_root_path = FAMFS_PIN_DIR);
	struct famfs_interleave_bpf *skel = famfs_interleave_bpf__open_opts(&opts);
	int ret;

	if (!skel)
		return famfs_policy_fail(p, "open", -errno);
	ret = famfs_policy_use(p, r, skel->struct_ops.famfs_interleave->kinds,
			       skel->maps.interleave_stats, skel->maps.famfs_interleave,
			       famfs_interleave_load, skel);
	famfs_interleave_bpf__destroy(skel);
	return ret;
}

static int famfs_chunkmap_skel(const struct famfs_policy_obj *p, struct famfs_policy_req *r)
{
	LIBBPF_OPTS(bpf_object_open_opts, opts, .pin_root_path = FAMFS_PIN_DIR);
	struct famfs_chunkmap_bpf *skel = famfs_chunkmap_bpf__open_opts(&opts);
	int ret;

	if (!skel)
		return famfs_policy_fail(p, "open", -errno);
	ret = famfs_policy_use(p, r, skel->struct_ops.famfs_chunkmap->kinds,
			       skel->maps.chunkmap_stats, skel->maps.famfs_chunkmap,
			       famfs_chunkmap_load, skel);
	famfs_chunkmap_bpf__destroy(skel);
	return ret;
}

static const struct famfs_policy_obj famfs_policies[] = {
	{ FAMFS_POLICY_SIMPLE, famfs_simple_skel, NULL },
	{ FAMFS_POLICY_INTERLEAVE, famfs_interleave_skel, NULL },
	{ FAMFS_POLICY_CHUNKMAP, famfs_chunkmap_skel, famfs_chunkmap_sync_all },
};

const char *const famfs_policy_names[] = {
	FAMFS_POLICY_SIMPLE, FAMFS_POLICY_INTERLEAVE, FAMFS_POLICY_CHUNKMAP, NULL
};

static void famfs_link_pin(const char *name, char *path, size_t len)
{
	snprintf(path, len, "%s/" FAMFS_LINK_PIN_PREFIX "%s", FAMFS_PIN_DIR, name);
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

int famfs_policy_kinds(const char *name, uint32_t *kinds)
{
	const struct famfs_policy_obj *p = famfs_policy_find(name);
	struct famfs_policy_req r = { .attach = false };
	int ret;

	if (!p)
		return -ENOENT;
	ret = p->skel(p, &r);
	*kinds = ret ? 0 : r.kinds;
	return ret;
}

const char *famfs_policy_for_kinds(uint32_t kinds)
{
	uint32_t k;

	for (size_t i = 0; famfs_policy_names[i]; i++)
		if (!famfs_policy_kinds(famfs_policy_names[i], &k) && !(kinds & ~k))
			return famfs_policy_names[i];
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

/* Fill the policy's own maps, attach its struct_ops map, pin the link. */
static int famfs_policy_link(const struct famfs_policy_obj *p, struct bpf_map *ops)
{
	struct bpf_link *link = NULL;
	char pin[256];
	int ret, tries;

	ret = famfs_fmaps_stamp();
	if (!ret && p->prepare)
		ret = p->prepare();
	if (ret)
		return ret;
	/* A detach just before us may still be finishing in the kernel: EEXIST for a while. */
	for (tries = 0; tries < 50; tries++) {
		link = bpf_map__attach_struct_ops(ops);
		if (link || errno != EEXIST)
			break;
		usleep(100 * 1000);
	}
	if (!link) {
		ret = -errno;
		return famfs_policy_fail(p, ret == -EEXIST ? "attach (a policy of that name is attached)" :
					 ret == -ENOSPC ? "attach (too many policies attached)" : "attach",
					 ret);
	}
	famfs_link_pin(p->name, pin, sizeof(pin));
	ret = bpf_link__pin(link, pin);
	if (ret)
		famfs_msg(FAMFS_MSG_ERR, "policy %s: cannot pin link at %s: %s", p->name, pin,
			  strerror(-ret));
	else
		famfs_msg(FAMFS_MSG_INFO, "policy %s attached (link pinned at %s)", p->name, pin);
	if (!ret)
		bpf_link__disconnect(link);	/* the pin keeps it attached after we exit */
	bpf_link__destroy(link);
	return ret;
}

int famfs_policy_attach(const char *name)
{
	const struct famfs_policy_obj *p = famfs_policy_find(name);
	struct famfs_policy_req r = { .attach = true };
	char pin[256];
	int ret;

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
	return ret ? ret : p->skel(p, &r);
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
	struct famfs_policy_req r = { .attach = false };
	int ncpu = libbpf_num_possible_cpus();
	__u32 zero = 0;
	int fd, ret = 0;

	memset(out, 0, sizeof(*out));
	if (!p)
		return -ENOENT;
	if (ncpu <= 0)
		return ncpu ? ncpu : -EINVAL;
	ret = p->skel(p, &r);
	if (ret)
		return ret;
	fd = bpf_obj_get(r.stats_pin);
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
