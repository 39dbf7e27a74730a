"""Voting pages under ``/<event>/voting/``: the public side (rubric, results, vote).

The judges' pages are in :mod:`plugins.voting.judge_views`, the organizer's in
:mod:`plugins.voting.manage_views`; all share this blueprint.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Blueprint, abort, render_template, request, send_from_directory
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from core.db import get_db, get_session, utcnow
from core.forms import EmptyForm
from core.plugin_helpers import stored_settings
from core.services.errors import ServiceError
from core.web import commit, current_event, is_event_organizer, registry, signed_in_user
from plugins.voting import assignment, guard, results, results_pages, rubric, votes
from plugins.voting.models import VotingStage
from plugins.voting.scoring import event_innovation
from plugins.voting.services import public_vote_state
from plugins.voting.settings import VotingSettings

bp = Blueprint("voting", __name__, url_prefix="/<event>/voting", template_folder="templates")
STATIC = Path(__file__).parent / "static"


@bp.get("/assets/<path:filename>")
def asset(event: str, filename: str) -> ResponseReturnValue:
    """The plugin's stylesheet (the blueprint's URL has the event in it, so no static_folder)."""
    return send_from_directory(STATIC, filename, max_age=3600)


def voting_settings(event: Any) -> VotingSettings:
    """The event's voting settings."""
    return stored_settings(event, "voting", VotingSettings)  # type: ignore[return-value]


def label(spec: rubric.CriterionSpec) -> str:
    """A criterion's label in the page's language."""
    from flask_babel import get_locale

    return spec.label_id if str(get_locale()) == "id" else (spec.label_en or spec.label_id)


@bp.app_template_global("voting_label")
def _voting_label(spec: rubric.CriterionSpec) -> str:
    return label(spec)


@bp.get("/")
def index(event: str) -> ResponseReturnValue:
    """How innovations are judged (the rubric) and the state of scoring, vote and results."""
    target = current_event()
    session = get_session()
    settings = voting_settings(target)
    user = signed_in_user()
    state = public_vote_state(settings, utcnow())
    innovations: list[Any] = []
    categories: list[tuple[str, int]] = []
    q = (request.args.get("q") or "").strip()[:100]
    category = (request.args.get("category") or "").strip()[:80]
    total = 0
    if state == "open":
        from core.plugin_helpers import search_innovations
        from core.services.innovations import category_counts

        categories = category_counts(session, target)
        if category not in {name for name, _count in categories}:
            category = ""
        innovations, _found = search_innovations(
            registry(), session, target, q=q, category=category or None, limit=500
        )
        total = sum(count for _name, count in categories)
    return render_template(
        "voting/index.html",
        settings=settings,
        criteria=rubric.criteria_of(session, target),
        vote_state=state,
        innovations=innovations,
        categories=categories,
        q=q,
        category=category,
        total=total,
        is_judge=assignment.is_judge(session, target, user),
        is_organizer=is_event_organizer(target),
    )


RESULTS_PER_PAGE = 50


def results_store() -> results.Store | None:
    """Where fresh results figures go: their own transaction in a read-only request."""
    if request.method in {"GET", "HEAD", "OPTIONS"}:
        return results.store_in(get_db())
    return None


def published_results(target: Any) -> tuple[Any, VotingStage | None, VotingSettings]:
    """The results of the current stage, computed by the official method."""
    session = get_session()
    settings = voting_settings(target)
    stage = rubric.current_stage(session, target)
    computed = results.stage_results(
        session,
        target,
        stage,
        method=settings.method,
        public_weight=settings.public_weight,
        store=results_store(),
    )
    return computed, stage, settings


@bp.get("/results")
def public_results(event: str) -> ResponseReturnValue:
    """The published ranking with the per-criterion breakdown (404 until published).

    Only the requested page of ranked innovations is read (stored rows, see
    :mod:`plugins.voting.results_pages`), whatever the size of the competition.
    """
    target = current_event()
    settings = voting_settings(target)
    if not settings.results_published and not is_event_organizer(target):
        abort(404)
    session = get_session()
    stage = rubric.current_stage(session, target)
    requested = max(request.args.get("page", 1, type=int) or 1, 1)
    page = _ranked_page(target, stage, settings, requested)
    pages = max((page.ranked + RESULTS_PER_PAGE - 1) // RESULTS_PER_PAGE, 1)
    if requested > pages:  # past the end: the last page
        requested = pages
        page = _ranked_page(target, stage, settings, requested)
    return render_template(
        "voting/results.html",
        ranked=page.items,
        page=requested,
        pages=pages,
        stage=stage,
        settings=settings,
        criteria=rubric.criteria_of(session, target, stage),
        tally=votes.top_votes(session, target, limit=10),
    )


def _ranked_page(
    target: Any, stage: VotingStage | None, settings: VotingSettings, page: int
) -> results_pages.ResultsPage:
    """Page ``page`` of the ranked innovations by the official method."""
    return results_pages.results_page(
        get_session(),
        target,
        stage,
        method=settings.method,
        public_weight=settings.public_weight,
        limit=RESULTS_PER_PAGE,
        offset=(page - 1) * RESULTS_PER_PAGE,
        ranked_only=True,
        store=results_store(),
    )


@bp.route("/vote/<int:innovation_id>", methods=["GET", "POST"])
def vote(event: str, innovation_id: int) -> ResponseReturnValue:
    """The people's-choice vote for one innovation: a pass code (pre-filled from a QR code)."""
    target = current_event()
    session = get_session()
    try:
        innovation = event_innovation(session, target, innovation_id)
    except ServiceError:
        abort(404)
    settings = voting_settings(target)
    form = EmptyForm()
    code = (request.form.get("pass") or request.args.get("pass") or "").strip()[:64]
    error: ServiceError | None = None
    done = False
    limited: guard.RateLimited | None = None
    if request.method == "POST" and form.validate_on_submit():
        user = signed_in_user()
        try:
            with guard.guarded(code or None, user.id if user is not None else None):
                votes.cast_vote(
                    session,
                    target,
                    innovation.id,
                    settings=settings,
                    now=utcnow(),
                    code=code or None,
                    user=user,
                    source="web",
                )
            commit()
            done = True
        except guard.RateLimited as exc:
            limited = exc
        except ServiceError as exc:
            session.rollback()
            error = exc
    messages = {
        403: _("We do not know this pass. Check the code on your visitor pass."),
        409: _("This pass has already voted in this category, or the vote is not open."),
        404: _("This innovation is not part of the vote."),
    }
    if limited is not None:
        message = limited.description
    elif error is not None and error.code == "voting_closed":
        message = _("The public vote is not open.")
    else:
        message = messages.get(error.status, error.message) if error is not None else None
    status = 429 if limited is not None else (error.status if error is not None else 200)
    headers = [("Retry-After", str(limited.retry_after))] if limited is not None else []
    return (
        render_template(
            "voting/vote.html",
            innovation=innovation,
            form=form,
            code=code,
            done=done,
            message=message,
            vote_state=public_vote_state(settings, utcnow()),
        ),
        status,
        headers,
    )
