"""Row rules of the bencana and korban import specs (applied row by row, as the engine does)."""
from __future__ import annotations

import pytest

from db import bencana as B
from db import import_bencana as IB
from db import import_korban as IK
from db import records
from db.errors import ValidationError
from exporters.importer import RowError

PALLIMA = "61.71.03.1001"


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setenv("KESOS_TODAY", "2025-12-31")


def _apply(spec_module, db, values, state=None):
    state = state if state is not None else {}
    if not state:
        spec_module.prepare(db, state)
    state["row_warnings"] = []
    with db.atomic():
        return spec_module.apply_row(db, values, state), state


def _event_row(**over):
    row = {"Kode Kejadian": "KBR-01", "Tanggal Kejadian": "05/09/2025", "Jenis Bencana": "Kebakaran Permukiman",
           "Kode Wilayah": None, "Lokasi": None, "KK Terdampak": None, "Jiwa Terdampak": "41",
           "Rumah Rusak": None, "Lama Tanggap Darurat (hari)": None}
    row.update(over)
    return row


def test_event_row_defaults_and_fill_empty(db):
    outcome, _ = _apply(IB, db, _event_row())
    ev = B.cari_kode_kejadian(db, "KBR-01")
    assert outcome == "imported" and ev["kode_wilayah"] == PALLIMA and ev["lama_tanggap_darurat"] == 7
    # a later file adds the place and corrects the estimate: the empty place is filled,
    # the stored estimate is kept and the difference reported
    outcome, state = _apply(IB, db, _event_row(Lokasi="Gg. Damai", **{"Jiwa Terdampak": 45}))
    assert outcome == "imported"
    ev = B.cari_kode_kejadian(db, "KBR-01")
    assert (ev["lokasi"], ev["jiwa_terdampak"]) == ("Gg. Damai", 41)
    assert state["row_warnings"] == [("Jiwa Terdampak", "berbeda dengan data tersimpan (41); tidak diubah")]
    assert _apply(IB, db, _event_row(Lokasi="Gg. Damai"))[0] == "unchanged"


def test_event_row_with_longer_window_keeps_a_reason(db):
    _apply(IB, db, _event_row(**{"Lama Tanggap Darurat (hari)": "14"}))
    ev = B.cari_kode_kejadian(db, "KBR-01")
    assert (ev["lama_tanggap_darurat"], ev["alasan_perpanjangan"]) == (14, "Ditetapkan dalam berkas impor")


def test_event_code_of_another_event_is_refused(db):
    _apply(IB, db, _event_row())
    with pytest.raises(RowError) as err:
        _apply(IB, db, _event_row(**{"Tanggal Kejadian": "06/09/2025"}))
    assert err.value.message == ("Kode Kejadian KBR-01 sudah dipakai untuk kejadian lain "
                                 "(Kebakaran Permukiman, 05/09/2025); periksa kodenya")


def test_event_row_errors_name_the_columns(db):
    with pytest.raises(ValidationError) as err:
        _apply(IB, db, _event_row(**{"Jenis Bencana": "Hujan Es", "Kode Wilayah": "61.71.03.1999",
                                     "KK Terdampak": "dua"}))
    assert set(err.value.errors) == {"Jenis Bencana", "Kode Wilayah", "KK Terdampak"}


def _victim_row(**over):
    row = {"Kode Kejadian": "KBR-01", "NIK": None, "No KK": None, "Nama": "Tono", "Jenis Kelamin": "L",
           "Tanggal Lahir": "01/01/1990", "Alamat": None, "Kelompok Rentan": None,
           "Tempat Tinggal Sementara": None}
    row.update(over)
    return row


def test_victim_without_nik_matched_by_name_and_birth_date(db):
    _apply(IB, db, _event_row())
    state = {}
    IK.prepare(db, state)
    assert _apply(IK, db, _victim_row(), state)[0] == "imported"
    # the same person in a later file: unchanged, then the empty residence filled
    assert _apply(IK, db, _victim_row(), None)[0] == "unchanged"
    assert _apply(IK, db, _victim_row(**{"Tempat Tinggal Sementara": "Pengungsian"}), None)[0] == "imported"
    assert db.execute("SELECT count(*) FROM korban").fetchone()[0] == 1
    assert db.execute("SELECT tempat_tinggal FROM korban").fetchone()[0] == "pengungsian"


def test_victim_row_bad_fields(db):
    _apply(IB, db, _event_row())
    with pytest.raises(ValidationError) as err:
        _apply(IK, db, _victim_row(NIK="12345", **{"Kelompok Rentan": "remaja", "Tempat Tinggal Sementara": "hotel"}))
    assert set(err.value.errors) == {"NIK", "Kelompok Rentan", "Tempat Tinggal Sementara"}


def test_victim_row_unknown_event(db):
    with pytest.raises(RowError) as err:
        _apply(IK, db, _victim_row(**{"Kode Kejadian": "XX-1"}))
    assert err.value.column == "Kode Kejadian"
    assert err.value.message.startswith("Kode Kejadian 'XX-1' tidak ditemukan")


def test_first_row_of_a_household_is_its_head(db):
    _apply(IB, db, _event_row())
    state = {}
    IK.prepare(db, state)
    kk = "6171030101090007"
    _apply(IK, db, _victim_row(Nama="Kepala", **{"No KK": kk}), state)
    _apply(IK, db, _victim_row(Nama="Anak", **{"No KK": kk, "Tanggal Lahir": "2015-01-01"}), state)
    heads = dict(db.execute("SELECT o.nama, k.kepala_keluarga FROM korban k JOIN orang o ON o.id = k.orang_id"))
    assert heads == {"Kepala": 1, "Anak": 0}
    victim = db.execute("SELECT id, ppks_id FROM korban").fetchone()
    assert records.get(db, "ppks", victim[1])["kategori_kode"] == "22"
