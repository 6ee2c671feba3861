// SPDX-License-Identifier: MIT
/* idregs baseline: the richest CPU model every given host accepts. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli.h"

struct baseline_ctx {
	struct idregs_baseline *b;
	int requested;			/* --kernel, or -1 */
	json_t *names;		/* the first hosts, for the provenance */
	size_t names_len;
	const struct idregs_model *model;	/* the proof pass */
	struct cli_unreadable unreadable;	/* --skip-unreadable */
	unsigned long proved;
};

static int add_host(const struct idregs_host *host, void *p)
{
	const char *name = idregs_host_name(host);
	struct baseline_ctx *c = p;
	struct idregs_error err;

	unsigned int kernel;
	int ret;

	ret = cli_host_release("baseline", host, c->requested, -1, &kernel);
	if (ret)
		return ret;
	if (idregs_baseline_add(c->b, host, &err))
		return cli_error(EXIT_FAIL, "baseline", "%s", err.msg);
	/* the provenance keeps as many names as fit the model's field */
	if (c->names_len + strlen(name) + 4 < 700) {
		json_array_append_new(c->names, json_string(name));
		c->names_len += strlen(name) + 4;
	}
	return 0;
}

/* Apply the result to every host through the VM register file. */
static int prove_host(const struct idregs_host *host, void *p)
{
	struct baseline_ctx *c = p;
	struct idregs_check_report *rep = malloc(sizeof(*rep));
	unsigned int kernel;
	size_t i;
	int ret;

	if (!rep)
		return cli_error(EXIT_FAIL, "baseline", "out of memory");
	ret = cli_host_release("baseline", host, c->requested, -1, &kernel);
	if (ret) {
		free(rep);
		return ret;
	}
	ret = idregs_check(host, kernel, c->model, rep);
	if (!ret && !rep->fits) {
		cli_error(0, "baseline", "internal error: %s refuses the computed baseline:",
			  idregs_host_name(host));
		for (i = 0; i < rep->nr_refusals; i++)
			cli_print_refusal(stderr, &rep->refusals[i], kernel, false);
		ret = EXIT_FAIL;
	} else if (ret) {
		ret = cli_error(EXIT_FAIL, "baseline", "%s: proof failed: %s",
				idregs_host_name(host), idregs_errno_name(ret));
	}
	c->proved += !ret;
	free(rep);
	return ret;
}

static void print_conflicts(FILE *out, const struct idregs_baseline *b,
			    unsigned int kernel, bool json)
{
	size_t i, n = idregs_baseline_conflict_count(b);

	for (i = 0; i < n; i++) {
		const struct idregs_conflict *c = idregs_baseline_conflict(b, i);
		struct idregs_field_info f = { .name = NULL };
		char rbuf[24], va[64], vb[64];
		const char *reg = idregs_reg_name(c->enc, rbuf);

		if (c->field >= 0)
			idregs_reg_field(c->enc, (unsigned int)c->field, &f);
		cli_field_text(c->enc, c->field, c->val_a, va, sizeof(va));
		cli_field_text(c->enc, c->field, c->val_b, vb, sizeof(vb));
		if (json) {
			fprintf(out, "%s{\"register\": \"%s\", \"field\": ", i ? ", " : "", reg);
			if (f.name)
				cli_json_string(out, f.name);
			else
				fprintf(out, "null");
			fprintf(out, ", \"bits\": \"0x%016llx\", \"host_a\": ",
				(unsigned long long)c->bits);
			cli_json_string(out, c->host_a);
			fprintf(out, ", \"value_a\": ");
			cli_json_string(out, va);
			fprintf(out, ", \"host_b\": ");
			cli_json_string(out, c->host_b);
			fprintf(out, ", \"value_b\": ");
			cli_json_string(out, vb);
			fprintf(out, ", \"differing_hosts\": %lu}", c->differing);
			continue;
		}
		fprintf(out, "  %s%s%s: %s has %s, %s has %s", reg, f.name ? "." : "",
			f.name ? f.name : "", c->host_a, va, c->host_b, vb);
		if (c->differing > 1)
			fprintf(out, " (%lu hosts differ)", c->differing);
		fprintf(out, ": KVM %s does not let a VMM change it\n",
			idregs_kernel_name(kernel));
	}
}

