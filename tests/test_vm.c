// SPDX-License-Identifier: MIT
/*
 * The VM register file, per kernel release: errno paths, writable masks, the
 * lifecycle, the generic write check and the per-register special cases, RAZ
 * registers, the limit adjustments, guest access and KVM_GET_REG_LIST.
 *
 * Sources of the expected behaviour, strongest first: what real KVM did
 * (docs/findings.md and the harness's real-KVM result files and probes in
 * harness/results), then docs/kvm-model.md (its sections are named below).
 * Every case runs on each release below, all of them verified on Debian's
 * kernels; where the releases differ, the expectation is a table of
 * {since, expected} steps (test_step()) citing the finding ("findings N"
 * is finding N of docs/findings.md).
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>

#include "testutil.h"

#include "internal.h"	/* white box: the generic check on a synthetic mask */

/* ---- encodings (op0.op1.crn.crm.op2) ---- */

#define E_MIDR		IDREGS_ENC(3, 0, 0, 0, 0)
#define E_MPIDR		IDREGS_ENC(3, 0, 0, 0, 5)
#define E_REVIDR	IDREGS_ENC(3, 0, 0, 0, 6)
#define E_ID_PFR0	IDREGS_ENC(3, 0, 0, 1, 0)
#define E_ID_PFR1	IDREGS_ENC(3, 0, 0, 1, 1)
#define E_ID_DFR0	IDREGS_ENC(3, 0, 0, 1, 2)
#define E_ID_AFR0	IDREGS_ENC(3, 0, 0, 1, 3)
#define E_ID_ISAR0	IDREGS_ENC(3, 0, 0, 2, 0)
#define E_ID_MMFR4	IDREGS_ENC(3, 0, 0, 2, 6)
#define E_ID_DFR1	IDREGS_ENC(3, 0, 0, 3, 5)
#define E_PFR0		IDREGS_ENC(3, 0, 0, 4, 0)
#define E_PFR1		IDREGS_ENC(3, 0, 0, 4, 1)
#define E_PFR2		IDREGS_ENC(3, 0, 0, 4, 2)
#define E_ZFR0		IDREGS_ENC(3, 0, 0, 4, 4)
#define E_SMFR0		IDREGS_ENC(3, 0, 0, 4, 5)
#define E_FPFR0		IDREGS_ENC(3, 0, 0, 4, 7)
#define E_DFR0		IDREGS_ENC(3, 0, 0, 5, 0)
#define E_AFR0		IDREGS_ENC(3, 0, 0, 5, 4)
#define E_AFR1		IDREGS_ENC(3, 0, 0, 5, 5)
#define E_ISAR0		IDREGS_ENC(3, 0, 0, 6, 0)
#define E_ISAR1		IDREGS_ENC(3, 0, 0, 6, 1)
#define E_ISAR2		IDREGS_ENC(3, 0, 0, 6, 2)
#define E_ISAR3		IDREGS_ENC(3, 0, 0, 6, 3)
#define E_MMFR0		IDREGS_ENC(3, 0, 0, 7, 0)
#define E_MMFR1		IDREGS_ENC(3, 0, 0, 7, 1)
#define E_MMFR2		IDREGS_ENC(3, 0, 0, 7, 2)
#define E_MMFR3		IDREGS_ENC(3, 0, 0, 7, 3)
#define E_MMFR4		IDREGS_ENC(3, 0, 0, 7, 4)
#define E_CLIDR		IDREGS_ENC(3, 1, 0, 0, 1)
#define E_AIDR		IDREGS_ENC(3, 1, 0, 0, 7)
#define E_CTR		IDREGS_ENC(3, 3, 0, 0, 1)

#define ID(enc)		idregs_sysreg_id(enc)

/* releases with real-KVM results (harness/results), 6.12.91 to 7.3 */
static const char *const releases[] = { "6.12", "6.16", "6.18", "7.0", "7.3" };
#define NR_RELEASES (sizeof(releases) / sizeof(releases[0]))


/* ---- register access helpers ---- */

static uint64_t get(struct idregs_vm *vm, unsigned int vcpu, uint16_t enc)
{
	uint64_t v = 0;
	int r = idregs_vcpu_get(vm, vcpu, ID(enc), &v);

	if (r)
		fail_msg("[%s] get of %#x on vCPU %u: %s", ctx, enc, vcpu, ename(r));
	return v;
}

static int set(struct idregs_vm *vm, unsigned int vcpu, uint16_t enc, uint64_t v)
{
	return idregs_vcpu_set(vm, vcpu, ID(enc), v);
}

static uint64_t fld(uint64_t v, unsigned int shift)
{
	return (v >> shift) & 0xf;
}

static uint64_t with(uint64_t v, unsigned int shift, uint64_t f)
{
	return (v & ~(0xfULL << shift)) | ((f & 0xf) << shift);
}

/*
 * Write val and check the outcome: err, and the register afterwards (the
 * value written on success, the old value when refused).
 */
#define EXPECT_SET(vm, vcpu, enc, val, err) do {			\
	uint64_t o_ = get(vm, vcpu, enc), v_ = (val);			\
	int e2_ = (err);						\
	ERR(set(vm, vcpu, enc, v_), e2_);				\
	EQ(get(vm, vcpu, enc), e2_ ? o_ : v_);				\
} while (0)

/* The same for one 4-bit field of the current value (vCPU 0). */
#define EXPECT_FIELD(vm, enc, shift, f, err)				\
	EXPECT_SET(vm, 0, enc, with(get(vm, 0, enc), shift, f), err)

/* A write that is accepted but stored as `stored` (accept-and-rewrite). */
#define EXPECT_STORED(vm, enc, val, stored) do {			\
	ERR(set(vm, 0, enc, (val)), 0);					\
	EQ(get(vm, 0, enc), (stored));					\
} while (0)

/* ---- hosts ---- */

struct ovr {
	uint16_t enc;
	uint64_t val;
};

/*
 * A raw host profile made from a built-in one (its first CPU type) with some
 * registers replaced, written out as idregs-host/1 JSON and parsed back.
 */
static struct idregs_host *derived_host(const char *base, const char *mode,
					const struct ovr *ov, size_t n)
{
	struct idregs_host *b = test_host(base), *h = NULL;
	struct idregs_regset rs = *idregs_host_cpu(b, 0);
	struct idregs_error err;
	size_t cap = 32768, len, i;
	char *json = malloc(cap), name[24];
	const char *sep = "";

	assert_non_null(json);
	for (i = 0; i < n; i++)
		rs.val[idregs_space_index(ov[i].enc)] = ov[i].val;
	len = (size_t)snprintf(json, cap,
		"{\"format\":\"idregs-host/1\",\"name\":\"%s-derived\","
		"\"kind\":\"raw\",\"mode\":\"%s\",\"cpus\":[{", base, mode);
	for (i = 0; i < IDREGS_SPACE_SIZE; i++) {
		if (!rs.val[i])
			continue;
		len += (size_t)snprintf(json + len, cap - len, "%s\"%s\":\"0x%016llx\"",
			sep, idregs_reg_name(idregs_space_enc((unsigned int)i), name),
			(unsigned long long)rs.val[i]);
		sep = ",";
	}
	len += (size_t)snprintf(json + len, cap - len, "}]}");
	assert_true(len < cap);
	if (idregs_host_parse(json, len, "derived", &h, &err))
		fail_msg("derived host from %s: %s", base, err.msg);
	free(json);
	idregs_host_free(b);
	return h;
}

/* A VM on host h under release k with vCPU 0 initialised with features. */
static struct idregs_vm *vm0(const struct idregs_host *h, const char *k,
			     uint32_t features)
{
	return test_vm(h, k, features);
}

static struct idregs_vm *bare_vm(const struct idregs_host *h, const char *k)
{
	struct idregs_vm *vm = NULL;

	ERR(idregs_vm_create(h, test_kernel(k), &vm), 0);
	return vm;
}

static void add_vcpu(struct idregs_vm *vm, unsigned int id, uint32_t features)
{
	ERR(idregs_vcpu_create(vm, id), 0);
	ERR(idregs_vcpu_init(vm, id, features), 0);
}

/* ======================================================================
 * errno paths
 * ====================================================================== */

/* Lifecycle: ONE_REG, REG_LIST and RUN before KVM_ARM_VCPU_INIT are
 * ENOEXEC. */
static void test_enoexec_before_init(void **state)
{
	struct idregs_host *h = test_host("neoverse-n1");
	size_t r;

	(void)state;
	for (r = 0; r < NR_RELEASES; r++) {
		struct idregs_vm *vm = bare_vm(h, releases[r]);
		uint64_t v = 0x5a, ids[64];
		size_t n = 64;

		SETCTX("%s neoverse-n1", releases[r]);
		ERR(idregs_vcpu_create(vm, 0), 0);
		ERR(idregs_vcpu_get(vm, 0, ID(E_PFR0), &v), -ENOEXEC);
		EQ(v, 0x5a);
		ERR(idregs_vcpu_set(vm, 0, ID(E_PFR0), 0), -ENOEXEC);
		ERR(idregs_vcpu_set(vm, 0, ID(E_MPIDR), 0), -ENOEXEC);
		ERR(idregs_vcpu_reg_list(vm, 0, ids, &n), -ENOEXEC);
		ERR(idregs_vcpu_run(vm, 0), -ENOEXEC);
		ERR(idregs_vcpu_finalize(vm, 0), -ENOEXEC);
		ERR(idregs_vcpu_pmu_init(vm, 0), -ENOEXEC);
		assert_false(idregs_vm_has_run(vm));
		/* the init check comes before the id is looked at (User reads) */
		ERR(idregs_vcpu_get(vm, 0, 0x613000000013c020ULL, &v), -ENOEXEC);
		ERR(idregs_vcpu_set(vm, 0, 0x602000000013c020ULL, 0), -ENOEXEC);

		/* another vCPU's init does not initialise this one */
		add_vcpu(vm, 1, 0);
		ERR(idregs_vcpu_get(vm, 0, ID(E_PFR0), &v), -ENOEXEC);
		ERR(idregs_vcpu_get(vm, 1, ID(E_PFR0), &v), 0);
		ERR(idregs_vcpu_init(vm, 0, 0), 0);
		ERR(idregs_vcpu_get(vm, 0, ID(E_PFR0), &v), 0);
		idregs_vm_destroy(vm);
	}
	idregs_host_free(h);
}

