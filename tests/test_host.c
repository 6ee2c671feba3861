// SPDX-License-Identifier: MIT
/*
 * Host profiles (idregs-host/1, docs/formats.md): the built-in profiles,
 * kind raw and kind kvm documents, and every way a document is refused
 * (-EINVAL and a message naming the problem). Loading from files, and the
 * vCPU features each built-in host offers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "testutil.h"

#define ORIGIN "test.json"

static int parse(const char *json, struct idregs_host **h,
		 struct idregs_error *err)
{
	memset(err, 0, sizeof(*err));
	*h = NULL;
	return idregs_host_parse(json, strlen(json), ORIGIN, h, err);
}

static struct idregs_host *parse_ok(const char *json)
{
	struct idregs_error err;
	struct idregs_host *h;
	int ret = parse(json, &h, &err);

	if (ret)
		fail_msg("refused (%d): %s\n%s", ret, err.msg, json);
	assert_non_null(h);
	return h;
}

/* Refused with -EINVAL and a message containing each of the substrings. */
static void refused(const char *json, size_t len, const char *what,
		    const char *sub1, const char *sub2)
{
	struct idregs_error err;
	struct idregs_host *h = NULL;
	int ret;

	memset(&err, 0, sizeof(err));
	ret = idregs_host_parse(json, len, ORIGIN, &h, &err);
	if (ret != -EINVAL) {
		idregs_host_free(h);
		fail_msg("%s: got %d, want -EINVAL", what, ret);
	}
	if (!err.msg[0])
		fail_msg("%s: refused without a message", what);
	if (!strstr(err.msg, ORIGIN))
		fail_msg("%s: message does not name the origin: %s", what, err.msg);
	if (sub1 && !strstr(err.msg, sub1))
		fail_msg("%s: message lacks \"%s\": %s", what, sub1, err.msg);
	if (sub2 && !strstr(err.msg, sub2))
		fail_msg("%s: message lacks \"%s\": %s", what, sub2, err.msg);
}

static void refuse(const char *json, const char *what, const char *sub1,
		   const char *sub2)
{
	refused(json, strlen(json), what, sub1, sub2);
}

#define RAW_HEAD "{\"format\": \"idregs-host/1\", \"kind\": \"raw\", "

/* ---- built-in profiles ---- */

static void test_builtins(void **state)
{
	static const char *const expected[] = {
		"a64fx", "cortex-a53", "cortex-a57", "cortex-a72", "cortex-a76",
		"neoverse-n1", "neoverse-n2", "neoverse-v1",
	};
	size_t i, j, n = idregs_builtin_count();

	(void)state;
	assert_int_equal(n, sizeof(expected) / sizeof(expected[0]));
	for (j = 0; j < sizeof(expected) / sizeof(expected[0]); j++) {
		bool found = false;

		for (i = 0; i < n; i++)
			if (!strcmp(idregs_builtin_name(i), expected[j]))
				found = true;
		if (!found)
			fail_msg("built-in profile %s missing", expected[j]);
	}
	for (i = 0; i < n; i++) {
		const char *json = idregs_builtin_json(i);
		struct idregs_host *h;

		assert_non_null(idregs_builtin_name(i));
		assert_non_null(idregs_builtin_description(i));
		assert_true(strlen(idregs_builtin_description(i)) > 0);
		assert_non_null(json);
		h = parse_ok(json);
		assert_string_equal(idregs_host_name(h), idregs_builtin_name(i));
		assert_false(idregs_host_is_kvm(h));
		assert_true(idregs_host_cpu_count(h) >= 1);
		assert_non_null(idregs_host_cpu(h, 0));
		assert_null(idregs_host_cpu(h, idregs_host_cpu_count(h)));
		/* every built-in CPU has a MIDR and an ID_AA64PFR0_EL1 */
		assert_true(idregs_host_cpu(h, 0)->val[0] != 0);
		assert_true(idregs_host_cpu(h, 0)->val[32] != 0);
		idregs_host_free(h);
		/* and loads by name */
		h = test_host(idregs_builtin_name(i));
		assert_string_equal(idregs_host_name(h), idregs_builtin_name(i));
		idregs_host_free(h);
	}
}

