// SPDX-License-Identifier: MIT
/* idregs check: can a CPU model be applied on a host? */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

struct check_ctx {
	const struct idregs_model *model;
	int requested;		/* --kernel, or -1 */
	bool json;
	unsigned long hosts;
	unsigned long refused;
	struct cli_unreadable unreadable;
	struct idregs_check_report rep;
};

static void print_features(FILE *out, uint32_t features)
{
	const char *w;
	uint32_t bits;
	unsigned int i;
	bool first = true;

	for (i = 0; (w = idregs_feature_name(i, &bits)); i++) {
		if ((features & bits) != bits)
			continue;
		fprintf(out, "%s%s", first ? "" : ",", w);
		first = false;
	}
}

static int check_one(const struct idregs_host *host, void *p)
{
	struct check_ctx *c = p;
	struct idregs_check_report *rep = &c->rep;
	unsigned int kernel;
	size_t i;
	int ret;

	/* each host by its own release; others by --kernel, else the model's */
	ret = cli_host_release("check", host, c->requested, c->model->kernel, &kernel);
	if (ret)
		return ret;
	ret = idregs_check(host, kernel, c->model, rep);
	if (ret)
		return cli_error(EXIT_FAIL, "check", "%s: cannot check: %s",
				 idregs_host_name(host), idregs_errno_name(ret));
	c->refused += !rep->fits;
	if (c->json) {
		printf("%s\n  {\"host\": ", c->hosts++ ? "," : "");
		cli_json_string(stdout, idregs_host_name(host));
		printf(", \"kernel\": \"%s\"", idregs_kernel_version(kernel));
		printf(", \"fits\": %s, \"features_missing\": \"", rep->fits ? "true" : "false");
		print_features(stdout, rep->features_missing);
		printf("\", \"imp_cap_missing\": %s, \"refusals\": [",
		       rep->imp_cap_missing ? "true" : "false");
		for (i = 0; i < rep->nr_refusals; i++) {
			printf("%s", i ? ", " : "");
			cli_print_refusal(stdout, &rep->refusals[i], kernel, true);
		}
		printf("]}");
		return 0;
	}
	c->hosts++;
	printf("%s (KVM %s): %s\n", idregs_host_name(host), idregs_kernel_name(kernel),
	       rep->fits ? "fits" : "refused");
	if (rep->features_err) {
		printf("  vCPU features refused (KVM_ARM_VCPU_INIT: %s): ",
		       idregs_errno_name(rep->features_err));
		print_features(stdout, rep->features_missing ? rep->features_missing
							   : c->model->features);
		printf("\n");
	}
	if (rep->imp_cap_missing)
		printf("  the model changes MIDR/REVIDR/AIDR, which KVM %s cannot allow\n",
		       idregs_kernel_name(kernel));
	for (i = 0; i < rep->nr_refusals; i++)
		cli_print_refusal(stdout, &rep->refusals[i], kernel, false);
	if (rep->dropped)
		printf("  ... and %zu more\n", rep->dropped);
	return 0;
}

/* An unreadable host is an entry of the output too. */
static void report_unreadable(const char *arg, const char *msg, void *p)
{
	struct check_ctx *c = p;

	if (!c->json)
		return;
	printf("%s\n  {\"host\": ", c->hosts++ ? "," : "");
	cli_json_string(stdout, arg);
	printf(", \"fits\": false, \"error\": ");
	cli_json_string(stdout, msg);
	printf("}");
}