/* ONE_REG ids: how a malformed id is refused, for get and for set. */
static void test_one_reg_id_errors(void **state)
{
	static const struct {
		uint64_t id;
		int err;
	} bad[] = {
		/* the top word without the size field must be 0x60000000 */
		{ 0x613000000013c020ULL, -EINVAL },	/* arch 0x61 */
		{ 0x003000000013c020ULL, -EINVAL },	/* arch 0 */
		{ 0x603000010013c020ULL, -EINVAL },	/* bit 32 (real KVM: EINVAL) */
		{ 0x603001000013c020ULL, -EINVAL },	/* bit 40 */
		/* sysregs are U64 only */
		{ 0x602000000013c020ULL, -ENOENT },	/* U32 */
		{ 0x600000000013c020ULL, -ENOENT },	/* U8 */
		{ 0x604000000013c020ULL, -ENOENT },	/* U128 */
		/* stray bits in the low word */
		{ 0x603000001013c020ULL, -ENOENT },	/* bit 28 */
		{ 0x603000008013c020ULL, -ENOENT },	/* bit 31 */
		{ 0x603000000012c020ULL, -ENOENT },	/* coproc 0x12 */
		/* another register class: outside the ID register file */
		{ 0x6030000000100040ULL, -EOPNOTSUPP },	/* core register */
	};
	/* encodings of the feature-ID space without a KVM descriptor */
	static const uint16_t unknown[] = {
		IDREGS_ENC(3, 0, 0, 0, 1), IDREGS_ENC(3, 0, 0, 0, 2),
		IDREGS_ENC(3, 0, 0, 0, 7), IDREGS_ENC(3, 1, 0, 0, 0),
		IDREGS_ENC(3, 1, 0, 0, 2), IDREGS_ENC(3, 3, 0, 0, 7),
		IDREGS_ENC(3, 1, 0, 1, 0), IDREGS_ENC(3, 3, 0, 7, 7),
	};
	/* sysregs outside the space that KVM serves: not modelled */
	static const uint16_t outside[] = {
		IDREGS_ENC(3, 0, 1, 0, 0),	/* SCTLR_EL1 */
		IDREGS_ENC(3, 2, 0, 0, 0),	/* CSSELR_EL1 */
	};
	struct idregs_host *h = test_host("neoverse-n1");
	size_t r, i;

	(void)state;
	for (r = 0; r < NR_RELEASES; r++) {
		struct idregs_vm *vm = vm0(h, releases[r], 0);
		uint64_t pfr0 = get(vm, 0, E_PFR0), v;

		SETCTX("%s neoverse-n1", releases[r]);
		/* the well-formed id works */
		v = 0;
		ERR(idregs_vcpu_get(vm, 0, 0x603000000013c020ULL, &v), 0);
		EQ(v, pfr0);
		for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			SETCTX("%s id %#llx", releases[r], (unsigned long long)bad[i].id);
			v = 0x5a;
			ERR(idregs_vcpu_get(vm, 0, bad[i].id, &v), bad[i].err);
			EQ(v, 0x5a);
			ERR(idregs_vcpu_set(vm, 0, bad[i].id, 0), bad[i].err);
		}
		for (i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++) {
			SETCTX("%s unknown enc %#x", releases[r], unknown[i]);
			ERR(idregs_vcpu_get(vm, 0, ID(unknown[i]), &v), -ENOENT);
			ERR(idregs_vcpu_set(vm, 0, ID(unknown[i]), 0), -ENOENT);
		}
		for (i = 0; i < sizeof(outside) / sizeof(outside[0]); i++) {
			SETCTX("%s outside enc %#x", releases[r], outside[i]);
			ERR(idregs_vcpu_get(vm, 0, ID(outside[i]), &v), -EOPNOTSUPP);
			ERR(idregs_vcpu_set(vm, 0, ID(outside[i]), 0), -EOPNOTSUPP);
		}
		SETCTX("%s neoverse-n1", releases[r]);
		EQ(get(vm, 0, E_PFR0), pfr0);	/* nothing was written */
		idregs_vm_destroy(vm);
	}
	idregs_host_free(h);
}

/* Lifecycle: vCPU creation and init errors. */
static void test_vcpu_errors(void **state)
{
	struct idregs_host *n1 = test_host("neoverse-n1");
	struct idregs_host *v1 = test_host("neoverse-v1");
	struct idregs_host *fx = test_host("a64fx");
	struct idregs_host *a72 = test_host("cortex-a72");
	size_t r;

	(void)state;
	for (r = 0; r < NR_RELEASES; r++) {
		const char *k = releases[r];
		struct idregs_vm *vm = bare_vm(n1, k);
		uint64_t v;

		SETCTX("%s neoverse-n1", k);
		ERR(idregs_vcpu_create(vm, 0), 0);
		ERR(idregs_vcpu_create(vm, 0), -EEXIST);
		ERR(idregs_vcpu_create(vm, IDREGS_MAX_VCPUS), -EINVAL);
		/* features the host lacks */
		ERR(idregs_vcpu_init(vm, 0, IDREGS_FEAT_SVE), -EINVAL);
		ERR(idregs_vcpu_init(vm, 0, IDREGS_FEAT_EL1_32BIT), -EINVAL);
		/* a feature bit KVM does not know */
		ERR(idregs_vcpu_init(vm, 0, 1u << 8), -ENOENT);
		ERR(idregs_vcpu_init(vm, 0, IDREGS_FEAT_PMU_V3 | (1u << 8)), -ENOENT);
		/* failed inits leave the vCPU uninitialised and the VM unconfigured */
		ERR(idregs_vcpu_get(vm, 0, ID(E_PFR0), &v), -ENOEXEC);
		ERR(idregs_vcpu_init(vm, 0, IDREGS_FEAT_PMU_V3), 0);
		/* every vCPU must use the first init's features */
		ERR(idregs_vcpu_create(vm, 1), 0);
		ERR(idregs_vcpu_init(vm, 1, 0), -EINVAL);
		ERR(idregs_vcpu_get(vm, 1, ID(E_PFR0), &v), -ENOEXEC);
		ERR(idregs_vcpu_init(vm, 1, IDREGS_FEAT_PMU_V3), 0);
		/* re-init of vCPU 0 with other features is refused too */
		ERR(idregs_vcpu_init(vm, 0, 0), -EINVAL);
		idregs_vm_destroy(vm);

		/* pointer authentication needs both bits (neoverse-v1 has it) */
		SETCTX("%s neoverse-v1", k);
		vm = bare_vm(v1, k);
		ERR(idregs_vcpu_create(vm, 0), 0);
		ERR(idregs_vcpu_init(vm, 0, IDREGS_FEAT_PTRAUTH_ADDRESS), -EINVAL);
		ERR(idregs_vcpu_init(vm, 0, IDREGS_FEAT_PTRAUTH_GENERIC), -EINVAL);
		ERR(idregs_vcpu_init(vm, 0, IDREGS_FEAT_PTRAUTH), 0);
		idregs_vm_destroy(vm);

		/* 32-bit EL1: refused without AArch32 EL1, accepted on cortex-a72 */
		SETCTX("%s a64fx", k);
		vm = bare_vm(fx, k);
		ERR(idregs_vcpu_create(vm, 0), 0);
		ERR(idregs_vcpu_init(vm, 0, IDREGS_FEAT_EL1_32BIT), -EINVAL);
		idregs_vm_destroy(vm);
		SETCTX("%s cortex-a72", k);
		vm = bare_vm(a72, k);
		ERR(idregs_vcpu_create(vm, 0), 0);
		ERR(idregs_vcpu_init(vm, 0, IDREGS_FEAT_EL1_32BIT), 0);
		idregs_vm_destroy(vm);
	}
	idregs_host_free(n1);
	idregs_host_free(v1);
	idregs_host_free(fx);
	idregs_host_free(a72);
}

/*
 * Lifecycle, After the first run: after the first run of any vCPU a
 * different value is EBUSY through every vCPU, the identical value is 0.
 * Per-register pre-checks still run first (real KVM after-run results).
 */
static void test_ebusy_after_run(void **state)
{
	/* PFR0.EL0 = 0: the EL0/EL1 pre-check arrived in 6.15 (findings 2;
	 * real after-run results, line 5: EBUSY on 6.12, EINVAL from 6.16) */
	static const struct test_step pfr0_el0[] = {
		{ "6.12", -EBUSY }, { "6.15", -EINVAL },
	};
	/* CTR_EL0 = 0 (L1Ip VPIPT): the L1Ip pre-check arrived in 6.13
	 * (findings 3; after-run results, line 9: EBUSY on 6.12, EINVAL
	 * from 6.16) */
	static const struct test_step ctr0[] = {
		{ "6.12", -EBUSY }, { "6.13", -EINVAL },
	};
	struct idregs_host *h = test_host("neoverse-n1");
	size_t r;

	(void)state;
	for (r = 0; r < NR_RELEASES; r++) {
		const char *k = releases[r];
		unsigned int kernel = test_kernel(k);
		struct idregs_vm *vm = vm0(h, k, 0);
		uint64_t isar0, pfr0, ctr, clidr, v;

		SETCTX("%s neoverse-n1", k);
		add_vcpu(vm, 1, 0);
		/* before the run: AES 2 -> 1 is fine */
		isar0 = with(get(vm, 0, E_ISAR0), 4, 1);
		EXPECT_SET(vm, 0, E_ISAR0, isar0, 0);

		ERR(idregs_vcpu_run(vm, 1), 0);	/* vCPU 1 runs ... */
		assert_true(idregs_vm_has_run(vm));
		/* ... and writes through vCPU 0 are frozen */
		EXPECT_SET(vm, 0, E_ISAR0, with(isar0, 4, 0), -EBUSY);
		EXPECT_SET(vm, 1, E_ISAR0, with(isar0, 4, 0), -EBUSY);
		EXPECT_SET(vm, 0, E_ISAR0, isar0, 0);
		EXPECT_SET(vm, 1, E_ISAR0, isar0, 0);
		/* EBUSY comes before the feature check: an invalid value and the
		 * former limit are both EBUSY */
		EXPECT_SET(vm, 0, E_ISAR0, with(isar0, 4, 3), -EBUSY);
		EXPECT_SET(vm, 0, E_ISAR0, with(isar0, 4, 2), -EBUSY);
		/* a RAZ slot: 0 is identical, 1 is EBUSY (real KVM) */
		EXPECT_SET(vm, 0, IDREGS_ENC(3, 0, 0, 3, 3), 1, -EBUSY);
		EXPECT_SET(vm, 0, IDREGS_ENC(3, 0, 0, 3, 3), 0, 0);
		/* pre-checks run before set_id_reg: DebugVer/CopDbg < 6 are EINVAL */
		EXPECT_SET(vm, 0, E_DFR0, 0, -EINVAL);
		EXPECT_SET(vm, 0, E_ID_DFR0, 0, -EINVAL);
		EXPECT_SET(vm, 0, E_DFR0, with(get(vm, 0, E_DFR0), 8, 1), -EBUSY);
		/* PFR0.EL0 = 0: EBUSY until the EL0/EL1 pre-check exists */
		pfr0 = get(vm, 0, E_PFR0);
		EXPECT_SET(vm, 0, E_PFR0, with(pfr0, 0, 0), TEST_STEP(pfr0_el0, kernel));
		EXPECT_SET(vm, 0, E_PFR0, 0, TEST_STEP(pfr0_el0, kernel));
		/* CTR_EL0 = 0: EBUSY until the L1Ip pre-check exists */
		ctr = get(vm, 0, E_CTR);
		EXPECT_SET(vm, 0, E_CTR, 0, TEST_STEP(ctr0, kernel));
		EXPECT_SET(vm, 0, E_CTR, ctr & ~0xfULL, -EBUSY);
		EXPECT_SET(vm, 0, E_CTR, ctr, 0);
		/* MIDR without the capability: EINVAL, not EBUSY (real KVM) */
		EXPECT_SET(vm, 0, E_MIDR, 0, -EINVAL);
		EXPECT_SET(vm, 0, E_MIDR, get(vm, 0, E_MIDR), 0);
		/* per-vCPU registers have no EBUSY rule */
		clidr = get(vm, 0, E_CLIDR);
		EXPECT_SET(vm, 0, E_CLIDR, clidr | (4ULL << 6), 0);
		EXPECT_SET(vm, 1, E_MPIDR, 0x1234, 0);
		/* new vCPUs can still be made; they see the frozen values */
		add_vcpu(vm, 2, 0);
		EQ(get(vm, 2, E_ISAR0), isar0);
		EXPECT_SET(vm, 2, E_ISAR0, with(isar0, 4, 0), -EBUSY);
		/* a second KVM_RUN is harmless */
		ERR(idregs_vcpu_run(vm, 1), 0);
		ERR(idregs_vcpu_run(vm, 0), 0);
		v = get(vm, 0, E_ISAR0);
		EQ(v, isar0);
		idregs_vm_destroy(vm);
	}
	idregs_host_free(h);
}

