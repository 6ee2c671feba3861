// SPDX-License-Identifier: MIT
/*
 * Random sequences of VM operations, decoded from the input, against the VM
 * register file, with two properties checked after every operation:
 *
 * 1. Never more than the host. After every accepted write (and at the
 *    first run), every field of every VM-scoped register is safe against
 *    the host limit by the rule KVM checks it with. The limits are the
 *    reset values of a fresh VM of the same host, release, capabilities and
 *    vCPU features: lower-safe fields <= limit (signed compare for signed
 *    fields), higher-safe >= limit, higher-or-zero-safe 0 or >= limit,
 *    exact == limit or the safe value; every other bit (not writable, not
 *    in the host table) equals the limit. The documented exceptions:
 *    MIDR/REVIDR/AIDR with KVM_CAP_ARM_WRITABLE_IMP_ID_REGS (any value in
 *    the writable mask), the per-vCPU MPIDR and CLIDR (own checks, below),
 *    read-as-zero registers (0 is accepted), and the GIC fields that the
 *    first run clears without an in-kernel vGICv3.
 *
 * 2. The freeze. The VM-scoped values at the first successful run are
 *    snapshotted; after every later operation each of them reads the same,
 *    and what the guest reads is what user space reads (0 when RAZ).
 *
 * 3. Restores (migration state) are all or nothing: a blob saved from a
 *    VM of any built-in host (written to, maybe run, maybe damaged, maybe
 *    bytes from the input with a good checksum) restored into the VM either
 *    leaves every register as it was, or is accepted and property 1 holds.
 *
 * Also: the register list is gettable, the writable masks do not depend on
 * the VM's state, CLIDR_EL1 never claims IDC the host lacks, and no call
 * crashes whatever its arguments.
 */
#include <errno.h>

#include "fuzz.h"
#include "internal.h"

#define NR_VCPUS	9	/* slots: vCPU ids 0..7 and 511 */
#define MAX_HOSTS	32
#define MAX_KERNELS	IDREGS_NR_RELEASES
#define PFR0_GIC	(0xfULL << 24)
#define AA32_PFR1_GIC	(0xfULL << 28)

/* The built-in hosts, and each one's reset values (features 0) per release:
 * values of a real other host, to write as a "model" from elsewhere. */
static struct idregs_host *hosts[MAX_HOSTS];
static size_t nr_hosts;
static uint64_t other[MAX_HOSTS][MAX_KERNELS][IDREGS_SPACE_SIZE];

struct state {
	struct idregs_vm *vm;
	size_t host;
	unsigned int kernel;
	bool mte;		/* KVM_CAP_ARM_MTE enabled */
	bool imp_cap;		/* KVM_CAP_ARM_WRITABLE_IMP_ID_REGS enabled */
	bool vgic;
	bool gic_may_clear;	/* a run was tried without an in-kernel vGICv3 */
	bool inited[NR_VCPUS];
	bool ran[NR_VCPUS];
	/* set at the first successful vCPU init */
	bool have_limits;
	uint32_t features;
	uint64_t limit[IDREGS_SPACE_SIZE];
	uint64_t masks[IDREGS_SPACE_SIZE];
	/* set at the first successful run */
	bool frozen;
	uint64_t frozen_val[IDREGS_SPACE_SIZE];
};

/* The releases whose rules the oracle states: values frozen at the first
 * run and the masks ioctl (6.7 on). */
static unsigned int frozen_releases[MAX_KERNELS], nr_frozen_releases;

static void init_hosts(void)
{
	struct idregs_error err;
	size_t h;
	unsigned int k, i;

	if (nr_hosts)
		return;
	for (k = 0; k < idregs_kernel_count(); k++) {
		const struct idregs_release_props *p = &idregs_release(k)->props;

		if (p->first_run_freeze && p->id_regs_per_vm && p->masks_ioctl)
			frozen_releases[nr_frozen_releases++] = k;
	}
	for (h = 0; h < idregs_builtin_count() && h < MAX_HOSTS; h++) {
		if (idregs_host_load(idregs_builtin_name(h), &hosts[h], &err))
			FUZZ_ASSERT(0, "built-in host %s: %s", idregs_builtin_name(h), err.msg);
		for (k = 0; k < idregs_kernel_count() && k < MAX_KERNELS; k++) {
			struct idregs_vm *vm;

			FUZZ_ASSERT(!idregs_vm_create(hosts[h], k, &vm), "vm");
			FUZZ_ASSERT(!idregs_vcpu_create(vm, 0) && !idregs_vcpu_init(vm, 0, 0),
				    "vcpu");
			for (i = 0; i < IDREGS_SPACE_SIZE; i++)
				idregs_vcpu_get(vm, 0, idregs_sysreg_id(idregs_space_enc(i)),
						&other[h][k][i]);
			idregs_vm_destroy(vm);
		}
	}
	nr_hosts = h;
}

