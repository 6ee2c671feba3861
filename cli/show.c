// SPDX-License-Identifier: MIT
/* idregs show and idregs diff: models and hosts' KVM views, by field. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static int load_host_values(const char *verb, const struct idregs_host *h,
			    unsigned int kernel, uint32_t features,
			    struct cli_values *out)
{
	struct idregs_vm *vm;
	unsigned int i;
	int ret;

	ret = idregs_vm_create(h, kernel, &vm);
	if (!ret)
		ret = idregs_vcpu_create(vm, 0);
	if (!ret)
		ret = idregs_vcpu_init(vm, 0, features);
	if (!ret && (features & IDREGS_FEAT_SVE))
		ret = idregs_vcpu_finalize(vm, 0);
	if (ret) {
		idregs_vm_destroy(vm);
		return cli_error(EXIT_FAIL, verb, "%s: cannot create a VM with these features: %s",
				 idregs_host_name(h), idregs_errno_name(ret));
	}
	for (i = 0; i < idregs_reg_count(); i++) {
		uint16_t enc = idregs_reg_enc(i);
		int idx = idregs_space_index(enc);

		if (!idregs_vcpu_get(vm, 0, idregs_sysreg_id(enc), &out->val.val[idx]))
			out->has[idx] = true;
	}
	idregs_vm_destroy(vm);
	snprintf(out->label, sizeof(out->label), "%s", idregs_host_name(h));
	return 0;
}

int cli_load_values(const char *verb, const char *arg, unsigned int kernel,
		    uint32_t features, struct cli_values *out)
{
	struct idregs_model *m = NULL;
	struct idregs_host *h = NULL;
	struct idregs_error err;
	int ret;

	memset(out, 0, sizeof(*out));
	if (!idregs_host_load(arg, &h, &err)) {
		ret = load_host_values(verb, h, kernel, features, out);
		idregs_host_free(h);
		return ret;
	}
	m = malloc(sizeof(*m));
	if (!m)
		return cli_error(EXIT_FAIL, verb, "out of memory");
	if (strstr(err.msg, "not a idregs-host document") &&
	    !idregs_model_load(arg, m, &err)) {
		memcpy(out->has, m->has, sizeof(out->has));
		out->val = m->regs;
		snprintf(out->label, sizeof(out->label), "%s", m->name);
		free(m);
		return 0;
	}
	free(m);
	return cli_error(EXIT_FAIL, verb, "cannot read %s: %s", arg, err.msg);
}

struct show_opts {
	unsigned int kernel;
	uint32_t features;
	bool json;
	const char *args[2];
	int nargs;
};

static int parse(const char *verb, int argc, char **argv, struct show_opts *o,
		 void (*usage)(FILE *))
{
	int i;

	o->kernel = idregs_kernel_default();
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			usage(stdout);
			return -1;
		} else if (!strcmp(argv[i], "--kernel") && i + 1 < argc) {
			if (cli_kernel(verb, argv[++i], &o->kernel))
				return EXIT_USAGE;
		} else if (!strcmp(argv[i], "--features") && i + 1 < argc) {
			if (cli_features(verb, argv[++i], &o->features))
				return EXIT_USAGE;
		} else if (!strcmp(argv[i], "--json")) {
			o->json = true;
		} else if (argv[i][0] == '-' && argv[i][1]) {
			return cli_error(EXIT_USAGE, verb, "unknown option or missing argument '%s' (see --help)", argv[i]);
		} else if (o->nargs < 2) {
			o->args[o->nargs++] = argv[i];
		} else {
			return cli_error(EXIT_USAGE, verb, "too many arguments ('%s')", argv[i]);
		}
	}
	return 0;
}

static void show_usage(FILE *out)
{
	fprintf(out,
		"usage: idregs show X [--kernel VERSION] [--features LIST] [--json]\n\n"
		"Field by field: a CPU model's registers, or what a guest sees on a host\n"
		"(X a built-in profile or a host profile file): the values KVM gives a\n"
		"fresh VM whose vCPUs have the features (default: none).\n");
}

int cmd_show(int argc, char **argv)
{
	struct cli_decoder d = { .first = true };
	struct show_opts o = { 0 };
	struct cli_values *v;
	unsigned int i;
	int ret;

	ret = parse("show", argc, argv, &o, show_usage);
	if (ret)
		return ret < 0 ? EXIT_OK : ret;
	if (o.nargs != 1)
		return cli_error(EXIT_USAGE, "show", "give exactly one model or host (see --help)");
	v = malloc(sizeof(*v));
	if (!v)
		return cli_error(EXIT_FAIL, "show", "out of memory");
	ret = cli_load_values("show", o.args[0], o.kernel, o.features, v);
	d.json = o.json;
	if (!ret && o.json)
		printf("[");
	for (i = 0; !ret && i < IDREGS_SPACE_SIZE; i++)
		if (v->has[i] && v->val.val[i])
			cli_decode_reg(&d, NULL, 0, idregs_space_enc(i), v->val.val[i]);
	if (!ret && o.json)
		printf("\n]\n");
	free(v);
	return ret;
}

static void diff_usage(FILE *out)
{
	fprintf(out,
		"usage: idregs diff A B [--kernel VERSION] [--features LIST] [--json]\n\n"
		"The fields whose values differ between A and B, each a CPU model or a\n"
		"host (built-in profile or file: the values KVM gives a fresh VM).\n"
		"Registers that only one side sets are not compared.\n\n"
		"Exit status: 0 no difference, 1 differences (or unreadable input),\n"
		"2 usage error.\n");
}

static void diff_line(const struct show_opts *o, bool *first, const char *reg,
		      const char *field, const char *a, const char *b)
{
	if (!o->json) {
		printf("%s%s%s: %s -> %s\n", reg, field ? "." : "", field ? field : "", a, b);
		return;
	}
	printf("%s\n  {\"register\": \"%s\", \"field\": ", *first ? "" : ",", reg);
	if (field)
		cli_json_string(stdout, field);
	else
		printf("null");
	printf(", \"a\": ");
	cli_json_string(stdout, a);
	printf(", \"b\": ");
	cli_json_string(stdout, b);
	printf("}");
	*first = false;
}

static unsigned int diff_reg(const struct show_opts *o, bool *first,
			     const struct cli_values *a, const struct cli_values *b,
			     unsigned int idx)
{
	uint16_t enc = idregs_space_enc(idx);
	uint64_t va = a->val.val[idx], vb = b->val.val[idx], in = 0;
	unsigned int i, n = 0;
	char rbuf[24], ta[64], tb[64];
	const char *reg = idregs_reg_name(enc, rbuf);

	/* a model sets only some registers: compare what both sides have */
	if (!a->has[idx] || !b->has[idx])
		return 0;
	if (va == vb)
		return 0;
	for (i = 0; i < idregs_reg_field_count(enc); i++) {
		struct idregs_field_info f;
		uint64_t m;

		idregs_reg_field(enc, i, &f);
		m = idregs_field_info_mask(&f);
		in |= m;
		if ((va ^ vb) & m) {
			diff_line(o, first, reg, f.name, cli_field_text(enc, (int)i, va, ta, 64),
				  cli_field_text(enc, (int)i, vb, tb, 64));
			n++;
		}
	}
	if ((va ^ vb) & ~in) {
		snprintf(ta, sizeof(ta), "0x%016llx", (unsigned long long)(va & ~in));
		snprintf(tb, sizeof(tb), "0x%016llx", (unsigned long long)(vb & ~in));
		diff_line(o, first, reg, "(other bits)", ta, tb);
		n++;
	}
	return n;
}

