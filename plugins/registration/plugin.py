"""Registration plugin: metadata and hook implementations."""

from __future__ import annotations

from typing import Any

from flask import render_template, url_for
from flask_babel import gettext as _
from markupsafe import Markup

from core import hookimpl
from core.db import utcnow
from core.plugin_helpers import merge_settings, stored_settings
from core.plugins import NavItem, Panel, PluginInfo
from plugins.registration.services import places, registration_counts, status_counts
from plugins.registration.settings import RegistrationSettings, RegistrationSettingsForm


def settings_notices(
    event: Any, session: Any, before: dict[str, Any], after: dict[str, Any]
) -> list[str]:
    """After changed eligibility rules: how many registrations they now flag (none rejected)."""
    from flask_babel import ngettext

    from plugins.registration import eligibility

    keys = ("eligibility", "max_innovations_per_organization")
    if all(before.get(key) == after.get(key) for key in keys):
        return []
    settings = RegistrationSettings.model_validate(after)
    count = eligibility.count_flagged(session, event, settings)
    return [
        ngettext(
            "Under the new rules %(num)d registration is flagged (it is not rejected: "
            "decide on its page).",
            "Under the new rules %(num)d registrations are flagged (none is rejected: "
            "decide on their pages).",
            count,
        )
    ]


plugin_info = PluginInfo(
    name="registration",
    title={"id": "Pendaftaran", "en": "Registration"},
    description={
        "id": "Instansi mendaftarkan diri dan inovasinya lewat web; panitia meninjau; "
        "pengunjung mendapat pass.",
        "en": "Agencies register themselves and their innovations online; organizers review; "
        "visitors get passes.",
    },
    settings_model=RegistrationSettings,
    settings_form=RegistrationSettingsForm,
    version="0.1",
    settings_notices=settings_notices,
)


def _settings(event: Any) -> RegistrationSettings:
    return stored_settings(event, "registration", RegistrationSettings)  # type: ignore[return-value]


@hookimpl
def register_blueprints() -> list[Any]:
    """The registration pages and the Registration section of the API."""
    from plugins.registration.api import api
    from plugins.registration.documents_api import api as documents_api
    from plugins.registration.views import bp

    return [bp, api, documents_api]


@hookimpl
def event_nav_items(event: Any) -> list[NavItem]:
    """A "Registration" link in the event's navigation."""
    url = url_for("registration.index", event=event.slug)
    return [NavItem(_("Registration"), url, "registration", 20)]


@hookimpl
def event_home_panels(event: Any) -> list[Panel]:
    """The registration window on the event home."""
    settings = _settings(event)
    html = render_template(
        "registration/panel.html", settings=settings, state=settings.window_state(utcnow())
    )
    return [Panel(_("Registration"), Markup(html), "registration", 20)]


@hookimpl
def event_dashboard_panels(event: Any, session: Any) -> list[Panel]:
    """Innovations awaiting review, agencies registered and the window's state."""
    from plugins.registration.visitors import visitor_counts

    settings = _settings(event)
    counts = registration_counts(session, event)
    by_status = status_counts(session, event)
    visitors = visitor_counts(session, event)
    html = render_template(
        "registration/dashboard_panel.html",
        settings=settings,
        state=settings.window_state(utcnow()),
        counts=counts,
        places=places(session, event),
        by_status=by_status,
        visitors=visitors,
    )
    return [
        Panel(
            _("Registration"),
            Markup(html),
            "registration",
            20,
            stats=(
                ("awaiting_review", counts.awaiting_review),
                ("organizations", counts.organizations),
                ("pending", by_status["pending"]),
                ("approved", by_status["approved"]),
                ("waitlisted", by_status["waitlisted"]),
                ("visitors_checked_in", visitors.checked_in),
            ),
        )
    ]


@hookimpl
def event_demo_data(event: Any) -> None:
    """The 2019 demo's registration window (closed: the event is in the past)."""
    if _settings(event).opens_at is None:
        merge_settings(
            event,
            "registration",
            RegistrationSettings,
            {
                "opens_at": "2019-02-01T08:00:00+07:00",
                "closes_at": "2019-03-31T23:59:00+07:00",
                "exhibitor_quota": 100,
                "max_innovations_per_organization": 2,
            },
        )


@hookimpl
def on_organization_claim_decided(event: Any, claim: Any, session: Any) -> None:
    """A confirmed claim links the registration's contact account (its ``contact_user_id``)."""
    from plugins.registration.models import Registration

    if claim.status != "confirmed" or claim.registration_id is None:
        return
    registration = session.get(Registration, claim.registration_id)
    if (
        registration is not None
        and registration.event_id == event.id
        and registration.organization_id == claim.organization_id
    ):
        registration.contact_user_id = claim.user_id


@hookimpl
def event_my_home_panels(event: Any, session: Any, roles: Any) -> list[Panel]:
    """The agency's registrations (status, link), pending decisions, the visitor's passes."""
    import segno
    from sqlalchemy import select
    from sqlalchemy.orm import selectinload

    from core.models import VisitorPass
    from plugins.registration.mails import status_token
    from plugins.registration.models import Registration

    panels: list[Panel] = []
    if roles.organizer:
        pending = status_counts(session, event)["pending"]
        html = render_template("registration/my_home_organizer.html", event=event, pending=pending)
        panels.append(
            Panel(
                _("Registrations to decide"),
                Markup(html),
                "registration",
                20,
                (("pending", pending),),
            )
        )
    if roles.organization_ids:
        registrations = list(
            session.scalars(
                select(Registration)
                .where(
                    Registration.event_id == event.id,
                    Registration.organization_id.in_(roles.organization_ids),
                    Registration.status != "draft",
                )
                .options(selectinload(Registration.organization))
                .order_by(Registration.id)
            )
        )
        if registrations:
            rows = [(r, status_token(r.id)) for r in registrations]
            html = render_template("registration/my_home_exhibitor.html", event=event, rows=rows)
            panels.append(
                Panel(
                    _("Your registrations"),
                    Markup(html),
                    "registration",
                    21,
                    (("registrations", len(registrations)),),
                )
            )
    if roles.pass_ids:
        passes = list(
            session.scalars(
                select(VisitorPass)
                .where(VisitorPass.id.in_(roles.pass_ids), VisitorPass.event_id == event.id)
                .order_by(VisitorPass.id)
            )
        )
        shown = [
            (p, Markup(segno.make(p.code, error="m").svg_inline(border=2, omitsize=True)))
            for p in passes
        ]
        html = render_template("registration/my_home_visitor.html", event=event, passes=shown)
        panels.append(
            Panel(
                _("Your visitor pass"), Markup(html), "registration", 22, (("passes", len(passes)),)
            )
        )
    return panels


@hookimpl
def on_personal_data_collect(session: Any, user: Any) -> dict[str, list[Any]]:
    """What this plugin holds about ``user`` ("Data saya")."""
    from plugins.registration import privacy

    return privacy.collect(session, user)


@hookimpl
def on_personal_data_erase(session: Any, user: Any, email: str, event: Any) -> None:
    """Erase what this plugin holds about the person (see :mod:`plugins.registration.privacy`)."""
    from flask import current_app, has_app_context

    from plugins.registration import privacy

    folder = current_app.config.get("UPLOAD_FOLDER") if has_app_context() else None
    privacy.erase(session, user, email, event, folder)
