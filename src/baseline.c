// SPDX-License-Identifier: MIT
/*
 * A baseline across hosts, streamed: each host's limits come from a VM of
 * the register file; writable fields fold by the field's KVM rule (the value
 * every host accepts), everything KVM does not let a VMM change must be
 * equal (strict) or is left to each host (floor). Memory does not depend on
 * the number of hosts.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define MAX_CONFLICTS 256

struct idregs_baseline {
	int requested;				/* --kernel, or -1 */
	int kernel;				/* the hosts' release, -1 mixed */
	uint32_t features;
	bool floor;
	unsigned long hosts;
	bool constrained[IDREGS_SPACE_SIZE];	/* some host gave a value */
	char first[IDREGS_SPACE_SIZE][64];	/* that host */
	struct idregs_regset value;		/* the folded value */
	struct idregs_regset writable;		/* bits a VMM may change on every
						 * host's release */
	struct idregs_regset varies;		/* non-writable bits that differ */
	uint64_t imp_first[3];
	uint64_t imp_varies;			/* bit i: IMP register i differs */
	size_t nr_conflicts;
	size_t conflicts_dropped;
	struct idregs_conflict conflicts[MAX_CONFLICTS];
};

static const unsigned int imp_idx[3] = { IDX_MIDR, IDX_REVIDR, IDX_AIDR };


int idregs_baseline_new(int kernel, uint32_t features, bool floor,
			struct idregs_baseline **out)
{
	struct idregs_baseline *b;

	if (!idregs_db)
		return -ENOTRECOVERABLE;
	if (kernel >= (int)idregs_db->nr_releases || kernel < -1)
		return -EINVAL;
	b = calloc(1, sizeof(*b));
	if (!b)
		return -ENOMEM;
	b->requested = kernel;
	b->kernel = -1;
	b->features = features;
	b->floor = floor;
	*out = b;
	return 0;
}

/* The fields KVM lets a VMM change, on this release and every one before. */
static void narrow_writable(struct idregs_baseline *b, unsigned int kernel)
{
	size_t i;

	for (i = 0; i < idregs_db->nr_regs; i++) {
		const struct idregs_reg_desc *r = &idregs_db->regs[i];
		int idx = idregs_space_index_of(r->enc);
		uint64_t writable = 0;
		unsigned int j;

		for (j = 0; j < r->nr_fields; j++) {
			const struct idregs_field_desc *f = &idregs_db->fields[r->first_field + j];

			if (idregs_reg_field_checked(r, f, kernel))
				writable |= idregs_field_mask(f);
		}
		b->writable.val[idx] = b->hosts ? b->writable.val[idx] & writable : writable;
	}
}

int idregs_baseline_kernel(const struct idregs_baseline *b)
{
	return b->kernel;
}

void idregs_baseline_free(struct idregs_baseline *b)
{
	free(b);
}

unsigned long idregs_baseline_hosts(const struct idregs_baseline *b)
{
	return b->hosts;
}

static void add_conflict(struct idregs_baseline *b, uint16_t enc, int field,
			 uint64_t bits, const char *host, uint64_t val)
{
	int idx = idregs_space_index_of(enc);
	struct idregs_conflict *c;
	size_t i;

	for (i = 0; i < b->nr_conflicts; i++) {
		c = &b->conflicts[i];
		if (c->enc == enc && c->field == field &&
		    (field >= 0 || c->bits == bits)) {
			c->differing++;
			return;
		}
	}
	if (b->nr_conflicts == MAX_CONFLICTS) {
		b->conflicts_dropped++;
		return;
	}
	c = &b->conflicts[b->nr_conflicts++];
	*c = (struct idregs_conflict){ .enc = enc, .field = field, .bits = bits,
				       .val_a = b->value.val[idx], .val_b = val,
				       .differing = 1 };
	idregs_name_copy(c->host_a, sizeof(c->host_a), b->first[idx]);
	idregs_name_copy(c->host_b, sizeof(c->host_b), host);
}

/* Bits no VMM can change differ: name the fields (or bare bits). */
static void record_difference(struct idregs_baseline *b,
			      const struct idregs_reg_desc *r, uint64_t diff,
			      const char *host, uint64_t val)
{
	int idx = idregs_space_index_of(r->enc);
	unsigned int j;

	/* a floor leaves whole fields to the host, never parts of one */
	for (j = 0; j < r->nr_fields && diff; j++) {
		const struct idregs_field_desc *f = &idregs_db->fields[r->first_field + j];

		if (diff & idregs_field_mask(f)) {
			add_conflict(b, r->enc, (int)j, idregs_field_mask(f), host, val);
			b->varies.val[idx] |= idregs_field_mask(f);
			diff &= ~idregs_field_mask(f);
		}
	}
	if (diff) {
		add_conflict(b, r->enc, -1, diff, host, val);
		b->varies.val[idx] |= diff;
	}
}

