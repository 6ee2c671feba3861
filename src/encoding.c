// SPDX-License-Identifier: MIT
/* Register encodings: the feature-ID space index, ONE_REG ids, ESR_EL2. */
#include <errno.h>
#include <stddef.h>

#include "idregs.h"
#include "internal.h"

int idregs_space_index(uint16_t enc)
{
	return idregs_space_index_of(enc);
}

uint16_t idregs_space_enc(unsigned int index)
{
	unsigned int op1 = (index >> 6) & 3;

	return IDREGS_ENC(3, op1 == 2 ? 3 : op1, 0, (index >> 3) & 7, index & 7);
}

bool idregs_enc_is_aa32(uint16_t enc)
{
	return IDREGS_ENC_OP0(enc) == 3 && IDREGS_ENC_OP1(enc) == 0 &&
	       IDREGS_ENC_CRN(enc) == 0 && IDREGS_ENC_CRM(enc) >= 1 &&
	       IDREGS_ENC_CRM(enc) <= 3;
}

/*
 * KVM's ONE_REG dispatch (arch/arm64/kvm/guest.c, sys_regs.c): a bad arch
 * field is EINVAL; the sysreg path wants size U64 and no stray bits, else
 * ENOENT; other register classes are outside the ID register file.
 */
int idregs_parse_one_reg(uint64_t id, uint16_t *enc)
{
	static const uint64_t sysreg_bits = 0xffff;
	uint64_t coproc = id & IDREGS_REG_COPROC_MASK;

	if (((id & ~IDREGS_REG_SIZE_MASK) >> 32) != (IDREGS_REG_ARM64 >> 32))
		return -EINVAL;
	switch (coproc >> 16) {
	case 0x10:	/* core */
	case 0x11:	/* demux (CCSIDR) */
	case 0x14:	/* firmware */
	case 0x15:	/* SVE */
	case 0x16:	/* firmware feature bitmaps */
		return -EOPNOTSUPP;
	case 0x13:
		break;
	default:
		return -ENOENT;
	}
	if ((id & IDREGS_REG_SIZE_MASK) != IDREGS_REG_SIZE_U64 ||
	    (id & ~(IDREGS_REG_ARM64 | IDREGS_REG_SIZE_MASK |
		    IDREGS_REG_COPROC_MASK | sysreg_bits)))
		return -ENOENT;
	*enc = (uint16_t)(id & sysreg_bits);
	return 0;
}

/* The lax parse of 6.12's invariant-register table: size U64, the arch, and
 * nothing outside the coproc field and the low 16 bits. */
int idregs_parse_invariant_id(uint64_t id, uint16_t *enc)
{
	if (((id & ~IDREGS_REG_SIZE_MASK) >> 32) != (IDREGS_REG_ARM64 >> 32) ||
	    (id & IDREGS_REG_SIZE_MASK) != IDREGS_REG_SIZE_U64 ||
	    (id & ~(IDREGS_REG_ARM64 | IDREGS_REG_SIZE_MASK |
		    IDREGS_REG_COPROC_MASK | 0xffffULL)))
		return -ENOENT;
	*enc = (uint16_t)id;
	return 0;
}

/* ESR_EL2 for a trapped MSR/MRS (EC 0x18): ISS holds op0, op2, op1, CRn,
 * Rt, CRm and the direction (1 = read). */
#define ESR_IL		(1u << 25)

uint32_t idregs_esr_sysreg(uint16_t enc, unsigned int rt, bool read)
{
	return IDREGS_ESR_EC_SYS64 << IDREGS_ESR_EC_SHIFT | ESR_IL |
	       (uint32_t)IDREGS_ENC_OP0(enc) << 20 |
	       (uint32_t)IDREGS_ENC_OP2(enc) << 17 |
	       (uint32_t)IDREGS_ENC_OP1(enc) << 14 |
	       (uint32_t)IDREGS_ENC_CRN(enc) << 10 | (rt & 31) << 5 |
	       (uint32_t)IDREGS_ENC_CRM(enc) << 1 | (read ? 1u : 0u);
}

const char *idregs_errno_name(int err)
{
	static const struct {
		int err;
		const char *name;
	} names[] = {
		{ EINVAL, "EINVAL" }, { ENOENT, "ENOENT" }, { EBUSY, "EBUSY" },
		{ EEXIST, "EEXIST" }, { ENOEXEC, "ENOEXEC" }, { EPERM, "EPERM" },
		{ EFAULT, "EFAULT" }, { E2BIG, "E2BIG" }, { ENOMEM, "ENOMEM" },
		{ ENXIO, "ENXIO" }, { ENODEV, "ENODEV" }, { EOPNOTSUPP, "EOPNOTSUPP" },
		{ ENOTRECOVERABLE, "ENOTRECOVERABLE" },
	};
	size_t i;

	if (err < 0)
		err = -err;
	if (!err)
		return "0";
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].err == err)
			return names[i].name;
	return NULL;
}
