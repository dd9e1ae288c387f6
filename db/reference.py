"""Reference data: loading the versioned lists of ``resources/reference`` into
SQLite, and looking things up in them.

The lists (areas, PPKS categories, PSKS types, the sub-kegiatan catalogue,
disaster types, small code lists, indicator definitions, rating scales) change
with regulations, so they are data files with a version in ``manifest.json``,
never constants in code. ``load_reference`` runs at every start: when the
stored version equals the manifest's it returns at once; otherwise it checks
the files against their SHA-256 and replaces every ``ref_*`` table in one
transaction (a failure leaves the previous data untouched).

Records keep codes; the UI shows names through the helpers below. ``ref_*``
tables are dropped and recreated on every reload: never point a FOREIGN KEY at
them. Column vocabulary is documented in ``resources/reference/README.md``.

Pure Python + sqlite_utils: no Qt here.
"""
from __future__ import annotations

import contextlib
import csv
import datetime as _dt
import difflib
import functools
import hashlib
import json
import re
import sqlite3
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator

from db.errors import KnownError

if TYPE_CHECKING:
    from sqlite_utils import Database

RESOURCES_DIR = Path(__file__).resolve().parent.parent / "resources" / "reference"
MANIFEST_NAME = "manifest.json"

TINGKAT_PROVINSI, TINGKAT_KABKOTA, TINGKAT_KECAMATAN, TINGKAT_DESA = 1, 2, 3, 4

REF_TABLES = (
    "ref_wilayah",
    "ref_ppks_kategori",
    "ref_spm_kelompok",
    "ref_psks_jenis",
    "ref_layanan",
    "ref_bencana_jenis",
    "ref_daftar",
    "ref_indikator",
    "ref_skala",
    "ref_meta",
)

_SCHEMA = {
    "ref_wilayah": """CREATE TABLE ref_wilayah (
        kode TEXT PRIMARY KEY,
        nama TEXT NOT NULL,
        tingkat INTEGER NOT NULL CHECK (tingkat BETWEEN 1 AND 4),
        induk TEXT,
        jenis TEXT NOT NULL,
        nama_cari TEXT NOT NULL
    )""",
    "ref_ppks_kategori": """CREATE TABLE ref_ppks_kategori (
        kode TEXT PRIMARY KEY,
        nama TEXT NOT NULL,
        singkatan TEXT,
        induk TEXT,
        spm_kelompok TEXT,
        butuh_terlantar INTEGER NOT NULL DEFAULT 0,
        sensitif INTEGER NOT NULL DEFAULT 0,
        urut INTEGER NOT NULL,
        keterangan TEXT
    )""",
    "ref_spm_kelompok": """CREATE TABLE ref_spm_kelompok (
        kode TEXT PRIMARY KEY,
        nama TEXT NOT NULL,
        indikator TEXT NOT NULL,
        kode_layanan_prefix TEXT,
        urut INTEGER NOT NULL
    )""",
    "ref_psks_jenis": """CREATE TABLE ref_psks_jenis (
        kode TEXT PRIMARY KEY,
        nama TEXT NOT NULL,
        singkatan TEXT,
        bentuk TEXT NOT NULL CHECK (bentuk IN ('orang','lembaga')),
        sumber TEXT NOT NULL,
        kode_layanan_pembinaan TEXT,
        urut INTEGER NOT NULL
    )""",
    "ref_layanan": """CREATE TABLE ref_layanan (
        kode TEXT PRIMARY KEY,
        nama TEXT NOT NULL,
        program_kode TEXT NOT NULL,
        program_nama TEXT NOT NULL,
        kegiatan_kode TEXT NOT NULL,
        kegiatan_nama TEXT NOT NULL,
        jenis TEXT NOT NULL CHECK (jenis IN ('layanan','kegiatan_psks','pendataan','izin')),
        satuan_default TEXT NOT NULL,
        spm INTEGER NOT NULL DEFAULT 0,
        bencana INTEGER NOT NULL DEFAULT 0,
        per_kk INTEGER NOT NULL DEFAULT 0,
        urut INTEGER NOT NULL,
        keterangan TEXT
    )""",
    "ref_bencana_jenis": """CREATE TABLE ref_bencana_jenis (
        kode TEXT PRIMARY KEY,
        nama TEXT NOT NULL,
        kelompok TEXT NOT NULL CHECK (kelompok IN ('alam','sosial')),
        urut INTEGER NOT NULL
    )""",
    "ref_daftar": """CREATE TABLE ref_daftar (
        daftar TEXT NOT NULL,
        kode TEXT NOT NULL,
        nama TEXT NOT NULL,
        urut INTEGER NOT NULL,
        PRIMARY KEY (daftar, kode)
    )""",
    "ref_indikator": """CREATE TABLE ref_indikator (
        id TEXT PRIMARY KEY,
        json TEXT NOT NULL
    )""",
    "ref_skala": """CREATE TABLE ref_skala (
        kode TEXT PRIMARY KEY,
        json TEXT NOT NULL
    )""",
    "ref_meta": """CREATE TABLE ref_meta (
        key TEXT PRIMARY KEY,
        value TEXT
    )""",
}

