"""Why a job cannot start or go on; the message is for the user, in their language."""


class JobError(Exception):
    """A job that cannot start or go on (the command exits 1)."""


class UsageError(JobError):
    """Asked wrongly: the same request will fail again until it is changed (the command exits 2),
    e.g. results into the photo folder, or into another folder's results."""
