// SPDX-License-Identifier: GPL-2.0
/*
 * policy.c - the famfs_fmap_ops struct_ops type: registration, attach/detach/update, the
 * per-mount choice of policy, and the one call site that asks a policy for a translation.
 *
 * Up to FAMFS_MAX_POLICIES policies are attached at once, each under its own name, in a
 * table of RCU pointers. A mount names the policy it uses (mount option policy=, or
 * FAMFS_IOC_SET_POLICY); "" means the first attached one. Each mount keeps an RCU pointer
 * to the policy in force, updated on select, attach, detach and update, so a translation
 * is one pointer load (no name compare). Callers run the BPF program under
 * rcu_read_lock(): detach and update unpublish the old program and wait with
 * synchronize_rcu(), so when unreg()/update() return no fault still runs it. When a mount's
 * policy in force changes, its existing mappings are revoked (revoke.c). Writers
 * serialize on famfs_policy_mutex; lock order: famfs_policy_mutex -> invalidate_lock.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bpf.h>
#include <linux/bpf_verifier.h>
#include <linux/btf.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "famfs.h"

static struct famfs_fmap_ops __rcu *famfs_policies[FAMFS_MAX_POLICIES];
static LIST_HEAD(famfs_mount_list);	/* every mounted famfs_fs_info */
static DEFINE_MUTEX(famfs_policy_mutex);	/* the table, the list, each mount's choice */

/*
 * The BTF id of struct famfs_xlate as the verifier sees it: the type of translate()'s
 * argument in this module's BTF as loaded. Not a BTF_ID_LIST entry: since pahole 1.28 an
 * out-of-tree module's BTF is built against a distilled base and renumbered when the
 * module loads (7.3 does this, 6.12's pahole 1.24 does not), so a build-time id goes
 * stale. Found by famfs_ops_check_member() before each translate program is verified.
 */
static const struct btf *famfs_module_btf;	/* famfs_ops_init() */
static u32 famfs_xlate_btf_id;			/* 0 until found */

static struct famfs_fmap_ops *famfs_slot(int i)
{
	return rcu_dereference_protected(famfs_policies[i], lockdep_is_held(&famfs_policy_mutex));
}

/* The attached policy named @name, or the first attached one for "". Mutex held. */
static struct famfs_fmap_ops *famfs_policy_lookup(const char *name)
{
	struct famfs_fmap_ops *ops;
	int i;

	for (i = 0; i < FAMFS_MAX_POLICIES; i++) {
		ops = famfs_slot(i);
		if (ops && (!name[0] || !strcmp(name, ops->name)))
			return ops;
	}
	return NULL;
}

/*
 * Make @fsi's policy pointer match its choice; if it changed, revoke the mount's mappings
 * so no page stays mapped by an answer of the policy no longer in force. Mutex held (it
 * keeps the mount alive: unmount unregisters under it). Context: process, sleeps.
 */
static void famfs_policy_refresh(struct famfs_fs_info *fsi)
{
	struct famfs_fmap_ops *ops = famfs_policy_lookup(fsi->sel_name);
	struct famfs_fmap_ops *old = rcu_dereference_protected(fsi->ops,
						lockdep_is_held(&famfs_policy_mutex));

	if (ops == old)
		return;
	rcu_assign_pointer(fsi->ops, ops);
	famfs_revoke_sb(fsi->sb);
	atomic64_inc(&fsi->revocations);
}

static void famfs_policy_refresh_all(void)
{
	struct famfs_fs_info *fsi;

	list_for_each_entry(fsi, &famfs_mount_list, mounts)
		famfs_policy_refresh(fsi);
}

/**
 * famfs_policy_call() - ask the mount's policy to fill x's out fields.
 * @fsi:  the mount
 * @kind: FAMFS_FMAP_* the file was bound with
 * @x:    request; in fields set by the caller
 * @why:  receives a FAMFS_REJECT_* reason when the return is not 0
 *
 * Context: any, may be atomic; takes rcu_read_lock(). Return: 0; the policy's error (or a
 * positive value it returned); -ENXIO when the mount has no attached policy; -EOPNOTSUPP
 * when the policy does not resolve @kind (it is not asked). The answer is NOT checked here.
 */
