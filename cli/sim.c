// SPDX-License-Identifier: MIT
/*
 * idregs sim: the KVM dry-run script language (docs/sim.md). Every command
 * goes through the library's VM register file; this file only parses
 * lines and prints results in the contract's format.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define MAX_TOKENS 16

struct sim {
	const struct idregs_host *host;
	unsigned int kernel;
	struct idregs_vm *vm;
	unsigned int nr_usable;	/* usable vCPUs have ids 0 .. nr_usable-1 */
	unsigned long line;
	long vcpu;		/* from a vcpu=K token, default 0 */
	FILE *out;
};

struct sim_cmd {
	const char *name;
	bool needs_vcpu;	/* NO_VCPU unless vcpu=K is usable */
	void (*run)(struct sim *s, int argc, char **argv);
};

/* A library result as the contract spells it. */
static const char *err_name(int ret)
{
	const char *n;

	if (ret == -EOPNOTSUPP)
		return "UNMODELED";
	n = idregs_errno_name(ret);
	return n ? n : "EUNKNOWN";
}

static int parse_u64(const char *s, uint64_t *v)
{
	char *end;

	if (!s) {
		*v = 0;		/* a missing VALUE means 0 */
		return 0;
	}
	/* strtoull(base 0) over the whole token, as the in-guest program */
	if (!*s || *s == ' ')
		return -EINVAL;
	errno = 0;
	*v = strtoull(s, &end, 0);
	return errno || *end ? -EINVAL : 0;
}

/* REG: architectural or generic name, dotted encoding, or raw ONE_REG id. */
static int parse_reg(const char *tok, uint64_t *id, char *name, size_t len)
{
	char buf[24];
	uint16_t enc;

	if (tok[0] == '0' && (tok[1] == 'x' || tok[1] == 'X')) {
		uint64_t v;
		char *end;

		errno = 0;
		v = strtoull(tok, &end, 16);
		if (errno || *end || !tok[2] || strlen(tok + 2) > 16)
			return -EINVAL;
		*id = v;
		enc = (uint16_t)v;
		if (v == idregs_sysreg_id(enc))
			snprintf(name, len, "%s", idregs_reg_name(enc, buf));
		else
			snprintf(name, len, "0x%016llx", (unsigned long long)v);
		return 0;
	}
	if (idregs_reg_lookup(tok, &enc))
		return -EINVAL;
	*id = idregs_sysreg_id(enc);
	snprintf(name, len, "%s", idregs_reg_name(enc, buf));
	return 0;
}

static void print_access(struct sim *s, const char *cmd, const char *name,
			 uint64_t val, const char *err, uint64_t rb,
			 const char *rb_err)
{
	fprintf(s->out, "line=%lu cmd=%s reg=%s vcpu=%ld val=0x%016llx err=%s "
		"readback=0x%016llx readback_err=%s\n", s->line, cmd, name,
		s->vcpu, (unsigned long long)val, err, (unsigned long long)rb,
		rb_err);
}

/* REG as the output names it: canonical when it parses, else as given
 * ("-" when missing). */
static const char *reg_label(const char *tok, char *name, size_t len)
{
	uint64_t id;

	if (!tok)
		return "-";
	if (parse_reg(tok, &id, name, len))
		snprintf(name, len, "%s", tok);
	return name;
}

