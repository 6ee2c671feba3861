// SPDX-License-Identifier: MIT
/*
 * The release catalogue (data/releases.db): which KVM release a kernel
 * version string names, and what each release is.
 *
 * A version resolves to the newest release at or below it. People write
 * versions as uname -r prints them: "6.12.117+deb12-arm64",
 * "5.10.230-223.885.amzn2.aarch64", or a distribution's ABI-numbered
 * "6.1.0-50-arm64", whose ".0" is not the point release; for those the
 * catalogue's ABI lines decide, else the series' newest release is taken.
 */
#include <errno.h>
#include <limits.h>
#include <string.h>

#include "internal.h"

unsigned int idregs_kernel_count(void)
{
	return (unsigned int)idregs_db->nr_releases;
}

const char *idregs_kernel_name(unsigned int kernel)
{
	return kernel < idregs_db->nr_releases ? idregs_db->releases[kernel].name : NULL;
}

const char *idregs_kernel_version(unsigned int kernel)
{
	return kernel < idregs_db->nr_releases ? idregs_db->releases[kernel].version : NULL;
}

unsigned int idregs_kernel_default(void)
{
	return (unsigned int)idregs_db->nr_releases - 1;
}

const struct idregs_release *idregs_release(unsigned int kernel)
{
	return &idregs_db->releases[kernel];
}

/* A decimal number of at most 6 digits at *s; advances *s. */
static bool number(const char **s, unsigned int *v)
{
	unsigned int n = 0, digits = 0;

	while (**s >= '0' && **s <= '9') {
		if (++digits > 6)
			return false;
		n = n * 10 + (unsigned int)(*(*s)++ - '0');
	}
	*v = n;
	return digits > 0;
}

/* What may follow X.Y[.Z] in a kernel version: nothing, or a suffix that
 * starts with one of these (uname -r's local version, distribution tags). */
static bool suffix_ok(const char *s)
{
	const char *p;

	if (!*s)
		return true;
	if (!strchr("-+~_.", *s) || !s[1])
		return false;
	for (p = s; *p; p++)
		if (*p <= ' ' || *p > '~')
			return false;
	return true;
}

static int series_cmp(unsigned int major, unsigned int minor,
		      const struct idregs_release *r)
{
	if (major != r->major)
		return major < r->major ? -1 : 1;
	if (minor != r->minor)
		return minor < r->minor ? -1 : 1;
	return 0;
}

/* The point release of a distribution's SERIES.0-N kernel: UINT_MAX (the
 * newest) unless an ABI line says which release N is at least. */
static unsigned int abi_patch(unsigned int major, unsigned int minor, unsigned int abi)
{
	unsigned int patch = UINT_MAX, best = 0;
	bool listed = false;
	size_t i;

	for (i = 0; i < idregs_db->nr_abis; i++) {
		const struct idregs_abi_desc *a = &idregs_db->abis[i];

		if (a->major != major || a->minor != minor)
			continue;
		listed = true;
		if (abi >= a->abi && a->abi >= best) {
			best = a->abi;
			patch = a->patch;
		}
	}
	/* below every listed ABI number: the series' first release */
	return listed && !best ? 0 : patch;
}

int idregs_kernel_parse(const char *version)
{
	unsigned int major, minor, patch = UINT_MAX, abi;
	const struct idregs_release *first, *last;
	const char *s = version;
	bool listed = false;
	int best = -1;
	size_t i;

	if (!s || !number(&s, &major) || *s++ != '.' || !number(&s, &minor))
		return -EINVAL;
	if (*s == '.' && s[1] >= '0' && s[1] <= '9') {
		s++;
		if (!number(&s, &patch))
			return -EINVAL;
		/* X.Y.0-N...: a distribution's ABI number, not the point release */
		if (!patch && *s == '-' && s[1] >= '0' && s[1] <= '9') {
			const char *t = s + 1;

			if (number(&t, &abi))
				patch = abi_patch(major, minor, abi);
		}
	}
	if (!suffix_ok(s))
		return -EINVAL;
	first = &idregs_db->releases[0];
	last = &idregs_db->releases[idregs_db->nr_releases - 1];
	if (series_cmp(major, minor, first) < 0 || series_cmp(major, minor, last) > 0)
		return -ERANGE;
	/* the newest release at or below the version, in a listed series */
	for (i = 0; i < idregs_db->nr_releases; i++) {
		const struct idregs_release *r = &idregs_db->releases[i];
		int c = series_cmp(major, minor, r);

		if (c < 0 || (!c && r->patch > patch))
			break;
		if (!c)
			listed = true;
		best = (int)i;
	}
	return best >= 0 && listed ? best : -ERANGE;
}

int idregs_kernel_info(unsigned int kernel, struct idregs_release_info *out)
{
	const struct idregs_release *r;
	unsigned int n = 0;

	if (kernel >= idregs_db->nr_releases)
		return -EINVAL;
	r = &idregs_db->releases[kernel];
	while (r->changes[n])
		n++;
	out->name = r->name;
	out->version = r->version;
	out->major = r->major;
	out->minor = r->minor;
	out->patch = r->patch;
	out->point = r->point;
	out->verified = r->verified;
	out->note = r->note;
	out->nr_changes = n;
	return 0;
}

const char *idregs_kernel_change(unsigned int kernel, unsigned int i)
{
	struct idregs_release_info info;

	if (idregs_kernel_info(kernel, &info) || i >= info.nr_changes)
		return NULL;
	return idregs_db->releases[kernel].changes[i];
}

const char *idregs_kernel_prop(unsigned int kernel, unsigned int i, bool *value)
{
	const char *props;

	if (kernel >= idregs_db->nr_releases || i >= idregs_nr_props)
		return NULL;
	props = (const char *)&idregs_db->releases[kernel].props;
	memcpy(value, props + idregs_props[i].offset, sizeof(*value));
	return idregs_props[i].name;
}
