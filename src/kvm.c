// SPDX-License-Identifier: MIT
/*
 * The real KVM backend: the only Linux/arm64 file. Elsewhere every call
 * reports that KVM is unavailable (-ENOSYS).
 *
 * The probe does what the harness's in-guest program (harness/guest/
 * kvmsim.c) does, so that the two can be compared on real KVM.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

#if defined(__linux__) && defined(__aarch64__)

#include <fcntl.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/klog.h>
#include <sys/utsname.h>
#include <unistd.h>
#include <linux/kvm.h>

/* UAPI newer than Debian 12's (Linux 6.1) headers. */
#ifndef KVM_ARM_GET_REG_WRITABLE_MASKS
struct reg_mask_range {
	__u64 addr;
	__u32 range;
	__u32 reserved[13];
};
#define KVM_ARM_GET_REG_WRITABLE_MASKS \
	_IOR(KVMIO, 0xb6, struct reg_mask_range)
#endif
#ifndef KVM_CAP_ARM_SUPPORTED_REG_MASK_RANGES
#define KVM_CAP_ARM_SUPPORTED_REG_MASK_RANGES 230
#endif
#ifndef KVM_CAP_ARM_WRITABLE_IMP_ID_REGS
#define KVM_CAP_ARM_WRITABLE_IMP_ID_REGS 239
#endif

_Static_assert(sizeof(struct reg_mask_range) == 64, "struct reg_mask_range");
_Static_assert(IDREGS_FEAT_PMU_V3 == 1u << KVM_ARM_VCPU_PMU_V3 &&
	       IDREGS_FEAT_SVE == 1u << KVM_ARM_VCPU_SVE &&
	       IDREGS_FEAT_EL1_32BIT == 1u << KVM_ARM_VCPU_EL1_32BIT &&
	       IDREGS_FEAT_PTRAUTH_ADDRESS == 1u << KVM_ARM_VCPU_PTRAUTH_ADDRESS &&
	       IDREGS_FEAT_PTRAUTH_GENERIC == 1u << KVM_ARM_VCPU_PTRAUTH_GENERIC,
	       "IDREGS_FEAT_* are kvm_vcpu_init feature bits");

/* The ioctl's result, or -errno. */
static int kvm_ioctl(int fd, unsigned long req, void *arg)
{
	int ret;

	do
		ret = ioctl(fd, req, arg);
	while (ret < 0 && errno == EINTR);
	return ret < 0 ? -errno : ret;
}

static int kvm_check_cap(int fd, long cap)
{
	return kvm_ioctl(fd, KVM_CHECK_EXTENSION, (void *)cap);
}

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

static int kvm_open(int *fd)
{
	int kvm, ret;

	kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (kvm < 0)
		return -errno;
	ret = kvm_ioctl(kvm, KVM_GET_API_VERSION, NULL);
	if (ret != KVM_API_VERSION) {
		close(kvm);
		return ret < 0 ? ret : -EPROTO;
	}
	*fd = kvm;
	return 0;
}

static int kvm_open_err(int *fd, struct idregs_error *err)
{
	int ret = kvm_open(fd);

	if (ret == -EPROTO)
		return idregs_fail(err, ret, "KVM is unavailable: /dev/kvm has an unknown API version");
	if (ret)
		return idregs_fail(err, ret, "KVM is unavailable: cannot open /dev/kvm: %s",
			    strerror(-ret));
	return 0;
}

int idregs_kvm_available(void)
{
	int fd, ret;

	ret = kvm_open(&fd);
	if (!ret)
		close(fd);
	return ret;
}

/* vCPU 0 of vm, initialised with features (IDREGS_FEAT_*) and, with SVE,
 * finalised: ONE_REG refuses an SVE vCPU's registers before that. */
