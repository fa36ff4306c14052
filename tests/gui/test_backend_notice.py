"""A backend set aside during a run is said on the window, in the user's language."""

from engine import i18n
from engine.pipeline.events import BackendDropped


def test_a_dropped_backend_is_shown_beside_the_plan(qtbot, window):
    i18n.set_language("es")
    page = window.classify_page
    page.runner.backend_dropped.emit(BackendDropped("ncnn-vulkan", "VK_ERROR_DEVICE_LOST"))
    assert "ncnn-vulkan se dejó de lado en esta sesión: VK_ERROR_DEVICE_LOST" in (
        page.plan_label.text()
    )