/* The slot of a vCPU id the fuzzer tracks, or -1 (out of range ids). */
static int slot(unsigned int id)
{
	if (id < NR_VCPUS - 1)
		return (int)id;
	return id == IDREGS_MAX_VCPUS - 1 ? NR_VCPUS - 1 : -1;
}

static unsigned int slot_id(unsigned int slot)
{
	return slot == NR_VCPUS - 1 ? IDREGS_MAX_VCPUS - 1 : slot;
}

/* ---- the oracle --------------------------------------------------------- */

static int64_t field_val(const struct idregs_field_info *f, uint64_t reg)
{
	uint64_t v = f->width == 64 ? reg : (reg >> f->shift) & ((1ULL << f->width) - 1);

	if (f->is_signed && f->width < 64 && (v >> (f->width - 1)) & 1)
		return (int64_t)(v | ~((1ULL << f->width) - 1));
	return (int64_t)v;
}

static uint64_t field_mask(const struct idregs_field_info *f)
{
	return (f->width == 64 ? ~0ULL : (1ULL << f->width) - 1) << f->shift;
}

static bool rule_allows(const char *rule, int64_t v, int64_t l, uint64_t safe)
{
	if (!strcmp(rule, "lower-safe"))
		return v <= l;
	if (!strcmp(rule, "higher-safe"))
		return v >= l;
	if (!strcmp(rule, "higher-or-zero-safe"))
		return v == 0 || v >= l;
	if (!strcmp(rule, "exact"))
		return v == l || (uint64_t)v == safe;
	return v == l;
}

/* Read-as-zero for this VM (the guest reads 0; userspace may write 0). */
static bool reg_raz(const struct state *s, const struct idregs_reg_desc *r)
{
	bool aa32_el0 = (s->limit[IDX_PFR0] & 0xf) == 2;

	switch (idregs_reg_rel(r, s->kernel)->vis) {
	case IDREGS_VIS_RAZ:
		return true;
	case IDREGS_VIS_SVE:
		return !(s->features & IDREGS_FEAT_SVE);
	case IDREGS_VIS_AA32:
		return !aa32_el0;
	default:
		return false;
	}
}

/* Bits a run may clear (without an in-kernel vGICv3 KVM clears the GIC
 * fields when a vCPU first tries to run, even if that run then fails). */
static uint64_t run_cleared(const struct state *s, int idx)
{
	if (!s->gic_may_clear)
		return 0;
	if (idx == IDX_PFR0)
		return PFR0_GIC;
	if (idx == IDX_PFR1_AA32)
		return AA32_PFR1_GIC;
	return 0;
}

static void check_reg(const struct state *s, const struct idregs_reg_desc *r,
		      uint64_t v, const char *when)
{
	int idx = idregs_space_index(r->enc);
	uint64_t limit = s->limit[idx], writable = s->masks[idx], checked = 0;
	uint64_t cleared = run_cleared(s, idx);
	unsigned int i, n = idregs_reg_field_count(r->enc);
	const char *name = r->name;

	if (idregs_reg_rel(r, s->kernel)->handler == IDREGS_HANDLER_IMP) {
		uint64_t m = idregs_reg_kvm_mask(r->enc, s->kernel);

		FUZZ_ASSERT(v == limit || (s->imp_cap && !(v & ~m)),
			    "%s: %s 0x%016llx, host 0x%016llx (imp cap %d)", when, name,
			    (unsigned long long)v, (unsigned long long)limit, s->imp_cap);
		return;
	}
	if (reg_raz(s, r)) {
		FUZZ_ASSERT(v == limit || v == 0,
			    "%s: RAZ %s 0x%016llx, reset 0x%016llx", when, name,
			    (unsigned long long)v, (unsigned long long)limit);
		return;
	}
	for (i = 0; i < n; i++) {
		struct idregs_field_info f;
		uint64_t m;
		int64_t fv, fl;

		FUZZ_ASSERT(!idregs_reg_field(r->enc, i, &f), "field %u of %s", i, name);
		m = field_mask(&f);
		if (!idregs_field_in_host_table(r->enc, i, s->kernel) || (m & writable) != m)
			continue;
		checked |= m;
		if ((m & cleared) == m && !(v & m))
			continue;
		fv = field_val(&f, v);
		fl = field_val(&f, limit);
		FUZZ_ASSERT(rule_allows(f.kvm_rule, fv, fl, f.safe),
			    "%s: %s.%s = %lld, host limit %lld (%s, safe %llu); reg 0x%016llx limit 0x%016llx",
			    when, name, f.name, (long long)fv, (long long)fl, f.kvm_rule,
			    (unsigned long long)f.safe, (unsigned long long)v,
			    (unsigned long long)limit);
	}
	FUZZ_ASSERT(((v ^ limit) & ~checked & ~(cleared & ~v)) == 0,
		    "%s: %s 0x%016llx differs from the host limit 0x%016llx in bits 0x%016llx that are not writable fields",
		    when, name, (unsigned long long)v, (unsigned long long)limit,
		    (unsigned long long)((v ^ limit) & ~checked));
}

