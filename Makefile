# idregs: libidregs (static and shared), the idregs CLI, tests.
#
#   make                 build everything into build/
#   make check           unit tests (cmocka) and CLI tests
#   make tsan            the concurrency tests under ThreadSanitizer
#   make asan            the check suite under AddressSanitizer + UBSan (build-asan/)
#   make fuzz            each libFuzzer target for FUZZ_SECONDS (default 60; build-fuzz/)
#   make check-kvm       differential tests against real KVM under QEMU
#   make cross-aarch64   the CLI for Linux/arm64 (static) in build-aarch64/
#   make install PREFIX=/usr/local [DESTDIR=...]
#   make bench           benchmarks (bench/), table in docs/benchmarks.md
#   make bench-smoke     the same, small and short (1,000 hosts; for CI)

# the one version string: include/idregs.h (IDREGS_VERSION)
VERSION   := $(shell sed -n 's/^\#define IDREGS_VERSION "\(.*\)"$$/\1/p' include/idregs.h)
PREFIX    ?= /usr/local
LIBDIR    ?= $(PREFIX)/lib
B         ?= build
CC        ?= cc
PYTHON    ?= python3
CFLAGS    ?= -O2 -g
WARN      := -std=c11 -Wall -Wextra -Werror -D_GNU_SOURCE
CPPFLAGS  += -Iinclude -Isrc -I$(B)/gen
JANSSON_CFLAGS := $(shell pkg-config --cflags jansson 2>/dev/null)
JANSSON_LIBS   := $(shell pkg-config --libs jansson 2>/dev/null || echo -ljansson)
CMOCKA_LIBS    := $(shell pkg-config --libs cmocka 2>/dev/null || echo -lcmocka)
LDLIBS    += $(JANSSON_LIBS) -lpthread

