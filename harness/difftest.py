#!/usr/bin/env python3
"""Differential test: `idregs sim` against real KVM, line by line.

For every kernel and CPU model, the real-KVM outputs (the scripts run by
harness/kvmsim as /init under QEMU) are compared with `idregs sim` run on
the host profile probed in the same kind of boot. A line whose register is
outside the ID register file (decided from the register id in the real
output, outside_model()) is not compared when `idregs sim` marks it
UNMODELED; UNMODELED for any other register is a mismatch.

    difftest.py [--live] [--jobs N] [--idregs build/idregs]
                [--kernels 6.12,7.3] [--cpus max,neoverse-n1,cortex-a72]
                [--gen-seed N[,N...] [--gen-count K] [--gen-ops M] [--gen-dir DIR]
                 [--gen-no-syntax] [--gen-syntax-rate R] [--with-scripts]]
                [--max-print N] [--report FILE] [SCRIPT...]

Without --live it uses stored outputs; with --live it boots real KVM for
every (kernel, cpu), refreshes the probe and the outputs, then compares.

Scripts: the SCRIPT arguments, else harness/scripts/*.sim. With --gen-seed,
harness/gen-scripts.py first writes K scripts of about M operations per
seed into DIR/seed-N-cK-oM[-nosyntax|-rR] (DIR: --gen-dir, default
harness/build/gen); those are run instead of
harness/scripts (add --with-scripts to run both). The generator is
deterministic, so a later run without --live and with the same --gen-*
options compares the stored outputs again (e.g. after a library fix).

Outputs are stored as <kernel>-<cpu>-<script>.out: in harness/results for
hand-written scripts, in DIR/results for generated ones. Probes always go
to harness/results/<kernel>-<cpu>-probe.json.

With --raw, the host of `idregs sim` is instead the raw profile read from
the emulated CPU (harness/raw-profile.sh, results/raw-<cpu>.json), judged by
one boot per (kernel, cpu) of a script covering every vCPU feature set;
--cpus then defaults to every QEMU model that runs KVM (see rawjudge.py).

Exit status: 0 no mismatch; 1 mismatches; 2 a boot failed or a stored
output is missing.
"""
import argparse
import concurrent.futures
import os
import re
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
RESULTS = os.path.join(HERE, "results")


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kw).stdout


def count_ops(path):
    """Operations of a script: lines that are not blank and not comments."""
    n = 0
    with open(path) as fh:
        for line in fh:
            s = line.strip(" \t\r\n")
            if s and not s.startswith("#"):
                n += 1
    return n


class Script:
    def __init__(self, path, outdir):
        self.path = path
        self.name = os.path.splitext(os.path.basename(path))[0]
        self.outdir = outdir
        self.ops = count_ops(path)

    def out_path(self, kernel, cpu):
        return os.path.join(self.outdir, f"{kernel}-{cpu}-{self.name}.out")

    def copy_path(self):
        """Generated scripts: the copy of the script the stored outputs ran."""
        return None if self.outdir == RESULTS else \
            os.path.join(self.outdir, f"{self.name}.sim")

    def stale(self):
        """True when the stored outputs ran another version of the script."""
        cp = self.copy_path()
        if cp is None or not os.path.exists(cp):
            return False
        with open(cp) as a, open(self.path) as b:
            return a.read() != b.read()


def probe_path(kernel, cpu):
    return os.path.join(RESULTS, f"{kernel}-{cpu}-probe.json")


def boot(kernel, cpu, script):
    """One real-KVM boot; script None = probe. Returns (ok, seconds, msg)."""
    dest = probe_path(kernel, cpu) if script is None else script.out_path(kernel, cpu)
    what = ["--probe"] if script is None else [script.path]
    start = time.monotonic()
    p = subprocess.run([os.path.join(HERE, "run-real-kvm.sh"), "--kernel", kernel,
                        "--cpu", cpu] + what, capture_output=True, text=True)
    secs = time.monotonic() - start
    if p.returncode != 0:
        return False, secs, p.stderr.strip().splitlines()[-5:]
    os.makedirs(os.path.dirname(dest), exist_ok=True)
    tmp = dest + ".tmp"
    with open(tmp, "w") as fh:
        fh.write(p.stdout)
    os.replace(tmp, dest)
    if script is not None and script.copy_path():
        with open(script.path) as src, open(script.copy_path(), "w") as dst:
            dst.write(src.read())
    return True, secs, []


def key(line):
    """Lines are matched by their line= and cmd= and, for masks/dump, enc=."""
    parts = dict(p.split("=", 1) for p in line.split() if "=" in p)
    return (parts.get("line"), parts.get("cmd"), parts.get("enc"))


SPACE_OP1 = (0, 1, 3)


def in_space(op0, op1, crn, crm):
    return op0 == 3 and op1 in SPACE_OP1 and crn == 0 and crm <= 7


