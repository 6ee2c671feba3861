// SPDX-License-Identifier: MIT
/*
 * The register database and the encoding helpers: table validation (on
 * deliberately broken copies), name lookup, generic names, the feature-ID
 * space index, ONE_REG ids (docs/kvm-model.md, ONE_REG ids), ESR_EL2 and
 * errno names, kernel releases.
 */
#include "testutil.h"

#include "regdb.h"

/* ---- idregs_init and the generated tables ---- */

static void test_init_ok(void **state)
{
	const char *why = "untouched";

	(void)state;
	assert_int_equal(idregs_init(&why), 0);
	assert_int_equal(idregs_init(NULL), 0);
	assert_non_null(idregs_db);
	assert_ptr_equal(idregs_db, &idregs_regdb_generated);
	why = NULL;
	assert_int_equal(idregs_regdb_validate(&idregs_regdb_generated, &why), 0);
}

static void test_generated_sorted(void **state)
{
	unsigned int i, n = idregs_reg_count();

	(void)state;
	/* 62 descriptors in the feature-ID space (docs/kvm-model.md,
	 * Feature-ID space: Descriptors; findings 8) */
	assert_int_equal(n, 62);
	for (i = 1; i < n; i++)
		assert_true(idregs_reg_enc(i - 1) < idregs_reg_enc(i));
	for (i = 0; i < n; i++)
		assert_true(idregs_space_index(idregs_reg_enc(i)) >= 0);
}

/* ---- validation of broken tables ---- */

/* one policy row shared by every release */
static const uint8_t fake_row_of[IDREGS_NR_RELEASES];
static const struct idregs_reg_rel fake_rows[1] = { { .mask = 0xf0 } };

/*
 * A small database the tests copy and break: two registers, ISAR0-like
 * (two fields, one op on its own field) and CTR-like (one field).
 */
struct fake {
	struct idregs_reg_desc regs[2];
	struct idregs_field_desc fields[4];
	struct idregs_enum_desc enums[2];
	struct idregs_op_desc ops[2];
	struct idregs_midr_desc identity[2];
	struct idregs_regdb db;
};

static void fake_init(struct fake *f)
{
	memset(f, 0, sizeof(*f));
	f->regs[0] = (struct idregs_reg_desc){
		.name = "FAKE0", .enc = IDREGS_ENC(3, 0, 0, 6, 0),
		.rows = fake_rows, .nr_rows = 1, .row_of = fake_row_of,
		.first_field = 0, .nr_fields = 2, .first_op = 0, .nr_ops = 1,
	};
	f->regs[1] = (struct idregs_reg_desc){
		.name = "FAKE1", .enc = IDREGS_ENC(3, 3, 0, 0, 1),
		.rows = fake_rows, .nr_rows = 1, .row_of = fake_row_of,
		.first_field = 2, .nr_fields = 2, .first_op = 1, .nr_ops = 1,
	};
	f->fields[0] = (struct idregs_field_desc){
		.name = "A", .shift = 4, .width = 4, .host_rule = IDREGS_RULE_LOWER,
		.first_enum = 0, .nr_enums = 2,
	};
	f->fields[1] = (struct idregs_field_desc){
		.name = "B", .shift = 60, .width = 4, .host_rule = IDREGS_RULE_LOWER,
	};
	f->fields[2] = (struct idregs_field_desc){
		.name = "C", .shift = 0, .width = 32,
	};
	f->fields[3] = (struct idregs_field_desc){
		.name = "D", .shift = 32, .width = 32,
	};
	f->enums[0] = (struct idregs_enum_desc){ 0, "NI" };
	f->enums[1] = (struct idregs_enum_desc){ 1, "IMP" };
	f->ops[0] = (struct idregs_op_desc){
		.releases = { { ~0ULL } }, .kind = IDREGS_OP_CHECK, .op = IDREGS_OP_MIN,
		.field = 0, .a = 1,
	};
	f->ops[1] = (struct idregs_op_desc){
		.releases = { { ~0ULL } }, .kind = IDREGS_OP_LIMIT, .op = IDREGS_OP_ZERO,
		.field = IDREGS_NO_FIELD, .a = 0xf,
	};
	f->identity[0] = (struct idregs_midr_desc){
		IDREGS_COND_SPECTRE_V2_SAFE, 0x41, 0xd0c, "Neoverse-N1" };
	f->identity[1] = (struct idregs_midr_desc){
		IDREGS_COND_MELTDOWN_SAFE, 0x41, 0xd08, "Cortex-A72" };
	f->db = (struct idregs_regdb){
		.releases = idregs_regdb_generated.releases,
		.nr_releases = idregs_regdb_generated.nr_releases,
		.regs = f->regs, .nr_regs = 2,
		.fields = f->fields, .nr_fields = 4,
		.enums = f->enums, .nr_enums = 2,
		.ops = f->ops, .nr_ops = 2,
		.identity = f->identity, .nr_identity = 2,
	};
}

static void expect_valid(const struct fake *f)
{
	const char *why = NULL;
	int ret = idregs_regdb_validate(&f->db, &why);

	if (ret)
		fail_msg("good table refused: %s", why ? why : "(no reason)");
}

static void expect_invalid(const struct fake *f, const char *what)
{
	const char *why = NULL;

	if (idregs_regdb_validate(&f->db, &why) != -EINVAL)
		fail_msg("broken table accepted: %s", what);
	if (!why || !*why)
		fail_msg("broken table (%s) refused without a reason", what);
}

static void test_validate_good(void **state)
{
	struct fake f;

	(void)state;
	fake_init(&f);
	expect_valid(&f);

	/* boundary cases that are fine: a 64-bit field, a field at 63:60 */
	fake_init(&f);
	f.regs[1].nr_fields = 1;
	f.fields[2].width = 64;
	expect_valid(&f);

	/* a register without fields or ops, and no identity list */
	fake_init(&f);
	f.regs[1].nr_fields = 0;
	f.regs[1].nr_ops = 0;
	f.db.nr_identity = 0;
	expect_valid(&f);

	/* an op that needs no field (ZERO/KEEP/ZERO_UNLESS) takes NO_FIELD */
	fake_init(&f);
	f.ops[1].op = IDREGS_OP_KEEP;
	expect_valid(&f);
	f.ops[1].op = IDREGS_OP_ZERO_UNLESS;
	f.ops[1].cond = IDREGS_COND_SVE;
	expect_valid(&f);

	/* an op on the register's own second field */
	fake_init(&f);
	f.ops[1].op = IDREGS_OP_CAP;
	f.ops[1].field = 3;
	expect_valid(&f);
}