_INDEXES = (
    "CREATE INDEX idx_ref_wilayah_induk ON ref_wilayah(induk)",
    "CREATE INDEX idx_ref_wilayah_nama_cari ON ref_wilayah(nama_cari)",
)

# CSV files and the columns each must have (in this order), with integer columns.
_CSV_TABLES = {
    "ppks_kategori.csv": (
        "ref_ppks_kategori",
        ["kode", "nama", "singkatan", "induk", "spm_kelompok", "butuh_terlantar", "sensitif", "urut", "keterangan"],
        {"butuh_terlantar", "sensitif", "urut"},
    ),
    "spm_kelompok.csv": (
        "ref_spm_kelompok",
        ["kode", "nama", "indikator", "kode_layanan_prefix", "urut"],
        {"urut"},
    ),
    "psks_jenis.csv": (
        "ref_psks_jenis",
        ["kode", "nama", "singkatan", "bentuk", "sumber", "kode_layanan_pembinaan", "urut"],
        {"urut"},
    ),
    "layanan.csv": (
        "ref_layanan",
        [
            "kode", "nama", "program_kode", "program_nama", "kegiatan_kode", "kegiatan_nama", "jenis",
            "satuan_default", "spm", "bencana", "per_kk", "urut", "keterangan",
        ],
        {"spm", "bencana", "per_kk", "urut"},
    ),
    "bencana_jenis.csv": ("ref_bencana_jenis", ["kode", "nama", "kelompok", "urut"], {"urut"}),
    "daftar.csv": ("ref_daftar", ["daftar", "kode", "nama", "urut"], {"urut"}),
}

_WILAYAH_FILES = {
    "provinces": "wilayah/provinces.csv",
    "regencies": "wilayah/regencies.csv",
    "districts": "wilayah/districts.csv",
    "villages": "wilayah/villages.csv",
}


class ReferenceDataError(KnownError):
    """The shipped reference files are missing, damaged or inconsistent."""


# --------------------------------------------------------------------------- loading


@functools.lru_cache(maxsize=8)
def _manifest_cached(path: str, mtime_ns: int, size: int) -> dict:
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


def read_manifest(resources_dir: Path | None = None) -> dict:
    """The manifest (``version`` and ``files`` with their SHA-256) of the shipped data."""
    path = Path(resources_dir or RESOURCES_DIR) / MANIFEST_NAME
    try:
        st = path.stat()
        return _manifest_cached(str(path), st.st_mtime_ns, st.st_size)
    except (OSError, ValueError) as exc:
        raise ReferenceDataError(
            f"Berkas data referensi {MANIFEST_NAME} tidak dapat dibaca ({exc}). Pasang ulang aplikasi."
        ) from exc


def _conn(db) -> sqlite3.Connection:
    """Read helpers take a Database or a plain connection (the GUI start has only the latter)."""
    return getattr(db, "conn", db)


def stored_version(db: Database | sqlite3.Connection) -> str | None:
    """The reference-data version loaded into ``db``, or None if never loaded."""
    try:
        row = _conn(db).execute("SELECT value FROM ref_meta WHERE key = 'version'").fetchone()
    except sqlite3.OperationalError:
        return None
    return row[0] if row else None


def reference_is_current(db: Database | sqlite3.Connection) -> bool:
    """Is the shipped reference data already loaded (nothing for ``load_reference`` to do)?"""
    version = read_manifest().get("version")
    return version is not None and stored_version(db) == version


def load_reference(db: Database, force: bool = False, *, resources_dir: Path | None = None) -> bool:
    """Load the reference data into ``db`` if it is missing or of another version.

    Returns True when the tables were (re)loaded, False when they were current.
    Raises ReferenceDataError (Indonesian message) when a file is missing, does
    not match its checksum in the manifest, or is malformed; the database is
    then left as it was.
    """
    resources_dir = Path(resources_dir or RESOURCES_DIR)
    manifest = read_manifest(resources_dir)
    version = manifest.get("version")
    if not force and version is not None and stored_version(db) == version:
        return False
    data = _read_all(resources_dir, manifest)
    try:
        with _transaction(db.conn):
            if not force and stored_version(db) == version:
                return False  # another process loaded it while we were reading files
            _write_all(db.conn, data, manifest)
    except sqlite3.IntegrityError as exc:
        raise ReferenceDataError(
            f"Data referensi versi {version} tidak sah ({exc}); data lama tetap dipakai. Pasang ulang aplikasi."
        ) from exc
    return True


