// SPDX-License-Identifier: MIT
/*
 * The per-field matrix of KVM's set_id_regs selftest (docs/kvm-model.md,
 * Selftest matrix), written afresh against the library: for every listed
 * field that the release's writable mask covers, an invalid value must fail
 * with EINVAL and leave the register alone, then a safe value must be
 * accepted and read back exactly. Then the selftest's further cases
 * (Selftest matrix: Further cases): the per-vCPU registers,
 * MIDR/REVIDR/AIDR, MPAM, MTE_frac, guest reads after the run, and a vCPU
 * reset that preserves everything.
 *
 * 7.3 runs the newest version of the field list; 6.12 the older one (EL
 * fields with safe value 0, no DF2, no TGRAN*_2, ASIDBITS, no MMFR3), as
 * each kernel's own selftest would. Fields whose bits are not all in the
 * mask are skipped (Selftest matrix: Per-field steps).
 */
#include <stdio.h>
#include <stdlib.h>

#include "testutil.h"

/* ---- the field table (Selftest matrix: Fields tested) ---- */

enum ftype { EXACT, LOWER, HIGHER, HIGHER_OR_ZERO };

#define V612	(1u << 0)	/* in the older list (6.12) */
#define V73	(1u << 1)	/* in the newest list (7.3) */
#define VALL	(V612 | V73)

struct ftr {
	const char *name;
	uint8_t shift;
	bool sign;
	uint8_t type;
	uint8_t safe;
	uint8_t lists;
};

#define U(n, s, t, v, l) { n, s, false, t, v, l }
#define S(n, s, t, v, l) { n, s, true, t, v, l }
#define END { NULL, 0, false, 0, 0, 0 }

