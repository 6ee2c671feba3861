// SPDX-License-Identifier: MIT
/*
 * Whole-process timing, a small stand-in for hyperfine: run a command N
 * times (after W warm-up runs) with its output on /dev/null and its input
 * from FILE (-i) or /dev/null, and report the wall time of each run
 * (posix_spawn to wait4) as min, median and mean, the median CPU time and
 * the largest peak RSS of the children. posix_spawn, unlike a fork of a
 * big parent, leaves nothing of the parent in the child's peak RSS.
 *
 *   runproc [-n N] [-w W] [-i FILE] -- COMMAND [ARG...]
 *
 * Prints one JSON object. A run that does not exit 0 or 1 is an error.
 */
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* One run: wall time in ns, CPU time in ns, peak RSS in KiB; -1 on
 * failure. */
static double run_once(char **cmd, posix_spawn_file_actions_t *fa, double *cpu,
		       long *rss)
{
	struct rusage ru;
	int status;
	double t0;
	pid_t pid;

	t0 = now_ns();
	if (posix_spawn(&pid, cmd[0], fa, NULL, cmd, environ))
		return -1;
	if (wait4(pid, &status, 0, &ru) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status) > 1)
		return -1;
	*rss = ru.ru_maxrss;
	*cpu = (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e9 +
	       (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1e3;
	return now_ns() - t0;
}

int main(int argc, char **argv)
{
	const char *input = "/dev/null";
	posix_spawn_file_actions_t fa;
	int n = 100, warm = 5, a, i;
	double *t, *c, sum = 0, cpu;
	long rss, max_rss = 0;

	for (a = 1; a < argc && strcmp(argv[a], "--"); a++) {
		if (!strcmp(argv[a], "-n") && a + 1 < argc)
			n = atoi(argv[++a]);
		else if (!strcmp(argv[a], "-w") && a + 1 < argc)
			warm = atoi(argv[++a]);
		else if (!strcmp(argv[a], "-i") && a + 1 < argc)
			input = argv[++a];
		else
			return 2;
	}
	if (a + 1 >= argc || n < 1)
		return 2;
	argv += a + 1;
	t = calloc((size_t)n, sizeof(*t));
	c = calloc((size_t)n, sizeof(*c));
	if (!t || !c)
		return 1;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, input, O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	for (i = 0; i < warm + n; i++) {
		double d = run_once(argv, &fa, &cpu, &rss);

		if (d < 0) {
			fprintf(stderr, "runproc: %s failed\n", argv[0]);
			return 1;
		}
		if (i >= warm) {
			t[i - warm] = d;
			c[i - warm] = cpu;
			sum += d;
		}
		if (rss > max_rss)
			max_rss = rss;
	}
	qsort(t, (size_t)n, sizeof(*t), cmp_double);
	qsort(c, (size_t)n, sizeof(*c), cmp_double);
	printf("{\"runs\": %d, \"min_ms\": %.3f, \"median_ms\": %.3f, "
	       "\"mean_ms\": %.3f, \"cpu_median_ms\": %.3f, \"max_rss_kib\": %ld}\n",
	       n, t[0] / 1e6, t[n / 2] / 1e6, sum / n / 1e6, c[n / 2] / 1e6, max_rss);
	free(t);
	free(c);
	return 0;
}