/* Register list: KVM_GET_REG_LIST. */
static void test_reg_list(void **state)
{
	/* MIDR, REVIDR and AIDR listed first: invariant until 6.15 (findings
	 * 14 and 20) */
	static const struct test_step invariant_first[] = {
		{ "6.11", true }, { "6.15", false },
	};
	struct idregs_host *n1 = test_host("neoverse-n1");
	struct idregs_host *v1 = test_host("neoverse-v1");
	size_t r, i;

	(void)state;
	for (r = 0; r < NR_RELEASES; r++) {
		const char *k = releases[r];
		struct idregs_vm *vm = vm0(n1, k, 0);
		uint64_t ids[100], want[62];
		unsigned int crm, op2;
		size_t n, nw = 0;
		bool inv_first;

		SETCTX("%s neoverse-n1", k);
		/* the 62 descriptors: CRm 1..7 (56, RAZ slots included), MIDR,
		 * MPIDR, REVIDR, CLIDR, AIDR, CTR; in ascending order, except
		 * that up to 6.14 KVM lists its invariant registers first
		 * (5.10-6.2 MIDR REVIDR CLIDR AIDR CTR, 6.3-6.10 without
		 * CLIDR, 6.11-6.14 MIDR REVIDR AIDR) */
		inv_first = TEST_STEP(invariant_first, test_kernel(k));
		if (inv_first) {
			want[nw++] = ID(E_MIDR);
			want[nw++] = ID(E_REVIDR);
			want[nw++] = ID(E_AIDR);
		}
		if (!inv_first)
			want[nw++] = ID(E_MIDR);
		want[nw++] = ID(E_MPIDR);
		if (!inv_first)
			want[nw++] = ID(E_REVIDR);
		for (crm = 1; crm <= 7; crm++)
			for (op2 = 0; op2 <= 7; op2++)
				want[nw++] = ID(IDREGS_ENC(3, 0, 0, crm, op2));
		want[nw++] = ID(E_CLIDR);
		if (!inv_first)
			want[nw++] = ID(E_AIDR);
		want[nw++] = ID(E_CTR);
		EQ(nw, 62);

		/* too small: E2BIG and the needed count */
		n = 0;
		ERR(idregs_vcpu_reg_list(vm, 0, ids, &n), -E2BIG);
		EQ(n, 62);
		n = 61;
		ERR(idregs_vcpu_reg_list(vm, 0, ids, &n), -E2BIG);
		EQ(n, 62);
		n = 100;
		memset(ids, 0, sizeof(ids));
		ERR(idregs_vcpu_reg_list(vm, 0, ids, &n), 0);
		EQ(n, 62);
		for (i = 0; i < 62; i++) {
			EQ(ids[i], want[i]);
			EQ(ids[i] & 0xffffffffffff0000ULL, 0x6030000000130000ULL);
		}
		EQ(ids[62], 0);		/* nothing written past the count */
		n = 62;
		ERR(idregs_vcpu_reg_list(vm, 0, ids, &n), 0);
		EQ(n, 62);
		/* every listed id can be read */
		for (i = 0; i < 62; i++) {
			uint64_t v;

			ERR(idregs_vcpu_get(vm, 0, ids[i], &v), 0);
		}
		idregs_vm_destroy(vm);

		/* an SVE vCPU must be finalised first: EPERM for the list and the
		 * run (Register list, First run) */
		SETCTX("%s neoverse-v1 sve", k);
		vm = bare_vm(v1, k);
		ERR(idregs_vcpu_create(vm, 0), 0);
		ERR(idregs_vcpu_init(vm, 0, IDREGS_FEAT_SVE), 0);
		n = 100;
		ERR(idregs_vcpu_reg_list(vm, 0, ids, &n), -EPERM);
		ERR(idregs_vcpu_run(vm, 0), -EPERM);
		assert_false(idregs_vm_has_run(vm));
		ERR(idregs_vcpu_finalize(vm, 0), 0);
		ERR(idregs_vcpu_finalize(vm, 0), -EPERM);	/* only once */
		n = 100;
		ERR(idregs_vcpu_reg_list(vm, 0, ids, &n), 0);
		EQ(n, 62);
		ERR(idregs_vcpu_run(vm, 0), 0);
		idregs_vm_destroy(vm);

		/* finalising a vCPU without SVE is EINVAL */
		SETCTX("%s neoverse-n1", k);
		vm = vm0(n1, k, 0);
		ERR(idregs_vcpu_finalize(vm, 0), -EINVAL);
		idregs_vm_destroy(vm);
	}
	idregs_host_free(n1);
	idregs_host_free(v1);
}

/* ======================================================================
 * KVM_ARM_GET_REG_WRITABLE_MASKS
 * ====================================================================== */

/*
 * What real KVM reported: harness/results/<series>-<cpu>-probe.json is a
 * probe of Debian's kernel of that series under QEMU's <cpu>; it names the
 * kernel ("kernel", as uname gave it) and the writable masks of a fresh VM
 * ("masks": a register left out has mask 0; an empty object comes from a
 * kernel without the ioctl, findings 17). Read here with sscanf, not with
 * the library's readers; only the names are looked up.
 */
struct probe {
	char kernel[64];
	unsigned int nr_masks;		/* registers in "masks" */
	uint64_t masks[IDREGS_SPACE_SIZE];
};

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = 0;
	fclose(f);
	return buf;
}

static void read_probe(const char *path, struct probe *p)
{
	char *doc = slurp(path), *s;

	if (!doc)
		fail_msg("cannot read %s", path);
	memset(p, 0, sizeof(*p));
	s = strstr(doc, "\"kernel\"");
	if (!s || sscanf(s, "\"kernel\" : \"%63[^\"]\"", p->kernel) != 1)
		fail_msg("%s: no kernel", path);
	s = strstr(doc, "\"masks\"");
	if (!s || !(s = strchr(s, '{')))
		fail_msg("%s: no masks", path);
	for (s++;; p->nr_masks++) {
		unsigned long long v;
		char name[32];
		int n = 0, idx = -1;
		uint16_t enc;

		s += strspn(s, " \t\r\n,");
		if (*s == '}')
			break;
		if (sscanf(s, "\"%31[^\"]\" : \"%llx\"%n", name, &v, &n) != 2 || !n)
			fail_msg("%s: cannot read the masks at \"%.24s\"", path, s);
		s += n;
		if (!idregs_reg_lookup(name, &enc))
			idx = idregs_space_index(enc);
		if (idx < 0)
			fail_msg("%s: masks.%s is no feature-ID register", path, name);
		p->masks[idx] = v;
	}
	free(doc);
}

/* Every slot of the VM's masks against the probe's. */
static void expect_masks(struct idregs_vm *vm, const struct probe *p,
			 const char *what)
{
	struct idregs_reg_mask_range rng;
	uint64_t masks[IDREGS_SPACE_SIZE];
	size_t i;

	SETCTX("%s", what);
	memset(&rng, 0, sizeof(rng));
	memset(masks, 0xa5, sizeof(masks));	/* every slot is rewritten */
	if (!p->nr_masks) {
		ERR(idregs_vm_writable_masks(vm, &rng, masks), -EINVAL);
		EQ(masks[0], 0xa5a5a5a5a5a5a5a5ULL);
		return;
	}
	ERR(idregs_vm_writable_masks(vm, &rng, masks), 0);
	for (i = 0; i < IDREGS_SPACE_SIZE; i++) {
		SETCTX("%s mask[%zu] (enc %#x)", what, i,
		       idregs_space_enc((unsigned int)i));
		EQ(masks[i], p->masks[i]);
	}
}

/* A VM under release k, before any vCPU (the masks are a VM ioctl) and then
 * with vCPU 0 initialised with features. */
static void check_probe_host(const struct idregs_host *h, unsigned int k,
			     uint32_t features, const struct probe *p,
			     const char *what)
{
	struct idregs_vm *vm = NULL;
	char buf[sizeof(ctx)];

	snprintf(buf, sizeof(buf), "%.60s (%s) %s features %#x", what, p->kernel,
		 idregs_host_name(h), features);
	SETCTX("%s", buf);
	ERR(idregs_vm_create(h, k, &vm), 0);
	expect_masks(vm, p, buf);
	add_vcpu(vm, 0, features);
	if (features & IDREGS_FEAT_SVE)
		ERR(idregs_vcpu_finalize(vm, 0), 0);
	expect_masks(vm, p, buf);
	idregs_vm_destroy(vm);
}

/*
 * The masks of every probe, under the release its kernel resolves to: on
 * the probed host itself and on the built-in profile of the same CPU, with
 * no vCPU feature and with the host's features (the masks do not depend on
 * them); on neoverse-v1 as on neoverse-n1, the masks being the same on
 * every host with AArch32 EL0 (findings 9).
 */
static void test_masks_observed(void **state)
{
	static const uint32_t sets[] = {
		0, IDREGS_FEAT_PMU_V3 | IDREGS_FEAT_SVE | IDREGS_FEAT_PTRAUTH,
		IDREGS_FEAT_EL1_32BIT,
	};
	/* the probes this test must not run without */
	static const char *const needed[] = {
		"6.12-neoverse-n1", "6.12-a64fx", "7.3-neoverse-n1", "7.3-a64fx",
	};
	unsigned int files = 0, seen = 0;
	struct dirent *de;
	size_t i;
	DIR *d;

	(void)state;
	d = opendir("harness/results");
	assert_non_null(d);
	while ((de = readdir(d))) {
		struct idregs_host *hosts[3] = { NULL };
		char path[512], cpu[64], want[64];
		size_t n = strlen(de->d_name);
		struct idregs_error err;
		size_t nh = 1, j;
		const char *dash;
		struct probe p;
		int k;

		if (n < 11 || strcmp(de->d_name + n - 11, "-probe.json"))
			continue;
		dash = strchr(de->d_name, '-');
		assert_non_null(dash);
		snprintf(cpu, sizeof(cpu), "%.*s", (int)(de->d_name + n - 11 - dash - 1),
			 dash + 1);
		snprintf(path, sizeof(path), "harness/results/%s", de->d_name);
		read_probe(path, &p);
		k = idregs_kernel_parse(p.kernel);
		if (k < 0)
			fail_msg("%s: kernel %s is no release", path, p.kernel);
		/* the probed host, the built-in profile of its CPU (QEMU's max
		 * has none), and neoverse-v1 beside neoverse-n1 */
		if (idregs_host_load(path, &hosts[0], &err))
			fail_msg("%s: %s", path, err.msg);
		if (!idregs_host_load(cpu, &hosts[nh], &err))
			nh++;
		if (!strcmp(cpu, "neoverse-n1"))
			hosts[nh++] = test_host("neoverse-v1");
		for (j = 0; j < nh; j++) {
			for (i = 0; i < sizeof(sets) / sizeof(sets[0]); i++) {
				uint32_t f = sets[i] & idregs_host_features(hosts[j]);

				if (!i || f)
					check_probe_host(hosts[j], (unsigned int)k, f, &p, path);
			}
			idregs_host_free(hosts[j]);
		}
		for (i = 0; i < sizeof(needed) / sizeof(needed[0]); i++) {
			snprintf(want, sizeof(want), "%s-probe.json", needed[i]);
			if (!strcmp(de->d_name, want))
				seen |= 1u << i;
		}
		files++;
	}
	closedir(d);
	assert_int_equal(seen, (1u << (sizeof(needed) / sizeof(needed[0]))) - 1);
	printf("masks: %u real-KVM probes\n", files);
}

/* Writable masks: range and reserved words must be 0; refused calls write
 * nothing. */
static void test_masks_errors(void **state)
{
	struct idregs_host *h = test_host("neoverse-n1");
	size_t r, i, j;

	(void)state;
	for (r = 0; r < NR_RELEASES; r++) {
		struct idregs_vm *vm = bare_vm(h, releases[r]);
		struct idregs_reg_mask_range rng;
		uint64_t masks[IDREGS_SPACE_SIZE];
		struct probe p;
		char path[64];

		/* a VM ioctl: works before any vCPU exists, with the masks
		 * real KVM reported for the series on neoverse-n1 */
		snprintf(path, sizeof(path), "harness/results/%s-neoverse-n1-probe.json",
			 releases[r]);
		read_probe(path, &p);
		SETCTX("%s neoverse-n1 (probe: %s)", releases[r], p.kernel);
		EQ(test_kernel(p.kernel), test_kernel(releases[r]));
		memset(&rng, 0, sizeof(rng));
		ERR(idregs_vm_writable_masks(vm, &rng, masks), 0);
		for (j = 0; j < IDREGS_SPACE_SIZE; j++)
			EQ(masks[j], p.masks[j]);
		/* MPIDR (index 5) has no mask */
		EQ(masks[5], 0);

		rng.range = 1;
		memset(masks, 0xa5, sizeof(masks));
		ERR(idregs_vm_writable_masks(vm, &rng, masks), -EINVAL);
		for (j = 0; j < IDREGS_SPACE_SIZE; j++)
			EQ(masks[j], 0xa5a5a5a5a5a5a5a5ULL);
		for (i = 0; i < 13; i++) {
			memset(&rng, 0, sizeof(rng));
			rng.reserved[i] = 1u << (i % 32);
			SETCTX("%s reserved[%zu]", releases[r], i);
			ERR(idregs_vm_writable_masks(vm, &rng, masks), -EINVAL);
			EQ(masks[0], 0xa5a5a5a5a5a5a5a5ULL);
		}
		idregs_vm_destroy(vm);
	}
	idregs_host_free(h);
}

/* ======================================================================
 * Lifecycle (docs/kvm-model.md, Lifecycle)
 * ====================================================================== */

