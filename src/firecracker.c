// SPDX-License-Identifier: MIT
/*
 * Interchange with other VMMs: Firecracker custom CPU templates (aarch64
 * parts; import and export) and QEMU's proposed SYSREG_<REG>_<FIELD>
 * properties (export). A template says which bits to change, not what the
 * guest sees: the untouched bits are the host's, so both directions read
 * the host's values from a VM of its register file, with the vCPU features
 * the template asks for (Firecracker reads them after KVM_ARM_VCPU_INIT).
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "json.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define FC_REG_BITS	128	/* reg_modifiers bitmaps are u128 */
#define FC_FEAT_BITS	32	/* vcpu_features bitmaps are u32 */

/* kvm_vcpu_init.features[0] bits that set up a vCPU but are not part of a
 * CPU model. Firecracker always sets PSCI_0_2, and POWER_OFF on every vCPU
 * but the first. */
#define FC_FEAT_POWER_OFF	(1u << 0)
#define FC_FEAT_PSCI_0_2	(1u << 2)
#define FC_FEAT_DEFAULT		FC_FEAT_PSCI_0_2
#define FC_FEAT_MODEL		(IDREGS_FEAT_EL1_32BIT | IDREGS_FEAT_PMU_V3 | \
				 IDREGS_FEAT_SVE | IDREGS_FEAT_PTRAUTH)

static const char *errname(int ret)
{
	const char *n = idregs_errno_name(ret);

	return n ? n : "error";
}

/* A tri-state bitmap: filter 1 where the character is 0 or 1, value 1
 * where it is 1; [0] holds bits 63:0, [1] bits 127:64. */
struct fc_bits {
	uint64_t filter[2];
	uint64_t value[2];
};

struct fc_modifier {
	uint16_t enc;
	uint64_t filter;
	uint64_t value;
};

static const char *const fc_members[] = {
	"kvm_capabilities", "vcpu_features", "reg_modifiers",
};

static const char *const fc_x86_members[] = {
	"cpuid_modifiers", "msr_modifiers",
};

/* "0b" then 0, 1 and x (with _ separators); the last character is bit 0. */
static int parse_bitmap(const char *s, unsigned int max, const char *where,
			struct fc_bits *b, struct idregs_error *err)
{
	unsigned int pos = 0;
	size_t i;

	memset(b, 0, sizeof(*b));
	if (strncmp(s, "0b", 2))
		return idregs_json_fail(err, "%s: bitmap \"%.40s\" must start with \"0b\"",
					where, s);
	for (i = strlen(s); i > 2; i--) {
		unsigned char c = (unsigned char)s[i - 1];

		if (c == '_')
			continue;
		if (c != '0' && c != '1' && c != 'x')
			return idregs_json_fail(err,
				isprint(c) ? "%s: bitmap character '%c' is not 0, 1, x or _" :
					     "%s: bitmap character 0x%02x is not 0, 1, x or _",
				where, c);
		if (pos == max)
			return idregs_json_fail(err, "%s: bitmap is longer than %u bits",
						where, max);
		if (c != 'x')
			b->filter[pos / 64] |= 1ULL << (pos % 64);
		if (c == '1')
			b->value[pos / 64] |= 1ULL << (pos % 64);
		pos++;
	}
	if (!pos)
		return idregs_json_fail(err, "%s: bitmap has no bits after \"0b\"", where);
	return 0;
}

/* Firecracker's integers in strings: "0x" hex or "0b" binary. */
static int parse_u64(const char *s, uint64_t *v)
{
	uint64_t r = 0;
	size_t i, n;

	if (strncmp(s, "0b", 2))
		return idregs_parse_hex64(s, v);
	n = strlen(s + 2);
	if (!n || n > 64)
		return -EINVAL;
	for (i = 0; i < n; i++) {
		if (s[2 + i] != '0' && s[2 + i] != '1')
			return -EINVAL;
		r = r << 1 | (uint64_t)(s[2 + i] - '0');
	}
	*v = r;
	return 0;
}

