"""Emergency aid (1.06.06.2.01.*) to disaster victims: one victim, a household, or a
whole event in one step (e.g. food for every displaced victim), with receipts.

Everything is recorded through the services module (``db/layanan.py``:
``catat_layanan`` / ``catat_distribusi``), which does the checks shared by all
services (aid before the event refused, aid to someone who is not a victim of
that event refused, ``terlambat`` set outside the window, one receipt per
service in the same transaction). This module adds what is specific to the
emergency response:

- only sub-kegiatan under 1.06.06.2.01 are accepted here;
- aid dated after the end of the emergency window is *warned about* (the
  caller confirms with ``konfirmasi=True``) and is then marked ``terlambat``;
- recipients are chosen from the event's victims: one victim, the members of
  one household (by No. KK; or only its head for per-household items such as
  a tarpaulin), or every victim of the event, optionally only the displaced
  ones (``tempat_tinggal``) or one vulnerable group.

Pure Python + sqlite_utils: no Qt here.
"""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from typing import Any, Sequence

from sqlite_utils import Database

from db import bencana as bencana_db
from db import korban as korban_db
from db import layanan as layanan_db
from db import records, reference
from db.errors import KnownError, ValidationError
from db.parsing import parse_date

PerluKonfirmasi = layanan_db.PerluKonfirmasi


@dataclass
class HasilBantuan:
    """What was recorded: the services (with receipt numbers), the distribution id when
    several were recorded at once, the accepted warnings, and whether the aid is late."""

    layanan: list[dict]
    kuitansi: list[dict]
    distribusi_id: str | None = None
    warnings: list[str] = field(default_factory=list)
    terlambat: bool = False

    @property
    def layanan_ids(self) -> list[str]:
        return [r["id"] for r in self.layanan]


def layanan_darurat(db: Database) -> list[dict]:
    """The emergency-aid sub-kegiatan (1.06.06.2.01.*) in catalogue order."""
    return [r for r in reference.layanan_list(db, "layanan")
            if r["kode"].startswith(bencana_db.KODE_LAYANAN_BENCANA + ".")]


def _event(db: Database, bencana_id: str) -> dict:
    ev = bencana_db.get_bencana(db, bencana_id)
    if ev is None or ev["deleted_at"]:
        raise KnownError("Kejadian bencana tidak ditemukan (mungkin sudah dihapus).")
    return ev


def _check_values(db: Database, ev: dict, values: dict[str, Any]) -> tuple[dict, list[str]]:
    """The service values with the event set, and the window warning (if any)."""
    values = dict(values)
    values.pop("orang_id", None)
    values["bencana_id"] = ev["id"]
    ref = reference.layanan(db, values.get("kode_layanan"))
    if ref is not None and not ref["kode"].startswith(bencana_db.KODE_LAYANAN_BENCANA + "."):
        raise ValidationError({
            "kode_layanan": f"{ref['kode']} {ref['nama']} bukan bantuan darurat bencana "
                            f"({bencana_db.KODE_LAYANAN_BENCANA}.*); catat di menu Layanan"
        })
    warnings = []
    try:
        tgl = parse_date(values.get("tanggal"))
    except ValueError:
        tgl = None  # the services module reports it
    if tgl is not None:
        akhir = bencana_db.akhir_masa_tanggap(ev["tanggal"], ev["lama_tanggap_darurat"])
        if tgl > akhir:
            warnings.append(
                f"Tanggal bantuan {tgl.strftime('%d/%m/%Y')} di luar masa tanggap darurat kejadian "
                f"{ev['kode_kejadian']} (berakhir {akhir.strftime('%d/%m/%Y')}); bantuan dicatat terlambat "
                "dan tidak dihitung pada SPM bencana"
            )
    return values, warnings


def beri_bantuan(db: Database, bencana_id: str, orang_ids: Sequence[str], values: dict[str, Any], *,
                 konfirmasi: bool = False) -> HasilBantuan:
    """Record one emergency-aid service for each of ``orang_ids`` (victims of the event),
    with their receipts, in one transaction.

    ``values``: kode_layanan (1.06.06.2.01.*), tanggal, jumlah, satuan, nilai,
    sumber_dana, petugas, psks_id, keterangan (raw text accepted, as in
    ``layanan.catat_layanan``). Raises ValidationError / DistribusiError (nothing
    written) or, without ``konfirmasi``, PerluKonfirmasi with the warnings
    (outside the window; the services module's own warnings).
    """
    ev = _event(db, bencana_id)
    ids = list(dict.fromkeys(i for i in orang_ids if i))
    if not ids:
        raise ValidationError({"penerima": "Tidak ada korban yang dipilih untuk menerima bantuan"})
    values, warnings = _check_values(db, ev, values)
    if warnings and not konfirmasi:
        # Errors (before the event, not a victim, ...) come first: check without writing.
        check = layanan_db.periksa_distribusi(db, ids, values)
        per_orang = {r["orang_id"]: t.errors for r, t in zip(check.rows, check.temuan) if t.errors}
        if check.common or per_orang:
            names = {r["orang_id"]: (r["_orang"] or {}).get("nama", r["orang_id"]) for r in check.rows}
            raise layanan_db.DistribusiError(check.common, per_orang, names)
        raise PerluKonfirmasi(warnings + check.warnings)
    if len(ids) == 1:
        rec = layanan_db.catat_layanan(db, {**values, "orang_id": ids[0]}, konfirmasi=konfirmasi)
        kw = rec.pop("kuitansi")
        return HasilBantuan([rec], [kw], None, warnings, bool(rec["terlambat"]))
    result = layanan_db.catat_distribusi(db, ids, values, konfirmasi=konfirmasi)
    late = any(r["terlambat"] for r in result.layanan)
    return HasilBantuan(result.layanan, result.kuitansi, result.distribusi_id, warnings + result.warnings, late)


