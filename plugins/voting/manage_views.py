"""The organizer's judging console: rubric, assignments, stages, results, publishing, exports."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.db import get_db, get_session
from core.forms import EmptyForm
from core.i18n import translate
from core.models import User
from core.plugin_helpers import from_event_local, to_event_local
from core.services import plugin_settings as settings_service
from core.services import privacy
from core.services.errors import ServiceError, ValidationFailed
from core.web import actor_id, commit, current_event, organizer_required, registry
from plugins.voting import assignment, exports, panels, qr, rubric, stages, syncs, votes
from plugins.voting.models import VotingAssignment
from plugins.voting.results import stage_results
from plugins.voting.views import bp, published_results, voting_settings

RUBRIC_FIELDS = ("key", "label_id", "label_en", "description", "weight", "min", "max")
SPARE_ROWS = 2


FIELD_LABELS = {
    "key": _l("key"),
    "label": _l("Indonesian label"),
    "label_id": _l("Indonesian label"),
    "label_en": _l("English label"),
    "description": _l("description"),
    "weight": _l("weight"),
    "min": _l("minimum"),
    "max": _l("maximum"),
    "judges_per_innovation": _l("judges per innovation"),
    "opens_at": _l("opens"),
    "closes_at": _l("closes"),
    "judge": _l("judge"),
    "innovation": _l("innovation"),
    "top": _l("cut-off place"),
    "extra": _l("extra judges"),
}


def field_label(path: str) -> str:
    """A service error's field path as people read it: "items.7.key" → "Criterion 8, key"."""
    parts = path.split(".")
    if parts[0] == "items" and len(parts) >= 2 and parts[1].isdigit():
        row = _("Criterion %(number)s", number=int(parts[1]) + 1)
        if len(parts) == 2:
            return row
        return f"{row}, {FIELD_LABELS.get(parts[2], parts[2])}"
    if parts[0] == "items":
        return _("Criteria")
    return str(FIELD_LABELS.get(parts[-1], parts[-1]))


def _flash_error(exc: ServiceError) -> None:
    details = "; ".join(
        f"{field_label(k)}: {' '.join(translate(m) for m in v)}" for k, v in exc.fields.items()
    )
    flash(f"{translate(exc.message)} {details}".strip(), "error")
    for problem in exc.extra.get("problems", []):  # an automatic assignment's refusals
        flash(f"{problem['innovation']['title']}: {problem['reason']}", "error")


def _perform(change: Callable[[Session], str]) -> None:
    """Run one organizer change: commit and flash its message, or roll back and say why."""
    session = get_session()
    try:
        message = change(session)
        commit()
        flash(message, "success")
    except ServiceError as exc:
        session.rollback()
        _flash_error(exc)


@bp.get("/manage/")
@organizer_required
def manage(event: str) -> ResponseReturnValue:
    """Overview: stages and their judges, progress, assignment form, rubric and results."""
    target = current_event()
    session = get_session()
    stage = rubric.current_stage(session, target)
    all_stages = rubric.stages(session, target)
    stage_panels = {s.id: panels.stage_panel(session, target, s) for s in all_stages}
    current_panel = stage_panels.get(stage.id) if stage else None
    progress = [
        (load.judge, load.submitted, load.assignments)
        for load in (panels.panel_loads(session, current_panel) if current_panel else [])
    ]
    rows = assignment.stage_assignments(session, stage) if stage else []
    innovations = assignment.stage_innovations(session, target, stage) if stage else []
    return render_template(
        "voting/manage.html",
        stages=all_stages,
        stage=stage,
        stage_panels=stage_panels,
        event_judges=assignment.judges(session, target),
        progress=progress,
        innovations=innovations,
        innovation_titles={i.id: i.title for i in innovations},
        assignments=rows,
        stage_judges=current_panel.judges if current_panel else [],
        judges={j.id: j for j in _judge_names(session, rows)},
        settings=voting_settings(target),
        form=EmptyForm(),
        bursts=votes.suspicious_bursts(session, target),
        local_input=lambda moment: _input_value(moment, target.timezone),
        last_syncs=syncs.last_syncs(session, target.id),
    )