static int vcpu_create(int vm, uint32_t features, int *out, const char **step)
{
	int fd, ret, what = KVM_ARM_VCPU_SVE;
	struct kvm_vcpu_init init;

	*step = "KVM_CREATE_VCPU";
	fd = kvm_ioctl(vm, KVM_CREATE_VCPU, (void *)0);
	if (fd < 0)
		return fd;
	memset(&init, 0, sizeof(init));
	*step = "KVM_ARM_PREFERRED_TARGET";
	ret = kvm_ioctl(vm, KVM_ARM_PREFERRED_TARGET, &init);
	if (ret >= 0) {
		memset(init.features, 0, sizeof(init.features));
		init.features[0] = features;
		*step = "KVM_ARM_VCPU_INIT";
		ret = kvm_ioctl(fd, KVM_ARM_VCPU_INIT, &init);
	}
	if (ret >= 0 && (features & IDREGS_FEAT_SVE)) {
		*step = "KVM_ARM_VCPU_FINALIZE(SVE)";
		ret = kvm_ioctl(fd, KVM_ARM_VCPU_FINALIZE, &what);
	}
	if (ret < 0) {
		close(fd);
		return ret;
	}
	*out = fd;
	return 0;
}

/* A fresh VM (before any vCPU exists, when model is given: prepared for
 * it) with vCPU 0. */
static int scratch_vm(int kvm, uint32_t features, const struct idregs_model *m,
		      const struct idregs_regset *cur, int *vm, int *vcpu,
		      const char **step)
{
	int ret;

	*step = "KVM_CREATE_VM";
	*vm = kvm_ioctl(kvm, KVM_CREATE_VM, (void *)0);
	if (*vm < 0)
		return *vm;
	*step = "KVM_ENABLE_CAP(KVM_CAP_ARM_WRITABLE_IMP_ID_REGS)";
	ret = m ? idregs_kvm_prepare_vm(*vm, m, cur) : 0;
	if (!ret)
		ret = vcpu_create(*vm, features, vcpu, step);
	if (ret)
		close_fd(vm);
	return ret;
}

static int vcpu_get(void *ctx, uint64_t id, uint64_t *val)
{
	struct kvm_one_reg r = { .id = id, .addr = (uintptr_t)val };
	int ret;

	*val = 0;
	ret = kvm_ioctl(*(int *)ctx, KVM_GET_ONE_REG, &r);
	return ret < 0 ? ret : 0;
}

static int vcpu_set(void *ctx, uint64_t id, uint64_t val)
{
	struct kvm_one_reg r = { .id = id, .addr = (uintptr_t)&val };
	int ret;

	ret = kvm_ioctl(*(int *)ctx, KVM_SET_ONE_REG, &r);
	return ret < 0 ? ret : 0;
}

/* Every encoding of the feature-ID space; those KVM does not serve read
 * as 0 (the profile lists the database's registers). */
static void read_regs(int vcpu, struct idregs_regset *set)
{
	unsigned int i;

	for (i = 0; i < IDREGS_SPACE_SIZE; i++)
		if (vcpu_get(&vcpu, idregs_sysreg_id(idregs_space_enc(i)), &set->val[i]))
			set->val[i] = 0;
}

/*
 * The feature sets to try, largest first; within one size, the sets that
 * keep the earlier feature words (pmu, sve, ptrauth, el1_32bit) first, so
 * el1_32bit is the first to go. Returns how many.
 */
static unsigned int feature_sets(uint32_t sets[16])
{
	unsigned int nw, size, drop, i, n = 0;
	uint32_t word[4];

	for (nw = 0; nw < 4 && idregs_feature_name(nw, &word[nw]); nw++)
		;
	for (size = nw + 1; size-- > 0;) {
		for (drop = 0; drop < 1u << nw; drop++) {
			uint32_t f = 0;

			if ((unsigned int)__builtin_popcount(drop) != nw - size)
				continue;
			for (i = 0; i < nw; i++)
				if (!(drop & 1u << (nw - 1 - i)))
					f |= word[i];
			sets[n++] = f;
		}
	}
	return n;
}

