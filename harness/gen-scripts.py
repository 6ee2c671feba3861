#!/usr/bin/env python3
"""Seeded generator of `idregs sim` scripts for the real-KVM differential test.

    gen-scripts.py --out DIR [--seed N] [--count K] [--ops M] [--prefix P]
                   [--syntax-rate R] [--no-syntax]

Writes DIR/<P>-s<N>-<i>.sim (i = 00 .. K-1), each with about M operations
(command lines), and DIR/manifest.txt (one "file ops" line per script).
The output depends only on the arguments: the same --seed gives the same
scripts byte for byte (Python's random.Random with a string seed).

What the scripts cover (see docs/sim.md for the language):

* every encoding of the feature-ID space (op0=3, op1 0/1/3, CRn=0, CRm 0..7,
  op2 0..7), named by architectural name (random case), dotted encoding,
  generic S3_... name and raw hex id; registers come out of a shuffled bag
  that holds every encoding (RAZ, hidden, unallocated, no-descriptor) plus
  extra copies of the writable ones, so every encoding is hit;
* malformed ids: wrong size (U8..U2048), wrong arch byte, stray bits in
  bits 16..63 (coproc, the gap above it, the 32..51 gap, size, arch), and
  for `get` only, stray bits inside the encoding; non-ID registers (SCTLR_EL1,
  CSSELR_EL1, core, firmware, demux ids) rarely, since `idregs sim` prints
  UNMODELED for them and the comparison skips those lines;
* `vm` with every combination of pmu / sve / ptrauth / el1_32bit (a global
  shuffled cycle of the 16 combinations guarantees all of them once the
  scripts hold 16+ VMs), extra `vcpu`s with the same or different features,
  vcpu=K on every per-vCPU command (usable, unusable and junk indices);
* field writes: setfield at shifts 0, 4, .., 60 (sometimes odd shifts) with
  0, 1, 2, 3, 0xF, random nibbles and out-of-range values; "ladders" of
  consecutive values up or down one field (so every field is lowered and
  raised relative to whatever the host has, without knowing the host);
  set of 0, all-ones, random 64-bit values, structured CLIDR/MPIDR values;
  rewrite, including windows of consecutive encodings; masks; dump;
* interplay sequences: CTR_EL0.IDC/DIC then CLIDR_EL1 writes and a new
  vCPU's CLIDR; PMUVer vs PerfMon; GIC fields then run; MPIDR/CLIDR per
  vCPU; a VM-scoped write read through another (or a newer) vCPU; PFR0
  EL0..EL3/FP/AdvSIMD; SVE/ptrauth fields; MMFR0 granules; MIDR/REVIDR/AIDR;
  a fresh `vm` forgetting the previous VM's writes;
* `run` on the VM's vCPUs (which fails with EINVAL on pmu vCPUs), then
  more writes (EBUSY vs identical value), more `vcpu`s after the run;
* several `vm` per script, commands before the first `vm` (NO_VM);
* rarely (--syntax-rate, default 0.01) lexical edge cases where docs/sim.md
  leaves a choice to the implementations (signs, padding, case, missing
  arguments, comments, tabs); mismatches there are CLI parser divergences
  from kvmsim rather than KVM behaviour. --no-syntax turns them off.
"""
import argparse
import os
import random
import sys

SYSREG_BASE = 0x6030000000130000