/* Initial values: at the first init, once per VM; re-init keeps them. */
static void test_lifecycle_values(void **state)
{
	struct idregs_host *h = test_host("neoverse-n1");
	size_t r;

	(void)state;
	for (r = 0; r < NR_RELEASES; r++) {
		const char *k = releases[r];
		struct idregs_vm *vm = bare_vm(h, k);
		uint64_t isar0, mpidr, clidr, dfr0;

		SETCTX("%s neoverse-n1", k);
		ERR(idregs_vcpu_create(vm, 0), 0);
		ERR(idregs_vcpu_create(vm, 1), 0);
		/* vCPU 1 is initialised first: it fills the VM's values, with the
		 * PMU it asked for (PMUVer = host's 4) */
		ERR(idregs_vcpu_init(vm, 1, IDREGS_FEAT_PMU_V3), 0);
		dfr0 = get(vm, 1, E_DFR0);
		EQ(fld(dfr0, 8), 4);
		isar0 = with(get(vm, 1, E_ISAR0), 4, 0);
		EXPECT_SET(vm, 1, E_ISAR0, isar0, 0);
		/* vCPU 0's first init does not recompute the VM's values */
		ERR(idregs_vcpu_init(vm, 0, IDREGS_FEAT_PMU_V3), 0);
		EQ(get(vm, 0, E_ISAR0), isar0);
		EQ(get(vm, 0, E_DFR0), dfr0);
		/* but it gets its own per-vCPU registers */
		EQ(get(vm, 0, E_MPIDR), 0x80000000);
		EQ(get(vm, 1, E_MPIDR), 0x80000001);

		/* user values survive a re-init: VM regs, MPIDR, CLIDR */
		mpidr = 0x81000203;
		clidr = get(vm, 0, E_CLIDR) | (4ULL << 6);	/* Ctype3 unified */
		EXPECT_SET(vm, 0, E_MPIDR, mpidr, 0);
		EXPECT_SET(vm, 0, E_CLIDR, clidr, 0);
		ERR(idregs_vcpu_init(vm, 0, IDREGS_FEAT_PMU_V3), 0);
		EQ(get(vm, 0, E_ISAR0), isar0);
		EQ(get(vm, 0, E_MPIDR), mpidr);
		EQ(get(vm, 0, E_CLIDR), clidr);
		EQ(get(vm, 1, E_MPIDR), 0x80000001);
		/* a refused re-init changes nothing either */
		ERR(idregs_vcpu_init(vm, 0, 0), -EINVAL);
		EQ(get(vm, 0, E_ISAR0), isar0);
		EQ(get(vm, 0, E_MPIDR), mpidr);
		/* the VM value is shared: a write through vCPU 0 shows on vCPU 1 */
		EXPECT_SET(vm, 0, E_ISAR0, with(isar0, 8, 0), 0);
		EQ(get(vm, 1, E_ISAR0), with(isar0, 8, 0));
		idregs_vm_destroy(vm);
	}
	idregs_host_free(h);
}

/* Limits, Per-vCPU registers: MPIDR per vCPU, from the vCPU id; any value
 * accepted (Write path: CLIDR and MPIDR). */
static void test_mpidr(void **state)
{
	static const struct {
		unsigned int id;
		uint64_t mpidr;
	} ids[] = {
		{ 0, 0x80000000 }, { 1, 0x80000001 }, { 2, 0x80000002 },
		{ 15, 0x8000000f }, { 16, 0x80000100 }, { 17, 0x80000101 },
		{ 300, 0x8000120c },	/* Aff0 = 300 & 15, Aff1 = 300 >> 4 */
		{ 511, 0x80001f0f },
	};
	struct idregs_host *h = test_host("neoverse-n1");
	size_t r, i;

	(void)state;
	for (r = 0; r < NR_RELEASES; r++) {
		struct idregs_vm *vm = bare_vm(h, releases[r]);

		SETCTX("%s neoverse-n1", releases[r]);
		for (i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
			add_vcpu(vm, ids[i].id, 0);
			EQ(get(vm, ids[i].id, E_MPIDR), ids[i].mpidr);
		}
		/* any value, before ... */
		EXPECT_SET(vm, 0, E_MPIDR, 0, 0);
		EXPECT_SET(vm, 0, E_MPIDR, ~0ULL, 0);
		EQ(get(vm, 1, E_MPIDR), 0x80000001);	/* per vCPU */
		ERR(idregs_vcpu_run(vm, 1), 0);
		/* ... and after the run */
		EXPECT_SET(vm, 0, E_MPIDR, 7, 0);
		EXPECT_SET(vm, 1, E_MPIDR, 0x123456789abcdefULL, 0);
		idregs_vm_destroy(vm);
	}
	idregs_host_free(h);
}

/* CLIDR_EL1 made up from CTR_EL0 (and MTE): docs/kvm-model.md, Limits,
 * Per-vCPU registers. */
static uint64_t clidr_rule(uint64_t ctr, bool mte)
{
	bool idc = ctr & (1ULL << 28), dic = ctr & (1ULL << 29);
	uint64_t clidr, loc;

	if (idc) {
		loc = dic ? 1 : 2;			/* unified cache as LoC */
		clidr = 4ULL << (3 * (loc - 1));
	} else {
		loc = 1;				/* L1 data: LoUU, LoUIS, LoC */
		clidr = (1ULL << 27) | (1ULL << 21) | 2;
	}
	if (!dic)
		clidr |= 1;				/* L1 instruction cache */
	clidr |= loc << 24;
	if (mte)
		clidr |= 2ULL << (33 + 2 * (loc - 1));	/* Ttype<loc> */
	return clidr;
}

/* CLIDR_EL1: reset (Per-vCPU registers) and writes (CLIDR and MPIDR). */
static void test_clidr(void **state)
{
	/* neoverse-n1 with a CLIDR_EL1 (LoUU = LoUIS = 1) that needs cleans
	 * to the PoU: CTR_EL0.IDC stays 0 */
	static const struct ovr no_idc[] = {
		{ E_CLIDR, 0x000000000a200023ULL },
	};
	struct idregs_host *hosts[5];
	const char *names[5] = { "neoverse-n1", "cortex-a72", "neoverse-v1",
				 "a64fx", "n1 with CLIDR LoUU=1" };
	size_t r, i;

	(void)state;
	for (i = 0; i < 4; i++)
		hosts[i] = test_host(names[i]);
	hosts[4] = derived_host("neoverse-n1", "vhe", no_idc, 1);
	for (r = 0; r < NR_RELEASES; r++) {
		const char *k = releases[r];
		struct idregs_vm *vm;

		/* the reset value follows the rule for each host's CTR_EL0 */
		for (i = 0; i < 5; i++) {
			uint64_t ctr;

			SETCTX("%s %s", k, names[i]);
			vm = vm0(hosts[i], k, 0);
			ctr = get(vm, 0, E_CTR);
			EQ(get(vm, 0, E_CLIDR), clidr_rule(ctr, false));
			idregs_vm_destroy(vm);
		}

		/*
		 * neoverse-n1: its raw CTR_EL0 (0x8444c004) has IDC=0 but its
		 * CLIDR_EL1 (LoUU=LoUIS=0) makes IDC effective, so KVM shows
		 * CTR 0x9444c004 and CLIDR 0x02000021 (real KVM probe of QEMU's
		 * neoverse-n1 on every release here).
		 */
		SETCTX("%s neoverse-n1", k);
		vm = vm0(hosts[0], k, 0);
		EQ(get(vm, 0, E_CTR), 0x9444c004);
		EQ(get(vm, 0, E_CLIDR), 0x02000021);
		/* RES0 bits 63:47 */
		EXPECT_SET(vm, 0, E_CLIDR, 0x02000021 | (1ULL << 47), -EINVAL);
		EXPECT_SET(vm, 0, E_CLIDR, 0x02000021 | (1ULL << 63), -EINVAL);
		EXPECT_SET(vm, 0, E_CLIDR, 0x02000021 | (1ULL << 46), 0);
		/* the host has IDC: values implying IDC are fine, 0 included */
		EXPECT_SET(vm, 0, E_CLIDR, 0, 0);
		EXPECT_SET(vm, 0, E_CLIDR, 0x09200003, 0);
		/* per vCPU */
		add_vcpu(vm, 1, 0);
		EQ(get(vm, 1, E_CLIDR), 0x02000021);
		idregs_vm_destroy(vm);

		SETCTX("%s n1 with CLIDR LoUU=1", k);
		vm = vm0(hosts[4], k, 0);
		EQ(get(vm, 0, E_CTR), 0x8444c004);
		EQ(get(vm, 0, E_CLIDR), 0x09200003);
		idregs_vm_destroy(vm);

		/* cortex-a72: CTR.IDC=0 and no effective IDC */
		SETCTX("%s cortex-a72", k);
		vm = vm0(hosts[1], k, 0);
		EQ(get(vm, 0, E_CTR) & (1ULL << 28), 0);
		EQ(get(vm, 0, E_CLIDR), 0x09200003);
		/* LoC = 0 implies IDC */
		EXPECT_SET(vm, 0, E_CLIDR, 0x09200003 & ~(7ULL << 24), -EINVAL);
		/* LoUIS = LoUU = 0 implies IDC */
		EXPECT_SET(vm, 0, E_CLIDR, 0x01000003, -EINVAL);
		EXPECT_SET(vm, 0, E_CLIDR, 0, -EINVAL);
		/* LoUU = 0 alone (LoUIS = 1) does not */
		EXPECT_SET(vm, 0, E_CLIDR, 0x01200003, 0);
		EXPECT_SET(vm, 0, E_CLIDR, 0x0a200023, 0);
		EXPECT_SET(vm, 0, E_CLIDR, 0x0a200023 | (1ULL << 50), -EINVAL);
		/* the checks hold after the run too, and there is no EBUSY */
		ERR(idregs_vcpu_run(vm, 0), 0);
		EXPECT_SET(vm, 0, E_CLIDR, 0, -EINVAL);
		EXPECT_SET(vm, 0, E_CLIDR, 0x09200003, 0);
		idregs_vm_destroy(vm);
	}
	for (i = 0; i < 5; i++)
		idregs_host_free(hosts[i]);
}

/* First run: it clears the GIC fields without a vGICv3. */
static void test_run_gic(void **state)
{
	struct idregs_host *h = test_host("neoverse-n1");
	size_t r;

	(void)state;
	for (r = 0; r < NR_RELEASES; r++) {
		const char *k = releases[r];
		struct idregs_vm *vm = vm0(h, k, 0);
		uint64_t pfr0 = get(vm, 0, E_PFR0), idpfr1 = get(vm, 0, E_ID_PFR1);

		SETCTX("%s neoverse-n1", k);
		EQ(fld(pfr0, 24), 1);		/* the host has a GICv3 CPU i/f */
		EQ(fld(idpfr1, 28), 1);
		ERR(idregs_vcpu_run(vm, 0), 0);
		EQ(get(vm, 0, E_PFR0), pfr0 & ~(0xfULL << 24));
		EQ(get(vm, 0, E_ID_PFR1), idpfr1 & ~(0xfULL << 28));
		idregs_vm_destroy(vm);

		/* with an in-kernel vGICv3 both fields stay */
		vm = bare_vm(h, k);
		ERR(idregs_vm_create_vgic_v3(vm), 0);
		ERR(idregs_vm_create_vgic_v3(vm), -EEXIST);
		add_vcpu(vm, 0, 0);
		ERR(idregs_vcpu_run(vm, 0), 0);
		EQ(get(vm, 0, E_PFR0), pfr0);
		EQ(get(vm, 0, E_ID_PFR1), idpfr1);
		idregs_vm_destroy(vm);
	}
	idregs_host_free(h);
}

/* First run: a PMU vCPU's run fails without PMU init; GIC still cleared, but
 * the VM has not run. */
