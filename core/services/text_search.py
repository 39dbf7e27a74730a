"""Substring search that treats the user's text literally, the same on SQLite and PostgreSQL.

``%`` and ``_`` are LIKE wildcards: a query of ``%`` must not match everything.  Every
search in core and the plugins builds its conditions here: :func:`like_pattern` escapes
the wildcards and the escape character, :func:`contains` adds the matching ``ESCAPE``
clause (understood by both databases).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, func

LIKE_ESCAPE = "\\"


def escape_like(text: str) -> str:
    """``text`` with LIKE's wildcards (``%``, ``_``) and the escape character escaped."""
    return (
        text.replace(LIKE_ESCAPE, LIKE_ESCAPE * 2)
        .replace("%", LIKE_ESCAPE + "%")
        .replace("_", LIKE_ESCAPE + "_")
    )


def like_pattern(text: str, *, prefix: str = "%", suffix: str = "%") -> str:
    """A LIKE pattern matching ``text`` literally between ``prefix`` and ``suffix``."""
    return f"{prefix}{escape_like(text)}{suffix}"


def like(column: Any, pattern: str) -> ColumnElement[bool]:
    """``column LIKE pattern ESCAPE '\\'`` for a pattern built by :func:`like_pattern`."""
    return column.like(pattern, escape=LIKE_ESCAPE)  # type: ignore[no-any-return]


def contains(column: Any, word: str) -> ColumnElement[bool]:
    """Case-insensitive: ``column`` contains ``word`` literally (wildcards are plain text)."""
    return like(func.lower(column), like_pattern(word.lower()))