@contextlib.contextmanager
def _transaction(conn: sqlite3.Connection) -> Iterator[None]:
    """BEGIN IMMEDIATE ... COMMIT, or a savepoint inside a caller's transaction."""
    if conn.in_transaction:
        conn.execute("SAVEPOINT ref_load")
        try:
            yield
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK TO SAVEPOINT ref_load")
                conn.execute("RELEASE SAVEPOINT ref_load")
            raise
        conn.execute("RELEASE SAVEPOINT ref_load")
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _verify_files(resources_dir: Path, manifest: dict) -> None:
    files = manifest.get("files") or {}
    needed = set(_CSV_TABLES) | set(_WILAYAH_FILES.values()) | {"indikator.json", "skala_penilaian.json"}
    missing = sorted(needed - set(files))
    if not manifest.get("version") or missing:
        raise ReferenceDataError(
            "Manifest data referensi tidak lengkap"
            + (f" (tidak memuat {', '.join(missing)})" if missing else " (versi kosong)")
            + ". Pasang ulang aplikasi."
        )
    for name, expected in files.items():
        path = resources_dir / name
        if not path.is_file():
            raise ReferenceDataError(f"Berkas data referensi {name} tidak ditemukan. Pasang ulang aplikasi.")
        if _sha256(path) != expected:
            raise ReferenceDataError(
                f"Berkas data referensi {name} rusak atau telah diubah (checksum tidak cocok dengan manifest). "
                "Pasang ulang aplikasi."
            )


def _read_csv(path: Path, columns: list[str], ints: set[str]) -> list[tuple]:
    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader, None)
        if header != columns:
            raise ReferenceDataError(
                f"Kolom berkas data referensi {path.name} tidak sesuai: {header} (diharapkan {columns})."
            )
        rows = []
        int_idx = {i for i, c in enumerate(columns) if c in ints}
        for lineno, rec in enumerate(reader, start=2):
            if not rec:
                continue
            if len(rec) != len(columns):
                raise ReferenceDataError(f"Baris {lineno} berkas {path.name} tidak memiliki {len(columns)} kolom.")
            row = []
            for i, value in enumerate(rec):
                value = value.strip()
                if i in int_idx:
                    try:
                        row.append(int(value or 0))
                    except ValueError:
                        raise ReferenceDataError(
                            f"Baris {lineno} berkas {path.name}: kolom {columns[i]} harus bilangan bulat."
                        ) from None
                else:
                    row.append(value or None)
            rows.append(tuple(row))
        return rows


_UPPER_WORDS = {"DKI", "DI"}
_LOWER_WORDS = {"DAN"}


def title_name(name: str) -> str:
    """Display form of an upper-case official name: 'KOTA PONTIANAK' -> 'Kota Pontianak'.

    Keeps 'DKI' (and 'DI') upper case and 'dan' lower case inside a name.
    """
    words = []
    for i, word in enumerate(name.split()):
        if word in _UPPER_WORDS:
            words.append(word)
        elif word in _LOWER_WORDS and i > 0:
            words.append(word.lower())
        else:
            words.append("-".join(part.capitalize() for part in word.split("-")))
    return " ".join(words)


_NOT_ALNUM = re.compile(r"[^0-9a-z]+")


def search_form(name: str) -> str:
    """The ``nama_cari`` form: lower case, accents, spaces and punctuation removed.

    'Pal Lima', 'Pallima' and 'PAL-LIMA' all become 'pallima', so a name is found
    whether or not the user (or the source) writes it with spaces.
    """
    text = name.lower()
    if not text.isascii():
        text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return _NOT_ALNUM.sub("", text)


def _read_wilayah(resources_dir: Path) -> list[tuple]:
    rows: list[tuple] = []

    def read(key: str) -> Iterator[list[str]]:
        path = resources_dir / _WILAYAH_FILES[key]
        with open(path, encoding="utf-8", newline="") as fh:
            reader = csv.reader(fh)
            next(reader, None)
            for rec in reader:
                if len(rec) == 3:
                    yield rec
                elif len(rec) == 2:
                    yield [rec[0], None, rec[1]]
                elif rec:
                    raise ReferenceDataError(f"Baris tidak sah di {path.name}: {rec!r}")

    for kode, _none, nama in read("provinces"):
        nama = title_name(nama)
        rows.append((kode, nama, 1, None, "provinsi", search_form(nama)))
    for kode, induk, nama in read("regencies"):
        jenis = "kota" if nama.upper().startswith("KOTA ") else "kabupaten"
        nama = title_name(nama)
        rows.append((kode, nama, 2, induk, jenis, search_form(nama)))
    for kode, induk, nama in read("districts"):
        rows.append((kode, nama, 3, induk, "kecamatan", search_form(nama)))
    for kode, induk, nama in read("villages"):
        # A few source names carry '"' where the official name has an apostrophe (Soka'an).
        if '"' in nama:
            nama = nama.replace('"', "'")
        jenis = "kelurahan" if kode[-4] == "1" else "desa"  # 1xxx kelurahan; 2xxx desa; 3xxx desa adat
        rows.append((kode, nama, 4, induk, jenis, search_form(nama)))
    return rows


