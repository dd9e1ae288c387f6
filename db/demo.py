"""Fill an empty field database with a realistic demo of its own kelurahan.

``fill_demo`` generates with ``db.synthetic`` about 2,000 registered people of
the install's kelurahan (or, for a TKSK install of a kecamatan, spread over the
kecamatan's kelurahan/desa), services in the current month and the 11 before
it, one recent disaster with its victims and emergency aid, PSKS with their
events (a PSM training in the last weeks), and receipts numbered
``TT/<kode wilayah>/<tahun>/<urut>`` with the receipt counter set so that the
next real receipt continues the sequence.

Decisions:
- Only into an empty database (no living or deleted field record): demo data
  mixed with real data could end up in a report to the Dinas.
- DINAS installs are refused: a Dinas database is filled by importing the
  kelurahan packages, and demo records without packages would make the
  completeness table lie. Fill a kelurahan install and send its package instead.
- Audit: the records are written in bulk without one audit row each (that
  would double the time and the file); one summary row (aksi ``isi_demo``, on
  the install) says when and what the demo added, and the setting
  ``data_demo`` holds the date, so the GUI can say it is demo data.
"""
from __future__ import annotations

import datetime as _dt
import json

from sqlite_utils import Database

from db.errors import KnownError

DEMO_PEOPLE = 2_000
DEMO_SEED = 2025


def _has_records(db: Database) -> dict[str, int]:
    tables = ("orang", "ppks", "layanan", "bencana", "korban", "psks", "kegiatan", "kuitansi", "target")
    found = {}
    for t in tables:
        n = db.execute(f"SELECT count(*) FROM [{t}]").fetchone()[0]
        if n:
            found[t] = n
    return found


def fill_demo(db: Database, *, today: _dt.date | None = None, seed: int = DEMO_SEED,
              people: int = DEMO_PEOPLE) -> dict:
    """Fill the install's area with demo data; returns what was added.

    Raises KnownError (Indonesian message) when the database is not set up, is
    a DINAS database, or already holds records.
    """
    from db import clock
    from db.install import get_install, record_counts, set_setting
    from db.synthetic import Catalog, generate_install, villages_in, write_install
    from db.synthetic.generator import window_start
    from db.synthetic.sizes import village_of, kab_names, penyelenggara

    inst = get_install(db)
    if inst is None:
        raise KnownError("Basis data belum disiapkan. Jalankan 'kesos init' (atau wizard penyiapan) terlebih dahulu.")
    if inst.is_dinas:
        raise KnownError(
            "Data contoh hanya untuk basis data kelurahan (peran TKSK/PSM). Basis data Dinas diisi dengan "
            "mengimpor paket kiriman kelurahan: siapkan basis data kelurahan, isi data contoh di sana, lalu "
            "kirim paketnya ke basis data Dinas."
        )
    existing = _has_records(db)
    if existing:
        from db.indonesian import angka

        rincian = ", ".join(f"{angka(n)} {t}" for t, n in existing.items())
        raise KnownError(
            f"Basis data ini sudah berisi data ({rincian}). Data contoh hanya dapat diisi ke basis data "
            "yang masih kosong, agar tidak tercampur dengan data sebenarnya."
        )
    today = today or clock.today()
    kode = inst.kode_wilayah
    row = db.execute("SELECT tingkat, nama FROM ref_wilayah WHERE kode = ?", [kode]).fetchone()
    if row is None:
        raise KnownError(f"Kode wilayah instalasi {kode} tidak ada di data referensi; data contoh tidak dapat dibuat.")
    tingkat, nama = row
    if tingkat == 4:
        villages = [village_of(db, kode, people, force_tksk=True)]
    else:
        villages = villages_in(db, kode, people, seed=seed)
    from db.kuitansi import _rahasia  # the install's receipt secret, so demo receipts verify

    data = generate_install(
        Catalog.from_db(db), villages, kode_install=kode, install_id=inst.install_id,
        operator_nama=inst.operator_nama, today=today, seed=seed, recent_disaster=True,
        penyelenggara=penyelenggara(db, kode), kab_names=kab_names(db, kode), kuitansi_secret=_rahasia(db),
    )
    from db.clock import now_iso

    with db.atomic():
        written = write_install(db, data)
        db.execute(
            "INSERT INTO audit (waktu, install_id, operator, tabel, record_id, aksi, lama, baru) VALUES (?,?,?,?,?,?,?,?)",
            [now_iso(), inst.install_id, inst.operator_nama, "install", inst.install_id, "isi_demo", None,
             json.dumps({"data_contoh": written, "tanggal": today.isoformat()}, ensure_ascii=False)],
        )
        set_setting(db, "data_demo", today.isoformat())
    return {
        "kode_wilayah": kode,
        "nama_wilayah": nama,
        "dari": window_start(today, 12).isoformat(),
        "sampai": today.isoformat(),
        "counts": record_counts(db),
        "lainnya": {"kuitansi": written.get("kuitansi", 0), "kegiatan_peserta": written.get("kegiatan_peserta", 0)},
    }
