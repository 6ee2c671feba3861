// SPDX-License-Identifier: MIT
/*
 * Migration state: save and restore round trips (every built-in host),
 * restore onto a richer host, refusal of a blob from a richer host with
 * the field list and the destination untouched byte for byte, and every
 * kind of damaged blob: truncated at every length, every bit flipped,
 * wrong magic, a future version, other features or vCPUs, unknown or
 * missing registers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "testutil.h"

#define ISAR0	IDREGS_ENC(3, 0, 0, 6, 0)
#define MIDR	IDREGS_ENC(3, 0, 0, 0, 0)
#define MPIDR	IDREGS_ENC(3, 0, 0, 0, 5)
#define PFR0	IDREGS_ENC(3, 0, 0, 4, 0)
#define CLIDR	IDREGS_ENC(3, 1, 0, 0, 1)
#define CTR	IDREGS_ENC(3, 3, 0, 0, 1)

/* Everything user space can read of a VM: the 192 encodings through
 * vCPU 0 (value and answer) and each vCPU's MPIDR and CLIDR. */
struct dump {
	uint64_t val[IDREGS_SPACE_SIZE];
	int err[IDREGS_SPACE_SIZE];
	uint64_t mpidr[4];
	uint64_t clidr[4];
};

static void dump(struct idregs_vm *vm, unsigned int nr_vcpus, struct dump *d)
{
	unsigned int i;

	memset(d, 0, sizeof(*d));
	for (i = 0; i < IDREGS_SPACE_SIZE; i++)
		d->err[i] = idregs_vcpu_get(vm, 0, idregs_sysreg_id(idregs_space_enc(i)),
					    &d->val[i]);
	for (i = 0; i < nr_vcpus; i++) {
		d->mpidr[i] = test_get(vm, i, idregs_sysreg_id(MPIDR));
		d->clidr[i] = test_get(vm, i, idregs_sysreg_id(CLIDR));
	}
}

/* A VM with vCPUs 0..n-1 created and initialised with features; the
 * writable implementation-ID capability enabled first when imp. */
static struct idregs_vm *make_vm(const struct idregs_host *h, const char *kernel,
				 uint32_t features, unsigned int n, bool imp)
{
	struct idregs_vm *vm = NULL;
	unsigned int i;

	assert_int_equal(idregs_vm_create(h, test_kernel(kernel), &vm), 0);
	if (imp)
		assert_int_equal(idregs_vm_enable_cap(vm, IDREGS_CAP_ARM_WRITABLE_IMP_ID_REGS), 0);
	for (i = 0; i < n; i++) {
		assert_int_equal(idregs_vcpu_create(vm, i), 0);
		assert_int_equal(idregs_vcpu_init(vm, i, features), 0);
		if (features & IDREGS_FEAT_SVE)
			assert_int_equal(idregs_vcpu_finalize(vm, i), 0);
	}
	return vm;
}

static uint8_t *save(struct idregs_vm *vm, size_t *len)
{
	uint8_t *buf;

	*len = 0;
	assert_int_equal(idregs_state_save(vm, 0, NULL, len), -E2BIG);
	buf = malloc(*len);
	assert_non_null(buf);
	assert_int_equal(idregs_state_save(vm, 0, buf, len), 0);
	return buf;
}

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static void put_le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

/* An independent CRC-32 (bit by bit) to re-seal edited blobs. */
static uint32_t crc32_bitwise(const uint8_t *p, size_t n)
{
	uint32_t crc = 0xffffffffu;
	int k;

	while (n--) {
		crc ^= *p++;
		for (k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0xedb88320u & -(crc & 1));
	}
	return ~crc;
}

static void reseal(uint8_t *buf, size_t len)
{
	put_le32(buf + len - 4, crc32_bitwise(buf, len - 4));
}

static int field_index(uint16_t enc, const char *name)
{
	struct idregs_field_info f;
	unsigned int i;

	for (i = 0; i < idregs_reg_field_count(enc); i++)
		if (!idregs_reg_field(enc, i, &f) && !strcmp(f.name, name))
			return (int)i;
	fail_msg("no field %s", name);
	return -1;
}

static bool has_refusal(const struct idregs_check_report *rep, uint16_t enc,
			int field)
{
	size_t i;

	for (i = 0; i < rep->nr_refusals; i++)
		if (rep->refusals[i].enc == enc && rep->refusals[i].field == field)
			return true;
	return false;
}

/* Restore that must be refused with -EINVAL (or want), a message
 * containing what, and the destination untouched. */
