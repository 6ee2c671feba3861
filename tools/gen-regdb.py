#!/usr/bin/env python3
"""Turn the register database into the C tables of libidregs.

Usage: gen-regdb.py RELEASES_DB REGS_DB IDENTITY_DB OUT_C OUT_H

data/releases.db lists the KVM releases and their structural properties;
data/regs.db the registers, fields and KVM's rules with version ranges;
data/cpu-identity.db the CPU identity lists. OUT_H gets the generated
declarations (release count, the property struct, every field's _SHIFT,
_WIDTH and _MASK, every register's space index); OUT_C the tables. The
formats are described in docs/regdb.md. Errors name the file and line and
exit 1; outputs are written atomically so a failed run leaves no file.
"""
import os
import re
import sys
import tempfile

RULES = {"LS": "IDREGS_RULE_LOWER", "HS": "IDREGS_RULE_HIGHER",
         "HZ": "IDREGS_RULE_HIGHER_OR_ZERO", "EX": "IDREGS_RULE_EXACT"}
VIS = {"normal": "IDREGS_VIS_NORMAL", "raz": "IDREGS_VIS_RAZ",
       "aa32": "IDREGS_VIS_AA32", "sve": "IDREGS_VIS_SVE"}
VIS_TEXT = {"normal": "visible", "raz": "read-as-zero",
            "aa32": "read-as-zero and write-ignored without 32-bit EL0",
            "sve": "read-as-zero without SVE"}
HANDLERS = {"id": "IDREGS_HANDLER_ID", "imp": "IDREGS_HANDLER_IMP",
            "mpidr": "IDREGS_HANDLER_MPIDR", "clidr": "IDREGS_HANDLER_CLIDR",
            "invariant": "IDREGS_HANDLER_INVARIANT"}
HANDLER_TEXT = {"id": "a feature ID register checked field by field",
                "imp": "a VM register, writable with the writable implementation-ID capability",
                "mpidr": "per vCPU, any value",
                "clidr": "per vCPU, writable",
                "invariant": "invariant (the host's value; only that value may be written)"}
CONDS = {"sve": "IDREGS_COND_SVE", "pmu": "IDREGS_COND_PMU",
         "ptrauth": "IDREGS_COND_PTRAUTH", "mte": "IDREGS_COND_MTE",
         "host-wfxt": "IDREGS_COND_HOST_WFXT",
         "host-rasv1p1": "IDREGS_COND_HOST_RASV1P1",
         "host-gicv3": "IDREGS_COND_HOST_GICV3",
         "spectre-v2-safe": "IDREGS_COND_SPECTRE_V2_SAFE",
         "meltdown-safe": "IDREGS_COND_MELTDOWN_SAFE",
         "vgic-v3": "IDREGS_COND_VGIC_V3"}
# op name -> (C enum, argument shape)
LIMIT_OPS = {"zero": ("IDREGS_OP_ZERO", "fields"),
             "keep": ("IDREGS_OP_KEEP", "fields"),
             "zero-unless": ("IDREGS_OP_ZERO_UNLESS", "cond fields"),
             "set": ("IDREGS_OP_SET", "field value"),
             "set-if": ("IDREGS_OP_SET_IF", "cond field value"),
             "cap": ("IDREGS_OP_CAP", "field value"),
             "perfmon-cap": ("IDREGS_OP_PERFMON_CAP", "field value"),
             "pmu-cap": ("IDREGS_OP_PMU_CAP", "field value"),
             "pmuver": ("IDREGS_OP_PMUVER", "field"),
             "perfmon": ("IDREGS_OP_PERFMON", "field")}
CHECK_OPS = {"ignore-host": ("IDREGS_OP_IGNORE_HOST", "field"),
             "min": ("IDREGS_OP_MIN", "field value"),
             "min-nonzero": ("IDREGS_OP_MIN_NONZERO", "field value"),
             "map": ("IDREGS_OP_MAP", "field value value"),
             "reject": ("IDREGS_OP_REJECT", "field values"),
             "mte-frac": ("IDREGS_OP_MTE_FRAC", "field")}
# at the first KVM_RUN (run) and at vGIC creation (vgic)
RUN_OPS = {"zero-unless": ("IDREGS_OP_ZERO_UNLESS", "cond fields"),
           "set-if": ("IDREGS_OP_SET_IF", "cond field value")}