/* A VM whose vCPU has the largest feature set KVM accepts. */
static int probe_vm(int kvm, uint32_t *features, int *vm, int *vcpu,
		    struct idregs_error *err)
{
	const char *step = "";
	unsigned int i, n;
	uint32_t sets[16];
	int ret = -EINVAL;

	n = feature_sets(sets);
	for (i = 0; i < n; i++) {
		ret = scratch_vm(kvm, sets[i], NULL, NULL, vm, vcpu, &step);
		if (!ret) {
			*features = sets[i];
			return 0;
		}
	}
	return idregs_fail(err, ret, "KVM accepts no vCPU: %s: %s", step, strerror(-ret));
}

static int read_masks(int vm, struct idregs_regset *masks,
		      struct idregs_error *err)
{
	struct reg_mask_range range;
	int ret;

	memset(masks, 0, sizeof(*masks));
	ret = kvm_check_cap(vm, KVM_CAP_ARM_SUPPORTED_REG_MASK_RANGES);
	if (ret <= 0 || !(ret & 1))	/* no masks before 6.7 */
		return 0;
	memset(&range, 0, sizeof(range));
	range.addr = (uintptr_t)masks->val;
	ret = kvm_ioctl(vm, KVM_ARM_GET_REG_WRITABLE_MASKS, &range);
	if (ret < 0)
		return idregs_fail(err, ret, "KVM_ARM_GET_REG_WRITABLE_MASKS: %s",
			    strerror(-ret));
	return 0;
}

/*
 * KVM's boot message tells how it runs: "VHE mode initialized successfully",
 * or "Hyp nVHE ..." / "Protected nVHE ..." with the same ending. Without it
 * (log wrapped or unreadable), nVHE hides ID_AA64MMFR1_EL1.VH.
 */
static bool kvm_is_nvhe(const struct idregs_regset *regs)
{
	int mmfr1 = idregs_space_index(IDREGS_ENC(3, 0, 0, 7, 1));
	char *log = NULL, *p = NULL;
	int size, len = -1;
	bool nvhe;

	size = klogctl(10 /* SYSLOG_ACTION_SIZE_BUFFER */, NULL, 0);
	if (size > 0)
		log = malloc((size_t)size + 1);
	if (log)
		len = klogctl(3 /* SYSLOG_ACTION_READ_ALL */, log, size);
	if (len > 0) {
		log[len] = 0;
		p = strstr(log, "VHE mode initialized successfully");
	}
	if (p)
		nvhe = p > log && p[-1] == 'n';
	else
		nvhe = !FLD(regs->val[mmfr1], ID_AA64MMFR1_EL1, VH);
	free(log);
	return nvhe;
}

/* The running kernel as uname -r says it: it names the point release too. */
static void kernel_release(char *out, size_t size)
{
	struct utsname u;

	snprintf(out, size, "%s", uname(&u) ? "" : u.release);
}

int idregs_kvm_probe(struct idregs_host **out, struct idregs_error *err)
{
	int kvm, vm = -1, vcpu = -1, ret;
	struct idregs_host *h;

	ret = kvm_open_err(&kvm, err);
	if (ret)
		return ret;
	h = calloc(1, sizeof(*h));
	if (!h) {
		close(kvm);
		return idregs_fail(err, -ENOMEM, "out of memory");
	}
	h->release = -1;
	ret = probe_vm(kvm, &h->features, &vm, &vcpu, err);
	if (!ret) {
		read_regs(vcpu, &h->regs);
		ret = read_masks(vm, &h->masks, err);
	}
	close_fd(&vcpu);
	close_fd(&vm);
	close(kvm);
	if (ret) {
		free(h);
		return ret;
	}
	snprintf(h->name, sizeof(h->name), "kvm");
	h->kvm = true;
	h->nvhe = kvm_is_nvhe(&h->regs);
	kernel_release(h->kernel, sizeof(h->kernel));
	*out = h;
	return 0;
}

