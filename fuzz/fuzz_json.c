// SPDX-License-Identifier: MIT
/*
 * The JSON readers on arbitrary text: host profiles (idregs_host_parse),
 * CPU models (idregs_model_parse) and Firecracker CPU templates
 * (idregs_fc_import, resolved on a built-in host). Every input goes to all
 * three. What is accepted is then used: written back to JSON and read again
 * (the round trip must give the same object), a host gets a VM with a vCPU,
 * a model is checked against a built-in host, a template's model is
 * exported again. And the fast host reader (host_fast.c) must give what
 * the general one gives whenever it accepts a document.
 */
#include "fuzz.h"
#include "internal.h"

#define MAX_HOSTS 32

static struct idregs_host *hosts[MAX_HOSTS];
static size_t nr_hosts;

static void init(void)
{
	struct idregs_error err;

	if (nr_hosts)
		return;
	for (; nr_hosts < idregs_builtin_count() && nr_hosts < MAX_HOSTS; nr_hosts++)
		FUZZ_ASSERT(!idregs_host_load(idregs_builtin_name(nr_hosts),
					      &hosts[nr_hosts], &err), "%s", err.msg);
}

static void check_msg(const struct idregs_error *err)
{
	size_t n = strnlen(err->msg, sizeof(err->msg));

	FUZZ_ASSERT(n < sizeof(err->msg), "error message not terminated");
	FUZZ_ASSERT(n > 0, "empty error message");
}

static void use_host(struct idregs_host *h)
{
	struct idregs_host *again = NULL;
	struct idregs_error err;
	struct idregs_vm *vm;
	size_t i;
	char *text = idregs_host_to_json(h);
	uint32_t features = idregs_host_features(h);

	FUZZ_ASSERT(text, "host_to_json failed");
	FUZZ_ASSERT(!idregs_host_parse(text, strlen(text), "round trip", &again, &err),
		    "a host profile written by idregs does not read back: %s\n%s",
		    err.msg, text);
	FUZZ_ASSERT(!strcmp(idregs_host_name(h), idregs_host_name(again)),
		    "host name \"%s\" reads back as \"%s\"", idregs_host_name(h),
		    idregs_host_name(again));
	FUZZ_ASSERT(idregs_host_is_kvm(h) == idregs_host_is_kvm(again), "kind");
	FUZZ_ASSERT(idregs_host_features(again) == features, "features");
	FUZZ_ASSERT(idregs_host_cpu_count(h) == idregs_host_cpu_count(again), "cpus");
	for (i = 0; i < idregs_host_cpu_count(h); i++)
		FUZZ_ASSERT(!memcmp(idregs_host_cpu(h, i), idregs_host_cpu(again, i),
				    sizeof(struct idregs_regset)), "cpu %zu", i);
	free(text);
	idregs_host_free(again);
	if (idregs_vm_create(h, idregs_kernel_default(), &vm))
		return;
	if (!idregs_vcpu_create(vm, 0) && !idregs_vcpu_init(vm, 0, features) &&
	    (!(features & IDREGS_FEAT_SVE) || !idregs_vcpu_finalize(vm, 0))) {
		for (i = 0; i < IDREGS_SPACE_SIZE; i++) {
			uint64_t v;

			idregs_vcpu_get(vm, 0, idregs_sysreg_id(idregs_space_enc((unsigned int)i)), &v);
		}
	}
	idregs_vm_destroy(vm);
}

static void same_model(const struct idregs_model *a, const struct idregs_model *b,
		       const char *text)
{
	FUZZ_ASSERT(!strcmp(a->name, b->name), "model name \"%s\" reads back as \"%s\"",
		    a->name, b->name);
	FUZZ_ASSERT(a->kernel == b->kernel && a->features == b->features,
		    "kernel/features differ after a round trip");
	FUZZ_ASSERT(!memcmp(a->has, b->has, sizeof(a->has)) &&
		    !memcmp(&a->regs, &b->regs, sizeof(a->regs)),
		    "registers differ after a round trip\n%s", text);
	FUZZ_ASSERT(!memcmp(&a->host_bits, &b->host_bits, sizeof(a->host_bits)),
		    "host_bits differ after a round trip\n%s", text);
	FUZZ_ASSERT(!strcmp(a->provenance, b->provenance),
		    "provenance %s reads back as %s", a->provenance, b->provenance);
}