static void refused(struct idregs_vm *dst, unsigned int nr_vcpus,
		    const uint8_t *buf, size_t len, int want, const char *what)
{
	struct idregs_check_report *rep = malloc(sizeof(*rep));
	struct dump *a = malloc(sizeof(*a)), *b = malloc(sizeof(*b));
	struct idregs_error err = { "" };

	dump(dst, nr_vcpus, a);
	assert_int_equal(idregs_state_restore(dst, buf, len, rep, &err), want);
	assert_false(rep->fits);
	if (what && !strstr(err.msg, what))
		fail_msg("message '%s' lacks '%s'", err.msg, what);
	assert_true(strlen(err.msg) > 10);
	dump(dst, nr_vcpus, b);
	assert_memory_equal(a, b, sizeof(*a));
	free(a);
	free(b);
	free(rep);
}

/* A VM with some changes of its own, saved and restored on the same host:
 * every value comes back, and saving the destination gives the same blob. */
static void test_round_trip(void **state)
{
	struct idregs_host *h = test_host("neoverse-n1");
	struct idregs_vm *src = make_vm(h, "7.3", IDREGS_FEAT_PMU_V3, 2, false);
	struct idregs_vm *dst = make_vm(h, "7.3", IDREGS_FEAT_PMU_V3, 2, false);
	struct idregs_check_report *rep = malloc(sizeof(*rep));
	struct dump *a = malloc(sizeof(*a)), *b = malloc(sizeof(*b));
	uint64_t isar0 = test_get(src, 0, idregs_sysreg_id(ISAR0));
	struct idregs_error err;
	uint8_t *blob, *again;
	size_t len, len2;

	(void)state;
	/* AES 2 -> 1, and another MPIDR for vCPU 1 */
	assert_int_equal(idregs_vcpu_set(src, 0, idregs_sysreg_id(ISAR0),
					 (isar0 & ~0xf0ULL) | 0x10), 0);
	assert_int_equal(idregs_vcpu_set(src, 1, idregs_sysreg_id(MPIDR),
					 0x80000101ULL), 0);
	blob = save(src, &len);
	assert_int_equal(len, IDREGS_STATE_HDR_SIZE + 4 + 2 * IDREGS_STATE_VCPU_SIZE +
			 (size_t)(idregs_reg_count() - 2) * IDREGS_STATE_REG_SIZE);
	assert_int_equal(idregs_state_restore(dst, blob, len, rep, &err), 0);
	assert_true(rep->fits);
	assert_int_equal(rep->nr_refusals, 0);
	dump(src, 2, a);
	dump(dst, 2, b);
	assert_memory_equal(a, b, sizeof(*a));
	assert_int_equal(b->mpidr[1], 0x80000101ULL);
	assert_int_equal((b->val[idregs_space_index(ISAR0)] >> 4) & 0xf, 1);
	again = save(dst, &len2);
	assert_int_equal(len, len2);
	assert_memory_equal(blob, again, len);
	/* rep and err are optional */
	idregs_vm_destroy(dst);
	dst = make_vm(h, "7.3", IDREGS_FEAT_PMU_V3, 2, false);
	assert_int_equal(idregs_state_restore(dst, blob, len, NULL, NULL), 0);
	dump(dst, 2, b);
	assert_memory_equal(a, b, sizeof(*a));
	free(again);
	free(blob);
	free(a);
	free(b);
	free(rep);
	idregs_vm_destroy(src);
	idregs_vm_destroy(dst);
	idregs_host_free(h);
}

/* Every built-in host, release and feature set it runs: a default VM (run
 * or not) round-trips exactly. */
