// SPDX-License-Identifier: MIT
/*
 * Host profiles the common way round, without a JSON DOM. Fleet tools read
 * tens of thousands of profiles, and building jansson's tree (a malloc per
 * string, a hash table per object) cost ten times the rest of a baseline.
 *
 * This reader accepts a subset of what the general one (host.c, jansson)
 * accepts, and fills the host exactly as it would: strings without escapes
 * or bytes outside printable ASCII, no numbers, literals or nesting beyond
 * the format's own shapes, no repeated key or register. For anything else
 * (every error included) it declines, and the general reader decides and
 * words the message. tests/test_host_fast.c holds the two to the same
 * answers on real profiles and on many damaged ones.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define MAX_KEYS	32	/* top-level members; more: the general path */
#define MAX_CPUS	64	/* as the general reader */

struct span {
	const char *s;
	size_t len;
};

enum vtype { V_STRING, V_STRINGS, V_OBJECT, V_OBJECTS };

struct member {
	struct span key;
	enum vtype type;
	struct span val;	/* a string's text, or the value's bytes */
	size_t count;		/* array elements */
};

static const char *skip_ws(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t'))
		p++;
	return p;
}

/* A string (p at the quote) with nothing to decode: printable ASCII,
 * no backslash. Returns the byte after the closing quote, or NULL. */
static const char *string(const char *p, const char *end, struct span *out)
{
	const char *s = ++p;

	while (p < end && *p != '"') {
		if (*p < 0x20 || *p > 0x7e || *p == '\\')
			return NULL;
		p++;
	}
	if (p == end)
		return NULL;
	out->s = s;
	out->len = (size_t)(p - s);
	return p + 1;
}

/* { "name": "value", ... } with string members only (p at the brace). */
static const char *flat_object(const char *p, const char *end)
{
	struct span k, v;

	p = skip_ws(p + 1, end);
	if (p < end && *p == '}')
		return p + 1;
	for (;;) {
		if (p == end || *p != '"' || !(p = string(p, end, &k)))
			return NULL;
		p = skip_ws(p, end);
		if (p == end || *p != ':')
			return NULL;
		p = skip_ws(p + 1, end);
		if (p == end || *p != '"' || !(p = string(p, end, &v)))
			return NULL;
		p = skip_ws(p, end);
		if (p < end && *p == '}')
			return p + 1;
		if (p == end || *p != ',')
			return NULL;
		p = skip_ws(p + 1, end);
	}
}

/* [ ... ] of strings or of flat objects, all of one kind (p at the
 * bracket); an empty array counts as strings. */
static const char *array(const char *p, const char *end, struct member *m)
{
	struct span v;

	m->type = V_STRINGS;
	m->count = 0;
	p = skip_ws(p + 1, end);
	if (p < end && *p == ']')
		return p + 1;
	if (p < end && *p == '{')
		m->type = V_OBJECTS;
	for (;;) {
		if (p == end)
			return NULL;
		if (m->type == V_OBJECTS)
			p = *p == '{' ? flat_object(p, end) : NULL;
		else
			p = *p == '"' ? string(p, end, &v) : NULL;
		if (!p)
			return NULL;
		m->count++;
		p = skip_ws(p, end);
		if (p < end && *p == ']')
			return p + 1;
		if (p == end || *p != ',')
			return NULL;
		p = skip_ws(p + 1, end);
	}
}

static const char *value(const char *p, const char *end, struct member *m)
{
	const char *start = p, *q;

	if (p == end)
		return NULL;
	switch (*p) {
	case '"':
		m->type = V_STRING;
		return string(p, end, &m->val);
	case '{':
		m->type = V_OBJECT;
		q = flat_object(p, end);
		break;
	case '[':
		q = array(p, end, m);
		break;
	default:
		return NULL;	/* numbers and literals: the general path */
	}
	if (q) {
		m->val.s = start;
		m->val.len = (size_t)(q - start);
	}
	return q;
}

static bool span_is(const struct span *s, const char *lit)
{
	return s->len == strlen(lit) && !memcmp(s->s, lit, s->len);
}

