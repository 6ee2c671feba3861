// SPDX-License-Identifier: MIT
/*
 * Baselines and checks: every rule (lower-safe, higher-safe, signed,
 * exact), conflicts in fields no VMM can change, the feature floor, and
 * for every pair of built-in profiles: the baseline applies on both hosts
 * and is maximal (raising any writable field makes one of them refuse).
 */
#include <stdio.h>
#include <stdlib.h>

#include "testutil.h"

#define ISAR0	IDREGS_ENC(3, 0, 0, 6, 0)
#define PFR0	IDREGS_ENC(3, 0, 0, 4, 0)
#define MMFR0	IDREGS_ENC(3, 0, 0, 7, 0)
#define MMFR1	IDREGS_ENC(3, 0, 0, 7, 1)
#define CTR	IDREGS_ENC(3, 3, 0, 0, 1)

static uint64_t fld(uint64_t v, unsigned int shift)
{
	return (v >> shift) & 0xf;
}

static uint64_t put(uint64_t v, unsigned int shift, uint64_t f)
{
	return (v & ~(0xfULL << shift)) | (f << shift);
}

/* A raw host: neoverse-n1's registers with one register replaced. */
static struct idregs_host *host_with(const char *name, uint16_t enc,
				     uint64_t (*edit)(uint64_t), uint64_t arg)
{
	struct idregs_host *base = test_host("neoverse-n1"), *h = NULL;
	const struct idregs_regset *cpu = idregs_host_cpu(base, 0);
	char *json = malloc(16384), *p = json;
	struct idregs_error err;
	unsigned int i;
	bool first = true;

	(void)arg;
	p += sprintf(p, "{\"format\": \"idregs-host/1\", \"name\": \"%s\", "
		     "\"kind\": \"raw\", \"cpus\": [{", name);
	for (i = 0; i < IDREGS_SPACE_SIZE; i++) {
		uint16_t e = idregs_space_enc(i);
		uint64_t v = cpu->val[i];
		char buf[24];

		if (e == enc)
			v = edit(v);
		if (!v)
			continue;
		p += sprintf(p, "%s\"%s\": \"0x%016llx\"", first ? "" : ", ",
			     idregs_reg_name(e, buf), (unsigned long long)v);
		first = false;
	}
	sprintf(p, "}]}");
	if (idregs_host_parse(json, strlen(json), name, &h, &err))
		fail_msg("%s", err.msg);
	free(json);
	idregs_host_free(base);
	return h;
}

static uint64_t keep(uint64_t v) { return v; }
static uint64_t aes1(uint64_t v) { return put(v, 4, 1); }
static uint64_t specsei1(uint64_t v) { return put(v, 24, 1); }
static uint64_t tgran4_ni(uint64_t v) { return put(v, 28, 0xf); }
static uint64_t fp_ni(uint64_t v) { return put(put(v, 16, 0xf), 20, 0xf); }
static uint64_t l1ip_vipt(uint64_t v) { return (v & ~(3ULL << 14)) | (2ULL << 14); }

/* Baseline of two hosts; returns the result of idregs_baseline_model. */
static int baseline2(const struct idregs_host *a, const struct idregs_host *b,
		     const char *kernel, bool floor, struct idregs_model *m,
		     struct idregs_baseline **out)
{
	struct idregs_baseline *bl;
	struct idregs_error err;

	assert_int_equal(idregs_baseline_new(test_kernel(kernel), 0, floor, &bl), 0);
	assert_int_equal(idregs_baseline_add(bl, a, &err), 0);
	assert_int_equal(idregs_baseline_add(bl, b, &err), 0);
	if (out) {
		*out = bl;
		return idregs_baseline_model(bl, m);
	}
	{
		int ret = idregs_baseline_model(bl, m);

		idregs_baseline_free(bl);
		return ret;
	}
}

static bool fits(const struct idregs_host *h, const char *kernel,
		 const struct idregs_model *m)
{
	struct idregs_check_report *rep = malloc(sizeof(*rep));
	bool ok;

	assert_int_equal(idregs_check(h, test_kernel(kernel), m, rep), 0);
	ok = rep->fits;
	free(rep);
	return ok;
}

/* Lower-safe: the lower value of the two hosts. */
static void test_lower_safe(void **state)
{
	struct idregs_host *a = host_with("a", ISAR0, keep, 0);
	struct idregs_host *b = host_with("b", ISAR0, aes1, 0);
	struct idregs_model m;

	(void)state;
	assert_int_equal(baseline2(a, b, "6.12", false, &m, NULL), 0);
	assert_int_equal(fld(m.regs.val[idregs_space_index(ISAR0)], 4), 1);
	assert_true(fits(a, "6.12", &m) && fits(b, "6.12", &m));
	idregs_host_free(a);
	idregs_host_free(b);
}

