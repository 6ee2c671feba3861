/* SPDX-License-Identifier: MIT */
/*
 * kvmsim: the real-KVM side of `idregs sim` (see docs/sim.md).
 *
 * Runs as /init of a tiny initramfs inside an arm64 Linux guest that has
 * KVM (QEMU with virtualization=on).  It mounts devtmpfs/proc/sysfs, then
 *
 *   - if /script.sim exists: executes it against /dev/kvm with the real
 *     ioctls and prints the result lines of docs/sim.md;
 *   - if /probe exists: prints a kind-"kvm" host profile (idregs-host/1)
 *     as JSON; the first line of /probe, if any, is the profile's name;
 *
 * between the lines "=== idregs-begin ===" and "=== idregs-end ===" on the
 * console, and powers the machine off.  Diagnostics are console lines that
 * start with "idregs-diag: ".
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <sys/klog.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>
#include <linux/kvm.h>

/* UAPI missing from Debian 12's (Linux 6.1) cross headers. */
struct idregs_reg_mask_range {
	uint64_t addr;
	uint32_t range;
	uint32_t reserved[13];
};
_Static_assert(sizeof(struct idregs_reg_mask_range) == 64, "reg_mask_range");
#ifndef KVM_ARM_GET_REG_WRITABLE_MASKS
#define KVM_ARM_GET_REG_WRITABLE_MASKS _IOR(KVMIO, 0xb6, struct idregs_reg_mask_range)
#endif
#ifndef KVM_CAP_ARM_SUPPORTED_REG_MASK_RANGES
#define KVM_CAP_ARM_SUPPORTED_REG_MASK_RANGES 230
#endif
#ifndef KVM_CAP_ARM_WRITABLE_IMP_ID_REGS
#define KVM_CAP_ARM_WRITABLE_IMP_ID_REGS 239
#endif

#define SYSREG_ID_BASE 0x6030000000130000ULL	/* ARM64 | U64 | SYSREG */
#define NR_FEAT 192				/* feature-ID range size */
#define MAX_VCPUS 512
#define GUEST_MEM_SIZE 0x10000UL
#define GUEST_MMIO_ADDR 0x20000000UL

/* ------------------------------------------------------------------ */
/* Output                                                              */

static void out(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void out(const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	int n;
	size_t off = 0;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf) - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n > sizeof(buf) - 2)
		n = sizeof(buf) - 2;
	buf[n++] = '\n';
	/* one write per line so kernel messages cannot split it */
	while (off < (size_t)n) {
		ssize_t w = write(1, buf + off, n - off);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return;
		}
		off += (size_t)w;
	}
}

#define diag(...) out("idregs-diag: " __VA_ARGS__)

static const char *errname(int e)
{
	static char buf[24];

	switch (e) {
	case 0: return "0";
	case EPERM: return "EPERM";
	case ENOENT: return "ENOENT";
	case ESRCH: return "ESRCH";
	case EINTR: return "EINTR";
	case EIO: return "EIO";
	case ENXIO: return "ENXIO";
	case E2BIG: return "E2BIG";
	case ENOEXEC: return "ENOEXEC";
	case EBADF: return "EBADF";
	case EAGAIN: return "EAGAIN";
	case ENOMEM: return "ENOMEM";
	case EACCES: return "EACCES";
	case EFAULT: return "EFAULT";
	case EBUSY: return "EBUSY";
	case EEXIST: return "EEXIST";
	case ENODEV: return "ENODEV";
	case EINVAL: return "EINVAL";
	case ENFILE: return "ENFILE";
	case EMFILE: return "EMFILE";
	case ENOTTY: return "ENOTTY";
	case ENOSPC: return "ENOSPC";
	case ERANGE: return "ERANGE";
	case ENOSYS: return "ENOSYS";
	case EOPNOTSUPP: return "EOPNOTSUPP";
	case EOVERFLOW: return "EOVERFLOW";
	case 524: return "ENOTSUPP";	/* kernel-internal, can leak */
	default:
		snprintf(buf, sizeof(buf), "E%d", e);
		return buf;
	}
}

/* ------------------------------------------------------------------ */
/* Register names                                                      */

/* Index as in KVM_ARM_FEATURE_ID_RANGE_IDX: op1' << 6 | crm << 3 | op2,
 * with op1' = 0, 1, 2 for op1 = 0, 1, 3. */
