// SPDX-License-Identifier: MIT
/*
 * The VM register file: KVM/arm64's per-VM ID registers and their
 * lifecycle (docs/kvm-model.md: Lifecycle, Read paths, Write path,
 * Writable masks).
 *
 * Locking, as in KVM: vm->config_lock serialises every writer, user reads
 * before the first run, and the first-run transition. Once ran_once is set
 * (release, under the lock) the VM-scoped values never change again, so the
 * guest read path and later user reads are plain loads after an acquire of
 * ran_once. Calls on one vCPU are serialised by the caller, as KVM does with
 * a vCPU fd's ioctls.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define FEAT_HAS_EL2		(1u << 7)
#define FEAT_KNOWN		0xffu	/* KVM_VCPU_VALID_FEATURES */
#define FEAT_ALWAYS		((1u << 0) | (1u << 2))	/* POWER_OFF, PSCI_0_2 */
#define CLIDR_RES0		(~IDREGS_CLIDR_EL1_FIELDS)

/* vm->guest_kind[]: what a guest read of a space index returns */
enum { GUEST_UNDEF, GUEST_VALUE, GUEST_MPIDR, GUEST_CLIDR, GUEST_RECOMPUTE };

/*
 * The guest read path finds the space index straight from ESR_EL2, as
 * idregs_space_index() of the encoding: one mask for a read (bit 0) with
 * EC 0x18, op0 (21:20) 3, CRn (13:10) 0 and CRm (4:1) at most 7; then op2
 * and op1 (19:14) by a table (3 folds onto 2; op1 not 0, 1 or 3 gives
 * 0xff, so index 255, whose kind stays GUEST_UNDEF) and CRm's low bits.
 */
#define ESR_READ_MASK	(0x3fu << IDREGS_ESR_EC_SHIFT | 3u << 20 | 0xfu << 10 | \
			 1u << 4 | 1u)
#define ESR_READ_BITS	(IDREGS_ESR_EC_SYS64 << IDREGS_ESR_EC_SHIFT | 3u << 20 | 1u)
/* (uint8_t): clang checks every arm of ?: against the element type */
#define OPS(op2, op1)	((uint8_t)((op1) == 3 ? 2 << 6 | (op2) : \
				   (op1) < 2 ? (op1) << 6 | (op2) : 0xff))
#define OPS_ROW(op2)	OPS(op2, 0), OPS(op2, 1), OPS(op2, 2), OPS(op2, 3), \
			OPS(op2, 4), OPS(op2, 5), OPS(op2, 6), OPS(op2, 7)

static const uint8_t esr_ops_index[64] = {
	OPS_ROW(0), OPS_ROW(1), OPS_ROW(2), OPS_ROW(3),
	OPS_ROW(4), OPS_ROW(5), OPS_ROW(6), OPS_ROW(7),
};

/*
 * Benchmark only (bench/, a second build of the library; never shipped):
 * the design the review rejected, where every read takes config_lock,
 * guest reads and user reads alike, so the lock-free path can be measured
 * against it in the same run.
 */
#ifdef IDREGS_BENCH_LOCKED_GUEST_READS
#define LOCKED_READS	true
#else
#define LOCKED_READS	false
#endif

static bool vm_has_run(const struct idregs_vm *vm)
{
	return atomic_load_explicit(&vm->ran_once, memory_order_acquire);
}

int idregs_vm_create(const struct idregs_host *host, unsigned int kernel,
		     struct idregs_vm **out)
{
	struct idregs_vm *vm;
	int ret;

	if (!idregs_db)
		return -ENOTRECOVERABLE;
	if (kernel >= idregs_db->nr_releases)
		return -EINVAL;
	vm = calloc(1, sizeof(*vm));
	if (!vm)
		return -ENOMEM;
	vm->kernel = kernel;
	vm->props = idregs_release(kernel)->props;
	ret = idregs_host_view_init(host, kernel, &vm->host);
	if (!ret)
		ret = -pthread_mutex_init(&vm->config_lock, NULL);
	if (ret) {
		free(vm);
		return ret;
	}
	atomic_init(&vm->ran_once, false);
	*out = vm;
	return 0;
}

