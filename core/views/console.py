"""The organizer console of one event: dashboard, settings, plugins, people, passes, logs."""

from __future__ import annotations

from typing import Any

import segno
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy import func, select

from core.db import get_session
from core.forms import (
    AppointForm,
    CloneEventForm,
    EmptyForm,
    ErasePersonForm,
    EventForm,
    PassesForm,
    PluginToggleForm,
    PrivacyNoticeForm,
    StatusForm,
)
from core.models import EventRole, Innovation, VisitorPass
from core.notifications import send_invitation
from core.services import audit, cloning, events, mail, passes, privacy, roles
from core.services import plugin_settings as settings_service
from core.services.errors import ServiceError
from core.web import (
    actor_id,
    apply_service_errors,
    commit,
    current_event,
    form_status,
    organizer_required,
    registry,
    signed_in_user,
)

bp = Blueprint("console", __name__, url_prefix="/<event>/manage")


@bp.get("/")
@organizer_required
def dashboard(event: str) -> ResponseReturnValue:
    """The numbers that matter, core's and each enabled plugin's."""
    target = current_event()
    session = get_session()
    by_status = dict(
        session.execute(
            select(Innovation.status, func.count())
            .where(Innovation.event_id == target.id)
            .group_by(Innovation.status)
        ).all()
    )
    pass_total, checked_in = session.execute(
        select(func.count(VisitorPass.id), func.count(VisitorPass.checked_in_at)).where(
            VisitorPass.event_id == target.id
        )
    ).one()
    role_counts = dict(
        session.execute(
            select(EventRole.role, func.count())
            .where(EventRole.event_id == target.id)
            .group_by(EventRole.role)
        ).all()
    )
    panels = registry().collect_for_event(target, "event_dashboard_panels", session=session)
    return render_template(
        "console/dashboard.html",
        innovations_by_status=by_status,
        pass_total=pass_total,
        checked_in=checked_in,
        role_counts=role_counts,
        panels=panels,
        status_form=StatusForm(status=target.status),
    )


@bp.route("/settings", methods=["GET", "POST"])
@organizer_required
def settings(event: str) -> ResponseReturnValue:
    """Edit the event's name, dates, venue and time zone."""
    target = current_event()
    form = EventForm(obj=target)
    error: ServiceError | None = None
    if form.validate_on_submit():
        changes = {
            "name": form.name.data,
            "year": form.year.data,
            "venue": form.venue.data or "",
            "starts_on": form.starts_on.data,
            "ends_on": form.ends_on.data,
            "timezone": form.timezone.data,
            "description": form.description.data or "",
        }
        try:
            events.update_event(get_session(), target, changes, actor_id=actor_id())
        except ServiceError as exc:
            get_session().rollback()
            apply_service_errors(form, error := exc)
        else:
            commit()
            flash(_("Event settings saved."), "success")
            return redirect(url_for("console.settings", event=target.slug))
    return render_template("console/settings.html", form=form), form_status(form, error)


@bp.post("/status")
@organizer_required
def set_status(event: str) -> ResponseReturnValue:
    """Publish, archive or return the event to draft."""
    target = current_event()
    form = StatusForm()
    if form.validate_on_submit():
        events.update_event(
            get_session(), target, {"status": form.status.data}, actor_id=actor_id()
        )
        commit()
        flash(_("The event is now %(status)s.", status=_(target.status)), "success")
    else:
        flash(_("Unknown status."), "error")
    return redirect(url_for("console.dashboard", event=target.slug))


@bp.get("/plugins")
@organizer_required
def plugins(event: str) -> ResponseReturnValue:
    """The plugin switchboard: every installed plugin, its description, on/off, settings."""
    target = current_event()
    enabled = set(target.enabled_plugin_names)
    items = [
        (info, info.name in enabled) for info in (registry().infos[n] for n in registry().names)
    ]
    return render_template("console/plugins.html", items=items, toggle_form=PluginToggleForm())


@bp.post("/plugins")
@organizer_required
def toggle_plugin(event: str) -> ResponseReturnValue:
    """Switch one plugin on or off for this event (takes effect at once)."""
    target = current_event()
    form = PluginToggleForm()
    if not form.validate_on_submit() or form.plugin.data not in registry().infos:
        abort(422)
    turn_on = form.enabled.data == "1"
    settings_service.set_plugin_enabled(
        get_session(), registry(), target, form.plugin.data, turn_on, actor_id=actor_id()
    )
    commit()
    title = registry().infos[form.plugin.data].localized_title(_current_lang())
    flash(
        _("%(plugin)s is on.", plugin=title) if turn_on else _("%(plugin)s is off.", plugin=title),
        "success",
    )
    return redirect(url_for("console.plugins", event=target.slug))


def _current_lang() -> str:
    from core.i18n import current_locale

    return current_locale()


