"""The benchmark harness: statistics, skipping, errors, the markdown table (no timing assertions)."""
from __future__ import annotations

import pytest

from bench.harness import Case, Result, Skip, fmt_number, format_table, run_case, select

HEADER = "| what | size | median | min | max | unit | peak memory | target | note |"


def values_case(values, **kw):
    it = iter(values)
    return Case("trivial", lambda: Result(value=next(it), peak_memory=3 * 1_048_576), size="kecil",
                unit="s", target="< 9 s", warmup=0, **kw)


def test_median_min_max_of_reported_values():
    row = run_case(values_case([5.0, 1.0, 4.0, 2.0, 3.0]), repeat=5)
    assert row.status == "ok"
    assert row.values == [5.0, 1.0, 4.0, 2.0, 3.0]
    assert (row.median, row.min, row.max) == (3.0, 1.0, 5.0)
    assert row.peak_memory == 3 * 1_048_576


def test_even_number_of_runs_takes_the_middle_mean():
    row = run_case(values_case([4.0, 1.0, 3.0, 10.0]), repeat=4)
    assert row.median == 3.5


def test_warmup_runs_are_not_counted_and_setup_runs_once():
    calls = {"setup": 0, "func": 0, "teardown": 0}

    def setup():
        calls["setup"] += 1
        return "arg"

    def func(arg):
        assert arg == "arg"
        calls["func"] += 1

    def teardown(arg):
        calls["teardown"] += 1

    row = run_case(Case("t", func, setup=setup, teardown=teardown, unit="ms", warmup=2), repeat=3)
    assert calls == {"setup": 1, "func": 5, "teardown": 1}
    assert len(row.values) == 3 and all(v >= 0 for v in row.values)


def test_case_repeat_overrides_the_command_option():
    row = run_case(values_case([1.0, 2.0], repeat=2), repeat=5)
    assert row.values == [1.0, 2.0]


def test_timed_case_converts_to_its_unit(monkeypatch):
    import bench.harness as h

    ticks = iter([10.0, 10.25, 20.0, 20.5, 30.0, 30.75])
    monkeypatch.setattr(h, "_clock", lambda: next(ticks))
    row = run_case(Case("t", lambda: None, unit="ms", warmup=0), repeat=3)
    assert row.values == [250.0, 500.0, 750.0]
    assert row.median == 500.0


def test_value_unit_without_a_value_is_an_error():
    row = run_case(Case("ratio", lambda: None, unit="×", warmup=0), repeat=1)
    assert row.status == "error" and "not a time unit" in row.error


def test_skip_shows_na_with_the_reason():
    def setup():
        raise Skip("desktop.app missing")

    row = run_case(Case("gui", lambda arg: None, setup=setup, size="kota", unit="×", target="< 2×"))
    assert row.status == "skip" and row.values == []
    table = format_table([row])
    assert "| gui | kota | n/a (desktop.app missing) |  |  | × |  | < 2× |  |" in table


def test_error_does_not_stop_the_run_and_is_reported():
    def boom():
        raise RuntimeError("kaput")

    rows = [run_case(Case("bad", boom, warmup=0), repeat=2), run_case(values_case([1.0]), repeat=1)]
    assert [r.status for r in rows] == ["error", "ok"]
    table = format_table(rows)
    assert "| bad | - | error |" in table and "RuntimeError: kaput" in table


def test_table_layout():
    row = run_case(values_case([5.0, 1.0, 4.0, 2.0, 3.0]), repeat=5)
    row.note = "a|b"
    lines = format_table([row]).splitlines()
    assert lines[0] == HEADER
    assert lines[1] == "|---|---|---|---|---|---|---|---|---|"
    assert lines[2] == "| trivial | kecil | 3.00 | 1.00 | 5.00 | s | 3 MB | < 9 s | a/b |"


@pytest.mark.parametrize("value, text", [(0.01234, "0.012"), (1.234, "1.23"), (12.34, "12.3"),
                                         (1234.5, "1,234"), (None, "n/a")])
def test_number_format(value, text):
    assert fmt_number(value) == text


def test_select_by_module_name_prefix_and_glob():
    cases = [Case("open db", None, module="foundation"), Case("cold start", None, module="foundation"),
             Case("list ppks", None, module="ppks")]
    assert [c.name for c in select(cases, [])] == ["open db", "cold start", "list ppks"]
    assert [c.name for c in select(cases, ["ppks"])] == ["list ppks"]
    assert [c.name for c in select(cases, ["cold"])] == ["cold start"]
    assert [c.name for c in select(cases, ["*db"])] == ["open db"]


def test_list_discovers_foundation_cases_without_building_data(monkeypatch, capsys):
    import bench.data
    from bench.__main__ import main

    def refuse(*a, **k):
        raise AssertionError("--list must not build data")

    monkeypatch.setattr(bench.data, "database", refuse)
    assert main(["--list"]) == 0
    out = capsys.readouterr().out
    assert "cold start: kesos info" in out and "open_database" in out and "GUI start" in out
    assert any(line.startswith("foundation ") and "open_database" in line for line in out.splitlines())


def test_main_prints_and_writes_the_table(monkeypatch, tmp_path, capsys):
    import bench.harness
    from bench.__main__ import main

    monkeypatch.setattr(bench.harness, "discover", lambda: [values_case([2.0, 4.0, 3.0], module="uji")])
    out_file = tmp_path / "out" / "latest.md"
    assert main(["--repeat", "3", "--out", str(out_file)]) == 0
    printed = capsys.readouterr().out
    assert "| trivial | kecil | 3.00 | 2.00 | 4.00 | s |" in printed
    written = out_file.read_text(encoding="utf-8")
    assert HEADER in written and "| trivial | kecil | 3.00 |" in written
    assert "3 runs per case" in written


def test_main_exit_code_1_when_a_case_fails(monkeypatch, tmp_path, capsys):
    import bench.harness
    from bench.__main__ import main

    def boom():
        raise RuntimeError("x")

    monkeypatch.setattr(bench.harness, "discover", lambda: [Case("bad", boom, warmup=0, module="uji")])
    assert main(["--out", str(tmp_path / "x.md")]) == 1
