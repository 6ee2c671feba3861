#!/bin/sh
# make install PREFIX=... gives a usable library: a program built against the
# installed header through pkg-config links (shared and static) and runs.
set -eu
# the install of the ordinary build, also when run from a make with other
# settings (make asan passes B, CC, CFLAGS, LDFLAGS for sanitizers, which
# reach this script's make through MAKEFLAGS and the environment)
unset MAKEFLAGS MFLAGS MAKELEVEL B CC CFLAGS LDFLAGS
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
make -s install PREFIX="$tmp/usr" >/dev/null
export PKG_CONFIG_PATH="$tmp/usr/lib/pkgconfig"
cat > "$tmp/t.c" <<'C'
#include <idregs.h>
#include <stdio.h>

int main(void)
{
	struct idregs_error err;
	struct idregs_host *h;
	struct idregs_vm *vm;
	uint64_t v = 0;

	if (idregs_host_load("neoverse-n1", &h, &err) ||
	    idregs_vm_create(h, idregs_kernel_default(), &vm) ||
	    idregs_vcpu_create(vm, 0) || idregs_vcpu_init(vm, 0, 0) ||
	    idregs_vcpu_get(vm, 0, idregs_sysreg_id(IDREGS_ENC(3, 0, 0, 6, 0)), &v))
		return 1;
	printf("0x%016llx\n", (unsigned long long)v);
	idregs_vm_destroy(vm);
	idregs_host_free(h);
	return 0;
}
C
# shellcheck disable=SC2046
cc -std=c11 -Wall -Werror "$tmp/t.c" $(pkg-config --cflags --libs idregs) -o "$tmp/t-shared"
# shellcheck disable=SC2046
cc -std=c11 -Wall -Werror "$tmp/t.c" $(pkg-config --cflags idregs) "$tmp/usr/lib/libidregs.a" \
	$(pkg-config --libs-only-l --static idregs | sed 's/-lidregs//') -o "$tmp/t-static"
want=0x0000100010211120
got=$(LD_LIBRARY_PATH="$tmp/usr/lib" "$tmp/t-shared")
[ "$got" = "$want" ] || { echo "install: shared build read $got, want $want"; exit 1; }
got=$("$tmp/t-static")
[ "$got" = "$want" ] || { echo "install: static build read $got, want $want"; exit 1; }
[ -x "$tmp/usr/bin/idregs" ] || { echo "install: no idregs binary"; exit 1; }
echo "install: header, pkg-config, shared and static library, CLI: ok"
