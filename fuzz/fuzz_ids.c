// SPDX-License-Identifier: MIT
/*
 * Identifiers from outside: ONE_REG ids (KVM_GET/SET_ONE_REG with any
 * 64-bit id on an initialised vCPU), ESR_EL2 syndromes (guest accesses
 * after the run) and register names (idregs_reg_lookup). Properties:
 * only well-formed feature-ID sysreg ids of described registers are
 * served, get and set agree on what exists, a name idregs prints reads
 * back as the same encoding, and the ESR encoder and decoder agree.
 *
 * Input: a selector byte (host, release), then records of a tag byte and
 * its operands.
 */
#include <errno.h>

#include "fuzz.h"

#define MAX_HOSTS 32

static struct idregs_host *hosts[MAX_HOSTS];
static size_t nr_hosts;

static void init(void)
{
	struct idregs_error err;

	if (nr_hosts)
		return;
	for (; nr_hosts < idregs_builtin_count() && nr_hosts < MAX_HOSTS; nr_hosts++)
		FUZZ_ASSERT(!idregs_host_load(idregs_builtin_name(nr_hosts),
					      &hosts[nr_hosts], &err), "%s", err.msg);
}

static bool well_formed(uint64_t id)
{
	return (id & ~0xffffULL) == (IDREGS_REG_ARM64 | IDREGS_REG_SIZE_U64 |
				      IDREGS_REG_COPROC_SYSREG);
}

/*
 * Up to 6.14 Linux looks its invariant registers up before checking the
 * coproc field (docs/findings.md, 14 and 20): any coproc value reaches them,
 * with size U64, the arm64 arch and no other stray bits. Which registers
 * are invariant: MIDR, REVIDR and AIDR to 6.14, CTR_EL0 to 6.10, CLIDR_EL1
 * to 6.2.
 */
static bool invariant_id(unsigned int kernel, uint64_t id)
{
	struct idregs_release_info r;
	uint16_t enc = (uint16_t)id;
	unsigned int v;

	if (idregs_kernel_info(kernel, &r) ||
	    (id & ~(IDREGS_REG_COPROC_MASK | 0xffffULL)) != (IDREGS_REG_ARM64 | IDREGS_REG_SIZE_U64))
		return false;
	v = r.major * 100 + r.minor;
	return (v <= 614 && (enc == IDREGS_ENC(3, 0, 0, 0, 0) || enc == IDREGS_ENC(3, 0, 0, 0, 6) ||
			     enc == IDREGS_ENC(3, 1, 0, 0, 7))) ||
	       (v <= 610 && enc == IDREGS_ENC(3, 3, 0, 0, 1)) ||
	       (v <= 602 && enc == IDREGS_ENC(3, 1, 0, 0, 1));
}

static void one_id(struct idregs_vm *vm, unsigned int kernel, uint64_t id,
		   uint64_t val)
{
	uint64_t v = 0, w = 0;
	int get = idregs_vcpu_get(vm, 0, id, &v), set;
	uint16_t enc = (uint16_t)id;

	FUZZ_ASSERT(get == 0 || get == -EINVAL || get == -ENOENT || get == -EOPNOTSUPP,
		    "get 0x%016llx: %d", (unsigned long long)id, get);
	if (!get)
		FUZZ_ASSERT((well_formed(id) && idregs_reg_known(enc) &&
			     idregs_space_index(enc) >= 0) || invariant_id(kernel, id),
			    "get served id 0x%016llx", (unsigned long long)id);
	if (well_formed(id) && idregs_reg_known(enc))
		FUZZ_ASSERT(!get, "known register id 0x%016llx refused: %d",
			    (unsigned long long)id, get);
	set = idregs_vcpu_set(vm, 0, id, val);
	if (get)
		FUZZ_ASSERT(set == get, "id 0x%016llx: get %d, set %d",
			    (unsigned long long)id, get, set);
	if (!set) {
		FUZZ_ASSERT(!idregs_vcpu_get(vm, 0, id, &w), "get after set");
		(void)w;
	}
}

static void one_esr(struct idregs_vm *vm, uint32_t esr)
{
	uint64_t rt = 0;
	int ret = idregs_vcpu_guest_access(vm, 0, esr, &rt);

	if (esr >> 26 != 0x18) {
		FUZZ_ASSERT(ret == -EINVAL, "ESR 0x%08x with EC 0x%x: %d", esr, esr >> 26, ret);
		return;
	}
	FUZZ_ASSERT(ret == 0 || ret == IDREGS_GUEST_UNDEF, "ESR 0x%08x: %d", esr, ret);
	if (!ret)
		FUZZ_ASSERT(esr & 1, "ESR 0x%08x: a write was handled", esr);
}

