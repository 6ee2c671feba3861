// SPDX-License-Identifier: MIT
/*
 * The generated register tables: validated once when the library is loaded,
 * then looked up by feature-ID space index. Nothing after load re-checks
 * them.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "internal.h"

const struct idregs_regdb *idregs_db;
static const char *idregs_db_why = "tables not validated";
/* idregs_db's descriptors by feature-ID space index: one load on the
 * guest read path instead of a binary search. */
const struct idregs_reg_desc *idregs_db_by_index[IDREGS_SPACE_SIZE];

/*
 * Register names by a case-insensitive hash, built at load: a host profile
 * names about a hundred registers, and a linear strcasecmp() scan of the
 * table for each was the fleet tools' largest cost. Open addressing; the
 * descriptors' names go in first, then the other architectural names, and
 * a name already present keeps its first entry, so a lookup finds what
 * the scan in table order found.
 */
#define NAME_SLOTS	512	/* a power of two, over twice the names */

struct name_slot {
	const char *name;	/* NULL: empty */
	size_t len;
	const struct idregs_reg_desc *reg;	/* NULL: a names[] entry */
	uint16_t enc;
};

static struct name_slot name_index[NAME_SLOTS];

#define CASE_BITS	0x2020202020202020ULL	/* bit 5 of each byte */

static uint64_t load8(const char *s)
{
	uint64_t w;

	memcpy(&w, s, 8);
	return w;
}

/*
 * A hash of the length and the first and last eight bytes (all of a name
 * of up to 16, as most are), each byte with bit 5 set: the same for any
 * case of the letters. Other names that collide only cost a probe.
 */
static unsigned int name_hash(const char *s, size_t len)
{
	uint64_t h = len;
	size_t i;

	if (len >= 8) {
		h ^= (load8(s) | CASE_BITS) * 0x9e3779b97f4a7c15ULL;
		h ^= (load8(s + len - 8) | CASE_BITS) * 0xc2b2ae3d27d4eb4fULL;
	} else {
		for (i = 0; i < len; i++)
			h = h << 8 | ((unsigned char)s[i] | 0x20);
		h *= 0x9e3779b97f4a7c15ULL;
	}
	h ^= h >> 29;
	return (unsigned int)(h >> 32) & (NAME_SLOTS - 1);
}

/* strncasecmp() == 0 of len bytes, ASCII letters folded, as in the C
 * locale; equal bytes first (names come mostly as the table spells them),
 * by two words for 8 to 16 bytes. */
static bool name_equal(const char *a, const char *b, size_t len)
{
	size_t i;

	if (len >= 8 && len <= 16) {
		if (load8(a) == load8(b) && load8(a + len - 8) == load8(b + len - 8))
			return true;
	} else if (!memcmp(a, b, len)) {
		return true;
	}
	for (i = 0; i < len; i++) {
		unsigned char x = (unsigned char)a[i], y = (unsigned char)b[i];

		if (x >= 'A' && x <= 'Z')
			x += 32;
		if (y >= 'A' && y <= 'Z')
			y += 32;
		if (x != y)
			return false;
	}
	return true;
}

/* strcasecmp(slot, name) == 0 for a name of len bytes without a NUL */
static const struct name_slot *name_find(const char *name, size_t len)
{
	unsigned int i;

	for (i = name_hash(name, len); name_index[i].name; i = (i + 1) & (NAME_SLOTS - 1))
		if (name_index[i].len == len && name_equal(name_index[i].name, name, len))
			return &name_index[i];
	return NULL;
}

/* The table is at most half full (checked at load): a free slot is near. */
static void name_add(const char *name, const struct idregs_reg_desc *reg,
		     uint16_t enc)
{
	size_t len = strlen(name);
	unsigned int i;

	if (name_find(name, len))
		return;		/* the first one stays */
	for (i = name_hash(name, len); name_index[i].name; i = (i + 1) & (NAME_SLOTS - 1))
		;
	name_index[i] = (struct name_slot){ .name = name, .len = len, .reg = reg,
					    .enc = enc };
}

