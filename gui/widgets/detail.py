"""One file in detail: the picture, the top-5, when and with which camera, where it is.

For a video, the picture is its best frame and a strip below shows every sampled frame with its
time in the clip and best label; clicking one shows it large.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QSize, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QIcon, QImage, QPixmap
from PySide6.QtWidgets import (
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from engine.errors import describe
from engine.i18n import _, fmt_datetime, fmt_number, language
from engine.models.card import ModelCard
from engine.results.boxes import ClipCategory, category_text
from gui.jobs import ThumbnailLoader
from gui.widgets.box_painter import label_in, species_text
from gui.widgets.box_view import BoxView
from gui.widgets.items import Item, group_text, label_text
from gui.widgets.picture import Picture

PREVIEW = 640
STRIP_THUMB = 96


def clip_time(seconds: float) -> str:
    """m:ss.s within a clip (a duration, not a clock time)."""
    minutes, rest = divmod(max(0.0, seconds), 60)
    return f"{int(minutes)}:{rest:04.1f}"


def when_text(taken_at: str | None) -> str:
    if not taken_at:
        return _("unknown")
    try:
        return fmt_datetime(datetime.fromisoformat(taken_at))
    except ValueError:
        return taken_at


class DetailView(QWidget):
    """Read-only panel; the review page adds its own controls below it."""

    frame_changed = Signal()  # another frame of a video shown large: its boxes differ

    def __init__(
        self, card: ModelCard, loader: ThumbnailLoader, boxes: BoxView | None = None, parent=None
    ) -> None:
        super().__init__(parent)
        self.card = card
        self.boxes = boxes or BoxView()
        self._frame: int | None = None  # the frame shown large (None: a photo)
        self.selected_box: int | None = None  # the review page's chosen box, drawn thicker
        self._loader = loader
        loader.loaded.connect(self._on_loaded)
        self._item: Item | None = None
        self._path: Path | None = None
        self.image = Picture(QSize(240, 160))
        self.title = QLabel(wordWrap=True)
        self.title.setStyleSheet("font-size: 15pt; font-weight: 600;")
        self.top5 = QLabel(wordWrap=True, textFormat=Qt.TextFormat.RichText)
        self.facts = QLabel(wordWrap=True)
        self.facts.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.open_folder = QPushButton()
        self.open_folder.clicked.connect(self._open_folder)
        self.strip = _frame_strip()
        self.strip.itemClicked.connect(self._show_frame)
        layout = QVBoxLayout(self)
        for widget in (self.image, self.strip, self.title, self.top5, self.facts, self.open_folder):
            layout.addWidget(widget)
        self.show_item(None, None)

    def retranslate(self) -> None:
        self.open_folder.setText(_("Open folder"))
        self.show_item(self._item, self._path)

    def _key(self) -> str:
        """Loader keys name the file by its full path: two folders may share a file name."""
        return f"{self._path or ''}|{self._item.rel_path if self._item else ''}"

    def show_item(self, item: Item | None, path: Path | None) -> None:
        changed = (
            item is None
            or self._item is None
            or (item.rel_path, path)
            != (
                self._item.rel_path,
                self._path,
            )
        )
        self._item, self._path = item, path
        self.open_folder.setText(_("Open folder"))
        self.open_folder.setEnabled(path is not None)
        if changed:
            self._fill_strip(item, path)
        if item is None:
            self.image.setText(_("Select a photo to see it here"))
            self.title.clear()
            self.top5.clear()
            self.facts.clear()
            return
        lang = language()
        if item.ok and self.boxes.boxes_decide and item.review is None:
            self.title.setText(self._box_title(item, lang))
            self.top5.setText(self._top5_html(item, lang))
        elif item.ok:
            self.title.setText(
                f"{label_text(item, self.card, lang)} · {group_text(item.group, self.card, lang)}"
            )
            self.top5.setText(self._top5_html(item, lang))
        else:
            self.title.setText(_("Could not classify this file"))
            self.top5.setText(describe(item.error_code or "corrupt"))
        self.facts.setText(
            "\n".join(
                [
                    _("Taken: {when}").format(when=when_text(item.taken_at)),
                    _("Camera: {camera}").format(camera=item.camera or _("unknown")),
                    _("File: {path}").format(path=path or item.rel_path),
                ]
            )
        )
        if not changed:
            self.refresh_boxes()
            return
        if path is None or not item.ok:
            self.image.setText(_("No picture for this file"))
            return
        self.image.setText(_("Loading…"))
        self._frame = self.boxes.shown_frame(item)
        self._loader.request("preview:" + self._key(), path, PREVIEW, frame=self._frame)

    def _box_title(self, item: Item, lang: str) -> str:
        """The answer at the threshold, and the best box's species when it has one."""
        answer = category_text(self.boxes.answer(item) or "empty")
        best = self.boxes.best(item)
        species = species_text(best, self.boxes.classifier, lang) if best else ""
        shown = species and species != answer and best is not None and best.category == "animal"
        return f"{answer} · {species}" if shown else answer

    @property
    def frame(self) -> int | None:
        return self._frame

    def refresh_boxes(self) -> None:
        """Draw the boxes of the frame shown at the threshold (after a slider move, a review)."""
        item = self._item
        if item is None or self.image.image() is None:
            return
        self.image.set_shapes(self.boxes.shapes(item, self._frame, self.selected_box))
        if item.ok and self.boxes.boxes_decide and item.review is None:
            self.title.setText(self._box_title(item, language()))

    def _top5_html(self, item: Item, lang: str) -> str:
        lines = [self._clip_line(found, lang) for found in self.boxes.clip(item)]
        if self.boxes.boxes_decide:  # the boxes answer; the whole picture's guess is a footnote
            lines.append("<i>" + _("The whole picture, without boxes:") + "</i>")
        if item.is_video:  # per-label maxima over frames: a share would mislead, so say so
            lines.append(
                "<i>" + _("Best frame per label: each label's highest score in any frame.") + "</i>"
            )
        for number, (index, _label, _group, score) in enumerate(item.predictions[:5], start=1):
            text = self.card.label_text(index, lang)
            lines.append(f"<b>{number}</b>&nbsp; {text} — {fmt_number(score * 100, 1)} %")
        if item.review is not None:
            who = _("Reviewed by a person") if item.review.action == "correct" else _("Accepted")
            lines.append(f"<i>{who}</i>")
        return "<br>".join(lines)

    def _clip_line(self, found: ClipCategory, lang: str) -> str:
        """One category of a clip: "animal: 4 frames, best 90 % (frame 5) ocelot"."""
        species = ", ".join(label_in(self.card, name, lang) for name in found.species)
        return _("{category}: {frames} frames, best {score} % (frame {frame}) {species}").format(
            category=category_text(found.category), frames=fmt_number(found.frames),
            score=fmt_number(found.max_conf * 100), frame=found.best_frame, species=species,
        ).strip()  # fmt: skip

    def _fill_strip(self, item: Item | None, path: Path | None) -> None:
        """One thumbnail per sampled frame of a video, decoded in one pass off the GUI thread."""
        self.strip.clear()
        self.strip.setVisible(item is not None and item.is_video and bool(item.frames))
        if item is None or not item.is_video:
            return
        lang = language()
        wanted: dict[int, str] = {}
        for number, time_s, index, score in item.frames:
            label = self.card.label_text(index, lang) if 0 <= index < len(self.card.labels) else ""
            entry = QListWidgetItem(f"{clip_time(time_s)}\n{label} {fmt_number(score * 100)} %")
            entry.setData(Qt.ItemDataRole.UserRole, number)
            entry.setToolTip(_("Frame {number}").format(number=number))
            self.strip.addItem(entry)
            wanted[number] = f"strip:{self._key()}:{number}"
        if path is not None:
            self._loader.request_frames(path, wanted, STRIP_THUMB)

    def _show_frame(self, entry: QListWidgetItem) -> None:
        if self._item is not None and self._path is not None:
            number = int(entry.data(Qt.ItemDataRole.UserRole))
            self._frame = number
            self.frame_changed.emit()
            key = "preview:" + self._key()
            self._loader.request_frames(self._path, {number: key}, PREVIEW)

    def _on_strip_loaded(self, key: str, image: QImage) -> None:
        number = int(key.rsplit(":", 1)[1])
        for row in range(self.strip.count()):
            entry = self.strip.item(row)
            if entry.data(Qt.ItemDataRole.UserRole) == number and not image.isNull():
                entry.setIcon(QIcon(QPixmap.fromImage(image)))

    def _on_loaded(self, key: str, image: QImage) -> None:
        if self._item is not None and key.startswith(f"strip:{self._key()}:"):
            self._on_strip_loaded(key, image)
            return
        if self._item is None or key != "preview:" + self._key():
            return
        if image.isNull():
            self.image.setText(_("The picture cannot be shown."))
            return
        self.image.set_image(image)
        self.refresh_boxes()

    def _open_folder(self) -> None:
        if self._path is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self._path.parent)))


def _frame_strip() -> QListWidget:
    """A single row of frame thumbnails that scrolls sideways."""
    strip = QListWidget()
    strip.setViewMode(QListView.ViewMode.IconMode)
    strip.setFlow(QListView.Flow.LeftToRight)
    strip.setWrapping(False)
    strip.setMovement(QListView.Movement.Static)
    strip.setIconSize(QSize(STRIP_THUMB, STRIP_THUMB * 9 // 16))
    strip.setGridSize(QSize(STRIP_THUMB + 16, STRIP_THUMB * 9 // 16 + 44))
    strip.setFixedHeight(STRIP_THUMB * 9 // 16 + 64)
    strip.setWordWrap(True)
    strip.setVisible(False)
    return strip
