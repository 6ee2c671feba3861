// SPDX-License-Identifier: MIT
/* idregs decode: register values field by field, with value names. */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

void cli_decode_reg(struct cli_decoder *o, const char *label, int cpu,
		    uint16_t enc, uint64_t val)
{
	unsigned int i, n = idregs_reg_field_count(enc);
	char buf[24];
	const char *name = idregs_reg_name(enc, buf);

	if (o->json) {
		printf("%s\n  {\"reg\": \"%s\", ", o->first ? "" : ",", name);
		if (label) {
			printf("\"host\": ");
			cli_json_string(stdout, label);
			printf(", \"cpu\": %d, ", cpu);
		}
		printf("\"value\": \"0x%016llx\", \"fields\": [", (unsigned long long)val);
	} else {
		if (label)
			printf("%s cpu%d ", label, cpu);
		printf("%s = 0x%016llx\n", name, (unsigned long long)val);
	}
	o->first = false;
	for (i = 0; i < n; i++) {
		struct idregs_field_info f;
		const char *meaning;
		uint64_t v;
		char bits[8];

		idregs_reg_field(enc, i, &f);
		v = idregs_field_info_get(&f, val);
		meaning = idregs_field_value_name(enc, i, v);
		if (f.width == 1)
			snprintf(bits, sizeof(bits), "%u", f.shift);
		else
			snprintf(bits, sizeof(bits), "%u:%u", f.shift + f.width - 1, f.shift);
		if (o->json) {
			printf("%s{\"name\": \"%s\", \"bits\": \"%s\", \"value\": \"0x%llx\", "
			       "\"signed\": %s, \"meaning\": ", i ? ", " : "", f.name, bits,
			       (unsigned long long)v, f.is_signed ? "true" : "false");
			if (meaning)
				cli_json_string(stdout, meaning);
			else
				printf("null");
			printf("}");
		} else {
			printf("  %-14s %-6s 0x%-4llx %s\n", f.name, bits,
			       (unsigned long long)v, meaning ? meaning : "-");
		}
	}
	if (o->json)
		printf("]}");
}

static int decode_host(struct cli_decoder *o, const char *arg)
{
	struct idregs_host *host;
	struct idregs_error err;
	size_t c, n;

	if (idregs_host_load(arg, &host, &err))
		return cli_error(EXIT_FAIL, "decode", "cannot read host: %s", err.msg);
	n = idregs_host_cpu_count(host);
	for (c = 0; c < n; c++) {
		const struct idregs_regset *set = idregs_host_cpu(host, c);
		unsigned int i;

		for (i = 0; i < idregs_reg_count(); i++) {
			uint16_t enc = idregs_reg_enc(i);
			int idx = idregs_space_index(enc);

			if (idx >= 0 && set->val[idx])
				cli_decode_reg(o, idregs_host_name(host), (int)c, enc, set->val[idx]);
		}
	}
	if (!n)
		cli_error(0, "decode", "note: %s is a kind-kvm profile; decode its registers with REG=VALUE",
			  idregs_host_name(host));
	idregs_host_free(host);
	return EXIT_OK;
}

int cmd_decode(int argc, char **argv)
{
	struct cli_decoder o = { .first = true };
	const char *host = NULL;
	int a, first_pair = 0, ret = EXIT_OK;

	for (a = 1; a < argc; a++) {
		if (!strcmp(argv[a], "--json")) {
			o.json = true;
		} else if (!strcmp(argv[a], "--host") && a + 1 < argc) {
			host = argv[++a];
		} else if (!strcmp(argv[a], "--help") || !strcmp(argv[a], "-h")) {
			printf("usage: idregs decode [--json] REG=VALUE...\n"
			       "       idregs decode [--json] --host HOST\n\n"
			       "Decode register values field by field: bits, value, and the\n"
			       "value's name. REG is a name or op0.op1.crn.crm.op2; VALUE is\n"
			       "hex (0x...) or decimal. With --host, every non-zero register\n"
			       "of a raw host profile (built-in name or file).\n");
			return EXIT_OK;
		} else if (argv[a][0] == '-') {
			return cli_error(EXIT_USAGE, "decode", "unknown option or missing argument '%s'", argv[a]);
		} else {
			char *eq = strchr(argv[a], '='), *end;
			uint16_t enc;

			if (!eq)
				return cli_error(EXIT_USAGE, "decode", "'%s' is not REG=VALUE", argv[a]);
			*eq = 0;
			if (idregs_reg_lookup(argv[a], &enc) || idregs_space_index(enc) < 0)
				return cli_error(EXIT_USAGE, "decode", "unknown register '%s'", argv[a]);
			*eq = '=';
			/* strtoull would skip blanks and take a sign: digits only */
			if (!isdigit((unsigned char)eq[1]))
				return cli_error(EXIT_USAGE, "decode", "bad value in '%s'", argv[a]);
			errno = 0;
			(void)strtoull(eq + 1, &end, 0);
			if (errno || *end)
				return cli_error(EXIT_USAGE, "decode", "bad value in '%s' (want 0x hex or decimal, 64 bits)", argv[a]);
			if (!first_pair)
				first_pair = a;
		}
	}
	if (!host && !first_pair)
		return cli_error(EXIT_USAGE, "decode", "nothing to decode: give REG=VALUE pairs or --host HOST");
	if (o.json)
		printf("[");
	if (host)
		ret = decode_host(&o, host);
	for (a = first_pair; first_pair && a < argc; a++) {
		char *eq = strchr(argv[a], '=');
		uint16_t enc;

		if (argv[a][0] == '-' || !eq) {
			if (!strcmp(argv[a], "--host"))
				a++;
			continue;
		}
		*eq = 0;
		idregs_reg_lookup(argv[a], &enc);
		*eq = '=';
		cli_decode_reg(&o, NULL, 0, enc, strtoull(eq + 1, NULL, 0));
	}
	if (o.json)
		printf("\n]\n");
	return ret;
}
