// SPDX-License-Identifier: MIT
/*
 * Host sanitisation (docs/kvm-model.md, Host sanitisation) on hand-made
 * CPU register sets, with the real database's field rules: the system
 * value, the field rules (lower, higher, exact, higher-or-zero, signed),
 * strictness and taint, and the EL0 MRS emulation view.
 */
#include <stdlib.h>

#include "testutil.h"

/* CLIDR_EL1 with LoUU 1, LoC 2, LoUIS 1: CTR_EL0.IDC is taken as is. */
#define CLIDR_NEEDS_CLEAN 0x0A200023ULL

struct fixture {
	struct idregs_regset cpus[4];
	struct idregs_sanitised out;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	free(*state);
	return 0;
}

/* Every CPU starts empty but for AArch32 at EL0 (ID_AA64PFR0_EL1.EL0 = 2):
 * Linux records the AArch32 ID registers only for such CPUs. */
static struct fixture *reset(void **state)
{
	struct fixture *f = *state;
	size_t c;

	memset(f, 0, sizeof(*f));
	for (c = 0; c < sizeof(f->cpus) / sizeof(f->cpus[0]); c++)
		f->cpus[c].val[32] = 2;
	return f;
}

/* Space index of a register name. */
static int idx(const char *name)
{
	uint16_t enc = 0;
	int i;

	if (idregs_reg_lookup(name, &enc))
		fail_msg("unknown register %s", name);
	i = idregs_space_index(enc);
	assert_true(i >= 0);
	return i;
}

static uint64_t fld(uint64_t v, unsigned int shift, unsigned int width)
{
	return (v >> shift) & ((1ULL << width) - 1);
}

static uint64_t put(uint64_t v, unsigned int shift, unsigned int width,
		    uint64_t x)
{
	uint64_t m = ((1ULL << width) - 1) << shift;

	return (v & ~m) | ((x << shift) & m);
}

/* Sanitise ncpus CPUs under every release, checking one field each time. */
static void expect_field(struct fixture *f, size_t ncpus, const char *reg,
			 unsigned int shift, unsigned int width, uint64_t want)
{
	unsigned int k;
	int i = idx(reg);

	for (k = 0; k < idregs_kernel_count(); k++) {
		uint64_t got;

		assert_int_equal(idregs_sanitise(f->cpus, ncpus, k, &f->out), 0);
		got = fld(f->out.sys.val[i], shift, width);
		if (got != want)
			fail_msg("%s[%u:%u] under %s: 0x%llx, want 0x%llx", reg,
				 shift + width - 1, shift, idregs_kernel_name(k),
				 (unsigned long long)got, (unsigned long long)want);
	}
}

/* Two CPUs whose reg field is a (boot CPU) and b. */
static void two(struct fixture *f, const char *reg, unsigned int shift,
		unsigned int width, uint64_t a, uint64_t b, uint64_t want)
{
	int i = idx(reg);

	f->cpus[0].val[i] = put(f->cpus[0].val[i], shift, width, a);
	f->cpus[1].val[i] = put(f->cpus[1].val[i], shift, width, b);
	expect_field(f, 2, reg, shift, width, want);
}

/* ---- one CPU ---- */

static void test_errors(void **state)
{
	struct fixture *f = reset(state);

	assert_int_equal(idregs_sanitise(f->cpus, 0, 0, &f->out), -EINVAL);
	assert_int_equal(idregs_sanitise(f->cpus, 1, idregs_kernel_count(), &f->out),
			 -EINVAL);
	assert_int_equal(idregs_sanitise(f->cpus, 1, 99, &f->out), -EINVAL);
}

/* docs/kvm-model.md, Host sanitisation: System value: bits outside every
 * field of the host table are 0. */
