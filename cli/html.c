// SPDX-License-Identifier: MIT
/* The compatibility matrix as one self-contained HTML page with an SVG. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define CELL	64
#define LABEL	180

static void esc(FILE *out, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '<': fputs("&lt;", out); break;
		case '>': fputs("&gt;", out); break;
		case '&': fputs("&amp;", out); break;
		case '"': fputs("&quot;", out); break;
		default: fputc(*s, out);
		}
	}
}

static void svg(FILE *out, const struct idregs_host *const *hosts, size_t n,
		cli_cell_fn cell, const void *ctx)
{
	size_t a, b, side = LABEL + n * CELL + 10, width = side + LABEL;

	fprintf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%zu\" height=\"%zu\" "
		"role=\"img\" aria-label=\"compatibility matrix\">\n", width, side);
	for (b = 0; b < n; b++) {
		fprintf(out, "<text x=\"%zu\" y=\"%d\" transform=\"rotate(-45 %zu %d)\" "
			"class=\"col\">", LABEL + b * CELL + CELL / 2, LABEL - 8,
			LABEL + b * CELL + CELL / 2, LABEL - 8);
		esc(out, idregs_host_name(hosts[b]));
		fprintf(out, "</text>\n");
	}
	for (a = 0; a < n; a++) {
		fprintf(out, "<text x=\"%d\" y=\"%zu\" class=\"row\">", LABEL - 8,
			LABEL + a * CELL + CELL / 2 + 5);
		esc(out, idregs_host_name(hosts[a]));
		fprintf(out, "</text>\n");
		for (b = 0; b < n; b++) {
			bool fits;
			size_t nr;

			cell(ctx, a, b, &fits, &nr);
			fprintf(out, "<a href=\"#p%zu-%zu\"><rect x=\"%zu\" y=\"%zu\" width=\"%d\" "
				"height=\"%d\" class=\"%s\"><title>", a, b, LABEL + b * CELL,
				LABEL + a * CELL, CELL - 4, CELL - 4, fits ? "ok" : "no");
			esc(out, idregs_host_name(hosts[a]));
			fprintf(out, " &#8594; ");
			esc(out, idregs_host_name(hosts[b]));
			fprintf(out, fits ? ": fits" : ": %zu blocking fields", nr);
			fprintf(out, "</title></rect><text x=\"%zu\" y=\"%zu\" class=\"cell\">%s",
				LABEL + b * CELL + (CELL - 4) / 2, LABEL + a * CELL + CELL / 2 + 2,
				fits ? "&#10003;" : "&#10007;");
			if (!fits)
				fprintf(out, " %zu", nr);
			fprintf(out, "</text></a>\n");
		}
	}
	fprintf(out, "</svg>\n");
}

static void details(FILE *out, unsigned int kernel,
		    const struct idregs_host *const *hosts, size_t n,
		    cli_cell_fn cell, const void *ctx)
{
	size_t a, b, i;

	for (a = 0; a < n; a++) {
		for (b = 0; b < n; b++) {
			const struct idregs_refusal *r;
			bool fits;
			size_t nr;

			r = cell(ctx, a, b, &fits, &nr);
			if (fits)
				continue;
			fprintf(out, "<section id=\"p%zu-%zu\"><h3>", a, b);
			esc(out, idregs_host_name(hosts[a]));
			fprintf(out, " &#8594; ");
			esc(out, idregs_host_name(hosts[b]));
			fprintf(out, "</h3>\n<ul>\n");
			if (!nr)
				fprintf(out, "<li>the destination refuses the vCPU features</li>\n");
			for (i = 0; i < nr; i++) {
				char *line = NULL;
				size_t len = 0;
				FILE *m = open_memstream(&line, &len);

				if (!m)
					continue;
				cli_print_refusal(m, &r[i], kernel, false);
				fclose(m);
				fprintf(out, "<li>");
				esc(out, line + strspn(line, " "));
				fprintf(out, "</li>\n");
				free(line);
			}
			fprintf(out, "</ul></section>\n");
		}
	}
}

int cli_matrix_html(const char *path, unsigned int kernel,
		    const struct idregs_host *const *hosts, size_t n,
		    cli_cell_fn cell, const void *ctx)
{
	struct idregs_error err;
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);
	int ret = EXIT_OK;

	if (!out)
		return cli_error(EXIT_FAIL, "matrix", "out of memory");
	fprintf(out, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
		"<title>idregs compatibility matrix (KVM %s)</title>\n<style>\n"
		"body{font-family:sans-serif;margin:2em;color:#222}\n"
		"rect.ok{fill:#2e7d32}rect.no{fill:#c62828}\n"
		"text.cell{fill:#fff;font-size:16px;text-anchor:middle;font-weight:bold}\n"
		"text.row{font-size:14px;text-anchor:end}text.col{font-size:14px}\n"
		"section{margin:1em 0}h3{margin:.2em 0}li{font-family:monospace}\n"
		"</style></head><body>\n<h1>Which host's VMs can move where</h1>\n"
		"<p>Rows: the host a VM was started on. Columns: the host it moves to. "
		"Each cell applies the VM's ID registers to the destination through the "
		"idregs VM register file under KVM %s.</p>\n", idregs_kernel_name(kernel),
		idregs_kernel_name(kernel));
	svg(out, hosts, n, cell, ctx);
	fprintf(out, "<h2>Blocking fields</h2>\n");
	details(out, kernel, hosts, n, cell, ctx);
	fprintf(out, "</body></html>");
	fclose(out);
	if (!text || idregs_write_file_atomic(path, text, &err))
		ret = cli_error(EXIT_FAIL, "matrix", "%s", text ? err.msg : "out of memory");
	free(text);
	return ret;
}
