// SPDX-License-Identifier: MIT
/*
 * idregs matrix: which host's VMs can move to which host. Cell (A, B):
 * the model of a VM started on A, checked on B through the register file.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

struct pair {
	bool fits;
	int features_err;
	size_t nr;
	struct idregs_refusal *refusals;
};

struct matrix {
	int requested;			/* --kernel, or -1 */
	unsigned int kernel;		/* the hosts' release (the newest if mixed) */
	bool mixed;			/* hosts of different releases */
	bool upgrade;			/* --upgrade FROM:TO */
	struct cli_unreadable unreadable;	/* --skip-unreadable */
	unsigned int from, to;
	uint32_t features;
	size_t n, cap;
	struct idregs_host **hosts;
	unsigned int *kernels;		/* each host's release */
	struct idregs_model *models;
	struct pair *pairs;		/* n * n, row = from, column = to */
};

/* Keep a copy of the host (the walk frees its own), judged by kernel. */
static int add_host(struct matrix *mx, const struct idregs_host *host, unsigned int kernel)
{
	struct idregs_error err;
	char *text;
	int ret;

	if (mx->n == mx->cap) {
		size_t cap = mx->cap ? mx->cap * 2 : 16;
		void *h = realloc(mx->hosts, cap * sizeof(*mx->hosts));
		void *k = h ? realloc(mx->kernels, cap * sizeof(*mx->kernels)) : NULL;

		if (h)
			mx->hosts = h;
		if (!h || !k)
			return cli_error(EXIT_FAIL, "matrix", "out of memory");
		mx->kernels = k;
		mx->cap = cap;
	}
	text = idregs_host_to_json(host);
	ret = text ? idregs_host_parse(text, strlen(text), idregs_host_name(host),
				       &mx->hosts[mx->n], &err) : -1;
	free(text);
	if (ret)
		return cli_error(EXIT_FAIL, "matrix", "cannot keep host %s", idregs_host_name(host));
	if (mx->n && kernel != mx->kernels[0])
		mx->mixed = true;
	mx->kernels[mx->n++] = kernel;
	return 0;
}

static int collect(const struct idregs_host *host, void *p)
{
	struct matrix *mx = p;
	unsigned int kernel;
	int ret;

	/* --upgrade: each host before and after the kernel upgrade */
	if (mx->upgrade) {
		if (idregs_host_has_release(host))
			return cli_error(EXIT_USAGE, "matrix", "--upgrade: %s carries its own "
					 "KVM release (a probe or HOST@RELEASE); give raw or "
					 "built-in profiles", idregs_host_name(host));
		ret = add_host(mx, host, mx->from);
		return ret ? ret : add_host(mx, host, mx->to);
	}
	ret = cli_host_release("matrix", host, mx->requested, -1, &kernel);
	return ret ? ret : add_host(mx, host, kernel);
}

static int compute(struct matrix *mx)
{
	struct idregs_check_report *rep = malloc(sizeof(*rep));
	size_t a, b;

	mx->models = calloc(mx->n, sizeof(*mx->models));
	mx->pairs = calloc(mx->n * mx->n, sizeof(*mx->pairs));
	if (!rep || !mx->models || !mx->pairs) {
		free(rep);
		return cli_error(EXIT_FAIL, "matrix", "out of memory");
	}
	mx->kernel = mx->mixed || !mx->n ? idregs_kernel_default() : mx->kernels[0];
	for (a = 0; a < mx->n; a++)
		if (idregs_host_model(mx->hosts[a], mx->kernels[a], mx->features, &mx->models[a])) {
			free(rep);
			return cli_error(EXIT_FAIL, "matrix", "%s cannot run vCPUs with these features",
					 idregs_host_name(mx->hosts[a]));
		}
	for (a = 0; a < mx->n; a++) {
		for (b = 0; b < mx->n; b++) {
			struct pair *p = &mx->pairs[a * mx->n + b];

			if (idregs_check(mx->hosts[b], mx->kernels[b], &mx->models[a], rep))
				continue;
			p->fits = rep->fits;
			p->features_err = rep->features_err;
			p->nr = rep->nr_refusals;
			p->refusals = malloc(p->nr * sizeof(*p->refusals) + 1);
			if (p->refusals)
				memcpy(p->refusals, rep->refusals, p->nr * sizeof(*p->refusals));
			else
				p->nr = 0;
		}
	}
	free(rep);
	return 0;
}

/* A host's name, with its release when the hosts' releases differ. */
static const char *label(const struct matrix *mx, size_t i, char *buf, size_t size)
{
	if (!mx->mixed)
		return idregs_host_name(mx->hosts[i]);
	snprintf(buf, size, "%s@%s", idregs_host_name(mx->hosts[i]),
		 idregs_kernel_name(mx->kernels[i]));
	return buf;
}

