"""Areas, named sizes, and whole databases of synthetic data.

Sizes (``SIZES``):

- ``kelurahan``: one kelurahan (Pallima, 61.71.03.1001), ~2,000 people, a PSM
  install: what one field laptop holds after a year. Fast enough for tests.
- ``kota``: Kota Pontianak (61.71), ~150,000 people over its 29 kelurahan and
  ~600,000 services in 12 months, as a Dinas database that has imported one
  install per kelurahan (each kelurahan's records carry their own install id).
- ``provinsi``: Kalimantan Barat (61), ~1,500,000 people over ~2,100
  kelurahan/desa. Too big to build in tests: ``iter_installs`` yields it one
  kelurahan at a time so a caller can build packages or consolidate.
"""
from __future__ import annotations

import contextlib
import datetime as _dt
import os
import random
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

from sqlite_utils import Database

from db.synthetic import names
from db.synthetic.catalog import Catalog
from db.synthetic.generator import TABLE_ORDER, InstallData, Village, generate_install
from db.synthetic.ids import ulid_at
from db.synthetic.writer import write_install

# Bump when the generator's output changes, so cached benchmark data is rebuilt.
GENERATOR_VERSION = 1


@dataclass(frozen=True)
class Size:
    name: str
    area: str  # Kemendagri code of the area the data covers
    people: int  # registered persons (disaster victims come on top, ~2-3%)
    services_per_person: float = 4.0
    months: int = 12
    disasters_per_village: float = 1.5


SIZES: dict[str, Size] = {
    "kelurahan": Size("kelurahan", "61.71.03.1001", 2_000),
    "kota": Size("kota", "61.71", 150_000),
    "provinsi": Size("provinsi", "61", 1_500_000),
}


def _rows(db: Database, sql: str, params=()) -> list[dict]:
    cur = db.conn.execute(sql, params)
    cols = [c[0] for c in cur.description]
    return [dict(zip(cols, r)) for r in cur.fetchall()]


def village_of(db: Database, kode: str, people: int, *, force_tksk: bool = False) -> Village:
    row = _rows(db, "SELECT kode, nama, induk FROM ref_wilayah WHERE kode = ?", [kode])[0]
    siblings = [r[0] for r in db.conn.execute(
        "SELECT kode FROM ref_wilayah WHERE induk = ? AND tingkat = 4 ORDER BY kode", [row["induk"]])]
    ordinal = siblings.index(kode) + 1
    return Village(kode=kode, nama=row["nama"], people=people, ordinal=ordinal,
                   villages_in_kecamatan=len(siblings), first_in_kecamatan=force_tksk or ordinal == 1)


def villages_in(db: Database, area: str, people: int, *, seed: int = 1) -> list[Village]:
    """The kelurahan/desa under ``area`` (or ``area`` itself) with ``people`` split over them.

    Kelurahan (urban, code 1xxx) weigh four times a desa; each varies ±40%.
    """
    row = _rows(db, "SELECT kode, tingkat FROM ref_wilayah WHERE kode = ?", [area])
    if not row:
        raise ValueError(f"kode wilayah tidak dikenal: {area}")
    if row[0]["tingkat"] == 4:
        return [village_of(db, area, people)]
    codes = [r[0] for r in db.conn.execute(
        "SELECT kode FROM ref_wilayah WHERE tingkat = 4 AND kode >= ? AND kode < ? ORDER BY kode",
        [area + ".", area + ".~"])]
    rng = random.Random(f"{seed}:split:{area}")
    weights = [(4.0 if k.rsplit(".", 1)[1].startswith("1") else 1.0) * rng.uniform(0.6, 1.4) for k in codes]
    total = sum(weights)
    counts = [max(1, int(round(people * w / total))) for w in weights]
    counts[0] += people - sum(counts)  # exact total
    by_kec: dict[str, list[str]] = {}
    for k in codes:  # every village of every kecamatan in the area: whole kecamatan lists
        by_kec.setdefault(k[:8], []).append(k)
    names_by_code = dict(db.conn.execute(
        "SELECT kode, nama FROM ref_wilayah WHERE tingkat = 4 AND kode >= ? AND kode < ?", [area + ".", area + ".~"]))
    out = []
    for kode, n in zip(codes, counts):
        siblings = by_kec.get(kode[:8], [kode])
        ordinal = siblings.index(kode) + 1
        out.append(Village(kode=kode, nama=names_by_code[kode], people=max(1, n), ordinal=ordinal,
                           villages_in_kecamatan=len(siblings), first_in_kecamatan=ordinal == 1))
    return out


