"""PSKS indicators (DOMAIN.md §8): PSKS_DIBINA and the outputs of the
sub-kegiatan counted from PSKS events (1.06.02.2.03.*, 1.06.06.2.02.*).

The numbers come from the indicator engine (db/indikator.py, issue 7), which
adopted the decisions below; these functions keep their signatures for the
PSKS pages and add what is not an indicator (attendances, invitations, per
type). Decisions, where DOMAIN.md is silent:

- **Unit.** One PSKS = one person or one institution. A person is keyed by NIK
  (so a PSM who is also Tagana, or a TKSK registered by two installs, counts
  once); an institution, or a person without NIK, by its record id.
- **Active in the period** (same rule as PPKS): a living record registered on
  or before the period's last day (``tanggal_mulai_aktif``, else the date it
  was created) and not deactivated before the period's first day
  (``status = 'nonaktif'`` with ``tanggal_nonaktif < date_from``; a nonaktif
  record without a date counts as inactive throughout).
- **Dibina** (numerator): an active PSKS (as above) that attended (``hadir``)
  at least one living event whose first day (``tanggal_mulai``) lies in the
  period. A person attending several events counts once.
- **Area.** A PSKS belongs to its own ``kode_wilayah``; ``kode_wilayah_prefix``
  takes that code and every code under it ('61.71' = the whole kota). Outputs
  are counted by the participant's area too, so a kota-wide meeting is counted
  for the kelurahan of each participant.
- **Outputs.** ``distinct_persons`` = attending participants of the events of
  that sub-kegiatan in the period (counted once each), whatever their status.
"""
from __future__ import annotations

import datetime as _dt
from typing import Any

from sqlite_utils import Database

from db import reference
from db.psks import area_clause

PERSON_KEY = "coalesce(p.nik, p.id)"


def _iso(value: Any) -> str:
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.isoformat()[:10]
    return str(value)[:10]


def active_clause(date_from: Any, date_to: Any, alias: str = "p") -> tuple[str, list]:
    """SQL (and params) selecting PSKS records active in [date_from, date_to]."""
    a = alias
    sql = (
        f"{a}.deleted_at IS NULL "
        f"AND coalesce({a}.tanggal_mulai_aktif, substr({a}.created_at, 1, 10)) <= ? "
        f"AND NOT ({a}.status = 'nonaktif' AND coalesce({a}.tanggal_nonaktif, '0000-00-00') < ?)"
    )
    return sql, [_iso(date_to), _iso(date_from)]


def _periode(date_from: Any, date_to: Any):
    from db.indikator import Periode

    return Periode.rentang(_iso(date_from), _iso(date_to))


def _wilayah(prefix: str | None) -> str | None:
    return (reference.normalize_kode_wilayah(prefix) or prefix) if prefix else None


def psks_dibina(db: Database, kode_wilayah_prefix: str | None, date_from: Any, date_to: Any,
                jenis_kode: str | None = None) -> dict:
    """PSKS_DIBINA for an area and period: {numerator, denominator, value (% or None)},
    computed by the indicator engine (db/indikator.py, issue 7) with the rules above.

    ``jenis_kode`` restricts both parts to one PSKS type (the recap's per-type rows).
    """
    from db.indikator import hitung_indikator, psks_per_jenis as per_jenis

    periode, wilayah = _periode(date_from, date_to), _wilayah(kode_wilayah_prefix)
    if jenis_kode:
        row = next((r for r in per_jenis(db, periode, wilayah) if r["kode"] == jenis_kode), None)
        numerator, denominator = (row["dibina"], row["aktif"]) if row else (0, 0)
    else:
        h = hitung_indikator(db, periode, wilayah, ids=["PSKS_DIBINA"])["PSKS_DIBINA"]
        numerator, denominator = h.numerator, h.denominator
    return {
        "id": "PSKS_DIBINA",
        "numerator": numerator,
        "denominator": denominator,
        "value": (numerator * 100.0 / denominator) if denominator else None,
        "satuan": "%",
    }