static const struct member *find(const struct member *m, size_t n,
				 const char *key)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (span_is(&m[i].key, key))
			return &m[i];
	return NULL;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* idregs_parse_hex64(): "0x" and 1 to 16 hex digits. */
static int hex64(const struct span *s, uint64_t *v)
{
	uint64_t r = 0;
	size_t i;

	if (s->len < 3 || s->len > 18 || s->s[0] != '0' ||
	    (s->s[1] != 'x' && s->s[1] != 'X'))
		return -1;
	for (i = 2; i < s->len; i++) {
		int d = hexval(s->s[i]);

		if (d < 0)
			return -1;
		r = r << 4 | (uint64_t)d;
	}
	*v = r;
	return 0;
}

/* idregs_json_regset() of a flat object (already checked by flat_object);
 * a register named twice, under any spelling, declines. */
static int regset(const struct span *obj, struct idregs_regset *set)
{
	const char *p = obj->s + 1, *end = obj->s + obj->len;
	bool seen[IDREGS_SPACE_SIZE] = { false };
	struct span k, v;
	char name[64];
	uint16_t enc;
	uint64_t val;
	int idx;

	memset(set, 0, sizeof(*set));
	for (p = skip_ws(p, end); *p == '"'; p = skip_ws(p + 1, end)) {
		/* flat_object() checked the shape: key, colon, value */
		if (!(p = string(p, end, &k)))
			return -1;
		p = skip_ws(skip_ws(p, end) + 1, end);
		if (!(p = string(p, end, &v)))
			return -1;
		p = skip_ws(p, end);			/* at ',' or '}' */
		if (k.len >= sizeof(name))
			return -1;
		memcpy(name, k.s, k.len);
		name[k.len] = 0;
		if (idregs_reg_lookup(name, &enc) || (idx = idregs_space_index(enc)) < 0 ||
		    seen[idx] || hex64(&v, &val))
			return -1;
		seen[idx] = true;
		set->val[idx] = val;
		if (*p == '}')
			break;
	}
	return 0;
}

/* The strings of a V_STRINGS value as feature words. */
static int features(const struct span *arr, uint32_t *out)
{
	const char *p = arr->s + 1, *end = arr->s + arr->len;
	struct span w;
	char word[16];
	uint32_t bits;

	*out = 0;
	for (p = skip_ws(p, end); *p == '"'; p = skip_ws(p + 1, end)) {
		if (!(p = string(p, end, &w)))
			return -1;
		p = skip_ws(p, end);			/* at ',' or ']' */
		if (w.len >= sizeof(word))
			return -1;
		memcpy(word, w.s, w.len);
		word[w.len] = 0;
		if (idregs_feature_parse(word, &bits))
			return -1;
		*out |= bits;
		if (*p == ']')
			break;
	}
	return 0;
}

/* snprintf(dst, n, "%s", s) of a span. */
static void copy(char *dst, size_t n, const struct span *s)
{
	size_t len = s->len < n - 1 ? s->len : n - 1;

	memcpy(dst, s->s, len);
	dst[len] = 0;
}

/* idregs_json_check_format() for "idregs-host": "idregs-host/1" or 1.x. */
static bool format_ok(const struct member *f)
{
	static const char pfx[] = "idregs-host/1";
	size_t n = sizeof(pfx) - 1;

	return f && f->type == V_STRING && f->val.len >= n &&
	       !memcmp(f->val.s, pfx, n) &&
	       (f->val.len == n || f->val.s[n] == '.');
}

/* The members of parse_doc() (host.c) that are read, by kind, checked
 * for the shapes it accepts. */
static int build(const struct member *m, size_t n, struct idregs_host **out)
{
	const struct member *kind = find(m, n, "kind"), *mode = find(m, n, "mode");
	const struct member *name = find(m, n, "name"), *cpus = find(m, n, "cpus");
	const struct member *regs = find(m, n, "regs"), *masks = find(m, n, "masks");
	const struct member *kernel = find(m, n, "kernel");
	const struct member *feat = find(m, n, "features");
	struct idregs_host *h;
	bool kvm, nvhe;
	size_t i, ncpus = 0;
	const char *p;

	if (!format_ok(find(m, n, "format")) || !kind || kind->type != V_STRING)
		return -1;
	if (span_is(&kind->val, "kvm"))
		kvm = true;
	else if (span_is(&kind->val, "raw"))
		kvm = false;
	else
		return -1;
	if (mode && (mode->type != V_STRING ||
		     (!span_is(&mode->val, "vhe") && !span_is(&mode->val, "nvhe"))))
		return -1;
	nvhe = mode && span_is(&mode->val, "nvhe");
	if (name && name->type != V_STRING)
		return -1;
	/* objects the general reader skips still have their keys checked for
	 * duplicates there: leave such documents to it */
	if (feat && feat->type != V_STRINGS)
		return -1;
	if (kvm) {
		if (!regs || regs->type != V_OBJECT || cpus ||
		    (masks && masks->type != V_OBJECT) ||
		    (kernel && kernel->type != V_STRING))
			return -1;
	} else {
		if (!cpus || cpus->type != V_OBJECTS || !cpus->count ||
		    cpus->count > MAX_CPUS || regs || masks)
			return -1;
		ncpus = cpus->count;
	}
	h = calloc(1, sizeof(*h) + ncpus * sizeof(h->cpus[0]));
	if (!h)
		return -1;
	if (name)
		copy(h->name, sizeof(h->name), &name->val);
	else
		strcpy(h->name, "unnamed");
	h->nvhe = nvhe;
	h->ncpus = ncpus;
	if (kvm) {
		h->kvm = true;
		if (kernel)
			copy(h->kernel, sizeof(h->kernel), &kernel->val);
		if ((feat && features(&feat->val, &h->features)) ||
		    regset(&regs->val, &h->regs) ||
		    (masks && regset(&masks->val, &h->masks)))
			goto fail;
	}
	/* each element of cpus, already checked flat by array() */
	p = ncpus ? skip_ws(cpus->val.s + 1, cpus->val.s + cpus->val.len) : NULL;
	for (i = 0; i < ncpus; i++) {
		const char *e = flat_object(p, cpus->val.s + cpus->val.len);
		struct span obj = { p, (size_t)(e - p) };

		if (regset(&obj, &h->cpus[i]))
			goto fail;
		p = skip_ws(skip_ws(e, cpus->val.s + cpus->val.len) + 1,
			    cpus->val.s + cpus->val.len);
	}
	*out = h;
	return 0;
fail:
	free(h);
	return -1;
}

int idregs_host_parse_fast(const char *text, size_t len, struct idregs_host **out)
{
	const char *p = text, *end = text + len;
	struct member m[MAX_KEYS];
	size_t n = 0, i;

	p = skip_ws(p, end);
	if (p == end || *p != '{')
		return -1;
	p = skip_ws(p + 1, end);
	if (p < end && *p == '}')
		return -1;	/* no "format": the general path words it */
	for (;;) {
		if (n == MAX_KEYS || p == end || *p != '"' ||
		    !(p = string(p, end, &m[n].key)))
			return -1;
		for (i = 0; i < n; i++)
			if (m[i].key.len == m[n].key.len &&
			    !memcmp(m[i].key.s, m[n].key.s, m[n].key.len))
				return -1;	/* a repeated key */
		p = skip_ws(p, end);
		if (p == end || *p != ':')
			return -1;
		p = value(skip_ws(p + 1, end), end, &m[n]);
		if (!p)
			return -1;
		n++;
		p = skip_ws(p, end);
		if (p < end && *p == '}')
			break;
		if (p == end || *p != ',')
			return -1;
		p = skip_ws(p + 1, end);
	}
	/* nothing but white space may follow the document */
	if (skip_ws(p + 1, end) != end)
		return -1;
	/* members the general reader ignores must still be plain strings */
	for (i = 0; i < n; i++)
		if (m[i].type != V_STRING && !span_is(&m[i].key, "features") &&
		    !span_is(&m[i].key, "regs") && !span_is(&m[i].key, "masks") &&
		    !span_is(&m[i].key, "cpus"))
			return -1;
	return build(m, n, out);
}