static void test_run_pmu(void **state)
{
	struct idregs_host *h = test_host("neoverse-n1");
	size_t r;

	(void)state;
	for (r = 0; r < NR_RELEASES; r++) {
		const char *k = releases[r];
		struct idregs_vm *vm = vm0(h, k, IDREGS_FEAT_PMU_V3);
		uint64_t pfr0 = get(vm, 0, E_PFR0), isar0 = get(vm, 0, E_ISAR0);

		SETCTX("%s neoverse-n1 pmu", k);
		ERR(idregs_vcpu_run(vm, 0), -EINVAL);
		assert_false(idregs_vm_has_run(vm));
		EQ(get(vm, 0, E_PFR0), pfr0 & ~(0xfULL << 24));
		/* writes are still checked normally: no EBUSY */
		EXPECT_SET(vm, 0, E_ISAR0, with(isar0, 4, 1), 0);
		EXPECT_SET(vm, 0, E_ISAR0, with(isar0, 4, 3), -EINVAL);
		/* PMU init makes the run work; it is done once */
		ERR(idregs_vcpu_pmu_init(vm, 0), 0);
		ERR(idregs_vcpu_pmu_init(vm, 0), -EBUSY);
		ERR(idregs_vcpu_run(vm, 0), 0);
		assert_true(idregs_vm_has_run(vm));
		EXPECT_SET(vm, 0, E_ISAR0, with(isar0, 4, 0), -EBUSY);
		idregs_vm_destroy(vm);

		/* a vCPU without a PMU has none to initialise */
		vm = vm0(h, k, 0);
		ERR(idregs_vcpu_pmu_init(vm, 0), -ENODEV);
		idregs_vm_destroy(vm);
	}
	idregs_host_free(h);
}

/* ======================================================================
 * Write path: Generic feature check
 * ====================================================================== */

static void test_generic_check(void **state)
{
	/* fields that joined the writable masks, as the real probes show:
	 * 6.12 has none of them, 6.16 L1Ip (findings 3) and TGRAN*_2, 6.17
	 * RAS too */
	static const struct test_step ctr_l1ip[] = {
		{ "6.12", -EINVAL }, { "6.13", 0 },
	};
	static const struct test_step pfr0_ras[] = {
		{ "6.12", -EINVAL }, { "6.17", 0 },
	};
	static const struct test_step mmfr0_tgran_2[] = {
		{ "6.12", -EINVAL }, { "6.15", 0 },
	};
	/* hosts with one field changed from neoverse-n1 */
	static const struct ovr specsei1[] = {
		{ E_MMFR1, 0x0000000011212122ULL },	/* SpecSEI = 1 */
	};
	static const struct ovr vipt[] = {
		{ E_CTR, 0x0000000084448004ULL },	/* L1Ip = VIPT */
	};
	static const struct ovr tgran4_ni[] = {
		{ E_MMFR0, 0x00000000f0101125ULL },	/* TGRAN4 = 0xF (NI) */
	};
	struct idregs_host *n1 = test_host("neoverse-n1");
	struct idregs_host *hs = derived_host("neoverse-n1", "vhe", specsei1, 1);
	struct idregs_host *hv = derived_host("neoverse-n1", "vhe", vipt, 1);
	struct idregs_host *ht = derived_host("neoverse-n1", "vhe", tgran4_ni, 1);
	size_t r;

	(void)state;
	for (r = 0; r < NR_RELEASES; r++) {
		const char *k = releases[r];
		unsigned int kernel = test_kernel(k);
		struct idregs_vm *vm = vm0(n1, k, 0);
		uint64_t isar0 = get(vm, 0, E_ISAR0);

		SETCTX("%s neoverse-n1", k);
		/* lower-safe: ISAR0.AES is 2; lower is fine, higher is not; the
		 * check compares with the limit, not with the current value */
		EQ(fld(isar0, 4), 2);
		EXPECT_FIELD(vm, E_ISAR0, 4, 1, 0);
		EXPECT_FIELD(vm, E_ISAR0, 4, 0, 0);
		EXPECT_FIELD(vm, E_ISAR0, 4, 2, 0);
		EXPECT_FIELD(vm, E_ISAR0, 4, 3, -EINVAL);
		EXPECT_FIELD(vm, E_ISAR0, 4, 0xf, -EINVAL);

		/* higher-safe: MMFR1.SpecSEI (0 here) may be raised */
		EQ(fld(get(vm, 0, E_MMFR1), 24), 0);
		EXPECT_FIELD(vm, E_MMFR1, 24, 1, 0);
		EXPECT_FIELD(vm, E_MMFR1, 24, 0xf, 0);
		EXPECT_FIELD(vm, E_MMFR1, 24, 0, 0);

		/* signed: MMFR0.TGRAN4/TGRAN64 are 0 (IMP); 0xF (-1, NI) is lower */
		EQ(fld(get(vm, 0, E_MMFR0), 28), 0);
		EQ(fld(get(vm, 0, E_MMFR0), 24), 0);
		EXPECT_FIELD(vm, E_MMFR0, 28, 0xf, 0);
		EXPECT_FIELD(vm, E_MMFR0, 28, 1, -EINVAL);
		EXPECT_FIELD(vm, E_MMFR0, 28, 0, 0);
		EXPECT_FIELD(vm, E_MMFR0, 24, 0xf, 0);
		EXPECT_FIELD(vm, E_MMFR0, 24, 1, -EINVAL);
		/* unsigned TGRAN16 (1): 0xF would be higher */
		EXPECT_FIELD(vm, E_MMFR0, 20, 0xf, -EINVAL);
		EXPECT_FIELD(vm, E_MMFR0, 20, 0, 0);

		/* exact: CTR_EL0.L1Ip is PIPT; VIPT is its safe value. Writable
		 * once the mask has L1Ip */
		EQ(fld(get(vm, 0, E_CTR), 12) >> 2, 3);
		EXPECT_SET(vm, 0, E_CTR, (get(vm, 0, E_CTR) & ~0xc000ULL) | 0x8000,
			   TEST_STEP(ctr_l1ip, kernel));
		EXPECT_SET(vm, 0, E_CTR, get(vm, 0, E_CTR) | 0xc000, 0);

		/* not writable: must equal the limit */
		EXPECT_FIELD(vm, E_PFR0, 16, 0, -EINVAL);	/* FP */
		EXPECT_FIELD(vm, E_PFR0, 20, 0, -EINVAL);	/* AdvSIMD */
		EXPECT_FIELD(vm, E_PFR0, 28, 0, TEST_STEP(pfr0_ras, kernel)); /* RAS */
		EXPECT_FIELD(vm, E_MMFR1, 8, 0, -EINVAL);	/* VH */
		EXPECT_FIELD(vm, E_DFR0, 12, 4, -EINVAL);	/* BRPs (5) */
		/* MMFR0.TGRAN4_2 (exact, safe 1): limit 0; writable once in
		 * the mask, as TGRAN64_2 */
		EQ(fld(get(vm, 0, E_MMFR0), 40), 0);
		EXPECT_FIELD(vm, E_MMFR0, 40, 2, -EINVAL);
		EXPECT_FIELD(vm, E_MMFR0, 40, 1, TEST_STEP(mmfr0_tgran_2, kernel));
		EXPECT_FIELD(vm, E_MMFR0, 36, 1, TEST_STEP(mmfr0_tgran_2, kernel));

		/* bits in the mask but in no host field stay at the limit (0) */
		EXPECT_FIELD(vm, E_ISAR0, 24, 1, -EINVAL);	/* TME */
		EXPECT_FIELD(vm, E_ISAR1, 60, 1, -EINVAL);	/* LS64 */
		EXPECT_FIELD(vm, E_PFR0, 52, 1, -EINVAL);	/* RME */
		EXPECT_FIELD(vm, E_PFR1, 32, 1, -EINVAL);	/* CSV2_frac */
		/* RES0 bits */
		EXPECT_SET(vm, 0, E_ISAR0, get(vm, 0, E_ISAR0) | 1, -EINVAL);
		EXPECT_SET(vm, 0, E_MMFR0, get(vm, 0, E_MMFR0) | (1ULL << 48), -EINVAL);
		idregs_vm_destroy(vm);

		/* higher-safe with a nonzero limit: lower is refused */
		SETCTX("%s n1 with SpecSEI=1", k);
		vm = vm0(hs, k, 0);
		EQ(fld(get(vm, 0, E_MMFR1), 24), 1);
		EXPECT_FIELD(vm, E_MMFR1, 24, 0, -EINVAL);
		EXPECT_FIELD(vm, E_MMFR1, 24, 2, 0);
		EXPECT_FIELD(vm, E_MMFR1, 24, 1, 0);
		idregs_vm_destroy(vm);

		/* exact: VIPT -> PIPT is refused (the safe value is VIPT) */
		SETCTX("%s n1 with L1Ip=VIPT", k);
		vm = vm0(hv, k, 0);
		EQ((get(vm, 0, E_CTR) >> 14) & 3, 2);
		EXPECT_SET(vm, 0, E_CTR, get(vm, 0, E_CTR) | 0xc000, -EINVAL);
		idregs_vm_destroy(vm);

		/* signed with limit -1: 0 is higher than -1 */
		SETCTX("%s n1 with TGRAN4=NI", k);
		vm = vm0(ht, k, 0);
		EQ(fld(get(vm, 0, E_MMFR0), 28), 0xf);
		EXPECT_FIELD(vm, E_MMFR0, 28, 0, -EINVAL);
		EXPECT_FIELD(vm, E_MMFR0, 28, 1, -EINVAL);
		EXPECT_FIELD(vm, E_MMFR0, 28, 0xf, 0);
		idregs_vm_destroy(vm);
	}
	idregs_host_free(n1);
	idregs_host_free(hs);
	idregs_host_free(hv);
	idregs_host_free(ht);
}

/*
 * Generic feature check, step 3: a field only partly inside the writable
 * mask is not writable.
 * No register's real mask splits a field, so this uses the library's check
 * on a copy of ID_AA64ISAR0_EL1 whose mask covers only AES[5:4].
 */
static void test_generic_check_partial_mask(void **state)
{
	struct idregs_host *h = test_host("neoverse-n1");
	size_t r;

	(void)state;
	for (r = 0; r < NR_RELEASES; r++) {
		unsigned int k = test_kernel(releases[r]);
		struct idregs_vm *vm = vm0(h, releases[r], 0);
		struct idregs_reg_desc fake = *idregs_regdb_find(E_ISAR0);
		struct idregs_reg_rel row = *idregs_reg_rel(&fake, k);
		uint64_t isar0 = get(vm, 0, E_ISAR0);

		SETCTX("%s ISAR0 with a split AES mask", releases[r]);
		/* the real mask: AES may be lowered */
		ERR(idregs_reg_check_features(vm, &fake, 0, with(isar0, 4, 1)), 0);
		row.mask &= ~0xc0ULL;	/* AES[7:6] no longer writable */
		fake.rows = &row;
		fake.nr_rows = 1;
		fake.row_of = (const uint8_t[IDREGS_NR_RELEASES]){ 0 };
		ERR(idregs_reg_check_features(vm, &fake, 0, with(isar0, 4, 1)), -EINVAL);
		ERR(idregs_reg_check_features(vm, &fake, 0, with(isar0, 4, 0)), -EINVAL);
		ERR(idregs_reg_check_features(vm, &fake, 0, isar0), 0);
		/* the fully covered SHA1 field next to it is still writable */
		ERR(idregs_reg_check_features(vm, &fake, 0, with(isar0, 8, 0)), 0);
		idregs_vm_destroy(vm);
	}
	idregs_host_free(h);
}

/* ======================================================================
 * Write path: Pre-checks and the other per-register rules
 * ====================================================================== */

