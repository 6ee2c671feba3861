// SPDX-License-Identifier: MIT
/*
 * Migration state: a VM's ID registers as a versioned, checksummed blob
 * (docs/state.md), and its all-or-nothing restore into a fresh VM.
 *
 * Restore decides nothing itself: the blob's values are written through
 * KVM's own write path (idregs_check_regs(), the check machinery) to a
 * scratch copy of the destination VM, and only when every register was
 * accepted there are the resulting values committed to the destination,
 * in one step under its configuration lock.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"
#include "json.h"

static const char magic[8] = { 'I', 'D', 'R', 'G', 'S', 'T', 'A', 'T' };

/* Header offsets (version 1). Bytes 0..15 and the trailing CRC keep their
 * place in every version, so any version's integrity can be checked. */
#define OFF_MAGIC	0
#define OFF_VERSION	8
#define OFF_LENGTH	12
#define OFF_FEATURES	16
#define OFF_FLAGS	20
#define OFF_NR_REGS	24
#define OFF_NR_VCPUS	26
#define OFF_RESERVED	28
#define OFF_KERNEL	32
#define FIXED_SIZE	16	/* magic, version, length */
#define CRC_SIZE	4
#define KERNEL_SIZE	16

/* CRC-32 (IEEE 802.3, as zlib): reflected 0xEDB88320, a nibble at a time. */
static uint32_t crc32_ieee(const uint8_t *p, size_t n)
{
	static const uint32_t t[16] = {
		0x00000000, 0x1db71064, 0x3b6e20c8, 0x26d930ac,
		0x76dc4190, 0x6b6b51f4, 0x4db26158, 0x5005713c,
		0xedb88320, 0xf00f9344, 0xd6d6a3e8, 0xcb61b38c,
		0x9b64c2b0, 0x86d3d2d4, 0xa00ae278, 0xbdbdf21c,
	};
	uint32_t crc = 0xffffffffu;

	while (n--) {
		crc ^= *p++;
		crc = (crc >> 4) ^ t[crc & 15];
		crc = (crc >> 4) ^ t[crc & 15];
	}
	return ~crc;
}

/* Fixed little-endian layout, whatever the host's byte order. */
static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)v);
	put16(p + 2, (uint16_t)(v >> 16));
}

static void put64(uint8_t *p, uint64_t v)
{
	put32(p, (uint32_t)v);
	put32(p + 4, (uint32_t)(v >> 32));
}

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t get32(const uint8_t *p)
{
	return get16(p) | (uint32_t)get16(p + 2) << 16;
}

static uint64_t get64(const uint8_t *p)
{
	return get32(p) | (uint64_t)get32(p + 4) << 32;
}

static bool vm_scoped(const struct idregs_reg_desc *r)
{
	return r->scope == IDREGS_SCOPE_VM;
}

static size_t blob_size(size_t nr_regs, size_t nr_vcpus)
{
	return IDREGS_STATE_HDR_SIZE + nr_regs * IDREGS_STATE_REG_SIZE +
	       nr_vcpus * IDREGS_STATE_VCPU_SIZE + CRC_SIZE;
}

/* "pmu,sve" for messages ("none" for no feature). */
static const char *feature_text(uint32_t features, char *buf, size_t len)
{
	const char *w;
	uint32_t bits;
	unsigned int i;
	size_t n = 0;

	buf[0] = 0;
	for (i = 0; (w = idregs_feature_name(i, &bits)); i++)
		if ((features & bits) == bits && n < len)
			n += (size_t)snprintf(buf + n, len - n, "%s%s", n ? "," : "", w);
	return buf[0] ? buf : "none";
}

