"""Every message box goes through here (qutebrowser's msgbox idea).

Tests and unattended smoke runs switch dialogs off with ``KESOS_NO_DIALOGS=1``
or ``set_unattended(True)``: messages are then recorded in ``shown`` and
questions take the next answer queued in ``answers`` (default: the safe
answer, i.e. "no" / cancel), so nothing ever blocks waiting for a click.
"""
from __future__ import annotations

import os
from collections import deque

from PySide6.QtWidgets import QInputDialog, QMessageBox, QWidget

shown: list[tuple[str, str, str]] = []  # (kind, title, text)
answers: deque = deque()
_unattended = os.environ.get("KESOS_NO_DIALOGS") == "1"


def set_unattended(value: bool) -> None:
    global _unattended
    _unattended = value


def unattended() -> bool:
    return _unattended


def _box(kind: str, parent: QWidget | None, title: str, text: str, detail: str | None = None) -> None:
    shown.append((kind, title, text))
    if _unattended:
        return
    icon = {"info": QMessageBox.Information, "warning": QMessageBox.Warning, "error": QMessageBox.Critical}[kind]
    box = QMessageBox(icon, title, text, QMessageBox.Ok, parent)
    box.button(QMessageBox.Ok).setText("OK")
    if detail:
        box.setDetailedText(detail)
    box.exec()


def info(parent, title: str, text: str) -> None:
    _box("info", parent, title, text)


def warning(parent, title: str, text: str) -> None:
    _box("warning", parent, title, text)


def error(parent, title: str, text: str, detail: str | None = None) -> None:
    _box("error", parent, title, text, detail)


def confirm(parent, title: str, text: str, *, yes: str = "Ya", no: str = "Batal", danger: bool = False) -> bool:
    """A yes/no question; the default button is the safe one when ``danger``."""
    shown.append(("confirm", title, text))
    if _unattended:
        return bool(answers.popleft()) if answers else False
    box = QMessageBox(QMessageBox.Warning if danger else QMessageBox.Question, title, text, parent=parent)
    b_yes = box.addButton(yes, QMessageBox.AcceptRole)
    b_no = box.addButton(no, QMessageBox.RejectRole)
    box.setDefaultButton(b_no if danger else b_yes)
    box.exec()
    return box.clickedButton() is b_yes


def ask_text(parent, title: str, label: str, text: str = "") -> str | None:
    """A line of text (e.g. a reason); None when cancelled or left empty."""
    shown.append(("ask", title, label))
    if _unattended:
        value = answers.popleft() if answers else None
        return value or None
    dlg = QInputDialog(parent)
    dlg.setWindowTitle(title)
    dlg.setLabelText(label)
    dlg.setTextValue(text)
    dlg.setOkButtonText("OK")
    dlg.setCancelButtonText("Batal")
    if dlg.exec() and dlg.textValue().strip():
        return dlg.textValue().strip()
    return None


def with_reason(parent, title: str, label: str, action, *, error_title: str) -> str | None:
    """Ask for a reason (deleting, cancelling), then run ``action(reason)``.

    Returns the reason when the action ran; None when the user cancelled or the
    action refused with a KnownError (its message is shown under ``error_title``).
    """
    from db.errors import KnownError

    reason = ask_text(parent, title, label)
    if not reason:
        return None
    try:
        action(reason)
    except KnownError as exc:
        error(parent, error_title, exc.pesan)
        return None
    return reason