/* PFR0.MPAM and PFR1.MPAM_frac: the host value is accepted and ignored. */
static void test_mpam(void **state)
{
	static const struct ovr mpam[] = {
		{ E_PFR0, 0x1100010011111112ULL },	/* MPAM = 1 */
		{ E_PFR1, 0x0000000000010020ULL },	/* MPAM_frac = 1 */
	};
	struct idregs_host *hm = derived_host("neoverse-n1", "vhe", mpam, 2);
	struct idregs_host *n1 = test_host("neoverse-n1");
	size_t r;

	(void)state;
	for (r = 0; r < NR_RELEASES; r++) {
		const char *k = releases[r];
		struct idregs_vm *vm = vm0(hm, k, 0);
		uint64_t pfr0 = get(vm, 0, E_PFR0), pfr1 = get(vm, 0, E_PFR1);

		SETCTX("%s n1 with MPAM", k);
		/* hidden from the guest: the limit has MPAM = 0 */
		EQ(fld(pfr0, 40), 0);
		EQ(fld(pfr1, 16), 0);
		/* the host's value: accepted, and the field stays 0 */
		EXPECT_STORED(vm, E_PFR0, with(pfr0, 40, 1), pfr0);
		EXPECT_STORED(vm, E_PFR1, with(pfr1, 16, 1), pfr1);
		/* together with a valid change elsewhere (CSV3 1 -> 0) */
		EXPECT_STORED(vm, E_PFR0, with(with(pfr0, 40, 1), 60, 0),
			      with(pfr0, 60, 0));
		/* any other nonzero value is refused */
		EXPECT_FIELD(vm, E_PFR0, 40, 2, -EINVAL);
		EXPECT_FIELD(vm, E_PFR1, 16, 2, -EINVAL);
		EXPECT_FIELD(vm, E_PFR0, 40, 0, 0);
		idregs_vm_destroy(vm);

		/* a host without MPAM: 1 is not its value, so refused */
		SETCTX("%s neoverse-n1", k);
		vm = vm0(n1, k, 0);
		EXPECT_FIELD(vm, E_PFR0, 40, 1, -EINVAL);
		EXPECT_FIELD(vm, E_PFR1, 16, 1, -EINVAL);
		idregs_vm_destroy(vm);
	}
	idregs_host_free(hm);
	idregs_host_free(n1);
}

/* PFR0.EL0/EL1 = 0: the pre-check of 6.15 on (findings 2). 6.12 has none
 * (real KVM: EL0=0 after the run is EBUSY there, and 6.12's own selftest
 * writes EL1=0 as a safe value), so the generic lower-safe rule accepts it. */
static void test_pfr0_el(void **state)
{
	static const struct test_step el_zero[] = {
		{ "6.12", 0 }, { "6.15", -EINVAL },
	};
	struct idregs_host *h = test_host("neoverse-n1");
	size_t r;

	(void)state;
	for (r = 0; r < NR_RELEASES; r++) {
		const char *k = releases[r];
		int want = TEST_STEP(el_zero, test_kernel(k));
		struct idregs_vm *vm = vm0(h, k, 0);

		SETCTX("%s neoverse-n1", k);
		EXPECT_FIELD(vm, E_PFR0, 0, 1, 0);	/* EL0 2 -> 1 */
		EXPECT_FIELD(vm, E_PFR0, 0, 0, want);
		EXPECT_FIELD(vm, E_PFR0, 0, 2, 0);
		EXPECT_FIELD(vm, E_PFR0, 4, 0, want);
		EXPECT_FIELD(vm, E_PFR0, 4, 1, 0);
		EXPECT_FIELD(vm, E_PFR0, 8, 0, 0);	/* EL2 = 0 is fine */
		idregs_vm_destroy(vm);
	}
	idregs_host_free(h);
}

/* ID_AA64DFR0_EL1 and ID_DFR0_EL1 pre-checks (Write path: Pre-checks). */
static void test_debug_pmu_checks(void **state)
{
	struct idregs_host *h = test_host("neoverse-n1");
	size_t r;

	(void)state;
	for (r = 0; r < NR_RELEASES; r++) {
		const char *k = releases[r];
		struct idregs_vm *vm = vm0(h, k, IDREGS_FEAT_PMU_V3);
		uint64_t dfr0 = get(vm, 0, E_DFR0), id_dfr0 = get(vm, 0, E_ID_DFR0);

		SETCTX("%s neoverse-n1 pmu", k);
		EQ(fld(dfr0, 8), 4);		/* PMUVer: the host's PMUv3p1 */
		EQ(fld(dfr0, 0), 8);		/* DebugVer */
		/* PMUVer IMP_DEF (0xF) is stored as 0 */
		EXPECT_STORED(vm, E_DFR0, with(dfr0, 8, 0xf), with(dfr0, 8, 0));
		EXPECT_FIELD(vm, E_DFR0, 8, 4, 0);
		EXPECT_FIELD(vm, E_DFR0, 8, 5, -EINVAL);
		EXPECT_FIELD(vm, E_DFR0, 8, 1, 0);	/* lower-safe for KVM */
		/* DebugVer: at least 6 (Armv8), at most the limit */
		EXPECT_FIELD(vm, E_DFR0, 0, 5, -EINVAL);
		EXPECT_FIELD(vm, E_DFR0, 0, 0, -EINVAL);
		EXPECT_FIELD(vm, E_DFR0, 0, 6, 0);
		EXPECT_FIELD(vm, E_DFR0, 0, 9, -EINVAL);
		EXPECT_FIELD(vm, E_DFR0, 0, 8, 0);

		/* ID_DFR0: PerfMon 4 (the PMU limit in AArch32 terms) */
		EQ(fld(id_dfr0, 24), 4);
		EQ(fld(id_dfr0, 0), 8);
		EXPECT_STORED(vm, E_ID_DFR0, with(id_dfr0, 24, 0xf),
			      with(id_dfr0, 24, 0));
		EXPECT_FIELD(vm, E_ID_DFR0, 24, 1, -EINVAL);
		EXPECT_FIELD(vm, E_ID_DFR0, 24, 2, -EINVAL);
		EXPECT_FIELD(vm, E_ID_DFR0, 24, 3, 0);
		EXPECT_FIELD(vm, E_ID_DFR0, 24, 5, -EINVAL);
		EXPECT_FIELD(vm, E_ID_DFR0, 24, 4, 0);
		EXPECT_FIELD(vm, E_ID_DFR0, 24, 0, 0);
		/* CopDbg: at least 6 (Armv8) */
		EXPECT_FIELD(vm, E_ID_DFR0, 0, 5, -EINVAL);
		EXPECT_FIELD(vm, E_ID_DFR0, 0, 0, -EINVAL);
		EXPECT_FIELD(vm, E_ID_DFR0, 0, 6, 0);
		EXPECT_FIELD(vm, E_ID_DFR0, 0, 9, -EINVAL);
		idregs_vm_destroy(vm);

		/* without a PMU the limits are 0; IMP_DEF still maps to 0 */
		SETCTX("%s neoverse-n1", k);
		vm = vm0(h, k, 0);
		dfr0 = get(vm, 0, E_DFR0);
		id_dfr0 = get(vm, 0, E_ID_DFR0);
		EQ(fld(dfr0, 8), 0);
		EQ(fld(id_dfr0, 24), 0);
		EXPECT_STORED(vm, E_DFR0, with(dfr0, 8, 0xf), dfr0);
		EXPECT_STORED(vm, E_ID_DFR0, with(id_dfr0, 24, 0xf), id_dfr0);
		EXPECT_FIELD(vm, E_DFR0, 8, 1, -EINVAL);
		EXPECT_FIELD(vm, E_ID_DFR0, 24, 3, -EINVAL);
		idregs_vm_destroy(vm);
	}
	idregs_host_free(h);
}

/* CTR_EL0.L1Ip VPIPT (0) and AIVIVT (1) are refused before the run. */
static void test_ctr_l1ip(void **state)
{
	struct idregs_host *h = test_host("neoverse-n1");
	size_t r;

	(void)state;
	for (r = 0; r < NR_RELEASES; r++) {
		struct idregs_vm *vm = vm0(h, releases[r], 0);
		uint64_t ctr = get(vm, 0, E_CTR);

		SETCTX("%s neoverse-n1", releases[r]);
		EXPECT_SET(vm, 0, E_CTR, ctr & ~0xc000ULL, -EINVAL);
		EXPECT_SET(vm, 0, E_CTR, (ctr & ~0xc000ULL) | 0x4000, -EINVAL);
		/* writable CTR fields: DIC/IDC, DminLine, IminLine lower-safe */
		EXPECT_SET(vm, 0, E_CTR, with(ctr, 0, 3), 0);
		EXPECT_SET(vm, 0, E_CTR, with(ctr, 0, 5), -EINVAL);
		EXPECT_SET(vm, 0, E_CTR, ctr & ~(1ULL << 28), 0);	/* IDC off */
		EXPECT_SET(vm, 0, E_CTR, ctr, 0);
		/* not writable: CWG, ERG, RES1 bit 31 */
		EXPECT_SET(vm, 0, E_CTR, with(ctr, 24, 1), -EINVAL);
		EXPECT_SET(vm, 0, E_CTR, ctr & ~(1ULL << 31), -EINVAL);
		idregs_vm_destroy(vm);
	}
	idregs_host_free(h);
}

/* ID_AA64MMFR2_EL1.NV: the host's value is accepted and dropped. Checked
 * on 7.3 only: the rule is dated 6.15 from the kernel's history
 * (data/regs.db); real KVM cannot show it without an NV host (findings
 * 25). */
static void test_mmfr2_nv(void **state)
{
	static const struct ovr nv[] = {
		{ E_MMFR2, 0x0000000001001011ULL },	/* NV = 1 */
	};
	struct idregs_host *h = derived_host("neoverse-n1", "vhe", nv, 1);
	struct idregs_vm *vm = vm0(h, "7.3", 0);
	uint64_t mmfr2 = get(vm, 0, E_MMFR2);

	(void)state;
	SETCTX("7.3 n1 with MMFR2.NV=1");
	EQ(fld(mmfr2, 24), 0);
	EXPECT_STORED(vm, E_MMFR2, with(mmfr2, 24, 1), mmfr2);
	EXPECT_FIELD(vm, E_MMFR2, 24, 2, -EINVAL);
	/* CCIDX is 0 in the limit too (Limits: Adjustments) */
	EQ(fld(mmfr2, 20), 0);
	idregs_vm_destroy(vm);
	idregs_host_free(h);
}

/* MIDR/REVIDR/AIDR and KVM_CAP_ARM_WRITABLE_IMP_ID_REGS (Write path:
 * Implementation-ID registers; VM creation and capabilities). */
static void test_imp_id_regs(void **state)
{
	/* the capability arrived with the writable MIDR (findings 20; the
	 * 6.16 probe has the MIDR mask, 6.12's none) */
	static const struct test_step cap[] = {
		{ "6.12", -EINVAL }, { "6.15", 0 },
	};
	struct idregs_host *h = test_host("neoverse-n1");
	size_t r;

	(void)state;
	for (r = 0; r < NR_RELEASES; r++) {
		const char *k = releases[r];
		int cap_err = TEST_STEP(cap, test_kernel(k));
		struct idregs_vm *vm = vm0(h, k, 0);
		uint64_t midr = get(vm, 0, E_MIDR);

		/* without the capability: only the identical value */
		SETCTX("%s neoverse-n1", k);
		EQ(midr, 0x414fd0c1);
		EQ(get(vm, 0, E_REVIDR), 0);
		EQ(get(vm, 0, E_AIDR), 0);
		EXPECT_SET(vm, 0, E_MIDR, midr, 0);
		EXPECT_SET(vm, 0, E_MIDR, midr + 1, -EINVAL);
		EXPECT_SET(vm, 0, E_REVIDR, 0, 0);
		EXPECT_SET(vm, 0, E_REVIDR, 1, -EINVAL);
		EXPECT_SET(vm, 0, E_AIDR, 0, 0);
		EXPECT_SET(vm, 0, E_AIDR, 1, -EINVAL);
		/* the capability needs a VM without vCPUs */
		ERR(idregs_vm_enable_cap(vm, IDREGS_CAP_ARM_WRITABLE_IMP_ID_REGS), -EINVAL);
		idregs_vm_destroy(vm);

		vm = bare_vm(h, k);
		ERR(idregs_vm_enable_cap(vm, IDREGS_CAP_ARM_WRITABLE_IMP_ID_REGS), cap_err);
		add_vcpu(vm, 0, 0);
		if (cap_err) {
			EXPECT_SET(vm, 0, E_MIDR, midr + 1, -EINVAL);
			idregs_vm_destroy(vm);
			continue;
		}
		SETCTX("%s neoverse-n1 writable IMP regs", k);
		/* any value inside the mask: MIDR[31:0], REVIDR, AIDR [63:0] */
		EXPECT_SET(vm, 0, E_MIDR, 0x410fd083, 0);
		EXPECT_SET(vm, 0, E_MIDR, 0xffffffff, 0);
		EXPECT_SET(vm, 0, E_MIDR, 0, 0);
		EXPECT_SET(vm, 0, E_MIDR, 1ULL << 32, -EINVAL);
		EXPECT_SET(vm, 0, E_MIDR, midr | (1ULL << 63), -EINVAL);
		EXPECT_SET(vm, 0, E_MIDR, midr + 1, 0);
		EXPECT_SET(vm, 0, E_REVIDR, ~0ULL, 0);
		EXPECT_SET(vm, 0, E_AIDR, 0x8000000000000001ULL, 0);
		/* VM-wide */
		add_vcpu(vm, 1, 0);
		EQ(get(vm, 1, E_MIDR), midr + 1);
		EQ(get(vm, 1, E_REVIDR), ~0ULL);
		/* after the run: identical 0, any other EBUSY (checked before
		 * the mask) */
		ERR(idregs_vcpu_run(vm, 0), 0);
		EXPECT_SET(vm, 1, E_MIDR, midr + 1, 0);
		EXPECT_SET(vm, 1, E_MIDR, midr, -EBUSY);
		EXPECT_SET(vm, 1, E_MIDR, 1ULL << 32, -EBUSY);
		EXPECT_SET(vm, 1, E_AIDR, 0, -EBUSY);
		idregs_vm_destroy(vm);
	}
	idregs_host_free(h);
}