def kab_names(db: Database, kode: str) -> list[str]:
    """Birth places for people of ``kode``: its own kab/kota first, then the others of its province."""
    own = kode[:5]
    rows = _rows(db, "SELECT kode, nama FROM ref_wilayah WHERE tingkat = 2 AND induk = ? ORDER BY kode", [kode[:2]])

    def short(n: str) -> str:
        for prefix in ("Kota ", "Kabupaten "):
            if n.startswith(prefix):
                return n[len(prefix):]
        return n

    first = [short(r["nama"]) for r in rows if r["kode"] == own]
    return first + [short(r["nama"]) for r in rows if r["kode"] != own]


def penyelenggara(db: Database, kode: str) -> str:
    row = db.conn.execute("SELECT nama FROM ref_wilayah WHERE kode = ?", [kode[:5]]).fetchone()
    return f"Dinas Sosial {row[0]}" if row else "Dinas Sosial"


def synthetic_install_id(seed: int, kode: str, today: _dt.date) -> str:
    rng = random.Random(f"{seed}:install:{kode}")
    return ulid_at(rng, _dt.datetime(today.year - 1, 1, 2, 8, 0))


def _generate_task(task: tuple) -> InstallData:
    args, kwargs = task
    return generate_install(*args, **kwargs)


def iter_installs(
    db: Database,
    size: str | Size = "kota",
    *,
    seed: int = 1,
    today: _dt.date | None = None,
    catalog: Catalog | None = None,
    people: int | None = None,
    workers: int = 0,
) -> Iterator[InstallData]:
    """One ``InstallData`` per kelurahan/desa of the size's area, generated lazily, in code order.

    ``db`` is any database with the reference data loaded (it is only read).
    Each kelurahan is a separate PSM install with a deterministic install id,
    so the stream can be turned into one sync package per kelurahan; only a
    few kelurahan's rows are in memory at a time (``provinsi``: ~2,100 of
    them). ``workers`` > 0 generates in that many processes (same output).
    """
    from db.clock import today as _today

    spec = SIZES[size] if isinstance(size, str) else size
    today = today or _today()
    catalog = catalog or Catalog.from_db(db)
    places = kab_names(db, spec.area)
    org = penyelenggara(db, spec.area)

    def tasks():
        for v in villages_in(db, spec.area, people or spec.people, seed=seed):
            op_rng = random.Random(f"{seed}:operator:{v.kode}")
            kwargs = dict(
                kode_install=v.kode, install_id=synthetic_install_id(seed, v.kode, today),
                operator_nama=names.person_name(op_rng, op_rng.choice("LP")), today=today, seed=seed,
                months=spec.months, services_per_person=spec.services_per_person,
                disasters_per_village=spec.disasters_per_village,
                penyelenggara=org if v.kode[:5] == spec.area[:5] else penyelenggara(db, v.kode),
                kab_names=places if v.kode[:5] == spec.area[:5] else kab_names(db, v.kode),
                recent_disaster=False,
            )
            yield (catalog, [v]), kwargs

    if workers <= 0:
        for task in tasks():
            yield _generate_task(task)
        return
    from collections import deque
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=workers) as pool:
        pending: deque = deque()
        for task in tasks():
            pending.append(pool.submit(_generate_task, task))
            if len(pending) >= 2 * workers:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