static void test_round_trip_builtins(void **state)
{
	struct dump *a = malloc(sizeof(*a)), *b = malloc(sizeof(*b));
	size_t i, n = 0;
	unsigned int k;

	(void)state;
	for (i = 0; i < idregs_builtin_count(); i++) {
		struct idregs_host *h = test_host(idregs_builtin_name(i));
		uint32_t sets[2] = { 0, idregs_host_features(h) };

		for (k = 0; k < idregs_kernel_count(); k++) {
			char ver[24];
			const char *kernel = test_release_version(k, ver);
			unsigned int s;

			for (s = 0; s < 2; s++) {
				struct idregs_vm *src = NULL, *dst;
				uint8_t *blob;
				size_t len;

				assert_int_equal(idregs_vm_create(h, k, &src), 0);
				assert_int_equal(idregs_vcpu_create(src, 0), 0);
				if (idregs_vcpu_init(src, 0, sets[s])) {
					idregs_vm_destroy(src);
					continue;
				}
				if (sets[s] & IDREGS_FEAT_SVE)
					idregs_vcpu_finalize(src, 0);
				/* a source that ran: the usual migration, with an
				 * in-kernel vGICv3 where the host has one (without
				 * it 6.12 clears GIC fields some releases cannot
				 * take back) */
				if (!(sets[s] & IDREGS_FEAT_PMU_V3)) {
					idregs_vm_create_vgic_v3(src);
					assert_int_equal(idregs_vcpu_run(src, 0), 0);
				}
				blob = save(src, &len);
				dst = make_vm(h, kernel, sets[s], 1, false);
				assert_int_equal(idregs_state_restore(dst, blob, len, NULL, NULL), 0);
				dump(src, 1, a);
				dump(dst, 1, b);
				assert_memory_equal(a, b, sizeof(*a));
				n++;
				free(blob);
				idregs_vm_destroy(src);
				idregs_vm_destroy(dst);
			}
		}
		idregs_host_free(h);
	}
	assert_true(n >= 2 * idregs_builtin_count());
	free(a);
	free(b);
}

/* cortex-a76 -> neoverse-n1 (a richer host): accepted with the writable
 * implementation-ID capability, and the guest keeps its a76 identity. */
static void test_richer_host(void **state)
{
	struct idregs_host *a76 = test_host("cortex-a76"), *n1 = test_host("neoverse-n1");
	struct idregs_vm *src = make_vm(a76, "7.3", 0, 1, false);
	struct idregs_vm *dst = make_vm(n1, "7.3", 0, 1, true);
	struct idregs_check_report *rep = malloc(sizeof(*rep));
	struct dump *a = malloc(sizeof(*a)), *b = malloc(sizeof(*b));
	struct idregs_error err;
	uint8_t *blob;
	size_t len;

	(void)state;
	blob = save(src, &len);
	assert_int_not_equal(test_get(src, 0, idregs_sysreg_id(MIDR)),
			     test_get(dst, 0, idregs_sysreg_id(MIDR)));
	assert_int_equal(idregs_state_restore(dst, blob, len, rep, &err), 0);
	assert_true(rep->fits);
	dump(src, 1, a);
	dump(dst, 1, b);
	assert_memory_equal(a->val, b->val, sizeof(a->val));
	assert_int_equal(a->mpidr[0], b->mpidr[0]);
	free(blob);
	free(a);
	free(b);
	free(rep);
	idregs_vm_destroy(src);
	idregs_vm_destroy(dst);
	idregs_host_free(a76);
	idregs_host_free(n1);
}

/* The same without the capability: MIDR_EL1 is refused field by field
 * and the report says the capability is missing; 6.12 has none. */
static void test_imp_cap_missing(void **state)
{
	struct idregs_host *a76 = test_host("cortex-a76"), *n1 = test_host("neoverse-n1");
	struct idregs_check_report *rep = malloc(sizeof(*rep));
	struct idregs_error err;
	const char *kernels[] = { "7.3", "6.12" };
	unsigned int i;

	(void)state;
	for (i = 0; i < 2; i++) {
		struct idregs_vm *src = make_vm(a76, kernels[i], 0, 1, false);
		struct idregs_vm *dst = make_vm(n1, kernels[i], 0, 1, false);
		uint8_t *blob;
		size_t len;

		blob = save(src, &len);
		refused(dst, 1, blob, len, -EINVAL, "MIDR_EL1");
		assert_int_equal(idregs_state_restore(dst, blob, len, rep, &err), -EINVAL);
		assert_true(rep->imp_cap_missing);
		assert_true(has_refusal(rep, MIDR, field_index(MIDR, "PartNum")));
		assert_non_null(strstr(err.msg, i ? "cannot allow" : "not enabled"));
		free(blob);
		idregs_vm_destroy(src);
		idregs_vm_destroy(dst);
	}
	free(rep);
	idregs_host_free(a76);
	idregs_host_free(n1);
}

/* neoverse-n2 -> neoverse-n1: refused with the field list, the destination
 * byte for byte as it was. */
