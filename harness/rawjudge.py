"""Raw profiles judged by real KVM (`difftest.py --raw`).

For every CPU model, harness/raw-profile.sh reads the emulated CPU's
feature-ID registers at EL2 with the bare-metal program harness/rawdump and
stores them as a kind-"raw" host profile, results/raw-<cpu>.json. That
profile is what `idregs sim` starts from: the library sanitises it as Linux
does and applies KVM's policy for the kernel. Real KVM, booted on the same
CPU model, is the judge.

One boot per (kernel, cpu) runs the judge script (build/raw/judge.sim):
for every subset of {pmu, sve, ptrauth, el1_32bit}, the empty set included,

    vm <features>
    masks
    dump
    run
    dump

Sets the CPU does not support fail at `vm` (EINVAL), and `dump`/`run` then
print NO_VCPU: that judges the features the library derives from the raw
registers too. The real outputs are stored as
results/<kernel>-<cpu>-raw-judge.out.

With --live: the raw profiles are read again (no KVM, about 0.1 s each); a
CPU without any stored probe first gets one probe boot, because the probe's
"mode" (from the kernel's log) is what the raw profile's "mode" must say;
then the judge script is booted. Without --live the stored outputs and raw
profiles are compared again (e.g. after a library fix).
"""
import concurrent.futures
import itertools
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
RESULTS = os.path.join(HERE, "results")
BUILD = os.path.join(HERE, "build", "raw")
FEATURES = ["pmu", "sve", "ptrauth", "el1_32bit"]
# QEMU 7.2's AArch64 models on which Linux brings up KVM (neoverse-v1/n2
# are not in QEMU 7.2)
RAW_CPUS = "max,neoverse-n1,cortex-a72,cortex-a57,cortex-a53,cortex-a35,a64fx,cortex-a76"
NAME = "raw-judge"


def feature_sets():
    for n in range(len(FEATURES) + 1):
        for combo in itertools.combinations(FEATURES, n):
            yield list(combo)


def write_script(path):
    """Write the judge script; return [(first_line, last_line, label)]."""
    lines, ranges = ["# raw-profile judge (harness/rawjudge.py); one block per feature set"], []
    for fs in feature_sets():
        label = " ".join(fs) or "(none)"
        lines.append(f"# features: {label}")
        first = len(lines) + 1
        lines += [" ".join(["vm"] + fs), "masks", "dump", "run", "dump"]
        ranges.append((first, len(lines), label))
    os.makedirs(os.path.dirname(path), exist_ok=True)
    text = "\n".join(lines) + "\n"
    if not os.path.exists(path) or open(path).read() != text:
        with open(path + ".tmp", "w") as fh:
            fh.write(text)
        os.replace(path + ".tmp", path)
    return ranges


def raw_path(cpu):
    return os.path.join(RESULTS, f"raw-{cpu}.json")


def out_path(kernel, cpu):
    return os.path.join(RESULTS, f"{kernel}-{cpu}-{NAME}.out")


def probe_path(kernel, cpu):
    return os.path.join(RESULTS, f"{kernel}-{cpu}-probe.json")


def run_to(cmd, dest, timeout=None):
    """Run cmd, store stdout in dest atomically. Returns (ok, secs, msg)."""
    start = time.monotonic()
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    secs = time.monotonic() - start
    if p.returncode != 0:
        return False, secs, p.stderr.strip().splitlines()[-8:]
    with open(dest + ".tmp", "w") as fh:
        fh.write(p.stdout)
    os.replace(dest + ".tmp", dest)
    return True, secs, []


def kvm(kernel, cpu, what, dest):
    return run_to([os.path.join(HERE, "run-real-kvm.sh"), "--kernel", kernel,
                   "--cpu", cpu] + what, dest)


def field_diff(real, sim):
    """For two lines with val=/mask=, name the 4-bit fields that differ."""
    def vals(line):
        d = dict(p.split("=", 1) for p in line.split() if "=" in p)
        for k in ("val", "mask"):
            if k in d:
                try:
                    return k, int(d[k], 16), d.get("err")
                except ValueError:
                    return None
        return None
    r, s = vals(real), vals(sim)
    if not r or not s or r[0] != s[0]:
        return ""
    x = r[1] ^ s[1]
    parts = [f"[{sh + 3}:{sh}] real {(r[1] >> sh) & 0xf:#x} sim {(s[1] >> sh) & 0xf:#x}"
             for sh in range(0, 64, 4) if (x >> sh) & 0xf]
    if r[2] != s[2]:
        parts.append(f"err real {r[2]} sim {s[2]}")
    return "; ".join(parts)


