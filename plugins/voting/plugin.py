"""Voting plugin: metadata and hook implementations."""

from __future__ import annotations

from typing import Any

from flask import render_template, url_for
from flask_babel import gettext as _
from markupsafe import Markup

from core import hookimpl
from core.plugin_helpers import stored_settings
from core.plugins import NavItem, Panel, PluginInfo
from plugins.voting.services import judge_count
from plugins.voting.settings import VotingSettings, VotingSettingsForm

plugin_info = PluginInfo(
    name="voting",
    title={"id": "Penjurian & Voting", "en": "Judging & voting"},
    description={
        "id": "Rubrik CETTAR, penilaian juri dengan koreksi juri keras/lunak, peringkat dan "
        "pilihan publik.",
        "en": "CETTAR rubric, judging corrected for harsh and lenient judges, rankings and a "
        "people's-choice vote.",
    },
    settings_model=VotingSettings,
    settings_form=VotingSettingsForm,
    version="0.1",
)


def _settings(event: Any) -> VotingSettings:
    return stored_settings(event, "voting", VotingSettings)  # type: ignore[return-value]


@hookimpl
def register_blueprints() -> list[Any]:
    """The judging pages and the Voting API."""
    from plugins.voting import (  # noqa: F401 - routes on bp
        api_confidence,
        confidence_views,
        judge_app_views,
        judge_views,
        manage_views,
        visit_views,
        visits_api,
    )
    from plugins.voting.api import bp as api_bp
    from plugins.voting.views import bp

    return [bp, api_bp]


@hookimpl
def event_nav_items(event: Any) -> list[NavItem]:
    """A "Judging" link in the event's navigation."""
    url = url_for("voting.index", event=event.slug)
    return [NavItem(_("Judging"), url, "voting", 40)]


@hookimpl
def event_home_panels(event: Any) -> list[Panel]:
    """Whether judges are scoring and whether results are out, on the event home."""
    html = render_template("voting/panel.html", settings=_settings(event))
    return [Panel(_("Judging"), Markup(html), "voting", 40)]


@hookimpl
def event_dashboard_panels(event: Any, session: Any) -> list[Panel]:
    """Judges appointed, whether scoring is open and whether results are published."""
    settings = _settings(event)
    judges = judge_count(session, event)
    html = render_template("voting/dashboard_panel.html", settings=settings, judges=judges)
    panels = [Panel(_("Judging"), Markup(html), "voting", 40, stats=(("judges", judges),))]
    return panels + visits_dashboard_panels(event, session)


def visits_dashboard_panels(event: Any, session: Any) -> list[Panel]:
    """The judges' booth visits: how many, and those a moved session or booth broke."""
    from core.web import registry
    from plugins.voting import visit_messages, visits

    rows = visits.rows(session, registry(), event)
    if not rows:
        return []
    broken = [row for row in rows if row.broken]
    html = render_template(
        "voting/dashboard_visits.html",
        event=event,
        total=len(rows),
        broken=broken,
        visit_clash=visit_messages.clash_message,
    )
    stats = (("visits", len(rows)), ("broken_visits", len(broken)))
    return [Panel(_("Judges' booth visits"), Markup(html), "voting", 41, stats=stats)]


@hookimpl
def on_judge_conflicts_declared(
    event: Any, user_id: int, organization_ids: list[int], actor_id: Any, session: Any
) -> None:
    """Withdraw the judge's unscored assignments of the agencies now in conflict (audited)."""
    from plugins.voting.assignment import withdraw_conflicted

    withdraw_conflicted(session, event, user_id, organization_ids, actor_id=actor_id)


@hookimpl
def on_plugin_enabled(event: Any, session: Any) -> None:
    """Create the first judging stage with the CETTAR rubric (kept if it exists)."""
    from plugins.voting.rubric import ensure_stage

    ensure_stage(session, event)


@hookimpl
def on_event_cloned(source: Any, target: Any, session: Any) -> None:
    """Copy the stages and their rubrics; never assignments, scores or votes."""
    from plugins.voting.rubric import copy_rubric

    copy_rubric(session, source, target)