static void test_one_cpu_fields_only(void **state)
{
	struct fixture *f = reset(state);
	unsigned int k, r, j;

	for (j = 0; j < IDREGS_SPACE_SIZE; j++)
		f->cpus[0].val[j] = ~0ULL;
	for (k = 0; k < idregs_kernel_count(); k++) {
		assert_int_equal(idregs_sanitise(f->cpus, 1, k, &f->out), 0);
		assert_false(f->out.tainted);
		for (j = 0; j < IDREGS_SPACE_SIZE; j++)
			assert_true(f->out.strict_diff.val[j] == 0);
		for (r = 0; r < idregs_reg_count(); r++) {
			uint16_t enc = idregs_reg_enc(r);
			int i = idregs_space_index(enc);
			uint64_t fields = 0;
			struct idregs_field_info fi;
			char buf[24];

			for (j = 0; j < idregs_reg_field_count(enc); j++) {
				assert_int_equal(idregs_reg_field(enc, j, &fi), 0);
				if (fi.in_host_table)
					fields |= (fi.width == 64 ? ~0ULL :
						   ((1ULL << fi.width) - 1)) << fi.shift;
			}
			if (f->out.sys.val[i] & ~fields)
				fail_msg("%s under %s: 0x%016llx has bits outside its host fields 0x%016llx",
					 idregs_reg_name(enc, buf), idregs_kernel_name(k),
					 (unsigned long long)f->out.sys.val[i],
					 (unsigned long long)fields);
		}
		/* ID_AA64PFR0_EL1: every field but RME (55:52) is in the table */
		assert_true(f->out.sys.val[idx("ID_AA64PFR0_EL1")] == 0xff0fffffffffffffULL);
		/* ID_AA64ISAR0_EL1: TME (27:24) not in the table, RES0 3:0 */
		assert_true(f->out.sys.val[idx("ID_AA64ISAR0_EL1")] == 0xfffffffff0fffff0ULL);
		/* CTR_EL0 (data/regs.db): RES1 31, DIC 29, IDC 28, CWG, ERG,
		 * DminLine, L1Ip 15:14, IminLine 3:0; TminLine and RES0 bits
		 * are 0 */
		assert_true(f->out.sys.val[idx("CTR_EL0")] == 0x00000000bfffc00fULL);
		/* ID_AA64MMFR0_EL1: RES0 55:48 */
		assert_true((f->out.sys.val[idx("ID_AA64MMFR0_EL1")] &
			     0x00ff000000000000ULL) == 0);
		/* ID_AA64MMFR2_EL1: RES0 47:44 */
		assert_true((f->out.sys.val[idx("ID_AA64MMFR2_EL1")] &
			     0x0000f00000000000ULL) == 0);
		/* ID_AA64PFR1_EL1: RES0 23:20 */
		assert_true((f->out.sys.val[idx("ID_AA64PFR1_EL1")] &
			     0x0000000000f00000ULL) == 0);
		/* unallocated slots have no table: 0 */
		assert_true(f->out.sys.val[idx("S3_0_C0_C4_3")] == 0);
		assert_true(f->out.sys.val[idx("S3_0_C0_C7_7")] == 0);
	}
}

/* A real CPU alone sanitises to its own values. */
static void test_one_cpu_real(void **state)
{
	struct fixture *f = reset(state);
	struct idregs_host *h = test_host("neoverse-n1");
	unsigned int k;

	f->cpus[0] = *idregs_host_cpu(h, 0);
	for (k = 0; k < idregs_kernel_count(); k++) {
		assert_int_equal(idregs_sanitise(f->cpus, 1, k, &f->out), 0);
		assert_false(f->out.tainted);
		assert_true(f->out.sys.val[idx("ID_AA64PFR0_EL1")] == 0x1100000011111112ULL);
		assert_true(f->out.sys.val[idx("ID_AA64ISAR0_EL1")] == 0x0000100010211120ULL);
		assert_true(f->out.sys.val[idx("ID_AA64ISAR1_EL1")] == 0x0000000000100001ULL);
		assert_true(f->out.sys.val[idx("ID_AA64MMFR0_EL1")] == 0x0000000000101125ULL);
		assert_true(f->out.sys.val[idx("ID_AA64MMFR1_EL1")] == 0x0000000010212122ULL);
		assert_true(f->out.sys.val[idx("ID_AA64MMFR2_EL1")] == 0x0000000000001011ULL);
	}
	idregs_host_free(h);
}