static const struct ftr dfr0[] = {
	S("DoubleLock", 36, LOWER, 0, VALL),
	U("WRPs", 20, LOWER, 0, VALL),
	S("PMUVer", 8, LOWER, 0, VALL),
	U("DebugVer", 0, LOWER, 6, VALL),
	END
};
static const struct ftr id_dfr0[] = {
	S("PerfMon", 24, LOWER, 3, VALL),
	U("CopDbg", 0, LOWER, 6, VALL),
	END
};
static const struct ftr isar0[] = {
	U("RNDR", 60, LOWER, 0, VALL), U("TLB", 56, LOWER, 0, VALL),
	U("TS", 52, LOWER, 0, VALL), U("FHM", 48, LOWER, 0, VALL),
	U("DP", 44, LOWER, 0, VALL), U("SM4", 40, LOWER, 0, VALL),
	U("SM3", 36, LOWER, 0, VALL), U("SHA3", 32, LOWER, 0, VALL),
	U("RDM", 28, LOWER, 0, VALL), U("TME", 24, LOWER, 0, VALL),
	U("ATOMIC", 20, LOWER, 0, VALL), U("CRC32", 16, LOWER, 0, VALL),
	U("SHA2", 12, LOWER, 0, VALL), U("SHA1", 8, LOWER, 0, VALL),
	U("AES", 4, LOWER, 0, VALL),
	END
};
static const struct ftr isar1[] = {
	U("LS64", 60, LOWER, 0, VALL), U("XS", 56, LOWER, 0, VALL),
	U("I8MM", 52, LOWER, 0, VALL), U("DGH", 48, LOWER, 0, VALL),
	U("BF16", 44, LOWER, 0, VALL), U("SPECRES", 40, LOWER, 0, VALL),
	U("SB", 36, LOWER, 0, VALL), U("FRINTTS", 32, LOWER, 0, VALL),
	U("LRCPC", 20, LOWER, 0, VALL), U("FCMA", 16, LOWER, 0, VALL),
	U("JSCVT", 12, LOWER, 0, VALL), U("DPB", 0, LOWER, 0, VALL),
	END
};
static const struct ftr isar2[] = {
	U("BC", 20, LOWER, 0, VALL), U("RPRES", 4, LOWER, 0, VALL),
	U("WFxT", 0, LOWER, 0, VALL),
	END
};
static const struct ftr pfr0[] = {
	U("CSV3", 60, LOWER, 0, VALL), U("CSV2", 56, LOWER, 0, VALL),
	U("DIT", 48, LOWER, 0, VALL), U("SEL2", 36, LOWER, 0, VALL),
	U("GIC", 24, EXACT, 0, VALL),
	/* the EL fields: safe 1 in the newest list, 0 in the older one */
	U("EL3", 12, LOWER, 1, V73), U("EL3", 12, LOWER, 0, V612),
	U("EL2", 8, LOWER, 1, V73), U("EL2", 8, LOWER, 0, V612),
	U("EL1", 4, LOWER, 1, V73), U("EL1", 4, LOWER, 0, V612),
	U("EL0", 0, LOWER, 1, V73), U("EL0", 0, LOWER, 0, V612),
	END
};
static const struct ftr pfr1[] = {
	U("DF2", 56, LOWER, 0, V73), U("CSV2_frac", 32, LOWER, 0, VALL),
	U("SSBS", 4, LOWER, 0, VALL), U("BT", 0, LOWER, 0, VALL),
	END
};
static const struct ftr mmfr0[] = {
	U("ECV", 60, LOWER, 0, VALL), U("EXS", 44, LOWER, 0, VALL),
	U("TGRAN4_2", 40, EXACT, 1, V73), U("TGRAN64_2", 36, EXACT, 1, V73),
	U("TGRAN16_2", 32, EXACT, 1, V73),
	S("TGRAN4", 28, LOWER, 0, VALL), S("TGRAN64", 24, LOWER, 0, VALL),
	U("TGRAN16", 20, LOWER, 0, VALL), U("BIGENDEL0", 16, LOWER, 0, VALL),
	U("SNSMEM", 12, LOWER, 0, VALL), U("BIGEND", 8, LOWER, 0, VALL),
	U("ASIDBITS", 4, LOWER, 0, V612), U("PARANGE", 0, LOWER, 0, VALL),
	END
};
static const struct ftr mmfr1[] = {
	U("TIDCP1", 52, LOWER, 0, VALL), U("AFP", 44, LOWER, 0, VALL),
	U("ETS", 36, LOWER, 0, VALL), U("SpecSEI", 24, HIGHER, 0, VALL),
	U("PAN", 20, LOWER, 0, VALL), U("LO", 16, LOWER, 0, VALL),
	U("HPDS", 12, LOWER, 0, VALL), U("HAFDBS", 0, LOWER, 0, VALL),
	END
};
static const struct ftr mmfr2[] = {
	U("E0PD", 60, LOWER, 0, VALL), U("BBM", 52, LOWER, 0, VALL),
	U("TTL", 48, LOWER, 0, VALL), U("AT", 32, LOWER, 0, VALL),
	U("ST", 28, LOWER, 0, VALL), U("VARange", 16, LOWER, 0, VALL),
	U("IESB", 12, LOWER, 0, VALL), U("LSM", 8, LOWER, 0, VALL),
	U("UAO", 4, LOWER, 0, VALL), U("CnP", 0, LOWER, 0, VALL),
	END
};
static const struct ftr mmfr3[] = {
	U("S1POE", 16, LOWER, 0, V73), U("S1PIE", 8, LOWER, 0, V73),
	U("SCTLRX", 4, LOWER, 0, V73), U("TCRX", 0, LOWER, 0, V73),
	END
};
static const struct ftr zfr0[] = {
	U("F64MM", 56, LOWER, 0, VALL), U("F32MM", 52, LOWER, 0, VALL),
	U("I8MM", 44, LOWER, 0, VALL), U("SM4", 40, LOWER, 0, VALL),
	U("SHA3", 32, LOWER, 0, VALL), U("BF16", 20, LOWER, 0, VALL),
	U("BitPerm", 16, LOWER, 0, VALL), U("AES", 4, LOWER, 0, VALL),
	U("SVEver", 0, LOWER, 0, VALL),
	END
};

