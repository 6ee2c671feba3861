/* SPDX-License-Identifier: MIT */
/* Library-internal objects: hosts, the VM register file, KVM policy. */
#ifndef IDREGS_INTERNAL_H
#define IDREGS_INTERNAL_H

#include <pthread.h>
#include <stdatomic.h>

#include "idregs.h"
#include "regdb.h"

/* Space indices of registers the code itself needs (generated). */
#define IDX_MIDR	IDREGS_IDX_MIDR_EL1
#define IDX_REVIDR	IDREGS_IDX_REVIDR_EL1
#define IDX_PFR1_AA32	IDREGS_IDX_ID_PFR1_EL1
#define IDX_DFR0_AA32	IDREGS_IDX_ID_DFR0_EL1
#define IDX_PFR0	IDREGS_IDX_ID_AA64PFR0_EL1
#define IDX_PFR1	IDREGS_IDX_ID_AA64PFR1_EL1
#define IDX_DFR0	IDREGS_IDX_ID_AA64DFR0_EL1
#define IDX_ISAR1	IDREGS_IDX_ID_AA64ISAR1_EL1
#define IDX_ISAR2	IDREGS_IDX_ID_AA64ISAR2_EL1
#define IDX_MMFR1	IDREGS_IDX_ID_AA64MMFR1_EL1
#define IDX_CLIDR	IDREGS_IDX_CLIDR_EL1
#define IDX_AIDR	IDREGS_IDX_AIDR_EL1
#define IDX_CTR		IDREGS_IDX_CTR_EL0