def outside_model(line):
    """Is the register of a result line outside the ID register file (sim.md:
    a well-formed id of another register), judged from the id itself as
    real KVM's program names it, never from the output under test?"""
    reg = next((t[4:] for t in line.split() if t.startswith("reg=")), None)
    if reg is None:
        return False
    m = re.match(r"^S(\d+)_(\d+)_C(\d+)_C(\d+)_(\d+)$", reg)
    if m:
        op0, op1, crn, crm, _ = (int(x) for x in m.groups())
        return not in_space(op0, op1, crn, crm)
    if not reg.startswith("0x"):
        return False            # an architectural name of the ID register file
    rid = int(reg, 16)
    arch, size, cls = rid >> 56, (rid >> 52) & 0xf, (rid >> 16) & 0xfff
    if arch != 0x60 or size > 7:
        return False            # malformed: KVM's errno is compared
    if cls == 0x13:
        stray = rid & 0x000fffff00000000 or (rid >> 32) & 0xf000ff
        enc = rid & 0xffff
        return not stray and size == 3 and not in_space(enc >> 14, (enc >> 11) & 7,
                                                        (enc >> 7) & 15, (enc >> 3) & 15)
    return cls in (0x10, 0x11, 0x14, 0x15, 0x16)   # core, demux, fw, SVE, fw features


def compare(real, sim):
    """Return (compared, skipped, mismatches[(real, sim)]). A line is skipped
    only when its register is outside the model (outside_model) and the
    library said UNMODELED; UNMODELED anywhere else is a mismatch."""
    mism, compared, skipped = [], 0, 0
    sim_by_key = {}
    for line in sim:
        sim_by_key.setdefault(key(line), []).append(line)
    real_by_key = {}
    for line in real:
        real_by_key.setdefault(key(line), []).append(line)
    for k in sorted(set(sim_by_key) | set(real_by_key), key=lambda k: (int(k[0] or 0), k[1] or "", k[2] or "")):
        rs, ss = real_by_key.get(k, []), sim_by_key.get(k, [])
        for i in range(max(len(rs), len(ss))):
            r = rs[i] if i < len(rs) else "(no line)"
            s = ss[i] if i < len(ss) else "(no line)"
            if "UNMODELED" in s and outside_model(r):
                skipped += 1
                continue
            compared += 1
            if r != s:
                mism.append((r, s))
    return compared, skipped, mism


def generate(args):
    scripts = []
    for seed in args.gen_seed.split(","):
        scripts += generate_seed(args, int(seed))
    return scripts


def generate_seed(args, seed):
    tag = f"seed-{seed}-c{args.gen_count}-o{args.gen_ops}"
    if args.gen_no_syntax:
        tag += "-nosyntax"
    elif args.gen_syntax_rate is not None:
        tag += f"-r{args.gen_syntax_rate:g}"
    out = os.path.join(args.gen_dir or os.path.join(HERE, "build", "gen"), tag)
    cmd = [sys.executable, os.path.join(HERE, "gen-scripts.py"), "--out", out,
           "--seed", str(seed), "--count", str(args.gen_count),
           "--ops", str(args.gen_ops)]
    if args.gen_no_syntax:
        cmd.append("--no-syntax")
    if args.gen_syntax_rate is not None:
        cmd += ["--syntax-rate", str(args.gen_syntax_rate)]
    # scripts of an earlier generation with other options must not linger
    for f in os.listdir(out) if os.path.isdir(out) else []:
        if f.endswith(".sim"):
            os.unlink(os.path.join(out, f))
    print(run(cmd).strip())
    return [Script(os.path.join(out, f), os.path.join(out, "results"))
            for f in sorted(os.listdir(out)) if f.endswith(".sim")]