static void test_validate_unsorted(void **state)
{
	struct fake f;

	(void)state;
	fake_init(&f);
	f.regs[0].enc = IDREGS_ENC(3, 3, 0, 0, 2);	/* after FAKE1 */
	expect_invalid(&f, "registers not sorted");

	fake_init(&f);
	f.regs[0].enc = f.regs[1].enc;
	expect_invalid(&f, "two registers with one encoding");
}

static void test_validate_field_bounds(void **state)
{
	struct fake f;

	(void)state;
	fake_init(&f);
	f.fields[1].shift = 62;		/* 65:62 */
	expect_invalid(&f, "field beyond bit 63 (shift 62 width 4)");

	fake_init(&f);
	f.fields[2].shift = 1;
	f.fields[2].width = 64;
	f.regs[1].nr_fields = 1;
	expect_invalid(&f, "64-bit field at shift 1");

	fake_init(&f);
	f.fields[0].width = 0;
	expect_invalid(&f, "field of width 0");
}

static void test_validate_overlap(void **state)
{
	struct fake f;

	(void)state;
	fake_init(&f);
	f.fields[1].shift = 6;		/* 9:6 overlaps A at 7:4 */
	expect_invalid(&f, "overlapping fields");

	fake_init(&f);
	f.fields[3].shift = 31;		/* D 62:31 overlaps C at 31:0 */
	expect_invalid(&f, "overlapping fields (one bit)");

	fake_init(&f);
	f.fields[1].shift = 4;		/* identical position */
	expect_invalid(&f, "two fields at the same bits");
}

static void test_validate_indices(void **state)
{
	struct fake f;

	(void)state;
	fake_init(&f);
	f.regs[1].nr_fields = 3;	/* 2..4, only 4 fields */
	expect_invalid(&f, "field index out of range");

	fake_init(&f);
	f.regs[1].first_field = 4;
	f.regs[1].nr_fields = 1;
	expect_invalid(&f, "first field past the end");

	fake_init(&f);
	f.fields[0].first_enum = 1;	/* 1..2, only 2 enums */
	expect_invalid(&f, "enum index out of range");

	fake_init(&f);
	f.regs[1].nr_ops = 2;		/* 1..2, only 2 ops */
	expect_invalid(&f, "op index out of range");

	fake_init(&f);
	f.ops[0].field = 9;		/* beyond the whole field table */
	expect_invalid(&f, "op field index beyond the table");

	fake_init(&f);
	f.ops[0].field = IDREGS_NO_FIELD;	/* MIN needs a field */
	expect_invalid(&f, "field op without a field");
}

static void test_validate_foreign_field(void **state)
{
	struct fake f;

	(void)state;
	fake_init(&f);
	f.ops[0].field = 2;		/* FAKE1's field C, op of FAKE0 */
	expect_invalid(&f, "op naming another register's field");

	fake_init(&f);
	f.ops[1].op = IDREGS_OP_SET_IF;
	f.ops[1].field = 1;		/* FAKE0's field B, op of FAKE1 */
	expect_invalid(&f, "op naming an earlier register's field");
}

static void test_validate_unknown_op(void **state)
{
	struct fake f;

	(void)state;
	fake_init(&f);
	f.ops[1].op = IDREGS_OP_MTE_FRAC + 1;
	expect_invalid(&f, "unknown operation");

	fake_init(&f);
	f.ops[1].cond = IDREGS_COND_COUNT;
	expect_invalid(&f, "unknown condition");
}

static void test_validate_identity(void **state)
{
	struct fake f;

	(void)state;
	fake_init(&f);
	f.identity[1].list = IDREGS_COND_SVE;
	expect_invalid(&f, "unknown identity list (sve)");

	fake_init(&f);
	f.identity[0].list = IDREGS_COND_NONE;
	expect_invalid(&f, "unknown identity list (none)");

	fake_init(&f);
	f.identity[0].list = 0xff;
	expect_invalid(&f, "unknown identity list (0xff)");
}

static void test_validate_misc(void **state)
{
	struct fake f;

	(void)state;
	fake_init(&f);
	f.db.nr_releases = 0;
	expect_invalid(&f, "no kernel releases");

	fake_init(&f);
	f.db.nr_releases = IDREGS_NR_RELEASES + 1;
	expect_invalid(&f, "more kernel releases than the generated tables hold");

	fake_init(&f);
	f.db.nr_releases = 2;
	f.db.releases = (const struct idregs_release[]){
		idregs_regdb_generated.releases[1], idregs_regdb_generated.releases[0] };
	expect_invalid(&f, "releases out of order");

	fake_init(&f);
	f.regs[1].name = NULL;
	expect_invalid(&f, "register without a name");

	fake_init(&f);
	f.regs[0].name = "";
	expect_invalid(&f, "register with an empty name");
}

/* ---- names ---- */

static void expect_lookup(const char *name, uint16_t want)
{
	uint16_t enc = 0xdead;
	int ret = idregs_reg_lookup(name, &enc);

	if (ret)
		fail_msg("lookup of \"%s\" failed: %d", name, ret);
	if (enc != want)
		fail_msg("lookup of \"%s\": 0x%x, want 0x%x", name, enc, want);
}

static void expect_no_lookup(const char *name)
{
	uint16_t enc = 0;
	int ret = idregs_reg_lookup(name, &enc);

	if (ret != -EINVAL)
		fail_msg("lookup of junk \"%s\" gave %d (enc 0x%x), want -EINVAL",
			 name, ret, enc);
}

