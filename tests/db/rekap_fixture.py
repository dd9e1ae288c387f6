"""A hand-built month (December 2025) for the indicator engine, the recap and the data values.

Areas: A = 61.71.03.1001 Pallima (the install's kelurahan), B = 61.71.03.1002
Sungaijawi Dalam, K = 61.71.03 (Kec. Pontianak Barat, record without a
kelurahan). Every person, registration, service, event and attendance is
listed below with what it is there to test; the expected numbers, worked out
by hand from this list, are in tests/db/test_indikator_fixture.py.

People (P-number: sex, area, No. KK, registrations, services):
  P01 L A   cat 8                    permakanan 05/12 (3 paket, 150.000, APBD_KOTA) and 20/12 (3 paket, 150.000, APBN)
  P02 P A   cat 8                    permakanan 15/11 (outside the month, inside YTD)
  P03 P A   cat 8  reg 10/12 (new)   sandang SPM 11/12 (2 stel, 200.000, APBN)
  P04 L A   cat 8  closed 20/11      permakanan 01/10            -> not active in Dec, active YTD
  P05 P A   cat 8  closed 15/12      no service                  -> active in Dec, not at period end
  P06 L A   cat 9 terlantar          alat bantu 03/12 (1 unit, 1.800.000, APBD_PROV)
  P07 P A   cat 9 NOT terlantar      alat bantu 03/12 (1 unit, 1.800.000, APBD_PROV)  -> not in SPM group
  P08 L A   cat 9a (ODGJ) terlantar  rujukan 22/12 (1 orang, 0, APBD_KOTA)
  P09 P A   cat 5 terlantar          service 05/01/2026 (after the period)
  P10 L A   cat 2                    akses pendidikan 09/12 (1 orang, 500.000, CSR)
  P11 P A   cat 1  reg 01/12 (new)   service 02/12 soft-deleted
  P12 L A   cat 11                   bimbingan 12/12 (1 kali, 0, APBD_KOTA); permakanan 13/12 CANCELLED
  P13 P A   cat 12                   kedaruratan 1.06.04.2.02.0002 14/12 (1 orang, 100.000, APBD_KOTA) -> not SPM
  P14 L A   cat 12 reg 18/12 soft-deleted registration
  P15 L A   KK1 cat 24               \\ household aid 1.06.05.2.02.0003 to KK1 (no person) 10/12 (1 KK, 300.000, APBN)
  P16 P A   KK1 cat 24               /  and 10/10 (YTD)
  P17 L A   KK2 cat 24               household aid 10/12 recorded to the person (1 KK, 300.000, APBN)
  P18 P A   KK3 cat 24 reg 05/12 (new)  no service
  P19 L A   no KK, cat 24            no service
  P20 P A   cat 23                   sandang 1.06.04.2.02.0004 02/12 (2 stel, 100.000, CSR)
  P21 L A   no NIK, cat OT reg 07/12 kedaruratan 1.06.04.2.02.0002 07/12 (1 orang, 250.000, APBD_KOTA)
  P22 L A   cat 8 AND cat 9 terlantar  permakanan 15/12 (1 KALI, 50.000, APBD_KOTA)  -> mixed unit
  P23 P B   cat 8 (NIK N23)          permakanan 05/12 (3 paket, 150.000, APBD_KOTA)
  P25 P A   cat 8, SAME NIK N23, registered by another install -> one person at kecamatan level
  P24 L K   cat 11                   bimbingan 06/12 (1 kali, 0, APBD_KOTA)
  P26 P A   cat 8, person soft-deleted, permakanan 04/12 -> nothing counts
Disasters:
  E1 kebakaran permukiman, A, 08/12/2025, 7 days (window 08/12-15/12: the event day + 7 days, db/bencana.akhir_masa_tanggap), victims P27..P30:
     P27 makanan 09/12 linked (3 paket, 75.000) + psikososial 12/12 linked -> served in time
     P28 sandang 16/12 linked (after the window)        -> not in time
     P29 makanan 10/12 NOT linked to the event           -> not in time
     P30 nothing
  E2 banjir, B, 20/12/2025: victim P31 (B) makanan 21/12 linked (kecamatan level only)
  E0 banjir rob, A, 25/11/2025: victim P32 (A) makanan 26/11 linked (YTD only)
PSKS (jenis, area, status) and events:
  S1 PSM A aktif, S2 PSM A aktif since 05/12/2025, S3 TAGANA A, S4 KARTAR (lembaga) A,
  S5 PSM A nonaktif since 15/11/2025, S6 PSM B, S7 TKSK K
  G1 pelatihan PSM 1.06.02.2.03.0001, 10-11/12, kota level: S1 hadir, S2 absent, S5 hadir, S6 hadir
  G2 simulasi Tagana 1.06.06.2.02.0002, 20/11 (YTD): S3 hadir
  G3 rapat koordinasi 1.06.02.2.03.0004, 15/12 in A: S4 hadir
"""
from __future__ import annotations

