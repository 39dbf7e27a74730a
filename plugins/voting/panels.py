"""A judge panel per stage: which of the event's judges judge which stage.

The rules (also in docs/plugins/voting.md):

* The judges of an event are the holders of its ``judge`` role (core ``EventRole``).
* A stage whose panel is **empty** is judged by every judge of the event, including judges
  appointed later.  Existing events and the simple one-stage case need no setup.
* Once the organizer picks members, only they judge the stage: automatic and manual
  assignment, the judge's queue and scoring, and the results' ``assigned_judges`` follow
  the panel.  Only judges of the event can be picked (422 naming the other ids).
* A member whose ``judge`` role is revoked stops judging the stage (their row stays and
  counts again if they are appointed again).  When no member still holds the role, the
  panel counts as empty: the stage never silently ends up with no judges.
* Changing the panel removes the judges who are no longer on it (narrowing "all judges" to
  a list removes everyone left out).  Their unscored assignments in the stage are deleted
  with the membership; a judge who saved any score there (draft or submitted) cannot be
  removed (409 naming them, nothing changes).  A closed stage's panel is frozen (409).
* A stage created by advancing starts with an empty panel (every judge), unless the
  organizer asks to copy the previous stage's panel.  Cloning an event copies no panels:
  judges are people of one event.

Every change is audited as ``voting.stage_judges_changed``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.i18n import Msg
from core.models import Event, EventRole, User
from core.services import audit
from core.services.errors import Conflict, NotFound, ValidationFailed
from plugins.voting.models import VotingAssignment, VotingScore, VotingStage, VotingStageJudge
from plugins.voting.rubric import get_stage, stages

MAX_PANEL = 1000


@dataclass(frozen=True)
class JudgeLoad:
    """A stage judge's work there: assignments, submitted sheets, sheets holding scores."""

    judge: User
    assignments: int
    submitted: int
    scored: int


@dataclass
class Panel:
    """Who judges one stage: ``judges`` (by id) and whether that is every event judge."""

    stage: VotingStage
    judges: list[User]
    all_judges: bool
    members: list[int] = field(default_factory=list)

    @property
    def ids(self) -> list[int]:
        """The judges' user ids, ascending."""
        return [judge.id for judge in self.judges]


def event_judges(session: Session, event: Event) -> list[User]:
    """The event's judges (holders of its ``judge`` role), by id."""
    return list(
        session.scalars(
            select(User)
            .join(EventRole, EventRole.user_id == User.id)
            .where(EventRole.event_id == event.id, EventRole.role == "judge")
            .order_by(User.id)
        )
    )


def member_ids(session: Session, event: Event, stage: VotingStage) -> list[int]:
    """The panel members of ``stage`` who still hold the event's ``judge`` role."""
    return list(
        session.scalars(
            select(VotingStageJudge.user_id)
            .join(
                EventRole,
                (EventRole.user_id == VotingStageJudge.user_id)
                & (EventRole.event_id == event.id)
                & (EventRole.role == "judge"),
            )
            .where(VotingStageJudge.stage_id == stage.id)
            .order_by(VotingStageJudge.user_id)
        )
    )


def stage_panel(session: Session, event: Event, stage: VotingStage) -> Panel:
    """The judges of ``stage``: its chosen members, or every event judge when none."""
    everyone = event_judges(session, event)
    members = member_ids(session, event, stage)
    if not members:
        return Panel(stage, everyone, True, [])
    chosen = set(members)
    return Panel(stage, [j for j in everyone if j.id in chosen], False, members)


def stage_judges(session: Session, event: Event, stage: VotingStage) -> list[User]:
    """The users who judge ``stage`` (see the module doc)."""
    return stage_panel(session, event, stage).judges


def is_stage_judge(session: Session, event: Event, stage: VotingStage, user: User | None) -> bool:
    """Whether ``user`` judges ``stage``: an event judge, and on its panel if it has one."""
    if user is None:
        return False
    is_event_judge = session.scalar(
        select(EventRole.id).where(
            EventRole.event_id == event.id,
            EventRole.user_id == user.id,
            EventRole.role == "judge",
        )
    )
    if is_event_judge is None:
        return False
    members = member_ids(session, event, stage)
    return not members or user.id in members


def judged_stages(session: Session, event: Event, user: User | None) -> list[VotingStage]:
    """The stages of ``event`` that ``user`` judges, in order."""
    return [s for s in stages(session, event) if is_stage_judge(session, event, s, user)]


def _check_judges(session: Session, event: Event, judge_ids: list[int]) -> list[int]:
    """The distinct ids, sorted; 422 naming every id that is not a judge of the event."""
    wanted = sorted(set(judge_ids))
    if len(wanted) > MAX_PANEL:
        raise ValidationFailed(
            Msg("Too many judges."),
            fields={"judges": [Msg("At most %(max)s judges.", max=MAX_PANEL)]},
        )
    known = {j.id for j in event_judges(session, event)}
    strangers = [i for i in wanted if i not in known]
    if strangers:
        named = ", ".join(str(i) for i in strangers)
        raise ValidationFailed(
            Msg("Not judges of this event: %(ids)s.", ids=named),
            fields={
                "judges": [
                    Msg("User %(id)s is not a judge of this event.", id=i) for i in strangers
                ]
            },
            not_judges=strangers,
        )
    return wanted