static void test_lookup(void **state)
{
	const uint16_t pfr0 = IDREGS_ENC(3, 0, 0, 4, 0);

	(void)state;
	expect_lookup("ID_AA64PFR0_EL1", pfr0);
	expect_lookup("id_aa64pfr0_el1", pfr0);
	expect_lookup("Id_Aa64Pfr0_El1", pfr0);
	expect_lookup("MIDR_EL1", IDREGS_ENC(3, 0, 0, 0, 0));
	expect_lookup("mpidr_el1", IDREGS_ENC(3, 0, 0, 0, 5));
	expect_lookup("CTR_EL0", IDREGS_ENC(3, 3, 0, 0, 1));
	expect_lookup("clidr_el1", IDREGS_ENC(3, 1, 0, 0, 1));
	expect_lookup("AIDR_EL1", IDREGS_ENC(3, 1, 0, 0, 7));
	expect_lookup("ID_AA64ISAR0_EL1", IDREGS_ENC(3, 0, 0, 6, 0));
	expect_lookup("MVFR2_EL1", IDREGS_ENC(3, 0, 0, 3, 2));
	/* generic and dotted */
	expect_lookup("S3_0_C0_C4_0", pfr0);
	expect_lookup("3.0.0.4.0", pfr0);
	expect_lookup("S3_3_C0_C0_1", IDREGS_ENC(3, 3, 0, 0, 1));
	expect_lookup("3.3.0.0.1", IDREGS_ENC(3, 3, 0, 0, 1));
	/* unallocated slots and encodings outside the feature-ID space */
	expect_lookup("S3_0_C0_C3_3", IDREGS_ENC(3, 0, 0, 3, 3));
	expect_lookup("3.0.0.5.2", IDREGS_ENC(3, 0, 0, 5, 2));
	expect_lookup("S3_0_C1_C0_0", IDREGS_ENC(3, 0, 1, 0, 0));	/* SCTLR_EL1 */
	expect_lookup("3.0.1.0.0", IDREGS_ENC(3, 0, 1, 0, 0));
	expect_lookup("2.0.0.0.0", IDREGS_ENC(2, 0, 0, 0, 0));
	expect_lookup("ccsidr_el1", IDREGS_ENC(3, 1, 0, 0, 0));
	expect_lookup("DCZID_EL0", IDREGS_ENC(3, 3, 0, 0, 7));
	expect_lookup("ID_AA64DFR2_EL1", IDREGS_ENC(3, 0, 0, 5, 2));
	expect_lookup("3.7.15.15.7", IDREGS_ENC(3, 7, 15, 15, 7));
}

static void test_lookup_junk(void **state)
{
	(void)state;
	expect_no_lookup("");
	expect_no_lookup("FOO");
	expect_no_lookup("ID_AA64PFR0_EL2");
	expect_no_lookup("ID_AA64PFR0_EL1 ");
	expect_no_lookup("3.0.0.4");
	expect_no_lookup("3.0.0.4.0.0");
	expect_no_lookup("3.0.0.4.0x");
	expect_no_lookup("3.0.0.4.0 ");
	expect_no_lookup("3.9.0.0.0");	/* op1 > 7 */
	expect_no_lookup("4.0.0.0.0");	/* op0 > 3 */
	expect_no_lookup("3.0.16.0.0");	/* CRn > 15 */
	expect_no_lookup("3.0.0.16.0");	/* CRm > 15 */
	expect_no_lookup("3.0.0.0.8");	/* op2 > 7 */
	expect_no_lookup(" 3.0.0.4.0");
	expect_no_lookup("S3_0_C0_C4");
	expect_no_lookup("S3_0_C0_C4_8");
	expect_no_lookup("S3_0_C0_C4_0_1");
	expect_no_lookup("S3_0_C0_4_0");
	expect_no_lookup("S+3_0_C0_C4_0");
	expect_no_lookup("S4_0_C0_C0_0");
}

/*
 * Dotted and generic names are decimal numbers (docs/sim.md: "a dotted
 * `op0.op1.crn.crm.op2` in decimal"). Signs, embedded blanks and numbers
 * that only fit after wrapping at 32 bits are not; the last would alias
 * another register (3.0.0.4294967300.0 is not 3.0.0.4.0).
 */
static void test_lookup_not_decimal(void **state)
{
	static const char *const junk[] = {
		"3.0.0.4294967300.0",		/* wraps to 3.0.0.4.0 */
		"S3_0_C0_C4294967300_0",	/* wraps to S3_0_C0_C4_0 */
		"3.0.0.4.-0",
		"3.0.0.4.+0",
		"3. 0.0.4.0",
		"S3_0_C0_C4_-0",
		"S3_0_C 0_C4_0",
	};
	unsigned int i, bad = 0;

	(void)state;
	for (i = 0; i < sizeof(junk) / sizeof(junk[0]); i++) {
		uint16_t enc = 0;
		int ret = idregs_reg_lookup(junk[i], &enc);

		if (ret != -EINVAL) {
			print_message("lookup of \"%s\" gave %d (enc 0x%x), want -EINVAL\n",
				      junk[i], ret, enc);
			bad++;
		}
	}
	if (bad)
		fail_msg("%u non-decimal names accepted", bad);
}