static void test_builtin_values(void **state)
{
	struct idregs_host *h = test_host("neoverse-n1");
	const struct idregs_regset *c;

	(void)state;
	c = idregs_host_cpu(h, 0);
	assert_non_null(c);
	assert_int_equal(idregs_host_cpu_count(h), 1);
	assert_true(c->val[0] == 0x414fd0c1ULL);			/* MIDR_EL1 */
	assert_true(c->val[32] == 0x1100000011111112ULL);	/* ID_AA64PFR0_EL1 */
	assert_true(c->val[48] == 0x0000100010211120ULL);	/* ID_AA64ISAR0_EL1 */
	assert_true(c->val[129] == 0x8444c004ULL);		/* CTR_EL0 */
	assert_true(c->val[5] == 0);				/* unlisted: 0 */
	idregs_host_free(h);
}

/* ---- good documents ---- */

static void test_raw_ok(void **state)
{
	struct idregs_host *h;

	(void)state;
	h = parse_ok(RAW_HEAD "\"name\": \"two-types\", \"mode\": \"nvhe\", "
		     "\"description\": \"unknown members are ignored\", \"x-extra\": [1, 2], "
		     "\"cpus\": [ {\"MIDR_EL1\": \"0x410fd0c0\", \"ID_AA64PFR0_EL1\": \"0x11\", "
		     "\"S3_0_C0_C4_3\": \"0x0\", \"3.3.0.0.1\": \"0X8444C004\"}, "
		     "{\"midr_el1\": \"0x410fd034\", \"ID_AA64ISAR0_EL1\": \"0xffffffffffffffff\"} ] }");
	assert_string_equal(idregs_host_name(h), "two-types");
	assert_false(idregs_host_is_kvm(h));
	assert_int_equal(idregs_host_cpu_count(h), 2);
	assert_true(idregs_host_cpu(h, 0)->val[0] == 0x410fd0c0ULL);
	assert_true(idregs_host_cpu(h, 0)->val[32] == 0x11ULL);
	assert_true(idregs_host_cpu(h, 0)->val[129] == 0x8444c004ULL);
	assert_true(idregs_host_cpu(h, 1)->val[0] == 0x410fd034ULL);
	assert_true(idregs_host_cpu(h, 1)->val[48] == ~0ULL);
	assert_true(idregs_host_cpu(h, 1)->val[32] == 0);
	assert_null(idregs_host_cpu(h, 2));
	idregs_host_free(h);

	/* minimal: no name, no mode; "1.x" is still version 1 */
	h = parse_ok("{\"format\": \"idregs-host/1.4\", \"kind\": \"raw\", \"cpus\": [{}]}");
	assert_int_equal(idregs_host_cpu_count(h), 1);
	assert_non_null(idregs_host_name(h));
	idregs_host_free(h);
}

static const char kvm_doc[] =
	"{\"format\": \"idregs-host/1\", \"name\": \"graviton3-6.12\", "
	"\"kind\": \"kvm\", \"kernel\": \"6.12\", \"mode\": \"vhe\", "
	"\"features\": [\"pmu\", \"sve\", \"ptrauth\"], "
	"\"regs\": {\"MIDR_EL1\": \"0x411fd401\", \"ID_AA64PFR0_EL1\": \"0x1101000111111111\", "
	"\"ID_AA64ISAR0_EL1\": \"0x0221100110212120\", \"CTR_EL0\": \"0x9444c004\"}, "
	"\"masks\": {\"ID_AA64ISAR0_EL1\": \"0xfffffffffffffff0\"} }";

static void test_kvm_ok(void **state)
{
	struct idregs_host *h;

	(void)state;
	h = parse_ok(kvm_doc);
	assert_string_equal(idregs_host_name(h), "graviton3-6.12");
	assert_true(idregs_host_is_kvm(h));
	assert_int_equal(idregs_host_cpu_count(h), 0);
	assert_null(idregs_host_cpu(h, 0));
	assert_int_equal(idregs_host_features(h),
			 IDREGS_FEAT_PMU_V3 | IDREGS_FEAT_SVE | IDREGS_FEAT_PTRAUTH);
	idregs_host_free(h);

	/* features may be absent (none) or empty */
	h = parse_ok("{\"format\": \"idregs-host/1\", \"kind\": \"kvm\", \"regs\": {}}");
	assert_true(idregs_host_is_kvm(h));
	assert_int_equal(idregs_host_features(h), 0);
	idregs_host_free(h);
	h = parse_ok("{\"format\": \"idregs-host/1\", \"kind\": \"kvm\", "
		     "\"features\": [\"el1_32bit\"], \"regs\": {}}");
	assert_int_equal(idregs_host_features(h), IDREGS_FEAT_EL1_32BIT);
	idregs_host_free(h);
}

/* ---- refused documents ---- */