void idregs_vm_destroy(struct idregs_vm *vm)
{
	if (!vm)
		return;
	pthread_mutex_destroy(&vm->config_lock);
	free(vm);
}

bool idregs_vm_has_run(const struct idregs_vm *vm)
{
	return vm_has_run(vm);
}

int idregs_vm_enable_cap(struct idregs_vm *vm, enum idregs_cap cap)
{
	int ret = 0;

	pthread_mutex_lock(&vm->config_lock);
	if (vm->created_vcpus) {
		ret = -EINVAL;
	} else if (cap == IDREGS_CAP_ARM_MTE && vm->props.cap_mte) {
		/* system_supports_mte(): MTE2 or later */
		if (FLD(vm->host.sys.val[IDX_PFR1], ID_AA64PFR1_EL1, MTE) >= 2)
			vm->mte = true;
		else
			ret = -EINVAL;
	} else if (cap == IDREGS_CAP_ARM_WRITABLE_IMP_ID_REGS &&
		   vm->props.cap_writable_imp_id_regs) {
		vm->writable_imp = true;
	} else {
		ret = -EINVAL;
	}
	pthread_mutex_unlock(&vm->config_lock);
	return ret;
}

static void adjust(struct idregs_vm *vm, unsigned int kind);

int idregs_vm_create_vgic_v3(struct idregs_vm *vm)
{
	int ret = 0;

	pthread_mutex_lock(&vm->config_lock);
	if (vm->vgic_v3)
		ret = -EEXIST;
	else if (!vm->host.gicv3_cpuif)
		ret = -ENODEV;
	else
		vm->vgic_v3 = true;
	if (!ret && vm->id_regs_initialised && !vm_has_run(vm))
		adjust(vm, IDREGS_OP_VGIC);
	pthread_mutex_unlock(&vm->config_lock);
	return ret;
}

static unsigned int handler_of(const struct idregs_vm *vm,
			       const struct idregs_reg_desc *r)
{
	return idregs_reg_rel(r, vm->kernel)->handler;
}

static struct idregs_vcpu *vcpu_of(struct idregs_vm *vm, unsigned int id)
{
	return id < IDREGS_MAX_VCPUS && vm->vcpus[id].created ? &vm->vcpus[id] : NULL;
}

/* A vCPU that KVM_ARM_VCPU_INIT has set up: 0, -ENXIO or -ENOEXEC. */
static int init_vcpu_of(struct idregs_vm *vm, unsigned int id,
			struct idregs_vcpu **vcpu)
{
	*vcpu = vcpu_of(vm, id);
	if (!*vcpu)
		return -ENXIO;
	return (*vcpu)->initialised ? 0 : -ENOEXEC;
}

int idregs_vcpu_create(struct idregs_vm *vm, unsigned int id)
{
	int ret = 0;

	if (id >= IDREGS_MAX_VCPUS)
		return -EINVAL;
	pthread_mutex_lock(&vm->config_lock);
	if (vm->vcpus[id].created) {
		ret = -EEXIST;
	} else {
		vm->vcpus[id].created = true;
		vm->created_vcpus++;
	}
	pthread_mutex_unlock(&vm->config_lock);
	return ret;
}

/* kvm_vcpu_init_check_features() */
static int check_features(const struct idregs_vm *vm, uint32_t features)
{
	uint32_t supported = vm->host.features | FEAT_ALWAYS;

	if (features & ~FEAT_KNOWN)
		return -ENOENT;
	if (features & ~supported)
		return -EINVAL;
	if (!(features & IDREGS_FEAT_PTRAUTH_ADDRESS) !=
	    !(features & IDREGS_FEAT_PTRAUTH_GENERIC))
		return -EINVAL;
	if ((features & IDREGS_FEAT_EL1_32BIT) && (vm->mte || (features & FEAT_HAS_EL2)))
		return -EINVAL;
	return 0;
}

/* The first reset: VM-scoped registers once per VM, per-vCPU registers
 * once per vCPU (a re-init keeps the user's values). */
