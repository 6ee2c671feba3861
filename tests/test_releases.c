// SPDX-License-Identifier: MIT
/*
 * Behaviour that changed between KVM releases, as tables of {version,
 * expected}: each case runs on every listed version, which names the first
 * release with that behaviour (or a version just before a change), so a
 * release whose data drifts fails here. The expectations are what real
 * kernels did (Debian 5.10.223, 6.1.192, 6.12.100-118, 6.16-6.19, 7.0.4-7.0.13,
 * 7.1-7.3 under QEMU; harness/) or, for releases Debian does not ship, what
 * the kernel's history says (docs/findings.md).
 */
#include "testutil.h"

#define E_PFR0		IDREGS_ENC(3, 0, 0, 4, 0)
#define E_DFR0		IDREGS_ENC(3, 0, 0, 5, 0)
#define E_ID_DFR0	IDREGS_ENC(3, 0, 0, 1, 2)
#define E_ID_ISAR0	IDREGS_ENC(3, 0, 0, 2, 0)
#define E_CTR		IDREGS_ENC(3, 3, 0, 0, 1)
#define E_CLIDR		IDREGS_ENC(3, 1, 0, 0, 1)
#define E_ISAR2		IDREGS_ENC(3, 0, 0, 6, 2)

struct step {
	const char *version;
	int err;
};

#define NSTEPS(a) (sizeof(a) / sizeof((a)[0]))

static struct idregs_vm *vm_at(const char *host, const char *version, uint32_t features)
{
	struct idregs_host *h = test_host(host);
	struct idregs_vm *vm = test_vm(h, version, features);

	idregs_host_free(h);
	return vm;
}

static uint64_t get(struct idregs_vm *vm, unsigned int vcpu, uint16_t enc)
{
	uint64_t v = 0;

	assert_int_equal(idregs_vcpu_get(vm, vcpu, idregs_sysreg_id(enc), &v), 0);
	return v;
}

/* The field at shift set to f (4 bits). */
static uint64_t with(uint64_t v, unsigned int shift, uint64_t f)
{
	return (v & ~(0xfULL << shift)) | (f << shift);
}

static int set_field(struct idregs_vm *vm, unsigned int vcpu, uint16_t enc,
		     unsigned int shift, uint64_t f)
{
	return idregs_vcpu_set(vm, vcpu, idregs_sysreg_id(enc), with(get(vm, vcpu, enc), shift, f));
}

static void expect(const struct step *s, int got, const char *what)
{
	if (got != s->err)
		fail_msg("%s under %s: %s, want %s", what, s->version, idregs_errno_name(got),
			 idregs_errno_name(s->err));
}

/* PMUVer = 8 (PerfMon = 8): not writable before 6.5; a negative (lower)
 * value while Linux compared the field signed; above the limit once it
 * compares it unsigned (7.1, and the 6.12.91 and 7.0.10 backports). */
static void test_pmu_version_signedness(void **state)
{
	static const struct step steps[] = {
		{ "5.10.223", -EINVAL }, { "6.1", -EINVAL }, { "6.5", 0 }, { "6.12.0", 0 },
		{ "6.12.90", 0 }, { "6.12.91", -EINVAL }, { "6.12.118", -EINVAL },
		{ "6.16", 0 }, { "6.18", 0 }, { "6.19", 0 }, { "7.0.9", 0 },
		{ "7.0.10", -EINVAL }, { "7.1", -EINVAL }, { "7.3", -EINVAL },
	};
	size_t i;

	(void)state;
	for (i = 0; i < NSTEPS(steps); i++) {
		struct idregs_vm *vm = vm_at("neoverse-n1", steps[i].version, IDREGS_FEAT_PMU_V3);

		expect(&steps[i], set_field(vm, 0, E_DFR0, 8, 8), "PMUVer = 8");
		expect(&steps[i], set_field(vm, 0, E_ID_DFR0, 24, 8), "PerfMon = 8");
		idregs_vm_destroy(vm);
	}
}

/* KVM_ARM_GET_REG_WRITABLE_MASKS: unknown to KVM (EINVAL) before 6.7. */
static void test_masks_ioctl(void **state)
{
	static const struct step steps[] = {
		{ "5.10", -EINVAL }, { "6.1", -EINVAL }, { "6.6", -EINVAL }, { "6.7", 0 },
		{ "7.3", 0 },
	};
	struct idregs_reg_mask_range range = { 0 };
	uint64_t masks[IDREGS_SPACE_SIZE];
	size_t i;

	(void)state;
	for (i = 0; i < NSTEPS(steps); i++) {
		struct idregs_vm *vm = vm_at("neoverse-n1", steps[i].version, 0);

		expect(&steps[i], idregs_vm_writable_masks(vm, &range, masks), "masks");
		idregs_vm_destroy(vm);
	}
}