/* A vCPU through which the VM-scoped registers can be read. */
static int any_vcpu(const struct state *s)
{
	int i;

	for (i = 0; i < NR_VCPUS; i++)
		if (s->inited[i])
			return (int)slot_id((unsigned int)i);
	return -1;
}

static uint64_t user_get(struct state *s, unsigned int vcpu, uint16_t enc)
{
	uint64_t v = 0;
	int ret = idregs_vcpu_get(s->vm, vcpu, idregs_sysreg_id(enc), &v);

	FUZZ_ASSERT(!ret, "get %s on vCPU %u: %d", idregs_regdb_find(enc)->name, vcpu, ret);
	return v;
}

/* CLIDR_EL1: RES0 clear, and no IDC claim (LoC 0, or LoUIS and LoUU 0)
 * when the host's CTR_EL0 has no IDC. */
static void check_clidr(const struct state *s, uint64_t v, const char *when)
{
	unsigned int louis = (v >> 21) & 7, loc = (v >> 24) & 7, louu = (v >> 27) & 7;

	FUZZ_ASSERT(!(v >> 47), "%s: CLIDR_EL1 RES0 bits set: 0x%016llx", when,
		    (unsigned long long)v);
	FUZZ_ASSERT((s->limit[IDX_CTR] >> 28 & 1) || (loc && (louis || louu)),
		    "%s: CLIDR_EL1 0x%016llx implies IDC, the host's CTR_EL0 0x%016llx has none",
		    when, (unsigned long long)v, (unsigned long long)s->limit[IDX_CTR]);
}

/* Property 1 over every VM-scoped register (and CLIDR of every vCPU). */
static void check_all(struct state *s, const char *when)
{
	int vcpu = any_vcpu(s);
	unsigned int i;

	if (!s->have_limits || vcpu < 0)
		return;
	for (i = 0; i < NR_VCPUS; i++)
		if (s->inited[i])
			check_clidr(s, user_get(s, slot_id(i), IDREGS_ENC(3, 1, 0, 0, 1)), when);
	for (i = 0; i < idregs_reg_count(); i++) {
		const struct idregs_reg_desc *r = idregs_regdb_find(idregs_reg_enc(i));

		if (r->scope != IDREGS_SCOPE_VM)
			continue;
		check_reg(s, r, user_get(s, (unsigned int)vcpu, r->enc), when);
	}
}

/* Property 2: nothing VM-scoped moves after the first run. Read through
 * one vCPU per operation (they take turns), or every vCPU when all. */
static void check_frozen(struct state *s, const char *after, unsigned int turn,
			 bool all)
{
	unsigned int i, v, one = turn % NR_VCPUS;

	if (!s->frozen)
		return;
	FUZZ_ASSERT(idregs_vm_has_run(s->vm), "frozen but has_run false after %s", after);
	while (!s->inited[one])
		one = (one + 1) % NR_VCPUS;	/* the vCPU that ran is one */
	for (v = 0; v < NR_VCPUS; v++) {
		if (!s->inited[v] || (!all && v != one))
			continue;
		for (i = 0; i < idregs_reg_count(); i++) {
			const struct idregs_reg_desc *r = idregs_regdb_find(idregs_reg_enc(i));
			int idx = idregs_space_index(r->enc);
			uint64_t val;

			if (r->scope != IDREGS_SCOPE_VM)
				continue;
			val = user_get(s, slot_id(v), r->enc);
			FUZZ_ASSERT(val == s->frozen_val[idx],
				    "after %s: %s changed after the freeze: 0x%016llx -> 0x%016llx (vCPU %u)",
				    after, r->name, (unsigned long long)s->frozen_val[idx],
				    (unsigned long long)val, v);
		}
	}
}