@hookimpl
def event_demo_data(event: Any, session: Any, demo: Any) -> None:
    """The CETTAR rubric, two judges per innovation and a few judges' scores (idempotent)."""
    from plugins.voting.demo import seed_demo

    seed_demo(session, event)


@hookimpl
def event_innovation_actions(event: Any, innovation: Any) -> list[Panel]:
    """A "vote for this innovation" button on its page while the public vote is open."""
    from core.db import utcnow
    from plugins.voting.services import public_vote_state

    if public_vote_state(_settings(event), utcnow()) != "open":
        return []
    url = url_for("voting.vote", event=event.slug, innovation_id=innovation.id)
    html = Markup('<a class="button primary" href="{}">{}</a>').format(
        url, _("Vote for this innovation")
    )
    return [Panel(_("People's choice"), html, "voting", 10)]


@hookimpl
def event_my_home_panels(event: Any, session: Any, user: Any, roles: Any) -> list[Panel]:
    """Judges: n of m scored, the next one, the window; organizers: the stage; visitors: votes."""
    from core.db import utcnow
    from plugins.voting.services import (
        judge_progress,
        public_vote_state,
        stage_progress,
        votes_cast,
    )

    settings = _settings(event)
    panels: list[Panel] = []
    now = utcnow()
    if roles.judge:
        progress = judge_progress(session, event, user, now)
        html = render_template(
            "voting/my_home_judge.html", event=event, progress=progress, settings=settings
        )
        panels.append(
            Panel(
                _("Your scoring"),
                Markup(html),
                "voting",
                30,
                (("submitted", progress.submitted), ("assigned", progress.assigned)),
            )
        )
        panels.extend(_my_visits_panels(event, session, user, None))
    if roles.exhibitor and roles.organization_ids:
        panels.extend(_my_visits_panels(event, session, None, list(roles.organization_ids)))
    if roles.organizer:
        stage, submitted, assigned = stage_progress(session, event)
        html = render_template(
            "voting/my_home_organizer.html",
            event=event,
            stage=stage,
            submitted=submitted,
            assigned=assigned,
        )
        panels.append(Panel(_("Judging"), Markup(html), "voting", 31, (("submitted", submitted),)))
    if roles.pass_ids:
        cast = votes_cast(session, event, list(roles.pass_ids))
        html = render_template(
            "voting/my_home_visitor.html",
            event=event,
            cast=cast,
            state=public_vote_state(settings, now),
        )
        panels.append(Panel(_("People's choice"), Markup(html), "voting", 32, (("votes", cast),)))
    return panels


def _my_visits_panels(
    event: Any, session: Any, judge: Any, organization_ids: list[int] | None
) -> list[Panel]:
    """A judge's next booth visits, or the times judges visit an exhibitor's booth."""
    from core.web import registry
    from plugins.voting import visits

    if judge is not None:
        route = visits.rows(session, registry(), event, judge_id=judge.id)
        if not route:
            return []
        html = render_template("voting/my_home_visits.html", event=event, route=route)
        return [
            Panel(_("Your booth visits"), Markup(html), "voting", 33, (("visits", len(route)),))
        ]
    found = visits.rows(session, registry(), event, organization_ids=organization_ids)
    if not found:
        return []
    html = render_template("voting/my_home_exhibitor_visits.html", event=event, visits=found)
    return [Panel(_("Judges' visits"), Markup(html), "voting", 34, (("visits", len(found)),))]


@hookimpl
def on_personal_data_collect(session: Any, user: Any) -> dict[str, list[Any]]:
    """What this plugin holds about ``user`` ("Data saya")."""
    from plugins.voting import privacy

    return privacy.collect(session, user)


@hookimpl
def on_personal_data_erase(session: Any, user: Any, email: str, event: Any) -> None:
    """Erase what this plugin holds about the person (see :mod:`plugins.voting.privacy`)."""
    from plugins.voting import privacy

    privacy.erase(session, user, email, event)


@hookimpl
def event_innovation_outcomes(
    events: list[Any], session: Any, innovation_ids: list[int]
) -> dict[int, dict[str, Any]]:
    """The stage each entry reached and its rank once results are published (history)."""
    from plugins.voting.outcomes import outcomes_across

    return outcomes_across(session, events, innovation_ids)