def _posted_ids(name: str) -> list[int]:
    """The whole-number ids posted as ``name`` (anything else is ignored)."""
    return [
        int(v) for v in request.form.getlist(name) if v.isascii() and v.isdigit() and len(v) < 10
    ]


def _judge_names(session: Session, rows: list[VotingAssignment]) -> list[User]:
    """The users behind ``rows``' judge ids (also judges no longer on the panel)."""
    ids = sorted({row.judge_id for row in rows})
    return list(session.scalars(select(User).where(User.id.in_(ids)))) if ids else []


def _input_value(moment: datetime | None, tz: str) -> str:
    """An aware datetime as a ``datetime-local`` input value in the event's zone."""
    local = to_event_local(moment, tz)
    return local.strftime("%Y-%m-%dT%H:%M") if local else ""


@bp.post("/manage/assign")
@organizer_required
def assign(event: str) -> ResponseReturnValue:
    """Automatic assignment with k judges per innovation."""
    target = current_event()
    form = EmptyForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        k = int(request.form.get("judges_per_innovation", ""))
    except ValueError:
        k = 0

    def change(session: Session) -> str:
        report = assignment.auto_assign(session, target, k, actor_id=actor_id())
        return _("%(count)d assignments created.", count=report.created)

    _perform(change)
    return redirect(url_for("voting.manage", event=target.slug))


@bp.post("/manage/assignments")
@organizer_required
def add_assignment(event: str) -> ResponseReturnValue:
    """Assign one judge to one innovation by hand."""
    target = current_event()
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        judge_id = int(request.form.get("judge", ""))
        innovation_id = int(request.form.get("innovation", ""))
    except ValueError:
        flash(_("Choose a judge and an innovation."), "error")
        return redirect(url_for("voting.manage", event=target.slug))

    def change(session: Session) -> str:
        assignment.add_assignment(session, target, judge_id, innovation_id, actor_id=actor_id())
        return _("Judge assigned.")

    _perform(change)
    return redirect(url_for("voting.manage", event=target.slug))


@bp.post("/manage/assignments/<int:assignment_id>/remove")
@organizer_required
def remove_assignment(event: str, assignment_id: int) -> ResponseReturnValue:
    """Remove an assignment that has no scores."""
    target = current_event()
    if not EmptyForm().validate_on_submit():
        abort(400)

    def change(session: Session) -> str:
        assignment.remove_assignment(session, target, assignment_id, actor_id=actor_id())
        return _("Assignment removed.")

    _perform(change)
    return redirect(url_for("voting.manage", event=target.slug))


def _posted_rubric() -> list[dict[str, Any]]:
    keys = request.form.getlist("key")
    items = []
    for index in range(len(keys)):
        row = {
            name: (request.form.getlist(name)[index : index + 1] or [""])[0].strip()
            for name in RUBRIC_FIELDS
        }
        if not any(row.values()):
            continue
        item: dict[str, Any] = {k: row[k] for k in ("key", "label_id", "label_en", "description")}
        for name in ("weight", "min", "max"):
            try:
                item[name] = float(row[name].replace(",", "."))
            except ValueError:
                item[name] = row[name]
        items.append(item)
    return items


@bp.route("/manage/rubric", methods=["GET", "POST"])
@organizer_required
def rubric_editor(event: str) -> ResponseReturnValue:
    """Edit the current stage's criteria until scoring begins."""
    target = current_event()
    session = get_session()
    form = EmptyForm()
    stage = rubric.current_stage(session, target)
    error: ServiceError | None = None
    rows: list[dict[str, Any]] = [s.as_dict() for s in rubric.criteria_of(session, target, stage)]
    if request.method == "POST" and form.validate_on_submit():
        rows = _posted_rubric()
        try:
            rubric.replace_criteria(session, target, rows, actor_id=actor_id())
            commit()
            flash(_("Rubric saved."), "success")
            return redirect(url_for("voting.rubric_editor", event=target.slug))
        except ServiceError as exc:
            session.rollback()
            error = exc
    locked = stage is not None and rubric.scoring_began(session, stage)
    return render_template(
        "voting/rubric.html",
        rows=rows + [{} for _ in range(SPARE_ROWS)],
        form=form,
        error=error,
        field_label=field_label,
        translate=translate,
        locked=locked,
        stage=stage,
    ), (error.status if error is not None else 200)


