#!/usr/bin/env python3
"""Turn data/regs.db and data/cpu-identity.db into the C tables of libidregs.

Usage: gen-regdb.py REGS_DB IDENTITY_DB OUT_C

The format is described in docs/regdb.md. Errors name the file and line and
exit 1; the output is written atomically so a failed run leaves no file.
"""
import os
import sys
import tempfile

RULES = {"LS": "IDREGS_RULE_LOWER", "HS": "IDREGS_RULE_HIGHER",
         "HZ": "IDREGS_RULE_HIGHER_OR_ZERO", "EX": "IDREGS_RULE_EXACT"}
VIS = {"raz": "IDREGS_VIS_RAZ", "aa32": "IDREGS_VIS_AA32",
       "sve": "IDREGS_VIS_SVE"}
HANDLERS = {"id": "IDREGS_HANDLER_ID", "imp": "IDREGS_HANDLER_IMP",
            "mpidr": "IDREGS_HANDLER_MPIDR", "clidr": "IDREGS_HANDLER_CLIDR"}
CONDS = {"sve": "IDREGS_COND_SVE", "pmu": "IDREGS_COND_PMU",
         "ptrauth": "IDREGS_COND_PTRAUTH", "mte": "IDREGS_COND_MTE",
         "host-wfxt": "IDREGS_COND_HOST_WFXT",
         "host-rasv1p1": "IDREGS_COND_HOST_RASV1P1",
         "spectre-v2-safe": "IDREGS_COND_SPECTRE_V2_SAFE",
         "meltdown-safe": "IDREGS_COND_MELTDOWN_SAFE"}
# op name -> (C enum, argument shape)
LIMIT_OPS = {"zero": ("IDREGS_OP_ZERO", "fields"),
             "keep": ("IDREGS_OP_KEEP", "fields"),
             "zero-unless": ("IDREGS_OP_ZERO_UNLESS", "cond fields"),
             "set-if": ("IDREGS_OP_SET_IF", "cond field value"),
             "cap": ("IDREGS_OP_CAP", "field value"),
             "pmuver": ("IDREGS_OP_PMUVER", "field"),
             "perfmon": ("IDREGS_OP_PERFMON", "field")}
CHECK_OPS = {"ignore-host": ("IDREGS_OP_IGNORE_HOST", "field"),
             "min": ("IDREGS_OP_MIN", "field value"),
             "min-nonzero": ("IDREGS_OP_MIN_NONZERO", "field value"),
             "map": ("IDREGS_OP_MAP", "field value value"),
             "reject": ("IDREGS_OP_REJECT", "field values"),
             "mte-frac": ("IDREGS_OP_MTE_FRAC", "field")}
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


class Reg:
    def __init__(self, name, enc, scope, handler, where):
        self.name, self.enc, self.scope, self.handler = name, enc, scope, handler
        self.where = where
        self.fields = []      # dicts
        self.ops = []         # (kernels, kind, op, cond, field_index, a, b)
        self.mask = {}
        self.vis = {}
        self.generated = False
        self.host_table = False
        self.own_reset = False
        self.invariant = set()

    def field(self, name, where):
        for i, f in enumerate(self.fields):
            if f["name"] == name:
                return i
        raise DbError(f"{where}: {self.name} has no field {name}")


def parse_kernels(tok, kernels, where):
    if tok == "all":
        return list(kernels)
    out = []
    for k in tok.split(","):
        if k not in kernels:
            raise DbError(f"{where}: unknown kernel release '{k}' "
                          f"(known: {' '.join(kernels)})")
        out.append(k)
    return out


def parse_enc(tok, where):
    parts = tok.split(".")
    if len(parts) != 5:
        raise DbError(f"{where}: encoding '{tok}' is not OP0.OP1.CRN.CRM.OP2")
    op0, op1, crn, crm, op2 = (num(p, where) for p in parts)
    if not (op0 <= 3 and op1 <= 7 and crn <= 15 and crm <= 15 and op2 <= 7):
        raise DbError(f"{where}: encoding '{tok}' out of range")
    return op0 << 14 | op1 << 11 | crn << 7 | crm << 3 | op2