static bool in_list(const char *key, const char *const *list, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(key, list[i]))
			return true;
	return false;
}

/* Top level is deny_unknown_fields in Firecracker; x86 members get a
 * message of their own. */
static int check_members(json_t *doc, struct idregs_error *err)
{
	const char *key;
	json_t *v;

	json_object_foreach(doc, key, v) {
		if (in_list(key, fc_members, ARRAY_SIZE(fc_members)))
			continue;
		if (in_list(key, fc_x86_members, ARRAY_SIZE(fc_x86_members)))
			return idregs_json_fail(err,
				"\"%.64s\" is an x86_64 member: this is not an aarch64 template",
				key);
		return idregs_json_fail(err,
			"unknown member \"%.64s\" (an aarch64 template has kvm_capabilities, vcpu_features and reg_modifiers)",
			key);
	}
	return 0;
}

/* An optional array member (absent: *arr NULL, no entries). */
static int array_member(json_t *doc, const char *key, json_t **arr,
			struct idregs_error *err)
{
	*arr = json_object_get(doc, key);
	if (*arr && !json_is_array(*arr))
		return idregs_json_fail(err, "\"%s\" must be an array", key);
	return 0;
}

/* "N" adds capability N to Firecracker's checks, "!N" removes it. */
static int parse_caps(json_t *doc, json_t **caps, struct idregs_error *err)
{
	json_t *arr, *v;
	size_t i;

	if (array_member(doc, "kvm_capabilities", &arr, err))
		return -EINVAL;
	json_array_foreach(arr, i, v) {
		const char *s = json_string_value(v), *d;
		unsigned long long n = 0;

		d = s && *s == '!' ? s + 1 : s;
		if (!d || !*d || strlen(d) > 10)
			goto bad;
		for (; *d; d++) {
			if (!isdigit((unsigned char)*d))
				goto bad;
			n = n * 10 + (unsigned long long)(*d - '0');
		}
		if (n > UINT32_MAX)
			goto bad;
		continue;
bad:
		return idregs_json_fail(err,
			"kvm_capabilities[%zu]: expected a string \"N\" or \"!N\" (N a decimal KVM_CAP_* number)",
			i);
	}
	*caps = arr ? json_incref(arr) : NULL;
	return 0;
}

/* vcpu_features: only index 0 exists; entries apply in order to
 * Firecracker's default word. */
static int parse_features(json_t *doc, uint32_t *features,
			  struct idregs_error *err)
{
	uint32_t word = FC_FEAT_DEFAULT, extra;
	json_t *arr, *v;
	char where[48];
	size_t i;

	if (array_member(doc, "vcpu_features", &arr, err))
		return -EINVAL;
	json_array_foreach(arr, i, v) {
		json_t *index = json_object_get(v, "index");
		const char *bitmap = idregs_json_str(v, "bitmap");
		struct fc_bits b;
		int ret;

		snprintf(where, sizeof(where), "vcpu_features[%zu]", i);
		if (!json_is_object(v))
			return idregs_json_fail(err, "%s must be an object", where);
		if (!json_is_integer(index))
			return idregs_json_fail(err, "%s: missing or non-integer \"index\"", where);
		if (json_integer_value(index) != 0)
			return idregs_json_fail(err,
				"%s: index %lld: only index 0 (kvm_vcpu_init.features[0]) is used on arm64",
				where, (long long)json_integer_value(index));
		if (!bitmap)
			return idregs_json_fail(err, "%s: missing or non-string \"bitmap\"", where);
		ret = parse_bitmap(bitmap, FC_FEAT_BITS, where, &b, err);
		if (ret)
			return ret;
		word = (word & ~(uint32_t)b.filter[0]) | (uint32_t)b.value[0];
	}
	extra = word & ~(FC_FEAT_MODEL | FC_FEAT_POWER_OFF | FC_FEAT_PSCI_0_2);
	if (extra)
		return idregs_json_fail(err,
			"vcpu_features: bit %d is set, and idregs models only EL1_32BIT (1), PMU_V3 (3), SVE (4) and PTRAUTH (5, 6)",
			__builtin_ctz(extra));
	if (!(word & IDREGS_FEAT_PTRAUTH_ADDRESS) != !(word & IDREGS_FEAT_PTRAUTH_GENERIC))
		return idregs_json_fail(err,
			"vcpu_features: PTRAUTH_ADDRESS (bit 5) and PTRAUTH_GENERIC (bit 6) must be set together (KVM refuses one alone)");
	*features = word & FC_FEAT_MODEL;
	return 0;
}

