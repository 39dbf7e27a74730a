"""Voting tables: stages, their judge panels, rubric criteria, assignments, scores, votes.

The database enforces the invariants: a criterion key once per stage, a positive weight and
``min < max``; a judge at most once on a stage's panel; one assignment per (stage, judge,
innovation); one score per (assignment,
criterion); and one public vote per (event, pass, category) — so two parallel requests with
the same pass can never both be counted.
"""

from __future__ import annotations

from datetime import datetime, time

from sqlalchemy import CheckConstraint, Float, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.db import Base, sql_in, utcnow

STAGE_STATUSES = ("open", "closed")
ADVANCE_RULES = ("none", "top_n", "cutoff")
TIE_POLICIES = ("all", "organizer")


class VotingStage(Base):
    """One judging round of an event (desk evaluation, presentation, field visit)."""

    __tablename__ = "voting_stages"
    __table_args__ = (
        UniqueConstraint("event_id", "position"),
        CheckConstraint(sql_in("status", STAGE_STATUSES), name="status_known"),
        CheckConstraint(sql_in("advance_rule", ADVANCE_RULES), name="advance_rule_known"),
        CheckConstraint(sql_in("tie_policy", TIE_POLICIES), name="tie_policy_known"),
        CheckConstraint("position >= 1", name="position_positive"),
        CheckConstraint(
            "opens_at IS NULL OR closes_at IS NULL OR closes_at > opens_at", name="window_ordered"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    position: Mapped[int] = mapped_column(default=1)
    status: Mapped[str] = mapped_column(String(16), default="open")
    advance_rule: Mapped[str] = mapped_column(String(16), default="none")
    advance_value: Mapped[float | None] = mapped_column(Float)
    tie_policy: Mapped[str] = mapped_column(String(16), default="all")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[datetime | None]
    # The judging window: scores are accepted only from opens_at until closes_at (if set).
    opens_at: Mapped[datetime | None]
    closes_at: Mapped[datetime | None]

    criteria: Mapped[list[VotingCriterion]] = relationship(
        back_populates="stage", cascade="all, delete-orphan", order_by="VotingCriterion.position"
    )


class VotingStageJudge(Base):
    """A judge chosen for a stage's panel.

    A stage without rows uses every judge of the event; once the organizer picks members,
    only they (while they keep the event's ``judge`` role) judge the stage.  See
    :mod:`plugins.voting.panels`.
    """

    __tablename__ = "voting_stage_judges"
    __table_args__ = (UniqueConstraint("stage_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    stage_id: Mapped[int] = mapped_column(ForeignKey("voting_stages.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class VotingCriterion(Base):
    """A rubric line of one stage: key, labels, description, weight and scale."""

    __tablename__ = "voting_criteria"
    __table_args__ = (
        UniqueConstraint("stage_id", "key"),
        CheckConstraint("weight > 0", name="weight_positive"),
        CheckConstraint("min_value < max_value", name="scale_ordered"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    stage_id: Mapped[int] = mapped_column(
        ForeignKey("voting_stages.id", ondelete="CASCADE"), index=True
    )
    key: Mapped[str] = mapped_column(String(40))
    position: Mapped[int] = mapped_column(default=0)
    label_id: Mapped[str] = mapped_column(String(120))
    label_en: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    weight: Mapped[float] = mapped_column(Float, default=1.0)
    min_value: Mapped[float] = mapped_column(Float, default=1.0)
    max_value: Mapped[float] = mapped_column(Float, default=10.0)

    stage: Mapped[VotingStage] = relationship(back_populates="criteria")


class VotingEntry(Base):
    """An innovation that advanced into a later stage (stage 1 judges every accepted one)."""

    __tablename__ = "voting_entries"
    __table_args__ = (UniqueConstraint("stage_id", "innovation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    stage_id: Mapped[int] = mapped_column(
        ForeignKey("voting_stages.id", ondelete="CASCADE"), index=True
    )
    innovation_id: Mapped[int] = mapped_column(
        ForeignKey("innovations.id", ondelete="CASCADE"), index=True
    )


class VotingAssignment(Base):
    """A judge asked to score an innovation in a stage; holds the comment and submit state."""

    __tablename__ = "voting_assignments"
    __table_args__ = (UniqueConstraint("stage_id", "judge_id", "innovation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    stage_id: Mapped[int] = mapped_column(
        ForeignKey("voting_stages.id", ondelete="CASCADE"), index=True
    )
    judge_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    innovation_id: Mapped[int] = mapped_column(
        ForeignKey("innovations.id", ondelete="CASCADE"), index=True
    )
    comment: Mapped[str] = mapped_column(Text, default="")
    submitted: Mapped[bool] = mapped_column(default=False)
    # Bumped on every write of the sheet; a bulk save sending an older ``based_on`` conflicts.
    version: Mapped[int] = mapped_column(default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime | None]

    scores: Mapped[list[VotingScore]] = relationship(
        back_populates="assignment", cascade="all, delete-orphan"
    )


class VotingScore(Base):
    """One criterion's value given by the assigned judge."""

    __tablename__ = "voting_scores"
    __table_args__ = (UniqueConstraint("assignment_id", "criterion_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(
        ForeignKey("voting_assignments.id", ondelete="CASCADE"), index=True
    )
    criterion_key: Mapped[str] = mapped_column(String(40))
    value: Mapped[float] = mapped_column(Float)

    assignment: Mapped[VotingAssignment] = relationship(back_populates="scores")


class VotingScoreRequest(Base):
    """A ``client_id`` a judge's bulk score save already applied, with what it answered.

    Unique per (judge, client id), so the same row sent twice is applied once.
    """

    __tablename__ = "voting_score_requests"
    __table_args__ = (UniqueConstraint("judge_id", "client_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    judge_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    client_id: Mapped[str] = mapped_column(String(80))
    innovation_id: Mapped[int] = mapped_column(
        ForeignKey("innovations.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(String(16))
    version: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class VotingJudgeSync(Base):
    """A judge's last bulk save of score sheets in an event (a device's sync), one row each.

    The organizer's console shows it next to the judge's progress: when the server last
    received the judge's sheets, the device's clock of the newest one, and how many rows came.
    """

    __tablename__ = "voting_judge_syncs"
    __table_args__ = (UniqueConstraint("event_id", "judge_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    judge_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    synced_at: Mapped[datetime] = mapped_column(default=utcnow)
    edited_at: Mapped[datetime | None]
    sheets: Mapped[int] = mapped_column(default=0)
    conflicts: Mapped[int] = mapped_column(default=0)


class VotingVote(Base):
    """A people's-choice vote: one per (event, pass, category), enforced by the database."""

    __tablename__ = "voting_votes"
    __table_args__ = (UniqueConstraint("event_id", "pass_id", "category"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    pass_id: Mapped[int] = mapped_column(ForeignKey("visitor_passes.id", ondelete="CASCADE"))
    category: Mapped[str] = mapped_column(String(80), default="")
    innovation_id: Mapped[int] = mapped_column(
        ForeignKey("innovations.id", ondelete="CASCADE"), index=True
    )
    source: Mapped[str] = mapped_column(String(16), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class VotingResultsCache(Base):
    """The judge-dependent part of a stage's results, stored once per change of the scores.

    ``fingerprint`` digests every input of the computation (sheets, submit states, rubric,
    panel, the stage's innovations); a read whose fingerprint differs recomputes and replaces
    the row, so every worker sees the same, never stale, figures (see
    :mod:`plugins.voting.results`).
    """

    __tablename__ = "voting_results_cache"

    stage_id: Mapped[int] = mapped_column(
        ForeignKey("voting_stages.id", ondelete="CASCADE"), primary_key=True
    )
    fingerprint: Mapped[str] = mapped_column(String(64))
    payload: Mapped[str] = mapped_column(Text)
    computed_at: Mapped[datetime] = mapped_column(default=utcnow)


class VotingStageResults(Base):
    """The judge figures of a closed stage, stored when it closed (never recomputed).

    ``method_version`` names the model that computed them (e.g. ``joint-1``); ``payload`` is
    the same JSON as :class:`VotingResultsCache` holds (see :func:`plugins.voting.results.freeze`).
    """

    __tablename__ = "voting_stage_results"

    stage_id: Mapped[int] = mapped_column(
        ForeignKey("voting_stages.id", ondelete="CASCADE"), primary_key=True
    )
    method_version: Mapped[str] = mapped_column(String(40))
    payload: Mapped[str] = mapped_column(Text)
    stored_at: Mapped[datetime] = mapped_column(default=utcnow)


class VotingVisitPlan(Base):
    """The window and pace of a stage's judges' booth visits (the last plan's parameters)."""

    __tablename__ = "voting_visit_plans"
    __table_args__ = (
        UniqueConstraint("stage_id"),
        CheckConstraint("ends_at > starts_at", name="window_ordered"),
        CheckConstraint("minutes_per_visit > 0", name="minutes_positive"),
        CheckConstraint("changeover_minutes >= 0", name="changeover_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    stage_id: Mapped[int] = mapped_column(ForeignKey("voting_stages.id", ondelete="CASCADE"))
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    minutes_per_visit: Mapped[int]
    changeover_minutes: Mapped[int]
    # each day's exhibition hours (event time); none: the whole window is open
    daily_start: Mapped[time | None] = mapped_column(default=None)
    daily_end: Mapped[time | None] = mapped_column(default=None)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class VotingVisit(Base):
    """When a judge visits the booth of an assigned innovation (one visit per assignment).

    ``manual`` marks a visit an organizer moved by hand.  Overlaps (a judge in two places,
    two judges at one booth) are refused by :mod:`plugins.voting.visits`, which locks the
    event's row before checking.
    """

    __tablename__ = "voting_visits"
    __table_args__ = (
        UniqueConstraint("assignment_id"),
        CheckConstraint("ends_at > starts_at", name="visit_ordered"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    stage_id: Mapped[int] = mapped_column(
        ForeignKey("voting_stages.id", ondelete="CASCADE"), index=True
    )
    assignment_id: Mapped[int] = mapped_column(
        ForeignKey("voting_assignments.id", ondelete="CASCADE")
    )
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    manual: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class VotingResultsVersion(Base):
    """A counter per event, bumped in the transaction of every change of a results input.

    Score sheets, assignments, panels, rubric, stage entries, judge roles and the event's
    innovations all count (see :mod:`plugins.voting.results_version`); ``event_id`` 0 is the
    global counter a bulk statement without named rows bumps.  No foreign key: row 0 has no
    event, and a deleted event's counter is a harmless few bytes.
    """

    __tablename__ = "voting_results_versions"

    event_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    version: Mapped[int] = mapped_column(default=0)


class VotingResultsRow(Base):
    """One stored line of a stage's ranking, valid while ``fingerprint`` matches its inputs.

    Position 0 is the header (totals, outlier judges); positions 1… are the ranked items
    followed by the unscored ones, so a page is a primary-key range, never an ``OFFSET``.
    ``data`` is the API item without the live parts (title, agency, votes) as JSON.
    """

    __tablename__ = "voting_results_rows"

    stage_id: Mapped[int] = mapped_column(
        ForeignKey("voting_stages.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    fingerprint: Mapped[str] = mapped_column(String(64))
    innovation_id: Mapped[int | None]
    rank: Mapped[int | None]
    data: Mapped[str] = mapped_column(Text)


from plugins.voting import results_version  # noqa: E402,F401  (the counters' listeners)