static void test_reg_name(void **state)
{
	char buf[24];

	(void)state;
	assert_string_equal(idregs_reg_name(IDREGS_ENC(3, 0, 0, 0, 0), buf), "MIDR_EL1");
	assert_string_equal(idregs_reg_name(IDREGS_ENC(3, 0, 0, 4, 0), buf), "ID_AA64PFR0_EL1");
	assert_string_equal(idregs_reg_name(IDREGS_ENC(3, 3, 0, 0, 1), buf), "CTR_EL0");
	assert_string_equal(idregs_reg_name(IDREGS_ENC(3, 1, 0, 0, 1), buf), "CLIDR_EL1");
	/* unallocated CRm 1..7 slots: known, but generic names */
	assert_string_equal(idregs_reg_name(IDREGS_ENC(3, 0, 0, 3, 3), buf), "S3_0_C0_C3_3");
	assert_string_equal(idregs_reg_name(IDREGS_ENC(3, 0, 0, 3, 7), buf), "S3_0_C0_C3_7");
	assert_string_equal(idregs_reg_name(IDREGS_ENC(3, 0, 0, 4, 3), buf), "S3_0_C0_C4_3");
	assert_string_equal(idregs_reg_name(IDREGS_ENC(3, 0, 0, 5, 3), buf), "S3_0_C0_C5_3");
	/* architecturally named although KVM keeps the slot RAZ (regs.db) */
	assert_string_equal(idregs_reg_name(IDREGS_ENC(3, 0, 0, 5, 2), buf), "ID_AA64DFR2_EL1");
	assert_string_equal(idregs_reg_name(IDREGS_ENC(3, 0, 0, 7, 7), buf), "S3_0_C0_C7_7");
	assert_true(idregs_reg_known(IDREGS_ENC(3, 0, 0, 3, 3)));
	assert_true(idregs_reg_known(IDREGS_ENC(3, 0, 0, 7, 7)));
	/* no descriptor at all: generic name, not known */
	assert_string_equal(idregs_reg_name(IDREGS_ENC(3, 0, 0, 0, 1), buf), "S3_0_C0_C0_1");
	assert_false(idregs_reg_known(IDREGS_ENC(3, 0, 0, 0, 1)));
	assert_string_equal(idregs_reg_name(IDREGS_ENC(3, 1, 0, 0, 3), buf), "S3_1_C0_C0_3");
	assert_false(idregs_reg_known(IDREGS_ENC(3, 1, 0, 0, 3)));
	assert_string_equal(idregs_reg_name(IDREGS_ENC(3, 3, 0, 0, 0), buf), "S3_3_C0_C0_0");
	/* architectural names without a KVM descriptor (regs.db "name"):
	 * named, but not part of the register file */
	assert_string_equal(idregs_reg_name(IDREGS_ENC(3, 1, 0, 0, 0), buf), "CCSIDR_EL1");
	assert_false(idregs_reg_known(IDREGS_ENC(3, 1, 0, 0, 0)));
	assert_string_equal(idregs_reg_name(IDREGS_ENC(3, 3, 0, 0, 7), buf), "DCZID_EL0");
	assert_false(idregs_reg_known(IDREGS_ENC(3, 3, 0, 0, 7)));
	assert_string_equal(idregs_reg_name(IDREGS_ENC(3, 0, 1, 0, 0), buf), "S3_0_C1_C0_0");
	assert_false(idregs_reg_known(IDREGS_ENC(3, 0, 1, 0, 0)));
	assert_string_equal(idregs_reg_name(IDREGS_ENC(3, 7, 15, 15, 7), buf), "S3_7_C15_C15_7");
	/* a generic name round-trips through the lookup */
	{
		uint16_t enc = 0;

		assert_int_equal(idregs_reg_lookup(
			idregs_reg_name(IDREGS_ENC(3, 0, 0, 5, 6), buf), &enc), 0);
		assert_int_equal(enc, IDREGS_ENC(3, 0, 0, 5, 6));
	}
	/* every named register's name looks back up to itself */
	for (unsigned int i = 0; i < idregs_reg_count(); i++) {
		uint16_t e = idregs_reg_enc(i), back = 0;

		assert_int_equal(idregs_reg_lookup(idregs_reg_name(e, buf), &back), 0);
		assert_int_equal(back, e);
	}
}

/* ---- the feature-ID space index ---- */

static void test_space_index(void **state)
{
	unsigned int i, op1, crm, op2;

	(void)state;
	for (i = 0; i < IDREGS_SPACE_SIZE; i++) {
		uint16_t enc = idregs_space_enc(i);

		assert_int_equal(IDREGS_ENC_OP0(enc), 3);
		assert_int_equal(IDREGS_ENC_CRN(enc), 0);
		assert_int_equal(idregs_space_index(enc), (int)i);
	}
	/* docs/kvm-model.md, Space index: op1 0 -> 0..63, op1 1 -> 64..127,
	 * op1 3 -> 128..191 */
	assert_int_equal(idregs_space_enc(0), IDREGS_ENC(3, 0, 0, 0, 0));
	assert_int_equal(idregs_space_enc(63), IDREGS_ENC(3, 0, 0, 7, 7));
	assert_int_equal(idregs_space_enc(64), IDREGS_ENC(3, 1, 0, 0, 0));
	assert_int_equal(idregs_space_enc(128), IDREGS_ENC(3, 3, 0, 0, 0));
	assert_int_equal(idregs_space_enc(191), IDREGS_ENC(3, 3, 0, 7, 7));
	for (op1 = 0; op1 < 8; op1++)
		for (crm = 0; crm < 16; crm++)
			for (op2 = 0; op2 < 8; op2++) {
				uint16_t enc = IDREGS_ENC(3, op1, 0, crm, op2);
				bool in = (op1 == 0 || op1 == 1 || op1 == 3) && crm < 8;

				if (in)
					assert_int_equal(idregs_space_index(enc),
						(op1 == 3 ? 2 : op1) << 6 | crm << 3 | op2);
				else
					assert_int_equal(idregs_space_index(enc), -1);
			}
	assert_int_equal(idregs_space_index(IDREGS_ENC(2, 0, 0, 0, 0)), -1);
	assert_int_equal(idregs_space_index(IDREGS_ENC(1, 0, 0, 4, 0)), -1);
	assert_int_equal(idregs_space_index(IDREGS_ENC(0, 0, 0, 0, 0)), -1);
	assert_int_equal(idregs_space_index(IDREGS_ENC(3, 0, 1, 0, 0)), -1);
	assert_int_equal(idregs_space_index(IDREGS_ENC(3, 0, 15, 4, 0)), -1);
}

/* ---- ONE_REG ids: the table of docs/kvm-model.md, ONE_REG ids ---- */