static void reset_id_regs(struct idregs_vm *vm, unsigned int id)
{
	struct idregs_vcpu *vcpu = &vm->vcpus[id];
	size_t i;

	for (i = 0; i < idregs_db->nr_regs; i++) {
		const struct idregs_reg_desc *r = &idregs_db->regs[i];
		int idx = idregs_space_index_of(r->enc);

		if (r->scope == IDREGS_SCOPE_VM && !vm->id_regs_initialised)
			vm->id_regs[idx] = idregs_reg_limit(vm, r, vm->features);
	}
	vm->id_regs_initialised = true;
	if (vcpu->initialised && vm->props.vcpu_regs_reset_once)
		return;
	/* Aff0 = id[3:0], Aff1 = id[11:4], Aff2 = id[19:12], bit 31 RES1 */
	/* Aff0 takes 4 bits of the id (16 vCPUs a cluster), Aff1 the next 8,
	 * Aff2 the 8 after */
	atomic_store_explicit(&vcpu->mpidr, IDREGS_MPIDR_EL1_RES1_MASK |
			      (uint64_t)(id & 0xf) << IDREGS_MPIDR_EL1_Aff0_SHIFT |
			      (uint64_t)((id >> 4) & 0xff) << IDREGS_MPIDR_EL1_Aff1_SHIFT |
			      (uint64_t)((id >> 12) & 0xff) << IDREGS_MPIDR_EL1_Aff2_SHIFT,
			      memory_order_relaxed);
	/* an invariant CLIDR (before 6.3) is the host's own */
	atomic_store_explicit(&vcpu->clidr,
			      handler_of(vm, idregs_db_by_index[IDX_CLIDR]) ==
			      IDREGS_HANDLER_INVARIANT ? vm->host.sys.val[IDX_CLIDR] :
			      idregs_reset_clidr(vm->host.sys.val[IDX_CTR], vm->mte),
			      memory_order_relaxed);
}

int idregs_vcpu_init(struct idregs_vm *vm, unsigned int id, uint32_t features)
{
	struct idregs_vcpu *vcpu = vcpu_of(vm, id);
	int ret;

	if (!vcpu)
		return -ENXIO;
	pthread_mutex_lock(&vm->config_lock);
	ret = check_features(vm, features);
	if (ret)
		goto out;
	if (vm->features_configured &&
	    ((vm->props.vm_wide_features && features != vm->features) ||
	     (vm->props.vm_wide_el1_width &&
	      ((features ^ vm->features) & IDREGS_FEAT_EL1_32BIT)))) {
		ret = -EINVAL;
		goto out;
	}
	if (!vm->features_configured)
		vm->features = features;	/* the first vCPU's */
	vm->features_configured = true;
	reset_id_regs(vm, id);
	vcpu->features = features;
	vcpu->initialised = true;
out:
	pthread_mutex_unlock(&vm->config_lock);
	return ret;
}

int idregs_vcpu_finalize(struct idregs_vm *vm, unsigned int id)
{
	struct idregs_vcpu *vcpu;
	int ret;

	ret = init_vcpu_of(vm, id, &vcpu);
	if (ret)
		return ret;
	if (!(vcpu->features & IDREGS_FEAT_SVE))
		return -EINVAL;
	if (vcpu->finalised)
		return -EPERM;
	vcpu->finalised = true;
	return 0;
}

int idregs_vcpu_pmu_init(struct idregs_vm *vm, unsigned int id)
{
	struct idregs_vcpu *vcpu;
	int ret;

	ret = init_vcpu_of(vm, id, &vcpu);
	if (ret)
		return ret;
	if (!(vcpu->features & IDREGS_FEAT_PMU_V3))
		return -ENODEV;
	if (vcpu->pmu_ready)
		return -EBUSY;
	vcpu->pmu_ready = true;
	return 0;
}

static bool vcpu_finalised(const struct idregs_vcpu *vcpu)
{
	return !(vcpu->features & IDREGS_FEAT_SVE) || vcpu->finalised;
}

/* The ONE_REG path up to the descriptor: vCPU initialised, id well formed,
 * register described. */
