// SPDX-License-Identifier: MIT
/* idregs template: Firecracker CPU templates in, templates and QEMU -cpu out. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

struct template_args {
	const char *verb;	/* "import" or "export" */
	const char *input;
	const char *host;
	const char *out;
	const char *name;
	const char *format;
	const char *kernel;
};

static void usage(FILE *out)
{
	fprintf(out,
		"usage: idregs template import TEMPLATE --host HOST [--kernel VERSION]\n"
		"                              [--name NAME] [-o MODEL]\n"
		"       idregs template export MODEL --host HOST [--kernel VERSION]\n"
		"                              [--format firecracker|qemu] [-o FILE]\n\n"
		"import: a Firecracker custom CPU template (aarch64) into a CPU model\n"
		"(idregs-model/1). A template names bits to change; the others are the\n"
		"host's, so it is resolved on HOST: each register is read from a VM of\n"
		"the host whose vCPU has the template's features, then changed as\n"
		"Firecracker does. The result is checked on HOST (a refusal is an error:\n"
		"Firecracker would fail to boot with the template there).\n\n"
		"export: the smallest template (or QEMU -cpu string) that turns HOST's\n"
		"default VM into the model: one modifier per register that differs,\n"
		"with the differing fields fixed and x elsewhere.\n\n"
		"  --host HOST       built-in profile or host profile file\n"
		"  --kernel VERSION  KVM release (default: the model's, else the newest)\n"
		CLI_KERNEL_VERSIONS
		"  --name NAME       the model's name (default: the template's file name)\n"
		"  --format FORMAT   firecracker (default): custom CPU template JSON;\n"
		"                    qemu: -cpu host,SYSREG_<REG>_<FIELD>=...,pmu=,sve=,pauth=\n"
		"  -o FILE           write the result to a file (atomically)\n\n"
		"Exit status: 0 done, 1 an input cannot be read or converted (or the\n"
		"host refuses the imported model), 2 usage error.\n");
}

static int parse_args(int argc, char **argv, struct template_args *a)
{
	int i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			usage(stdout);
			return -1;
		} else if (!strcmp(argv[i], "--host") && i + 1 < argc) {
			a->host = argv[++i];
		} else if (!strcmp(argv[i], "--kernel") && i + 1 < argc) {
			a->kernel = argv[++i];
		} else if (!strcmp(argv[i], "--name") && i + 1 < argc) {
			a->name = argv[++i];
		} else if (!strcmp(argv[i], "--format") && i + 1 < argc) {
			a->format = argv[++i];
		} else if (!strcmp(argv[i], "-o") && i + 1 < argc) {
			a->out = argv[++i];
		} else if (argv[i][0] == '-' && argv[i][1]) {
			return cli_error(EXIT_USAGE, "template",
					 "unknown option or missing argument '%s' (see --help)",
					 argv[i]);
		} else if (!a->verb) {
			a->verb = argv[i];
		} else if (!a->input) {
			a->input = argv[i];
		} else {
			return cli_error(EXIT_USAGE, "template", "unexpected argument '%s'",
					 argv[i]);
		}
	}
	if (!a->verb || (strcmp(a->verb, "import") && strcmp(a->verb, "export")))
		return cli_error(EXIT_USAGE, "template",
				 "expected 'import' or 'export' (see --help)");
	if (!a->input || !a->host)
		return cli_error(EXIT_USAGE, "template", "%s needs %s and --host HOST (see --help)",
				 a->verb, strcmp(a->verb, "import") ? "MODEL" : "TEMPLATE");
	if (a->format && strcmp(a->format, "firecracker") && strcmp(a->format, "qemu"))
		return cli_error(EXIT_USAGE, "template",
				 "unknown --format '%s' (firecracker or qemu)", a->format);
	if (a->format && !strcmp(a->verb, "import"))
		return cli_error(EXIT_USAGE, "template",
				 "--format is for export (import reads Firecracker templates)");
	if (a->name && strcmp(a->verb, "import"))
		return cli_error(EXIT_USAGE, "template", "--name is for import");
	return 0;
}

static int emit(const struct template_args *a, const char *text)
{
	struct idregs_error err;

	if (!a->out) {
		printf("%s\n", text);
		return EXIT_OK;
	}
	if (idregs_write_file_atomic(a->out, text, &err))
		return cli_error(EXIT_FAIL, "template", "%s", err.msg);
	return EXIT_OK;
}

/* The whole template file (a template is small: at most 1 MiB). */
static int read_template(const char *path, char **text, size_t *len)
{
	size_t cap = 1u << 20;
	char *buf = malloc(cap + 1);
	FILE *f = fopen(path, "rb");
	int e = errno;

	if (!f || !buf) {
		free(buf);
		if (f)
			fclose(f);
		return cli_error(EXIT_FAIL, "template", "%s: %s", path,
				 strerror(f ? ENOMEM : e));
	}
	*len = fread(buf, 1, cap + 1, f);
	if (ferror(f) || *len > cap) {
		e = ferror(f) ? EIO : EFBIG;
		fclose(f);
		free(buf);
		return cli_error(EXIT_FAIL, "template", "%s: %s", path,
				 e == EIO ? "read error" : "larger than 1 MiB");
	}
	fclose(f);
	*text = buf;
	return 0;
}

/* Would the host take the imported model? Firecracker would fail to boot
 * with the template on the first refused register. */