static void test_one_reg_ids(void **state)
{
	static const struct {
		const char *name;
		unsigned int op0, op1, crn, crm, op2;
		uint64_t id;
		int index;
	} t[] = {
		{ "MIDR_EL1", 3, 0, 0, 0, 0, 0x603000000013C000ULL, 0 },
		{ "MPIDR_EL1", 3, 0, 0, 0, 5, 0x603000000013C005ULL, 5 },
		{ "REVIDR_EL1", 3, 0, 0, 0, 6, 0x603000000013C006ULL, 6 },
		{ "ID_PFR0_EL1", 3, 0, 0, 1, 0, 0x603000000013C008ULL, 8 },
		{ "ID_DFR0_EL1", 3, 0, 0, 1, 2, 0x603000000013C00AULL, 10 },
		{ "MVFR0_EL1", 3, 0, 0, 3, 0, 0x603000000013C018ULL, 24 },
		{ "ID_AA64PFR0_EL1", 3, 0, 0, 4, 0, 0x603000000013C020ULL, 32 },
		{ "ID_AA64PFR1_EL1", 3, 0, 0, 4, 1, 0x603000000013C021ULL, 33 },
		{ "ID_AA64ZFR0_EL1", 3, 0, 0, 4, 4, 0x603000000013C024ULL, 36 },
		{ "ID_AA64SMFR0_EL1", 3, 0, 0, 4, 5, 0x603000000013C025ULL, 37 },
		{ "ID_AA64DFR0_EL1", 3, 0, 0, 5, 0, 0x603000000013C028ULL, 40 },
		{ "ID_AA64ISAR0_EL1", 3, 0, 0, 6, 0, 0x603000000013C030ULL, 48 },
		{ "ID_AA64ISAR1_EL1", 3, 0, 0, 6, 1, 0x603000000013C031ULL, 49 },
		{ "ID_AA64ISAR2_EL1", 3, 0, 0, 6, 2, 0x603000000013C032ULL, 50 },
		{ "ID_AA64MMFR0_EL1", 3, 0, 0, 7, 0, 0x603000000013C038ULL, 56 },
		{ "ID_AA64MMFR1_EL1", 3, 0, 0, 7, 1, 0x603000000013C039ULL, 57 },
		{ "ID_AA64MMFR2_EL1", 3, 0, 0, 7, 2, 0x603000000013C03AULL, 58 },
		{ "CLIDR_EL1", 3, 1, 0, 0, 1, 0x603000000013C801ULL, 65 },
		{ "AIDR_EL1", 3, 1, 0, 0, 7, 0x603000000013C807ULL, 71 },
		{ "CTR_EL0", 3, 3, 0, 0, 1, 0x603000000013D801ULL, 129 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		uint16_t enc = IDREGS_ENC(t[i].op0, t[i].op1, t[i].crn, t[i].crm,
					  t[i].op2), looked = 0;

		if (idregs_sysreg_id(enc) != t[i].id)
			fail_msg("%s: id 0x%016llx, want 0x%016llx", t[i].name,
				 (unsigned long long)idregs_sysreg_id(enc),
				 (unsigned long long)t[i].id);
		assert_int_equal(idregs_reg_lookup(t[i].name, &looked), 0);
		assert_int_equal(looked, enc);
		assert_int_equal(idregs_space_index(enc), t[i].index);
		/* low 16 bits are the encoding; the rest is the fixed header */
		assert_int_equal(t[i].id & 0xffff, enc);
		assert_true((t[i].id & ~0xffffULL) == 0x6030000000130000ULL);
		assert_int_equal(IDREGS_ENC_OP0(enc), t[i].op0);
		assert_int_equal(IDREGS_ENC_OP1(enc), t[i].op1);
		assert_int_equal(IDREGS_ENC_CRN(enc), t[i].crn);
		assert_int_equal(IDREGS_ENC_CRM(enc), t[i].crm);
		assert_int_equal(IDREGS_ENC_OP2(enc), t[i].op2);
	}
	/* SYSREG() of testutil.h agrees */
	assert_true(SYSREG(3, 3, 0, 0, 1) == 0x603000000013D801ULL);
	/* SCTLR_EL1 (3,0,1,0,0), outside the space */
	assert_true(idregs_sysreg_id(IDREGS_ENC(3, 0, 1, 0, 0)) == 0x603000000013C080ULL);
}

/* ---- ESR_EL2 of a trapped MRS/MSR ---- */

static void test_esr(void **state)
{
	uint32_t esr;

	(void)state;
	/* MRS x0, MIDR_EL1 */
	esr = idregs_esr_sysreg(IDREGS_ENC(3, 0, 0, 0, 0), 0, true);
	assert_int_equal(esr, 0x62300001u);
	assert_int_equal(esr >> 26, 0x18);
	assert_true(esr & (1u << 25));	/* IL: 32-bit instruction */

	/* MRS x5, CTR_EL0: op0 3, op2 1, op1 3, CRn 0, Rt 5, CRm 0, read */
	esr = idregs_esr_sysreg(IDREGS_ENC(3, 3, 0, 0, 1), 5, true);
	assert_int_equal(esr, 0x6232C0A1u);

	/* MSR ID_AA64MMFR2_EL1, x30 (3,0,0,7,2): write, direction 0 */
	esr = idregs_esr_sysreg(IDREGS_ENC(3, 0, 0, 7, 2), 30, false);
	assert_int_equal(esr >> 26, 0x18);
	assert_int_equal((esr >> 20) & 3, 3);		/* Op0 21:20 */
	assert_int_equal((esr >> 17) & 7, 2);		/* Op2 19:17 */
	assert_int_equal((esr >> 14) & 7, 0);		/* Op1 16:14 */
	assert_int_equal((esr >> 10) & 15, 0);		/* CRn 13:10 */
	assert_int_equal((esr >> 5) & 31, 30);		/* Rt 9:5 */
	assert_int_equal((esr >> 1) & 15, 7);		/* CRm 4:1 */
	assert_int_equal(esr & 1, 0);			/* write */
	assert_int_equal(esr, 0x623403CEu);

	/* every field lands where it should, for odd values */
	esr = idregs_esr_sysreg(IDREGS_ENC(2, 5, 9, 13, 6), 17, true);
	assert_int_equal(esr >> 26, 0x18);
	assert_int_equal((esr >> 25) & 1, 1);
	assert_int_equal((esr >> 22) & 7, 0);		/* RES0 24:22 */
	assert_int_equal((esr >> 20) & 3, 2);
	assert_int_equal((esr >> 17) & 7, 6);
	assert_int_equal((esr >> 14) & 7, 5);
	assert_int_equal((esr >> 10) & 15, 9);
	assert_int_equal((esr >> 5) & 31, 17);
	assert_int_equal((esr >> 1) & 15, 13);
	assert_int_equal(esr & 1, 1);
	/* Rt is a 5-bit field (XZR is 31) */
	esr = idregs_esr_sysreg(IDREGS_ENC(3, 0, 0, 0, 0), 31, true);
	assert_int_equal((esr >> 5) & 31, 31);
	assert_int_equal(esr & ~(31u << 5), 0x62300001u);
}

/* ---- errno names ---- */

static void test_errno_name(void **state)
{
	(void)state;
	assert_string_equal(idregs_errno_name(-EINVAL), "EINVAL");
	assert_string_equal(idregs_errno_name(EINVAL), "EINVAL");
	assert_string_equal(idregs_errno_name(-ENOENT), "ENOENT");
	assert_string_equal(idregs_errno_name(-EBUSY), "EBUSY");
	assert_string_equal(idregs_errno_name(-EEXIST), "EEXIST");
	assert_string_equal(idregs_errno_name(-ENOEXEC), "ENOEXEC");
	assert_string_equal(idregs_errno_name(-EPERM), "EPERM");
	assert_string_equal(idregs_errno_name(-EFAULT), "EFAULT");
	assert_string_equal(idregs_errno_name(-E2BIG), "E2BIG");
	assert_string_equal(idregs_errno_name(-ENOMEM), "ENOMEM");
	assert_string_equal(idregs_errno_name(-ENXIO), "ENXIO");
	assert_string_equal(idregs_errno_name(-ENODEV), "ENODEV");
	assert_string_equal(idregs_errno_name(-EOPNOTSUPP), "EOPNOTSUPP");
	assert_string_equal(idregs_errno_name(0), "0");
	assert_null(idregs_errno_name(-4095));
	assert_null(idregs_errno_name(9999));
}

/* ---- kernel releases ---- */

/* Kernel version strings as people have them, and the release each names:
 * the newest release at or below the version; a bare series its newest. */
static const struct {
	const char *version;
	const char *release;	/* NULL: refused with err */
	int err;
} kernel_strings[] = {
	{ "5.10", "5.10.105", 0 },		/* the newest of the series */
	{ "5.10.0", "5.10", 0 },
	{ "5.10.41", "5.10", 0 },
	{ "5.10.104", "5.10.42", 0 },
	{ "5.10.105", "5.10.105", 0 },
	{ "5.10.0-32-arm64", "5.10.105", 0 },	/* Debian ABI 32: 5.10.223 */
	{ "5.10.0-12-arm64", "5.10", 0 },	/* before ABI 13 (5.10.106) */
	{ "5.10.230-223.885.amzn2.aarch64", "5.10.105", 0 },
	{ "5.15.0-91-generic", "5.15.28", 0 },	/* ABI unknown: the newest */
	{ "6.1", "6.1", 0 },
	{ "6.1.0-50-arm64", "6.1", 0 },
	{ "6.1.192", "6.1", 0 },
	{ "6.6.66", "6.6", 0 },
	{ "6.6.67", "6.6.67", 0 },
	{ "6.8.0-45-generic", "6.8", 0 },
	{ "6.12", "6.12.91", 0 },
	{ "6.12.0", "6.12", 0 },
	{ "6.12.6", "6.12.6", 0 },
	{ "6.12.7", "6.12.7", 0 },
	{ "6.12.48", "6.12.7", 0 },
	{ "6.12.60", "6.12.60", 0 },
	{ "6.12.90", "6.12.60", 0 },
	{ "6.12.91", "6.12.91", 0 },
	{ "6.12.117+deb12-arm64", "6.12.91", 0 },
	{ "6.12.0-31-arm64", "6.12.91", 0 },
	{ "6.12.0-rc5", "6.12", 0 },
	{ "6.13.2", "6.13", 0 },
	{ "6.18.15+deb13-arm64", "6.18", 0 },
	{ "7.3", "7.3", 0 },
	{ "7.3.4+deb13-arm64", "7.3", 0 },
	{ "7.3.99", "7.3", 0 },
	{ "4.19", NULL, -ERANGE },
	{ "5.9.16", NULL, -ERANGE },
	{ "7.4", NULL, -ERANGE },
	{ "9.0", NULL, -ERANGE },
	{ "6.120", NULL, -ERANGE },
	{ "7", NULL, -EINVAL },
	{ "7.3 ", NULL, -EINVAL },
	{ "v7.3", NULL, -EINVAL },
	{ "7.3-", NULL, -EINVAL },
	{ "7.3x", NULL, -EINVAL },
	{ "7.3.", NULL, -EINVAL },
	{ "", NULL, -EINVAL },
	{ "latest", NULL, -EINVAL },
	{ "99999999.1", NULL, -EINVAL },
};

static void test_kernel_parse(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(kernel_strings) / sizeof(kernel_strings[0]); i++) {
		int k = idregs_kernel_parse(kernel_strings[i].version);

		if (!kernel_strings[i].release) {
			if (k != kernel_strings[i].err)
				fail_msg("'%s': %d, want %d", kernel_strings[i].version, k,
					 kernel_strings[i].err);
			continue;
		}
		if (k < 0)
			fail_msg("'%s' refused (%d)", kernel_strings[i].version, k);
		if (strcmp(idregs_kernel_name((unsigned int)k), kernel_strings[i].release))
			fail_msg("'%s' is %s, want %s", kernel_strings[i].version,
				 idregs_kernel_name((unsigned int)k), kernel_strings[i].release);
	}
	assert_int_equal(idregs_kernel_parse(NULL), -EINVAL);
}

