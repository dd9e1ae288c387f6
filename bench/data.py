"""Generated benchmark data, built once and cached under ``bench/data/`` (gitignored).

``database("kota")`` returns the path of a ready database of that size,
building it the first time. The file name carries everything that changes its
content (generator version, schema version, reference-data version, seed), so
a stale file is never reused; stale files of a size are deleted when it is rebuilt. Benchmarks must
treat these files as read-only (copy one with ``copy_of`` to change it).
"""
from __future__ import annotations

import datetime as _dt
import json
import shutil
import sys
import time
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
SEED = 1
# The generated data's "today": services fill January-December 2025 (the current
# month and the 11 before), whatever day the benchmarks run, so cases can use
# fixed periods ("2025-12", "2025") and results stay comparable over time.
DATA_TODAY = _dt.date(2025, 12, 31)

_built_now: dict[str, dict] = {}


def cache_key(size: str, seed: int = SEED) -> str:
    from db import schema
    from db.reference import read_manifest
    from db.synthetic import GENERATOR_VERSION

    ref = read_manifest().get("version", "x")
    return f"{size}-g{GENERATOR_VERSION}-s{schema.latest_version()}-r{ref}-seed{seed}-d{DATA_TODAY:%Y%m%d}"


def database(size="kota", seed: int = SEED, *, quiet: bool = False) -> Path:
    """Path of the cached database of ``size`` (built on first use; generation time in a .json beside it).

    ``size`` is a name of ``db.synthetic.SIZES`` or a ``db.synthetic.Size`` of
    your own (its ``name`` is the cache file's prefix), e.g.
    ``Size("kelurahan5000", "61.71.03.1001", 5_000)``.
    """
    from db.synthetic import build_database

    spec = size
    size = getattr(spec, "name", spec)
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    key = cache_key(size, seed)
    path = DATA_DIR / f"{key}.db"
    if path.exists():
        return path
    # Files of this size made by another generator/schema/reference version are stale.
    for p in DATA_DIR.glob(f"{size}-g*"):
        if not p.name.startswith(key + "."):
            p.unlink(missing_ok=True)
    tmp = DATA_DIR / f"{key}.building.db"
    if not quiet:
        print(f"[bench] membangun data '{size}' (sekali saja) ...", file=sys.stderr, flush=True)

    def progress(done: int, total: int, kode: str) -> None:
        if not quiet and total > 1:
            print(f"\r[bench]   {done}/{total} {kode}", end="", file=sys.stderr, flush=True)

    t0 = time.perf_counter()
    report = build_database(tmp, spec, seed=seed, today=DATA_TODAY, progress=progress)
    total = time.perf_counter() - t0
    if not quiet and report.counts:
        print(file=sys.stderr)
    for suffix in ("-wal", "-shm"):
        Path(str(tmp) + suffix).unlink(missing_ok=True)
    tmp.rename(path)
    info = {
        "size": size,
        "seed": seed,
        "today": DATA_TODAY.isoformat(),
        "seconds_total": round(total, 2),
        "seconds_generate": round(report.seconds_generate, 2),
        "seconds_write": round(report.seconds_write, 2),
        "counts": report.counts,
        "bytes": path.stat().st_size,
    }
    path.with_suffix(".json").write_text(json.dumps(info, indent=2), encoding="utf-8")
    _built_now[size] = info
    if not quiet:
        print(f"[bench] data '{size}' selesai dalam {total:.1f} s "
              f"(generate {report.seconds_generate:.1f} s, tulis {report.seconds_write:.1f} s)", file=sys.stderr)
    return path


def build_info(size: str, seed: int = SEED) -> dict | None:
    """What the cached file of ``size`` holds and how long it took to build (None if not built)."""
    path = DATA_DIR / f"{cache_key(size, seed)}.json"
    if not path.exists():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


def copy_of(size, target: Path, seed: int = SEED) -> Path:
    """A private copy of the cached database (for benchmarks that write)."""
    shutil.copyfile(database(size, seed), target)
    return target
