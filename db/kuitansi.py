"""Receipts (tanda terima) of services: numbers, check values, print counter, receipt data.

**Number.** ``TT/<kode wilayah>/<tahun>/<urut>`` (``TT/61.71.03.1001/2026/00001``):
the install's area code, the year of the service date and a counter per
install and year taken with ``records.next_number`` inside the transaction
that records the service. Counters never go down and services are never
deleted (only cancelled), so a number is never reused.

**Check value.** ``kode_cek`` = the first 16 hex digits of
HMAC-SHA256(secret, ``nomor|install_id|layanan_id|nilai``) with a random
per-install secret kept in ``pengaturan`` (key ``kuitansi_rahasia``, made on
first use). The QR code carries ``KESOS-TT|1|<nomor>|<install_id>|<kode_cek>``;
``verifikasi_qr`` recomputes the value from the stored service, so a receipt
whose amount or number was altered, or that was never issued here, is told
apart. 64 bits are plenty for paper (nobody brute-forces a receipt) and keep
the QR small enough for an 80 mm roll.

**Copies.** ``jumlah_cetak`` counts issued prints (printed or saved as PDF);
once it is above zero the receipt prints SALINAN. A cancelled service prints
BATAL with its original number.

Pure Python + sqlite_utils: no Qt here.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass, asdict
from typing import Sequence

from sqlite_utils import Database

from db import records, reference
from db.clock import now_iso
from db.errors import KnownError
from db.install import get_install, get_setting, set_setting
from db.nik import mask_nik

JENIS_NOMOR = "kuitansi"
KUNCI_RAHASIA = "kuitansi_rahasia"
KUNCI_UKURAN = "ukuran_kuitansi"
UKURAN = {"a4": "A4", "a5": "A5", "80mm": "Gulungan 80 mm"}
UKURAN_BAWAAN = "a5"
QR_AWALAN = "KESOS-TT"
QR_VERSI = "1"


# --------------------------------------------------------------------------- settings


def ukuran(db: Database) -> str:
    """The receipt size chosen in the settings ('a4', 'a5' or '80mm')."""
    value = (get_setting(db, KUNCI_UKURAN) or "").strip().lower()
    return value if value in UKURAN else UKURAN_BAWAAN


def normalisasi_ukuran(value: str | None) -> str:
    key = (value or "").strip().lower().replace(" ", "")
    key = {"80": "80mm", "roll": "80mm", "gulungan": "80mm"}.get(key, key)
    if key not in UKURAN:
        raise KnownError(f"Ukuran kuitansi '{value}' tidak dikenal (pilih a4, a5, atau 80mm).")
    return key


def set_ukuran(db: Database, value: str) -> str:
    key = normalisasi_ukuran(value)
    set_setting(db, KUNCI_UKURAN, key)
    return key


def _rahasia(db: Database) -> bytes:
    value = get_setting(db, KUNCI_RAHASIA)
    if not value:
        value = secrets.token_hex(32)
        with db.atomic():
            # INSERT OR IGNORE: two writers racing keep the first secret.
            db.execute("INSERT OR IGNORE INTO pengaturan (key, value) VALUES (?, ?)", [KUNCI_RAHASIA, value])
        value = get_setting(db, KUNCI_RAHASIA)
    return bytes.fromhex(value)


# --------------------------------------------------------------------------- numbers and checks


def format_nomor(kode_wilayah: str, tahun: int, urut: int) -> str:
    return f"TT/{kode_wilayah}/{tahun}/{urut:05d}"


def hitung_kode_cek(secret: bytes, nomor: str, install_id: str, layanan_id: str, nilai: int) -> str:
    msg = f"{nomor}|{install_id}|{layanan_id}|{int(nilai or 0)}".encode("utf-8")
    return hmac.new(secret, msg, hashlib.sha256).hexdigest()[:16].upper()


def buat_kuitansi(db: Database, layanan_rows: Sequence[dict]) -> list[dict]:
    """Number and store the receipts of freshly inserted services (inside the caller's transaction)."""
    inst = get_install(db)
    if inst is None:
        raise KnownError("Basis data belum disiapkan.")
    secret = _rahasia(db)
    out = []
    with db.atomic():
        for row in layanan_rows:
            tahun = int(row["tanggal"][:4])
            urut = records.next_number(db, JENIS_NOMOR, str(tahun))
            nomor = format_nomor(inst.kode_wilayah, tahun, urut)
            out.append({
                "layanan_id": row["id"], "nomor": nomor, "tahun": tahun, "urut": urut,
                "kode_cek": hitung_kode_cek(secret, nomor, row["install_id"], row["id"], row["nilai"]),
                "jumlah_cetak": 0,
            })
        return records.insert_many(db, "kuitansi", out)


def pastikan_kuitansi(db: Database, layanan_ids: Sequence[str]) -> int:
    """Number the receipts of this install's services that have none yet; returns how many were made.

    Every service recorded through ``db.layanan`` gets its receipt at once;
    this covers records that arrived without one (older or generated data).
    Services of another install are left alone (their receipts are theirs).
    """
    inst = get_install(db)
    missing = []
    for lid in layanan_ids:
        row = db.execute(
            "SELECT l.id, l.tanggal, l.nilai, l.install_id FROM layanan l LEFT JOIN kuitansi k ON k.layanan_id = l.id "
            "WHERE l.id = ? AND k.id IS NULL AND l.deleted_at IS NULL", [lid]).fetchone()
        if row and inst and row[3] == inst.install_id:
            missing.append({"id": row[0], "tanggal": row[1], "nilai": row[2], "install_id": row[3]})
    if missing:
        with db.atomic():
            buat_kuitansi(db, missing)
    return len(missing)


def kuitansi_of(db: Database, layanan_id: str) -> dict | None:
    row = db.execute("SELECT id FROM kuitansi WHERE layanan_id = ? AND deleted_at IS NULL", [layanan_id]).fetchone()
    return records.get(db, "kuitansi", row[0]) if row else None


def layanan_id_dari_nomor(db: Database, nomor: str) -> str | None:
    # Numbers are unique per install; a Dinas database may hold the same number from two
    # laptops of one kelurahan, so this install's own receipt wins.
    row = db.execute("SELECT layanan_id FROM kuitansi WHERE nomor = ? "
                     "ORDER BY install_id = (SELECT install_id FROM install) DESC LIMIT 1",
                     [str(nomor).strip()]).fetchone()
    return row[0] if row else None


def isi_qr(kuitansi: dict, install_id: str) -> str:
    """The text the QR code carries."""
    return "|".join([QR_AWALAN, QR_VERSI, kuitansi["nomor"], install_id, kuitansi["kode_cek"]])


def baca_qr(text: str) -> dict:
    """``{'nomor', 'install_id', 'kode_cek'}`` from a scanned QR text; ValueError if not ours."""
    parts = (text or "").strip().split("|")
    if len(parts) != 5 or parts[0] != QR_AWALAN:
        raise ValueError("Kode QR ini bukan kuitansi Kesos Lapangan")
    if parts[1] != QR_VERSI:
        raise ValueError(f"Versi kode QR kuitansi '{parts[1]}' tidak dikenal")
    return {"nomor": parts[2], "install_id": parts[3], "kode_cek": parts[4]}


def verifikasi_qr(db: Database, text: str) -> tuple[bool, str]:
    """Whether a scanned receipt QR matches a receipt issued by this install, with the reason."""
    try:
        data = baca_qr(text)
    except ValueError as exc:
        return False, str(exc)
    row = db.execute(
        "SELECT k.kode_cek, l.id, l.install_id, l.nilai, l.status FROM kuitansi k JOIN layanan l ON l.id = k.layanan_id "
        "WHERE k.nomor = ?", [data["nomor"]]).fetchone()
    if row is None:
        return False, f"Kuitansi {data['nomor']} tidak tercatat di basis data ini"
    kode_cek, layanan_id, install_id, nilai, status = row
    if install_id != data["install_id"]:
        return False, "Kuitansi dibuat oleh instalasi lain"
    expected = hitung_kode_cek(_rahasia(db), data["nomor"], install_id, layanan_id, nilai)
    if not (hmac.compare_digest(expected, data["kode_cek"]) and hmac.compare_digest(expected, kode_cek)):
        return False, "Kode cek tidak cocok: isi kuitansi telah diubah"
    if status == "batal":
        return True, f"Kuitansi {data['nomor']} asli, tetapi layanannya DIBATALKAN"
    return True, f"Kuitansi {data['nomor']} asli"


def catat_cetak(db: Database, layanan_ids: Sequence[str]) -> None:
    """Count one issued print (printer or PDF file) of each receipt; later prints say SALINAN."""
    now = now_iso()
    with db.atomic():
        for lid in layanan_ids:
            k = kuitansi_of(db, lid)
            if k is None:
                continue
            records.update(db, "kuitansi", k["id"], {
                "jumlah_cetak": (k["jumlah_cetak"] or 0) + 1,
                "pertama_dicetak": k["pertama_dicetak"] or now,
                "terakhir_dicetak": now,
            })


# --------------------------------------------------------------------------- what a receipt shows


def terbilang_rupiah(nilai: int) -> str:
    """``1500000`` -> ``Satu juta lima ratus ribu rupiah`` (num2words, Indonesian)."""
    from num2words import num2words

    words = num2words(int(nilai or 0), lang="id")
    return words[:1].upper() + words[1:] + " rupiah"


def _tanpa_jenis(nama: str) -> str:
    for prefix in ("Kota Administrasi ", "Kabupaten Administrasi ", "Kota ", "Kabupaten "):
        if nama.startswith(prefix):
            return nama[len(prefix):]
    return nama


@dataclass
class DataKuitansi:
    """Everything a printed receipt shows, as text (the PDF layer only lays it out)."""

    layanan_id: str
    nomor: str
    kode_cek: str
    qr: str
    salinan: bool
    jumlah_cetak: int
    batal: bool
    alasan_batal: str | None
    tanggal_batal: str | None
    pemerintah: str  # "PEMERINTAH KOTA PONTIANAK"
    dinas: str  # "DINAS SOSIAL"
    wilayah: str  # "Kelurahan Pallima, Kecamatan Pontianak Barat"
    instansi: str  # "Dinas Sosial Kota Pontianak"
    penerima_nama: str
    nik_samaran: str
    alamat: str
    layanan_kode: str
    layanan_nama: str
    program_nama: str
    jumlah: str  # "30 paket"
    nilai: int
    nilai_teks: str  # "Rp 1.500.000"
    terbilang: str
    sumber_dana: str | None
    bencana: str | None
    keterangan: str | None
    tanggal: str  # ISO
    tanggal_teks: str  # "17 Agustus 2026"
    tempat: str  # "Pontianak"
    petugas_nama: str
    petugas_keterangan: str  # "PSM Kelurahan Pallima" / "PSKS: Karang Taruna ..."
    lurah_jabatan: str  # "Lurah Pallima"
    lurah_nama: str | None
    install_id: str

    def as_dict(self) -> dict:
        return asdict(self)


def _alamat(orang: dict, names: dict[str, str]) -> str:
    parts = []
    if orang.get("alamat"):
        parts.append(orang["alamat"].strip())
    rt, rw = (orang.get("rt") or "").strip(), (orang.get("rw") or "").strip()
    if rt or rw:
        parts.append(f"RT {rt.zfill(3) if rt.isdigit() else rt or '-'}/RW {rw.zfill(3) if rw.isdigit() else rw or '-'}")
    kode = orang.get("kode_wilayah") or ""
    if kode:
        segs = kode.split(".")
        if len(segs) == 4 and names.get(kode):
            jenis = "Desa" if segs[3][:1] in ("2", "3") else "Kel."
            parts.append(f"{jenis} {names[kode]}")
        if len(segs) >= 3 and names.get(".".join(segs[:3])):
            parts.append(f"Kec. {names['.'.join(segs[:3])]}")
        if orang.get("_luar") and len(segs) >= 2 and names.get(".".join(segs[:2])):
            parts.append(names[".".join(segs[:2])])
    return ", ".join(parts) or "-"


def data_kuitansi(db: Database, layanan_ids: Sequence[str]) -> list[DataKuitansi]:
    """Receipt data of services (in the given order); KnownError if one has no receipt."""
    from db.indonesian import angka, rupiah, tanggal_panjang
    from db.layanan import get_layanan

    inst = get_install(db)
    if inst is None:
        raise KnownError("Basis data belum disiapkan.")
    path = {r["tingkat"]: r for r in reference.wilayah_path(db, inst.kode_wilayah)}
    kab = path.get(2)
    kab_nama = kab["nama"] if kab else inst.kode_wilayah
    kec = path.get(3)
    kel = path.get(4)
    wilayah_parts = []
    if kel:
        wilayah_parts.append(("Desa " if kel["jenis"] == "desa" else "Kelurahan ") + kel["nama"])
    if kec:
        wilayah_parts.append("Kecamatan " + kec["nama"])
    peran_nama = {"PSM": "PSM", "TKSK": "TKSK", "DINAS": "Dinas Sosial"}.get(inst.peran, inst.peran)
    area_label = (("Kelurahan " if kel["jenis"] != "desa" else "Desa ") + kel["nama"]) if kel else (
        ("Kecamatan " + kec["nama"]) if kec else kab_nama)
    name_cache: dict[str, str] = {}

    def names_for(kode: str | None) -> dict[str, str]:
        if not kode:
            return name_cache
        segs = kode.split(".")
        for i in range(2, len(segs) + 1):
            k = ".".join(segs[:i])
            if k not in name_cache:
                row = reference.wilayah(db, k)
                name_cache[k] = row["nama"] if row else ""
        return name_cache

    out = []
    for lid in layanan_ids:
        row = get_layanan(db, lid)
        k = kuitansi_of(db, lid)
        if row is None or k is None:
            raise KnownError(f"Kuitansi layanan {lid} tidak ditemukan.")
        orang = {"alamat": row["alamat"], "rt": row["rt"], "rw": row["rw"], "kode_wilayah": row["orang_wilayah"]}
        orang["_luar"] = bool(row["orang_wilayah"] and not row["orang_wilayah"].startswith(inst.kode_wilayah[:5]))
        satuan = row["satuan_nama"] or row["satuan"]
        jumlah_txt = f"{angka(row['jumlah'])} {satuan.lower() if satuan and satuan != 'KK' else satuan}"
        bencana = None
        if row["bencana_id"]:
            ev = db.execute(
                "SELECT b.kode_kejadian, b.tanggal, b.lokasi, j.nama FROM bencana b "
                "LEFT JOIN ref_bencana_jenis j ON j.kode = b.jenis_kode WHERE b.id = ?", [row["bencana_id"]]).fetchone()
            if ev:
                bits = [ev[3] or "Bencana", tanggal_panjang(ev[1])]
                if ev[2]:
                    bits.append(ev[2])
                bencana = ", ".join(bits) + (f" (kode {ev[0]})" if ev[0] else "")
        if row["psks_nama"] and row["petugas"]:
            petugas_nama, petugas_ket = row["petugas"], f"bersama {row['psks_nama']}"
        elif row["psks_nama"]:
            petugas_nama, petugas_ket = row["psks_nama"], "PSKS"
        elif row["petugas"]:
            petugas_nama, petugas_ket = row["petugas"], "Petugas"
        else:
            petugas_nama, petugas_ket = inst.operator_nama, f"{peran_nama} {area_label}"
        # The Lurah of the recipient's kelurahan when the install covers a kecamatan (TKSK).
        lurah_kel = kel
        if lurah_kel is None and row["orang_wilayah"] and len(row["orang_wilayah"].split(".")) == 4:
            lurah_kel = reference.wilayah(db, row["orang_wilayah"])
        if lurah_kel:
            lurah_jabatan = ("Kepala Desa " if lurah_kel["jenis"] == "desa" else "Lurah ") + lurah_kel["nama"]
        else:
            lurah_jabatan = "Lurah"
        out.append(DataKuitansi(
            layanan_id=lid,
            nomor=k["nomor"],
            kode_cek=k["kode_cek"],
            qr=isi_qr(k, row["install_id"]),
            salinan=(k["jumlah_cetak"] or 0) > 0,
            jumlah_cetak=k["jumlah_cetak"] or 0,
            batal=row["status"] == "batal",
            alasan_batal=row["alasan_batal"],
            tanggal_batal=row["tanggal_batal"],
            pemerintah=f"PEMERINTAH {kab_nama.upper()}",
            dinas="DINAS SOSIAL",
            wilayah=", ".join(wilayah_parts),
            instansi=f"Dinas Sosial {kab_nama}",
            penerima_nama=row["nama"] or "-",
            nik_samaran=mask_nik(row["nik"]) if row["nik"] else "(NIK belum ada)",
            alamat=_alamat(orang, names_for(row["orang_wilayah"])),
            layanan_kode=row["kode_layanan"],
            layanan_nama=row["layanan_nama"] or row["kode_layanan"],
            program_nama=row["program_nama"] or "",
            jumlah=jumlah_txt,
            nilai=int(row["nilai"] or 0),
            nilai_teks=rupiah(row["nilai"]),
            terbilang=terbilang_rupiah(row["nilai"]),
            sumber_dana=row["sumber_dana_nama"] or row["sumber_dana"],
            bencana=bencana,
            keterangan=row["keterangan"],
            tanggal=row["tanggal"],
            tanggal_teks=tanggal_panjang(row["tanggal"]),
            tempat=_tanpa_jenis(kab_nama),
            petugas_nama=petugas_nama,
            petugas_keterangan=petugas_ket,
            lurah_jabatan=lurah_jabatan,
            lurah_nama=inst.lurah_nama if kel else None,
            install_id=row["install_id"],
        ))
    return out

