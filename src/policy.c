// SPDX-License-Identifier: MIT
/*
 * KVM's per-release policy, interpreted from the register database: which
 * registers read as zero, the limit (KVM-sanitised value) of each register
 * for a VM and its vCPU features, the per-register write pre-checks, and
 * the generic feature check, and the adjustments made at the first run.
 * Every rule applies in the releases data/regs.db gives it (docs/regdb.md).
 */
#include <errno.h>

#include "internal.h"

static bool op_applies(const struct idregs_vm *vm, const struct idregs_op_desc *op,
		       unsigned int kind)
{
	return op->kind == kind && idregs_relset_has(&op->releases, vm->kernel);
}

static bool cond_holds(const struct idregs_vm *vm, unsigned int cond,
		       uint32_t features)
{
	switch (cond) {
	case IDREGS_COND_SVE:
		return features & IDREGS_FEAT_SVE;
	case IDREGS_COND_PMU:
		return features & IDREGS_FEAT_PMU_V3;
	case IDREGS_COND_PTRAUTH:
		return (features & IDREGS_FEAT_PTRAUTH) == IDREGS_FEAT_PTRAUTH;
	case IDREGS_COND_MTE:
		return vm->mte;
	case IDREGS_COND_VGIC_V3:
		return vm->vgic_v3;
	default:
		return vm->host.cond[cond];
	}
}

bool idregs_reg_is_raz(const struct idregs_vm *vm,
		       const struct idregs_reg_desc *r, uint32_t features)
{
	switch (idregs_reg_rel(r, vm->kernel)->vis) {
	case IDREGS_VIS_RAZ:
		return true;
	case IDREGS_VIS_AA32:
		return !vm->host.aa32_el0;
	case IDREGS_VIS_SVE:
		return !(features & IDREGS_FEAT_SVE);
	default:
		return false;
	}
}

bool idregs_reg_is_user_wi(const struct idregs_vm *vm,
			   const struct idregs_reg_desc *r)
{
	return idregs_reg_rel(r, vm->kernel)->vis == IDREGS_VIS_AA32 &&
	       !vm->host.aa32_el0;
}

/* pmuver_to_perfmon(): the AArch64 PMU version in AArch32 terms */
static uint64_t perfmon_of(unsigned int pmuver)
{
	switch (pmuver) {
	case 1:		/* PMUv3 */
		return 3;
	case 0xf:	/* IMPLEMENTATION DEFINED */
		return 0xf;
	default:
		return pmuver;
	}
}

/* Linux's cap of a PMU version field: an IMPLEMENTATION DEFINED version
 * (0xf) counts as below any cap and is left as it is. */
static uint64_t perfmon_cap(const struct idregs_field_desc *f, uint64_t val,
			    uint64_t cap)
{
	uint64_t v = idregs_field_get(f, val);

	return v != 0xf && v > cap ? idregs_field_set(f, val, cap) : val;
}

static inline __attribute__((always_inline)) uint64_t apply_limit_op(const struct idregs_vm *vm,
			       const struct idregs_op_desc *op,
			       uint32_t features, uint64_t val)
{
	const struct idregs_field_desc *f =
		op->field == IDREGS_NO_FIELD ? NULL : &idregs_db->fields[op->field];
	bool pmu = features & IDREGS_FEAT_PMU_V3;

	switch (op->op) {
	case IDREGS_OP_ZERO:
		return val & ~op->a;
	case IDREGS_OP_KEEP:
		return val & op->a;
	case IDREGS_OP_ZERO_UNLESS:
		return cond_holds(vm, op->cond, features) ? val : val & ~op->a;
	case IDREGS_OP_SET_IF:
		return cond_holds(vm, op->cond, features) ?
		       idregs_field_set(f, val, op->a) : val;
	case IDREGS_OP_SET:
		return idregs_field_set(f, val, op->a);
	case IDREGS_OP_CAP:
		return idregs_field_get(f, val) > op->a ?
		       idregs_field_set(f, val, op->a) : val;
	case IDREGS_OP_PERFMON_CAP:
		return perfmon_cap(f, val, op->a);
	case IDREGS_OP_PMU_CAP:
		return perfmon_cap(f, val, pmu ? op->a : 0);
	case IDREGS_OP_PMUVER:
		return idregs_field_set(f, val, pmu ? vm->host.pmuver_limit : 0);
	case IDREGS_OP_PERFMON:
		return idregs_field_set(f, val,
					pmu ? perfmon_of(vm->host.pmuver_limit) : 0);
	default:
		return val;
	}
}

uint64_t idregs_reg_limit(const struct idregs_vm *vm,
			  const struct idregs_reg_desc *r, uint32_t features)
{
	int idx = idregs_space_index_of(r->enc);
	unsigned int i;
	uint64_t val;

	if (idx < 0 || (idregs_reg_is_raz(vm, r, features) && !r->own_reset))
		return 0;
	val = vm->host.sys.val[idx];
	for (i = 0; i < r->nr_ops; i++) {
		const struct idregs_op_desc *op = &idregs_db->ops[r->first_op + i];

		if (op_applies(vm, op, IDREGS_OP_LIMIT))
			val = apply_limit_op(vm, op, features, val);
	}
	return val;
}

