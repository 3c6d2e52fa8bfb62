"""The errors the session store raises; their messages name where the data lives."""

from __future__ import annotations


class StoreError(Exception):
    """Anything the session store cannot do; the message names the database file."""


class StoreUnavailable(StoreError):
    """The database file cannot be opened or written (bad path, permissions, not a database)."""


class SessionNotFound(StoreError, LookupError):
    """No such session or loop run for this owner: another owner's id reads exactly like a missing one."""


class SnapshotNotFound(StoreError, LookupError):
    """No rubric snapshot with this ref."""


class CorruptSession(StoreError):
    """A stored row no longer reads back (edited by hand, or written by a broken build)."""
