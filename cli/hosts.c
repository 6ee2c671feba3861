// SPDX-License-Identifier: MIT
/*
 * Host arguments, streamed: built-in names, profile files, directories of
 * *.json profiles, and "-" for a list of paths on standard input. Each host
 * is loaded, handed to the callback and freed, so memory does not grow
 * with the number of hosts. A second pass (baseline's proof) replays the
 * same list; stdin is copied to a temporary file for that.
 */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"

static int visit_one(const char *verb, const char *arg, cli_host_fn fn, void *ctx)
{
	struct idregs_host *h;
	struct idregs_error err;
	int ret;

	if (idregs_host_load(arg, &h, &err))
		return cli_error(EXIT_FAIL, verb, "cannot read host: %s", err.msg);
	ret = fn(h, ctx);
	idregs_host_free(h);
	return ret;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static int visit_dir(const char *verb, const char *dir, cli_host_fn fn, void *ctx)
{
	struct dirent **names;
	int n, i, ret = 0;

	n = scandir(dir, &names, NULL, by_name);
	if (n < 0)
		return cli_error(EXIT_FAIL, verb, "cannot read directory %s: %s", dir,
				 strerror(errno));
	for (i = 0; i < n; i++) {
		size_t len = strlen(names[i]->d_name);
		char path[4096];

		if (!ret && len > 5 && !strcmp(names[i]->d_name + len - 5, ".json")) {
			snprintf(path, sizeof(path), "%s/%s", dir, names[i]->d_name);
			ret = visit_one(verb, path, fn, ctx);
		}
		free(names[i]);
	}
	free(names);
	return ret;
}

static int visit_list(const char *verb, FILE *list, cli_host_fn fn, void *ctx)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	int ret = 0;

	while (!ret && (len = getline(&line, &cap, list)) >= 0) {
		while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = 0;
		if (len)
			ret = cli_visit_hosts(verb, (const char *const[]){ line }, 1,
					      NULL, fn, ctx);
	}
	free(line);
	return ret;
}

int cli_visit_hosts(const char *verb, const char *const *args, int nargs,
		    FILE **stdin_copy, cli_host_fn fn, void *ctx)
{
	struct stat st;
	int i, ret = 0;

	for (i = 0; !ret && i < nargs; i++) {
		if (!strcmp(args[i], "-")) {
			if (stdin_copy && !*stdin_copy) {
				char buf[4096];
				size_t n;

				*stdin_copy = tmpfile();
				if (!*stdin_copy)
					return cli_error(EXIT_FAIL, verb, "cannot create a temporary file");
				while ((n = fread(buf, 1, sizeof(buf), stdin)))
					fwrite(buf, 1, n, *stdin_copy);
			}
			if (stdin_copy) {
				rewind(*stdin_copy);
				ret = visit_list(verb, *stdin_copy, fn, ctx);
			} else {
				ret = visit_list(verb, stdin, fn, ctx);
			}
		} else if (!stat(args[i], &st) && S_ISDIR(st.st_mode)) {
			ret = visit_dir(verb, args[i], fn, ctx);
		} else {
			ret = visit_one(verb, args[i], fn, ctx);
		}
	}
	return ret;
}