int idregs_state_save(struct idregs_vm *vm, unsigned int vcpu, void *buf,
		      size_t *len)
{
	size_t nr_regs = 0, nr_vcpus = 0, need, i;
	const char *kernel;
	uint32_t flags = 0;
	uint8_t *p = buf;

	if (!idregs_db)
		return -ENOTRECOVERABLE;
	if (vcpu >= IDREGS_MAX_VCPUS || !vm->vcpus[vcpu].created)
		return -ENXIO;
	if (!vm->vcpus[vcpu].initialised)
		return -ENOEXEC;
	kernel = idregs_kernel_version(vm->kernel);
	if (strlen(kernel) >= KERNEL_SIZE)
		return -ENAMETOOLONG;
	for (i = 0; i < idregs_db->nr_regs; i++)
		nr_regs += vm_scoped(&idregs_db->regs[i]);
	/* one consistent snapshot: no writer runs while it is taken */
	pthread_mutex_lock(&vm->config_lock);
	for (i = 0; i < IDREGS_MAX_VCPUS; i++)
		nr_vcpus += vm->vcpus[i].initialised;
	need = blob_size(nr_regs, nr_vcpus);
	if (!buf || *len < need) {
		pthread_mutex_unlock(&vm->config_lock);
		*len = need;
		return -E2BIG;
	}
	memset(p, 0, need);
	if (vm->mte)
		flags |= IDREGS_STATE_F_MTE;
	if (vm->writable_imp)
		flags |= IDREGS_STATE_F_WRITABLE_IMP;
	if (vm->vgic_v3)
		flags |= IDREGS_STATE_F_VGIC_V3;
	if (atomic_load_explicit(&vm->ran_once, memory_order_acquire))
		flags |= IDREGS_STATE_F_RAN;
	memcpy(p + OFF_MAGIC, magic, sizeof(magic));
	put32(p + OFF_VERSION, IDREGS_STATE_VERSION);
	put32(p + OFF_LENGTH, (uint32_t)need);
	put32(p + OFF_FEATURES, vm->features);
	put32(p + OFF_FLAGS, flags);
	put16(p + OFF_NR_REGS, (uint16_t)nr_regs);
	put16(p + OFF_NR_VCPUS, (uint16_t)nr_vcpus);
	memcpy(p + OFF_KERNEL, kernel, strlen(kernel));
	p += IDREGS_STATE_HDR_SIZE;
	/* the database is in encoding order, so the records are too */
	for (i = 0; i < idregs_db->nr_regs; i++) {
		const struct idregs_reg_desc *r = &idregs_db->regs[i];

		if (!vm_scoped(r))
			continue;
		put64(p, idregs_sysreg_id(r->enc));
		put64(p + 8, vm->id_regs[idregs_space_index(r->enc)]);
		p += IDREGS_STATE_REG_SIZE;
	}
	for (i = 0; i < IDREGS_MAX_VCPUS; i++) {
		const struct idregs_vcpu *v = &vm->vcpus[i];

		if (!v->initialised)
			continue;
		put32(p, (uint32_t)i);
		put64(p + 8, atomic_load_explicit(&v->mpidr, memory_order_relaxed));
		put64(p + 16, atomic_load_explicit(&v->clidr, memory_order_relaxed));
		p += IDREGS_STATE_VCPU_SIZE;
	}
	pthread_mutex_unlock(&vm->config_lock);
	put32(p, crc32_ieee(buf, need - CRC_SIZE));
	*len = need;
	return 0;
}

/* Magic, length and checksum: what every format version shares. */
static int check_integrity(const uint8_t *p, size_t len,
			   struct idregs_state *st, struct idregs_error *err)
{
	uint32_t crc;

