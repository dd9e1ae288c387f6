"""The demo filler and the synthetic-data generator behind it (kelurahan size and smaller only)."""
from __future__ import annotations

import datetime as _dt
import json
from collections import Counter

import pytest

from db.errors import KnownError
from db.nik import check_nik

TODAY = _dt.date(2025, 12, 15)
KELURAHAN = "61.71.03.1001"  # Pallima, Kec. Pontianak Barat
# Pontianak 2025 (DOMAIN.md §4): the four SPM "terlantar" groups.
PONTIANAK = {"DISABILITAS": 273, "ANAK": 111, "LANSIA": 212, "GEPENG": 185}


def _new_db(path, kode=KELURAHAN, peran="PSM"):
    from db.connection import open_database
    from db.install import init_install

    database = open_database(path, create=True)
    init_install(database, kode_wilayah=kode, operator_nama="Siti Aminah", peran=peran)
    return database


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """One demo-filled kelurahan database shared by the read-only tests below."""
    from db.demo import fill_demo

    database = _new_db(tmp_path_factory.mktemp("demo") / "demo.db")
    report = fill_demo(database, today=TODAY)
    yield database, report
    database.close()


def rows(db, sql, params=()):
    cur = db.execute(sql, params)
    cols = [c[0] for c in cur.description]
    return [dict(zip(cols, r)) for r in cur.fetchall()]


# --------------------------------------------------------------------------- people and NIK


def test_every_nik_is_valid_and_matches_sex_birth_date_and_kecamatan(demo):
    db, _ = demo
    kecamatan = {r[0] for r in db.execute("SELECT kode FROM ref_wilayah WHERE tingkat = 3")}
    people = rows(db, "SELECT nik, jenis_kelamin, tanggal_lahir, kode_wilayah FROM orang WHERE nik IS NOT NULL "
                      "UNION ALL SELECT nik, jenis_kelamin, tanggal_lahir, kode_wilayah FROM psks WHERE nik IS NOT NULL")
    assert len(people) > 1500
    for p in people:
        chk = check_nik(p["nik"], tanggal_lahir=_dt.date.fromisoformat(p["tanggal_lahir"]),
                        jenis_kelamin=p["jenis_kelamin"], kecamatan_dikenal=kecamatan.__contains__, today=TODAY)
        assert chk.errors == [] and chk.warnings == [], (p, chk)
        assert chk.kode_kecamatan == p["kode_wilayah"][:8]
        day = int(p["nik"][6:8])
        assert (day > 40) == (p["jenis_kelamin"] == "P")
    niks = [p["nik"] for p in people]
    assert len(niks) == len(set(niks)), "NIK must be unique"


def test_some_people_have_no_nik_but_a_temporary_id(demo):
    db, _ = demo
    total, tanpa, sementara = db.execute(
        "SELECT count(*), sum(nik IS NULL), sum(nik IS NULL AND nik_sementara LIKE 'SMT-617103-%') FROM orang"
    ).fetchone()
    assert 0.005 < tanpa / total < 0.05
    assert sementara == tanpa
    # The counter continues the series: the next real temporary id (db.ppks) is new.
    from db.ppks import make_nik_sementara

    class Undo(Exception):
        pass

    with pytest.raises(Undo):
        with db.atomic():
            nxt = make_nik_sementara(db)
            assert db.execute("SELECT count(*) FROM orang WHERE nik_sementara = ?", [nxt]).fetchone()[0] == 0
            assert nxt.endswith(f"-{tanpa + 1:05d}")
            raise Undo


def test_households_share_a_kk_number(demo):
    db, _ = demo
    shared = db.execute("SELECT count(*) FROM (SELECT no_kk FROM orang WHERE no_kk IS NOT NULL "
                        "GROUP BY no_kk HAVING count(*) > 1)").fetchone()[0]
    assert shared > 100
    bad = db.execute("SELECT count(*) FROM orang WHERE no_kk IS NOT NULL AND length(no_kk) <> 16").fetchone()[0]
    assert bad == 0


def test_birth_dates_fit_the_categories(demo):
    db, _ = demo
    def ages(kode):
        return [(TODAY - _dt.date.fromisoformat(r[0])).days / 365.25 for r in db.execute(
            "SELECT o.tanggal_lahir FROM ppks p JOIN orang o ON o.id = p.orang_id WHERE p.kategori_kode = ?", [kode])]
    assert ages("1") and max(ages("1")) < 6
    assert ages("2") and all(5.9 < a < 18 for a in ages("2"))
    assert ages("8") and min(ages("8")) >= 60


