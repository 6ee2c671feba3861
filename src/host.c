// SPDX-License-Identifier: MIT
/*
 * Host profiles (idregs-host/1, docs/formats.md): reading them, and turning
 * one into what KVM of a given release sees of the host.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"
#include "json.h"

static const struct {
	const char *name;
	uint32_t bits;
} feature_names[] = {
	{ "pmu", IDREGS_FEAT_PMU_V3 },
	{ "sve", IDREGS_FEAT_SVE },
	{ "ptrauth", IDREGS_FEAT_PTRAUTH },
	{ "el1_32bit", IDREGS_FEAT_EL1_32BIT },
};

int idregs_feature_parse(const char *word, uint32_t *bits)
{
	size_t i;

	for (i = 0; i < sizeof(feature_names) / sizeof(feature_names[0]); i++) {
		if (!strcmp(word, feature_names[i].name)) {
			*bits = feature_names[i].bits;
			return 0;
		}
	}
	return -EINVAL;
}

const char *idregs_feature_name(unsigned int i, uint32_t *bits)
{
	if (i >= sizeof(feature_names) / sizeof(feature_names[0]))
		return NULL;
	*bits = feature_names[i].bits;
	return feature_names[i].name;
}

static int read_features(json_t *arr, uint32_t *out, struct idregs_error *err)
{
	size_t i;
	json_t *v;

	*out = 0;
	if (!json_is_array(arr))
		return idregs_json_fail(err, "\"features\" must be an array of strings");
	json_array_foreach(arr, i, v) {
		uint32_t bits;

		if (!json_is_string(v) ||
		    idregs_feature_parse(json_string_value(v), &bits))
			return idregs_json_fail(err,
				"\"features\"[%zu]: expected one of pmu, sve, ptrauth, el1_32bit", i);
		*out |= bits;
	}
	return 0;
}

static int parse_doc(json_t *doc, struct idregs_host **out,
		     struct idregs_error *err)
{
	json_t *cpus = NULL, *regs = NULL;
	const char *kind, *mode, *name;
	struct idregs_host *h;
	size_t n = 0, i;
	int ret;

	ret = idregs_json_check_format(doc, "idregs-host", err);
	if (ret)
		return ret;
	kind = idregs_json_str(doc, "kind");
	if (!kind || (strcmp(kind, "raw") && strcmp(kind, "kvm")))
		return idregs_json_fail(err, "\"kind\" must be \"raw\" or \"kvm\"");
	mode = idregs_json_str(doc, "mode");
	if (json_object_get(doc, "mode") && (!mode || (strcmp(mode, "vhe") && strcmp(mode, "nvhe"))))
		return idregs_json_fail(err, "\"mode\" must be \"vhe\" or \"nvhe\"");
	name = idregs_json_str(doc, "name");
	if (json_object_get(doc, "name") && !name)
		return idregs_json_fail(err, "\"name\" must be a string");
	if (!strcmp(kind, "raw")) {
		cpus = json_object_get(doc, "cpus");
		if (!json_is_array(cpus) || !json_array_size(cpus))
			return idregs_json_fail(err, "\"cpus\" must be a non-empty array of register objects");
		n = json_array_size(cpus);
		if (n > 64)
			return idregs_json_fail(err, "\"cpus\" lists %zu CPU types (at most 64)", n);
	} else {
		regs = json_object_get(doc, "regs");
		if (!json_is_object(regs))
			return idregs_json_fail(err, "\"regs\" must be an object of registers");
	}
	h = calloc(1, sizeof(*h) + n * sizeof(h->cpus[0]));
	if (!h)
		return idregs_json_fail(err, "out of memory");
	idregs_name_copy(h->name, sizeof(h->name), name ? name : "unnamed");
	h->nvhe = mode && !strcmp(mode, "nvhe");
	h->ncpus = n;
	h->release = -1;
	if (regs) {
		const char *k = idregs_json_str(doc, "kernel");

		h->kvm = true;
		if (json_object_get(doc, "kernel") && !k) {
			ret = idregs_json_fail(err, "\"kernel\" must be a string");
			goto fail;
		}
		snprintf(h->kernel, sizeof(h->kernel), "%s", k ? k : "");
		if (json_object_get(doc, "features"))
			ret = read_features(json_object_get(doc, "features"),
					    &h->features, err);
		if (!ret)
			ret = idregs_json_regset(regs, "regs", &h->regs, err);
		if (!ret && json_object_get(doc, "masks"))
			ret = idregs_json_regset(json_object_get(doc, "masks"), "masks",
						 &h->masks, err);
		if (ret)
			goto fail;
	}
	for (i = 0; i < n; i++) {
		char where[32];

		snprintf(where, sizeof(where), "cpus[%zu]", i);
		ret = idregs_json_regset(json_array_get(cpus, i), where, &h->cpus[i], err);
		if (ret)
			goto fail;
	}
	*out = h;
	return 0;
fail:
	free(h);
	return ret;
}

int idregs_host_parse(const char *text, size_t len, const char *origin,
		      struct idregs_host **out, struct idregs_error *err)
{
	if (!idregs_db)
		return idregs_json_fail(err, "register tables failed validation");
	/* the common case without a JSON DOM (host_fast.c) */
	if (!idregs_host_parse_fast(text, len, out))
		return 0;
	return idregs_host_parse_general(text, len, origin, out, err);
}