/* ---- the field rules, two CPUs ---- */

static void test_lower_safe(void **state)
{
	struct fixture *f = reset(state);

	/* ID_AA64ISAR0_EL1.AES 7:4 */
	two(f, "ID_AA64ISAR0_EL1", 4, 4, 2, 1, 1);
	f = reset(state);
	two(f, "ID_AA64ISAR0_EL1", 4, 4, 1, 2, 1);
	f = reset(state);
	two(f, "ID_AA64ISAR0_EL1", 4, 4, 2, 0, 0);
	f = reset(state);
	two(f, "ID_AA64ISAR0_EL1", 4, 4, 2, 2, 2);
	/* field by field: every field of ISAR0 is lower-safe (data/regs.db) */
	f = reset(state);
	f->cpus[0].val[idx("ID_AA64ISAR0_EL1")] = 0x0000100010211120ULL;
	f->cpus[1].val[idx("ID_AA64ISAR0_EL1")] = 0x1111011101111110ULL;
	assert_int_equal(idregs_sanitise(f->cpus, 2, 1, &f->out), 0);
	assert_true(f->out.sys.val[idx("ID_AA64ISAR0_EL1")] == 0x0000000000111110ULL);
	/* the PFR0 EL0 field (safe 1) is still the minimum, not the safe value */
	f = reset(state);
	two(f, "ID_AA64PFR0_EL1", 0, 4, 2, 1, 1);
}

static void test_higher_safe(void **state)
{
	struct fixture *f = reset(state);

	/* ID_AA64MMFR1_EL1.SpecSEI 27:24 is higher-safe (data/regs.db) */
	two(f, "ID_AA64MMFR1_EL1", 24, 4, 0, 1, 1);
	f = reset(state);
	two(f, "ID_AA64MMFR1_EL1", 24, 4, 1, 0, 1);
	/* ... while PAN 23:20 next to it is lower-safe */
	f = reset(state);
	f->cpus[0].val[idx("ID_AA64MMFR1_EL1")] = 0x0000000000200000ULL;
	f->cpus[1].val[idx("ID_AA64MMFR1_EL1")] = 0x0000000001100000ULL;
	assert_int_equal(idregs_sanitise(f->cpus, 2, 0, &f->out), 0);
	assert_true(f->out.sys.val[idx("ID_AA64MMFR1_EL1")] == 0x0000000001100000ULL);
	/* ID_MMFR4_EL1.SpecSEI 3:0 as well */
	f = reset(state);
	two(f, "ID_MMFR4_EL1", 0, 4, 0, 1, 1);
}

static void test_exact(void **state)
{
	struct fixture *f = reset(state);
	int ctr = idx("CTR_EL0"), clidr = idx("CLIDR_EL1");

	/* CTR_EL0.L1Ip 15:14, exact, safe VIPT (2) */
	f->cpus[0].val[clidr] = f->cpus[1].val[clidr] = CLIDR_NEEDS_CLEAN;
	two(f, "CTR_EL0", 14, 2, 3, 1, 2);		/* PIPT vs AIVIVT */
	f = reset(state);
	f->cpus[0].val[clidr] = f->cpus[1].val[clidr] = CLIDR_NEEDS_CLEAN;
	two(f, "CTR_EL0", 14, 2, 3, 2, 2);
	f = reset(state);
	f->cpus[0].val[clidr] = f->cpus[1].val[clidr] = CLIDR_NEEDS_CLEAN;
	two(f, "CTR_EL0", 14, 2, 3, 3, 3);		/* equal: kept */
	/* RES1 (bit 31) is an exact field with safe 1 */
	f = reset(state);
	f->cpus[0].val[clidr] = f->cpus[1].val[clidr] = CLIDR_NEEDS_CLEAN;
	two(f, "CTR_EL0", 31, 1, 0, 1, 1);
	(void)ctr;
}

