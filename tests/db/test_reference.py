"""Reference data: files, loader and lookups (db/reference.py, resources/reference/)."""
from __future__ import annotations

import csv
import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import sqlite_utils

from db import reference as ref

DOMAIN_CATEGORIES = {
    "1": "Anak Balita Terlantar",
    "2": "Anak Terlantar",
    "3": "Anak yang Berhadapan dengan Hukum",
    "4": "Anak Jalanan",
    "5": "Anak dengan Kedisabilitasan",
    "6": "Anak yang Menjadi Korban Tindak Kekerasan",
    "7": "Anak yang Memerlukan Perlindungan Khusus",
    "8": "Lanjut Usia Terlantar",
    "9": "Penyandang Disabilitas",
    "10": "Tuna Susila",
    "11": "Gelandangan",
    "12": "Pengemis",
    "13": "Pemulung",
    "14": "Kelompok Minoritas",
    "15": "Bekas Warga Binaan Lembaga Pemasyarakatan",
    "16": "Orang dengan HIV/AIDS",
    "17": "Korban Penyalahgunaan NAPZA",
    "18": "Korban Trafficking",
    "19": "Korban Tindak Kekerasan",
    "20": "Pekerja Migran Bermasalah Sosial",
    "21": "Korban Bencana Alam",
    "22": "Korban Bencana Sosial",
    "23": "Perempuan Rawan Sosial Ekonomi",
    "24": "Fakir Miskin",
    "25": "Keluarga Bermasalah Sosial Psikologis",
    "26": "Komunitas Adat Terpencil",
}

# Every sub-kegiatan line of DOMAIN.md §6 (2-digit last part as printed there).
DOMAIN_LAYANAN = (
    ["1.06.02.2.02.01"]
    + [f"1.06.02.2.03.{i:02d}" for i in range(1, 5)]
    + ["1.06.03.2.01.01"]
    + [f"1.06.04.2.01.{i:02d}" for i in (1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12)]
    + [f"1.06.04.2.02.{i:02d}" for i in range(1, 14)]
    + ["1.06.05.2.01.01", "1.06.05.2.01.02"]
    + [f"1.06.05.2.02.{i:02d}" for i in range(1, 5)]
    + [f"1.06.06.2.01.{i:02d}" for i in range(1, 6)]
    + ["1.06.06.2.02.01", "1.06.06.2.02.02"]
)


def _fresh_db(path: Path) -> sqlite_utils.Database:
    return sqlite_utils.Database(path)


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    """One loaded database shared by the read-only lookup tests of this module."""
    database = _fresh_db(tmp_path_factory.mktemp("ref") / "ref.db")
    assert ref.load_reference(database) is True
    yield database
    database.close()


@pytest.fixture
def resources_copy(tmp_path):
    """A writable copy of resources/reference for tests that change files."""
    target = tmp_path / "reference"
    shutil.copytree(ref.RESOURCES_DIR, target)
    return target


def _count(db, sql, params=()):
    return db.execute(sql, params).fetchone()[0]


# ---------------------------------------------------------------- loading


def test_load_fills_every_table_with_the_whole_country(db):
    assert _count(db, "SELECT count(*) FROM ref_wilayah WHERE tingkat = 1") == 38
    assert _count(db, "SELECT count(*) FROM ref_wilayah WHERE tingkat = 2") == 514
    assert _count(db, "SELECT count(*) FROM ref_wilayah WHERE tingkat = 3") == 7277
    assert _count(db, "SELECT count(*) FROM ref_wilayah WHERE tingkat = 4") == 83763
    for table in ref.REF_TABLES:
        assert _count(db, f"SELECT count(*) FROM [{table}]") > 0, table
    assert ref.stored_version(db) == ref.read_manifest()["version"]


