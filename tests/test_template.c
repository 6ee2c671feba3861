// SPDX-License-Identifier: MIT
/*
 * Interchange: Firecracker custom CPU templates (import, export, round
 * trip, refusals) and the QEMU -cpu export. The V1N1 template is written
 * here from its filter/value table (docs/templates.md, The V1N1 template),
 * not copied.
 */
#include <stdio.h>
#include <stdlib.h>

#include "testutil.h"

#define PFR0	IDREGS_ENC(3, 0, 0, 4, 0)
#define ISAR0	IDREGS_ENC(3, 0, 0, 6, 0)
#define ISAR1	IDREGS_ENC(3, 0, 0, 6, 1)
#define MMFR2	IDREGS_ENC(3, 0, 0, 7, 2)

/* The V1N1 table: register, filter, value. */
static const struct {
	uint16_t enc;
	uint64_t filter;
	uint64_t value;
} v1n1[] = {
	{ PFR0,  0x000F000F00000000ULL, 0x0 },
	{ ISAR0, 0xF0FF0FFF0000F000ULL, 0x0000000000001000ULL },
	{ ISAR1, 0x00FFF00000FFF00FULL, 0x0000000000100001ULL },
	{ MMFR2, 0x0000000F00000000ULL, 0x0 },
};

/* The fields the table changes, and to what. */
static const struct {
	uint16_t enc;
	const char *field;
	uint64_t value;
} v1n1_fields[] = {
	{ PFR0, "SVE", 0 }, { PFR0, "DIT", 0 },
	{ ISAR0, "SHA2", 1 }, { ISAR0, "SHA3", 0 }, { ISAR0, "SM3", 0 },
	{ ISAR0, "SM4", 0 }, { ISAR0, "FHM", 0 }, { ISAR0, "TS", 0 },
	{ ISAR0, "RNDR", 0 },
	{ ISAR1, "DPB", 1 }, { ISAR1, "JSCVT", 0 }, { ISAR1, "FCMA", 0 },
	{ ISAR1, "LRCPC", 1 }, { ISAR1, "BF16", 0 }, { ISAR1, "DGH", 0 },
	{ ISAR1, "I8MM", 0 },
	{ MMFR2, "AT", 0 },
};

/* Tri-state text of (filter, value), contracted, with a separator every
 * 16 bits (Firecracker ignores '_'). */
static void bitmap(uint64_t filter, uint64_t value, char *buf)
{
	int top = 63 - __builtin_clzll(filter), b;
	char *p = buf;

	p += sprintf(p, "0b");
	for (b = top; b >= 0; b--) {
		*p++ = !(filter >> b & 1) ? 'x' : (value >> b & 1) ? '1' : '0';
		if (b && b % 16 == 0)
			*p++ = '_';
	}
	*p = 0;
}

static char *v1n1_template(void)
{
	char *t = malloc(4096), bm[160];
	size_t i, n;

	assert_non_null(t);
	n = (size_t)sprintf(t, "{\n  \"reg_modifiers\": [");
	for (i = 0; i < sizeof(v1n1) / sizeof(v1n1[0]); i++) {
		bitmap(v1n1[i].filter, v1n1[i].value, bm);
		n += (size_t)sprintf(t + n, "%s\n    { \"addr\": \"0x%016llx\", \"bitmap\": \"%s\" }",
				     i ? "," : "",
				     (unsigned long long)idregs_sysreg_id(v1n1[i].enc), bm);
	}
	sprintf(t + n, "\n  ]\n}\n");
	return t;
}

static int import(const char *json, const char *host_name, const char *kernel,
		  struct idregs_model *m, struct idregs_error *err)
{
	struct idregs_host *h = test_host(host_name);
	int ret;

	ret = idregs_fc_import(json, strlen(json), "test.json", h,
			       test_kernel(kernel), m, err);
	idregs_host_free(h);
	return ret;
}

static uint64_t host_value(const char *host_name, const char *kernel,
			   uint32_t features, uint16_t enc)
{
	struct idregs_host *h = test_host(host_name);
	struct idregs_vm *vm = test_vm(h, kernel, features);
	uint64_t v = test_get(vm, 0, idregs_sysreg_id(enc));

	idregs_vm_destroy(vm);
	idregs_host_free(h);
	return v;
}

