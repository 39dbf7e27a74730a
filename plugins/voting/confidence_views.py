"""The organizer's judging-confidence pages: intervals at the cut-off, top-up, calibration."""

from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy.orm import Session

from core.db import get_session
from core.forms import EmptyForm
from core.web import actor_id, current_event, organizer_required
from plugins.voting import assignment, confidence, plots, rubric
from plugins.voting.manage_views import _perform
from plugins.voting.results import stage_results
from plugins.voting.views import bp, voting_settings

DEFAULT_TOP = 10
DEFAULT_EXTRA = 10


def requested_top(default: int = DEFAULT_TOP) -> int:
    """``?top=`` (or the form's ``top``) as a whole number from 1, else ``default``."""
    raw = request.values.get("top", "")
    return int(raw) if raw.isdigit() and 1 <= int(raw) <= confidence.MAX_TOP else default


@bp.post("/manage/top-up")
@organizer_required
def top_up(event: str) -> ResponseReturnValue:
    """Add judges to the close calls at the cut-off ("Tambah juri untuk yang nyaris")."""
    target = current_event()
    if not EmptyForm().validate_on_submit():
        abort(400)
    top = requested_top(0)
    raw_extra = request.form.get("extra", "")
    extra = int(raw_extra) if raw_extra.isdigit() else 0

    def change(session: Session) -> str:
        settings = voting_settings(target)
        stage = rubric.current_stage(session, target)
        computed = stage_results(
            session, target, stage, method=settings.method, public_weight=settings.public_weight
        )
        outcome = confidence.top_up(session, target, computed, top, extra, actor_id=actor_id())
        return ngettext(
            "%(num)d judge added to the close calls.",
            "%(num)d judges added to the close calls.",
            len(outcome.added),
        )

    _perform(change)
    return redirect(url_for("voting.manage_results", event=target.slug, top=top or None))


@bp.get("/manage/calibration")
@organizer_required
def calibration(event: str) -> ResponseReturnValue:
    """Each judge's leniency, scale and agreement, drawn, with the reasons."""
    target = current_event()
    session = get_session()
    stage = rubric.current_stage(session, target)
    result = confidence.stage_calibration(session, target, stage)
    judges = {j.id: j for j in assignment.judges(session, target)}
    return render_template(
        "voting/calibration.html",
        stage=stage,
        calibration=result,
        plot=plots.calibration_plot(result),
        judges=judges,
        name_of=lambda j: (judges[j].name or judges[j].email) if j in judges else str(j),
    )


def results_context(results: object) -> dict[str, object]:
    """The close calls and the interval plot for the results page (``?top=``)."""
    top = requested_top()
    close = confidence.mark_close_calls(results, top)  # type: ignore[arg-type]
    return {
        "top": top,
        "close_calls": close,
        "plot": plots.interval_plot(results, top),  # type: ignore[arg-type]
        "default_extra": DEFAULT_EXTRA,
        "top_up_label": _("Add judges for the close calls"),
    }