static int check_fields(const struct idregs_regdb *db,
			const struct idregs_reg_desc *r, const char **why)
{
	uint64_t used = 0;
	unsigned int i;

	if ((size_t)r->first_field + r->nr_fields > db->nr_fields) {
		*why = "field index out of range";
		return -EINVAL;
	}
	for (i = 0; i < r->nr_fields; i++) {
		const struct idregs_field_desc *f = &db->fields[r->first_field + i];
		uint64_t m;

		if (!f->width || f->shift + f->width > 64) {
			*why = "field outside 64 bits";
			return -EINVAL;
		}
		m = idregs_field_mask(f);
		if (used & m) {
			*why = "overlapping fields";
			return -EINVAL;
		}
		used |= m;
		if ((size_t)f->first_enum + f->nr_enums > db->nr_enums) {
			*why = "enum index out of range";
			return -EINVAL;
		}
	}
	return 0;
}

static int check_ops(const struct idregs_regdb *db,
		     const struct idregs_reg_desc *r, const char **why)
{
	unsigned int i;

	if ((size_t)r->first_op + r->nr_ops > db->nr_ops) {
		*why = "operation index out of range";
		return -EINVAL;
	}
	for (i = 0; i < r->nr_ops; i++) {
		const struct idregs_op_desc *op = &db->ops[r->first_op + i];
		bool needs_field = op->op != IDREGS_OP_ZERO &&
				   op->op != IDREGS_OP_KEEP &&
				   op->op != IDREGS_OP_ZERO_UNLESS;

		if (op->op >= IDREGS_OP_COUNT || op->cond >= IDREGS_COND_COUNT ||
		    op->kind > IDREGS_OP_VGIC) {
			*why = "unknown operation";
			return -EINVAL;
		}
		if (needs_field && (op->field < r->first_field ||
				    op->field >= r->first_field + r->nr_fields)) {
			*why = "operation names a field of another register";
			return -EINVAL;
		}
	}
	return 0;
}

/* Every release has a row, and rows hold known visibilities and handlers. */
static int check_rows(const struct idregs_regdb *db,
		      const struct idregs_reg_desc *r, const char **why)
{
	size_t i;

	for (i = 0; i < db->nr_releases; i++) {
		if (r->row_of[i] >= r->nr_rows) {
			*why = "a release without a policy row";
			return -EINVAL;
		}
	}
	for (i = 0; i < r->nr_rows; i++) {
		const struct idregs_reg_rel *row = &r->rows[i];

		if (row->vis > IDREGS_VIS_SVE || row->handler > IDREGS_HANDLER_INVARIANT) {
			*why = "unknown visibility or handler";
			return -EINVAL;
		}
		/* a per-vCPU register has a per-vCPU (or the invariant) handler */
		if ((r->scope == IDREGS_SCOPE_VCPU) !=
		    (row->handler == IDREGS_HANDLER_MPIDR ||
		     row->handler == IDREGS_HANDLER_CLIDR) &&
		    row->handler != IDREGS_HANDLER_INVARIANT) {
			*why = "a register's scope and handler disagree";
			return -EINVAL;
		}
	}
	return 0;
}

/* Releases oldest first, each a known series; ABI lines name a release. */
static int check_releases(const struct idregs_regdb *db, const char **why)
{
	size_t i, j;

	if (!db->nr_releases || db->nr_releases > IDREGS_NR_RELEASES) {
		*why = "bad number of kernel releases";
		return -EINVAL;
	}
	for (i = 1; i < db->nr_releases; i++) {
		const struct idregs_release *a = &db->releases[i - 1], *b = &db->releases[i];

		if (a->major > b->major || (a->major == b->major && (a->minor > b->minor ||
		    (a->minor == b->minor && a->patch >= b->patch)))) {
			*why = "releases not in version order";
			return -EINVAL;
		}
	}
	for (i = 0; i < db->nr_abis; i++) {
		for (j = 0; j < db->nr_releases; j++)
			if (db->releases[j].major == db->abis[i].major &&
			    db->releases[j].minor == db->abis[i].minor &&
			    db->releases[j].patch == db->abis[i].patch)
				break;
		if (j == db->nr_releases) {
			*why = "an ABI line names no release";
			return -EINVAL;
		}
	}
	return 0;
}