/* KVM_CAP_ARM_MTE: a host with MTE2 or later, before any vCPU (VM creation
 * and capabilities; Limits: Adjustments). */
static void test_mte_cap(void **state)
{
	struct idregs_host *n1 = test_host("neoverse-n1");
	struct idregs_host *n2 = test_host("neoverse-n2");
	size_t r;

	(void)state;
	for (r = 0; r < NR_RELEASES; r++) {
		const char *k = releases[r];
		struct idregs_vm *vm = bare_vm(n1, k);
		uint64_t ctr;

		SETCTX("%s neoverse-n1", k);
		ERR(idregs_vm_enable_cap(vm, IDREGS_CAP_ARM_MTE), -EINVAL);
		idregs_vm_destroy(vm);

		/* neoverse-n2 (PFR1.MTE = 2): MTE hidden without the cap ... */
		SETCTX("%s neoverse-n2", k);
		vm = vm0(n2, k, 0);
		EQ(fld(get(vm, 0, E_PFR1), 8), 0);
		ERR(idregs_vm_enable_cap(vm, IDREGS_CAP_ARM_MTE), -EINVAL);
		idregs_vm_destroy(vm);
		/* ... shown with it, and CLIDR gets a tag cache at the LoC */
		vm = bare_vm(n2, k);
		ERR(idregs_vm_enable_cap(vm, IDREGS_CAP_ARM_MTE), 0);
		add_vcpu(vm, 0, 0);
		EQ(fld(get(vm, 0, E_PFR1), 8), 2);
		ctr = get(vm, 0, E_CTR);
		EQ(get(vm, 0, E_CLIDR), clidr_rule(ctr, true));
		EQ(get(vm, 0, E_CLIDR), 0x0000000401000004ULL);
		/* MTE is outside the writable masks */
		EXPECT_FIELD(vm, E_PFR1, 8, 0, -EINVAL);
		idregs_vm_destroy(vm);
	}
	idregs_host_free(n1);
	idregs_host_free(n2);
}

/* ======================================================================
 * Read paths: Read-as-zero and hidden
 * ====================================================================== */

static void expect_raz(struct idregs_vm *vm, uint16_t enc)
{
	uint64_t v = 1;

	ERR(idregs_vcpu_get(vm, 0, ID(enc), &v), 0);
	EQ(v, 0);
	EXPECT_SET(vm, 0, enc, 0, 0);
	EXPECT_SET(vm, 0, enc, 1, -EINVAL);
	EXPECT_SET(vm, 0, enc, 1ULL << 63, -EINVAL);
	EXPECT_SET(vm, 0, enc, 0x1badc0de, -EINVAL);
}

static void test_raz_registers(void **state)
{
	/* unallocated slots and hidden ID registers (every release here) */
	static const uint16_t raz[] = {
		IDREGS_ENC(3, 0, 0, 3, 3), IDREGS_ENC(3, 0, 0, 3, 7),
		IDREGS_ENC(3, 0, 0, 4, 3), IDREGS_ENC(3, 0, 0, 4, 6),
		IDREGS_ENC(3, 0, 0, 5, 2), IDREGS_ENC(3, 0, 0, 5, 3),
		IDREGS_ENC(3, 0, 0, 5, 6), IDREGS_ENC(3, 0, 0, 5, 7),
		IDREGS_ENC(3, 0, 0, 6, 4), IDREGS_ENC(3, 0, 0, 6, 5),
		IDREGS_ENC(3, 0, 0, 6, 6), IDREGS_ENC(3, 0, 0, 6, 7),
		IDREGS_ENC(3, 0, 0, 7, 5), IDREGS_ENC(3, 0, 0, 7, 6),
		IDREGS_ENC(3, 0, 0, 7, 7),
		E_SMFR0, E_ID_AFR0, E_ID_DFR1, E_AFR0, E_AFR1,
	};
	static const char *const hosts[] = { "neoverse-n1", "neoverse-v1" };
	size_t r, i, j;

	(void)state;
	for (j = 0; j < 2; j++) {
		struct idregs_host *h = test_host(hosts[j]);

		for (r = 0; r < NR_RELEASES; r++) {
			/* on neoverse-v1 with SVE and a PMU as well */
			uint32_t f = j ? IDREGS_FEAT_SVE | IDREGS_FEAT_PMU_V3 : 0;
			struct idregs_vm *vm = vm0(h, releases[r], f);

			for (i = 0; i < sizeof(raz) / sizeof(raz[0]); i++) {
				SETCTX("%s %s enc %#x", releases[r], hosts[j], raz[i]);
				expect_raz(vm, raz[i]);
			}
			idregs_vm_destroy(vm);
		}
		idregs_host_free(h);
	}
}

/* ID_AA64ZFR0_EL1: RAZ without SVE, the host's value with it. */
static void test_zfr0(void **state)
{
	struct idregs_host *h = test_host("neoverse-v1");
	size_t r;

	(void)state;
	for (r = 0; r < NR_RELEASES; r++) {
		const char *k = releases[r];
		struct idregs_vm *vm = vm0(h, k, 0);
		uint64_t zfr0;

		SETCTX("%s neoverse-v1", k);
		expect_raz(vm, E_ZFR0);
		idregs_vm_destroy(vm);

		SETCTX("%s neoverse-v1 sve", k);
		vm = vm0(h, k, IDREGS_FEAT_SVE);
		zfr0 = get(vm, 0, E_ZFR0);
		EQ(zfr0, 0x0000100000100000ULL);	/* I8MM, BF16 */
		EXPECT_FIELD(vm, E_ZFR0, 44, 0, 0);	/* I8MM lowered */
		EXPECT_FIELD(vm, E_ZFR0, 44, 2, -EINVAL);
		EXPECT_FIELD(vm, E_ZFR0, 4, 1, -EINVAL);	/* AES */
		EXPECT_SET(vm, 0, E_ZFR0, 0, 0);
		idregs_vm_destroy(vm);
	}
	idregs_host_free(h);
}

/* AArch32 ID registers without AArch32 EL0: RAZ and user write-ignore. */
static void test_aarch32_raz_wi(void **state)
{
	static const uint16_t aa32[] = {
		IDREGS_ENC(3, 0, 0, 1, 0), IDREGS_ENC(3, 0, 0, 1, 1),
		IDREGS_ENC(3, 0, 0, 1, 2), IDREGS_ENC(3, 0, 0, 1, 4),
		IDREGS_ENC(3, 0, 0, 1, 5), IDREGS_ENC(3, 0, 0, 1, 6),
		IDREGS_ENC(3, 0, 0, 1, 7), IDREGS_ENC(3, 0, 0, 2, 0),
		IDREGS_ENC(3, 0, 0, 2, 1), IDREGS_ENC(3, 0, 0, 2, 2),
		IDREGS_ENC(3, 0, 0, 2, 3), IDREGS_ENC(3, 0, 0, 2, 4),
		IDREGS_ENC(3, 0, 0, 2, 5), IDREGS_ENC(3, 0, 0, 2, 6),
		IDREGS_ENC(3, 0, 0, 2, 7), IDREGS_ENC(3, 0, 0, 3, 0),
		IDREGS_ENC(3, 0, 0, 3, 1), IDREGS_ENC(3, 0, 0, 3, 2),
		IDREGS_ENC(3, 0, 0, 3, 4), IDREGS_ENC(3, 0, 0, 3, 6),
	};
	/* RAZ in the AArch32 block but not write-ignored */
	static const uint16_t raz[] = {
		E_ID_AFR0, IDREGS_ENC(3, 0, 0, 3, 3), E_ID_DFR1,
		IDREGS_ENC(3, 0, 0, 3, 7),
	};
	/* ID_ISAR0 writable: the AArch32 registers fully writable from 6.18,
	 * backported to 6.17.9 and 6.12.60 but not 6.16 (findings 22; real
	 * 6.16.12 reports mask 0) */
	static const struct test_step isar0_writable[] = {
		{ "6.12.60", 0 }, { "6.13", -EINVAL }, { "6.17.9", 0 },
	};
	struct idregs_host *fx = test_host("a64fx");
	struct idregs_host *n1 = test_host("neoverse-n1");
	size_t r, i;

	(void)state;
	for (r = 0; r < NR_RELEASES; r++) {
		const char *k = releases[r];
		struct idregs_vm *vm = vm0(fx, k, 0);

		for (i = 0; i < sizeof(aa32) / sizeof(aa32[0]); i++) {
			uint64_t v = 1;

			SETCTX("%s a64fx enc %#x", k, aa32[i]);
			ERR(idregs_vcpu_get(vm, 0, ID(aa32[i]), &v), 0);
			EQ(v, 0);
			ERR(set(vm, 0, aa32[i], 0x1badc0de), 0);
			EQ(get(vm, 0, aa32[i]), 0);
			ERR(set(vm, 0, aa32[i], ~0ULL), 0);
			EQ(get(vm, 0, aa32[i]), 0);
		}
		for (i = 0; i < sizeof(raz) / sizeof(raz[0]); i++) {
			SETCTX("%s a64fx enc %#x", k, raz[i]);
			expect_raz(vm, raz[i]);
		}
		/* still write-ignored after the run (no EBUSY) */
		ERR(idregs_vcpu_run(vm, 0), 0);
		SETCTX("%s a64fx after run", k);
		ERR(set(vm, 0, E_ID_ISAR0, 0x1badc0de), 0);
		EQ(get(vm, 0, E_ID_ISAR0), 0);
		idregs_vm_destroy(vm);

		/* with AArch32 EL0 they are real registers, checked as usual */
		SETCTX("%s neoverse-n1", k);
		vm = vm0(n1, k, 0);
		EQ(get(vm, 0, E_ID_ISAR0), 0x02101110);
		EXPECT_SET(vm, 0, E_ID_ISAR0, 0x1badc0de, -EINVAL);
		EXPECT_SET(vm, 0, E_ID_ISAR0, 0x02101100,	/* BitCount 0 */
			   TEST_STEP(isar0_writable, test_kernel(k)));
		idregs_vm_destroy(vm);
	}
	idregs_host_free(fx);
	idregs_host_free(n1);
}

/* ======================================================================
 * Limits: the adjustments seen in the reset values
 * ====================================================================== */

