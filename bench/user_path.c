// SPDX-License-Identifier: MIT
/*
 * The user-space path, one operation at a time: KVM_SET_ONE_REG with the
 * full validation (accepted and refused writes), KVM_GET_ONE_REG before
 * the first run, and the steps a fleet tool repeats per host: parsing a
 * profile, creating and initialising a VM, idregs_check of a model.
 *
 *   user_path [--ms MS] [--reps R] [--host H] [--profile FILE]
 *
 * Prints one JSON object per line: {"op": ..., "ns_per_op": ...,
 * "cpu_ns_per_op": ...} (wall and this thread's CPU time, medians).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "idregs.h"

#define ISAR0	IDREGS_ENC(3, 0, 0, 6, 0)

struct ctx {
	struct idregs_host *host;
	struct idregs_vm *vm;
	struct idregs_model *model;
	struct idregs_check_report *rep;
	char *profile;		/* a profile's JSON text */
	size_t profile_len;
	uint64_t ok[2];		/* two values KVM accepts */
	uint64_t bad;		/* a value above the host: EINVAL */
	unsigned long i;
};

typedef void (*op_fn)(struct ctx *c);

static double clock_ns(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static double now_ns(void)
{
	return clock_ns(CLOCK_MONOTONIC);
}

static void fail(const char *what, int ret)
{
	fprintf(stderr, "user_path: %s: %d\n", what, ret);
	exit(1);
}

static void op_set_ok(struct ctx *c)
{
	int ret = idregs_vcpu_set(c->vm, 0, idregs_sysreg_id(ISAR0), c->ok[c->i++ & 1]);

	if (ret)
		fail("set", ret);
}

static void op_set_refused(struct ctx *c)
{
	if (!idregs_vcpu_set(c->vm, 0, idregs_sysreg_id(ISAR0), c->bad))
		fail("refused set was accepted", 0);
}

static void op_get(struct ctx *c)
{
	uint64_t v;
	int ret = idregs_vcpu_get(c->vm, 0, idregs_sysreg_id(ISAR0), &v);

	if (ret)
		fail("get", ret);
}

static void op_parse(struct ctx *c)
{
	struct idregs_error err;
	struct idregs_host *h;
	int ret = idregs_host_parse(c->profile, c->profile_len, "bench", &h, &err);

	if (ret)
		fail(err.msg, ret);
	idregs_host_free(h);
}

static void op_vm(struct ctx *c)
{
	struct idregs_vm *vm;
	int ret = idregs_vm_create(c->host, idregs_kernel_default(), &vm);

	if (!ret)
		ret = idregs_vcpu_create(vm, 0);
	if (!ret)
		ret = idregs_vcpu_init(vm, 0, 0);
	if (ret)
		fail("vm", ret);
	idregs_vm_destroy(vm);
}

static void op_check(struct ctx *c)
{
	int ret = idregs_check(c->host, idregs_kernel_default(), c->model, c->rep);

	if (ret || !c->rep->fits)
		fail("check", ret);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Medians over reps of wall and CPU ns per call, each rep running for
 * about ms. */
static void measure(struct ctx *c, op_fn fn, unsigned int ms, unsigned int reps,
		    double *wall, double *cpu)
{
	double res[32], cres[32], t0, c0, t;
	unsigned long n, k;
	unsigned int r;

	for (r = 0; r < reps; r++) {
		n = 0;
		t0 = now_ns();
		c0 = clock_ns(CLOCK_THREAD_CPUTIME_ID);
		do {
			for (k = 0; k < 64; k++)
				fn(c);
			n += 64;
			t = now_ns();
		} while (t - t0 < ms * 1e6);
		cres[r] = (clock_ns(CLOCK_THREAD_CPUTIME_ID) - c0) / (double)n;
		res[r] = (t - t0) / (double)n;
	}
	qsort(res, reps, sizeof(res[0]), cmp_double);
	qsort(cres, reps, sizeof(cres[0]), cmp_double);
	*wall = res[reps / 2];
	*cpu = cres[reps / 2];
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (!f || fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0)
		fail(path, -1);
	rewind(f);
	buf = malloc((size_t)n + 1);
	if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n)
		fail(path, -1);
	buf[n] = 0;
	fclose(f);
	*len = (size_t)n;
	return buf;
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		op_fn fn;
	} ops[] = {
		{ "set_one_reg_accepted", op_set_ok },
		{ "set_one_reg_refused", op_set_refused },
		{ "get_one_reg_before_run", op_get },
		{ "host_parse", op_parse },
		{ "vm_create_init", op_vm },
		{ "check_model", op_check },
	};
	const char *host = "neoverse-n1", *profile = NULL;
	unsigned int ms = 200, reps = 5, i;
	struct idregs_error err;
	struct ctx c = { 0 };
	uint64_t v;
	int a, ret;

	for (a = 1; a < argc; a++) {
		if (!strcmp(argv[a], "--ms") && a + 1 < argc)
			ms = (unsigned int)atoi(argv[++a]);
		else if (!strcmp(argv[a], "--reps") && a + 1 < argc)
			reps = (unsigned int)atoi(argv[++a]);
		else if (!strcmp(argv[a], "--host") && a + 1 < argc)
			host = argv[++a];
		else if (!strcmp(argv[a], "--profile") && a + 1 < argc)
			profile = argv[++a];
		else
			return 2;
	}
	if (!reps || reps > 32)
		return 2;
	if (idregs_host_load(profile ? profile : host, &c.host, &err))
		fail(err.msg, -1);
	if (profile) {
		c.profile = slurp(profile, &c.profile_len);
	} else {
		/* a built-in profile's text */
		for (i = 0; i < idregs_builtin_count(); i++)
			if (!strcmp(idregs_builtin_name(i), host))
				c.profile = strdup(idregs_builtin_json(i));
		if (!c.profile)
			fail("no such built-in", -1);
		c.profile_len = strlen(c.profile);
	}
	ret = idregs_vm_create(c.host, idregs_kernel_default(), &c.vm);
	if (!ret)
		ret = idregs_vcpu_create(c.vm, 0);
	if (!ret)
		ret = idregs_vcpu_init(c.vm, 0, 0);
	if (!ret)
		ret = idregs_vcpu_get(c.vm, 0, idregs_sysreg_id(ISAR0), &v);
	if (ret)
		fail("setup", ret);
	/* the host's value, and the same with ISAR0.AES (bits 7:4) one lower;
	 * refused: RNDR (bits 63:60) raised above the host */
	c.ok[0] = v;
	c.ok[1] = ((v >> 4) & 0xf) ? v - (1ULL << 4) : v;
	c.bad = ((v >> 60) & 0xf) < 0xf ? v + (1ULL << 60) : 0;
	c.model = calloc(1, sizeof(*c.model));
	c.rep = calloc(1, sizeof(*c.rep));
	if (!c.model || !c.rep)
		fail("calloc", -1);
	ret = idregs_host_model(c.host, idregs_kernel_default(), 0, c.model);
	if (ret)
		fail("host_model", ret);
	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		double wall, cpu;

		measure(&c, ops[i].fn, ms, reps, &wall, &cpu);
		printf("{\"op\": \"%s\", \"ns_per_op\": %.1f, \"cpu_ns_per_op\": %.1f}\n",
		       ops[i].name, wall, cpu);
	}
	idregs_vm_destroy(c.vm);
	idregs_host_free(c.host);
	free(c.profile);
	free(c.model);
	free(c.rep);
	return 0;
}