/* CSV2 lowered after the first run: EBUSY once values freeze (6.5); before,
 * the write is checked as at any time, and the guest sees it. */
static void test_first_run_freeze(void **state)
{
	static const struct step steps[] = {
		{ "5.10", 0 }, { "6.1", 0 }, { "6.4", 0 }, { "6.5", -EBUSY }, { "7.3", -EBUSY },
	};
	size_t i;

	(void)state;
	for (i = 0; i < NSTEPS(steps); i++) {
		struct idregs_vm *vm = vm_at("neoverse-n1", steps[i].version, 0);
		uint64_t esr = 0x18u << 26 | 3u << 20 | 4u << 1 | 1u;	/* MRS PFR0 */
		uint64_t rt = 0;

		assert_int_equal(idregs_vcpu_run(vm, 0), 0);
		expect(&steps[i], set_field(vm, 0, E_PFR0, 56, 0), "CSV2 = 0 after the run");
		assert_int_equal(idregs_vcpu_guest_access(vm, 0, (uint32_t)esr, &rt), 0);
		/* the guest reads what userspace now reads */
		assert_int_equal(rt, get(vm, 0, E_PFR0));
		idregs_vm_destroy(vm);
	}
}

/* A second vCPU with other features: one VM-wide set from 6.5. */
static void test_vcpu_features(void **state)
{
	static const struct step pmu[] = {
		{ "5.10", 0 }, { "6.1", 0 }, { "6.4", 0 }, { "6.5", -EINVAL }, { "7.3", -EINVAL },
	};
	/* AArch32 EL1 mixed with AArch64: refused from 5.13 and 5.10.42 */
	static const struct step width[] = {
		{ "5.10.41", 0 }, { "5.10.42", -EINVAL }, { "5.10.223", -EINVAL },
		{ "5.11", 0 }, { "5.12", 0 }, { "5.13", -EINVAL }, { "6.1", -EINVAL },
		{ "7.3", -EINVAL },
	};
	size_t i;

	(void)state;
	for (i = 0; i < NSTEPS(pmu); i++) {
		struct idregs_vm *vm = vm_at("neoverse-n1", pmu[i].version, IDREGS_FEAT_PMU_V3);

		assert_int_equal(idregs_vcpu_create(vm, 1), 0);
		expect(&pmu[i], idregs_vcpu_init(vm, 1, 0), "vCPU 1 without the PMU");
		if (!pmu[i].err) {
			/* each vCPU reads the PMU version of its own features
			 * (6.1; 5.10 caps it the same for both: see below) */
			uint64_t v0 = get(vm, 0, E_DFR0), v1 = get(vm, 1, E_DFR0);

			if (strcmp(pmu[i].version, "5.10"))
				assert_true(((v0 >> 8) & 0xf) && !((v1 >> 8) & 0xf));
			else
				assert_int_equal(v0, v1);
		}
		idregs_vm_destroy(vm);
	}
	for (i = 0; i < NSTEPS(width); i++) {
		struct idregs_vm *vm = vm_at("cortex-a72", width[i].version, 0);

		assert_int_equal(idregs_vcpu_create(vm, 1), 0);
		expect(&width[i], idregs_vcpu_init(vm, 1, IDREGS_FEAT_EL1_32BIT), "AArch32 vCPU 1");
		idregs_vm_destroy(vm);
	}
}

/* KVM_RUN of a vCPU with a PMU that was never initialised. */
static void test_run_without_pmu_init(void **state)
{
	static const struct step steps[] = {
		{ "5.10", 0 }, { "5.11", -EINVAL }, { "6.1", -EINVAL }, { "7.3", -EINVAL },
	};
	size_t i;

	(void)state;
	for (i = 0; i < NSTEPS(steps); i++) {
		struct idregs_vm *vm = vm_at("neoverse-n1", steps[i].version, IDREGS_FEAT_PMU_V3);

		expect(&steps[i], idregs_vcpu_run(vm, 0), "run");
		idregs_vm_destroy(vm);
	}
}

/* Registers that were invariant (only the host's value) and became
 * writable: CLIDR_EL1 (6.3), CTR_EL0 (6.11). */