static uint64_t field_mask(uint16_t enc, const char *name, unsigned int *shift)
{
	struct idregs_field_info f;
	unsigned int i;

	for (i = 0; i < idregs_reg_field_count(enc); i++) {
		assert_int_equal(idregs_reg_field(enc, i, &f), 0);
		if (!strcmp(f.name, name)) {
			*shift = f.shift;
			return ((1ULL << f.width) - 1) << f.shift;
		}
	}
	fail_msg("no field %s", name);
	return 0;
}

/* The value each register is expected to have: the host's, with the
 * listed fields replaced, computed field by field. */
static uint64_t expected(uint16_t enc, uint64_t host, uint64_t *changed)
{
	uint64_t v = host;
	unsigned int shift = 0;
	size_t i;

	*changed = 0;
	for (i = 0; i < sizeof(v1n1_fields) / sizeof(v1n1_fields[0]); i++) {
		uint64_t m;

		if (v1n1_fields[i].enc != enc)
			continue;
		m = field_mask(enc, v1n1_fields[i].field, &shift);
		v = (v & ~m) | (v1n1_fields[i].value << shift);
		*changed |= m;
	}
	return v;
}

static void check_v1n1(const char *kernel)
{
	struct idregs_model m;
	struct idregs_error err;
	unsigned int i, nregs = 0, differing = 0;
	char *t = v1n1_template();

	if (import(t, "neoverse-v1", kernel, &m, &err))
		fail_msg("import: %s", err.msg);
	free(t);
	assert_int_equal(m.features, 0);
	assert_int_equal(m.kernel, (int)test_kernel(kernel));
	assert_true(m.host_bits.val[idregs_space_index(ISAR0)] == 0);
	for (i = 0; i < IDREGS_SPACE_SIZE; i++)
		nregs += m.has[i];
	assert_int_equal(nregs, 4);
	for (i = 0; i < sizeof(v1n1) / sizeof(v1n1[0]); i++) {
		uint16_t enc = v1n1[i].enc;
		int idx = idregs_space_index(enc);
		uint64_t host = host_value("neoverse-v1", kernel, 0, enc), changed;
		uint64_t want = expected(enc, host, &changed);
		unsigned int f;

		assert_true(m.has[idx]);
		/* the table's filter is exactly the listed fields */
		assert_true(changed == v1n1[i].filter);
		/* every field: listed ones take the table's value, others the host's */
		for (f = 0; f < idregs_reg_field_count(enc); f++) {
			struct idregs_field_info fi;
			uint64_t fm;

			assert_int_equal(idregs_reg_field(enc, f, &fi), 0);
			fm = ((1ULL << fi.width) - 1) << fi.shift;
			if ((m.regs.val[idx] & fm) != (want & fm))
				fail_msg("%s: model 0x%llx, expected 0x%llx", fi.name,
					 (unsigned long long)((m.regs.val[idx] & fm) >> fi.shift),
					 (unsigned long long)((want & fm) >> fi.shift));
			differing += (m.regs.val[idx] & fm) != (host & fm);
		}
		assert_true(m.regs.val[idx] == want);
	}
	/* neoverse-v1 has DIT, SHA512, SHA3, SM3/4, FHM, TS, RNDR, DPB 2,
	 * JSCVT, FCMA, LRCPC 2, BF16, DGH, I8MM and AT: all but SVE (hidden
	 * without the vCPU feature) differ */
	assert_int_equal(differing, 16);
}

static void test_v1n1_import(void **state)
{
	(void)state;
	check_v1n1("7.3");
	check_v1n1("6.12");
}

static void test_v1n1_provenance(void **state)
{
	struct idregs_model m;
	struct idregs_error err;
	char *t = v1n1_template();

	(void)state;
	assert_int_equal(import(t, "neoverse-v1", "7.3", &m, &err), 0);
	free(t);
	assert_string_equal(m.name, "test");
	assert_non_null(strstr(m.provenance, "\"firecracker_template\":\"test.json\""));
	assert_non_null(strstr(m.provenance, "\"resolved_on\":\"neoverse-v1\""));
}

/* A model's value of register i as a VM of host shows it. */
static uint64_t effective(const struct idregs_model *m, const struct idregs_regset *host,
			  unsigned int i)
{
	uint64_t hb = m->host_bits.val[i];

	return m->has[i] ? (m->regs.val[i] & ~hb) | (host->val[i] & hb) : host->val[i];
}

