import datetime as dt

import pytest
from hypothesis import given, strategies as st

from db.parsing import clean_digits, parse_date, parse_period, parse_rupiah, parse_yes_no


@pytest.mark.parametrize("text", ["17/08/2025", "17-08-2025", "2025-08-17", "17 Agustus 2025", "17 agt 2025",
                                  dt.date(2025, 8, 17), dt.datetime(2025, 8, 17, 10, 0)])
def test_dates_in_every_accepted_form(text):
    assert parse_date(text) == dt.date(2025, 8, 17)


@pytest.mark.parametrize("text", ["31/02/2025", "kemarin", "2025/13/01", "17 Agustusan 2025", 45000])
def test_garbage_dates_refused(text):
    with pytest.raises(ValueError):
        parse_date(text)


def test_empty_date_is_none():
    assert parse_date("  ") is None and parse_date(None) is None


@pytest.mark.parametrize("text", ["1500000", "1.500.000", "Rp 1.500.000", "Rp1.500.000", "1,500,000", "Rp. 1.500.000,-",
                                  "1.500.000,00", 1500000, 1500000.0])
def test_rupiah_forms_mean_the_same(text):
    assert parse_rupiah(text) == 1_500_000


@pytest.mark.parametrize("text", ["1.5jt", "1,5 juta", "1.50.000", "-5000", "abc", 1500.5])
def test_rupiah_shorthand_and_garbage_refused(text):
    with pytest.raises(ValueError):
        parse_rupiah(text)


def test_nik_cell_cleaning():
    assert clean_digits("'6171034501900001", length=16, label="NIK") == "6171034501900001"
    assert clean_digits("6171 0345 0190 0001", length=16, label="NIK") == "6171034501900001"
    assert clean_digits("617103.450190.0001", length=16, label="NIK") == "6171034501900001"
    for bad, word in [("3.17101E+15", "kehilangan digit"), (3.17101e15, "angka"), ("617103450190000", "16 digit"),
                      ("61710345019000011", "16 digit"), ("61710345019OOOO1", "hanya boleh")]:
        with pytest.raises(ValueError, match=word):
            clean_digits(bad, length=16, label="NIK")


@given(st.text(alphabet="0123456789", min_size=16, max_size=16))
def test_nik_digits_round_trip_through_any_grouping(digits):
    grouped = " ".join(digits[i:i + 4] for i in range(0, 16, 4))
    assert clean_digits(grouped, length=16, label="NIK") == digits
    assert clean_digits("'" + digits, length=16, label="NIK") == digits


def test_yes_no_and_period():
    assert parse_yes_no("Ya") is True and parse_yes_no("tidak") is False
    with pytest.raises(ValueError):
        parse_yes_no("mungkin")
    assert parse_period("2025-12") == (2025, 12) and parse_period("2025") == (2025, None)
    with pytest.raises(ValueError):
        parse_period("2025-13")