VGIC_OPS = {"set": ("IDREGS_OP_SET", "field value")}
KINDS = {"limit": ("IDREGS_OP_LIMIT", LIMIT_OPS),
         "check": ("IDREGS_OP_CHECK", CHECK_OPS),
         "run": ("IDREGS_OP_RUN", RUN_OPS),
         "vgic": ("IDREGS_OP_VGIC", VGIC_OPS)}
IDENTITY_LISTS = {"spectre-v2": "IDREGS_COND_SPECTRE_V2_SAFE",
                  "meltdown": "IDREGS_COND_MELTDOWN_SAFE"}


class DbError(Exception):
    pass


def num(tok, where):
    try:
        return int(tok, 0)
    except ValueError:
        raise DbError(f"{where}: '{tok}' is not a number")


def c_str(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def c_ident(s):
    return re.sub(r"[^A-Za-z0-9]", "_", s)


# ---- versions and ranges ------------------------------------------------

VERSION_RE = re.compile(r"^(\d+)\.(\d+)(?:\.(\d+))?$")


def parse_version(tok, where):
    m = VERSION_RE.match(tok)
    if not m:
        raise DbError(f"{where}: '{tok}' is not a version such as 6.12 or 6.12.63")
    major, minor, patch = int(m.group(1)), int(m.group(2)), m.group(3)
    return (major, minor, int(patch) if patch is not None else None)


def vkey(v):
    return (v[0], v[1], v[2] or 0)


def vstr(v):
    return f"{v[0]}.{v[1]}" + (f".{v[2]}" if v[2] is not None else "")


class Range:
    """A set of versions: a union of terms (kind, a, b)."""

    def __init__(self, text, terms):
        self.text, self.terms = text, terms

    def contains(self, v):
        for kind, a, b in self.terms:
            if kind == "all":
                return True
            if kind == "since":
                if a[2] is None:
                    if vkey(v) >= vkey(a):
                        return True
                elif v[:2] == a[:2] and vkey(v) >= vkey(a):
                    return True
            elif kind == "series":
                if v[:2] == a[:2]:
                    return True
            elif kind == "between":
                lo = a is None or vkey(v) >= vkey(a)
                hi = (v[:2] <= b[:2]) if b[2] is None else vkey(v) <= vkey(b)
                if lo and hi:
                    return True
        return False

    def bounds(self):
        """Versions at which the range can begin (each must be a release)."""
        out = []
        for kind, a, b in self.terms:
            if a is not None:
                out.append(a)
        return out


def parse_range(tok, where):
    if tok == "all":
        return Range(tok, [("all", None, None)])
    terms = []
    for t in tok.split(","):
        if t.endswith("+"):
            terms.append(("since", parse_version(t[:-1], where), None))
        elif ".." in t:
            a, _, b = t.partition("..")
            terms.append(("between", parse_version(a, where) if a else None,
                          parse_version(b, where)))
        else:
            v = parse_version(t, where)
            if v[2] is not None:
                raise DbError(f"{where}: a single point release '{t}' is not a range "
                              "(write {t}+ or A..B)")
            terms.append(("series", v, None))
    return Range(tok, terms)


# ---- releases.db ---------------------------------------------------------

class Release:
    def __init__(self, version, verified, note, where):
        self.version, self.verified, self.note, self.where = version, verified, note, where
        self.name = vstr(version)


def parse_releases(path):
    releases, props, abis = [], [], []
    with open(path, encoding="utf-8") as fh:
        for lineno, raw in enumerate(fh, 1):
            where = f"{path}:{lineno}"
            body, _, comment = raw.partition("#")
            toks = body.split()
            if not toks:
                continue
            kw, args = toks[0], toks[1:]
            if kw == "release":
                if not args or len(args) > 2:
                    raise DbError(f"{where}: release VERSION [verified=BUILD]")
                v = parse_version(args[0], where)
                verified = None
                if len(args) == 2:
                    k, _, b = args[1].partition("=")
                    if k != "verified" or not b:
                        raise DbError(f"{where}: bad release attribute '{args[1]}'")
                    verified = b
                if releases and vkey(v) <= vkey(releases[-1].version):
                    raise DbError(f"{where}: releases must be listed oldest first")
                releases.append(Release(v, verified, comment.strip(), where))
            elif kw == "prop":
                if len(args) != 2 or not re.match(r"^[a-z][a-z0-9-]*$", args[0]):
                    raise DbError(f"{where}: prop NAME RANGE")
                if any(p[0] == args[0] for p in props):
                    raise DbError(f"{where}: property {args[0]} given twice")
                props.append((args[0], parse_range(args[1], where), comment.strip(), where))
            elif kw == "abi":
                if len(args) != 3:
                    raise DbError(f"{where}: abi SERIES NUMBER VERSION")
                s, n, v = parse_version(args[0], where), num(args[1], where), \
                    parse_version(args[2], where)
                if s[2] is not None or v[:2] != s[:2]:
                    raise DbError(f"{where}: abi VERSION must be a release of SERIES")
                abis.append((s, n, v, where))
            else:
                raise DbError(f"{where}: unknown keyword '{kw}'")
    if not releases:
        raise DbError(f"{path}: no release")
    return releases, props, abis


def check_bounds(rng, releases, where):
    have = {vkey(r.version) for r in releases}
    for v in rng.bounds():
        if vkey(v) not in have:
            raise DbError(f"{where}: range '{rng.text}' starts at {vstr(v)}, "
                          "which is not a release of data/releases.db")


# ---- regs.db -------------------------------------------------------------

class Reg:
    def __init__(self, name, enc, scope, where):
        self.name, self.enc, self.scope, self.where = name, enc, scope, where
        self.fields = []      # dicts
        self.rules = []       # (range, what, args, where, text) in file order
        self.ops = []         # (range, kind, op, cond, field_index, a, b, text)
        self.generated = False
        self.host_table = None    # Range, or None: from the fields
        self.own_reset = False

    def field(self, name, where):
        for i, f in enumerate(self.fields):
            if f["name"] == name:
                return i
        raise DbError(f"{where}: {self.name} has no field {name}")


def parse_enc(tok, where):
    parts = tok.split(".")
    if len(parts) != 5:
        raise DbError(f"{where}: encoding '{tok}' is not OP0.OP1.CRN.CRM.OP2")
    op0, op1, crn, crm, op2 = (num(p, where) for p in parts)
    if not (op0 <= 3 and op1 <= 7 and crn <= 15 and crm <= 15 and op2 <= 7):
        raise DbError(f"{where}: encoding '{tok}' out of range")
    return op0 << 14 | op1 << 11 | crn << 7 | crm << 3 | op2


def parse_regs(path, releases):
    regs, reg, field, names = [], None, None, []
    with open(path, encoding="utf-8") as fh:
        for lineno, raw in enumerate(fh, 1):
            where = f"{path}:{lineno}"
            toks = raw.split("#", 1)[0].split()
            if not toks:
                continue
            kw, args = toks[0], toks[1:]
            if kw == "name":
                if len(args) != 2:
                    raise DbError(f"{where}: name NAME ENCODING")
                names.append((args[0], parse_enc(args[1], where)))
                reg, field = None, None
                continue
            if kw == "reg":
                if len(args) < 2:
                    raise DbError(f"{where}: reg NAME ENCODING [scope=] [host-table=RANGE] [own-reset]")
                reg = Reg(args[0], parse_enc(args[1], where), "vm", where)
                for a in args[2:]:
                    k, _, v = a.partition("=")
                    if a == "own-reset":
                        reg.own_reset = True
                    elif k == "host-table":
                        reg.host_table = parse_range(v, where)
                        check_bounds(reg.host_table, releases, where)
                    elif k == "scope" and v in ("vm", "vcpu"):
                        reg.scope = v
                    else:
                        raise DbError(f"{where}: bad reg attribute '{a}'")
                regs.append(reg)
                field = None
            elif reg is None:
                raise DbError(f"{where}: '{kw}' outside a reg block")
            elif kw == "field":
                field = parse_field(args, where, releases)
                reg.fields.append(field)
            elif kw == "=":
                if field is None or len(args) != 2:
                    raise DbError(f"{where}: '= VALUE NAME' must follow a field")
                v = num(args[0], where)
                if v >= 1 << field["width"]:
                    raise DbError(f"{where}: value {args[0]} does not fit {field['name']}")
                field["enums"].append((v, args[1]))
            elif kw in ("res0", "res1"):
                field = None
            elif kw == "kvm":
                if len(args) < 2:
                    raise DbError(f"{where}: kvm RANGE WHAT ...")
                rng = parse_range(args[0], where)
                check_bounds(rng, releases, where)
                text = " ".join(args[1:])
                reg.rules.append((rng, args[1], args[2:], where, text))
            else:
                raise DbError(f"{where}: unknown keyword '{kw}'")
    return regs, names


def parse_field(args, where, releases):
    if len(args) < 2:
        raise DbError(f"{where}: field NAME HI:LO ...")
    hi, _, lo = args[1].partition(":")
    hi = num(hi, where)
    lo = num(lo, where) if lo else hi
    if not (0 <= lo <= hi <= 63):
        raise DbError(f"{where}: bits {args[1]} outside 63:0")
    if not re.match(r"^[A-Za-z][A-Za-z0-9_]*$", args[0]):
        raise DbError(f"{where}: field name '{args[0]}' is not an identifier")
    f = {"name": args[0], "shift": lo, "width": hi - lo + 1,
         "signed": False, "host": None, "safe": 0, "strict": True,
         "el0": False, "kvm": None, "host_range": Range("all", [("all", None, None)]),
         "unsigned_range": Range("none", []),
         "enums": []}
    for a in args[2:]:
        k, _, v = a.partition("=")
        if a == "signed":
            f["signed"] = True
        elif a == "nonstrict":
            f["strict"] = False
        elif a == "el0":
            f["el0"] = True
        elif k == "host" and v in RULES:
            f["host"] = v
        elif k == "kvm" and v == "LS":
            f["kvm"] = v
        elif k == "safe":
            f["safe"] = num(v, where)
        elif k == "host-kernels":
            f["host_range"] = parse_range(v, where)
            check_bounds(f["host_range"], releases, where)
        elif k == "unsigned":
            f["unsigned_range"] = parse_range(v, where)
            check_bounds(f["unsigned_range"], releases, where)
        else:
            raise DbError(f"{where}: bad field attribute '{a}'")
    if f["safe"] >= 1 << f["width"]:
        raise DbError(f"{where}: safe value does not fit the field")
    if f["unsigned_range"].terms and not f["signed"]:
        raise DbError(f"{where}: unsigned=RANGE needs a signed field")
    return f


def fmask(f):
    return ((1 << f["width"]) - 1) << f["shift"]


def field_mask(reg, names, where):
    m = 0
    for n in names:
        m |= fmask(reg.fields[reg.field(n, where)])
    return m


def parse_op(reg, rng, kind, args, where, text):
    ckind, table = KINDS[kind]
    if not args or args[0] not in table:
        raise DbError(f"{where}: unknown {kind} operation '{args[0] if args else ''}'")
    op, shape = table[args[0]]
    a = args[1:]
    cond, fidx, va, vb = "IDREGS_COND_NONE", 0xffff, 0, 0
    if shape.startswith("cond"):
        if not a or a[0] not in CONDS:
            raise DbError(f"{where}: unknown condition '{a[0] if a else ''}'")
        cond, a = CONDS[a[0]], a[1:]
        shape = shape[5:]
    if shape == "fields":
        if not a:
            raise DbError(f"{where}: no fields named")
        va = field_mask(reg, a, where)
    else:
        want = shape.split()
        if want[-1] == "values":
            if len(a) < 2:
                raise DbError(f"{where}: {args[0]} FIELD VALUE...")
            fidx = reg.field(a[0], where)
            for v in a[1:]:
                n = num(v, where)
                if n > 63:
                    raise DbError(f"{where}: reject value {v} too large")
                va |= 1 << n
        else:
            if len(a) != len(want):
                raise DbError(f"{where}: {args[0]} takes {' '.join(want).upper()}")
            fidx = reg.field(a[0], where)
            vals = [num(v, where) for v in a[1:]]
            width = reg.fields[fidx]["width"]
            for v in vals:
                if v >= 1 << width:
                    raise DbError(f"{where}: value {v:#x} does not fit the field")
            va = vals[0] if vals else 0
            vb = vals[1] if len(vals) > 1 else 0
    reg.ops.append((rng, ckind, op, cond, fidx, va, vb, text))


def eval_mask(reg, toks, cur, where):
    """A mask expression: field names (a first unsigned token starts from
    nothing, a signed one from the inherited mask), +NAME, -NAME, all (every
    field), none, ones (all 64 bits), bits=HI:LO (bits no field names)."""
    if not toks:
        raise DbError(f"{where}: mask needs fields")
    m = cur if toks[0][0] in "+-" else 0
    allf = field_mask(reg, [f["name"] for f in reg.fields], where)
    for t in toks:
        sign = t[0] if t[0] in "+-" else "+"
        name = t[1:] if t[0] in "+-" else t
        if name == "all":
            bits = allf
        elif name == "ones":
            bits = (1 << 64) - 1
        elif name == "none":
            bits = 0
        elif name.startswith("bits="):
            hi, _, lo = name[5:].partition(":")
            hi, lo = num(hi, where), num(lo or hi, where)
            if not 0 <= lo <= hi <= 63:
                raise DbError(f"{where}: bits {name[5:]} outside 63:0")
            bits = ((1 << (hi - lo + 1)) - 1) << lo
        else:
            bits = fmask(reg.fields[reg.field(name, where)])
        m = m | bits if sign == "+" else m & ~bits
    return m


def resolve_reg(reg, releases):
    """Per release: mask, visibility, handler; ops are kept with ranges."""
    default_handler = "id"
    rows = []
    for rule in reg.rules:
        rng, what, args, where, text = rule
        if what in KINDS:
            parse_op(reg, rng, what, args, where, text)
        elif what not in ("mask", "vis", "handler"):
            raise DbError(f"{where}: expected mask, vis, handler, limit, check, run or vgic")
        elif what == "vis" and (len(args) != 1 or args[0] not in VIS):
            raise DbError(f"{where}: kvm RANGE vis {'|'.join(VIS)}")
        elif what == "handler" and (len(args) != 1 or args[0] not in HANDLERS):
            raise DbError(f"{where}: kvm RANGE handler {'|'.join(HANDLERS)}")
    if reg.scope == "vcpu":
        default_handler = "mpidr" if reg.name == "MPIDR_EL1" else "clidr"
    for rel in releases:
        mask, vis, handler = 0, "normal", default_handler
        for rng, what, args, where, text in reg.rules:
            if not rng.contains(rel.version):
                continue
            if what == "mask":
                mask = eval_mask(reg, args, mask, where)
            elif what == "vis":
                vis = args[0]
            elif what == "handler":
                handler = args[0]
        if reg.host_table is not None:
            ht = reg.host_table.contains(rel.version)
        else:
            ht = any(f["host"] and f["host_range"].contains(rel.version)
                     for f in reg.fields)
        rows.append((mask, vis, handler, ht))
    reg.rows = rows


def check_reg(reg):
    used = 0
    for f in reg.fields:
        m = fmask(f)
        if used & m:
            raise DbError(f"{reg.where}: {reg.name}.{f['name']} overlaps another field")
        used |= m
    names = [f["name"] for f in reg.fields]
    if len(set(names)) != len(names):
        raise DbError(f"{reg.where}: {reg.name} has duplicate field names")


def add_unallocated(regs):
    have = {r.enc for r in regs}
    for crm in range(1, 8):
        for op2 in range(8):
            enc = 3 << 14 | crm << 3 | op2
            if enc in have:
                continue
            r = Reg(f"S3_0_C0_C{crm}_{op2}", enc, "vm", "generated")
            r.rules = [(Range("all", [("all", None, None)]), "vis", ["raz"], "generated", "vis raz")]
            r.generated = True
            regs.append(r)
    regs.sort(key=lambda r: r.enc)
    encs = [r.enc for r in regs]
    if len(set(encs)) != len(encs):
        raise DbError("two reg lines share an encoding")
    names = [r.name.upper() for r in regs]
    if len(set(names)) != len(names):
        raise DbError("two reg lines share a name")


def parse_identity(path):
    out = []
    with open(path, encoding="utf-8") as fh:
        for lineno, raw in enumerate(fh, 1):
            where = f"{path}:{lineno}"
            toks = raw.split("#", 1)[0].split()
            if not toks:
                continue
            if toks[0] != "safe" or len(toks) != 5 or toks[1] not in IDENTITY_LISTS:
                raise DbError(f"{where}: expected 'safe spectre-v2|meltdown IMPL PART NAME'")
            impl, part = num(toks[2], where), num(toks[3], where)
            if impl > 0xff or part > 0xfff:
                raise DbError(f"{where}: implementer or part number out of range")
            out.append((IDENTITY_LISTS[toks[1]], impl, part, toks[4]))
    return out


# ---- what changed from one release to the next -------------------------

def mask_fields_text(reg, old, new):
    out = []
    for f in reg.fields:
        m = fmask(f)
        if (old & m) != m and (new & m) == m:
            out.append("+" + f["name"])
        elif (old & m) and not (new & m):
            out.append("-" + f["name"])
    rest = (old ^ new) & ~field_mask(reg, [f["name"] for f in reg.fields], "")
    if rest:
        out.append(f"bits {new & rest:#x}" if new & rest else f"-bits {old & rest:#x}")
    return " ".join(out) or f"{old:#x} -> {new:#x}"


def parent_index(releases, i):
    """The release a release grew from: a point release from the one before
    it in its series, a series from the previous mainline series."""
    rel = releases[i]
    for j in range(i - 1, -1, -1):
        r = releases[j]
        if rel.version[2] is not None:
            if r.version[:2] == rel.version[:2]:
                return j
        elif r.version[2] is None:
            return j
    return None


def changes(releases, props, regs):
    """One line per behaviour that differs from the release it grew from
    (see parent_index)."""
    out = []
    for i, rel in enumerate(releases):
        lines = []
        p = parent_index(releases, i)
        if p is None:
            lines.append("the oldest release idregs models")
            out.append(lines)
            continue
        prev = releases[p]
        for name, rng, text, _ in props:
            a, b = rng.contains(prev.version), rng.contains(rel.version)
            if a != b:
                lines.append(f"{'+' if b else '-'}{name}: {text}" if text else
                             f"{'+' if b else '-'}{name}")
        for r in regs:
            if r.generated:
                continue
            (om, ov, oh, ot), (nm, nv, nh, nt) = r.rows[p], r.rows[i]
            if oh != nh:
                lines.append(f"{r.name}: {HANDLER_TEXT[nh]}")
            if ov != nv:
                lines.append(f"{r.name}: {VIS_TEXT[nv]}")
            if om != nm:
                lines.append(f"{r.name} writable mask: {mask_fields_text(r, om, nm)}")
            if ot != nt:
                lines.append(f"{r.name}: {'in' if nt else 'not in'} Linux's cpufeature tables")
            for rng, kind, op, cond, fidx, va, vb, text in r.ops:
                a, b = rng.contains(prev.version), rng.contains(rel.version)
                if a != b:
                    lines.append(f"{r.name}: {'+' if b else '-'}{text}")
            for f in r.fields:
                a = f["unsigned_range"].contains(prev.version)
                b = f["unsigned_range"].contains(rel.version)
                if a != b:
                    lines.append(f"{r.name}.{f['name']}: compared as "
                                 f"{'unsigned' if b else 'signed'}")
                if not f["host"]:
                    continue
                a, b = f["host_range"].contains(prev.version), f["host_range"].contains(rel.version)
                if a != b:
                    lines.append(f"{r.name}.{f['name']}: {'in' if b else 'not in'} "
                                 "Linux's cpufeature table")
        out.append(lines or ["no change to the ID registers"])
    return out


# ---- output --------------------------------------------------------------

def relset(rng, releases, words):
    w = [0] * words
    for i, rel in enumerate(releases):
        if rng.contains(rel.version):
            w[i // 64] |= 1 << (i % 64)
    return "{ { " + ", ".join(f"{x:#x}ULL" for x in w) + " } }"


def emit_h(releases, props, regs):
    words = (len(releases) + 63) // 64
    out = ["/* Generated by tools/gen-regdb.py from data/releases.db and",
           " * data/regs.db. Do not edit. */",
           "#ifndef IDREGS_GEN_REGDB_H", "#define IDREGS_GEN_REGDB_H", "",
           "#include <stdbool.h>", "#include <stdint.h>", "",
           f"#define IDREGS_NR_RELEASES {len(releases)}",
           f"#define IDREGS_RELSET_WORDS {words}", "",
           "/* A set of releases, by index. */",
           "struct idregs_relset {", "\tuint64_t w[IDREGS_RELSET_WORDS];", "};", "",
           "/* The structural properties of a release (data/releases.db). */",
           "struct idregs_release_props {"]
    for name, _, text, _ in props:
        out.append(f"\tbool {c_ident(name)};" + (f"\t/* {text} */" if text else ""))
    out += ["};", "", "/* Feature-ID space index of each register. */"]
    for r in regs:
        if r.generated:
            continue
        op1 = (r.enc >> 11) & 7
        idx = (2 if op1 == 3 else op1) << 6 | (r.enc & 0x3f)
        out.append(f"#define IDREGS_IDX_{r.name} {idx}")
    out += ["", "/* Every field: _SHIFT, _WIDTH, _MASK (C never spells a bit position);",
            " * per register, _FIELDS: the bits its fields cover (the rest is RES0/1). */"]
    for r in regs:
        if r.fields:
            out.append(f"#define IDREGS_{r.name}_FIELDS "
                       f"{field_mask(r, [f['name'] for f in r.fields], r.where):#x}ULL")
        for f in r.fields:
            p = f"IDREGS_{r.name}_{f['name']}"
            out.append(f"#define {p}_SHIFT {f['shift']}")
            out.append(f"#define {p}_WIDTH {f['width']}")
            out.append(f"#define {p}_MASK {fmask(f):#x}ULL")
    out += ["", "#endif"]
    return "\n".join(out) + "\n"


def emit_c(releases, props, abis, regs, identity, names, log):
    words = (len(releases) + 63) // 64
    fields, enums, ops, rows, rowidx, out = [], [], [], [], [], []
    w = out.append
    w("/* Generated by tools/gen-regdb.py from data/releases.db, data/regs.db")
    w(" * and data/cpu-identity.db. Do not edit. */")
    w('#include "regdb.h"\n')
    reg_rows = []
    for r in regs:
        first_field, first_op = len(fields), len(ops)
        for f in r.fields:
            first_enum = len(enums)
            enums.extend(f["enums"])
            flags = []
            if f["signed"]:
                flags.append("IDREGS_F_SIGNED")
            if f["strict"]:
                flags.append("IDREGS_F_STRICT")
            if f["el0"]:
                flags.append("IDREGS_F_EL0")
            rule = RULES[f["host"]] if f["host"] else "IDREGS_RULE_NONE"
            kvm = RULES[f["kvm"]] if f["kvm"] else rule
            hr = relset(f["host_range"], releases, words) if f["host"] else \
                "{ { " + ", ".join(["0"] * words) + " } }"
            fields.append(f'\t{{ {c_str(f["name"])}, {f["shift"]}, {f["width"]}, '
                          f'{"|".join(flags) or 0}, {rule}, {kvm}, '
                          f'{f["safe"]:#x}, {first_enum}, {len(f["enums"])}, {hr}, '
                          f'{relset(f["unsigned_range"], releases, words)} }},')
        for rng, kind, op, cond, fidx, a, b, text in r.ops:
            gf = first_field + fidx if fidx != 0xffff else 0xffff
            ops.append(f"\t{{ {kind}, {op}, {cond}, {gf}, {a:#x}ULL, {b:#x}ULL, "
                       f"{relset(rng, releases, words)} }},")
        # distinct per-release rows of this register
        distinct = []
        idx = []
        for row in r.rows:
            if row not in distinct:
                distinct.append(row)
            idx.append(distinct.index(row))
        if len(distinct) > 255:
            raise DbError(f"{r.name}: more than 255 distinct release rows")
        first_row = len(rows)
        for mask, vis, handler, ht in distinct:
            rows.append(f"\t{{ {mask:#x}ULL, {VIS[vis]}, {HANDLERS[handler]}, {int(ht)} }},")
        rowidx.append(", ".join(str(i) for i in idx))
        scope = "IDREGS_SCOPE_VCPU" if r.scope == "vcpu" else "IDREGS_SCOPE_VM"
        reg_rows.append(f"\t{{ {c_str(r.name)}, {r.enc:#06x}, {scope}, "
                        f"{int(r.generated)}, {int(r.own_reset)}, "
                        f"&rel_rows[{first_row}], {len(distinct)}, rel_row_{len(rowidx) - 1}, "
                        f"{first_field}, {len(r.fields)}, {first_op}, {len(r.ops)} }},")
    for i, ri in enumerate(rowidx):
        w(f"static const uint8_t rel_row_{i}[IDREGS_NR_RELEASES] = {{ {ri} }};")
    w("")
    w("static const struct idregs_reg_rel rel_rows[] = {")
    out.extend(rows)
    w("};\n")
    w("static const struct idregs_enum_desc enums[] = {")
    out.extend(f"\t{{ {v:#x}, {c_str(n)} }}," for v, n in enums)
    w("};\n")
    w("static const struct idregs_field_desc fields[] = {")
    out.extend(fields)
    w("};\n")
    w("static const struct idregs_op_desc ops[] = {")
    out.extend(ops or ["\t{ 0 },"])
    w("};\n")
    w("static const struct idregs_reg_desc regs[] = {")
    out.extend(reg_rows)
    w("};\n")
    w("static const struct idregs_midr_desc identity[] = {")
    out.extend(f"\t{{ {lst}, {impl:#x}, {part:#x}, {c_str(n)} }},"
               for lst, impl, part, n in identity)
    w("};\n")
    w("static const struct idregs_name_desc names[] = {")
    out.extend(f"\t{{ {enc:#06x}, {c_str(n)} }}," for n, enc in sorted(names, key=lambda x: x[1]))
    out.extend(["\t{ 0, 0 },"] if not names else [])
    w("};\n")
    for i, lines in enumerate(log):
        w(f"static const char *const changes_{i}[] = {{")
        out.extend(f"\t{c_str(line)}," for line in lines)
        w("\tNULL,\n};")
    w("")
    w("static const struct idregs_release releases[] = {")
    for i, rel in enumerate(releases):
        pv = ", ".join(f".{c_ident(n)} = {'true' if rng.contains(rel.version) else 'false'}"
                       for n, rng, _, _ in props)
        w(f"\t{{ {c_str(rel.name)}, {c_str(vstr((rel.version[0], rel.version[1], rel.version[2] or 0)))}, "
          f"{rel.version[0]}, {rel.version[1]}, "
          f"{rel.version[2] or 0}, {'true' if rel.version[2] is not None else 'false'}, "
          f"{c_str(rel.verified) if rel.verified else 'NULL'}, "
          f"{c_str(rel.note) if rel.note else 'NULL'}, changes_{i}, {{ {pv} }} }},")
    w("};\n")
    w("const struct idregs_prop_desc idregs_props[] = {")
    for n, _, _, _ in props:
        w(f"\t{{ {c_str(n)}, offsetof(struct idregs_release_props, {c_ident(n)}) }},")
    w("};")
    w(f"const size_t idregs_nr_props = {len(props)};\n")
    w("static const struct idregs_abi_desc abis[] = {")
    for s, n, v, _ in abis:
        w(f"\t{{ {s[0]}, {s[1]}, {n}, {v[2] or 0} }},")
    if not abis:
        w("\t{ 0, 0, 0, 0 },")
    w("};\n")
    w("const struct idregs_regdb idregs_regdb_generated = {")
    w("\t.releases = releases, .nr_releases = %d," % len(releases))
    w("\t.abis = abis, .nr_abis = %d," % len(abis))
    w("\t.regs = regs, .nr_regs = %d," % len(regs))
    w("\t.fields = fields, .nr_fields = %d," % len(fields))
    w("\t.enums = enums, .nr_enums = %d," % len(enums))
    w("\t.ops = ops, .nr_ops = %d," % len(ops))
    w("\t.identity = identity, .nr_identity = %d," % len(identity))
    w("\t.names = names, .nr_names = %d," % len(names))
    w("};")
    return "\n".join(out) + "\n"


def write_atomic(path, text):
    outdir = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(dir=outdir, prefix=".regdb.")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
    os.replace(tmp, path)


def main(argv):
    if len(argv) != 6:
        sys.stderr.write("usage: gen-regdb.py RELEASES_DB REGS_DB IDENTITY_DB OUT_C OUT_H\n")
        return 2
    try:
        releases, props, abis = parse_releases(argv[1])
        for _, rng, _, where in props:
            check_bounds(rng, releases, where)
        for s, n, v, where in abis:
            if not any(vkey(r.version) == vkey(v) for r in releases):
                raise DbError(f"{where}: {vstr(v)} is not a release")
        regs, names = parse_regs(argv[2], releases)
        for r in regs:
            check_reg(r)
        add_unallocated(regs)
        for r in regs:
            resolve_reg(r, releases)
        described = {r.enc for r in regs} | {r.name.upper() for r in regs}
        for n, enc in names:
            if enc in described or n.upper() in described:
                raise DbError(f"name {n}: already a reg")
        identity = parse_identity(argv[3])
        log = changes(releases, props, regs)
        text_c = emit_c(releases, props, abis, regs, identity, names, log)
        text_h = emit_h(releases, props, regs)
    except (DbError, OSError) as e:
        sys.stderr.write(f"gen-regdb: {e}\n")
        return 1
    write_atomic(argv[5], text_h)
    write_atomic(argv[4], text_c)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