static void use_model(const struct idregs_model *m, const struct idregs_host *h)
{
	struct idregs_model *again = calloc(1, sizeof(*again));
	struct idregs_check_report *rep = calloc(1, sizeof(*rep));
	struct idregs_error err;
	char *text = idregs_model_to_json(m);
	unsigned int kernel = m->kernel >= 0 ? (unsigned int)m->kernel :
			      idregs_kernel_default();

	FUZZ_ASSERT(again && rep && text, "out of memory");
	FUZZ_ASSERT(!idregs_model_parse(text, strlen(text), "round trip", again, &err),
		    "a model written by idregs does not read back: %s\n%s", err.msg, text);
	same_model(m, again, text);
	free(text);
	FUZZ_ASSERT(!idregs_check(h, kernel, m, rep), "check failed");
	FUZZ_ASSERT(rep->nr_refusals <= IDREGS_MAX_REFUSALS, "refusals");
	text = idregs_fc_export(m, h, kernel, &err);
	free(text);
	text = idregs_qemu_export(m, h, kernel, &err);
	free(text);
	free(again);
	free(rep);
}

/* The fast reader declines or agrees with the general one exactly. */
static void fast_vs_general(const char *text, size_t size)
{
	struct idregs_host *fast = NULL, *gen = NULL;
	struct idregs_error err;
	size_t i;

	if (idregs_host_parse_fast(text, size, &fast))
		return;
	FUZZ_ASSERT(!idregs_host_parse_general(text, size, "fuzz.json", &gen, &err),
		    "the fast reader accepts what the general one refuses: %s", err.msg);
	FUZZ_ASSERT(!strcmp(fast->name, gen->name) && fast->kvm == gen->kvm &&
		    fast->nvhe == gen->nvhe && !strcmp(fast->kernel, gen->kernel) &&
		    fast->features == gen->features && fast->ncpus == gen->ncpus &&
		    !memcmp(&fast->regs, &gen->regs, sizeof(fast->regs)) &&
		    !memcmp(&fast->masks, &gen->masks, sizeof(fast->masks)),
		    "the fast and general readers differ (name \"%s\" / \"%s\")",
		    fast->name, gen->name);
	for (i = 0; i < fast->ncpus; i++)
		FUZZ_ASSERT(!memcmp(&fast->cpus[i], &gen->cpus[i], sizeof(fast->cpus[i])),
			    "the fast and general readers differ in cpus[%zu]", i);
	idregs_host_free(fast);
	idregs_host_free(gen);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	struct idregs_model *m = calloc(1, sizeof(*m));
	struct idregs_host *h = NULL;
	struct idregs_error err;
	const struct idregs_host *on;

	init();
	FUZZ_ASSERT(m, "out of memory");
	on = hosts[(size ? data[size - 1] : 0) % nr_hosts];

	fast_vs_general(text, size);
	memset(&err, 0x55, sizeof(err));
	if (!idregs_host_parse(text, size, "fuzz.json", &h, &err)) {
		use_host(h);
		idregs_host_free(h);
	} else {
		check_msg(&err);
	}

	memset(&err, 0x55, sizeof(err));
	if (!idregs_model_parse(text, size, "fuzz.json", m, &err))
		use_model(m, on);
	else
		check_msg(&err);

	memset(&err, 0x55, sizeof(err));
	if (!idregs_fc_import(text, size, "fuzz.json", on,
			      (size ? data[0] : 0) % idregs_kernel_count(), m, &err))
		use_model(m, on);
	else
		check_msg(&err);
	free(m);
	return 0;
}
