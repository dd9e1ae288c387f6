"""The benchmark harness: cases, running them, the markdown table.

A case is a name, a size label, an optional ``setup`` (run once, untimed; its
return value is passed to ``func``), the ``func`` to time, a unit and a target
text. ``func`` is timed with ``time.perf_counter``; it may instead return a
``Result`` carrying its own measured ``value`` (a ratio, a count per second)
and/or a ``peak_memory`` in bytes and a ``note``. Raising ``Skip`` in setup or
func shows "n/a (reason)" in the row instead of failing the run.
"""
from __future__ import annotations

import importlib
import os
import pkgutil
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass, field
from fnmatch import fnmatch
from typing import Any, Callable

TIME_UNITS = {"s": 1.0, "ms": 1e3, "µs": 1e6, "us": 1e6}
_clock = time.perf_counter  # the timer of timed cases (a module attribute so tests can fake it)


class Skip(Exception):
    """The case cannot run here (a missing module, platform); shown as n/a."""


@dataclass
class Result:
    value: float | None = None  # measured value in the case's unit; None: use the harness timing
    peak_memory: int | None = None  # bytes
    note: str = ""


@dataclass
class Case:
    name: str
    func: Callable[..., Any]
    size: str = "-"
    setup: Callable[[], Any] | None = None
    teardown: Callable[[Any], None] | None = None
    unit: str = "ms"
    target: str = ""
    repeat: int | None = None  # None: the command's --repeat
    warmup: int = 1  # untimed runs before the timed ones (imports, file cache)
    module: str = ""


@dataclass
class Row:
    case: Case
    values: list[float] = field(default_factory=list)
    peak_memory: int | None = None
    note: str = ""
    status: str = "ok"  # ok | skip | error
    error: str = ""

    @property
    def median(self) -> float | None:
        return statistics.median(self.values) if self.values else None

    @property
    def min(self) -> float | None:
        return min(self.values) if self.values else None

    @property
    def max(self) -> float | None:
        return max(self.values) if self.values else None


def _measure(case: Case, arg: Any, has_setup: bool) -> tuple[float, Result | None]:
    t0 = _clock()
    out = case.func(arg) if has_setup else case.func()
    elapsed = _clock() - t0
    result = out if isinstance(out, Result) else None
    if result is not None and result.value is not None:
        return float(result.value), result
    if case.unit not in TIME_UNITS:
        raise TypeError(f"case {case.name}: unit {case.unit!r} is not a time unit, so func must return Result(value=...)")
    return elapsed * TIME_UNITS[case.unit], result


def run_case(case: Case, repeat: int = 5) -> Row:
    """Run ``case``: setup once, ``warmup`` untimed runs, then ``repeat`` timed ones."""
    row = Row(case)
    n = case.repeat or repeat
    has_setup = case.setup is not None
    arg = None
    try:
        if has_setup:
            arg = case.setup()
        for _ in range(case.warmup):
            _measure(case, arg, has_setup)
        for _ in range(n):
            value, result = _measure(case, arg, has_setup)
            row.values.append(value)
            if result is not None:
                if result.peak_memory is not None:
                    row.peak_memory = max(row.peak_memory or 0, result.peak_memory)
                if result.note:
                    row.note = result.note
    except Skip as exc:
        row.status, row.note, row.values = "skip", f"n/a ({exc})", []
    except Exception as exc:  # a failing case must not stop the others
        row.status, row.values = "error", []
        row.error = "".join(traceback.format_exception_only(type(exc), exc)).strip()
        row.note = f"error: {row.error.splitlines()[-1]}"
    finally:
        if has_setup and case.teardown is not None and arg is not None:
            case.teardown(arg)
    return row


def fmt_number(v: float | None) -> str:
    if v is None:
        return "n/a"
    a = abs(v)
    if a >= 100:
        return f"{v:,.0f}"
    if a >= 10:
        return f"{v:.1f}"
    if a >= 1:
        return f"{v:.2f}"
    return f"{v:.3f}"


def fmt_bytes(n: int | None) -> str:
    return "" if n is None else f"{n / 1_048_576:.0f} MB"


HEADER = ["what", "size", "median", "min", "max", "unit", "peak memory", "target", "note"]


def format_table(rows: list[Row]) -> str:
    """The results as one markdown table (a row per case)."""
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "|".join("---" for _ in HEADER) + "|"]
    for r in rows:
        if r.status == "ok":
            cells = [fmt_number(r.median), fmt_number(r.min), fmt_number(r.max)]
        else:
            cells = [r.note if r.status == "skip" else "error", "", ""]
        note = "" if r.status == "skip" else r.note
        line = [r.case.name, r.case.size, *cells, r.case.unit, fmt_bytes(r.peak_memory), r.case.target, note]
        lines.append("| " + " | ".join(str(c).replace("|", "/") for c in line) + " |")
    return "\n".join(lines)