/* get, set, setfield, rewrite: one operation, then the read-back. */
static void access_cmd(struct sim *s, const char *cmd, int argc, char **argv)
{
	uint64_t id = 0, val = 0, rb = 0, shift = 0, field = 0;
	const char *err = "0", *rb_err;
	unsigned int vcpu = (unsigned int)s->vcpu;
	char name[40];
	int ret;

	if (argc < 2 || parse_reg(argv[1], &id, name, sizeof(name))) {
		print_access(s, cmd, reg_label(argc > 1 ? argv[1] : NULL, name,
					       sizeof(name)), 0, "BAD_REG", 0, "BAD_REG");
		return;
	}
	if ((!strcmp(cmd, "set") && parse_u64(argc > 2 ? argv[2] : NULL, &val)) ||
	    (!strcmp(cmd, "setfield") &&
	     (parse_u64(argc > 2 ? argv[2] : NULL, &shift) || shift > 60 ||
	      parse_u64(argc > 3 ? argv[3] : NULL, &field)))) {
		/* a script-level error makes no KVM call at all */
		print_access(s, cmd, name, 0, "BAD_VALUE", 0, "BAD_VALUE");
		return;
	}
	if (!strcmp(cmd, "get")) {
		ret = idregs_vcpu_get(s->vm, vcpu, id, &val);
		err = err_name(ret);
	} else if (!strcmp(cmd, "set")) {
		err = err_name(idregs_vcpu_set(s->vm, vcpu, id, val));
	} else {
		/* setfield and rewrite read first; a failed read writes nothing */
		ret = idregs_vcpu_get(s->vm, vcpu, id, &val);
		if (ret)
			val = 0;
		if (!strcmp(cmd, "setfield"))
			val = (val & ~(0xfULL << shift)) | ((field & 0xf) << shift);
		err = err_name(ret ? ret : idregs_vcpu_set(s->vm, vcpu, id, val));
	}
	ret = idregs_vcpu_get(s->vm, vcpu, id, &rb);
	if (ret)
		rb = 0;
	rb_err = err_name(ret);
	print_access(s, cmd, name, val, err, rb, rb_err);
}

static void cmd_get(struct sim *s, int argc, char **argv)
{
	access_cmd(s, "get", argc, argv);
}

static void cmd_set(struct sim *s, int argc, char **argv)
{
	access_cmd(s, "set", argc, argv);
}

static void cmd_setfield(struct sim *s, int argc, char **argv)
{
	access_cmd(s, "setfield", argc, argv);
}

static void cmd_rewrite(struct sim *s, int argc, char **argv)
{
	access_cmd(s, "rewrite", argc, argv);
}

static uint32_t parse_features(int argc, char **argv)
{
	uint32_t features = 0, bits;
	int i;

	for (i = 1; i < argc; i++)
		if (!idregs_feature_parse(argv[i], &bits))
			features |= bits;	/* unknown words are ignored */
	return features;
}

/* Create vCPU id = number of usable vCPUs and init it. */
static int add_vcpu(struct sim *s, uint32_t features, bool finalize)
{
	unsigned int id = s->nr_usable;
	int ret;

	ret = idregs_vcpu_create(s->vm, id);
	if (!ret)
		ret = idregs_vcpu_init(s->vm, id, features);
	if (!ret && finalize)
		ret = idregs_vcpu_finalize(s->vm, id);
	if (!ret)
		s->nr_usable++;
	return ret;
}

static void print_vcpu_line(struct sim *s, const char *cmd, uint32_t features,
			    const char *err)
{
	fprintf(s->out, "line=%lu cmd=%s vcpu=%ld features=0x%x err=%s\n",
		s->line, cmd, (long)s->nr_usable - 1, features, err);
}

static void cmd_vm(struct sim *s, int argc, char **argv)
{
	uint32_t features = parse_features(argc, argv);
	int ret;

	idregs_vm_destroy(s->vm);
	s->vm = NULL;
	s->nr_usable = 0;
	ret = idregs_vm_create(s->host, s->kernel, &s->vm);
	if (!ret)
		ret = add_vcpu(s, features, features & IDREGS_FEAT_SVE);
	print_vcpu_line(s, "vm", features, err_name(ret));
}

static void cmd_vcpu(struct sim *s, int argc, char **argv)
{
	uint32_t features = parse_features(argc, argv);

	print_vcpu_line(s, "vcpu", features,
			err_name(add_vcpu(s, features, features & IDREGS_FEAT_SVE)));
}

static void cmd_masks(struct sim *s, int argc, char **argv)
{
	struct idregs_reg_mask_range range = { 0 };
	uint64_t masks[IDREGS_SPACE_SIZE];
	unsigned int i;
	int ret;

	(void)argc;
	(void)argv;
	ret = idregs_vm_writable_masks(s->vm, &range, masks);
	fprintf(s->out, "line=%lu cmd=masks err=%s\n", s->line, err_name(ret));
	for (i = 0; !ret && i < IDREGS_SPACE_SIZE; i++) {
		uint16_t enc = idregs_space_enc(i);
		char buf[24];

		if (!masks[i])
			continue;
		fprintf(s->out, "line=%lu cmd=masks enc=3.%u.0.%u.%u name=%s mask=0x%016llx\n",
			s->line, IDREGS_ENC_OP1(enc), IDREGS_ENC_CRM(enc),
			IDREGS_ENC_OP2(enc), idregs_reg_name(enc, buf),
			(unsigned long long)masks[i]);
	}
}