def main(args, compare, run):
    """Entry point for difftest.py --raw (compare/run are difftest's)."""
    kernels = args.kernels.split(",")
    cpus = args.cpus.split(",")
    script = os.path.join(BUILD, "judge.sim")
    ranges = write_script(script)
    ops = sum(1 for _, _, _ in ranges) * 5
    matrix = [(k, c) for k in kernels for c in cpus]
    failed, timings = set(), {}

    if args.live:
        t0 = time.monotonic()
        # a CPU without any stored probe: one probe boot for its mode
        for cpu in cpus:
            if not any(os.path.exists(probe_path(k, cpu)) for k in kernels + ["6.12", "7.3"]):
                ok, secs, msg = kvm(kernels[0], cpu, ["--probe"], probe_path(kernels[0], cpu))
                timings[(kernels[0], cpu, "probe")] = secs
                print(f"probe {kernels[0]} {cpu}: {'ok' if ok else 'FAILED'} ({secs:.1f}s)")
                for m in msg:
                    print(f"    {m}", file=sys.stderr)
        for cpu in cpus:
            ok, secs, msg = run_to([os.path.join(HERE, "raw-profile.sh"), "--cpu", cpu],
                                   raw_path(cpu), timeout=120)
            timings[("-", cpu, "raw")] = secs
            if not ok:
                failed.add(("-", cpu, "raw"))
                print(f"RAW DUMP FAILED: {cpu} ({secs:.1f}s)", file=sys.stderr)
                for m in msg:
                    print(f"    {m}", file=sys.stderr)
        raw_secs = sum(v for (k, _, n), v in timings.items() if n == "raw")
        print(f"raw dumps: {len(cpus)} in {raw_secs:.1f}s")
        with concurrent.futures.ThreadPoolExecutor(max(1, args.jobs)) as pool:
            futs = {pool.submit(kvm, k, c, [script], out_path(k, c)): (k, c) for k, c in matrix}
            for f in concurrent.futures.as_completed(futs):
                k, c = futs[f]
                ok, secs, msg = f.result()
                timings[(k, c, NAME)] = secs
                if not ok:
                    failed.add((k, c, NAME))
                    print(f"BOOT FAILED: {k} {c} {NAME} ({secs:.1f}s)", file=sys.stderr)
                    for m in msg:
                        print(f"    {m}", file=sys.stderr)
        boots = sorted(v for (k, _, n), v in timings.items() if n == NAME)
        if boots:
            print(f"live: {len(boots)} judge boots in {time.monotonic() - t0:.1f}s wall "
                  f"with {args.jobs} job(s); per boot min {boots[0]:.1f}s, "
                  f"median {boots[len(boots) // 2]:.1f}s, max {boots[-1]:.1f}s")

    total_cmp = total_bad = total_skip = missing = 0
    report = open(args.report, "w") if args.report else None
    for kernel, cpu in matrix:
        host, path = raw_path(cpu), out_path(kernel, cpu)
        if ("-", cpu, "raw") in failed or not os.path.exists(host):
            print(f"{kernel:5} {cpu:12} no raw profile; skipped", file=sys.stderr)
            missing += 1
            continue
        if (kernel, cpu, NAME) in failed or not os.path.exists(path):
            print(f"{kernel:5} {cpu:12} no real output "
                  f"({'boot failed' if args.live else 'run with --live'})", file=sys.stderr)
            missing += 1
            continue
        with open(path) as fh:
            real = fh.read().splitlines()
        sim = run([args.idregs, "sim", "--host", host, "--kernel", kernel, script]).splitlines()
        n, skip, bad = compare(real, sim)
        total_cmp += n
        total_skip += skip
        total_bad += len(bad)
        t = timings.get((kernel, cpu, NAME))
        print(f"{kernel:5} {cpu:12} {n:6} lines compared, {len(bad)} mismatches"
              + (f"  ({t:.1f}s)" if t is not None else ""))
        # mismatches per feature set
        per_set = {}
        for r, s in bad:
            ln = None
            for line in (r, s):
                if line.startswith("line="):
                    ln = int(line.split()[0][5:])
                    break
            label = next((lab for a, b, lab in ranges if ln is not None and a <= ln <= b), "?")
            per_set.setdefault(label, []).append((r, s))
        printed = 0
        for label, items in per_set.items():
            print(f"    features {label}: {len(items)} mismatches")
            for r, s in items:
                if printed < args.max_print:
                    d = field_diff(r, s)
                    print(f"      real: {r}\n      sim:  {s}" + (f"\n      diff: {d}" if d else ""))
                printed += 1
                if report:
                    d = field_diff(r, s)
                    report.write(f"{kernel} {cpu} [{label}]\n  real: {r}\n  sim:  {s}\n"
                                 + (f"  diff: {d}\n" if d else ""))
        if printed > args.max_print:
            print(f"      ... {printed - args.max_print} more")
    if report:
        report.close()
    print(f"raw judge: {len(ranges)} feature sets x 5 ops = {ops} ops per (kernel, cpu); "
          f"{len(matrix)} (kernel, cpu) pairs")
    print(f"difftest --raw: {total_cmp} lines compared ({total_skip} UNMODELED skipped), "
          f"{total_bad} mismatches")
    print(f"{total_cmp - total_bad} passed, {total_bad} failed")
    if missing:
        print(f"difftest --raw: {missing} runs without output", file=sys.stderr)
        return 2
    return 1 if total_bad else 0
