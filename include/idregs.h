/* SPDX-License-Identifier: MIT */
/*
 * libidregs: Linux KVM/arm64's guest CPU ID register system, exactly, per
 * kernel release.
 *
 * Every function returns 0 or a negative errno value, the one the named KVM
 * release returns for the same operation. The library never prints; file
 * readers fill a struct idregs_error with a message naming the problem.
 */
#ifndef IDREGS_H
#define IDREGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The library's version (the one place it is written). */
#define IDREGS_VERSION "0.1.0"

/* ---- Encodings and ONE_REG ids (KVM uapi, arm64) ---------------------- */

#define IDREGS_REG_ARM64		0x6000000000000000ULL
#define IDREGS_REG_SIZE_MASK		0x00f0000000000000ULL
#define IDREGS_REG_SIZE_U32		0x0020000000000000ULL
#define IDREGS_REG_SIZE_U64		0x0030000000000000ULL
#define IDREGS_REG_COPROC_MASK		0x000000000fff0000ULL
#define IDREGS_REG_COPROC_SYSREG	0x0000000000130000ULL

/* The feature-ID space: op0=3, op1 in {0,1,3}, CRn=0, CRm 0..7, op2 0..7,
 * indexed as KVM's writable-mask array (op1' << 6 | crm << 3 | op2). */
#define IDREGS_SPACE_SIZE 192

/* enc = op0<<14 | op1<<11 | crn<<7 | crm<<3 | op2 (the ONE_REG low bits) */
#define IDREGS_ENC(op0, op1, crn, crm, op2) \
	((uint16_t)((op0) << 14 | (op1) << 11 | (crn) << 7 | (crm) << 3 | (op2)))
#define IDREGS_ENC_OP0(e) (((e) >> 14) & 3)
#define IDREGS_ENC_OP1(e) (((e) >> 11) & 7)
#define IDREGS_ENC_CRN(e) (((e) >> 7) & 15)
#define IDREGS_ENC_CRM(e) (((e) >> 3) & 15)
#define IDREGS_ENC_OP2(e) ((e) & 7)

static inline uint64_t idregs_sysreg_id(uint16_t enc)
{
	return IDREGS_REG_ARM64 | IDREGS_REG_SIZE_U64 |
	       IDREGS_REG_COPROC_SYSREG | enc;
}

/* Index of enc in the feature-ID space, or -1 if it lies outside it. */
int idregs_space_index(uint16_t enc);
/* Encoding of a feature-ID space index (0..191). */
uint16_t idregs_space_enc(unsigned int index);

/* ---- Register knowledge ----------------------------------------------- */

/* The library's tables are validated once when it is loaded; if they are
 * bad, this returns -EINVAL (with *why set) and no VM can be created. */
int idregs_init(const char **why);

/* ---- KVM releases ----------------------------------------------------- */

/*
 * The KVM/arm64 releases idregs models, oldest first: every series from
 * 5.10 to 7.3, plus the stable point releases whose backports changed
 * behaviour inside a series ("6.12.63"). A release index ("kernel" in the
 * calls below) names one of them.
 */
unsigned int idregs_kernel_count(void);
/* The release's name ("6.12", "6.12.63"): note that a bare series given to
 * idregs_kernel_parse() names the series' newest release. */
const char *idregs_kernel_name(unsigned int kernel);
/* The version that names exactly this release ("6.12.0", "6.12.63"): what
 * files record, so that reading them back gives the same release. */
const char *idregs_kernel_version(unsigned int kernel);
/*
 * The release index for a kernel version: "6.1", "6.12.117",
 * "6.12.117+deb12-arm64", "6.1.0-50-arm64", "5.10.230-223.885.amzn2.aarch64"
 * (any uname -r). Returns the newest release at or below the version (a
 * bare series names its newest release), -ERANGE for a version outside the
 * known series, -EINVAL for a string that is not a kernel version.
 */
int idregs_kernel_parse(const char *version);
/* The newest release (the default). */
unsigned int idregs_kernel_default(void);

struct idregs_release_info {
	const char *name;		/* "6.12.63" */
	const char *version;		/* "6.12.63", "6.12.0" for "6.12" */
	unsigned int major, minor, patch;
	bool point;			/* a stable point release */
	const char *verified;		/* the kernel build it is verified
					 * against on real KVM, or NULL when it
					 * is modelled from the kernel's history */
	const char *note;		/* why it is listed, or NULL */
	unsigned int nr_changes;	/* behaviours changed from the previous */
};

