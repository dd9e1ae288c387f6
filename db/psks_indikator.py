"""PSKS indicators (DOMAIN.md §8): PSKS_DIBINA and the outputs of the
sub-kegiatan counted from PSKS events (1.06.02.2.03.*, 1.06.06.2.02.*).

Small pure functions over SQL, meant to be called (or replaced) by the
indicator engine. Decisions, where DOMAIN.md is silent:

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


def _attended_clause(date_from: Any, date_to: Any, kode_sql: str = "", kode_params: list | None = None
                     ) -> tuple[str, list]:
    """EXISTS-style join condition: p attended a living event starting in the period."""
    sql = (
        "EXISTS (SELECT 1 FROM kegiatan_peserta kp JOIN kegiatan k ON k.id = kp.kegiatan_id "
        "WHERE kp.psks_id = p.id AND kp.hadir = 1 AND kp.deleted_at IS NULL AND k.deleted_at IS NULL "
        f"AND k.tanggal_mulai BETWEEN ? AND ?{kode_sql})"
    )
    return sql, [_iso(date_from), _iso(date_to), *(kode_params or [])]


def psks_dibina(db: Database, kode_wilayah_prefix: str | None, date_from: Any, date_to: Any,
                jenis_kode: str | None = None) -> dict:
    """PSKS_DIBINA for an area and period: {numerator, denominator, value (% or None)}.

    ``jenis_kode`` restricts both parts to one PSKS type (the recap's per-type rows).
    """
    area_sql, area_params = area_clause("p.kode_wilayah", kode_wilayah_prefix)
    act_sql, act_params = active_clause(date_from, date_to)
    att_sql, att_params = _attended_clause(date_from, date_to)
    jenis_sql, jenis_params = ("AND p.jenis_kode = ?", [jenis_kode]) if jenis_kode else ("", [])
    row = db.execute(
        f"SELECT count(DISTINCT {PERSON_KEY}), "
        f"count(DISTINCT CASE WHEN {att_sql} THEN {PERSON_KEY} END) "
        f"FROM psks p WHERE {act_sql} AND {area_sql} {jenis_sql}",
        [*att_params, *act_params, *area_params, *jenis_params],
    ).fetchone()
    denominator, numerator = row[0], row[1]
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
        f"SELECT count(DISTINCT CASE WHEN kp.hadir = 1 THEN {PERSON_KEY} END), "
        "count(DISTINCT CASE WHEN kp.hadir = 1 THEN k.id END), "
        "sum(kp.hadir), "
        f"count(DISTINCT {PERSON_KEY}) {base}",
        params,
    ).fetchone()
    per_jenis = dict(db.execute(
        f"SELECT p.jenis_kode, count(DISTINCT {PERSON_KEY}) {base} AND kp.hadir = 1 GROUP BY p.jenis_kode",
        params,
    ).fetchall())
    return {
        "kode_layanan": reference.normalize_kode_layanan(kode_layanan) if kode_layanan else None,
        "distinct_persons": row[0] or 0,
        "jumlah_kegiatan": row[1] or 0,
        "kehadiran": row[2] or 0,
        "undangan": row[3] or 0,
        "per_jenis": per_jenis,
    }


def psks_per_jenis(db: Database, kode_wilayah_prefix: str | None, date_from: Any, date_to: Any) -> list[dict]:
    """Per PSKS type: active in the period and coached in the period (recap rows)."""
    out = []
    for j in reference.psks_jenis(db):
        r = psks_dibina(db, kode_wilayah_prefix, date_from, date_to, jenis_kode=j["kode"])
        out.append({"jenis_kode": j["kode"], "jenis_nama": j["nama"], "bentuk": j["bentuk"],
                    "aktif": r["denominator"], "dibina": r["numerator"]})
    return out