static void one_enc(struct idregs_vm *vm, uint16_t enc, unsigned int rt, bool read)
{
	uint32_t esr = idregs_esr_sysreg(enc, rt, read);
	uint64_t g = 0, u = 0;
	int ret = idregs_vcpu_guest_access(vm, 0, esr, &g);
	char buf[24];
	const char *name = idregs_reg_name(enc, buf);
	uint16_t back = 0;

	FUZZ_ASSERT(((esr >> 5) & 31) == (rt & 31), "Rt");
	/* every name idregs prints is one it reads */
	FUZZ_ASSERT(!idregs_reg_lookup(name, &back) && back == enc,
		    "encoding 0x%04x is printed as \"%s\", which reads back as 0x%04x",
		    enc, name, back);
	if (!read || !idregs_reg_known(enc)) {
		FUZZ_ASSERT(ret == IDREGS_GUEST_UNDEF, "access to %s: %d", name, ret);
		return;
	}
	FUZZ_ASSERT(ret == 0, "guest read of %s: %d", name, ret);
	FUZZ_ASSERT(!idregs_vcpu_get(vm, 0, idregs_sysreg_id(enc), &u), "get %s", name);
	FUZZ_ASSERT(g == u || g == 0, "%s: guest 0x%016llx, user 0x%016llx", name,
		    (unsigned long long)g, (unsigned long long)u);
}

static void one_name(const uint8_t *p, size_t n)
{
	char s[80];
	uint16_t enc = 0, back = 0;
	char buf[24];

	if (n >= sizeof(s))
		n = sizeof(s) - 1;
	memcpy(s, p, n);
	s[n] = 0;
	if (idregs_reg_lookup(s, &enc))
		return;
	/* the name idregs prints for what the name reads reads the same */
	FUZZ_ASSERT(!idregs_reg_lookup(idregs_reg_name(enc, buf), &back) && back == enc,
		    "\"%s\" reads as 0x%04x, printed \"%s\", which reads as 0x%04x",
		    s, enc, idregs_reg_name(enc, buf), back);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size };
	struct idregs_vm *vm;
	unsigned int kernel;
	uint8_t sel;
	bool ran = false;

	init();
	sel = fuzz_u8(&in);
	kernel = (sel >> 7) % idregs_kernel_count();
	FUZZ_ASSERT(!idregs_vm_create(hosts[(sel & 0x7f) % nr_hosts], kernel, &vm), "vm");
	FUZZ_ASSERT(!idregs_vcpu_create(vm, 0) && !idregs_vcpu_init(vm, 0, 0), "vcpu");
	while (in.n) {
		uint8_t tag = fuzz_u8(&in), len;

		switch (tag % 6) {
		case 0:		/* any id */
			one_id(vm, kernel, fuzz_u64(&in), fuzz_u64(&in));
			break;
		case 1:		/* a sysreg id with stray bits */
			one_id(vm, kernel, idregs_sysreg_id(fuzz_u16(&in)) ^
			       ((uint64_t)fuzz_u16(&in) << (fuzz_u8(&in) % 49)), fuzz_u64(&in));
			break;
		case 2:
			if (!ran) {
				FUZZ_ASSERT(idregs_vcpu_guest_access(vm, 0, fuzz_u32(&in),
								     &(uint64_t){ 0 }) != 0,
					    "guest access before the run");
				FUZZ_ASSERT(!idregs_vcpu_run(vm, 0), "run");
				ran = true;
			}
			one_esr(vm, fuzz_u32(&in));
			break;
		case 3:
			if (!ran) {
				FUZZ_ASSERT(!idregs_vcpu_run(vm, 0), "run");
				ran = true;
			}
			one_enc(vm, fuzz_u16(&in), fuzz_u8(&in), tag & 0x80);
			break;
		default:	/* a name: length byte, then the bytes */
			len = fuzz_u8(&in) % 64;
			if (len > in.n)
				len = (uint8_t)in.n;
			one_name(in.p, len);
			in.p += len;
			in.n -= len;
			break;
		}
	}
	idregs_vm_destroy(vm);
	return 0;
}
