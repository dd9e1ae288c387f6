"""The indicator engine must not leave a transaction open on the app's connection.

Its TEMP tables are filled with INSERT, which makes Python's sqlite3 open an
implicit transaction. Left open, every later ``db.atomic()`` of the GUI (one
connection for the whole session) became a savepoint inside it: nothing was
committed, other connections never saw the records and they were gone when the
app closed. Found while following the user guide (issue 9).
"""
from db import indikator, records
from db.connection import open_database


def test_indicators_leave_no_transaction_and_later_writes_are_committed(db, db_path):
    from tests.sinkron_helpers import add_person

    add_person(db, nama="Sebelum", nik="6171030101400007", tanggal="2025-11-03")
    indikator.hitung_indikator(db, "2025-11", "61.71.03.1001")
    assert not db.conn.in_transaction
    with db.atomic():
        records.insert(db, "orang", {"nama": "Sesudah", "jenis_kelamin": "P", "kode_wilayah": "61.71.03.1001"})
    other = open_database(db_path)
    try:
        assert other.execute("SELECT count(*) FROM orang WHERE nama = 'Sesudah'").fetchone()[0] == 1
    finally:
        other.close()