/* The reference VM: same host, release, capabilities, features; its reset
 * values are the limits. */
static void compute_limits(struct state *s, uint32_t features)
{
	struct idregs_reg_mask_range range = { 0 };
	struct idregs_vm *ref;
	unsigned int i;

	FUZZ_ASSERT(!idregs_vm_create(hosts[s->host], s->kernel, &ref), "ref vm");
	if (s->mte)
		FUZZ_ASSERT(!idregs_vm_enable_cap(ref, IDREGS_CAP_ARM_MTE), "ref mte");
	FUZZ_ASSERT(!idregs_vcpu_create(ref, 0), "ref vcpu");
	FUZZ_ASSERT(!idregs_vcpu_init(ref, 0, features),
		    "ref init refused features 0x%x the VM accepted", features);
	for (i = 0; i < idregs_reg_count(); i++) {
		uint16_t enc = idregs_reg_enc(i);

		if (idregs_regdb_find(enc)->scope == IDREGS_SCOPE_VM)
			FUZZ_ASSERT(!idregs_vcpu_get(ref, 0, idregs_sysreg_id(enc),
						     &s->limit[idregs_space_index(enc)]),
				    "ref get");
	}
	FUZZ_ASSERT(!idregs_vm_writable_masks(ref, &range, s->masks), "ref masks");
	idregs_vm_destroy(ref);
	s->features = features;
	s->have_limits = true;
}

/* ---- decoding operations ---------------------------------------------- */

static unsigned int pick_vcpu(struct fuzz_in *in)
{
	uint8_t b = fuzz_u8(in);

	if (b < 240)
		return b % (NR_VCPUS - 1);
	if (b < 248)
		return IDREGS_MAX_VCPUS - 1;
	if (b < 252)
		return IDREGS_MAX_VCPUS;
	return fuzz_u32(in) | IDREGS_MAX_VCPUS;	/* out of range */
}

static uint16_t pick_enc(struct fuzz_in *in)
{
	uint8_t b = fuzz_u8(in);

	if (b < 200)
		return idregs_reg_enc(fuzz_u8(in) % idregs_reg_count());
	if (b < 240)
		return idregs_space_enc(fuzz_u8(in) % IDREGS_SPACE_SIZE);
	return fuzz_u16(in);
}

static uint64_t pick_id(struct fuzz_in *in, uint16_t *enc)
{
	uint8_t b = fuzz_u8(in);
	uint64_t id;

	*enc = pick_enc(in);
	if (b < 240)
		return idregs_sysreg_id(*enc);
	id = fuzz_u64(in);	/* any id at all */
	*enc = (uint16_t)id;
	return id;
}

static uint32_t pick_features(struct fuzz_in *in, const struct state *s)
{
	uint8_t b = fuzz_u8(in);

	if (b < 64)
		return idregs_host_features(hosts[s->host]) & fuzz_u8(in);
	if (b < 128)
		return b & IDREGS_FEAT_VALID;
	return fuzz_u32(in);
}

/* A value to write: anything, the limit or current value with a field
 * changed, another host's value, or the current value itself. */
static uint64_t pick_value(struct fuzz_in *in, struct state *s, unsigned int vcpu,
			   uint16_t enc)
{
	int idx = idregs_space_index(enc);
	uint64_t cur = 0, base;
	uint8_t b = fuzz_u8(in);
	struct idregs_field_info f;
	unsigned int n;

	idregs_vcpu_get(s->vm, vcpu, idregs_sysreg_id(enc), &cur);
	base = (b & 1) && idx >= 0 && s->have_limits ? s->limit[idx] : cur;
	switch (b >> 1 & 7) {
	case 0:
		return fuzz_u64(in);
	case 1:
		return cur;
	case 2:
		return idx >= 0 ? other[fuzz_u8(in) % nr_hosts][s->kernel][idx] : cur;
	case 3:
		return b & 0x80 ? ~0ULL : 0;
	default:
		n = idregs_reg_field_count(enc);
		if (!n || idregs_reg_field(enc, fuzz_u8(in) % n, &f))
			return base ^ (1ULL << (fuzz_u8(in) & 63));
		switch (b >> 4 & 3) {
		case 0:		/* one more */
			return (base & ~field_mask(&f)) |
			       ((base + (1ULL << f.shift)) & field_mask(&f));
		case 1:		/* one less */
			return (base & ~field_mask(&f)) |
			       ((base - (1ULL << f.shift)) & field_mask(&f));
		default:	/* any value of the field */
			return (base & ~field_mask(&f)) |
			       ((fuzz_u64(in) << f.shift) & field_mask(&f));
		}
	}
}