static void print_text(const struct matrix *mx)
{
	char la[160], lb[160];
	size_t a, b, i;

	if (mx->mixed)
		printf("rows: VM started on; columns: host it moves to (each host's own KVM release)\n%-14s", "");
	else
		printf("rows: VM started on; columns: host it moves to (KVM %s)\n%-14s",
		       idregs_kernel_name(mx->kernel), "");
	for (b = 0; b < mx->n; b++)
		printf(" %-6.6s", label(mx, b, lb, sizeof(lb)));
	printf("\n");
	for (a = 0; a < mx->n; a++) {
		printf("%-14.14s", label(mx, a, la, sizeof(la)));
		for (b = 0; b < mx->n; b++) {
			const struct pair *p = &mx->pairs[a * mx->n + b];
			char cell[16];

			snprintf(cell, sizeof(cell), p->fits ? "ok" : "no(%zu)", p->nr);
			printf(" %-6s", cell);
		}
		printf("\n");
	}
	for (a = 0; a < mx->n; a++) {
		for (b = 0; b < mx->n; b++) {
			const struct pair *p = &mx->pairs[a * mx->n + b];

			if (p->fits)
				continue;
			printf("\n%s -> %s:\n", label(mx, a, la, sizeof(la)),
			       label(mx, b, lb, sizeof(lb)));
			if (p->features_err)
				printf("  the destination refuses the vCPU features\n");
			for (i = 0; i < p->nr; i++)
				cli_print_refusal(stdout, &p->refusals[i], mx->kernels[b], false);
		}
	}
}

/* --upgrade: how many (source, destination) pairs move each way. */
static void print_upgrade(const struct matrix *mx)
{
	size_t a, b, up = 0, down = 0, pairs = 0;

	for (a = 0; a < mx->n; a++) {
		for (b = 0; b < mx->n; b++) {
			bool fits = mx->pairs[a * mx->n + b].fits;

			if (mx->kernels[a] == mx->from && mx->kernels[b] == mx->to) {
				pairs++;
				up += fits;
			} else if (mx->kernels[a] == mx->to && mx->kernels[b] == mx->from) {
				down += fits;
			}
		}
	}
	printf("\nupgrade %s -> %s: running VMs move to upgraded hosts for %zu of %zu "
	       "(source, destination) pairs; VMs started after the upgrade move back "
	       "for %zu of %zu\n", idregs_kernel_name(mx->from), idregs_kernel_name(mx->to),
	       up, pairs, down, pairs);
}

static void print_json(const struct matrix *mx)
{
	size_t a, b, i;

	char la[160], lb[160];

	printf("{\"kernel\": ");
	if (mx->mixed)
		printf("null");
	else
		printf("\"%s\"", idregs_kernel_version(mx->kernel));
	printf(", \"hosts\": [");
	for (a = 0; a < mx->n; a++) {
		printf("%s", a ? ", " : "");
		cli_json_string(stdout, label(mx, a, la, sizeof(la)));
	}
	printf("], \"unreadable\": %lu, \"kernels\": [", mx->unreadable.count);
	for (a = 0; a < mx->n; a++)
		printf("%s\"%s\"", a ? ", " : "", idregs_kernel_version(mx->kernels[a]));
	printf("],\n \"pairs\": [");
	for (a = 0; a < mx->n; a++) {
		for (b = 0; b < mx->n; b++) {
			const struct pair *p = &mx->pairs[a * mx->n + b];

			printf("%s\n  {\"from\": ", a || b ? "," : "");
			cli_json_string(stdout, label(mx, a, la, sizeof(la)));
			printf(", \"to\": ");
			cli_json_string(stdout, label(mx, b, lb, sizeof(lb)));
			printf(", \"fits\": %s, \"features_refused\": %s, \"refusals\": [",
			       p->fits ? "true" : "false", p->features_err ? "true" : "false");
			for (i = 0; i < p->nr; i++) {
				printf("%s", i ? ", " : "");
				cli_print_refusal(stdout, &p->refusals[i], mx->kernels[b], true);
			}
			printf("]}");
		}
	}
	printf("\n]}\n");
}