/* Every series from 5.10 to 7.3 is known, oldest first; the default is the
 * newest; each release's own name parses back to it. */
static void test_kernel_catalogue(void **state)
{
	static const unsigned int series[][2] = {
		{ 5, 10 }, { 5, 19 }, { 6, 0 }, { 6, 19 }, { 7, 0 }, { 7, 3 } };
	struct idregs_release_info a, b;
	unsigned int i, n = idregs_kernel_count();
	char buf[16];

	(void)state;
	assert_true(n >= 34);
	assert_int_equal(idregs_kernel_default(), n - 1);
	assert_null(idregs_kernel_name(n));
	assert_int_equal(idregs_kernel_info(n, &a), -EINVAL);
	for (i = 0; i < n; i++) {
		assert_int_equal(idregs_kernel_info(i, &b), 0);
		/* X.Y.Z names its own release (a bare series names its newest) */
		snprintf(buf, sizeof(buf), "%u.%u.%u", b.major, b.minor, b.patch);
		assert_int_equal(idregs_kernel_parse(buf), (int)i);
		assert_string_equal(b.name, idregs_kernel_name(i));
		assert_true(b.nr_changes > 0);
		assert_non_null(idregs_kernel_change(i, b.nr_changes - 1));
		assert_null(idregs_kernel_change(i, b.nr_changes));
		if (i) {
			assert_true(a.major < b.major || (a.major == b.major &&
				    (a.minor < b.minor || (a.minor == b.minor && a.patch < b.patch))));
			/* a series' first release is its X.Y.0 */
			assert_true(b.point == (a.major == b.major && a.minor == b.minor));
		}
		a = b;
	}
	for (i = 0; i < sizeof(series) / sizeof(series[0]); i++) {
		snprintf(buf, sizeof(buf), "%u.%u.0", series[i][0], series[i][1]);
		assert_true(idregs_kernel_parse(buf) >= 0);
	}
}

