/* SPDX-License-Identifier: MIT */
/*
 * runcmds: /init of the initramfs that run-real-kvm.sh --cli packs, to run
 * the cross-built idregs CLI inside an arm64 guest that has KVM.
 *
 * Mounts devtmpfs/proc/sysfs, then runs each line of /commands (words
 * split at blanks, no quoting; '#' starts a comment line; programs are
 * looked up in /bin) and prints, on the console:
 *
 *   === idregs-begin ===
 *   === idregs-cmd: LINE ===
 *   ...the command's stdout...
 *   === idregs-stderr ===
 *   ...its stderr...
 *   === idregs-status: N ===        (exit status, or "signal N")
 *   ...
 *   === idregs-end ===
 *
 * then powers the machine off. "cat FILE" is built in.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/klog.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_ARGS 64

/* One write per line, so that kernel messages cannot split it. */
static void out_line(const char *s, size_t n)
{
	char buf[4096];
	size_t off = 0;

	if (n > sizeof(buf) - 1)
		n = sizeof(buf) - 1;
	memcpy(buf, s, n);
	buf[n++] = '\n';
	while (off < n) {
		ssize_t w = write(1, buf + off, n - off);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return;
		off += (size_t)w;
	}
}

static void out_str(const char *s)
{
	out_line(s, strlen(s));
}

/* Print a file line by line; returns -1 if it cannot be read. */
static int dump(const char *path)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	FILE *f;

	f = fopen(path, "r");
	if (!f)
		return -1;
	while ((n = getline(&line, &cap, f)) >= 0) {
		if (n && line[n - 1] == '\n')
			n--;
		out_line(line, (size_t)n);
	}
	free(line);
	fclose(f);
	return 0;
}

static void redirect(int fd, const char *path)
{
	int f = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	if (f >= 0) {
		dup2(f, fd);
		close(f);
	}
}

static void run(char **argv)
{
	char status[64];
	int ws = 0;
	pid_t pid;

	if (!strcmp(argv[0], "cat") && argv[1]) {
		int r = dump(argv[1]);

		out_str("=== idregs-stderr ===");
		if (r)
			out_str("cat: cannot read the file");
		snprintf(status, sizeof(status), "=== idregs-status: %d ===", r ? 1 : 0);
		out_str(status);
		return;
	}
	pid = fork();
	if (pid == 0) {
		redirect(1, "/tmp/out");
		redirect(2, "/tmp/err");
		execvp(argv[0], argv);
		fprintf(stderr, "runcmds: cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &ws, 0) < 0) {
		snprintf(status, sizeof(status), "=== idregs-status: fork %s ===",
			 strerror(errno));
		out_str(status);
		return;
	}
	dump("/tmp/out");
	out_str("=== idregs-stderr ===");
	dump("/tmp/err");
	if (WIFEXITED(ws))
		snprintf(status, sizeof(status), "=== idregs-status: %d ===",
			 WEXITSTATUS(ws));
	else
		snprintf(status, sizeof(status), "=== idregs-status: signal %d ===",
			 WTERMSIG(ws));
	out_str(status);
}

static void run_line(char *line)
{
	char *argv[MAX_ARGS + 1], *save = NULL, *t, head[4200];
	int argc = 0;

	line[strcspn(line, "\r\n")] = 0;
	snprintf(head, sizeof(head), "=== idregs-cmd: %s ===", line);
	for (t = strtok_r(line, " \t", &save); t && argc < MAX_ARGS;
	     t = strtok_r(NULL, " \t", &save))
		argv[argc++] = t;
	argv[argc] = NULL;
	if (!argc || argv[0][0] == '#')
		return;
	out_str(head);
	run(argv);
}

static void setup(void)
{
	mkdir("/dev", 0755);
	mkdir("/proc", 0555);
	mkdir("/sys", 0555);
	mkdir("/tmp", 01777);
	mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
	mount("proc", "/proc", "proc", 0, NULL);
	mount("sysfs", "/sys", "sysfs", 0, NULL);
	if (fcntl(1, F_GETFD) < 0) {	/* no console fds inherited */
		int fd = open("/dev/console", O_RDWR);

		if (fd >= 0) {
			dup2(fd, 0);
			dup2(fd, 1);
			dup2(fd, 2);
			if (fd > 2)
				close(fd);
		}
	}
	/* keep kernel messages off the console while we print */
	klogctl(8 /* SYSLOG_ACTION_CONSOLE_LEVEL */, NULL, 1);
	setenv("PATH", "/bin", 1);
}

int main(void)
{
	char *line = NULL;
	size_t cap = 0;
	FILE *f;

	if (getpid() == 1)
		setup();
	f = fopen("/commands", "r");
	if (!f) {
		out_str("=== idregs-error: no /commands ===");
	} else {
		out_str("=== idregs-begin ===");
		while (getline(&line, &cap, f) >= 0)
			run_line(line);
		fclose(f);
		free(line);
		out_str("=== idregs-end ===");
	}
	if (getpid() == 1) {
		sync();
		reboot(RB_POWER_OFF);
		for (;;)
			pause();
	}
	return 0;
}