static void cmd_dump(struct sim *s, int argc, char **argv)
{
	unsigned int i;

	(void)argc;
	(void)argv;
	for (i = 0; i < IDREGS_SPACE_SIZE; i++) {
		uint16_t enc = idregs_space_enc(i);
		uint64_t val = 0;
		char buf[24];
		int ret;

		ret = idregs_vcpu_get(s->vm, (unsigned int)s->vcpu,
				      idregs_sysreg_id(enc), &val);
		if (ret == -ENOENT)
			continue;
		fprintf(s->out, "line=%lu cmd=dump enc=3.%u.0.%u.%u name=%s val=0x%016llx err=%s\n",
			s->line, IDREGS_ENC_OP1(enc), IDREGS_ENC_CRM(enc),
			IDREGS_ENC_OP2(enc), idregs_reg_name(enc, buf),
			(unsigned long long)(ret ? 0 : val), err_name(ret));
	}
}

static void cmd_run(struct sim *s, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(s->out, "line=%lu cmd=run vcpu=%ld err=%s\n", s->line, s->vcpu,
		err_name(idregs_vcpu_run(s->vm, (unsigned int)s->vcpu)));
}

static const struct sim_cmd commands[] = {
	{ "vm", false, cmd_vm },
	{ "vcpu", false, cmd_vcpu },
	{ "get", true, cmd_get },
	{ "set", true, cmd_set },
	{ "setfield", true, cmd_setfield },
	{ "rewrite", true, cmd_rewrite },
	{ "masks", false, cmd_masks },
	{ "dump", true, cmd_dump },
	{ "run", true, cmd_run },
};

/* The line a command prints when it cannot run at all (NO_VM, NO_VCPU). */
static void print_refusal(struct sim *s, const char *cmd, int argc, char **argv,
			  const char *err)
{
	char name[40];

	if (!strcmp(cmd, "vcpu"))
		print_vcpu_line(s, cmd, parse_features(argc, argv), err);
	else if (!strcmp(cmd, "masks") || !strcmp(cmd, "dump"))
		fprintf(s->out, "line=%lu cmd=%s err=%s\n", s->line, cmd, err);
	else if (!strcmp(cmd, "run"))
		fprintf(s->out, "line=%lu cmd=run vcpu=%ld err=%s\n", s->line,
			s->vcpu, err);
	else
		print_access(s, cmd, reg_label(argc > 1 ? argv[1] : NULL, name,
					       sizeof(name)), 0, err, 0, err);
}

/* vcpu=K: strtol(K, 10) over the whole token, as the in-guest program;
 * anything else, or K outside -1..512, selects no vCPU (-1). */
static long parse_index(const char *s)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (!*s || *end || errno || v < -1 || v > IDREGS_MAX_VCPUS)
		return -1;
	return v;
}

static void run_line(struct sim *s, char *text)
{
	char *argv[MAX_TOKENS + 1], *tok, *save = NULL;
	const struct sim_cmd *c = NULL;
	bool had_vcpu = false;
	int argc = 0;
	size_t i;

	s->vcpu = 0;
	text += strspn(text, " \t\r\n");
	if (*text == '#')
		return;
	for (tok = strtok_r(text, " \t\r\n", &save); tok;
	     tok = strtok_r(NULL, " \t\r\n", &save)) {
		if (!strncmp(tok, "vcpu=", 5)) {
			had_vcpu = true;
			s->vcpu = parse_index(tok + 5);
		} else if (argc < MAX_TOKENS) {
			argv[argc++] = tok;
		}
	}
	if (!argc) {
		if (had_vcpu)
			fprintf(s->out, "line=%lu cmd= err=UNKNOWN_CMD\n", s->line);
		return;
	}
	argv[argc] = NULL;
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(argv[0], commands[i].name))
			c = &commands[i];
	if (!c) {
		fprintf(s->out, "line=%lu cmd=%s err=UNKNOWN_CMD\n", s->line, argv[0]);
		return;
	}
	if (!s->vm && strcmp(c->name, "vm"))
		print_refusal(s, c->name, argc, argv, "NO_VM");
	else if (c->needs_vcpu && (s->vcpu < 0 || s->vcpu >= (long)s->nr_usable))
		print_refusal(s, c->name, argc, argv, "NO_VCPU");
	else
		c->run(s, argc, argv);
}