/* A field of a register value, by generated name: FLD(v, ID_AA64PFR0_EL1, GIC) */
#define FLD(v, reg, field) \
	(((v) & IDREGS_##reg##_##field##_MASK) >> IDREGS_##reg##_##field##_SHIFT)

/* The release table entry of a release index (releases.c). */
const struct idregs_release *idregs_release(unsigned int kernel);

struct idregs_host {
	char name[128];
	bool kvm;			/* kind "kvm" */
	bool nvhe;
	char kernel[65];		/* kind kvm: the kernel it was probed on
					 * (uname -r, or a release) */
	int release;			/* HOST@RELEASE: that release, else -1 */
	uint32_t features;		/* kind kvm: the probed feature set */
	struct idregs_regset regs;	/* kind kvm: what KVM reported */
	struct idregs_regset masks;	/* kind kvm: the masks it reported */
	size_t ncpus;			/* kind raw */
	struct idregs_regset cpus[];	/* kind raw: one per CPU type */
};

/*
 * What KVM sees of a host under one release: the values its limits start
 * from and the host capabilities the policy conditions test.
 */
struct idregs_host_view {
	struct idregs_regset sys;	/* sanitised (raw) or KVM's values (kvm) */
	bool cond[IDREGS_COND_COUNT];	/* host conditions; vCPU ones unused */
	bool aa32_el0;
	bool gicv3_cpuif;
	uint32_t features;		/* vCPU features KVM accepts */
	unsigned int pmuver_limit;
};

int idregs_host_view_init(const struct idregs_host *host, unsigned int kernel,
			  struct idregs_host_view *hv);

/* idregs_reg_lookup() of len bytes (no NUL among them), unterminated. */
int idregs_reg_lookup_n(const char *name, size_t len, uint16_t *enc);

/* Host profile readers behind idregs_host_parse(): the fast one takes the
 * common documents only (0, or -1 to leave the document to the general
 * one, which reads every document and words every error). */
int idregs_host_parse_fast(const char *text, size_t len, struct idregs_host **out);
int idregs_host_parse_general(const char *text, size_t len, const char *origin,
			      struct idregs_host **out, struct idregs_error *err);

struct idregs_vcpu {
	bool created;
	bool initialised;
	bool finalised;
	bool ran;
	bool pmu_ready;
	uint32_t features;
	/* per-vCPU registers, read lock-free by the guest path */
	_Atomic uint64_t mpidr;
	_Atomic uint64_t clidr;
};

struct idregs_vm {
	/* serialises writers, user reads before the first run, the first run */
	pthread_mutex_t config_lock;
	atomic_bool ran_once;		/* HAS_RAN_ONCE: values are frozen */
	unsigned int kernel;		/* release index */
	struct idregs_release_props props;	/* the release's, copied here */
	bool mte;
	bool writable_imp;
	bool vgic_v3;
	bool features_configured;
	bool id_regs_initialised;
	uint32_t features;		/* the VM-wide vCPU feature set */
	unsigned int created_vcpus;
	struct idregs_host_view host;
	/* VM-scoped ID registers, by feature-ID space index */
	uint64_t id_regs[IDREGS_SPACE_SIZE];
	/* what a guest read returns, by space index: set at the first run
	 * (the values, read-as-zero and the vCPU features are frozen then),
	 * so the guest read path is two loads (vm.c); 256 kinds: index 255
	 * stands for every op1 outside the space */
	uint8_t guest_kind[256];
	uint64_t guest_regs[IDREGS_SPACE_SIZE];
	struct idregs_vcpu vcpus[IDREGS_MAX_VCPUS];
};

/* A name into dst[size] as valid UTF-8 (json.c): each byte that does not
 * start a valid sequence becomes '?', and a character that would not fit
 * whole is left out (never half a character), so JSON can carry it. */
void idregs_name_copy(char *dst, size_t size, const char *src);

/* Fill err (when given) and return ret. */
int idregs_fail(struct idregs_error *err, int ret, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* ONE_REG id to encoding: 0, -EINVAL (arch), -ENOENT, or -EOPNOTSUPP for
 * a register class outside the ID register file. */
int idregs_parse_one_reg(uint64_t id, uint16_t *enc);
/* 6.12's invariant-register id parse (any coproc field): 0 or -ENOENT. */
int idregs_parse_invariant_id(uint64_t id, uint16_t *enc);

/* idregs_space_index(), inline for the lookups by encoding. */
static inline int idregs_space_index_of(uint16_t enc)
{
	unsigned int op1 = IDREGS_ENC_OP1(enc);

	if (IDREGS_ENC_OP0(enc) != 3 || IDREGS_ENC_CRN(enc) != 0 ||
	    IDREGS_ENC_CRM(enc) > 7 || (op1 != 0 && op1 != 1 && op1 != 3))
		return -1;
	/* KVM_ARM_FEATURE_ID_RANGE_IDX: op1 3 folds onto 2 */
	return (int)((op1 == 3 ? 2 : op1) << 6 | IDREGS_ENC_CRM(enc) << 3 |
		     IDREGS_ENC_OP2(enc));
}

/* A trapped MSR/MRS: ESR_EL2 with EC 0x18, whose ISS holds op0 (21:20),
 * op2 (19:17), op1 (16:14), CRn (13:10), Rt (9:5), CRm (4:1) and the
 * direction (bit 0, 1 = read). */
#define IDREGS_ESR_EC_SHIFT	26
#define IDREGS_ESR_EC_SYS64	0x18u

/* The descriptors by space index, built once at load (regdb.c). */
extern const struct idregs_reg_desc *idregs_db_by_index[IDREGS_SPACE_SIZE];

/* The AArch32 ID registers: op1 0, CRm 1..3. */
bool idregs_enc_is_aa32(uint16_t enc);

/* ---- KVM policy (policy.c) ---- */

/* Is the register read-as-zero for this VM and vCPU feature set? */
bool idregs_reg_is_raz(const struct idregs_vm *vm,
		       const struct idregs_reg_desc *r, uint32_t features);
/* User writes silently ignored (AArch32 regs without 32-bit EL0)? */
bool idregs_reg_is_user_wi(const struct idregs_vm *vm,
			   const struct idregs_reg_desc *r);
/* KVM's sanitised value: the reset value and the write limit. */
uint64_t idregs_reg_limit(const struct idregs_vm *vm,
			  const struct idregs_reg_desc *r, uint32_t features);
/* The per-register pre-checks; may rewrite *val. 0 or -EINVAL. */
int idregs_reg_precheck(const struct idregs_vm *vm,
			const struct idregs_reg_desc *r, uint64_t *val);
/* The generic feature check (arm64_check_features). 0 or -EINVAL. */
int idregs_reg_check_features(const struct idregs_vm *vm,
			      const struct idregs_reg_desc *r,
			      uint32_t features, uint64_t val);
/* The release's adjustments of kind IDREGS_OP_RUN (the VM's first run) or
 * IDREGS_OP_VGIC (an in-kernel vGICv3 is made) to a register's value. */
uint64_t idregs_reg_adjust(const struct idregs_vm *vm, const struct idregs_reg_desc *r,
			   unsigned int kind, uint64_t val);
/* Field value as KVM compares it (sign-extended for signed fields). */
int64_t idregs_field_value(const struct idregs_field_desc *f, uint64_t reg,
			   unsigned int kernel);
/* The cpufeature safe-value rule. */
int64_t idregs_rule_safe(unsigned int rule, uint64_t safe_val, int64_t new_v,
			 int64_t cur);

/* A ONE_REG target: the VM register file or a real KVM vCPU. */
struct idregs_onereg_ops {
	int (*get)(void *ctx, uint64_t id, uint64_t *val);
	int (*set)(void *ctx, uint64_t id, uint64_t val);
};

/* Apply a model through a ONE_REG target (apply.c). */
int idregs_apply_model(const struct idregs_model *m,
		       const struct idregs_onereg_ops *ops, void *ctx,
		       struct idregs_apply_result *res);

/* Write m's registers to vm through vcpu in encoding order, as
 * idregs_check() does, listing in rep every field the VM refuses (each
 * refused register keeps its value). 0, or a get's errno (check.c). */
int idregs_check_regs(struct idregs_vm *vm, unsigned int vcpu,
		      const struct idregs_model *m, struct idregs_check_report *rep);

/* CLIDR_EL1 as KVM makes it up from the host's CTR_EL0. */
uint64_t idregs_reset_clidr(uint64_t ctr, bool mte);

#endif