int idregs_kvm_prepare_vm(int vm_fd, const struct idregs_model *m,
			  const struct idregs_regset *current)
{
	struct kvm_enable_cap cap = { .cap = KVM_CAP_ARM_WRITABLE_IMP_ID_REGS };
	int ret;

	if (!idregs_model_needs_imp_cap(m, current))
		return 0;
	ret = kvm_check_cap(vm_fd, KVM_CAP_ARM_WRITABLE_IMP_ID_REGS);
	if (ret <= 0)	/* not offered: KVM will refuse the writes */
		return ret;
	ret = kvm_ioctl(vm_fd, KVM_ENABLE_CAP, &cap);
	return ret < 0 ? ret : 0;
}

int idregs_kvm_apply(int vcpu_fd, const struct idregs_model *m,
		     struct idregs_apply_result *res)
{
	static const struct idregs_onereg_ops ops = { vcpu_get, vcpu_set };

	return idregs_apply_model(m, &ops, &vcpu_fd, res);
}

static void feature_words(uint32_t features, char *buf, size_t len)
{
	const char *word;
	unsigned int i;
	uint32_t bits;
	size_t n = 0;

	buf[0] = 0;
	for (i = 0; (word = idregs_feature_name(i, &bits)) && n < len; i++)
		if ((features & bits) == bits)
			n += (size_t)snprintf(buf + n, len - n, " %s", word);
	if (!buf[0])
		snprintf(buf, len, " (none)");
}

int idregs_kvm_check_model(const struct idregs_model *m,
			   struct idregs_apply_result *res,
			   struct idregs_error *err)
{
	int kvm, vm = -1, vcpu = -1, ret;
	struct idregs_regset *cur;
	const char *step = "";
	char words[64];

	memset(res, 0, sizeof(*res));
	if (err)
		err->msg[0] = 0;
	if (!idregs_db)
		return idregs_fail(err, -EINVAL, "register tables failed validation");
	cur = calloc(1, sizeof(*cur));
	if (!cur)
		return idregs_fail(err, -ENOMEM, "out of memory");
	ret = kvm_open_err(&kvm, err);
	if (ret)
		goto out;
	/* what a vCPU has without the model: does it need the cap? */
	ret = scratch_vm(kvm, m->features, NULL, NULL, &vm, &vcpu, &step);
	if (!ret) {
		read_regs(vcpu, cur);
		close_fd(&vcpu);
		close_fd(&vm);
		ret = scratch_vm(kvm, m->features, m, cur, &vm, &vcpu, &step);
	}
	if (ret) {
		feature_words(m->features, words, sizeof(words));
		idregs_fail(err, ret, "%s with vCPU features%s: %s", step, words,
		     strerror(-ret));
		goto out_kvm;
	}
	ret = idregs_kvm_apply(vcpu, m, res);
	if (ret) {
		char name[24];

		idregs_fail(err, ret, "KVM refused %s = 0x%016llx: %s",
		     idregs_reg_name(res->enc, name), (unsigned long long)res->wanted,
		     strerror(-ret));
	}
out_kvm:
	close_fd(&vcpu);
	close_fd(&vm);
	close(kvm);
out:
	free(cur);
	return ret;
}

#else	/* no KVM backend */


int idregs_kvm_available(void)
{
	return -ENOSYS;
}

int idregs_kvm_probe(struct idregs_host **out, struct idregs_error *err)
{
	(void)out;
	return idregs_fail(err, -ENOSYS,
		    "KVM is unavailable: this idregs was not built for Linux/arm64");
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

int idregs_kvm_check_model(const struct idregs_model *m,
			   struct idregs_apply_result *res,
			   struct idregs_error *err)
{
	(void)m;
	memset(res, 0, sizeof(*res));
	return idregs_fail(err, -ENOSYS,
		    "KVM is unavailable: this idregs was not built for Linux/arm64");
}

#endif
