"""``python -m bench [NAME...] [--repeat N] [--list]``: run benchmarks, print a markdown table.

The table is also written to ``bench/out/latest.md``. NAME selects cases by
name (exact, prefix or glob) or by module (``foundation`` = bench_foundation.py).
Exit code 1 when a case failed (skipped cases do not count).
"""
from __future__ import annotations

import argparse
import datetime as _dt
import os
import sys
from pathlib import Path

OUT_DIR = Path(__file__).resolve().parent / "out"


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from bench import data
    from bench.harness import discover, format_table, machine_line, run_case, select

    p = argparse.ArgumentParser(prog="python -m bench", description="Run benchmarks and print a markdown table.")
    p.add_argument("names", nargs="*", metavar="NAME", help="case or module names (default: all)")
    p.add_argument("--repeat", type=int, default=5, help="timed runs per case (default 5)")
    p.add_argument("--list", action="store_true", help="list the cases and exit")
    p.add_argument("--out", type=Path, default=OUT_DIR / "latest.md", help="where to write the table")
    args = p.parse_args(argv)

    cases = select(discover(), args.names)
    if args.list:
        wm = max((len(c.module) for c in cases), default=0)
        wn = max((len(c.name) for c in cases), default=0)
        ws = max((len(c.size) for c in cases), default=0)
        for c in cases:
            print(f"{c.module:<{wm}}  {c.name:<{wn}}  {c.size:<{ws}}  {c.target}".rstrip())
        return 0
    if not cases:
        print("no case matches " + " ".join(args.names), file=sys.stderr)
        return 2
    rows = []
    for c in cases:
        print(f"[bench] {c.name} ({c.size}) ...", file=sys.stderr, flush=True)
        rows.append(run_case(c, repeat=args.repeat))
        if rows[-1].status == "error":
            print(f"[bench]   GAGAL: {rows[-1].error}", file=sys.stderr)
    table = format_table(rows)
    print(table)
    sizes = sorted({c.size for c in cases})
    built = [(s, data.build_info(s)) for s in sizes if s in ("kelurahan", "kota")]
    data_lines = [
        f"- `{s}`: {info['counts'].get('orang', 0):,} orang, {info['counts'].get('layanan', 0):,} layanan, "
        f"{info['bytes'] / 1_048_576:.0f} MB; built in {info['seconds_total']} s "
        f"(generate {info['seconds_generate']} s, write {info['seconds_write']} s)"
        for s, info in built if info
    ]
    doc = [
        f"# Benchmarks {_dt.datetime.now().isoformat(timespec='seconds')}",
        "",
        f"{machine_line()}; {args.repeat} runs per case (median, min, max).",
        "",
        table,
        "",
    ]
    if data_lines:
        doc += ["Generated data:", "", *data_lines, ""]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(doc), encoding="utf-8")
    print(f"[bench] ditulis: {args.out}", file=sys.stderr)
    return 1 if any(r.status == "error" for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