static void test_poorer_host_refused(void **state)
{
	struct idregs_host *n2 = test_host("neoverse-n2"), *n1 = test_host("neoverse-n1");
	struct idregs_vm *src = make_vm(n2, "7.3", IDREGS_FEAT_PMU_V3, 2, false);
	struct idregs_vm *dst = make_vm(n1, "7.3", IDREGS_FEAT_PMU_V3, 2, true);
	struct idregs_check_report *rep = malloc(sizeof(*rep));
	struct idregs_check_report *chk = malloc(sizeof(*chk));
	struct idregs_model m;
	struct idregs_error err;
	uint8_t *blob;
	size_t len, i;

	(void)state;
	blob = save(src, &len);
	refused(dst, 2, blob, len, -EINVAL, "refuses");
	assert_int_equal(idregs_state_restore(dst, blob, len, rep, &err), -EINVAL);
	assert_true(rep->nr_refusals > 10);
	assert_false(rep->imp_cap_missing);
	assert_true(has_refusal(rep, ISAR0, field_index(ISAR0, "SHA3")));
	/* the same fields idregs_check() finds for n2's VM model on n1 */
	assert_int_equal(idregs_host_model(n2, test_kernel("7.3"), IDREGS_FEAT_PMU_V3, &m), 0);
	assert_int_equal(idregs_check(n1, test_kernel("7.3"), &m, chk), 0);
	for (i = 0; i < chk->nr_refusals; i++)
		assert_true(has_refusal(rep, chk->refusals[i].enc, chk->refusals[i].field));
	for (i = 0; i < rep->nr_refusals; i++) {
		assert_true(rep->refusals[i].err < 0);
		assert_true(rep->refusals[i].bits != 0);
	}
	free(blob);
	free(rep);
	free(chk);
	idregs_vm_destroy(src);
	idregs_vm_destroy(dst);
	idregs_host_free(n2);
	idregs_host_free(n1);
}

/* A host profile made from neoverse-n1 with one field higher
 * (ID_AA64ISAR0_EL1.SHA3 = 1): its VM's blob is refused on neoverse-n1
 * for exactly that field. */
static void test_raised_field_refused(void **state)
{
	struct idregs_host *n1 = test_host("neoverse-n1"), *rich = NULL;
	const struct idregs_regset *cpu = idregs_host_cpu(n1, 0);
	struct idregs_check_report *rep = malloc(sizeof(*rep));
	char *json = malloc(16384), *p = json;
	struct idregs_vm *src, *dst;
	struct idregs_error err;
	bool first = true;
	unsigned int i;
	uint8_t *blob;
	size_t len;

	(void)state;
	p += sprintf(p, "{\"format\": \"idregs-host/1\", \"name\": \"n1-sha3\", "
		     "\"kind\": \"raw\", \"cpus\": [{");
	for (i = 0; i < IDREGS_SPACE_SIZE; i++) {
		uint64_t v = cpu->val[i];
		char buf[24];

		if (idregs_space_enc(i) == ISAR0)
			v |= 1ULL << 32;
		if (!v)
			continue;
		p += sprintf(p, "%s\"%s\": \"0x%016llx\"", first ? "" : ", ",
			     idregs_reg_name(idregs_space_enc(i), buf), (unsigned long long)v);
		first = false;
	}
	sprintf(p, "}]}");
	if (idregs_host_parse(json, strlen(json), "n1-sha3", &rich, &err))
		fail_msg("%s", err.msg);
	src = make_vm(rich, "6.12", 0, 1, false);
	dst = make_vm(n1, "6.12", 0, 1, false);
	blob = save(src, &len);
	refused(dst, 1, blob, len, -EINVAL, "ID_AA64ISAR0_EL1.SHA3");
	assert_int_equal(idregs_state_restore(dst, blob, len, rep, &err), -EINVAL);
	assert_int_equal(rep->nr_refusals, 1);
	assert_int_equal(rep->refusals[0].enc, ISAR0);
	assert_int_equal(rep->refusals[0].field, field_index(ISAR0, "SHA3"));
	assert_int_equal(rep->refusals[0].bits, 0xfULL << 32);
	assert_int_equal((rep->refusals[0].model >> 32) & 0xf, 1);
	assert_int_equal((rep->refusals[0].host >> 32) & 0xf, 0);
	assert_int_equal(rep->refusals[0].err, -EINVAL);
	free(blob);
	free(json);
	free(rep);
	idregs_vm_destroy(src);
	idregs_vm_destroy(dst);
	idregs_host_free(rich);
	idregs_host_free(n1);
}

/* Per-vCPU registers go through the same check: a CLIDR_EL1 implying
 * IDC, refused where the host's CTR_EL0 lacks it (once, for two vCPUs). */