/* The releases check-kvm verifies say against which kernel build. */
static void test_kernel_verified(void **state)
{
	static const char *const verified[] = { "5.10", "6.1", "6.12", "6.18", "7.3" };
	struct idregs_release_info info;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(verified) / sizeof(verified[0]); i++) {
		int k = idregs_kernel_parse(verified[i]);

		assert_true(k >= 0);
		assert_int_equal(idregs_kernel_info((unsigned int)k, &info), 0);
		if (!info.verified)
			fail_msg("%s (%s) is not verified", verified[i], info.name);
	}
	/* not in Debian: modelled from the kernel's history */
	assert_int_equal(idregs_kernel_info((unsigned int)idregs_kernel_parse("6.8"), &info), 0);
	assert_null(info.verified);
}

/* ---- field metadata, as the database states it ---- */

/* a release index by version */
static unsigned int K(const char *version)
{
	int k = idregs_kernel_parse(version);

	if (k < 0)
		fail_msg("release %s unknown", version);
	return (unsigned int)k;
}

/*
 * Writable masks by release: {since, mask} steps per register, from what
 * real kernels report (5.10.223, 6.1.192, 6.12.118, 6.16.12, 6.17.13,
 * 6.18.15, 6.19.14, 7.0.13, 7.1.13, 7.2.12, 7.3.4 under QEMU) and, for the
 * releases Debian does not ship, the masks computed from each tree's
 * descriptors. Every mainline series is checked against the step in force;
 * before 6.7 there is no masks ioctl, so the steps start there. Point
 * releases are checked separately (the backports).
 */
struct mask_step {
	const char *since;
	uint64_t mask;
};

static const struct {
	const char *reg;
	struct mask_step steps[6];
} mask_history[] = {
	{ "ID_AA64PFR0_EL1", { { "5.10", 0x0f00000000000000ULL }, { "5.11", 0xff00000000000000ULL },
			       { "6.7", 0xffff00f00000ffffULL }, { "6.12", 0xffff00f00f00ffffULL },
			       { "6.17", 0xffff00f0ff00ffffULL } } },
	{ "ID_AA64PFR1_EL1", { { "5.10", 0 }, { "6.12", 0x0000000f000000ffULL },
			       { "6.17", 0x0f00000f0000f0ffULL } } },
	{ "ID_AA64PFR2_EL1", { { "5.10", 0 }, { "6.9", 0x0000000f00000000ULL },
			       { "6.17", 0x0000000f00000ff0ULL }, { "7.1", 0x0000000f0000fff0ULL } } },
	{ "ID_AA64ZFR0_EL1", { { "5.10", 0 }, { "6.7", 0x0ff0ff0f0fff00ffULL },
			       { "6.14", 0x0fffff0f0ffff0ffULL } } },
	{ "ID_AA64FPFR0_EL1", { { "5.10", 0 }, { "6.9", 0x00000000f0000003ULL },
				{ "6.14", 0x00000000fc000003ULL }, { "7.1", 0x00000000fc0080ffULL } } },
	{ "ID_AA64DFR0_EL1", { { "5.10", 0 }, { "6.5", 0x0000000000000f00ULL },
			       { "6.7", 0x0000000000000f0fULL }, { "6.12", 0x000000f000f00f0fULL } } },
	{ "ID_AA64ISAR0_EL1", { { "5.10", 0 }, { "6.7", 0xfffffffffffffff0ULL },
				{ "7.0", 0xfffffffff0fffff0ULL } } },
	{ "ID_AA64ISAR1_EL1", { { "5.10", 0 }, { "6.7", 0xffffffff00fff00fULL } } },
	{ "ID_AA64ISAR2_EL1", { { "5.10", 0 }, { "6.7", 0xffff0fffffff00ffULL },
				{ "6.14", 0xffffffffffff00ffULL } } },
	{ "ID_AA64ISAR3_EL1", { { "5.10", 0 }, { "6.14", 0x00000000f00000f0ULL },
				{ "6.18", 0x00000000f00f00f0ULL }, { "7.1", 0x00000000ff0f00f0ULL } } },
	{ "ID_AA64MMFR0_EL1", { { "5.10", 0 }, { "6.7", 0xff00f000ffffffffULL },
				{ "6.13", 0xff00f000ffffff0fULL }, { "6.15", 0xff00ffffffffff0fULL } } },
	{ "ID_AA64MMFR1_EL1", { { "5.10", 0 }, { "6.7", 0xfffff0f00ffff00fULL },
				{ "6.18", 0xffffffff0ffff00fULL } } },
	{ "ID_AA64MMFR2_EL1", { { "5.10", 0 }, { "6.7", 0xf0ff000ff00fffffULL } } },
	{ "ID_AA64MMFR3_EL1", { { "5.10", 0 }, { "6.12", 0x00000000000f0f0fULL },
				{ "6.17", 0x00000000000f0fffULL } } },
	{ "ID_AA64MMFR4_EL1", { { "5.10", 0 }, { "6.15", 0x0000000000f00000ULL } } },
	{ "ID_DFR0_EL1", { { "5.10", 0 }, { "6.5", 0x000000000f000000ULL },
			   { "6.7", 0x000000000f00000fULL }, { "6.18", 0x00000000ffffffffULL } } },
	{ "ID_ISAR0_EL1", { { "5.10", 0 }, { "6.18", 0x00000000ffffffffULL } } },
	{ "CLIDR_EL1", { { "5.10", 0 }, { "6.7", ~0ULL }, { "6.11", 0x00007fffffffffffULL } } },
	{ "CTR_EL0", { { "5.10", 0 }, { "6.11", 0x00000000300f000fULL },
		       { "6.13", 0x00000000300fc00fULL } } },
	{ "MIDR_EL1", { { "5.10", 0 }, { "6.15", 0x00000000ffffffffULL } } },
	{ "REVIDR_EL1", { { "5.10", 0 }, { "6.15", ~0ULL } } },
};

/* the step in force for a mainline series */
static uint64_t mask_at(const struct mask_step *steps, struct idregs_release_info *rel)
{
	uint64_t mask = 0;
	size_t i;

	for (i = 0; i < 6 && steps[i].since; i++) {
		unsigned int major, minor;

		assert_int_equal(sscanf(steps[i].since, "%u.%u", &major, &minor), 2);
		if (major < rel->major || (major == rel->major && minor <= rel->minor))
			mask = steps[i].mask;
	}
	return mask;
}

