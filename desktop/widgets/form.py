"""Validation messages next to their fields, not in pop-ups (ENGINEERING.md §4)."""
from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QLabel, QWidget


def error_label(name: str | None = None, *, hidden: bool = True) -> QLabel:
    """A red, word-wrapped message label (role "error"); hidden until it has something to say."""
    label = QLabel()
    label.setProperty("role", "error")
    label.setStyleSheet("color: #b00020")  # dialogs have no parent stylesheet to take it from
    label.setWordWrap(True)
    if name:
        label.setObjectName(name)
    if hidden:
        label.hide()
    return label


class FieldErrors:
    """Adds a red message label under each registered field of a QFormLayout.

    ``show({"nik": "NIK harus 16 digit"})`` fills the labels (and a summary
    label for keys without a field); ``clear()`` empties them.
    """

    def __init__(self, layout: QFormLayout, summary: QLabel | None = None):
        self.layout = layout
        self.labels: dict[str, QLabel] = {}
        self.summary = summary

    def add(self, key: str, label: str, widget: QWidget) -> QWidget:
        self.layout.addRow(label, widget)
        msg = error_label(f"error_{key}")
        self.layout.addRow("", msg)
        self.labels[key] = msg
        return widget

    def show(self, errors: dict[str, str], warnings: bool = False) -> None:
        self.clear()
        leftovers = []
        for key, text in errors.items():
            label = self.labels.get(key)
            if label is None:
                leftovers.append(text)
                continue
            label.setText(text)
            label.setStyleSheet("color: #8a5a00" if warnings else "color: #b00020")
            label.show()
        if self.summary is not None and leftovers:
            self.summary.setText("\n".join(leftovers))
            self.summary.show()

    def clear(self) -> None:
        for label in self.labels.values():
            label.clear()
            label.hide()
        if self.summary is not None:
            self.summary.clear()

    def text(self, key: str) -> str:
        label = self.labels.get(key)
        return label.text() if label else ""
