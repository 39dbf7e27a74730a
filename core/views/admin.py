"""Site administration: create events, list users, decide agencies' pending claims."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from sqlalchemy import func, or_, select

from core.db import get_session
from core.forms import ClaimDecisionForm, NewEventForm
from core.models import Event, User
from core.services import events, memberships, roles, text_search
from core.services.errors import ServiceError
from core.web import admin_required, apply_service_errors, commit, form_status, signed_in_user

bp = Blueprint("admin", __name__, url_prefix="/admin")
USERS_PER_PAGE = 50


@bp.route("/", methods=["GET", "POST"])
@admin_required
def index() -> ResponseReturnValue:
    """Every event (drafts included) and the form to create one."""
    session = get_session()
    form = NewEventForm()
    error: ServiceError | None = None
    if form.validate_on_submit():
        actor = signed_in_user()
        try:
            event = events.create_event(
                session,
                slug=form.slug.data or "",
                name=form.name.data or "",
                year=form.year.data or 0,
                venue=form.venue.data or "",
                starts_on=form.starts_on.data,
                ends_on=form.ends_on.data,
                timezone=form.timezone.data or "Asia/Jakarta",
                description=form.description.data or "",
                actor_id=actor.id if actor else None,
            )
            if actor is not None:
                roles.appoint(
                    session, event, email=actor.email, role="organizer", actor_id=actor.id
                )
        except ServiceError as exc:
            session.rollback()
            apply_service_errors(form, error := exc)
        else:
            commit()
            flash(_("%(name)s was created as a draft.", name=event.name), "success")
            return redirect(url_for("console.plugins", event=event.slug))
    all_events = list(session.scalars(select(Event).order_by(Event.starts_on.desc())))
    return render_template("admin/index.html", form=form, events=all_events), form_status(
        form, error
    )


@bp.get("/users")
@admin_required
def users() -> ResponseReturnValue:
    """Users, searchable by name or e-mail, 50 per page."""
    session = get_session()
    q = (request.args.get("q") or "").strip()
    offset = max(request.args.get("offset", 0, type=int) or 0, 0)
    query = select(User)
    if q:
        query = query.where(
            or_(text_search.contains(User.name, q), text_search.contains(User.email, q))
        )
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    items = list(session.scalars(query.order_by(User.name).limit(USERS_PER_PAGE).offset(offset)))
    return render_template(
        "admin/users.html", users=items, total=total, q=q, offset=offset, per_page=USERS_PER_PAGE
    )


@bp.get("/claims")
@admin_required
def claims() -> ResponseReturnValue:
    """Every pending claim of every agency, oldest first, each with confirm and refuse."""
    return render_template(
        "organizations/claims.html",
        rows=memberships.pending_claims(get_session()),
        decision=ClaimDecisionForm(),
    )
