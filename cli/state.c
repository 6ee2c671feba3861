// SPDX-License-Identifier: MIT
/*
 * idregs state: a sim VM's migration state blob (docs/state.md) saved,
 * restored into a fresh VM on another host, or shown.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define MIDR	IDREGS_ENC(3, 0, 0, 0, 0)
#define REVIDR	IDREGS_ENC(3, 0, 0, 0, 6)
#define AIDR	IDREGS_ENC(3, 1, 0, 0, 7)

static void usage(FILE *out)
{
	fprintf(out,
		"usage: idregs state save --host HOST [--kernel VERSION] [--features LIST]\n"
		"                         [--vcpus N] [--script SIM_SCRIPT] [--set REG=VALUE]...\n"
		"                         -o BLOB\n"
		"       idregs state restore BLOB --host HOST [--kernel VERSION] [--json]\n"
		"       idregs state show BLOB [--json]\n\n"
		"A VM's ID register state as a VMM carries it when the VM migrates: a\n"
		"versioned, checksummed binary blob (docs/state.md).\n\n"
		"save      make a VM on HOST and write its state to BLOB (atomically).\n"
		"          Without --script: vCPUs 0..N-1 (--vcpus, default 1) with the\n"
		"          --features (pmu, sve, ptrauth, el1_32bit). With --script: the\n"
		"          sim script (docs/sim.md) makes the VM, and the state of its\n"
		"          last VM is saved; its result lines are printed. Each --set\n"
		"          then writes REG=VALUE through vCPU 0, and must be accepted.\n"
		"restore   make a fresh VM on HOST with the blob's vCPUs and features\n"
		"          (and the capabilities it needs) and restore the blob into it:\n"
		"          every register or none. Prints \"restored N registers\", or\n"
		"          every field the host refuses and why.\n"
		"show      decode the blob's header and registers.\n\n"
		"  --host HOST       a built-in profile (idregs cpus) or a profile file\n"
		"  --kernel VERSION  KVM release (default: newest for save, the blob's\n"
		"                    for restore)\n"
		CLI_KERNEL_VERSIONS
		"  --json            machine-readable output\n\n"
		"Exit status: 0 done, 1 refused or an input cannot be read (a bad blob\n"
		"included), 2 usage error.\n");
}

static int parse_u64(const char *s, uint64_t *v)
{
	char *end;

	if (!*s)
		return -EINVAL;
	errno = 0;
	*v = strtoull(s, &end, 0);
	return errno || *end ? -EINVAL : 0;
}

/* "pmu,sve" of a feature set ("none" when empty). */
static const char *feature_text(uint32_t features, char *buf, size_t len)
{
	size_t n = 0;
	const char *w;
	uint32_t bits;
	unsigned int i;

	buf[0] = 0;
	for (i = 0; (w = idregs_feature_name(i, &bits)); i++)
		if ((features & bits) == bits && n < len)
			n += (size_t)snprintf(buf + n, len - n, "%s%s", n ? "," : "", w);
	return buf[0] ? buf : "none";
}

/* ---- save ---------------------------------------------------------------- */

static int make_vm(const struct idregs_host *host, unsigned int kernel,
		   uint32_t features, unsigned int nr_vcpus, struct idregs_vm **out)
{
	struct idregs_vm *vm;
	unsigned int i;
	char fb[64];
	int ret;

	ret = idregs_vm_create(host, kernel, &vm);
	if (ret)
		return cli_error(EXIT_FAIL, "state", "cannot create a VM on %s: %s",
				 idregs_host_name(host), idregs_errno_name(ret));
	for (i = 0; i < nr_vcpus; i++) {
		ret = idregs_vcpu_create(vm, i);
		if (!ret)
			ret = idregs_vcpu_init(vm, i, features);
		if (!ret && (features & IDREGS_FEAT_SVE))
			ret = idregs_vcpu_finalize(vm, i);
		if (ret) {
			idregs_vm_destroy(vm);
			return cli_error(EXIT_FAIL, "state", "%s cannot run vCPUs with "
					 "features %s (KVM_ARM_VCPU_INIT: %s)",
					 idregs_host_name(host),
					 feature_text(features, fb, sizeof(fb)),
					 idregs_errno_name(ret));
		}
	}
	*out = vm;
	return 0;
}