static int lookup(struct idregs_vm *vm, unsigned int id, uint64_t reg_id,
		  struct idregs_vcpu **vcpu, const struct idregs_reg_desc **r)
{
	uint16_t enc;
	int ret;

	ret = init_vcpu_of(vm, id, vcpu);
	if (ret)
		return ret;
	ret = idregs_parse_one_reg(reg_id, &enc);
	if (ret == -ENOENT && !idregs_parse_invariant_id(reg_id, &enc)) {
		/* KVM looks up its invariant registers before the coproc check */
		*r = idregs_regdb_find(enc);
		if (*r && handler_of(vm, *r) == IDREGS_HANDLER_INVARIANT)
			return 0;
	}
	if (ret)
		return ret;
	*r = idregs_regdb_find(enc);
	if (*r)
		return 0;
	/* inside the feature-ID space KVM has no other descriptors */
	return idregs_space_index_of(enc) >= 0 ? -ENOENT : -EOPNOTSUPP;
}

/* MPIDR_EL1 or CLIDR_EL1 of a vCPU (an invariant CLIDR holds the host's) */
static uint64_t read_vcpu_reg(const struct idregs_vcpu *vcpu, int idx)
{
	return atomic_load_explicit(idx == IDREGS_IDX_MPIDR_EL1 ? &vcpu->mpidr : &vcpu->clidr,
				    memory_order_relaxed);
}

/*
 * A VM-scoped register as the vCPU reads it, under the config lock. From
 * 6.5 the VM's copy; before, KVM recomputed it from the host and the
 * reading vCPU's own features on every read, and only the writable fields
 * (CSV2, CSV3, the PMU version) were VM state.
 */
/* Before 6.5: the value recomputed for the vCPU, with the VM's writable
 * fields (out of line: the usual path is one load). */
__attribute__((noinline))
static uint64_t recomputed_value(const struct idregs_vm *vm, const struct idregs_vcpu *vcpu,
				 const struct idregs_reg_desc *r, int idx)
{
	uint64_t kept = idregs_reg_rel(r, vm->kernel)->mask;

	return (idregs_reg_limit(vm, r, vcpu->features) & ~kept) | (vm->id_regs[idx] & kept);
}

static inline uint64_t vm_reg_value(const struct idregs_vm *vm, const struct idregs_vcpu *vcpu,
				    const struct idregs_reg_desc *r, int idx)
{
	if (vm->props.id_regs_per_vm)
		return vm->id_regs[idx];
	return recomputed_value(vm, vcpu, r, idx);
}

int idregs_vcpu_get(struct idregs_vm *vm, unsigned int id, uint64_t reg_id,
		    uint64_t *val)
{
	const struct idregs_reg_desc *r;
	struct idregs_vcpu *vcpu;
	int ret, idx;

	ret = lookup(vm, id, reg_id, &vcpu, &r);
	if (ret)
		return ret;
	/* every handler reads the stored value: an invariant register's is
	 * the host's (its limit), per VM or per vCPU */
	idx = idregs_space_index_of(r->enc);
	if (r->scope == IDREGS_SCOPE_VCPU) {
		*val = read_vcpu_reg(vcpu, idx);
		return 0;
	}
	/* frozen values need no lock */
	if (!LOCKED_READS && vm->props.first_run_freeze && vm_has_run(vm)) {
		*val = vm->id_regs[idx];
		return 0;
	}
	pthread_mutex_lock(&vm->config_lock);
	*val = vm_reg_value(vm, vcpu, r, idx);
	pthread_mutex_unlock(&vm->config_lock);
	return 0;
}

/* set_clidr(): RES0 clear, and no IDC claim the host's CTR_EL0 lacks. */
static int set_clidr(struct idregs_vm *vm, struct idregs_vcpu *vcpu, uint64_t val)
{
	unsigned int louis = FLD(val, CLIDR_EL1, LoUIS), loc = FLD(val, CLIDR_EL1, LoC);
	unsigned int louu = FLD(val, CLIDR_EL1, LoUU);
	bool implies_idc = !loc || (!louis && !louu);

	if ((val & CLIDR_RES0) ||
	    (!FLD(vm->host.sys.val[IDX_CTR], CTR_EL0, IDC) && implies_idc))
		return -EINVAL;
	atomic_store_explicit(&vcpu->clidr, val, memory_order_relaxed);
	return 0;
}

