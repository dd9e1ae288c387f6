"""The import engine shared by every record kind (ppks, layanan, bencana, ...).

A kind describes itself with an ImportSpec (template columns, how to apply one
row, how to list its records) in ``db/import_<kind>.py`` as ``SPEC``. This
module reads the file, maps its columns, applies rows, and writes the error
report and the template.

Rules (CLI.md, issue "PPKS register"): all valid rows are written in one
transaction, each row in its own savepoint so a bad row leaves nothing behind;
with ``all_or_nothing`` a single bad row rolls back the whole file; applying a
row that is already there reports it "unchanged".
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

from db.errors import KnownError, ValidationError
from exporters.tabular import RawTable, cell_to_text, normalise_header, read_table, safe_cell

KINDS = ("ppks", "layanan", "bencana", "korban", "psks", "kegiatan")


@dataclass
class Column:
    name: str
    required: bool = False
    aliases: tuple[str, ...] = ()
    text: bool = False  # keep as text (NIK, No KK, codes with leading zeros)
    choices: Callable[[Any], list[str]] | None = None  # db -> drop-down values
    width: int = 16
    help: str = ""


class RowError(Exception):
    """One row cannot be applied; ``column`` names the culprit (or None for the row)."""

    def __init__(self, column: str | None, message: str):
        super().__init__(message)
        self.column = column
        self.message = message


@dataclass
class ImportSpec:
    kind: str
    title: str
    columns: list[Column]
    example: dict[str, Any]
    apply_row: Callable[[Any, dict[str, Any], dict], str]  # (db, values, state) -> "imported"|"unchanged"
    list_rows: Callable[..., Iterable[dict]]  # (db, period=None) -> dicts with "id" and the column names
    prepare: Callable[[Any, dict], None] | None = None  # (db, state) once before the rows
    finish: Callable[[Any, dict], None] | None = None  # (db, state) once after the rows, same transaction

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


@dataclass
class RowProblem:
    row: int  # row number in the file, as Excel shows it
    column: str | None
    message: str
    values: list[Any] = field(default_factory=list)

    def text(self) -> str:
        where = f"baris {self.row}" + (f", kolom '{self.column}'" if self.column else "")
        return f"{where}: {self.message}"


@dataclass
class ImportReport:
    imported: int = 0
    unchanged: int = 0
    rejected: int = 0
    problems: list[RowProblem] = field(default_factory=list)
    warnings: list[RowProblem] = field(default_factory=list)  # rows imported with something to check
    errors_file: str | None = None
    rolled_back: bool = False

    def as_dict(self) -> dict:
        return {"imported": self.imported, "unchanged": self.unchanged, "rejected": self.rejected,
                "errors_file": self.errors_file}


def get_spec(kind: str) -> ImportSpec:
    if kind not in KINDS:
        raise KnownError(f"Jenis data '{kind}' tidak dikenal. Pilih salah satu: {', '.join(KINDS)}.")
    try:
        module = importlib.import_module(f"db.import_{kind}")
    except ModuleNotFoundError as exc:
        if exc.name == f"db.import_{kind}":
            raise KnownError(f"Impor/ekspor untuk jenis data '{kind}' belum tersedia di versi ini.") from exc
        raise
    return module.SPEC


def auto_mapping(headers: list[str], spec: ImportSpec) -> dict[str, int | None]:
    """Template column name -> index in ``headers`` (exact name first, then aliases)."""
    normal = [normalise_header(h) for h in headers]
    mapping: dict[str, int | None] = {}
    for col in spec.columns:
        idx = None
        for candidate in (col.name, *col.aliases):
            key = normalise_header(candidate)
            if key in normal:
                idx = normal.index(key)
                break
        mapping[col.name] = idx
    return mapping


def read_for(spec: ImportSpec, path, *, sheet: str | None = None, header_row: int | None = None) -> RawTable:
    names = [c.name for c in spec.columns] + [a for c in spec.columns for a in c.aliases]
    return read_table(path, names, sheet=sheet, header_row=header_row)


def missing_required(spec: ImportSpec, mapping: dict[str, int | None]) -> list[str]:
    return [c.name for c in spec.columns if c.required and mapping.get(c.name) is None]


class _RollbackAll(Exception):
    pass


def run_import(db, spec: ImportSpec, table: RawTable, mapping: dict[str, int | None] | None = None, *,
               all_or_nothing: bool = False, dry_run: bool = False,
               progress: Callable[[int, int, str], None] | None = None) -> ImportReport:
    mapping = mapping or auto_mapping(table.headers, spec)
    missing = missing_required(spec, mapping)
    if missing:
        raise KnownError(
            "Kolom wajib tidak ditemukan di baris judul: " + ", ".join(missing)
            + ". Periksa nama kolom atau pilih pemetaan kolom."
        )
    report = ImportReport()
    total = len(table.rows)
    state: dict = {"total_rows": total}
    try:
        with db.atomic():
            if spec.prepare:
                spec.prepare(db, state)
            for n, (row, row_no) in enumerate(zip(table.rows, table.row_numbers)):
                values = {name: (row[idx] if idx is not None and idx < len(row) else None)
                          for name, idx in mapping.items()}
                # apply_row may read state["row_no"] (to name an earlier row) and
                # append (column, message) warnings to state["row_warnings"].
                state["row_no"] = row_no
                state["row_warnings"] = []
                try:
                    with db.atomic():
                        outcome = spec.apply_row(db, values, state)
                except RowError as exc:
                    report.rejected += 1
                    report.problems.append(RowProblem(row_no, exc.column, exc.message, list(row)))
                except ValidationError as exc:
                    report.rejected += 1
                    for col, msg in exc.errors.items():
                        report.problems.append(RowProblem(row_no, col, msg, list(row)))
                else:
                    for col, msg in state["row_warnings"]:
                        report.warnings.append(RowProblem(row_no, col, msg, list(row)))
                    if outcome == "unchanged":
                        report.unchanged += 1
                    else:
                        report.imported += 1
                if progress and (n % 200 == 0 or n == total - 1):
                    progress(n + 1, total, f"Memproses baris {n + 1} dari {total}")
            if spec.finish:
                spec.finish(db, state)
            if dry_run or (all_or_nothing and report.rejected):
                raise _RollbackAll()
    except _RollbackAll:
        report.rolled_back = True
        if not dry_run:
            report.imported = 0
            report.unchanged = 0
    return report


def write_error_report(path, table: RawTable, report: ImportReport, spec: ImportSpec | None = None) -> str:
    """The rejected rows as they were, plus a column saying what is wrong (one row per file row)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    wb = Workbook()
    ws = wb.active
    ws.title = "Kesalahan"
    headers = ["Baris", *table.headers, "Kesalahan"]
    for c, h in enumerate(headers, start=1):
        cell = ws.cell(row=1, column=c, value=h)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="FDE9E7")
    by_row: dict[int, list[RowProblem]] = {}
    for p in report.problems:
        by_row.setdefault(p.row, []).append(p)
    r = 2
    for row_no, problems in sorted(by_row.items()):
        safe_cell(ws.cell(row=r, column=1), row_no)
        for c, value in enumerate(problems[0].values, start=2):
            # Every input cell is written back as text: a NIK must come back exactly as typed.
            safe_cell(ws.cell(row=r, column=c), cell_to_text(value) if value is not None else None, text=True)
        message = "; ".join((f"{p.column}: " if p.column else "") + p.message for p in problems)
        safe_cell(ws.cell(row=r, column=len(headers)), message)
        r += 1
    ws.freeze_panes = "B2"
    for c in range(1, len(headers) + 1):
        ws.column_dimensions[ws.cell(row=1, column=c).column_letter].width = 18
    ws.column_dimensions[ws.cell(row=1, column=len(headers)).column_letter].width = 70
    from db.gangguan import save_workbook

    save_workbook(wb, path, what="laporan kesalahan")  # a full disk leaves no half file
    report.errors_file = str(path)
    return str(path)