static void usage(FILE *out)
{
	fprintf(out,
		"usage: idregs baseline HOST... [--kernel VERSION] [--features LIST]\n"
		"                       [--floor] [--name NAME] [-o MODEL] [--json]\n\n"
		"The richest CPU model (idregs-model/1) that every host accepts under a\n"
		"KVM release. Writable fields take the best value safe on all hosts by\n"
		"their rule; fields no VMM can change must be equal (otherwise each\n"
		"conflict is listed and the exit status is 1). The result is proved by\n"
		"applying it to every host through the VM register file.\n\n"
		"  HOST              built-in profile, profile file, directory of *.json,\n"
		"                    or - for a list of paths on stdin\n"
		"  --kernel VERSION  KVM release of hosts that do not carry their own\n"
		"                    (HOST@VERSION, or a kind-kvm profile's \"kernel\");\n"
		"                    default: the newest\n"
		CLI_KERNEL_VERSIONS
		"  --features LIST   vCPU features, e.g. pmu,sve (default: none)\n"
		"  --floor           a feature floor instead: fields no VMM can change\n"
		"                    keep each host's value (for starting VMs anywhere,\n"
		"                    not for moving running VMs)\n"
		"  --name NAME       the model's name (default: baseline)\n"
		"  -o MODEL          write the model to a file (atomically)\n"
		"  --json            print model, conflicts and notes as one JSON object\n"
		"  --skip-unreadable go on past hosts that cannot be read (each is named\n"
		"                    on stderr, counted in --json; exit status 1)\n\n"
		"Exit status: 0 a baseline exists, 1 it does not (conflicts) or an input\n"
		"cannot be read, 2 usage error.\n");
}

struct baseline_args {
	const char **hosts;
	int nhosts;
	const char *out, *name;
	int kernel;			/* --kernel, or -1 */
	uint32_t features;
	bool floor, json, skip;
};

static int parse_args(int argc, char **argv, struct baseline_args *a)
{
	int i;

	a->kernel = -1;
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			usage(stdout);
			return -1;
		} else if (!strcmp(argv[i], "--kernel") && i + 1 < argc) {
			unsigned int k;

			if (cli_kernel("baseline", argv[++i], &k))
				return EXIT_USAGE;
			a->kernel = (int)k;
		} else if (!strcmp(argv[i], "--features") && i + 1 < argc) {
			if (cli_features("baseline", argv[++i], &a->features))
				return EXIT_USAGE;
		} else if (!strcmp(argv[i], "-o") && i + 1 < argc) {
			a->out = argv[++i];
		} else if (!strcmp(argv[i], "--name") && i + 1 < argc) {
			a->name = argv[++i];
		} else if (!strcmp(argv[i], "--floor")) {
			a->floor = true;
		} else if (!strcmp(argv[i], "--json")) {
			a->json = true;
		} else if (!strcmp(argv[i], "--skip-unreadable")) {
			a->skip = true;
		} else if (argv[i][0] == '-' && argv[i][1]) {
			return cli_error(EXIT_USAGE, "baseline", "unknown option or missing argument '%s' (see --help)", argv[i]);
		} else {
			a->hosts[a->nhosts++] = argv[i];
		}
	}
	if (!a->nhosts)
		return cli_error(EXIT_USAGE, "baseline", "no hosts given (see --help)");
	return 0;
}

static int emit(const struct baseline_args *a, struct baseline_ctx *c,
		struct idregs_model *m, int have_model)
{
	uint64_t imp = idregs_baseline_imp_varies(c->b);
	int bk = idregs_baseline_kernel(c->b);
	/* conflicts are explained under the hosts' release (the newest when
	 * they differ) */
	unsigned int ek = bk >= 0 ? (unsigned int)bk : idregs_kernel_default();
	struct idregs_error err;
	char *text = have_model ? idregs_model_to_json(m) : NULL;
	int ret = EXIT_OK;