# KVM_ARM_FEATURE_ID_RANGE_IDX order: op1 0, 1, 3 -> 0, 1, 2
NAMES = {
    (0, 0, 0): "MIDR_EL1", (0, 0, 5): "MPIDR_EL1", (0, 0, 6): "REVIDR_EL1",
    (0, 1, 0): "ID_PFR0_EL1", (0, 1, 1): "ID_PFR1_EL1", (0, 1, 2): "ID_DFR0_EL1",
    (0, 1, 3): "ID_AFR0_EL1", (0, 1, 4): "ID_MMFR0_EL1", (0, 1, 5): "ID_MMFR1_EL1",
    (0, 1, 6): "ID_MMFR2_EL1", (0, 1, 7): "ID_MMFR3_EL1",
    (0, 2, 0): "ID_ISAR0_EL1", (0, 2, 1): "ID_ISAR1_EL1", (0, 2, 2): "ID_ISAR2_EL1",
    (0, 2, 3): "ID_ISAR3_EL1", (0, 2, 4): "ID_ISAR4_EL1", (0, 2, 5): "ID_ISAR5_EL1",
    (0, 2, 6): "ID_MMFR4_EL1", (0, 2, 7): "ID_ISAR6_EL1",
    (0, 3, 0): "MVFR0_EL1", (0, 3, 1): "MVFR1_EL1", (0, 3, 2): "MVFR2_EL1",
    (0, 3, 4): "ID_PFR2_EL1", (0, 3, 5): "ID_DFR1_EL1", (0, 3, 6): "ID_MMFR5_EL1",
    (0, 4, 0): "ID_AA64PFR0_EL1", (0, 4, 1): "ID_AA64PFR1_EL1",
    (0, 4, 2): "ID_AA64PFR2_EL1", (0, 4, 4): "ID_AA64ZFR0_EL1",
    (0, 4, 5): "ID_AA64SMFR0_EL1", (0, 4, 7): "ID_AA64FPFR0_EL1",
    (0, 5, 0): "ID_AA64DFR0_EL1", (0, 5, 1): "ID_AA64DFR1_EL1",
    (0, 5, 2): "ID_AA64DFR2_EL1", (0, 5, 4): "ID_AA64AFR0_EL1",
    (0, 5, 5): "ID_AA64AFR1_EL1",
    (0, 6, 0): "ID_AA64ISAR0_EL1", (0, 6, 1): "ID_AA64ISAR1_EL1",
    (0, 6, 2): "ID_AA64ISAR2_EL1", (0, 6, 3): "ID_AA64ISAR3_EL1",
    (0, 7, 0): "ID_AA64MMFR0_EL1", (0, 7, 1): "ID_AA64MMFR1_EL1",
    (0, 7, 2): "ID_AA64MMFR2_EL1", (0, 7, 3): "ID_AA64MMFR3_EL1",
    (0, 7, 4): "ID_AA64MMFR4_EL1",
    (1, 0, 0): "CCSIDR_EL1", (1, 0, 1): "CLIDR_EL1", (1, 0, 2): "CCSIDR2_EL1",
    (1, 0, 4): "GMID_EL1", (1, 0, 6): "SMIDR_EL1", (1, 0, 7): "AIDR_EL1",
    (3, 0, 1): "CTR_EL0", (3, 0, 7): "DCZID_EL0",
}

SPACE = [(op1, crm, op2) for op1 in (0, 1, 3) for crm in range(8) for op2 in range(8)]
# registers with writable state worth more weight: the allocated CRm 1..7
# block, CRm 0 (MIDR, MPIDR, REVIDR) and the op1=1/3 ones KVM describes
HOT = [e for e in SPACE if e in NAMES and e not in
       ((1, 0, 0), (1, 0, 2), (1, 0, 4), (1, 0, 6), (3, 0, 7))]
HOTTER = [(0, 4, 0), (0, 4, 1), (0, 5, 0), (0, 6, 0), (0, 6, 1), (0, 6, 2),
          (0, 7, 0), (0, 7, 1), (0, 7, 2), (0, 1, 0), (0, 1, 1), (0, 1, 2),
          (0, 2, 0), (0, 3, 0), (0, 3, 1), (0, 4, 4), (3, 0, 1), (1, 0, 1),
          (0, 0, 5), (0, 0, 0), (0, 7, 3), (0, 4, 2), (0, 5, 1)]

FEATURES = ["pmu", "sve", "ptrauth", "el1_32bit"]
COMBOS = [[f for i, f in enumerate(FEATURES) if m >> i & 1] for m in range(16)]
# what plain VMMs ask for; sve and ptrauth only exist on -cpu max, so they
# are rarer (a VM whose first vCPU fails makes the rest of its body NO_VCPU)
COMMON = [[], [], [], [], ["pmu"], ["pmu"], ["el1_32bit"], ["pmu", "el1_32bit"],
          ["sve"], ["ptrauth"], ["pmu", "sve", "ptrauth"]]

# non-ID registers and other register classes (UNMODELED in idregs sim)
NON_ID = [
    ("0x603000000013c080", True),   # SCTLR_EL1: get/rewrite only
    ("3.0.1.0.0", True),            # SCTLR_EL1 dotted
    ("0x603000000013d000", False),  # CSSELR_EL1
    ("3.2.0.0.0", False),           # CSSELR_EL1 dotted
    ("S3_0_C2_C0_2", True),         # TCR_EL1
    ("0x6030000000100040", True),   # core: PC
    ("0x6030000000140000", True),   # firmware: PSCI version
    ("0x6020000000110000", True),   # demux: CCSIDR of level 0
    ("3.0.0.8.0", True),            # CRm 8: outside the space
    ("3.4.0.0.0", True),            # VPIDR_EL2
    ("2.0.0.0.4", True),            # DBGBVR0_EL1
]


