// SPDX-License-Identifier: GPL-2.0
/*
 * policy.c - the famfs_fmap_ops struct_ops type: registration, attach/detach/update, and
 * the one call site that asks the attached policy for a translation.
 *
 * One policy is attached at a time (for every famfs mount). It is published with RCU:
 * callers run the BPF program under rcu_read_lock(); detach and update unpublish the old
 * one and wait with synchronize_rcu(), so when unreg()/update() return no fault is still
 * running the old program. Writers serialize on famfs_policy_mutex.
 */
#include <linux/bpf.h>
#include <linux/bpf_verifier.h>
#include <linux/btf.h>
#include <linux/btf_ids.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/string.h>

#include "famfs.h"

static struct famfs_fmap_ops __rcu *famfs_policy;
static DEFINE_MUTEX(famfs_policy_mutex);

BTF_ID_LIST_SINGLE(famfs_xlate_btf_ids, struct, famfs_xlate)

/**
 * famfs_policy_call() - ask the attached policy to fill x's out fields.
 * @x:       request; in fields set by the caller
 * @name:    receives the policy's name ("" if none), for messages; may be NULL
 * @namelen: bytes of @name
 *
 * Context: any, may be atomic; takes rcu_read_lock(). Return: the policy's return value,
 * or -ENXIO when no policy is attached. The answer is NOT checked here (iomap.c does).
 */
int famfs_policy_call(struct famfs_xlate *x, char *name, size_t namelen)
{
	struct famfs_fmap_ops *ops;
	int ret = -ENXIO;

	rcu_read_lock();
	ops = rcu_dereference(famfs_policy);
	if (ops) {
		if (name)
			strscpy(name, ops->name, namelen);
		ret = ops->translate(x);
	} else if (name) {
		strscpy(name, "(none)", namelen);
	}
	rcu_read_unlock();
	return ret;
}

/* famfs_policy_name() - name of the attached policy, "" if none. */
void famfs_policy_name(char *name, size_t namelen)
{
	struct famfs_fmap_ops *ops;

	rcu_read_lock();
	ops = rcu_dereference(famfs_policy);
	strscpy(name, ops ? ops->name : "", namelen);
	rcu_read_unlock();
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
		bpf_log(log, "famfs: only struct famfs_xlate out fields are writable\n");
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
		bpf_log(log, "famfs: write to struct famfs_xlate at offset %d: not an out field\n",
			off);
		return -EACCES;
	}
	if (off + size > end) {
		bpf_log(log, "famfs: write of %d bytes at offset %d crosses an out field\n",
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

static int famfs_ops_reg(void *kdata, struct bpf_link *link)
{
	struct famfs_fmap_ops *ops = kdata;
	int ret = 0;

	mutex_lock(&famfs_policy_mutex);
	if (rcu_access_pointer(famfs_policy))
		ret = -EEXIST;
	else
		rcu_assign_pointer(famfs_policy, ops);
	mutex_unlock(&famfs_policy_mutex);
	if (!ret)
		pr_info("famfs: policy %s attached\n", ops->name);
	return ret;
}

static void famfs_ops_unreg(void *kdata, struct bpf_link *link)
{
	struct famfs_fmap_ops *ops = kdata;
	bool was = false;

	mutex_lock(&famfs_policy_mutex);
	if (rcu_access_pointer(famfs_policy) == ops) {
		RCU_INIT_POINTER(famfs_policy, NULL);
		was = true;
	}
	mutex_unlock(&famfs_policy_mutex);
	synchronize_rcu();
	if (was)
		pr_info("famfs: policy %s detached\n", ops->name);
}

/* Swap the attached policy for another one atomically (bpf_link__update_map()). */
static int famfs_ops_update(void *kdata, void *old_kdata, struct bpf_link *link)
{
	struct famfs_fmap_ops *ops = kdata, *old = old_kdata;
	int ret = 0;

	mutex_lock(&famfs_policy_mutex);
	if (rcu_access_pointer(famfs_policy) != old)
		ret = -ENOENT;
	else
		rcu_assign_pointer(famfs_policy, ops);
	mutex_unlock(&famfs_policy_mutex);
	if (ret)
		return ret;
	synchronize_rcu();
	pr_info("famfs: policy %s replaced by %s\n", old->name, ops->name);
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
