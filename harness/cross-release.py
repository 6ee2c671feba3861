#!/usr/bin/env python3
"""Migration across kernel releases, on real KVM: save on one, restore on another.

For each pair (A, B) of kernels and each CPU model, a VM is started on real
KVM A (`vm FEATURES`, `dump`): its ID registers are the VM's state. A
restore script then writes every one of them, in encoding order, into a
fresh VM of the same features on real KVM B (`set REG VALUE`, the way a VMM
restores migrated state), and dumps the result. The same restore script is
run by `idregs sim` on B's probed host profile, and every line is compared:
which registers B accepts, with which errno, and what B's VM holds after.
So the library's answer to "can this VM move from A to B" is judged on the
real kernels, upgrade and downgrade alike.

    cross-release.py [--idregs build/idregs] [--pairs 5.10:6.1,6.1:6.12,...]
                     [--cpus max,neoverse-n1] [--features "",pmu] [--jobs 2]

Outputs go to build/harness/cross-release/. Prints one line per (pair, cpu,
features) and the totals; exit 0 when no line differs, 1 on a mismatch,
2 when a boot failed.
"""
import argparse
import concurrent.futures
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
RUN = os.path.join(HERE, "run-real-kvm.sh")
RESULTS = os.path.join(HERE, "results")
OUT = os.path.join(HERE, "..", "build", "harness", "cross-release")
PAIRS = "5.10:6.1,6.1:6.12,6.12:6.18,6.18:7.3,7.3:6.12,6.12:6.1,6.1:7.3"


def boot(kernel, cpu, script_path):
    p = subprocess.run([RUN, "--kernel", kernel, "--cpu", cpu, script_path],
                       capture_output=True, text=True, timeout=900)
    return p.returncode == 0, p.stdout, p.stderr[-600:]


def dumped(lines):
    """(enc, name, value) of every register a dump read."""
    out = []
    for line in lines:
        f = dict(t.split("=", 1) for t in line.split() if "=" in t)
        if f.get("cmd") == "dump" and f.get("err") == "0" and "enc" in f:
            out.append((f["enc"], f["name"], f["val"]))
    return out


def compare(real, sim):
    r = [x for x in real if x.startswith("line=")]
    s = [x for x in sim if x.startswith("line=")]
    bad = [(a, b) for a, b in zip(r, s) if a != b]
    if len(r) != len(s):
        bad.append((f"{len(r)} lines", f"{len(s)} lines"))
    return len(r), bad


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--idregs", default=os.path.join(HERE, "..", "build", "idregs"))
    ap.add_argument("--pairs", default=PAIRS)
    ap.add_argument("--cpus", default="max,neoverse-n1")
    ap.add_argument("--features", default=",pmu",
                    help="comma-separated feature sets, words joined by '+'")
    ap.add_argument("--jobs", type=int, default=2)
    args = ap.parse_args()
    pairs = [tuple(p.split(":")) for p in args.pairs.split(",")]
    cpus = args.cpus.split(",")
    fsets = [f.replace("+", " ") for f in args.features.split(",")]
    os.makedirs(OUT, exist_ok=True)

    def tag(*parts):
        return "-".join(p.replace(" ", "+") or "none" for p in parts)

    # 1. the source VMs: one boot per (kernel, cpu, features)
    sources = sorted({(a, c, f) for a, _ in pairs for c in cpus for f in fsets})
    src_out, failed = {}, 0
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        futs = {}
        for k, c, f in sources:
            path = os.path.join(OUT, tag("save", k, c, f) + ".sim")
            with open(path, "w") as fh:
                fh.write(f"vm {f}\ndump\n")
            futs[pool.submit(boot, k, c, path)] = (k, c, f)
        for fut in concurrent.futures.as_completed(futs):
            ok, out, err = fut.result()
            if not ok:
                failed += 1
                print(f"BOOT FAILED: save {futs[fut]}: {err}", file=sys.stderr)
            src_out[futs[fut]] = out.splitlines()

    # 2. the restores: real KVM B and idregs sim on B's probe
    jobs = []
    for a, b in pairs:
        for c in cpus:
            for f in fsets:
                regs = dumped(src_out.get((a, c, f), []))
                if not regs:
                    continue
                path = os.path.join(OUT, tag("restore", a, b, c, f) + ".sim")
                with open(path, "w") as fh:
                    fh.write(f"# a VM of KVM {a} restored on KVM {b} ({c})\nvm {f}\n")
                    fh.writelines(f"set {enc} {val}\n" for enc, _, val in regs)
                    fh.write("dump\n")
                jobs.append((a, b, c, f, path, len(regs)))
    total = mismatches = 0
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        futs = {pool.submit(boot, b, c, path): (a, b, c, f, path, n)
                for a, b, c, f, path, n in jobs}
        results = {futs[fut]: fut.result() for fut in concurrent.futures.as_completed(futs)}
    for key in jobs:
        a, b, c, f, path, n = key
        ok, out, err = results[key]
        if not ok:
            failed += 1
            print(f"BOOT FAILED: restore {a}->{b} {c}: {err}", file=sys.stderr)
            continue
        probe = os.path.join(RESULTS, f"{b}-{c}-probe.json")
        with open(probe) as fh:
            kernel = json.load(fh).get("kernel") or b
        sim = subprocess.run([args.idregs, "sim", "--host", probe, "--kernel", kernel, path],
                             capture_output=True, text=True, check=True).stdout
        n_cmp, bad = compare(out.splitlines(), sim.splitlines())
        refused = sum(1 for x in out.splitlines() if "cmd=set" in x and "err=0 " not in x)
        total += n_cmp
        mismatches += len(bad)
        print(f"{a:>5} -> {b:<5} {c:12} vm {f or '(none)':6} {n:3} registers, "
              f"{refused:2} refused by KVM {b}; {n_cmp} lines compared, {len(bad)} mismatches")
        for r, s in bad[:10]:
            print(f"    real: {r}\n    sim:  {s}")
    print(f"cross-release: {len(jobs)} restores, {total} lines compared, {mismatches} mismatches")
    print(f"{total - mismatches} passed, {mismatches} failed")
    if failed:
        return 2
    return 1 if mismatches else 0


if __name__ == "__main__":
    sys.exit(main())
