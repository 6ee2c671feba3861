// SPDX-License-Identifier: MIT
/*
 * Applying a CPU model register by register, through any ONE_REG target:
 * the VM register file here, a real KVM vCPU in kvm.c. One loop, so that a
 * dry run and the real thing cannot drift apart.
 */
#include <errno.h>
#include <string.h>

#include "internal.h"

bool idregs_model_needs_imp_cap(const struct idregs_model *m,
				const struct idregs_regset *current)
{
	static const unsigned int imp[] = { IDX_MIDR, IDX_REVIDR, IDX_AIDR };
	size_t i;

	for (i = 0; i < sizeof(imp) / sizeof(imp[0]); i++)
		if (m->has[imp[i]] && m->regs.val[imp[i]] != current->val[imp[i]])
			return true;
	return false;
}

int idregs_apply_model(const struct idregs_model *m,
		       const struct idregs_onereg_ops *ops, void *ctx,
		       struct idregs_apply_result *res)
{
	unsigned int i;

	memset(res, 0, sizeof(*res));
	for (i = 0; i < idregs_db->nr_regs; i++) {
		uint16_t enc = idregs_db->regs[i].enc;
		int idx = idregs_space_index(enc);
		uint64_t id = idregs_sysreg_id(enc), got = 0;
		int ret;


		uint64_t want, keep, cur = 0;

		if (idx < 0 || !m->has[idx])
			continue;
		/* a floor model leaves some bits to the host */
		keep = m->host_bits.val[idx];
		/* the old value also lets a refusal name the fields asked for */
		ret = ops->get(ctx, id, &cur);
		want = (m->regs.val[idx] & ~keep) | (cur & keep);
		if (!ret)
			ret = ops->set(ctx, id, want);
		if (!ret)
			ret = ops->get(ctx, id, &got);
		if (ret) {
			res->err = ret;
			res->enc = enc;
			res->wanted = want;
			res->before = cur;
			res->got = got;
			return ret;
		}
		res->written++;
		if (got != want)
			res->changed_enc[res->changed++] = enc;
	}
	return 0;
}

struct vm_target {
	struct idregs_vm *vm;
	unsigned int vcpu;
};

static int vm_get(void *ctx, uint64_t id, uint64_t *val)
{
	struct vm_target *t = ctx;

	return idregs_vcpu_get(t->vm, t->vcpu, id, val);
}

static int vm_set(void *ctx, uint64_t id, uint64_t val)
{
	struct vm_target *t = ctx;

	return idregs_vcpu_set(t->vm, t->vcpu, id, val);
}

int idregs_vm_apply_model(struct idregs_vm *vm, unsigned int vcpu,
			  const struct idregs_model *m,
			  struct idregs_apply_result *res)
{
	static const struct idregs_onereg_ops ops = { vm_get, vm_set };
	struct vm_target t = { vm, vcpu };

	return idregs_apply_model(m, &ops, &t, res);
}
