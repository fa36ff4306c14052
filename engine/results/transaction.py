"""One SQLite transaction as a context manager: all of a batch is committed, or none of it.

Shared by the results database and the events store, which keep connections of their own to
the same file (autocommit connections: `isolation_level=None`).
"""

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[None]:
    """BEGIN IMMEDIATE (the write lock up front, so two writers queue instead of failing
    half-way), then COMMIT, or ROLLBACK on any exception, a KeyboardInterrupt included."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