def _read_all(resources_dir: Path, manifest: dict) -> dict[str, list[tuple]]:
    _verify_files(resources_dir, manifest)
    data: dict[str, list[tuple]] = {}
    for filename, (table, columns, ints) in _CSV_TABLES.items():
        data[table] = _read_csv(resources_dir / filename, columns, ints)
    data["ref_wilayah"] = _read_wilayah(resources_dir)
    try:
        with open(resources_dir / "indikator.json", encoding="utf-8") as fh:
            indikator = json.load(fh)
        with open(resources_dir / "skala_penilaian.json", encoding="utf-8") as fh:
            skala_doc = json.load(fh)
    except ValueError as exc:
        raise ReferenceDataError(f"Berkas JSON data referensi tidak sah: {exc}") from exc
    layanan_rows = [dict(zip(_CSV_TABLES["layanan.csv"][1], r)) for r in data["ref_layanan"]]
    defs = list(indikator.get("indikator", [])) + expand_outputs(indikator.get("output", {}), layanan_rows)
    data["ref_indikator"] = [(d["id"], json.dumps(d, ensure_ascii=False)) for d in defs]
    data["ref_skala"] = [(s["kode"], json.dumps(s, ensure_ascii=False)) for s in skala_doc.get("skala", [])]
    return data


def expand_outputs(rule: dict, layanan_rows: list[dict]) -> list[dict]:
    """One OUT_<kode> definition per sub-kegiatan, from the ``output`` rule of indikator.json."""
    prefix = rule.get("id_awalan", "OUT_")
    aturan = rule.get("aturan", {})
    out = []
    for row in sorted(layanan_rows, key=lambda r: r["urut"]):
        key = row["jenis"]
        if key == "layanan" and row.get("per_kk"):
            key = "layanan_per_kk"
        spec = aturan.get(key)
        if spec is None:
            raise ReferenceDataError(f"indikator.json tidak punya aturan keluaran untuk jenis '{key}'.")
        spec = {**spec, **(spec.get("per_kode", {}).get(row["kode"], {}))}
        fmt = {"nama": row["nama"], "satuan_default": row["satuan_default"]}
        ukuran = []
        for u in spec.get("ukuran", []):
            u = {k: (v.format(**fmt) if isinstance(v, str) else v) for k, v in u.items()}
            u.setdefault("kode_layanan", row["kode"])
            ukuran.append(u)
        out.append(
            {
                "id": f"{prefix}{row['kode']}",
                "nama": spec["nama"].format(**fmt),
                "jenis": "keluaran",
                "jenis_layanan": row["jenis"],
                "kode_layanan": row["kode"],
                "satuan": spec.get("satuan_utama", "orang"),
                "satuan_default": row["satuan_default"],
                "arah": "naik",
                "ukuran": ukuran,
                "keterangan": rule.get("keterangan", ""),
            }
        )
    return out


def _write_all(conn: sqlite3.Connection, data: dict[str, list[tuple]], manifest: dict) -> None:
    for table in REF_TABLES:
        conn.execute(f"DROP TABLE IF EXISTS [{table}]")
        conn.execute(_SCHEMA[table])
    for table, rows in data.items():
        if not rows:
            continue
        marks = ", ".join("?" * len(rows[0]))
        conn.executemany(f"INSERT INTO [{table}] VALUES ({marks})", rows)
    for statement in _INDEXES:
        conn.execute(statement)
    meta = {
        "version": manifest["version"],
        "dimuat_pada": _dt.datetime.now().isoformat(timespec="seconds"),
        "manifest": json.dumps(manifest, sort_keys=True),
    }
    conn.executemany("INSERT INTO ref_meta (key, value) VALUES (?, ?)", list(meta.items()))


# --------------------------------------------------------------------------- helpers


def _rows(db: Database | sqlite3.Connection, sql: str, params: Any = ()) -> list[dict]:
    cur = _conn(db).execute(sql, params)
    cols = [c[0] for c in cur.description]
    return [dict(zip(cols, r)) for r in cur.fetchall()]


def _row(db: Database, sql: str, params: Any = ()) -> dict | None:
    rows = _rows(db, sql, params)
    return rows[0] if rows else None


# --------------------------------------------------------------------------- wilayah

