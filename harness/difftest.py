#!/usr/bin/env python3
"""Differential test: `idregs sim` against real KVM, line by line.

For every kernel and CPU model, the real-KVM outputs (the scripts run by
harness/kvmsim as /init under QEMU) are compared with `idregs sim` run on
the host profile probed in the same kind of boot. A line that `idregs sim`
marks UNMODELED (a register outside the ID register file) is not compared.

    difftest.py [--live] [--idregs build/idregs] [--kernels 6.12,7.3]
                [--cpus max,neoverse-n1,cortex-a72] [SCRIPT...]

Without --live it uses the outputs stored in harness/results; with --live it
boots real KVM for every (kernel, cpu) and refreshes them. Exits 1 on any
mismatch, printing both lines.
"""
import argparse
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
RESULTS = os.path.join(HERE, "results")


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kw).stdout


def real_output(args, kernel, cpu, script, live):
    name = os.path.splitext(os.path.basename(script))[0]
    path = os.path.join(RESULTS, f"{kernel}-{cpu}-{name}.out")
    if live:
        out = run([os.path.join(HERE, "run-real-kvm.sh"), "--kernel", kernel,
                   "--cpu", cpu, script])
        with open(path, "w") as fh:
            fh.write(out)
    with open(path) as fh:
        return fh.read().splitlines()


def probe(kernel, cpu, live):
    path = os.path.join(RESULTS, f"{kernel}-{cpu}-probe.json")
    if live:
        out = run([os.path.join(HERE, "run-real-kvm.sh"), "--kernel", kernel,
                   "--cpu", cpu, "--probe"])
        with open(path, "w") as fh:
            fh.write(out)
    return path


def key(line):
    """Lines are matched by their line= and cmd= and, for masks/dump, enc=."""
    parts = dict(p.split("=", 1) for p in line.split() if "=" in p)
    return (parts.get("line"), parts.get("cmd"), parts.get("enc"))


def compare(real, sim):
    """Return (compared, mismatches[(real, sim)])."""
    mism, compared = [], 0
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
            if "UNMODELED" in s:
                continue
            compared += 1
            if r != s:
                mism.append((r, s))
    return compared, mism


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--live", action="store_true")
    ap.add_argument("--idregs", default=os.path.join(HERE, "..", "build", "idregs"))
    ap.add_argument("--kernels", default="6.12,7.3")
    ap.add_argument("--cpus", default="max,neoverse-n1,cortex-a72")
    ap.add_argument("scripts", nargs="*")
    args = ap.parse_args()
    scripts = args.scripts or sorted(
        os.path.join(HERE, "scripts", f) for f in os.listdir(os.path.join(HERE, "scripts"))
        if f.endswith(".sim"))
    total_cmp = total_bad = 0
    for kernel in args.kernels.split(","):
        for cpu in args.cpus.split(","):
            host = probe(kernel, cpu, args.live)
            for script in scripts:
                real = real_output(args, kernel, cpu, script, args.live)
                sim = run([args.idregs, "sim", "--host", host, "--kernel", kernel,
                           script]).splitlines()
                n, bad = compare(real, sim)
                total_cmp += n
                total_bad += len(bad)
                print(f"{kernel:5} {cpu:12} {os.path.basename(script):24} "
                      f"{n:6} lines compared, {len(bad)} mismatches")
                for r, s in bad[:20]:
                    print(f"    real: {r}\n    sim:  {s}")
    print(f"difftest: {total_cmp} lines compared, {total_bad} mismatches")
    print(f"{total_cmp - total_bad} passed, {total_bad} failed")
    return 1 if total_bad else 0


if __name__ == "__main__":
    sys.exit(main())