def record_as_imported(db: Database, data: InstallData, *, today: _dt.date, months: int = 12) -> None:
    """Make a Dinas database look as if it had imported ``data``'s monthly packages.

    Adds the install to ``instalasi`` and one accepted ``paket_log`` row per
    finished month of the window (sent on the 3rd of the next month), so the
    Dinas completeness views have something to show. Call inside a transaction.
    """
    from db.sinkron import DITERIMA
    from exporters.package import package_name

    from db.synthetic.generator import window_start

    rng = random.Random(f"{data.install_id}:paket")
    start = window_start(today, months)
    y, m = start.year, start.month
    first = last = None
    while (y, m) < (today.year, today.month):
        ny, nm = (y + 1, 1) if m == 12 else (y, m + 1)
        sent = _dt.datetime(ny, nm, rng.randint(1, 8), rng.randint(8, 16), rng.randint(0, 59))
        if sent.date() > today:
            break
        periode = f"{y:04d}-{m:02d}"
        db.conn.execute(
            "INSERT INTO paket_log (waktu, arah, nama_file, install_asal, kode_wilayah, periode, urutan, sha256, "
            "hasil, alasan, jumlah, dibuat_at, operator) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
            [sent.isoformat(timespec="seconds"), "masuk", package_name(data.kode_wilayah, periode, 1),
             data.install_id, data.kode_wilayah, periode, 1, "%064x" % rng.getrandbits(256), DITERIMA, None, None,
             (sent - _dt.timedelta(hours=rng.randint(1, 48))).isoformat(timespec="seconds"), data.operator_nama],
        )
        first = first or sent
        last = sent
        y, m = ny, nm
    if first is not None:
        db.conn.execute(
            "INSERT INTO instalasi (install_id, kode_wilayah, peran, operator, app_version, first_seen, last_seen) "
            "VALUES (?,?,?,?,?,?,?)",
            [data.install_id, data.kode_wilayah, "PSM", data.operator_nama, "0.1.0",
             first.isoformat(timespec="seconds"), last.isoformat(timespec="seconds")],
        )


@contextlib.contextmanager
def bulk_load(db: Database, tables=TABLE_ORDER):
    """Drop the secondary indexes and triggers of ``tables``, load, then recreate them.

    For building a new benchmark file only: indexes built once over sorted data
    are much faster than maintained row by row, and external-content FTS tables
    are rebuilt in one pass. The recreated objects use the exact stored SQL, so
    the file's schema ends up identical to the app's; a unique index that no
    longer holds makes the recreation (and the build) fail.
    """
    marks = ",".join("?" * len(tables))
    saved = db.conn.execute(
        f"SELECT type, name, sql FROM sqlite_master WHERE type IN ('index', 'trigger') AND sql IS NOT NULL "
        f"AND tbl_name IN ({marks}) ORDER BY type, name", list(tables)).fetchall()
    # External-content FTS tables (fed by the triggers dropped here, whatever their
    # content table or view) are rebuilt from their content afterwards.
    fts = []
    for name, sql in db.conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND sql LIKE '%fts5%'"):
        m = re.search(r"content\s*=\s*'([^']+)'", sql or "")
        if m:
            fts.append(name)
    with db.atomic():
        for kind, name, _ in saved:
            db.conn.execute(f"DROP {kind.upper()} [{name}]")
    try:
        yield
    finally:
        with db.atomic():
            for kind, _, sql in sorted(saved, key=lambda r: r[0]):  # indexes before triggers
                db.conn.execute(sql)
            for name in fts:
                db.conn.execute(f"INSERT INTO [{name}] ([{name}]) VALUES ('rebuild')")


@dataclass
class BuildReport:
    path: Path
    size: str
    seconds_generate: float
    seconds_write: float
    counts: dict[str, int]

    @property
    def seconds(self) -> float:
        return self.seconds_generate + self.seconds_write