@bp.route("/plugins/<name>/settings", methods=["GET", "POST"])
@organizer_required
def plugin_settings(event: str, name: str) -> ResponseReturnValue:
    """A plugin's settings form; the plugin's own model validates what is saved."""
    target = current_event()
    info = registry().infos.get(name)
    if info is None or name not in target.enabled_plugin_names or info.settings_form is None:
        abort(404)
    current = settings_service.get_settings(registry(), target, name)
    form_class = info.settings_form
    form = (
        form_class(data=form_class.from_settings(current, target))
        if request.method == "GET"
        else form_class()
    )
    error: ServiceError | None = None
    if form.validate_on_submit():
        try:
            settings_service.update_settings(
                get_session(),
                registry(),
                target,
                name,
                form.to_settings(target),
                actor_id=actor_id(),
            )
        except ServiceError as exc:
            get_session().rollback()
            apply_service_errors(form, error := exc)
        else:
            commit()
            flash(_("Settings saved."), "success")
            if info.settings_notices is not None:
                after = settings_service.get_settings(registry(), target, name)
                for notice in info.settings_notices(target, get_session(), current, after):
                    flash(notice, "info")
            return redirect(url_for("console.plugin_settings", event=target.slug, name=name))
    return render_template("console/plugin_settings.html", info=info, form=form), form_status(
        form, error
    )


@bp.route("/people", methods=["GET", "POST"])
@organizer_required
def people(event: str) -> ResponseReturnValue:
    """Organizers and judges; appoint by e-mail (new users get an invitation link)."""
    target = current_event()
    session = get_session()
    form = AppointForm()
    agency_q = (request.args.get("agencies") or "").strip()[:100]
    searching = request.method == "GET" and bool(agency_q)
    form.conflicts.choices = roles.organization_choices(session, agency_q if searching else "")
    error: ServiceError | None = None
    if form.validate_on_submit():
        try:
            event_role, created = roles.appoint(
                session,
                target,
                email=form.email.data or "",
                role=form.role.data,
                name=form.name.data or None,
                conflicts=list(form.conflicts.data or []),
                actor_id=actor_id(),
                registry=registry(),
            )
            send_invitation(session, event_role.user, target, event_role.role, created=created)
        except ServiceError as exc:
            session.rollback()
            apply_service_errors(form, error := exc)
        else:
            commit()
            flash(
                _(
                    "%(email)s is now %(role)s.",
                    email=event_role.user.email,
                    role=_(event_role.role),
                ),
                "success",
            )
            return redirect(url_for("console.people", event=target.slug))
    page = render_template(
        "console/people.html",
        form=form,
        event_roles=roles.event_roles(session, target),
        revoke_form=EmptyForm(),
        agency_q=agency_q,
    )
    return page, form_status(form, error)


@bp.post("/people/<int:role_id>/revoke")
@organizer_required
def revoke(event: str, role_id: int) -> ResponseReturnValue:
    """Remove a role from the event (an organizer cannot remove their own last organizer role)."""
    target = current_event()
    if not EmptyForm().validate_on_submit():
        abort(400)
    session = get_session()
    event_role = session.get(EventRole, role_id)
    if event_role is None or event_role.event_id != target.id:
        abort(404)
    actor = signed_in_user()
    if (
        event_role.role == "organizer"
        and actor is not None
        and event_role.user_id == actor.id
        and not actor.is_admin
    ):
        flash(_("You cannot remove yourself as organizer."), "error")
    else:
        roles.revoke(session, target, role_id, actor_id=actor_id())
        commit()
        flash(_("Role removed."), "success")
    return redirect(url_for("console.people", event=target.slug))


@bp.route("/clone", methods=["GET", "POST"])
@organizer_required
def clone(event: str) -> ResponseReturnValue:
    """Copy this event into next year's: plugins and configuration, no participants."""
    target = current_event()
    form = CloneEventForm()
    if request.method == "GET":
        year = target.year + 1
        form.year.data = year
        form.slug.data = (
            target.slug.replace(str(target.year), str(year))
            if str(target.year) in target.slug
            else f"{target.slug}-{year}"
        )
        form.name.data = target.name.replace(str(target.year), str(year))
        form.starts_on.data = _shift_year(target.starts_on, 1)
        form.ends_on.data = _shift_year(target.ends_on, 1)
    error: ServiceError | None = None
    if form.validate_on_submit():
        try:
            new_event = cloning.clone_event(
                get_session(),
                registry(),
                target,
                slug=form.slug.data or "",
                name=form.name.data or "",
                year=form.year.data or target.year + 1,
                starts_on=form.starts_on.data,
                ends_on=form.ends_on.data,
                actor_id=actor_id(),
            )
        except ServiceError as exc:
            get_session().rollback()
            apply_service_errors(form, error := exc)
        else:
            commit()
            flash(_("%(name)s was created as a draft.", name=new_event.name), "success")
            return redirect(url_for("console.dashboard", event=new_event.slug))
    return render_template("console/clone.html", form=form), form_status(form, error)


def _shift_year(day: Any, years: int) -> Any:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


@bp.route("/passes", methods=["GET", "POST"])
@organizer_required
def visitor_passes(event: str) -> ResponseReturnValue:
    """Issue visitor passes and list them; print them as an A4 sheet of QR codes."""
    target = current_event()
    session = get_session()
    form = PassesForm()
    if form.validate_on_submit():
        issued = passes.issue_passes(session, target, form.count.data or 0, actor_id=actor_id())
        commit()
        flash(_("%(count)d passes issued.", count=len(issued)), "success")
        return redirect(url_for("console.visitor_passes", event=target.slug))
    items, total = passes.list_passes(session, target, limit=200)
    return render_template(
        "console/passes.html", form=form, passes=items, total=total
    ), form_status(form)