static void fold(struct idregs_baseline *b, const struct idregs_reg_desc *r,
		 uint64_t val, const char *host, unsigned int kernel)
{
	int idx = idregs_space_index_of(r->enc);
	uint64_t *acc = &b->value.val[idx], diff;
	unsigned int j;

	if (!b->constrained[idx]) {
		b->constrained[idx] = true;
		*acc = val;
		idregs_name_copy(b->first[idx], sizeof(b->first[idx]), host);
		return;
	}
	for (j = 0; j < r->nr_fields; j++) {
		const struct idregs_field_desc *f = &idregs_db->fields[r->first_field + j];
		int64_t cur = idregs_field_value(f, *acc, kernel),
			nv = idregs_field_value(f, val, kernel);
		uint64_t m = idregs_field_mask(f);

		if (cur == nv || (b->writable.val[idx] & m) != m)
			continue;
		/* the value every host so far accepts, by KVM's rule */
		*acc = idregs_field_set(f, *acc, (uint64_t)idregs_rule_safe(
			f->kvm_rule, f->safe, nv, cur));
	}
	diff = (*acc ^ val) & ~b->writable.val[idx];
	if (diff)
		record_difference(b, r, diff, host, val);
}

int idregs_baseline_add(struct idregs_baseline *b,
			const struct idregs_host *host, struct idregs_error *err)
{
	struct idregs_vm *vm = NULL;
	unsigned int kernel;
	size_t i;
	int ret;

	ret = idregs_host_release(host, b->requested, -1, &kernel);
	if (ret)
		return idregs_fail(err, ret, "%s: %s", host->name, ret == -EEXIST ?
				   "its own KVM release contradicts the one asked for" :
				   "its kernel is not a KVM release idregs knows");
	ret = idregs_vm_create(host, kernel, &vm);
	if (!ret)
		ret = idregs_vcpu_create(vm, 0);
	if (ret)
		goto out;
	ret = idregs_vcpu_init(vm, 0, b->features);
	if (ret) {
		idregs_fail(err, ret, "%s cannot run vCPUs with the requested features "
			    "(KVM_ARM_VCPU_INIT: %s)", host->name, idregs_errno_name(ret));
		goto out;
	}
	if (b->features & IDREGS_FEAT_SVE)
		idregs_vcpu_finalize(vm, 0);
	narrow_writable(b, kernel);
	for (i = 0; i < idregs_db->nr_regs; i++) {
		const struct idregs_reg_desc *r = &idregs_db->regs[i];
		uint64_t val;

		/* write-ignored registers accept anything: no constraint */
		if (!idregs_reg_in_model(r, kernel) || idregs_reg_is_user_wi(vm, r))
			continue;
		ret = idregs_vcpu_get(vm, 0, idregs_sysreg_id(r->enc), &val);
		if (ret)
			goto out;
		fold(b, r, val, host->name, kernel);
	}
	for (i = 0; i < 3; i++) {
		uint64_t v = vm->id_regs[imp_idx[i]];

		if (!b->hosts)
			b->imp_first[i] = v;
		else if (v != b->imp_first[i])
			b->imp_varies |= 1ULL << i;
	}
	b->kernel = !b->hosts || b->kernel == (int)kernel ? (int)kernel : -1;
	b->hosts++;
out:
	idregs_vm_destroy(vm);
	return ret;
}

int idregs_baseline_model(const struct idregs_baseline *b,
			  struct idregs_model *out)
{
	unsigned int i;

	if (!b->hosts)
		return -ENOENT;
	memset(out, 0, sizeof(*out));
	snprintf(out->name, sizeof(out->name), "baseline");
	out->kernel = b->kernel;
	out->features = b->features;
	for (i = 0; i < IDREGS_SPACE_SIZE; i++) {
		if (!b->constrained[i])
			continue;
		out->has[i] = true;
		out->regs.val[i] = b->value.val[i];
		if (b->floor)
			out->host_bits.val[i] = b->varies.val[i];
	}
	return !b->floor && (b->nr_conflicts || b->conflicts_dropped) ? -EINVAL : 0;
}

size_t idregs_baseline_conflict_count(const struct idregs_baseline *b)
{
	return b->nr_conflicts;
}

const struct idregs_conflict *
idregs_baseline_conflict(const struct idregs_baseline *b, size_t i)
{
	return i < b->nr_conflicts ? &b->conflicts[i] : NULL;
}

uint64_t idregs_baseline_imp_varies(const struct idregs_baseline *b)
{
	return b->imp_varies;
}
