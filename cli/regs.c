// SPDX-License-Identifier: MIT
/* idregs regs: every register of the database. */
#include <string.h>

#include "cli.h"

int cmd_regs(int argc, char **argv)
{
	bool json = false;
	unsigned int i;
	int a;

	for (a = 1; a < argc; a++) {
		if (!strcmp(argv[a], "--json")) {
			json = true;
		} else if (!strcmp(argv[a], "--help") || !strcmp(argv[a], "-h")) {
			printf("usage: idregs regs [--json]\n\n"
			       "List every register idregs models: name, encoding\n"
			       "(op0.op1.crn.crm.op2), KVM ONE_REG id, generic name, and\n"
			       "the KVM writable mask of each kernel release.\n");
			return EXIT_OK;
		} else {
			return cli_error(EXIT_USAGE, "regs", "unknown argument '%s'", argv[a]);
		}
	}
	if (json)
		printf("[");
	else
		printf("%-18s %-11s %-18s %-16s\n", "NAME", "ENCODING", "ONE_REG ID",
		       "GENERIC");
	for (i = 0; i < idregs_reg_count(); i++) {
		uint16_t enc = idregs_reg_enc(i);
		char buf[24], generic[24], encs[16];
		const char *name = idregs_reg_name(enc, buf);
		unsigned int k;

		snprintf(generic, sizeof(generic), "S3_%u_C%u_C%u_%u",
			 IDREGS_ENC_OP1(enc), IDREGS_ENC_CRN(enc),
			 IDREGS_ENC_CRM(enc), IDREGS_ENC_OP2(enc));
		snprintf(encs, sizeof(encs), "%u.%u.%u.%u.%u", IDREGS_ENC_OP0(enc),
			 IDREGS_ENC_OP1(enc), IDREGS_ENC_CRN(enc),
			 IDREGS_ENC_CRM(enc), IDREGS_ENC_OP2(enc));
		if (!json) {
			printf("%-18s %-11s 0x%016llx %-16s\n", name, encs,
			       (unsigned long long)idregs_sysreg_id(enc), generic);
			continue;
		}
		printf("%s\n  {\"name\": \"%s\", \"encoding\": \"%s\", "
		       "\"one_reg_id\": \"0x%016llx\", \"generic_name\": \"%s\", "
		       "\"fields\": %u, \"kvm_masks\": {", i ? "," : "", name, encs,
		       (unsigned long long)idregs_sysreg_id(enc), generic,
		       idregs_reg_field_count(enc));
		for (k = 0; k < idregs_kernel_count(); k++)
			printf("%s\"%s\": \"0x%016llx\"", k ? ", " : "",
			       idregs_kernel_name(k),
			       (unsigned long long)idregs_reg_kvm_mask(enc, k));
		printf("}}");
	}
	if (json)
		printf("\n]\n");
	return EXIT_OK;
}
