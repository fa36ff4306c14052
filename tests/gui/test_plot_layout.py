"""Charts keep their words whole: the confusion matrix's title, the latency chart's axis numbers
and its legend, which sits beside the lines, never over them."""

from PySide6.QtGui import QFont, QFontMetrics

from engine.i18n import _
from gui.widgets.confusion import ConfusionView
from gui.widgets.plots import LinePlot


def test_confusion_matrix_is_wide_enough_for_its_title(qtbot):
    view = ConfusionView()
    qtbot.addWidget(view)
    view.set_matrix(["1. dog", "2. cat"], [[3, 1], [0, 4]])
    bold = QFont(view.font())
    bold.setBold(True)
    assert view.sizeHint().width() > QFontMetrics(bold).horizontalAdvance(_("Confusion matrix"))
    note = view.fontMetrics().horizontalAdvance(_("Rows: true class; columns: predicted."))
    assert view.minimumSizeHint().width() > note


def test_latency_axis_numbers_and_legend_fit(qtbot):
    plot = LinePlot()
    qtbot.addWidget(plot)
    plot.resize(420, 280)
    series = {
        "onnxruntime-cpu FP32": [(1, 120000.0), (16, 950000.0)],
        "ncnn-vulkan FP16": [(1, 5.0)],
    }
    plot.set_series(series)
    plot.grab()  # paints: the margins follow what is written
    widest = plot.fontMetrics().horizontalAdvance("1.045.000")
    legend = plot.fontMetrics().horizontalAdvance("onnxruntime-cpu FP32")
    area = plot.area()
    assert area.left() >= widest  # tick numbers are not cut
    assert area.right() + legend <= plot.width()  # the legend is beside the lines