def _removable_assignments(
    session: Session, stage: VotingStage, leaving: list[User]
) -> list[VotingAssignment]:
    """Assignments of the judges leaving ``stage``; 409 when any of them saved a score."""
    if not leaving:
        return []
    rows = list(
        session.scalars(
            select(VotingAssignment)
            .where(
                VotingAssignment.stage_id == stage.id,
                VotingAssignment.judge_id.in_([j.id for j in leaving]),
            )
            .order_by(VotingAssignment.id)
            .with_for_update()
        )
    )
    if not rows:
        return []
    scored_ids = set(
        session.scalars(
            select(VotingScore.assignment_id).where(
                VotingScore.assignment_id.in_([r.id for r in rows])
            )
        )
    )
    scored: dict[int, int] = defaultdict(int)
    for row in rows:
        if row.submitted or row.id in scored_ids:
            scored[row.judge_id] += 1
    if scored:
        names = {j.id: j.name or j.email for j in leaving}
        listed = ", ".join(f"{names[j]} ({n})" for j, n in sorted(scored.items()))
        raise Conflict(
            Msg(
                "These judges already saved scores in %(stage)s and cannot leave its panel: "
                "%(judges)s.",
                stage=stage.name,
                judges=listed,
            ),
            judges=[{"id": j, "name": names[j], "scored": n} for j, n in sorted(scored.items())],
        )
    return rows


def set_panel(
    session: Session,
    event: Event,
    stage_id: int,
    judge_ids: list[int],
    *,
    actor_id: int | None = None,
) -> Panel:
    """Make ``judge_ids`` the panel of a stage (an empty list: every event judge).

    404 unknown stage; 422 naming ids that are not judges of the event; 409 when the stage
    is closed or a judge who saved scores in it would leave.  Judges who leave lose their
    (unscored) assignments in the stage.  Audited with the old and new panel.
    """
    stage = get_stage(session, event, stage_id)
    if stage is None:
        raise NotFound("Unknown stage.")
    wanted = _check_judges(session, event, judge_ids)
    session.get(VotingStage, stage.id, with_for_update=True)
    if stage.status != "open":
        raise Conflict(f"{stage.name} is closed; its judges can no longer change.")
    before = stage_panel(session, event, stage)
    staying = set(wanted) or {j.id for j in event_judges(session, event)}
    leaving = [j for j in before.judges if j.id not in staying]
    dropped = _removable_assignments(session, stage, leaving)
    for row in dropped:
        session.delete(row)
    _store_members(session, stage, wanted)
    session.flush()
    after = stage_panel(session, event, stage)
    audit.record(
        session,
        "voting.stage_judges_changed",
        event_id=event.id,
        user_id=actor_id,
        stage=stage.name,
        old={"all_judges": before.all_judges, "judges": before.members},
        new={"all_judges": after.all_judges, "judges": after.members},
        removed_judges=[j.id for j in leaving],
        removed_assignments=[{"judge": r.judge_id, "innovation": r.innovation_id} for r in dropped],
    )
    return after


def _store_members(session: Session, stage: VotingStage, wanted: list[int]) -> None:
    """Replace the stored member rows of ``stage`` by ``wanted`` (stale rows go too)."""
    rows = list(
        session.scalars(select(VotingStageJudge).where(VotingStageJudge.stage_id == stage.id))
    )
    keep = set(wanted)
    for row in rows:
        if row.user_id not in keep:
            session.delete(row)
    have = {row.user_id for row in rows}
    session.flush()
    for user_id in wanted:
        if user_id not in have:
            session.add(VotingStageJudge(stage_id=stage.id, user_id=user_id))


def copy_panel(
    session: Session, event: Event, source: VotingStage, target: VotingStage
) -> list[int]:
    """Give ``target`` the members of ``source`` (nothing when its panel is empty)."""
    members = member_ids(session, event, source)
    _store_members(session, target, members)
    session.flush()
    return members


def panel_loads(session: Session, panel: Panel) -> list[JudgeLoad]:
    """Each judge of ``panel`` with their assignments, submitted and scored sheets there."""
    rows = session.execute(
        select(VotingAssignment.judge_id, VotingAssignment.id, VotingAssignment.submitted).where(
            VotingAssignment.stage_id == panel.stage.id
        )
    ).all()
    with_scores = set(
        session.scalars(
            select(VotingScore.assignment_id)
            .join(VotingAssignment, VotingAssignment.id == VotingScore.assignment_id)
            .where(VotingAssignment.stage_id == panel.stage.id)
        )
    )
    counts: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])
    for judge_id, assignment_id, submitted in rows:
        counts[judge_id][0] += 1
        counts[judge_id][1] += int(bool(submitted))
        counts[judge_id][2] += int(bool(submitted) or assignment_id in with_scores)
    return [JudgeLoad(j, *counts[j.id]) for j in panel.judges]