static const char *const feat_names[NR_FEAT] = {
	/* op1 = 0, CRm = 0 */
	[0] = "MIDR_EL1", [5] = "MPIDR_EL1", [6] = "REVIDR_EL1",
	/* CRm = 1 */
	[8] = "ID_PFR0_EL1", [9] = "ID_PFR1_EL1", [10] = "ID_DFR0_EL1",
	[11] = "ID_AFR0_EL1", [12] = "ID_MMFR0_EL1", [13] = "ID_MMFR1_EL1",
	[14] = "ID_MMFR2_EL1", [15] = "ID_MMFR3_EL1",
	/* CRm = 2 */
	[16] = "ID_ISAR0_EL1", [17] = "ID_ISAR1_EL1", [18] = "ID_ISAR2_EL1",
	[19] = "ID_ISAR3_EL1", [20] = "ID_ISAR4_EL1", [21] = "ID_ISAR5_EL1",
	[22] = "ID_MMFR4_EL1", [23] = "ID_ISAR6_EL1",
	/* CRm = 3 */
	[24] = "MVFR0_EL1", [25] = "MVFR1_EL1", [26] = "MVFR2_EL1",
	[28] = "ID_PFR2_EL1", [29] = "ID_DFR1_EL1", [30] = "ID_MMFR5_EL1",
	/* CRm = 4 */
	[32] = "ID_AA64PFR0_EL1", [33] = "ID_AA64PFR1_EL1",
	[34] = "ID_AA64PFR2_EL1", [36] = "ID_AA64ZFR0_EL1",
	[37] = "ID_AA64SMFR0_EL1", [39] = "ID_AA64FPFR0_EL1",
	/* CRm = 5 */
	[40] = "ID_AA64DFR0_EL1", [41] = "ID_AA64DFR1_EL1",
	[42] = "ID_AA64DFR2_EL1", [44] = "ID_AA64AFR0_EL1",
	[45] = "ID_AA64AFR1_EL1",
	/* CRm = 6 */
	[48] = "ID_AA64ISAR0_EL1", [49] = "ID_AA64ISAR1_EL1",
	[50] = "ID_AA64ISAR2_EL1", [51] = "ID_AA64ISAR3_EL1",
	/* CRm = 7 */
	[56] = "ID_AA64MMFR0_EL1", [57] = "ID_AA64MMFR1_EL1",
	[58] = "ID_AA64MMFR2_EL1", [59] = "ID_AA64MMFR3_EL1",
	[60] = "ID_AA64MMFR4_EL1",
	/* op1 = 1, CRm = 0 */
	[64] = "CCSIDR_EL1", [65] = "CLIDR_EL1", [66] = "CCSIDR2_EL1",
	[68] = "GMID_EL1", [70] = "SMIDR_EL1", [71] = "AIDR_EL1",
	/* op1 = 3, CRm = 0 */
	[129] = "CTR_EL0", [135] = "DCZID_EL0",
};

static unsigned idx_op1(unsigned idx) { return (unsigned[]){0, 1, 3}[idx >> 6]; }
static unsigned idx_crm(unsigned idx) { return (idx >> 3) & 7; }
static unsigned idx_op2(unsigned idx) { return idx & 7; }

static uint64_t sysreg_id(unsigned op0, unsigned op1, unsigned crn,
			  unsigned crm, unsigned op2)
{
	return SYSREG_ID_BASE | (uint64_t)op0 << 14 | op1 << 11 | crn << 7 |
	       crm << 3 | op2;
}

static uint64_t idx_id(unsigned idx)
{
	return sysreg_id(3, idx_op1(idx), 0, idx_crm(idx), idx_op2(idx));
}

/* Name of a ONE_REG id: architectural, generic S<op0>_..., or hex. */
static void reg_name(uint64_t id, char *buf, size_t len)
{
	unsigned op0, op1, crn, crm, op2;

	if ((id & ~0xffffULL) != SYSREG_ID_BASE) {
		snprintf(buf, len, "0x%016llx", (unsigned long long)id);
		return;
	}
	op0 = (id >> 14) & 3; op1 = (id >> 11) & 7; crn = (id >> 7) & 15;
	crm = (id >> 3) & 15; op2 = id & 7;
	if (op0 == 3 && crn == 0 && crm < 8 && (op1 == 0 || op1 == 1 || op1 == 3)) {
		unsigned idx = (op1 == 3 ? 2 : op1) << 6 | crm << 3 | op2;
		if (feat_names[idx]) {
			snprintf(buf, len, "%s", feat_names[idx]);
			return;
		}
	}
	snprintf(buf, len, "S%u_%u_C%u_C%u_%u", op0, op1, crn, crm, op2);
}

/* Strict unsigned decimal, no sign; returns 0 on success. */
static int parse_dec(const char *s, size_t n, unsigned max, unsigned *v)
{
	unsigned long x = 0;

	if (n == 0 || n > 6)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -1;
		x = x * 10 + (unsigned)(s[i] - '0');
	}
	if (x > max)
		return -1;
	*v = (unsigned)x;
	return 0;
}

/*
 * REG: architectural name (case-insensitive), generic S<op0>_<op1>_C<n>_C<m>_<op2>,
 * dotted op0.op1.crn.crm.op2 (decimal), or a raw hex ONE_REG id (0x...).
 */
