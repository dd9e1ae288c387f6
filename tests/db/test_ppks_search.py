"""The list query: text search (FTS names/addresses, NIK/KK prefixes), filters, paging, sorting."""
import pytest

from db import ppks, records
from db.ppks import PpksFilter
from tests.conftest import KELURAHAN

PEOPLE = [
    # nama, nik, no_kk, alamat, kode, registrations [(kategori, terlantar, status)]
    ("Ani Suryani", "6171034501900001", "6171030101900005", "Jl. Komodor Yos Sudarso", KELURAHAN, [("8", 0, "aktif")]),
    ("Budi Hartono", "6171030507850002", None, "Gg. Damai No. 12", KELURAHAN, [("9", 1, "aktif"), ("24", 0, "ditutup")]),
    ("Siti Aminah", None, None, "Jl. Tanjung Raya", "61.71.03", [("11", 0, "tertangani")]),
    ("Syarifah Nur", "6171036008700003", "6171030101900005", "Jl. Suryani", "61.71.01.1002", [("9", 0, "aktif")]),
    ("Ahmad Dahlan", None, None, None, None, []),
    ("Édith Sitorus", "6171031212120004", None, "Komplek Mawar", KELURAHAN, [("9a", 1, "aktif")]),
]


@pytest.fixture
def filled(db):
    ids = {}
    for nama, nik, kk, alamat, kode, regs in PEOPLE:
        values = {"nama": nama, "nik": nik, "no_kk": kk, "alamat": alamat, "kode_wilayah": kode}
        if kode is None:
            values["asal_luar"] = "Kab. Ketapang"
        reg_values = []
        for kat, terlantar, status in regs:
            r = {"kategori_kode": kat, "terlantar": terlantar, "tanggal_pendataan": "2025-02-01", "status": status}
            if status == "ditutup":
                r.update(alasan_tutup="meninggal", tanggal_tutup="2025-06-01")
            reg_values.append(r)
        ids[nama] = ppks.save_person(db, values, registrations=reg_values, confirm_warnings=True)["id"]
    return ids


def names(db, **kw):
    sort = kw.pop("sort", "nama")
    desc = kw.pop("descending", False)
    return [r["nama"] for r in ppks.search_people(db, PpksFilter(**kw), sort=sort, descending=desc)]


@pytest.mark.parametrize("text,expected", [
    ("sur", ["Ani Suryani", "Syarifah Nur"]),            # name word prefix and address word prefix
    ("ani sur", ["Ani Suryani"]),                         # every word must match
    ("AMIN", ["Siti Aminah"]),
    ("edith", ["Édith Sitorus"]),                         # accents ignored
    ("damai 12", ["Budi Hartono"]),                       # short numbers search the address
    ("617103450", ["Ani Suryani"]),                       # NIK prefix
    ("6171 0301 0190", ["Ani Suryani", "Syarifah Nur"]),  # No KK prefix typed with spaces
    ("6171036", ["Syarifah Nur"]),
    ('"ani', ["Ani Suryani"]),                            # FTS syntax characters are harmless
    ("zzz", []),
])
def test_text_search(db, filled, text, expected):
    assert names(db, text=text) == expected
    assert ppks.count_people(db, PpksFilter(text=text)) == len(expected)


def test_temporary_id_search(db, filled):
    tmp = records.get(db, "orang", filled["Siti Aminah"])["nik_sementara"]
    assert names(db, text=tmp[:-2].lower()) == ["Ahmad Dahlan", "Siti Aminah"]
    assert names(db, text=tmp) == ["Siti Aminah"]


def test_filters(db, filled):
    assert names(db, kode_wilayah=KELURAHAN) == ["Ani Suryani", "Budi Hartono", "Édith Sitorus"]
    assert names(db, kode_wilayah="61.71.03") == ["Ani Suryani", "Budi Hartono", "Siti Aminah", "Édith Sitorus"]
    assert names(db, kode_wilayah="luar") == ["Ahmad Dahlan"]
    assert names(db, kategori="9") == ["Budi Hartono", "Syarifah Nur", "Édith Sitorus"]  # includes 9a
    assert names(db, spm_kelompok="DISABILITAS") == ["Budi Hartono", "Édith Sitorus"]  # only terlantar
    assert names(db, spm_kelompok="GEPENG") == ["Siti Aminah"]
    assert names(db, status="ditutup") == ["Budi Hartono"]
    assert names(db, status="aktif", kategori="24") == []  # same registration must match both
    assert names(db, status="tanpa") == ["Ahmad Dahlan"]
    assert names(db, tanpa_nik=True) == ["Ahmad Dahlan", "Siti Aminah"]
    assert names(db, text="sit", kode_wilayah="61.71.03", tanpa_nik=True) == ["Siti Aminah"]