/* 0 or -EINVAL (no such release). */
int idregs_kernel_info(unsigned int kernel, struct idregs_release_info *out);
/* The i-th behaviour that changed from the previous release (one line of
 * text), or NULL past the end. */
const char *idregs_kernel_change(unsigned int kernel, unsigned int i);
/* The i-th structural property's name and, in *value, whether it holds in
 * the release; NULL past the end. */
const char *idregs_kernel_prop(unsigned int kernel, unsigned int i, bool *value);

struct idregs_field_info {
	const char *name;
	unsigned int shift;
	unsigned int width;
	bool is_signed;
	bool in_host_table;	/* in Linux's cpufeature table (some release) */
	const char *host_rule;	/* "lower-safe", "higher-safe", "higher-or-zero-safe", "exact", "none" */
	const char *kvm_rule;	/* the rule KVM checks writes with */
	uint64_t safe;
	bool strict;
	bool el0_visible;
	unsigned int nr_values;	/* enumerated values */
};

/* Registers known to the database, in encoding order. */
unsigned int idregs_reg_count(void);
/* Returns the encoding of register i (< idregs_reg_count()). */
uint16_t idregs_reg_enc(unsigned int i);
/* Architectural name for an encoding, or the generic S3_<op1>_C<crn>_C<crm>_<op2>
 * into buf (always succeeds; buf must hold 24 bytes). */
const char *idregs_reg_name(uint16_t enc, char buf[24]);
/* True if the database describes enc (named or unallocated CRm 1..7 slot). */
bool idregs_reg_known(uint16_t enc);
/* Parse a register name: architectural (case-insensitive), generic
 * S3_<op1>_C<crn>_C<crm>_<op2>, or dotted op0.op1.crn.crm.op2. */
int idregs_reg_lookup(const char *name, uint16_t *enc);
unsigned int idregs_reg_field_count(uint16_t enc);
int idregs_reg_field(uint16_t enc, unsigned int i, struct idregs_field_info *out);

/* The bits of a register value the field covers, and the field's value. */
static inline uint64_t idregs_field_info_mask(const struct idregs_field_info *f)
{
	return (f->width >= 64 ? ~0ULL : ((1ULL << f->width) - 1)) << f->shift;
}

static inline uint64_t idregs_field_info_get(const struct idregs_field_info *f, uint64_t reg)
{
	return (reg & idregs_field_info_mask(f)) >> f->shift;
}
/* Name of value v of the field (NULL if the value is not enumerated). */
const char *idregs_field_value_name(uint16_t enc, unsigned int field, uint64_t v);
/* Writable mask of enc under a release, as KVM reports it (0 if none). */
uint64_t idregs_reg_kvm_mask(uint16_t enc, unsigned int kernel);
/* Is field i of enc in the release's cpufeature table? */
bool idregs_field_in_host_table(uint16_t enc, unsigned int field, unsigned int kernel);
/* Does KVM check writes of field i of enc against its rule in the release
 * (in the cpufeature table and wholly writable)? Other bits must equal
 * KVM's limit. */
bool idregs_field_kvm_checked(uint16_t enc, unsigned int field, unsigned int kernel);

/* ---- Host sanitisation (Linux cpufeature) ----------------------------- */

struct idregs_regset {
	uint64_t val[IDREGS_SPACE_SIZE];
};

struct idregs_sanitised {
	struct idregs_regset sys;	/* system-wide safe value */
	struct idregs_regset el0;	/* what EL0 MRS emulation shows */
	struct idregs_regset strict_diff; /* strict bits differing from CPU 0 */
	bool tainted;			/* any strict_diff bit set */
};

/* Sanitise the raw values of ncpus CPU types (CPU 0 is the boot CPU). */
int idregs_sanitise(const struct idregs_regset *cpus, size_t ncpus,
		    unsigned int kernel, struct idregs_sanitised *out);

/* ---- Host profiles (idregs-host/1) ------------------------------------ */

struct idregs_error {
	char msg[256];
};