static int parse_reg(const char *tok, uint64_t *id)
{
	static const unsigned max[5] = {3, 7, 15, 15, 7};
	unsigned f[5];

	for (unsigned i = 0; i < NR_FEAT; i++)
		if (feat_names[i] && !strcasecmp(tok, feat_names[i])) {
			*id = idx_id(i);
			return 0;
		}
	if ((tok[0] == '0') && (tok[1] == 'x' || tok[1] == 'X')) {
		size_t n = strlen(tok + 2);
		uint64_t v = 0;

		if (n == 0 || n > 16)
			return -1;
		for (size_t i = 0; i < n; i++) {
			int c = tolower((unsigned char)tok[2 + i]);
			if (!isxdigit(c))
				return -1;
			v = v << 4 | (uint64_t)(isdigit(c) ? c - '0' : c - 'a' + 10);
		}
		*id = v;
		return 0;
	}
	if (isdigit((unsigned char)tok[0])) {	/* dotted */
		const char *p = tok;
		for (int i = 0; i < 5; i++) {
			const char *q = strchr(p, '.');
			size_t n = q ? (size_t)(q - p) : strlen(p);
			if ((i < 4) != (q != NULL) || parse_dec(p, n, max[i], &f[i]))
				return -1;
			p = q ? q + 1 : p + n;
		}
		*id = sysreg_id(f[0], f[1], f[2], f[3], f[4]);
		return 0;
	}
	if (tok[0] == 's' || tok[0] == 'S') {	/* S3_0_C0_C4_0 */
		const char *p = tok + 1;
		for (int i = 0; i < 5; i++) {
			if (i == 2 || i == 3) {
				if (*p != 'c' && *p != 'C')
					return -1;
				p++;
			}
			size_t n = strcspn(p, "_");
			if ((i < 4) != (p[n] == '_') || parse_dec(p, n, max[i], &f[i]))
				return -1;
			p += n + (i < 4);
		}
		*id = sysreg_id(f[0], f[1], f[2], f[3], f[4]);
		return 0;
	}
	return -1;
}

/* VALUE / SHIFT: C syntax as strtoull base 0 (0x hex, decimal, 0 octal). */
static int parse_u64(const char *tok, uint64_t *v)
{
	char *end;

	if (!tok) {
		*v = 0;
		return 0;
	}
	errno = 0;
	*v = strtoull(tok, &end, 0);
	if (errno || end == tok || *end || isspace((unsigned char)tok[0]))
		return -1;
	return 0;
}

/* ------------------------------------------------------------------ */
/* KVM state                                                           */

struct vcpu {
	int fd;
	struct kvm_run *run;
	uint32_t features;	/* KVM_ARM_VCPU_INIT features[0] */
};

static int kvm_fd = -1;
static int vm_fd = -1;
static struct vcpu vcpus[MAX_VCPUS];
static int nr_vcpus;		/* usable vCPUs */
static void *guest_mem;		/* run's memory slot, once per VM */
static long run_size;

static void close_vm(void)
{
	for (int i = 0; i < nr_vcpus; i++) {
		if (vcpus[i].run)
			munmap(vcpus[i].run, (size_t)run_size);
		close(vcpus[i].fd);
		vcpus[i].fd = -1;
		vcpus[i].run = NULL;
	}
	nr_vcpus = 0;
	if (vm_fd >= 0)
		close(vm_fd);
	vm_fd = -1;
	if (guest_mem)
		munmap(guest_mem, GUEST_MEM_SIZE);
	guest_mem = NULL;
}

static uint32_t parse_features(char **args, int nargs)
{
	uint32_t f = 0;

	for (int i = 0; i < nargs; i++) {
		if (!strcmp(args[i], "pmu"))
			f |= 1u << KVM_ARM_VCPU_PMU_V3;
		else if (!strcmp(args[i], "sve"))
			f |= 1u << KVM_ARM_VCPU_SVE;
		else if (!strcmp(args[i], "ptrauth"))
			f |= 1u << KVM_ARM_VCPU_PTRAUTH_ADDRESS |
			     1u << KVM_ARM_VCPU_PTRAUTH_GENERIC;
		else if (!strcmp(args[i], "el1_32bit"))
			f |= 1u << KVM_ARM_VCPU_EL1_32BIT;
		/* unknown words are ignored */
	}
	return f;
}

/* Create vCPU `id` and init it with `features`; finalize SVE if asked.
 * Returns 0 (and appends it to the usable vCPUs) or an errno. */
static int add_vcpu(uint32_t features)
{
	struct kvm_vcpu_init init;
	int fd, e;

	if (nr_vcpus >= MAX_VCPUS)
		return ENOSPC;
	fd = ioctl(vm_fd, KVM_CREATE_VCPU, (unsigned long)nr_vcpus);
	if (fd < 0)
		return errno;
	memset(&init, 0, sizeof(init));
	if (ioctl(vm_fd, KVM_ARM_PREFERRED_TARGET, &init) < 0)
		goto fail;
	memset(init.features, 0, sizeof(init.features));
	init.features[0] = features;
	if (ioctl(fd, KVM_ARM_VCPU_INIT, &init) < 0)
		goto fail;
	if (features & (1u << KVM_ARM_VCPU_SVE)) {
		int what = KVM_ARM_VCPU_SVE;
		if (ioctl(fd, KVM_ARM_VCPU_FINALIZE, &what) < 0)
			goto fail;
	}
	vcpus[nr_vcpus].fd = fd;
	vcpus[nr_vcpus].run = NULL;
	vcpus[nr_vcpus].features = features;
	nr_vcpus++;
	return 0;
fail:
	e = errno;
	close(fd);	/* the vCPU itself stays in KVM until the VM goes */
	return e;
}