static void test_refuse_not_json(void **state)
{
	(void)state;
	refused("", 0, "empty input", "empty", NULL);
	refuse("this is not JSON", "garbage", NULL, NULL);
	refuse("{\"format\": \"idregs-host/1\", ", "truncated", NULL, NULL);
	refuse("[{\"format\": \"idregs-host/1\"}]", "an array", "object", NULL);
	/* scalars are not JSON texts jansson decodes by default: any clear
	 * message will do */
	refuse("\"idregs-host/1\"", "a string", NULL, NULL);
	refuse("42", "a number", NULL, NULL);
	refuse("null", "null", NULL, NULL);
}

static void test_refuse_format(void **state)
{
	(void)state;
	refuse("{\"kind\": \"raw\", \"cpus\": [{}]}", "missing format",
	       "format", "idregs-host/1");
	refuse("{\"format\": 1, \"kind\": \"raw\", \"cpus\": [{}]}",
	       "format not a string", "format", NULL);
	refuse("{\"format\": \"idregs-model/1\", \"kind\": \"raw\", \"cpus\": [{}]}",
	       "a model document", "idregs-model/1", "idregs-host");
	refuse("{\"format\": \"something\", \"kind\": \"raw\", \"cpus\": [{}]}",
	       "unknown format", "something", NULL);
	refuse("{\"format\": \"idregs-host/2\", \"kind\": \"raw\", \"cpus\": [{}]}",
	       "version 2", "idregs-host/2", "version");
	refuse("{\"format\": \"idregs-host/10\", \"kind\": \"raw\", \"cpus\": [{}]}",
	       "version 10", "idregs-host/10", NULL);
	refuse("{\"format\": \"idregs-hostile/1\", \"kind\": \"raw\", \"cpus\": [{}]}",
	       "a longer family name", "idregs-hostile/1", NULL);
}

static void test_refuse_kind(void **state)
{
	(void)state;
	refuse("{\"format\": \"idregs-host/1\", \"cpus\": [{}]}", "missing kind",
	       "kind", NULL);
	refuse("{\"format\": \"idregs-host/1\", \"kind\": \"model\", \"cpus\": [{}]}",
	       "kind model", "kind", "raw");
	refuse("{\"format\": \"idregs-host/1\", \"kind\": \"RAW\", \"cpus\": [{}]}",
	       "kind RAW", "kind", NULL);
	refuse("{\"format\": \"idregs-host/1\", \"kind\": 1, \"cpus\": [{}]}",
	       "kind a number", "kind", NULL);
	/* kind kvm needs its regs object */
	refuse("{\"format\": \"idregs-host/1\", \"kind\": \"kvm\"}", "kvm without regs",
	       "regs", NULL);
	refuse("{\"format\": \"idregs-host/1\", \"kind\": \"kvm\", \"regs\": []}",
	       "kvm regs an array", "regs", NULL);
}

static void test_refuse_cpus(void **state)
{
	(void)state;
	refuse(RAW_HEAD "\"cpus\": []}", "empty cpus", "cpus", NULL);
	refuse("{\"format\": \"idregs-host/1\", \"kind\": \"raw\"}", "missing cpus",
	       "cpus", NULL);
	refuse(RAW_HEAD "\"cpus\": {}}", "cpus an object", "cpus", NULL);
	refuse(RAW_HEAD "\"cpus\": [\"MIDR_EL1\"]}", "cpu not an object",
	       "cpus[0]", NULL);
	refuse(RAW_HEAD "\"cpus\": [{}, 7]}", "second cpu not an object",
	       "cpus[1]", NULL);
}