#define E_MIDR		IDREGS_ENC(3, 0, 0, 0, 0)
#define E_MPIDR		IDREGS_ENC(3, 0, 0, 0, 5)
#define E_REVIDR	IDREGS_ENC(3, 0, 0, 0, 6)
#define E_ID_DFR0	IDREGS_ENC(3, 0, 0, 1, 2)
#define E_PFR0		IDREGS_ENC(3, 0, 0, 4, 0)
#define E_PFR1		IDREGS_ENC(3, 0, 0, 4, 1)
#define E_ZFR0		IDREGS_ENC(3, 0, 0, 4, 4)
#define E_DFR0		IDREGS_ENC(3, 0, 0, 5, 0)
#define E_ISAR0		IDREGS_ENC(3, 0, 0, 6, 0)
#define E_ISAR1		IDREGS_ENC(3, 0, 0, 6, 1)
#define E_ISAR2		IDREGS_ENC(3, 0, 0, 6, 2)
#define E_MMFR0		IDREGS_ENC(3, 0, 0, 7, 0)
#define E_MMFR1		IDREGS_ENC(3, 0, 0, 7, 1)
#define E_MMFR2		IDREGS_ENC(3, 0, 0, 7, 2)
#define E_MMFR3		IDREGS_ENC(3, 0, 0, 7, 3)
#define E_CLIDR		IDREGS_ENC(3, 1, 0, 0, 1)
#define E_AIDR		IDREGS_ENC(3, 1, 0, 0, 7)
#define E_CTR		IDREGS_ENC(3, 3, 0, 0, 1)

/* in the selftest's order */
static const struct {
	uint16_t enc;
	const char *name;
	const struct ftr *f;
} test_regs[] = {
	{ E_DFR0, "ID_AA64DFR0_EL1", dfr0 },
	{ E_ID_DFR0, "ID_DFR0_EL1", id_dfr0 },
	{ E_ISAR0, "ID_AA64ISAR0_EL1", isar0 },
	{ E_ISAR1, "ID_AA64ISAR1_EL1", isar1 },
	{ E_ISAR2, "ID_AA64ISAR2_EL1", isar2 },
	{ E_PFR0, "ID_AA64PFR0_EL1", pfr0 },
	{ E_PFR1, "ID_AA64PFR1_EL1", pfr1 },
	{ E_MMFR0, "ID_AA64MMFR0_EL1", mmfr0 },
	{ E_MMFR1, "ID_AA64MMFR1_EL1", mmfr1 },
	{ E_MMFR2, "ID_AA64MMFR2_EL1", mmfr2 },
	{ E_MMFR3, "ID_AA64MMFR3_EL1", mmfr3 },
	{ E_ZFR0, "ID_AA64ZFR0_EL1", zfr0 },
};
#define NR_TEST_REGS (sizeof(test_regs) / sizeof(test_regs[0]))

/* ---- the invalid and safe values (Selftest matrix) ---- */

#define FMAX 0xfu

/*
 * The invalid field value. It may lie outside 0..0xF (f+1 of 0xF, f-1 of
 * 0); like the selftest, it is shifted into place without masking, so an
 * underflow sets every bit from the field upwards, which is invalid too.
 */
static int64_t invalid_value(const struct ftr *f, unsigned int v)
{
	if (f->sign && v == FMAX)
		return 0;	/* -1 (NI): 0 is higher */
	switch (f->type) {
	case EXACT:
		return (int64_t)(f->safe + 1u > v + 1u ? f->safe + 1u : v + 1u);
	case LOWER:
		return (int64_t)v + 1;
	case HIGHER:
		return (int64_t)v - 1;
	default:	/* HIGHER_OR_ZERO */
		if (!v)
			return f->sign ? FMAX - 1 : FMAX;
		return (int64_t)v - 1;
	}
}