static void op_set(struct fuzz_in *in, struct state *s)
{
	unsigned int vcpu = pick_vcpu(in);
	uint16_t enc;
	uint64_t id = pick_id(in, &enc), val, before = 0, after = 0;
	const struct idregs_reg_desc *r = idregs_regdb_find(enc);
	int ret, had;

	val = pick_value(in, s, vcpu, enc);
	had = idregs_vcpu_get(s->vm, vcpu, id, &before);
	ret = idregs_vcpu_set(s->vm, vcpu, id, val);
	if (ret)
		return;
	FUZZ_ASSERT(!had, "set of id 0x%016llx accepted, get refused (%d)",
		    (unsigned long long)id, had);
	FUZZ_ASSERT(!idregs_vcpu_get(s->vm, vcpu, id, &after), "get after set");
	if (s->frozen && r && r->scope == IDREGS_SCOPE_VM)
		FUZZ_ASSERT(val == s->frozen_val[idregs_space_index(enc)] ||
			    after == before,
			    "%s: 0x%016llx accepted after the freeze (frozen 0x%016llx)",
			    r->name, (unsigned long long)val,
			    (unsigned long long)s->frozen_val[idregs_space_index(enc)]);
	check_all(s, "after an accepted write");
}

static void op_get(struct fuzz_in *in, struct state *s)
{
	unsigned int vcpu = pick_vcpu(in);
	uint16_t enc;
	uint64_t id = pick_id(in, &enc), v;
	int ret = idregs_vcpu_get(s->vm, vcpu, id, &v);

	FUZZ_ASSERT(ret <= 0, "get returned %d", ret);
}

static void op_run(struct fuzz_in *in, struct state *s)
{
	unsigned int vcpu = pick_vcpu(in), i;
	int ret;

	if (!s->vgic)
		s->gic_may_clear = true;
	ret = idregs_vcpu_run(s->vm, vcpu);
	if (ret)
		return;
	FUZZ_ASSERT(slot(vcpu) >= 0 && s->inited[slot(vcpu)], "run of vCPU %u without init", vcpu);
	s->ran[slot(vcpu)] = true;
	FUZZ_ASSERT(idregs_vm_has_run(s->vm), "run accepted, VM not frozen");
	if (s->frozen)
		return;
	s->frozen = true;
	for (i = 0; i < idregs_reg_count(); i++) {
		const struct idregs_reg_desc *r = idregs_regdb_find(idregs_reg_enc(i));

		if (r->scope == IDREGS_SCOPE_VM)
			s->frozen_val[idregs_space_index(r->enc)] = user_get(s, vcpu, r->enc);
	}
	check_all(s, "at the first run");
}

static void op_guest(struct fuzz_in *in, struct state *s)
{
	unsigned int vcpu = pick_vcpu(in);
	uint8_t b = fuzz_u8(in);
	uint16_t enc = pick_enc(in);
	uint32_t esr = b < 200 ? idregs_esr_sysreg(enc, fuzz_u8(in), b & 1) : fuzz_u32(in);
	const struct idregs_reg_desc *r;
	uint64_t rt = 0xdeadbeef, user;
	int ret;

	ret = idregs_vcpu_guest_access(s->vm, vcpu, esr, &rt);
	FUZZ_ASSERT(ret == 0 || ret == IDREGS_GUEST_UNDEF || ret == -ENXIO ||
		    ret == -EINVAL || ret == -ENOEXEC, "guest access: %d", ret);
	if (ret)
		return;
	FUZZ_ASSERT(slot(vcpu) >= 0 && s->ran[slot(vcpu)], "guest access before the vCPU ran");
	FUZZ_ASSERT(b < 200 && (esr & 1), "guest access 0x%08x handled", esr);
	r = idregs_regdb_find(enc);
	FUZZ_ASSERT(r, "guest read of unknown encoding 0x%04x", enc);
	user = user_get(s, vcpu, enc);
	if (r->scope == IDREGS_SCOPE_VM && reg_raz(s, r))
		FUZZ_ASSERT(rt == 0, "guest read RAZ %s as 0x%016llx", r->name,
			    (unsigned long long)rt);
	else
		FUZZ_ASSERT(rt == user, "guest read %s 0x%016llx, user space 0x%016llx",
			    r->name, (unsigned long long)rt, (unsigned long long)user);
}

