"""The reference codes the generator draws from, read from the ``ref_*`` tables.

Codes always come from the loaded reference data (db/reference.py), never from
constants: when a list changes (a category added, a service renamed) the
generator follows. What the generator *does* know are its own behaviour
tables (how common a category is, at what ages), keyed by code; codes there
that the reference data no longer has are simply skipped, and categories the
generator does not know get a small default weight.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlite_utils import Database


@dataclass
class Catalog:
    kategori: dict[str, dict]  # kode -> row (spm_kelompok, butuh_terlantar, induk, ...)
    layanan: dict[str, dict]  # kode -> row (jenis, satuan_default, spm, bencana, per_kk, kegiatan_kode)
    psks_jenis: dict[str, dict]  # kode -> row (bentuk, kode_layanan_pembinaan)
    bencana_jenis: dict[str, dict]  # kode -> row (kelompok)
    daftar: dict[str, list[str]]  # list name -> codes in display order
    wilayah_nama: dict[str, str] = field(default_factory=dict)  # kode -> nama, for the areas in use

    @classmethod
    def from_db(cls, db: Database) -> "Catalog":
        def rows(sql, params=()):
            cur = db.conn.execute(sql, params)
            cols = [c[0] for c in cur.description]
            return [dict(zip(cols, r)) for r in cur.fetchall()]

        daftar: dict[str, list[str]] = {}
        for d, kode in db.conn.execute("SELECT daftar, kode FROM ref_daftar ORDER BY daftar, urut, kode"):
            daftar.setdefault(d, []).append(kode)
        return cls(
            kategori={r["kode"]: r for r in rows("SELECT * FROM ref_ppks_kategori ORDER BY urut")},
            layanan={r["kode"]: r for r in rows("SELECT * FROM ref_layanan ORDER BY urut")},
            psks_jenis={r["kode"]: r for r in rows("SELECT * FROM ref_psks_jenis ORDER BY urut")},
            bencana_jenis={r["kode"]: r for r in rows("SELECT * FROM ref_bencana_jenis ORDER BY urut")},
            daftar=daftar,
        )

    # ------------------------------------------------------------------ helpers

    def codes(self, name: str) -> list[str]:
        return list(self.daftar.get(name, []))

    def kategori_of_group(self, kelompok: str) -> list[str]:
        return [k for k, r in self.kategori.items() if r.get("spm_kelompok") == kelompok]

    def needs_terlantar(self, kode: str) -> bool:
        return bool(self.kategori.get(kode, {}).get("butuh_terlantar"))

    def spm_group(self, kode: str, terlantar: bool) -> str | None:
        row = self.kategori.get(kode)
        if not row or not row.get("spm_kelompok"):
            return None
        if row.get("butuh_terlantar") and not terlantar:
            return None
        return row["spm_kelompok"]

    def services(self, *, jenis: str = "layanan", spm: int | None = None, bencana: int | None = None,
                 per_kk: int | None = None, prefix: str | None = None) -> list[str]:
        out = []
        for kode, r in self.layanan.items():
            if r["jenis"] != jenis:
                continue
            if spm is not None and int(r["spm"]) != spm:
                continue
            if bencana is not None and int(r["bencana"]) != bencana:
                continue
            if per_kk is not None and int(r["per_kk"]) != per_kk:
                continue
            if prefix is not None and not kode.startswith(prefix):
                continue
            out.append(kode)
        return out

    def bencana_of(self, kelompok: str) -> list[str]:
        return [k for k, r in self.bencana_jenis.items() if r["kelompok"] == kelompok]

    def korban_kategori(self, kelompok: str) -> str | None:
        """The PPKS category for victims of a disaster group (alam/sosial), from the BENCANA SPM group."""
        cands = self.kategori_of_group("BENCANA")
        key = "alam" if kelompok == "alam" else "sosial"
        for kode in cands:
            if key in self.kategori[kode]["nama"].lower():
                return kode
        return cands[0] if cands else None