FILTERS = [
    {}, {"text": "sur"}, {"text": "6171"}, {"text": "ani", "kategori": "8"}, {"kategori": "9"},
    {"spm_kelompok": "DISABILITAS"}, {"status": "aktif"}, {"status": "tanpa"}, {"tanpa_nik": True},
    {"kode_wilayah": "61.71.03"}, {"include_deleted": True}, {"include_deleted": True, "text": "bu"},
    {"only_deleted": True, "text": "har"},
]


@pytest.mark.parametrize("sort", ["nama", "nik", "no_kk", "tanggal_lahir", "wilayah", "dibuat"])
@pytest.mark.parametrize("descending", [False, True])
def test_both_query_plans_agree_and_count_matches(db, filled, monkeypatch, sort, descending):
    ppks.delete_person(db, filled["Budi Hartono"], "pindah")
    for kw in FILTERS:
        flt = PpksFilter(**kw)
        monkeypatch.setattr(ppks, "WALK_THRESHOLD", 10_000)
        driven = [r["id"] for r in ppks.search_people(db, flt, sort=sort, descending=descending)]
        monkeypatch.setattr(ppks, "WALK_THRESHOLD", 0)
        monkeypatch.setattr(ppks, "WALK_FACTOR", 0)
        walked = [r["id"] for r in ppks.search_people(db, flt, sort=sort, descending=descending)]
        assert driven == walked, kw
        assert ppks.count_people(db, flt) == len(driven), kw


def test_deleted_hidden_unless_asked(db, filled):
    ppks.delete_person(db, filled["Budi Hartono"], "pindah ke luar kota")
    assert "Budi Hartono" not in names(db)
    assert "Budi Hartono" in names(db, include_deleted=True)
    assert names(db, only_deleted=True) == ["Budi Hartono"]
    assert ppks.count_people(db, PpksFilter()) == 5
    assert names(db, text="hart") == [] and names(db, text="hart", include_deleted=True) == ["Budi Hartono"]
    assert names(db, text="damai", only_deleted=True) == ["Budi Hartono"]
    ppks.restore_person(db, filled["Budi Hartono"])
    assert names(db, text="hart") == ["Budi Hartono"]
    assert ppks.search_index_ok(db)


def test_summary_columns(db, filled):
    row = next(r for r in ppks.search_people(db) if r["nama"] == "Budi Hartono")
    assert row["kategori"] == "9 Penyandang Disabilitas, 24 Fakir Miskin"
    assert row["status"] == "aktif, ditutup" and row["spm"] == "DISABILITAS" and row["registrasi"] == 2
    assert row["wilayah_nama"] == "Pallima"


def test_sorting_and_paging(db, filled):
    assert names(db, sort="nama", descending=True)[0] == "Édith Sitorus"
    by_nik = names(db, sort="nik")
    assert set(by_nik[:2]) == {"Ahmad Dahlan", "Siti Aminah"}  # no NIK first
    assert by_nik[2:] == ["Budi Hartono", "Édith Sitorus", "Ani Suryani", "Syarifah Nur"]
    assert names(db, sort="nik", descending=True)[:4] == by_nik[2:][::-1]
    assert names(db, sort="wilayah") == ["Ahmad Dahlan", "Syarifah Nur", "Siti Aminah", "Ani Suryani", "Budi Hartono",
                                         "Édith Sitorus"]
    page1 = ppks.search_people(db, limit=4, offset=0)
    page2 = ppks.search_people(db, limit=4, offset=4)
    assert [r["nama"] for r in page1 + page2] == names(db)
    assert len(list(ppks.iter_people(db, batch=2))) == 6


def test_search_index_follows_updates_and_survives_vacuum(db, filled, tmp_path):
    ppks.save_person(db, {"nama": "Ani Rahmawati"}, orang_id=filled["Ani Suryani"])
    assert names(db, text="rahma") == ["Ani Rahmawati"] and names(db, text="suryani") == ["Syarifah Nur"]
    db.execute("VACUUM")
    assert ppks.search_index_ok(db)
    assert names(db, text="rahma") == ["Ani Rahmawati"]
    from db.connection import open_database

    db.execute("VACUUM INTO ?", [str(tmp_path / "copy.db")])
    copy = open_database(tmp_path / "copy.db")
    assert names(copy, text="rahma") == ["Ani Rahmawati"]
    copy.close()


def test_rebuild_search_index(db, filled):
    db.execute("INSERT INTO orang_fts (orang_fts) VALUES ('delete-all')")
    assert names(db, text="ani") == []
    ppks.rebuild_search_index(db)
    assert names(db, text="ani") == ["Ani Suryani"]


def test_wilayah_choices_for_each_role(db, dinas_db):
    choices = ppks.wilayah_choices(db, KELURAHAN)
    assert choices[0] == (KELURAHAN, "Pallima") and choices[-1] == ("luar", "Dari luar wilayah")
    kota = ppks.wilayah_choices(dinas_db, "61.71")
    assert len([c for c in kota if c[0] not in ("luar",)]) == 6 + 29
