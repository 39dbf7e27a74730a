"""Gelar's hook specifications: the one place that states every plugin contract.

Families:

* ``register_*`` — called once while the app is built; each returns a list and all
  results are concatenated.
* ``event_*`` — per-event contributions; called only on plugins enabled for that event,
  every result is kept (lists are concatenated in plugin-name order).
* ``on_*`` — lifecycle and domain notifications; return values are ignored.

Hooks are always called with keyword arguments.  An implementation takes only the
arguments it needs (pluggy passes the subset it asks for).
"""

from __future__ import annotations

from typing import Any

import pluggy

PROJECT_NAME = "gelar"

hookspec = pluggy.HookspecMarker(PROJECT_NAME)
hookimpl = pluggy.HookimplMarker(PROJECT_NAME)


# --- register_*: app set-up ---------------------------------------------------------------


@hookspec
def register_blueprints() -> list[Any]:
    """Return the Flask blueprints this plugin serves.

    Called once by the app factory.  Pages must live under ``/<event>/<plugin>/`` and JSON
    endpoints under ``/api/v1/events/<event>/``; both take the ``event`` slug as a view
    argument.  Every blueprint a plugin returns is owned by it: when the plugin is off for
    the requested event, Gelar answers 404 before the view runs.
    """


@hookspec
def register_cli_commands() -> list[Any]:
    """Return ``click`` commands (or groups) to add to the ``gelar`` command line.

    Called once by the app factory; commands run inside the app context.
    """


# --- event_*: per-event contributions -----------------------------------------------------


@hookspec
def event_nav_items(event: Any) -> list[Any]:
    """Return :class:`core.plugins.NavItem` entries for the event's navigation bar.

    Called on each page of an event, only on plugins enabled for it.
    """


@hookspec
def event_home_panels(event: Any, session: Any) -> list[Any]:
    """Return :class:`core.plugins.Panel` blocks shown on the public event home page.

    Called only on plugins enabled for ``event``; ``session`` is a read session.  A panel's
    ``html`` is rendered as is, so implementations render it with ``render_template``.
    """


@hookspec
def event_dashboard_panels(event: Any, session: Any) -> list[Any]:
    """Return :class:`core.plugins.Panel` blocks for the organizer's event dashboard.

    Called only on plugins enabled for ``event``; typically counts that need action.
    """


@hookspec
def event_demo_data(event: Any, session: Any, demo: Any) -> None:
    """Add this plugin's demo data to the seeded demo ``event``.

    Called by ``gelar demo`` once the core demo (agencies, innovations, accounts) exists,
    only on plugins enabled for the event, inside the demo's transaction.  ``demo`` is a
    :class:`core.services.demo.DemoContext` with the users and organizations created.
    Must be idempotent: the demo command may run again.
    """


# --- on_*: lifecycle and domain events ----------------------------------------------------


@hookspec
def on_plugin_enabled(event: Any, session: Any) -> None:
    """The plugin was switched on for ``event``.

    Called on that plugin alone, inside the transaction that enables it, so it may create
    default rows (a default rubric, default rooms).  Raising aborts the switch.
    """


@hookspec
def on_plugin_disabled(event: Any, session: Any) -> None:
    """The plugin was switched off for ``event``.

    Called on that plugin alone, inside the transaction.  Data is kept so that switching the
    plugin back on restores it; this is the place to cancel scheduled work.
    """


@hookspec
def on_event_cloned(source: Any, target: Any, session: Any) -> None:
    """``target`` was cloned from ``source`` (next year's edition).

    Called only on plugins enabled for ``source``, after core copied the event, its plugin
    switches and settings.  Each plugin copies its own configuration (rubric, rooms, booth
    layout, forms) and never participants' data.
    """


@hookspec
def on_registration_decided(event: Any, registration: Any, status: str, session: Any) -> None:
    """An organizer decided on an exhibitor registration (``approved``, ``rejected``,
    ``waitlisted``).

    Called by the registration plugin on every plugin enabled for ``event``, inside the
    decision's transaction; ``registration`` is that plugin's object and listeners read only
    ``organization_id`` and ``innovation_ids`` from it.
    """


@hookspec
def on_innovation_submitted(event: Any, innovation: Any, session: Any) -> None:
    """An innovation (a :class:`core.models.Innovation`) was submitted to ``event``.

    Called on every plugin enabled for the event, inside the submitting transaction.
    """