/* vCPU features: the bits of kvm_vcpu_init.features[0] */
#define IDREGS_FEAT_EL1_32BIT		(1u << 1)
#define IDREGS_FEAT_PMU_V3		(1u << 3)
#define IDREGS_FEAT_SVE			(1u << 4)
#define IDREGS_FEAT_PTRAUTH_ADDRESS	(1u << 5)
#define IDREGS_FEAT_PTRAUTH_GENERIC	(1u << 6)
#define IDREGS_FEAT_PTRAUTH \
	(IDREGS_FEAT_PTRAUTH_ADDRESS | IDREGS_FEAT_PTRAUTH_GENERIC)
#define IDREGS_FEAT_VALID (IDREGS_FEAT_EL1_32BIT | IDREGS_FEAT_PMU_V3 | \
			   IDREGS_FEAT_SVE | IDREGS_FEAT_PTRAUTH | 1u | (1u << 2))

/* Feature words: "pmu", "sve", "ptrauth" (both bits), "el1_32bit". */
int idregs_feature_parse(const char *word, uint32_t *bits);
/* The i-th feature word and its bits, or NULL past the end. */
const char *idregs_feature_name(unsigned int i, uint32_t *bits);

struct idregs_host;

/* Parse a host profile from JSON text; origin names it in errors. */
int idregs_host_parse(const char *json, size_t len, const char *origin,
		      struct idregs_host **out, struct idregs_error *err);
/* A built-in profile name, or a path to a profile file. */
/* name_or_path may end in @RELEASE ("neoverse-n1@6.1", "probe.json@6.12"):
 * the host is then judged by that release (idregs_host_release()). */
int idregs_host_load(const char *name_or_path, struct idregs_host **out,
		     struct idregs_error *err);
void idregs_host_free(struct idregs_host *host);
const char *idregs_host_name(const struct idregs_host *host);
/*
 * The release a host is judged by: HOST@RELEASE as loaded, else a kind-kvm
 * profile's own "kernel", else requested (a release index the user asked
 * for, or -1), else fallback (or -1), else the newest. A requested release
 * that contradicts the host's own (another series, or another release than
 * HOST@RELEASE) is -EEXIST; a profile kernel outside the known releases
 * -ERANGE, unreadable -EINVAL.
 */
int idregs_host_release(const struct idregs_host *host, int requested, int fallback,
			unsigned int *kernel);
/* Does the host carry its own release (HOST@RELEASE, a kind-kvm profile's
 * "kernel")? */
bool idregs_host_has_release(const struct idregs_host *host);
/* The kernel a kind-kvm profile was probed on ("" if it does not say). */
const char *idregs_host_kernel(const struct idregs_host *host);
/* Rename a profile (-EINVAL if the name does not fit in 127 bytes). */
int idregs_host_set_name(struct idregs_host *host, const char *name);
bool idregs_host_is_kvm(const struct idregs_host *host);
/* vCPU features (IDREGS_FEAT_*) KVM on this host accepts. */
uint32_t idregs_host_features(const struct idregs_host *host);
/* Raw registers of CPU type i (kind raw; NULL otherwise or out of range). */
const struct idregs_regset *idregs_host_cpu(const struct idregs_host *host,
					    size_t i);
size_t idregs_host_cpu_count(const struct idregs_host *host);

size_t idregs_builtin_count(void);
const char *idregs_builtin_name(size_t i);
const char *idregs_builtin_description(size_t i);
/* JSON text of built-in profile i. */
const char *idregs_builtin_json(size_t i);

/* ---- CPU models (idregs-model/1) -------------------------------------- */

/* What a guest should see: the values to program into a VM before it first
 * runs. Registers the model does not set keep the host's value. */
struct idregs_model {
	char name[128];
	int kernel;			/* release index, or -1 if not given */
	uint32_t features;		/* IDREGS_FEAT_* the vCPUs need */
	bool has[IDREGS_SPACE_SIZE];	/* registers the model sets */
	struct idregs_regset regs;
	/* bits that keep each host's own value when applied (a feature-floor
	 * model: fields no VMM can change and that differ between hosts) */
	struct idregs_regset host_bits;
	char provenance[1024];		/* JSON object text, or "" */
};

int idregs_model_parse(const char *json, size_t len, const char *origin,
		       struct idregs_model *out, struct idregs_error *err);