@pytest.mark.parametrize(
    "kota, kecamatan, kelurahan",
    [("61.71", 6, 29), ("18.72", 5, 22), ("65.71", 4, 20)],
)
def test_seed_cities_have_their_kecamatan_and_kelurahan(db, kota, kecamatan, kelurahan):
    kecs = ref.children(db, kota)
    assert len(kecs) == kecamatan
    assert {k["tingkat"] for k in kecs} == {3}
    kels = [kel for k in kecs for kel in ref.children(db, k["kode"])]
    assert len(kels) == kelurahan
    assert {k["jenis"] for k in kels} == {"kelurahan"}


def test_bengkulu_has_ten_kabupaten_kota(db):
    assert len(ref.children(db, "17")) == 10


def test_second_load_is_a_no_op(tmp_path):
    database = _fresh_db(tmp_path / "a.db")
    assert ref.load_reference(database) is True
    database.execute("UPDATE ref_meta SET value = 'penanda' WHERE key = 'dimuat_pada'")
    database.conn.commit()
    assert ref.load_reference(database) is False
    assert database.execute("SELECT value FROM ref_meta WHERE key = 'dimuat_pada'").fetchone()[0] == "penanda"
    assert ref.load_reference(database, force=True) is True
    assert database.execute("SELECT value FROM ref_meta WHERE key = 'dimuat_pada'").fetchone()[0] != "penanda"


def test_new_manifest_version_reloads(tmp_path, resources_copy):
    database = _fresh_db(tmp_path / "a.db")
    assert ref.load_reference(database, resources_dir=resources_copy) is True
    with open(resources_copy / "bencana_jenis.csv", "a", encoding="utf-8") as fh:
        fh.write("likuefaksi,Likuefaksi,alam,14\n")
    ref.update_manifest("2099.01.1", resources_dir=resources_copy)
    assert ref.load_reference(database, resources_dir=resources_copy) is True
    assert ref.stored_version(database) == "2099.01.1"
    assert _count(database, "SELECT count(*) FROM ref_bencana_jenis WHERE kode = 'likuefaksi'") == 1
    assert ref.load_reference(database, resources_dir=resources_copy) is False


def test_tampered_file_is_refused_and_database_kept(tmp_path, resources_copy):
    database = _fresh_db(tmp_path / "a.db")
    ref.load_reference(database, resources_dir=resources_copy)
    with open(resources_copy / "layanan.csv", "a", encoding="utf-8") as fh:
        fh.write("1.06.04.2.01.0099,Palsu,1.06.04,P,1.06.04.2.01,K,layanan,orang,1,0,0,99,\n")
    with pytest.raises(ref.ReferenceDataError, match="layanan.csv"):
        ref.load_reference(database, force=True, resources_dir=resources_copy)
    assert _count(database, "SELECT count(*) FROM ref_layanan") == 43
    assert ref.layanan(database, "1.06.04.2.01.0099") is None


def test_failure_inside_the_transaction_rolls_everything_back(tmp_path, resources_copy):
    database = _fresh_db(tmp_path / "a.db")
    ref.load_reference(database, resources_dir=resources_copy)
    # Valid CSV shape and checksum, but a duplicate code: fails after every table was dropped.
    with open(resources_copy / "bencana_jenis.csv", "a", encoding="utf-8") as fh:
        fh.write("banjir,Banjir Lagi,alam,99\n")
    ref.update_manifest("2099.01.1", resources_dir=resources_copy)
    with pytest.raises(ref.ReferenceDataError, match="data lama tetap dipakai"):
        ref.load_reference(database, resources_dir=resources_copy)
    assert not database.conn.in_transaction
    assert ref.stored_version(database) == ref.read_manifest()["version"]
    assert _count(database, "SELECT count(*) FROM ref_wilayah") == 91592
    assert _count(database, "SELECT count(*) FROM ref_layanan") == 43


def test_load_inside_a_callers_transaction_uses_a_savepoint(tmp_path):
    database = _fresh_db(tmp_path / "a.db")
    with database.atomic():
        database.execute("CREATE TABLE lain (x)")
        assert ref.load_reference(database) is True
        assert database.conn.in_transaction
    assert ref.stored_version(database) == ref.read_manifest()["version"]
    assert database["lain"].exists()