	if (!p && len)
		return idregs_fail(err, -EINVAL, "no state blob given");
	if (len < sizeof(magic))
		return idregs_fail(err, -EINVAL, "state blob truncated: %zu bytes, "
			    "not even its %zu-byte magic", len, sizeof(magic));
	if (memcmp(p, magic, sizeof(magic)))
		return idregs_fail(err, -EINVAL, "not an idregs state blob: wrong magic "
			    "(%02x %02x %02x %02x ..., want \"IDRGSTAT\")",
			    p[0], p[1], p[2], p[3]);
	if (len < FIXED_SIZE)
		return idregs_fail(err, -EINVAL, "state blob truncated: %zu bytes, its "
			    "fixed header alone is %d", len, FIXED_SIZE);
	st->version = get32(p + OFF_VERSION);
	st->length = get32(p + OFF_LENGTH);
	if (st->length < FIXED_SIZE + CRC_SIZE)
		return idregs_fail(err, -EINVAL, "state blob corrupted: its length field "
			    "says %u bytes, less than any blob", st->length);
	if (len < st->length)
		return idregs_fail(err, -EINVAL, "state blob truncated: %zu of the %u "
			    "bytes its header declares", len, st->length);
	if (len > st->length)
		return idregs_fail(err, -EINVAL, "state blob has %zu bytes after the "
			    "%u its header declares", len - st->length, st->length);
	st->crc = get32(p + st->length - CRC_SIZE);
	crc = crc32_ieee(p, st->length - CRC_SIZE);
	if (crc != st->crc)
		return idregs_fail(err, -EINVAL, "state blob corrupted: checksum mismatch "
			    "(stored CRC-32 0x%08x, computed 0x%08x)", st->crc, crc);
	if (st->version > IDREGS_STATE_VERSION)
		return idregs_fail(err, -EINVAL, "state blob format version %u is newer "
			    "than this library reads (version %d): restore it with "
			    "a newer libidregs", st->version, IDREGS_STATE_VERSION);
	if (st->version != IDREGS_STATE_VERSION)
		return idregs_fail(err, -EINVAL, "state blob format version %u is not a "
			    "valid version", st->version);
	return 0;
}

static int parse_kernel(const uint8_t *p, struct idregs_state *st,
			struct idregs_error *err)
{
	size_t n = strnlen((const char *)p, KERNEL_SIZE), i;

	if (!n || n == KERNEL_SIZE)
		return idregs_fail(err, -EINVAL, "state blob: the kernel release name "
			    "is empty or not terminated");
	for (i = 0; i < KERNEL_SIZE; i++)
		if (i < n ? p[i] < 0x21 || p[i] > 0x7e : p[i] != 0)
			return idregs_fail(err, -EINVAL, "state blob: the kernel release "
				    "name is not printable ASCII padded with NULs");
	memcpy(st->kernel, p, n);
	st->kernel[n] = 0;
	return 0;
}

static int parse_regs(const uint8_t *p, struct idregs_state *st,
		      struct idregs_error *err)
{
	size_t i;
	int last = -1;

	for (i = 0; i < st->nr_regs; i++, p += IDREGS_STATE_REG_SIZE) {
		const struct idregs_reg_desc *r = NULL;
		uint64_t id = get64(p);
		uint16_t enc = 0;
		char name[24];
		int idx;

		if (!idregs_parse_one_reg(id, &enc))
			r = idregs_regdb_find(enc);
		if (!r)
			return idregs_fail(err, -EINVAL, "state blob: register record %zu "
				    "(ONE_REG id 0x%016llx) is not a register this "
				    "library knows", i, (unsigned long long)id);
		if (!vm_scoped(r))
			return idregs_fail(err, -EINVAL, "state blob: register record %zu "
				    "is %s, a per-vCPU register, among the VM's", i,
				    idregs_reg_name(enc, name));
		idx = idregs_space_index(enc);
		if (idx <= last)
			return idregs_fail(err, -EINVAL, "state blob: register record %zu "
				    "(%s) is out of encoding order or repeated", i,
				    idregs_reg_name(enc, name));
		last = idx;
		st->reg_id[i] = id;
		st->reg_val[i] = get64(p + 8);
	}
	return 0;
}

static int parse_vcpus(const uint8_t *p, struct idregs_state *st,
		       struct idregs_error *err)
{
	long last = -1;
	size_t i;

	if (!st->nr_vcpus)
		return idregs_fail(err, -EINVAL, "state blob has no vCPU");
	for (i = 0; i < st->nr_vcpus; i++, p += IDREGS_STATE_VCPU_SIZE) {
		struct idregs_state_vcpu *v = &st->vcpus[i];

		v->id = get32(p);
		if (v->id >= IDREGS_MAX_VCPUS || (long)v->id <= last || get32(p + 4))
			return idregs_fail(err, -EINVAL, "state blob: vCPU record %zu (id %u) "
				    "has an id out of order or range, or reserved "
				    "bits set", i, v->id);
		last = v->id;
		v->mpidr = get64(p + 8);
		v->clidr = get64(p + 16);
	}
	return 0;
}

