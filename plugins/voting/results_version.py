"""The results version: a counter per event bumped with every change of a results input.

Stored results (:mod:`plugins.voting.results_pages`, the judge figures in
``voting_results_cache``) are keyed by this counter, so a read checks one small row instead
of digesting every score sheet, and every worker process sees the same version (it is in
the database, written in the same transaction as the change).

What bumps it, whoever writes (services of this plugin, other plugins, core, the CLI):

* a flushed insert, update or delete of a score, a sheet (assignment), a criterion, a
  stage, a stage's panel or entries, an innovation or an event role — the affected
  events are found from the rows (a score's sheet's stage's event, …);
* an ORM bulk statement on those tables (``session.execute(insert(VotingScore), rows)``):
  by the rows' ids when the parameters name them, otherwise the global counter (event 0),
  which is part of every key.

The counters are upserted just before the commit, in event-id order, as the transaction's
last statements: no lock is held on them while other work runs, and no two writers take
them in different orders.  People's-choice votes are not inputs of the judge figures; the
ranking keys them separately (see :mod:`plugins.voting.results_pages`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import bindparam, inspect, select
from sqlalchemy import event as sa_event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import ORMExecuteState, Session, SessionTransaction

from core.models import EventRole, Innovation
from plugins.voting.models import (
    VotingAssignment,
    VotingCriterion,
    VotingEntry,
    VotingResultsVersion,
    VotingScore,
    VotingStage,
    VotingStageJudge,
)

GLOBAL = 0  # the counter bumped when a bulk statement's rows cannot be told
_PENDING = "gelar_results_touched"
_CHUNK = 500

# model → (kind of id it leads to, attribute holding that id)
_WATCHED: dict[type, tuple[str, str]] = {
    VotingScore: ("assignment", "assignment_id"),
    VotingAssignment: ("stage", "stage_id"),
    VotingCriterion: ("stage", "stage_id"),
    VotingEntry: ("stage", "stage_id"),
    VotingStageJudge: ("stage", "stage_id"),
    VotingStage: ("event", "event_id"),
    Innovation: ("event", "event_id"),
    EventRole: ("event", "event_id"),
}
# model → kind its own primary key leads to (bulk statements by primary key)
_BY_ID: dict[type, str] = {
    VotingScore: "score",
    VotingAssignment: "assignment",
    VotingStage: "stage",
    Innovation: "innovation",
}
_BY_TABLE: dict[str, type] = {model.__table__.name: model for model in _WATCHED}  # type: ignore[attr-defined]


def _pending(session: Session) -> dict[str, set[int]]:
    return session.info.setdefault(_PENDING, {})


def _note(session: Session, kind: str, value: Any) -> None:
    if isinstance(value, int):
        _pending(session).setdefault(kind, set()).add(value)


@sa_event.listens_for(Session, "after_flush")
def _note_flushed(session: Session, _context: Any) -> None:
    for obj in (*session.new, *session.dirty, *session.deleted):
        watched = _WATCHED.get(type(obj))
        if watched is None:
            continue
        if obj in session.dirty and not session.is_modified(obj, include_collections=False):
            continue
        kind, attribute = watched
        if attribute in obj.__dict__:
            _note(session, kind, obj.__dict__[attribute])
        elif type(obj) in _BY_ID and obj not in session.deleted:
            _note(session, _BY_ID[type(obj)], inspect(obj).identity[0])
        else:
            _note(session, "global", GLOBAL)


@sa_event.listens_for(Session, "do_orm_execute")
def _note_bulk(state: ORMExecuteState) -> None:
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    model = _BY_TABLE.get(getattr(getattr(state.statement, "table", None), "name", ""))
    if model is None:
        return
    params = state.parameters
    rows = params if isinstance(params, list) else [params] if params else []
    kind, attribute = _WATCHED[model]
    by_id = _BY_ID.get(model)
    where = getattr(state.statement, "whereclause", None)
    if not rows or where is not None:
        _note(state.session, "global", GLOBAL)
        return
    for row in rows:
        if attribute in row:
            _note(state.session, kind, row[attribute])
        elif by_id is not None and "id" in row:
            _note(state.session, by_id, row["id"])
        else:
            _note(state.session, "global", GLOBAL)


def _chunks(values: Iterable[int]) -> Iterable[list[int]]:
    ordered = sorted(values)
    for start in range(0, len(ordered), _CHUNK):
        yield ordered[start : start + _CHUNK]


def _resolve(session: Session, pending: dict[str, set[int]]) -> set[int]:
    """The event ids (and 0 for the global counter) behind the noted rows."""
    events = set(pending.get("event", ()))
    if pending.get("global"):
        events.add(GLOBAL)
    queries = {
        "stage": select(VotingStage.event_id).where(
            VotingStage.id.in_(bindparam("ids", expanding=True))
        ),
        "assignment": select(VotingStage.event_id)
        .join(VotingAssignment, VotingAssignment.stage_id == VotingStage.id)
        .where(VotingAssignment.id.in_(bindparam("ids", expanding=True))),
        "score": select(VotingStage.event_id)
        .join(VotingAssignment, VotingAssignment.stage_id == VotingStage.id)
        .join(VotingScore, VotingScore.assignment_id == VotingAssignment.id)
        .where(VotingScore.id.in_(bindparam("ids", expanding=True))),
        "innovation": select(Innovation.event_id).where(
            Innovation.id.in_(bindparam("ids", expanding=True))
        ),
    }
    connection = session.connection()
    for kind, query in queries.items():
        for chunk in _chunks(pending.get(kind, ())):
            events.update(connection.scalars(query.distinct(), {"ids": chunk}))
    return events


def bump(session: Session, event_ids: Iterable[int]) -> None:
    """Add one to the counters of ``event_ids`` (created at 1), in id order."""
    ids = sorted(set(event_ids))
    if not ids:
        return
    connection = session.connection()
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    statement = dialect.insert(VotingResultsVersion).values(version=1)
    statement = statement.on_conflict_do_update(
        index_elements=["event_id"],
        set_={"version": VotingResultsVersion.version + 1},
    )
    for event_id in ids:
        connection.execute(statement, {"event_id": event_id})


@sa_event.listens_for(Session, "before_commit")
def _bump_before_commit(session: Session) -> None:
    if session.in_nested_transaction():
        return  # a savepoint: the outermost commit bumps (no lock held mid-transaction)
    session.flush()  # the commit's own flush would come after this hook: note its rows now
    pending = session.info.pop(_PENDING, None)
    if pending:
        bump(session, _resolve(session, pending))


@sa_event.listens_for(Session, "after_transaction_end")
def _forget_at_the_end(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:  # the outermost transaction ended (a rollback's notes go)
        session.info.pop(_PENDING, None)


def current(session: Session, event_id: int) -> tuple[int, int]:
    """(global counter, the event's counter); 0 for a counter never bumped."""
    rows = dict(
        session.execute(
            select(VotingResultsVersion.event_id, VotingResultsVersion.version).where(
                VotingResultsVersion.event_id.in_([GLOBAL, event_id])
            )
        ).all()
    )
    return int(rows.get(GLOBAL, 0)), int(rows.get(event_id, 0))