static void sim_usage(FILE *out)
{
	fprintf(out,
		"usage: idregs sim --host HOST [--kernel VERSION] [SCRIPT]\n\n"
		"Run a script of KVM operations (vm, vcpu, get, set, setfield, rewrite,\n"
		"masks, dump, run) against the VM register file and print one result\n"
		"line per operation, exactly as the same script prints on real KVM.\n"
		"SCRIPT defaults to standard input. See docs/sim.md.\n\n"
		"  --host HOST       a built-in profile (idregs cpus) or a profile file\n"
		"  --kernel VERSION  the KVM release to emulate (default: the host's own,\n"
		"                    HOST@VERSION or a kind-kvm profile's \"kernel\", else\n"
		"                    the newest)\n"
		CLI_KERNEL_VERSIONS
		"\n"
		"Exit status: 0 the script ran to its end (whatever KVM refused),\n"
		"1 the host or the script cannot be read, 2 usage error.\n");
}

int sim_run_script(const struct idregs_host *host, unsigned int kernel,
		   FILE *in, FILE *out)
{
	struct idregs_vm *vm = NULL;
	int ret = sim_run_script_vm(host, kernel, in, out, &vm);

	idregs_vm_destroy(vm);
	return ret;
}

int cmd_sim(int argc, char **argv)
{
	const char *host_arg = NULL, *kernel_arg = NULL, *script = NULL;
	struct idregs_host *host = NULL;
	unsigned int kernel;
	int requested = -1;
	struct idregs_error err;
	FILE *in;
	int i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			sim_usage(stdout);
			return EXIT_OK;
		} else if (!strcmp(argv[i], "--host") && i + 1 < argc) {
			host_arg = argv[++i];
		} else if (!strcmp(argv[i], "--kernel") && i + 1 < argc) {
			kernel_arg = argv[++i];
		} else if (argv[i][0] == '-' && argv[i][1]) {
			return cli_error(EXIT_USAGE, "sim", "unknown option or missing argument '%s' (see --help)", argv[i]);
		} else if (!script) {
			script = argv[i];
		} else {
			return cli_error(EXIT_USAGE, "sim", "more than one script given");
		}
	}
	if (!host_arg)
		return cli_error(EXIT_USAGE, "sim", "--host HOST is required (see --help)");
	if (kernel_arg) {
		if (cli_kernel("sim", kernel_arg, &kernel))
			return EXIT_USAGE;
		requested = (int)kernel;
	}
	if (idregs_host_load(host_arg, &host, &err))
		return cli_error(EXIT_FAIL, "sim", "cannot read host: %s", err.msg);
	i = cli_host_release("sim", host, requested, -1, &kernel);
	if (i) {
		idregs_host_free(host);
		return i;
	}
	in = script && strcmp(script, "-") ? fopen(script, "r") : stdin;
	if (!in) {
		idregs_host_free(host);
		return cli_error(EXIT_FAIL, "sim", "cannot read script %s: %s",
				 script, strerror(errno));
	}
	/* a program driving sim through a pipe gets each answer as it comes */
	setvbuf(stdout, NULL, _IOLBF, 0);
	i = sim_run_script(host, kernel, in, stdout) ?
	    cli_error(EXIT_FAIL, "sim", "error reading the script") : EXIT_OK;
	if (in != stdin)
		fclose(in);
	idregs_host_free(host);
	return i;
}

int sim_run_script_vm(const struct idregs_host *host, unsigned int kernel,
		      FILE *in, FILE *out, struct idregs_vm **vm)
{
	struct sim s = { .host = host, .kernel = kernel, .out = out };
	char *line = NULL;
	size_t cap = 0;

	while (getline(&line, &cap, in) >= 0) {
		s.line++;
		run_line(&s, line);
	}
	free(line);
	/* the caller owns the script's last VM */
	*vm = s.vm;
	return ferror(in) ? -EIO : 0;
}