static unsigned int safe_value(const struct ftr *f, unsigned int v)
{
	if (f->sign && v == FMAX)
		return v;	/* a signed NI field is left alone */
	switch (f->type) {
	case EXACT:
		return f->safe;
	case LOWER:
		return v > f->safe ? v - 1 : v;
	case HIGHER:
		return v < (f->sign ? FMAX - 1 : FMAX) ? v + 1 : v;
	default:	/* HIGHER_OR_ZERO */
		if (!f->sign && v == FMAX)
			return 0;
		if (!v || (f->sign && v == FMAX - 1))
			return v;
		return v + 1;
	}
}

/* ---- plumbing ---- */


static uint64_t get(struct idregs_vm *vm, uint16_t enc)
{
	uint64_t v = 0;
	int r = idregs_vcpu_get(vm, 0, idregs_sysreg_id(enc), &v);

	if (r)
		fail_msg("[%s] get %#x: %s", ctx, enc, ename(r));
	return v;
}

static int set(struct idregs_vm *vm, uint16_t enc, uint64_t v)
{
	return idregs_vcpu_set(vm, 0, idregs_sysreg_id(enc), v);
}

/* The last value userspace stored, per feature-ID space index. */
static uint64_t last[IDREGS_SPACE_SIZE];

/* A write that must succeed and read back exactly. */
static void set_ok(struct idregs_vm *vm, uint16_t enc, uint64_t v)
{
	ERR(set(vm, enc, v), 0);
	EQ(get(vm, enc), v);
	last[idregs_space_index(enc)] = v;
}

struct result {
	unsigned int exercised, skipped, further, further_skipped;
};

/* Per-field steps 2 and 3 for one field. */
static void check_field(struct idregs_vm *vm, uint16_t enc, const struct ftr *f)
{
	uint64_t mask = 0xfULL << f->shift, old = get(vm, enc), val;
	unsigned int v = (unsigned int)((old & mask) >> f->shift);
	int64_t inv = invalid_value(f, v);

	/* an invalid value: EINVAL, register unchanged */
	val = (old & ~mask) | ((uint64_t)inv << f->shift);
	ERR(set(vm, enc, val), -EINVAL);
	EQ(get(vm, enc), old);
	/* a safe value: accepted, read back exactly */
	set_ok(vm, enc, (old & ~mask) | ((uint64_t)safe_value(f, v) << f->shift));
}

/* ---- further cases (Selftest matrix: Further cases) ---- */

/* test_vcpu_ftr_id_regs: CLIDR, CTR_EL0, MPIDR */
static void vcpu_ftr_id_regs(struct idregs_vm *vm, struct result *res)
{
	uint64_t clidr = get(vm, E_CLIDR), ctr, mpidr;
	unsigned int level;

	/* a unified cache (4) in the first empty Ctype */
	for (level = 0; level < 7; level++) {
		if (!((clidr >> (3 * level)) & 7)) {
			clidr |= 4ULL << (3 * level);
			break;
		}
	}
	assert_true(level < 7);
	set_ok(vm, E_CLIDR, clidr);
	/* CTR_EL0: no DIC, and IminLine one lower if it is not 0 */
	ctr = get(vm, E_CTR) & ~(1ULL << 29);
	if (ctr & 0xf)
		ctr--;
	set_ok(vm, E_CTR, ctr);
	mpidr = get(vm, E_MPIDR) + 1;
	set_ok(vm, E_MPIDR, mpidr);
	res->further += 3;
}

