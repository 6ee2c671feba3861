#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Test `idregs kvm probe` and `idregs kvm check` on real KVM/arm64.

For each kernel and QEMU CPU model, two boots (harness/run-real-kvm.sh):

 1. kvmsim's probe (--probe): the judge's view of the host;
 2. the cross-built CLI (--cli) running `idregs kvm probe` and
    `idregs kvm check` on models made from that probe.

Asserted:
 (a) the CLI's probe equals kvmsim's in regs, masks, features, mode and
     kernel (and -o writes the same document);
 (b) a model of every probed register with a few writable fields lowered
     (ID_AA64ISAR0_EL1.AES to 1, ...) applies: exit 0, likewise a model of
     ID_AA64ISAR0_EL1 alone;
 (c) a model raising ID_AA64ISAR0_EL1.AES above the host's is refused:
     exit 1, the register and the field named (text and --json);
 (d) a model changing MIDR_EL1: exit 0 where the kernel offers
     KVM_CAP_ARM_WRITABLE_IMP_ID_REGS (6.15 on), exit 1 naming MIDR_EL1
     where it does not;
 (e) a model asking for vCPU features the host lacks: exit 1 naming
     KVM_ARM_VCPU_INIT (exit 0 on a host with them all).

  harness/kvm-cli-test.py [--idregs build-aarch64/idregs] [--kernels 5.10,6.1,...]
                          [--cpus max,neoverse-n1] [--jobs N] [-v]

Prints one line per assertion that failed, per-boot timings and the counts;
exits 1 on any failure, 2 on usage errors.
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor

HERE = os.path.dirname(os.path.abspath(__file__))
RUN = os.path.join(HERE, "run-real-kvm.sh")

ISAR0 = "ID_AA64ISAR0_EL1"
ISAR1 = "ID_AA64ISAR1_EL1"
PFR0 = "ID_AA64PFR0_EL1"
# (register, field, shift): lower-safe fields lowered by one when writable
LOWER = [(ISAR0, "AES", 4), (ISAR0, "CRC32", 16), (ISAR0, "RDM", 28),
         (ISAR1, "DPB", 0), (ISAR1, "LRCPC", 20)]
ALL_FEATURES = ["pmu", "sve", "ptrauth", "el1_32bit"]


def hexv(s):
    return int(s, 16)


def fmt(v):
    return "0x%016x" % v


def field(v, shift):
    return (v >> shift) & 0xF


def with_field(v, shift, f):
    return (v & ~(0xF << shift)) | (f << shift)


def model(name, features, regs):
    return {"format": "idregs-model/1", "name": name, "features": features,
            "regs": {k: fmt(v) for k, v in regs.items()}}


def make_models(probe):
    """The models and the fields lowered in the OK model."""
    regs = {k: hexv(v) for k, v in probe["regs"].items()}
    masks = {k: hexv(v) for k, v in probe["masks"].items()}
    feats = probe["features"]
    lowered = []
    ok = dict(regs)
    if not masks:
        # before 6.7 there are no masks: CSV2 (and from 5.11 CSV3) are the
        # fields a VMM may lower, where the host is not affected
        series = tuple(int(x) for x in probe["kernel"].split("-")[0].split(".")[:2])
        for name, shift, since in (("CSV2", 56, (5, 10)), ("CSV3", 60, (5, 11))):
            if series >= since and field(regs[PFR0], shift) == 1:
                ok[PFR0] = with_field(ok[PFR0], shift, 0)
                lowered.append("%s.%s 1->0" % (PFR0, name))
    for reg, name, shift in LOWER:
        cur = field(regs[reg], shift)
        if cur and (masks.get(reg, 0) >> shift) & 0xF == 0xF:
            ok[reg] = with_field(ok[reg], shift, 1 if name == "AES" else cur - 1)
            lowered.append("%s.%s %d->%d" % (reg, name, cur, field(ok[reg], shift)))
    aes = field(regs[ISAR0], 4)
    return lowered, {
        "model-ok.json": model("lowered", feats, ok),
        "model-ok-isar0.json": model("lowered-isar0", feats, {ISAR0: ok[ISAR0]}),
        "model-raise.json": model("raised-aes", feats,
                                  {ISAR0: with_field(regs[ISAR0], 4, aes + 1)}),
        "model-midr.json": model("other-midr", feats,
                                 {"MIDR_EL1": regs["MIDR_EL1"] ^ 1}),
        "model-features.json": model("all-features", ALL_FEATURES, {}),
    }