@bp.get("/passes/print")
@organizer_required
def print_passes(event: str) -> ResponseReturnValue:
    """A printable A4 sheet: 3 by 4 passes per page, each a QR code with its typed code."""
    target = current_event()
    asked = request.args.get("limit", type=int)
    limit = min(asked if asked and asked > 0 else 120, 1200)
    items, _total = passes.list_passes(get_session(), target, limit=limit)
    codes = [
        (p.code, Markup(segno.make(p.code, error="m").svg_inline(border=2, omitsize=True)))
        for p in items
    ]
    return render_template("console/passes_print.html", codes=codes)


@bp.get("/audit")
@organizer_required
def audit_log(event: str) -> ResponseReturnValue:
    """Every change made to this event, newest first."""
    target = current_event()
    offset = max(request.args.get("offset", 0, type=int) or 0, 0)
    entries, total = audit.list_entries(get_session(), event_id=target.id, limit=100, offset=offset)
    return render_template("console/audit.html", entries=entries, total=total, offset=offset)


@bp.get("/outbox")
@organizer_required
def outbox(event: str) -> ResponseReturnValue:
    """E-mails this event sent or queued: recipient, subject, state; links redacted.

    Links in mails belong to their recipients, so organizers see every web address replaced
    by a marker; only a site admin on a development instance (``ENV_NAME`` is
    ``development``) sees the bodies in full, for debugging.
    """
    target = current_event()
    messages, total = mail.outbox(get_session(), event_id=target.id, limit=100)
    full = mail.may_see_full_bodies(signed_in_user(), current_app.config)
    marker = _("[link hidden]")
    bodies = {m.id: m.body_text if full else mail.redact(m.body_text, marker) for m in messages}
    return render_template(
        "console/outbox.html", messages=messages, total=total, bodies=bodies, full=full
    )


def _filled_notice_form() -> PrivacyNoticeForm:
    """The notice form showing the event's current notice."""
    notice = privacy.get_notice(get_session(), current_event())
    form = PrivacyNoticeForm(prefix="notice", formdata=None)
    form.controller.data = notice["controller"]
    form.contact_email.data = notice["contact_email"]
    form.purposes.data = "\n".join(notice["purposes"])
    form.retention_days.data = notice["retention_days"]
    form.notice.data = notice["notice"]
    return form


def _privacy_page(
    form: PrivacyNoticeForm, erase_form: ErasePersonForm, status: int = 200
) -> ResponseReturnValue:
    target = current_event()
    notice = privacy.get_notice(get_session(), target)
    return render_template(
        "console/privacy.html", form=form, erase_form=erase_form, version=notice["version"]
    ), status


@bp.route("/privacy", methods=["GET", "POST"])
@organizer_required
def privacy_settings(event: str) -> ResponseReturnValue:
    """Edit the event's privacy notice (each change raises its version)."""
    target = current_event()
    session = get_session()
    form = PrivacyNoticeForm(prefix="notice")
    erase_form = ErasePersonForm(prefix="erase", formdata=None)
    if not form.is_submitted():
        return _privacy_page(_filled_notice_form(), erase_form)
    if not form.validate_on_submit():
        return _privacy_page(form, erase_form, 422)
    values = {
        "controller": form.controller.data,
        "contact_email": form.contact_email.data,
        "purposes": (form.purposes.data or "").splitlines(),
        "retention_days": form.retention_days.data,
        "notice": form.notice.data or "",
    }
    try:
        privacy.update_notice(session, target, values, actor_id=actor_id())
    except ServiceError as exc:
        session.rollback()
        apply_service_errors(form, exc)
        return _privacy_page(form, erase_form, exc.status)
    commit()
    flash(_("The privacy notice is saved."), "success")
    return redirect(url_for("console.privacy_settings", event=target.slug))


@bp.post("/privacy/erase")
@organizer_required
def erase_person(event: str) -> ResponseReturnValue:
    """Erase a visitor or contact of this event on their request (audited without data)."""
    target = current_event()
    session = get_session()
    form = _filled_notice_form()
    erase_form = ErasePersonForm(prefix="erase")
    if not erase_form.validate_on_submit():
        return _privacy_page(form, erase_form, 422)
    try:
        result = privacy.erase_person_of_event(
            session, registry(), target, erase_form.email.data or "", actor_id=actor_id()
        )
    except ServiceError as exc:
        session.rollback()
        apply_service_errors(erase_form, exc)
        return _privacy_page(form, erase_form, exc.status)
    commit()
    if result.account_erased:
        flash(_("The person's account and data are erased."), "success")
    else:
        flash(_("The person's data in this event is erased."), "success")
    return redirect(url_for("console.privacy_settings", event=target.slug))


from core.views import awards_console  # noqa: E402,F401  (the awards page, issue 15)
