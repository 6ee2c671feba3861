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
/* Run a sim script from in, results to out (docs/sim.md); 0, or -EIO when
 * in could not be read to its end. */
int sim_run_script(const struct idregs_host *host, unsigned int kernel,
		   FILE *in, FILE *out);
/* The same, handing the script's last VM to the caller (NULL when the
 * script made none) instead of destroying it (idregs state save). */
int sim_run_script_vm(const struct idregs_host *host, unsigned int kernel,
		      FILE *in, FILE *out, struct idregs_vm **vm);
int cmd_state(int argc, char **argv);
int cmd_regs(int argc, char **argv);
int cmd_decode(int argc, char **argv);
int cmd_cpus(int argc, char **argv);
int cmd_releases(int argc, char **argv);
int cmd_baseline(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_template(int argc, char **argv);
int cmd_show(int argc, char **argv);
int cmd_diff(int argc, char **argv);
int cmd_matrix(int argc, char **argv);

/* A matrix cell: whether from's VM fits on to, and the blocking fields. */
typedef const struct idregs_refusal *(*cli_cell_fn)(const void *ctx, size_t from,
						    size_t to, bool *fits, size_t *nr);
const struct idregs_refusal *cli_matrix_cell(const void *ctx, size_t from,
					     size_t to, bool *fits, size_t *nr);
/* Write the matrix page (atomically). */
int cli_matrix_html(const char *path, unsigned int kernel,
		    const struct idregs_host *const *hosts, size_t n,
		    cli_cell_fn cell, const void *ctx);
int cmd_kvm(int argc, char **argv);

/* Field-by-field printing of register values (decode, show). */
struct cli_decoder {
	bool json;
	bool first;
};

/* One register: a header line (label and CPU index when label is set),
 * then a line per field with its value's name; or one JSON object. */
void cli_decode_reg(struct cli_decoder *o, const char *label, int cpu,
		    uint16_t enc, uint64_t val);

/* The register values of a model, or of a VM on a host (built-in name or
 * profile file) with the given features; label names it in output. */
struct cli_values {
	char label[128];
	bool has[IDREGS_SPACE_SIZE];
	struct idregs_regset val;
};

int cli_load_values(const char *verb, const char *arg, unsigned int kernel,
		    uint32_t features, struct cli_values *out);

/* Called once per host; a non-zero return stops the walk and is returned. */
typedef int (*cli_host_fn)(const struct idregs_host *host, void *ctx);
/* What a walk does with a host it cannot read. */
struct cli_unreadable {
	bool skip;		/* --skip-unreadable: say so and go on */
	/* each unreadable host, for the verb's output (may be NULL) */
	void (*report)(const char *arg, const char *msg, void *ctx);
	unsigned long count;
};
/* Walk HOST arguments: built-in names, files, directories of *.json, and
 * "-" (paths on stdin; copied to *stdin_copy when given, for a replay). An
 * unreadable host stops the walk (exit status 1) unless u->skip; either way
 * it is counted and reported to u (when given). */
int cli_visit_hosts(const char *verb, const char *const *args, int nargs,
		    FILE **stdin_copy, cli_host_fn fn, void *ctx,
		    struct cli_unreadable *u);
/* Parse "pmu,sve" (or repeated words) into IDREGS_FEAT_* bits. */
int cli_features(const char *verb, const char *arg, uint32_t *features);
/* Print one refusal of a check as a line of text, or as a JSON object. */
void cli_print_refusal(FILE *out, const struct idregs_refusal *r,
		       unsigned int kernel, bool json);
/* "FIELD=VALUE (NAME)" of a register value, for messages. */
const char *cli_field_text(uint16_t enc, int field, uint64_t reg, char *buf,
			   size_t len);

/* "idregs VERB: message" on stderr; returns code. */
int cli_error(int code, const char *verb, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Parse --kernel's argument; prints the known releases on failure. */
/* The --help lines that say what a --kernel VERSION may be. */
#define CLI_KERNEL_VERSIONS \
	"                    VERSION is a series (5.10 to 7.3), a point release\n" \
	"                    (6.12.60) or uname -r output (6.1.0-50-arm64);\n" \
	"                    idregs releases lists them\n"

/* The release a host is judged by (idregs_host_release(): its own, else
 * requested, else fallback, else the newest): 0, or an exit status after a
 * message (2 when --kernel contradicts the host). */
int cli_host_release(const char *verb, const struct idregs_host *host, int requested,
		     int fallback, unsigned int *kernel);

int cli_kernel(const char *verb, const char *arg, unsigned int *kernel);
/* Print s as a JSON string literal. */
void cli_json_string(FILE *out, const char *s);

#endif