static void test_refuse_values(void **state)
{
	(void)state;
	refuse(RAW_HEAD "\"cpus\": [{\"MIDR_EL1\": 1094766785}]}", "value a number",
	       "MIDR_EL1", "0x");
	refuse(RAW_HEAD "\"cpus\": [{\"MIDR_EL1\": null}]}", "value null",
	       "MIDR_EL1", NULL);
	refuse(RAW_HEAD "\"cpus\": [{\"MIDR_EL1\": \"414fd0c1\"}]}", "value without 0x",
	       "MIDR_EL1", "0x");
	refuse(RAW_HEAD "\"cpus\": [{\"MIDR_EL1\": \"0x\"}]}", "0x without digits",
	       "MIDR_EL1", NULL);
	refuse(RAW_HEAD "\"cpus\": [{\"MIDR_EL1\": \"0x10000000000000000\"}]}",
	       "17 hex digits", "MIDR_EL1", "16");
	refuse(RAW_HEAD "\"cpus\": [{\"MIDR_EL1\": \"0x414fd0cg\"}]}", "a non-hex digit",
	       "MIDR_EL1", NULL);
	refuse(RAW_HEAD "\"cpus\": [{\"MIDR_EL1\": \"0x414fd0c1 \"}]}", "trailing blank",
	       "MIDR_EL1", NULL);
	refuse(RAW_HEAD "\"cpus\": [{\"MIDR_EL1\": \"-0x1\"}]}", "negative",
	       "MIDR_EL1", NULL);
	refuse(RAW_HEAD "\"cpus\": [{}, {\"CTR_EL0\": \"0xz\"}]}", "second cpu's value",
	       "cpus[1]", "CTR_EL0");
	/* kind kvm regs too */
	refuse("{\"format\": \"idregs-host/1\", \"kind\": \"kvm\", \"regs\": "
	       "{\"MIDR_EL1\": \"414fd0c1\"}}", "kvm value without 0x", "regs",
	       "MIDR_EL1");
}

static void test_refuse_registers(void **state)
{
	(void)state;
	refuse(RAW_HEAD "\"cpus\": [{\"FOO_EL1\": \"0x1\"}]}", "unknown register",
	       "FOO_EL1", "unknown register");
	refuse(RAW_HEAD "\"cpus\": [{\"3.0.0.4\": \"0x1\"}]}", "bad dotted name",
	       "3.0.0.4", NULL);
	/* a well-formed name outside the feature-ID space (SCTLR_EL1) */
	refuse(RAW_HEAD "\"cpus\": [{\"S3_0_C1_C0_0\": \"0x1\"}]}", "outside the space",
	       "S3_0_C1_C0_0", NULL);
	refuse(RAW_HEAD "\"cpus\": [{\"3.2.0.0.0\": \"0x1\"}]}", "op1 2",
	       "3.2.0.0.0", NULL);
	/* duplicate keys (JSON_REJECT_DUPLICATES) */
	refuse(RAW_HEAD "\"cpus\": [{\"MIDR_EL1\": \"0x1\", \"MIDR_EL1\": \"0x2\"}]}",
	       "duplicate register", "duplicate", NULL);
	refuse("{\"format\": \"idregs-host/1\", \"format\": \"idregs-host/1\", "
	       "\"kind\": \"raw\", \"cpus\": [{}]}", "duplicate member", "duplicate", NULL);
}

static void test_refuse_mode_features(void **state)
{
	(void)state;
	refuse(RAW_HEAD "\"mode\": \"hvhe\", \"cpus\": [{}]}", "bad mode", "mode", "vhe");
	refuse(RAW_HEAD "\"mode\": 1, \"cpus\": [{}]}", "mode a number", "mode", NULL);
	refuse(RAW_HEAD "\"name\": 7, \"cpus\": [{}]}", "name a number", "name", NULL);
	refuse("{\"format\": \"idregs-host/1\", \"kind\": \"kvm\", "
	       "\"features\": [\"pmu\", \"sme\"], \"regs\": {}}", "unknown feature",
	       "features", "[1]");
	refuse("{\"format\": \"idregs-host/1\", \"kind\": \"kvm\", "
	       "\"features\": \"pmu\", \"regs\": {}}", "features a string",
	       "features", NULL);
	refuse("{\"format\": \"idregs-host/1\", \"kind\": \"kvm\", "
	       "\"features\": [3], \"regs\": {}}", "feature a number", "features", NULL);
	refuse("{\"format\": \"idregs-host/1\", \"kind\": \"kvm\", \"kernel\": 6.12, "
	       "\"regs\": {}}", "kernel a number", "kernel", NULL);
}

/* ---- files ---- */