static void test_clidr_refused(void **state)
{
	struct idregs_host *n1 = test_host("neoverse-n1"), *noidc = NULL;
	const struct idregs_regset *cpu = idregs_host_cpu(n1, 0);
	struct idregs_check_report *rep = malloc(sizeof(*rep));
	char *json = malloc(16384), *p = json;
	struct idregs_vm *src, *dst;
	struct idregs_error err;
	uint64_t ctr;
	bool first = true;
	unsigned int i;
	uint8_t *blob;
	size_t len;

	(void)state;
	p += sprintf(p, "{\"format\": \"idregs-host/1\", \"name\": \"n1-noidc\", "
		     "\"kind\": \"raw\", \"cpus\": [{");
	for (i = 0; i < IDREGS_SPACE_SIZE; i++) {
		uint64_t v = cpu->val[i];
		char buf[24];

		/* no IDC, and a CLIDR_EL1 that does not imply it either */
		if (idregs_space_enc(i) == CTR)
			v &= ~(1ULL << 28);
		if (idregs_space_enc(i) == CLIDR)
			v = 0x0a200023;
		if (!v)
			continue;
		p += sprintf(p, "%s\"%s\": \"0x%016llx\"", first ? "" : ", ",
			     idregs_reg_name(idregs_space_enc(i), buf), (unsigned long long)v);
		first = false;
	}
	sprintf(p, "}]}");
	if (idregs_host_parse(json, strlen(json), "n1-noidc", &noidc, &err))
		fail_msg("%s", err.msg);
	src = make_vm(n1, "7.3", 0, 2, false);
	dst = make_vm(noidc, "7.3", 0, 2, false);
	/* the guest is told IDC = 0, but both vCPUs get LoC = 0 (IDC implied) */
	ctr = test_get(src, 0, idregs_sysreg_id(CTR));
	assert_int_equal(idregs_vcpu_set(src, 0, idregs_sysreg_id(CTR), ctr & ~(1ULL << 28)), 0);
	for (i = 0; i < 2; i++)
		assert_int_equal(idregs_vcpu_set(src, i, idregs_sysreg_id(CLIDR), 0x2), 0);
	blob = save(src, &len);
	refused(dst, 2, blob, len, -EINVAL, "CLIDR_EL1");
	assert_int_equal(idregs_state_restore(dst, blob, len, rep, &err), -EINVAL);
	assert_int_equal(rep->nr_refusals, 1);
	assert_int_equal(rep->refusals[0].enc, CLIDR);
	assert_int_equal(rep->refusals[0].model, 0x2);
	free(blob);
	free(json);
	free(rep);
	idregs_vm_destroy(src);
	idregs_vm_destroy(dst);
	idregs_host_free(noidc);
	idregs_host_free(n1);
}

struct damaged {
	struct idregs_host *h;
	struct idregs_vm *src;
	struct idregs_vm *dst;
	uint8_t *blob;
	size_t len;
};

static int damaged_setup(void **state)
{
	struct damaged *d = calloc(1, sizeof(*d));

	d->h = test_host("neoverse-v1");
	d->src = make_vm(d->h, "7.3", IDREGS_FEAT_PMU_V3 | IDREGS_FEAT_SVE, 2, false);
	d->dst = make_vm(d->h, "7.3", IDREGS_FEAT_PMU_V3 | IDREGS_FEAT_SVE, 2, false);
	d->blob = save(d->src, &d->len);
	*state = d;
	return 0;
}

static int damaged_teardown(void **state)
{
	struct damaged *d = *state;

	free(d->blob);
	idregs_vm_destroy(d->src);
	idregs_vm_destroy(d->dst);
	idregs_host_free(d->h);
	free(d);
	return 0;
}

static void test_truncated(void **state)
{
	struct damaged *d = *state;
	size_t n;

	for (n = 0; n < d->len; n++)
		refused(d->dst, 2, d->blob, n, -EINVAL, "truncated");
	/* a NULL buffer is an empty one */
	refused(d->dst, 2, NULL, 0, -EINVAL, "truncated");
}

static void test_trailing(void **state)
{
	struct damaged *d = *state;
	uint8_t *big = calloc(1, d->len + 1);

	memcpy(big, d->blob, d->len);
	refused(d->dst, 2, big, d->len + 1, -EINVAL, "after the");
	free(big);
}

