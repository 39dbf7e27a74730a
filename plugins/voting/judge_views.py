"""The judges' pages: the queue ("n of m scored") and one scoring page per innovation."""

from __future__ import annotations

from functools import wraps
from typing import Any

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from core.db import get_session, utcnow
from core.forms import EmptyForm
from core.i18n import translate
from core.models import Event, User
from core.services.errors import ServiceError
from core.web import commit, current_event, signed_in_user
from plugins.voting import assignment, panels, rubric, scoring, stages
from plugins.voting.models import VotingStage
from plugins.voting.views import bp, voting_settings


def judge_required(view: Any) -> Any:
    """Signed in (else the sign-in page) and a judge of the event (else 403).

    A judge of any stage passes; the stage's own panel is checked where scores are read
    or saved (:func:`assignment.require_assignment`).
    """

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        target = current_event()
        user = signed_in_user()
        if user is None:
            return current_app.login_manager.unauthorized()  # type: ignore[attr-defined]
        if not assignment.is_judge(get_session(), target, user):
            abort(403)
        return view(*args, **kwargs)

    return wrapper


def scale_steps(spec: rubric.CriterionSpec) -> list[float] | None:
    """Whole-number buttons for a short scale (at most 11 steps), else ``None`` (a slider)."""
    low, high = spec.min, spec.max
    if low != int(low) or high != int(high) or high - low > 10:
        return None
    return [float(v) for v in range(int(low), int(high) + 1)]


# ?show= value → assignment status, in the order of the filter's links.
QUEUE_FILTERS = (("todo", "pending"), ("draft", "draft"), ("done", "submitted"))


@bp.get("/judge/")
@judge_required
def judge_queue(event: str) -> ResponseReturnValue:
    """The judge's innovations in the current stage and how many are scored.

    Any judge of the event gets here; one who is not on the current stage's panel is told
    so and still sees the stages they judge with their progress there.
    """
    target = current_event()
    session = get_session()
    user = signed_in_user()
    assert user is not None
    stage = rubric.current_stage(session, target)
    rows = assignment.judge_queue(session, target, user, stage)
    done = sum(1 for row, _i in rows if row.submitted)
    statuses = assignment.queue_statuses(session, [row for row, _i in rows])
    every = [(row, innovation, statuses[row.id]) for row, innovation in rows]
    counts = {key: sum(1 for *_r, s in every if s == status) for key, status in QUEUE_FILTERS}
    show = request.args.get("show", "")
    wanted = dict(QUEUE_FILTERS).get(show)
    if wanted is None:
        show = ""
    # "next": the first draft (finish what was started), else the first not yet touched
    following = next((i for _r, i, s in every if s == "draft"), None) or next(
        (i for _r, i, s in every if s == "pending"), None
    )
    return render_template(
        "voting/judge_queue.html",
        rows=[item for item in every if wanted is None or item[2] == wanted],
        total=len(every),
        counts=counts,
        show=show,
        following=following,
        done=done,
        stage=stage,
        on_panel=stage is not None and panels.is_stage_judge(session, target, stage, user),
        my_stages=_my_stages(session, target, user),
        window=stages.window_state(stage, utcnow()) if stage is not None else "open",
        settings=voting_settings(target),
    )


def _my_stages(session: Session, target: Event, user: User) -> list[tuple[VotingStage, int, int]]:
    """(stage, submitted, assigned) for every stage whose panel includes ``user``."""
    found = []
    for stage in panels.judged_stages(session, target, user):
        rows = assignment.judge_queue(session, target, user, stage)
        found.append((stage, sum(1 for row, _i in rows if row.submitted), len(rows)))
    return found


def _parse_scores(criteria: list[rubric.CriterionSpec]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for spec in criteria:
        raw = (request.form.get(f"score-{spec.key}") or "").strip().replace(",", ".")
        if not raw:
            continue
        try:
            values[spec.key] = float(raw)
        except ValueError:
            values[spec.key] = raw
    return values


@bp.route("/judge/<int:innovation_id>", methods=["GET", "POST"])
@judge_required
def score(event: str, innovation_id: int) -> ResponseReturnValue:
    """Score one innovation: the criteria with their descriptions and scale; draft or submit."""
    target = current_event()
    session = get_session()
    user = signed_in_user()
    assert user is not None
    stage = rubric.current_stage(session, target)
    try:
        innovation = scoring.event_innovation(session, target, innovation_id)
        row = assignment.require_assignment(session, target, user, stage, innovation)
    except assignment.ConflictOfInterest as exc:
        reason = translate(exc.message)
        return render_template("errors/403.html", status=403, reason=reason), 403
    except ServiceError as exc:
        abort(exc.status)
    settings = voting_settings(target)
    criteria = rubric.criteria_of(session, target, stage)
    form = EmptyForm()
    values: dict[str, Any] = scoring.current_scores(row)
    comment = row.comment
    error: ServiceError | None = None
    if request.method == "POST" and form.validate_on_submit():
        values = _parse_scores(criteria)
        comment = (request.form.get("comment") or "")[:5000]
        submit = request.form.get("action") != "draft"
        try:
            scoring.save_scores(
                session,
                target,
                user,
                innovation.id,
                values,
                settings=settings,
                comment=comment,
                submit=submit,
            )
            commit()
            flash(_("Scores submitted.") if submit else _("Draft saved."), "success")
            if submit:
                return redirect(url_for("voting.judge_queue", event=target.slug))
            return redirect(url_for("voting.score", event=target.slug, innovation_id=innovation.id))
        except ServiceError as exc:
            session.rollback()
            error = exc
    open_for_scoring = (
        settings.scoring_open
        and stage is not None
        and stage.status == "open"
        and stages.window_state(stage, utcnow()) == "open"
    )
    return render_template(
        "voting/score.html",
        innovation=innovation,
        criteria=[(spec, scale_steps(spec)) for spec in criteria],
        values=values,
        comment=comment,
        form=form,
        error=error,
        status=assignment.assignment_status(row),
        open_for_scoring=open_for_scoring,
    ), (error.status if error is not None else 200)
