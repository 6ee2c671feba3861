// SPDX-License-Identifier: MIT
/* idregs: entry point and verb dispatch. */
#include <stdarg.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const struct cli_verb verbs[] = {
	{ "sim", "run a KVM dry-run script against a host profile", cmd_sim },
	{ "regs", "list every register: name, encoding, ONE_REG id", cmd_regs },
	{ "decode", "decode register values field by field", cmd_decode },
	{ "cpus", "list the built-in host profiles", cmd_cpus },
	{ "releases", "the KVM releases idregs knows, verified or modelled, and what changed", cmd_releases },
	{ "baseline", "the richest CPU model every given host accepts", cmd_baseline },
	{ "check", "can a CPU model be applied on a host, and if not why", cmd_check },
	{ "template", "Firecracker CPU templates in and out, QEMU -cpu out", cmd_template },
	{ "show", "a model or a host's KVM view, field by field", cmd_show },
	{ "diff", "field-level differences between two models or hosts", cmd_diff },
	{ "matrix", "which host's VMs can move to which host (text, JSON, HTML)", cmd_matrix },
	{ "kvm", "this host's real KVM: probe it, try a model on it", cmd_kvm },
	{ "state", "save, restore and show a VM's migration state blob", cmd_state },
};

int cli_error(int code, const char *verb, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "idregs%s%s: ", verb ? " " : "", verb ? verb : "");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return code;
}

int cli_kernel(const char *verb, const char *arg, unsigned int *kernel)
{
	int k = idregs_kernel_parse(arg);

	if (k >= 0) {
		*kernel = (unsigned int)k;
		return 0;
	}
	if (k == -ERANGE) {
		struct idregs_release_info first, last;

		idregs_kernel_info(0, &first);
		idregs_kernel_info(idregs_kernel_default(), &last);
		fprintf(stderr, "idregs %s: kernel release '%s' is outside the releases "
			"idregs knows (%u.%u to %u.%u; see idregs releases)\n", verb, arg,
			first.major, first.minor, last.major, last.minor);
	}
	else
		fprintf(stderr, "idregs %s: '%s' is not a kernel version (give a series "
			"such as 6.12, a release such as 6.12.117, or uname -r output "
			"such as 6.1.0-50-arm64)\n", verb, arg ? arg : "");
	return -1;
}

int cli_host_release(const char *verb, const struct idregs_host *host, int requested,
		     int fallback, unsigned int *kernel)
{
	int ret = idregs_host_release(host, requested, fallback, kernel);

	if (!ret)
		return 0;
	if (ret == -EEXIST)
		return cli_error(EXIT_USAGE, verb, "%s was probed on KVM %s; --kernel %s "
				 "contradicts it (leave --kernel out, or give HOST@RELEASE)",
				 idregs_host_name(host), idregs_host_kernel(host),
				 idregs_kernel_name((unsigned int)requested));
	return cli_error(EXIT_FAIL, verb, "%s was probed on kernel '%s', %s",
			 idregs_host_name(host), idregs_host_kernel(host),
			 ret == -ERANGE ? "outside the releases idregs knows (see idregs releases)" :
			 "which is not a kernel version");
}

void cli_json_string(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(out, "\\%c", c);
		else if (c < 0x20)
			fprintf(out, "\\u%04x", c);
		else
			fputc(c, out);
	}
	fputc('"', out);
}

static void usage(FILE *out)
{
	size_t i;

	fprintf(out, "usage: idregs VERB [OPTIONS]\n\n"
		"KVM/arm64 guest CPU ID registers, exactly, per kernel release.\n\n"
		"verbs:\n");
	for (i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
		fprintf(out, "  %-8s %s\n", verbs[i].name, verbs[i].summary);
	fprintf(out, "\n'idregs VERB --help' describes a verb. Exit status: 0 ok, "
		"1 failure or bad input, 2 usage error.\n");
}

int main(int argc, char **argv)
{
	const char *why = NULL;
	size_t i;

	if (idregs_init(&why))
		return cli_error(EXIT_FAIL, NULL,
				 "register tables failed validation: %s", why);
	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "help")) {
		usage(stdout);
		return EXIT_OK;
	}
	if (!strcmp(argv[1], "--version")) {
		puts("idregs " IDREGS_VERSION);
		return EXIT_OK;
	}
	for (i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
		if (!strcmp(argv[1], verbs[i].name))
			return verbs[i].run(argc - 1, argv + 1);
	cli_error(EXIT_USAGE, NULL, "unknown verb '%s'", argv[1]);
	usage(stderr);
	return EXIT_USAGE;
}
