import datetime as dt

from db.nik import check_nik, mask_nik

TODAY = dt.date(2026, 11, 22)


def test_woman_born_1990_decodes():
    chk = check_nik("6171034501900001", today=TODAY)  # day 45 → 5th, woman
    assert chk.ok and chk.jenis_kelamin == "P" and chk.tanggal_lahir == dt.date(1990, 1, 5)
    assert chk.kode_kecamatan == "61.71.03"


def test_format_errors_block():
    assert "16 digit" in check_nik("617103450190000").errors[0]
    assert "16 digit" in check_nik("61710345019000012").errors[0]
    assert "angka" in check_nik("61710345019000AB").errors[0]
    assert "tidak mungkin" in check_nik("6171033213900001", today=TODAY).errors[0]  # 32/13
    assert check_nik("6171037202900001", today=TODAY).errors  # 32 Feb (72-40)


def test_mismatches_are_warnings_not_errors():
    chk = check_nik("6171034501900001", tanggal_lahir=dt.date(1991, 1, 5), jenis_kelamin="L",
                    kecamatan_dikenal=lambda k: False, today=TODAY)
    assert chk.ok
    assert len(chk.warnings) == 3
    assert any("jenis kelamin perempuan" in w for w in chk.warnings)


def test_matching_record_has_no_warning():
    chk = check_nik("6171031508750003", tanggal_lahir=dt.date(1975, 8, 15), jenis_kelamin="L",
                    kecamatan_dikenal=lambda k: k == "61.71.03", today=TODAY)
    assert chk.ok and chk.warnings == []


def test_masking_hides_the_middle():
    assert mask_nik("6171034501900001") == "617103********01"
    assert mask_nik(None) == "-"
