"""Errors of the model store; their message is written for the user, in the user's language."""


class StoreError(Exception):
    """Something the user can act on: the message says what happened and what to do."""


class ModelFileError(StoreError):
    """A model file is missing, or is not the file its card and manifest describe."""


class DownloadError(StoreError):
    """A download that did not complete (network, server, or not the file expected)."""


class ChecksumError(DownloadError):
    """The downloaded bytes are not the publisher's file; the partial download is removed."""


class DiskSpaceError(StoreError):
    """Not enough free space in the store's folder (checked first, and when a write fails)."""


class Cancelled(StoreError):
    """The user stopped the work; nothing half-installed is left."""


class ImportProblem(StoreError):
    """A pack, zip or ONNX file that cannot become a model of the store."""