static void op_masks(struct fuzz_in *in, struct state *s)
{
	struct idregs_reg_mask_range range = { 0 };
	uint64_t masks[IDREGS_SPACE_SIZE];
	uint8_t b = fuzz_u8(in);

	if (b & 1)
		range.range = fuzz_u32(in);
	if (b & 2)
		range.reserved[fuzz_u8(in) % 13] = fuzz_u32(in);
	if (idregs_vm_writable_masks(s->vm, &range, masks))
		return;
	FUZZ_ASSERT(!range.range, "masks of range %u", range.range);
	if (s->have_limits)
		FUZZ_ASSERT(!memcmp(masks, s->masks, sizeof(masks)),
			    "writable masks depend on the VM's state");
}

static void op_reg_list(struct fuzz_in *in, struct state *s)
{
	uint64_t ids[256];
	unsigned int vcpu = pick_vcpu(in);
	size_t n = fuzz_u8(in), i, want = n;
	int ret = idregs_vcpu_reg_list(s->vm, vcpu, ids, &n);

	if (ret == -E2BIG) {
		FUZZ_ASSERT(n > want, "E2BIG with %zu <= %zu", n, want);
		return;
	}
	if (ret)
		return;
	FUZZ_ASSERT(n <= want, "list of %zu in %zu", n, want);
	for (i = 0; i < n; i++) {
		uint64_t v;

		FUZZ_ASSERT(!idregs_vcpu_get(s->vm, vcpu, ids[i], &v),
			    "listed id 0x%016llx not gettable", (unsigned long long)ids[i]);
	}
}

/* ---- migration state ----------------------------------------------- */

/* CRC-32 (IEEE 802.3), the blob's checksum (docs/state.md). */
static uint32_t crc32_ieee(const uint8_t *p, size_t n)
{
	uint32_t crc = 0xffffffffu;
	int k;

	while (n--) {
		crc ^= *p++;
		for (k = 0; k < 8; k++)
			crc = crc >> 1 ^ (0xedb88320u & -(crc & 1));
	}
	return ~crc;
}

static void put_le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

/* A damaged blob made to pass the length and checksum tests, so that
 * the layout checks behind them are reached. */
static void fix_blob(uint8_t *b, size_t len)
{
	if (len < 16)
		return;
	put_le32(b + 12, (uint32_t)len);
	put_le32(b + len - 4, crc32_ieee(b, len - 4));
}

/* Everything a restore may change. */
struct vm_snapshot {
	uint64_t vm[IDREGS_SPACE_SIZE];
	uint64_t mpidr[NR_VCPUS], clidr[NR_VCPUS];
	bool ran;
};

static void snapshot(struct state *s, struct vm_snapshot *o)
{
	int vcpu = any_vcpu(s);
	unsigned int i;

	memset(o, 0, sizeof(*o));
	o->ran = idregs_vm_has_run(s->vm);
	for (i = 0; i < idregs_reg_count(); i++) {
		const struct idregs_reg_desc *r = idregs_regdb_find(idregs_reg_enc(i));

		if (r->scope == IDREGS_SCOPE_VM)
			o->vm[idregs_space_index(r->enc)] = user_get(s, (unsigned int)vcpu, r->enc);
	}
	for (i = 0; i < NR_VCPUS; i++) {
		if (!s->inited[i])
			continue;
		o->mpidr[i] = user_get(s, slot_id(i), IDREGS_ENC(3, 0, 0, 0, 5));
		o->clidr[i] = user_get(s, slot_id(i), IDREGS_ENC(3, 1, 0, 0, 1));
	}
}

/* A blob from a VM of a built-in host with the same vCPUs and features,
 * written to (and maybe run) as the input says. 0 or -1. */