def test_missing_manifest_entry_is_refused(tmp_path, resources_copy):
    manifest = json.loads((resources_copy / "manifest.json").read_text(encoding="utf-8"))
    del manifest["files"]["wilayah/villages.csv"]
    (resources_copy / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(ref.ReferenceDataError, match="villages.csv"):
        ref.load_reference(_fresh_db(tmp_path / "a.db"), resources_dir=resources_copy)


def test_shipped_manifest_matches_every_data_file():
    manifest = json.loads((ref.RESOURCES_DIR / "manifest.json").read_text(encoding="utf-8"))
    on_disk = {
        p.relative_to(ref.RESOURCES_DIR).as_posix()
        for p in ref.RESOURCES_DIR.rglob("*")
        if p.suffix in (".csv", ".json") and p.name != "manifest.json"
    }
    assert set(manifest["files"]) == on_disk
    for name, digest in manifest["files"].items():
        assert hashlib.sha256((ref.RESOURCES_DIR / name).read_bytes()).hexdigest() == digest, (
            f"{name} changed: bump the version and run 'python -m db.reference manifest <versi>'"
        )


def test_wilayah_attribution_is_shipped():
    text = (ref.RESOURCES_DIR / "wilayah" / "ATTRIBUTION.md").read_text(encoding="utf-8")
    assert "idn-area-data" in text and "3.1.2" in text and "Open Database License" in text
    assert (ref.RESOURCES_DIR / "wilayah" / "LICENSE-ODbL.md").is_file()


def test_db_reference_does_not_import_qt():
    code = "import sys, db.reference; sys.exit(any(m.split('.')[0] == 'PySide6' for m in sys.modules))"
    root = Path(ref.__file__).resolve().parent.parent
    assert subprocess.run([sys.executable, "-c", code], cwd=root).returncode == 0


# ---------------------------------------------------------------- wilayah


@pytest.mark.parametrize(
    "kode, nama, jenis",
    [
        ("61", "Kalimantan Barat", "provinsi"),
        ("31", "DKI Jakarta", "provinsi"),
        ("34", "Daerah Istimewa Yogyakarta", "provinsi"),
        ("19", "Kepulauan Bangka Belitung", "provinsi"),
        ("61.71", "Kota Pontianak", "kota"),
        ("61.01", "Kabupaten Sambas", "kabupaten"),
        ("73.10", "Kabupaten Pangkajene dan Kepulauan", "kabupaten"),
        ("61.71.03", "Pontianak Barat", "kecamatan"),
        ("61.71.03.1001", "Pallima", "kelurahan"),
        ("11.01.01.2001", "Keude Bakongan", "desa"),
        ("91.03.01.3007", "Desa Adat Yoboi", "desa"),
        ("35.13.15.2017", "Soka'an", "desa"),
    ],
)
def test_wilayah_names_and_kinds(db, kode, nama, jenis):
    row = ref.wilayah(db, kode)
    assert (row["nama"], row["jenis"], row["tingkat"]) == (nama, jenis, kode.count(".") + 1)


def test_wilayah_accepts_undotted_codes_and_rejects_unknown(db):
    assert ref.wilayah(db, "6171031001")["kode"] == "61.71.03.1001"
    assert ref.wilayah(db, " 61.71 ")["nama"] == "Kota Pontianak"
    assert ref.wilayah(db, "61.71.03.1099") is None
    assert ref.wilayah(db, "pontianak") is None
    assert ref.wilayah(db, None) is None


def test_wilayah_path_and_children(db):
    assert [r["kode"] for r in ref.wilayah_path(db, "61.71.03.1001")] == ["61", "61.71", "61.71.03", "61.71.03.1001"]
    assert ref.wilayah_path(db, "61.71.03.1099") == []
    assert len(ref.children(db)) == 38
    kecs = ref.children(db, "61.71")
    assert [k["kode"] for k in kecs] == sorted(k["kode"] for k in kecs)
    assert all(k["induk"] == "61.71" for k in kecs)


def test_search_finds_a_kelurahan_with_or_without_spaces_and_labels_it(db):
    for text in ("pal lima", "Pallima", "PAL-LIMA"):
        first = ref.search_wilayah(db, text)[0]
        assert first["kode"] == "61.71.03.1001", text
    assert first["label"] == "Pallima — Kec. Pontianak Barat, Kota Pontianak"
    assert (first["kecamatan"], first["kabkota"], first["provinsi"]) == (
        "Pontianak Barat", "Kota Pontianak", "Kalimantan Barat",
    )


def test_search_by_code_prefix_level_and_scope(db):
    rows = ref.search_wilayah(db, "61.71.03", limit=50)
    assert rows[0]["kode"] == "61.71.03"
    assert all(r["kode"].startswith("61.71.03") for r in rows)
    assert len(rows) == 1 + len(ref.children(db, "61.71.03"))
    kels = ref.search_wilayah(db, "pontianak", tingkat=4, limit=50)
    assert kels and {r["tingkat"] for r in kels} == {4}
    scoped = ref.search_wilayah(db, "sungai", dalam="61.71", limit=100)
    assert scoped and all(r["kode"].startswith("61.71.") for r in scoped)
    assert {r["tingkat"] for r in ref.search_wilayah(db, "kec. pontianak")} == {3}
    assert ref.search_wilayah(db, "kota pontianak")[0]["kode"] == "61.71"
    assert ref.search_wilayah(db, "kab sambas")[0]["kode"] == "61.01"
    assert ref.search_wilayah(db, "xyzqw") == []
    assert ref.search_wilayah(db, "") == []
    assert len(ref.search_wilayah(db, "sungai", limit=7)) == 7


def test_search_ranks_exact_name_before_substring(db):
    rows = ref.search_wilayah(db, "pontianak")
    # The village named exactly "Pontianak" (level 4) outranks Kota Pontianak (level 2, substring).
    assert (rows[0]["nama"], rows[0]["tingkat"]) == ("Pontianak", 4)
    names = [r["nama"] for r in rows]
    assert names.index("Pontianak Barat") < names.index("Kota Pontianak")
    rows = ref.search_wilayah(db, "metro", tingkat=3)
    assert rows[0]["nama"].lower().startswith("metro")
    labels = [r["label"] for r in ref.search_wilayah(db, "metro pusat")]
    assert labels[0] == "Kec. Metro Pusat — Kota Metro"


def test_closest_for_unknown_kelurahan_code_suggests_the_kecamatan_kelurahan(db):
    rows = ref.closest_wilayah(db, "61.71.03.1009")
    assert rows and len(rows) <= 5
    assert all(r["kode"].startswith("61.71.03.") and r["tingkat"] == 4 for r in rows)
    rows = ref.closest_wilayah(db, "61.71.09")
    assert rows and all(r["induk"] == "61.71" for r in rows)
    assert {r["tingkat"] for r in ref.closest_wilayah(db, "99")} == {1}


def test_closest_for_misspelled_name(db):
    assert "61.71.03.1001" in [r["kode"] for r in ref.closest_wilayah(db, "Pal Lmia")]
    assert ref.closest_wilayah(db, "61.71 Pal Lmia")[0]["kode"] == "61.71.03.1001"
    assert ref.closest_wilayah(db, "Pal Lmia", dalam="18.72") == []


# ---------------------------------------------------------------- PPKS categories and SPM


def test_the_26_categories_are_numbered_as_in_permensos(db):
    cats = {c["kode"]: c for c in ref.ppks_kategori(db)}
    for kode, nama in DOMAIN_CATEGORIES.items():
        assert cats[kode]["nama"] == nama
        assert cats[kode]["induk"] is None
    working = {k: c for k, c in cats.items() if k not in DOMAIN_CATEGORIES}
    assert set(working) == {"9a", "20a", "OT"}
    assert (working["9a"]["singkatan"], working["9a"]["induk"]) == ("ODGJ", "9")
    assert working["20a"]["induk"] == "20"
    assert working["OT"]["induk"] is None
    assert [c["kode"] for c in ref.ppks_kategori(db)][:10] == ["1", "2", "3", "4", "5", "6", "7", "8", "9", "9a"]


def test_category_references_are_consistent(db):
    codes = {c["kode"] for c in ref.ppks_kategori(db)}
    groups = {g["kode"] for g in ref.spm_kelompok(db)}
    assert groups == {"DISABILITAS", "ANAK", "LANSIA", "GEPENG", "BENCANA"}
    for c in ref.ppks_kategori(db):
        assert c["induk"] is None or c["induk"] in codes
        assert c["spm_kelompok"] is None or c["spm_kelompok"] in groups
        assert not c["butuh_terlantar"] or c["spm_kelompok"]
    sensitive = {c["kode"] for c in ref.ppks_kategori(db) if c["sensitif"]}
    assert {"16", "18", "19", "17", "3", "9a"} <= sensitive
    assert "24" not in sensitive


@pytest.mark.parametrize(
    "kode, terlantar, expected",
    [
        ("5", True, "DISABILITAS"),
        ("5", False, None),
        ("9", True, "DISABILITAS"),
        ("9", False, None),
        ("9a", True, "DISABILITAS"),
        ("9a", False, None),
        ("1", False, "ANAK"),
        ("2", False, "ANAK"),
        ("8", False, "LANSIA"),
        ("11", False, "GEPENG"),
        ("12", True, "GEPENG"),
        ("21", False, "BENCANA"),
        ("22", False, "BENCANA"),
        ("3", True, None),
        ("24", True, None),
        ("OT", True, None),
        ("99", True, None),
    ],
)
def test_spm_group_of_a_registration(db, kode, terlantar, expected):
    assert ref.spm_kelompok_of(kode, terlantar, db) == expected
    assert ref.spm_kelompok_of(kode, terlantar) == expected  # from the shipped file
    assert ref.spm_kelompok_of(db, kode, terlantar) == expected  # db-first call form


def test_spm_group_follows_the_table_not_code(tmp_path, resources_copy):
    path = resources_copy / "ppks_kategori.csv"
    text = path.read_text(encoding="utf-8").replace("13,Pemulung,,,,0,0,14,", "13,Pemulung,,,GEPENG,0,0,14,")
    path.write_text(text, encoding="utf-8")
    ref.update_manifest("2099.01.1", resources_dir=resources_copy)
    database = _fresh_db(tmp_path / "a.db")
    ref.load_reference(database, resources_dir=resources_copy)
    assert ref.spm_kelompok_of("13", False, database) == "GEPENG"


@pytest.mark.parametrize(
    "text, kode",
    [
        ("8", "8"),
        ("08", "8"),
        (" 24 ", "24"),
        ("9a", "9a"),
        ("9A", "9a"),
        ("Lanjut Usia Terlantar", "8"),
        ("lanjut usia terlantar", "8"),
        ("ODHA", "16"),
        ("odgj", "9a"),
        ("Orang dengan HIV/AIDS (ODHA)", "16"),
        ("ABH", "3"),
        ("BWBLP", "15"),
        ("PMBS", "20"),
        ("ot", "OT"),
        ("Orang Terlantar", "OT"),
        ("fakir miskin", "24"),
    ],
)
def test_find_kategori(db, text, kode):
    assert ref.find_kategori(db, text)["kode"] == kode


@pytest.mark.parametrize("text", ["27", "0", "", None, "anak", "bukan kategori"])
def test_find_kategori_rejects_unknown_or_ambiguous(db, text):
    assert ref.find_kategori(db, text) is None


# ---------------------------------------------------------------- layanan


@pytest.mark.parametrize(
    "text, expected",
    [
        ("1.06.04.2.01.01", "1.06.04.2.01.0001"),
        ("1.06.04.2.01.0001", "1.06.04.2.01.0001"),
        (" 1.06.04.2.01. 12 ", "1.06.04.2.01.0012"),
        ("1 . 06 . 06 . 2 . 01 . 3", "1.06.06.2.01.0003"),
        ("1.06.05.2.02.0003 - Fasilitasi Bantuan Sosial Kesejahteraan Keluarga", "1.06.05.2.02.0003"),
        ("1.06.04.2.01.01 Penyediaan Permakanan", "1.06.04.2.01.0001"),
    ],
)
def test_normalize_kode_layanan_accepts_both_forms(text, expected):
    assert ref.normalize_kode_layanan(text) == expected


@pytest.mark.parametrize(
    "text",
    ["", None, "1.06.04.2.01", "1.06.04.2.01.00001", "1.06.04.2.01.00", "1.06.04.2.01.01.5", "abc", "1.06.04.2.01.01x"],
)
def test_normalize_kode_layanan_rejects_other_text(text):
    assert ref.normalize_kode_layanan(text) is None


def test_catalogue_has_every_domain_line_and_nothing_else(db):
    rows = ref.layanan_list(db)
    assert [r["kode"] for r in rows] == [ref.normalize_kode_layanan(k) for k in DOMAIN_LAYANAN]
    assert all(ref.normalize_kode_layanan(r["kode"]) == r["kode"] for r in rows)
    assert ref.layanan(db, "1.06.04.2.01.03")["nama"] == "Penyediaan Alat Bantu"
    assert ref.layanan(db, "1.06.04.2.01.09") is None


def test_catalogue_flags_and_kinds(db):
    rows = {r["kode"]: r for r in ref.layanan_list(db)}
    for kode, r in rows.items():
        assert r["spm"] == int(kode.startswith("1.06.04.2.01.")), kode
        assert r["bencana"] == int(kode.startswith("1.06.06.2.01.")), kode
        assert r["per_kk"] == int(kode == "1.06.05.2.02.0003"), kode
        assert r["kegiatan_kode"] == kode.rsplit(".", 1)[0] and r["program_kode"] == kode[:7]
    psks = {k for k, r in rows.items() if r["jenis"] == "kegiatan_psks"}
    assert psks == {
        "1.06.02.2.03.0001", "1.06.02.2.03.0002", "1.06.02.2.03.0003", "1.06.02.2.03.0004",
        "1.06.06.2.02.0001", "1.06.06.2.02.0002",
    }
    assert {k for k, r in rows.items() if r["jenis"] == "pendataan"} == {"1.06.05.2.02.0001", "1.06.05.2.02.0002"}
    assert {k for k, r in rows.items() if r["jenis"] == "izin"} == {"1.06.02.2.02.0001"}
    satuan = {k for k, _ in ref.daftar(db, "satuan")}
    assert {r["satuan_default"] for r in rows.values()} <= satuan
    assert rows["1.06.04.2.01.0001"]["satuan_default"] == "paket"
    assert rows["1.06.04.2.01.0002"]["satuan_default"] == "stel"
    assert rows["1.06.04.2.01.0003"]["satuan_default"] == "unit"
    assert rows["1.06.06.2.01.0003"]["satuan_default"] == "unit"
    assert rows["1.06.05.2.02.0003"]["satuan_default"] == "KK"


def test_psks_types(db):
    rows = {r["kode"]: r for r in ref.psks_jenis(db)}
    assert sum(r["sumber"] == "permensos" for r in rows.values()) == 12
    assert {"PSM", "TKSK", "TAGANA", "LKS", "KARTAR", "LK3", "FAS_SLRT", "SAKTI_PEKSOS"} <= set(rows)
    assert rows["PSM"]["bentuk"] == "orang" and rows["KARTAR"]["bentuk"] == "lembaga"
    for r in rows.values():
        if r["kode_layanan_pembinaan"]:
            assert ref.layanan(db, r["kode_layanan_pembinaan"])["jenis"] == "kegiatan_psks"


def test_disaster_types(db):
    rows = {r["kode"]: r for r in ref.bencana_jenis(db)}
    assert rows["kebakaran_permukiman"]["kelompok"] == "sosial"
    assert rows["konflik_sosial"]["kelompok"] == "sosial"
    assert rows["banjir_rob"]["kelompok"] == "alam"
    assert {"banjir", "angin_puting_beliung", "tanah_longsor", "gempa_bumi", "tsunami",
            "letusan_gunung_api", "kekeringan", "abrasi"} <= set(rows)
    assert [r["kode"] for r in ref.bencana_jenis(db, "sosial")] == [
        "kebakaran_permukiman", "konflik_sosial", "sosial_lainnya",
    ]


def test_code_lists(db):
    assert ref.daftar(db, "sumber_dana") == [
        ("APBD_KOTA", "APBD Kab/Kota"), ("APBD_PROV", "APBD Provinsi"), ("APBN", "APBN/Kemensos"), ("CSR", "CSR/Lainnya"),
    ]
    assert [k for k, _ in ref.daftar(db, "status_ppks")] == ["aktif", "tertangani", "ditutup"]
    assert [k for k, _ in ref.daftar(db, "peran")] == ["TKSK", "PSM", "DINAS"]
    for name in ("sumber_laporan", "alasan_tutup", "satuan", "kelompok_rentan", "tempat_tinggal_sementara",
                 "jenis_kegiatan", "jenis_disabilitas", "status_dtks", "jenis_kelamin"):
        assert ref.daftar(db, name), name
    assert ref.daftar(db, "tidak_ada") == []
    assert ref.daftar_nama(db, "satuan", "orang_kali") == "Orang/Kali"


# ---------------------------------------------------------------- indicators


def test_indicator_definitions_use_only_documented_vocabulary(db):
    doc = json.loads((ref.RESOURCES_DIR / "indikator.json").read_text(encoding="utf-8"))
    hitung, filters = set(doc["kosakata"]["hitung"]), set(doc["kosakata"]["filter"])
    plain = {"hitung", "label", "kode", "satuan"}
    defs = ref.indikator_defs(db)
    ids = [d["id"] for d in defs]
    assert ids[:8] == [
        "PPKS_TERTANGANI", "SPM_DISABILITAS", "SPM_ANAK", "SPM_LANSIA", "SPM_GEPENG", "SPM_BENCANA",
        "PSKS_DIBINA", "KPM_BANSOS",
    ]
    parts = []
    for d in defs:
        if d["jenis"] == "persentase":
            assert (d["satuan"], d["arah"]) == ("%", "naik")
            parts += [d["numerator"], d["denominator"]]
        else:
            parts += d["ukuran"]
    for part in parts:
        assert part["hitung"] in hitung, part
        assert set(part) - plain <= filters, part
        if "kode_layanan" in part:
            assert ref.layanan(db, part["kode_layanan"]) is not None
        if "kelompok_spm" in part:
            assert part["kelompok_spm"] in {g["kode"] for g in ref.spm_kelompok(db)}
        for k in part.get("kategori", []):
            assert ref.find_kategori(db, k)["kode"] == k
    for g in ref.spm_kelompok(db):
        spm = ref.indikator(db, g["indikator"])
        assert spm["numerator"]["kode_layanan_prefix"] == g["kode_layanan_prefix"]


def test_every_sub_kegiatan_has_an_output(db):
    outputs = {d["id"]: d for d in ref.indikator_defs(db) if d["jenis"] == "keluaran"}
    assert set(outputs) == {f"OUT_{r['kode']}" for r in ref.layanan_list(db)}
    alat = outputs["OUT_1.06.04.2.01.0003"]
    assert alat["nama"] == "Jumlah Penerima Penyediaan Alat Bantu"
    assert [u["hitung"] for u in alat["ukuran"]] == ["penerima_layanan", "jumlah_layanan", "kuantitas_layanan", "nilai_layanan"]
    assert alat["ukuran"][2]["satuan"] == "unit"
    assert outputs["OUT_1.06.05.2.02.0003"]["satuan"] == "KK"
    assert outputs["OUT_1.06.02.2.03.0001"]["ukuran"][0]["hitung"] == "peserta_kegiatan_hadir"
    pendataan = outputs["OUT_1.06.05.2.02.0001"]["ukuran"]
    assert pendataan == [{
        "kode": "terdata", "hitung": "registrasi_ppks_baru", "kategori": ["24"], "satuan": "orang",
        "label": "Fakir miskin didata (orang)", "kode_layanan": "1.06.05.2.02.0001",
    }]
    assert outputs["OUT_1.06.05.2.02.0002"]["ukuran"][0]["hitung"] == "registrasi_ppks_diverifikasi"


def test_kpm_bansos_counts_households_of_category_24(db):
    d = ref.indikator(db, "KPM_BANSOS")
    assert d["numerator"] == {
        "hitung": "kk_kategori_menerima", "kategori": ["24"], "kode_layanan": "1.06.05.2.02.0003",
        "label": "Keluarga fakir miskin yang menerima bantuan sosial",
    }
    assert d["denominator"]["hitung"] == "kk_kategori_aktif"
    assert ref.indikator(db, "TIDAK_ADA") is None


# ---------------------------------------------------------------- rating scales


@pytest.mark.parametrize(
    "kode, capaian, label",
    [
        ("PONTIANAK", 120, "Sangat Berhasil"),
        ("PONTIANAK", 85.01, "Sangat Berhasil"),
        ("PONTIANAK", 85, "Berhasil"),
        ("PONTIANAK", 70.01, "Berhasil"),
        ("PONTIANAK", 70, "Cukup Berhasil"),
        ("PONTIANAK", 55.01, "Cukup Berhasil"),
        ("PONTIANAK", 55, "Tidak Berhasil"),
        ("PONTIANAK", 0, "Tidak Berhasil"),
        ("METRO", 100, "Sangat Tinggi"),
        ("METRO", 91, "Sangat Tinggi"),
        ("METRO", 90.5, "Tinggi"),
        ("METRO", 90, "Tinggi"),
        ("METRO", 76, "Tinggi"),
        ("METRO", 75.5, "Sedang"),
        ("METRO", 75, "Sedang"),
        ("METRO", 66, "Sedang"),
        ("METRO", 65.9, "Rendah"),
        ("METRO", 51, "Rendah"),
        ("METRO", 50.5, "Sangat Rendah"),
        ("METRO", 50, "Sangat Rendah"),
        ("METRO", -5, "Sangat Rendah"),
    ],
)
def test_rating_scales_at_band_edges(db, kode, capaian, label):
    assert ref.nilai_skala(ref.skala(db, kode), capaian) == label


def test_rating_scale_lookup(db):
    assert ref.skala(db, "metro")["kode"] == "METRO"
    assert ref.skala(db, "JAKARTA") is None
    assert [k for k, _ in ref.daftar_skala(db)] == ["PONTIANAK", "METRO"]
    assert ref.nilai_skala(ref.skala(db, "METRO"), None) is None


def test_gap_rule_can_round_upwards():
    scale = {"celah": "ke_atas", "pita": [
        {"bawah": 91, "bawah_inklusif": True, "atas": None, "label": "A"},
        {"bawah": 76, "bawah_inklusif": True, "atas": 90, "atas_inklusif": True, "label": "B"},
    ]}
    assert ref.nilai_skala(scale, 90.5) == "A"
    assert ref.nilai_skala(scale, 80) == "B"
    assert ref.nilai_skala({**scale, "celah": "tidak_ada"}, 90.5) is None


def test_csv_files_have_unique_codes():
    for name, key in [("ppks_kategori.csv", ("kode",)), ("layanan.csv", ("kode",)), ("psks_jenis.csv", ("kode",)),
                      ("bencana_jenis.csv", ("kode",)), ("spm_kelompok.csv", ("kode",)), ("daftar.csv", ("daftar", "kode"))]:
        with open(ref.RESOURCES_DIR / name, encoding="utf-8", newline="") as fh:
            keys = [tuple(row[k] for k in key) for row in csv.DictReader(fh)]
        assert len(keys) == len(set(keys)), name
