// SPDX-License-Identifier: MIT
/* idregs cpus: the built-in host profiles. */
#include <string.h>

#include "cli.h"

int cmd_cpus(int argc, char **argv)
{
	bool json = false;
	size_t i;
	int a;

	for (a = 1; a < argc; a++) {
		if (!strcmp(argv[a], "--json")) {
			json = true;
		} else if (!strcmp(argv[a], "--help") || !strcmp(argv[a], "-h")) {
			printf("usage: idregs cpus [--json]\n\n"
			       "List the built-in host profiles (kind raw). Each name can be\n"
			       "given wherever a HOST is expected.\n");
			return EXIT_OK;
		} else {
			return cli_error(EXIT_USAGE, "cpus", "unknown argument '%s'", argv[a]);
		}
	}
	if (json)
		printf("[");
	for (i = 0; i < idregs_builtin_count(); i++) {
		if (json) {
			printf("%s\n  {\"name\": ", i ? "," : "");
			cli_json_string(stdout, idregs_builtin_name(i));
			printf(", \"description\": ");
			cli_json_string(stdout, idregs_builtin_description(i));
			printf("}");
		} else {
			printf("%-12s %s\n", idregs_builtin_name(i),
			       idregs_builtin_description(i));
		}
	}
	if (json)
		printf("\n]\n");
	return EXIT_OK;
}