/* The modifier's register: a feature-ID space system register, 64 bits. */
static int modifier_reg(uint64_t addr, const struct fc_bits *b, const char *where,
			uint16_t *enc, struct idregs_error *err)
{
	static const uint64_t sysreg = IDREGS_REG_ARM64 | IDREGS_REG_SIZE_U64 |
				       IDREGS_REG_COPROC_SYSREG;
	unsigned int size = (unsigned int)((addr & IDREGS_REG_SIZE_MASK) >> 52);
	unsigned int bits = 8u << size;

	/* Firecracker's own check: no 0/1 beyond the register's width */
	if (bits != 32 && bits != 64 && bits != 128)
		return idregs_json_fail(err,
			"%s: addr 0x%016llx: KVM_REG_SIZE is %u bits (only 32, 64 and 128-bit registers exist)",
			where, (unsigned long long)addr, bits);
	if ((bits == 32 && (b->filter[0] >> 32 || b->value[0] >> 32)) ||
	    (bits <= 64 && (b->filter[1] || b->value[1])))
		return idregs_json_fail(err,
			"%s: bitmap is wider than the %u-bit register 0x%016llx",
			where, bits, (unsigned long long)addr);
	*enc = (uint16_t)addr;
	if ((addr & ~0xffffULL) != sysreg || idregs_space_index(*enc) < 0)
		return idregs_json_fail(err,
			"%s: addr 0x%016llx is not a feature-ID system register (idregs models ONE_REG 0x603000000013xxxx with op0 3, op1 0/1/3, CRn 0, CRm 0..7)",
			where, (unsigned long long)addr);
	return 0;
}

static int parse_modifiers(json_t *doc, struct fc_modifier *mods, size_t *n,
			   struct idregs_error *err)
{
	bool seen[IDREGS_SPACE_SIZE] = { false };
	json_t *arr, *v;
	char where[48];
	size_t i;

	*n = 0;
	if (array_member(doc, "reg_modifiers", &arr, err))
		return -EINVAL;
	json_array_foreach(arr, i, v) {
		const char *addr = idregs_json_str(v, "addr");
		const char *bitmap = idregs_json_str(v, "bitmap");
		struct fc_bits b;
		uint16_t enc = 0;
		uint64_t id;
		int ret;

		snprintf(where, sizeof(where), "reg_modifiers[%zu]", i);
		if (!json_is_object(v))
			return idregs_json_fail(err, "%s must be an object", where);
		if (!addr)
			return idregs_json_fail(err, "%s: missing or non-string \"addr\"", where);
		if (parse_u64(addr, &id))
			return idregs_json_fail(err,
				"%s: addr \"%.40s\" is not \"0x\" + 1 to 16 hex digits (or \"0b\" + binary)",
				where, addr);
		if (!bitmap)
			return idregs_json_fail(err, "%s: missing or non-string \"bitmap\"", where);
		ret = parse_bitmap(bitmap, FC_REG_BITS, where, &b, err);
		if (!ret)
			ret = modifier_reg(id, &b, where, &enc, err);
		if (ret)
			return ret;
		/* Firecracker would keep only the last; say so instead */
		if (seen[idregs_space_index(enc)])
			return idregs_json_fail(err,
				"%s: addr 0x%016llx appears twice (Firecracker would silently use the last)",
				where, (unsigned long long)id);
		seen[idregs_space_index(enc)] = true;
		mods[*n].enc = enc;
		mods[*n].filter = b.filter[0];
		mods[*n].value = b.value[0];
		(*n)++;
	}
	return 0;
}