def _kode_filter(kode_layanan: str | None) -> tuple[str, list]:
    """An exact sub-kegiatan ('1.06.02.2.03.04' or '...0004') or a prefix ('1.06.02.2.03', '1.06.02.2.03.*')."""
    if not kode_layanan:
        return "", []
    norm = reference.normalize_kode_layanan(kode_layanan)
    if norm:
        return " AND k.kode_layanan = ?", [norm]
    prefix = str(kode_layanan).strip().rstrip("*").rstrip(".")
    return " AND (k.kode_layanan = ? OR k.kode_layanan LIKE ?)", [prefix, prefix + ".%"]


def output_kegiatan(db: Database, kode_layanan: str | None, kode_wilayah_prefix: str | None,
                    date_from: Any, date_to: Any) -> dict:
    """Output of a sub-kegiatan counted from PSKS events in the period.

    Returns {kode_layanan, distinct_persons (attending, counted once),
    jumlah_kegiatan (events with at least one attending participant of the
    area), kehadiran (attendances, a person at two events counts twice),
    undangan (distinct persons invited), per_jenis {jenis_kode: distinct persons}}.
    """
    kode_sql, kode_params = _kode_filter(kode_layanan)
    area_sql, area_params = area_clause("p.kode_wilayah", kode_wilayah_prefix)
    base = (
        "FROM kegiatan_peserta kp JOIN kegiatan k ON k.id = kp.kegiatan_id JOIN psks p ON p.id = kp.psks_id "
        "WHERE kp.deleted_at IS NULL AND k.deleted_at IS NULL AND p.deleted_at IS NULL "
        f"AND k.tanggal_mulai BETWEEN ? AND ?{kode_sql} AND {area_sql}"
    )
    params = [_iso(date_from), _iso(date_to), *kode_params, *area_params]
    row = db.execute(
        f"SELECT sum(kp.hadir), count(DISTINCT {PERSON_KEY}) {base}",
        params,
    ).fetchone()
    per_jenis = dict(db.execute(
        f"SELECT p.jenis_kode, count(DISTINCT {PERSON_KEY}) {base} AND kp.hadir = 1 GROUP BY p.jenis_kode",
        params,
    ).fetchall())
    # the output itself (persons, events) as the indicator engine counts OUT_<kode> (issue 7)
    from db.indikator import HITUNG, Konteks

    norm = reference.normalize_kode_layanan(kode_layanan) if kode_layanan else None
    part = ({"kode_layanan": norm} if norm else
            {"kode_layanan_prefix": str(kode_layanan).strip().rstrip("*").rstrip(".")} if kode_layanan else {})
    with Konteks(db, _periode(date_from, date_to), _wilayah(kode_wilayah_prefix)) as k:
        group = k.wilayah or ""
        persons = HITUNG["peserta_kegiatan_hadir"](k, part).get(group, 0)
        events = HITUNG["jumlah_kegiatan"](k, part).get(group, 0)
    return {
        "kode_layanan": norm,
        "distinct_persons": persons,
        "jumlah_kegiatan": events,
        "kehadiran": row[0] or 0,
        "undangan": row[1] or 0,
        "per_jenis": per_jenis,
    }


def psks_per_jenis(db: Database, kode_wilayah_prefix: str | None, date_from: Any, date_to: Any) -> list[dict]:
    """Per PSKS type: active in the period and coached in the period (recap rows), from the
    indicator engine's ``psks_per_jenis``."""
    from db.indikator import Konteks, psks_per_jenis as per_jenis

    periode, wilayah = _periode(date_from, date_to), _wilayah(kode_wilayah_prefix)
    with Konteks(db, periode, wilayah) as k:
        rows = per_jenis(db, periode, wilayah, konteks=k, konteks_ytd=k)
    return [{"jenis_kode": r["kode"], "jenis_nama": r["nama"], "bentuk": r["bentuk"], "aktif": r["aktif"],
             "dibina": r["dibina"]} for r in rows if r["kode"] is not None]
