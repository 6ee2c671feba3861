#!/usr/bin/env python3
"""Generate N kind-kvm host profiles (idregs-host/1) for the fleet benchmark.

    gen_hosts.py --count N --out DIR [--template PROFILE] [--seed S]

Each host is the template (by default harness/results/7.3-max-probe.json, a
real KVM 7.3 probe) with up to three writable, lower-safe fields lowered at
random: ID_AA64ISAR0_EL1 and ID_AA64ISAR1_EL1 feature fields and
ID_AA64MMFR0_EL1.PARANGE, as hosts of one CPU family with firmware or
errata differences would be. Fields no VMM can change are never varied, so
a strict baseline of any subset exists. The output depends only on the
arguments. DIR/.stamp records them: a second run with the same arguments
does nothing (the 100,000-host set takes a few seconds to write).
"""
import argparse
import json
import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_TEMPLATE = os.path.join(HERE, "..", "harness", "results", "7.3-max-probe.json")

# register -> the nibbles that may be lowered (None: every writable nibble
# whose value is non-zero)
VARY = {
    "ID_AA64ISAR0_EL1": None,
    "ID_AA64ISAR1_EL1": None,
    "ID_AA64MMFR0_EL1": [0],		# PARANGE
}
SENTINEL = "@@{}@@"


def candidates(doc):
    """(register, shift) pairs that can be lowered by at least one."""
    out = []
    for reg, shifts in VARY.items():
        val = int(doc["regs"][reg], 16)
        mask = int(doc["masks"].get(reg, "0x0"), 16)
        for shift in range(0, 64, 4) if shifts is None else shifts:
            nib = (val >> shift) & 0xF
            if (mask >> shift) & 0xF == 0xF and 0 < nib < 8:
                out.append((reg, shift))
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--count", type=int, required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--template", default=DEFAULT_TEMPLATE)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()

    stamp = os.path.join(args.out, ".stamp")
    want = "count=%d seed=%d template=%s mtime=%d v=1\n" % (
        args.count, args.seed, os.path.abspath(args.template),
        int(os.stat(args.template).st_mtime))
    try:
        with open(stamp) as fh:
            if fh.read() == want:
                return 0
    except OSError:
        pass
    os.makedirs(args.out, exist_ok=True)
    for name in os.listdir(args.out):
        if name.endswith(".json"):
            os.unlink(os.path.join(args.out, name))

    with open(args.template) as fh:
        doc = json.load(fh)
    doc.pop("description", None)
    cands = candidates(doc)
    base = {reg: int(doc["regs"][reg], 16) for reg in VARY}
    # the text once, with sentinels where the name and the varied values go
    doc["name"] = SENTINEL.format("name")
    for reg in VARY:
        doc["regs"][reg] = SENTINEL.format(reg)
    text = json.dumps(doc, indent=2) + "\n"
    pieces, keys = [], []
    rest = text
    for key in ["name"] + list(VARY):
        tok = SENTINEL.format(key)
        head, rest = rest.split(tok, 1)
        pieces.append(head)
        keys.append(key)
    pieces.append(rest)

    rng = random.Random(args.seed)
    width = len(str(args.count - 1))
    for i in range(args.count):
        vals = dict(base)
        for reg, shift in rng.sample(cands, rng.randint(0, 3)):
            nib = (vals[reg] >> shift) & 0xF
            new = rng.randint(0, nib - 1)
            vals[reg] = (vals[reg] & ~(0xF << shift)) | (new << shift)
        name = "fleet-%0*d" % (width, i)
        parts = [pieces[0]]
        for k, key in enumerate(keys):
            parts.append(name if key == "name" else "0x%016x" % vals[key])
            parts.append(pieces[k + 1])
        fd = os.open(os.path.join(args.out, name + ".json"),
                     os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        os.write(fd, "".join(parts).encode())
        os.close(fd)
    with open(stamp, "w") as fh:
        fh.write(want)
    return 0


if __name__ == "__main__":
    sys.exit(main())