static void test_higher_or_zero(void **state)
{
	static const struct { uint64_t a, b, want; } t[] = {
		{ 4, 0, 0 }, { 0, 4, 0 }, { 4, 5, 5 }, { 5, 4, 5 }, { 0, 0, 0 },
		{ 4, 4, 4 },
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct fixture *f = reset(state);
		int clidr = idx("CLIDR_EL1");

		f->cpus[0].val[clidr] = f->cpus[1].val[clidr] = CLIDR_NEEDS_CLEAN;
		two(f, "CTR_EL0", 24, 4, t[i].a, t[i].b, t[i].want);	/* CWG */
		f = reset(state);
		f->cpus[0].val[clidr] = f->cpus[1].val[clidr] = CLIDR_NEEDS_CLEAN;
		two(f, "CTR_EL0", 20, 4, t[i].a, t[i].b, t[i].want);	/* ERG */
	}
}

static void test_signed(void **state)
{
	struct fixture *f = reset(state);

	/* ID_AA64PFR0_EL1.FP 19:16: 0xF is -1 (not implemented) < 1 */
	two(f, "ID_AA64PFR0_EL1", 16, 4, 0xf, 1, 0xf);
	f = reset(state);
	two(f, "ID_AA64PFR0_EL1", 16, 4, 1, 0xf, 0xf);
	f = reset(state);
	two(f, "ID_AA64PFR0_EL1", 16, 4, 0, 0xf, 0xf);
	f = reset(state);
	two(f, "ID_AA64PFR0_EL1", 16, 4, 1, 0, 0);
	/* AdvSIMD 23:20 likewise */
	f = reset(state);
	two(f, "ID_AA64PFR0_EL1", 20, 4, 0, 0xf, 0xf);
	/* an unsigned lower-safe field: 0xF is the larger value */
	f = reset(state);
	two(f, "ID_AA64ISAR0_EL1", 4, 4, 0xf, 1, 1);
}

static void test_three_cpus(void **state)
{
	struct fixture *f = reset(state);
	int isar0 = idx("ID_AA64ISAR0_EL1"), ctr = idx("CTR_EL0");
	int clidr = idx("CLIDR_EL1");
	size_t c;

	for (c = 0; c < 3; c++)
		f->cpus[c].val[clidr] = CLIDR_NEEDS_CLEAN;
	f->cpus[0].val[isar0] = put(0, 4, 4, 2);
	f->cpus[1].val[isar0] = put(0, 4, 4, 1);
	f->cpus[2].val[isar0] = put(0, 4, 4, 2);
	f->cpus[0].val[ctr] = put(0, 24, 4, 4);
	f->cpus[1].val[ctr] = put(0, 24, 4, 0);
	f->cpus[2].val[ctr] = put(0, 24, 4, 5);
	expect_field(f, 3, "ID_AA64ISAR0_EL1", 4, 4, 1);
	expect_field(f, 3, "CTR_EL0", 24, 4, 0);
}

/* ---- strictness and taint ---- */

static bool strict_diff_zero(const struct idregs_sanitised *s)
{
	unsigned int j;

	for (j = 0; j < IDREGS_SPACE_SIZE; j++)
		if (s->strict_diff.val[j])
			return false;
	return true;
}