/* test_vcpu_non_ftr_id_regs: MIDR, REVIDR, AIDR + 1 with the capability */
static void vcpu_non_ftr_id_regs(struct idregs_vm *vm, struct result *res)
{
	static const uint16_t regs[] = { E_MIDR, E_REVIDR, E_AIDR };
	size_t i;

	for (i = 0; i < 3; i++)
		set_ok(vm, regs[i], get(vm, regs[i]) + 1);
	res->further += 3;
}

/*
 * test_user_set_mpam_reg: 0 accepted; 1 accepted (and ignored) only if the
 * host has MPAM, else the step is a skip; 2 rejected. For PFR0.MPAM and
 * PFR1.MPAM_frac.
 */
static void user_set_mpam_reg(struct idregs_vm *vm, const uint64_t *masks,
			      const struct idregs_host *h, const char *base,
			      struct result *res)
{
	const struct idregs_regset *cpu = idregs_host_cpu(h, 0);

	static const struct {
		uint16_t enc;
		unsigned int shift;
	} f[] = { { E_PFR0, 40 }, { E_PFR1, 16 } };
	size_t i;

	for (i = 0; i < 2; i++) {
		int idx = idregs_space_index(f[i].enc);
		uint64_t m = 0xfULL << f[i].shift, val = get(vm, f[i].enc);
		/* the host's own (sanitised, single CPU type) value */
		bool host_has_1 = ((cpu->val[idx] >> f[i].shift) & 0xf) == 1;

		SETCTX("%s MPAM field at %u", base, f[i].shift);
		/* the test only runs when the field is not reported writable */
		EQ(masks[idx] & m, 0);
		EQ(val & m, 0);			/* hidden from the guest */
		set_ok(vm, f[i].enc, val & ~m);
		if (host_has_1) {
			ERR(set(vm, f[i].enc, (val & ~m) | (1ULL << f[i].shift)), 0);
			EQ(get(vm, f[i].enc), val & ~m);	/* ignored */
			res->further++;
		} else {
			ERR(set(vm, f[i].enc, (val & ~m) | (1ULL << f[i].shift)), -EINVAL);
			res->further_skipped++;
		}
		ERR(set(vm, f[i].enc, (val & ~m) | (2ULL << f[i].shift)), -EINVAL);
		EQ(get(vm, f[i].enc), val & ~m);
		res->further += 2;
	}
}

/*
 * test_user_set_mte_reg: with the MTE capability, MTE_frac not writable and
 * the vCPU showing MTE=2 with MTE_frac=0xF, writing MTE_frac=0 succeeds; the
 * register still reads 0xF (docs/kvm-model.md, Write path: Pre-checks).
 */
static void user_set_mte_reg(struct idregs_vm *vm, const uint64_t *masks,
			     bool mte_cap, struct result *res)
{
	uint64_t m = 0xfULL << 40, pfr1 = get(vm, E_PFR1);

	if (!mte_cap || (masks[idregs_space_index(E_PFR1)] & m) ||
	    ((pfr1 >> 8) & 0xf) != 2 || ((pfr1 >> 40) & 0xf) != 0xf) {
		res->further_skipped++;
		return;
	}
	ERR(set(vm, E_PFR1, pfr1 & ~m), 0);
	EQ(get(vm, E_PFR1), pfr1);
	res->further++;
}

/*
 * test_guest_reg_read: after the run, a guest MRS of each register returns
 * the value userspace wrote last.
 */