int idregs_regdb_validate(const struct idregs_regdb *db, const char **why)
{
	size_t i;
	int ret;

	ret = check_releases(db, why);
	if (ret)
		return ret;
	for (i = 0; i < db->nr_regs; i++) {
		const struct idregs_reg_desc *r = &db->regs[i];

		if (i && db->regs[i - 1].enc >= r->enc) {
			*why = "register table not sorted by encoding";
			return -EINVAL;
		}
		if (!r->name || !*r->name) {
			*why = "register without a name";
			return -EINVAL;
		}
		/* the VM register file holds the feature-ID space only */
		if (idregs_space_index(r->enc) < 0) {
			*why = "register outside the feature-ID space";
			return -EINVAL;
		}
		ret = check_fields(db, r, why);
		if (!ret)
			ret = check_ops(db, r, why);
		if (!ret)
			ret = check_rows(db, r, why);
		if (ret)
			return ret;
	}
	for (i = 0; i < db->nr_identity; i++) {
		if (db->identity[i].list != IDREGS_COND_SPECTRE_V2_SAFE &&
		    db->identity[i].list != IDREGS_COND_MELTDOWN_SAFE) {
			*why = "unknown CPU identity list";
			return -EINVAL;
		}
	}
	return 0;
}

__attribute__((constructor)) static void idregs_load(void)
{
	const char *why = NULL;
	size_t i;

	if (idregs_regdb_validate(&idregs_regdb_generated, &why)) {
		idregs_db_why = why;
		return;
	}
	if (idregs_regdb_generated.nr_regs + idregs_regdb_generated.nr_names >
	    NAME_SLOTS / 2) {
		idregs_db_why = "too many register names for the name index";
		return;
	}
	for (i = 0; i < idregs_regdb_generated.nr_regs; i++) {
		const struct idregs_reg_desc *r = &idregs_regdb_generated.regs[i];

		idregs_db_by_index[idregs_space_index(r->enc)] = r;
		name_add(r->name, r, r->enc);
	}
	for (i = 0; i < idregs_regdb_generated.nr_names; i++)
		name_add(idregs_regdb_generated.names[i].name, NULL,
			 idregs_regdb_generated.names[i].enc);
	idregs_db = &idregs_regdb_generated;
}

int idregs_init(const char **why)
{
	if (idregs_db)
		return 0;
	if (why)
		*why = idregs_db_why;
	return -EINVAL;
}

/* Every register lies in the feature-ID space (validated): one load. */
const struct idregs_reg_desc *idregs_regdb_find(uint16_t enc)
{
	int idx = idregs_space_index_of(enc);

	return idx >= 0 ? idregs_db_by_index[idx] : NULL;
}

const struct idregs_reg_desc *idregs_regdb_find_name(const char *name)
{
	const struct name_slot *s = name_find(name, strlen(name));

	return s ? s->reg : NULL;
}

unsigned int idregs_reg_count(void)
{
	return idregs_db->nr_regs;
}

uint16_t idregs_reg_enc(unsigned int i)
{
	return i < idregs_db->nr_regs ? idregs_db->regs[i].enc : 0;
}

const char *idregs_reg_name(uint16_t enc, char buf[24])
{
	const struct idregs_reg_desc *r = idregs_regdb_find(enc);
	size_t i;

	if (r && !r->unallocated)
		return r->name;
	for (i = 0; i < idregs_db->nr_names; i++)
		if (idregs_db->names[i].enc == enc)
			return idregs_db->names[i].name;
	snprintf(buf, 24, "S%u_%u_C%u_C%u_%u", IDREGS_ENC_OP0(enc),
		 IDREGS_ENC_OP1(enc), IDREGS_ENC_CRN(enc), IDREGS_ENC_CRM(enc),
		 IDREGS_ENC_OP2(enc));
	return buf;
}

bool idregs_reg_known(uint16_t enc)
{
	return idregs_regdb_find(enc) != NULL;
}

/* A decimal number of at most two digits, followed by the separator sep
 * (or the end of the string when sep is 0). */
static const char *parse_part(const char *s, const char *sep, unsigned int *v)
{
	unsigned int n = 0, digits = 0;

	while (*s >= '0' && *s <= '9' && digits < 3) {
		n = n * 10 + (unsigned int)(*s++ - '0');
		digits++;
	}
	if (!digits || digits > 2 || strncasecmp(s, sep, strlen(sep)) ||
	    (!*sep && *s))
		return NULL;
	*v = n;
	return s + strlen(sep);
}

