// SPDX-License-Identifier: MIT
/* idregs releases: every KVM release idregs knows, whether it was verified
 * on the real kernel, and what changed from the previous one. */
#include <string.h>

#include "cli.h"

static void usage(FILE *out)
{
	fprintf(out,
		"usage: idregs releases [--json] [--resolve VERSION]\n\n"
		"List every KVM/arm64 release idregs models, oldest first: each mainline\n"
		"series from 5.10 to 7.3 and the stable point releases whose backports\n"
		"changed ID register behaviour inside a series. For each: whether it was\n"
		"verified against a real kernel (and which build), and one line per\n"
		"behaviour that changed from the previous release.\n\n"
		"  --json             machine-readable, with each release's structural\n"
		"                     properties\n"
		"  --resolve VERSION  only the release a kernel version resolves to\n"
		"                     (\"6.12\", \"6.1.0-50-arm64\", any uname -r)\n\n"
		"A version resolves to the newest release at or below it; a bare series\n"
		"such as 6.12 to its newest release. Releases without a verified build\n"
		"are modelled from the kernel's history.\n\n"
		"Exit status: 0 listed; 2 usage error or a version outside the known\n"
		"releases.\n");
}

static void print_text(unsigned int k)
{
	struct idregs_release_info info;
	unsigned int i;

	idregs_kernel_info(k, &info);
	printf("%-9s %s", info.name, info.verified ? "verified on " : "modelled");
	if (info.verified)
		printf("%s", info.verified);
	if (info.note)
		printf(": %s", info.note);
	printf("\n");
	for (i = 0; i < info.nr_changes; i++)
		printf("    %s\n", idregs_kernel_change(k, i));
}

static void print_json(unsigned int k, bool first)
{
	struct idregs_release_info info;
	const char *name;
	unsigned int i;
	bool on;

	idregs_kernel_info(k, &info);
	printf("%s\n  {\"name\": ", first ? "" : ",");
	cli_json_string(stdout, info.name);
	printf(", \"version\": ");
	cli_json_string(stdout, info.version);
	printf(", \"point\": %s, \"verified\": %s", info.point ? "true" : "false",
	       info.verified ? "true" : "false");
	printf(", \"verified_on\": ");
	if (info.verified)
		cli_json_string(stdout, info.verified);
	else
		printf("null");
	printf(", \"note\": ");
	if (info.note)
		cli_json_string(stdout, info.note);
	else
		printf("null");
	printf(",\n   \"properties\": {");
	for (i = 0; (name = idregs_kernel_prop(k, i, &on)); i++) {
		printf("%s", i ? ", " : "");
		cli_json_string(stdout, name);
		printf(": %s", on ? "true" : "false");
	}
	printf("},\n   \"changes\": [");
	for (i = 0; i < info.nr_changes; i++) {
		printf("%s", i ? ", " : "");
		cli_json_string(stdout, idregs_kernel_change(k, i));
	}
	printf("]}");
}

int cmd_releases(int argc, char **argv)
{
	unsigned int k, first = 0, last = idregs_kernel_count();
	bool json = false;
	int a;

	for (a = 1; a < argc; a++) {
		if (!strcmp(argv[a], "--json")) {
			json = true;
		} else if (!strcmp(argv[a], "--resolve") && a + 1 < argc) {
			if (cli_kernel("releases", argv[++a], &first))
				return EXIT_USAGE;
			last = first + 1;
		} else if (!strcmp(argv[a], "--help") || !strcmp(argv[a], "-h")) {
			usage(stdout);
			return EXIT_OK;
		} else {
			cli_error(EXIT_USAGE, "releases", "unknown argument '%s'", argv[a]);
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (json)
		printf("[");
	for (k = first; k < last; k++) {
		if (json)
			print_json(k, k == first);
		else
			print_text(k);
	}
	if (json)
		printf("\n]\n");
	return EXIT_OK;
}
