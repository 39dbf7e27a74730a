"""Registration steps for innovations across years: "enter again" and replications (issue 15).

Step 3 lists the agency's innovations from earlier editions, each with an "Enter again"
button (one tap adds it as a new entry of the same innovation); an entry can declare the
other agency's innovation it replicates, found by title or agency on a small search page.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from core.db import get_session, utcnow
from core.forms import EmptyForm
from core.services import history
from core.services.errors import ServiceError
from core.web import commit, current_event
from plugins.registration import reentry, services
from plugins.registration.views import _registration_for, bp, event_settings

MAX_QUERY = 100


def _editable(token: str) -> tuple[object, object, object]:
    target = current_event()
    registration = _registration_for(target, token)
    settings = event_settings(target)
    if (
        registration.status not in services.EDITABLE_STATUSES
        or settings.window_state(utcnow()) != "open"
    ):
        abort(404)
    return target, registration, settings


def _save(
    target: object, registration: object, items: list[object], token: str
) -> ResponseReturnValue:
    session = get_session()
    try:
        services.replace_innovations(session, target, registration, items, now=utcnow())
    except ServiceError as exc:
        session.rollback()
        problems = [str(p) for messages in exc.fields.values() for p in messages]
        flash(" ".join(_(p) for p in problems) or _(exc.message), "error")
    else:
        commit()
        flash(_("Saved."), "success")
    return redirect(
        url_for("registration.step", event=target.slug, token=token, step="innovations")
    )


@bp.post("/r/<token>/again/<int:innovation_id>")
def enter_again(event: str, token: str, innovation_id: int) -> ResponseReturnValue:
    """Add the agency's innovation ``innovation_id`` from an earlier edition as a new entry."""
    if not EmptyForm().validate_on_submit():
        abort(400)
    target, registration, settings = _editable(token)
    session = get_session()
    earlier = dict(
        (i.id, i)
        for i, _e in history.earlier_innovations(
            session, registration.organization_id, before=target
        )
    ).get(innovation_id)
    if earlier is None:
        flash(_("This innovation cannot be entered again here."), "error")
        return redirect(
            url_for("registration.step", event=target.slug, token=token, step="innovations")
        )
    items = [
        reentry.as_input(session, i, services.InnovationInput) for i in registration.innovations
    ]
    items.append(reentry.copy_for_again(earlier, services.InnovationInput, settings.categories))
    return _save(target, registration, items, token)


@bp.route("/r/<token>/replicates/<int:position>", methods=["GET", "POST"])
def replicates(event: str, token: str, position: int) -> ResponseReturnValue:
    """Search another agency's innovation by title or agency; choose it (or none)."""
    target, registration, _settings = _editable(token)
    session = get_session()
    entries = registration.innovations
    if not 0 <= position < len(entries):
        abort(404)
    form = EmptyForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        chosen = request.form.get("innovation", "")
        items = [reentry.as_input(session, i, services.InnovationInput) for i in entries]
        items[position].replicates_id = (
            int(chosen) if chosen.isdigit() and len(chosen) < 11 else None
        )
        return _save(target, registration, items, token)
    q = (request.args.get("q") or "").strip()[:MAX_QUERY]
    found = history.search_replicable(
        session, q, exclude_organization_id=registration.organization_id
    )
    return render_template(
        "registration/replicates.html",
        event=target,
        registration=registration,
        entry=entries[position],
        position=position,
        token=token,
        q=q,
        found=found,
        form=form,
    )
