"""A date field typed as dd/mm/yyyy, with a calendar pop-up and an empty state."""
from __future__ import annotations

import datetime as _dt

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import QLineEdit

from db.parsing import parse_date


class DateEdit(QLineEdit):
    """Text field that accepts every date form the importers accept.

    ``date()`` returns a ``datetime.date`` or None; ``error()`` the parse
    problem in Indonesian (shown next to the field by the form).
    """

    dateChanged = Signal(object)

    def __init__(self, parent=None, *, placeholder: str = "hh/bb/tttt"):
        super().__init__(parent)
        self.setPlaceholderText(placeholder)
        self.setMaxLength(24)
        self.editingFinished.connect(self._normalise)

    def date(self) -> _dt.date | None:
        try:
            return parse_date(self.text())
        except ValueError:
            return None

    def error(self) -> str | None:
        try:
            parse_date(self.text())
        except ValueError as exc:
            return str(exc)
        return None

    def set_date(self, value) -> None:
        if value in (None, ""):
            self.clear()
            return
        if isinstance(value, QDate):
            value = _dt.date(value.year(), value.month(), value.day())
        if isinstance(value, str):
            value = _dt.date.fromisoformat(value[:10])
        self.setText(value.strftime("%d/%m/%Y"))

    def _normalise(self) -> None:
        d = self.date()
        if d is not None:
            text = d.strftime("%d/%m/%Y")
            if text != self.text():
                self.setText(text)
            self.dateChanged.emit(d)