/* "pmu,sve" for messages. */
static void feature_words(uint32_t features, char *buf, size_t len)
{
	const char *w;
	unsigned int i;
	uint32_t bits;
	size_t used = 0;

	buf[0] = 0;
	for (i = 0; (w = idregs_feature_name(i, &bits)) && used < len; i++)
		if ((features & bits) == bits)
			used += (size_t)snprintf(buf + used, len - used, "%s%s",
						 used ? "," : "", w);
	if (!buf[0])
		snprintf(buf, len, "none");
}

/* A vCPU of host initialised with features, as Firecracker has it when it
 * reads the registers a template names. */
static int scratch_vcpu(const struct idregs_host *host, unsigned int kernel,
			uint32_t features, struct idregs_vm **vm,
			struct idregs_error *err)
{
	char words[64];
	int ret;

	ret = idregs_vm_create(host, kernel, vm);
	if (ret) {
		idregs_json_fail(err, "%s: cannot create a VM (%s)",
				 idregs_host_name(host), errname(ret));
		return ret;
	}
	ret = idregs_vcpu_create(*vm, 0);
	if (!ret)
		ret = idregs_vcpu_init(*vm, 0, features);
	if (!ret && (features & IDREGS_FEAT_SVE))
		ret = idregs_vcpu_finalize(*vm, 0);
	if (ret) {
		feature_words(features, words, sizeof(words));
		idregs_json_fail(err,
			"%s cannot run vCPUs with the features %s (KVM_ARM_VCPU_INIT: %s)",
			idregs_host_name(host), words, errname(ret));
		idregs_vm_destroy(*vm);
	}
	return ret;
}

/* The host's values of the registers in want[], as a VM started with
 * features reads them before any write. */
static int host_regs(const struct idregs_host *host, unsigned int kernel,
		     uint32_t features, const bool *want,
		     struct idregs_regset *out, struct idregs_error *err)
{
	struct idregs_vm *vm;
	unsigned int i;
	int ret;

	ret = scratch_vcpu(host, kernel, features, &vm, err);
	if (ret)
		return ret;
	for (i = 0; !ret && i < IDREGS_SPACE_SIZE; i++) {
		uint16_t enc = idregs_space_enc(i);
		char name[24];

		if (!want[i])
			continue;
		ret = idregs_vcpu_get(vm, 0, idregs_sysreg_id(enc), &out->val[i]);
		if (ret)
			idregs_json_fail(err,
				"KVM has no register %s (0x%016llx; KVM_GET_ONE_REG: %s)",
				idregs_reg_name(enc, name),
				(unsigned long long)idregs_sysreg_id(enc),
				errname(ret));
	}
	idregs_vm_destroy(vm);
	return ret;
}

/* Where the model came from: the template, the host, its capabilities. */
static void set_provenance(struct idregs_model *m, const char *origin,
			   const struct idregs_host *host, json_t *caps)
{
	json_t *p = json_object();
	char *text;

	json_object_set_new(p, "firecracker_template", json_string(origin));
	json_object_set_new(p, "resolved_on", json_string(idregs_host_name(host)));
	if (json_array_size(caps))
		json_object_set(p, "kvm_capabilities", caps);
	text = json_dumps(p, JSON_COMPACT | JSON_SORT_KEYS);
	if (text && strlen(text) >= sizeof(m->provenance)) {
		/* too many capabilities to keep: keep their number */
		free(text);
		json_object_set_new(p, "kvm_capabilities",
				    json_integer((json_int_t)json_array_size(caps)));
		text = json_dumps(p, JSON_COMPACT | JSON_SORT_KEYS);
	}
	if (text && strlen(text) < sizeof(m->provenance))
		memcpy(m->provenance, text, strlen(text) + 1);
	free(text);
	json_decref(p);
}