/* Higher-safe (ID_AA64MMFR1_EL1.SpecSEI): the higher value. */
static void test_higher_safe(void **state)
{
	struct idregs_host *a = host_with("a", MMFR1, keep, 0);
	struct idregs_host *b = host_with("b", MMFR1, specsei1, 0);
	struct idregs_model m;

	(void)state;
	assert_int_equal(fld(idregs_host_cpu(a, 0)->val[idregs_space_index(MMFR1)], 24), 0);
	assert_int_equal(baseline2(a, b, "7.3", false, &m, NULL), 0);
	assert_int_equal(fld(m.regs.val[idregs_space_index(MMFR1)], 24), 1);
	assert_true(fits(a, "7.3", &m) && fits(b, "7.3", &m));
	idregs_host_free(a);
	idregs_host_free(b);
}

/* Signed lower-safe (TGRAN4): 0xF is -1, below 0. */
static void test_signed(void **state)
{
	struct idregs_host *a = host_with("a", MMFR0, keep, 0);
	struct idregs_host *b = host_with("b", MMFR0, tgran4_ni, 0);
	struct idregs_model m;

	(void)state;
	assert_int_equal(baseline2(a, b, "6.12", false, &m, NULL), 0);
	assert_int_equal(fld(m.regs.val[idregs_space_index(MMFR0)], 28), 0xf);
	assert_true(fits(a, "6.12", &m) && fits(b, "6.12", &m));
	idregs_host_free(a);
	idregs_host_free(b);
}

/* Exact (CTR_EL0.L1Ip): writable in 7.3, differing hosts meet at the safe
 * value VIPT; in 6.12 it is not writable, so the difference conflicts. */
static void test_exact_and_release(void **state)
{
	struct idregs_host *a = host_with("pipt", CTR, keep, 0);
	struct idregs_host *b = host_with("vipt", CTR, l1ip_vipt, 0);
	struct idregs_baseline *bl;
	const struct idregs_conflict *c;
	struct idregs_model m;

	(void)state;
	assert_int_equal((idregs_host_cpu(a, 0)->val[idregs_space_index(CTR)] >> 14) & 3, 3);
	assert_int_equal(baseline2(a, b, "7.3", false, &m, NULL), 0);
	assert_int_equal((m.regs.val[idregs_space_index(CTR)] >> 14) & 3, 2);
	assert_true(fits(a, "7.3", &m) && fits(b, "7.3", &m));

	assert_int_equal(baseline2(a, b, "6.12", false, &m, &bl), -EINVAL);
	assert_int_equal(idregs_baseline_conflict_count(bl), 1);
	c = idregs_baseline_conflict(bl, 0);
	assert_int_equal(c->enc, CTR);
	assert_string_equal(c->host_a, "pipt");
	assert_string_equal(c->host_b, "vipt");
	assert_int_equal((c->val_a >> 14) & 3, 3);
	assert_int_equal((c->val_b >> 14) & 3, 2);
	idregs_baseline_free(bl);
	idregs_host_free(a);
	idregs_host_free(b);
}

/* A non-writable field that differs: no strict baseline; the floor leaves
 * it to each host and still applies on both. */
static void test_conflict_and_floor(void **state)
{
	struct idregs_host *a = host_with("fp16", PFR0, keep, 0);
	struct idregs_host *b = host_with("nofp", PFR0, fp_ni, 0);
	struct idregs_baseline *bl;
	struct idregs_model m;
	size_t i, n;
	bool fp = false, simd = false;

	(void)state;
	assert_int_equal(baseline2(a, b, "7.3", false, &m, &bl), -EINVAL);
	n = idregs_baseline_conflict_count(bl);
	for (i = 0; i < n; i++) {
		const struct idregs_conflict *c = idregs_baseline_conflict(bl, i);
		struct idregs_field_info f;

		assert_int_equal(c->enc, PFR0);
		assert_int_equal(idregs_reg_field(c->enc, (unsigned int)c->field, &f), 0);
		fp |= !strcmp(f.name, "FP");
		simd |= !strcmp(f.name, "AdvSIMD");
	}
	assert_true(fp && simd);
	assert_int_equal(n, 2);
	idregs_baseline_free(bl);

	assert_int_equal(baseline2(a, b, "7.3", true, &m, NULL), 0);
	assert_int_equal(m.host_bits.val[idregs_space_index(PFR0)], 0xffULL << 16);
	assert_true(fits(a, "7.3", &m) && fits(b, "7.3", &m));
	idregs_host_free(a);
	idregs_host_free(b);
}

