/* SPDX-License-Identifier: MIT */
/*
 * rawdump entry, exception vectors and the ID register readers.
 *
 * QEMU (-M virt,virtualization=on, no EL3) enters _start at EL2 with the
 * MMU off. Every exception is taken by one handler that counts it, records
 * ESR and skips the faulting instruction, so an MRS of an encoding that
 * UNDEFs on some CPU model leaves 0 in x0 and bumps rawdump_faults.
 */
	.section .text.boot, "ax"
	.global _start
_start:
	ldr	x0, =__stack_top
	mov	sp, x0
	mrs	x1, CurrentEL
	lsr	x1, x1, #2
	cmp	x1, #2
	b.ne	1f
	adr	x0, vectors_el2
	msr	vbar_el2, x0
	b	2f
1:	cmp	x1, #1
	b.ne	2f
	adr	x0, vectors_el1
	msr	vbar_el1, x0
2:	isb
	/* clear .bss */
	ldr	x0, =__bss_start
	ldr	x1, =__bss_end
3:	cmp	x0, x1
	b.hs	4f
	str	xzr, [x0], #8
	b	3b
4:	bl	main
	/* PSCI SYSTEM_OFF; with virtualization=on QEMU's PSCI conduit is SMC */
	ldr	x0, =0x84000008
	smc	#0
	ldr	x0, =0x84000008
	hvc	#0
5:	wfi
	b	5b

	.macro	HANDLER el
	.balign	8
handler_el\el:
	stp	x0, x1, [sp, #-16]!
	ldr	x0, =rawdump_faults
	ldr	x1, [x0]
	add	x1, x1, #1
	str	x1, [x0]
	mrs	x1, esr_el\el
	str	x1, [x0, #8]
	mrs	x1, elr_el\el
	str	x1, [x0, #16]
	add	x1, x1, #4
	msr	elr_el\el, x1
	ldp	x0, x1, [sp], #16
	eret
	.ltorg
	.endm

	.macro	VECTORS el
	.balign	2048
vectors_el\el:
	.rept	16
	.balign	128
	b	handler_el\el
	.endr
	.endm

	HANDLER	2
	HANDLER	1
	VECTORS	2
	VECTORS	1

/* ---- one reader per encoding: x0 = 0, then MRS (skipped if it UNDEFs) ---- */
	.text
	.macro	RD label, enc
	.balign	4
\label:
	mov	x0, xzr
	mrs	x0, \enc
	ret
	.endm

	.macro	RD_CRM crm
	RD	rd_\crm\()_0, S3_0_C0_C\crm\()_0
	RD	rd_\crm\()_1, S3_0_C0_C\crm\()_1
	RD	rd_\crm\()_2, S3_0_C0_C\crm\()_2
	RD	rd_\crm\()_3, S3_0_C0_C\crm\()_3
	RD	rd_\crm\()_4, S3_0_C0_C\crm\()_4
	RD	rd_\crm\()_5, S3_0_C0_C\crm\()_5
	RD	rd_\crm\()_6, S3_0_C0_C\crm\()_6
	RD	rd_\crm\()_7, S3_0_C0_C\crm\()_7
	.endm

	RD	rd_midr, S3_0_C0_C0_0
	RD	rd_mpidr, S3_0_C0_C0_5
	RD	rd_revidr, S3_0_C0_C0_6
	RD_CRM	1
	RD_CRM	2
	RD_CRM	3
	RD_CRM	4
	RD_CRM	5
	RD_CRM	6
	RD_CRM	7
	RD	rd_clidr, S3_1_C0_C0_1
	RD	rd_aidr, S3_1_C0_C0_7
	RD	rd_ctr, S3_3_C0_C0_1
	RD	rd_dczid, S3_3_C0_C0_7

	.global	current_el
current_el:
	mrs	x0, CurrentEL
	lsr	x0, x0, #2
	ret

/*
 * The readers in output order; rawdump.c names them. Each entry: reader
 * address, then op1, crm, op2 packed as (op1 << 16 | crm << 8 | op2) in a
 * second doubleword (op0 is 3, CRn 0 for all of them).
 */
	.section .rodata
	.balign	8
	.global	rawdump_table
rawdump_table:
	.macro	ENT label, op1, crm, op2
	.quad	\label, (\op1 << 16) | (\crm << 8) | \op2
	.endm
	ENT	rd_midr, 0, 0, 0
	ENT	rd_mpidr, 0, 0, 5
	ENT	rd_revidr, 0, 0, 6
	.irp	crm, 1, 2, 3, 4, 5, 6, 7
	.irp	op2, 0, 1, 2, 3, 4, 5, 6, 7
	ENT	rd_\crm\()_\op2, 0, \crm, \op2
	.endr
	.endr
	ENT	rd_clidr, 1, 0, 1
	ENT	rd_aidr, 1, 0, 7
	ENT	rd_ctr, 3, 0, 1
	ENT	rd_dczid, 3, 0, 7
	.quad	0, 0