int famfs_policy_call(struct famfs_fs_info *fsi, u32 kind, struct famfs_xlate *x, int *why)
{
	struct famfs_fmap_ops *ops;
	int ret;

	rcu_read_lock();
	ops = rcu_dereference(fsi->ops);
	if (!ops) {
		*why = FAMFS_REJECT_NO_POLICY;
		ret = -ENXIO;
	} else if (!(ops->kinds & FAMFS_FMAP_KIND_BIT(kind))) {
		*why = FAMFS_REJECT_KIND;
		ret = -EOPNOTSUPP;
	} else {
		ret = ops->translate(x);
		*why = FAMFS_REJECT_ERROR;
	}
	rcu_read_unlock();
	return ret;
}

/*
 * famfs_policy_name() - the name (and @kinds, may be NULL) of the policy @fsi uses; false
 * ("" in @name, 0 kinds) if none.
 */
bool famfs_policy_name(struct famfs_fs_info *fsi, char *name, size_t namelen, u32 *kinds)
{
	struct famfs_fmap_ops *ops;

	rcu_read_lock();
	ops = rcu_dereference(fsi->ops);
	strscpy(name, ops ? ops->name : "", namelen);
	if (kinds)
		*kinds = ops ? ops->kinds : 0;
	rcu_read_unlock();
	return ops != NULL;
}

/**
 * famfs_policy_select() - make mount @fsi use the policy named @name ("" = first attached).
 * A named policy must be attached now and resolve every fmap kind bound in the mount; it
 * may be detached later, and then the mount's accesses fail (EIO/SIGBUS) until a policy of
 * that name is attached or another is selected. Existing mappings are revoked when the
 * policy in force changes. Context: process (sleeps).
 * Return: 0, -ENOENT (not attached), -EOPNOTSUPP (lacks a bound kind).
 */
int famfs_policy_select(struct famfs_fs_info *fsi, const char *name)
{
	struct famfs_fmap_ops *ops;
	int ret = 0;

	mutex_lock(&famfs_policy_mutex);
	ops = famfs_policy_lookup(name);
	if (name[0] && !ops)
		ret = -ENOENT;
	else if (ops && (fsi->kinds_bound & ~ops->kinds))
		ret = -EOPNOTSUPP;
	if (!ret) {
		strscpy(fsi->sel_name, name, sizeof(fsi->sel_name));
		famfs_policy_refresh(fsi);
	}
	mutex_unlock(&famfs_policy_mutex);
	return ret;
}

/* famfs_policy_selected() - what @fsi asks for ("" = the first attached policy). */
void famfs_policy_selected(struct famfs_fs_info *fsi, char *name, size_t namelen)
{
	mutex_lock(&famfs_policy_mutex);
	strscpy(name, fsi->sel_name, namelen);
	mutex_unlock(&famfs_policy_mutex);
}

/* famfs_policy_kind_bound() - note that a file of fmap kind @kind is bound in @fsi. */
int famfs_policy_kind_bound(struct famfs_fs_info *fsi, u32 kind)
{
	mutex_lock(&famfs_policy_mutex);
	fsi->kinds_bound |= FAMFS_FMAP_KIND_BIT(kind);
	mutex_unlock(&famfs_policy_mutex);
	return 0;
}

/* famfs_mount_register() - a new mount: resolve its policy, join the list. */
void famfs_mount_register(struct famfs_fs_info *fsi)
{
	mutex_lock(&famfs_policy_mutex);
	RCU_INIT_POINTER(fsi->ops, famfs_policy_lookup(fsi->sel_name));
	list_add(&fsi->mounts, &famfs_mount_list);
	mutex_unlock(&famfs_policy_mutex);
}

