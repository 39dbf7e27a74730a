"""The organizers' awards page under ``/<event>/manage/awards`` (issue 15).

Reached from the results page's "Awards" link and the console; records awards ("Top 45",
"Juara I", "Pilihan Publik") for the event's innovations and publishes them.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import BooleanField, IntegerField, SelectField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from core.db import get_session
from core.forms import EmptyForm
from core.models import Innovation
from core.services import awards
from core.services.errors import ServiceError
from core.views.console import bp
from core.web import (
    actor_id,
    apply_service_errors,
    commit,
    current_event,
    form_status,
    organizer_required,
)


class AwardForm(FlaskForm):
    """One award for one of the event's innovations."""

    innovation = SelectField(_l("Innovation"), coerce=int, choices=[], validate_choice=False)
    title = StringField(
        _l("Award"),
        validators=[DataRequired(), Length(max=awards.MAX_TITLE)],
        description=_l('For example "Top 45", "Juara I" or "Pilihan Publik".'),
    )
    rank = IntegerField(_l("Place (optional)"), validators=[Optional(), NumberRange(1, 100000)])
    published = BooleanField(_l("Show to the public now"))


@bp.route("/awards", methods=["GET", "POST"])
@organizer_required
def awards_page(event: str) -> ResponseReturnValue:
    """Record an award; list the event's awards with publish and remove buttons."""
    target = current_event()
    session = get_session()
    form = AwardForm()
    form.innovation.choices = [
        (i.id, i.title)
        for i in session.scalars(
            select(Innovation)
            .where(Innovation.event_id == target.id, Innovation.status == "accepted")
            .order_by(Innovation.title)
        )
    ]
    error = None
    if form.validate_on_submit():
        try:
            awards.record_award(
                session,
                target,
                innovation_id=form.innovation.data or 0,
                title=form.title.data or "",
                rank=form.rank.data,
                published=bool(form.published.data),
                actor_id=actor_id(),
            )
        except ServiceError as exc:
            session.rollback()
            error = exc
            apply_service_errors(form, exc)
        else:
            commit()
            flash(_("Award recorded."), "success")
            return redirect(url_for("console.awards_page", event=target.slug))
    page = render_template(
        "console/awards.html",
        event=target,
        form=form,
        awards=awards.list_awards(session, target, public=False),
        action_form=EmptyForm(),
        suggestions=awards.COMMON_TITLES,
    )
    return page, form_status(form, error)


@bp.post("/awards/<int:award_id>/<action>")
@organizer_required
def award_action(event: str, award_id: int, action: str) -> ResponseReturnValue:
    """Publish, hide or remove one award."""
    if action not in ("publish", "hide", "delete") or not EmptyForm().validate_on_submit():
        abort(404 if action not in ("publish", "hide", "delete") else 400)
    target = current_event()
    session = get_session()
    try:
        if action == "delete":
            awards.delete_award(session, target, award_id)
        else:
            awards.set_published(session, target, award_id, action == "publish")
    except ServiceError:
        abort(404)
    commit()
    return redirect(url_for("console.awards_page", event=target.slug))