static int source_blob(struct fuzz_in *in, struct state *s, uint8_t mode,
		       uint8_t *blob, size_t *len)
{
	struct state src = *s;
	unsigned int i, writes = fuzz_u8(in) % 8, first = 0;
	bool any = false;
	int ret = -1;

	/* half from the same host (a restore that can succeed) */
	i = fuzz_u8(in);
	src.host = i < 128 ? s->host : i % nr_hosts;
	if (idregs_vm_create(hosts[src.host], s->kernel, &src.vm))
		return -1;
	if (s->mte)
		idregs_vm_enable_cap(src.vm, IDREGS_CAP_ARM_MTE);
	if (s->imp_cap)
		idregs_vm_enable_cap(src.vm, IDREGS_CAP_ARM_WRITABLE_IMP_ID_REGS);
	for (i = 0; i < NR_VCPUS; i++) {
		if (!s->inited[i])
			continue;
		if (idregs_vcpu_create(src.vm, slot_id(i)) ||
		    idregs_vcpu_init(src.vm, slot_id(i), s->features))
			goto out;
		if (s->features & IDREGS_FEAT_SVE)
			idregs_vcpu_finalize(src.vm, slot_id(i));
		if (s->features & IDREGS_FEAT_PMU_V3)
			idregs_vcpu_pmu_init(src.vm, slot_id(i));
		if (!any)
			first = slot_id(i);
		any = true;
	}
	if (!any)
		goto out;
	for (i = 0; i < writes; i++) {
		uint16_t enc = pick_enc(in);

		/* pick_value() reads src.vm; its limits are the destination's */
		idregs_vcpu_set(src.vm, first, idregs_sysreg_id(enc),
				pick_value(in, &src, first, enc));
	}
	if (mode & 8)
		idregs_vcpu_run(src.vm, first);
	ret = idregs_state_save(src.vm, first, blob, len) ? -1 : 0;
out:
	idregs_vm_destroy(src.vm);
	return ret;
}

/* An accepted restore restored everything: each register reads as the
 * blob has it. */
static void restored_as_saved(struct state *s, const uint8_t *blob, size_t len,
			      const struct vm_snapshot *now)
{
	struct idregs_state *st = malloc(sizeof(*st));
	struct idregs_error err;
	size_t i;

	FUZZ_ASSERT(st, "out of memory");
	FUZZ_ASSERT(!idregs_state_parse(blob, len, st, &err),
		    "restored a blob that does not parse: %s", err.msg);
	for (i = 0; i < st->nr_regs; i++) {
		int idx = idregs_space_index((uint16_t)st->reg_id[i]);
		const struct idregs_reg_desc *r = idregs_regdb_find((uint16_t)st->reg_id[i]);

		/* AArch32 registers without AArch32 EL0: KVM ignores user
		 * writes (RAZ/WI), so a restore "accepts" any value there */
		if (r && idregs_reg_rel(r, s->kernel)->vis == IDREGS_VIS_AA32 && reg_raz(s, r))
			continue;
		FUZZ_ASSERT(idx >= 0 && now->vm[idx] == st->reg_val[i],
			    "restored register 0x%016llx reads 0x%016llx, the blob has 0x%016llx",
			    (unsigned long long)st->reg_id[i],
			    (unsigned long long)(idx >= 0 ? now->vm[idx] : 0),
			    (unsigned long long)st->reg_val[i]);
	}
	for (i = 0; i < st->nr_vcpus; i++) {
		int k = slot(st->vcpus[i].id);

		FUZZ_ASSERT(k >= 0 && s->inited[k], "restored vCPU %u", st->vcpus[i].id);
		FUZZ_ASSERT(now->mpidr[k] == st->vcpus[i].mpidr &&
			    now->clidr[k] == st->vcpus[i].clidr,
			    "vCPU %u: MPIDR/CLIDR not restored", st->vcpus[i].id);
	}
	free(st);
}

