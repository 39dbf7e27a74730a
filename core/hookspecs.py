"""Gelar's hook specifications: the one place that states every plugin contract.

Families:

* ``register_*`` — called once while the app is built, on every installed plugin; each
  returns a list and all results are kept (concatenated).
* ``event_*`` — per-event contributions; called only on plugins enabled for that event,
  all results are kept (lists are concatenated, then sorted by ``order``).
* ``on_*`` — lifecycle and domain notifications; the return value is ignored (except
  ``on_personal_data_collect``, whose sections are all kept).

Every docstring below states when the hook is called, what each argument is, what an
implementation returns and how results combine (``tests/core/plugins/test_hookspecs.py``
checks this, and that every spec is exercised).  Hooks are always called with keyword
arguments, all of them (:class:`core.plugins.PluginRegistry` refuses a call that misses one).
An implementation takes only the arguments it needs (pluggy passes the subset it asks for).
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

    Called once by the app factory, plugin by plugin, on every installed plugin.  Pages must
    live under ``/<event>/<plugin>/`` and JSON endpoints under ``/api/v1/events/<event>/``;
    both take the ``event`` slug as a view argument.  Every blueprint a plugin returns is
    owned by it: when the plugin is off for the requested event, Gelar answers 404 before the
    view runs.  Returns a list of blueprints; all results are kept.
    """


@hookspec
def register_cli_commands() -> list[Any]:
    """Return ``click`` commands (or groups) to add to the ``gelar`` command line.

    Called once by the app factory on every installed plugin; the commands run inside the
    app context.  Returns a list of commands; all results are kept.
    """


# --- event_*: per-event contributions -----------------------------------------------------


@hookspec
def event_nav_items(event: Any) -> list[Any]:
    """Return :class:`core.plugins.NavItem` entries for the event's navigation bar.

    Called while rendering each page of ``event`` (a :class:`core.models.Event`), only on
    plugins enabled for it, inside a request (``url_for`` works).  Returns a list of nav
    items; all results are kept and sorted by ``order``.
    """


@hookspec
def event_home_panels(event: Any, session: Any) -> list[Any]:
    """Return :class:`core.plugins.Panel` blocks shown on the public event home page.

    Called while rendering the home page of ``event``, only on plugins enabled for it;
    ``session`` is the request's SQLAlchemy session (read from it, do not write).  A panel's
    ``html`` is rendered as is, so implementations render it with ``render_template``.
    Returns a list of panels; all results are kept and sorted by ``order``.
    """


@hookspec
def event_dashboard_panels(event: Any, session: Any) -> list[Any]:
    """Return :class:`core.plugins.Panel` blocks for the organizer's event dashboard.

    Called while rendering the organizer dashboard of ``event``, only on plugins enabled for
    it; ``session`` is the request's SQLAlchemy session (read only).  Panels typically show
    counts that need action.  Returns a list of panels; all results are kept and sorted by
    ``order``.
    """


@hookspec
def event_my_home_panels(event: Any, session: Any, user: Any, roles: Any) -> list[Any]:
    """Return :class:`core.plugins.Panel` blocks for a person's "Beranda saya" (``/me``).

    Called while rendering ``/me`` for each event where the signed-in ``user`` (a
    :class:`core.models.User`) may have something, only on plugins enabled for ``event``;
    ``roles`` is a :class:`core.services.my_home.MyRoles` (organizer, judge, exhibitor, the
    person's agencies and visitor passes of the event); ``session`` is the request's session
    (read only).  A panel states the person's next actions with counts and links to them
    (one tap); return an empty list when the person has nothing here.  An event left with no
    panel and no role is not shown.  Must run a fixed number of statements per event.
    Returns a list of panels; all results are kept and sorted by ``order``.
    """


@hookspec
def event_demo_data(event: Any, session: Any, demo: Any) -> None:
    """Add this plugin's demo data to the seeded demo ``event``.

    Called by ``gelar demo`` once the core demo (agencies, innovations, accounts) exists,
    only on plugins enabled for the event, inside the demo's transaction (``session``).
    ``demo`` is a :class:`core.services.demo.DemoContext` with the users and organizations
    created.  Must be idempotent: the demo command may run again.  The return value is
    ignored.
    """


