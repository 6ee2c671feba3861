// SPDX-License-Identifier: MIT
/*
 * vCPU threads read ID registers through the guest path while a writer
 * thread sets them before the first run and keeps trying after it, and a
 * user-space reader reads them throughout. Run under ThreadSanitizer by
 * `make tsan`: no race may be reported, no read may be torn, and nothing
 * may change once the VM has run.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>

#include "testutil.h"

#define NR_VCPUS	4
#define WRITES_BEFORE	2000
#define WRITES_AFTER	2000	/* made after the writer saw the freeze */
#define GUEST_READS	20000

#define ISAR0_ENC	IDREGS_ENC(3, 0, 0, 6, 0)

struct shared {
	struct idregs_vm *vm;
	uint64_t v_default;	/* the host limit */
	uint64_t v_lowered;	/* differs from it in both 32-bit halves */
	atomic_int writes_done;
	atomic_int torn;
	atomic_int changed_after_run;
	atomic_int bad_write_result;
	atomic_int ebusy;
	atomic_int identical_ok;
	atomic_int accepted_after_run;	/* bit 0: v_default, bit 1: v_lowered */
};

struct vcpu_arg {
	struct shared *s;
	unsigned int id;
	uint64_t seen;		/* the value the guest saw after its run */
	int run_ret;
};

static bool valid_value(const struct shared *s, uint64_t v)
{
	return v == s->v_default || v == s->v_lowered;
}

/*
 * Alternate two valid values; once the VM is seen to have run, keep going
 * until WRITES_AFTER more writes were made: each must be EBUSY (the other
 * value) or 0 (the frozen one).
 */
static void *writer(void *p)
{
	struct shared *s = p;
	int i, after = 0;

	for (i = 0; after < WRITES_AFTER && i < 100000000; i++) {
		uint64_t v = (i & 1) ? s->v_lowered : s->v_default;
		bool ran = idregs_vm_has_run(s->vm);
		int ret;

		ret = idregs_vcpu_set(s->vm, 0, idregs_sysreg_id(ISAR0_ENC), v);
		if (i == WRITES_BEFORE)
			atomic_store(&s->writes_done, 1);
		if (!ran) {
			/* EBUSY only if the freeze came between the check and the write */
			if (ret && !(ret == -EBUSY && idregs_vm_has_run(s->vm)))
				atomic_fetch_add(&s->bad_write_result, 1);
			continue;
		}
		after++;
		if (ret == -EBUSY) {
			atomic_fetch_add(&s->ebusy, 1);
		} else if (ret == 0) {
			atomic_fetch_add(&s->identical_ok, 1);
			atomic_fetch_or(&s->accepted_after_run, v == s->v_lowered ? 2 : 1);
		} else {
			atomic_fetch_add(&s->bad_write_result, 1);
		}
	}
	atomic_store(&s->writes_done, 1);
	return NULL;
}

static void *user_reader(void *p)
{
	struct shared *s = p;
	uint64_t first = 0, v;
	bool frozen = false;
	int i;

	for (i = 0; i < GUEST_READS; i++) {
		bool ran = idregs_vm_has_run(s->vm);

		if (idregs_vcpu_get(s->vm, 1, idregs_sysreg_id(ISAR0_ENC), &v))
			atomic_fetch_add(&s->bad_write_result, 1);
		if (!valid_value(s, v))
			atomic_fetch_add(&s->torn, 1);
		if (ran && !frozen) {
			frozen = true;
			first = v;
		} else if (frozen && v != first) {
			atomic_fetch_add(&s->changed_after_run, 1);
		}
	}
	return NULL;
}

static void *vcpu_thread(void *p)
{
	struct vcpu_arg *a = p;
	struct shared *s = a->s;
	uint32_t esr = idregs_esr_sysreg(ISAR0_ENC, 3, true);
	uint64_t rt;
	int i;

	while (!atomic_load(&s->writes_done))
		;
	a->run_ret = idregs_vcpu_run(s->vm, a->id);
	if (a->run_ret)
		return NULL;
	for (i = 0; i < GUEST_READS; i++) {
		if (idregs_vcpu_guest_access(s->vm, a->id, esr, &rt)) {
			atomic_fetch_add(&s->bad_write_result, 1);
			continue;
		}
		if (!valid_value(s, rt))
			atomic_fetch_add(&s->torn, 1);
		if (i == 0)
			a->seen = rt;
		else if (rt != a->seen)
			atomic_fetch_add(&s->changed_after_run, 1);
	}
	return NULL;
}

static void test_guest_reads_race_user_writes(void **state)
{
	struct idregs_host *h = test_host("neoverse-n1");
	struct vcpu_arg args[NR_VCPUS];
	pthread_t vt[NR_VCPUS], wt, rt;
	struct shared s = { 0 };
	unsigned int i;

	(void)state;
	s.vm = test_vm(h, "7.3", 0);
	for (i = 1; i < NR_VCPUS; i++) {
		assert_int_equal(idregs_vcpu_create(s.vm, i), 0);
		assert_int_equal(idregs_vcpu_init(s.vm, i, 0), 0);
	}
	s.v_default = test_get(s.vm, 0, idregs_sysreg_id(ISAR0_ENC));
	/* AES 2 -> 1 (bits 7:4) and DP 1 -> 0 (bits 47:44) */
	s.v_lowered = (s.v_default & ~(0xfULL << 4) & ~(0xfULL << 44)) | (1ULL << 4);
	assert_int_not_equal(s.v_default >> 32, s.v_lowered >> 32);

	for (i = 0; i < NR_VCPUS; i++) {
		args[i] = (struct vcpu_arg){ .s = &s, .id = i };
		assert_int_equal(pthread_create(&vt[i], NULL, vcpu_thread, &args[i]), 0);
	}
	assert_int_equal(pthread_create(&wt, NULL, writer, &s), 0);
	assert_int_equal(pthread_create(&rt, NULL, user_reader, &s), 0);
	for (i = 0; i < NR_VCPUS; i++)
		pthread_join(vt[i], NULL);
	pthread_join(wt, NULL);
	pthread_join(rt, NULL);

	for (i = 0; i < NR_VCPUS; i++) {
		assert_int_equal(args[i].run_ret, 0);
		/* every vCPU saw the one frozen value */
		assert_int_equal(args[i].seen, args[0].seen);
	}
	assert_true(idregs_vm_has_run(s.vm));
	assert_int_equal(test_get(s.vm, 2, idregs_sysreg_id(ISAR0_ENC)), args[0].seen);
	assert_int_equal(atomic_load(&s.torn), 0);
	assert_int_equal(atomic_load(&s.changed_after_run), 0);
	assert_int_equal(atomic_load(&s.bad_write_result), 0);
	/* after the freeze, half the writes differ (EBUSY), half are identical
	 * to the frozen value, and only that value is accepted */
	assert_true(atomic_load(&s.ebusy) > 0);
	assert_true(atomic_load(&s.identical_ok) > 0);
	assert_int_equal(atomic_load(&s.accepted_after_run),
			 args[0].seen == s.v_lowered ? 2 : 1);
	printf("concurrency: %d EBUSY, %d identical writes accepted after the run\n",
	       atomic_load(&s.ebusy), atomic_load(&s.identical_ok));
	idregs_vm_destroy(s.vm);
	idregs_host_free(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_guest_reads_race_user_writes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