/* The model's name: the file name without directory and ".json". */
static void set_name(struct idregs_model *m, const char *origin)
{
	const char *base = strrchr(origin, '/');
	char buf[4 * sizeof(m->name)];
	size_t n;

	base = base ? base + 1 : origin;
	n = strlen(base);
	if (n > 5 && !strcmp(base + n - 5, ".json"))
		n -= 5;
	if (!n) {
		base = "template";
		n = strlen(base);
	}
	/* a file name is any bytes: the model's name must be UTF-8 */
	snprintf(buf, sizeof(buf), "%.*s", (int)n, base);
	idregs_name_copy(m->name, sizeof(m->name), buf);
}

static int fc_import(json_t *doc, const char *origin,
		     const struct idregs_host *host, unsigned int kernel,
		     struct idregs_model *m, struct idregs_error *err)
{
	struct fc_modifier mods[IDREGS_SPACE_SIZE];
	bool want[IDREGS_SPACE_SIZE] = { false };
	struct idregs_regset cur;
	uint32_t features = 0;
	json_t *caps = NULL;
	size_t i, n = 0;
	int ret;

	ret = check_members(doc, err);
	if (!ret)
		ret = parse_caps(doc, &caps, err);
	if (!ret)
		ret = parse_features(doc, &features, err);
	if (!ret)
		ret = parse_modifiers(doc, mods, &n, err);
	if (ret)
		goto out;
	for (i = 0; i < n; i++)
		want[idregs_space_index(mods[i].enc)] = true;
	ret = host_regs(host, kernel, features, want, &cur, err);
	if (ret)
		goto out;
	memset(m, 0, sizeof(*m));
	set_name(m, origin);
	m->kernel = (int)kernel;
	m->features = features;
	for (i = 0; i < n; i++) {
		int idx = idregs_space_index(mods[i].enc);

		/* Firecracker's apply: new = (old & ~filter) | value */
		m->regs.val[idx] = (cur.val[idx] & ~mods[i].filter) | mods[i].value;
		m->has[idx] = true;
	}
	set_provenance(m, origin, host, caps);
out:
	json_decref(caps);
	return ret;
}

int idregs_fc_import(const char *json, size_t len, const char *origin,
		     const struct idregs_host *host, unsigned int kernel,
		     struct idregs_model *out, struct idregs_error *err)
{
	json_t *doc;
	int ret;

	if (!idregs_db)
		return idregs_json_fail(err, "register tables failed validation");
	if (kernel >= idregs_kernel_count())
		return idregs_json_fail(err, "unknown kernel release index %u", kernel);
	if (!origin)
		origin = "template";
	ret = idregs_json_load(json, len, origin, &doc, err);
	if (ret)
		return ret;
	ret = fc_import(doc, origin, host, kernel, out, err);
	json_decref(doc);
	if (ret)
		idregs_json_prefix(err, origin);
	return ret;
}

/* ---- Export ------------------------------------------------------------ */

/* The bits of each register the model sets that differ from the host's,
 * leaving the host's own bits of a floor model alone. */
static int model_diff(const struct idregs_model *m, const struct idregs_host *host,
		      unsigned int kernel, struct idregs_regset *cur,
		      struct idregs_regset *diff, struct idregs_error *err)
{
	unsigned int i;
	int ret;

	if (!idregs_db)
		return idregs_json_fail(err, "register tables failed validation");
	if (kernel >= idregs_kernel_count())
		return idregs_json_fail(err, "unknown kernel release index %u", kernel);
	memset(cur, 0, sizeof(*cur));
	ret = host_regs(host, kernel, m->features, m->has, cur, err);
	if (ret)
		return ret;
	for (i = 0; i < IDREGS_SPACE_SIZE; i++)
		diff->val[i] = m->has[i] ?
			(m->regs.val[i] ^ cur->val[i]) & ~m->host_bits.val[i] : 0;
	return 0;
}