def probed_kernel(host, series):
    """The kernel the probe ran on (uname -r): it names the point release."""
    import json
    with open(host) as fh:
        return json.load(fh).get("kernel") or series


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--live", action="store_true")
    ap.add_argument("--jobs", type=int, default=1, help="parallel boots with --live")
    ap.add_argument("--idregs", default=os.path.join(HERE, "..", "build", "idregs"))
    ap.add_argument("--kernels", default="6.12,7.3")
    ap.add_argument("--cpus", default="max,neoverse-n1,cortex-a72")
    ap.add_argument("--gen-seed", help="seed, or comma-separated seeds")
    ap.add_argument("--gen-count", type=int, default=8)
    ap.add_argument("--gen-ops", type=int, default=300)
    ap.add_argument("--gen-dir")
    ap.add_argument("--gen-no-syntax", action="store_true")
    ap.add_argument("--gen-syntax-rate", type=float)
    ap.add_argument("--with-scripts", action="store_true",
                    help="with --gen-seed, also run harness/scripts/*.sim")
    ap.add_argument("--max-print", type=int, default=20, help="mismatches printed per run")
    ap.add_argument("--report", help="write every mismatch to this file")
    ap.add_argument("--raw", action="store_true",
                    help="judge raw profiles (results/raw-<cpu>.json) instead: see rawjudge.py")
    ap.add_argument("scripts", nargs="*")
    args = ap.parse_args()
    if args.raw:
        import rawjudge
        if args.cpus == ap.get_default("cpus"):
            args.cpus = rawjudge.RAW_CPUS
        return rawjudge.main(args, compare, run)

    hand = [Script(p, RESULTS) for p in args.scripts] if args.scripts else None
    if hand is None and (args.gen_seed is None or args.with_scripts):
        sdir = os.path.join(HERE, "scripts")
        hand = [Script(os.path.join(sdir, f), RESULTS)
                for f in sorted(os.listdir(sdir)) if f.endswith(".sim")]
    scripts = (hand or []) + (generate(args) if args.gen_seed is not None else [])
    kernels, cpus = args.kernels.split(","), args.cpus.split(",")
    matrix = [(k, c) for k in kernels for c in cpus]

    failed = set()
    timings = {}
    if args.live:
        jobs = [(k, c, None) for k, c in matrix] + \
               [(k, c, s) for k, c in matrix for s in scripts]
        t0 = time.monotonic()
        with concurrent.futures.ThreadPoolExecutor(max(1, args.jobs)) as pool:
            futs = {pool.submit(boot, *j): j for j in jobs}
            for f in concurrent.futures.as_completed(futs):
                k, c, s = futs[f]
                ok, secs, msg = f.result()
                name = "probe" if s is None else s.name
                timings[(k, c, name)] = secs
                if not ok:
                    failed.add((k, c, name))
                    print(f"BOOT FAILED: {k} {c} {name} ({secs:.1f}s)", file=sys.stderr)
                    for m in msg:
                        print(f"    {m}", file=sys.stderr)
        wall = time.monotonic() - t0
        boots = sorted(timings.values())
        print(f"live: {len(jobs)} boots in {wall:.1f}s wall with {args.jobs} job(s); "
              f"per boot min {boots[0]:.1f}s, median {boots[len(boots) // 2]:.1f}s, "
              f"max {boots[-1]:.1f}s")

    total_cmp = total_bad = total_skip = 0
    missing = 0
    ops_per_kernel = {k: 0 for k in kernels}
    report = open(args.report, "w") if args.report else None
    for kernel, cpu in matrix:
        host = probe_path(kernel, cpu)
        if (kernel, cpu, "probe") in failed or not os.path.exists(host):
            print(f"{kernel:5} {cpu:12} no probe; skipped", file=sys.stderr)
            missing += 1
            continue
        for s in scripts:
            path = s.out_path(kernel, cpu)
            if not args.live and s.stale():
                print(f"{kernel:5} {cpu:12} {s.name:24} stored output ran another "
                      f"version of the script; run with --live", file=sys.stderr)
                missing += 1
                continue
            if (kernel, cpu, s.name) in failed or not os.path.exists(path):
                print(f"{kernel:5} {cpu:12} {s.name:24} no real output "
                      f"({'boot failed' if args.live else 'run with --live'})", file=sys.stderr)
                missing += 1
                continue
            with open(path) as fh:
                real = fh.read().splitlines()
            sim = run([args.idregs, "sim", "--host", host, "--kernel", probed_kernel(host, kernel),
                       s.path]).splitlines()
            n, skip, bad = compare(real, sim)
            total_cmp += n
            total_skip += skip
            total_bad += len(bad)
            ops_per_kernel[kernel] += s.ops
            t = timings.get((kernel, cpu, s.name))
            print(f"{kernel:5} {cpu:12} {s.name:24} {s.ops:5} ops {n:6} lines compared, "
                  f"{len(bad)} mismatches" + (f"  ({t:.1f}s)" if t is not None else ""))
            for r, sm in bad[:args.max_print]:
                print(f"    real: {r}\n    sim:  {sm}")
            if len(bad) > args.max_print:
                print(f"    ... {len(bad) - args.max_print} more")
            if report:
                for r, sm in bad:
                    report.write(f"{kernel} {cpu} {s.path}\n  real: {r}\n  sim:  {sm}\n")
    if report:
        report.close()
    for k in kernels:
        print(f"kernel {k}: {ops_per_kernel[k]} operations run and compared "
              f"({len(cpus)} cpus x {sum(s.ops for s in scripts)} ops)")
    print(f"difftest: {total_cmp} lines compared ({total_skip} UNMODELED skipped), "
          f"{total_bad} mismatches")
    print(f"{total_cmp - total_bad} passed, {total_bad} failed")
    if missing:
        print(f"difftest: {missing} runs without output", file=sys.stderr)
        return 2
    return 1 if total_bad else 0


if __name__ == "__main__":
    sys.exit(main())