static void guest_reg_read(struct idregs_vm *vm, const char *k, struct result *res)
{
	static const uint16_t regs[] = {
		E_DFR0, E_ID_DFR0, E_ISAR0, E_ISAR1, E_ISAR2, E_PFR0, E_MMFR0,
		E_MMFR1, E_MMFR2, E_MMFR3, E_ZFR0, E_CTR, E_MIDR, E_REVIDR,
		E_AIDR,
	};
	/* with the in-kernel vGICv3 the first run sets PFR0.GIC again,
	 * whatever userspace wrote: 7.1 on (findings 24; real 7.1-7.3) */
	static const struct test_step run_sets_gic[] = {
		{ "6.12", false }, { "7.1", true },
	};
	bool gic_set = TEST_STEP(run_sets_gic, test_kernel(k));
	size_t i;

	ERR(idregs_vcpu_run(vm, 0), 0);
	for (i = 0; i < sizeof(regs) / sizeof(regs[0]); i++) {
		uint64_t v = 0xdeadbeef;

		ERR(idregs_vcpu_guest_access(vm, 0,
			idregs_esr_sysreg(regs[i], 1, true), &v), 0);
		if (regs[i] == E_PFR0 && gic_set)
			EQ(v, (last[idregs_space_index(regs[i])] & ~(0xfULL << 24)) | 1ULL << 24);
		else
			EQ(v, last[idregs_space_index(regs[i])]);
		EQ(v, get(vm, regs[i]));
	}
	res->further++;
}

/* test_reset_preserves_id_regs: a second KVM_ARM_VCPU_INIT changes nothing */
static void reset_preserves_id_regs(struct idregs_vm *vm, struct result *res)
{
	static const uint16_t more[] = {
		E_MPIDR, E_CLIDR, E_CTR, E_MIDR, E_REVIDR, E_AIDR,
	};
	uint64_t before[NR_TEST_REGS + 6];
	size_t i;

	for (i = 0; i < NR_TEST_REGS; i++)
		before[i] = get(vm, test_regs[i].enc);
	for (i = 0; i < 6; i++)
		before[NR_TEST_REGS + i] = get(vm, more[i]);
	ERR(idregs_vcpu_init(vm, 0, 0), 0);
	for (i = 0; i < NR_TEST_REGS; i++)
		EQ(get(vm, test_regs[i].enc), before[i]);
	for (i = 0; i < 6; i++)
		EQ(get(vm, more[i]), before[NR_TEST_REGS + i]);
	res->further++;
}

/* ---- the whole selftest on one host and release ---- */

/*
 * One run: the release, the version of the field list its own tree's
 * selftest has, and the counts it must give. The lists are those of 6.12
 * and 7.3 only, so no release in between is run.
 */
struct run {
	const char *kernel;
	unsigned int list;
	unsigned int exercised, skipped, further_skipped;
};