def parse_regs(path):
    kernels, regs, reg, field = None, [], None, None
    names = []
    with open(path, encoding="utf-8") as fh:
        for lineno, raw in enumerate(fh, 1):
            where = f"{path}:{lineno}"
            toks = raw.split("#", 1)[0].split()
            if not toks:
                continue
            kw, args = toks[0], toks[1:]
            if kernels is None:
                if kw != "kernels" or not args:
                    raise DbError(f"{where}: the first line must be 'kernels ...'")
                kernels = args
                if len(kernels) > 8:
                    raise DbError(f"{where}: at most 8 kernel releases")
                continue
            if kw == "name":
                if len(args) != 2:
                    raise DbError(f"{where}: name NAME ENCODING")
                names.append((args[0], parse_enc(args[1], where)))
                reg, field = None, None
                continue
            if kw == "reg":
                if len(args) < 2:
                    raise DbError(f"{where}: reg NAME ENCODING [scope=] [handler=]")
                scope, handler, host_table, own_reset = "vm", "id", False, False
                for a in args[2:]:
                    k, _, v = a.partition("=")
                    if a == "host-table":
                        host_table = True
                    elif a == "own-reset":
                        own_reset = True
                    elif k == "scope" and v in ("vm", "vcpu"):
                        scope = v
                    elif k == "handler" and v in HANDLERS:
                        handler = v
                    else:
                        raise DbError(f"{where}: bad reg attribute '{a}'")
                reg = Reg(args[0], parse_enc(args[1], where), scope, handler, where)
                reg.host_table = host_table
                reg.own_reset = own_reset
                regs.append(reg)
                field = None
            elif reg is None:
                raise DbError(f"{where}: '{kw}' outside a reg block")
            elif kw == "field":
                if len(args) < 2:
                    raise DbError(f"{where}: field NAME HI:LO ...")
                hi, _, lo = args[1].partition(":")
                hi = num(hi, where)
                lo = num(lo, where) if lo else hi
                if not (0 <= lo <= hi <= 63):
                    raise DbError(f"{where}: bits {args[1]} outside 63:0")
                field = {"name": args[0], "shift": lo, "width": hi - lo + 1,
                         "signed": False, "host": None, "safe": 0,
                         "strict": True, "el0": False, "kvm": None,
                         "host_kernels": list(kernels), "enums": []}
                for a in args[2:]:
                    k, _, v = a.partition("=")
                    if a == "signed":
                        field["signed"] = True
                    elif a == "nonstrict":
                        field["strict"] = False
                    elif a == "el0":
                        field["el0"] = True
                    elif k == "host" and v in RULES:
                        field["host"] = v
                    elif k == "kvm" and v == "LS":
                        field["kvm"] = v
                    elif k == "safe":
                        field["safe"] = num(v, where)
                    elif k == "host-kernels":
                        field["host_kernels"] = parse_kernels(v, kernels, where)
                    else:
                        raise DbError(f"{where}: bad field attribute '{a}'")
                if field["safe"] >= 1 << field["width"]:
                    raise DbError(f"{where}: safe value does not fit the field")
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
                parse_kvm(reg, kernels, args, where)
            else:
                raise DbError(f"{where}: unknown keyword '{kw}'")
    if kernels is None:
        raise DbError(f"{path}: empty database")
    return kernels, regs, names


def field_mask(reg, names, where):
    m = 0
    for n in names:
        f = reg.fields[reg.field(n, where)]
        m |= ((1 << f["width"]) - 1) << f["shift"]
    return m


def parse_kvm(reg, kernels, args, where):
    if len(args) < 2:
        raise DbError(f"{where}: kvm KERNELS WHAT ...")
    ks = parse_kernels(args[0], kernels, where)
    what, rest = args[1], args[2:]
    if what == "mask":
        if len(rest) != 1:
            raise DbError(f"{where}: kvm KERNELS mask HEX")
        for k in ks:
            reg.mask[k] = num(rest[0], where)
        return
    if what == "invariant":
        if rest:
            raise DbError(f"{where}: kvm KERNELS invariant takes no argument")
        for k in ks:
            reg.invariant.add(k)
        return
    if what == "vis":
        if len(rest) != 1 or rest[0] not in VIS:
            raise DbError(f"{where}: kvm KERNELS vis raz|aa32|sve")
        for k in ks:
            reg.vis[k] = rest[0]
        return
    if what not in ("limit", "check") or not rest:
        raise DbError(f"{where}: expected mask, vis, limit or check")
    table = LIMIT_OPS if what == "limit" else CHECK_OPS
    if rest[0] not in table:
        raise DbError(f"{where}: unknown {what} operation '{rest[0]}'")
    op, shape = table[rest[0]]
    a = rest[1:]
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
                raise DbError(f"{where}: {rest[0]} FIELD VALUE...")
            fidx = reg.field(a[0], where)
            for v in a[1:]:
                n = num(v, where)
                if n > 63:
                    raise DbError(f"{where}: reject value {v} too large")
                va |= 1 << n
        else:
            if len(a) != len(want):
                raise DbError(f"{where}: {rest[0]} takes {' '.join(want).upper()}")
            fidx = reg.field(a[0], where)
            vals = [num(v, where) for v in a[1:]]
            width = reg.fields[fidx]["width"]
            for v in vals:
                if v >= 1 << width:
                    raise DbError(f"{where}: value {v:#x} does not fit the field")
            va = vals[0] if vals else 0
            vb = vals[1] if len(vals) > 1 else 0
    reg.ops.append((ks, "IDREGS_OP_LIMIT" if what == "limit" else "IDREGS_OP_CHECK",
                    op, cond, fidx, va, vb))


