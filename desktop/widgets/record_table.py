"""One table-model recipe for every list in the app (Vorta / Qt fetchMore).

The model does not hold the whole table: it asks a ``fetch(offset, limit,
sort_key, descending)`` function for batches as the view scrolls, so a list
of 150,000 people opens as fast as one of 50. Sorting is done by the query
(SQL ORDER BY), not in Python. Roles: DisplayRole (formatted text), SortRole
(raw value), RecordRole (the whole row dict).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt

RecordRole = Qt.UserRole + 1
SortRole = Qt.UserRole + 2


@dataclass
class TableColumn:
    key: str
    title: str
    format: Callable[[Any], str] | None = None
    numeric: bool = False
    sortable: bool = True
    tooltip: Callable[[dict], str] | None = None


class RecordTableModel(QAbstractTableModel):
    def __init__(self, columns: list[TableColumn], fetch: Callable[[int, int, str | None, bool], list[dict]],
                 count: Callable[[], int] | None = None, batch: int = 200, parent=None):
        super().__init__(parent)
        self.columns = columns
        self._fetch = fetch
        self._count = count
        self.batch = batch
        self.rows: list[dict] = []
        self._exhausted = False
        self.sort_key: str | None = None
        self.descending = False
        self.total: int | None = None

    # --- loading ---------------------------------------------------------
    def reload(self) -> None:
        self.beginResetModel()
        self.rows = []
        self._exhausted = False
        first = self._fetch(0, self.batch, self.sort_key, self.descending)
        self.rows = list(first)
        self._exhausted = len(first) < self.batch
        self.total = self._count() if self._count else None
        self.endResetModel()

    def canFetchMore(self, parent=QModelIndex()) -> bool:
        return not parent.isValid() and not self._exhausted

    def fetchMore(self, parent=QModelIndex()) -> None:
        if parent.isValid() or self._exhausted:
            return
        more = self._fetch(len(self.rows), self.batch, self.sort_key, self.descending)
        if len(more) < self.batch:
            self._exhausted = True
        if more:
            self.beginInsertRows(QModelIndex(), len(self.rows), len(self.rows) + len(more) - 1)
            self.rows.extend(more)
            self.endInsertRows()

    # --- Qt model API ------------------------------------------------------
    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: QModelIndex, role=Qt.DisplayRole):
        if not index.isValid() or not (0 <= index.row() < len(self.rows)):
            return None
        row = self.rows[index.row()]
        col = self.columns[index.column()]
        value = row.get(col.key)
        if role == Qt.DisplayRole:
            if col.format:
                return col.format(value) if value is not None or col.format else ""
            return "" if value is None else str(value)
        if role == SortRole:
            return value
        if role == RecordRole:
            return row
        if role == Qt.TextAlignmentRole and col.numeric:
            return int(Qt.AlignRight | Qt.AlignVCenter)
        if role == Qt.ToolTipRole and col.tooltip:
            return col.tooltip(row)
        return None

    def headerData(self, section, orientation, role=Qt.DisplayRole):
        if orientation == Qt.Horizontal and role == Qt.DisplayRole and 0 <= section < len(self.columns):
            return self.columns[section].title
        return None

    def sort(self, column: int, order=Qt.AscendingOrder) -> None:
        if not (0 <= column < len(self.columns)) or not self.columns[column].sortable:
            return
        self.sort_key = self.columns[column].key
        self.descending = order == Qt.DescendingOrder
        self.reload()

    def record(self, row: int) -> dict | None:
        return self.rows[row] if 0 <= row < len(self.rows) else None


def selected_record(view) -> dict | None:
    """The record of the selected row (or of the current cell when nothing is selected)."""
    selection = view.selectionModel()
    rows = selection.selectedRows() if selection is not None else []
    if rows:
        return rows[0].data(RecordRole)
    index = view.currentIndex()
    return index.data(RecordRole) if index.isValid() else None


def select_record(view, model: RecordTableModel, key: str, value) -> bool:
    """Select the row whose ``key`` equals ``value``, fetching further batches as needed."""
    while True:
        for r, row in enumerate(model.rows):
            if row.get(key) == value:
                view.selectRow(r)
                return True
        if not model.canFetchMore():
            return False
        model.fetchMore()


def record_view(model: RecordTableModel, object_name: str, widths: tuple[int, ...] = ()):
    """A read-only, row-selecting, SQL-sortable table view over ``model`` (the list pages' look)."""
    from PySide6.QtWidgets import QTableView

    view = QTableView()
    view.setObjectName(object_name)
    view.setModel(model)
    view.setSelectionBehavior(QTableView.SelectRows)
    view.setSelectionMode(QTableView.SingleSelection)
    view.setEditTriggers(QTableView.NoEditTriggers)
    view.horizontalHeader().setSortIndicator(-1, Qt.AscendingOrder)  # unsorted until a header is clicked
    view.setSortingEnabled(True)
    view.horizontalHeader().setStretchLastSection(True)
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(24)
    view.setAlternatingRowColors(True)
    for col, width in enumerate(widths):
        view.setColumnWidth(col, width)
    return view