/* famfs_mount_unregister() - at unmount, before the superblock goes away. */
void famfs_mount_unregister(struct famfs_fs_info *fsi)
{
	mutex_lock(&famfs_policy_mutex);
	list_del_init(&fsi->mounts);
	RCU_INIT_POINTER(fsi->ops, NULL);
	mutex_unlock(&famfs_policy_mutex);
}

/* ---- struct_ops type ------------------------------------------------------------- */

static bool famfs_ops_is_valid_access(int off, int size, enum bpf_access_type type,
				      const struct bpf_prog *prog,
				      struct bpf_insn_access_aux *info)
{
	return bpf_tracing_btf_ctx_access(off, size, type, prog, info);
}

/* Only the out fields of struct famfs_xlate are writable; the verifier asks us. */
static int famfs_ops_btf_struct_access(struct bpf_verifier_log *log,
				       const struct bpf_reg_state *reg, int off, int size)
{
	size_t end;

	if (!famfs_xlate_btf_id || reg->btf != famfs_module_btf ||
	    reg->btf_id != READ_ONCE(famfs_xlate_btf_id)) {
		bpf_log(log, FAMFS_MODULE ": only struct famfs_xlate out fields are writable\n");
		return -EACCES;
	}
	switch (off) {
	case offsetof(struct famfs_xlate, devindex):
		end = offsetofend(struct famfs_xlate, devindex);
		break;
	case offsetof(struct famfs_xlate, dev_offset):
		end = offsetofend(struct famfs_xlate, dev_offset);
		break;
	case offsetof(struct famfs_xlate, dev_length):
		end = offsetofend(struct famfs_xlate, dev_length);
		break;
	default:
		bpf_log(log, FAMFS_MODULE ": write to struct famfs_xlate at offset %d: not an out field\n",
			off);
		return -EACCES;
	}
	if (off + size > end) {
		bpf_log(log, FAMFS_MODULE ": write of %d bytes at offset %d crosses an out field\n",
			size, off);
		return -EACCES;
	}
	return 0;
}

static const struct bpf_verifier_ops famfs_ops_verifier_ops = {
	.get_func_proto		= bpf_base_func_proto,
	.is_valid_access	= famfs_ops_is_valid_access,
	.btf_struct_access	= famfs_ops_btf_struct_access,
};

static int famfs_ops_init(struct btf *btf)
{
	famfs_module_btf = btf;
	return 0;
}

/* @id with typedefs and const/volatile/restrict/type tags skipped; 0 if none. */
static u32 famfs_btf_skip_mods(u32 id, const struct btf_type **tp)
{
	const struct btf_type *t;

	for (;;) {
		t = btf_type_by_id(famfs_module_btf, id);
		if (!t)
			return 0;
		switch (BTF_INFO_KIND(t->info)) {
		case BTF_KIND_TYPEDEF:
		case BTF_KIND_VOLATILE:
		case BTF_KIND_CONST:
		case BTF_KIND_RESTRICT:
		case BTF_KIND_TYPE_TAG:
			id = t->type;
			continue;
		}
		*tp = t;
		return id;
	}
}

/*
 * The verifier asks before it verifies a program for member @member of struct
 * famfs_fmap_ops (@t): for translate(), note the BTF id of its argument's struct (struct
 * famfs_xlate * -> struct famfs_xlate), which famfs_ops_btf_struct_access() checks every
 * store against. Return 0, or -EINVAL if the member's type is not that function pointer.
 * Context: process (BPF_PROG_LOAD).
 */