static void test_invariant_registers(void **state)
{
	static const struct step clidr[] = {
		{ "5.10", -EINVAL }, { "6.2", -EINVAL }, { "6.3", 0 }, { "7.3", 0 },
	};
	static const struct step ctr[] = {
		{ "5.10", -EINVAL }, { "6.10", -EINVAL }, { "6.11", 0 }, { "7.3", 0 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < NSTEPS(clidr); i++) {
		struct idregs_vm *vm = vm_at("neoverse-n1", clidr[i].version, 0);
		uint64_t v = get(vm, 0, E_CLIDR);

		/* the same value is always accepted; one level less is not
		 * the host's */
		assert_int_equal(idregs_vcpu_set(vm, 0, idregs_sysreg_id(E_CLIDR), v), 0);
		expect(&clidr[i], idregs_vcpu_set(vm, 0, idregs_sysreg_id(E_CLIDR),
						  v & ~(7ULL << 3)), "CLIDR without L2");
		idregs_vm_destroy(vm);
	}
	for (i = 0; i < NSTEPS(ctr); i++) {
		struct idregs_vm *vm = vm_at("neoverse-n1", ctr[i].version, 0);
		uint64_t v = get(vm, 0, E_CTR);

		/* IminLine one smaller: lower is safe once it is writable */
		expect(&ctr[i], idregs_vcpu_set(vm, 0, idregs_sysreg_id(E_CTR), v - 1),
		       "CTR_EL0.IminLine lowered");
		idregs_vm_destroy(vm);
	}
}

/* The writable implementation-ID capability exists from 6.15. */
static void test_imp_id_cap(void **state)
{
	static const struct step steps[] = {
		{ "6.12", -EINVAL }, { "6.14", -EINVAL }, { "6.15", 0 }, { "7.3", 0 },
	};
	struct idregs_host *h = test_host("neoverse-n1");
	size_t i;

	(void)state;
	for (i = 0; i < NSTEPS(steps); i++) {
		struct idregs_vm *vm = NULL;

		assert_int_equal(idregs_vm_create(h, test_kernel(steps[i].version), &vm), 0);
		expect(&steps[i], idregs_vm_enable_cap(vm, IDREGS_CAP_ARM_WRITABLE_IMP_ID_REGS),
		       "KVM_CAP_ARM_WRITABLE_IMP_ID_REGS");
		idregs_vm_destroy(vm);
	}
	idregs_host_free(h);
}

/* AArch32 ID registers on a host without 32-bit EL0 (A64FX): before 6.1 the
 * host's (sanitised, so 0) value that only 0 matches; from 6.1 read-as-zero
 * and write-ignored (any write returns 0). */
static void test_aa32_without_el0(void **state)
{
	static const struct step steps[] = {
		{ "5.10", -EINVAL }, { "5.19", -EINVAL }, { "6.1", 0 }, { "7.3", 0 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < NSTEPS(steps); i++) {
		struct idregs_vm *vm = vm_at("a64fx", steps[i].version, 0);

		assert_int_equal(get(vm, 0, E_ID_ISAR0), 0);
		expect(&steps[i], idregs_vcpu_set(vm, 0, idregs_sysreg_id(E_ID_ISAR0), 0x1111),
		       "ID_ISAR0_EL1 written on A64FX");
		assert_int_equal(get(vm, 0, E_ID_ISAR0), 0);
		idregs_vm_destroy(vm);
	}
}

/* ID_AA64ISAR2_EL1: an unallocated slot (RAZ) in mainline 5.10 to 5.16; the
 * Spectre-BHB backports (5.10.105, 5.15.28, 5.16.14) and 5.17 describe it. */
static void test_isar2_backports(void **state)
{
	static const char *const raz[] = { "5.10.104", "5.11", "5.15.27", "5.16.13" };
	static const char *const described[] = { "5.10.105", "5.15.28", "5.16.14", "5.17", "6.1" };
	size_t i;

	(void)state;
	for (i = 0; i < NSTEPS(raz); i++) {
		struct idregs_vm *vm = vm_at("neoverse-v1", raz[i], 0);

		if (get(vm, 0, E_ISAR2))
			fail_msg("ISAR2 under %s is not RAZ", raz[i]);
		idregs_vm_destroy(vm);
	}
	for (i = 0; i < NSTEPS(described); i++) {
		struct idregs_vm *vm = vm_at("neoverse-v1", described[i], 0);

		/* a rewrite of what it reads is accepted; 1 in a RAZ slot is not */
		assert_int_equal(idregs_vcpu_set(vm, 0, idregs_sysreg_id(E_ISAR2),
						 get(vm, 0, E_ISAR2)), 0);
		idregs_vm_destroy(vm);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pmu_version_signedness),
		cmocka_unit_test(test_masks_ioctl),
		cmocka_unit_test(test_first_run_freeze),
		cmocka_unit_test(test_vcpu_features),
		cmocka_unit_test(test_run_without_pmu_init),
		cmocka_unit_test(test_invariant_registers),
		cmocka_unit_test(test_imp_id_cap),
		cmocka_unit_test(test_aa32_without_el0),
		cmocka_unit_test(test_isar2_backports),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