int idregs_host_parse_general(const char *text, size_t len, const char *origin,
			      struct idregs_host **out, struct idregs_error *err)
{
	json_t *doc;
	int ret;

	ret = idregs_json_load(text, len, origin, &doc, err);
	if (ret)
		return ret;
	ret = parse_doc(doc, out, err);
	json_decref(doc);
	if (ret)
		idregs_json_prefix(err, origin);
	return ret;
}

/* The built-in profile of that name, or -1. */
static int builtin_index(const char *name)
{
	size_t i;

	for (i = 0; i < idregs_builtin_count(); i++)
		if (!strcmp(name, idregs_builtin_name(i)))
			return (int)i;
	return -1;
}

static bool is_builtin(const char *name)
{
	return builtin_index(name) >= 0;
}

static int load_plain(const char *name_or_path, struct idregs_host **out,
		      struct idregs_error *err)
{
	int i = builtin_index(name_or_path);
	size_t len;
	char *text;
	int ret;

	if (i >= 0) {
		const char *json = idregs_builtin_json((size_t)i);

		return idregs_host_parse(json, strlen(json), name_or_path, out, err);
	}
	ret = idregs_read_file(name_or_path, &text, &len, err);
	if (ret)
		return ret;
	ret = idregs_host_parse(text, len, name_or_path, out, err);
	free(text);
	return ret;
}

/* The series of a kind-kvm profile's kernel, if it names one. */
static bool profile_series(const struct idregs_host *h, unsigned int *major,
			   unsigned int *minor)
{
	return h->kvm && sscanf(h->kernel, "%u.%u", major, minor) == 2;
}

int idregs_host_load(const char *name_or_path, struct idregs_host **out,
		     struct idregs_error *err)
{
	const char *at = strrchr(name_or_path, '@');
	struct idregs_release_info rel;
	unsigned int major, minor;
	char base[4096];
	int k, ret;

	/* HOST@RELEASE, unless the whole string names a host */
	if (!at || is_builtin(name_or_path) || !access(name_or_path, F_OK))
		return load_plain(name_or_path, out, err);
	if ((size_t)(at - name_or_path) >= sizeof(base))
		return idregs_fail(err, -ENAMETOOLONG, "%s: name too long", name_or_path);
	k = idregs_kernel_parse(at + 1);
	if (k < 0)
		return idregs_fail(err, k, "%s: '%s' after '@' is %s", name_or_path, at + 1,
				   k == -ERANGE ? "outside the releases idregs knows (see idregs releases)" :
				   "not a kernel version");
	memcpy(base, name_or_path, (size_t)(at - name_or_path));
	base[at - name_or_path] = 0;
	ret = load_plain(base, out, err);
	if (ret)
		return ret;
	idregs_kernel_info((unsigned int)k, &rel);
	if (profile_series(*out, &major, &minor) &&
	    (major != rel.major || minor != rel.minor)) {
		ret = idregs_fail(err, -EINVAL, "%s: the profile was probed on KVM %s; @%s "
				  "contradicts it", name_or_path, (*out)->kernel, at + 1);
		idregs_host_free(*out);
		*out = NULL;
		return ret;
	}
	(*out)->release = k;
	return 0;
}

int idregs_host_release(const struct idregs_host *host, int requested, int fallback,
			unsigned int *kernel)
{
	struct idregs_release_info rel;
	unsigned int major, minor;
	int k;

	if (requested >= (int)idregs_kernel_count() || fallback >= (int)idregs_kernel_count())
		return -EINVAL;
	if (host->release >= 0) {
		k = host->release;
	} else if (host->kvm && host->kernel[0]) {
		k = idregs_kernel_parse(host->kernel);
		if (k < 0)
			return k;
	} else {
		*kernel = requested >= 0 ? (unsigned int)requested :
			  fallback >= 0 ? (unsigned int)fallback : idregs_kernel_default();
		return 0;
	}
	if (requested >= 0 && requested != k) {
		/* a requested point release inside the profile's own series
		 * is more precise than a probe's version string */
		idregs_kernel_info((unsigned int)requested, &rel);
		if (host->release >= 0 || !profile_series(host, &major, &minor) ||
		    major != rel.major || minor != rel.minor)
			return -EEXIST;
		k = requested;
	}
	*kernel = (unsigned int)k;
	return 0;
}