static void test_nonstrict_no_taint(void **state)
{
	struct fixture *f = reset(state);
	int pfr0 = idx("ID_AA64PFR0_EL1"), ctr = idx("CTR_EL0");
	int clidr = idx("CLIDR_EL1");
	unsigned int k;

	/* ID_AA64PFR0_EL1.CSV2 59:56 and CSV3 63:60 are non-strict */
	f->cpus[0].val[pfr0] = 0x1100000011111112ULL;
	f->cpus[1].val[pfr0] = 0x0000000011111112ULL;
	for (k = 0; k < idregs_kernel_count(); k++) {
		assert_int_equal(idregs_sanitise(f->cpus, 2, k, &f->out), 0);
		assert_true(f->out.sys.val[pfr0] == 0x0000000011111112ULL);
		assert_false(f->out.tainted);
		assert_true(strict_diff_zero(&f->out));
	}
	/* CTR_EL0.L1Ip is non-strict */
	f = reset(state);
	f->cpus[0].val[clidr] = f->cpus[1].val[clidr] = CLIDR_NEEDS_CLEAN;
	f->cpus[0].val[ctr] = 0x000000008444c004ULL;
	f->cpus[1].val[ctr] = 0x0000000084448004ULL;
	for (k = 0; k < idregs_kernel_count(); k++) {
		assert_int_equal(idregs_sanitise(f->cpus, 2, k, &f->out), 0);
		assert_int_equal(fld(f->out.sys.val[ctr], 14, 2), 2);
		assert_false(f->out.tainted);
		assert_true(strict_diff_zero(&f->out));
	}
	/* MIDR_EL1 has no cpufeature table: different CPU types don't taint */
	f = reset(state);
	f->cpus[0].val[idx("MIDR_EL1")] = 0x414fd0c1;
	f->cpus[1].val[idx("MIDR_EL1")] = 0x410fd083;
	assert_int_equal(idregs_sanitise(f->cpus, 2, 0, &f->out), 0);
	assert_false(f->out.tainted);
}

static void test_strict_taint(void **state)
{
	struct fixture *f = reset(state);
	int isar0 = idx("ID_AA64ISAR0_EL1"), pfr0 = idx("ID_AA64PFR0_EL1");
	unsigned int k, j;

	/* ID_AA64ISAR0_EL1.AES is strict: 2 vs 1 */
	f->cpus[0].val[isar0] = 0x0000100010211120ULL;
	f->cpus[1].val[isar0] = 0x0000100010211110ULL;
	for (k = 0; k < idregs_kernel_count(); k++) {
		assert_int_equal(idregs_sanitise(f->cpus, 2, k, &f->out), 0);
		assert_true(f->out.tainted);
		for (j = 0; j < IDREGS_SPACE_SIZE; j++)
			assert_true(f->out.strict_diff.val[j] ==
				    (j == (unsigned int)isar0 ? 0x30ULL : 0));
	}
	/* a RES0 difference is strict too ("a missing field is a strict RES0
	 * field"), and the sanitised value still has 0 there */
	f = reset(state);
	f->cpus[0].val[isar0] = 0x0000100010211120ULL;
	f->cpus[1].val[isar0] = 0x0000100010211121ULL;
	assert_int_equal(idregs_sanitise(f->cpus, 2, 1, &f->out), 0);
	assert_true(f->out.tainted);
	assert_true(f->out.strict_diff.val[isar0] == 0x1);
	assert_true(f->out.sys.val[isar0] == 0x0000100010211120ULL);
	/* so is a field that is not in the host table (PFR0.RME) */
	f = reset(state);
	f->cpus[0].val[pfr0] = 0x0000000011111112ULL;
	f->cpus[1].val[pfr0] = 0x0010000011111112ULL;
	assert_int_equal(idregs_sanitise(f->cpus, 2, 1, &f->out), 0);
	assert_true(f->out.tainted);
	assert_true(f->out.strict_diff.val[pfr0] == 0x0010000000000000ULL);
	assert_true(f->out.sys.val[pfr0] == 0x0000000011111112ULL);
	/* strict and non-strict together: only the strict bits are reported */
	f = reset(state);
	f->cpus[0].val[pfr0] = 0x1100000011111112ULL;	/* CSV2/3 1, GIC 1 */
	f->cpus[1].val[pfr0] = 0x0000000010111112ULL;	/* CSV2/3 0, GIC 0 */
	assert_int_equal(idregs_sanitise(f->cpus, 2, 0, &f->out), 0);
	assert_true(f->out.tainted);
	assert_true(f->out.strict_diff.val[pfr0] == 0x0000000001000000ULL);
	/* the comparison is with the boot CPU's raw value, not sys_val */
	f = reset(state);
	f->cpus[0].val[isar0] = put(0, 4, 4, 2);
	f->cpus[1].val[isar0] = put(0, 4, 4, 2);
	f->cpus[2].val[isar0] = put(0, 4, 4, 1);
	assert_int_equal(idregs_sanitise(f->cpus, 3, 0, &f->out), 0);
	assert_true(f->out.tainted);
	assert_true(f->out.strict_diff.val[isar0] == 0x30);
	/* identical CPUs: no taint */
	f = reset(state);
	f->cpus[0].val[isar0] = f->cpus[1].val[isar0] = 0x0000100010211120ULL;
	assert_int_equal(idregs_sanitise(f->cpus, 2, 0, &f->out), 0);
	assert_false(f->out.tainted);
	assert_true(strict_diff_zero(&f->out));
}