# --------------------------------------------------------------------------- discovery


def discover(package: str = "bench") -> list[Case]:
    """Every case of every ``<package>/bench_*.py`` module, in module then list order.

    A module exposes ``CASES`` (a list of Case) or ``cases()`` returning one.
    """
    pkg = importlib.import_module(package)
    out: list[Case] = []
    for info in sorted(pkgutil.iter_modules(pkg.__path__), key=lambda m: m.name):
        if not info.name.startswith("bench_"):
            continue
        module = importlib.import_module(f"{package}.{info.name}")
        cases = module.cases() if hasattr(module, "cases") else getattr(module, "CASES", [])
        for c in cases:
            c.module = c.module or info.name[len("bench_"):]
            out.append(c)
    return out


def select(cases: list[Case], patterns: list[str]) -> list[Case]:
    """Cases whose name or module matches one of ``patterns`` (exact, prefix or glob); all if none."""
    if not patterns:
        return cases
    chosen = []
    for c in cases:
        for p in patterns:
            if c.module == p or c.name == p or c.name.startswith(p) or fnmatch(c.name, p) or fnmatch(c.module, p):
                chosen.append(c)
                break
    return chosen


def machine_line() -> str:
    return (f"{platform.system()} {platform.release()}, {platform.machine()}, {os.cpu_count()} CPU, "
            f"Python {platform.python_version()}")


# --------------------------------------------------------------------------- helpers for cases


@dataclass
class ProcessRun:
    seconds: float
    returncode: int
    peak_rss: int | None  # bytes, of the child process (None where the OS cannot tell)
    stderr: str
    marks: dict = field(default_factory=dict)  # time_until_line: seconds until each marker line


def _vm_hwm(pid: int) -> int:
    """Peak resident memory (bytes) of a running process on Linux; 0 when unknown."""
    try:
        with open(f"/proc/{pid}/status", "rb") as fh:
            for line in fh:
                if line.startswith(b"VmHWM:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0


def time_until_line(cmd: list[str], marker: str, *, later: tuple[str, ...] = (), env: dict | None = None,
                    timeout: float = 120.0) -> ProcessRun:
    """Wall time from launching ``cmd`` until it prints a line starting with ``marker``.

    ``later``: markers printed after it, each timed too (in ``marks``, with
    ``marker``). What the process does afterwards (shutdown work such as a
    backup on quit) is not timed, but the process is still waited for and its
    exit code kept.
    """
    full_env = dict(os.environ, **(env or {}))
    wanted = [marker, *later]
    marks: dict[str, float] = {}
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=full_env, text=True)
    for line in proc.stdout:
        if line.startswith(wanted[len(marks)]):
            marks[wanted[len(marks)]] = time.perf_counter() - t0
            if len(marks) == len(wanted):
                break
    try:
        _out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        _out, err = proc.communicate()
    if len(marks) < len(wanted):
        missing = wanted[len(marks)]
        return ProcessRun(time.perf_counter() - t0, proc.returncode or 1, None, err + f"\n(no '{missing}' line)",
                          marks)
    return ProcessRun(marks[marker], proc.returncode, None, err, marks)


def run_process(cmd: list[str], *, env: dict | None = None, timeout: float = 120.0) -> ProcessRun:
    """Run ``cmd`` to completion; wall time and the child's own peak RSS (os.wait4 on POSIX)."""
    full_env = dict(os.environ, **(env or {}))
    with tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err, env=full_env)
        peak = None
        if hasattr(os, "wait4"):
            deadline = t0 + timeout
            hwm = 0
            while True:
                pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
                if pid:
                    break
                hwm = max(hwm, _vm_hwm(proc.pid))
                if time.perf_counter() > deadline:
                    proc.kill()
                    pid, status, usage = os.wait4(proc.pid, 0)
                    break
                time.sleep(0.002)
            elapsed = time.perf_counter() - t0
            proc.returncode = os.waitstatus_to_exitcode(status)
            # ru_maxrss also counts the parent's pages the child had before exec (fork), so
            # on Linux the child's own high-water mark from /proc is used when it was seen.
            peak = hwm or usage.ru_maxrss * (1 if sys.platform == "darwin" else 1024)
        else:  # pragma: no cover - Windows
            proc.wait(timeout=timeout)
            elapsed = time.perf_counter() - t0
        err.seek(0)
        text = err.read().decode("utf-8", "replace")
    return ProcessRun(elapsed, proc.returncode, peak, text)