	if (have_model && !text)
		return cli_error(EXIT_FAIL, "baseline", "out of memory");
	if (a->out && text && idregs_write_file_atomic(a->out, text, &err))
		ret = cli_error(EXIT_FAIL, "baseline", "%s", err.msg);
	if (a->json) {
		printf("{\"hosts\": %lu, \"kernel\": %s%s%s, \"mode\": \"%s\", \"model\": %s,\n"
		       " \"%s\": [", idregs_baseline_hosts(c->b), bk >= 0 ? "\"" : "",
		       bk >= 0 ? idregs_kernel_version((unsigned int)bk) : "null", bk >= 0 ? "\"" : "",
		       a->floor ? "floor" : "strict", text ? text : "null",
		       a->floor ? "varying_fields" : "conflicts");
		print_conflicts(stdout, c->b, ek, true);
		printf("],\n \"implementation_id_varies\": %s, \"unreadable\": %lu}\n",
		       imp ? "true" : "false", c->unreadable.count);
	} else {
		if (text && !a->out)
			printf("%s\n", text);
		if (idregs_baseline_conflict_count(c->b)) {
			fprintf(stderr, a->floor ?
				"idregs baseline: fields that will vary between hosts:\n" :
				"idregs baseline: no common model: these fields differ and no VMM can change them:\n");
			print_conflicts(stderr, c->b, ek, false);
			if (!a->floor)
				fprintf(stderr, "hint: --floor computes a feature floor for starting VMs on every host\n");
		}
		if (imp)
			fprintf(stderr, "note: MIDR_EL1/REVIDR_EL1/AIDR_EL1 differ between hosts; the model leaves them host-defined, so the guest sees each host's\n");
		if (have_model)
			fprintf(stderr, "baseline of %lu host%s under %s%s: proved on every host%s%s\n",
				idregs_baseline_hosts(c->b), idregs_baseline_hosts(c->b) == 1 ? "" : "s",
				bk >= 0 ? "KVM " : "each host's own KVM release",
				bk >= 0 ? idregs_kernel_name((unsigned int)bk) : "",
				a->out ? ", written to " : "", a->out ? a->out : "");
	}
	free(text);
	return ret;
}

int cmd_baseline(int argc, char **argv)
{
	struct baseline_args a = { .hosts = calloc((size_t)argc, sizeof(char *)) };
	struct baseline_ctx c = { .names = json_array() };
	struct idregs_model *m = calloc(1, sizeof(*m));
	FILE *stdin_copy = NULL;
	int ret, have;

	if (!a.hosts || !m || !c.names) {
		ret = cli_error(EXIT_FAIL, "baseline", "out of memory");
		goto out;
	}
	ret = parse_args(argc, argv, &a);
	if (ret) {
		ret = ret < 0 ? EXIT_OK : ret;
		goto out;
	}
	c.requested = a.kernel;
	c.unreadable.skip = a.skip;
	if (idregs_baseline_new(a.kernel, a.features, a.floor, &c.b)) {
		ret = cli_error(EXIT_FAIL, "baseline", "cannot start a baseline");
		goto out;
	}
	ret = cli_visit_hosts("baseline", a.hosts, a.nhosts, &stdin_copy, add_host, &c,
			      &c.unreadable);
	if (ret)
		goto out;
	have = idregs_baseline_model(c.b, m);
	if (have == -ENOENT) {
		ret = cli_error(EXIT_FAIL, "baseline", "no hosts were read");
		goto out;
	}
	if (!have) {
		json_t *prov = json_pack("{s:O, s:i, s:s}", "baseline_of", c.names,
					 "hosts", (json_int_t)idregs_baseline_hosts(c.b),
					 "mode", a.floor ? "floor" : "strict");
		char *text = prov ? json_dumps(prov, JSON_COMPACT) : NULL;

		snprintf(m->name, sizeof(m->name), "%s", a.name ? a.name : "baseline");
		if (text && strlen(text) < sizeof(m->provenance))
			memcpy(m->provenance, text, strlen(text) + 1);
		free(text);
		json_decref(prov);
		c.model = m;
		ret = cli_visit_hosts("baseline", a.hosts, a.nhosts, &stdin_copy, prove_host, &c,
				      &(struct cli_unreadable){ .skip = c.unreadable.skip });
		if (ret)
			goto out;
	}
	ret = emit(&a, &c, m, !have);
	if (!ret && (have || c.unreadable.count))
		ret = EXIT_FAIL;
out:
	if (stdin_copy)
		fclose(stdin_copy);
	idregs_baseline_free(c.b);
	json_decref(c.names);
	free(a.hosts);
	free(m);
	return ret;
}
