// SPDX-License-Identifier: MIT
/*
 * Soak: many VMs at once (built-in hosts, both releases, assorted vCPU
 * features), each with 8 vCPU threads. Every thread writes ID registers
 * from user space (through its own vCPU, as a VMM's vCPU thread does),
 * then runs its vCPU, racing the other threads' writes and first runs,
 * then reads the registers as the guest while still writing from user
 * space. Rounds repeat until the time budget (IDREGS_SOAK_SECONDS, default
 * 1) is spent; `make tsan` runs it under ThreadSanitizer.
 *
 * Invariants, checked at the end of each round:
 *  - every run succeeds and the VM is frozen;
 *  - every value read (user space or guest) is one of the values written
 *    or the reset value: nothing torn, nothing else;
 *  - after its run, each vCPU reads the same value every time, and it is
 *    the frozen value user space reads at the end;
 *  - a write made after the freeze was seen is accepted only when it is
 *    identical to the frozen value (EBUSY otherwise); a write refused
 *    before any run is a failure.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "testutil.h"

#define NR_VMS		16
#define NR_VCPUS	8
#define MAX_REGS	4	/* registers raced on per VM */
#define MAX_VALS	3	/* the reset value and two lowered ones */
#define GUEST_READS	1500
#define WRITE_EVERY	16	/* guest reads per user-space write after the run */

struct soak_reg {
	uint16_t enc;
	unsigned int nr_vals;
	uint64_t vals[MAX_VALS];	/* vals[0] is the reset value */
};

struct soak_vm {
	struct idregs_vm *vm;
	const char *what;		/* host, release and features, for messages */
	char label[96];
	unsigned int nr_regs;
	struct soak_reg regs[MAX_REGS];
	pthread_barrier_t start;
	/* failures, by kind */
	atomic_int run_failed;
	atomic_int invalid;		/* a value outside the valid set */
	atomic_int changed;		/* a vCPU saw two values after its run */
	atomic_int bad_write;		/* refused before any run, or odd errno */
	atomic_int bad_read;
	/* statistics */
	atomic_long writes;
	atomic_long ebusy;
	atomic_long identical_after;
	atomic_long guest_reads;
};

struct soak_vcpu {
	struct soak_vm *s;
	unsigned int id;
	uint64_t seen[MAX_REGS];	/* the guest's value after the run */
	/* values accepted from writes made after the freeze was seen */
	uint64_t accepted_after[MAX_REGS][MAX_VALS];
	unsigned int nr_accepted_after[MAX_REGS];
};

static bool valid(const struct soak_reg *r, uint64_t v)
{
	unsigned int i;

	for (i = 0; i < r->nr_vals; i++)
		if (r->vals[i] == v)
			return true;
	return false;
}

static void note_accepted_after(struct soak_vcpu *c, unsigned int reg, uint64_t v)
{
	unsigned int i;

	for (i = 0; i < c->nr_accepted_after[reg]; i++)
		if (c->accepted_after[reg][i] == v)
			return;
	if (c->nr_accepted_after[reg] < MAX_VALS)
		c->accepted_after[reg][c->nr_accepted_after[reg]++] = v;
}

/* One user-space write, judged by whether the freeze was seen before it. */
static void user_write(struct soak_vcpu *c, unsigned int reg, unsigned int val)
{
	struct soak_vm *s = c->s;
	const struct soak_reg *r = &s->regs[reg];
	uint64_t v = r->vals[val % r->nr_vals];
	bool frozen = idregs_vm_has_run(s->vm);
	int ret = idregs_vcpu_set(s->vm, c->id, idregs_sysreg_id(r->enc), v);

	atomic_fetch_add_explicit(&s->writes, 1, memory_order_relaxed);
	if (ret == -EBUSY) {
		atomic_fetch_add_explicit(&s->ebusy, 1, memory_order_relaxed);
		/* EBUSY only once a vCPU has run */
		if (!idregs_vm_has_run(s->vm))
			atomic_fetch_add(&s->bad_write, 1);
	} else if (ret) {
		atomic_fetch_add(&s->bad_write, 1);
	} else if (frozen) {
		atomic_fetch_add_explicit(&s->identical_after, 1, memory_order_relaxed);
		note_accepted_after(c, reg, v);
	}
}