/* "3.0.0.4.0" or "S3_0_C0_C4_0" into an encoding: digits only, in range. */
static int parse_numeric_name(const char *s, uint16_t *enc)
{
	static const char *const dotted[] = { ".", ".", ".", ".", "" };
	static const char *const generic[] = { "_", "_C", "_C", "_", "" };
	const char *const *seps = dotted;
	unsigned int v[5], i;

	if (*s == 'S' || *s == 's') {
		seps = generic;
		s++;
	}
	for (i = 0; i < 5 && s; i++)
		s = parse_part(s, seps[i], &v[i]);
	if (!s || v[0] > 3 || v[1] > 7 || v[2] > 15 || v[3] > 15 || v[4] > 7)
		return -EINVAL;
	*enc = IDREGS_ENC(v[0], v[1], v[2], v[3], v[4]);
	return 0;
}

int idregs_reg_lookup(const char *name, uint16_t *enc)
{
	const struct name_slot *s = name_find(name, strlen(name));

	if (s) {
		*enc = s->enc;
		return 0;
	}
	return parse_numeric_name(name, enc);
}

int idregs_reg_lookup_n(const char *name, size_t len, uint16_t *enc)
{
	const struct name_slot *s = name_find(name, len);
	char buf[32];

	if (s) {
		*enc = s->enc;
		return 0;
	}
	/* the numeric forms are at most 17 bytes ("S03_07_C15_C15_07") */
	if (len >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, name, len);
	buf[len] = 0;
	return parse_numeric_name(buf, enc);
}

static const struct idregs_field_desc *reg_field(uint16_t enc, unsigned int i)
{
	const struct idregs_reg_desc *r = idregs_regdb_find(enc);

	if (!r || i >= r->nr_fields)
		return NULL;
	return &idregs_db->fields[r->first_field + i];
}

unsigned int idregs_reg_field_count(uint16_t enc)
{
	const struct idregs_reg_desc *r = idregs_regdb_find(enc);

	return r ? r->nr_fields : 0;
}

static const char *rule_name(unsigned int rule)
{
	static const char *const names[] = {
		[IDREGS_RULE_NONE] = "none",
		[IDREGS_RULE_LOWER] = "lower-safe",
		[IDREGS_RULE_HIGHER] = "higher-safe",
		[IDREGS_RULE_HIGHER_OR_ZERO] = "higher-or-zero-safe",
		[IDREGS_RULE_EXACT] = "exact",
	};

	return names[rule];
}

int idregs_reg_field(uint16_t enc, unsigned int i, struct idregs_field_info *out)
{
	const struct idregs_field_desc *f = reg_field(enc, i);

	if (!f)
		return -ENOENT;
	out->name = f->name;
	out->shift = f->shift;
	out->width = f->width;
	out->is_signed = f->flags & IDREGS_F_SIGNED;
	out->in_host_table = f->host_rule != IDREGS_RULE_NONE;
	out->host_rule = rule_name(f->host_rule);
	out->kvm_rule = rule_name(f->kvm_rule);
	out->safe = f->safe;
	out->strict = f->flags & IDREGS_F_STRICT;
	out->el0_visible = f->flags & IDREGS_F_EL0;
	out->nr_values = f->nr_enums;
	return 0;
}

const char *idregs_field_value_name(uint16_t enc, unsigned int field, uint64_t v)
{
	const struct idregs_field_desc *f = reg_field(enc, field);
	unsigned int i;

	for (i = 0; f && i < f->nr_enums; i++)
		if (idregs_db->enums[f->first_enum + i].value == v)
			return idregs_db->enums[f->first_enum + i].name;
	return NULL;
}

uint64_t idregs_reg_kvm_mask(uint16_t enc, unsigned int kernel)
{
	const struct idregs_reg_desc *r = idregs_regdb_find(enc);

	return r && kernel < idregs_db->nr_releases ? idregs_reg_rel(r, kernel)->mask : 0;
}

bool idregs_field_in_host_table(uint16_t enc, unsigned int field, unsigned int kernel)
{
	const struct idregs_field_desc *f = reg_field(enc, field);

	return f && kernel < idregs_db->nr_releases && idregs_field_in_host(f, kernel);
}

bool idregs_field_kvm_checked(uint16_t enc, unsigned int field, unsigned int kernel)
{
	const struct idregs_reg_desc *r = idregs_regdb_find(enc);

	return r && field < r->nr_fields && kernel < idregs_db->nr_releases &&
	       idregs_reg_field_checked(r, &idregs_db->fields[r->first_field + field],
					kernel);
}
