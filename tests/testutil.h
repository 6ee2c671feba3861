/* SPDX-License-Identifier: MIT */
/* Shared helpers of the cmocka unit tests. */
#ifndef IDREGS_TESTUTIL_H
#define IDREGS_TESTUTIL_H

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
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

#endif