COMMANDS = [
    "idregs kvm probe",
    "idregs kvm check /model-ok.json",
    "idregs kvm check /model-ok-isar0.json",
    "idregs kvm check /model-raise.json",
    "idregs kvm check --json /model-raise.json",
    "idregs kvm check /model-midr.json",
    "idregs kvm check /model-features.json",
    "idregs kvm probe --name cli -o /tmp/probe.json",
    "cat /tmp/probe.json",
]

CMD_RE = re.compile(r"^=== idregs-cmd: ([^\n]*) ===\n(.*?)^=== idregs-stderr ===\n"
                    r"(.*?)^=== idregs-status: ([^\n]*) ===$", re.M | re.S)


def parse_cli(text):
    """{command: (stdout, stderr, status)} from runcmds' output."""
    return {m.group(1): (m.group(2), m.group(3), m.group(4))
            for m in CMD_RE.finditer(text)}


def boot(args, extra, what):
    cmd = [RUN, "--kernel", what[0], "--cpu", what[1]] + extra
    t0 = time.monotonic()
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=900)
    return p, time.monotonic() - t0


class Result:
    def __init__(self, kernel, cpu):
        self.kernel, self.cpu = kernel, cpu
        self.passed = 0
        self.failures = []
        self.timings = []
        self.notes = []

    def check(self, ok, what):
        if ok:
            self.passed += 1
        else:
            self.failures.append("%s %s: %s" % (self.kernel, self.cpu, what))
        return ok


def expect_exit(r, out, cmd, want, *texts):
    """The command ran, exited want, and its stdout names every text."""
    if not r.check(cmd in out, "%s: no output (runcmds)" % cmd):
        return None
    stdout, stderr, status = out[cmd]
    r.check(status == str(want), "%s: exit %s, want %d; stdout %r stderr %r"
            % (cmd, status, want, stdout[-400:], stderr[-400:]))
    for t in texts:
        r.check(t in stdout, "%s: stdout lacks %r: %r" % (cmd, t, stdout[-400:]))
    return stdout


def same_probe(r, what, got, judge):
    for key in ("regs", "masks", "features", "mode", "kernel"):
        if got.get(key) == judge.get(key):
            r.passed += 1
            continue
        if isinstance(judge.get(key), dict):
            g, j = got.get(key) or {}, judge[key]
            diff = sorted(k for k in set(g) | set(j) if g.get(k) != j.get(k))
            detail = ", ".join("%s cli %s kvmsim %s" % (k, g.get(k), j.get(k))
                               for k in diff[:6])
        else:
            detail = "cli %r kvmsim %r" % (got.get(key), judge.get(key))
        r.check(False, "%s %s differs: %s" % (what, key, detail))


