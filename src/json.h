/* SPDX-License-Identifier: MIT */
/* Shared helpers of the JSON document readers (host profiles, models). */
#ifndef IDREGS_JSON_H
#define IDREGS_JSON_H

#include <jansson.h>

#include "idregs.h"

/* Fill err and return -EINVAL. */
int idregs_json_fail(struct idregs_error *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Prefix err's message with "origin: ". */
void idregs_json_prefix(struct idregs_error *err, const char *origin);
/* Parse text (duplicate keys refused) into a JSON object. */
int idregs_json_load(const char *text, size_t len, const char *origin,
		     json_t **doc, struct idregs_error *err);
/* "format": "<family>/1" (any 1.x); another major version is refused. */
int idregs_json_check_format(json_t *doc, const char *family,
			     struct idregs_error *err);
/* A string member, or NULL when absent or not a string. */
const char *idregs_json_str(json_t *obj, const char *key);
/* "0x..." hex string (1..16 digits) into *v. */
int idregs_parse_hex64(const char *s, uint64_t *v);
/* An object of register name -> hex string into a register set. */
int idregs_json_regset(json_t *obj, const char *where,
		       struct idregs_regset *set, struct idregs_error *err);
/* Read a whole file (at most 16 MiB). */
int idregs_read_file(const char *path, char **text, size_t *len,
		     struct idregs_error *err);

#endif
