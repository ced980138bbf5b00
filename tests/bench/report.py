#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""report.py - make bench's table, JSON line and chart from what the guests left.

  report.py MARKS GUESTLOG [APPEND_MARKS] [--db DBLOG [--db-marks DBMARKS]] [--png FILE] [--json FILE]

MARKS: "mark ID COUNT" lines from tests/bench/insn_plugin.c (the bench guest, bases 100..900
of tests/vm/bench.sh); GUESTLOG: that guest's console (faultbench's "phase=N insn_id=ID ns=T"
lines, for wall times); APPEND_MARKS: the marks of tests/vm/bench-appends.sh (metadata
phases); DBLOG: the console of tests/vm/bench-db.sh (its "bench-db: ..." line), DBMARKS its
marks (instructions per read). Prints a
markdown table of guest instructions per phase and peer, the ratios to
device-dax and ext4-dax (instructions and wall time), what each shipped policy costs per
translation over const_answer, the goals of issue 9 with met/missed, then one line
"bench: {...}" with every figure. --png draws the chart from that JSON (matplotlib).
"""
import json
import re
import sys

PEERS = [(100, "device-dax"), (200, "device-dax-4K"), (300, "ext4-dax"),
         (400, "famfs-dax-core"), (500, "famfs_simple"), (600, "famfs_interleave"),
         (700, "famfs_chunkmap"), (800, "const_answer"), (900, "famfs_simple-repeat")]
PHASES = [(1, "fault-in 1 GiB cold (PMD)", 512), (2, "same, second mapping", 512),
          (3, "262,144 PTE faults", 262144), (4, "sequential read via mapping", None),
          (5, "16,384 random 4 KiB reads via mapping", None), (6, "pread 1 MiB, whole file", None),
          (7, "16,384 random pread 4 KiB", None), (8, "16,384 FAMFS_IOC_XLATE", 16384),
          (9, "16,384 XLATE refused at the size check", 16384)]
POLICIES = ["famfs_simple", "famfs_interleave", "famfs_chunkmap"]
META = [("cp -r 1,000 files", 1, 2), ("cp -r 8,000 files", 3, 4),
        ("mount, 1,000 files", 11, 12), ("load-maps, 1,000 files", 13, 14),
        ("fsck, 1,000 files", 15, 16), ("mount, 8,000 files", 21, 22),
        ("load-maps, 8,000 files", 23, 24), ("fsck, 8,000 files", 25, 26)]


def marks(path):
    m = {}
    for line in open(path):
        f = line.split()
        if len(f) == 3 and f[0] == "mark":
            m[int(f[1])] = int(f[2])
    return m


def walls(path):
    w = {}
    for line in open(path, errors="replace"):
        r = re.search(r"faultbench: phase=(\d+) insn_id=(\d+) ns=(\d+)", line)
        if r:
            w[int(r.group(2))] = int(r.group(3))
    return w


def figures(m, w):
    fig = {}
    for n, name, _ in PHASES:
        row = {}
        for base, peer in PEERS:
            a, z = base + 2 * n - 1, base + 2 * n
            if a in m and z in m:
                row[peer] = {"insns": m[z] - m[a], "ns": w.get(a)}
        fig[name] = row
    return fig


def ratio(x, y):
    return x / y if x and y else None


def fmt(r):
    return f"{r:.2f}" if r is not None else "-"


def floor_of(n):
    return "device-dax-4K" if n == 3 else "device-dax"


def main():
    args = sys.argv[1:]
    png = jsn = None
    if "--png" in args:
        i = args.index("--png"); png = args[i + 1]; del args[i:i + 2]
    db = dbm = None
    if "--db-marks" in args:
        i = args.index("--db-marks"); dbm = args[i + 1]; del args[i:i + 2]
    if "--db" in args:
        i = args.index("--db"); db = args[i + 1]; del args[i:i + 2]
    if "--json" in args:
        i = args.index("--json"); jsn = args[i + 1]; del args[i:i + 2]
    m, w = marks(args[0]), walls(args[1])
    fig = figures(m, w)
    out = {"phases": fig, "ratios": {}, "policy_cost": {}, "metadata": {}, "goals": {}}

    cols = [p for _, p in PEERS]
    print("| phase | " + " | ".join(cols) + " | simple / floor | simple / ext4-dax | wall simple / floor |")
    print("|---|" + "---|" * (len(cols) + 3))
    for n, name, _ in PHASES:
        row = fig[name]
        ins = lambda p: row.get(p, {}).get("insns")
        ns = lambda p: row.get(p, {}).get("ns")
        fl = floor_of(n)
        r = {"insns_vs_floor": ratio(ins("famfs_simple"), ins(fl)),
             "insns_vs_ext4_dax": ratio(ins("famfs_simple"), ins("ext4-dax")),
             "wall_vs_floor": ratio(ns("famfs_simple"), ns(fl)),
             "wall_vs_ext4_dax": ratio(ns("famfs_simple"), ns("ext4-dax")), "floor": fl}
        out["ratios"][name] = r
        print(f"| {name} | " + " | ".join(f"{ins(p):,}" if ins(p) else "-" for p in cols) +
              f" | {fmt(r['insns_vs_floor'])} | {fmt(r['insns_vs_ext4_dax'])} | {fmt(r['wall_vs_floor'])} |")

    print("\nWhat each policy costs over const_answer, guest instructions per translation (per fault):")
    for n, name, per in PHASES:
        if per is None or n == 9:
            continue
        c = fig[name].get("const_answer", {}).get("insns")
        for p in POLICIES:
            x = fig[name].get(p, {}).get("insns")
            if x is not None and c is not None:
                out["policy_cost"].setdefault(p, {})[name] = (x - c) / per
        line = ", ".join(f"{p} {out['policy_cost'][p][name]:+.0f}" for p in POLICIES
                         if name in out["policy_cost"].get(p, {}))
        print(f"- {name}: {line or '-'}")

    if len(args) > 2:
        am = marks(args[2])
        print("\n| metadata | guest instructions | per file |")
        print("|---|---|---|")
        for name, a, z in META:
            if a in am and z in am:
                v = am[z] - am[a]
                nfiles = 8000 if "8,000" in name else 1000
                out["metadata"][name] = v
                print(f"| {name} | {v:,} | {v // nfiles:,} |")
        if not out["metadata"]:
            print("| (no metadata marks: the appends boot failed) | - | - |")
        md = out["metadata"]
        for what in ("cp -r", "mount", "load-maps", "fsck"):
            k1 = md.get(f"{what} 1,000 files" if what == "cp -r" else f"{what}, 1,000 files")
            k8 = md.get(f"{what} 8,000 files" if what == "cp -r" else f"{what}, 8,000 files")
            if k1 and k8:
                out["metadata"][f"{what} ratio 8k/1k"] = k8 / k1
                print(f"- {what}: 8,000 / 1,000 files = {k8 / k1:.2f} (linear: 8)")

    if db:
        v = {}
        for line in open(db, errors="replace"):
            if line.startswith("bench-db: "):
                v = dict(kv.split("=", 1) for kv in line.split()[1:] if "=" in kv)
        if v:
            ops = {k: int(v[k]) for k in ("famfs_ops", "ext4_dax_ops", "ext4_ops")}
            out["db_bench"] = {"db_bytes": int(v["db_bytes"]), "ram_bytes": int(v["ram_bytes"]),
                               "found": v.get("found"), **ops,
                               "famfs_vs_ext4_dax": ratio(ops["famfs_ops"], ops["ext4_dax_ops"]),
                               "famfs_vs_ext4": ratio(ops["famfs_ops"], ops["ext4_ops"])}
            d = out["db_bench"]
            reads = int(v.get("reads", 0) or 0)
            mk = marks(dbm) if dbm else {}
            for k, a in (("famfs_ops", 35), ("ext4_dax_ops", 33), ("ext4_ops", 31)):
                if a in mk and a + 1 in mk and reads:
                    d[k.replace("_ops", "_insns_per_read")] = (mk[a + 1] - mk[a]) / reads
            print(f"\ndb_bench readrandom (mmap reads), database {d['db_bytes']:,} bytes, "
                  f"guest RAM {d['ram_bytes']:,} bytes (wall time, one boot):")
            print("| file system | ops/s | famfs-bpf / this (ops/s) | guest instructions per read | this / famfs-bpf (instructions) |")
            print("|---|---|---|---|---|")
            fi = d.get("famfs_insns_per_read")
            for name, k in (("famfs-bpf", "famfs_ops"), ("ext4 -o dax", "ext4_dax_ops"),
                            ("ext4, page cache", "ext4_ops")):
                ipr = d.get(k.replace("_ops", "_insns_per_read"))
                print(f"| {name} | {ops[k]:,} | {fmt(ratio(ops['famfs_ops'], ops[k]))} | "
                      f"{f'{ipr:,.0f}' if ipr else '-'} | {fmt(ratio(ipr, fi))} |")

    R = out["ratios"]
    goals = {
        "cold PMD <= 1.5x device-dax": (R["fault-in 1 GiB cold (PMD)"]["insns_vs_floor"], 1.5),
        "warm PMD <= 1.5x device-dax": (R["same, second mapping"]["insns_vs_floor"], 1.5),
        "PTE faults <= 1.3x device-dax": (R["262,144 PTE faults"]["insns_vs_floor"], 1.3),
        "seq read via mapping = device-dax": (R["sequential read via mapping"]["insns_vs_floor"], 1.01),
        "random read via mapping = device-dax": (R["16,384 random 4 KiB reads via mapping"]["insns_vs_floor"], 1.01),
    }
    for p in POLICIES:
        c = out["policy_cost"].get(p, {}).get("16,384 FAMFS_IOC_XLATE")
        goals[f"{p} <= 250 insns/translation over const_answer"] = (c, 250)
    if len(args) > 2:
        goals["cp -r 8,000 <= 10x 1,000"] = (out["metadata"].get("cp -r ratio 8k/1k"), 10)
    print("\n| goal | measured | met |")
    print("|---|---|---|")
    for g, (v, lim) in goals.items():
        met = v is not None and v <= lim
        out["goals"][g] = {"measured": v, "limit": lim, "met": met}
        print(f"| {g} | {fmt(v) if v is None or v < 50 else f'{v:.0f}'} | {'yes' if met else 'NO'} |")

    line = json.dumps(out, separators=(",", ":"))
    print("bench: " + line)
    if jsn:
        open(jsn, "w").write(line + "\n")
    if png:
        chart(out, png)


def chart(out, path):
    """Bars per phase and peer: instructions relative to the phase's reference (device-dax
    where it can run the phase, else ext4-dax, else const_answer), named under the phase."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    peers = ["device-dax", "ext4-dax", "famfs-dax-core", "famfs_simple", "famfs_interleave",
             "famfs_chunkmap", "const_answer"]
    names, refs = [], []
    for n, name, _ in PHASES:
        row = out["phases"][name]
        for ref in (floor_of(n), "ext4-dax", "const_answer"):
            if row.get(ref, {}).get("insns"):
                names.append(name); refs.append(ref); break
    fig, ax = plt.subplots(figsize=(12, 5.5))
    width = 0.8 / len(peers)
    for i, p in enumerate(peers):
        vals = []
        for n, (name, ref) in enumerate(zip(names, refs)):
            row = out["phases"][name]
            peer = "device-dax-4K" if (p == "device-dax" and ref == "device-dax-4K") else p
            v = row.get(peer, {}).get("insns")
            vals.append(v / row[ref]["insns"] if v else 0)
        ax.bar([k + i * width for k in range(len(names))], vals, width, label=p)
    ax.axhline(1.0, color="black", linewidth=0.8)
    ax.set_xticks([k + 0.4 - width / 2 for k in range(len(names))])
    ax.set_xticklabels([f"{n}\n(/ {r})".replace(" via ", "\nvia ").replace(", whole", ",\nwhole")
                        .replace(" refused at", "\nrefused at").replace("16,384 ", "16,384\n")
                        for n, r in zip(names, refs)], fontsize=6)
    ax.set_ylabel("guest instructions / the phase's reference")
    ax.set_title("make bench: guest instructions per phase (one boot; 1.0 = the reference)")
    ax.legend(fontsize=7, ncol=4)
    fig.tight_layout()
    fig.savefig(path, dpi=90)


if __name__ == "__main__":
    main()