from db import records

A, B, K = "61.71.03.1001", "61.71.03.1002", "61.71.03"
KK1, KK2, KK3 = "6171030101250001", "6171030101250002", "6171030101250003"
N23 = "6171034505700023"


def nik(n: int) -> str:
    return f"617103{n:010d}"


def build(db) -> dict[str, str]:
    ids: dict[str, str] = {}

    def person(key, jk, wilayah, *, kk=None, nik_=None, install_id=None, no_nik=False):
        values = {"nama": f"Orang {key}", "jenis_kelamin": jk, "kode_wilayah": wilayah, "no_kk": kk,
                  "nik": None if no_nik else (nik_ or nik(int(key[1:]))), "alamat": f"Jl. Contoh No. {key[1:]}",
                  "rt": "001", "rw": "002", "tanggal_lahir": "1950-01-01"}
        if no_nik:
            values["nik_sementara"] = "TMP-" + key
        if install_id:
            values["install_id"] = install_id
        ids[key] = records.insert(db, "orang", values)["id"]
        return ids[key]

    def ppks(key, kat, tgl, *, terlantar=0, status="aktif", tutup=None, alasan=None):
        row = records.insert(db, "ppks", {
            "orang_id": ids[key], "kategori_kode": kat, "terlantar": terlantar, "tanggal_pendataan": tgl,
            "status": status, "tanggal_tutup": tutup, "alasan_tutup": alasan, "sumber_laporan": "kelurahan"})
        return row["id"]

    def layanan(key, kode, tgl, jumlah, satuan, nilai, sumber, *, bencana=None, no_kk=None, status="aktif"):
        row = records.insert(db, "layanan", {
            "orang_id": ids[key] if key else None, "no_kk": no_kk, "kode_layanan": kode, "tanggal": tgl,
            "jumlah": jumlah, "satuan": satuan, "nilai": nilai, "sumber_dana": sumber, "bencana_id": bencana,
            "status": status, "petugas": "Siti Aminah"})
        return row["id"]

    PERMAKANAN, SANDANG, ALAT, BIMBINGAN = "1.06.04.2.01.0001", "1.06.04.2.01.0002", "1.06.04.2.01.0003", "1.06.04.2.01.0005"
    with db.atomic():
        person("P01", "L", A); ppks("P01", "8", "2025-03-10")
        layanan("P01", PERMAKANAN, "2025-12-05", 3, "paket", 150000, "APBD_KOTA")
        layanan("P01", PERMAKANAN, "2025-12-20", 3, "paket", 150000, "APBN")
        person("P02", "P", A); ppks("P02", "8", "2025-06-01")
        layanan("P02", PERMAKANAN, "2025-11-15", 3, "paket", 150000, "APBD_KOTA")
        person("P03", "P", A); ppks("P03", "8", "2025-12-10")
        layanan("P03", SANDANG, "2025-12-11", 2, "stel", 200000, "APBN")
        person("P04", "L", A); ppks("P04", "8", "2025-01-15", status="ditutup", tutup="2025-11-20", alasan="meninggal")
        layanan("P04", PERMAKANAN, "2025-10-01", 3, "paket", 150000, "APBD_KOTA")
        person("P05", "P", A); ppks("P05", "8", "2025-02-01", status="ditutup", tutup="2025-12-15", alasan="pindah")
        person("P06", "L", A); ppks("P06", "9", "2025-04-01", terlantar=1)
        layanan("P06", ALAT, "2025-12-03", 1, "unit", 1800000, "APBD_PROV")
        person("P07", "P", A); ppks("P07", "9", "2025-05-01", terlantar=0)
        layanan("P07", ALAT, "2025-12-03", 1, "unit", 1800000, "APBD_PROV")
        person("P08", "L", A); ppks("P08", "9a", "2025-07-01", terlantar=1)
        layanan("P08", "1.06.04.2.01.0012", "2025-12-22", 1, "orang", 0, "APBD_KOTA")
        person("P09", "P", A); ppks("P09", "5", "2025-08-01", terlantar=1)
        layanan("P09", PERMAKANAN, "2026-01-05", 1, "paket", 50000, "APBD_KOTA")
        person("P10", "L", A); ppks("P10", "2", "2025-09-01")
        layanan("P10", "1.06.04.2.01.0008", "2025-12-09", 1, "orang", 500000, "CSR")
        person("P11", "P", A); ppks("P11", "1", "2025-12-01")
        gone = layanan("P11", PERMAKANAN, "2025-12-02", 1, "paket", 50000, "APBD_KOTA")
        records.soft_delete(db, "layanan", gone, "salah input")
        person("P12", "L", A); ppks("P12", "11", "2025-10-01")
        layanan("P12", BIMBINGAN, "2025-12-12", 1, "kali", 0, "APBD_KOTA")
        layanan("P12", PERMAKANAN, "2025-12-13", 1, "paket", 50000, "APBD_KOTA", status="batal")
        person("P13", "P", A); ppks("P13", "12", "2025-11-01")
        layanan("P13", "1.06.04.2.02.0002", "2025-12-14", 1, "orang", 100000, "APBD_KOTA")
        person("P14", "L", A)
        records.soft_delete(db, "ppks", ppks("P14", "12", "2025-12-18"), "data ganda")
        person("P15", "L", A, kk=KK1); ppks("P15", "24", "2025-03-01")
        person("P16", "P", A, kk=KK1); ppks("P16", "24", "2025-03-01")
        layanan(None, "1.06.05.2.02.0003", "2025-12-10", 1, "KK", 300000, "APBN", no_kk=KK1)
        layanan(None, "1.06.05.2.02.0003", "2025-10-10", 1, "KK", 300000, "APBN", no_kk=KK1)
        person("P17", "L", A, kk=KK2); ppks("P17", "24", "2025-04-01")
        layanan("P17", "1.06.05.2.02.0003", "2025-12-10", 1, "KK", 300000, "APBN")
        person("P18", "P", A, kk=KK3); ppks("P18", "24", "2025-12-05")
        person("P19", "L", A); ppks("P19", "24", "2025-05-01")
        person("P20", "P", A); ppks("P20", "23", "2025-06-01")
        layanan("P20", "1.06.04.2.02.0004", "2025-12-02", 2, "stel", 100000, "CSR")
        person("P21", "L", A, no_nik=True); ppks("P21", "OT", "2025-12-07")
        layanan("P21", "1.06.04.2.02.0002", "2025-12-07", 1, "orang", 250000, "APBD_KOTA")
        person("P22", "L", A); ppks("P22", "8", "2025-08-01"); ppks("P22", "9", "2025-08-01", terlantar=1)
        layanan("P22", PERMAKANAN, "2025-12-15", 1, "kali", 50000, "APBD_KOTA")
        person("P23", "P", B, nik_=N23); ppks("P23", "8", "2025-05-01")
        layanan("P23", PERMAKANAN, "2025-12-05", 3, "paket", 150000, "APBD_KOTA")
        person("P25", "P", A, nik_=N23, install_id="INSTALL-LAIN"); ppks("P25", "8", "2025-05-01")
        person("P24", "L", K); ppks("P24", "11", "2025-09-01")
        layanan("P24", BIMBINGAN, "2025-12-06", 1, "kali", 0, "APBD_KOTA")
        person("P26", "P", A); ppks("P26", "8", "2025-03-01")
        layanan("P26", PERMAKANAN, "2025-12-04", 1, "paket", 50000, "APBD_KOTA")
        records.soft_delete(db, "orang", ids["P26"], "meninggal sebelum didata, data ganda")

        def bencana(key, jenis, kelompok, tgl, wilayah, kode):
            ids[key] = records.insert(db, "bencana", {
                "kode_kejadian": kode, "kelompok": kelompok, "jenis_kode": jenis, "tanggal": tgl,
                "kode_wilayah": wilayah, "lokasi": "Gg. Contoh", "kk_terdampak": 3, "jiwa_terdampak": 11,
                "rumah_rusak": 2, "lama_tanggap_darurat": 7})["id"]
            return ids[key]

        def korban(ev, key):
            records.insert(db, "korban", {"bencana_id": ids[ev], "orang_id": ids[key],
                                          "tempat_tinggal": "pengungsian"})

        bencana("E1", "kebakaran_permukiman", "sosial", "2025-12-08", A, "KBR-01")
        for key in ("P27", "P28", "P29", "P30"):
            person(key, "L" if key in ("P27", "P29") else "P", A)
            korban("E1", key)
        layanan("P27", "1.06.06.2.01.0001", "2025-12-09", 3, "paket", 75000, "APBD_KOTA", bencana=ids["E1"])
        layanan("P27", "1.06.06.2.01.0005", "2025-12-12", 1, "orang", 0, "APBD_KOTA", bencana=ids["E1"])
        layanan("P28", "1.06.06.2.01.0002", "2025-12-16", 2, "stel", 150000, "APBD_KOTA", bencana=ids["E1"])
        layanan("P29", "1.06.06.2.01.0001", "2025-12-10", 3, "paket", 75000, "APBD_KOTA")
        bencana("E2", "banjir", "alam", "2025-12-20", B, "BJR-02")
        person("P31", "P", B); korban("E2", "P31")
        layanan("P31", "1.06.06.2.01.0001", "2025-12-21", 3, "paket", 75000, "APBD_KOTA", bencana=ids["E2"])
        bencana("E0", "banjir_rob", "alam", "2025-11-25", A, "ROB-00")
        person("P32", "L", A); korban("E0", "P32")
        layanan("P32", "1.06.06.2.01.0001", "2025-11-26", 3, "paket", 75000, "APBD_KOTA", bencana=ids["E0"])

        def psks(key, jenis, wilayah, *, bentuk="orang", status="aktif", mulai="2024-01-01", nonaktif=None):
            ids[key] = records.insert(db, "psks", {
                "jenis_kode": jenis, "bentuk": bentuk, "nama": f"PSKS {key}",
                "nik": None if bentuk == "lembaga" else nik(900 + int(key[1:])),
                "jenis_kelamin": None if bentuk == "lembaga" else "P", "kode_wilayah": wilayah,
                "nomor_registrasi": f"REG-{key}", "tanggal_mulai_aktif": mulai, "status": status,
                "tanggal_nonaktif": nonaktif})["id"]

        psks("S1", "PSM", A)
        psks("S2", "PSM", A, mulai="2025-12-05")
        psks("S3", "TAGANA", A, mulai="2023-06-01")
        psks("S4", "KARTAR", A, bentuk="lembaga")
        psks("S5", "PSM", A, status="nonaktif", nonaktif="2025-11-15")
        psks("S6", "PSM", B)
        psks("S7", "TKSK", K)

        def kegiatan(key, kode_layanan, jenis, mulai, selesai, wilayah, peserta):
            ids[key] = records.insert(db, "kegiatan", {
                "kode_kegiatan": key, "nama": f"Kegiatan {key}", "jenis": jenis, "kode_layanan": kode_layanan,
                "tanggal_mulai": mulai, "tanggal_selesai": selesai, "penyelenggara": "Dinas Sosial",
                "tempat": "Aula", "kode_wilayah": wilayah})["id"]
            for s, hadir in peserta:
                records.insert(db, "kegiatan_peserta", {"kegiatan_id": ids[key], "psks_id": ids[s], "hadir": hadir})

        kegiatan("G1", "1.06.02.2.03.0001", "pelatihan", "2025-12-10", "2025-12-11", "61.71",
                 [("S1", 1), ("S2", 0), ("S5", 1), ("S6", 1)])
        kegiatan("G2", "1.06.06.2.02.0002", "simulasi", "2025-11-20", "2025-11-20", A, [("S3", 1)])
        kegiatan("G3", "1.06.02.2.03.0004", "rapat_koordinasi", "2025-12-15", "2025-12-15", A, [("S4", 1)])
    return ids
