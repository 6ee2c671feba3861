#!/usr/bin/env python3
"""Check the built-in host profiles (data/cpus/*.json) against the
idregs-host/1 "raw" format described in docs/formats.md.

Usage: tools/check-cpus.py [FILE_OR_DIR ...]   (default: data/cpus)

Prints one line per profile and exits non-zero if any profile is invalid.
"""
import json
import os
import re
import sys

HEX_RE = re.compile(r"^0x[0-9a-fA-F]+$")
# Architectural name (e.g. ID_AA64PFR0_EL1, CTR_EL0) or generic encoding name.
REG_RE = re.compile(r"^(?:[A-Z][A-Z0-9_]*_EL[0-3]|S3_[0-7]_C([0-9]|1[0-5])_C([0-9]|1[0-5])_[0-7])$")
MODES = ("vhe", "nvhe")


def check(path):
    """Return (summary, errors) for one profile file."""
    errs = []
    try:
        with open(path) as f:
            doc = json.load(f)
    except (OSError, ValueError) as e:
        return None, [f"cannot load: {e}"]
    if not isinstance(doc, dict):
        return None, ["top level is not a JSON object"]

    if doc.get("format") != "idregs-host/1":
        errs.append(f"format is {doc.get('format')!r}, expected 'idregs-host/1'")
    if doc.get("kind") != "raw":
        errs.append(f"kind is {doc.get('kind')!r}, expected 'raw'")
    if doc.get("mode") not in MODES:
        errs.append(f"mode is {doc.get('mode')!r}, expected one of {'|'.join(MODES)}")
    base = os.path.splitext(os.path.basename(path))[0]
    if doc.get("name") != base:
        errs.append(f"name is {doc.get('name')!r}, expected file base name {base!r}")
    if not isinstance(doc.get("description"), str) or not doc["description"].strip():
        errs.append("description missing or empty")

    cpus = doc.get("cpus")
    nregs = []
    midrs = []
    if not isinstance(cpus, list) or not cpus:
        errs.append("cpus must be a non-empty list")
        cpus = []
    for i, cpu in enumerate(cpus):
        if not isinstance(cpu, dict) or not cpu:
            errs.append(f"cpus[{i}] must be a non-empty object")
            continue
        for reg, val in cpu.items():
            where = f"cpus[{i}].{reg}"
            if not REG_RE.match(reg):
                errs.append(f"{where}: not a register name")
            if not isinstance(val, str) or not HEX_RE.match(val):
                errs.append(f"{where}: value {val!r} is not a 0x-prefixed hex string")
                continue
            if int(val, 16) >> 64:
                errs.append(f"{where}: value {val} does not fit in 64 bits")
        nregs.append(len(cpu))
        midrs.append(cpu.get("MIDR_EL1", "?"))

    summary = (f"{doc.get('name')}: mode={doc.get('mode')} cpus={len(cpus)} "
               f"regs={'/'.join(map(str, nregs))} midr={','.join(midrs)}")
    return summary, errs


def main(argv):
    here = os.path.dirname(os.path.abspath(__file__))
    args = argv or [os.path.join(here, "..", "data", "cpus")]
    files = []
    for a in args:
        if os.path.isdir(a):
            files += sorted(os.path.join(a, n) for n in os.listdir(a) if n.endswith(".json"))
        else:
            files.append(a)
    if not files:
        print("check-cpus: no profiles found", file=sys.stderr)
        return 1
    bad = 0
    for path in files:
        summary, errs = check(path)
        if errs:
            bad += 1
            print(f"FAIL {os.path.basename(path)}: {summary or ''}")
            for e in errs:
                print(f"     {e}")
        else:
            print(f"ok   {summary}")
    print(f"{len(files) - bad}/{len(files)} profiles valid")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