static int run_script(const struct idregs_host *host, unsigned int kernel,
		      const char *script, struct idregs_vm **vm)
{
	FILE *in = strcmp(script, "-") ? fopen(script, "r") : stdin;
	int ret;

	if (!in)
		return cli_error(EXIT_FAIL, "state", "cannot read script %s: %s",
				 script, strerror(errno));
	ret = sim_run_script_vm(host, kernel, in, stdout, vm);
	if (in != stdin)
		fclose(in);
	if (ret) {
		idregs_vm_destroy(*vm);
		return cli_error(EXIT_FAIL, "state", "error reading the script %s", script);
	}
	if (!*vm)
		return cli_error(EXIT_FAIL, "state", "the script %s made no VM "
				 "(it needs a 'vm' line)", script);
	return 0;
}

static int set_regs(struct idregs_vm *vm, char **sets, int nr_sets)
{
	int i, ret;

	for (i = 0; i < nr_sets; i++) {
		char *eq = strchr(sets[i], '=');
		uint64_t val;
		uint16_t enc;

		if (!eq)
			return cli_error(EXIT_USAGE, "state", "--set '%s': expected REG=VALUE",
					 sets[i]);
		*eq = 0;
		if (idregs_reg_lookup(sets[i], &enc))
			return cli_error(EXIT_USAGE, "state", "--set: unknown register '%s'",
					 sets[i]);
		if (parse_u64(eq + 1, &val))
			return cli_error(EXIT_USAGE, "state", "--set %s: bad value '%s'",
					 sets[i], eq + 1);
		ret = idregs_vcpu_set(vm, 0, idregs_sysreg_id(enc), val);
		if (ret)
			return cli_error(EXIT_FAIL, "state", "KVM refuses %s=0x%016llx: %s",
					 sets[i], (unsigned long long)val,
					 idregs_errno_name(ret) ? idregs_errno_name(ret) : "?");
	}
	return 0;
}