# --------------------------------------------------------------------------- registrations


def test_categories_are_distributed_like_pontianak(demo):
    from db.reference import spm_kelompok_of

    db, _ = demo
    groups = Counter()
    cats = Counter()
    for kode, terlantar in db.execute("SELECT kategori_kode, terlantar FROM ppks"):
        groups[spm_kelompok_of(db, kode, terlantar)] += 1
        cats[kode] += 1
    spm_total = sum(groups[g] for g in PONTIANAK)
    real_total = sum(PONTIANAK.values())
    for g, n in PONTIANAK.items():
        assert abs(groups[g] / spm_total - n / real_total) < 0.07, (g, groups)
    # Plenty of fakir miskin: the biggest category by far.
    assert cats.most_common(1)[0][0] == "24"
    assert cats["24"] > 0.4 * sum(cats.values())
    assert len(cats) >= 20  # "and other categories"
    assert groups["BENCANA"] > 0  # disaster victims


def test_statuses_and_second_registrations(demo):
    db, _ = demo
    status = dict(db.execute("SELECT status, count(*) FROM ppks GROUP BY status").fetchall())
    total = sum(status.values())
    assert status["aktif"] > 0.6 * total and status["tertangani"] > 0 and status["ditutup"] > 0
    closed = rows(db, "SELECT * FROM ppks WHERE status = 'ditutup'")
    alasan = {r[0] for r in db.execute("SELECT kode FROM ref_daftar WHERE daftar = 'alasan_tutup'")}
    assert all(r["alasan_tutup"] in alasan and r["tanggal_tutup"] >= r["tanggal_pendataan"] for r in closed)
    two = db.execute("SELECT count(*) FROM (SELECT orang_id FROM ppks GROUP BY orang_id HAVING count(*) > 1)").fetchone()[0]
    assert two > 20


# --------------------------------------------------------------------------- services, receipts


def test_services_cover_the_current_month_and_the_eleven_before(demo):
    db, report = demo
    months = {r[0] for r in db.execute("SELECT substr(tanggal, 1, 7) FROM layanan")}
    expected = {f"{(TODAY.year * 12 + TODAY.month - 1 - i) // 12}-{(TODAY.month - 1 - i) % 12 + 1:02d}"
                for i in range(12)}
    assert months == expected
    assert report["dari"] == "2025-01-01" and report["sampai"] == "2025-12-15"
    n_people = db.execute("SELECT count(*) FROM orang").fetchone()[0]
    n_services = db.execute("SELECT count(*) FROM layanan").fetchone()[0]
    assert 3 * n_people < n_services < 5 * n_people
    katalog = {r[0]: r for r in db.execute("SELECT kode, jenis, per_kk FROM ref_layanan")}
    dana = {r[0] for r in db.execute("SELECT kode FROM ref_daftar WHERE daftar = 'sumber_dana'")}
    satuan = {r[0] for r in db.execute("SELECT kode FROM ref_daftar WHERE daftar = 'satuan'")}
    for kode, sd, st, no_kk in db.execute("SELECT kode_layanan, sumber_dana, satuan, no_kk FROM layanan"):
        assert katalog[kode][1] == "layanan" and sd in dana and st in satuan
        if katalog[kode][2]:
            assert no_kk  # household aid is recorded per KK
    # No service to a registration after it was closed, none before it was made.
    late = db.execute(
        "SELECT count(*) FROM layanan l WHERE l.bencana_id IS NULL AND NOT EXISTS (SELECT 1 FROM ppks p "
        "WHERE p.orang_id = l.orang_id AND p.tanggal_pendataan <= l.tanggal "
        "AND (p.tanggal_tutup IS NULL OR p.tanggal_tutup >= l.tanggal))").fetchone()[0]
    assert late == 0