LIB_SRCS  := $(wildcard src/*.c)
GEN_SRCS  := $(B)/gen/regdb.c $(B)/gen/cpus.c
CLI_SRCS  := $(wildcard cli/*.c)
TEST_SRCS := $(wildcard tests/test_*.c)

LIB_OBJS  := $(LIB_SRCS:%.c=$(B)/%.o) $(GEN_SRCS:$(B)/gen/%.c=$(B)/gen/%.o)
PIC_OBJS  := $(LIB_OBJS:.o=.pic.o)
CLI_OBJS  := $(CLI_SRCS:%.c=$(B)/%.o)
TESTS     := $(TEST_SRCS:tests/%.c=$(B)/tests/%)

# every header an object may include, the generated one among them
HDRS      := include/idregs.h $(wildcard src/*.h cli/*.h) $(B)/gen/regdb-gen.h

all: $(B)/libidregs.a $(B)/libidregs.so $(B)/idregs $(B)/idregs.pc

$(B)/gen/regdb.c $(B)/gen/regdb-gen.h &: data/releases.db data/regs.db \
		data/cpu-identity.db tools/gen-regdb.py
	@mkdir -p $(@D)
	$(PYTHON) tools/gen-regdb.py data/releases.db data/regs.db data/cpu-identity.db \
		$(B)/gen/regdb.c $(B)/gen/regdb-gen.h

$(B)/gen/cpus.c: $(wildcard data/cpus/*.json) tools/embed-cpus.py
	@mkdir -p $(@D)
	$(PYTHON) tools/embed-cpus.py $@ $(sort $(wildcard data/cpus/*.json))

$(B)/%.o: %.c $(HDRS)
	@mkdir -p $(@D)
	$(CC) $(WARN) $(CFLAGS) $(CPPFLAGS) $(JANSSON_CFLAGS) -c $< -o $@

$(B)/%.pic.o: %.c $(HDRS)
	@mkdir -p $(@D)
	$(CC) $(WARN) $(CFLAGS) $(CPPFLAGS) $(JANSSON_CFLAGS) -fPIC -c $< -o $@

$(B)/gen/%.o: $(B)/gen/%.c $(HDRS)
	$(CC) $(WARN) $(CFLAGS) $(CPPFLAGS) -c $< -o $@

$(B)/gen/%.pic.o: $(B)/gen/%.c $(HDRS)
	$(CC) $(WARN) $(CFLAGS) $(CPPFLAGS) -fPIC -c $< -o $@

$(B)/libidregs.a: $(LIB_OBJS)
	rm -f $@
	$(AR) rcs $@ $^

$(B)/libidregs.so: $(PIC_OBJS)
	$(CC) -shared -Wl,-soname,libidregs.so.0 $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(B)/idregs: $(CLI_OBJS) $(B)/libidregs.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# The .pc names the install prefix, so it is written again for every prefix.
$(B)/idregs.pc: FORCE
	@mkdir -p $(@D)
	@printf 'prefix=%s\nlibdir=%s\nincludedir=%s/include\n\nName: idregs\nDescription: KVM/arm64 guest ID register system, per kernel release\nVersion: %s\nLibs: -L$${libdir} -lidregs\nLibs.private: %s -lpthread\nCflags: -I$${includedir}\n' \
		'$(PREFIX)' '$(LIBDIR)' '$(PREFIX)' '$(VERSION)' '$(JANSSON_LIBS)' > $@.tmp
	@if cmp -s $@.tmp $@; then rm $@.tmp; else mv $@.tmp $@; fi

$(B)/tests/%: tests/%.c $(B)/libidregs.a tests/testutil.h $(HDRS)
	@mkdir -p $(@D)
	$(CC) $(WARN) $(CFLAGS) $(CPPFLAGS) -Itests -o $@ $< $(B)/libidregs.a $(CMOCKA_LIBS) $(LDLIBS)

# libFuzzer targets (fuzz/); `make check` replays their seed corpora
FUZZ_TARGETS  := fuzz_vm_ops fuzz_sim fuzz_json fuzz_ids
FUZZ_REPLAY   := $(FUZZ_TARGETS:%=$(B)/fuzz/replay-%)

check: all $(TESTS) $(FUZZ_REPLAY)
	@set -e; for t in $(TESTS); do echo "== $$t"; $$t; done
	@echo "== tests/cli.sh"; IDREGS=$(B)/idregs sh tests/cli.sh
	@echo "== tests/template.sh"; IDREGS=$(B)/idregs sh tests/template.sh
	@echo "== tests/state.sh"; IDREGS=$(B)/idregs sh tests/state.sh
	@echo "== tests/install.sh"; sh tests/install.sh
	@echo "== tests/html.sh"; IDREGS=$(B)/idregs sh tests/html.sh
	@echo "== tests/bad-input.sh"; IDREGS=$(B)/idregs sh tests/bad-input.sh
	@echo "== fuzz corpus replay"; set -e; for t in $(FUZZ_TARGETS); do \
		$(B)/fuzz/replay-$$t fuzz/corpus/$$t; done

# Differential tests against real KVM/arm64: Debian's arm64 kernels of
# every release data/releases.db marks verified, under qemu-system-aarch64
# (harness/README.md). Downloads are cached.
KVM_KERNELS ?= 5.10 6.1 6.12 6.16 6.17 6.18 6.19 7.0 7.1 7.2 7.3
KVM_CPUS    ?= max,neoverse-n1,cortex-a72
comma := ,
empty :=
space := $(empty) $(empty)
check-kvm: $(B)/idregs cross-aarch64
	harness/fetch-kernels.sh $(KVM_KERNELS)
	$(PYTHON) harness/difftest.py --live --jobs 2 --idregs $(B)/idregs \
		--kernels $(subst $(space),$(comma),$(KVM_KERNELS)) --cpus $(KVM_CPUS) \
		--with-scripts --gen-seed 1
	$(PYTHON) harness/difftest.py --live --jobs 2 --idregs $(B)/idregs --raw \
		--kernels $(subst $(space),$(comma),$(KVM_KERNELS))
	$(PYTHON) harness/kvm-cli-test.py --idregs build-aarch64/idregs \
		--kernels $(subst $(space),$(comma),$(KVM_KERNELS))
	$(PYTHON) harness/cross-release.py --idregs $(B)/idregs --jobs 2

# The CLI with the real KVM backend, static, for the harness's arm64 guests;
# jansson from Debian's arm64 packages (harness/fetch-sysroot.sh).
cross-aarch64:
	sysroot=$$(harness/fetch-sysroot.sh) && \
	$(MAKE) B=build-aarch64 CC=aarch64-linux-gnu-gcc AR=aarch64-linux-gnu-ar \
		JANSSON_CFLAGS=-I$$sysroot/usr/include \
		JANSSON_LIBS=$$sysroot/usr/lib/aarch64-linux-gnu/libjansson.a \
		LDFLAGS=-static build-aarch64/idregs

# The concurrency tests again, with every object built for ThreadSanitizer.
tsan:
	$(MAKE) B=build-tsan CC=clang CFLAGS='-O1 -g -fsanitize=thread' \
		LDFLAGS='-fsanitize=thread' build-tsan/tests/test_concurrency
	TSAN_OPTIONS=halt_on_error=1:abort_on_error=1 build-tsan/tests/test_concurrency
	$(MAKE) B=build-tsan CC=clang CFLAGS='-O1 -g -fsanitize=thread' \
		LDFLAGS='-fsanitize=thread' build-tsan/tests/test_soak
	TSAN_OPTIONS=halt_on_error=1:abort_on_error=1 IDREGS_SOAK_SECONDS=4 build-tsan/tests/test_soak

# The whole check suite again with every object (library, CLI, unit tests,
# fuzz replays) built for AddressSanitizer and UndefinedBehaviorSanitizer;
# the CLI tests run the sanitized binary. Any report fails the run.
SAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all
asan:
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	$(MAKE) B=build-asan CC=clang \
		CFLAGS='-O1 -g -fno-omit-frame-pointer $(SAN_FLAGS)' \
		LDFLAGS='$(SAN_FLAGS)' check

# libFuzzer targets (fuzz/): each runs FUZZ_SECONDS from its seed corpus
# (fuzz/corpus/TARGET); any crash, leak, hang, UB or property violation is
# a finding and fails (fuzz/run.sh). `make check` replays the seed corpora
# through the same targets built without libFuzzer (replay-TARGET).
FUZZ_SECONDS  ?= 60
FUZZ_CLI_OBJS := $(filter-out $(B)/cli/main.o,$(CLI_OBJS)) $(B)/fuzz/cli-main.o

$(B)/fuzz/cli-main.o: cli/main.c $(HDRS)
	@mkdir -p $(@D)
	$(CC) $(WARN) $(CFLAGS) $(CPPFLAGS) -Dmain=idregs_cli_main -c $< -o $@

$(B)/fuzz/fuzz_sim $(B)/fuzz/replay-fuzz_sim: $(FUZZ_CLI_OBJS)

# the libFuzzer binaries: only in the fuzz build (LDFLAGS -fsanitize=fuzzer)
$(B)/fuzz/fuzz_%: fuzz/fuzz_%.c fuzz/fuzz.h $(HDRS) $(B)/libidregs.a
	@mkdir -p $(@D)
	$(CC) $(WARN) $(CFLAGS) $(CPPFLAGS) -Icli $(LDFLAGS) -o $@ $< \
		$(filter %.o,$^) $(B)/libidregs.a $(LDLIBS)

$(B)/fuzz/replay-%: fuzz/%.c fuzz/replay.c fuzz/fuzz.h $(HDRS) \
		     $(B)/libidregs.a
	@mkdir -p $(@D)
	$(CC) $(WARN) $(CFLAGS) $(CPPFLAGS) -Icli $(LDFLAGS) -o $@ $< fuzz/replay.c \
		$(filter %.o,$^) $(B)/libidregs.a $(LDLIBS)

FUZZ_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all
fuzz:
	$(MAKE) B=build-fuzz CC=clang \
		CFLAGS='-O1 -g -fno-omit-frame-pointer -fsanitize=fuzzer-no-link $(FUZZ_FLAGS)' \
		LDFLAGS='-fsanitize=fuzzer $(FUZZ_FLAGS)' $(FUZZ_TARGETS:%=build-fuzz/fuzz/%)
	sh fuzz/run.sh build-fuzz $(FUZZ_SECONDS) $(FUZZ_TARGETS)

# Benchmarks: the guest read path against a second build of the library
# whose reads take the config lock (the rejected design), the user-space
# path, fleet baselines and checks, CLI start-up (bench/run.py).
BENCH_BINS := $(B)/bench/guest_read $(B)/bench/guest_read_locked \
	      $(B)/bench/user_path $(B)/bench/runproc

$(B)/bench/locked/vm.o: src/vm.c $(HDRS)
	@mkdir -p $(@D)
	$(CC) $(WARN) $(CFLAGS) $(CPPFLAGS) -DIDREGS_BENCH_LOCKED_GUEST_READS -c $< -o $@

$(B)/bench/libidregs-locked.a: $(filter-out $(B)/src/vm.o,$(LIB_OBJS)) $(B)/bench/locked/vm.o
	rm -f $@
	$(AR) rcs $@ $^

$(B)/bench/guest_read: bench/guest_read.c $(B)/libidregs.a $(HDRS)
	@mkdir -p $(@D)
	$(CC) $(WARN) $(CFLAGS) $(CPPFLAGS) -o $@ $< $(B)/libidregs.a $(LDLIBS)

$(B)/bench/guest_read_locked: bench/guest_read.c $(B)/bench/libidregs-locked.a
	$(CC) $(WARN) $(CFLAGS) $(CPPFLAGS) -DBENCH_DESIGN='"mutex"' -o $@ $< \
		$(B)/bench/libidregs-locked.a $(LDLIBS)

$(B)/bench/user_path: bench/user_path.c $(B)/libidregs.a $(HDRS)
	@mkdir -p $(@D)
	$(CC) $(WARN) $(CFLAGS) $(CPPFLAGS) -o $@ $< $(B)/libidregs.a $(LDLIBS)

$(B)/bench/runproc: bench/runproc.c
	@mkdir -p $(@D)
	$(CC) $(WARN) $(CFLAGS) -o $@ $<

# the revision both compare the guest read path and `idregs sim` with (none: skip)
BENCH_BASELINE ?= b83ff1c
BENCH_RUN = $(PYTHON) bench/run.py --build $(B) --baseline $(BENCH_BASELINE) \
	    --cc '$(CC)' --cflags '$(CFLAGS)'

bench: all $(BENCH_BINS)
	$(BENCH_RUN) --update-docs

bench-smoke: all $(BENCH_BINS)
	$(BENCH_RUN) --smoke

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(LIBDIR)/pkgconfig $(DESTDIR)$(PREFIX)/include
	install -m 755 $(B)/idregs $(DESTDIR)$(PREFIX)/bin/idregs
	install -m 644 $(B)/libidregs.a $(DESTDIR)$(LIBDIR)/libidregs.a
	install -m 755 $(B)/libidregs.so $(DESTDIR)$(LIBDIR)/libidregs.so.0
	ln -sf libidregs.so.0 $(DESTDIR)$(LIBDIR)/libidregs.so
	install -m 644 include/idregs.h $(DESTDIR)$(PREFIX)/include/idregs.h
	install -m 644 $(B)/idregs.pc $(DESTDIR)$(LIBDIR)/pkgconfig/idregs.pc

clean:
	rm -rf build build-tsan build-aarch64
	rm -rf build-asan build-fuzz

.PHONY: all check check-kvm cross-aarch64 tsan bench bench-smoke install clean FORCE
.PHONY: asan fuzz
.SECONDARY:
