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

enum vtype { V_STRING, V_STRINGS, V_OBJECT, V_OBJECTS, V_REGS };

struct member {
	struct span key;
	enum vtype type;
	struct span val;	/* a string's text, or the value's bytes */
	size_t count;		/* array elements */
};

struct doc {
	const char *end;
	struct member m[MAX_KEYS];
	size_t n;
	struct idregs_regset regs, masks;	/* read as they come */
};

/* Bytes a string may hold here: printable ASCII but the quote and the
 * backslash (anything else is decoded or refused by the general reader). */
static const bool plain[256] = {
	[0x20 ... 0x21] = true,		/* '"' is 0x22 */
	[0x23 ... 0x5b] = true,		/* '\\' is 0x5c */
	[0x5d ... 0x7e] = true,
};

/* Hex digits' values plus one (0: not a hex digit), as isxdigit(). */
static const uint8_t hex1[256] = {
	['0'] = 1, ['1'] = 2, ['2'] = 3, ['3'] = 4, ['4'] = 5, ['5'] = 6,
	['6'] = 7, ['7'] = 8, ['8'] = 9, ['9'] = 10,
	['a'] = 11, ['b'] = 12, ['c'] = 13, ['d'] = 14, ['e'] = 15, ['f'] = 16,
	['A'] = 11, ['B'] = 12, ['C'] = 13, ['D'] = 14, ['E'] = 15, ['F'] = 16,
};

static const char *skip_ws(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t'))
		p++;
	return p;
}

/* A string at p (its quote) with nothing to decode. Returns the byte after
 * the closing quote, or NULL. */
static const char *string(const char *p, const char *end, struct span *out)
{
	const char *s;

	if (p == end || *p != '"')
		return NULL;
	for (s = ++p; p < end && plain[(unsigned char)*p]; p++)
		;
	if (p == end || *p != '"')
		return NULL;
	out->s = s;
	out->len = (size_t)(p - s);
	return p + 1;
}

#define ONES	0x0101010101010101ULL
#define HIGHS	0x8080808080808080ULL

/* Bytes of w (all below 0x80) at least n: their high bits. */
#define BYTES_GE(w, n)	(((w) + ONES * (0x80 - (n))) & HIGHS)

/*
 * Eight hex digits (ASCII, the first the most significant) into *v, all
 * at once: a digit-by-digit loop is a chain of sixteen shifts per value.
 * False if a byte is not a hex digit.
 */
static bool hex8(const char *s, uint32_t *v)
{
	uint64_t w, l, digit, letter, x;

	memcpy(&w, s, 8);
	if (w & HIGHS)
		return false;
	l = w | ONES * 0x20;		/* letters to lower case */
	digit = BYTES_GE(w, '0') & ~BYTES_GE(w, '9' + 1);
	letter = BYTES_GE(l, 'a') & ~BYTES_GE(l, 'f' + 1);
	if ((digit | letter) != HIGHS)
		return false;
	/* each byte's value: its low nibble, plus 9 for a letter */
	x = (w & ONES * 0xf) + (letter >> 7) * 9;
	x = __builtin_bswap64(x);	/* the first digit to the top byte */
	x = (x | x >> 4) & 0x00ff00ff00ff00ffULL;
	x = (x | x >> 8) & 0x0000ffff0000ffffULL;
	*v = (uint32_t)(x | x >> 16);
	return true;
}

/* A register value at p: "0x" and 1 to 16 hex digits, as
 * idregs_parse_hex64() of the string, read in one pass. Anything else
 * declines (NULL), and the general reader refuses it. */
static const char *hex_value(const char *p, const char *end, uint64_t *v)
{
	uint32_t hi, lo;
	const char *s;
	uint64_t r = 0;

	if (end - p < 4 || p[0] != '"' || p[1] != '0' || (p[2] | 32) != 'x')
		return NULL;
	/* the usual sixteen digits */
	if (end - p >= 20 && p[19] == '"' && hex8(p + 3, &hi) && hex8(p + 11, &lo)) {
		*v = (uint64_t)hi << 32 | lo;
		return p + 20;
	}
	for (s = p += 3; p < end && p - s <= 16; p++) {
		unsigned int d = hex1[(unsigned char)*p];

		if (!d)
			break;
		r = r << 4 | (d - 1);
	}
	if (p == s || p - s > 16 || p == end || *p != '"')
		return NULL;
	*v = r;
	return p + 1;
}