static int cmd_save(int argc, char **argv)
{
	const char *host_arg = NULL, *kernel_arg = NULL, *script = NULL, *out = NULL;
	unsigned int kernel, nr_vcpus = 1;
	int requested = -1;
	bool shape_given = false;
	struct idregs_host *host = NULL;
	struct idregs_vm *vm = NULL;
	struct idregs_state *st = NULL;
	struct idregs_error err;
	uint32_t features = 0;
	int i, nr_sets = 0, ret;
	void *buf = NULL;
	char **sets;
	size_t len;

	sets = calloc((size_t)argc, sizeof(*sets));
	if (!sets)
		return cli_error(EXIT_FAIL, "state", "out of memory");
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			usage(stdout);
			ret = EXIT_OK;
			goto out;
		} else if (!strcmp(argv[i], "--host") && i + 1 < argc) {
			host_arg = argv[++i];
		} else if (!strcmp(argv[i], "--kernel") && i + 1 < argc) {
			kernel_arg = argv[++i];
		} else if (!strcmp(argv[i], "--features") && i + 1 < argc) {
			shape_given = true;
			ret = cli_features("state", argv[++i], &features);
			if (ret)
				goto out;
		} else if (!strcmp(argv[i], "--vcpus") && i + 1 < argc) {
			uint64_t n;

			shape_given = true;
			if (parse_u64(argv[++i], &n) || !n || n > IDREGS_MAX_VCPUS) {
				ret = cli_error(EXIT_USAGE, "state", "--vcpus: expected "
						"1..%d, not '%s'", IDREGS_MAX_VCPUS, argv[i]);
				goto out;
			}
			nr_vcpus = (unsigned int)n;
		} else if (!strcmp(argv[i], "--script") && i + 1 < argc) {
			script = argv[++i];
		} else if (!strcmp(argv[i], "--set") && i + 1 < argc) {
			sets[nr_sets++] = argv[++i];
		} else if (!strcmp(argv[i], "-o") && i + 1 < argc) {
			out = argv[++i];
		} else {
			ret = cli_error(EXIT_USAGE, "state", "save: unknown option or "
					"missing argument '%s' (see --help)", argv[i]);
			goto out;
		}
	}
	if (!host_arg || !out) {
		ret = cli_error(EXIT_USAGE, "state", "save needs --host HOST and -o BLOB (see --help)");
		goto out;
	}
	if (script && shape_given) {
		ret = cli_error(EXIT_USAGE, "state", "save: with --script the script's "
				"'vm' and 'vcpu' lines give the features and vCPUs");
		goto out;
	}
	if (kernel_arg) {
		if (cli_kernel("state", kernel_arg, &kernel)) {
			ret = EXIT_USAGE;
			goto out;
		}
		requested = (int)kernel;
	}
	if (idregs_host_load(host_arg, &host, &err)) {
		ret = cli_error(EXIT_FAIL, "state", "cannot read host: %s", err.msg);
		goto out;
	}
	ret = cli_host_release("state", host, requested, -1, &kernel);
	if (ret)
		goto out;
	ret = script ? run_script(host, kernel, script, &vm) :
		       make_vm(host, kernel, features, nr_vcpus, &vm);
	if (ret)
		goto out;
	ret = set_regs(vm, sets, nr_sets);
	if (ret)
		goto out;
	len = 0;
	ret = idregs_state_save(vm, 0, NULL, &len);
	buf = ret == -E2BIG ? malloc(len) : NULL;
	st = malloc(sizeof(*st));
	if (ret == -E2BIG && buf && st)
		ret = idregs_state_save(vm, 0, buf, &len);
	if (ret) {
		ret = cli_error(EXIT_FAIL, "state", "cannot save the VM through vCPU 0: %s",
				idregs_errno_name(ret) ? idregs_errno_name(ret) : "out of memory");
		goto out;
	}
	if (idregs_state_write_file(out, buf, len, &err)) {
		ret = cli_error(EXIT_FAIL, "state", "%s", err.msg);
		goto out;
	}
	idregs_state_parse(buf, len, st, &err);
	printf("saved %zu registers (%zu VM-scoped, MPIDR_EL1 and CLIDR_EL1 of "
	       "%zu vCPU%s) to %s: %zu bytes\n", st->nr_regs + 2 * st->nr_vcpus,
	       st->nr_regs, st->nr_vcpus, st->nr_vcpus == 1 ? "" : "s", out, len);
	ret = EXIT_OK;
out:
	free(st);
	free(buf);
	idregs_vm_destroy(vm);
	idregs_host_free(host);
	free(sets);
	return ret;
}

/* ---- restore ------------------------------------------------------------- */

static int load_blob(const char *path, void **buf, size_t *len,
		     struct idregs_state *st)
{
	struct idregs_error err;

	if (idregs_state_read_file(path, buf, len, &err))
		return cli_error(EXIT_FAIL, "state", "%s", err.msg);
	if (idregs_state_parse(*buf, *len, st, &err)) {
		free(*buf);
		*buf = NULL;
		return cli_error(EXIT_FAIL, "state", "%s: %s", path, err.msg);
	}
	return 0;
}

/* Whether the blob's MIDR/REVIDR/AIDR differ from what host's VMs get: a
 * VMM enables the writable implementation-ID capability only then. */
static bool imp_differs(const struct idregs_host *host, unsigned int kernel,
			const struct idregs_state *st)
{
	static const uint16_t imp[] = { MIDR, REVIDR, AIDR };
	struct idregs_vm *probe;
	bool differs = false;
	size_t i, j;

	/* when the host cannot make it, make_dest() says why */
	if (idregs_vm_create(host, kernel, &probe))
		return false;
	if (idregs_vcpu_create(probe, 0) ||
	    idregs_vcpu_init(probe, 0, st->features)) {
		idregs_vm_destroy(probe);
		return false;
	}
	for (i = 0; i < st->nr_regs; i++)
		for (j = 0; j < sizeof(imp) / sizeof(imp[0]); j++) {
			uint64_t v = 0;

			if (st->reg_id[i] != idregs_sysreg_id(imp[j]))
				continue;
			idregs_vcpu_get(probe, 0, st->reg_id[i], &v);
			differs |= v != st->reg_val[i];
		}
	idregs_vm_destroy(probe);
	return differs;
}

