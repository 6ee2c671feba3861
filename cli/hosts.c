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

struct walk {
	const char *verb;
	cli_host_fn fn;
	void *ctx;
	struct cli_unreadable *u;
};

static int visit_one(const struct walk *w, const char *arg)
{
	struct idregs_host *h;
	struct idregs_error err;
	int ret;

	if (idregs_host_load(arg, &h, &err)) {
		if (w->u) {
			w->u->count++;
			if (w->u->report)
				w->u->report(arg, err.msg, w->ctx);
			if (w->u->skip) {
				cli_error(0, w->verb, "skipped unreadable host: %s", err.msg);
				return 0;
			}
		}
		return cli_error(EXIT_FAIL, w->verb, "cannot read host: %s", err.msg);
	}
	ret = w->fn(h, w->ctx);
	idregs_host_free(h);
	return ret;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static int visit_dir(const struct walk *w, const char *dir)
{
	struct dirent **names;
	int n, i, ret = 0;

	n = scandir(dir, &names, NULL, by_name);
	if (n < 0)
		return cli_error(EXIT_FAIL, w->verb, "cannot read directory %s: %s", dir,
				 strerror(errno));
	for (i = 0; i < n; i++) {
		size_t len = strlen(names[i]->d_name);
		char path[4096];

		if (!ret && len > 5 && !strcmp(names[i]->d_name + len - 5, ".json")) {
			snprintf(path, sizeof(path), "%s/%s", dir, names[i]->d_name);
			ret = visit_one(w, path);
		}
		free(names[i]);
	}
	free(names);
	return ret;
}

static int visit_args(const struct walk *w, const char *const *args, int nargs,
		      FILE **stdin_copy);

static int visit_list(const struct walk *w, FILE *list)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	int ret = 0;

	while (!ret && (len = getline(&line, &cap, list)) >= 0) {
		while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = 0;
		if (len)
			ret = visit_args(w, (const char *const[]){ line }, 1, NULL);
	}
	free(line);
	return ret;
}

static int visit_args(const struct walk *w, const char *const *args, int nargs,
		      FILE **stdin_copy)
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
					return cli_error(EXIT_FAIL, w->verb, "cannot create a temporary file");
				while ((n = fread(buf, 1, sizeof(buf), stdin)))
					fwrite(buf, 1, n, *stdin_copy);
			}
			if (stdin_copy) {
				rewind(*stdin_copy);
				ret = visit_list(w, *stdin_copy);
			} else {
				ret = visit_list(w, stdin);
			}
		} else if (!stat(args[i], &st) && S_ISDIR(st.st_mode)) {
			ret = visit_dir(w, args[i]);
		} else {
			ret = visit_one(w, args[i]);
		}
	}
	return ret;
}

int cli_visit_hosts(const char *verb, const char *const *args, int nargs,
		    FILE **stdin_copy, cli_host_fn fn, void *ctx,
		    struct cli_unreadable *u)
{
	const struct walk w = { verb, fn, ctx, u };

	return visit_args(&w, args, nargs, stdin_copy);
}
