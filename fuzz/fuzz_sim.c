// SPDX-License-Identifier: MIT
/*
 * The sim script parser and executor (cli/sim.c) on arbitrary scripts: the
 * first byte picks the built-in host and the kernel release, the rest is
 * the script. Output goes to /dev/null; only crashes, leaks and undefined
 * behaviour count.
 */
#include "fuzz.h"
#include "cli.h"

#define MAX_HOSTS 32

static struct idregs_host *hosts[MAX_HOSTS];
static size_t nr_hosts;
static FILE *devnull;

static void init(void)
{
	struct idregs_error err;

	if (nr_hosts)
		return;
	for (; nr_hosts < idregs_builtin_count() && nr_hosts < MAX_HOSTS; nr_hosts++)
		FUZZ_ASSERT(!idregs_host_load(idregs_builtin_name(nr_hosts),
					      &hosts[nr_hosts], &err), "%s", err.msg);
	devnull = fopen("/dev/null", "w");
	FUZZ_ASSERT(devnull, "/dev/null");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned int kernel;
	uint8_t sel;
	FILE *in;

	init();
	if (!size)
		return 0;
	sel = data[0];
	kernel = (sel >> 7) % idregs_kernel_count();
	data++;
	size--;
	/* fmemopen of 0 bytes fails: an empty script is a script of "" */
	in = fmemopen(size ? (void *)data : (void *)"", size ? size : 1, "r");
	FUZZ_ASSERT(in, "fmemopen");
	sim_run_script(hosts[(sel & 0x7f) % nr_hosts], kernel, in, devnull);
	fclose(in);
	return 0;
}