@bp.get("/manage/results")
@organizer_required
def manage_results(event: str) -> ResponseReturnValue:
    """Results with per-criterion breakdown, flags and outlier judges; publish switch."""
    target = current_event()
    from plugins.voting.confidence_views import results_context  # imports this module

    computed, stage, settings = published_results(target)
    session = get_session()
    return render_template(
        "voting/manage_results.html",
        **results_context(computed),
        results=computed,
        stage=stage,
        settings=settings,
        criteria=rubric.criteria_of(session, target, stage),
        judges={j.id: j for j in assignment.judges(session, target)},
        form=EmptyForm(),
    )


@bp.post("/manage/publish")
@organizer_required
def publish(event: str) -> ResponseReturnValue:
    """Publish (or withdraw) the results."""
    target = current_event()
    if not EmptyForm().validate_on_submit():
        abort(400)
    value = request.form.get("published") == "1"
    settings_service.update_settings(
        get_session(),
        registry(),
        target,
        "voting",
        {"results_published": value},
        actor_id=actor_id(),
    )
    commit()
    flash(_("Results published.") if value else _("Results withdrawn."), "success")
    return redirect(url_for("voting.manage_results", event=target.slug))


@bp.post("/manage/stages/<int:stage_id>/close")
@organizer_required
def close_stage(event: str, stage_id: int) -> ResponseReturnValue:
    """Close a stage (locks its scores)."""
    target = current_event()
    if not EmptyForm().validate_on_submit():
        abort(400)

    def change(session: Session) -> str:
        stages.close_stage(session, target, stage_id, actor_id=actor_id())
        return _("Stage closed; its scores are locked.")

    _perform(change)
    return redirect(url_for("voting.manage", event=target.slug))


def _local_moment(name: str, tz: str) -> datetime | None:
    """A ``datetime-local`` form field typed in the event's zone as an aware datetime."""
    raw = (request.form.get(name) or "").strip()
    if not raw:
        return None
    try:
        local = datetime.strptime(raw, "%Y-%m-%dT%H:%M")
    except ValueError as exc:
        raise ValidationFailed(
            _("Invalid judging window."), fields={name: [_("Not a date and time.")]}
        ) from exc
    return datetime.fromisoformat(from_event_local(local, tz))  # type: ignore[arg-type]


@bp.post("/manage/stages/<int:stage_id>/window")
@organizer_required
def stage_window(event: str, stage_id: int) -> ResponseReturnValue:
    """Set or clear a stage's judging window (event local time)."""
    target = current_event()
    if not EmptyForm().validate_on_submit():
        abort(400)

    def change(session: Session) -> str:
        opens_at = _local_moment("opens_at", target.timezone)
        closes_at = _local_moment("closes_at", target.timezone)
        stages.set_window(session, target, stage_id, opens_at, closes_at, actor_id=actor_id())
        return _("Judging window saved.")

    _perform(change)
    return redirect(url_for("voting.manage", event=target.slug))


@bp.post("/manage/stages/<int:stage_id>/judges")
@organizer_required
def stage_judges(event: str, stage_id: int) -> ResponseReturnValue:
    """Choose a stage's judges (ticked boxes; none ticked: every event judge)."""
    target = current_event()
    if not EmptyForm().validate_on_submit():
        abort(400)
    session = get_session()
    stage = rubric.get_stage(session, target, stage_id)
    if stage is None:
        abort(404)
    chosen = _posted_ids("judge")

    def change(session: Session) -> str:
        panel = panels.set_panel(session, target, stage_id, chosen, actor_id=actor_id())
        if panel.all_judges:
            return _("Every event judge now judges %(stage)s.", stage=stage.name)
        return ngettext(
            "%(stage)s now has %(num)d judge.",
            "%(stage)s now has %(num)d judges.",
            len(panel.judges),
            stage=stage.name,
        )

    _perform(change)
    return redirect(url_for("voting.manage", event=target.slug) + f"#judges-{stage_id}")


