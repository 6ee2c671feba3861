// SPDX-License-Identifier: MIT
/*
 * The fast host profile reader (src/host_fast.c) against the general one
 * (jansson): wherever the fast one answers, the general one must accept
 * the document and fill the very same host. Real profiles (the built-ins
 * and the probes of real KVM under harness/results) must take the fast
 * path; damaged copies of them and hand-made edge cases may take either.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>

#include "testutil.h"
#include "internal.h"

#ifndef MUTATIONS
#define MUTATIONS	150	/* damaged copies per real profile */
#endif

static unsigned long fast_taken, general_only;

static size_t host_size(const struct idregs_host *h)
{
	return sizeof(*h) + h->ncpus * sizeof(h->cpus[0]);
}

/* Returns whether the fast reader took the document. */
static bool same_answer(const char *text, size_t len, const char *what)
{
	/* exactly len bytes, unterminated: a read past them is a bug that
	 * AddressSanitizer sees */
	char *doc = malloc(len ? len : 1);
	struct idregs_host *f = NULL, *g = NULL;
	struct idregs_error err = { "" };
	int fret, gret;

	assert_non_null(doc);
	memcpy(doc, text, len);
	fret = idregs_host_parse_fast(doc, len, &f);
	gret = idregs_host_parse_general(doc, len, "t", &g, &err);
	free(doc);
	if (fret) {
		assert_int_equal(fret, -1);
		general_only++;
		idregs_host_free(g);
		return false;
	}
	fast_taken++;
	if (gret)
		fail_msg("%s: the fast reader took a document the general one "
			 "refuses (%s):\n%.*s", what, err.msg, (int)len, text);
	if (host_size(f) != host_size(g) || memcmp(f, g, host_size(f)))
		fail_msg("%s: the readers differ on:\n%.*s", what, (int)len, text);
	idregs_host_free(f);
	idregs_host_free(g);
	return true;
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = 0;
	fclose(f);
	*len = (size_t)n;
	return buf;
}

/* A damaged copy: a byte replaced, removed or repeated, a line repeated,
 * the end cut off, or letters' case swapped. */
static size_t mutate(const char *src, size_t len, char *dst, unsigned int *seed)
{
	static const char alphabet[] = "{}[]\",: \n\t\\0123456789abcdefxX_.-AZaz\x01\x7f\xc3";
	size_t at = (size_t)rand_r(seed) % len, n = len, i;
	const char *nl;

	memcpy(dst, src, len);
	switch (rand_r(seed) % 7) {
	case 0:
		dst[at] = alphabet[(size_t)rand_r(seed) % (sizeof(alphabet) - 1)];
		break;
	case 1:
		memmove(dst + at, dst + at + 1, len - at - 1);
		n--;
		break;
	case 2:
		memmove(dst + at + 1, dst + at, len - at);
		n++;
		break;
	case 3:		/* a line twice: repeated keys, stray commas */
		nl = memchr(src + at, '\n', len - at);
		if (nl) {
			const char *start = src + at;

			while (start > src && start[-1] != '\n')
				start--;
			memcpy(dst + (nl + 1 - src), start, (size_t)(nl + 1 - start));
			memcpy(dst + (nl + 1 - src) + (nl + 1 - start), nl + 1,
			       len - (size_t)(nl + 1 - src));
			n = len + (size_t)(nl + 1 - start);
		}
		break;
	case 4:
		n = at;
		break;
	case 5:
		for (i = at; i < len && i < at + 12; i++)
			if ((dst[i] | 32) >= 'a' && (dst[i] | 32) <= 'z')
				dst[i] ^= 32;
		break;
	default:
		dst[at] = (char)rand_r(seed);
		break;
	}
	return n;
}