def run_one(args, kernel, cpu):
    r = Result(kernel, cpu)
    p, t = boot(args, ["--probe"], (kernel, cpu))
    r.timings.append(("kvmsim probe", t))
    if not r.check(p.returncode == 0, "kvmsim probe failed: %s" % p.stderr[-600:]):
        return r
    judge = json.loads(p.stdout)
    lowered, models = make_models(judge)
    r.notes.append("lowered " + ", ".join(lowered))
    if judge.get("masks"):
        r.check(len(lowered) >= 2, "fewer than 2 writable fields to lower: %s" % lowered)
    with tempfile.TemporaryDirectory(prefix="idregs-kvmcli.") as d:
        for name, doc in models.items():
            with open(os.path.join(d, name), "w") as f:
                json.dump(doc, f, indent=2)
        with open(os.path.join(d, "commands"), "w") as f:
            f.write("\n".join(COMMANDS) + "\n")
        p, t = boot(args, ["--cli", d, "--idregs", args.idregs], (kernel, cpu))
    r.timings.append(("cli", t))
    if not r.check(p.returncode == 0, "CLI boot failed: %s" % p.stderr[-600:]):
        return r
    if args.verbose:
        sys.stdout.write(p.stdout)
    out = parse_cli(p.stdout)
    r.check(len(out) == len(COMMANDS), "%d of %d commands reported"
            % (len(out), len(COMMANDS)))

    # (a) the probe
    stdout = expect_exit(r, out, "idregs kvm probe", 0)
    if stdout is not None:
        try:
            got = json.loads(stdout)
        except ValueError as e:
            r.check(False, "CLI probe is not JSON: %s" % e)
        else:
            same_probe(r, "probe", got, judge)
            r.check(got.get("kind") == "kvm", "probe kind %r" % got.get("kind"))
            filed = expect_exit(r, out, "cat /tmp/probe.json", 0)
            if filed is not None:
                got["name"] = "cli"
                r.check(filed and json.loads(filed) == got,
                        "probe -o wrote another document")
    expect_exit(r, out, "idregs kvm probe --name cli -o /tmp/probe.json", 0)

    # (b) lowered fields apply
    expect_exit(r, out, "idregs kvm check /model-ok.json", 0, "each read back as written")
    expect_exit(r, out, "idregs kvm check /model-ok-isar0.json", 0,
                "1 register written")

    # (c) a raised field is refused, named with its field
    aes = field(hexv(judge["regs"][ISAR0]), 4)
    expect_exit(r, out, "idregs kvm check /model-raise.json", 1,
                "KVM refused %s (EINVAL" % ISAR0, "had    %s" % judge["regs"][ISAR0],
                "AES ")
    stdout = expect_exit(r, out, "idregs kvm check --json /model-raise.json", 1)
    if stdout is not None:
        try:
            j = json.loads(stdout)
            ref = j["refused"]
            r.check(not j["ok"] and ref["register"] == ISAR0 and ref["errno"] == "EINVAL"
                    and [f["field"] for f in ref["fields"]] == ["AES"]
                    and ref["fields"][0]["wanted"] == "0x%x" % (aes + 1)
                    and ref["fields"][0]["had"] == "0x%x" % aes,
                    "--json refusal: %s" % stdout.strip())
        except (ValueError, KeyError, IndexError, TypeError) as e:
            r.check(False, "--json refusal unreadable (%s): %r" % (e, stdout))

    # (d) MIDR: needs KVM_CAP_ARM_WRITABLE_IMP_ID_REGS (Linux 6.15+)
    if tuple(map(int, kernel.split("."))) >= (6, 15):
        expect_exit(r, out, "idregs kvm check /model-midr.json", 0)
    else:
        expect_exit(r, out, "idregs kvm check /model-midr.json", 1,
                    "KVM refused MIDR_EL1", "Revision")

    # (e) vCPU features the host lacks: no vCPU to apply the model to
    if sorted(judge["features"]) == sorted(ALL_FEATURES):
        expect_exit(r, out, "idregs kvm check /model-features.json", 0,
                    "0 registers written")
    elif expect_exit(r, out, "idregs kvm check /model-features.json", 1) is not None:
        err = out["idregs kvm check /model-features.json"][1]
        r.check("KVM_ARM_VCPU_INIT with vCPU features pmu sve ptrauth el1_32bit: "
                "Invalid argument" in err, "vCPU refusal: stderr %r" % err)
    return r


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--idregs", default=os.path.join(HERE, "..", "build-aarch64", "idregs"),
                    help="the aarch64 idregs (make cross-aarch64)")
    ap.add_argument("--kernels", default="5.10,6.1,6.12,6.18,7.3")
    ap.add_argument("--cpus", default="max,neoverse-n1")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("-v", "--verbose", action="store_true", help="print the guest's output")
    args = ap.parse_args()
    args.idregs = os.path.abspath(args.idregs)
    if not os.access(args.idregs, os.X_OK):
        print("kvm-cli-test: no aarch64 idregs at %s (make cross-aarch64)" % args.idregs,
              file=sys.stderr)
        return 2
    runs = [(k, c) for k in args.kernels.split(",") for c in args.cpus.split(",")]
    t0 = time.monotonic()
    with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as ex:
        results = list(ex.map(lambda kc: run_one(args, *kc), runs))
    passed = failed = 0
    for r in results:
        times = ", ".join("%s %.1fs" % t for t in r.timings)
        print("kvm-cli-test: %-5s %-12s %3d passed, %d failed (%s)%s"
              % (r.kernel, r.cpu, r.passed, len(r.failures), times,
                 "; " + "; ".join(r.notes) if r.notes else ""))
        for f in r.failures:
            print("FAIL: " + f)
        passed += r.passed
        failed += len(r.failures)
    print("kvm-cli-test: %d passed, %d failed in %.0fs" % (passed, failed,
                                                           time.monotonic() - t0))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