/* set_imp_id_reg(): MIDR, REVIDR, AIDR. Any value inside the mask, but
 * only with the capability and before the first run. */
static int set_imp_reg(struct idregs_vm *vm, const struct idregs_reg_desc *r,
		       int idx, uint64_t val)
{
	int ret = 0;

	pthread_mutex_lock(&vm->config_lock);
	if (vm->id_regs[idx] == val)
		ret = 0;
	else if (!vm->writable_imp)
		ret = -EINVAL;
	else if (vm_has_run(vm))
		ret = -EBUSY;
	else if (val & ~idregs_reg_rel(r, vm->kernel)->mask)
		ret = -EINVAL;
	else
		vm->id_regs[idx] = val;
	pthread_mutex_unlock(&vm->config_lock);
	return ret;
}

/* set_id_reg() behind the per-register pre-check. Before 6.5 the check
 * is against the writing vCPU's view and holds at any time. */
static int set_id_reg(struct idregs_vm *vm, const struct idregs_vcpu *vcpu,
		      const struct idregs_reg_desc *r, int idx, uint64_t val)
{
	uint32_t features = vm->props.id_regs_per_vm ? vm->features : vcpu->features;
	int ret;

	if (idregs_reg_is_user_wi(vm, r))
		return 0;
	ret = idregs_reg_precheck(vm, r, &val);
	if (ret)
		return ret;
	pthread_mutex_lock(&vm->config_lock);
	if (vm->props.first_run_freeze && vm_has_run(vm)) {
		ret = val == vm->id_regs[idx] ? 0 : -EBUSY;
	} else {
		ret = idregs_reg_check_features(vm, r, features, val);
		if (!ret)
			vm->id_regs[idx] = val;
	}
	pthread_mutex_unlock(&vm->config_lock);
	return ret;
}

/* An invariant register: only the host's value may be written. */
static int set_invariant_reg(const struct idregs_vm *vm, int idx, uint64_t val)
{
	return val == vm->host.sys.val[idx] ? 0 : -EINVAL;
}

int idregs_vcpu_set(struct idregs_vm *vm, unsigned int id, uint64_t reg_id,
		    uint64_t val)
{
	const struct idregs_reg_desc *r;
	struct idregs_vcpu *vcpu;
	int ret, idx;

	ret = lookup(vm, id, reg_id, &vcpu, &r);
	if (ret)
		return ret;
	idx = idregs_space_index_of(r->enc);
	switch (handler_of(vm, r)) {
	case IDREGS_HANDLER_MPIDR:
		atomic_store_explicit(&vcpu->mpidr, val, memory_order_relaxed);
		return 0;
	case IDREGS_HANDLER_CLIDR:
		return set_clidr(vm, vcpu, val);
	case IDREGS_HANDLER_IMP:
		return set_imp_reg(vm, r, idx, val);
	case IDREGS_HANDLER_INVARIANT:
		return set_invariant_reg(vm, idx, val);
	default:
		return set_id_reg(vm, vcpu, r, idx, val);
	}
}

int idregs_vcpu_reg_list(struct idregs_vm *vm, unsigned int id, uint64_t *ids,
			 size_t *n)
{
	struct idregs_vcpu *vcpu;
	size_t i, k = 0;
	int pass, ret;

	ret = init_vcpu_of(vm, id, &vcpu);
	if (ret)
		return ret;
	if (!vcpu_finalised(vcpu))
		return -EPERM;
	if (*n < idregs_db->nr_regs) {
		*n = idregs_db->nr_regs;
		return -E2BIG;
	}
	/* up to 6.14 the invariant registers' table is walked first */
	for (pass = vm->props.reg_list_invariant_first ? 0 : 1; pass < 2; pass++) {
		for (i = 0; i < idregs_db->nr_regs; i++) {
			const struct idregs_reg_desc *r = &idregs_db->regs[i];
			bool inv = handler_of(vm, r) == IDREGS_HANDLER_INVARIANT;

			if (vm->props.reg_list_invariant_first && inv != !pass)
				continue;
			ids[k++] = idregs_sysreg_id(r->enc);
		}
	}
	*n = k;
	return 0;
}