def write_template(path, spec: ImportSpec, db=None) -> str:
    """An empty workbook for ``spec``: header row, text columns, drop-downs, example sheet."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = Workbook()
    ws = wb.active
    ws.title = "Data"
    lists = wb.create_sheet("Daftar")
    example = wb.create_sheet("Contoh")
    guide = wb.create_sheet("Petunjuk")
    head_fill = PatternFill("solid", fgColor="DDEBF7")
    list_col = 0
    for c, col in enumerate(spec.columns, start=1):
        cell = ws.cell(row=1, column=c, value=col.name)
        cell.font = Font(bold=True)
        cell.fill = head_fill
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        letter = cell.column_letter
        ws.column_dimensions[letter].width = col.width
        example.column_dimensions[letter].width = col.width
        ecell = example.cell(row=1, column=c, value=col.name)
        ecell.font = Font(bold=True)
        ecell.fill = head_fill
        safe_cell(example.cell(row=2, column=c), spec.example.get(col.name), text=col.text)
        if col.text:
            # Pre-format the data rows as Text so Excel keeps all 16 digits of a NIK.
            for r in range(2, 2002):
                ws.cell(row=r, column=c).number_format = "@"
        if col.choices is not None and db is not None:
            values = [str(v) for v in col.choices(db)]
            if values:
                list_col += 1
                lletter = lists.cell(row=1, column=list_col).column_letter
                lists.cell(row=1, column=list_col, value=col.name).font = Font(bold=True)
                for i, v in enumerate(values, start=2):
                    safe_cell(lists.cell(row=i, column=list_col), v)
                lists.column_dimensions[lletter].width = max(20, min(60, max(len(v) for v in values)))
                dv = DataValidation(type="list", formula1=f"=Daftar!${lletter}$2:${lletter}${len(values) + 1}",
                                    allow_blank=not col.required, showErrorMessage=False)
                dv.add(f"{letter}2:{letter}2001")
                ws.add_data_validation(dv)
    ws.freeze_panes = "A2"
    guide.column_dimensions["A"].width = 28
    guide.column_dimensions["B"].width = 12
    guide.column_dimensions["C"].width = 90
    guide.append(["Kolom", "Wajib", "Keterangan"])
    for cell in guide[1]:
        cell.font = Font(bold=True)
    for col in spec.columns:
        guide.append([col.name, "Ya" if col.required else "", col.help])
    guide.append([])
    guide.append(["Tanggal boleh ditulis dd/mm/yyyy, yyyy-mm-dd, atau 17 Agustus 2025."])
    guide.append(["NIK dan No KK ditulis sebagai teks 16 digit (kolom sudah berformat Teks)."])
    from db.gangguan import save_workbook

    save_workbook(wb, path, what="templat")  # a full disk leaves no half file
    return str(path)