def test_receipts_are_numbered_per_year_and_verify(demo):
    from db import kuitansi
    from db.install import get_install

    db, _ = demo
    inst = get_install(db)
    ks = rows(db, "SELECT * FROM kuitansi ORDER BY tahun, urut")
    assert len(ks) > 1000
    for k in ks:
        assert k["nomor"] == kuitansi.format_nomor(KELURAHAN, k["tahun"], k["urut"])
    for tahun, mx, n in db.execute("SELECT tahun, max(urut), count(*) FROM kuitansi GROUP BY tahun"):
        assert mx == n  # 1..n without gaps
        counter = db.execute("SELECT terakhir FROM nomor_urut WHERE jenis = 'kuitansi' AND kunci = ?",
                             [str(tahun)]).fetchone()[0]
        assert counter == mx
    ok, _ = kuitansi.verifikasi_qr(db, kuitansi.isi_qr(ks[len(ks) // 2], inst.install_id))
    assert ok
    assert db.execute("SELECT count(*) FROM kuitansi k JOIN layanan l ON l.id = k.layanan_id "
                      "WHERE l.nilai = 0").fetchone()[0] == 0


def test_recent_disaster_with_victims_and_aid_inside_and_outside_the_window(demo):
    db, _ = demo
    events = rows(db, "SELECT * FROM bencana ORDER BY tanggal DESC")
    recent = events[0]
    assert 7 <= (TODAY - _dt.date.fromisoformat(recent["tanggal"])).days <= 20
    kelompok = dict(db.execute("SELECT kode, kelompok FROM ref_bencana_jenis").fetchall())
    assert recent["kelompok"] == kelompok[recent["jenis_kode"]]
    victims = rows(db, "SELECT k.*, p.kategori_kode FROM korban k JOIN ppks p ON p.id = k.ppks_id "
                       "WHERE k.bencana_id = ?", [recent["id"]])
    assert len(victims) >= 5
    expected_cat = "21" if recent["kelompok"] == "alam" else "22"
    assert {v["kategori_kode"] for v in victims} == {expected_cat}
    assert sum(v["kepala_keluarga"] for v in victims) >= 2
    inside = outside = 0
    for ev in events:
        end = _dt.date.fromisoformat(ev["tanggal"]) + _dt.timedelta(days=ev["lama_tanggap_darurat"] - 1)
        for (tgl,) in db.execute("SELECT tanggal FROM layanan WHERE bencana_id = ?", [ev["id"]]):
            if ev["tanggal"] <= tgl <= end.isoformat():
                inside += 1
            else:
                outside += 1
    assert inside > 3 * outside > 0


def test_psks_of_several_kinds_and_a_recent_training(demo):
    db, _ = demo
    kinds = {r[0] for r in db.execute("SELECT jenis_kode FROM psks")}
    assert {"PSM", "TAGANA", "TKSK", "KARTAR"} <= kinds
    assert db.execute("SELECT count(*) FROM psks WHERE bentuk = 'lembaga'").fetchone()[0] >= 1
    training = rows(db, "SELECT * FROM kegiatan WHERE jenis = 'pelatihan' AND tanggal_mulai >= ?",
                    [(TODAY - _dt.timedelta(days=60)).isoformat()])
    assert training
    hadir = db.execute("SELECT sum(hadir), count(*) FROM kegiatan_peserta WHERE kegiatan_id = ?",
                       [training[0]["id"]]).fetchone()
    assert hadir[1] >= 2 and hadir[0] >= 1


def test_demo_data_is_sound_and_summarised_in_one_audit_row(demo):
    from db.connection import integrity_problems

    db, report = demo
    assert integrity_problems(db) == []
    audit = rows(db, "SELECT * FROM audit")
    assert [a["aksi"] for a in audit] == ["isi_demo"]
    assert json.loads(audit[0]["baru"])["data_contoh"]["orang"] == report["counts"]["orang"]


# --------------------------------------------------------------------------- refusals


def test_demo_refuses_a_second_run(demo):
    from db.demo import fill_demo
    from db.install import record_counts

    db, report = demo
    with pytest.raises(KnownError, match="sudah berisi data"):
        fill_demo(db, today=TODAY)
    assert record_counts(db) == report["counts"]


def test_demo_refuses_a_database_with_one_record(db):
    from db import records
    from db.demo import fill_demo

    records.insert(db, "orang", {"nama": "Budi"})
    with pytest.raises(KnownError, match="sudah berisi data"):
        fill_demo(db, today=TODAY)
    assert db.execute("SELECT count(*) FROM layanan").fetchone()[0] == 0


def test_demo_refuses_a_dinas_database(dinas_db):
    from db.demo import fill_demo

    with pytest.raises(KnownError, match="hanya untuk basis data kelurahan"):
        fill_demo(dinas_db, today=TODAY)
    assert dinas_db.execute("SELECT count(*) FROM orang").fetchone()[0] == 0


# --------------------------------------------------------------------------- generator


def test_generation_is_deterministic_for_a_seed(db):
    from db.synthetic import Catalog, Village, generate_install

    catalog = Catalog.from_db(db)
    kw = dict(kode_install=KELURAHAN, install_id="01TESTINSTALL0000000000000", operator_nama="Op",
              today=TODAY, seed=7)
    a = generate_install(catalog, [Village(KELURAHAN, "Pallima", 150)], **kw)
    b = generate_install(catalog, [Village(KELURAHAN, "Pallima", 150)], **kw)
    c = generate_install(catalog, [Village(KELURAHAN, "Pallima", 150)], **{**kw, "seed": 8})
    assert a.tables == b.tables
    assert a.tables["orang"] != c.tables["orang"]


def test_per_kelurahan_stream_gives_unique_niks_across_a_kecamatan(dinas_db):
    """The stream used for provinsi-size data, on a small kecamatan: separate installs, no NIK clash."""
    from db.synthetic import Size, iter_installs, write_install
    from db.synthetic.sizes import record_as_imported

    size = Size("uji", "61.71.03", people=400, services_per_person=1.0)
    installs = list(iter_installs(dinas_db, size, today=TODAY))
    assert [d.kode_wilayah for d in installs] == [
        "61.71.03.1001", "61.71.03.1002", "61.71.03.1003", "61.71.03.1004"]
    assert len({d.install_id for d in installs}) == 4
    assert sum(sum(1 for r in d.tables["orang"] if r["kode_wilayah"] == d.kode_wilayah) for d in installs) >= 400
    for d in installs:
        write_install(dinas_db, d, counters=False)
        with dinas_db.atomic():
            record_as_imported(dinas_db, d, today=TODAY)
    dup = dinas_db.execute("SELECT count(*) FROM (SELECT nik FROM orang WHERE nik IS NOT NULL "
                           "GROUP BY nik HAVING count(*) > 1)").fetchone()[0]
    assert dup == 0
    assert dinas_db.execute("SELECT count(DISTINCT install_id) FROM orang").fetchone()[0] == 4
    assert dinas_db.execute("SELECT count(*) FROM instalasi").fetchone()[0] == 4
    assert dinas_db.execute("SELECT count(DISTINCT periode) FROM paket_log").fetchone()[0] == 11


# --------------------------------------------------------------------------- CLI


def test_cli_init_demo_info(cli, db_path, monkeypatch):
    monkeypatch.setenv("KESOS_TODAY", TODAY.isoformat())
    code, out, err = cli("init", "--kelurahan", KELURAHAN, "--operator", "Siti Aminah", "--peran", "PSM")
    assert code == 0, err
    code, out, err = cli("demo", "--json")
    assert code == 0, err
    report = json.loads(out)
    assert report["kode_wilayah"] == KELURAHAN
    code, out, err = cli("info", "--json")
    assert code == 0, err
    counts = json.loads(out)["counts"]
    assert counts == report["counts"]
    assert all(n > 0 for n in counts.values()), counts
    from db.connection import open_database

    con = open_database(db_path)  # the CLI's passphrase (if any) comes from the environment
    try:
        for table, n in counts.items():
            assert con.execute(f"SELECT count(*) FROM [{table}] WHERE deleted_at IS NULL").fetchone()[0] == n
    finally:
        con.close()
    code, out, err = cli("demo")
    assert code == 1
    assert "sudah berisi data" in err.splitlines()[0]
    assert out == ""


def test_cli_demo_text_report(cli, monkeypatch):
    monkeypatch.setenv("KESOS_TODAY", TODAY.isoformat())
    assert cli("init", "--kelurahan", "61.71.02.1003", "--operator", "Budi", "--peran", "PSM")[0] == 0
    code, out, err = cli("demo")
    assert code == 0, err
    assert out.startswith("Data contoh diisi: 61.71.02.1003 Saigon")
    assert "Periode layanan: 01/01/2025 s.d. 15/12/2025" in out
    assert "kuitansi" in out