static void usage(FILE *out)
{
	fprintf(out,
		"usage: idregs matrix HOST... [--kernel VERSION | --upgrade FROM:TO]\n"
		"                     [--features LIST] [--json] [--html FILE]\n\n"
		"Which host's VMs can move to which host: cell (A, B) checks the model\n"
		"of a VM started on A against B. Text table and, per refused pair, the\n"
		"fields that block it; --json for programs; --html writes one\n"
		"self-contained page with an SVG picture of the matrix. Each host is\n"
		"judged by its own KVM release, so hosts on two releases answer\n"
		"whether VMs move across a kernel upgrade (neoverse-n1@6.1\n"
		"neoverse-n1@6.12).\n\n"
		"  --skip-unreadable go on past hosts that cannot be read (named on\n"
		"                    stderr, counted in --json)\n"
		"  --upgrade FROM:TO each host twice, on KVM FROM and on KVM TO: which\n"
		"                    running VMs move to upgraded hosts, which VMs started\n"
		"                    after the upgrade can still move back (raw or\n"
		"                    built-in hosts)\n"
		"  --kernel VERSION  KVM release of hosts that do not carry their own\n"
		"                    (HOST@VERSION, or a kind-kvm profile's \"kernel\");\n"
		"                    default: the newest\n"
		CLI_KERNEL_VERSIONS);
}

/* FROM:TO, two kernel versions */
static int parse_upgrade(const char *arg, struct matrix *mx)
{
	const char *colon = strchr(arg, ':');
	char from[64];

	if (!colon || (size_t)(colon - arg) >= sizeof(from))
		return cli_error(EXIT_USAGE, "matrix", "--upgrade wants FROM:TO, two kernel "
				 "versions such as 6.1:6.12 (got '%s')", arg);
	memcpy(from, arg, (size_t)(colon - arg));
	from[colon - arg] = 0;
	if (cli_kernel("matrix", from, &mx->from) || cli_kernel("matrix", colon + 1, &mx->to))
		return EXIT_USAGE;
	mx->upgrade = true;
	return 0;
}

static void free_matrix(struct matrix *mx)
{
	size_t i;

	for (i = 0; i < mx->n; i++)
		idregs_host_free(mx->hosts[i]);
	for (i = 0; mx->pairs && i < mx->n * mx->n; i++)
		free(mx->pairs[i].refusals);
	free(mx->hosts);
	free(mx->kernels);
	free(mx->models);
	free(mx->pairs);
}

int cmd_matrix(int argc, char **argv)
{
	const char **hosts = calloc((size_t)argc, sizeof(*hosts));
	struct matrix mx = { .requested = -1 };
	const char *html = NULL;
	int i, nhosts = 0, ret = 0;
	bool json = false;

	if (!hosts)
		return cli_error(EXIT_FAIL, "matrix", "out of memory");
	for (i = 1; i < argc && !ret; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			usage(stdout);
			free(hosts);
			return EXIT_OK;
		} else if (!strcmp(argv[i], "--kernel") && i + 1 < argc) {
			unsigned int k;

			ret = cli_kernel("matrix", argv[++i], &k) ? EXIT_USAGE : 0;
			mx.requested = (int)k;
		} else if (!strcmp(argv[i], "--upgrade") && i + 1 < argc) {
			ret = parse_upgrade(argv[++i], &mx);
		} else if (!strcmp(argv[i], "--features") && i + 1 < argc) {
			ret = cli_features("matrix", argv[++i], &mx.features);
		} else if (!strcmp(argv[i], "--json")) {
			json = true;
		} else if (!strcmp(argv[i], "--skip-unreadable")) {
			mx.unreadable.skip = true;
		} else if (!strcmp(argv[i], "--html") && i + 1 < argc) {
			html = argv[++i];
		} else if (argv[i][0] == '-' && argv[i][1]) {
			ret = cli_error(EXIT_USAGE, "matrix", "unknown option or missing argument '%s' (see --help)", argv[i]);
		} else {
			hosts[nhosts++] = argv[i];
		}
	}
	if (!ret && !nhosts)
		ret = cli_error(EXIT_USAGE, "matrix", "no hosts given (see --help)");
	if (!ret)
		ret = cli_visit_hosts("matrix", hosts, nhosts, NULL, collect, &mx, &mx.unreadable);
	if (!ret)
		ret = compute(&mx);
	if (!ret && html)
		ret = cli_matrix_html(html, mx.kernel, (const struct idregs_host *const *)mx.hosts,
				      mx.n, cli_matrix_cell, &mx);
	if (!ret && json)
		print_json(&mx);
	else if (!ret && !html)
		print_text(&mx);
	if (!ret && !json && !html && mx.upgrade)
		print_upgrade(&mx);
	free_matrix(&mx);
	free(hosts);
	return ret;
}

const struct idregs_refusal *cli_matrix_cell(const void *ctx, size_t from,
					     size_t to, bool *fits, size_t *nr)
{
	const struct matrix *mx = ctx;
	const struct pair *p = &mx->pairs[from * mx->n + to];

	*fits = p->fits;
	*nr = p->nr;
	return p->refusals;
}
