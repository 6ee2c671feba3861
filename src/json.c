// SPDX-License-Identifier: MIT
/* Shared helpers of the JSON document readers. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"
#include "json.h"

#define MAX_FILE_SIZE (16u << 20)

static int vfail(struct idregs_error *err, int ret, const char *fmt, va_list ap)
{
	if (err)
		vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	return ret;
}

int idregs_fail(struct idregs_error *err, int ret, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ret = vfail(err, ret, fmt, ap);
	va_end(ap);
	return ret;
}

int idregs_json_fail(struct idregs_error *err, const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = vfail(err, -EINVAL, fmt, ap);
	va_end(ap);
	return ret;
}

void idregs_json_prefix(struct idregs_error *err, const char *origin)
{
	char tmp[sizeof(err->msg)];
	size_t n, used;

	if (!err || !origin)
		return;
	n = strlen(origin);
	if (!strncmp(err->msg, origin, n) && err->msg[n] == ':')
		return;
	/* truncation is fine: the message stays a terminated string */
	used = (size_t)snprintf(tmp, sizeof(tmp), "%.200s: ", origin);
	if (used >= sizeof(tmp))
		used = sizeof(tmp) - 1;
	memcpy(tmp + used, err->msg, sizeof(tmp) - used - 1);
	tmp[sizeof(tmp) - 1] = 0;
	memcpy(err->msg, tmp, sizeof(tmp));
}

int idregs_json_load(const char *text, size_t len, const char *origin,
		     json_t **doc, struct idregs_error *err)
{
	json_error_t jerr;
	json_t *d;

	if (!len)
		return idregs_json_fail(err, "%s: empty file", origin);
	d = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!d)
		return idregs_json_fail(err, "%s: line %d column %d: %s", origin,
					jerr.line, jerr.column, jerr.text);
	if (!json_is_object(d)) {
		json_decref(d);
		return idregs_json_fail(err, "%s: the document must be a JSON object",
					origin);
	}
	*doc = d;
	return 0;
}

int idregs_json_check_format(json_t *doc, const char *family,
			     struct idregs_error *err)
{
	const char *f = idregs_json_str(doc, "format");
	size_t n = strlen(family);

	if (!f)
		return idregs_json_fail(err, "missing \"format\" (expected \"%s/1\")",
					family);
	if (strncmp(f, family, n) || f[n] != '/')
		return idregs_json_fail(err, "\"format\" is \"%s\", not a %s document",
					f, family);
	if (strcmp(f + n + 1, "1") && strncmp(f + n + 1, "1.", 2))
		return idregs_json_fail(err,
			"unsupported format version \"%s\" (this idregs reads %s/1)",
			f, family);
	return 0;
}

const char *idregs_json_str(json_t *obj, const char *key)
{
	return json_string_value(json_object_get(obj, key));
}

/* Length of the valid UTF-8 sequence at s (1 to 4 bytes), or 0: no
 * overlong forms, surrogates or code points beyond U+10FFFF (as jansson). */
static size_t utf8_len(const unsigned char *s)
{
	uint32_t cp;
	size_t n, i;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4;
	else
		return 0;
	cp = s[0] & (0x7f >> n);
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)	/* also stops at the NUL */
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((n == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
	    (n == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	return n;
}

void idregs_name_copy(char *dst, size_t size, const char *src)
{
	const unsigned char *s = (const unsigned char *)src;
	size_t used = 0;

	while (*s) {
		size_t n = utf8_len(s);

		if (used + (n ? n : 1) >= size)
			break;
		if (n)
			memcpy(dst + used, s, n);
		else
			dst[used] = '?';
		used += n ? n : 1;
		s += n ? n : 1;
	}
	dst[used] = 0;
}

int idregs_parse_hex64(const char *s, uint64_t *v)
{
	uint64_t r = 0;
	size_t i, n;

	if (s[0] != '0' || (s[1] != 'x' && s[1] != 'X'))
		return -EINVAL;
	n = strlen(s + 2);
	if (!n || n > 16)
		return -EINVAL;
	for (i = 0; i < n; i++) {
		int c = (unsigned char)s[2 + i];

		if (!isxdigit(c))
			return -EINVAL;
		r = r << 4 | (uint64_t)(isdigit(c) ? c - '0' : tolower(c) - 'a' + 10);
	}
	*v = r;
	return 0;
}

int idregs_json_regset(json_t *obj, const char *where,
		       struct idregs_regset *set, struct idregs_error *err)
{
	const char *key;
	json_t *val;

	bool seen[IDREGS_SPACE_SIZE] = { false };

	if (!json_is_object(obj))
		return idregs_json_fail(err, "%s must be an object of registers", where);
	memset(set, 0, sizeof(*set));
	json_object_foreach(obj, key, val) {
		uint16_t enc;
		uint64_t v;
		int idx;

		if (idregs_reg_lookup(key, &enc))
			return idregs_json_fail(err, "%s: unknown register \"%.64s\"",
						where, key);
		idx = idregs_space_index(enc);
		if (idx < 0)
			return idregs_json_fail(err,
				"%s: %.64s is outside the feature-ID space", where, key);
		if (!json_is_string(val) ||
		    idregs_parse_hex64(json_string_value(val), &v))
			return idregs_json_fail(err,
				"%s.%.64s: value must be a string \"0x\" + 1 to 16 hex digits",
				where, key);
		/* "MIDR_EL1" and "3.0.0.0.0" are one register: say so, don't pick one */
		if (seen[idx])
			return idregs_json_fail(err,
				"%s: register \"%.64s\" is given twice (under another name too)",
				where, key);
		seen[idx] = true;
		set->val[idx] = v;
	}
	return 0;
}

/*
 * A whole file (at most MAX_FILE_SIZE bytes). Fleet tools read tens of
 * thousands of profiles: a regular file takes one read of its size plus
 * one byte, done when exactly its size came back; anything else (and a
 * file that changed size) is read to EOF.
 */
int idregs_read_file(const char *path, char **text, size_t *len,
		     struct idregs_error *err)
{
	size_t cap = 4096, n = 0, size = 0;
	char *buf = NULL;
	struct stat st;
	int fd, ret = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		int e = errno;

		idregs_json_fail(err, "%s: %s", path, strerror(e));
		return -e;
	}
	if (!fstat(fd, &st) && S_ISREG(st.st_mode) && st.st_size > 0 &&
	    st.st_size <= MAX_FILE_SIZE) {
		size = (size_t)st.st_size;
		cap = size + 1;
	}
	for (;;) {
		ssize_t got;
		char *nb;

		if (n == cap || !buf) {
			cap = buf ? cap * 2 : cap;
			nb = realloc(buf, cap + 1);
			if (!nb) {
				ret = idregs_json_fail(err, "%s: out of memory", path);
				break;
			}
			buf = nb;
		}
		got = read(fd, buf + n, cap - n);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			ret = idregs_json_fail(err, "%s: read error", path);
			break;
		}
		n += (size_t)got;
		if (n > MAX_FILE_SIZE) {
			ret = idregs_json_fail(err, "%s: larger than %u MiB", path,
					       MAX_FILE_SIZE >> 20);
			break;
		}
		if (!got || (size && n == size))
			break;
	}
	close(fd);
	if (ret) {
		free(buf);
		return ret;
	}
	buf[n] = 0;
	*text = buf;
	*len = n;
	return 0;
}