/* Create a VM with one vCPU; returns 0 or the first failing errno. */
static int new_vm(uint32_t features)
{
	close_vm();
	vm_fd = ioctl(kvm_fd, KVM_CREATE_VM, 0UL);
	if (vm_fd < 0) {
		int e = errno;
		vm_fd = -1;
		return e;
	}
	return add_vcpu(features);
}

static uint8_t regbuf[1 << 15];	/* largest ONE_REG size KVM can copy */

static int get_reg(int fd, uint64_t id, uint64_t *val)
{
	struct kvm_one_reg r = { .id = id, .addr = (uint64_t)(uintptr_t)regbuf };

	memset(regbuf, 0, sizeof(regbuf));
	*val = 0;
	if (ioctl(fd, KVM_GET_ONE_REG, &r) < 0)
		return errno;
	memcpy(val, regbuf, sizeof(*val));
	return 0;
}

static int set_reg(int fd, uint64_t id, uint64_t val)
{
	struct kvm_one_reg r = { .id = id, .addr = (uint64_t)(uintptr_t)regbuf };

	memset(regbuf, 0, sizeof(regbuf));
	memcpy(regbuf, &val, sizeof(val));
	if (ioctl(fd, KVM_SET_ONE_REG, &r) < 0)
		return errno;
	return 0;
}

static int get_masks(uint64_t *masks)
{
	struct idregs_reg_mask_range r;

	memset(&r, 0, sizeof(r));
	memset(masks, 0, NR_FEAT * sizeof(*masks));
	r.addr = (uint64_t)(uintptr_t)masks;
	r.range = 0;
	if (ioctl(vm_fd, KVM_ARM_GET_REG_WRITABLE_MASKS, &r) < 0)
		return errno;
	return 0;
}

#define CORE_REG(x) (KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_CORE | \
		     (offsetof(struct kvm_regs, x) / sizeof(uint32_t)))

/* The guest: read some ID registers, then store to unmapped IPA forever. */
static const uint32_t guest_code[] = {
	0xd2a40001,	/* mov  x1, #0x20000000         */
	0xd5380000,	/* mrs  x0, midr_el1            */
	0xd5380400,	/* mrs  x0, id_aa64pfr0_el1     */
	0xd5380600,	/* mrs  x0, id_aa64isar0_el1    */
	0xd5380700,	/* mrs  x0, id_aa64mmfr0_el1    */
	0xd5380100,	/* mrs  x0, id_pfr0_el1         */
	0xf9000020,	/* 1: str x0, [x1]  (MMIO exit) */
	0x17ffffff,	/* b    1b                      */
};

/*
 * The same guest in A32, for a vCPU with KVM_ARM_VCPU_EL1_32BIT (KVM refuses
 * an AArch64 PSTATE for it).  It starts in SVC mode, ARM state; the ID
 * registers are read with MRC p15 (ID_* trap to KVM through HCR_EL2.TID3)
 * and MVFR0 with VMRS, for which CPACR.cp10/cp11 are opened first (with
 * them at 0, VMRS is UNDEFINED at PL1).  Encodings per the Arm ARM (A1 /
 * cond = AL), checked with arm-linux-gnueabihf-as + objdump.
 */
#define A32_MMIO_PC 0x2c	/* byte offset of the str below */
static const uint32_t guest_code_a32[] = {
	0xe3a01202,	/* 0x00 mov  r1, #0x20000000               */
	0xee100f10,	/* 0x04 mrc  p15, 0, r0, c0, c0, 0  MIDR    */
	0xee100f11,	/* 0x08 mrc  p15, 0, r0, c0, c1, 0  ID_PFR0 */
	0xee100f31,	/* 0x0c mrc  p15, 0, r0, c0, c1, 1  ID_PFR1 */
	0xee100f51,	/* 0x10 mrc  p15, 0, r0, c0, c1, 2  ID_DFR0 */
	0xee100f12,	/* 0x14 mrc  p15, 0, r0, c0, c2, 0  ID_ISAR0 */
	0xee100f91,	/* 0x18 mrc  p15, 0, r0, c0, c1, 4  ID_MMFR0 */
	0xe3a0060f,	/* 0x1c mov  r0, #0xf00000  (cp10/cp11 = 0b11) */
	0xee010f50,	/* 0x20 mcr  p15, 0, r0, c1, c0, 2  CPACR   */
	0xf57ff06f,	/* 0x24 isb  sy                             */
	0xeef70a10,	/* 0x28 vmrs r0, mvfr0                      */
	0xe5810000,	/* 0x2c 1: str r0, [r1]  (MMIO exit)        */
	0xeafffffd,	/* 0x30 b    1b                             */
};
_Static_assert(A32_MMIO_PC == 11 * 4, "A32_MMIO_PC");