static void user_read(struct soak_vcpu *c, unsigned int reg)
{
	const struct soak_reg *r = &c->s->regs[reg];
	uint64_t v = 0;

	if (idregs_vcpu_get(c->s->vm, c->id, idregs_sysreg_id(r->enc), &v))
		atomic_fetch_add(&c->s->bad_read, 1);
	else if (!valid(r, v))
		atomic_fetch_add(&c->s->invalid, 1);
}

static void *vcpu_thread(void *p)
{
	struct soak_vcpu *c = p;
	struct soak_vm *s = c->s;
	unsigned int i, j, pre = 40 + 25 * c->id;

	pthread_barrier_wait(&s->start);
	/* before the run: write, read back, racing the others' first runs */
	for (j = 0; j < pre; j++) {
		user_write(c, (c->id + j) % s->nr_regs, j * 7 + c->id);
		user_read(c, (c->id + 2 * j) % s->nr_regs);
	}
	if (idregs_vcpu_run(s->vm, c->id)) {
		atomic_fetch_add(&s->run_failed, 1);
		return NULL;
	}
	/* after it: guest reads, still racing user-space writes */
	for (i = 0; i < GUEST_READS; i++) {
		unsigned int reg = i % s->nr_regs;
		const struct soak_reg *r = &s->regs[reg];
		uint64_t rt = 0;

		if (idregs_vcpu_guest_access(s->vm, c->id,
					     idregs_esr_sysreg(r->enc, i & 31, true), &rt)) {
			atomic_fetch_add(&s->bad_read, 1);
			continue;
		}
		if (!valid(r, rt))
			atomic_fetch_add(&s->invalid, 1);
		if (i < s->nr_regs)
			c->seen[reg] = rt;
		else if (rt != c->seen[reg])
			atomic_fetch_add(&s->changed, 1);
		if (i % WRITE_EVERY == 0)
			user_write(c, (i / WRITE_EVERY) % s->nr_regs, i + c->id);
	}
	atomic_fetch_add_explicit(&s->guest_reads, GUEST_READS, memory_order_relaxed);
	return NULL;
}

/* The registers to race on: VM-scoped, writable, some field lowerable by
 * one; a run leaves them alone and the guest reads them as user space
 * does. Found on a probe VM of the same configuration. */
