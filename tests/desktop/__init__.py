"""GUI tests (offscreen Qt)."""


def last_export(db):
    """The newest row of the UU PDP export log: (jenis, berkas, jumlah)."""
    return tuple(db.execute("SELECT jenis, berkas, jumlah FROM ekspor_log ORDER BY id DESC LIMIT 1").fetchone() or ())