static void test_mask_history(void **state)
{
	unsigned int k, checked = 0;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(mask_history) / sizeof(mask_history[0]); i++) {
		uint16_t enc;

		assert_int_equal(idregs_reg_lookup(mask_history[i].reg, &enc), 0);
		for (k = 0; k < idregs_kernel_count(); k++) {
			struct idregs_release_info rel;
			uint64_t want;

			assert_int_equal(idregs_kernel_info(k, &rel), 0);
			if (rel.point)
				continue;
			want = mask_at(mask_history[i].steps, &rel);
			if (idregs_reg_kvm_mask(enc, k) != want)
				fail_msg("%s under %s: mask 0x%016llx, want 0x%016llx",
					 mask_history[i].reg, rel.name,
					 (unsigned long long)idregs_reg_kvm_mask(enc, k),
					 (unsigned long long)want);
			checked++;
		}
	}
	assert_true(checked > 600);
}

/* The stable backports that changed masks inside a series. */
static void test_mask_backports(void **state)
{
	static const struct {
		const char *version, *reg;
		uint64_t mask;
	} cases[] = {
		{ "6.12.6", "ID_AA64MMFR0_EL1", 0xff00f000ffffffffULL },
		{ "6.12.7", "ID_AA64MMFR0_EL1", 0xff00f000ffffff0fULL },
		{ "6.12.59", "ID_ISAR0_EL1", 0 },
		{ "6.12.59", "ID_DFR0_EL1", 0x0f00000fULL },
		{ "6.12.60", "ID_ISAR0_EL1", 0xffffffffULL },
		{ "6.12.118", "ID_DFR0_EL1", 0xffffffffULL },
		{ "6.17.8", "MVFR0_EL1", 0 },
		{ "6.17.9", "MVFR0_EL1", 0xffffffffULL },
		{ "6.16.12", "ID_PFR0_EL1", 0 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint16_t enc;
		int k = idregs_kernel_parse(cases[i].version);

		assert_true(k >= 0);
		assert_int_equal(idregs_reg_lookup(cases[i].reg, &enc), 0);
		if (idregs_reg_kvm_mask(enc, (unsigned int)k) != cases[i].mask)
			fail_msg("%s under %s: mask 0x%016llx, want 0x%016llx", cases[i].reg,
				 cases[i].version,
				 (unsigned long long)idregs_reg_kvm_mask(enc, (unsigned int)k),
				 (unsigned long long)cases[i].mask);
	}
}

static void test_field_info(void **state)
{
	uint16_t pfr0 = IDREGS_ENC(3, 0, 0, 4, 0), ctr = IDREGS_ENC(3, 3, 0, 0, 1);
	struct idregs_field_info f;
	unsigned int i, n;
	bool seen_fp = false, seen_l1ip = false;

	(void)state;
	n = idregs_reg_field_count(pfr0);
	assert_true(n > 0);
	for (i = 0; i < n; i++) {
		assert_int_equal(idregs_reg_field(pfr0, i, &f), 0);
		if (!strcmp(f.name, "FP")) {
			seen_fp = true;
			assert_int_equal(f.shift, 16);
			assert_int_equal(f.width, 4);
			assert_true(f.is_signed);
			assert_string_equal(f.host_rule, "lower-safe");
			assert_int_equal(f.safe, 0xf);
			assert_true(f.strict);
			assert_true(f.el0_visible);
		}
	}
	assert_true(seen_fp);
	assert_int_equal(idregs_reg_field(pfr0, n, &f), -ENOENT);
	for (i = 0; i < idregs_reg_field_count(ctr); i++) {
		assert_int_equal(idregs_reg_field(ctr, i, &f), 0);
		if (!strcmp(f.name, "L1Ip")) {
			seen_l1ip = true;
			assert_int_equal(f.shift, 14);
			assert_int_equal(f.width, 2);
			assert_string_equal(f.host_rule, "exact");
			assert_int_equal(f.safe, 2);
			assert_false(f.strict);
			assert_string_equal(idregs_field_value_name(ctr, i, 2), "VIPT");
			assert_null(idregs_field_value_name(ctr, i, 7));
		}
	}
	assert_true(seen_l1ip);
	/* no descriptor, no fields */
	assert_int_equal(idregs_reg_field_count(IDREGS_ENC(3, 0, 1, 0, 0)), 0);
	assert_int_equal(idregs_reg_field(IDREGS_ENC(3, 0, 1, 0, 0), 0, &f), -ENOENT);
	/* masks per release (as real 6.12.118 and 7.3.4 report them) */
	assert_true(idregs_reg_kvm_mask(ctr, K("6.12")) == 0x00000000300f000fULL);
	assert_true(idregs_reg_kvm_mask(ctr, K("7.3")) == 0x00000000300fc00fULL);
	assert_true(idregs_reg_kvm_mask(ctr, K("6.10")) == 0);	/* invariant then */
	assert_true(idregs_reg_kvm_mask(IDREGS_ENC(3, 0, 0, 0, 0), K("6.12")) == 0);
	assert_true(idregs_reg_kvm_mask(IDREGS_ENC(3, 0, 0, 0, 0), K("7.3")) == 0xffffffffULL);
	assert_true(idregs_reg_kvm_mask(ctr, idregs_kernel_count()) == 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init_ok),
		cmocka_unit_test(test_generated_sorted),
		cmocka_unit_test(test_validate_good),
		cmocka_unit_test(test_validate_unsorted),
		cmocka_unit_test(test_validate_field_bounds),
		cmocka_unit_test(test_validate_overlap),
		cmocka_unit_test(test_validate_indices),
		cmocka_unit_test(test_validate_foreign_field),
		cmocka_unit_test(test_validate_unknown_op),
		cmocka_unit_test(test_validate_identity),
		cmocka_unit_test(test_validate_misc),
		cmocka_unit_test(test_lookup),
		cmocka_unit_test(test_lookup_junk),
		cmocka_unit_test(test_lookup_not_decimal),
		cmocka_unit_test(test_reg_name),
		cmocka_unit_test(test_space_index),
		cmocka_unit_test(test_one_reg_ids),
		cmocka_unit_test(test_esr),
		cmocka_unit_test(test_errno_name),
		cmocka_unit_test(test_kernel_parse),
		cmocka_unit_test(test_kernel_catalogue),
		cmocka_unit_test(test_kernel_verified),
		cmocka_unit_test(test_mask_history),
		cmocka_unit_test(test_mask_backports),
		cmocka_unit_test(test_field_info),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