/* After a member or element: the byte after a ',' (*more set) or after
 * the closing delimiter. */
static const char *next(const char *p, const char *end, char close, bool *more)
{
	p = skip_ws(p, end);
	*more = p < end && *p == ',';
	if (*more)
		return skip_ws(p + 1, end);
	return p < end && *p == close ? p + 1 : NULL;
}

/*
 * { "name": "value", ... } at p. With set, as idregs_json_regset(): known
 * registers of the feature-ID space with "0x" and 1 to 16 hex digits; a
 * register named twice, under any spelling, declines.
 */
static const char *flat_object(const char *p, const char *end,
			       struct idregs_regset *set)
{
	bool seen[IDREGS_SPACE_SIZE] = { false }, more = true;
	struct span k, v;
	uint16_t enc;
	int idx;

	if (set)
		memset(set, 0, sizeof(*set));
	p = skip_ws(p + 1, end);
	if (p < end && *p == '}')
		return p + 1;
	while (more) {
		p = string(p, end, &k);
		if (p)
			p = skip_ws(p, end);
		if (!p || p == end || *p != ':')
			return NULL;
		p = skip_ws(p + 1, end);
		if (set) {
			uint64_t r;

			if (!(p = hex_value(p, end, &r)) ||
			    idregs_reg_lookup_n(k.s, k.len, &enc) ||
			    (idx = idregs_space_index(enc)) < 0 || seen[idx])
				return NULL;
			seen[idx] = true;
			set->val[idx] = r;
		} else if (!(p = string(p, end, &v))) {
			return NULL;
		}
		p = next(p, end, '}', &more);
		if (!p)
			return NULL;
	}
	return p;
}

/* [ ... ] of strings or of flat objects, all of one kind, at p; an empty
 * array counts as strings. */
static const char *array(const char *p, const char *end, struct member *m)
{
	bool more = true;
	struct span v;

	m->type = V_STRINGS;
	m->count = 0;
	p = skip_ws(p + 1, end);
	if (p < end && *p == ']')
		return p + 1;
	if (p < end && *p == '{')
		m->type = V_OBJECTS;
	while (more) {
		if (m->type == V_OBJECTS)
			p = p < end && *p == '{' ? flat_object(p, end, NULL) : NULL;
		else
			p = string(p, end, &v);
		if (!p)
			return NULL;
		m->count++;
		p = next(p, end, ']', &more);
		if (!p)
			return NULL;
	}
	return p;
}

static bool span_is(const struct span *s, const char *lit)
{
	return s->len == strlen(lit) && !memcmp(s->s, lit, s->len);
}

/* The value of member m at p; "regs" and "masks" objects are read into
 * their register sets on the way. */