int idregs_model_load(const char *path, struct idregs_model *out,
		      struct idregs_error *err);
/* The model as an idregs-model/1 document (malloc'd; NULL on ENOMEM). */
char *idregs_model_to_json(const struct idregs_model *m);
/* Write text to path atomically (temporary file, then rename). */
int idregs_write_file_atomic(const char *path, const char *text,
			     struct idregs_error *err);

/* ---- The VM register file --------------------------------------------- */

#define IDREGS_MAX_VCPUS 512

enum idregs_cap {
	IDREGS_CAP_ARM_MTE = 205,			/* KVM_CAP_ARM_MTE */
	IDREGS_CAP_ARM_WRITABLE_IMP_ID_REGS = 239,
};

/* KVM_ARM_GET_REG_WRITABLE_MASKS argument (range 0 = feature-ID space). */
struct idregs_reg_mask_range {
	uint32_t range;
	uint32_t reserved[13];
};

/* Result of a guest access that the VM does not handle: inject UNDEF. */
#define IDREGS_GUEST_UNDEF 1

struct idregs_vm;

/* KVM_CREATE_VM against a host profile, under a kernel release's policy. */
int idregs_vm_create(const struct idregs_host *host, unsigned int kernel,
		     struct idregs_vm **out);
void idregs_vm_destroy(struct idregs_vm *vm);
/* KVM_ENABLE_CAP; only before the first vCPU exists (else -EINVAL). */
int idregs_vm_enable_cap(struct idregs_vm *vm, enum idregs_cap cap);
/* Create an in-kernel vGICv3 (keeps the GIC fields at the first run). */
int idregs_vm_create_vgic_v3(struct idregs_vm *vm);
bool idregs_vm_has_run(const struct idregs_vm *vm);

/* KVM_CREATE_VCPU: -EEXIST for an id in use, -EINVAL beyond the limit. */
int idregs_vcpu_create(struct idregs_vm *vm, unsigned int vcpu);
/* KVM_ARM_VCPU_INIT with features (IDREGS_FEAT_*). */
int idregs_vcpu_init(struct idregs_vm *vm, unsigned int vcpu, uint32_t features);
/* KVM_ARM_VCPU_FINALIZE(SVE). */
int idregs_vcpu_finalize(struct idregs_vm *vm, unsigned int vcpu);
/* KVM_ARM_VCPU_PMU_V3_CTRL(INIT): without it a PMU vCPU cannot run. */
int idregs_vcpu_pmu_init(struct idregs_vm *vm, unsigned int vcpu);
/* KVM_GET_ONE_REG / KVM_SET_ONE_REG. Ids outside the register file that
 * KVM would serve return -EOPNOTSUPP (not modelled). */
int idregs_vcpu_get(struct idregs_vm *vm, unsigned int vcpu, uint64_t id,
		    uint64_t *val);
int idregs_vcpu_set(struct idregs_vm *vm, unsigned int vcpu, uint64_t id,
		    uint64_t val);
/* KVM_GET_REG_LIST restricted to the ID register file: *n is the array
 * size on entry and the count on return (-E2BIG if it was too small). */
int idregs_vcpu_reg_list(struct idregs_vm *vm, unsigned int vcpu,
			 uint64_t *ids, size_t *n);
/* KVM_ARM_GET_REG_WRITABLE_MASKS. */
int idregs_vm_writable_masks(struct idregs_vm *vm,
			     const struct idregs_reg_mask_range *range,
			     uint64_t masks[IDREGS_SPACE_SIZE]);
/* The vCPU's first KVM_RUN: the first-run transition freezes the VM. */
int idregs_vcpu_run(struct idregs_vm *vm, unsigned int vcpu);
/* A trapped guest system-register access (ESR_EL2, EC 0x18). Reads put
 * the value in *rt and return 0; writes and unknown encodings return
 * IDREGS_GUEST_UNDEF. Only valid once the vCPU has run (-ENOEXEC before);
 * lock-free. */
int idregs_vcpu_guest_access(struct idregs_vm *vm, unsigned int vcpu,
			     uint32_t esr, uint64_t *rt);

/* ---- Applying a model -------------------------------------------------- */