static void op_restore(struct fuzz_in *in, struct state *s)
{
	struct vm_snapshot *before, *after;
	struct idregs_check_report *rep;
	struct idregs_error err;
	size_t cap = IDREGS_STATE_MAX_SIZE + 64, len = cap;
	uint8_t mode = fuzz_u8(in), *blob;
	int ret;

	if (!s->have_limits || any_vcpu(s) < 0)
		return;
	blob = calloc(1, cap);
	before = malloc(sizeof(*before));
	after = malloc(sizeof(*after));
	rep = malloc(sizeof(*rep));
	FUZZ_ASSERT(blob && before && after && rep, "out of memory");
	if (mode & 1) {
		/* bytes from the input, as a blob */
		len = (fuzz_u16(in) % cap);
		len = len < in->n ? len : in->n;
		memcpy(blob, in->p, len);
		in->p += len;
		in->n -= len;
		if ((mode & 4) && len >= 8)
			memcpy(blob, "IDRGSTAT", 8);
		if (mode & 2)
			fix_blob(blob, len);
	} else if (source_blob(in, s, mode, blob, &len)) {
		goto out;
	} else if (mode & 0x10) {
		blob[fuzz_u16(in) % len] ^= fuzz_u8(in) | 1;
		if (mode & 0x20)
			fix_blob(blob, len);
	}
	snapshot(s, before);
	memset(&err, 0, sizeof(err));
	ret = idregs_state_restore(s->vm, blob, len, rep, &err);
	snapshot(s, after);
	if (ret) {
		FUZZ_ASSERT(!memcmp(before, after, sizeof(*before)),
			    "a refused restore (%d: %s) changed the VM", ret, err.msg);
		FUZZ_ASSERT(ret != -EINVAL || err.msg[0], "restore EINVAL without a reason");
	} else {
		FUZZ_ASSERT(!s->frozen, "a restore was accepted after the first run");
		check_all(s, "after a restore");
		restored_as_saved(s, blob, len, after);
	}
out:
	free(rep);
	free(after);
	free(before);
	free(blob);
}

static void op_vcpu_init(struct fuzz_in *in, struct state *s)
{
	unsigned int vcpu = pick_vcpu(in);
	uint32_t features = pick_features(in, s);
	int ret = idregs_vcpu_init(s->vm, vcpu, features);

	if (ret)
		return;
	FUZZ_ASSERT(slot(vcpu) >= 0, "init of %u", vcpu);
	if (!s->have_limits)
		compute_limits(s, features);
	FUZZ_ASSERT(features == s->features, "second feature set 0x%x accepted (first 0x%x)",
		    features, s->features);
	s->inited[slot(vcpu)] = true;
	check_all(s, "after a vCPU init");
}

static void fuzz_one(struct fuzz_in *in)
{
	struct state *s = calloc(1, sizeof(*s));
	unsigned int vcpu, ops = 0;
	int ret;

	s->host = fuzz_u8(in) % nr_hosts;
	s->kernel = frozen_releases[fuzz_u8(in) % nr_frozen_releases];
	FUZZ_ASSERT(!idregs_vm_create(hosts[s->host], s->kernel, &s->vm), "vm create");
	while (in->n && ops++ < 512) {
		uint8_t op = fuzz_u8(in);
		const char *what = "?";

		switch (op % 16) {
		case 0:
			what = "enable cap";
			ret = idregs_vm_enable_cap(s->vm, (op & 0x10) ? IDREGS_CAP_ARM_MTE :
						   (op & 0x20) ? IDREGS_CAP_ARM_WRITABLE_IMP_ID_REGS :
						   (enum idregs_cap)fuzz_u32(in));
			if (!ret && (op & 0x10))
				s->mte = true;
			else if (!ret && (op & 0x20))
				s->imp_cap = true;
			break;
		case 1:
			what = "vgic";
			if (!idregs_vm_create_vgic_v3(s->vm))
				s->vgic = !s->frozen || s->vgic;
			/* a vGIC created after the first run changes nothing */
			break;
		case 2:
		case 3:
			what = "vcpu create";
			vcpu = pick_vcpu(in);
			if (!idregs_vcpu_create(s->vm, vcpu))
				FUZZ_ASSERT(slot(vcpu) >= 0, "vCPU %u created", vcpu);
			break;
		case 4:
			what = "vcpu init";
			op_vcpu_init(in, s);
			break;
		case 5:
			what = "finalize";
			idregs_vcpu_finalize(s->vm, pick_vcpu(in));
			break;
		case 6:
			what = "pmu init";
			idregs_vcpu_pmu_init(s->vm, pick_vcpu(in));
			break;
		case 7:
		case 8:
			what = "get";
			op_get(in, s);
			break;
		case 9:
		case 10:
		case 11:
			what = "set";
			op_set(in, s);
			break;
		case 12:
			what = "masks";
			op_masks(in, s);
			break;
		case 13:
			what = "run";
			op_run(in, s);
			break;
		case 14:
			what = "guest access";
			op_guest(in, s);
			break;
		case 15:
			if (op & 0x10) {
				what = "state restore";
				op_restore(in, s);
			} else {
				what = "reg list";
				op_reg_list(in, s);
			}
			break;
		}
		check_frozen(s, what, ops, false);
	}
	check_frozen(s, "the last operation", 0, true);
	check_all(s, "at the end");
	idregs_vm_destroy(s->vm);
	free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size };

	init_hosts();
	fuzz_one(&in);
	return 0;
}
