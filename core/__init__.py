"""Gelar core: the app factory, the ``hookimpl`` marker for plugins, shared services."""

from core.hookspecs import hookimpl

__all__ = ["create_app", "hookimpl"]


def create_app(config=None):  # type: ignore[no-untyped-def]
    """Build the Flask app (see :func:`core.app.create_app`)."""
    from core.app import create_app as _create_app

    return _create_app(config)