/* What happened when a model was applied register by register. */
struct idregs_apply_result {
	int err;		/* 0, or the errno of the first refused write */
	uint16_t enc;		/* the register refused (when err != 0) */
	uint64_t wanted;	/* the value the model asked for */
	uint64_t before;	/* the register's value before the write */
	uint64_t got;		/* the value read back after the write */
	unsigned int written;	/* registers written successfully */
	unsigned int changed;	/* accepted, but read back different */
	uint16_t changed_enc[IDREGS_SPACE_SIZE];
};

/* Whether applying m needs KVM_CAP_ARM_WRITABLE_IMP_ID_REGS: the model sets
 * MIDR_EL1, REVIDR_EL1 or AIDR_EL1 to a value other than current[]. */
bool idregs_model_needs_imp_cap(const struct idregs_model *m,
				const struct idregs_regset *current);
/* Apply m to the VM through vCPU vcpu with KVM_SET_ONE_REG semantics, in
 * encoding order, stopping at the first refusal; every accepted write is
 * read back. Returns 0 or the first refusal's errno (also in *res). */
int idregs_vm_apply_model(struct idregs_vm *vm, unsigned int vcpu,
			  const struct idregs_model *m,
			  struct idregs_apply_result *res);

/* ---- Fleet: check a model against a host, baseline across hosts ----- */

/* One reason a host refuses a model. */
struct idregs_refusal {
	uint16_t enc;
	int field;		/* field index in the register, -1: other bits */
	uint64_t bits;		/* the bits concerned */
	uint64_t model;		/* the register value the model asks for */
	uint64_t host;		/* the host's value of the register */
	int err;		/* what KVM answers (negative errno) */
};

#define IDREGS_MAX_REFUSALS 256

struct idregs_check_report {
	bool fits;
	uint32_t features_missing;	/* vCPU features the host refuses */
	int features_err;		/* KVM_ARM_VCPU_INIT's answer */
	bool imp_cap_missing;		/* the model changes MIDR/REVIDR/AIDR
					 * and the release cannot allow it */
	size_t nr_refusals;
	size_t dropped;			/* refusals beyond the array */
	struct idregs_refusal refusals[IDREGS_MAX_REFUSALS];
};

/* Can m be applied on host under kernel? Decided by applying it to a VM of
 * the register file; every refused field is listed. 0 (see rep->fits) or
 * a negative errno for a broken call. */
int idregs_check(const struct idregs_host *host, unsigned int kernel,
		 const struct idregs_model *m, struct idregs_check_report *rep);

/* The model of a VM started on host with features: every VM-scoped ID
 * register as KVM sets it up (what a running VM carries when it moves). */
int idregs_host_model(const struct idregs_host *host, unsigned int kernel,
		      uint32_t features, struct idregs_model *out);

/* A field (or other bits) that no VMM can change and that differs between
 * hosts: the strict baseline cannot exist. */
struct idregs_conflict {
	uint16_t enc;
	int field;		/* field index, -1: bits outside known fields */
	uint64_t bits;
	char host_a[64];	/* the first host */
	char host_b[64];	/* the first host that differs */
	uint64_t val_a;
	uint64_t val_b;
	unsigned long differing;	/* hosts that differ from host_a */
};

struct idregs_baseline;

/* A streaming baseline: add hosts one at a time, memory stays constant.
 * Each host is judged by its own release (idregs_host_release() with
 * kernel as the requested one: a release index, or -1 for none); a field
 * is writable in the model only where every host's release lets a VMM
 * change it. floor: a feature-floor model (non-writable differences are
 * left to each host) instead of the strict one (they are conflicts). */
int idregs_baseline_new(int kernel, uint32_t features, bool floor,
			struct idregs_baseline **out);
void idregs_baseline_free(struct idregs_baseline *b);
/* -EINVAL when the host cannot run vCPUs with the features, -EEXIST (and
 * the others of idregs_host_release()) when its release cannot be decided;
 * err says which. */
int idregs_baseline_add(struct idregs_baseline *b,
			const struct idregs_host *host, struct idregs_error *err);
/* The release every host so far was judged by, or -1 when they differ
 * (or none was added). */
int idregs_baseline_kernel(const struct idregs_baseline *b);
unsigned long idregs_baseline_hosts(const struct idregs_baseline *b);
/* The richest model every added host accepts; -ENOENT without hosts,
 * -EINVAL when conflicts make it impossible (strict mode). */