static void check_real(const char *doc, size_t len, const char *what,
		       unsigned int *seed)
{
	char *buf = malloc(2 * len + 2);
	unsigned int i;

	assert_non_null(buf);
	if (!same_answer(doc, len, what))
		fail_msg("%s: a real profile did not take the fast path", what);
	for (i = 0; i < MUTATIONS; i++) {
		size_t n = mutate(doc, len, buf, seed);

		same_answer(buf, n, what);
	}
	free(buf);
}

static void test_real_profiles(void **state)
{
	unsigned int seed = 1, files = 0;
	struct dirent *de;
	size_t i, len = 0;
	DIR *d;

	(void)state;
	for (i = 0; i < idregs_builtin_count(); i++)
		check_real(idregs_builtin_json(i), strlen(idregs_builtin_json(i)),
			   idregs_builtin_name(i), &seed);
	/* the probes of real KVM (kind kvm) */
	d = opendir("harness/results");
	while (d && (de = readdir(d))) {
		size_t n = strlen(de->d_name);
		char path[512], *doc;

		if (n < 11 || strcmp(de->d_name + n - 11, "-probe.json"))
			continue;
		snprintf(path, sizeof(path), "harness/results/%s", de->d_name);
		doc = slurp(path, &len);
		assert_non_null(doc);
		check_real(doc, len, path, &seed);
		free(doc);
		files++;
	}
	if (d)
		closedir(d);
	assert_true(files > 0);
	/* damage is mostly left to the general reader, but not all of it */
	assert_true(fast_taken > 100 && general_only > 100);
	printf("host_fast: %lu documents read by both, %lu left to the general reader\n",
	       fast_taken, general_only);
}

#define KVM_HEAD "{\"format\": \"idregs-host/1\", \"kind\": \"kvm\", "
#define REGS	"\"regs\": {\"MIDR_EL1\": \"0x410fd0c0\", \"ID_AA64PFR0_EL1\": \"0x11\"}"