int idregs_state_parse(const void *buf, size_t len, struct idregs_state *st,
		       struct idregs_error *err)
{
	const uint8_t *p = buf;
	char fb[64];
	int ret;

	if (!idregs_db)
		return idregs_fail(err, -ENOTRECOVERABLE, "register tables failed validation");
	memset(st, 0, sizeof(*st));
	ret = check_integrity(p, len, st, err);
	if (ret)
		return ret;
	if (st->length < IDREGS_STATE_HDR_SIZE + CRC_SIZE)
		return idregs_fail(err, -EINVAL, "state blob of %u bytes is shorter than "
			    "a version %d header", st->length, IDREGS_STATE_VERSION);
	st->features = get32(p + OFF_FEATURES);
	st->flags = get32(p + OFF_FLAGS);
	st->nr_regs = get16(p + OFF_NR_REGS);
	st->nr_vcpus = get16(p + OFF_NR_VCPUS);
	if (st->nr_regs > IDREGS_SPACE_SIZE || st->nr_vcpus > IDREGS_MAX_VCPUS ||
	    st->length != blob_size(st->nr_regs, st->nr_vcpus))
		return idregs_fail(err, -EINVAL, "state blob: %zu registers and %zu vCPUs "
			    "do not make its %u bytes", st->nr_regs, st->nr_vcpus,
			    st->length);
	if (get32(p + OFF_RESERVED))
		return idregs_fail(err, -EINVAL, "state blob: reserved header bits are set");
	if (st->features & ~IDREGS_FEAT_VALID)
		return idregs_fail(err, -EINVAL, "state blob: unknown vCPU feature bits 0x%x "
			    "(features 0x%x: %s)", st->features & ~IDREGS_FEAT_VALID,
			    st->features, feature_text(st->features, fb, sizeof(fb)));
	if (st->flags & ~IDREGS_STATE_F_VALID)
		return idregs_fail(err, -EINVAL, "state blob: unknown flag bits 0x%x",
			    st->flags & ~IDREGS_STATE_F_VALID);
	ret = parse_kernel(p + OFF_KERNEL, st, err);
	if (!ret)
		ret = parse_regs(p + IDREGS_STATE_HDR_SIZE, st, err);
	if (!ret)
		ret = parse_vcpus(p + IDREGS_STATE_HDR_SIZE +
				  st->nr_regs * IDREGS_STATE_REG_SIZE, st, err);
	return ret;
}

/*
 * A private copy of vm, taken under its lock: the same host view, release,
 * capabilities, features, values and vCPUs. Writes to it go through the
 * same code as writes to vm, so it answers exactly as vm would.
 */
static struct idregs_vm *vm_copy(struct idregs_vm *src)
{
	/* everything between the lock and the vCPUs, which are copied field
	 * by field for their atomics (their other fields change only with the
	 * caller's vCPU calls, which must not run during a restore) */
	const size_t from = offsetof(struct idregs_vm, config_lock) +
			    sizeof(src->config_lock);
	const size_t to = offsetof(struct idregs_vm, vcpus);
	struct idregs_vm *vm = calloc(1, sizeof(*vm));
	unsigned int i;

	if (!vm)
		return NULL;
	if (pthread_mutex_init(&vm->config_lock, NULL)) {
		free(vm);
		return NULL;
	}
	pthread_mutex_lock(&src->config_lock);
	memcpy((char *)vm + from, (const char *)src + from, to - from);
	atomic_init(&vm->ran_once,
		    atomic_load_explicit(&src->ran_once, memory_order_acquire));
	for (i = 0; i < IDREGS_MAX_VCPUS; i++) {
		const struct idregs_vcpu *s = &src->vcpus[i];
		struct idregs_vcpu *d = &vm->vcpus[i];

		d->created = s->created;
		d->initialised = s->initialised;
		d->finalised = s->finalised;
		d->ran = s->ran;
		d->pmu_ready = s->pmu_ready;
		d->features = s->features;
		atomic_init(&d->mpidr, atomic_load_explicit(&s->mpidr, memory_order_relaxed));
		atomic_init(&d->clidr, atomic_load_explicit(&s->clidr, memory_order_relaxed));
	}
	pthread_mutex_unlock(&src->config_lock);
	return vm;
}

