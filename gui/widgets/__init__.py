"""Reusable widgets: drop zone, gallery (model/view), detail panel, group chart."""