static void test_limits(void **state)
{
	static const struct ovr csv0[] = {
		{ E_PFR0, 0x0000000011111112ULL },	/* n1 claiming no CSV2/3 */
	};
	static const struct ovr dbg11[] = {
		{ E_DFR0, 0x000000011030570bULL },	/* DebugVer 0xB, PMUVer 7 */
		{ E_ID_DFR0, 0x000000000401008bULL },	/* CopDbg 0xB */
	};
	static const struct ovr ccidx[] = {
		{ E_MMFR2, 0x0000000000101011ULL },	/* CCIDX = 1 */
		{ E_ID_MMFR4, 0x0000000001021110ULL },	/* ID_MMFR4.CCIDX = 1 */
	};
	struct idregs_host *n1 = test_host("neoverse-n1");
	struct idregs_host *v1 = test_host("neoverse-v1");
	struct idregs_host *a72 = test_host("cortex-a72");
	struct idregs_host *a53 = test_host("cortex-a53");
	struct idregs_host *n1csv = derived_host("neoverse-n1", "vhe", csv0, 1);
	struct idregs_host *n1dbg = derived_host("neoverse-n1", "vhe", dbg11, 2);
	struct idregs_host *n1cc = derived_host("neoverse-n1", "vhe", ccidx, 2);
	struct idregs_host *n1nvhe = derived_host("neoverse-n1", "nvhe", NULL, 0);
	size_t r;

	(void)state;
	for (r = 0; r < NR_RELEASES; r++) {
		const char *k = releases[r];
		struct idregs_vm *vm;
		uint64_t v;

		/* SVE: only with the vCPU feature; AMU and MPAM: never */
		SETCTX("%s neoverse-v1", k);
		vm = vm0(v1, k, 0);
		v = get(vm, 0, E_PFR0);
		EQ(fld(v, 32), 0);
		EQ(fld(v, 44), 0);	/* host AMU 1 */
		EQ(fld(v, 40), 0);	/* host MPAM 1 */
		/* pointer auth fields are 0 without ptrauth */
		v = get(vm, 0, E_ISAR1);
		EQ(v, 0x0011100000211002ULL);
		idregs_vm_destroy(vm);
		SETCTX("%s neoverse-v1 sve ptrauth", k);
		vm = vm0(v1, k, IDREGS_FEAT_SVE | IDREGS_FEAT_PTRAUTH);
		EQ(fld(get(vm, 0, E_PFR0), 32), 1);
		v = get(vm, 0, E_ISAR1);
		EQ(v, 0x0011100001211032ULL);	/* APA 3, GPA 1 */
		idregs_vm_destroy(vm);

		/* PMU: PMUVer and PerfMon 0 without, the host's limit with */
		SETCTX("%s neoverse-n1", k);
		vm = vm0(n1, k, 0);
		EQ(fld(get(vm, 0, E_DFR0), 8), 0);
		EQ(fld(get(vm, 0, E_ID_DFR0), 24), 0);
		EQ(get(vm, 0, E_DFR0), 0x0000000010305008ULL);	/* PMSVer 0 too */
		idregs_vm_destroy(vm);
		SETCTX("%s neoverse-n1 pmu", k);
		vm = vm0(n1, k, IDREGS_FEAT_PMU_V3);
		EQ(fld(get(vm, 0, E_DFR0), 8), 4);
		EQ(fld(get(vm, 0, E_ID_DFR0), 24), 4);
		idregs_vm_destroy(vm);
		/* PMUv3 (IMP, 1) is PerfMon PMUv3 (3) in AArch32 terms */
		SETCTX("%s cortex-a72 pmu", k);
		vm = vm0(a72, k, IDREGS_FEAT_PMU_V3);
		EQ(fld(get(vm, 0, E_DFR0), 8), 1);
		EQ(fld(get(vm, 0, E_ID_DFR0), 24), 3);
		idregs_vm_destroy(vm);
		/* the PMU limit stops at PMUv3p5 (6); DebugVer/CopDbg at v8p8 */
		SETCTX("%s n1 with PMUVer 7, DebugVer 0xB", k);
		vm = vm0(n1dbg, k, IDREGS_FEAT_PMU_V3);
		EQ(fld(get(vm, 0, E_DFR0), 8), 6);
		EQ(fld(get(vm, 0, E_ID_DFR0), 24), 6);
		EQ(fld(get(vm, 0, E_DFR0), 0), 0xa);
		EQ(fld(get(vm, 0, E_ID_DFR0), 0), 0xa);
		EXPECT_FIELD(vm, E_DFR0, 0, 0xb, -EINVAL);
		idregs_vm_destroy(vm);

		/* CSV2/CSV3 forced to 1 by MIDR safe lists */
		SETCTX("%s cortex-a72", k);
		vm = vm0(a72, k, 0);
		v = get(vm, 0, E_PFR0);
		EQ(fld(v, 60), 1);	/* Meltdown-safe list */
		EQ(fld(v, 56), 0);	/* not on the Spectre-v2 list */
		idregs_vm_destroy(vm);
		SETCTX("%s cortex-a53", k);
		vm = vm0(a53, k, 0);
		v = get(vm, 0, E_PFR0);
		EQ(fld(v, 60), 1);
		EQ(fld(v, 56), 1);	/* Spectre-v2-safe list */
		EQ(v, 0x1100000001002222ULL);
		idregs_vm_destroy(vm);
		/* neoverse-n1 is on neither list: a host claiming 0 gets 0 */
		SETCTX("%s n1 without CSV2/CSV3", k);
		vm = vm0(n1csv, k, 0);
		v = get(vm, 0, E_PFR0);
		EQ(fld(v, 60), 0);
		EQ(fld(v, 56), 0);
		idregs_vm_destroy(vm);

		/* CCIDX is hidden in both AArch64 and AArch32 views */
		SETCTX("%s n1 with CCIDX", k);
		vm = vm0(n1cc, k, 0);
		EQ(fld(get(vm, 0, E_MMFR2), 20), 0);
		EQ(fld(get(vm, 0, E_ID_MMFR4), 24), 0);
		idregs_vm_destroy(vm);

		/* an nVHE host shows no VH */
		SETCTX("%s neoverse-n1 (vhe)", k);
		vm = vm0(n1, k, 0);
		EQ(fld(get(vm, 0, E_MMFR1), 8), 1);
		idregs_vm_destroy(vm);
		SETCTX("%s neoverse-n1 (nvhe)", k);
		vm = vm0(n1nvhe, k, 0);
		EQ(fld(get(vm, 0, E_MMFR1), 8), 0);
		EQ(get(vm, 0, E_MMFR1), 0x0000000010212022ULL);
		idregs_vm_destroy(vm);
	}
	idregs_host_free(n1);
	idregs_host_free(v1);
	idregs_host_free(a72);
	idregs_host_free(a53);
	idregs_host_free(n1csv);
	idregs_host_free(n1dbg);
	idregs_host_free(n1cc);
	idregs_host_free(n1nvhe);
}

/* ======================================================================
 * Read paths: Guest reads, through a trapped MRS/MSR
 * ====================================================================== */

static void test_guest_access(void **state)
{
	struct idregs_host *h = test_host("neoverse-n1");
	size_t r, i;

	(void)state;
	/* the ESR_EL2 layout (EC 0x18, IL, Op0, Op2, Op1, CRn, Rt, CRm, dir) */
	EQ(idregs_esr_sysreg(E_PFR0, 3, true), 0x62300069);
	EQ(idregs_esr_sysreg(E_CTR, 0, false), 0x6232c000);
	for (r = 0; r < NR_RELEASES; r++) {
		const char *k = releases[r];
		struct idregs_vm *vm = vm0(h, k, 0);
		uint64_t ids[62], v;
		size_t n = 62;

		SETCTX("%s neoverse-n1", k);
		add_vcpu(vm, 1, 0);
		add_vcpu(vm, 2, 0);
		EXPECT_SET(vm, 1, E_MPIDR, 0x80000123, 0);
		EXPECT_SET(vm, 1, E_CLIDR, 0x09200003, 0);
		EXPECT_SET(vm, 0, E_ISAR0, with(get(vm, 0, E_ISAR0), 4, 1), 0);
		/* not an MSR/MRS trap */
		ERR(idregs_vcpu_guest_access(vm, 0, 0x16u << 26, &v), -EINVAL);
		/* before the run */
		ERR(idregs_vcpu_guest_access(vm, 0,
			idregs_esr_sysreg(E_PFR0, 0, true), &v), -ENOEXEC);
		ERR(idregs_vcpu_run(vm, 0), 0);
		ERR(idregs_vcpu_run(vm, 1), 0);
		/* vCPU 2 never ran */
		ERR(idregs_vcpu_guest_access(vm, 2,
			idregs_esr_sysreg(E_PFR0, 0, true), &v), -ENOEXEC);
		ERR(idregs_vcpu_guest_access(vm, 0, 0x16u << 26, &v), -EINVAL);

		/* every register reads what userspace reads, per vCPU */
		ERR(idregs_vcpu_reg_list(vm, 0, ids, &n), 0);
		for (i = 0; i < n; i++) {
			uint16_t enc = (uint16_t)(ids[i] & 0xffff);
			unsigned int c;

			for (c = 0; c < 2; c++) {
				SETCTX("%s guest read of %#x on vCPU %u", k, enc, c);
				v = 0xdead;
				ERR(idregs_vcpu_guest_access(vm, c,
					idregs_esr_sysreg(enc, (unsigned int)i % 31, true), &v), 0);
				EQ(v, get(vm, c, enc));
			}
		}
		SETCTX("%s neoverse-n1", k);
		ERR(idregs_vcpu_guest_access(vm, 1,
			idregs_esr_sysreg(E_MPIDR, 0, true), &v), 0);
		EQ(v, 0x80000123);
		ERR(idregs_vcpu_guest_access(vm, 0,
			idregs_esr_sysreg(E_MPIDR, 0, true), &v), 0);
		EQ(v, 0x80000000);
		ERR(idregs_vcpu_guest_access(vm, 1,
			idregs_esr_sysreg(E_CLIDR, 0, true), &v), 0);
		EQ(v, 0x09200003);
		ERR(idregs_vcpu_guest_access(vm, 0,
			idregs_esr_sysreg(E_ISAR0, 0, true), &v), 0);
		EQ(fld(v, 4), 1);
		/* the GIC field the run cleared */
		ERR(idregs_vcpu_guest_access(vm, 0,
			idregs_esr_sysreg(E_PFR0, 0, true), &v), 0);
		EQ(fld(v, 24), 0);
		/* writes UNDEF and change nothing */
		v = 0;
		ERR(idregs_vcpu_guest_access(vm, 0,
			idregs_esr_sysreg(E_PFR0, 0, false), &v),
		    IDREGS_GUEST_UNDEF);
		ERR(idregs_vcpu_guest_access(vm, 0,
			idregs_esr_sysreg(E_MPIDR, 0, false), &v),
		    IDREGS_GUEST_UNDEF);
		EQ(get(vm, 0, E_MPIDR), 0x80000000);
		/* encodings without a register UNDEF */
		ERR(idregs_vcpu_guest_access(vm, 0,
			idregs_esr_sysreg(IDREGS_ENC(3, 0, 0, 0, 1), 0, true), &v),
		    IDREGS_GUEST_UNDEF);
		ERR(idregs_vcpu_guest_access(vm, 0,
			idregs_esr_sysreg(IDREGS_ENC(3, 3, 0, 7, 7), 0, true), &v),
		    IDREGS_GUEST_UNDEF);
		/* every encoding, both ways: the path decodes the ESR itself */
		for (i = 0; i < 0x10000; i++) {
			uint16_t enc = (uint16_t)i;
			int want = idregs_reg_known(enc) ? 0 : IDREGS_GUEST_UNDEF;

			SETCTX("%s guest access to %#x", k, enc);
			ERR(idregs_vcpu_guest_access(vm, 1,
				idregs_esr_sysreg(enc, 0, true), &v), want);
			if (!want)
				EQ(v, get(vm, 1, enc));
			ERR(idregs_vcpu_guest_access(vm, 1,
				idregs_esr_sysreg(enc, 0, false), &v),
			    IDREGS_GUEST_UNDEF);
		}
		idregs_vm_destroy(vm);
	}
	idregs_host_free(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_enoexec_before_init),
		cmocka_unit_test(test_one_reg_id_errors),
		cmocka_unit_test(test_vcpu_errors),
		cmocka_unit_test(test_ebusy_after_run),
		cmocka_unit_test(test_reg_list),
		cmocka_unit_test(test_masks_observed),
		cmocka_unit_test(test_masks_errors),
		cmocka_unit_test(test_lifecycle_values),
		cmocka_unit_test(test_mpidr),
		cmocka_unit_test(test_clidr),
		cmocka_unit_test(test_run_gic),
		cmocka_unit_test(test_run_pmu),
		cmocka_unit_test(test_generic_check),
		cmocka_unit_test(test_generic_check_partial_mask),
		cmocka_unit_test(test_mpam),
		cmocka_unit_test(test_pfr0_el),
		cmocka_unit_test(test_debug_pmu_checks),
		cmocka_unit_test(test_ctr_l1ip),
		cmocka_unit_test(test_mmfr2_nv),
		cmocka_unit_test(test_imp_id_regs),
		cmocka_unit_test(test_mte_cap),
		cmocka_unit_test(test_raz_registers),
		cmocka_unit_test(test_zfr0),
		cmocka_unit_test(test_aarch32_raz_wi),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_guest_access),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
