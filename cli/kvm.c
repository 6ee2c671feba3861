// SPDX-License-Identifier: MIT
/* idregs kvm: this host's real KVM (Linux/arm64): probe it, try a model. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static void usage(FILE *out)
{
	fprintf(out,
		"usage: idregs kvm probe [-o FILE] [--name NAME]\n"
		"       idregs kvm check MODEL [--json]\n\n"
		"Talk to this machine's KVM through /dev/kvm (Linux/arm64 only).\n\n"
		"  probe   write the host profile (idregs-host/1, kind \"kvm\") of this\n"
		"          host: a scratch VM whose vCPU has the largest feature set KVM\n"
		"          accepts, every feature-ID register and writable mask, the\n"
		"          kernel release and the VHE/nVHE mode\n"
		"          -o FILE      write it to FILE (atomically), not stdout\n"
		"          --name NAME  the profile's name (default \"kvm\")\n"
		"  check   apply the CPU model (idregs-model/1) to a scratch VM with the\n"
		"          model's vCPU features, register by register with\n"
		"          KVM_SET_ONE_REG, and read every register back; MIDR, REVIDR\n"
		"          and AIDR writes first enable KVM_CAP_ARM_WRITABLE_IMP_ID_REGS\n"
		"          when the kernel offers it\n"
		"          --json       machine-readable result\n\n"
		"Exit status: 0 probed / the model applied completely and read back as\n"
		"written; 1 KVM refused a register, changed one on read-back, refused\n"
		"the vCPU, or is unavailable; 2 usage error.\n");
}

static int probe(int argc, char **argv)
{
	const char *out = NULL, *name = NULL;
	struct idregs_host *host;
	struct idregs_error err;
	char *text;
	int i, ret;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-o") && i + 1 < argc)
			out = argv[++i];
		else if (!strcmp(argv[i], "--name") && i + 1 < argc)
			name = argv[++i];
		else
			return cli_error(EXIT_USAGE, "kvm probe",
					 "unknown argument or missing value '%s' (see --help)",
					 argv[i]);
	}
	if (idregs_kvm_probe(&host, &err))
		return cli_error(EXIT_FAIL, "kvm probe", "%s", err.msg);
	if (name && idregs_host_set_name(host, name)) {
		idregs_host_free(host);
		return cli_error(EXIT_USAGE, "kvm probe", "--name: too long");
	}
	text = idregs_host_to_json(host);
	idregs_host_free(host);
	if (!text)
		return cli_error(EXIT_FAIL, "kvm probe", "out of memory");
	ret = EXIT_OK;
	if (!out)
		printf("%s\n", text);
	else if (idregs_write_file_atomic(out, text, &err))
		ret = cli_error(EXIT_FAIL, "kvm probe", "%s", err.msg);
	free(text);
	return ret;
}

/* One line (or JSON object) per field whose wanted value is not what the
 * vCPU had: what the model asked KVM to change. */
static void print_fields(uint16_t enc, uint64_t wanted, uint64_t before,
			 bool json)
{
	unsigned int i, n = idregs_reg_field_count(enc), shown = 0;
	struct idregs_field_info f;

	for (i = 0; i < n; i++) {
		const char *wn, *bn;
		uint64_t w, b;
		char bits[8];

		if (idregs_reg_field(enc, i, &f))
			continue;
		w = idregs_field_info_get(&f, wanted);
		b = idregs_field_info_get(&f, before);
		if (w == b)
			continue;
		wn = idregs_field_value_name(enc, i, w);
		bn = idregs_field_value_name(enc, i, b);
		if (f.width == 1)
			snprintf(bits, sizeof(bits), "%u", f.shift);
		else
			snprintf(bits, sizeof(bits), "%u:%u", f.shift + f.width - 1, f.shift);
		if (!json) {
			printf("  %-16s %-6s wanted 0x%llx%s%s%s, had 0x%llx%s%s%s\n",
			       f.name, bits, (unsigned long long)w, wn ? " (" : "",
			       wn ? wn : "", wn ? ")" : "", (unsigned long long)b,
			       bn ? " (" : "", bn ? bn : "", bn ? ")" : "");
			continue;
		}
		printf("%s{\"field\": \"%s\", \"bits\": \"%s\", \"wanted\": \"0x%llx\", "
		       "\"had\": \"0x%llx\", \"wanted_name\": ", shown ? ", " : "",
		       f.name, bits, (unsigned long long)w, (unsigned long long)b);
		if (wn)
			cli_json_string(stdout, wn);
		else
			printf("null");
		printf(", \"had_name\": ");
		if (bn)
			cli_json_string(stdout, bn);
		else
			printf("null");
		printf("}");
		shown++;
	}
}