static const char *value(struct doc *d, const char *p, struct member *m)
{
	const char *start = p, *q;

	if (p == d->end)
		return NULL;
	switch (*p) {
	case '"':
		m->type = V_STRING;
		return string(p, d->end, &m->val);
	case '{':
		m->type = V_OBJECT;
		if (span_is(&m->key, "regs") || span_is(&m->key, "masks")) {
			m->type = V_REGS;
			q = flat_object(p, d->end, span_is(&m->key, "regs") ?
					&d->regs : &d->masks);
		} else {
			q = flat_object(p, d->end, NULL);
		}
		break;
	case '[':
		q = array(p, d->end, m);
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

static const struct member *find(const struct doc *d, const char *key)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		if (span_is(&d->m[i].key, key))
			return &d->m[i];
	return NULL;
}

/* The strings of a V_STRINGS value as feature words. */
static int features(const struct span *arr, uint32_t *out)
{
	const char *p = skip_ws(arr->s + 1, arr->s + arr->len);
	const char *end = arr->s + arr->len;
	bool more = *p == '"';
	struct span w;
	char word[16];
	uint32_t bits;

	*out = 0;
	while (more) {
		p = string(p, end, &w);
		if (!p || w.len >= sizeof(word))
			return -1;
		memcpy(word, w.s, w.len);
		word[w.len] = 0;
		if (idregs_feature_parse(word, &bits))
			return -1;
		*out |= bits;
		p = next(p, end, ']', &more);
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

/* The members parse_doc() (host.c) reads, by kind, in the shapes it
 * accepts. */
static int build(struct doc *d, struct idregs_host **out)
{
	const struct member *kind = find(d, "kind"), *mode = find(d, "mode");
	const struct member *name = find(d, "name"), *cpus = find(d, "cpus");
	const struct member *regs = find(d, "regs"), *masks = find(d, "masks");
	const struct member *kernel = find(d, "kernel"), *feat = find(d, "features");
	struct idregs_host *h;
	size_t i, ncpus = 0;
	const char *p, *end;
	bool kvm, more;

	if (!format_ok(find(d, "format")) || !kind || kind->type != V_STRING)
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
	if (name && name->type != V_STRING)
		return -1;
	/* objects the general reader skips still have their keys checked for
	 * duplicates there: leave such documents to it */
	if (feat && feat->type != V_STRINGS)
		return -1;
	if (kvm) {
		if (!regs || regs->type != V_REGS || cpus ||
		    (masks && masks->type != V_REGS) ||
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
	h->nvhe = mode && span_is(&mode->val, "nvhe");
	h->ncpus = ncpus;
	h->release = -1;
	if (kvm) {
		h->kvm = true;
		if (kernel)
			copy(h->kernel, sizeof(h->kernel), &kernel->val);
		if (feat && features(&feat->val, &h->features))
			goto fail;
		h->regs = d->regs;
		if (masks)
			h->masks = d->masks;
	}
	/* the CPU types, each a register set */
	p = ncpus ? skip_ws(cpus->val.s + 1, cpus->val.s + cpus->val.len) : NULL;
	end = ncpus ? cpus->val.s + cpus->val.len : NULL;
	for (i = 0; i < ncpus; i++) {
		p = flat_object(p, end, &h->cpus[i]);
		if (!p)
			goto fail;
		p = next(p, end, ']', &more);
	}
	*out = h;
	return 0;
fail:
	free(h);
	return -1;
}

int idregs_host_parse_fast(const char *text, size_t len, struct idregs_host **out)
{
	struct doc *d = malloc(sizeof(*d));
	const char *p;
	bool more = true;
	size_t i;
	int ret = -1;

	if (!d)
		return -1;
	d->end = text + len;
	d->n = 0;
	p = skip_ws(text, d->end);
	if (p == d->end || *p != '{')
		goto out;
	/* "{}" has no "format": the general path words it */
	p = skip_ws(p + 1, d->end);
	while (more) {
		struct member *m = &d->m[d->n];

		if (d->n == MAX_KEYS || !(p = string(p, d->end, &m->key)))
			goto out;
		for (i = 0; i < d->n; i++)
			if (d->m[i].key.len == m->key.len &&
			    !memcmp(d->m[i].key.s, m->key.s, m->key.len))
				goto out;	/* a repeated key */
		p = skip_ws(p, d->end);
		if (p == d->end || *p != ':' ||
		    !(p = value(d, skip_ws(p + 1, d->end), m)))
			goto out;
		d->n++;
		p = next(p, d->end, '}', &more);
		if (!p)
			goto out;
	}
	/* nothing but white space may follow the document */
	if (skip_ws(p, d->end) != d->end)
		goto out;
	/* members the general reader ignores must still be plain strings */
	for (i = 0; i < d->n; i++)
		if (d->m[i].type == V_OBJECT || d->m[i].type == V_OBJECTS)
			if (!span_is(&d->m[i].key, "cpus"))
				goto out;
	ret = build(d, out);
out:
	free(d);
	return ret;
}
