"""Review with the keyboard: Enter accepts, 1–5 pick from the top-5, typing finds any label,
arrows move, Ctrl+Z undoes. Verdicts go to the results database beside the machine's label.
Any name typed is accepted ("ocelot" where the model has none). With a detector, the boxes of
the file are judged one by one (gui/box_review.py).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QModelIndex, QObject, QStringListModel, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCompleter,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from engine.i18n import _, language
from engine.models.card import ModelCard
from engine.pipeline.job import RESULTS_DB
from engine.results.db import ResultsDB
from gui.box_review import BoxReviewPanel
from gui.widgets.detail import DetailView
from gui.widgets.gallery import GalleryFilter, GalleryModel, ItemRole, make_gallery_view
from gui.widgets.items import Item
from gui.widgets.scrolled import scrolled
from gui.widgets.taxonomy_names import TaxonomyNames

NUMBER_KEYS = {Qt.Key.Key_1: 0, Qt.Key.Key_2: 1, Qt.Key.Key_3: 2, Qt.Key.Key_4: 3, Qt.Key.Key_5: 4}


class ReviewPage(QWidget):
    """Works on the results shown by the classify page; `reviewed(rel_path)` after each verdict."""

    reviewed = Signal(str)

    def __init__(self, card: ModelCard, model: GalleryModel, parent=None) -> None:
        super().__init__(parent)
        self.card, self.model = card, model
        self.db: ResultsDB | None = None
        self.names = TaxonomyNames(card)
        self._undo: list[tuple[str, int]] = []  # box verdicts of this session: (rel_path, id)
        self.proxy = GalleryFilter(self)
        self.proxy.setSourceModel(model)
        self.list = make_gallery_view(compact=True)
        self.list.setModel(self.proxy)
        self.list.selectionModel().currentChanged.connect(self._show_current)
        self.proxy.modelReset.connect(lambda: self.detail.show_item(None, None))
        self.list.installEventFilter(self)
        self.detail = DetailView(card, model.loader, model.boxes)
        self.box_panel = BoxReviewPanel(model, self.detail)
        self.box_panel.stored.connect(self._on_box_stored)
        self.editor = QLineEdit()
        self.completer = QCompleter(self)
        self.completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.editor.setCompleter(self.completer)
        self.editor.returnPressed.connect(self._correct_from_editor)
        self.editor.installEventFilter(self)
        self.accept_button = QPushButton()
        self.accept_button.clicked.connect(self.accept_current)
        self.undo_button = QPushButton()
        self.undo_button.clicked.connect(self.undo)
        self.help = QLabel(wordWrap=True)
        self.message = QLabel(wordWrap=True)
        self._message: Callable[[], str] = str  # rebuilt on a language switch
        self.undo_shortcut = QShortcut(QKeySequence.StandardKey.Undo, self)
        self.undo_shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.undo_shortcut.activated.connect(self.undo)

        controls = QHBoxLayout()
        controls.addWidget(self.editor, 1)
        controls.addWidget(self.accept_button)
        controls.addWidget(self.undo_button)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(scrolled(self.detail), 1)  # the controls below never scroll away
        right_layout.addWidget(self.box_panel)
        right_layout.addLayout(controls)
        right_layout.addWidget(self.help)
        right_layout.addWidget(self.message)
        splitter = QSplitter()
        splitter.addWidget(self.list)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 3)
        QVBoxLayout(self).addWidget(splitter)
        self.retranslate()

    def retranslate(self) -> None:
        self.names = TaxonomyNames(self.card, language())
        self.completer.setModel(None)
        self.completer.setModel(QStringListModel(self.names.entries, self.completer))
        self.box_panel.retranslate()
        self.accept_button.setText(_("Accept (Enter)"))
        self.undo_button.setText(_("Undo (Ctrl+Z)"))
        self._show_help()
        self.detail.retranslate()
        self.message.setText(self._message())

    def _show_help(self) -> None:
        """The keys and the name field's hint, for whole photos or for boxes."""
        self.editor.setPlaceholderText(_("Type the right name to correct…"))
        if self.model.boxes.boxes_decide:
            self.editor.setPlaceholderText(_("Type the species of the chosen box (any name)…"))
            self.help.setText(
                _(
                    "Enter: accept the boxes · Delete: reject the chosen box · type a name to "
                    "relabel it · drag on the picture or Ctrl+N: animal here · Ctrl+E: frame "
                    "empty · Ctrl+Z: undo"
                )
            )
            return
        self.help.setText(
            _(
                "Enter: accept · 1–5: choose from the top 5 · type a name to correct · "
                "arrows: next or previous · Ctrl+Z: undo"
            )
        )

    def _say(self, text: Callable[[], str]) -> None:
        """Show a message, kept as a function so a language switch rewrites it too."""
        self._message = text
        self.message.setText(text())

    def set_card(self, card: ModelCard) -> None:
        self.card = card
        self.detail.card = card
        self.retranslate()

    def set_results(self, out_dir: Path) -> None:
        """Open the results database of the folder now shown (closing the previous one)."""
        if self.db is not None:
            self.db.close()
        self.db = ResultsDB(out_dir / RESULTS_DB)
        self.box_panel.db = self.db
        self._undo.clear()
        boxes = self.model.boxes.boxes_decide
        self.box_panel.setVisible(boxes)
        self.detail.image.drawing = boxes
        self._show_help()
        if self.proxy.rowCount() and not self.list.currentIndex().isValid():
            self.list.setCurrentIndex(self.proxy.index(0, 0))
        self._show_current(self.list.currentIndex(), QModelIndex())

    def close_results(self) -> None:
        if self.db is not None:
            self.db.close()
            self.db = None
            self.box_panel.db = None

    # --- verdicts ------------------------------------------------------------------------
    def current_item(self) -> Item | None:
        index = self.list.currentIndex()
        return index.data(ItemRole) if index.isValid() else None

    def accept_current(self) -> None:
        item = self.current_item()
        if item is not None and item.ok and self.model.boxes.boxes_decide:
            self.box_panel.accept_all()  # no box shown: the frame is confirmed empty
            self._move(1)
        elif item is not None and item.ok:
            self._store(item, "accept", item.predictions[0][0])

    def pick(self, rank: int) -> None:
        item = self.current_item()
        if item is not None and item.ok and rank < len(item.predictions):
            action = "accept" if rank == 0 else "correct"
            self._store(item, action, item.predictions[rank][0])

    def label_for(self, text: str) -> int | None:
        """The classifier's label for what was typed or chosen, None for a name it lacks."""
        return self.names.label_for(text)

    def _correct_from_editor(self) -> None:
        """Any name is taken: the classifier's label when it knows it, else as typed."""
        item = self.current_item()
        typed = " ".join(self.editor.text().split())
        if item is None or not typed:
            return
        index = self.label_for(typed)
        self.editor.clear()
        self.list.setFocus()
        if self.model.boxes.boxes_decide:
            label = self.card.labels[index].en if index is not None else typed
            self.box_panel.relabel(label)
        elif index is not None:
            self._store(item, "correct", index)
        elif self.db is not None and item.ok:
            self.db.add_review(item.rel_path, "correct", typed, "", None)
            self._saved(item, lambda: _("Saved: {label}").format(label=typed))

    def _store(self, item: Item, action: str, class_index: int) -> None:
        if self.db is None:
            return
        label = self.card.labels[class_index]
        self.db.add_review(item.rel_path, action, label.en, label.group, class_index)
        self._saved(
            item,
            lambda: _("Saved: {label}").format(label=self.card.label_text(class_index, language())),
        )

    def _saved(self, item: Item, text: Callable[[], str]) -> None:
        assert self.db is not None
        self.model.replace(item.with_review(self.db.review_of(item.rel_path)))
        self._say(text)
        self.reviewed.emit(item.rel_path)
        self._move(1)

    def _on_box_stored(self, rel_path: str, review_id: int, text: str) -> None:
        self._undo.append((rel_path, review_id))
        self._say(lambda: text)
        self.reviewed.emit(rel_path)

    def undo(self) -> None:
        """The last box verdict of this session, else the last verdict on a whole file."""
        if self.db is None:
            return
        if self._undo:
            rel_path, review_id = self._undo.pop()
            self.db.undo_box_review(review_id)
            self.box_panel.refresh(rel_path)
            self._select(rel_path)
            self._say(lambda: _("Undone."))
            return
        undone = self.db.undo_review()
        if undone is None:
            self._say(lambda: _("Nothing to undo."))
            return
        rows = {item.rel_path: item for item in self.model.items()}
        item = rows.get(undone.rel_path)
        if item is not None:
            self.model.replace(item.with_review(self.db.review_of(undone.rel_path)))
            self._select(undone.rel_path)
        self._say(lambda: _("Undone."))

    # --- navigation -----------------------------------------------------------------------
    def _move(self, step: int) -> None:
        row = self.list.currentIndex().row() + step
        if 0 <= row < self.proxy.rowCount():
            self.list.setCurrentIndex(self.proxy.index(row, 0))

    def _select(self, rel_path: str) -> None:
        for row in range(self.proxy.rowCount()):
            index = self.proxy.index(row, 0)
            if index.data(ItemRole).rel_path == rel_path:
                self.list.setCurrentIndex(index)
                return

    def _show_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        item = current.data(ItemRole) if current.isValid() else None
        self.detail.show_item(item, self.model.path_of(item) if item else None)
        self.box_panel.show_item(item)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.list and event.type() == QEvent.Type.KeyPress:
            return self._key(event)  # type: ignore[arg-type]
        if watched is self.editor and event.type() == QEvent.Type.KeyPress:
            return self._editor_key(event)  # type: ignore[arg-type]
        return super().eventFilter(watched, event)

    def _editor_key(self, event: QKeyEvent) -> bool:
        """Escape gives the keyboard back to the list; the arrows keep moving through it."""
        key = event.key()
        if key == Qt.Key.Key_Escape:
            self.editor.clear()
            self.list.setFocus()
            return True
        if key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            self.list.setFocus()
            self._move(1 if key == Qt.Key.Key_Down else -1)
            return True
        return False

    def _key(self, event: QKeyEvent) -> bool:
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.accept_current()
            return True
        if key in NUMBER_KEYS and not event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.pick(NUMBER_KEYS[Qt.Key(key)])
            return True
        text = event.text()
        if text and text.isalpha() and not event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.editor.setFocus()
            self.editor.setText(text)
            return True
        return False
