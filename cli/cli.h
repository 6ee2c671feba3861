/* SPDX-License-Identifier: MIT */
/* The idregs command-line tool: one file per verb, thin over libidregs. */
#ifndef IDREGS_CLI_H
#define IDREGS_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "idregs.h"

/* Exit codes shared by every verb. */
#define EXIT_OK		0
#define EXIT_FAIL	1	/* bad input file, or the answer is "no" */
#define EXIT_USAGE	2

struct cli_verb {
	const char *name;
	const char *summary;
	int (*run)(int argc, char **argv);
};

int cmd_sim(int argc, char **argv);
int cmd_regs(int argc, char **argv);
int cmd_decode(int argc, char **argv);
int cmd_cpus(int argc, char **argv);

/* "idregs VERB: message" on stderr; returns code. */
int cli_error(int code, const char *verb, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Parse --kernel's argument; prints the known releases on failure. */
int cli_kernel(const char *verb, const char *arg, unsigned int *kernel);
/* Print s as a JSON string literal. */
void cli_json_string(FILE *out, const char *s);

#endif
