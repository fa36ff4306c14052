"""Ocelote's engine: everything the app does, without Qt: for Python, the CLI and the GUI."""


def __getattr__(name: str) -> str:
    """`engine.__version__`, looked up when asked: importing `engine` stays instant, so the
    command's Ctrl+C handling (engine.launch) is in place from its first milliseconds."""
    if name != "__version__":
        raise AttributeError(name)
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("ocelote")
    except PackageNotFoundError:  # running from a source tree that was not installed
        return "0.0.0+source"