static int famfs_ops_check_member(const struct btf_type *t, const struct btf_member *member,
				  const struct bpf_prog *prog)
{
	const struct btf_type *pt, *fp, *arg, *st;
	u32 id;

	if (__btf_member_bit_offset(t, member) / 8 != offsetof(struct famfs_fmap_ops, translate))
		return 0;
	if (!famfs_module_btf || !famfs_btf_skip_mods(member->type, &pt) || !btf_type_is_ptr(pt) ||
	    !famfs_btf_skip_mods(pt->type, &fp) || !btf_type_is_func_proto(fp) ||
	    btf_type_vlen(fp) != 1 ||
	    !famfs_btf_skip_mods(btf_params(fp)[0].type, &arg) || !btf_type_is_ptr(arg))
		return -EINVAL;
	id = famfs_btf_skip_mods(arg->type, &st);
	if (!id || !btf_type_is_struct(st) || st->size != sizeof(struct famfs_xlate))
		return -EINVAL;
	WRITE_ONCE(famfs_xlate_btf_id, id);
	return 0;
}

/*
 * Check the policy's declared context layout (struct famfs_xlate as it was built against)
 * against this module's: a policy built for another layout is refused at attach.
 */
static int famfs_ops_check_ctx(const struct famfs_fmap_ops *uops)
{
	if (uops->ctx_version == FAMFS_XLATE_VERSION &&
	    uops->ctx_size == sizeof(struct famfs_xlate))
		return 0;
	pr_warn("policy %.*s refused: built for struct famfs_xlate v%u (%u bytes), this module has v%u (%zu bytes): rebuild it against this module's famfs_ops.h\n",
		FAMFS_POLICY_NAME_LEN, uops->name, uops->ctx_version, uops->ctx_size,
		FAMFS_XLATE_VERSION, sizeof(struct famfs_xlate));
	return -EPROTO;
}

static int famfs_ops_check_kinds(const struct famfs_fmap_ops *uops)
{
	u32 known = 0;
	int k;

	for (k = 1; k <= FAMFS_FMAP_KIND_MAX; k++)
		known |= FAMFS_FMAP_KIND_BIT(k);
	if (uops->kinds && !(uops->kinds & ~known))
		return 0;
	pr_warn("policy %.*s refused: kinds %#x (must be a non-empty mask of %#x)\n",
		FAMFS_POLICY_NAME_LEN, uops->name, uops->kinds, known);
	return -EINVAL;
}

/*
 * Copy and check the non-function members from the user's map value: the context layout
 * (ctx_version, ctx_size), the kinds and the name. Return 1 (handled), 0 (a function
 * member: the BPF core handles it) or -errno.
 */
static int famfs_ops_init_member(const struct btf_type *t, const struct btf_member *member,
				 void *kdata, const void *udata)
{
	const struct famfs_fmap_ops *uops = udata;
	struct famfs_fmap_ops *ops = kdata;
	u32 moff = __btf_member_bit_offset(t, member) / 8;
	int ret;

	switch (moff) {
	case offsetof(struct famfs_fmap_ops, ctx_version):
		ret = famfs_ops_check_ctx(uops);
		break;
	case offsetof(struct famfs_fmap_ops, kinds):
		ret = famfs_ops_check_kinds(uops);
		break;
	case offsetof(struct famfs_fmap_ops, ctx_size):
		return 1;	/* checked with ctx_version */
	case offsetof(struct famfs_fmap_ops, reserved):
		return uops->reserved ? -EINVAL : 1;
	case offsetof(struct famfs_fmap_ops, name):
		if (!memchr(uops->name, '\0', sizeof(uops->name)) || !uops->name[0])
			return -EINVAL;
		memcpy(ops->name, uops->name, sizeof(ops->name));
		return 1;
	default:
		return 0;
	}
	if (ret)
		return ret;
	ops->ctx_version = uops->ctx_version;
	ops->ctx_size = uops->ctx_size;
	ops->kinds = uops->kinds;
	return 1;
}

static int famfs_ops_validate(void *kdata)
{
	struct famfs_fmap_ops *ops = kdata;

	return ops->translate ? 0 : -EINVAL;
}