static struct result run_selftest(const struct idregs_host *h, const char *k,
				  unsigned int list)
{
	struct idregs_reg_mask_range rng;
	uint64_t masks[IDREGS_SPACE_SIZE];
	struct result res = { 0, 0, 0, 0 };
	struct idregs_vm *vm = NULL;
	bool aarch64_only, mte_cap;
	size_t i, j;
	char base[64];

	snprintf(base, sizeof(base), "%s %s", k, idregs_host_name(h));
	SETCTX("%s", base);
	/* Selftest matrix: Setup. One VM, one vCPU. The newest version needs
	 * (and enables) the writable implementation-ID capability; MTE is
	 * enabled if offered. The VM has a vGICv3 so that the run keeps the
	 * GIC fields. */
	ERR(idregs_vm_create(h, test_kernel(k), &vm), 0);
	if (list == V73)
		ERR(idregs_vm_enable_cap(vm, IDREGS_CAP_ARM_WRITABLE_IMP_ID_REGS), 0);
	mte_cap = !idregs_vm_enable_cap(vm, IDREGS_CAP_ARM_MTE);
	ERR(idregs_vm_create_vgic_v3(vm), 0);
	ERR(idregs_vcpu_create(vm, 0), 0);
	ERR(idregs_vcpu_init(vm, 0, 0), 0);
	for (i = 0; i < IDREGS_SPACE_SIZE; i++) {
		uint16_t enc = idregs_space_enc((unsigned int)i);
		uint64_t v = 0;

		last[i] = idregs_vcpu_get(vm, 0, idregs_sysreg_id(enc), &v) ? 0 : v;
	}

	/* Selftest matrix: Setup: reserved words must be 0, then the masks */
	memset(&rng, 0, sizeof(rng));
	rng.reserved[0] = 1;
	ERR(idregs_vm_writable_masks(vm, &rng, masks), -EINVAL);
	rng.reserved[0] = 0;
	ERR(idregs_vm_writable_masks(vm, &rng, masks), 0);

	aarch64_only = (get(vm, E_PFR0) & 0xf) == 1;	/* PFR0.EL0 == IMP */
	for (i = 0; i < NR_TEST_REGS; i++) {
		uint64_t mask = masks[idregs_space_index(test_regs[i].enc)];

		for (j = 0; test_regs[i].f[j].name; j++) {
			const struct ftr *f = &test_regs[i].f[j];
			uint64_t fm = 0xfULL << f->shift;

			if (!(f->lists & list))
				continue;	/* not in this version of the list */
			if ((aarch64_only && IDREGS_ENC_CRM(test_regs[i].enc) < 4) ||
			    (mask & fm) != fm) {
				res.skipped++;
				continue;
			}
			SETCTX("%s %s.%s", base, test_regs[i].name, f->name);
			check_field(vm, test_regs[i].enc, f);
			res.exercised++;
		}
	}

	SETCTX("%s vcpu ftr regs", base);
	vcpu_ftr_id_regs(vm, &res);
	if (list == V73) {
		SETCTX("%s MIDR/REVIDR/AIDR", base);
		vcpu_non_ftr_id_regs(vm, &res);
	}
	SETCTX("%s", base);
	user_set_mpam_reg(vm, masks, h, base, &res);
	if (list == V73) {
		SETCTX("%s MTE_frac", base);
		user_set_mte_reg(vm, masks, mte_cap, &res);
	}
	SETCTX("%s guest reads", base);
	guest_reg_read(vm, k, &res);
	SETCTX("%s reset", base);
	reset_preserves_id_regs(vm, &res);
	idregs_vm_destroy(vm);

	printf("set_id_regs %-4s on %-24s %3u fields exercised, %u skipped; "
	       "further cases %u passed, %u skipped\n", k, idregs_host_name(h),
	       res.exercised, res.skipped, res.further, res.further_skipped);
	return res;
}

static void check_runs(const char *host, const struct run *runs, size_t n)
{
	struct idregs_host *h = test_host(host);
	size_t i;

	for (i = 0; i < n; i++) {
		struct result res = run_selftest(h, runs[i].kernel, runs[i].list);

		SETCTX("%s %s", runs[i].kernel, host);
		EQ(res.exercised, runs[i].exercised);
		EQ(res.skipped, runs[i].skipped);
		EQ(res.further_skipped, runs[i].further_skipped);
	}
	idregs_host_free(h);
}

/*
 * neoverse-n1 (AArch32 at EL0). Counts from the lists and the observed
 * masks: 7.3 lists 92 fields, TME (27:24) is outside its ISAR0 mask; 6.12's
 * older list has 85, ASIDBITS is outside its MMFR0 mask. Further cases
 * skipped: MPAM=1 and MPAM_frac=1 (no MPAM here), and on 7.3 MTE_frac (no
 * MTE).
 */
static void test_matrix_neoverse_n1(void **state)
{
	static const struct run runs[] = {
		{ "7.3", V73, 91, 1, 3 }, { "6.12", V612, 84, 1, 2 },
	};

	(void)state;
	check_runs("neoverse-n1", runs, sizeof(runs) / sizeof(runs[0]));
}

/* A64FX: AArch64-only, so the two ID_DFR0_EL1 fields are skipped too;
 * further cases as on neoverse-n1. */
static void test_matrix_a64fx(void **state)
{
	static const struct run runs[] = {
		{ "7.3", V73, 89, 3, 3 }, { "6.12", V612, 82, 3, 2 },
	};

	(void)state;
	check_runs("a64fx", runs, sizeof(runs) / sizeof(runs[0]));
}

