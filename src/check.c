// SPDX-License-Identifier: MIT
/*
 * Check a CPU model against a host. The decision is the VM register
 * file's: the model is written to a VM of that host, and where a register
 * is refused, each differing field is written alone to find the ones that
 * block it. No validation rule is repeated here.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static void add_refusal(struct idregs_check_report *rep, uint16_t enc,
			int field, uint64_t bits, uint64_t model, uint64_t host,
			int err)
{
	if (rep->nr_refusals == IDREGS_MAX_REFUSALS) {
		rep->dropped++;
		return;
	}
	rep->refusals[rep->nr_refusals++] = (struct idregs_refusal){
		.enc = enc, .field = field, .bits = bits, .model = model,
		.host = host, .err = err,
	};
}

/* Would the register accept cur with the bits of m replaced by model's? */
static int try_bits(struct idregs_vm *vm, unsigned int vcpu, uint64_t id,
		    uint64_t cur, uint64_t model, uint64_t m)
{
	int ret = idregs_vcpu_set(vm, vcpu, id, (cur & ~m) | (model & m));

	if (!ret)
		idregs_vcpu_set(vm, vcpu, id, cur);	/* the old value stays valid */
	return ret;
}

/* The register refused want: find the fields (and other bits) that block. */
static void explain(struct idregs_vm *vm, unsigned int vcpu,
		    const struct idregs_reg_desc *r, uint64_t cur, uint64_t want, int err,
		    struct idregs_check_report *rep)
{
	uint64_t id = idregs_sysreg_id(r->enc), in_fields = 0, other;
	size_t before = rep->nr_refusals + rep->dropped;
	unsigned int i;
	int ret;

	for (i = 0; i < r->nr_fields; i++) {
		const struct idregs_field_desc *f = &idregs_db->fields[r->first_field + i];
		uint64_t m = idregs_field_mask(f);

		in_fields |= m;
		if (!((cur ^ want) & m))
			continue;
		ret = try_bits(vm, vcpu, id, cur, want, m);
		if (ret)
			add_refusal(rep, r->enc, (int)i, m, want, cur, ret);
	}
	other = (cur ^ want) & ~in_fields;
	if (other) {
		ret = try_bits(vm, vcpu, id, cur, want, other);
		if (ret)
			add_refusal(rep, r->enc, -1, other, want, cur, ret);
	}
	/* refused as a whole although every part alone is accepted */
	if (before == rep->nr_refusals + rep->dropped)
		add_refusal(rep, r->enc, -1, cur ^ want, want, cur, err);
}

int idregs_check_regs(struct idregs_vm *vm, unsigned int vcpu,
		      const struct idregs_model *m, struct idregs_check_report *rep)
{
	size_t i;

	for (i = 0; i < idregs_db->nr_regs; i++) {
		const struct idregs_reg_desc *r = &idregs_db->regs[i];
		uint64_t id = idregs_sysreg_id(r->enc), cur, want;
		int idx = idregs_space_index_of(r->enc), ret;

		if (!m->has[idx])
			continue;
		ret = idregs_vcpu_get(vm, vcpu, id, &cur);
		if (ret)
			return ret;
		want = (m->regs.val[idx] & ~m->host_bits.val[idx]) |
		       (cur & m->host_bits.val[idx]);
		if (want == cur)
			continue;
		ret = idregs_vcpu_set(vm, vcpu, id, want);
		if (ret)
			explain(vm, vcpu, r, cur, want, ret, rep);
	}
	return 0;
}

int idregs_check(const struct idregs_host *host, unsigned int kernel,
		 const struct idregs_model *m, struct idregs_check_report *rep)
{
	struct idregs_vm *vm;
	int ret;

	memset(rep, 0, sizeof(*rep));
	ret = idregs_vm_create(host, kernel, &vm);
	if (ret)
		return ret;
	if (idregs_model_needs_imp_cap(m, &vm->host.sys) &&
	    idregs_vm_enable_cap(vm, IDREGS_CAP_ARM_WRITABLE_IMP_ID_REGS))
		rep->imp_cap_missing = true;
	ret = idregs_vcpu_create(vm, 0);
	if (ret)
		goto out;
	/* a host that cannot run the model's vCPUs refuses it outright */
	rep->features_err = idregs_vcpu_init(vm, 0, m->features);
	if (rep->features_err) {
		rep->features_missing = m->features & ~vm->host.features;
		goto out;
	}
	if (m->features & IDREGS_FEAT_SVE)
		idregs_vcpu_finalize(vm, 0);
	ret = idregs_check_regs(vm, 0, m, rep);
out:
	rep->fits = !ret && !rep->features_err && !rep->nr_refusals && !rep->dropped;
	idregs_vm_destroy(vm);
	return ret;
}

int idregs_host_model(const struct idregs_host *host, unsigned int kernel,
		      uint32_t features, struct idregs_model *out)
{
	struct idregs_vm *vm;
	size_t i;
	int ret;

	memset(out, 0, sizeof(*out));
	ret = idregs_vm_create(host, kernel, &vm);
	if (ret)
		return ret;
	ret = idregs_vcpu_create(vm, 0);
	if (!ret)
		ret = idregs_vcpu_init(vm, 0, features);
	for (i = 0; !ret && i < idregs_db->nr_regs; i++) {
		const struct idregs_reg_desc *r = &idregs_db->regs[i];
		int idx = idregs_space_index_of(r->enc);

		if (!idregs_reg_in_model(r, kernel))
			continue;
		out->has[idx] = true;
		out->regs.val[idx] = vm->id_regs[idx];
	}
	snprintf(out->name, sizeof(out->name), "%s", host->name);
	out->kernel = (int)kernel;
	out->features = features;
	idregs_vm_destroy(vm);
	return ret;
}