static void host_regset(const struct idregs_host *h, unsigned int kernel,
			uint32_t features, struct idregs_regset *out)
{
	struct idregs_model hm;
	unsigned int i;

	assert_int_equal(idregs_host_model(h, kernel, features, &hm), 0);
	for (i = 0; i < IDREGS_SPACE_SIZE; i++)
		out->val[i] = hm.has[i] ? hm.regs.val[i] : 0;
}

static void roundtrip(const struct idregs_model *m, const char *host_name,
		      unsigned int kernel)
{
	struct idregs_host *h = test_host(host_name);
	struct idregs_regset host;
	struct idregs_model back;
	struct idregs_error err;
	unsigned int i;
	char *text;

	text = idregs_fc_export(m, h, kernel, &err);
	if (!text)
		fail_msg("export: %s", err.msg);
	if (idregs_fc_import(text, strlen(text), "export.json", h, kernel, &back, &err))
		fail_msg("import of the export: %s\n%s", err.msg, text);
	free(text);
	assert_int_equal(back.features, m->features);
	host_regset(h, kernel, m->features, &host);
	for (i = 0; i < IDREGS_SPACE_SIZE; i++) {
		if (effective(&back, &host, i) != effective(m, &host, i))
			fail_msg("%s space index %u: 0x%016llx after the round trip, 0x%016llx before",
				 host_name, i,
				 (unsigned long long)effective(&back, &host, i),
				 (unsigned long long)effective(m, &host, i));
		/* minimal: only registers that differ come back */
		if (back.has[i])
			assert_true(back.regs.val[i] != host.val[i]);
	}
	idregs_host_free(h);
}

static void test_roundtrip_v1n1(void **state)
{
	struct idregs_model m;
	struct idregs_error err;
	char *t = v1n1_template();

	(void)state;
	assert_int_equal(import(t, "neoverse-v1", "7.3", &m, &err), 0);
	free(t);
	roundtrip(&m, "neoverse-v1", test_kernel("7.3"));
	/* the same model resolved against another host */
	roundtrip(&m, "neoverse-n2", test_kernel("7.3"));
}

static void test_roundtrip_features_and_oddities(void **state)
{
	unsigned int k = test_kernel("6.12");
	struct idregs_host *h = test_host("neoverse-v1");
	struct idregs_model m;
	int idx = idregs_space_index(ISAR0);

	(void)state;
	/* a model with features, and a bit outside every field */
	assert_int_equal(idregs_host_model(h, k, IDREGS_FEAT_PMU_V3 | IDREGS_FEAT_SVE, &m), 0);
	m.regs.val[idx] = (m.regs.val[idx] & ~0xf000ULL) | 0x1000 | 0x1;
	roundtrip(&m, "neoverse-v1", k);
	idregs_host_free(h);
}

static void test_roundtrip_floor(void **state)
{
	static const char *const hosts[] = { "neoverse-n1", "neoverse-v1", "cortex-a76" };
	unsigned int k = test_kernel("7.3"), i, hb = 0;
	struct idregs_baseline *b;
	struct idregs_error err;
	struct idregs_model m;

	(void)state;
	assert_int_equal(idregs_baseline_new(k, 0, true, &b), 0);
	for (i = 0; i < 3; i++) {
		struct idregs_host *h = test_host(hosts[i]);

		assert_int_equal(idregs_baseline_add(b, h, &err), 0);
		idregs_host_free(h);
	}
	assert_int_equal(idregs_baseline_model(b, &m), 0);
	idregs_baseline_free(b);
	for (i = 0; i < IDREGS_SPACE_SIZE; i++)
		hb += m.host_bits.val[i] != 0;
	assert_true(hb > 0);
	for (i = 0; i < 3; i++)
		roundtrip(&m, hosts[i], k);
}

/* Exported text: the V1N1 registers come back as the table has them
 * where every listed field differs from the host's. */