_KODE_WILAYAH_RE = re.compile(r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$")


def normalize_kode_wilayah(text: str | None) -> str | None:
    """'61.71.03.1001', '6171031001', ' 61 .71 ' -> dotted Kemendagri form; None if not a code shape."""
    if text is None:
        return None
    s = re.sub(r"\s+", "", str(text)).strip(".")
    if s.isdigit() and len(s) in (2, 4, 6, 10):
        parts = [s[0:2], s[2:4], s[4:6], s[6:10]]
        s = ".".join(p for p in parts if p)
    return s if _KODE_WILAYAH_RE.match(s) else None


def wilayah(db: Database, kode: str | None) -> dict | None:
    """The area row (kode, nama, tingkat, induk, jenis, nama_cari), or None if unknown."""
    norm = normalize_kode_wilayah(kode)
    if norm is None:
        return None
    return _row(db, "SELECT * FROM ref_wilayah WHERE kode = ?", [norm])


def _ancestor_codes(kode: str) -> list[str]:
    parts = kode.split(".")
    return [".".join(parts[: i + 1]) for i in range(len(parts))]


def wilayah_path(db: Database, kode: str | None) -> list[dict]:
    """Rows from the provinsi down to ``kode`` itself; [] when ``kode`` is unknown."""
    norm = normalize_kode_wilayah(kode)
    if norm is None:
        return []
    codes = _ancestor_codes(norm)
    marks = ",".join("?" * len(codes))
    rows = _rows(db, f"SELECT * FROM ref_wilayah WHERE kode IN ({marks}) ORDER BY tingkat", codes)
    if not rows or rows[-1]["kode"] != norm:
        return []
    return rows


def children(db: Database, kode: str | None = None) -> list[dict]:
    """Areas directly under ``kode`` (the provinces when ``kode`` is None or empty), by code."""
    if not kode:
        return _rows(db, "SELECT * FROM ref_wilayah WHERE tingkat = 1 ORDER BY kode")
    norm = normalize_kode_wilayah(kode)
    if norm is None:
        return []
    return _rows(db, "SELECT * FROM ref_wilayah WHERE induk = ? ORDER BY kode", [norm])


# Words in front of a name that say which level the user means ("kel. pal lima").
_PREFIX_WORDS = {
    "kel": 4, "kelurahan": 4, "desa": 4, "ds": 4,
    "kec": 3, "kecamatan": 3,
    "prov": 1, "provinsi": 1,
}
# Abbreviations that are part of a level-2 name ("kab sambas" -> "Kabupaten Sambas").
_EXPAND_WORDS = {"kab": "kabupaten"}
_SHORT_QUERY = 3  # below this many characters only name prefixes are searched (index range)


def _label(row: dict, names: dict[str, str]) -> str:
    kode, tingkat, nama = row["kode"], row["tingkat"], row["nama"]
    if tingkat == 4:
        return f"{nama} — Kec. {names.get(kode[:8], '?')}, {names.get(kode[:5], '?')}"
    if tingkat == 3:
        return f"Kec. {nama} — {names.get(kode[:5], '?')}"
    if tingkat == 2:
        return f"{nama} — {names.get(kode[:2], '?')}"
    return nama


def _decorate(db: Database, rows: list[dict]) -> list[dict]:
    """Add provinsi/kabkota/kecamatan names and a display label to area rows."""
    needed = set()
    for r in rows:
        needed.update(_ancestor_codes(r["kode"])[:-1])
    names: dict[str, str] = {}
    if needed:
        codes = sorted(needed)
        marks = ",".join("?" * len(codes))
        names = dict(db.conn.execute(f"SELECT kode, nama FROM ref_wilayah WHERE kode IN ({marks})", codes))
    out = []
    for r in rows:
        k = r["kode"]
        t = r["tingkat"]
        own = {1: k[:2], 2: k[:5], 3: k[:8]}
        d = {
            "kode": k,
            "nama": r["nama"],
            "tingkat": t,
            "jenis": r["jenis"],
            "induk": r["induk"],
            "provinsi": r["nama"] if t == 1 else names.get(own[1]),
            "kabkota": None if t < 2 else (r["nama"] if t == 2 else names.get(own[2])),
            "kecamatan": None if t < 3 else (r["nama"] if t == 3 else names.get(own[3])),
        }
        d["label"] = _label(r, names)
        out.append(d)
    return out


def _scope_clause(dalam: str | None) -> tuple[str, list]:
    if not dalam:
        return "", []
    norm = normalize_kode_wilayah(dalam)
    if norm is None:
        return " AND 0", []
    return " AND kode >= ? AND kode < ?", [norm + ".", norm + ".~"]


def search_wilayah(
    db: Database, text: str, limit: int = 20, tingkat: int | None = None, dalam: str | None = None
) -> list[dict]:
    """Areas whose code starts with ``text`` or whose name contains it.

    Names are compared in ``nama_cari`` form (no case, spaces or punctuation:
    "pal lima" finds "Pallima"). Results carry kode, nama, tingkat, jenis,
    induk, provinsi, kabkota, kecamatan and ``label`` ("Pallima — Kec.
    Pontianak Barat, Kota Pontianak"). Order: exact name, name prefix, word
    start, other substring; then higher levels first, then by name. Texts
    shorter than 3 characters match name prefixes only. "kel."/"desa"/"kec."/
    "prov." in front of a name restrict the level; ``dalam`` restricts to
    areas under a code (e.g. the user's kota).
    """
    raw = (text or "").strip()
    if not raw or limit <= 0:
        return []
    scope_sql, scope_params = _scope_clause(dalam)
    tingkat_sql = " AND tingkat = ?" if tingkat else ""
    tingkat_params = [tingkat] if tingkat else []

    code = re.sub(r"\s+", "", raw)
    if re.fullmatch(r"[\d.]+", code):
        if code.isdigit() and len(code) in (2, 4, 6, 10):
            code = normalize_kode_wilayah(code) or code
        rows = _rows(
            db,
            "SELECT * FROM ref_wilayah WHERE kode >= ? AND kode < ?"
            + scope_sql + tingkat_sql + " ORDER BY tingkat, kode LIMIT ?",
            [code, code + "~", *scope_params, *tingkat_params, limit],
        )
        return _decorate(db, rows)

    words = [w for w in re.split(r"[\s.,;:/]+", raw.lower()) if w]
    if len(words) > 1 and words[0] in _PREFIX_WORDS:
        level = _PREFIX_WORDS[words.pop(0)]
        if tingkat is None:
            tingkat = level
            tingkat_sql, tingkat_params = " AND tingkat = ?", [tingkat]
    words = [_EXPAND_WORDS.get(w, w) for w in words]
    query = search_form(" ".join(words))
    if not query:
        return []
    rank_sql = (
        "CASE WHEN nama_cari = ? THEN 0 WHEN substr(nama_cari, 1, ?) = ? THEN 1 "
        "WHEN instr(' ' || lower(nama), ' ' || ?) > 0 THEN 2 ELSE 3 END"
    )
    rank_params = [query, len(query), query, words[0] if words else query]
    if len(query) < _SHORT_QUERY:
        where, where_params = "nama_cari >= ? AND nama_cari < ?", [query, query + "~"]
    else:
        where, where_params = "instr(nama_cari, ?) > 0", [query]
    sql = (
        f"SELECT *, {rank_sql} AS _rank FROM ref_wilayah WHERE {where}{scope_sql}{tingkat_sql} "
        "ORDER BY _rank, tingkat, nama, kode LIMIT ?"
    )
    rows = _rows(db, sql, [*rank_params, *where_params, *scope_params, *tingkat_params, limit])
    for r in rows:
        r.pop("_rank", None)
    return _decorate(db, rows)


def _code_distance(a: str, b: str) -> tuple:
    last_a, last_b = a.rsplit(".", 1)[-1], b.rsplit(".", 1)[-1]
    if last_a.isdigit() and last_b.isdigit():
        return (abs(int(last_a) - int(last_b)), b)
    return (0, b)


# (names, name -> codes) for difflib over the whole country, for the last database used.
_NAME_CACHE: dict[tuple[int, str], tuple[list[str], dict[str, list[str]]]] = {}


def _all_names(db: Database) -> tuple[list[str], dict[str, list[str]]]:
    key = (id(db.conn), stored_version(db) or "")
    cached = _NAME_CACHE.get(key)
    if cached is None:
        by_name: dict[str, list[str]] = {}
        for kode, nama_cari in db.conn.execute("SELECT kode, nama_cari FROM ref_wilayah"):
            by_name.setdefault(nama_cari, []).append(kode)
        cached = (list(by_name), by_name)
        _NAME_CACHE.clear()
        _NAME_CACHE[key] = cached
    return cached


def closest_wilayah(db: Database, kode_or_text: str, limit: int = 5, dalam: str | None = None) -> list[dict]:
    """Suggestions for an unknown area code or a misspelled name (decorated like search results).

    - A code ('61.71.03.1009'): the areas under its longest known ancestor
      (the kelurahan of 61.71.03), nearest codes first.
    - A code followed by a name ('61.71.03 Pal Lma'): names under that code, by similarity.
    - A name: substring matches if any, else the most similar names (difflib)
      under ``dalam`` if given, else over the whole country.
    """
    raw = (kode_or_text or "").strip()
    if not raw or limit <= 0:
        return []
    m = re.match(r"^([\d.\s]*\d)\s*(.*)$", raw)
    code_part, name_part = (m.group(1), m.group(2).strip()) if m else ("", raw)
    code = re.sub(r"\s+", "", code_part).strip(".")
    if code.isdigit() and len(code) in (2, 4, 6, 10):
        code = normalize_kode_wilayah(code) or code
    if code and not name_part:
        exact = wilayah(db, code)
        parts = code.split(".")
        parent = None
        for i in range(len(parts) - 1, 0, -1):
            cand = ".".join(parts[:i])
            if wilayah(db, cand) is not None:
                parent = cand
                break
        siblings = children(db, parent)
        siblings.sort(key=lambda r: _code_distance(code, r["kode"]))
        rows = ([exact] if exact else []) + [r for r in siblings if not exact or r["kode"] != exact["kode"]]
        return _decorate(db, rows[:limit])

    scope = dalam
    if code and name_part:
        if wilayah(db, code) is not None:
            scope = code
    text = name_part if code else raw
    hits = search_wilayah(db, text, limit=limit, dalam=scope)
    if hits:
        return hits
    query = search_form(text)
    if scope:
        norm = normalize_kode_wilayah(scope)
        if norm is None:
            return []
        pool: dict[str, list[str]] = {}
        for kode, nama_cari in db.conn.execute(
            "SELECT kode, nama_cari FROM ref_wilayah WHERE kode >= ? AND kode < ?", [norm + ".", norm + ".~"]
        ):
            pool.setdefault(nama_cari, []).append(kode)
        names, by_name = list(pool), pool
    else:
        names, by_name = _all_names(db)
    best = difflib.get_close_matches(query, names, n=limit, cutoff=0.6)
    codes: list[str] = []
    for name in best:
        for kode in sorted(by_name[name], key=lambda k: (-k.count("."), k)):
            codes.append(kode)
    codes = codes[:limit]
    if not codes:
        return []
    marks = ",".join("?" * len(codes))
    found = {r["kode"]: r for r in _rows(db, f"SELECT * FROM ref_wilayah WHERE kode IN ({marks})", codes)}
    return _decorate(db, [found[k] for k in codes if k in found])


# --------------------------------------------------------------------------- layanan

_KODE_LAYANAN_RE = re.compile(
    r"^\s*(\d)\s*\.\s*(\d{1,2})\s*\.\s*(\d{1,2})\s*\.\s*(\d)\s*\.\s*(\d{1,2})\s*\.\s*(\d{1,4})(?!\d)"
    r"(?:\s*(?:[-–—:]\s*.*)?|\s+\D.*)?$"
)


def normalize_kode_layanan(text: str | None) -> str | None:
    """Canonical sub-kegiatan code ('1.06.04.2.01.0001') from a 2- or 4-digit last part.

    Spaces are ignored and a trailing name ('1.06.04.2.01.01 - Penyediaan
    Permakanan') is allowed. Returns None when ``text`` is not a sub-kegiatan code.
    """
    if text is None:
        return None
    m = _KODE_LAYANAN_RE.match(str(text))
    if not m:
        return None
    urusan, bidang, program, tipe, kegiatan, sub = m.groups()
    if int(sub) == 0 or int(kegiatan) == 0 or int(program) == 0:
        return None
    return f"{urusan}.{int(bidang):02d}.{int(program):02d}.{tipe}.{int(kegiatan):02d}.{int(sub):04d}"


def short_kode_layanan(kode: str) -> str:
    """The 2-digit form used by some offices: '1.06.04.2.01.0001' -> '1.06.04.2.01.01'."""
    head, _, last = kode.rpartition(".")
    return f"{head}.{int(last):02d}" if last.isdigit() and int(last) < 100 else kode


def layanan(db: Database, kode: str | None) -> dict | None:
    """The sub-kegiatan row for a code in either form, or None."""
    norm = normalize_kode_layanan(kode)
    if norm is None:
        return None
    return _row(db, "SELECT * FROM ref_layanan WHERE kode = ?", [norm])


def layanan_list(db: Database, jenis: str | None = None) -> list[dict]:
    """The sub-kegiatan catalogue in reporting order, optionally of one ``jenis``."""
    if jenis:
        return _rows(db, "SELECT * FROM ref_layanan WHERE jenis = ? ORDER BY urut", [jenis])
    return _rows(db, "SELECT * FROM ref_layanan ORDER BY urut")


# --------------------------------------------------------------------------- small lists


def daftar(db: Database, name: str) -> list[tuple[str, str]]:
    """(kode, nama) pairs of one code list of daftar.csv, in display order."""
    return [
        (r[0], r[1])
        for r in db.conn.execute("SELECT kode, nama FROM ref_daftar WHERE daftar = ? ORDER BY urut, kode", [name])
    ]


def daftar_nama(db: Database, name: str, kode: str | None) -> str | None:
    """Display name of one code of a code list (None if unknown)."""
    row = db.conn.execute("SELECT nama FROM ref_daftar WHERE daftar = ? AND kode = ?", [name, kode]).fetchone()
    return row[0] if row else None


def psks_jenis(db: Database) -> list[dict]:
    return _rows(db, "SELECT * FROM ref_psks_jenis ORDER BY urut")


def bencana_jenis(db: Database, kelompok: str | None = None) -> list[dict]:
    if kelompok:
        return _rows(db, "SELECT * FROM ref_bencana_jenis WHERE kelompok = ? ORDER BY urut", [kelompok])
    return _rows(db, "SELECT * FROM ref_bencana_jenis ORDER BY urut")


def spm_kelompok(db: Database) -> list[dict]:
    return _rows(db, "SELECT * FROM ref_spm_kelompok ORDER BY urut")


# --------------------------------------------------------------------------- PPKS categories


def ppks_kategori(db: Database) -> list[dict]:
    """All PPKS categories (the 26 of Permensos 8/2012 and working categories) in display order."""
    return _rows(db, "SELECT * FROM ref_ppks_kategori ORDER BY urut")


def _norm_text(text: str) -> str:
    return " ".join(re.sub(r"[()]", " ", text).lower().split())


def find_kategori(db: Database, text: str | None) -> dict | None:
    """A category from its number ('8', '08', '9a'), full name, 'nama (singkatan)' or singkatan.

    Case-insensitive. Falls back to a name that uniquely contains the text.
    """
    if text is None:
        return None
    s = str(text).strip()
    if not s:
        return None
    cats = ppks_kategori(db)
    m = re.fullmatch(r"(?:no\.?\s*)?0*(\d+)([a-z]?)", s.lower())
    if m:
        kode = m.group(1) + m.group(2)
        for c in cats:
            if c["kode"].lower() == kode:
                return c
        return None
    key = _norm_text(s)
    for c in cats:
        full = _norm_text(f"{c['nama']} {c['singkatan'] or ''}")
        if key in (_norm_text(c["nama"]), full) or (c["singkatan"] and key == c["singkatan"].lower()):
            return c
    if c_kode := next((c for c in cats if c["kode"].lower() == key), None):
        return c_kode
    contains = [c for c in cats if key in _norm_text(c["nama"])]
    if len(contains) == 1:
        return contains[0]
    return None


@functools.lru_cache(maxsize=4)
def _kategori_from_files(resources_dir: str) -> dict[str, tuple[str | None, int]]:
    _table, columns, ints = _CSV_TABLES["ppks_kategori.csv"]
    rows = _read_csv(Path(resources_dir) / "ppks_kategori.csv", columns, ints)
    return {r[0]: (r[4], r[5]) for r in rows}


def spm_kelompok_of(kategori_kode: str, terlantar: bool, db: Database | None = None) -> str | None:
    """The SPM group ('DISABILITAS', 'ANAK', 'LANSIA', 'GEPENG', 'BENCANA') of a registration.

    Read from ref_ppks_kategori when ``db`` is given, else from the shipped
    ppks_kategori.csv. Categories with butuh_terlantar=1 (5, 9, ODGJ) count only
    when the registration is marked terlantar. None when the category has no group.
    ``spm_kelompok_of(db, kode, terlantar)`` is accepted too.
    """
    if hasattr(kategori_kode, "execute"):  # a Database or connection given first
        kategori_kode, terlantar, db = terlantar, db, kategori_kode  # type: ignore[assignment]
    if kategori_kode is None:
        return None
    kode = str(kategori_kode).strip()
    if db is not None:
        row = db.conn.execute(
            "SELECT spm_kelompok, butuh_terlantar FROM ref_ppks_kategori WHERE kode = ?", [kode]
        ).fetchone()
    else:
        row = _kategori_from_files(str(RESOURCES_DIR)).get(kode)
    if not row or not row[0]:
        return None
    kelompok, butuh = row
    if butuh and not terlantar:
        return None
    return kelompok


# --------------------------------------------------------------------------- indicators and scales


def indikator_defs(db: Database) -> list[dict]:
    """Every indicator definition: the percentages of DOMAIN §8, then one OUT_<kode> per sub-kegiatan."""
    return [json.loads(r[0]) for r in db.conn.execute("SELECT json FROM ref_indikator ORDER BY rowid")]


def indikator(db: Database, ident: str) -> dict | None:
    row = db.conn.execute("SELECT json FROM ref_indikator WHERE id = ?", [ident]).fetchone()
    return json.loads(row[0]) if row else None


def skala(db: Database, kode: str) -> dict | None:
    """A rating scale ('PONTIANAK', 'METRO') with its bands, or None."""
    row = db.conn.execute("SELECT json FROM ref_skala WHERE kode = ?", [(kode or "").strip().upper()]).fetchone()
    return json.loads(row[0]) if row else None


def daftar_skala(db: Database) -> list[tuple[str, str]]:
    """(kode, nama) of the shipped rating scales."""
    return [(d["kode"], d["nama"]) for d in (json.loads(r[0]) for r in db.conn.execute("SELECT json FROM ref_skala ORDER BY rowid"))]


def _in_band(band: dict, x: float) -> bool:
    low, high = band.get("bawah"), band.get("atas")
    if low is not None and (x < low or (x == low and not band.get("bawah_inklusif"))):
        return False
    if high is not None and (x > high or (x == high and not band.get("atas_inklusif"))):
        return False
    return True


def nilai_skala(skala_def: dict, capaian_pct: float | None) -> str | None:
    """The verdict label of a scale for an achievement percentage (None if no value).

    A value falling between two bands (Metro's 90 < x < 91) takes the lower band
    when the scale says ``"celah": "ke_bawah"``, the upper one with ``"ke_atas"``;
    with any other ``celah`` such a value gives None.
    """
    if capaian_pct is None or skala_def is None:
        return None
    x = float(capaian_pct)
    bands = skala_def.get("pita", [])
    for band in bands:
        if _in_band(band, x):
            return band["label"]
    celah = skala_def.get("celah")
    if celah == "ke_atas":
        above = [b for b in bands if b.get("bawah") is not None and b["bawah"] >= x]
        if above:
            return min(above, key=lambda b: b["bawah"])["label"]
    elif celah == "ke_bawah":
        below = [b for b in bands if b.get("atas") is not None and b["atas"] <= x]
        if below:
            return max(below, key=lambda b: b["atas"])["label"]
    return None  # a scale without a gap rule that does not cover the value


# --------------------------------------------------------------------------- maintenance


def update_manifest(version: str | None = None, resources_dir: Path | None = None) -> dict:
    """Rewrite manifest.json with the SHA-256 of every data file (.csv/.json).

    For maintainers after editing a list: ``python -m db.reference manifest 2026.12.1``.
    A new version makes every install reload the lists at its next start.
    """
    root = Path(resources_dir or RESOURCES_DIR)
    path = root / MANIFEST_NAME
    if version is None:
        version = json.loads(path.read_text(encoding="utf-8"))["version"]
    files = sorted(p for p in root.rglob("*") if p.suffix in (".csv", ".json") and p.name != MANIFEST_NAME)
    manifest = {"version": version, "files": {p.relative_to(root).as_posix(): _sha256(p) for p in files}}
    path.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return manifest


if __name__ == "__main__":  # pragma: no cover - maintainer tool
    import sys

    if len(sys.argv) >= 2 and sys.argv[1] == "manifest":
        print(json.dumps(update_manifest(sys.argv[2] if len(sys.argv) > 2 else None), indent=2))
    else:
        print("Pemakaian: python -m db.reference manifest [VERSI]")
