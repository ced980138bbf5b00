// SPDX-License-Identifier: Apache-2.0
/*
 * policy_load - attach one of the test suite's policies (tests/policies/, one .bpf.c each), as
 * famfsctl attaches the shipped ones: open its skeleton with pin root FAMFS_PIN_DIR (so the
 * fmap map is shared), load, attach the struct_ops map named POLICY, pin the link at
 * FAMFS_PIN_DIR/link_POLICY. Then `famfsctl policy set MPT POLICY` selects it and
 * `famfsctl policy detach POLICY` detaches it.
 *
 *   policy_load OBJECT POLICY [BASE]   OBJECT: hostile | h_store_in | h_stale_ctx |
 *                                      const_answer (BASE: its device byte offset of file
 *                                      offset 0, make bench)
 * Exit 0 attached; 1 refused (the reason on stderr: libbpf's and the verifier's log with
 * LIBBPF_DEBUG=1); 2 usage.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/libbpf.h>

#include "famfs_limits.h"
#include "const_answer.skel.h"
#include "h_stale_ctx.skel.h"
#include "h_store_in.skel.h"
#include "hostile.skel.h"

static int print_fn(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (level == LIBBPF_DEBUG && !getenv("LIBBPF_DEBUG"))
		return 0;
	return vfprintf(stderr, fmt, ap);
}

/* Attach @ops (a struct_ops map of a loaded object) and pin its link. */
static int attach_pin(struct bpf_map *ops, const char *policy)
{
	char pin[256];
	struct bpf_link *link = bpf_map__attach_struct_ops(ops);
	int ret;

	if (!link) {
		ret = -errno;
		fprintf(stderr, "policy_load: attach %s refused: %s\n", policy, strerror(-ret));
		return ret;
	}
	snprintf(pin, sizeof(pin), "%s/" FAMFS_LINK_PIN_PREFIX "%s", FAMFS_PIN_DIR, policy);
	ret = bpf_link__pin(link, pin);
	if (ret)
		fprintf(stderr, "policy_load: pin %s: %s\n", pin, strerror(-ret));
	else
		bpf_link__disconnect(link);
	bpf_link__destroy(link);
	return ret;
}

/* Load @obj (a skeleton's object, opened) and attach its struct_ops map @policy. */
static int load_attach(struct bpf_object *obj, int (*load)(void *), void *skel,
		       const char *policy)
{
	struct bpf_map *ops = bpf_object__find_map_by_name(obj, policy), *m;
	int ret;

	if (!ops || bpf_map__type(ops) != BPF_MAP_TYPE_STRUCT_OPS) {
		fprintf(stderr, "policy_load: no policy %s in this object\n", policy);
		return -ENOENT;
	}
	/* only @policy: the object's other struct_ops maps are not created, so libbpf (>= 1.4)
	 * does not load their programs either (hostile.bpf.c holds 12, each verified in
	 * seconds under TCG) */
	bpf_object__for_each_map(m, obj)
		if (m != ops && bpf_map__type(m) == BPF_MAP_TYPE_STRUCT_OPS &&
		    bpf_map__set_autocreate(m, false))
			return -EINVAL;
	ret = load(skel);
	if (ret) {
		fprintf(stderr, "policy_load: load refused: %s\n", strerror(-ret));
		return ret;
	}
	return attach_pin(ops, policy);
}

static int hostile_load(void *s) { return hostile_bpf__load(s); }
static int store_in_load(void *s) { return h_store_in_bpf__load(s); }
static int stale_ctx_load(void *s) { return h_stale_ctx_bpf__load(s); }
static int const_load(void *s) { return const_answer_bpf__load(s); }

int main(int argc, char **argv)
{
	LIBBPF_OPTS(bpf_object_open_opts, opts, .pin_root_path = FAMFS_PIN_DIR);
	int ret = -ENOENT;

	if (argc != 3 && !(argc == 4 && !strcmp(argv[1], "const_answer"))) {
		fprintf(stderr, "usage: policy_load hostile|h_store_in|h_stale_ctx POLICY | const_answer const_answer BASE\n");
		return 2;
	}
	libbpf_set_print(print_fn);
	if (!strcmp(argv[1], "hostile")) {
		struct hostile_bpf *s = hostile_bpf__open_opts(&opts);

		ret = s ? load_attach(s->obj, hostile_load, s, argv[2]) : -errno;
		hostile_bpf__destroy(s);
	} else if (!strcmp(argv[1], "h_store_in")) {
		struct h_store_in_bpf *s = h_store_in_bpf__open_opts(&opts);

		ret = s ? load_attach(s->obj, store_in_load, s, argv[2]) : -errno;
		h_store_in_bpf__destroy(s);
	} else if (!strcmp(argv[1], "h_stale_ctx")) {
		struct h_stale_ctx_bpf *s = h_stale_ctx_bpf__open_opts(&opts);

		ret = s ? load_attach(s->obj, stale_ctx_load, s, argv[2]) : -errno;
		h_stale_ctx_bpf__destroy(s);
	} else if (!strcmp(argv[1], "const_answer")) {
		struct const_answer_bpf *s = const_answer_bpf__open_opts(&opts);
		char *end;

		if (s) {
			s->rodata->const_base = strtoull(argc == 4 ? argv[3] : "0", &end, 0);
			if (*end) {
				fprintf(stderr, "policy_load: BASE '%s' is not a byte offset\n", argv[3]);
				const_answer_bpf__destroy(s);
				return 2;
			}
		}
		ret = s ? load_attach(s->obj, const_load, s, argv[2]) : -errno;
		const_answer_bpf__destroy(s);
	} else {
		fprintf(stderr, "policy_load: unknown object %s\n", argv[1]);
		return 2;
	}
	return ret ? 1 : 0;
}
