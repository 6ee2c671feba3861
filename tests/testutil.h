/* SPDX-License-Identifier: MIT */
/* Shared helpers of the cmocka unit tests. */
#ifndef IDREGS_TESTUTIL_H
#define IDREGS_TESTUTIL_H

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "idregs.h"

/* ONE_REG id of a system register given by op0..op2. */
#define SYSREG(op0, op1, crn, crm, op2) \
	idregs_sysreg_id(IDREGS_ENC(op0, op1, crn, crm, op2))

static inline unsigned int test_kernel(const char *v)
{
	int k = idregs_kernel_parse(v);

	assert_true(k >= 0);
	return (unsigned int)k;
}

/* The version that names release index k exactly ("6.12.0" for the 6.12
 * release: a bare "6.12" names the series' newest). */
static inline const char *test_release_version(unsigned int k, char buf[24])
{
	struct idregs_release_info info;

	assert_int_equal(idregs_kernel_info(k, &info), 0);
	snprintf(buf, 24, "%u.%u.%u", info.major, info.minor, info.patch);
	return buf;
}

/* Is property name of release k on? */
static inline bool test_release_prop(unsigned int k, const char *name)
{
	const char *p;
	unsigned int i;
	bool on;

	for (i = 0; (p = idregs_kernel_prop(k, i, &on)); i++)
		if (!strcmp(p, name))
			return on;
	fail_msg("no release property %s", name);
	return false;
}

/*
 * Behaviour by release: expected holds from the release named by since
 * until the next step. A bare series ("6.15") names its first release
 * (6.15.0), not its newest as idregs_kernel_parse() would.
 */
struct test_step {
	const char *since;
	int expected;
};

static inline unsigned int test_since(const char *since)
{
	char buf[24];

	if (strchr(since, '.') == strrchr(since, '.')) {
		snprintf(buf, sizeof(buf), "%s.0", since);
		return test_kernel(buf);
	}
	return test_kernel(since);
}

/* The expected value of the newest step at or below release kernel. */
static inline int test_step(const struct test_step *steps, size_t n,
			    unsigned int kernel)
{
	unsigned int since, prev = 0;
	bool found = false;
	int want = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		since = test_since(steps[i].since);
		/* each step a later release: a typo must not pass silently */
		if (i && since <= prev)
			fail_msg("step %s does not follow step %s", steps[i].since,
				 steps[i - 1].since);
		prev = since;
		if (since <= kernel) {
			want = steps[i].expected;
			found = true;
		}
	}
	if (!found)
		fail_msg("release %s is older than the first step (%s)",
			 idregs_kernel_name(kernel), steps[0].since);
	return want;
}

#define TEST_STEP(steps, kernel) \
	test_step(steps, sizeof(steps) / sizeof((steps)[0]), kernel)

static inline struct idregs_host *test_host(const char *name)
{
	struct idregs_host *h = NULL;
	struct idregs_error err;

	if (idregs_host_load(name, &h, &err))
		fail_msg("cannot load host %s: %s", name, err.msg);
	return h;
}

/* A VM on a built-in host with vCPU 0 created and initialised. */
static inline struct idregs_vm *test_vm(const struct idregs_host *h,
					const char *kernel, uint32_t features)
{
	struct idregs_vm *vm = NULL;

	assert_int_equal(idregs_vm_create(h, test_kernel(kernel), &vm), 0);
	assert_int_equal(idregs_vcpu_create(vm, 0), 0);
	assert_int_equal(idregs_vcpu_init(vm, 0, features), 0);
	if (features & IDREGS_FEAT_SVE)
		assert_int_equal(idregs_vcpu_finalize(vm, 0), 0);
	return vm;
}

static inline uint64_t test_get(struct idregs_vm *vm, unsigned int vcpu,
				uint64_t id)
{
	uint64_t v = 0;

	assert_int_equal(idregs_vcpu_get(vm, vcpu, id, &v), 0);
	return v;
}

/* ---- assertions that name the release and the errno ---- */

static char ctx[160] __attribute__((unused));	/* release and host of the current check */
#define SETCTX(...) snprintf(ctx, sizeof(ctx), __VA_ARGS__)

static inline const char *ename(int r)
{
	static char buf[8][24];
	static unsigned int next;
	const char *n;
	char *b;

	if (r == IDREGS_GUEST_UNDEF)
		return "GUEST_UNDEF";
	n = r <= 0 ? idregs_errno_name(r) : NULL;
	if (n)
		return n;
	b = buf[next++ % 8];
	snprintf(b, sizeof(buf[0]), "%d", r);
	return b;
}

#define EQ(a, b) do {							\
	unsigned long long a_ = (a), b_ = (b);				\
	if (a_ != b_)							\
		fail_msg("[%s] %s == %#llx, expected %#llx", ctx, #a, a_, b_); \
} while (0)

#define ERR(call, e) do {						\
	int r_ = (call), e_ = (e);					\
	if (r_ != e_)							\
		fail_msg("[%s] %s returned %s, expected %s", ctx, #call, \
			 ename(r_), ename(e_));				\
} while (0)

#endif