_Static_assert(offsetof(struct idregs_vm, config_lock) == 0 &&
	       offsetof(struct idregs_vm, vcpus) + sizeof(((struct idregs_vm *)0)->vcpus) ==
	       sizeof(struct idregs_vm),
	       "vm_copy() expects the lock first and the vCPUs last");

static bool vcpu_regs_equal(const struct idregs_vcpu *a, const struct idregs_vcpu *b)
{
	return atomic_load_explicit(&a->mpidr, memory_order_relaxed) ==
	       atomic_load_explicit(&b->mpidr, memory_order_relaxed) &&
	       atomic_load_explicit(&a->clidr, memory_order_relaxed) ==
	       atomic_load_explicit(&b->clidr, memory_order_relaxed);
}

/* The blob fits this VM's shape: not run, same features, same vCPUs, and
 * a value for every register the VM serves. */
static int check_shape(const struct idregs_vm *vm, const struct idregs_state *st,
		       struct idregs_check_report *rep, struct idregs_error *err)
{
	char fa[64], fb[64], name[24];
	size_t i, j;

	if (atomic_load_explicit(&vm->ran_once, memory_order_acquire))
		return idregs_fail(err, -EBUSY, "the destination VM has already run: its "
			    "ID registers are frozen");
	if (!vm->features_configured)
		return idregs_fail(err, -EINVAL, "the destination VM has no initialised "
			    "vCPU (create and initialise the blob's vCPUs first)");
	if (st->features != vm->features) {
		rep->features_err = -EINVAL;
		rep->features_missing = st->features & ~vm->features;
		return idregs_fail(err, -EINVAL, "vCPU features differ: the blob's are %s, "
			    "the destination VM's %s",
			    feature_text(st->features, fa, sizeof(fa)),
			    feature_text(vm->features, fb, sizeof(fb)));
	}
	for (i = 0, j = 0; i < IDREGS_MAX_VCPUS; i++) {
		bool in_blob = j < st->nr_vcpus && st->vcpus[j].id == i;

		if (in_blob && !vm->vcpus[i].initialised)
			return idregs_fail(err, -EINVAL, "the blob's vCPU %zu is not an "
				    "initialised vCPU of the destination VM", i);
		if (!in_blob && vm->vcpus[i].initialised)
			return idregs_fail(err, -EINVAL, "the destination VM's vCPU %zu is "
				    "not in the blob", i);
		j += in_blob;
	}
	for (i = 0, j = 0; i < idregs_db->nr_regs; i++) {
		const struct idregs_reg_desc *r = &idregs_db->regs[i];

		if (!vm_scoped(r))
			continue;
		/* both lists are in encoding order */
		while (j < st->nr_regs && (uint16_t)st->reg_id[j] < r->enc)
			j++;
		if (j == st->nr_regs || (uint16_t)st->reg_id[j] != r->enc)
			return idregs_fail(err, -EINVAL, "the blob has no value for %s, "
				    "which the destination VM serves",
				    idregs_reg_name(r->enc, name));
	}
	return 0;
}

/* Drop refusals from index from on that repeat an earlier one (several
 * vCPUs with the same refused CLIDR_EL1). */
static void dedupe(struct idregs_check_report *rep, size_t from)
{
	size_t i, j, n = from;

	for (i = from; i < rep->nr_refusals; i++) {
		const struct idregs_refusal *r = &rep->refusals[i];

		for (j = 0; j < from; j++) {
			const struct idregs_refusal *o = &rep->refusals[j];

			if (o->enc == r->enc && o->field == r->field &&
			    o->bits == r->bits && o->model == r->model &&
			    o->host == r->host && o->err == r->err)
				break;
		}
		if (j == from)
			rep->refusals[n++] = *r;
	}
	rep->nr_refusals = n;
}

