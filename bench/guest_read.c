// SPDX-License-Identifier: MIT
/*
 * The guest read path: vCPU threads emulate trapped MRS reads of every
 * described ID register (ESR_EL2 decode, then the VM's value) for a fixed
 * time, optionally while a user-space thread does KVM_GET_ONE_REG in a
 * loop. Built twice: against libidregs, and against a second build of it
 * with IDREGS_BENCH_LOCKED_GUEST_READS (every read takes config_lock).
 *
 *   guest_read [--threads N] [--ms MS] [--reps R] [--user-reader] [--host H]
 *              [--one] [--null]
 *   guest_read [--one] --count N   N reads on one thread, untimed (callgrind)
 *
 * Reads cycle through every described register (62 ESRs, so the branches
 * differ from read to read), or with --one repeat ID_AA64ISAR0_EL1. --null
 * calls an empty function instead: the cost of the loop around the call.
 *
 * Prints one JSON object per line.
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "idregs.h"

#ifndef BENCH_DESIGN
#define BENCH_DESIGN "lock-free"
#endif

#define MAX_THREADS	64
#define MAX_REGS	256
#define BATCH		256	/* reads between looks at the stop flag */

struct bench {
	struct idregs_vm *vm;
	uint32_t esr[MAX_REGS];
	unsigned int nr_esr;
	atomic_bool go;
	atomic_bool stop;
};

/* Each thread's results on its own cache line: no false sharing. */
struct worker {
	struct bench *b;
	unsigned int vcpu;
	pthread_t tid;
	unsigned long ops;
	double ns;		/* wall time */
	double cpu_ns;		/* the thread's CPU time */
	uint64_t sink;
	int err;
} __attribute__((aligned(64)));

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

typedef int (*access_fn)(struct idregs_vm *vm, unsigned int vcpu, uint32_t esr,
			 uint64_t *rt);

/* --null: what the loop costs without the library */
static __attribute__((noinline)) int null_access(struct idregs_vm *vm,
						 unsigned int vcpu, uint32_t esr,
						 uint64_t *rt)
{
	(void)vm;
	(void)vcpu;
	*rt = esr;
	return 0;
}

static bool null_mode;

/* Inlined with a constant fn: a direct call in a loop of a few
 * instructions (everything in registers). */
static inline __attribute__((always_inline)) void
read_loop(struct worker *w, access_fn fn)
{
	struct bench *b = w->b;
	unsigned int i = 0, k, n = b->nr_esr, vcpu = w->vcpu;
	struct idregs_vm *vm = b->vm;
	const uint32_t *esr = b->esr;
	uint64_t rt, sink = 0;
	unsigned long ops = 0;
	double t0, c0;
	int err = 0;

	t0 = now_ns();
	c0 = clock_ns(CLOCK_THREAD_CPUTIME_ID);
	/* one batch at least, even for a thread scheduled after the stop */
	do {
		for (k = 0; k < BATCH; k++) {
			err |= fn(vm, vcpu, esr[i], &rt);
			sink ^= rt;
			if (++i == n)
				i = 0;
		}
		ops += BATCH;
	} while (!atomic_load_explicit(&b->stop, memory_order_relaxed));
	w->cpu_ns = clock_ns(CLOCK_THREAD_CPUTIME_ID) - c0;
	w->ns = now_ns() - t0;
	w->ops = ops;
	w->sink = sink;
	w->err = err < 0;
}

static void *vcpu_thread(void *p)
{
	struct worker *w = p;

	while (!atomic_load_explicit(&w->b->go, memory_order_acquire))
		;
	if (null_mode)
		read_loop(w, null_access);
	else
		read_loop(w, idregs_vcpu_guest_access);
	return NULL;
}

/* KVM_GET_ONE_REG of every register, through a vCPU no guest thread uses. */
static void *user_thread(void *p)
{
	struct worker *w = p;
	struct bench *b = w->b;
	unsigned int i = 0, n = idregs_reg_count();
	unsigned long ops = 0;
	uint64_t v, sink = 0;
	double t0;

	while (!atomic_load_explicit(&b->go, memory_order_acquire))
		;
	t0 = now_ns();
	do {
		if (idregs_vcpu_get(b->vm, w->vcpu,
				    idregs_sysreg_id(idregs_reg_enc(i)), &v))
			w->err++;
		sink ^= v;
		if (++i == n)
			i = 0;
		ops++;
	} while (!atomic_load_explicit(&b->stop, memory_order_relaxed));
	w->ns = now_ns() - t0;
	w->ops = ops;
	w->sink = sink;
	return NULL;
}

static void die(const char *what, int err)
{
	fprintf(stderr, "guest_read: %s: %s\n", what, strerror(err < 0 ? -err : err));
	exit(1);
}

/* A VM of host with nvcpus vCPUs (no features), every one run once. */
static struct idregs_vm *make_vm(const char *host, unsigned int nvcpus)
{
	struct idregs_error err;
	struct idregs_host *h;
	struct idregs_vm *vm;
	unsigned int i;
	int ret;

	if (idregs_host_load(host, &h, &err)) {
		fprintf(stderr, "guest_read: %s\n", err.msg);
		exit(1);
	}
	ret = idregs_vm_create(h, idregs_kernel_default(), &vm);
	if (ret)
		die("vm_create", ret);
	for (i = 0; i < nvcpus; i++) {
		ret = idregs_vcpu_create(vm, i);
		if (!ret)
			ret = idregs_vcpu_init(vm, i, 0);
		if (!ret)
			ret = idregs_vcpu_run(vm, i);
		if (ret)
			die("vcpu", ret);
	}
	idregs_host_free(h);
	return vm;
}