static void test_export_text(void **state)
{
	struct idregs_host *h = test_host("neoverse-v1");
	struct idregs_model m;
	struct idregs_error err;
	char *t = v1n1_template(), *text;

	(void)state;
	assert_int_equal(import(t, "neoverse-v1", "7.3", &m, &err), 0);
	free(t);
	text = idregs_fc_export(&m, h, test_kernel("7.3"), &err);
	assert_non_null(text);
	assert_non_null(strstr(text, "\"addr\": \"0x603000000013c030\",\n      \"bitmap\": "
		"\"0b0000xxxx00000000xxxx000000000000xxxxxxxxxxxxxxxx0001xxxxxxxxxxxx\""));
	assert_non_null(strstr(text,
		"\"bitmap\": \"0b000000000000xxxxxxxxxxxxxxxxxxxx000100000000xxxxxxxx0001\""));
	/* PFR0: only DIT differs (SVE reads 0 without the vCPU feature) */
	assert_non_null(strstr(text, "\"bitmap\": \"0b0000xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\""));
	assert_null(strstr(text, "vcpu_features"));
	assert_null(strstr(text, "kvm_capabilities"));
	free(text);
	idregs_host_free(h);
}

/* A model equal to the host needs no modifier at all. */
static void test_export_minimal(void **state)
{
	unsigned int k = test_kernel("7.3");
	struct idregs_host *h = test_host("neoverse-n1");
	struct idregs_model m;
	struct idregs_error err;
	char *text;

	(void)state;
	assert_int_equal(idregs_host_model(h, k, IDREGS_FEAT_PMU_V3, &m), 0);
	text = idregs_fc_export(&m, h, k, &err);
	assert_non_null(text);
	assert_null(strstr(text, "\"addr\""));
	assert_non_null(strstr(text, "\"reg_modifiers\": []"));
	assert_non_null(strstr(text, "\"bitmap\": \"0b1xxx\""));
	free(text);
	text = idregs_qemu_export(&m, h, k, &err);
	assert_string_equal(text, "-cpu host,pmu=on,sve=off,pauth=off");
	free(text);
	idregs_host_free(h);
}

static void test_features(void **state)
{
	static const char sve_pac[] =
		"{ \"kvm_capabilities\": [\"170\", \"171\", \"!172\"],\n"
		"  \"vcpu_features\": [{ \"index\": 0, \"bitmap\": \"0b111xxxx\" }] }";
	struct idregs_host *h = test_host("neoverse-v1");
	struct idregs_model m;
	struct idregs_error err;
	char *text;

	(void)state;
	assert_int_equal(import(sve_pac, "neoverse-v1", "7.3", &m, &err), 0);
	assert_int_equal(m.features, IDREGS_FEAT_SVE | IDREGS_FEAT_PTRAUTH);
	assert_non_null(strstr(m.provenance, "\"kvm_capabilities\":[\"170\",\"171\",\"!172\"]"));
	text = idregs_fc_export(&m, h, test_kernel("7.3"), &err);
	assert_non_null(text);
	assert_non_null(strstr(text, "\"bitmap\": \"0b111xxxx\""));
	assert_non_null(strstr(text, "\"!172\""));
	free(text);
	text = idregs_qemu_export(&m, h, test_kernel("7.3"), &err);
	assert_string_equal(text, "-cpu host,pmu=off,sve=on,pauth=on");
	free(text);
	/* entries apply in order; PSCI_0_2 and POWER_OFF are not model bits */
	assert_int_equal(import("{\"vcpu_features\": [{\"index\": 0, \"bitmap\": \"0b1x0x1\"},"
				"{\"index\": 0, \"bitmap\": \"0b01xxx\"}]}",
				"neoverse-v1", "7.3", &m, &err), 0);
	assert_int_equal(m.features, IDREGS_FEAT_PMU_V3);
	/* the host decides which features exist */
	assert_int_equal(import(sve_pac, "neoverse-n1", "7.3", &m, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "neoverse-n1 cannot run vCPUs with the features sve,ptrauth"));
	idregs_host_free(h);
}

