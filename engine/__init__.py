"""Ocelote's engine: everything the app does, without Qt: for Python, the CLI and the GUI."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("ocelote")
except PackageNotFoundError:  # running from a source tree that was not installed
    __version__ = "0.0.0+source"