int idregs_baseline_model(const struct idregs_baseline *b,
			  struct idregs_model *out);
size_t idregs_baseline_conflict_count(const struct idregs_baseline *b);
const struct idregs_conflict *
idregs_baseline_conflict(const struct idregs_baseline *b, size_t i);
/* Implementation-ID registers (MIDR, REVIDR, AIDR) that differ between
 * hosts: left host-defined in the model (the guest sees each host's). */
uint64_t idregs_baseline_imp_varies(const struct idregs_baseline *b);

/* ---- Real KVM (Linux/arm64 only; elsewhere every call is -ENOSYS) ------ */

/* 0 if /dev/kvm can be used, else a negative errno (-ENOSYS when this
 * build has no KVM backend). */
int idregs_kvm_available(void);
/* Probe KVM into a kind-kvm host profile named "kvm": a scratch VM whose
 * vCPU has the largest feature set KVM accepts; every feature-ID register
 * and mask; the running release; the mode from KVM's boot message in the
 * kernel log, or from ID_AA64MMFR1_EL1.VH when the log cannot be read. */
int idregs_kvm_probe(struct idregs_host **out, struct idregs_error *err);
/* Before any vCPU of vm_fd exists: enable the writable implementation-ID
 * capability when m needs it and the kernel offers it. */
int idregs_kvm_prepare_vm(int vm_fd, const struct idregs_model *m,
			  const struct idregs_regset *current);
/* Apply m through the (initialised, not yet run) vCPU fd and verify every
 * register by read-back. */
int idregs_kvm_apply(int vcpu_fd, const struct idregs_model *m,
		     struct idregs_apply_result *res);
/* Try m on this host's KVM: a scratch VM, prepared for m, whose vCPU 0 has
 * m->features, then idregs_kvm_apply(). 0 when every register was accepted
 * (res->changed lists those read back different); the refusal's errno with
 * res->err set; or an errno with res->err 0 when the VM or vCPU could not
 * be made (err says which step). */
int idregs_kvm_check_model(const struct idregs_model *m,
			   struct idregs_apply_result *res,
			   struct idregs_error *err);

/* A host profile as an idregs-host/1 document (malloc'd). */
char *idregs_host_to_json(const struct idregs_host *host);

/* ESR_EL2 for an MRS (read) or MSR (write) of enc with register Rt. */
uint32_t idregs_esr_sysreg(uint16_t enc, unsigned int rt, bool read);

/* errno name ("EINVAL") or NULL. */
const char *idregs_errno_name(int err);

/* ---- Interchange: Firecracker CPU templates, QEMU properties ---------- */

/*
 * A Firecracker custom CPU template (aarch64: reg_modifiers, vcpu_features,
 * kvm_capabilities) into a model, resolved on host: each modifier's register
 * is read from a VM of host whose vCPU has the template's features, then
 * new = (old & ~filter) | value. Only feature-ID space system registers;
 * unknown members refused as Firecracker does. The capabilities are kept in
 * the provenance. Errors name the entry at fault (origin-prefixed).
 */
int idregs_fc_import(const char *json, size_t len, const char *origin,
		     const struct idregs_host *host, unsigned int kernel,
		     struct idregs_model *out, struct idregs_error *err);
/* The minimal template that makes host's VM into m: a reg_modifier for each
 * register that differs, with whole differing fields fixed and x elsewhere
 * (a floor model's host bits stay x), plus vcpu_features for m's features.
 * malloc'd; NULL with errno set and err filled on failure. */
char *idregs_fc_export(const struct idregs_model *m,
		       const struct idregs_host *host, unsigned int kernel,
		       struct idregs_error *err);
/* "-cpu host,SYSREG_<REG>_<FIELD>=0x<v>,...,pmu=,sve=,pauth=" for QEMU's
 * proposed per-field properties: every field whose value differs from
 * host's. NULL (errno EINVAL, err says which) when bits outside every
 * field differ. malloc'd. */
char *idregs_qemu_export(const struct idregs_model *m,
			 const struct idregs_host *host, unsigned int kernel,
			 struct idregs_error *err);

/* ---- Migration state ---------------------------------------------------- */

/*
 * A VM's ID register state as a VMM carries it in its migration stream or
 * snapshot: a versioned, checksummed, little-endian blob (docs/state.md).
 */