static void usage(FILE *out)
{
	fprintf(out,
		"usage: idregs check MODEL --host HOST... [--kernel VERSION] [--json]\n\n"
		"Whether the CPU model (idregs-model/1) can be applied on each host: it\n"
		"is written to a VM of the host's register file, and every refused\n"
		"field is listed with the model's value, the host's, and why.\n\n"
		"  --host HOST       built-in profile, profile file, directory of *.json,\n"
		"                    or - for a list of paths on stdin (repeatable);\n"
		"                    HOST@VERSION judges it by that KVM release\n"
		"  --kernel VERSION  KVM release of hosts that do not carry their own (a\n"
		"                    kind-kvm profile is judged by its \"kernel\"); default:\n"
		"                    the model's, else the newest\n"
		CLI_KERNEL_VERSIONS
		"  --json            machine-readable output (an unreadable host is an\n"
		"                    entry with \"error\")\n"
		"  --skip-unreadable go on past hosts that cannot be read, listing them\n"
		"                    (exit status 1 all the same)\n\n"
		"Exit status: 0 every host accepts the model, 1 a host refuses it or\n"
		"an input cannot be read, 2 usage error.\n");
}

int cmd_check(int argc, char **argv)
{
	const char *model_path = NULL, *kernel_arg = NULL;
	struct check_ctx *c;
	const char **hosts;
	struct idregs_error err;
	struct idregs_model m;
	int i, nhosts = 0, ret;

	hosts = calloc((size_t)argc, sizeof(*hosts));
	c = calloc(1, sizeof(*c));
	if (!hosts || !c)
		return cli_error(EXIT_FAIL, "check", "out of memory");
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			usage(stdout);
			ret = EXIT_OK;
			goto out;
		} else if (!strcmp(argv[i], "--host") && i + 1 < argc) {
			hosts[nhosts++] = argv[++i];
		} else if (!strcmp(argv[i], "--kernel") && i + 1 < argc) {
			kernel_arg = argv[++i];
		} else if (!strcmp(argv[i], "--json")) {
			c->json = true;
		} else if (!strcmp(argv[i], "--skip-unreadable")) {
			c->unreadable.skip = true;
		} else if (argv[i][0] == '-' && argv[i][1]) {
			ret = cli_error(EXIT_USAGE, "check", "unknown option or missing argument '%s' (see --help)", argv[i]);
			goto out;
		} else if (!model_path) {
			model_path = argv[i];
		} else {
			ret = cli_error(EXIT_USAGE, "check", "more than one MODEL given ('%s')", argv[i]);
			goto out;
		}
	}
	if (!model_path || !nhosts) {
		ret = cli_error(EXIT_USAGE, "check", "need MODEL and at least one --host HOST (see --help)");
		goto out;
	}
	if (idregs_model_load(model_path, &m, &err)) {
		ret = cli_error(EXIT_FAIL, "check", "cannot read model: %s", err.msg);
		goto out;
	}
	c->model = &m;
	c->requested = -1;
	if (kernel_arg) {
		unsigned int k;

		if (cli_kernel("check", kernel_arg, &k)) {
			ret = EXIT_USAGE;
			goto out;
		}
		c->requested = (int)k;
	}
	if (c->json) {
		printf("{\"model\": ");
		cli_json_string(stdout, m.name);
		printf(", \"kernel\": ");
		if (c->requested >= 0 || m.kernel >= 0)
			printf("\"%s\"", idregs_kernel_version((unsigned int)(c->requested >= 0 ?
								      c->requested : m.kernel)));
		else
			printf("null");
		printf(", \"hosts\": [");
	}
	c->unreadable.report = report_unreadable;
	ret = cli_visit_hosts("check", hosts, nhosts, NULL, check_one, c, &c->unreadable);
	if (c->json)
		printf("\n], \"refused\": %lu, \"unreadable\": %lu}\n", c->refused,
		       c->unreadable.count);
	else if (!ret && c->hosts > 1)
		printf("%lu of %lu hosts accept the model\n", c->hosts - c->refused, c->hosts);
	if (!ret && !c->json && c->unreadable.count)
		printf("%lu host%s could not be read (skipped)\n", c->unreadable.count,
		       c->unreadable.count == 1 ? "" : "s");
	if (!ret)
		ret = c->refused || c->unreadable.count ? EXIT_FAIL : EXIT_OK;
out:
	free(hosts);
	free(c);
	return ret;
}