/* Write every value of the blob to the scratch VM; rep lists refusals. */
static int try_values(struct idregs_vm *scratch, const struct idregs_state *st,
		      struct idregs_model *m, struct idregs_check_report *rep)
{
	const int mpidr = idregs_space_index(IDREGS_ENC(3, 0, 0, 0, 5));
	struct idregs_regset cur;
	size_t i;
	int ret;

	memset(m, 0, sizeof(*m));
	m->kernel = -1;
	m->features = st->features;
	for (i = 0; i < st->nr_regs; i++) {
		int idx = idregs_space_index((uint16_t)st->reg_id[i]);

		m->has[idx] = true;
		m->regs.val[idx] = st->reg_val[i];
	}
	memcpy(cur.val, scratch->id_regs, sizeof(cur.val));
	rep->imp_cap_missing = idregs_model_needs_imp_cap(m, &cur) &&
			       !scratch->writable_imp;
	ret = idregs_check_regs(scratch, st->vcpus[0].id, m, rep);
	/* the per-vCPU registers, each vCPU through itself */
	for (i = 0; !ret && i < st->nr_vcpus; i++) {
		size_t before = rep->nr_refusals;

		memset(m->has, 0, sizeof(m->has));
		m->has[mpidr] = true;
		m->regs.val[mpidr] = st->vcpus[i].mpidr;
		m->has[IDX_CLIDR] = true;
		m->regs.val[IDX_CLIDR] = st->vcpus[i].clidr;
		ret = idregs_check_regs(scratch, st->vcpus[i].id, m, rep);
		dedupe(rep, before);
	}
	return ret;
}

/* Commit the scratch VM's values to vm at once, if vm is still as it was
 * when it was copied. */
static int commit(struct idregs_vm *vm, const struct idregs_vm *before,
		  const struct idregs_vm *scratch, struct idregs_error *err)
{
	int ret = 0;
	size_t i;

	pthread_mutex_lock(&vm->config_lock);
	if (atomic_load_explicit(&vm->ran_once, memory_order_acquire)) {
		ret = idregs_fail(err, -EBUSY, "the destination VM ran during the restore");
		goto out;
	}
	for (i = 0; i < IDREGS_MAX_VCPUS; i++)
		if (vm->vcpus[i].initialised != before->vcpus[i].initialised ||
		    !vcpu_regs_equal(&vm->vcpus[i], &before->vcpus[i]))
			break;
	if (i < IDREGS_MAX_VCPUS || vm->writable_imp != before->writable_imp ||
	    memcmp(vm->id_regs, before->id_regs, sizeof(vm->id_regs))) {
		ret = idregs_fail(err, -EAGAIN, "the destination VM changed during the "
			   "restore; nothing was restored");
		goto out;
	}
	memcpy(vm->id_regs, scratch->id_regs, sizeof(vm->id_regs));
	for (i = 0; i < IDREGS_MAX_VCPUS; i++) {
		if (!vm->vcpus[i].initialised)
			continue;
		atomic_store_explicit(&vm->vcpus[i].mpidr,
				      atomic_load_explicit(&scratch->vcpus[i].mpidr,
							   memory_order_relaxed),
				      memory_order_relaxed);
		atomic_store_explicit(&vm->vcpus[i].clidr,
				      atomic_load_explicit(&scratch->vcpus[i].clidr,
							   memory_order_relaxed),
				      memory_order_relaxed);
	}
out:
	pthread_mutex_unlock(&vm->config_lock);
	return ret;
}

static int refused(const struct idregs_vm *vm, const struct idregs_check_report *rep,
		   struct idregs_error *err)
{
	const struct idregs_refusal *r = &rep->refusals[0];
	struct idregs_field_info f = { .name = NULL };
	const char *imp = "";
	char name[24];