static int prove(const struct idregs_host *host, unsigned int kernel,
		 const struct idregs_model *m)
{
	struct idregs_check_report *rep = malloc(sizeof(*rep));
	size_t i;
	int ret;

	if (!rep)
		return cli_error(EXIT_FAIL, "template", "out of memory");
	ret = idregs_check(host, kernel, m, rep);
	if (ret) {
		ret = cli_error(EXIT_FAIL, "template", "cannot check the model on %s: %s",
				idregs_host_name(host), idregs_errno_name(ret));
	} else if (!rep->fits) {
		cli_error(0, "template",
			  "%s refuses the imported model under KVM %s (Firecracker would fail to boot with this template there):",
			  idregs_host_name(host), idregs_kernel_name(kernel));
		if (rep->features_err)
			fprintf(stderr, "  vCPU features refused (KVM_ARM_VCPU_INIT: %s)\n",
				idregs_errno_name(rep->features_err));
		if (rep->imp_cap_missing)
			fprintf(stderr, "  the model changes MIDR/REVIDR/AIDR, which KVM %s cannot allow\n",
				idregs_kernel_name(kernel));
		for (i = 0; i < rep->nr_refusals; i++)
			cli_print_refusal(stderr, &rep->refusals[i], kernel, false);
		ret = EXIT_FAIL;
	}
	free(rep);
	return ret;
}

/* Registers the model sets and fields that differ from the host's. */
static void summary(const struct template_args *a, const struct idregs_host *host,
		    unsigned int kernel, const struct idregs_model *m)
{
	unsigned int i, regs = 0;

	for (i = 0; i < IDREGS_SPACE_SIZE; i++)
		regs += m->has[i];
	fprintf(stderr, "imported %s: %u register%s resolved on %s under KVM %s%s%s\n",
		a->input, regs, regs == 1 ? "" : "s", idregs_host_name(host),
		idregs_kernel_name(kernel), a->out ? ", written to " : "",
		a->out ? a->out : "");
}

static int do_import(const struct template_args *a, const struct idregs_host *host,
		     unsigned int kernel)
{
	struct idregs_model *m = calloc(1, sizeof(*m));
	struct idregs_error err;
	char *text = NULL, *json = NULL;
	size_t len = 0;
	int ret;

	if (!m)
		return cli_error(EXIT_FAIL, "template", "out of memory");
	if (!strcmp(a->input, "-")) {
		ret = cli_error(EXIT_USAGE, "template", "TEMPLATE must be a file");
		goto out;
	}
	ret = read_template(a->input, &json, &len);
	if (ret)
		goto out;
	ret = idregs_fc_import(json, len, a->input, host, kernel, m, &err);
	free(json);
	if (ret) {
		ret = cli_error(EXIT_FAIL, "template", "%s", err.msg);
		goto out;
	}
	if (a->name)
		snprintf(m->name, sizeof(m->name), "%s", a->name);
	ret = prove(host, kernel, m);
	if (ret)
		goto out;
	text = idregs_model_to_json(m);
	if (!text) {
		ret = cli_error(EXIT_FAIL, "template", "out of memory");
		goto out;
	}
	ret = emit(a, text);
	if (!ret)
		summary(a, host, kernel, m);
out:
	free(text);
	free(m);
	return ret;
}

static int do_export(const struct template_args *a, const struct idregs_host *host,
		     unsigned int kernel, const struct idregs_model *m)
{
	struct idregs_error err;
	char *text;
	int ret;

	if (a->format && !strcmp(a->format, "qemu"))
		text = idregs_qemu_export(m, host, kernel, &err);
	else
		text = idregs_fc_export(m, host, kernel, &err);
	if (!text)
		return cli_error(EXIT_FAIL, "template", "cannot export %s: %s",
				 a->input, err.msg);
	ret = emit(a, text);
	free(text);
	return ret;
}

int cmd_template(int argc, char **argv)
{
	struct template_args a = { .verb = NULL };
	struct idregs_model *m = NULL;
	struct idregs_host *host = NULL;
	struct idregs_error err;
	unsigned int kernel;
	int ret, requested = -1;

	ret = parse_args(argc, argv, &a);
	if (ret)
		return ret < 0 ? EXIT_OK : ret;
	if (a.kernel) {
		if (cli_kernel("template", a.kernel, &kernel))
			return EXIT_USAGE;
		requested = (int)kernel;
	}
	if (idregs_host_load(a.host, &host, &err))
		return cli_error(EXIT_FAIL, "template", "cannot read host: %s", err.msg);
	if (!strcmp(a.verb, "import")) {
		ret = cli_host_release("template", host, requested, -1, &kernel);
		if (!ret)
			ret = do_import(&a, host, kernel);
		goto out;
	}
	m = calloc(1, sizeof(*m));
	if (!m) {
		ret = cli_error(EXIT_FAIL, "template", "out of memory");
		goto out;
	}
	if (idregs_model_load(a.input, m, &err)) {
		ret = cli_error(EXIT_FAIL, "template", "cannot read model: %s", err.msg);
		goto out;
	}
	/* the host's own release, else --kernel, else the model's */
	ret = cli_host_release("template", host, requested, m->kernel, &kernel);
	if (!ret)
		ret = do_export(&a, host, kernel, m);
out:
	free(m);
	idregs_host_free(host);
	return ret;
}