def bantuan_korban(db: Database, korban_id: str, values: dict[str, Any], *, konfirmasi: bool = False) -> HasilBantuan:
    """Emergency aid to one victim (a korban record) of its event."""
    k = records.get(db, "korban", korban_id)
    if k is None or k["deleted_at"]:
        raise KnownError("Data korban tidak ditemukan (mungkin sudah dihapus).")
    return beri_bantuan(db, k["bencana_id"], [k["orang_id"]], values, konfirmasi=konfirmasi)


def penerima_keluarga(db: Database, bencana_id: str, no_kk: str, *, hanya_kepala: bool = False) -> list[str]:
    """Person ids of a household's victims in an event (its head only with ``hanya_kepala``;
    the first member entered when no head is marked)."""
    rows = korban_db.korban_ids(db, bencana_id, no_kk=no_kk)
    if not rows:
        raise KnownError(f"Tidak ada korban dengan No. KK {no_kk} pada kejadian ini.")
    if hanya_kepala:
        heads = [r for r in rows if r["kepala_keluarga"]]
        return [(heads or rows)[0]["orang_id"]]
    return [r["orang_id"] for r in rows]


def bantuan_keluarga(db: Database, bencana_id: str, no_kk: str, values: dict[str, Any], *,
                     hanya_kepala: bool = False, konfirmasi: bool = False) -> HasilBantuan:
    """Emergency aid to every victim of one household (No. KK), or only to its head
    for items given per household (e.g. one tarpaulin per family)."""
    ids = penerima_keluarga(db, bencana_id, no_kk, hanya_kepala=hanya_kepala)
    return beri_bantuan(db, bencana_id, ids, values, konfirmasi=konfirmasi)


def penerima_kejadian(db: Database, bencana_id: str, *, tempat_tinggal: str | None = None,
                      kelompok_rentan: str | None = None, per_kk: bool = False,
                      lewati_sudah_menerima: bool = False, kode_layanan: str | None = None,
                      tanggal: Any = None) -> list[str]:
    """Person ids of an event's victims for a one-step distribution.

    ``tempat_tinggal`` ('pengungsian', ...) and ``kelompok_rentan`` ('balita', ...)
    narrow the list; ``per_kk`` keeps one person per household (its head, else
    its first member; victims without No. KK stay); ``lewati_sudah_menerima``
    drops victims who already received ``kode_layanan`` on ``tanggal`` for this
    event (a second round the same day).
    """
    tt = korban_db.parse_tempat_tinggal(db, tempat_tinggal) if tempat_tinggal else None
    kr = korban_db.parse_kelompok_rentan(db, kelompok_rentan) if kelompok_rentan else None
    if kr and "," in kr:
        raise ValidationError({"kelompok_rentan": "Pilih satu kelompok rentan"})
    rows = korban_db.korban_ids(db, bencana_id, tempat_tinggal=tt, kelompok_rentan=kr)
    if per_kk:
        seen: dict[str, dict] = {}
        out = []
        for r in rows:  # ordered by household, head first
            if not r["no_kk"]:
                out.append(r)
            elif r["no_kk"] not in seen:
                seen[r["no_kk"]] = r
                out.append(r)
        rows = out
    ids = [r["orang_id"] for r in rows]
    if lewati_sudah_menerima and kode_layanan and tanggal:
        kode = reference.normalize_kode_layanan(kode_layanan)
        try:
            tgl = parse_date(tanggal)
        except ValueError:
            tgl = None
        if kode and tgl:
            done = {r[0] for r in db.execute(
                "SELECT orang_id FROM layanan WHERE bencana_id = ? AND kode_layanan = ? AND tanggal = ? "
                "AND deleted_at IS NULL AND status = 'aktif'", [bencana_id, kode, tgl.isoformat()])}
            ids = [i for i in ids if i not in done]
    return ids


def bantuan_kejadian(db: Database, bencana_id: str, values: dict[str, Any], *, tempat_tinggal: str | None = None,
                     kelompok_rentan: str | None = None, per_kk: bool = False,
                     lewati_sudah_menerima: bool = False, konfirmasi: bool = False) -> HasilBantuan:
    """Emergency aid to every (selected) victim of an event in one step, e.g. food
    for every displaced victim: ``bantuan_kejadian(db, id, {...}, tempat_tinggal='pengungsian')``."""
    ids = penerima_kejadian(db, bencana_id, tempat_tinggal=tempat_tinggal, kelompok_rentan=kelompok_rentan,
                            per_kk=per_kk, lewati_sudah_menerima=lewati_sudah_menerima,
                            kode_layanan=values.get("kode_layanan"), tanggal=values.get("tanggal"))
    if not ids:
        raise ValidationError({"penerima": "Tidak ada korban yang memenuhi pilihan ini"})
    return beri_bantuan(db, bencana_id, ids, values, konfirmasi=konfirmasi)


def riwayat_bantuan(db: Database, bencana_id: str, orang_id: str | None = None) -> list[dict]:
    """The event's services (all, or one person's), newest first, with names and receipt numbers."""
    kw: dict[str, Any] = {"bencana_id": bencana_id}
    if orang_id:
        kw["orang_id"] = orang_id
    return layanan_db.daftar_layanan(db, **kw)


def tanggal_default(ev: dict, hari_ini: _dt.date | None = None) -> _dt.date:
    """A sensible date for a new aid entry: today, but not before the event."""
    from db.clock import today

    d = hari_ini or today()
    start = _dt.date.fromisoformat(ev["tanggal"])
    return max(d, start)