/* A fresh VM on host shaped as the blob's source: capabilities, vGIC,
 * the same vCPU ids with the same features. */
static int make_dest(const struct idregs_host *host, unsigned int kernel,
		     const struct idregs_state *st, struct idregs_vm **out)
{
	bool imp = imp_differs(host, kernel, st);
	struct idregs_vm *vm;
	size_t i;
	char fb[64];
	int ret;

	ret = idregs_vm_create(host, kernel, &vm);
	if (ret)
		return cli_error(EXIT_FAIL, "state", "cannot create a VM on %s: %s",
				 idregs_host_name(host), idregs_errno_name(ret));
	/* a capability the host lacks shows up as refused fields */
	if (st->flags & IDREGS_STATE_F_MTE)
		idregs_vm_enable_cap(vm, IDREGS_CAP_ARM_MTE);
	if (imp)
		idregs_vm_enable_cap(vm, IDREGS_CAP_ARM_WRITABLE_IMP_ID_REGS);
	if (st->flags & IDREGS_STATE_F_VGIC_V3)
		idregs_vm_create_vgic_v3(vm);
	for (i = 0; i < st->nr_vcpus; i++) {
		unsigned int id = st->vcpus[i].id;

		ret = idregs_vcpu_create(vm, id);
		if (!ret)
			ret = idregs_vcpu_init(vm, id, st->features);
		if (!ret && (st->features & IDREGS_FEAT_SVE))
			ret = idregs_vcpu_finalize(vm, id);
		if (ret) {
			idregs_vm_destroy(vm);
			return cli_error(EXIT_FAIL, "state", "%s cannot run the blob's "
					 "vCPUs (features %s; KVM_ARM_VCPU_INIT: %s)",
					 idregs_host_name(host),
					 feature_text(st->features, fb, sizeof(fb)),
					 idregs_errno_name(ret));
		}
	}
	*out = vm;
	return 0;
}

static void print_result(const char *host, unsigned int kernel,
			 const struct idregs_state *st, int ret,
			 const struct idregs_check_report *rep,
			 const struct idregs_error *err, bool json)
{
	size_t n = st->nr_regs + 2 * st->nr_vcpus, i;

	if (json) {
		printf("{\"host\": ");
		cli_json_string(stdout, host);
		printf(", \"kernel\": \"%s\", \"restored\": %s, \"registers\": %zu, "
		       "\"error\": ", idregs_kernel_version(kernel), ret ? "false" : "true",
		       ret ? (size_t)0 : n);
		if (ret)
			cli_json_string(stdout, err->msg);
		else
			printf("null");
		printf(", \"imp_cap_missing\": %s, \"refusals\": [",
		       rep->imp_cap_missing ? "true" : "false");
		for (i = 0; i < rep->nr_refusals; i++) {
			printf("%s", i ? ", " : "");
			cli_print_refusal(stdout, &rep->refusals[i], kernel, true);
		}
		printf("], \"dropped\": %zu}\n", rep->dropped);
		return;
	}
	if (!ret) {
		printf("restored %zu registers (%zu VM-scoped, MPIDR_EL1 and CLIDR_EL1 "
		       "of %zu vCPU%s) on %s (KVM %s)\n", n, st->nr_regs, st->nr_vcpus,
		       st->nr_vcpus == 1 ? "" : "s", host, idregs_kernel_name(kernel));
		return;
	}
	printf("%s (KVM %s): refused: %s\n", host, idregs_kernel_name(kernel), err->msg);
	for (i = 0; i < rep->nr_refusals; i++)
		cli_print_refusal(stdout, &rep->refusals[i], kernel, false);
	if (rep->dropped)
		printf("  ... and %zu more\n", rep->dropped);
}

