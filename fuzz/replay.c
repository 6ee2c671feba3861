// SPDX-License-Identifier: MIT
/*
 * A fuzz target without libFuzzer: runs LLVMFuzzerTestOneInput once on each
 * file given (or each file of each directory given), so that `make check`
 * (and `make asan`) replay the seed corpora and every past finding through
 * the targets' property checks with the ordinary compiler.
 */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL, *exact;
	size_t n = 0, cap = 0, got;

	if (!f) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	do {
		if (n == cap) {
			uint8_t *nb = realloc(buf, cap = cap ? cap * 2 : 4096);

			if (!nb) {
				fclose(f);
				free(buf);
				return -1;
			}
			buf = nb;
		}
		got = fread(buf + n, 1, cap - n, f);
		n += got;
	} while (got);
	fclose(f);
	/* a copy of exactly n bytes, so that reading past it is caught */
	exact = malloc(n ? n : 1);
	if (!exact) {
		free(buf);
		return -1;
	}
	if (n)
		memcpy(exact, buf, n);
	free(buf);
	LLVMFuzzerTestOneInput(exact, n);
	free(exact);
	return 0;
}

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv)
{
	unsigned long runs = 0;
	int i, bad = 0;

	for (i = 1; i < argc; i++) {
		struct stat st;
		DIR *d;
		struct dirent *e;
		char **names = NULL;
		size_t nr = 0, k;

		if (stat(argv[i], &st)) {
			fprintf(stderr, "replay: %s: %s\n", argv[i], strerror(errno));
			return 1;
		}
		if (!S_ISDIR(st.st_mode)) {
			bad |= run_file(argv[i]);
			runs++;
			continue;
		}
		d = opendir(argv[i]);
		while (d && (e = readdir(d))) {
			char **nn;

			if (e->d_name[0] == '.')
				continue;
			nn = realloc(names, (nr + 1) * sizeof(*names));
			if (!nn)
				return 1;
			names = nn;
			if (asprintf(&names[nr++], "%s/%s", argv[i], e->d_name) < 0)
				return 1;
		}
		if (d)
			closedir(d);
		qsort(names, nr, sizeof(*names), cmp);
		for (k = 0; k < nr; k++) {
			bad |= run_file(names[k]);
			runs++;
			free(names[k]);
		}
		free(names);
	}
	printf("%s: %lu inputs replayed\n", argc > 0 ? argv[0] : "replay", runs);
	return bad ? 1 : 0;
}