/* check names each refused field with both values. */
static void test_check_reasons(void **state)
{
	struct idregs_host *h = test_host("neoverse-n1");
	struct idregs_check_report *rep = malloc(sizeof(*rep));
	struct idregs_model m;
	int idx = idregs_space_index(ISAR0);
	struct idregs_field_info f;

	(void)state;
	assert_int_equal(idregs_host_model(h, test_kernel("6.12"), 0, &m), 0);
	m.regs.val[idx] = put(m.regs.val[idx], 32, 1);	/* SHA3: host has 0 */
	m.regs.val[idx] = put(m.regs.val[idx], 4, 1);	/* AES 2 -> 1: fine */
	assert_int_equal(idregs_check(h, test_kernel("6.12"), &m, rep), 0);
	assert_false(rep->fits);
	assert_int_equal(rep->nr_refusals, 1);
	assert_int_equal(rep->refusals[0].enc, ISAR0);
	assert_int_equal(idregs_reg_field(ISAR0, (unsigned int)rep->refusals[0].field, &f), 0);
	assert_string_equal(f.name, "SHA3");
	assert_int_equal(fld(rep->refusals[0].model, 32), 1);
	assert_int_equal(fld(rep->refusals[0].host, 32), 0);
	assert_int_equal(rep->refusals[0].err, -EINVAL);

	/* a feature the host lacks is refused before any register */
	m.features = IDREGS_FEAT_SVE;
	assert_int_equal(idregs_check(h, test_kernel("6.12"), &m, rep), 0);
	assert_false(rep->fits);
	assert_int_equal(rep->features_missing, IDREGS_FEAT_SVE);
	free(rep);
	idregs_host_free(h);
}

/* One step up a field's rule; false when the field cannot move that way. */
static bool raise_field(uint64_t *reg, const struct idregs_field_info *f)
{
	uint64_t v = (*reg >> f->shift) & 0xf;
	int64_t s = f->is_signed && (v & 8) ? (int64_t)v - 16 : (int64_t)v;

	if (f->width != 4)
		return false;
	if (!strcmp(f->kvm_rule, "lower-safe") || !strcmp(f->kvm_rule, "higher-or-zero-safe")) {
		if ((f->is_signed && s >= 7) || (!f->is_signed && v == 0xf))
			return false;
		s++;
	} else if (!strcmp(f->kvm_rule, "higher-safe")) {
		if ((f->is_signed && s <= -8) || (!f->is_signed && v == 0))
			return false;
		s--;
	} else {
		return false;
	}
	*reg = put(*reg, f->shift, (uint64_t)s & 0xf);
	return true;
}

/* Every pair of built-ins: the baseline (strict, else the floor) applies on
 * both, and raising any writable field is refused by one of them. */
static void test_builtin_pairs_maximal(void **state)
{
	size_t i, j, n = idregs_builtin_count(), pairs = 0, raised = 0;
	const char *kernels[] = { "6.12", "7.3" };
	unsigned int k;

	(void)state;
	for (k = 0; k < 2; k++) {
		unsigned int kernel = test_kernel(kernels[k]);

		for (i = 0; i < n; i++) {
			for (j = i + 1; j < n; j++) {
				struct idregs_host *a = test_host(idregs_builtin_name(i));
				struct idregs_host *b = test_host(idregs_builtin_name(j));
				struct idregs_model m, up;
				unsigned int r;

				if (baseline2(a, b, kernels[k], false, &m, NULL))
					assert_int_equal(baseline2(a, b, kernels[k], true, &m, NULL), 0);
				assert_true(fits(a, kernels[k], &m));
				assert_true(fits(b, kernels[k], &m));
				pairs++;
				for (r = 0; r < IDREGS_SPACE_SIZE; r++) {
					uint16_t enc = idregs_space_enc(r);
					unsigned int fi;

					if (!m.has[r])
						continue;
					for (fi = 0; fi < idregs_reg_field_count(enc); fi++) {
						struct idregs_field_info f;
						uint64_t fm;

						idregs_reg_field(enc, fi, &f);
						fm = 0xfULL << f.shift;
						if (!idregs_field_kvm_checked(enc, fi, kernel) ||
						    (m.host_bits.val[r] & fm))
							continue;
						up = m;
						if (!raise_field(&up.regs.val[r], &f))
							continue;
						if (fits(a, kernels[k], &up) && fits(b, kernels[k], &up))
							fail_msg("%s + %s (%s): %s.%s could be raised",
								 idregs_builtin_name(i), idregs_builtin_name(j),
								 kernels[k], idregs_reg_name(enc, (char[24]){ 0 }),
								 f.name);
						raised++;
					}
				}
				idregs_host_free(a);
				idregs_host_free(b);
			}
		}
	}
	printf("maximality: %zu pairs x releases, %zu raised fields all refused\n",
	       pairs, raised);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lower_safe),
		cmocka_unit_test(test_higher_safe),
		cmocka_unit_test(test_signed),
		cmocka_unit_test(test_exact_and_release),
		cmocka_unit_test(test_conflict_and_floor),
		cmocka_unit_test(test_check_reasons),
		cmocka_unit_test(test_builtin_pairs_maximal),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