static void test_qemu_export(void **state)
{
	struct idregs_host *h = test_host("neoverse-v1");
	unsigned int k = test_kernel("7.3"), n = 0;
	struct idregs_model m;
	struct idregs_error err;
	char *t = v1n1_template(), *text;
	const char *p;

	(void)state;
	assert_int_equal(import(t, "neoverse-v1", "7.3", &m, &err), 0);
	free(t);
	text = idregs_qemu_export(&m, h, k, &err);
	assert_non_null(text);
	assert_int_equal(strncmp(text, "-cpu host,SYSREG_", 17), 0);
	for (p = text; (p = strstr(p, "SYSREG_")); p++)
		n++;
	assert_int_equal(n, 16);
	assert_non_null(strstr(text, ",SYSREG_ID_AA64PFR0_EL1_DIT=0x0,"));
	assert_non_null(strstr(text, ",SYSREG_ID_AA64ISAR0_EL1_SHA2=0x1,"));
	assert_non_null(strstr(text, ",SYSREG_ID_AA64ISAR1_EL1_LRCPC=0x1,"));
	assert_non_null(strstr(text, ",SYSREG_ID_AA64MMFR2_EL1_AT=0x0,"));
	assert_null(strstr(text, "_SVE="));
	assert_non_null(strstr(text, ",pmu=off,sve=off,pauth=off"));
	free(text);
	/* bits outside every field have no QEMU property */
	m.regs.val[idregs_space_index(ISAR0)] |= 1;
	errno = 0;
	assert_null(idregs_qemu_export(&m, h, k, &err));
	assert_int_equal(errno, EINVAL);
	assert_non_null(strstr(err.msg, "ID_AA64ISAR0_EL1 bits 0x0000000000000001"));
	assert_non_null(strstr(err.msg, "outside every field"));
	/* el1_32bit is QEMU's aarch64=off */
	idregs_host_free(h);
	h = test_host("cortex-a72");
	assert_int_equal(idregs_host_model(h, k, IDREGS_FEAT_EL1_32BIT, &m), 0);
	text = idregs_qemu_export(&m, h, k, &err);
	assert_string_equal(text, "-cpu host,pmu=off,sve=off,pauth=off,aarch64=off");
	free(text);
	idregs_host_free(h);
}

/* Refusals: each names the problem (and the entry) behind the origin. */
static void refused(const char *json, const char *want)
{
	struct idregs_model m;
	struct idregs_error err = { "" };
	int ret = import(json, "neoverse-v1", "7.3", &m, &err);

	if (!ret)
		fail_msg("accepted: %s", json);
	assert_true(ret < 0);
	if (strncmp(err.msg, "test.json: ", 11) || !strstr(err.msg, want))
		fail_msg("for %s\n  message: %s\n  want:    %s", json, err.msg, want);
}