/* ---- effective CTR_EL0 (read_cpuid_effective_cachetype) ---- */

static void test_effective_ctr(void **state)
{
	struct fixture *f = reset(state);
	int ctr = idx("CTR_EL0"), clidr = idx("CLIDR_EL1");

	/* IDC 0, but CLIDR says no clean to PoU is needed: IDC reads as 1 */
	f->cpus[0].val[ctr] = 0x000000008444c004ULL;
	f->cpus[0].val[clidr] = 0x0000000082000023ULL;	/* LoUIS 0, LoUU 0 */
	assert_int_equal(idregs_sanitise(f->cpus, 1, 1, &f->out), 0);
	assert_true(f->out.sys.val[ctr] == 0x000000009444c004ULL);
	f->cpus[0].val[clidr] = 0;			/* LoC 0 */
	assert_int_equal(idregs_sanitise(f->cpus, 1, 1, &f->out), 0);
	assert_true(f->out.sys.val[ctr] == 0x000000009444c004ULL);
	f->cpus[0].val[clidr] = CLIDR_NEEDS_CLEAN;
	assert_int_equal(idregs_sanitise(f->cpus, 1, 1, &f->out), 0);
	assert_true(f->out.sys.val[ctr] == 0x000000008444c004ULL);
}

/* ---- the EL0 view (docs/kvm-model.md, Host sanitisation: EL0 view) ---- */

static void test_el0_view(void **state)
{
	struct fixture *f = reset(state);
	struct idregs_host *h = test_host("neoverse-n1");
	unsigned int k, j;

	f->cpus[0] = *idregs_host_cpu(h, 0);
	f->cpus[0].val[idx("REVIDR_EL1")] = 0x5;
	f->cpus[0].val[idx("MPIDR_EL1")] = 0x81000100;
	f->cpus[0].val[idx("AIDR_EL1")] = 0x7;
	f->cpus[0].val[idx("S3_0_C0_C4_3")] = 0x1234;
	for (k = 0; k < idregs_kernel_count(); k++) {
		const uint64_t *el0 = f->out.el0.val;

		assert_int_equal(idregs_sanitise(f->cpus, 1, k, &f->out), 0);
		/* CRm 0: real MIDR, fixed MPIDR, no REVIDR */
		assert_true(el0[idx("MIDR_EL1")] == 0x414fd0c1ULL);
		assert_true(el0[idx("MPIDR_EL1")] == 0x80000000ULL);
		assert_true(el0[idx("REVIDR_EL1")] == 0);
		/* CRm 1 is not emulated: 0 though the CPU has AArch32 values */
		for (j = 8; j < 16; j++)
			assert_true(el0[j] == 0);
		assert_true(f->out.sys.val[idx("ID_PFR0_EL1")] != 0);
		/* op1 1 is outside the emulated space */
		assert_true(el0[idx("CLIDR_EL1")] == 0);
		assert_true(el0[idx("AIDR_EL1")] == 0);
		/* ID_AA64PFR0_EL1 0x1100000011111112: visible AdvSIMD/FP (and
		 * DIT, SVE) as sanitised; hidden fields at their safe values:
		 * EL1 and EL0 safe 1, the others 0 */
		assert_true(el0[idx("ID_AA64PFR0_EL1")] == 0x0000000000110011ULL);
		/* ID_AA64ISAR0_EL1: all its set fields are visible */
		assert_true(el0[idx("ID_AA64ISAR0_EL1")] == 0x0000100010211120ULL);
		/* ID_AA64MMFR1_EL1: only AFP is visible (and 0 here) */
		assert_true(el0[idx("ID_AA64MMFR1_EL1")] == 0);
		/* ID_AA64MMFR0_EL1: ECV (0 here) is the only visible
		 * field; hidden TGRAN4_2/64_2/16_2 show safe 1, hidden signed
		 * TGRAN4/TGRAN64 show safe 0xF (NI), the rest 0 */
		assert_true(el0[idx("ID_AA64MMFR0_EL1")] == 0x00000111ff000000ULL);
		/* CRm 2 (AArch32) is emulated: ID_ISAR5_EL1 0x01011121 shows
		 * CRC32, SHA2, SHA1, AES; RDM and SEVL hidden (safe 0) */
		assert_true(el0[idx("ID_ISAR5_EL1")] == 0x0000000000011120ULL);
		/* no table: 0 */
		assert_true(el0[idx("S3_0_C0_C4_3")] == 0);
		/* CTR_EL0: every field visible, the sanitised value */
		assert_true(el0[idx("CTR_EL0")] == f->out.sys.val[idx("CTR_EL0")]);
	}
	idregs_host_free(h);
}