/* Whole fields that differ (so the template means the same on a host
 * whose other bits of the field differ), and differing bits outside them. */
static uint64_t fields_of(uint16_t enc, uint64_t diff)
{
	unsigned int i, n = idregs_reg_field_count(enc);
	uint64_t out = 0, in_fields = 0;

	for (i = 0; i < n; i++) {
		struct idregs_field_info f;
		uint64_t mask;

		if (idregs_reg_field(enc, i, &f))
			continue;
		mask = (f.width >= 64 ? ~0ULL : ((1ULL << f.width) - 1)) << f.shift;
		in_fields |= mask;
		if (diff & mask)
			out |= mask;
	}
	return out | (diff & ~in_fields);
}

/* "0b" and the bits of value under filter, highest filter bit first. */
static void bitmap_text(uint64_t filter, uint64_t value, char *buf)
{
	int top = 63 - __builtin_clzll(filter), b;
	char *p = buf + 2;

	memcpy(buf, "0b", 2);
	for (b = top; b >= 0; b--)
		*p++ = !(filter >> b & 1) ? 'x' : (value >> b & 1) ? '1' : '0';
	*p = 0;
}

static json_t *fc_caps_from(const struct idregs_model *m)
{
	json_t *prov, *caps, *out = NULL;

	if (!m->provenance[0])
		return NULL;
	prov = json_loads(m->provenance, 0, NULL);
	caps = json_object_get(prov, "kvm_capabilities");
	if (json_is_array(caps) && json_array_size(caps))
		out = json_incref(caps);
	json_decref(prov);
	return out;
}

static json_t *fc_features(uint32_t features)
{
	json_t *arr, *f;
	char buf[40];

	if (!features)
		return NULL;
	bitmap_text(features, features, buf);
	arr = json_array();
	f = json_object();
	json_object_set_new(f, "index", json_integer(0));
	json_object_set_new(f, "bitmap", json_string(buf));
	json_array_append_new(arr, f);
	return arr;
}

static char *fc_export(const struct idregs_model *m,
		       const struct idregs_regset *diff)
{
	json_t *doc = json_object(), *mods = json_array(), *caps, *feats;
	unsigned int r;
	char *text;

	caps = fc_caps_from(m);
	if (caps)
		json_object_set_new(doc, "kvm_capabilities", caps);
	feats = fc_features(m->features & FC_FEAT_MODEL);
	if (feats)
		json_object_set_new(doc, "vcpu_features", feats);
	for (r = 0; r < idregs_reg_count(); r++) {
		uint16_t enc = idregs_reg_enc(r);
		int idx = idregs_space_index(enc);
		uint64_t filter;
		char addr[24], buf[72];
		json_t *md;

		if (idx < 0 || !diff->val[idx])
			continue;
		filter = fields_of(enc, diff->val[idx]) & ~m->host_bits.val[idx];
		bitmap_text(filter, m->regs.val[idx], buf);
		snprintf(addr, sizeof(addr), "0x%016llx",
			 (unsigned long long)idregs_sysreg_id(enc));
		md = json_object();
		json_object_set_new(md, "addr", json_string(addr));
		json_object_set_new(md, "bitmap", json_string(buf));
		json_array_append_new(mods, md);
	}
	json_object_set_new(doc, "reg_modifiers", mods);
	text = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(doc);
	return text;
}

static char *fail_null(int ret)
{
	errno = ret < 0 ? -ret : ret;
	return NULL;
}

char *idregs_fc_export(const struct idregs_model *m,
		       const struct idregs_host *host, unsigned int kernel,
		       struct idregs_error *err)
{
	struct idregs_regset cur, diff;
	char *text;
	int ret;

	ret = model_diff(m, host, kernel, &cur, &diff, err);
	if (ret)
		return fail_null(ret);
	text = fc_export(m, &diff);
	if (!text) {
		idregs_json_fail(err, "out of memory");
		return fail_null(-ENOMEM);
	}
	return text;
}

