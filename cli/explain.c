// SPDX-License-Identifier: MIT
/* Shared wording: feature lists, field values with names, refusals. */
#include <errno.h>
#include <string.h>

#include "cli.h"

int cli_features(const char *verb, const char *arg, uint32_t *features)
{
	char buf[256], *tok, *save = NULL;
	uint32_t bits;

	snprintf(buf, sizeof(buf), "%s", arg);
	for (tok = strtok_r(buf, ", ", &save); tok; tok = strtok_r(NULL, ", ", &save)) {
		if (idregs_feature_parse(tok, &bits))
			return cli_error(EXIT_USAGE, verb,
					 "unknown vCPU feature '%s' (known: pmu, sve, ptrauth, el1_32bit)",
					 tok);
		*features |= bits;
	}
	return 0;
}

const char *cli_field_text(uint16_t enc, int field, uint64_t reg, char *buf,
			   size_t len)
{
	struct idregs_field_info f;
	const char *name;
	uint64_t v;

	if (field < 0 || idregs_reg_field(enc, (unsigned int)field, &f)) {
		snprintf(buf, len, "0x%016llx", (unsigned long long)reg);
		return buf;
	}
	v = f.width == 64 ? reg : (reg >> f.shift) & ((1ULL << f.width) - 1);
	name = idregs_field_value_name(enc, (unsigned int)field, v);
	/* small values read best in decimal, wide ones (part numbers) in hex */
	snprintf(buf, len, v < 10 ? "%llu" : "0x%llx", (unsigned long long)v);
	if (name)
		snprintf(buf + strlen(buf), len - strlen(buf), " (%s)", name);
	return buf;
}

/* Why KVM refuses the field, in one phrase (the decision was KVM's). */
static const char *reason(uint16_t enc, int field, uint64_t model, uint64_t host,
			  unsigned int kernel)
{
	struct idregs_field_info f;
	uint64_t fm, mv, hv;

	if (field < 0 || idregs_reg_field(enc, (unsigned int)field, &f))
		return "bits outside the known fields must equal the host's";
	fm = (f.width == 64 ? ~0ULL : ((1ULL << f.width) - 1)) << f.shift;
	if (!idregs_field_kvm_checked(enc, (unsigned int)field, kernel))
		return "KVM does not let a VMM change this field: it must equal the host's";
	mv = (model & fm) >> f.shift;
	hv = (host & fm) >> f.shift;
	if (f.is_signed && f.width < 64) {
		/* compare as KVM does: 0xF of a 4-bit field is -1 */
		mv = (uint64_t)((int64_t)(mv << (64 - f.width)) >> (64 - f.width));
		hv = (uint64_t)((int64_t)(hv << (64 - f.width)) >> (64 - f.width));
	}
	if (!strcmp(f.kvm_rule, "lower-safe") && (int64_t)mv > (int64_t)hv)
		return "lower-is-safe field above the host";
	if (!strcmp(f.kvm_rule, "higher-safe") && (int64_t)mv < (int64_t)hv)
		return "higher-is-safe field below the host";
	if (!strcmp(f.kvm_rule, "exact"))
		return "exact field: only the host's value or the field's safe value";
	if (!strcmp(f.kvm_rule, "higher-or-zero-safe"))
		return "higher-or-zero field: only 0 or at least the host's value";
	return "KVM refuses this value (a register-specific check)";
}

void cli_print_refusal(FILE *out, const struct idregs_refusal *r,
		       unsigned int kernel, bool json)
{
	struct idregs_field_info f = { .name = NULL };
	const char *why = reason(r->enc, r->field, r->model, r->host, kernel);
	char rbuf[24], mb[64], hb[64];
	const char *reg = idregs_reg_name(r->enc, rbuf);

	if (r->field >= 0)
		idregs_reg_field(r->enc, (unsigned int)r->field, &f);
	cli_field_text(r->enc, r->field, r->model, mb, sizeof(mb));
	cli_field_text(r->enc, r->field, r->host, hb, sizeof(hb));
	if (!json) {
		fprintf(out, "  %s%s%s: model has %s, host offers %s: %s [%s]\n", reg,
			f.name ? "." : "", f.name ? f.name : "", mb, hb, why,
			idregs_errno_name(r->err) ? idregs_errno_name(r->err) : "?");
		return;
	}
	fprintf(out, "{\"register\": \"%s\", \"field\": ", reg);
	if (f.name)
		cli_json_string(out, f.name);
	else
		fprintf(out, "null");
	fprintf(out, ", \"bits\": \"0x%016llx\", \"model\": \"0x%016llx\", "
		"\"host\": \"0x%016llx\", \"model_text\": ", (unsigned long long)r->bits,
		(unsigned long long)r->model, (unsigned long long)r->host);
	cli_json_string(out, mb);
	fprintf(out, ", \"host_text\": ");
	cli_json_string(out, hb);
	fprintf(out, ", \"errno\": \"%s\", \"reason\": ", idregs_errno_name(r->err));
	cli_json_string(out, why);
	fprintf(out, "}");
}