static void test_refusals(void **state)
{
	char big[400], wide[200];

	(void)state;
	refused("{\"reg_modifiers\": [{\"addr\": \"0x603000000013c020\", \"bitmap\": \"0b10z1\"}]}",
		"reg_modifiers[0]: bitmap character 'z' is not 0, 1, x or _");
	refused("{\"reg_modifiers\": [{\"addr\": \"0x603000000013c020\", \"bitmap\": \"101\"}]}",
		"must start with \"0b\"");
	refused("{\"reg_modifiers\": [{\"addr\": \"0x603000000013c020\", \"bitmap\": \"0b__\"}]}",
		"bitmap has no bits");
	snprintf(big, sizeof(big),
		 "{\"reg_modifiers\": [{\"addr\": \"0x603000000013c020\", \"bitmap\": \"0b%0129d\"}]}", 0);
	refused(big, "bitmap is longer than 128 bits");
	/* 65 bits with a 1 above bit 63 of a 64-bit register */
	snprintf(wide, sizeof(wide),
		 "{\"reg_modifiers\": [{\"addr\": \"0x603000000013c020\", \"bitmap\": \"0b1%064d\"}]}", 0);
	refused(wide, "wider than the 64-bit register 0x603000000013c020");
	refused("{\"reg_modifiers\": [{\"addr\": \"0x602000000013c020\", \"bitmap\": \"0b1xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"}]}",
		"wider than the 32-bit register");
	refused("{\"reg_modifiers\": [{\"addr\": \"0x602000000013c020\", \"bitmap\": \"0b1\"}]}",
		"addr 0x602000000013c020 is not a feature-ID system register");
	refused("{\"foo\": []}", "unknown member \"foo\"");
	refused("{\"cpuid_modifiers\": []}", "\"cpuid_modifiers\" is an x86_64 member");
	refused("{\"msr_modifiers\": []}", "\"msr_modifiers\" is an x86_64 member");
	refused("{\"reg_modifiers\": [{\"bitmap\": \"0b1\"}]}",
		"reg_modifiers[0]: missing or non-string \"addr\"");
	refused("{\"reg_modifiers\": [{\"addr\": \"0x603000000013c020\"}]}",
		"reg_modifiers[0]: missing or non-string \"bitmap\"");
	refused("{\"reg_modifiers\": [{\"addr\": \"j\", \"bitmap\": \"0b1\"}]}",
		"addr \"j\" is not \"0x\"");
	refused("{\"reg_modifiers\": [{\"addr\": \"0x6030000000100000\", \"bitmap\": \"0b1\"}]}",
		"addr 0x6030000000100000 is not a feature-ID system register");
	/* SCTLR_EL1: a system register, but outside the feature-ID space */
	refused("{\"reg_modifiers\": [{\"addr\": \"0x603000000013c080\", \"bitmap\": \"0b1\"}]}",
		"addr 0x603000000013c080 is not a feature-ID system register");
	/* in the space, but KVM has no such register */
	refused("{\"reg_modifiers\": [{\"addr\": \"0x603000000013c810\", \"bitmap\": \"0b1\"}]}",
		"KVM has no register S3_1_C0_C2_0 (0x603000000013c810");
	refused("{\"reg_modifiers\": [{\"addr\": \"0x603000000013c020\", \"bitmap\": \"0b1\"},"
		"{\"addr\": \"0x603000000013c020\", \"bitmap\": \"0b0\"}]}",
		"reg_modifiers[1]: addr 0x603000000013c020 appears twice");
	refused("{\"reg_modifiers\": {}}", "\"reg_modifiers\" must be an array");
	refused("{\"reg_modifiers\": [1]}", "reg_modifiers[0] must be an object");
	refused("{\"reg_modifiers\": [", "line 1");
	refused("[]", "must be a JSON object");
	refused("{\"reg_modifiers\": [], \"reg_modifiers\": []}", "duplicate");
	refused("{\"kvm_capabilities\": [\"17a\"]}", "kvm_capabilities[0]: expected");
	refused("{\"kvm_capabilities\": [170]}", "kvm_capabilities[0]: expected");
	refused("{\"vcpu_features\": [{\"index\": 1, \"bitmap\": \"0b1\"}]}",
		"only index 0");
	refused("{\"vcpu_features\": [{\"bitmap\": \"0b1\"}]}", "\"index\"");
	refused("{\"vcpu_features\": [{\"index\": 0, \"bitmap\": \"0b1xxxxxxx\"}]}",
		"bit 7 is set");
	refused("{\"vcpu_features\": [{\"index\": 0, \"bitmap\": \"0b1xxxxx\"}]}",
		"must be set together");
	refused("{\"vcpu_features\": [{\"index\": 0, \"bitmap\": \"0b1xxxxxxxx_xxxxxxxx_xxxxxxxx_xxxxxxxx\"}]}",
		"longer than 32 bits");
}

/* What Firecracker's own width rule allows: x beyond the register width,
 * "0b" + 128 characters as its serializer writes them, binary addrs. */
static void test_accepted_forms(void **state)
{
	char text[512];
	struct idregs_model m;
	struct idregs_error err;
	uint64_t host = host_value("neoverse-v1", "7.3", 0, ISAR0);
	int idx = idregs_space_index(ISAR0);

	(void)state;
	/* ISAR0 by binary addr; 128 characters: 112 x, then 0001 at bits
	 * 15:12 and 12 x */
	snprintf(text, sizeof(text),
		 "{\"reg_modifiers\": [{\"addr\": \"0b%s\", \"bitmap\": \"0b%s%s0001xxxxxxxxxxxx\"}]}",
		 "110000000110000000000000000000000000000000100111100000000110000",
		 "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
		 "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
	if (import(text, "neoverse-v1", "7.3", &m, &err))
		fail_msg("%s", err.msg);
	assert_true(m.has[idx]);
	assert_true(m.regs.val[idx] == ((host & ~0xf000ULL) | 0x1000));
	assert_int_equal(import("{}", "neoverse-v1", "7.3", &m, &err), 0);
	assert_int_equal(m.features, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_v1n1_import),
		cmocka_unit_test(test_v1n1_provenance),
		cmocka_unit_test(test_roundtrip_v1n1),
		cmocka_unit_test(test_roundtrip_features_and_oddities),
		cmocka_unit_test(test_roundtrip_floor),
		cmocka_unit_test(test_export_text),
		cmocka_unit_test(test_export_minimal),
		cmocka_unit_test(test_features),
		cmocka_unit_test(test_qemu_export),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_accepted_forms),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