/* ---- QEMU -------------------------------------------------------------- */

struct strbuf {
	char *s;
	size_t len, cap;
	bool oom;
};

static void sb_add(struct strbuf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void sb_add(struct strbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (b->oom)
		return;
	va_start(ap, fmt);
	n = vsnprintf(b->s ? b->s + b->len : NULL, b->s ? b->cap - b->len : 0, fmt, ap);
	va_end(ap);
	if (n < 0) {
		b->oom = true;
		return;
	}
	if (!b->s || b->len + (size_t)n >= b->cap) {
		size_t cap = (b->cap + (size_t)n + 1) * 2;
		char *ns = realloc(b->s, cap);

		if (!ns) {
			b->oom = true;
			return;
		}
		b->s = ns;
		b->cap = cap;
		va_start(ap, fmt);
		vsnprintf(b->s + b->len, b->cap - b->len, fmt, ap);
		va_end(ap);
	}
	b->len += (size_t)n;
}

/* One SYSREG_<REG>_<FIELD>=<value> per differing field; bits outside
 * every field have no property. */
static int qemu_reg(struct strbuf *b, uint16_t enc, uint64_t model,
		    uint64_t diff, struct idregs_error *err)
{
	unsigned int i, n = idregs_reg_field_count(enc);
	uint64_t in_fields = 0;
	const char *name;
	char buf[24];

	name = idregs_reg_name(enc, buf);
	for (i = 0; i < n; i++) {
		struct idregs_field_info f;
		uint64_t mask;

		if (idregs_reg_field(enc, i, &f))
			continue;
		mask = (f.width >= 64 ? ~0ULL : ((1ULL << f.width) - 1)) << f.shift;
		in_fields |= mask;
		if (diff & mask)
			sb_add(b, ",SYSREG_%s_%s=0x%llx", name, f.name,
			       (unsigned long long)((model & mask) >> f.shift));
	}
	if (diff & ~in_fields)
		return idregs_json_fail(err,
			"%s bits 0x%016llx differ from the host's and lie outside every field: QEMU has no property for them",
			name, (unsigned long long)(diff & ~in_fields));
	return 0;
}

static char *qemu_export(const struct idregs_model *m,
			 const struct idregs_regset *diff,
			 struct idregs_error *err)
{
	struct strbuf b = { NULL, 0, 0, false };
	uint32_t f = m->features;
	unsigned int r;

	sb_add(&b, "-cpu host");
	for (r = 0; r < idregs_reg_count(); r++) {
		uint16_t enc = idregs_reg_enc(r);
		int idx = idregs_space_index(enc);

		if (idx < 0 || !diff->val[idx])
			continue;
		if (qemu_reg(&b, enc, m->regs.val[idx], diff->val[idx], err)) {
			free(b.s);
			errno = EINVAL;
			return NULL;
		}
	}
	/* QEMU applies these after the SYSREG_ properties, so they win */
	sb_add(&b, ",pmu=%s,sve=%s,pauth=%s%s",
	       f & IDREGS_FEAT_PMU_V3 ? "on" : "off",
	       f & IDREGS_FEAT_SVE ? "on" : "off",
	       (f & IDREGS_FEAT_PTRAUTH) == IDREGS_FEAT_PTRAUTH ? "on" : "off",
	       f & IDREGS_FEAT_EL1_32BIT ? ",aarch64=off" : "");
	if (b.oom) {
		free(b.s);
		idregs_json_fail(err, "out of memory");
		return fail_null(-ENOMEM);
	}
	return b.s;
}

char *idregs_qemu_export(const struct idregs_model *m,
			 const struct idregs_host *host, unsigned int kernel,
			 struct idregs_error *err)
{
	struct idregs_regset cur, diff;
	int ret;

	ret = model_diff(m, host, kernel, &cur, &diff, err);
	if (ret)
		return fail_null(ret);
	return qemu_export(m, &diff, err);
}