@hookspec
def event_innovation_actions(event: Any, innovation: Any, session: Any) -> list[Any]:
    """Return :class:`core.plugins.Panel` actions for an innovation's public page.

    Called by the plugin that renders the innovation page (through
    :func:`core.plugin_helpers.innovation_actions`), only on plugins enabled for ``event``.
    ``innovation`` is an accepted :class:`core.models.Innovation` of ``event`` with its
    organization loaded; ``session`` is the request's read session.  Each panel's ``html``
    is rendered as is (e.g. a "vote" button, "scored by 5 judges"); all results are kept,
    flattened and sorted by ``order``.
    """


@hookspec(firstresult=True)
def event_innovation_search(
    event: Any,
    session: Any,
    q: str,
    category: str | None,
    organization_id: int | None,
    limit: int,
    offset: int,
) -> tuple[list[Any], int] | None:
    """Search the accepted innovations of ``event`` better than core's word match.

    Called by core's ``GET /api/v1/events/{event}/innovations`` (through
    :func:`core.plugin_helpers.search_innovations`) when the text query ``q`` is not empty,
    only on plugins enabled for ``event``.  ``category`` and ``organization_id`` filter
    (``None``: no filter), ``limit`` and ``offset`` paginate; ``session`` is the request's
    read session, so an implementation must not write through it.  Return
    ``(innovations with .organization loaded, total)``, or ``None`` to let the next plugin
    or core's own search answer: the first result wins.
    """


@hookspec
def event_busy_times(
    event: Any, session: Any, people: dict[int, str], organizations: dict[int, str], window: Any
) -> list[Any]:
    """Return :class:`core.plugins.BusyTime` entries: when people or agencies are taken.

    Called by a plugin that plans around the rest of ``event`` (the voting plugin's judges'
    booth visits, through :func:`core.plugin_helpers.busy_times`), only on plugins enabled
    for ``event``.  ``people`` maps user ids to their normalised e-mail addresses,
    ``organizations`` maps organization ids to their names; ``window`` is a ``(start, end)``
    pair of aware UTC datetimes and only busy times overlapping it are wanted.  ``session``
    is the caller's session (read only).  An implementation answers for the keys it was
    given (e.g. the symposium: a person speaking or moderating a session, an agency whose
    staff presents), each entry with aware UTC times and a label.  Returns a list; all
    results are kept (concatenated, sorted by ``order``).
    """


@hookspec
def event_booth_locations(event: Any, session: Any, organization_ids: list[int]) -> list[Any]:
    """Return :class:`core.plugins.BoothLocation` entries: where agencies of ``event`` exhibit.

    Called by a plugin that needs to know where an agency stands at the venue (the voting
    plugin's judges' booth visits: travel time between zones, booth codes on itineraries,
    through :func:`core.plugin_helpers.booth_locations`), only on plugins enabled for
    ``event``.  ``organization_ids`` are the agencies asked about; agencies without a booth
    are left out.  ``session`` is the caller's session (read only).  Returns a list; all
    results are kept (concatenated, sorted by ``order``; a caller takes the first location
    per agency).
    """


@hookspec
def event_innovation_outcomes(
    events: list[Any], session: Any, innovation_ids: list[int]
) -> dict[int, dict[str, Any]]:
    """Say how far entries of several events went: ``{id: {"stage_reached", "rank"}}``.

    Called by core's innovation history (:func:`core.services.history.history`, behind the
    innovation page and ``GET /api/v1/innovations/{id}/history``) once per plugin for every
    edition at once, with ``events`` narrowed to the events the plugin is enabled for (a
    plugin enabled for none is not called).  ``innovation_ids`` are ids of entries of those
    events; ``session`` is the caller's session, which an implementation must not write
    through.  An implementation reads in a fixed number of statements whatever the number
    of events (a history page must not grow with the years).  ``stage_reached`` is the name
    of the last stage an entry was judged in and ``rank`` its place once the results are
    public (``None`` before).  Ids a plugin knows nothing of are left out; all results are
    kept, merged key by key (a later plugin's key overrides).
    """


# --- on_*: lifecycle and domain events ----------------------------------------------------


@hookspec
def on_plugin_enabled(event: Any, session: Any) -> None:
    """The plugin was switched on for ``event``.

    Called on that plugin alone, right after the switch, inside the transaction
    (``session``) that enables it, so it may create default rows (a default rubric, default
    rooms).  Raising aborts the switch.  The return value is ignored.
    """


@hookspec
def on_plugin_disabled(event: Any, session: Any) -> None:
    """The plugin was switched off for ``event``.

    Called on that plugin alone, right after the switch, inside the transaction
    (``session``).  Data and settings are kept so that switching the plugin back on restores
    them; this is the place to cancel scheduled work.  The return value is ignored.
    """