/* Every single bit flipped: refused, the destination untouched. */
static void test_bit_flips(void **state)
{
	struct damaged *d = *state;
	uint8_t *copy = malloc(d->len);
	struct idregs_error err;
	struct idregs_state *st = malloc(sizeof(*st));
	size_t bit, checksum = 0;

	memcpy(copy, d->blob, d->len);
	for (bit = 0; bit < d->len * 8; bit++) {
		copy[bit / 8] ^= (uint8_t)(1u << (bit % 8));
		err.msg[0] = 0;
		assert_int_equal(idregs_state_restore(d->dst, copy, d->len, NULL, &err), -EINVAL);
		assert_true(strstr(err.msg, "magic") || strstr(err.msg, "truncated") ||
			    strstr(err.msg, "after the") || strstr(err.msg, "checksum") ||
			    strstr(err.msg, "length field"));
		checksum += strstr(err.msg, "checksum") != NULL;
		assert_int_equal(idregs_state_parse(copy, d->len, st, &err), -EINVAL);
		copy[bit / 8] ^= (uint8_t)(1u << (bit % 8));
	}
	/* all but the magic and the length field are caught by the CRC */
	assert_int_equal(checksum, (d->len - 12) * 8);
	refused(d->dst, 2, d->blob, 0, -EINVAL, NULL);
	free(st);
	free(copy);
}

static void test_wrong_magic(void **state)
{
	struct damaged *d = *state;
	uint8_t *copy = malloc(d->len);

	memcpy(copy, d->blob, d->len);
	memcpy(copy, "QEVM\0\0\0\3", 8);
	reseal(copy, d->len);
	refused(d->dst, 2, copy, d->len, -EINVAL, "wrong magic");
	free(copy);
}

/* A well-formed blob of a later format version: refused by version. */
static void test_future_version(void **state)
{
	struct damaged *d = *state;
	uint8_t *copy = malloc(d->len);

	memcpy(copy, d->blob, d->len);
	assert_int_equal(le32(copy + 8), IDREGS_STATE_VERSION);
	put_le32(copy + 8, IDREGS_STATE_VERSION + 1);
	reseal(copy, d->len);
	refused(d->dst, 2, copy, d->len, -EINVAL, "format version 2 is newer");
	put_le32(copy + 8, 0);
	reseal(copy, d->len);
	refused(d->dst, 2, copy, d->len, -EINVAL, "version 0");
	free(copy);
}

static void test_features_mismatch(void **state)
{
	struct damaged *d = *state;
	struct idregs_vm *dst = make_vm(d->h, "7.3", IDREGS_FEAT_PMU_V3, 2, false);
	struct idregs_check_report *rep = malloc(sizeof(*rep));
	struct idregs_error err;

	refused(dst, 2, d->blob, d->len, -EINVAL, "features differ");
	assert_int_equal(idregs_state_restore(dst, d->blob, d->len, rep, &err), -EINVAL);
	assert_int_equal(rep->features_missing, IDREGS_FEAT_SVE);
	assert_non_null(strstr(err.msg, "pmu,sve"));
	free(rep);
	idregs_vm_destroy(dst);
}

static void test_vcpus_mismatch(void **state)
{
	struct damaged *d = *state;
	uint32_t f = IDREGS_FEAT_PMU_V3 | IDREGS_FEAT_SVE;
	struct idregs_vm *one = make_vm(d->h, "7.3", f, 1, false);
	struct idregs_vm *three = make_vm(d->h, "7.3", f, 3, false);
	struct idregs_vm *none = NULL;

	refused(one, 1, d->blob, d->len, -EINVAL, "vCPU 1 is not");
	refused(three, 3, d->blob, d->len, -EINVAL, "vCPU 2 is not in the blob");
	/* vCPUs created but never initialised: no features to compare */
	assert_int_equal(idregs_vm_create(d->h, test_kernel("7.3"), &none), 0);
	assert_int_equal(idregs_vcpu_create(none, 0), 0);
	assert_int_equal(idregs_state_restore(none, d->blob, d->len, NULL, NULL), -EINVAL);
	idregs_vm_destroy(one);
	idregs_vm_destroy(three);
	idregs_vm_destroy(none);
}

static void test_dest_has_run(void **state)
{
	struct damaged *d = *state;
	struct idregs_vm *dst = make_vm(d->h, "7.3", IDREGS_FEAT_SVE, 2, false);
	uint8_t *blob;
	size_t len;

	blob = save(dst, &len);
	assert_int_equal(idregs_vcpu_run(dst, 0), 0);
	refused(dst, 2, blob, len, -EBUSY, "already run");
	free(blob);
	idregs_vm_destroy(dst);
}