int idregs_reg_precheck(const struct idregs_vm *vm,
			const struct idregs_reg_desc *r, uint64_t *val)
{
	int idx = idregs_space_index_of(r->enc);
	unsigned int i;

	for (i = 0; i < r->nr_ops; i++) {
		const struct idregs_op_desc *op = &idregs_db->ops[r->first_op + i];
		const struct idregs_field_desc *f;
		uint64_t v;

		if (!op_applies(vm, op, IDREGS_OP_CHECK))
			continue;
		f = &idregs_db->fields[op->field];
		v = idregs_field_get(f, *val);
		switch (op->op) {
		case IDREGS_OP_IGNORE_HOST:
			/* compared with the host's sanitised value, not the limit */
			if (v == idregs_field_get(f, vm->host.sys.val[idx]))
				*val = idregs_field_set(f, *val, 0);
			break;
		case IDREGS_OP_MIN:
			if (v < op->a)
				return -EINVAL;
			break;
		case IDREGS_OP_MIN_NONZERO:
			if (v && v < op->a)
				return -EINVAL;
			break;
		case IDREGS_OP_MAP:
			if (v == op->a)
				*val = idregs_field_set(f, *val, op->b);
			break;
		case IDREGS_OP_REJECT:
			if (v < 64 && (op->a & (1ULL << v)))
				return -EINVAL;
			break;
		case IDREGS_OP_MTE_FRAC:
			/* host MTE2 with MTE_frac NI: ASYNC (0) is kept as NI */
			if (v == 0 && FLD(vm->host.sys.val[idx], ID_AA64PFR1_EL1, MTE) == 2 &&
			    idregs_field_get(f, vm->host.sys.val[idx]) == 0xf)
				*val = idregs_field_set(f, *val, 0xf);
			break;
		default:
			break;
		}
	}
	return 0;
}

int idregs_reg_check_features(const struct idregs_vm *vm,
			      const struct idregs_reg_desc *r,
			      uint32_t features, uint64_t val)
{
	uint64_t limit, checked = 0;
	unsigned int i;

	if (idregs_reg_is_raz(vm, r, features))
		return val ? -EINVAL : 0;
	/* from 6.5 a register Linux has no cpufeature table for refuses every
	 * write; before, the value read was all that counted */
	if (!idregs_reg_rel(r, vm->kernel)->host_table && vm->props.id_regs_per_vm)
		return -EINVAL;
	limit = idregs_reg_limit(vm, r, features);
	for (i = 0; i < r->nr_fields; i++) {
		const struct idregs_field_desc *f = &idregs_db->fields[r->first_field + i];
		int64_t fv, fl;

		if (!idregs_reg_field_checked(r, f, vm->kernel))
			continue;
		checked |= idregs_field_mask(f);
		fv = idregs_field_value(f, val, vm->kernel);
		fl = idregs_field_value(f, limit, vm->kernel);
		if (fv != fl && idregs_rule_safe(f->kvm_rule, f->safe, fv, fl) != fv)
			return -EINVAL;
	}
	/* everything not checked field by field must equal the limit */
	if ((val & ~checked) != (limit & ~checked))
		return -EINVAL;
	return 0;
}

uint64_t idregs_reg_adjust(const struct idregs_vm *vm, const struct idregs_reg_desc *r,
			   unsigned int kind, uint64_t val)
{
	unsigned int i;

	for (i = 0; i < r->nr_ops; i++) {
		const struct idregs_op_desc *op = &idregs_db->ops[r->first_op + i];

		if (op_applies(vm, op, kind))
			val = apply_limit_op(vm, op, vm->features, val);
	}
	return val;
}

/* CLIDR_EL1 cache types (Ctype<n>) and the tag cache type (Ttype<n>) */
enum { CTYPE_INST = 1, CTYPE_DATA = 2, CTYPE_UNIFIED = 4, TTYPE_SEPARATE = 2 };

static uint64_t clidr_ctype(unsigned int level, uint64_t type)
{
	return type << (IDREGS_CLIDR_EL1_Ctype1_SHIFT + IDREGS_CLIDR_EL1_Ctype1_WIDTH * (level - 1));
}

uint64_t idregs_reset_clidr(uint64_t ctr, bool mte)
{
	bool idc = FLD(ctr, CTR_EL0, IDC), dic = FLD(ctr, CTR_EL0, DIC);
	uint64_t clidr;
	unsigned int loc;

	if (idc) {
		/* no clean to PoU needed: a unified cache is the LoC, at L2
		 * unless DIC so that an L1 I-cache can sit below it */
		loc = dic ? 1 : 2;
		clidr = clidr_ctype(loc, CTYPE_UNIFIED);
	} else {
		/* an L1 data cache, marked LoUU, LoUIS and LoC */
		loc = 1;
		clidr = clidr_ctype(1, CTYPE_DATA) | 1ULL << IDREGS_CLIDR_EL1_LoUU_SHIFT |
			1ULL << IDREGS_CLIDR_EL1_LoUIS_SHIFT;
	}
	if (!dic)
		clidr |= clidr_ctype(1, CTYPE_INST);	/* separate when L1 has data */
	clidr |= (uint64_t)loc << IDREGS_CLIDR_EL1_LoC_SHIFT;
	if (mte)
		clidr |= (uint64_t)TTYPE_SEPARATE << (IDREGS_CLIDR_EL1_Ttype1_SHIFT +
						      IDREGS_CLIDR_EL1_Ttype1_WIDTH * (loc - 1));
	return clidr;
}
