"""Errors the world causes (bad files, bad input), as opposed to bugs.

A KnownError carries a short message in Bahasa Indonesia that the GUI shows
as is and the CLI prints on stderr with exit code 1. Anything that is not a
KnownError is a bug: logged with a traceback, shown with "copy details".
"""
from __future__ import annotations


class KnownError(Exception):
    """An expected failure with a user-facing Indonesian message."""

    def __init__(self, pesan: str, *, detail: str | None = None):
        super().__init__(pesan)
        self.pesan = pesan
        self.detail = detail


class DatabaseOpenError(KnownError):
    """The database file cannot be opened safely (missing, corrupt, newer...)."""


class ValidationError(KnownError):
    """One or more fields of a record are invalid.

    ``errors`` maps a field name to its message so forms can show each message
    next to its field; ``pesan`` joins them for the CLI.
    """

    def __init__(self, errors: dict[str, str]):
        self.errors = dict(errors)
        pesan = "; ".join(f"{k}: {v}" for k, v in self.errors.items())
        super().__init__(pesan)