void idregs_host_free(struct idregs_host *host)
{
	free(host);
}

bool idregs_host_has_release(const struct idregs_host *host)
{
	return host->release >= 0 || (host->kvm && host->kernel[0]);
}

const char *idregs_host_kernel(const struct idregs_host *host)
{
	return host->kvm ? host->kernel : "";
}

const char *idregs_host_name(const struct idregs_host *host)
{
	return host->name;
}

int idregs_host_set_name(struct idregs_host *host, const char *name)
{
	if (strlen(name) >= sizeof(host->name))
		return -EINVAL;
	strcpy(host->name, name);
	return 0;
}

bool idregs_host_is_kvm(const struct idregs_host *host)
{
	return host->kvm;
}

const struct idregs_regset *idregs_host_cpu(const struct idregs_host *host,
					    size_t i)
{
	return i < host->ncpus ? &host->cpus[i] : NULL;
}

size_t idregs_host_cpu_count(const struct idregs_host *host)
{
	return host->ncpus;
}

/* ---- what KVM sees of the host ---- */

static bool midr_listed(uint64_t midr, unsigned int list)
{
	size_t i;

	for (i = 0; i < idregs_db->nr_identity; i++) {
		const struct idregs_midr_desc *d = &idregs_db->identity[i];

		if (d->list == list && d->implementer == FLD(midr, MIDR_EL1, Implementer) &&
		    d->partnum == FLD(midr, MIDR_EL1, PartNum))
			return true;
	}
	return false;
}

/* Spectre-v2 and Meltdown: a CPU is safe if it says so (CSV2/CSV3) or its
 * MIDR is on Linux's list; the system is safe only if every CPU is. */
static bool all_cpus_safe(const struct idregs_host *host, unsigned int list,
			  uint64_t csv_mask)
{
	size_t c;

	for (c = 0; c < host->ncpus; c++) {
		const uint64_t *v = host->cpus[c].val;

		if (!(v[IDX_PFR0] & csv_mask) && !midr_listed(v[IDX_MIDR], list))
			return false;
	}
	return true;
}

/* kvm_has_full_ptr_auth(): one algorithm, with address and generic auth. */
static bool full_ptrauth(const uint64_t *sys)
{
	bool apa = FLD(sys[IDX_ISAR1], ID_AA64ISAR1_EL1, APA);
	bool api = FLD(sys[IDX_ISAR1], ID_AA64ISAR1_EL1, API);
	bool gpa = FLD(sys[IDX_ISAR1], ID_AA64ISAR1_EL1, GPA) == 1;
	bool gpi = FLD(sys[IDX_ISAR1], ID_AA64ISAR1_EL1, GPI) == 1;
	bool apa3 = FLD(sys[IDX_ISAR2], ID_AA64ISAR2_EL1, APA3);
	bool gpa3 = FLD(sys[IDX_ISAR2], ID_AA64ISAR2_EL1, GPA3) == 1;

	return apa == gpa && api == gpi && apa3 == gpa3 && apa + api + apa3 == 1;
}

static unsigned int pmuver_limit(uint64_t dfr0)
{
	unsigned int v = FLD(dfr0, ID_AA64DFR0_EL1, PMUVer);

	if (v == 0xf)	/* IMPLEMENTATION DEFINED: not a PMUv3 */
		return 0;
	return v > 6 ? 6 : v;	/* capped at PMUv3p5 */
}

int idregs_host_view_init(const struct idregs_host *host, unsigned int kernel,
			  struct idregs_host_view *hv)
{
	const uint64_t *sys;