static void test_edge_cases(void **state)
{
	static const struct {
		const char *doc;
		bool fast;	/* the fast reader takes it */
	} cases[] = {
		{ KVM_HEAD REGS "}", true },
		{ KVM_HEAD REGS ", \"name\": \"n\", \"mode\": \"nvhe\", \"kernel\": \"7.3\"}", true },
		{ KVM_HEAD REGS ", \"features\": [\"pmu\", \"pmu\", \"sve\"]}", true },
		{ KVM_HEAD REGS ", \"features\": []}", true },
		{ KVM_HEAD REGS ", \"masks\": {}}", true },
		{ KVM_HEAD "\"regs\": {}}", true },
		{ KVM_HEAD REGS ", \"description\": \"x\"}", true },
		{ KVM_HEAD REGS ", \"tags\": [\"a\", \"b\"], \"none\": []}", true },
		{ "{\"format\": \"idregs-host/1.7\", \"kind\": \"kvm\", " REGS "}", true },
		{ " \n\t{\"format\":\"idregs-host/1\",\"kind\":\"kvm\"," REGS "} \n", true },
		{ KVM_HEAD REGS ", \"name\": \"0123456789012345678901234567890123456789"
		  "0123456789012345678901234567890123456789012345678901234567890123456789"
		  "0123456789012345678901234567890123456789\"}", true },
		{ KVM_HEAD REGS ", \"kernel\": \"7.3-with-a-very-long-suffix\"}", true },
		{ "{\"format\": \"idregs-host/1\", \"kind\": \"raw\", \"cpus\": [{\"MIDR_EL1\": \"0x1\"}, {}]}", true },
		{ "{\"format\": \"idregs-host/1\", \"kind\": \"raw\", \"cpus\": [{}], \"features\": [\"bogus\"]}", true },
		{ "{\"format\": \"idregs-host/1\", \"kind\": \"raw\", \"cpus\": [{}], \"kernel\": \"x\"}", true },
		/* left to the general reader, accepted there */
		{ KVM_HEAD REGS ", \"description\": 1}", false },
		{ KVM_HEAD REGS ", \"description\": null}", false },
		{ KVM_HEAD REGS ", \"description\": \"caf\\u00e9\"}", false },
		{ KVM_HEAD REGS ", \"description\": \"caf\xc3\xa9\"}", false },
		{ KVM_HEAD REGS ", \"x\": {\"a\": \"b\"}}", false },
		{ KVM_HEAD REGS ", \"x\": [{\"a\": \"b\"}]}", false },
		{ KVM_HEAD REGS ", \"cpus\": [{\"a\": \"b\"}]}", false },
		{ "{\"format\": \"idregs-host/1\", \"kind\": \"raw\", \"cpus\": [{}], \"regs\": {}}", false },
		/* refused by both */
		{ "", false },
		{ "{}", false },
		{ "[]", false },
		{ KVM_HEAD REGS "} x", false },
		{ KVM_HEAD REGS ", \"name\": \"a\", \"name\": \"b\"}", false },
		{ KVM_HEAD REGS ", \"x\": {\"a\": \"b\", \"a\": \"c\"}}", false },
		{ KVM_HEAD REGS ", \"cpus\": [{\"a\": \"b\", \"a\": \"b\"}]}", false },
		{ KVM_HEAD "\"regs\": {\"MIDR_EL1\": \"0x1\", \"MIDR_EL1\": \"0x1\"}}", false },
		{ KVM_HEAD "\"regs\": {\"MIDR_EL1\": \"0x1\", \"midr_el1\": \"0x2\"}}", false },
		{ KVM_HEAD "\"regs\": {\"MIDR_EL1\": \"0x1\", \"3.0.0.0.0\": \"0x1\"}}", false },
		{ KVM_HEAD "\"regs\": {\"NO_SUCH_EL1\": \"0x1\"}}", false },
		{ KVM_HEAD "\"regs\": {\"SCTLR_EL1\": \"0x1\"}}", false },
		{ KVM_HEAD "\"regs\": {\"MIDR_EL1\": \"0x\"}}", false },
		{ KVM_HEAD "\"regs\": {\"MIDR_EL1\": \"0x12345678123456781\"}}", false },
		{ KVM_HEAD "\"regs\": {\"MIDR_EL1\": \"12\"}}", false },
		{ KVM_HEAD "\"regs\": {\"MIDR_EL1\": 1}}", false },
		{ KVM_HEAD "\"regs\": []}", false },
		{ KVM_HEAD REGS ", \"features\": [\"pmu\", \"nope\"]}", false },
		{ KVM_HEAD REGS ", \"features\": \"pmu\"}", false },
		{ KVM_HEAD REGS ", \"mode\": \"both\"}", false },
		{ KVM_HEAD REGS ", \"kernel\": 7}", false },
		{ KVM_HEAD REGS ", \"name\": [\"n\"]}", false },
		{ "{\"format\": \"idregs-host/10\", \"kind\": \"kvm\", " REGS "}", false },
		{ "{\"format\": \"idregs-model/1\", \"kind\": \"kvm\", " REGS "}", false },
		{ "{\"kind\": \"kvm\", " REGS "}", false },
		{ "{\"format\": \"idregs-host/1\", \"kind\": \"vm\", " REGS "}", false },
		{ "{\"format\": \"idregs-host/1\", \"kind\": \"raw\", \"cpus\": []}", false },
		{ "{\"format\": \"idregs-host/1\", \"kind\": \"raw\", " REGS "}", false },
		{ KVM_HEAD REGS, false },
		{ KVM_HEAD REGS ",}", false },
		{ KVM_HEAD "\"regs\": {\"MIDR_EL1\": \"0x1\",}}", false },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char what[32];

		snprintf(what, sizeof(what), "edge case %zu", i);
		if (same_answer(cases[i].doc, strlen(cases[i].doc), what) != cases[i].fast)
			fail_msg("%s: the fast reader %s it", what,
				 cases[i].fast ? "declined" : "took");
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_edge_cases),
		cmocka_unit_test(test_real_profiles),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