def sysreg_id(op1, crm, op2, op0=3, crn=0):
    return SYSREG_BASE | op0 << 14 | op1 << 11 | crn << 7 | crm << 3 | op2


class Gen:
    def __init__(self, seed, syntax_rate):
        self.r = random.Random(f"idregs-gen:{seed}")
        self.syntax_rate = syntax_rate
        self.bag = []
        self.combo_cycle = []

    # -- registers -------------------------------------------------------
    def pick_enc(self):
        if not self.bag:
            self.bag = SPACE + HOT * 2 + HOTTER * 4
            self.r.shuffle(self.bag)
        return self.bag.pop()

    def case(self, s):
        k = self.r.random()
        if k < 0.7:
            return s
        if k < 0.85:
            return s.lower()
        return "".join(c.lower() if self.r.random() < 0.5 else c for c in s)

    def reg_token(self, enc):
        op1, crm, op2 = enc
        k = self.r.random()
        if enc in NAMES and k < 0.5:
            return self.case(NAMES[enc])
        if k < 0.7:
            return f"3.{op1}.0.{crm}.{op2}"
        if k < 0.8:
            return self.r.choice("Ss") + f"3_{op1}_" + self.r.choice("Cc") + "0_" + \
                self.r.choice("Cc") + f"{crm}_{op2}"
        h = f"{sysreg_id(*enc):016x}"
        if self.r.random() < 0.2:
            h = h.upper()
        return self.r.choice(["0x"] * 5 + ["0X"]) + h

    def malformed_id(self, allow_low):
        """A ONE_REG id of a space register with something wrong."""
        enc = self.pick_enc()
        base = sysreg_id(*enc)
        k = self.r.random()
        if k < 0.35:        # wrong size
            size = self.r.choice([0, 1, 2, 2, 2, 4, 4, 4, 5, 6, 7, 8])
            v = base & ~(0xf << 52) | size << 52
        elif k < 0.5:       # wrong arch byte
            arch = self.r.choice([0x00, 0x20, 0x40, 0x50, 0x70, 0x80, 0xff, 0x61])
            v = base & ~(0xff << 56) | arch << 56
        else:               # stray bits
            if allow_low and self.r.random() < 0.15:
                pos = self.r.choice([7, 8, 9, 10, 11, 12, 13, 14, 15])
            else:
                pos = self.r.choice(list(range(16, 32)) * 2 + list(range(32, 64)))
            v = base ^ (1 << pos)
            if self.r.random() < 0.2:   # two stray bits
                v ^= 1 << self.r.choice(range(16, 64))
        return f"0x{v:016x}"

    # -- values ----------------------------------------------------------
    def nibble(self):
        k = self.r.random()
        if k < 0.18:
            return "0"
        if k < 0.33:
            return "1"
        if k < 0.45:
            return "2"
        if k < 0.53:
            return "3"
        if k < 0.66:
            return self.r.choice(["0xf", "15", "0xF", "017"])
        if k < 0.93:
            return str(self.r.randrange(16))
        if k < 0.97:
            return hex(self.r.randrange(16, 256))      # & 0xf
        return "-1"                                    # & 0xf = 0xf

    def shift(self):
        if self.r.random() < 0.93:
            return str(4 * self.r.randrange(16))
        return str(self.r.choice([1, 2, 3, 30, 57, 58, 59, 60]))

    def value64(self, enc):
        k = self.r.random()
        if enc == (1, 0, 1) and k < 0.6:    # CLIDR: structured
            ctype = 0
            for lvl in range(self.r.randrange(0, 4)):
                ctype |= self.r.choice([1, 2, 3, 4, 4]) << (3 * lvl)
            v = ctype | self.r.randrange(8) << 21 | self.r.randrange(8) << 24 | \
                self.r.randrange(8) << 27
            if self.r.random() < 0.3:
                v |= self.r.randrange(8) << 30       # ICB
            if self.r.random() < 0.2:
                v |= self.r.randrange(4) << 33       # Ttype1
            if self.r.random() < 0.1:
                v |= 1 << self.r.randrange(47, 64)   # RES0
            return hex(v)
        if enc == (0, 0, 5) and k < 0.6:    # MPIDR
            return hex(self.r.choice([0x80000000, 0x80000001, 0, 0x81000000,
                                      self.r.getrandbits(64),
                                      0x80000000 | self.r.getrandbits(24)]))
        if k < 0.2:
            return self.r.choice(["0", "0x0", "00"])
        if k < 0.3:
            return self.r.choice(["0xffffffffffffffff", "-1", "18446744073709551615"])
        if k < 0.6:
            return hex(self.r.getrandbits(64))
        if k < 0.75:        # small nibbles everywhere
            v = 0
            for i in range(16):
                v |= self.r.choice([0, 0, 0, 1, 1, 2]) << (4 * i)
            return hex(v)
        if k < 0.85:        # one field set, rest zero
            return hex(self.r.randrange(1, 16) << (4 * self.r.randrange(16)))
        if k < 0.92:
            return str(self.r.getrandbits(self.r.choice([8, 16, 32])))
        return hex(self.r.getrandbits(32))

    # -- vCPU selection --------------------------------------------------
    def vcpu_tok(self, nvcpu):
        """'' (vCPU 0) or ' vcpu=K'; K mostly a vCPU that should exist."""
        k = self.r.random()
        if k < 0.55:
            return ""
        if k < 0.92:
            return f" vcpu={self.r.randrange(max(nvcpu, 1))}"
        return f" vcpu={self.r.choice([nvcpu, nvcpu + 1, 7, 64, 511, 512])}"

    def place_vcpu(self, line, vtok):
        """vcpu=K usually at the end, sometimes first or in the middle."""
        if not vtok:
            return line
        toks = line.split()
        k = self.r.random()
        if k < 0.8:
            return line + vtok
        if k < 0.9:
            return vtok.strip() + " " + line
        pos = self.r.randrange(1, len(toks) + 1)
        return " ".join(toks[:pos] + [vtok.strip()] + toks[pos:])

    def features(self, words):
        w = list(words)
        self.r.shuffle(w)
        if self.r.random() < 0.05:
            w.insert(self.r.randrange(len(w) + 1), self.r.choice(["gic", "foo", "el2", "PMU"]))
        if w and self.r.random() < 0.05:
            w.append(self.r.choice(w))      # duplicate
        return (" " + " ".join(w)) if w else ""

    def vm_combo(self):
        if self.r.random() < 0.5:
            if not self.combo_cycle:
                self.combo_cycle = list(range(16))
                self.r.shuffle(self.combo_cycle)
            return COMBOS[self.combo_cycle.pop()]
        return self.r.choice(COMMON)

    # -- operations --------------------------------------------------------
    def access(self, nvcpu):
        """One get/set/setfield/rewrite line, or a ladder (several)."""
        enc = self.pick_enc()
        reg = self.reg_token(enc)
        v = self.vcpu_tok(nvcpu)
        k = self.r.random()
        if k < 0.12:
            return [self.place_vcpu(f"get {reg}", v)]
        if k < 0.45:
            return [self.place_vcpu(f"setfield {reg} {self.shift()} {self.nibble()}", v)]
        if k < 0.58:        # ladder: one field walked up or down
            sh = self.shift() if self.r.random() < 0.3 else str(4 * self.r.randrange(16))
            start = self.r.randrange(16)
            step = self.r.choice([1, -1])
            n = self.r.randrange(3, 9)
            vals = [start + i * step for i in range(n) if 0 <= start + i * step <= 15]
            return [self.place_vcpu(f"setfield {reg} {sh} {x}", v) for x in vals]
        if k < 0.82:
            return [self.place_vcpu(f"set {reg} {self.value64(enc)}", v)]
        return [self.place_vcpu(f"rewrite {reg}", v)]

    def odd_reg(self, nvcpu):
        v = self.vcpu_tok(nvcpu)
        if self.r.random() < 0.8:
            reg = self.malformed_id(allow_low=True)
            cmd = self.r.choice(["get", "get", "set", "setfield", "rewrite"])
            if cmd != "get":
                # bits 0..15 flipped name another system register: read only
                low = int(reg, 16) & 0xffff
                if not any(low == sysreg_id(*e) & 0xffff for e in SPACE):
                    cmd = "get"
        else:
            reg, ro = self.r.choice(NON_ID)
            cmd = "get" if ro else self.r.choice(["get", "set", "rewrite"])
            if ro and self.r.random() < 0.3:
                cmd = "rewrite"
        if cmd == "set":
            line = f"set {reg} {self.value64(None)}"
        elif cmd == "setfield":
            line = f"setfield {reg} {self.shift()} {self.nibble()}"
        else:
            line = f"{cmd} {reg}"
        return [self.place_vcpu(line, v)]

    def syntax(self, nvcpu):
        """Lexical edge cases (docs/sim.md leaves the choice to kvmsim)."""
        enc = self.pick_enc()
        op1, crm, op2 = enc
        name = NAMES.get(enc, f"S3_{op1}_C0_C{crm}_{op2}")
        cases = [
            f"get 3.{op1}.0.{crm}.{op2}.",
            f"get 3.{op1}.0.{crm}",
            f"get 3.{op1}.0.0{crm}.{op2}",
            f"get 3.{op1}.0.+{crm}.{op2}",
            f"get 3.{op1}.0.0000000{crm}.{op2}",
            f"get 3.{op1}.0.{crm + 16}.{op2}",
            f"get S3_{op1}_CC0_C{crm}_{op2}",
            f"get S03_{op1}_C0_C{crm}_{op2}",
            f"get s3_{op1}_c0_c{crm}_{op2}x",
            f"get {name}x",
            f"get 0x{sysreg_id(*enc):017x}",
            f"get 0x{sysreg_id(*enc) & 0xffffffff:x}",
            "get 0x",
            "get",
            "set",
            f"set {name}",
            f"set {name} 0x",
            f"set {name} +0",
            f"set {name} 08",
            f"set {name} 1e3",
            f"set {name} 18446744073709551616",
            f"set {name} -0x1",
            f"setfield {name}",
            f"setfield {name} 4",
            f"setfield {name} 61 1",
            f"setfield {name} 64 0",
            f"setfield {name} -4 0",
            f"setfield {name} 0x3c 0",
            f"setfield {name} 4.0 1",
            f"setfield {name} 4 zz",
            f"rewrite {name} extra args",
            f"get {name} # trailing comment",
            f"\tget\t{name}\t",
            f"   # indented comment",
            "#get " + name,
            f"GET {name}",
            "frob",
            "vcpu=1",
            f"get {name} vcpu=",
            f"get {name} vcpu=x",
            f"get {name} vcpu=-1",
            f"get {name} vcpu=01",
            f"get {name} vcpu=+0",
            f"get {name} vcpu=-0",
            f"get {name} vcpu=513",
            f"get {name} vcpu=1 vcpu=0",
            f"dump vcpu={max(nvcpu, 1) + 3}",
            f"run vcpu={max(nvcpu, 1) + 2}",
            f"masks extra",
            "",
        ]
        return [self.r.choice(cases)]

    def interplay(self, nvcpu, combo):
        """Short sequences across registers and vCPUs (state that one write
        leaves for another register, a later vCPU or a later run)."""
        r = self.r
        b = lambda: r.choice(["0", "1"])
        k = r.randrange(10)
        if k == 0:      # CTR_EL0.IDC/DIC vs CLIDR_EL1 writes and resets
            out = [f"setfield CTR_EL0 28 {b()}", f"setfield CTR_EL0 29 {b()}",
                   f"set CLIDR_EL1 {self.value64((1, 0, 1))}", "get CLIDR_EL1",
                   "vcpu" + self.features(combo), f"get CLIDR_EL1 vcpu={nvcpu}",
                   f"rewrite CLIDR_EL1 vcpu={nvcpu}"]
            return out, 1
        if k == 1:      # the PMU version seen through both views, every value
            if r.random() < 0.3:    # a walk of one field through all 16 values
                reg, sh = r.choice([("ID_AA64DFR0_EL1", 8), ("ID_DFR0_EL1", 24)])
                vals = list(range(16)) if r.random() < 0.5 else list(range(15, -1, -1))
                return [f"setfield {reg} {sh} {x}" for x in vals] + \
                       [f"get {reg}", "get ID_DFR0_EL1" if sh == 8 else "get ID_AA64DFR0_EL1"], 0
            return [f"setfield ID_AA64DFR0_EL1 8 {r.randrange(16)}",
                    "get ID_DFR0_EL1",
                    f"setfield ID_DFR0_EL1 24 {r.randrange(16)}",
                    "get ID_AA64DFR0_EL1", "rewrite ID_AA64DFR0_EL1",
                    "rewrite ID_DFR0_EL1"], 0
        if k == 2:      # GIC fields written, then a run
            return [f"setfield ID_AA64PFR0_EL1 24 {r.choice(['0', '1', '3'])}",
                    f"setfield ID_PFR1_EL1 28 {r.choice(['0', '1'])}",
                    self.place_vcpu("run", self.vcpu_tok(nvcpu)),
                    "get ID_AA64PFR0_EL1", "get ID_PFR1_EL1",
                    "rewrite ID_AA64PFR0_EL1", "rewrite ID_PFR1_EL1"], 0
        if k == 3:      # per-vCPU registers through several vCPUs
            v = r.randrange(max(nvcpu, 1))
            return [f"set MPIDR_EL1 {self.value64((0, 0, 5))} vcpu={v}",
                    f"set CLIDR_EL1 {self.value64((1, 0, 1))} vcpu={v}",
                    "get MPIDR_EL1", "get CLIDR_EL1", f"dump vcpu={v}"], 0
        if k == 4:      # a VM-scoped write seen through another vCPU
            enc = r.choice(HOTTER)
            reg = self.reg_token(enc)
            return [f"setfield {reg} {self.shift()} {self.nibble()} vcpu={r.randrange(max(nvcpu, 1))}",
                    f"get {reg} vcpu={r.randrange(max(nvcpu, 1))}",
                    "vcpu" + self.features(combo), f"get {reg} vcpu={nvcpu}"], 1
        if k == 5:      # AArch32/AArch64 EL0..EL3 support fields
            return [f"setfield ID_AA64PFR0_EL1 {r.choice([0, 4, 8, 12])} {r.choice(['0', '1', '2', '3'])}",
                    f"setfield ID_AA64PFR0_EL1 {r.choice([16, 20])} {r.choice(['0', '1', '0xf'])}",
                    "get ID_AA64PFR0_EL1", "rewrite ID_PFR0_EL1", "rewrite MVFR0_EL1"], 0
        if k == 6:      # feature-dependent registers: SVE, ptrauth
            return [f"setfield ID_AA64PFR0_EL1 32 {r.choice(['0', '1', '2'])}",
                    f"setfield ID_AA64ZFR0_EL1 {4 * r.randrange(16)} {self.nibble()}",
                    f"setfield ID_AA64ISAR1_EL1 {r.choice([4, 8, 24, 28])} {r.choice(['0', '1', '3', '5'])}",
                    f"setfield ID_AA64ISAR2_EL1 {r.choice([8, 12])} {r.choice(['0', '1', '3'])}",
                    "get ID_AA64ISAR1_EL1", "get ID_AA64ZFR0_EL1"], 0
        if k == 7:      # granule sizes and PA range (signed and odd fields)
            return [f"setfield ID_AA64MMFR0_EL1 {r.choice([0, 20, 24, 28, 32, 36, 40])} "
                    f"{r.choice(['0', '1', '2', '0xf', '3'])}" for _ in range(r.randrange(2, 5))] + \
                   ["get ID_AA64MMFR0_EL1"], 0
        if k == 8:      # implementation registers: identical value vs another
            reg = r.choice(["MIDR_EL1", "REVIDR_EL1", "AIDR_EL1"])
            return [f"rewrite {reg}", f"setfield {reg} {4 * r.randrange(8)} {self.nibble()}",
                    f"set {reg} {self.value64(None)}", f"get {reg}"], 0
        # k == 9: a fresh VM forgets the previous one's writes
        enc = r.choice(HOTTER)
        reg = self.reg_token(enc)
        return [f"setfield {reg} {self.shift()} {self.nibble()}",
                "vm" + self.features(combo), f"get {reg}"], "vm"

    def op(self, nvcpu, ran):
        """One step of a VM's body; returns (lines, kind)."""
        k = self.r.random()
        if k < self.syntax_rate:
            return self.syntax(nvcpu), "syntax"
        k = self.r.random()
        if k < 0.72:
            return self.access(nvcpu), "access"
        if k < 0.77:
            return self.odd_reg(nvcpu), "odd"
        if k < 0.80:        # rewrite window of consecutive encodings
            i = self.r.randrange(len(SPACE))
            n = self.r.randrange(6, 20)
            v = self.vcpu_tok(nvcpu)
            return [self.place_vcpu(f"rewrite {self.reg_token(e)}", v)
                    for e in SPACE[i:i + n]], "access"
        if k < 0.83:
            return [self.place_vcpu("get MPIDR_EL1", self.vcpu_tok(nvcpu))], "access"
        if k < 0.85:
            return ["masks"], "masks"
        if k < 0.875:
            return [self.place_vcpu("dump", self.vcpu_tok(nvcpu))], "dump"
        if k < 0.91:
            return [self.place_vcpu("run", self.vcpu_tok(nvcpu))], "run"
        if k < 0.96:
            return None, "interplay"
        return None, "vcpu"

    def episode(self, budget):
        """vm + vcpus + body; returns lines (about budget operations)."""
        combo = self.vm_combo()
        if "sve" in combo or "ptrauth" in combo:
            budget = min(budget, 40)    # refused on hosts without them
        lines = ["vm" + self.features(combo)]
        nvcpu = 1
        for _ in range(self.r.choice([0, 0, 1, 1, 2, 3])):
            lines.append(self.vcpu_line(combo))
            nvcpu += 1
        ran = False
        ops = len(lines)
        while ops < budget:
            got, kind = self.op(nvcpu, ran)
            if kind == "vcpu":
                got = [self.vcpu_line(combo)]
                nvcpu += 1
            elif kind == "interplay":
                got, added = self.interplay(nvcpu, combo)
                if added == "vm":       # the body goes on in a fresh VM
                    nvcpu = 1
                    ran = False
                else:
                    nvcpu += added
                ran = ran or any(x.split()[:1] == ["run"] or " run" in x for x in got)
            elif kind == "run":
                ran = True
            lines += got
            ops += len(got)
        if not ran and self.r.random() < 0.5:
            # make sure most VMs see writes after a run
            lines.append(self.place_vcpu("run", self.vcpu_tok(nvcpu)))
            for _ in range(self.r.randrange(3, 10)):
                lines += self.access(nvcpu)
        return lines

    def vcpu_line(self, combo):
        k = self.r.random()
        if k < 0.7:
            return "vcpu" + self.features(combo)
        return "vcpu" + self.features(self.r.choice(COMBOS))

    def script(self, ops, header):
        lines = list(header)
        if self.r.random() < 0.3:       # before the first vm: NO_VM
            for _ in range(self.r.randrange(1, 4)):
                lines.append(self.r.choice(["get ID_AA64PFR0_EL1", "masks", "dump",
                                            "run", "vcpu", "set MIDR_EL1 0",
                                            "rewrite 3.0.0.4.1 vcpu=1"]))
        while count_ops(lines) < ops:
            budget = self.r.choice([15, 30, 45, 60, 80, 100])
            budget = min(budget, max(ops - count_ops(lines), 10))
            lines += self.episode(budget)
        return lines