static bool one_reg;

static void fill_esrs(struct bench *b)
{
	unsigned int i, n = idregs_reg_count();

	if (one_reg) {
		b->esr[b->nr_esr++] = idregs_esr_sysreg(IDREGS_ENC(3, 0, 0, 6, 0), 3, true);
		return;
	}
	for (i = 0; i < n && i < MAX_REGS; i++)
		b->esr[b->nr_esr++] = idregs_esr_sysreg(idregs_reg_enc(i), 3, true);
}

/* N reads on one thread with nothing else: for callgrind's count. */
static int count_mode(const char *host, unsigned long n)
{
	struct bench b = { .vm = make_vm(host, 1) };
	uint64_t rt, sink = 0;
	unsigned long k;
	unsigned int i = 0;

	fill_esrs(&b);
	for (k = 0; k < n; k++) {
		idregs_vcpu_guest_access(b.vm, 0, b.esr[i], &rt);
		sink ^= rt;
		if (++i == b.nr_esr)
			i = 0;
	}
	printf("{\"design\": \"%s\", \"reads\": %lu, \"regs\": %u, \"sink\": %llu}\n",
	       BENCH_DESIGN, n, b.nr_esr, (unsigned long long)sink);
	idregs_vm_destroy(b.vm);
	return 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	unsigned int threads = 1, reps = 5, ms = 300, r, i;
	double tput[32], lat[32], cpu_lat[32], user_rate[32];
	static struct worker w[MAX_THREADS + 1];
	const char *host = "neoverse-n1";
	bool user_reader = false;
	int a;

	for (a = 1; a < argc; a++) {
		if (!strcmp(argv[a], "--threads") && a + 1 < argc)
			threads = (unsigned int)atoi(argv[++a]);
		else if (!strcmp(argv[a], "--ms") && a + 1 < argc)
			ms = (unsigned int)atoi(argv[++a]);
		else if (!strcmp(argv[a], "--reps") && a + 1 < argc)
			reps = (unsigned int)atoi(argv[++a]);
		else if (!strcmp(argv[a], "--host") && a + 1 < argc)
			host = argv[++a];
		else if (!strcmp(argv[a], "--user-reader"))
			user_reader = true;
		else if (!strcmp(argv[a], "--one"))
			one_reg = true;
		else if (!strcmp(argv[a], "--null"))
			null_mode = true;
		else if (!strcmp(argv[a], "--count") && a + 1 < argc)
			return count_mode(host, strtoul(argv[++a], NULL, 0));
		else {
			fprintf(stderr, "guest_read: bad argument '%s'\n", argv[a]);
			return 2;
		}
	}
	if (!threads || threads > MAX_THREADS || !reps || reps > 32)
		return 2;
	for (r = 0; r < reps; r++) {
		/* vCPUs 0..threads-1 for the guest, one more for user space */
		struct bench *b = calloc(1, sizeof(*b));
		unsigned int nw = threads + user_reader;
		struct timespec d = { ms / 1000, (long)(ms % 1000) * 1000000 };
		double ns_sum = 0, cpu_sum = 0, ops_sum = 0;

		if (!b)
			die("calloc", ENOMEM);
		b->vm = make_vm(host, threads + 1);
		fill_esrs(b);
		for (i = 0; i < nw; i++) {
			w[i] = (struct worker){ .b = b, .vcpu = i };
			if (pthread_create(&w[i].tid, NULL,
					   i < threads ? vcpu_thread : user_thread, &w[i]))
				die("pthread_create", errno);
		}
		atomic_store_explicit(&b->go, true, memory_order_release);
		nanosleep(&d, NULL);
		atomic_store_explicit(&b->stop, true, memory_order_relaxed);
		for (i = 0; i < nw; i++) {
			pthread_join(w[i].tid, NULL);
			if (w[i].err)
				die("a read failed", EIO);
		}
		for (i = 0; i < threads; i++) {
			ns_sum += w[i].ns;
			cpu_sum += w[i].cpu_ns;
			ops_sum += (double)w[i].ops;
		}
		/* throughput: the sum of each vCPU's reads per second */
		tput[r] = 0;
		for (i = 0; i < threads; i++)
			tput[r] += w[i].ops / (w[i].ns / 1e9) / 1e6;
		/* a starved thread (the mutex) counts with its time, not as inf */
		lat[r] = ns_sum / ops_sum;
		cpu_lat[r] = cpu_sum / ops_sum;
		user_rate[r] = user_reader ? w[threads].ops / (w[threads].ns / 1e9) / 1e6 : 0;
		idregs_vm_destroy(b->vm);
		free(b);
	}
	qsort(tput, reps, sizeof(tput[0]), cmp_double);
	qsort(lat, reps, sizeof(lat[0]), cmp_double);
	qsort(cpu_lat, reps, sizeof(cpu_lat[0]), cmp_double);
	qsort(user_rate, reps, sizeof(user_rate[0]), cmp_double);
	printf("{\"design\": \"%s\", \"threads\": %u, \"user_reader\": %s, "
	       "\"ns_per_read\": %.3f, \"cpu_ns_per_read\": %.3f, \"mreads_per_s\": %.3f, "
	       "\"user_mgets_per_s\": %.3f, \"reps\": %u, \"ms\": %u, "
	       "\"regs\": %u}\n", null_mode ? "null" : BENCH_DESIGN, threads,
	       user_reader ? "true" : "false", lat[reps / 2], cpu_lat[reps / 2],
	       tput[reps / 2],
	       user_rate[reps / 2], reps, ms, one_reg ? 1 : idregs_reg_count());
	return 0;
}