	memset(hv, 0, sizeof(*hv));
	if (host->kvm) {
		hv->sys = host->regs;
		/* KVM already applied the host-dependent adjustments */
		hv->cond[IDREGS_COND_HOST_WFXT] = true;
		hv->cond[IDREGS_COND_HOST_RASV1P1] = true;
		hv->features = host->features;
	} else {
		struct idregs_sanitised *s = malloc(sizeof(*s));
		int ret;

		if (!s)
			return -ENOMEM;
		ret = idregs_sanitise(host->cpus, host->ncpus, kernel, s);
		hv->sys = s->sys;
		free(s);
		if (ret)
			return ret;
		/* the kernel's nVHE override hides VHE from everything */
		if (host->nvhe)
			hv->sys.val[IDX_MMFR1] &= ~IDREGS_ID_AA64MMFR1_EL1_VH_MASK;
		/* implementation ID registers are the boot CPU's */
		hv->sys.val[IDX_MIDR] = host->cpus[0].val[IDX_MIDR];
		hv->sys.val[IDX_REVIDR] = host->cpus[0].val[IDX_REVIDR];
		hv->sys.val[IDX_AIDR] = host->cpus[0].val[IDX_AIDR];
		/* so is CLIDR_EL1 while KVM reports it as is (before 6.3) */
		hv->sys.val[IDX_CLIDR] = host->cpus[0].val[IDX_CLIDR];
		sys = hv->sys.val;
		hv->cond[IDREGS_COND_SPECTRE_V2_SAFE] =
			all_cpus_safe(host, IDREGS_COND_SPECTRE_V2_SAFE,
				      IDREGS_ID_AA64PFR0_EL1_CSV2_MASK);
		hv->cond[IDREGS_COND_MELTDOWN_SAFE] =
			all_cpus_safe(host, IDREGS_COND_MELTDOWN_SAFE,
				      IDREGS_ID_AA64PFR0_EL1_CSV3_MASK);
		hv->cond[IDREGS_COND_HOST_WFXT] = FLD(sys[IDX_ISAR2], ID_AA64ISAR2_EL1, WFxT) >= 2;
		hv->cond[IDREGS_COND_HOST_RASV1P1] =
			FLD(sys[IDX_PFR0], ID_AA64PFR0_EL1, RAS) == 1 &&
			FLD(sys[IDX_PFR1], ID_AA64PFR1_EL1, RAS_frac) >= 1;
		if (pmuver_limit(sys[IDX_DFR0]))
			hv->features |= IDREGS_FEAT_PMU_V3;
		if (FLD(sys[IDX_PFR0], ID_AA64PFR0_EL1, SVE))
			hv->features |= IDREGS_FEAT_SVE;
		if (full_ptrauth(sys))
			hv->features |= IDREGS_FEAT_PTRAUTH;
		if (FLD(sys[IDX_PFR0], ID_AA64PFR0_EL1, EL1) == 2)
			hv->features |= IDREGS_FEAT_EL1_32BIT;
	}
	sys = hv->sys.val;
	hv->aa32_el0 = FLD(sys[IDX_PFR0], ID_AA64PFR0_EL1, EL0) == 2;
	hv->gicv3_cpuif = FLD(sys[IDX_PFR0], ID_AA64PFR0_EL1, GIC) != 0;
	hv->cond[IDREGS_COND_HOST_GICV3] = hv->gicv3_cpuif;
	hv->pmuver_limit = pmuver_limit(sys[IDX_DFR0]);
	return 0;
}

uint32_t idregs_host_features(const struct idregs_host *host)
{
	struct idregs_host_view *hv = malloc(sizeof(*hv));
	uint32_t f = 0;

	if (hv && !idregs_host_view_init(host, idregs_kernel_default(), hv))
		f = hv->features;
	free(hv);
	return f;
}

static json_t *regset_json(const struct idregs_regset *set, bool all)
{
	json_t *obj = json_object();
	unsigned int i;

	for (i = 0; obj && i < IDREGS_SPACE_SIZE; i++) {
		uint16_t enc = idregs_space_enc(i);
		char name[24], hex[24];

		if (!set->val[i] && !(all && idregs_reg_known(enc)))
			continue;
		snprintf(hex, sizeof(hex), "0x%016llx", (unsigned long long)set->val[i]);
		json_object_set_new(obj, idregs_reg_name(enc, name), json_string(hex));
	}
	return obj;
}

char *idregs_host_to_json(const struct idregs_host *host)
{
	char name[sizeof(host->name)];
	json_t *doc = json_object(), *features = json_array();
	const char *word;
	char *text = NULL;
	unsigned int i;
	uint32_t bits;
	size_t c;

	if (!doc || !features)
		goto out;
	json_object_set_new(doc, "format", json_string("idregs-host/1"));
	idregs_name_copy(name, sizeof(name), host->name);
	json_object_set_new(doc, "name", json_string(name));
	json_object_set_new(doc, "kind", json_string(host->kvm ? "kvm" : "raw"));
	if (host->kvm && host->kernel[0])
		json_object_set_new(doc, "kernel", json_string(host->kernel));
	json_object_set_new(doc, "mode", json_string(host->nvhe ? "nvhe" : "vhe"));
	if (host->kvm) {
		for (i = 0; (word = idregs_feature_name(i, &bits)); i++)
			if ((host->features & bits) == bits)
				json_array_append_new(features, json_string(word));
		json_object_set(doc, "features", features);
		json_object_set_new(doc, "regs", regset_json(&host->regs, true));
		json_object_set_new(doc, "masks", regset_json(&host->masks, false));
	} else {
		json_t *cpus = json_array();

		for (c = 0; cpus && c < host->ncpus; c++)
			json_array_append_new(cpus, regset_json(&host->cpus[c], false));
		json_object_set_new(doc, "cpus", cpus);
	}
	text = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
out:
	json_decref(features);
	json_decref(doc);
	return text;
}