#define GUEST_CODE_MAX 0x100	/* bytes at IPA 0 reserved for the code */
_Static_assert(sizeof(guest_code) <= GUEST_CODE_MAX &&
	       sizeof(guest_code_a32) <= GUEST_CODE_MAX, "guest code size");

#define PSTATE_A64_EL1H 0x3c5UL	/* AArch64 EL1h, D A I F masked */
#define PSTATE_A32_SVC 0x1d3UL	/* AArch32 SVC (M[4:0] = 0b10011), A I F masked, ARM, LE */
#define PSTATE_MODE_MASK 0x1fUL

static int vcpu_is_a32(const struct vcpu *v)
{
	return !!(v->features & (1u << KVM_ARM_VCPU_EL1_32BIT));
}

static int run_vcpu(struct vcpu *v)
{
	int a32 = vcpu_is_a32(v);
	const void *code = a32 ? (const void *)guest_code_a32 : (const void *)guest_code;
	size_t code_size = a32 ? sizeof(guest_code_a32) : sizeof(guest_code);
	int e;

	if (!guest_mem) {
		struct kvm_userspace_memory_region m;
		void *p = mmap(NULL, GUEST_MEM_SIZE, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			return errno;
		memcpy(p, code, code_size);
		memset(&m, 0, sizeof(m));
		m.slot = 0;
		m.guest_phys_addr = 0;
		m.memory_size = GUEST_MEM_SIZE;
		m.userspace_addr = (uint64_t)(uintptr_t)p;
		if (ioctl(vm_fd, KVM_SET_USER_MEMORY_REGION, &m) < 0) {
			e = errno;
			munmap(p, GUEST_MEM_SIZE);
			diag("run: KVM_SET_USER_MEMORY_REGION: %s", errname(e));
			return e;
		}
		guest_mem = p;
	} else if (memcmp(guest_mem, code, code_size)) {
		/* The code at IPA 0 is for the other register width.  KVM
		 * refuses to mix 32-bit and 64-bit EL1 vCPUs in one VM, so in
		 * practice this is never reached after a guest has run. */
		memset(guest_mem, 0, GUEST_CODE_MAX);
		memcpy(guest_mem, code, code_size);
	}
	if (!v->run) {
		void *p = mmap(NULL, (size_t)run_size, PROT_READ | PROT_WRITE,
			       MAP_SHARED, v->fd, 0);
		if (p == MAP_FAILED)
			return errno;
		v->run = p;
	}
	if ((e = set_reg(v->fd, CORE_REG(regs.pc), 0))) {
		diag("run: set PC: %s", errname(e));
		return e;
	}
	if ((e = set_reg(v->fd, CORE_REG(regs.pstate),
			 a32 ? PSTATE_A32_SVC : PSTATE_A64_EL1H))) {
		diag("run: set PSTATE: %s", errname(e));
		return e;
	}
	if (ioctl(v->fd, KVM_RUN, 0UL) < 0)
		return errno;
	if (v->run->exit_reason != KVM_EXIT_MMIO) {
		diag("run: exit_reason %u (expected MMIO %u)",
		     v->run->exit_reason, KVM_EXIT_MMIO);
	} else if (a32) {
		/* An UNDEF in the A32 guest would go through the vector at 0x4
		 * in Undef mode and still reach the store: check the mode, PC
		 * and address of the exit. */
		uint64_t pc = 0, ps = 0;
		int e1 = get_reg(v->fd, CORE_REG(regs.pc), &pc);
		int e2 = get_reg(v->fd, CORE_REG(regs.pstate), &ps);
		if (e1 || e2 || v->run->mmio.phys_addr != GUEST_MMIO_ADDR ||
		    !v->run->mmio.is_write || pc != A32_MMIO_PC ||
		    (ps & PSTATE_MODE_MASK) != (PSTATE_A32_SVC & PSTATE_MODE_MASK))
			diag("run: A32 guest: MMIO %s 0x%llx, pc 0x%llx (%s), "
			     "pstate 0x%llx (%s); expected write 0x%lx, "
			     "pc 0x%x, SVC mode",
			     v->run->mmio.is_write ? "write" : "read",
			     (unsigned long long)v->run->mmio.phys_addr,
			     (unsigned long long)pc, errname(e1),
			     (unsigned long long)ps, errname(e2),
			     GUEST_MMIO_ADDR, A32_MMIO_PC);
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Script                                                              */

#define MAX_TOK 64

static void cmd_vm(int n, char **args, int nargs)
{
	uint32_t f = parse_features(args, nargs);
	int e = new_vm(f);

	out("line=%d cmd=vm vcpu=%d features=0x%x err=%s", n, nr_vcpus - 1, f,
	    errname(e));
}

static void cmd_vcpu(int n, char **args, int nargs)
{
	uint32_t f = parse_features(args, nargs);

	if (vm_fd < 0) {
		out("line=%d cmd=vcpu vcpu=-1 features=0x%x err=NO_VM", n, f);
		return;
	}
	int e = add_vcpu(f);
	out("line=%d cmd=vcpu vcpu=%d features=0x%x err=%s", n, nr_vcpus - 1, f,
	    errname(e));
}

static void cmd_masks(int n)
{
	uint64_t masks[NR_FEAT];
	int e;

	if (vm_fd < 0) {
		out("line=%d cmd=masks err=NO_VM", n);
		return;
	}
	e = get_masks(masks);
	out("line=%d cmd=masks err=%s", n, errname(e));
	if (e)
		return;
	for (unsigned i = 0; i < NR_FEAT; i++) {
		char name[40];
		if (!masks[i])
			continue;
		reg_name(idx_id(i), name, sizeof(name));
		out("line=%d cmd=masks enc=3.%u.0.%u.%u name=%s mask=0x%016llx", n,
		    idx_op1(i), idx_crm(i), idx_op2(i), name,
		    (unsigned long long)masks[i]);
	}
}

static void cmd_dump(int n, int k)
{
	for (unsigned i = 0; i < NR_FEAT; i++) {
		char name[40];
		uint64_t v;
		int e = get_reg(vcpus[k].fd, idx_id(i), &v);
		if (e == ENOENT)
			continue;
		reg_name(idx_id(i), name, sizeof(name));
		out("line=%d cmd=dump enc=3.%u.0.%u.%u name=%s val=0x%016llx err=%s",
		    n, idx_op1(i), idx_crm(i), idx_op2(i), name,
		    (unsigned long long)v, errname(e));
	}
}

static void print_reg_line(int n, const char *cmd, const char *name, int k,
			   uint64_t val, const char *err, uint64_t rb,
			   const char *rberr)
{
	out("line=%d cmd=%s reg=%s vcpu=%d val=0x%016llx err=%s readback=0x%016llx readback_err=%s",
	    n, cmd, name, k, (unsigned long long)val, err,
	    (unsigned long long)rb, rberr);
}

/* get / set / setfield / rewrite */
static void cmd_reg(int n, const char *cmd, char **args, int nargs, int k,
		   const char *pre_err)
{
	char name[64];
	uint64_t id = 0, val = 0, rb = 0, a1 = 0, a2 = 0;
	int e = 0, re, fd;
	const char *tok = nargs > 0 ? args[0] : "-";
	int reg_ok = nargs > 0 && !parse_reg(args[0], &id);

	if (reg_ok)
		reg_name(id, name, sizeof(name));
	else
		snprintf(name, sizeof(name), "%.60s", tok);

	if (pre_err) {		/* NO_VM / NO_VCPU: nothing is done */
		print_reg_line(n, cmd, name, k, 0, pre_err, 0, pre_err);
		return;
	}
	if (!reg_ok) {
		print_reg_line(n, cmd, name, k, 0, "BAD_REG", 0, "BAD_REG");
		return;
	}
	if (!strcmp(cmd, "set")) {
		if (parse_u64(nargs > 1 ? args[1] : NULL, &a1)) {
			print_reg_line(n, cmd, name, k, 0, "BAD_VALUE", 0, "BAD_VALUE");
			return;
		}
	} else if (!strcmp(cmd, "setfield")) {
		if (parse_u64(nargs > 1 ? args[1] : NULL, &a1) || a1 > 60 ||
		    parse_u64(nargs > 2 ? args[2] : NULL, &a2)) {
			print_reg_line(n, cmd, name, k, 0, "BAD_VALUE", 0, "BAD_VALUE");
			return;
		}
	}

	fd = vcpus[k].fd;
	if (!strcmp(cmd, "get")) {
		e = get_reg(fd, id, &val);
	} else if (!strcmp(cmd, "set")) {
		val = a1;
		e = set_reg(fd, id, val);
	} else if (!strcmp(cmd, "setfield")) {
		uint64_t cur;
		e = get_reg(fd, id, &cur);
		val = (cur & ~(0xfULL << a1)) | ((a2 & 0xf) << a1);
		if (!e)
			e = set_reg(fd, id, val);
	} else {		/* rewrite */
		e = get_reg(fd, id, &val);
		if (!e)
			e = set_reg(fd, id, val);
	}
	re = get_reg(fd, id, &rb);
	char ebuf[24];
	snprintf(ebuf, sizeof(ebuf), "%s", errname(e));
	print_reg_line(n, cmd, name, k, val, ebuf, rb, errname(re));
}

static void run_line(int n, char *line)
{
	char *tok[MAX_TOK], *args[MAX_TOK], *save = NULL, *t;
	int ntok = 0, nargs = 0, k = 0;

	for (t = strtok_r(line, " \t\r\n", &save); t && ntok < MAX_TOK;
	     t = strtok_r(NULL, " \t\r\n", &save))
		tok[ntok++] = t;
	if (ntok == 0 || tok[0][0] == '#')
		return;
	for (int i = 0; i < ntok; i++) {	/* vcpu=K anywhere */
		if (!strncmp(tok[i], "vcpu=", 5)) {
			char *end;
			long v;
			errno = 0;
			v = strtol(tok[i] + 5, &end, 10);
			k = (errno || end == tok[i] + 5 || *end || v < -1 ||
			     v > MAX_VCPUS) ? -1 : (int)v;
		} else {
			args[nargs++] = tok[i];
		}
	}
	const char *cmd = nargs ? args[0] : "";
	char **a = args + 1;	/* the command's arguments */
	nargs = nargs ? nargs - 1 : 0;
	if (!strcmp(cmd, "vm")) {
		cmd_vm(n, a, nargs);
		return;
	}
	if (!strcmp(cmd, "vcpu")) {
		cmd_vcpu(n, a, nargs);
		return;
	}
	if (!strcmp(cmd, "masks")) {
		cmd_masks(n);
		return;
	}
	int is_reg = !strcmp(cmd, "get") || !strcmp(cmd, "set") ||
		     !strcmp(cmd, "setfield") || !strcmp(cmd, "rewrite");
	if (!is_reg && strcmp(cmd, "dump") && strcmp(cmd, "run")) {
		out("line=%d cmd=%s err=UNKNOWN_CMD", n, cmd);
		return;
	}
	const char *pre = vm_fd < 0 ? "NO_VM" :
			  (k < 0 || k >= nr_vcpus) ? "NO_VCPU" : NULL;
	if (is_reg) {
		cmd_reg(n, cmd, a, nargs, k, pre);
	} else if (!strcmp(cmd, "dump")) {
		if (pre)
			out("line=%d cmd=dump err=%s", n, pre);
		else
			cmd_dump(n, k);
	} else {		/* run */
		out("line=%d cmd=run vcpu=%d err=%s", n, k,
		    pre ? pre : errname(run_vcpu(&vcpus[k])));
	}
}

static void run_script(FILE *f)
{
	char *line = NULL;
	size_t cap = 0;
	int n = 0;

	while (getline(&line, &cap, f) >= 0)
		run_line(++n, line);
	free(line);
}

/* ------------------------------------------------------------------ */
/* Probe                                                               */

static const struct { const char *name; uint32_t bits; } feature_words[] = {
	{"pmu", 1u << KVM_ARM_VCPU_PMU_V3},
	{"sve", 1u << KVM_ARM_VCPU_SVE},
	{"ptrauth", 1u << KVM_ARM_VCPU_PTRAUTH_ADDRESS |
		    1u << KVM_ARM_VCPU_PTRAUTH_GENERIC},
	{"el1_32bit", 1u << KVM_ARM_VCPU_EL1_32BIT},
};
#define NR_FW 4

/* "vhe" / "nvhe" from the kernel log line KVM prints at init. */
static const char *kvm_mode(const char **how)
{
	static char logbuf[1 << 20];
	char mode[32] = "";
	int fd = open("/sys/module/kvm/parameters/mode", O_RDONLY);

	if (fd >= 0) {
		ssize_t r = read(fd, mode, sizeof(mode) - 1);
		close(fd);
		if (r > 0) {
			mode[r] = 0;
			mode[strcspn(mode, "\n")] = 0;
			diag("probe: /sys/module/kvm/parameters/mode = %s", mode);
		}
	}
	int len = klogctl(3 /* SYSLOG_ACTION_READ_ALL */, logbuf, sizeof(logbuf) - 1);
	if (len > 0) {
		logbuf[len] = 0;
		char *p = strstr(logbuf, "VHE mode initialized successfully");
		if (p) {
			char *bol = p;
			while (bol > logbuf && bol[-1] != '\n')
				bol--;
			*strchrnul(p, '\n') = 0;
			diag("probe: kernel log: %s", bol);
			*how = "kernel log";
			return (p > logbuf && p[-1] == 'n') ? "nvhe" : "vhe";
		}
	}
	return NULL;
}

static void json_str(const char *key, const char *val, int comma)
{
	char buf[256];
	size_t j = 0;

	for (size_t i = 0; val[i] && j < sizeof(buf) - 8; i++) {
		unsigned char c = (unsigned char)val[i];
		if (c == '"' || c == '\\')
			buf[j++] = '\\';
		if (c < 0x20)
			c = ' ';
		buf[j++] = (char)c;
	}
	buf[j] = 0;
	out("  \"%s\": \"%s\"%s", key, buf, comma ? "," : "");
}

/* "  \"KEY\": {" and one "NAME": "0x..." line per selected register. */
static void json_map(const char *key, const uint64_t *v, const int *errs,
		     int nonzero_only)
{
	int sel[NR_FEAT], n = 0;
	char rn[40];

	for (unsigned i = 0; i < NR_FEAT; i++)
		if (!(errs && errs[i]) && !(nonzero_only && !v[i]))
			sel[n++] = (int)i;
	out("  \"%s\": {", key);
	for (int j = 0; j < n; j++) {
		reg_name(idx_id((unsigned)sel[j]), rn, sizeof(rn));
		out("    \"%s\": \"0x%016llx\"%s", rn,
		    (unsigned long long)v[sel[j]], j + 1 < n ? "," : "");
	}
}

static int probe(const char *name_hint)
{
	struct utsname u;
	char kernel[65], name[128], desc[256], feats[128] = "";
	const char *mode, *how = NULL;
	uint32_t best = 0;
	int found = 0;
	uint64_t masks[NR_FEAT], vals[NR_FEAT];
	int errs[NR_FEAT];

	uname(&u);
	/* uname -r: the point release matters (stable backports) */
	snprintf(kernel, sizeof(kernel), "%s", u.release);

	/* Largest feature set KVM_ARM_VCPU_INIT (+ SVE finalize) accepts:
	 * subsets by decreasing size; within a size, ones keeping the
	 * earlier words of feature_words[] first. */
	for (int size = NR_FW; size >= 0 && !found; size--) {
		for (int drop = 0; drop < (1 << NR_FW) && !found; drop++) {
			uint32_t f = 0;
			int cnt = 0;
			for (int i = 0; i < NR_FW; i++)
				if (!(drop & (1 << (NR_FW - 1 - i)))) {
					f |= feature_words[i].bits;
					cnt++;
				}
			if (cnt != size)
				continue;
			int e = new_vm(f);
			diag("probe: features 0x%x: %s", f, errname(e));
			if (!e) {
				best = f;
				found = 1;
			}
		}
	}
	if (!found) {
		diag("probe: no feature set works");
		return -1;
	}
	for (int i = 0; i < NR_FW; i++)
		if (best & feature_words[i].bits) {
			size_t l = strlen(feats);
			snprintf(feats + l, sizeof(feats) - l, "%s\"%s\"",
				 l ? ", " : "", feature_words[i].name);
		}
	for (unsigned i = 0; i < NR_FEAT; i++)
		errs[i] = get_reg(vcpus[0].fd, idx_id(i), &vals[i]);
	int me = get_masks(masks);
	if (me) {
		diag("probe: KVM_ARM_GET_REG_WRITABLE_MASKS: %s", errname(me));
		memset(masks, 0, sizeof(masks));
	}

	mode = kvm_mode(&how);
	if (!mode) {
		/* Fallback: nVHE hides ID_AA64MMFR1_EL1.VH from the guest. */
		mode = ((vals[57] >> 8) & 0xf) ? "vhe" : "nvhe";
		how = "ID_AA64MMFR1_EL1.VH (no kernel log line)";
	}
	diag("probe: mode %s decided from %s", mode, how);

	snprintf(name, sizeof(name), "%s", name_hint && *name_hint ? name_hint : "kvm");
	snprintf(desc, sizeof(desc),
		 "KVM view probed by idregs harness/kvmsim on Linux %s (mode from %s)",
		 u.release, how);

	out("{");
	json_str("format", "idregs-host/1", 1);
	json_str("name", name, 1);
	json_str("description", desc, 1);
	json_str("kind", "kvm", 1);
	json_str("kernel", kernel, 1);
	json_str("mode", mode, 1);
	out("  \"features\": [%s],", feats);
	json_map("regs", vals, errs, 0);
	out("  },");
	json_map("masks", masks, NULL, 1);
	out("  }");
	out("}");
	close_vm();
	return 0;
}

/* ------------------------------------------------------------------ */

static void setup(void)
{
	mkdir("/dev", 0755);
	mkdir("/proc", 0555);
	mkdir("/sys", 0555);
	mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
	mount("proc", "/proc", "proc", 0, NULL);
	mount("sysfs", "/sys", "sysfs", 0, NULL);
	if (fcntl(1, F_GETFD) < 0) {	/* no console fds inherited */
		int fd = open("/dev/console", O_RDWR);
		if (fd >= 0) {
			dup2(fd, 0);
			dup2(fd, 1);
			dup2(fd, 2);
			if (fd > 2)
				close(fd);
		}
	}
	/* keep kernel messages off the console while we print */
	klogctl(8 /* SYSLOG_ACTION_CONSOLE_LEVEL */, NULL, 1);
}

static void finish(void)
{
	sync();
	reboot(RB_POWER_OFF);
	for (;;)
		pause();
}

int main(int argc, char **argv)
{
	FILE *f;
	int is_init = getpid() == 1;
	const char *script = argc > 1 ? argv[1] : "/script.sim";

	if (is_init)
		setup();
	kvm_fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (kvm_fd < 0) {
		out("=== idregs-error: cannot open /dev/kvm: %s ===", errname(errno));
		goto done;
	}
	run_size = ioctl(kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0UL);
	for (int i = 0; i < MAX_VCPUS; i++)
		vcpus[i].fd = -1;

	if ((f = fopen("/probe", "r"))) {
		char hint[128] = "";
		if (fgets(hint, sizeof(hint), f))
			hint[strcspn(hint, "\r\n")] = 0;
		fclose(f);
		out("=== idregs-begin ===");
		if (probe(hint) == 0)
			out("=== idregs-end ===");
		else
			out("=== idregs-error: probe failed ===");
	} else if ((f = fopen(script, "r"))) {
		out("=== idregs-begin ===");
		run_script(f);
		fclose(f);
		close_vm();
		out("=== idregs-end ===");
	} else {
		out("=== idregs-error: neither /probe nor %s ===", script);
	}
done:
	if (is_init)
		finish();
	return 0;
}
