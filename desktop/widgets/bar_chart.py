"""A small vertical bar chart drawn with QPainter (QtCharts is not in PySide6-Essentials).

``BarChart.set_data([(label, value), ...])``: one bar per item, the value
above each bar (Indonesian thousands separator), the label under it, a
tooltip with the item's ``tooltip`` text (or "label: value") on hover, and an
accessible description listing every bar for screen readers and tests.
"""
from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from db.indonesian import angka


class BarChart(QWidget):
    BAR = QColor("#2e75b6")
    BAR_LAST = QColor("#1f4e79")
    AXIS = QColor("#9aa5b1")
    TEXT = QColor("#33404d")

    def __init__(self, parent=None, *, empty_text: str = "Belum ada data"):
        super().__init__(parent)
        self._items: list[tuple[str, float, str]] = []
        self.empty_text = empty_text
        self.setMouseTracking(True)
        self.setMinimumHeight(160)
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Preferred)

    # --- data -------------------------------------------------------------------
    def set_data(self, items) -> None:
        """``items``: (label, value) or (label, value, tooltip) tuples, left to right."""
        self._items = [(str(i[0]), float(i[1] or 0), str(i[2]) if len(i) > 2 else "") for i in items]
        self.setAccessibleDescription("; ".join(f"{label}: {angka(_num(v))}" for label, v, _ in self._items))
        self.update()

    def items(self) -> list[tuple[str, float]]:
        return [(label, v) for label, v, _ in self._items]

    def sizeHint(self) -> QSize:
        return QSize(max(320, 40 * len(self._items)), 200)

    # --- geometry -----------------------------------------------------------------
    def _plot_rect(self) -> QRectF:
        fm = self.fontMetrics()
        return QRectF(8, fm.height() + 6, self.width() - 16, self.height() - 2 * fm.height() - 14)

    def bar_rects(self) -> list[QRectF]:
        """Where each bar is drawn (widget coordinates)."""
        if not self._items:
            return []
        plot = self._plot_rect()
        top = max(v for _, v, _ in self._items) or 1.0
        slot = plot.width() / len(self._items)
        width = max(4.0, slot * 0.62)
        rects = []
        for i, (_, v, _) in enumerate(self._items):
            h = plot.height() * (v / top)
            x = plot.left() + i * slot + (slot - width) / 2
            rects.append(QRectF(x, plot.bottom() - h, width, h))
        return rects

    def index_at(self, pos) -> int | None:
        if not self._items:
            return None
        plot = self._plot_rect()
        slot = plot.width() / len(self._items)
        i = int((pos.x() - plot.left()) // slot) if slot else -1
        return i if 0 <= i < len(self._items) else None

    def tooltip_at(self, pos) -> str:
        i = self.index_at(pos)
        if i is None:
            return ""
        label, v, tip = self._items[i]
        return tip or f"{label}: {angka(_num(v))}"

    # --- painting and hover -----------------------------------------------------------------
    def paintEvent(self, event) -> None:  # noqa: N802 - Qt API
        p = QPainter(self)
        p.setRenderHint(QPainter.Antialiasing)
        fm = self.fontMetrics()
        plot = self._plot_rect()
        p.setPen(QPen(self.AXIS, 1))
        p.drawLine(QPointF(plot.left(), plot.bottom()), QPointF(plot.right(), plot.bottom()))
        if not self._items or not any(v for _, v, _ in self._items):
            p.setPen(self.TEXT)
            p.drawText(self.rect(), Qt.AlignCenter, self.empty_text)
        rects = self.bar_rects()
        small = QFont(self.font())
        small.setPointSizeF(max(6.5, self.font().pointSizeF() - 1))
        p.setFont(small)
        for i, ((label, v, _), r) in enumerate(zip(self._items, rects)):
            p.setPen(Qt.NoPen)
            p.setBrush(self.BAR_LAST if i == len(rects) - 1 else self.BAR)
            p.drawRect(r)
            p.setPen(self.TEXT)
            slot = QRectF(r.center().x() - 40, 0, 80, fm.height())
            if v:
                p.drawText(slot.translated(0, r.top() - fm.height() - 2), Qt.AlignHCenter | Qt.AlignBottom,
                           angka(_num(v)))
            p.drawText(slot.translated(0, plot.bottom() + 4), Qt.AlignHCenter | Qt.AlignTop, label)
        p.end()

    def mouseMoveEvent(self, event) -> None:  # noqa: N802 - Qt API
        text = self.tooltip_at(event.position())
        if text:
            QToolTip.showText(event.globalPosition().toPoint(), text, self)
        else:
            QToolTip.hideText()
        super().mouseMoveEvent(event)


def _num(v: float):
    return int(v) if float(v).is_integer() else v