/* neoverse-v1 has MPAM (not MPAM_frac): PFR0.MPAM=1 is accepted and
 * ignored instead of skipped; MPAM_frac=1 is skipped, and on 7.3 MTE_frac
 * too (no MTE here). Its fields are counted as on neoverse-n1. */
static void test_matrix_mpam_host(void **state)
{
	static const struct run runs[] = {
		{ "7.3", V73, 91, 1, 2 }, { "6.12", V612, 84, 1, 1 },
	};

	(void)state;
	check_runs("neoverse-v1", runs, sizeof(runs) / sizeof(runs[0]));
}

/*
 * MTE_frac (Selftest matrix: Further cases; newest selftest): a host with
 * MTE2 and MTE_frac NI. Built from neoverse-n2 with
 * ID_AA64PFR1_EL1.MTE_frac = 0xF.
 */
static void test_mte_frac(void **state)
{
	struct idregs_host *n2 = test_host("neoverse-n2"), *h = NULL;
	const struct idregs_regset *cpu = idregs_host_cpu(n2, 0);
	struct idregs_error err;
	struct idregs_vm *vm = NULL;
	uint64_t masks[IDREGS_SPACE_SIZE], pfr1;
	struct idregs_reg_mask_range rng;
	struct result res = { 0, 0, 0, 0 };
	char json[8192], name[24];
	size_t len, i;
	const char *sep = "";

	(void)state;
	len = (size_t)snprintf(json, sizeof(json),
		"{\"format\":\"idregs-host/1\",\"name\":\"n2-mte-frac-ni\","
		"\"kind\":\"raw\",\"mode\":\"vhe\",\"cpus\":[{");
	for (i = 0; i < IDREGS_SPACE_SIZE; i++) {
		uint64_t v = cpu->val[i];

		if (i == (size_t)idregs_space_index(E_PFR1))
			v |= 0xfULL << 40;
		if (!v)
			continue;
		len += (size_t)snprintf(json + len, sizeof(json) - len,
			"%s\"%s\":\"0x%016llx\"", sep,
			idregs_reg_name(idregs_space_enc((unsigned int)i), name),
			(unsigned long long)v);
		sep = ",";
	}
	len += (size_t)snprintf(json + len, sizeof(json) - len, "}]}");
	assert_true(len < sizeof(json));
	if (idregs_host_parse(json, len, "n2-mte-frac-ni", &h, &err))
		fail_msg("host: %s", err.msg);

	SETCTX("7.3 n2 with MTE_frac NI");
	ERR(idregs_vm_create(h, test_kernel("7.3"), &vm), 0);
	ERR(idregs_vm_enable_cap(vm, IDREGS_CAP_ARM_MTE), 0);
	ERR(idregs_vcpu_create(vm, 0), 0);
	ERR(idregs_vcpu_init(vm, 0, 0), 0);
	memset(&rng, 0, sizeof(rng));
	ERR(idregs_vm_writable_masks(vm, &rng, masks), 0);
	pfr1 = get(vm, E_PFR1);
	EQ((pfr1 >> 8) & 0xf, 2);
	EQ((pfr1 >> 40) & 0xf, 0xf);
	user_set_mte_reg(vm, masks, true, &res);
	EQ(res.further, 1);
	EQ(res.further_skipped, 0);
	/* any other MTE_frac value is refused */
	ERR(set(vm, E_PFR1, (pfr1 & ~(0xfULL << 40)) | (1ULL << 40)), -EINVAL);
	EQ(get(vm, E_PFR1), pfr1);
	idregs_vm_destroy(vm);
	idregs_host_free(h);
	idregs_host_free(n2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_matrix_neoverse_n1),
		cmocka_unit_test(test_matrix_a64fx),
		cmocka_unit_test(test_matrix_mpam_host),
		cmocka_unit_test(test_mte_frac),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
