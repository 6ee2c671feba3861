// SPDX-License-Identifier: MIT
/*
 * The real KVM backend: the only Linux/arm64 file. Elsewhere every call
 * reports that KVM is unavailable (-ENOSYS).
 */
#include <errno.h>
#include <stdio.h>

#include "internal.h"

#if !(defined(__linux__) && defined(__aarch64__))

int idregs_kvm_available(void)
{
	return -ENOSYS;
}

int idregs_kvm_probe(struct idregs_host **out, struct idregs_error *err)
{
	(void)out;
	if (err)
		snprintf(err->msg, sizeof(err->msg),
			 "KVM is unavailable: this idregs was not built for Linux/arm64");
	return -ENOSYS;
}

int idregs_kvm_prepare_vm(int vm_fd, const struct idregs_model *m,
			  const struct idregs_regset *current)
{
	(void)vm_fd;
	(void)m;
	(void)current;
	return -ENOSYS;
}

int idregs_kvm_apply(int vcpu_fd, const struct idregs_model *m,
		     struct idregs_apply_result *res)
{
	(void)vcpu_fd;
	(void)m;
	(void)res;
	return -ENOSYS;
}

#endif