	if (rep->imp_cap_missing)
		imp = idregs_reg_kvm_mask(IDREGS_ENC(3, 0, 0, 0, 0), vm->kernel) ?
		      "; the blob's MIDR_EL1/REVIDR_EL1/AIDR_EL1 differ from the "
		      "destination's and need KVM_CAP_ARM_WRITABLE_IMP_ID_REGS, "
		      "not enabled on the destination VM" :
		      "; the blob's MIDR_EL1/REVIDR_EL1/AIDR_EL1 differ from the "
		      "destination's, which this KVM release cannot allow";
	if (r->field >= 0)
		idregs_reg_field(r->enc, (unsigned int)r->field, &f);
	return idregs_fail(err, -EINVAL, "the destination VM refuses %zu field%s of the "
		    "blob (first: %s%s%s)%s; nothing was restored",
		    rep->nr_refusals + rep->dropped,
		    rep->nr_refusals + rep->dropped == 1 ? "" : "s",
		    idregs_reg_name(r->enc, name), f.name ? "." : "",
		    f.name ? f.name : "", imp);
}

int idregs_state_restore(struct idregs_vm *vm, const void *buf, size_t len,
			 struct idregs_check_report *rep,
			 struct idregs_error *err)
{
	struct idregs_vm *before = NULL, *scratch = NULL;
	struct idregs_check_report *own = NULL;
	struct idregs_state *st;
	struct idregs_model *m;
	int ret;

	st = malloc(sizeof(*st));
	m = malloc(sizeof(*m));
	if (!rep)
		rep = own = malloc(sizeof(*rep));
	if (!st || !m || !rep) {
		ret = idregs_fail(err, -ENOMEM, "out of memory");
		goto out;
	}
	memset(rep, 0, sizeof(*rep));
	ret = idregs_state_parse(buf, len, st, err);
	if (ret)
		goto out;
	/* every decision is made on copies: vm is only touched by commit() */
	before = vm_copy(vm);
	scratch = before ? vm_copy(before) : NULL;
	if (!scratch) {
		ret = idregs_fail(err, -ENOMEM, "out of memory");
		goto out;
	}
	ret = check_shape(before, st, rep, err);
	if (ret)
		goto out;
	ret = try_values(scratch, st, m, rep);
	if (ret) {
		ret = idregs_fail(err, ret, "reading the scratch VM's registers failed: %s",
			   idregs_errno_name(ret) ? idregs_errno_name(ret) : "?");
		goto out;
	}
	if (rep->nr_refusals || rep->dropped) {
		ret = refused(before, rep, err);
		goto out;
	}
	ret = commit(vm, before, scratch, err);
	rep->fits = !ret;
out:
	idregs_vm_destroy(scratch);
	idregs_vm_destroy(before);
	free(own);
	free(m);
	free(st);
	return ret;
}

int idregs_state_read_file(const char *path, void **buf, size_t *len,
			   struct idregs_error *err)
{
	char *text;
	int ret;

	ret = idregs_read_file(path, &text, len, err);
	if (ret)
		return ret;
	*buf = text;
	return 0;
}

int idregs_state_write_file(const char *path, const void *buf, size_t len,
			    struct idregs_error *err)
{
	const uint8_t *p = buf;
	char tmp[4096];
	size_t n;
	int fd, e;

	n = (size_t)snprintf(tmp, sizeof(tmp), "%s.XXXXXX", path);
	if (n >= sizeof(tmp))
		return idregs_fail(err, -ENAMETOOLONG, "%s: path too long", path);
	fd = mkstemp(tmp);
	if (fd < 0)
		return idregs_fail(err, -errno, "%s: cannot create a temporary file: %s",
			    path, strerror(errno));
	/* mkstemp makes the file 0600; an output file is an ordinary one */
	fchmod(fd, 0644);
	while (len) {
		ssize_t w = write(fd, p, len);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			goto fail;
		p += w;
		len -= (size_t)w;
	}
	if (fsync(fd))
		goto fail;
	if (close(fd)) {
		fd = -1;
		goto fail;
	}
	if (rename(tmp, path)) {
		fd = -1;
		goto fail;
	}
	return 0;
fail:
	e = errno ? errno : EIO;
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	return idregs_fail(err, -e, "%s: write failed: %s", path, strerror(e));
}
