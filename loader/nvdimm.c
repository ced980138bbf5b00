// SPDX-License-Identifier: Apache-2.0
/*
 * nvdimm.c - this host's nvdimm namespaces through libndctl (the library ndctl itself is
 * built on): for each namespace its name, block device (fsdax: its pfn's; raw: its own;
 * sector: its btt's) or dax device (devdax, through libdaxctl), mode, where its struct page
 * array lives and its alignment. devices.c decides from these whether famfs can use it.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <daxctl/libdaxctl.h>
#include <ndctl/libndctl.h>

#include "loader.h"

/* libndctl's own messages (it prints to stderr by default) go to famfs_msg at debug level */
static void famfs_ndctl_log(struct ndctl_ctx *ctx, int priority, const char *file, int line,
			    const char *fn, const char *format, va_list args)
{
	char buf[512];
	size_t n;

	vsnprintf(buf, sizeof(buf), format, args);
	n = strlen(buf);
	if (n && buf[n - 1] == '\n')
		buf[n - 1] = '\0';
	famfs_msg(FAMFS_MSG_DEBUG, "libndctl: %s: %s", fn, buf);
}

static enum famfs_ns_map famfs_ns_map_of(enum ndctl_pfn_loc loc)
{
	return loc == NDCTL_PFN_LOC_RAM ? FAMFS_NS_MAP_MEM :
	       loc == NDCTL_PFN_LOC_PMEM ? FAMFS_NS_MAP_DEV : FAMFS_NS_MAP_NONE;
}

static void famfs_ns_set_dev(struct famfs_ns *ns, const char *name)
{
	if (name && name[0])
		snprintf(ns->dev, sizeof(ns->dev), "/dev/%s", name);
}

/* One namespace's record. */
static void famfs_ns_fill(struct ndctl_namespace *ndns, struct famfs_ns *ns)
{
	struct ndctl_pfn *pfn = ndctl_namespace_get_pfn(ndns);
	struct ndctl_dax *dax = ndctl_namespace_get_dax(ndns);
	struct ndctl_btt *btt = ndctl_namespace_get_btt(ndns);

	memset(ns, 0, sizeof(*ns));
	snprintf(ns->name, sizeof(ns->name), "%s", ndctl_namespace_get_devname(ndns));
	ns->size = ndctl_namespace_get_size(ndns);
	ns->enabled = ndctl_namespace_is_enabled(ndns) > 0;
	switch (ndctl_namespace_get_mode(ndns)) {
	case NDCTL_NS_MODE_FSDAX:
		ns->mode = FAMFS_NS_FSDAX;
		break;
	case NDCTL_NS_MODE_SECTOR:
		ns->mode = FAMFS_NS_SECTOR;
		break;
	case NDCTL_NS_MODE_RAW:
		ns->mode = FAMFS_NS_RAW;
		break;
	case NDCTL_NS_MODE_DEVDAX:
		ns->mode = FAMFS_NS_DEVDAX;
		break;
	default:
		ns->mode = FAMFS_NS_UNKNOWN;
		break;
	}
	if (pfn && ndctl_pfn_is_enabled(pfn)) {
		ns->enabled = true;
		ns->mode = FAMFS_NS_FSDAX;
		ns->map = famfs_ns_map_of(ndctl_pfn_get_location(pfn));
		ns->align = ndctl_pfn_get_align(pfn);
		famfs_ns_set_dev(ns, ndctl_pfn_get_block_device(pfn));
	} else if (dax && ndctl_dax_is_enabled(dax)) {
		struct daxctl_region *r = ndctl_dax_get_daxctl_region(dax);
		struct daxctl_dev *d;

		ns->enabled = true;
		ns->mode = FAMFS_NS_DEVDAX;
		ns->map = famfs_ns_map_of(ndctl_dax_get_location(dax));
		ns->align = ndctl_dax_get_align(dax);
		if (r)
			daxctl_dev_foreach(r, d) {
				famfs_ns_set_dev(ns, daxctl_dev_get_devname(d));
				break;
			}
	} else if (btt && ndctl_btt_is_enabled(btt)) {
		ns->enabled = true;
		ns->mode = FAMFS_NS_SECTOR;
		famfs_ns_set_dev(ns, ndctl_btt_get_block_device(btt));
	} else if (ns->enabled) {
		famfs_ns_set_dev(ns, ndctl_namespace_get_block_device(ndns));
		if (ns->mode == FAMFS_NS_FSDAX) {
			/* fsdax without a pfn: legacy (e820, memmap=) pmem, pages in host RAM;
			 * aligned as far as its start is */
			unsigned long long res = ndctl_namespace_get_resource(ndns);

			ns->map = FAMFS_NS_MAP_MEM;
			ns->align = res == ULLONG_MAX ? 0 : res % FAMFS_NS_ALIGN ? 4096 : FAMFS_NS_ALIGN;
		}
	}
}

int famfs_ns_list(struct famfs_ns **out)
{
	struct ndctl_namespace *ndns;
	struct ndctl_region *region;
	struct famfs_ns *v = NULL, *nv;
	struct ndctl_bus *bus;
	struct ndctl_ctx *ctx;
	int n = 0, cap = 0, buses = 0;

	*out = NULL;
	if (ndctl_new(&ctx)) {
		famfs_msg(FAMFS_MSG_DEBUG, "libndctl: cannot initialize (no /sys/bus/nd?)");
		return -ENODEV;
	}
	ndctl_set_log_fn(ctx, famfs_ndctl_log);
	ndctl_bus_foreach(ctx, bus) {
		buses++;
		ndctl_region_foreach(bus, region) {
			ndctl_namespace_foreach(region, ndns) {
				if (!ndctl_namespace_get_size(ndns))
					continue;	/* a seed: no capacity */
				if (n == cap) {
					cap = cap ? 2 * cap : 8;
					nv = realloc(v, cap * sizeof(*v));
					if (!nv) {
						free(v);
						ndctl_unref(ctx);
						return -ENOMEM;
					}
					v = nv;
				}
				famfs_ns_fill(ndns, &v[n++]);
			}
		}
	}
	ndctl_unref(ctx);
	if (!buses) {
		free(v);
		return -ENODEV;
	}
	*out = v;
	return n;
}
