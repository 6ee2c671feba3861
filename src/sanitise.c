// SPDX-License-Identifier: MIT
/*
 * Host sanitisation as Linux's cpufeature code does it: the boot CPU's
 * fields seed the system value, every other CPU type folds in through the
 * field's safe-value rule, and strict fields that differ from the boot CPU
 * are reported (Linux taints the kernel for them).
 */
#include <errno.h>
#include <string.h>

#include "internal.h"

int64_t idregs_field_value(const struct idregs_field_desc *f, uint64_t reg,
			   unsigned int kernel)
{
	uint64_t v = idregs_field_get(f, reg);

	if ((f->flags & IDREGS_F_SIGNED) && f->width < 64 &&
	    !idregs_relset_has(&f->unsigned_releases, kernel) &&
	    (v & (1ULL << (f->width - 1))))
		return (int64_t)(v | ~((1ULL << f->width) - 1));
	return (int64_t)v;
}

int64_t idregs_rule_safe(unsigned int rule, uint64_t safe_val, int64_t new_v,
			 int64_t cur)
{
	switch (rule) {
	case IDREGS_RULE_EXACT:
		return (int64_t)safe_val;
	case IDREGS_RULE_LOWER:
		return new_v < cur ? new_v : cur;
	case IDREGS_RULE_HIGHER_OR_ZERO:
		if (!cur || !new_v)
			return 0;
		/* fall through */
	case IDREGS_RULE_HIGHER:
		return new_v > cur ? new_v : cur;
	default:
		return 0;
	}
}

/*
 * What Linux records for a CPU's register. CTR_EL0 is the "effective" one:
 * IDC reads as 1 when CLIDR_EL1 shows that no clean to the PoU is needed
 * (LoC == 0, or LoUIS == 0 and LoUU == 0).
 */
static uint64_t cpu_value(const struct idregs_regset *cpu, int idx)
{
	uint64_t v = cpu->val[idx], clidr = cpu->val[IDX_CLIDR];
	unsigned int louis = FLD(clidr, CLIDR_EL1, LoUIS), loc = FLD(clidr, CLIDR_EL1, LoC);
	unsigned int louu = FLD(clidr, CLIDR_EL1, LoUU);

	if (idx == IDX_CTR && (!loc || (!louis && !louu)))
		v |= IDREGS_CTR_EL0_IDC_MASK;
	return v;
}

static bool aa32_el0(const struct idregs_regset *cpu)
{
	return (cpu->val[IDX_PFR0] & 0xf) == 2;
}

static void sanitise_reg(const struct idregs_reg_desc *r,
			 const struct idregs_regset *cpus, size_t ncpus,
			 unsigned int kernel, int idx,
			 struct idregs_sanitised *out)
{
	uint64_t sys = 0, strict = ~0ULL, user_mask = 0, user_val = 0;
	unsigned int i;
	size_t c;

	for (i = 0; i < r->nr_fields; i++) {
		const struct idregs_field_desc *f = &idregs_db->fields[r->first_field + i];

		if (!idregs_field_in_host(f, kernel))
			continue;
		sys = idregs_field_set(f, sys, idregs_field_get(f, cpu_value(&cpus[0], idx)));
		for (c = 1; c < ncpus; c++) {
			if (idregs_enc_is_aa32(r->enc) && !aa32_el0(&cpus[c]))
				continue;
			int64_t cur = idregs_field_value(f, sys, kernel);
			int64_t nv = idregs_field_value(f, cpu_value(&cpus[c], idx), kernel);

			if (cur != nv)
				sys = idregs_field_set(f, sys, (uint64_t)idregs_rule_safe(
					f->host_rule, f->safe, nv, cur));
		}
		if (!(f->flags & IDREGS_F_STRICT))
			strict &= ~idregs_field_mask(f);
		if (f->flags & IDREGS_F_EL0)
			user_mask |= idregs_field_mask(f);
		else
			user_val = idregs_field_set(f, user_val, f->safe);
	}
	out->sys.val[idx] = sys;
	out->el0.val[idx] = user_val | (sys & user_mask);
	for (c = 1; c < ncpus; c++)
		if (!idregs_enc_is_aa32(r->enc) || aa32_el0(&cpus[c]))
			out->strict_diff.val[idx] |=
			(cpu_value(&cpus[c], idx) ^ cpu_value(&cpus[0], idx)) & strict;
	if (out->strict_diff.val[idx])
		out->tainted = true;
}

int idregs_sanitise(const struct idregs_regset *cpus, size_t ncpus,
		    unsigned int kernel, struct idregs_sanitised *out)
{
	size_t i;

	if (!idregs_db)
		return -ENOTRECOVERABLE;
	if (!ncpus || kernel >= idregs_db->nr_releases)
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	for (i = 0; i < idregs_db->nr_regs; i++) {
		const struct idregs_reg_desc *r = &idregs_db->regs[i];
		int idx = idregs_space_index(r->enc);

		if (idx < 0 || !idregs_reg_rel(r, kernel)->host_table)
			continue;
		/* Linux records AArch32 registers only when the boot CPU has
		 * AArch32 EL0 (it then folds in only the CPUs that have it) */
		if (idregs_enc_is_aa32(r->enc) && !aa32_el0(&cpus[0]))
			continue;
		sanitise_reg(r, cpus, ncpus, kernel, idx, out);
	}
	/*
	 * EL0 MRS emulation: CRm 0 shows the real MIDR, a fixed MPIDR and no
	 * REVIDR; CRm 1 (AArch32) and op1 1 are not emulated. CTR_EL0 keeps
	 * its sanitised view (Linux emulates it when CPUs differ).
	 */
	out->el0.val[IDX_MIDR] = cpus[0].val[IDX_MIDR];
	out->el0.val[IDREGS_IDX_MPIDR_EL1] = IDREGS_MPIDR_EL1_RES1_MASK;
	for (i = 8; i < 16; i++)
		out->el0.val[i] = 0;
	for (i = 64; i < IDREGS_SPACE_SIZE; i++)
		if (i != IDX_CTR)
			out->el0.val[i] = 0;
	return 0;
}
