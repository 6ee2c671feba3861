// SPDX-License-Identifier: MIT
/* CPU models (idregs-model/1): reading and writing them. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"
#include "json.h"

static int parse_model(json_t *doc, struct idregs_model *m,
		       struct idregs_error *err)
{
	json_t *regs, *features, *prov, *v;
	const char *name, *kernel, *key;
	size_t i;
	int ret;

	ret = idregs_json_check_format(doc, "idregs-model", err);
	if (ret)
		return ret;
	memset(m, 0, sizeof(*m));
	m->kernel = -1;
	name = idregs_json_str(doc, "name");
	if (json_object_get(doc, "name") && !name)
		return idregs_json_fail(err, "\"name\" must be a string");
	idregs_name_copy(m->name, sizeof(m->name), name ? name : "unnamed");
	kernel = idregs_json_str(doc, "kernel");
	if (json_object_get(doc, "kernel")) {
		if (!kernel)
			return idregs_json_fail(err, "\"kernel\" must be a string naming a kernel release");
		m->kernel = idregs_kernel_parse(kernel);
		if (m->kernel == -ERANGE)
			return idregs_json_fail(err, "\"kernel\" %s is outside the releases idregs knows (see idregs releases)", kernel);
		if (m->kernel < 0)
			return idregs_json_fail(err, "\"kernel\" %s is not a kernel version", kernel);
	}
	features = json_object_get(doc, "features");
	if (features && !json_is_array(features))
		return idregs_json_fail(err, "\"features\" must be an array of strings");
	json_array_foreach(features, i, v) {
		uint32_t bits;

		if (!json_is_string(v) || idregs_feature_parse(json_string_value(v), &bits))
			return idregs_json_fail(err,
				"\"features\"[%zu]: expected one of pmu, sve, ptrauth, el1_32bit", i);
		m->features |= bits;
	}
	regs = json_object_get(doc, "regs");
	ret = idregs_json_regset(regs, "regs", &m->regs, err);
	if (ret)
		return ret;
	json_object_foreach(regs, key, v) {
		uint16_t enc;

		idregs_reg_lookup(key, &enc);
		m->has[idregs_space_index(enc)] = true;
	}
	if (json_object_get(doc, "host_bits")) {
		ret = idregs_json_regset(json_object_get(doc, "host_bits"), "host_bits",
					 &m->host_bits, err);
		if (ret)
			return ret;
		json_object_foreach(json_object_get(doc, "host_bits"), key, v) {
			uint16_t enc;

			idregs_reg_lookup(key, &enc);
			if (!m->has[idregs_space_index(enc)])
				return idregs_json_fail(err,
					"host_bits.%.64s: the register is not in \"regs\"", key);
		}
	}
	prov = json_object_get(doc, "provenance");
	if (prov) {
		char *text;

		if (!json_is_object(prov))
			return idregs_json_fail(err, "\"provenance\" must be an object");
		text = json_dumps(prov, JSON_COMPACT | JSON_SORT_KEYS);
		if (!text || strlen(text) >= sizeof(m->provenance)) {
			free(text);
			return idregs_json_fail(err, "\"provenance\" is longer than %zu bytes",
						sizeof(m->provenance) - 1);
		}
		memcpy(m->provenance, text, strlen(text) + 1);
		free(text);
	}
	return 0;
}

int idregs_model_parse(const char *text, size_t len, const char *origin,
		       struct idregs_model *out, struct idregs_error *err)
{
	json_t *doc;
	int ret;

	if (!idregs_db)
		return idregs_json_fail(err, "register tables failed validation");
	ret = idregs_json_load(text, len, origin, &doc, err);
	if (ret)
		return ret;
	ret = parse_model(doc, out, err);
	json_decref(doc);
	if (ret)
		idregs_json_prefix(err, origin);
	return ret;
}

int idregs_model_load(const char *path, struct idregs_model *out,
		      struct idregs_error *err)
{
	size_t len;
	char *text;
	int ret;

	ret = idregs_read_file(path, &text, &len, err);
	if (ret)
		return ret;
	ret = idregs_model_parse(text, len, path, out, err);
	free(text);
	return ret;
}

char *idregs_model_to_json(const struct idregs_model *m)
{
	json_t *doc = json_object(), *regs = json_object(), *features = json_array();
	json_t *host_bits = NULL;
	char *text = NULL, name[sizeof(m->name)];
	unsigned int i;
	uint32_t bits;
	const char *w;

	if (!doc || !regs || !features)
		goto out;
	json_object_set_new(doc, "format", json_string("idregs-model/1"));
	idregs_name_copy(name, sizeof(name), m->name);
	json_object_set_new(doc, "name", json_string(name));
	if (m->kernel >= 0)
		json_object_set_new(doc, "kernel",
				    json_string(idregs_kernel_version((unsigned int)m->kernel)));
	for (i = 0; (w = idregs_feature_name(i, &bits)); i++)
		if ((m->features & bits) == bits)
			json_array_append_new(features, json_string(w));
	json_object_set(doc, "features", features);
	for (i = 0; i < IDREGS_SPACE_SIZE; i++) {
		char name[24], hex[24];
		uint16_t enc = idregs_space_enc(i);

		if (!m->has[i])
			continue;
		snprintf(hex, sizeof(hex), "0x%016llx", (unsigned long long)m->regs.val[i]);
		json_object_set_new(regs, idregs_reg_name(enc, name), json_string(hex));
	}
	json_object_set(doc, "regs", regs);
	for (i = 0; i < IDREGS_SPACE_SIZE; i++) {
		char name[24], hex[24];

		if (!m->has[i] || !m->host_bits.val[i])
			continue;
		if (!host_bits)
			host_bits = json_object();
		snprintf(hex, sizeof(hex), "0x%016llx",
			 (unsigned long long)m->host_bits.val[i]);
		json_object_set_new(host_bits, idregs_reg_name(idregs_space_enc(i), name),
				    json_string(hex));
	}
	if (host_bits)
		json_object_set_new(doc, "host_bits", host_bits);
	if (m->provenance[0]) {
		json_t *prov = json_loads(m->provenance, 0, NULL);

		if (prov)
			json_object_set_new(doc, "provenance", prov);
	}
	text = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
out:
	json_decref(features);
	json_decref(regs);
	json_decref(doc);
	return text;
}

int idregs_write_file_atomic(const char *path, const char *text,
			     struct idregs_error *err)
{
	size_t len = strlen(text), n;
	char tmp[4096];
	FILE *f;
	int fd;

	n = (size_t)snprintf(tmp, sizeof(tmp), "%s.XXXXXX", path);
	if (n >= sizeof(tmp))
		return idregs_json_fail(err, "%s: path too long", path);
	fd = mkstemp(tmp);
	if (fd < 0)
		return idregs_json_fail(err, "%s: cannot create a temporary file: %s",
					path, strerror(errno));
	/* mkstemp makes the file 0600; an output file is an ordinary one */
	fchmod(fd, 0644);
	f = fdopen(fd, "w");
	if (!f || fwrite(text, 1, len, f) != len || fputc('\n', f) == EOF ||
	    fflush(f) || fsync(fd)) {
		int e = errno;

		if (f)
			fclose(f);
		else
			close(fd);
		unlink(tmp);
		return idregs_json_fail(err, "%s: write failed: %s", path, strerror(e));
	}
	if (fclose(f) || rename(tmp, path)) {
		int e = errno;

		unlink(tmp);
		return idregs_json_fail(err, "%s: %s", path, strerror(e));
	}
	return 0;
}