def check_reg(reg):
    used = 0
    for f in reg.fields:
        m = ((1 << f["width"]) - 1) << f["shift"]
        if used & m:
            raise DbError(f"{reg.where}: {reg.name}.{f['name']} overlaps another field")
        used |= m
    names = [f["name"] for f in reg.fields]
    if len(set(names)) != len(names):
        raise DbError(f"{reg.where}: {reg.name} has duplicate field names")


def add_unallocated(kernels, regs):
    have = {r.enc for r in regs}
    for crm in range(1, 8):
        for op2 in range(8):
            enc = 3 << 14 | crm << 3 | op2
            if enc in have:
                continue
            r = Reg(f"S3_0_C0_C{crm}_{op2}", enc, "vm", "id", "generated")
            r.vis = {k: "raz" for k in kernels}
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


def kbits(ks, kernels):
    return sum(1 << kernels.index(k) for k in ks)


def emit(kernels, regs, identity, names):
    fields, enums, ops, out = [], [], [], []
    w = out.append
    w("/* Generated by tools/gen-regdb.py from data/regs.db and")
    w(" * data/cpu-identity.db. Do not edit. */")
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
            hk = kbits(f["host_kernels"], kernels) if f["host"] else 0
            fields.append(f'\t{{ {c_str(f["name"])}, {f["shift"]}, {f["width"]}, '
                          f'{"|".join(flags) or 0}, {rule}, {kvm}, {hk:#x}, '
                          f'{f["safe"]:#x}, {first_enum}, {len(f["enums"])} }},')
        for ks, kind, op, cond, fidx, a, b in r.ops:
            gf = first_field + fidx if fidx != 0xffff else 0xffff
            ops.append(f"\t{{ {kbits(ks, kernels):#x}, {kind}, {op}, {cond}, "
                       f"{gf}, {a:#x}ULL, {b:#x}ULL }},")
        masks = ", ".join(f"{r.mask.get(k, 0):#x}ULL" for k in kernels)
        vis = ", ".join(VIS[r.vis[k]] if k in r.vis else "IDREGS_VIS_NORMAL"
                        for k in kernels)
        scope = "IDREGS_SCOPE_VCPU" if r.scope == "vcpu" else "IDREGS_SCOPE_VM"
        # Linux has a cpufeature table for the register in these releases
        ht = 0
        for f in r.fields:
            if f["host"]:
                ht |= kbits(f["host_kernels"], kernels)
        if r.host_table:
            ht = (1 << len(kernels)) - 1
        reg_rows.append(f"\t{{ {c_str(r.name)}, {r.enc:#06x}, {scope}, "
                        f"{HANDLERS[r.handler]}, {int(r.generated)}, {ht:#x}, {int(r.own_reset)}, "
                        f"{kbits(r.invariant, kernels):#x}, {{ {vis} }}, "
                        f"{{ {masks} }}, {first_field}, {len(r.fields)}, "
                        f"{first_op}, {len(r.ops)} }},")
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
    w("static const char *const kernels[] = { " +
      ", ".join(c_str(k) for k in kernels) + " };\n")
    w("const struct idregs_regdb idregs_regdb_generated = {")
    w("\t.kernels = kernels, .nr_kernels = %d," % len(kernels))
    w("\t.regs = regs, .nr_regs = %d," % len(regs))
    w("\t.fields = fields, .nr_fields = %d," % len(fields))
    w("\t.enums = enums, .nr_enums = %d," % len(enums))
    w("\t.ops = ops, .nr_ops = %d," % len(ops))
    w("\t.identity = identity, .nr_identity = %d," % len(identity))
    w("\t.names = names, .nr_names = %d," % len(names))
    w("};")
    return "\n".join(out) + "\n"


def main(argv):
    if len(argv) != 4:
        sys.stderr.write("usage: gen-regdb.py REGS_DB IDENTITY_DB OUT_C\n")
        return 2
    try:
        kernels, regs, names = parse_regs(argv[1])
        for r in regs:
            check_reg(r)
        add_unallocated(kernels, regs)
        described = {r.enc for r in regs} | {r.name.upper() for r in regs}
        for n, enc in names:
            if enc in described or n.upper() in described:
                raise DbError(f"name {n}: already a reg")
        identity = parse_identity(argv[2])
        text = emit(kernels, regs, identity, names)
    except (DbError, OSError) as e:
        sys.stderr.write(f"gen-regdb: {e}\n")
        return 1
    outdir = os.path.dirname(os.path.abspath(argv[3]))
    fd, tmp = tempfile.mkstemp(dir=outdir, prefix=".regdb.")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
    os.replace(tmp, argv[3])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