static int cmd_restore(int argc, char **argv)
{
	const char *host_arg = NULL, *kernel_arg = NULL, *path = NULL;
	struct idregs_check_report *rep = NULL;
	struct idregs_state *st = NULL;
	struct idregs_host *host = NULL;
	struct idregs_vm *vm = NULL;
	struct idregs_error err;
	unsigned int kernel;
	int requested = -1;
	bool json = false;
	void *buf = NULL;
	size_t len;
	int i, ret;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			usage(stdout);
			return EXIT_OK;
		} else if (!strcmp(argv[i], "--host") && i + 1 < argc) {
			host_arg = argv[++i];
		} else if (!strcmp(argv[i], "--kernel") && i + 1 < argc) {
			kernel_arg = argv[++i];
		} else if (!strcmp(argv[i], "--json")) {
			json = true;
		} else if (argv[i][0] == '-' && argv[i][1]) {
			return cli_error(EXIT_USAGE, "state", "restore: unknown option or "
					 "missing argument '%s' (see --help)", argv[i]);
		} else if (!path) {
			path = argv[i];
		} else {
			return cli_error(EXIT_USAGE, "state", "restore: more than one BLOB given");
		}
	}
	if (!path || !host_arg)
		return cli_error(EXIT_USAGE, "state", "restore needs BLOB and --host HOST (see --help)");
	st = malloc(sizeof(*st));
	rep = calloc(1, sizeof(*rep));
	if (!st || !rep) {
		ret = cli_error(EXIT_FAIL, "state", "out of memory");
		goto out;
	}
	ret = load_blob(path, &buf, &len, st);
	if (ret)
		goto out;
	if (kernel_arg) {
		if (cli_kernel("state", kernel_arg, &kernel)) {
			ret = EXIT_USAGE;
			goto out;
		}
		requested = (int)kernel;
	}
	if (idregs_host_load(host_arg, &host, &err)) {
		ret = cli_error(EXIT_FAIL, "state", "cannot read host: %s", err.msg);
		goto out;
	}
	/* the destination's own release, else --kernel, else the blob's: a
	 * blob saved under another release restores across the upgrade */
	if (!idregs_host_has_release(host) && requested < 0 && idregs_kernel_parse(st->kernel) < 0) {
		ret = cli_error(EXIT_USAGE, "state", "the blob was saved under KVM %s, "
				"which this build does not know: give --kernel", st->kernel);
		goto out;
	}
	ret = cli_host_release("state", host, requested, idregs_kernel_parse(st->kernel), &kernel);
	if (ret)
		goto out;
	ret = make_dest(host, kernel, st, &vm);
	if (ret)
		goto out;
	ret = idregs_state_restore(vm, buf, len, rep, &err);
	print_result(idregs_host_name(host), kernel, st, ret, rep, &err, json);
	ret = ret ? EXIT_FAIL : EXIT_OK;
out:
	idregs_vm_destroy(vm);
	idregs_host_free(host);
	free(buf);
	free(rep);
	free(st);
	return ret;
}

/* ---- show ---------------------------------------------------------------- */

static const char *const flag_names[] = { "mte", "writable-imp", "vgic-v3", "ran" };

static void show_text(const char *path, const struct idregs_state *st)
{
	char fb[64], name[24];
	bool any = false;
	size_t i;

	printf("%s: idregs state blob, format version %u, %u bytes, CRC-32 0x%08x\n",
	       path, st->version, st->length, st->crc);
	printf("kernel:   %s\n", st->kernel);
	printf("features: %s (0x%x)\n", feature_text(st->features, fb, sizeof(fb)),
	       st->features);
	printf("flags:   ");
	for (i = 0; i < sizeof(flag_names) / sizeof(flag_names[0]); i++)
		if (st->flags & (1u << i)) {
			printf("%s%s", any ? ", " : " ", flag_names[i]);
			any = true;
		}
	printf("%s\n", any ? "" : " none");
	printf("VM-scoped registers: %zu\n", st->nr_regs);
	for (i = 0; i < st->nr_regs; i++)
		printf("  %-20s 0x%016llx\n",
		       idregs_reg_name((uint16_t)st->reg_id[i], name),
		       (unsigned long long)st->reg_val[i]);
	printf("vCPUs: %zu\n", st->nr_vcpus);
	for (i = 0; i < st->nr_vcpus; i++)
		printf("  vCPU %-4u MPIDR_EL1 0x%016llx  CLIDR_EL1 0x%016llx\n",
		       st->vcpus[i].id, (unsigned long long)st->vcpus[i].mpidr,
		       (unsigned long long)st->vcpus[i].clidr);
}

