// SPDX-License-Identifier: GPL-2.0
/*
 * policy.c - the famfs_fmap_ops struct_ops type: registration, attach/detach/update, the
 * per-mount choice of policy, and the one call site that asks a policy for a translation.
 *
 * Up to FAMFS_MAX_POLICIES policies are attached at once, each under its own name, in a
 * table of RCU pointers. A mount names the policy it uses (mount option policy=, or
 * FAMFS_IOC_SET_POLICY); "" means the first attached one. Callers run the BPF program under
 * rcu_read_lock(): detach and update unpublish the old program and wait with
 * synchronize_rcu(), so when unreg()/update() return no fault still runs it. Switching a
 * mount's policy is one RCU pointer swap: faults in flight finish with the policy they
 * found, later ones use the new one. Writers serialize on famfs_policy_mutex.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bpf.h>
#include <linux/bpf_verifier.h>
#include <linux/btf.h>
#include <linux/btf_ids.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "famfs.h"

static struct famfs_fmap_ops __rcu *famfs_policies[FAMFS_MAX_POLICIES];
static DEFINE_MUTEX(famfs_policy_mutex);

BTF_ID_LIST_SINGLE(famfs_xlate_btf_ids, struct, famfs_xlate)

/* The policy @fsi uses, or NULL. Caller holds rcu_read_lock(). */
static struct famfs_fmap_ops *famfs_policy_of(struct famfs_fs_info *fsi)
{
	struct famfs_policy_sel *sel = rcu_dereference(fsi->policy);
	struct famfs_fmap_ops *ops;
	int i;

	for (i = 0; i < FAMFS_MAX_POLICIES; i++) {
		ops = rcu_dereference(famfs_policies[i]);
		if (ops && (!sel || !sel->name[0] || !strcmp(sel->name, ops->name)))
			return ops;
	}
	return NULL;
}

/**
 * famfs_policy_call() - ask the mount's policy to fill x's out fields.
 * @fsi:     the mount
 * @x:       request; in fields set by the caller
 *
 * Context: any, may be atomic; takes rcu_read_lock(). Return: the policy's return value,
 * or -ENXIO when the mount has no attached policy. The answer is NOT checked here.
 */
int famfs_policy_call(struct famfs_fs_info *fsi, struct famfs_xlate *x)
{
	struct famfs_fmap_ops *ops;
	int ret = -ENXIO;

	rcu_read_lock();
	ops = famfs_policy_of(fsi);
	if (ops)
		ret = ops->translate(x);
	rcu_read_unlock();
	return ret;
}

/* famfs_policy_name() - the name of the policy @fsi uses; false ("" in @name) if none. */
bool famfs_policy_name(struct famfs_fs_info *fsi, char *name, size_t namelen)
{
	struct famfs_fmap_ops *ops;

	rcu_read_lock();
	ops = famfs_policy_of(fsi);
	strscpy(name, ops ? ops->name : "", namelen);
	rcu_read_unlock();
	return ops != NULL;
}

/**
 * famfs_policy_select() - make mount @fsi use the policy named @name ("" = first attached).
 * A named policy must be attached now (-ENOENT otherwise); it may be detached later, and
 * then the mount's accesses fail (EIO/SIGBUS) until a policy of that name is attached or
 * another is selected. Context: process (allocates, may wait for RCU callbacks).
 */
int famfs_policy_select(struct famfs_fs_info *fsi, const char *name)
{
	struct famfs_policy_sel *sel, *old;
	struct famfs_fmap_ops *ops;
	bool found = !name[0];
	int i;

	sel = kzalloc(sizeof(*sel), GFP_KERNEL);
	if (!sel)
		return -ENOMEM;
	strscpy(sel->name, name, sizeof(sel->name));
	mutex_lock(&famfs_policy_mutex);
	for (i = 0; i < FAMFS_MAX_POLICIES && !found; i++) {
		ops = rcu_dereference_protected(famfs_policies[i],
						lockdep_is_held(&famfs_policy_mutex));
		found = ops && !strcmp(ops->name, name);
	}
	if (!found) {
		mutex_unlock(&famfs_policy_mutex);
		kfree(sel);
		return -ENOENT;
	}
	old = rcu_replace_pointer(fsi->policy, sel, lockdep_is_held(&famfs_policy_mutex));
	mutex_unlock(&famfs_policy_mutex);
	if (old)
		kfree_rcu(old, rcu);
	return 0;
}

/* famfs_policy_sel_free() - at unmount. */
void famfs_policy_sel_free(struct famfs_fs_info *fsi)
{
	kfree(rcu_dereference_protected(fsi->policy, 1));
	RCU_INIT_POINTER(fsi->policy, NULL);
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

	if (reg->btf_id != famfs_xlate_btf_ids[0]) {
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
	return 0;
}

/* Copy the non-function member (name) from the user's map value; reject a bad name. */
static int famfs_ops_init_member(const struct btf_type *t, const struct btf_member *member,
				 void *kdata, const void *udata)
{
	const struct famfs_fmap_ops *uops = udata;
	struct famfs_fmap_ops *ops = kdata;
	u32 moff = __btf_member_bit_offset(t, member) / 8;

	if (moff != offsetof(struct famfs_fmap_ops, name))
		return 0;
	if (!memchr(uops->name, '\0', sizeof(uops->name)) || !uops->name[0])
		return -EINVAL;
	memcpy(ops->name, uops->name, sizeof(ops->name));
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
		cur = rcu_dereference_protected(famfs_policies[i],
						lockdep_is_held(&famfs_policy_mutex));
		if (ops ? cur == ops : (cur && name && !strcmp(cur->name, name)))
			return i;
		if (!cur && free < 0 && !ops && !name)
			free = i;
	}
	return free;
}

static int famfs_ops_reg(void *kdata, struct bpf_link *link)
{
	struct famfs_fmap_ops *ops = kdata;
	int slot, ret = 0;

	mutex_lock(&famfs_policy_mutex);
	if (famfs_policy_slot(NULL, ops->name) >= 0)
		ret = -EEXIST;		/* one policy per name */
	else if ((slot = famfs_policy_slot(NULL, NULL)) < 0)
		ret = -ENOSPC;
	else
		rcu_assign_pointer(famfs_policies[slot], ops);
	mutex_unlock(&famfs_policy_mutex);
	if (!ret)
		pr_info("policy %s attached\n", ops->name);
	return ret;
}

static void famfs_ops_unreg(void *kdata, struct bpf_link *link)
{
	struct famfs_fmap_ops *ops = kdata;
	int slot;

	mutex_lock(&famfs_policy_mutex);
	slot = famfs_policy_slot(ops, NULL);
	if (slot >= 0)
		RCU_INIT_POINTER(famfs_policies[slot], NULL);
	mutex_unlock(&famfs_policy_mutex);
	synchronize_rcu();
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
	else
		rcu_assign_pointer(famfs_policies[slot], ops);
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
	.init_member	= famfs_ops_init_member,
	.validate	= famfs_ops_validate,
	.reg		= famfs_ops_reg,
	.unreg		= famfs_ops_unreg,
	.update		= famfs_ops_update,
	.cfi_stubs	= &famfs_ops_cfi_stubs,
	.name		= "famfs_fmap_ops",
	.owner		= THIS_MODULE,
};

/* famfs_policy_init() - register the struct_ops type (module init). */
int famfs_policy_init(void)
{
	return register_bpf_struct_ops(&famfs_bpf_fmap_ops, famfs_fmap_ops);
}