/* Registers: an id no register has, a per-vCPU register among the VM's,
 * two out of order, one missing. Each resealed so only the check speaks. */
static void test_registers(void **state)
{
	struct damaged *d = *state;
	uint8_t *copy = malloc(d->len);
	uint8_t *rec = NULL;
	size_t first = IDREGS_STATE_HDR_SIZE, i, nr = le32(d->blob + 24) & 0xffff;
	uint8_t tmp[16];

	/* an encoding outside the feature-ID space (CRn 1: SCTLR_EL1) */
	memcpy(copy, d->blob, d->len);
	rec = copy + first + 3 * 16;
	put_le32(rec, (uint32_t)idregs_sysreg_id(IDREGS_ENC(3, 0, 1, 0, 0)));
	reseal(copy, d->len);
	refused(d->dst, 2, copy, d->len, -EINVAL, "record 3 (ONE_REG id 0x603000000013c080) is not a register");
	/* a malformed ONE_REG id (U32 size) */
	memcpy(copy, d->blob, d->len);
	copy[first + 3 * 16 + 6] = 0x20;
	reseal(copy, d->len);
	refused(d->dst, 2, copy, d->len, -EINVAL, "not a register this library knows");
	/* MPIDR_EL1 among the VM-scoped registers */
	memcpy(copy, d->blob, d->len);
	for (i = 0; i < nr; i++)
		if ((le32(copy + first + i * 16) & 0xffff) > MPIDR)
			break;
	rec = copy + first + (i - 1) * 16;
	put_le32(rec, (uint32_t)idregs_sysreg_id(MPIDR));
	reseal(copy, d->len);
	refused(d->dst, 2, copy, d->len, -EINVAL, "per-vCPU register");
	/* two records swapped */
	memcpy(copy, d->blob, d->len);
	memcpy(tmp, copy + first + 16, 16);
	memcpy(copy + first + 16, copy + first + 32, 16);
	memcpy(copy + first + 32, tmp, 16);
	reseal(copy, d->len);
	refused(d->dst, 2, copy, d->len, -EINVAL, "out of encoding order");
	/* the last register left out */
	memcpy(copy, d->blob, d->len);
	memmove(copy + first + (nr - 1) * 16, copy + first + nr * 16,
		d->len - (first + nr * 16));
	copy[24] = (uint8_t)(nr - 1);
	copy[25] = (uint8_t)((nr - 1) >> 8);
	put_le32(copy + 12, (uint32_t)(d->len - 16));
	reseal(copy, d->len - 16);
	refused(d->dst, 2, copy, d->len - 16, -EINVAL, "has no value for");
	/* counts that do not make the length */
	memcpy(copy, d->blob, d->len);
	copy[26] = 3;
	reseal(copy, d->len);
	refused(d->dst, 2, copy, d->len, -EINVAL, "do not make its");
	/* unknown feature and flag bits, reserved bits */
	memcpy(copy, d->blob, d->len);
	copy[17] |= 0x80;
	reseal(copy, d->len);
	refused(d->dst, 2, copy, d->len, -EINVAL, "unknown vCPU feature bits");
	memcpy(copy, d->blob, d->len);
	copy[20] |= 0x80;
	reseal(copy, d->len);
	refused(d->dst, 2, copy, d->len, -EINVAL, "unknown flag bits");
	memcpy(copy, d->blob, d->len);
	copy[30] = 1;
	reseal(copy, d->len);
	refused(d->dst, 2, copy, d->len, -EINVAL, "reserved");
	memcpy(copy, d->blob, d->len);
	memset(copy + 32, 'x', 16);
	reseal(copy, d->len);
	refused(d->dst, 2, copy, d->len, -EINVAL, "kernel release name");
	free(copy);
}

/* The blob's header, decoded; its CRC is the standard CRC-32. */
static void test_parse(void **state)
{
	struct damaged *d = *state;
	struct idregs_state *st = malloc(sizeof(*st));
	struct idregs_error err;
	size_t i;

	assert_int_equal(crc32_bitwise((const uint8_t *)"123456789", 9), 0xcbf43926);
	assert_int_equal(idregs_state_parse(d->blob, d->len, st, &err), 0);
	assert_int_equal(st->version, IDREGS_STATE_VERSION);
	assert_int_equal(st->length, d->len);
	assert_int_equal(st->crc, crc32_bitwise(d->blob, d->len - 4));
	assert_string_equal(st->kernel, idregs_kernel_version(test_kernel("7.3")));
	assert_int_equal(st->features, IDREGS_FEAT_PMU_V3 | IDREGS_FEAT_SVE);
	assert_int_equal(st->flags, 0);
	assert_int_equal(st->nr_regs, idregs_reg_count() - 2);
	assert_int_equal(st->nr_vcpus, 2);
	assert_int_equal(st->vcpus[1].id, 1);
	assert_int_equal(st->vcpus[1].mpidr, test_get(d->src, 1, idregs_sysreg_id(MPIDR)));
	for (i = 0; i < st->nr_regs; i++)
		assert_int_equal(st->reg_val[i], test_get(d->src, 0, st->reg_id[i]));
	free(st);
}