static void show_json(const char *path, const struct idregs_state *st)
{
	const char *w;
	uint32_t bits;
	char name[24];
	bool first = true;
	size_t i;

	printf("{\"file\": ");
	cli_json_string(stdout, path);
	printf(", \"format_version\": %u, \"length\": %u, \"crc32\": \"0x%08x\", "
	       "\"kernel\": ", st->version, st->length, st->crc);
	cli_json_string(stdout, st->kernel);
	printf(", \"features\": [");
	for (i = 0; (w = idregs_feature_name((unsigned int)i, &bits)); i++)
		if ((st->features & bits) == bits) {
			printf("%s\"%s\"", first ? "" : ", ", w);
			first = false;
		}
	printf("], \"flags\": [");
	first = true;
	for (i = 0; i < sizeof(flag_names) / sizeof(flag_names[0]); i++)
		if (st->flags & (1u << i)) {
			printf("%s\"%s\"", first ? "" : ", ", flag_names[i]);
			first = false;
		}
	printf("], \"regs\": {");
	for (i = 0; i < st->nr_regs; i++)
		printf("%s\"%s\": \"0x%016llx\"", i ? ", " : "",
		       idregs_reg_name((uint16_t)st->reg_id[i], name),
		       (unsigned long long)st->reg_val[i]);
	printf("}, \"vcpus\": [");
	for (i = 0; i < st->nr_vcpus; i++)
		printf("%s{\"id\": %u, \"MPIDR_EL1\": \"0x%016llx\", "
		       "\"CLIDR_EL1\": \"0x%016llx\"}", i ? ", " : "", st->vcpus[i].id,
		       (unsigned long long)st->vcpus[i].mpidr,
		       (unsigned long long)st->vcpus[i].clidr);
	printf("]}\n");
}

static int cmd_show_blob(int argc, char **argv)
{
	struct idregs_state *st;
	const char *path = NULL;
	bool json = false;
	void *buf = NULL;
	size_t len;
	int i, ret;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			usage(stdout);
			return EXIT_OK;
		} else if (!strcmp(argv[i], "--json")) {
			json = true;
		} else if (argv[i][0] == '-' && argv[i][1]) {
			return cli_error(EXIT_USAGE, "state", "show: unknown option '%s' "
					 "(see --help)", argv[i]);
		} else if (!path) {
			path = argv[i];
		} else {
			return cli_error(EXIT_USAGE, "state", "show: more than one BLOB given");
		}
	}
	if (!path)
		return cli_error(EXIT_USAGE, "state", "show needs BLOB (see --help)");
	st = malloc(sizeof(*st));
	if (!st)
		return cli_error(EXIT_FAIL, "state", "out of memory");
	ret = load_blob(path, &buf, &len, st);
	if (!ret) {
		if (json)
			show_json(path, st);
		else
			show_text(path, st);
	}
	free(buf);
	free(st);
	return ret;
}

int cmd_state(int argc, char **argv)
{
	if (argc < 2)
		return cli_error(EXIT_USAGE, "state", "expected save, restore or show "
				 "(see --help)");
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage(stdout);
		return EXIT_OK;
	}
	if (!strcmp(argv[1], "save"))
		return cmd_save(argc - 1, argv + 1);
	if (!strcmp(argv[1], "restore"))
		return cmd_restore(argc - 1, argv + 1);
	if (!strcmp(argv[1], "show"))
		return cmd_show_blob(argc - 1, argv + 1);
	return cli_error(EXIT_USAGE, "state", "unknown subcommand '%s' (expected "
			 "save, restore or show)", argv[1]);
}