static void pick_regs(const struct idregs_host *h, unsigned int kernel,
		      uint32_t features, unsigned int seed, struct soak_vm *s)
{
	unsigned int n = idregs_reg_count(), k, f;
	char ver[24];
	struct idregs_vm *probe = test_vm(h, test_release_version(kernel, ver), features);

	if (features & IDREGS_FEAT_PMU_V3)
		assert_int_equal(idregs_vcpu_pmu_init(probe, 0), 0);
	s->nr_regs = 0;
	for (k = 0; k < n && s->nr_regs < MAX_REGS; k++) {
		uint16_t enc = idregs_reg_enc((k + seed * 7) % n);
		uint64_t id = idregs_sysreg_id(enc), limit, mask;
		struct soak_reg *r = &s->regs[s->nr_regs];

		/* the run clears the GIC fields of ID_AA64PFR0_EL1 and
		 * ID_PFR1_EL1; MPIDR_EL1 and CLIDR_EL1 are per-vCPU registers
		 * that KVM lets user space write after the run */
		if (enc == IDREGS_ENC(3, 0, 0, 4, 0) || enc == IDREGS_ENC(3, 0, 0, 1, 1) ||
		    enc == IDREGS_ENC(3, 0, 0, 0, 5) || enc == IDREGS_ENC(3, 1, 0, 0, 1))
			continue;
		mask = idregs_reg_kvm_mask(enc, kernel);
		if (!mask || idregs_vcpu_get(probe, 0, id, &limit))
			continue;
		r->enc = enc;
		r->vals[0] = limit;
		r->nr_vals = 1;
		for (f = 0; f < idregs_reg_field_count(enc) && r->nr_vals < MAX_VALS; f++) {
			struct idregs_field_info fi;
			uint64_t fm, v;

			assert_int_equal(idregs_reg_field(enc, f, &fi), 0);
			fm = (fi.width == 64 ? ~0ULL : (1ULL << fi.width) - 1) << fi.shift;
			if ((fm & mask) != fm || !(limit & fm) || fi.is_signed)
				continue;
			v = (limit & ~fm) | ((limit & fm) - (1ULL << fi.shift));
			if (idregs_vcpu_set(probe, 0, id, v))
				continue;
			assert_int_equal(idregs_vcpu_set(probe, 0, id, limit), 0);
			r->vals[r->nr_vals++] = v;
		}
		if (r->nr_vals > 1)
			s->nr_regs++;
	}
	assert_true(s->nr_regs > 0);
	/* the guest reads them as user space does (no RAZ, no run change) */
	assert_int_equal(idregs_vcpu_run(probe, 0), 0);
	for (k = 0; k < s->nr_regs; k++) {
		uint64_t g = 0, u = 0;

		assert_int_equal(idregs_vcpu_guest_access(probe, 0,
				idregs_esr_sysreg(s->regs[k].enc, 1, true), &g), 0);
		u = test_get(probe, 0, idregs_sysreg_id(s->regs[k].enc));
		assert_int_equal(g, u);
		assert_int_equal(u, s->regs[k].vals[0]);
	}
	idregs_vm_destroy(probe);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct soak_totals {
	long writes, ebusy, identical_after, guest_reads;
};

static void soak_round(struct idregs_host **hosts, size_t nr_hosts,
		       unsigned int round, struct soak_totals *t)
{
	static const uint32_t wanted[] = {
		0, IDREGS_FEAT_PMU_V3, IDREGS_FEAT_SVE, IDREGS_FEAT_PTRAUTH,
		IDREGS_FEAT_PMU_V3 | IDREGS_FEAT_SVE | IDREGS_FEAT_PTRAUTH,
	};
	struct soak_vm *vms = calloc(NR_VMS, sizeof(*vms));
	struct soak_vcpu *vcpus = calloc(NR_VMS * NR_VCPUS, sizeof(*vcpus));
	pthread_t *threads = calloc(NR_VMS * NR_VCPUS, sizeof(*threads));
	unsigned int v, i, k, *frozen = calloc(idregs_kernel_count(), sizeof(*frozen));
	unsigned int nr_frozen = 0;

	assert_non_null(vms);
	assert_non_null(vcpus);
	assert_non_null(threads);
	/* the releases whose values freeze at the first run (6.5 on) with
	 * the masks ioctl (6.7 on): the ones this soak's oracle states */
	for (k = 0; k < idregs_kernel_count(); k++)
		if (test_release_prop(k, "first-run-freeze") && test_release_prop(k, "masks-ioctl"))
			frozen[nr_frozen++] = k;
	assert_true(nr_frozen > 0);
	for (v = 0; v < NR_VMS; v++) {
		struct soak_vm *s = &vms[v];
		const struct idregs_host *h = hosts[(v + round) % nr_hosts];
		unsigned int kernel = frozen[(v / nr_hosts + round) % nr_frozen];
		char ver[24];
		uint32_t features = wanted[(v + round) % 5] & idregs_host_features(h);

		if ((features & IDREGS_FEAT_PTRAUTH) != IDREGS_FEAT_PTRAUTH)
			features &= ~IDREGS_FEAT_PTRAUTH;
		snprintf(s->label, sizeof(s->label), "%s, KVM %s, features 0x%x",
			 idregs_host_name(h), idregs_kernel_name(kernel), features);
		pick_regs(h, kernel, features, v + round, s);
		s->vm = test_vm(h, test_release_version(kernel, ver), features);
		for (i = 0; i < NR_VCPUS; i++) {
			if (i) {
				assert_int_equal(idregs_vcpu_create(s->vm, i), 0);
				assert_int_equal(idregs_vcpu_init(s->vm, i, features), 0);
				if (features & IDREGS_FEAT_SVE)
					assert_int_equal(idregs_vcpu_finalize(s->vm, i), 0);
			}
			if (features & IDREGS_FEAT_PMU_V3)
				assert_int_equal(idregs_vcpu_pmu_init(s->vm, i), 0);
		}
		assert_int_equal(pthread_barrier_init(&s->start, NULL, NR_VCPUS), 0);
	}
	for (v = 0; v < NR_VMS * NR_VCPUS; v++) {
		vcpus[v] = (struct soak_vcpu){ .s = &vms[v / NR_VCPUS], .id = v % NR_VCPUS };
		assert_int_equal(pthread_create(&threads[v], NULL, vcpu_thread, &vcpus[v]), 0);
	}
	for (v = 0; v < NR_VMS * NR_VCPUS; v++)
		pthread_join(threads[v], NULL);

	for (v = 0; v < NR_VMS; v++) {
		struct soak_vm *s = &vms[v];

		if (atomic_load(&s->run_failed) || atomic_load(&s->invalid) ||
		    atomic_load(&s->changed) || atomic_load(&s->bad_write) ||
		    atomic_load(&s->bad_read))
			fail_msg("VM %u (%s): %d runs failed, %d invalid values, %d changes after the run, %d bad writes, %d bad reads",
				 v, s->label, atomic_load(&s->run_failed),
				 atomic_load(&s->invalid), atomic_load(&s->changed),
				 atomic_load(&s->bad_write), atomic_load(&s->bad_read));
		assert_true(idregs_vm_has_run(s->vm));
		for (k = 0; k < s->nr_regs; k++) {
			uint64_t frozen = test_get(s->vm, 0, idregs_sysreg_id(s->regs[k].enc));

			assert_true(valid(&s->regs[k], frozen));
			for (i = 0; i < NR_VCPUS; i++) {
				struct soak_vcpu *c = &vcpus[v * NR_VCPUS + i];
				unsigned int a;

				/* what every vCPU saw is the frozen value */
				if (c->seen[k] != frozen)
					fail_msg("VM %u (%s) vCPU %u saw 0x%016llx in reg %u, frozen 0x%016llx",
						 v, s->label, i, (unsigned long long)c->seen[k], k,
						 (unsigned long long)frozen);
				/* after the freeze only the frozen value is accepted */
				for (a = 0; a < c->nr_accepted_after[k]; a++)
					assert_int_equal(c->accepted_after[k][a], frozen);
			}
		}
		t->writes += atomic_load(&s->writes);
		t->ebusy += atomic_load(&s->ebusy);
		t->identical_after += atomic_load(&s->identical_after);
		t->guest_reads += atomic_load(&s->guest_reads);
		pthread_barrier_destroy(&s->start);
		idregs_vm_destroy(s->vm);
	}
	free(threads);
	free(frozen);
	free(vcpus);
	free(vms);
}

static void test_soak(void **state)
{
	struct idregs_host *hosts[32];
	struct soak_totals t = { 0 };
	const char *env = getenv("IDREGS_SOAK_SECONDS");
	double budget = env ? atof(env) : 1.0, start = now();
	size_t nr_hosts, i;
	unsigned int rounds = 0;

	(void)state;
	nr_hosts = idregs_builtin_count() < 32 ? idregs_builtin_count() : 32;
	for (i = 0; i < nr_hosts; i++)
		hosts[i] = test_host(idregs_builtin_name(i));
	do
		soak_round(hosts, nr_hosts, rounds++, &t);
	while (now() - start < budget);
	assert_true(t.ebusy > 0);
	assert_true(t.identical_after > 0);
	printf("soak: %u rounds of %d VMs x %d vCPU threads in %.1f s: %ld user writes "
	       "(%ld EBUSY, %ld identical after the freeze), %ld guest reads\n",
	       rounds, NR_VMS, NR_VCPUS, now() - start, t.writes, t.ebusy,
	       t.identical_after, t.guest_reads);
	for (i = 0; i < nr_hosts; i++)
		idregs_host_free(hosts[i]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_soak),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
