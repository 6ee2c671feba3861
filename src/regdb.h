/* SPDX-License-Identifier: MIT */
/* The register database as C tables (generated from data/regs.db). */
#ifndef IDREGS_REGDB_H
#define IDREGS_REGDB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define IDREGS_MAX_KERNELS 8

enum idregs_rule {
	IDREGS_RULE_NONE,		/* not in the host table */
	IDREGS_RULE_LOWER,
	IDREGS_RULE_HIGHER,
	IDREGS_RULE_HIGHER_OR_ZERO,
	IDREGS_RULE_EXACT,
};

enum idregs_vis {
	IDREGS_VIS_NORMAL,
	IDREGS_VIS_RAZ,		/* always reads as zero */
	IDREGS_VIS_AA32,	/* RAZ + user write-ignore without 32-bit EL0 */
	IDREGS_VIS_SVE,		/* RAZ unless the vCPU has SVE */
};

enum idregs_scope { IDREGS_SCOPE_VM, IDREGS_SCOPE_VCPU };

enum idregs_handler {
	IDREGS_HANDLER_ID,	/* generic feature check */
	IDREGS_HANDLER_IMP,	/* MIDR, REVIDR, AIDR */
	IDREGS_HANDLER_MPIDR,
	IDREGS_HANDLER_CLIDR,
};

enum idregs_cond {
	IDREGS_COND_NONE,
	IDREGS_COND_SVE,
	IDREGS_COND_PMU,
	IDREGS_COND_PTRAUTH,
	IDREGS_COND_MTE,
	IDREGS_COND_HOST_WFXT,
	IDREGS_COND_HOST_RASV1P1,
	IDREGS_COND_SPECTRE_V2_SAFE,
	IDREGS_COND_MELTDOWN_SAFE,
	IDREGS_COND_COUNT,
};

enum idregs_op_kind { IDREGS_OP_LIMIT, IDREGS_OP_CHECK };

enum idregs_op {
	/* limit adjustments (kvm-idregs.md §3.2) */
	IDREGS_OP_ZERO,		/* a = bits forced to 0 */
	IDREGS_OP_KEEP,		/* a = the only bits kept */
	IDREGS_OP_ZERO_UNLESS,	/* a = bits forced to 0 unless cond */
	IDREGS_OP_SET_IF,	/* field = a if cond */
	IDREGS_OP_CAP,		/* field = min(field, a) */
	IDREGS_OP_PMUVER,	/* AArch64 PMU version limit */
	IDREGS_OP_PERFMON,	/* AArch32 PMU version limit */
	/* write pre-checks (kvm-idregs.md §4.3) */
	IDREGS_OP_IGNORE_HOST,	/* field == host value -> cleared */
	IDREGS_OP_MIN,		/* field < a -> EINVAL */
	IDREGS_OP_MIN_NONZERO,	/* 0 < field < a -> EINVAL */
	IDREGS_OP_MAP,		/* field == a -> b */
	IDREGS_OP_REJECT,	/* bit (field) of a set -> EINVAL */
	IDREGS_OP_MTE_FRAC,	/* ASYNC accepted as the host's NI */
};

#define IDREGS_F_SIGNED	(1u << 0)
#define IDREGS_F_STRICT	(1u << 1)
#define IDREGS_F_EL0	(1u << 2)

#define IDREGS_NO_FIELD 0xffff

struct idregs_enum_desc {
	uint64_t value;
	const char *name;
};

struct idregs_field_desc {
	const char *name;
	uint8_t shift;
	uint8_t width;
	uint8_t flags;
	uint8_t host_rule;	/* enum idregs_rule */
	uint8_t kvm_rule;	/* the rule KVM checks writes with */
	uint8_t host_kernels;	/* releases whose host table has the field */
	uint64_t safe;
	uint16_t first_enum;
	uint16_t nr_enums;
};

struct idregs_op_desc {
	uint8_t kernels;	/* bitmap of releases */
	uint8_t kind;		/* enum idregs_op_kind */
	uint8_t op;		/* enum idregs_op */
	uint8_t cond;		/* enum idregs_cond */
	uint16_t field;		/* index into fields[] or IDREGS_NO_FIELD */
	uint64_t a;
	uint64_t b;
};

struct idregs_reg_desc {
	const char *name;
	uint16_t enc;		/* op0<<14 | op1<<11 | crn<<7 | crm<<3 | op2 */
	uint8_t scope;		/* enum idregs_scope */
	uint8_t handler;	/* enum idregs_handler */
	uint8_t unallocated;
	uint8_t host_table;	/* releases in which Linux has a cpufeature table */
	uint8_t own_reset;	/* KVM's reset ignores read-as-zero (userspace
				 * reads the value, the guest still reads 0) */
	uint8_t invariant;	/* releases where it is an "invariant" register,
				 * found whatever the id's coproc field says */
	uint8_t vis[IDREGS_MAX_KERNELS];
	uint64_t mask[IDREGS_MAX_KERNELS];
	uint16_t first_field;
	uint16_t nr_fields;
	uint16_t first_op;
	uint16_t nr_ops;
};

struct idregs_midr_desc {
	uint8_t list;		/* IDREGS_COND_SPECTRE_V2_SAFE or _MELTDOWN_SAFE */
	uint8_t implementer;
	uint16_t partnum;
	const char *name;
};

/* An architectural register of the space that KVM has no descriptor for. */
struct idregs_name_desc {
	uint16_t enc;
	const char *name;
};

struct idregs_regdb {
	const char *const *kernels;
	size_t nr_kernels;
	const struct idregs_reg_desc *regs;
	size_t nr_regs;
	const struct idregs_field_desc *fields;
	size_t nr_fields;
	const struct idregs_enum_desc *enums;
	size_t nr_enums;
	const struct idregs_op_desc *ops;
	size_t nr_ops;
	const struct idregs_midr_desc *identity;
	size_t nr_identity;
	const struct idregs_name_desc *names;
	size_t nr_names;
};

extern const struct idregs_regdb idregs_regdb_generated;

/* The validated database; NULL if validation failed at load time. */
extern const struct idregs_regdb *idregs_db;

/* Validate a database: sorted, fields in 64 bits, no overlaps, indices in
 * range. Returns 0 or -EINVAL; on failure *why names the first problem. */
int idregs_regdb_validate(const struct idregs_regdb *db, const char **why);

const struct idregs_reg_desc *idregs_regdb_find(uint16_t enc);
const struct idregs_reg_desc *idregs_regdb_find_name(const char *name);

static inline uint64_t idregs_field_mask(const struct idregs_field_desc *f)
{
	return (f->width == 64 ? ~0ULL : ((1ULL << f->width) - 1)) << f->shift;
}

static inline uint64_t idregs_field_get(const struct idregs_field_desc *f,
					uint64_t reg)
{
	return (reg & idregs_field_mask(f)) >> f->shift;
}

static inline uint64_t idregs_field_set(const struct idregs_field_desc *f,
					uint64_t reg, uint64_t v)
{
	return (reg & ~idregs_field_mask(f)) |
	       ((v << f->shift) & idregs_field_mask(f));
}

#endif
