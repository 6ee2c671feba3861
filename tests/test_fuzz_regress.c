// SPDX-License-Identifier: MIT
/*
 * Regression tests for what the fuzzers (fuzz/) and the bad-input survey
 * (tests/bad-input.sh, docs/bad-input.md) found. The inputs that found
 * them are also in the seed corpora, replayed by `make check`.
 *
 * Names longer than the 127 bytes idregs keeps were cut in the middle of
 * a UTF-8 character, and names from file names or callers could be any
 * bytes: jansson cannot write such a string, so idregs_host_to_json() and
 * idregs_model_to_json() silently left the name out (it read back as
 * "unnamed"), and the baseline's conflict report wrote invalid UTF-8 into
 * its JSON. Names are now kept as whole characters, invalid bytes as '?'.
 */
#include <stdio.h>
#include <stdlib.h>

#include "testutil.h"

/* Valid UTF-8, by the same rules as jansson (via a round trip through it
 * would hide the bug); returns the number of characters or -1. */
static int utf8_chars(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	int n = 0;

	while (*p) {
		int len = *p < 0x80 ? 1 : (*p & 0xe0) == 0xc0 ? 2 :
			  (*p & 0xf0) == 0xe0 ? 3 : (*p & 0xf8) == 0xf0 ? 4 : 0;
		int i;

		if (!len)
			return -1;
		for (i = 1; i < len; i++)
			if ((p[i] & 0xc0) != 0x80)
				return -1;
		p += len;
		n++;
	}
	return n;
}

static char *repeat(const char *s, size_t times)
{
	size_t n = strlen(s);
	char *out = malloc(n * times + 1);
	size_t i;

	assert_non_null(out);
	for (i = 0; i < times; i++)
		memcpy(out + i * n, s, n);
	out[n * times] = 0;
	return out;
}

static void test_long_utf8_host_name(void **state)
{
	char *name = repeat("\xc3\xa9", 100);	/* 100 x U+00E9, 200 bytes */
	char *want = repeat("\xc3\xa9", 63);	/* what fits in 127 bytes */
	struct idregs_host *h, *again;
	struct idregs_error err;
	char json[512], *text;

	(void)state;
	snprintf(json, sizeof(json),
		 "{\"format\":\"idregs-host/1\",\"kind\":\"raw\",\"name\":\"%s\",\"cpus\":[{}]}",
		 name);
	assert_int_equal(idregs_host_parse(json, strlen(json), "t", &h, &err), 0);
	assert_string_equal(idregs_host_name(h), want);
	text = idregs_host_to_json(h);
	assert_non_null(text);
	assert_int_equal(idregs_host_parse(text, strlen(text), "t", &again, &err), 0);
	/* it was "unnamed" */
	assert_string_equal(idregs_host_name(again), want);
	free(text);
	idregs_host_free(again);
	idregs_host_free(h);
	free(want);
	free(name);
}

static void test_long_utf8_model_name(void **state)
{
	/* 70 x U+00DF (2 bytes) then U+20AC (3 bytes): cut after 140 bytes
	 * would fall inside the euros; 126 bytes of sharp s fit */
	char *ss = repeat("\xc3\x9f", 70), *eur = repeat("\xe2\x82\xac", 20);
	char *want = repeat("\xc3\x9f", 63);
	struct idregs_model *m = calloc(1, sizeof(*m)), *again = calloc(1, sizeof(*m));
	struct idregs_error err;
	char json[512], *text;

	(void)state;
	snprintf(json, sizeof(json),
		 "{\"format\":\"idregs-model/1\",\"name\":\"%s%s\",\"regs\":{}}", ss, eur);
	assert_int_equal(idregs_model_parse(json, strlen(json), "t", m, &err), 0);
	assert_string_equal(m->name, want);
	text = idregs_model_to_json(m);
	assert_non_null(text);
	assert_int_equal(idregs_model_parse(text, strlen(text), "t", again, &err), 0);
	assert_string_equal(again->name, want);
	free(text);
	free(again);
	free(m);
	free(want);
	free(eur);
	free(ss);
}

/* A template's file name is any bytes; the model's name must be UTF-8. */
static void test_template_file_name_not_utf8(void **state)
{
	static const char tmpl[] = "{ \"reg_modifiers\": [] }";
	struct idregs_host *h = test_host("neoverse-n1");
	struct idregs_model *m = calloc(1, sizeof(*m)), *again = calloc(1, sizeof(*m));
	struct idregs_error err;
	char *text;

	(void)state;
	assert_int_equal(idregs_fc_import(tmpl, strlen(tmpl), "dir/caf\xc3\xa9-\xff\xfe.json",
					  h, idregs_kernel_default(), m, &err), 0);
	assert_string_equal(m->name, "caf\xc3\xa9-??");
	text = idregs_model_to_json(m);
	assert_non_null(text);
	assert_int_equal(idregs_model_parse(text, strlen(text), "t", again, &err), 0);
	assert_string_equal(again->name, "caf\xc3\xa9-??");
	free(text);
	free(again);
	free(m);
	idregs_host_free(h);
}

/* A caller's name of any bytes still reaches the JSON (as '?'). */
static void test_set_name_not_utf8(void **state)
{
	struct idregs_host *h = test_host("neoverse-n1"), *again;
	struct idregs_error err;
	char *text;

	(void)state;
	assert_int_equal(idregs_host_set_name(h, "lab-\xff-7"), 0);
	text = idregs_host_to_json(h);
	assert_non_null(text);
	assert_non_null(strstr(text, "\"lab-?-7\""));
	assert_int_equal(idregs_host_parse(text, strlen(text), "t", &again, &err), 0);
	assert_string_equal(idregs_host_name(again), "lab-?-7");
	free(text);
	idregs_host_free(again);
	idregs_host_free(h);
}

/* The strict baseline's conflict names the hosts in 64 bytes: whole
 * characters only (its JSON report printed half a character). */
static void test_conflict_host_names_whole_characters(void **state)
{
	char *long_a = repeat("\xc3\xa9", 60), *long_b = repeat("\xe2\x82\xac", 40);
	struct idregs_host *a = test_host("neoverse-n1"), *b = test_host("a64fx");
	struct idregs_baseline *bl;
	struct idregs_error err;
	const struct idregs_conflict *c;

	(void)state;
	assert_int_equal(idregs_host_set_name(a, long_a), 0);	/* 120 bytes */
	assert_int_equal(idregs_host_set_name(b, long_b), 0);	/* 120 bytes */
	assert_int_equal(idregs_baseline_new(idregs_kernel_default(), 0, false, &bl), 0);
	assert_int_equal(idregs_baseline_add(bl, a, &err), 0);
	assert_int_equal(idregs_baseline_add(bl, b, &err), 0);
	assert_true(idregs_baseline_conflict_count(bl) > 0);
	c = idregs_baseline_conflict(bl, 0);
	assert_int_equal(utf8_chars(c->host_a), 31);	/* 62 of 63 bytes */
	assert_int_equal(utf8_chars(c->host_b), 21);	/* 63 of 63 bytes */
	assert_memory_equal(c->host_a, long_a, strlen(c->host_a));
	assert_memory_equal(c->host_b, long_b, strlen(c->host_b));
	idregs_baseline_free(bl);
	idregs_host_free(b);
	idregs_host_free(a);
	free(long_b);
	free(long_a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_long_utf8_host_name),
		cmocka_unit_test(test_long_utf8_model_name),
		cmocka_unit_test(test_template_file_name_not_utf8),
		cmocka_unit_test(test_set_name_not_utf8),
		cmocka_unit_test(test_conflict_host_names_whole_characters),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