@hookspec
def on_event_cloned(source: Any, target: Any, session: Any) -> None:
    """``target`` was cloned from ``source`` (next year's edition).

    Called only on plugins enabled for ``source``, after core copied the event, its plugin
    switches and settings and flushed ``target`` (it has an id), inside the clone's
    transaction (``session``).  Each plugin copies its own configuration (rubric, rooms,
    booth layout, forms) and never participants' data.  The return value is ignored.
    """


@hookspec
def on_registration_decided(event: Any, registration: Any, status: str, session: Any) -> None:
    """An organizer decided on an exhibitor registration of ``event``.

    Called by the registration plugin through
    :func:`core.plugin_helpers.announce_registration_decided` on every plugin enabled for
    ``event``, inside the decision's transaction (``session``).  ``status`` is
    ``approved``, ``rejected`` or ``waitlisted``; ``registration`` is that plugin's object
    and listeners read only ``organization_id`` and ``innovation_ids`` from it.  The return
    value is ignored.
    """


@hookspec
def on_organization_claim_decided(event: Any, claim: Any, session: Any) -> None:
    """A member of an agency (or a site admin) confirmed or refused a ``claim`` of ``event``.

    Called by :func:`core.services.memberships.decide_claim` on every plugin enabled for
    the claim's event (claims without an event call nobody), inside the deciding
    transaction (``session``), after a confirmed claimant became a member.  ``claim`` is a
    :class:`core.models.OrganizationClaim`: ``status`` is ``confirmed`` or ``refused``,
    ``registration_id`` names the plugin's row that asked, ``user_id`` the claimant's
    account once confirmed.  The return value is ignored.
    """


@hookspec
def on_judge_conflicts_declared(
    event: Any, user_id: int, organization_ids: list[int], actor_id: Any, session: Any
) -> None:
    """A judge of ``event`` newly declared conflicts of interest with ``organization_ids``.

    Called by :func:`core.services.roles.appoint` on every plugin enabled for the event,
    inside the appointing transaction (``session``), with only the agencies added by this
    change.  ``user_id`` is the judge's user id, ``actor_id`` the user who declared the
    conflicts (``None`` from the CLI or a service).  The voting plugin removes the judge's
    unscored assignments of those agencies (audited).  The return value is ignored.
    """


@hookspec
def on_innovation_submitted(event: Any, innovation: Any, session: Any) -> None:
    """An ``innovation`` (a :class:`core.models.Innovation`) was submitted to ``event``.

    Called through :func:`core.plugin_helpers.announce_innovation_submitted` on every plugin
    enabled for the event, inside the submitting transaction (``session``).  The return
    value is ignored.
    """


# --- personal data (UU 27/2022): "Data saya" and erasure ----------------------------------


@hookspec
def on_personal_data_collect(session: Any, user: Any) -> dict[str, list[Any]]:
    """Return what this plugin stores about ``user``, for "Data saya" and its JSON download.

    Called by :func:`core.services.privacy.collect` on every installed plugin (enabled for
    an event or not: data outlives the switch) when a person opens ``/account/data`` or
    ``GET /api/v1/me/data``.  ``user`` is the signed-in :class:`core.models.User` (match rows
    by ``user.id`` and by ``user.email``); ``session`` is the request's session (read only).
    Return a dict of section name → list of JSON-serialisable dicts; the API names
    ``registrations``, ``passes``, ``votes``, ``agenda``, ``assignments`` and ``scores``, a
    third-party plugin may add its own section.  Lists under the same section are
    concatenated: all results are kept.
    """


@hookspec
def on_personal_data_erase(session: Any, user: Any, email: str, event: Any) -> None:
    """Erase what this plugin stores about a person: name, e-mail, phone, free text.

    Called by :mod:`core.services.privacy` on every installed plugin, inside the erasing
    transaction (``session``): when a person erases their account (``user`` is the
    :class:`core.models.User`, ``event`` is ``None``: everywhere), when an organizer erases
    a person of their event on request and by ``gelar privacy purge`` after the retention
    period (``event`` is that :class:`core.models.Event`: only its rows; ``user`` may be
    ``None`` for a person without an account).  ``email`` is the person's normalised
    address.  Keep what the event's record needs without the person (a submitted score
    sheet, an agency's registration, a vote's count): blank or replace the personal
    fields, delete rows that are only about the person.  Must not write the erased values
    anywhere (no audit payload).  The return value is ignored.
    """