def build_database(
    path: str | Path,
    size: str | Size = "kelurahan",
    *,
    seed: int = 1,
    today: _dt.date | None = None,
    progress: Callable[[int, int, str], None] | None = None,
    workers: int | None = None,
) -> BuildReport:
    """Create a new database file at ``path`` filled with the size's data.

    ``kelurahan``: a PSM install of that kelurahan (counters included).
    ``kota``: a DINAS install of the kab/kota holding one synthetic install per
    kelurahan, as after importing their monthly packages (``instalasi`` and
    ``paket_log`` rows; no counters, which belong to the field installs).
    ``provinsi`` is refused: stream it with ``iter_installs``.
    ``workers``: generator processes (default: CPUs - 1, at most 4; 0 = in this
    process). With workers, ``seconds_generate`` is the time spent waiting for
    generated data, not the CPU time of generating it.
    """
    from db.clock import today as _today
    from db.connection import open_database
    from db.install import init_install

    spec = SIZES[size] if isinstance(size, str) else size
    if len(spec.area) <= 2:
        raise ValueError("ukuran provinsi tidak dibangun sebagai satu basis data; pakai iter_installs()")
    path = Path(path)
    if path.exists():
        raise FileExistsError(path)
    today = today or _today()
    db = open_database(path, create=True)
    ok = False
    try:
        single = len(spec.area) == 13
        if single:
            inst = init_install(db, kode_wilayah=spec.area, operator_nama="Operator Sintetis", peran="PSM")
        else:
            inst = init_install(db, kode_wilayah=spec.area, operator_nama="Operator Dinas Sintetis", peran="DINAS")
        catalog = Catalog.from_db(db)
        # A throw-away file being built: no journal fsyncs, big page cache. The
        # WAL mode the app expects is set back before closing.
        db.execute("PRAGMA journal_mode = OFF")
        db.execute("PRAGMA synchronous = OFF")
        db.execute("PRAGMA cache_size = -262144")
        gen_s = write_s = 0.0
        totals: dict[str, int] = {}
        t_load = time.perf_counter()
        with bulk_load(db):
            if single:
                t0 = time.perf_counter()
                data = generate_install(
                    catalog, villages_in(db, spec.area, spec.people, seed=seed), kode_install=spec.area,
                    install_id=inst.install_id, operator_nama=inst.operator_nama, today=today, seed=seed,
                    months=spec.months, services_per_person=spec.services_per_person,
                    disasters_per_village=spec.disasters_per_village, penyelenggara=penyelenggara(db, spec.area),
                    kab_names=kab_names(db, spec.area), recent_disaster=True,
                )
                gen_s += time.perf_counter() - t0
                totals = write_install(db, data)
                if progress:
                    progress(1, 1, spec.area)
            else:
                villages = villages_in(db, spec.area, spec.people, seed=seed)
                if workers is None:  # generate in other processes while this one writes
                    workers = max(1, min(4, (os.cpu_count() or 1) - 1)) if (os.cpu_count() or 1) > 1 else 0
                it = iter_installs(db, spec, seed=seed, today=today, catalog=catalog, workers=workers)
                for i in range(len(villages)):
                    t0 = time.perf_counter()
                    data = next(it)
                    gen_s += time.perf_counter() - t0
                    for k, n in write_install(db, data, counters=False).items():
                        totals[k] = totals.get(k, 0) + n
                    with db.atomic():
                        record_as_imported(db, data, today=today, months=spec.months)
                    if progress:
                        progress(i + 1, len(villages), data.kode_wilayah)
        db.execute("ANALYZE")
        db.execute("PRAGMA journal_mode = WAL")
        # No explicit wal_checkpoint here: after the journal-mode switches above, SQLite
        # 3.40 answers a TRUNCATE checkpoint on this connection with "database table is
        # locked" once a table was dropped (migration 0006 rebuilds kuitansi). Closing
        # the last connection checkpoints and removes the WAL anyway.
        write_s = time.perf_counter() - t_load - gen_s
        ok = True
    finally:
        db.close()
        if not ok:
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(str(path) + suffix).unlink(missing_ok=True)
    return BuildReport(path=path, size=spec.name, seconds_generate=gen_s, seconds_write=write_s, counts=totals)
