// SPDX-License-Identifier: MIT
/*
 * rawdump: a freestanding aarch64 program for QEMU's virt machine that reads
 * the emulated CPU's feature-ID registers as the hardware presents them (at
 * EL2, where QEMU starts it with virtualization=on) and prints them on the
 * PL011 UART as a kind-"raw" idregs-host/1 profile between marker lines:
 *
 *   rawdump: ...                 diagnostics (exception level, UNDEFs)
 *   === rawdump-begin ===
 *   { "format": "idregs-host/1", ... }
 *   === rawdump-end ===
 *
 * Encodings whose MRS UNDEFs are left out of the profile (a raw profile's
 * unlisted registers read as 0) and reported on a diagnostic line. "mode"
 * is "vhe" when ID_AA64MMFR1_EL1.VH != 0; harness/raw-profile.sh replaces
 * it (and the name) with what Linux really did on that CPU when a probe of
 * it is stored.
 */
#include <stdint.h>

#define UART_BASE 0x09000000UL
#define UART_DR (*(volatile uint32_t *)(UART_BASE + 0x00))
#define UART_FR (*(volatile uint32_t *)(UART_BASE + 0x18))
#define UART_FR_TXFF (1u << 5)

struct entry {
	uint64_t (*read)(void);
	uint64_t enc;	/* op1 << 16 | crm << 8 | op2 */
};

extern const struct entry rawdump_table[];
extern uint64_t current_el(void);

/* written by the exception handler in start.S: count, ESR, ELR */
volatile uint64_t rawdump_faults[3];

int main(void);

static void putc_(char c)
{
	while (UART_FR & UART_FR_TXFF)
		;
	UART_DR = (uint32_t)(unsigned char)c;
}

static void puts_(const char *s)
{
	while (*s) {
		if (*s == '\n')
			putc_('\r');
		putc_(*s++);
	}
}

static void putdec(uint64_t v)
{
	char buf[21];
	int i = 20;

	buf[i] = 0;
	do {
		buf[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	puts_(&buf[i]);
}

static void puthex(uint64_t v, int digits)
{
	static const char hex[] = "0123456789abcdef";
	char buf[17];
	int i;

	for (i = digits - 1; i >= 0; i--) {
		buf[i] = hex[v & 0xf];
		v >>= 4;
	}
	buf[digits] = 0;
	puts_("0x");
	puts_(buf);
}

/* architectural names, as data/regs.db spells them */
static const struct {
	uint32_t enc;
	const char *name;
} names[] = {
	{ 0x000000, "MIDR_EL1" }, { 0x000005, "MPIDR_EL1" }, { 0x000006, "REVIDR_EL1" },
	{ 0x000100, "ID_PFR0_EL1" }, { 0x000101, "ID_PFR1_EL1" },
	{ 0x000102, "ID_DFR0_EL1" }, { 0x000103, "ID_AFR0_EL1" },
	{ 0x000104, "ID_MMFR0_EL1" }, { 0x000105, "ID_MMFR1_EL1" },
	{ 0x000106, "ID_MMFR2_EL1" }, { 0x000107, "ID_MMFR3_EL1" },
	{ 0x000200, "ID_ISAR0_EL1" }, { 0x000201, "ID_ISAR1_EL1" },
	{ 0x000202, "ID_ISAR2_EL1" }, { 0x000203, "ID_ISAR3_EL1" },
	{ 0x000204, "ID_ISAR4_EL1" }, { 0x000205, "ID_ISAR5_EL1" },
	{ 0x000206, "ID_MMFR4_EL1" }, { 0x000207, "ID_ISAR6_EL1" },
	{ 0x000300, "MVFR0_EL1" }, { 0x000301, "MVFR1_EL1" }, { 0x000302, "MVFR2_EL1" },
	{ 0x000304, "ID_PFR2_EL1" }, { 0x000305, "ID_DFR1_EL1" },
	{ 0x000306, "ID_MMFR5_EL1" },
	{ 0x000400, "ID_AA64PFR0_EL1" }, { 0x000401, "ID_AA64PFR1_EL1" },
	{ 0x000402, "ID_AA64PFR2_EL1" }, { 0x000404, "ID_AA64ZFR0_EL1" },
	{ 0x000405, "ID_AA64SMFR0_EL1" }, { 0x000407, "ID_AA64FPFR0_EL1" },
	{ 0x000500, "ID_AA64DFR0_EL1" }, { 0x000501, "ID_AA64DFR1_EL1" },
	{ 0x000502, "ID_AA64DFR2_EL1" }, { 0x000504, "ID_AA64AFR0_EL1" },
	{ 0x000505, "ID_AA64AFR1_EL1" },
	{ 0x000600, "ID_AA64ISAR0_EL1" }, { 0x000601, "ID_AA64ISAR1_EL1" },
	{ 0x000602, "ID_AA64ISAR2_EL1" }, { 0x000603, "ID_AA64ISAR3_EL1" },
	{ 0x000700, "ID_AA64MMFR0_EL1" }, { 0x000701, "ID_AA64MMFR1_EL1" },
	{ 0x000702, "ID_AA64MMFR2_EL1" }, { 0x000703, "ID_AA64MMFR3_EL1" },
	{ 0x000704, "ID_AA64MMFR4_EL1" },
	{ 0x010001, "CLIDR_EL1" }, { 0x010007, "AIDR_EL1" },
	{ 0x030001, "CTR_EL0" }, { 0x030007, "DCZID_EL0" },
};

static void putname(uint64_t enc)
{
	unsigned int i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (names[i].enc == enc) {
			puts_(names[i].name);
			return;
		}
	}
	puts_("S3_");
	putdec(enc >> 16);
	puts_("_C0_C");
	putdec((enc >> 8) & 0xff);
	puts_("_");
	putdec(enc & 0xff);
}

#define MAX_REGS 80

int main(void)
{
	static uint64_t val[MAX_REGS];
	static int undef[MAX_REGS];
	uint64_t el = current_el(), mmfr1 = 0;
	int n, i, first;

	puts_("\nrawdump: CurrentEL ");
	putdec(el);
	puts_("\n");
	for (n = 0; rawdump_table[n].read && n < MAX_REGS; n++) {
		uint64_t before = rawdump_faults[0];

		val[n] = rawdump_table[n].read();
		undef[n] = rawdump_faults[0] != before;
		if (undef[n]) {
			puts_("rawdump: UNDEF ");
			putname(rawdump_table[n].enc);
			puts_(" esr ");
			puthex(rawdump_faults[1], 8);
			puts_("\n");
		}
		if (rawdump_table[n].enc == 0x000701)
			mmfr1 = val[n];
	}
	puts_("=== rawdump-begin ===\n");
	puts_("{\n  \"format\": \"idregs-host/1\",\n  \"name\": \"qemu-raw\",\n");
	puts_("  \"description\": \"feature-ID registers read by harness/rawdump at EL");
	putdec(el);
	puts_("\",\n  \"kind\": \"raw\",\n  \"mode\": \"");
	puts_(((mmfr1 >> 8) & 0xf) ? "vhe" : "nvhe");
	puts_("\",\n  \"cpus\": [\n    {");
	first = 1;
	for (i = 0; i < n; i++) {
		if (undef[i])
			continue;
		puts_(first ? "\n      \"" : ",\n      \"");
		first = 0;
		putname(rawdump_table[i].enc);
		puts_("\": \"");
		puthex(val[i], 16);
		puts_("\"");
	}
	puts_("\n    }\n  ]\n}\n=== rawdump-end ===\n");
	return 0;
}