static void test_load_files(void **state)
{
	char dir[] = "/tmp/idregs-test-host.XXXXXX", path[128], missing[160];
	struct idregs_host *h = NULL;
	struct idregs_error err;
	FILE *f;
	int ret;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(missing, sizeof(missing), "%s/no-such-profile.json", dir);
	memset(&err, 0, sizeof(err));
	ret = idregs_host_load(missing, &h, &err);
	assert_true(ret < 0);
	assert_null(h);
	if (!strstr(err.msg, missing))
		fail_msg("error does not name the path: %s", err.msg);

	/* a valid file */
	snprintf(path, sizeof(path), "%s/host.json", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(kvm_doc, f);
	fclose(f);
	memset(&err, 0, sizeof(err));
	ret = idregs_host_load(path, &h, &err);
	if (ret)
		fail_msg("load of %s: %s", path, err.msg);
	assert_true(idregs_host_is_kvm(h));
	assert_string_equal(idregs_host_name(h), "graviton3-6.12");
	idregs_host_free(h);

	/* a malformed file: the message names the file */
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("{\"format\": \"idregs-host/1\", \"kind\": \"raw\", \"cpus\": []}", f);
	fclose(f);
	h = NULL;
	memset(&err, 0, sizeof(err));
	assert_int_equal(idregs_host_load(path, &h, &err), -EINVAL);
	assert_null(h);
	if (!strstr(err.msg, path) || !strstr(err.msg, "cpus"))
		fail_msg("bad message: %s", err.msg);

	/* an empty file */
	f = fopen(path, "w");
	assert_non_null(f);
	fclose(f);
	memset(&err, 0, sizeof(err));
	assert_int_equal(idregs_host_load(path, &h, &err), -EINVAL);
	if (!strstr(err.msg, path) || !strstr(err.msg, "empty"))
		fail_msg("bad message: %s", err.msg);

	/* a directory is not a profile */
	memset(&err, 0, sizeof(err));
	h = NULL;
	assert_true(idregs_host_load(dir, &h, &err) < 0);
	assert_null(h);
	assert_non_null(strstr(err.msg, dir));

	unlink(path);
	rmdir(dir);

	/* a built-in name */
	memset(&err, 0, sizeof(err));
	assert_int_equal(idregs_host_load("neoverse-n1", &h, &err), 0);
	assert_string_equal(idregs_host_name(h), "neoverse-n1");
	idregs_host_free(h);
	/* a name that is neither */
	memset(&err, 0, sizeof(err));
	h = NULL;
	assert_true(idregs_host_load("neoverse-n9", &h, &err) < 0);
	assert_non_null(strstr(err.msg, "neoverse-n9"));
}

/* ---- vCPU features of the built-in hosts ---- */

static uint32_t features_of(const char *name)
{
	struct idregs_host *h = test_host(name);
	uint32_t f = idregs_host_features(h);

	idregs_host_free(h);
	return f;
}

static void test_features(void **state)
{
	(void)state;
	/* Neoverse-N1: PMUv3 (DFR0.PMUVer 4); no SVE; no pointer auth
	 * (ISAR1 APA/API/GPA/GPI 0); AArch32 at EL0 only (PFR0.EL1 1) */
	assert_int_equal(features_of("neoverse-n1"), IDREGS_FEAT_PMU_V3);
	/* Neoverse-V1: SVE and pointer auth */
	assert_int_equal(features_of("neoverse-v1") &
			 (IDREGS_FEAT_SVE | IDREGS_FEAT_PTRAUTH),
			 IDREGS_FEAT_SVE | IDREGS_FEAT_PTRAUTH);
	assert_int_equal(features_of("neoverse-v1") & IDREGS_FEAT_EL1_32BIT, 0);
	assert_int_equal(features_of("neoverse-n2") &
			 (IDREGS_FEAT_SVE | IDREGS_FEAT_PTRAUTH),
			 IDREGS_FEAT_SVE | IDREGS_FEAT_PTRAUTH);
	/* Cortex-A72/A57/A53: AArch32 EL1 (PFR0.EL1 2), PMU, no SVE */
	assert_int_equal(features_of("cortex-a72"),
			 IDREGS_FEAT_EL1_32BIT | IDREGS_FEAT_PMU_V3);
	assert_int_equal(features_of("cortex-a57"),
			 IDREGS_FEAT_EL1_32BIT | IDREGS_FEAT_PMU_V3);
	assert_int_equal(features_of("cortex-a53"),
			 IDREGS_FEAT_EL1_32BIT | IDREGS_FEAT_PMU_V3);
	/* Cortex-A76: AArch32 at EL0 only */
	assert_int_equal(features_of("cortex-a76") & IDREGS_FEAT_EL1_32BIT, 0);
	/* A64FX: SVE, no AArch32 at all */
	assert_int_equal(features_of("a64fx") & IDREGS_FEAT_EL1_32BIT, 0);
	assert_int_equal(features_of("a64fx") & IDREGS_FEAT_SVE, IDREGS_FEAT_SVE);
	/* never anything outside the valid bits */
	assert_int_equal(features_of("neoverse-v1") & ~IDREGS_FEAT_VALID, 0);
}

static void test_feature_words(void **state)
{
	uint32_t bits = 0;
	unsigned int i;
	const char *w;

	(void)state;
	assert_int_equal(idregs_feature_parse("pmu", &bits), 0);
	assert_int_equal(bits, IDREGS_FEAT_PMU_V3);
	assert_int_equal(idregs_feature_parse("sve", &bits), 0);
	assert_int_equal(bits, IDREGS_FEAT_SVE);
	assert_int_equal(idregs_feature_parse("ptrauth", &bits), 0);
	assert_int_equal(bits, IDREGS_FEAT_PTRAUTH);
	assert_int_equal(bits, 0x60);
	assert_int_equal(idregs_feature_parse("el1_32bit", &bits), 0);
	assert_int_equal(bits, IDREGS_FEAT_EL1_32BIT);
	assert_int_equal(idregs_feature_parse("sme", &bits), -EINVAL);
	assert_int_equal(idregs_feature_parse("PMU", &bits), -EINVAL);
	assert_int_equal(idregs_feature_parse("", &bits), -EINVAL);
	for (i = 0; (w = idregs_feature_name(i, &bits)); i++) {
		uint32_t b2 = 0;

		assert_int_equal(idregs_feature_parse(w, &b2), 0);
		assert_int_equal(b2, bits);
	}
	assert_int_equal(i, 4);
}

/* Renaming (kvm probe --name), the KVM backend off arm64, and the value
 * before a refused write that both apply paths report. */
static void test_kvm_backend(void **state)
{
	static const char long_name[] =
		"0123456789012345678901234567890123456789012345678901234567890123"
		"0123456789012345678901234567890123456789012345678901234567890123";
	uint64_t isar0 = idregs_sysreg_id(IDREGS_ENC(3, 0, 0, 6, 0)), v;
	struct idregs_apply_result res;
	struct idregs_error err;
	struct idregs_model m;
	struct idregs_host *h;
	struct idregs_vm *vm;

	(void)state;
	h = parse_ok(kvm_doc);
	assert_int_equal(idregs_host_set_name(h, "probed"), 0);
	assert_string_equal(idregs_host_name(h), "probed");
	assert_int_equal(idregs_host_set_name(h, long_name), -EINVAL);
	assert_string_equal(idregs_host_name(h), "probed");
	idregs_host_free(h);

#if !(defined(__linux__) && defined(__aarch64__))
	memset(&m, 0, sizeof(m));
	assert_int_equal(idregs_kvm_available(), -ENOSYS);
	assert_int_equal(idregs_kvm_probe(&h, &err), -ENOSYS);
	assert_non_null(strstr(err.msg, "KVM is unavailable"));
	assert_int_equal(idregs_kvm_check_model(&m, &res, &err), -ENOSYS);
	assert_int_equal(res.err, 0);
	assert_non_null(strstr(err.msg, "KVM is unavailable"));
#endif

	/* AES one above the host's: refused, with the old value reported */
	assert_int_equal(idregs_host_load("neoverse-n1", &h, &err), 0);
	assert_int_equal(idregs_vm_create(h, idregs_kernel_default(), &vm), 0);
	assert_int_equal(idregs_vcpu_create(vm, 0), 0);
	assert_int_equal(idregs_vcpu_init(vm, 0, 0), 0);
	assert_int_equal(idregs_vcpu_get(vm, 0, isar0, &v), 0);
	memset(&m, 0, sizeof(m));
	m.has[48] = true;
	m.regs.val[48] = v + 0x10;
	assert_int_equal(idregs_vm_apply_model(vm, 0, &m, &res), -EINVAL);
	assert_int_equal(res.err, -EINVAL);
	assert_int_equal(res.enc, IDREGS_ENC(3, 0, 0, 6, 0));
	assert_true(res.wanted == v + 0x10);
	assert_true(res.before == v);
	idregs_vm_destroy(vm);
	idregs_host_free(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_builtins),
		cmocka_unit_test(test_builtin_values),
		cmocka_unit_test(test_raw_ok),
		cmocka_unit_test(test_kvm_ok),
		cmocka_unit_test(test_refuse_not_json),
		cmocka_unit_test(test_refuse_format),
		cmocka_unit_test(test_refuse_kind),
		cmocka_unit_test(test_refuse_cpus),
		cmocka_unit_test(test_refuse_values),
		cmocka_unit_test(test_refuse_registers),
		cmocka_unit_test(test_refuse_mode_features),
		cmocka_unit_test(test_load_files),
		cmocka_unit_test(test_features),
		cmocka_unit_test(test_feature_words),
		cmocka_unit_test(test_kvm_backend),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