/* Slot holding @ops (or, with @ops NULL, a free slot); -1 if none. Mutex held. */
static int famfs_policy_slot(const struct famfs_fmap_ops *ops, const char *name)
{
	struct famfs_fmap_ops *cur;
	int i, free = -1;

	for (i = 0; i < FAMFS_MAX_POLICIES; i++) {
		cur = famfs_slot(i);
		if (ops ? cur == ops : (cur && name && !strcmp(cur->name, name)))
			return i;
		if (!cur && free < 0 && !ops && !name)
			free = i;
	}
	return free;
}

/* Attach: one policy per name; mounts that ask for it (or for any) start using it. */
static int famfs_ops_reg(void *kdata, struct bpf_link *link)
{
	struct famfs_fmap_ops *ops = kdata;
	int slot, ret = 0;

	mutex_lock(&famfs_policy_mutex);
	if (famfs_policy_slot(NULL, ops->name) >= 0)
		ret = -EEXIST;
	else if ((slot = famfs_policy_slot(NULL, NULL)) < 0)
		ret = -ENOSPC;
	else {
		rcu_assign_pointer(famfs_policies[slot], ops);
		famfs_policy_refresh_all();
	}
	mutex_unlock(&famfs_policy_mutex);
	if (!ret)
		pr_info("policy %s attached\n", ops->name);
	return ret;
}

/* Detach: mounts using it move on (or to none) with their mappings revoked. */
static void famfs_ops_unreg(void *kdata, struct bpf_link *link)
{
	struct famfs_fmap_ops *ops = kdata;
	int slot;

	mutex_lock(&famfs_policy_mutex);
	slot = famfs_policy_slot(ops, NULL);
	if (slot >= 0) {
		RCU_INIT_POINTER(famfs_policies[slot], NULL);
		famfs_policy_refresh_all();
	}
	mutex_unlock(&famfs_policy_mutex);
	synchronize_rcu();	/* no translation still runs the old program */
	if (slot >= 0)
		pr_info("policy %s detached\n", ops->name);
}

/* Replace an attached policy by a new program in place (bpf_link__update_map()). */
static int famfs_ops_update(void *kdata, void *old_kdata, struct bpf_link *link)
{
	struct famfs_fmap_ops *ops = kdata, *old = old_kdata;
	int slot, other, ret = 0;

	mutex_lock(&famfs_policy_mutex);
	slot = famfs_policy_slot(old, NULL);
	other = famfs_policy_slot(NULL, ops->name);
	if (slot < 0)
		ret = -ENOENT;
	else if (other >= 0 && other != slot)
		ret = -EEXIST;
	else {
		rcu_assign_pointer(famfs_policies[slot], ops);
		famfs_policy_refresh_all();
	}
	mutex_unlock(&famfs_policy_mutex);
	if (ret)
		return ret;
	synchronize_rcu();
	pr_info("policy %s replaced by %s\n", old->name, ops->name);
	return 0;
}

static int famfs_translate_stub(struct famfs_xlate *x)
{
	return -ENXIO;
}

static struct famfs_fmap_ops famfs_ops_cfi_stubs = {
	.translate = famfs_translate_stub,
};

static struct bpf_struct_ops famfs_bpf_fmap_ops = {
	.verifier_ops	= &famfs_ops_verifier_ops,
	.init		= famfs_ops_init,
	.check_member	= famfs_ops_check_member,
	.init_member	= famfs_ops_init_member,
	.validate	= famfs_ops_validate,
	.reg		= famfs_ops_reg,
	.unreg		= famfs_ops_unreg,
	.update		= famfs_ops_update,
	.cfi_stubs	= &famfs_ops_cfi_stubs,
	.name		= "famfs_fmap_ops",
	.owner		= THIS_MODULE,
};

/* famfs_policy_init() - register the struct_ops type (module init). Policies attached
 * later are refused unless they match FAMFS_XLATE_VERSION (famfs_ops_init_member()). */
int famfs_policy_init(void)
{
	return register_bpf_struct_ops(&famfs_bpf_fmap_ops, famfs_fmap_ops);
}