int cmd_diff(int argc, char **argv)
{
	struct show_opts o = { 0 };
	struct cli_values *v;
	unsigned int i, n = 0;
	bool first = true;
	int ret;

	ret = parse("diff", argc, argv, &o, diff_usage);
	if (ret)
		return ret < 0 ? EXIT_OK : ret;
	if (o.nargs != 2)
		return cli_error(EXIT_USAGE, "diff", "give two models or hosts (see --help)");
	v = calloc(2, sizeof(*v));
	if (!v)
		return cli_error(EXIT_FAIL, "diff", "out of memory");
	ret = cli_load_values("diff", o.args[0], o.kernel, o.features, &v[0]);
	if (!ret)
		ret = cli_load_values("diff", o.args[1], o.kernel, o.features, &v[1]);
	if (!ret && o.json) {
		printf("{\"a\": ");
		cli_json_string(stdout, v[0].label);
		printf(", \"b\": ");
		cli_json_string(stdout, v[1].label);
		printf(", \"differences\": [");
	} else if (!ret) {
		printf("--- %s\n+++ %s\n", v[0].label, v[1].label);
	}
	for (i = 0; !ret && i < IDREGS_SPACE_SIZE; i++)
		n += diff_reg(&o, &first, &v[0], &v[1], i);
	if (!ret && o.json)
		printf("\n]}\n");
	free(v);
	return ret ? ret : (n ? EXIT_FAIL : EXIT_OK);
}