static void print_text(const struct idregs_model *m,
		       const struct idregs_apply_result *res)
{
	const char *en = idregs_errno_name(res->err);
	unsigned int i;
	char name[24];

	if (res->err) {
		printf("%s: KVM refused %s (%s: %s); %u written before it\n",
		       m->name, idregs_reg_name(res->enc, name), en ? en : "?",
		       strerror(-res->err), res->written);
		printf("  wanted 0x%016llx\n  had    0x%016llx\n",
		       (unsigned long long)res->wanted, (unsigned long long)res->before);
		print_fields(res->enc, res->wanted, res->before, false);
		return;
	}
	for (i = 0; i < res->changed; i++) {
		uint16_t enc = res->changed_enc[i];

		printf("%s: KVM accepted %s = 0x%016llx but reads back another value\n",
		       m->name, idregs_reg_name(enc, name),
		       (unsigned long long)m->regs.val[idregs_space_index(enc)]);
	}
	if (!res->changed)
		printf("%s: applied on KVM: %u register%s written, each read back "
		       "as written\n", m->name, res->written,
		       res->written == 1 ? "" : "s");
}

static void print_json(const struct idregs_model *m,
		       const struct idregs_apply_result *res)
{
	const char *en = idregs_errno_name(res->err);
	unsigned int i;
	char name[24];

	printf("{\"model\": ");
	cli_json_string(stdout, m->name);
	printf(", \"ok\": %s, \"written\": %u, \"refused\": ",
	       !res->err && !res->changed ? "true" : "false", res->written);
	if (res->err) {
		printf("{\"register\": \"%s\", \"errno\": \"%s\", \"wanted\": \"0x%016llx\", "
		       "\"had\": \"0x%016llx\", \"fields\": [",
		       idregs_reg_name(res->enc, name), en ? en : "?",
		       (unsigned long long)res->wanted, (unsigned long long)res->before);
		print_fields(res->enc, res->wanted, res->before, true);
		printf("]}");
	} else {
		printf("null");
	}
	printf(", \"changed\": [");
	for (i = 0; i < res->changed; i++)
		printf("%s\"%s\"", i ? ", " : "", idregs_reg_name(res->changed_enc[i], name));
	printf("]}\n");
}

static int check(int argc, char **argv)
{
	struct idregs_apply_result *res;
	struct idregs_error err;
	const char *path = NULL;
	struct idregs_model *m;
	bool json = false;
	int i, ret;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json"))
			json = true;
		else if (argv[i][0] == '-' || path)
			return cli_error(EXIT_USAGE, "kvm check",
					 "unexpected argument '%s' (see --help)", argv[i]);
		else
			path = argv[i];
	}
	if (!path)
		return cli_error(EXIT_USAGE, "kvm check", "give a MODEL file (see --help)");
	m = malloc(sizeof(*m));
	res = malloc(sizeof(*res));
	if (!m || !res) {
		ret = cli_error(EXIT_FAIL, "kvm check", "out of memory");
		goto out;
	}
	if (idregs_model_load(path, m, &err)) {
		ret = cli_error(EXIT_FAIL, "kvm check", "%s", err.msg);
		goto out;
	}
	ret = idregs_kvm_check_model(m, res, &err);
	if (ret && !res->err) {		/* no VM to try it on */
		ret = cli_error(EXIT_FAIL, "kvm check", "%s", err.msg);
		goto out;
	}
	if (json)
		print_json(m, res);
	else
		print_text(m, res);
	ret = res->err || res->changed ? EXIT_FAIL : EXIT_OK;
out:
	free(res);
	free(m);
	return ret;
}

int cmd_kvm(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			usage(stdout);
			return EXIT_OK;
		}
	}
	if (argc >= 2 && !strcmp(argv[1], "probe"))
		return probe(argc - 1, argv + 1);
	if (argc >= 2 && !strcmp(argv[1], "check"))
		return check(argc - 1, argv + 1);
	if (argc < 2)
		cli_error(EXIT_USAGE, "kvm", "give probe or check");
	else
		cli_error(EXIT_USAGE, "kvm", "unknown subcommand '%s'", argv[1]);
	usage(stderr);
	return EXIT_USAGE;
}