int idregs_vm_writable_masks(struct idregs_vm *vm,
			     const struct idregs_reg_mask_range *range,
			     uint64_t masks[IDREGS_SPACE_SIZE])
{
	size_t i;

	/* before the ioctl existed, KVM does not know it */
	if (!vm->props.masks_ioctl || range->range)
		return -EINVAL;
	for (i = 0; i < sizeof(range->reserved) / sizeof(range->reserved[0]); i++)
		if (range->reserved[i])
			return -EINVAL;
	memset(masks, 0, IDREGS_SPACE_SIZE * sizeof(masks[0]));
	for (i = 0; i < idregs_db->nr_regs; i++) {
		const struct idregs_reg_desc *r = &idregs_db->regs[i];
		int idx = idregs_space_index_of(r->enc);

		if (idx < 0 || (idregs_enc_is_aa32(r->enc) && !vm->host.aa32_el0))
			continue;
		masks[idx] = idregs_reg_rel(r, vm->kernel)->mask;
	}
	return 0;
}

/*
 * The first run, under the lock: what each guest read returns from now on.
 * From 6.5 the VM-scoped values are frozen, and so is read-as-zero: every
 * vCPU has the VM's features (idregs_vcpu_init() refuses others). Before,
 * each read recomputes its value from the reading vCPU (GUEST_RECOMPUTE).
 */
static void freeze_guest_view(struct idregs_vm *vm)
{
	size_t i;

	for (i = 0; i < idregs_db->nr_regs; i++) {
		const struct idregs_reg_desc *r = &idregs_db->regs[i];
		int idx = idregs_space_index_of(r->enc);

		switch (handler_of(vm, r)) {
		case IDREGS_HANDLER_MPIDR:
			vm->guest_kind[idx] = GUEST_MPIDR;
			continue;
		case IDREGS_HANDLER_CLIDR:
			vm->guest_kind[idx] = GUEST_CLIDR;
			continue;
		case IDREGS_HANDLER_INVARIANT:
			vm->guest_kind[idx] = GUEST_VALUE;
			vm->guest_regs[idx] = vm->host.sys.val[idx];
			continue;
		default:
			break;
		}
		if (!vm->props.id_regs_per_vm) {
			vm->guest_kind[idx] = GUEST_RECOMPUTE;
			continue;
		}
		vm->guest_kind[idx] = GUEST_VALUE;
		/* what userspace reads may differ (own-reset) */
		vm->guest_regs[idx] = idregs_reg_is_raz(vm, r, vm->features) ?
				      0 : vm->id_regs[idx];
	}
}

/* The release's adjustments of a kind (at the first run: GIC without a
 * vGIC; at vGIC creation: GIC set), to the VM registers once they exist. */
static void adjust(struct idregs_vm *vm, unsigned int kind)
{
	size_t i;

	for (i = 0; i < idregs_db->nr_regs; i++) {
		const struct idregs_reg_desc *r = &idregs_db->regs[i];
		int idx = idregs_space_index_of(r->enc);

		/* a read-as-zero register has no value to adjust (PFR1.GIC is
		 * set only with 32-bit EL0) */
		if (r->nr_ops && handler_of(vm, r) == IDREGS_HANDLER_ID &&
		    !idregs_reg_is_raz(vm, r, vm->features))
			vm->id_regs[idx] = idregs_reg_adjust(vm, r, kind, vm->id_regs[idx]);
	}
}