def count_ops(lines):
    """Command lines: not blank, not a comment (what produces output)."""
    n = 0
    for line in lines:
        s = line.strip(" \t\r\n")
        if s and not s.startswith("#"):
            n += 1
    return n


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", required=True, help="output directory (created)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--count", type=int, default=8, help="scripts (default 8)")
    ap.add_argument("--ops", type=int, default=300, help="operations per script (default 300)")
    ap.add_argument("--prefix", default="gen")
    ap.add_argument("--syntax-rate", type=float, default=0.01)
    ap.add_argument("--no-syntax", action="store_true")
    args = ap.parse_args()
    if args.count < 1 or args.ops < 10:
        ap.error("--count must be >= 1 and --ops >= 10")
    os.makedirs(args.out, exist_ok=True)
    g = Gen(args.seed, 0.0 if args.no_syntax else args.syntax_rate)
    manifest, total = [], 0
    for i in range(args.count):
        name = f"{args.prefix}-s{args.seed}-{i:02d}.sim"
        header = [f"# generated: harness/gen-scripts.py --seed {args.seed} "
                  f"--count {args.count} --ops {args.ops}"
                  f"{' --no-syntax' if args.no_syntax else ''} (script {i})"]
        lines = g.script(args.ops, header)
        with open(os.path.join(args.out, name), "w") as fh:
            fh.write("\n".join(lines) + "\n")
        n = count_ops(lines)
        manifest.append(f"{name} {n}")
        total += n
    with open(os.path.join(args.out, "manifest.txt"), "w") as fh:
        fh.write("\n".join(manifest) + f"\ntotal {total}\n")
    print(f"gen-scripts: {args.count} scripts, {total} operations in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