/* Sizing: -E2BIG with the size needed for any smaller buffer. */
static void test_e2big(void **state)
{
	struct damaged *d = *state;
	uint8_t *buf = malloc(d->len + 8);
	size_t len;

	len = 0;
	assert_int_equal(idregs_state_save(d->src, 0, NULL, &len), -E2BIG);
	assert_int_equal(len, d->len);
	len = d->len - 1;
	assert_int_equal(idregs_state_save(d->src, 0, buf, &len), -E2BIG);
	assert_int_equal(len, d->len);
	len = d->len + 8;
	assert_int_equal(idregs_state_save(d->src, 1, buf, &len), 0);
	assert_int_equal(len, d->len);
	assert_memory_equal(buf, d->blob, len);
	assert_true(len <= IDREGS_STATE_MAX_SIZE);
	len = d->len;
	assert_int_equal(idregs_state_save(d->src, 7, buf, &len), -ENXIO);
	assert_int_equal(idregs_vcpu_create(d->src, 7), 0);
	assert_int_equal(idregs_state_save(d->src, 7, buf, &len), -ENOEXEC);
	/* an uninitialised vCPU has no registers to carry */
	assert_int_equal(idregs_state_save(d->src, 0, buf, &len), 0);
	assert_memory_equal(buf, d->blob, len);
	free(buf);
}

static void test_files(void **state)
{
	struct damaged *d = *state;
	char path[] = "/tmp/idregs-state-test.XXXXXX";
	struct idregs_error err;
	void *back = NULL;
	size_t len = 0;
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(idregs_state_write_file(path, d->blob, d->len, &err), 0);
	assert_int_equal(idregs_state_read_file(path, &back, &len, &err), 0);
	assert_int_equal(len, d->len);
	assert_memory_equal(back, d->blob, len);
	free(back);
	unlink(path);
	assert_int_not_equal(idregs_state_read_file(path, &back, &len, &err), 0);
	assert_non_null(strstr(err.msg, path));
	assert_int_not_equal(idregs_state_write_file("/nonexistent/dir/blob", d->blob,
						     d->len, &err), 0);
	assert_non_null(strstr(err.msg, "/nonexistent/dir/blob"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_round_trip_builtins),
		cmocka_unit_test(test_richer_host),
		cmocka_unit_test(test_imp_cap_missing),
		cmocka_unit_test(test_poorer_host_refused),
		cmocka_unit_test(test_raised_field_refused),
		cmocka_unit_test(test_clidr_refused),
		cmocka_unit_test_setup_teardown(test_truncated, damaged_setup, damaged_teardown),
		cmocka_unit_test_setup_teardown(test_trailing, damaged_setup, damaged_teardown),
		cmocka_unit_test_setup_teardown(test_bit_flips, damaged_setup, damaged_teardown),
		cmocka_unit_test_setup_teardown(test_wrong_magic, damaged_setup, damaged_teardown),
		cmocka_unit_test_setup_teardown(test_future_version, damaged_setup, damaged_teardown),
		cmocka_unit_test_setup_teardown(test_features_mismatch, damaged_setup, damaged_teardown),
		cmocka_unit_test_setup_teardown(test_vcpus_mismatch, damaged_setup, damaged_teardown),
		cmocka_unit_test_setup_teardown(test_dest_has_run, damaged_setup, damaged_teardown),
		cmocka_unit_test_setup_teardown(test_registers, damaged_setup, damaged_teardown),
		cmocka_unit_test_setup_teardown(test_parse, damaged_setup, damaged_teardown),
		cmocka_unit_test_setup_teardown(test_e2big, damaged_setup, damaged_teardown),
		cmocka_unit_test_setup_teardown(test_files, damaged_setup, damaged_teardown),
	};
	const char *why;

	if (idregs_init(&why))
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