@bp.post("/manage/stages/<int:stage_id>/advance")
@organizer_required
def advance_stage(event: str, stage_id: int) -> ResponseReturnValue:
    """Advance the top N or everyone above a cut-off into the next stage."""
    target = current_event()
    if not EmptyForm().validate_on_submit():
        abort(400)
    session = get_session()
    stage = rubric.get_stage(session, target, stage_id)
    if stage is None:
        abort(404)
    settings = voting_settings(target)
    computed = stage_results(
        session, target, stage, method=settings.method, public_weight=settings.public_weight
    )
    try:
        value = float(request.form.get("value", ""))
    except ValueError:
        value = -1
    include = _posted_ids("include")

    def change(session: Session) -> str:
        outcome = stages.advance(
            session,
            target,
            stage_id,
            computed,
            rule=request.form.get("rule", ""),
            value=value,
            tie_policy=request.form.get("tie_policy", "all"),
            include=include,
            next_name=(request.form.get("next_name") or "").strip()[:120] or None,
            copy_judges=request.form.get("copy_judges") == "1",
            actor_id=actor_id(),
        )
        return _("%(count)d innovations advanced.", count=len(outcome.advanced))

    _perform(change)
    return redirect(url_for("voting.manage", event=target.slug))


@bp.get("/manage/export/<kind>.<fmt>")
@organizer_required
def export(event: str, kind: str, fmt: str) -> ResponseReturnValue:
    """Results or full score sheets as CSV or XLSX."""
    if kind not in ("results", "scores") or fmt not in ("csv", "xlsx"):
        abort(404)
    target = current_event()
    session = get_session()
    stage = rubric.current_stage(session, target)
    if kind == "results":
        computed, stage, _settings = published_results(target)
        header, rows = exports.results_table(computed, rubric.criteria_of(session, target, stage))
    else:
        header, rows = exports.score_sheet_table(session, target, stage)
    # Score sheets name the judges (name, e-mail): personal data, audited.  Results too,
    # so the log shows every export an organizer took.
    # A GET reads; the audit entry is written in its own short transaction.
    with get_db().transaction() as writer:
        privacy.record_export(
            writer, target, actor_id=actor_id(), export=f"{kind}.{fmt}", personal=kind == "scores"
        )
    name = f"{target.slug}-{kind}.{fmt}"
    if fmt == "csv":
        body, mimetype = exports.to_csv(header, rows), "text/csv; charset=utf-8"
    else:
        body = exports.to_xlsx(header, rows, kind)
        mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return Response(
        body, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )


@bp.get("/manage/qr")
@organizer_required
def vote_qr_codes(event: str) -> ResponseReturnValue:
    """A printable sheet: one QR code per innovation linking its people's-choice vote page.

    Paginated :data:`qr.PER_PAGE` codes a page (``?page=``); each code's SVG is cached.
    """
    from markupsafe import Markup

    from core.services.innovations import search_accepted
    from core.web import external_url

    target = current_event()
    raw = request.args.get("page", "1")
    requested = int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 6 else 1
    session = get_session()
    innovations, total = search_accepted(
        session, target, limit=qr.PER_PAGE, offset=(requested - 1) * qr.PER_PAGE
    )
    number, pages = qr.page_bounds(requested, total)
    if number != requested:  # past the last page: show the last one
        innovations, total = search_accepted(
            session, target, limit=qr.PER_PAGE, offset=(number - 1) * qr.PER_PAGE
        )
    codes = []
    for innovation in innovations:
        link = external_url("voting.vote", event=target.slug, innovation_id=innovation.id)
        codes.append((innovation, link, Markup(qr.qr_svg(link))))
    return render_template("voting/qr.html", codes=codes, page=number, pages=pages, total=total)