int idregs_vcpu_run(struct idregs_vm *vm, unsigned int id)
{
	struct idregs_vcpu *vcpu;
	int ret;

	ret = init_vcpu_of(vm, id, &vcpu);
	if (ret)
		return ret;
	if (!vcpu_finalised(vcpu))
		return -EPERM;
	if (vcpu->ran)
		return 0;
	/* even a run that fails below makes these adjustments */
	pthread_mutex_lock(&vm->config_lock);
	if (!vm_has_run(vm))
		adjust(vm, IDREGS_OP_RUN);
	pthread_mutex_unlock(&vm->config_lock);
	/* kvm_arm_pmu_v3_enable(): a vCPU PMU must have been initialised */
	if (vm->props.run_needs_pmu_init &&
	    (vcpu->features & IDREGS_FEAT_PMU_V3) && !vcpu->pmu_ready)
		return -EINVAL;
	pthread_mutex_lock(&vm->config_lock);
	if (!vm_has_run(vm))
		freeze_guest_view(vm);
	atomic_store_explicit(&vm->ran_once, true, memory_order_release);
	pthread_mutex_unlock(&vm->config_lock);
	vcpu->ran = true;
	return 0;
}

/* Everything but a read in the space by a vCPU that has run: the errors
 * in KVM's order, else an UNDEF (a write, or no register there). */
static int guest_access_other(struct idregs_vm *vm, unsigned int id,
			      uint32_t esr)
{
	struct idregs_vcpu *vcpu = vcpu_of(vm, id);

	if (!vcpu)
		return -ENXIO;
	if (esr >> IDREGS_ESR_EC_SHIFT != IDREGS_ESR_EC_SYS64)
		return -EINVAL;
	if (!vcpu->ran || !vm_has_run(vm))
		return -ENOEXEC;
	return IDREGS_GUEST_UNDEF;
}

/* Before 6.5 values are never frozen: a guest read computes its value, in
 * order with userspace writes (the locked build holds the lock already). */
/* Out of line, a tail call: the frozen path stays a leaf function. */
__attribute__((noinline))
static int guest_recompute(struct idregs_vm *vm, const struct idregs_vcpu *vcpu,
			   size_t idx, uint64_t *rt)
{
	const struct idregs_reg_desc *r = idregs_db_by_index[idx];

	if (!LOCKED_READS)
		pthread_mutex_lock(&vm->config_lock);
	*rt = idregs_reg_is_raz(vm, r, vcpu->features) ? 0 : vm_reg_value(vm, vcpu, r, (int)idx);
	if (!LOCKED_READS)
		pthread_mutex_unlock(&vm->config_lock);
	return 0;
}

/* After the first run: plain loads of what freeze_guest_view() set. A
 * vCPU that has run exists, and the VM has run too (the acquire orders
 * the loads after the freeze). */
static int guest_access(struct idregs_vm *vm, unsigned int id, uint32_t esr,
			uint64_t *rt)
{
	struct idregs_vcpu *vcpu;
	size_t idx;

	if (id >= IDREGS_MAX_VCPUS || !vm->vcpus[id].ran ||
	    (esr & ESR_READ_MASK) != ESR_READ_BITS || !vm_has_run(vm))
		return guest_access_other(vm, id, esr);
	vcpu = &vm->vcpus[id];
	/* every described register lies in the space (regdb validation) */
	idx = esr_ops_index[(esr >> 14) & 0x3f] | ((esr >> 1) & 7) << 3;
	/* the common case first */
	if (vm->guest_kind[idx] == GUEST_VALUE) {
		*rt = vm->guest_regs[idx];
		return 0;
	}
	switch (vm->guest_kind[idx]) {
	case GUEST_MPIDR:
		*rt = atomic_load_explicit(&vcpu->mpidr, memory_order_relaxed);
		return 0;
	case GUEST_CLIDR:
		*rt = atomic_load_explicit(&vcpu->clidr, memory_order_relaxed);
		return 0;
	case GUEST_UNDEF:
		return IDREGS_GUEST_UNDEF;
	default:	/* GUEST_RECOMPUTE: releases before 6.5 */
		return guest_recompute(vm, vcpu, idx, rt);
	}
}

int idregs_vcpu_guest_access(struct idregs_vm *vm, unsigned int id,
			     uint32_t esr, uint64_t *rt)
{
	int ret;

	if (!LOCKED_READS)
		return guest_access(vm, id, esr, rt);
	pthread_mutex_lock(&vm->config_lock);
	ret = guest_access(vm, id, esr, rt);
	pthread_mutex_unlock(&vm->config_lock);
	return ret;
}