#define IDREGS_STATE_VERSION	1	/* the format version this library writes */
#define IDREGS_STATE_HDR_SIZE	48
#define IDREGS_STATE_REG_SIZE	16	/* ONE_REG id, value */
#define IDREGS_STATE_VCPU_SIZE	24	/* vCPU id, reserved, MPIDR, CLIDR */
#define IDREGS_STATE_MAX_SIZE	(IDREGS_STATE_HDR_SIZE + \
				 IDREGS_SPACE_SIZE * IDREGS_STATE_REG_SIZE + \
				 IDREGS_MAX_VCPUS * IDREGS_STATE_VCPU_SIZE + 4)

/* Header flags: how the source VM was set up (informative). */
#define IDREGS_STATE_F_MTE		(1u << 0)	/* KVM_CAP_ARM_MTE enabled */
#define IDREGS_STATE_F_WRITABLE_IMP	(1u << 1)	/* ..._WRITABLE_IMP_ID_REGS */
#define IDREGS_STATE_F_VGIC_V3		(1u << 2)	/* in-kernel vGICv3 */
#define IDREGS_STATE_F_RAN		(1u << 3)	/* values were frozen */
#define IDREGS_STATE_F_VALID		0xfu

struct idregs_state_vcpu {
	uint32_t id;
	uint64_t mpidr;		/* MPIDR_EL1 */
	uint64_t clidr;		/* CLIDR_EL1 */
};

/* A decoded blob. */
struct idregs_state {
	uint32_t version;
	uint32_t length;		/* bytes, checksum included */
	uint32_t crc;			/* CRC-32 (IEEE 802.3) */
	char kernel[16];		/* the source's KVM release */
	uint32_t features;		/* IDREGS_FEAT_* of every vCPU */
	uint32_t flags;			/* IDREGS_STATE_F_* */
	size_t nr_regs;			/* VM-scoped registers, encoding order */
	uint64_t reg_id[IDREGS_SPACE_SIZE];	/* ONE_REG ids */
	uint64_t reg_val[IDREGS_SPACE_SIZE];
	size_t nr_vcpus;		/* vCPUs, id order */
	struct idregs_state_vcpu vcpus[IDREGS_MAX_VCPUS];
};

/* Save vm's ID register state: every VM-scoped register (read through the
 * initialised vCPU vcpu) and MPIDR/CLIDR of every initialised vCPU, taken
 * in one step under the VM's configuration lock. *len is buf's size on
 * entry and the blob's on return; -E2BIG (with *len the size needed) when
 * buf is too small; buf may be NULL when *len is 0. */
int idregs_state_save(struct idregs_vm *vm, unsigned int vcpu, void *buf,
		      size_t *len);
/* Decode and verify a blob (magic, length, checksum, version, layout,
 * every register known). 0, or -EINVAL with err saying why. */
int idregs_state_parse(const void *buf, size_t len, struct idregs_state *out,
		       struct idregs_error *err);
/*
 * Restore a blob into a fresh VM: its vCPUs (the blob's ids) created and
 * initialised with the blob's features, none run; writable MIDR/REVIDR/
 * AIDR need KVM_CAP_ARM_WRITABLE_IMP_ID_REGS enabled beforehand when the
 * blob's values differ from the VM's. Everything is checked first, the
 * values on a scratch copy of vm through KVM's own write path; then all
 * registers are committed at once, or none. -EINVAL (err says why) for a
 * bad blob, other features or vCPUs, or refused values (rep lists every
 * refused field as idregs_check() does; rep may be NULL); -EBUSY when vm
 * has run; -EAGAIN when vm changed during the call. On any error vm is
 * left exactly as it was.
 */
int idregs_state_restore(struct idregs_vm *vm, const void *buf, size_t len,
			 struct idregs_check_report *rep,
			 struct idregs_error *err);
/* Read a blob file (malloc'd into *buf; files over 16 MiB are refused),
 * and write one atomically (temporary file, fsync, rename). */
int idregs_state_read_file(const char *path, void **buf, size_t *len,
			   struct idregs_error *err);
int idregs_state_write_file(const char *path, const void *buf, size_t len,
			    struct idregs_error *err);

#ifdef __cplusplus
}
#endif
#endif