static void test_el0_view_two_cpus(void **state)
{
	struct fixture *f = reset(state);
	int isar0 = idx("ID_AA64ISAR0_EL1"), pfr0 = idx("ID_AA64PFR0_EL1");
	int mmfr1 = idx("ID_AA64MMFR1_EL1");

	f->cpus[0].val[idx("MIDR_EL1")] = 0x414fd0c1;
	f->cpus[1].val[idx("MIDR_EL1")] = 0x410fd083;
	f->cpus[0].val[isar0] = 0x0000100010211120ULL;	/* AES 2 */
	f->cpus[1].val[isar0] = 0x0000100010211110ULL;	/* AES 1 */
	f->cpus[0].val[pfr0] = 0x0000000000ff0022ULL;	/* FP/AdvSIMD NI */
	f->cpus[1].val[pfr0] = 0x0000000000110011ULL;
	f->cpus[0].val[mmfr1] = 0x0000100000000000ULL;	/* AFP 1 */
	f->cpus[1].val[mmfr1] = 0x0000100001000000ULL;	/* + SpecSEI 1 */
	assert_int_equal(idregs_sanitise(f->cpus, 2, 1, &f->out), 0);
	/* visible fields show the system-wide value */
	assert_true(f->out.el0.val[isar0] == 0x0000100010211110ULL);
	assert_true(f->out.el0.val[pfr0] == 0x0000000000ff0011ULL);
	/* hidden SpecSEI (sys 1) shows its safe value 0 */
	assert_int_equal(fld(f->out.sys.val[mmfr1], 24, 4), 1);
	assert_true(f->out.el0.val[mmfr1] == 0x0000100000000000ULL);
	/* MIDR: the boot CPU's */
	assert_true(f->out.el0.val[idx("MIDR_EL1")] == 0x414fd0c1ULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_one_cpu_fields_only),
		cmocka_unit_test(test_one_cpu_real),
		cmocka_unit_test(test_lower_safe),
		cmocka_unit_test(test_higher_safe),
		cmocka_unit_test(test_exact),
		cmocka_unit_test(test_higher_or_zero),
		cmocka_unit_test(test_signed),
		cmocka_unit_test(test_three_cpus),
		cmocka_unit_test(test_nonstrict_no_taint),
		cmocka_unit_test(test_strict_taint),
		cmocka_unit_test(test_effective_ctr),
		cmocka_unit_test(test_el0_view),
		cmocka_unit_test(test_el0_view_two_cpus),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
