"""Entering an innovation again, and declaring a replication, at registration (issue 15).

``previous`` names an earlier entry of the *same* agency: the new entry joins its identity
(one innovation across editions).  ``replicates`` names another agency's innovation that
this one adopted.  Both are entry ids (``innovations.id``) as the API and pages show them.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.i18n import N_
from core.models import Event, Innovation
from core.services import history


def link_problems(
    session: Session,
    event: Event,
    organization_id: int | None,
    items: list[Any],
    *,
    own_ids: set[int] | None = None,
    prefix: str = "innovations",
) -> dict[str, list[str]]:
    """Field problems of the items' ``previous_id``/``replicates_id`` (empty when fine).

    ``own_ids``: the registration's current entries in ``event`` (editing keeps them).
    """
    problems: dict[str, list[str]] = {}
    own_ids = own_ids or set()
    seen: set[int] = set()
    for index, item in enumerate(items):
        at = f"{prefix}.{index}."
        if item.previous_id is not None:
            previous = session.get(Innovation, item.previous_id)
            if (
                previous is None
                or previous.organization_id != organization_id
                or previous.event_id == event.id
            ):
                problems[at + "previous"] = [
                    N_("Choose one of the agency's innovations from an earlier edition.")
                ]
            else:
                identity = previous.identity_id
                taken = identity is not None and session.scalar(
                    select(Innovation.id).where(
                        Innovation.event_id == event.id,
                        Innovation.identity_id == identity,
                        Innovation.id.notin_(own_ids) if own_ids else Innovation.id.isnot(None),
                    )
                )
                if taken or (identity is not None and identity in seen):
                    problems[at + "previous"] = [
                        N_("This innovation is already entered in this event.")
                    ]
                if identity is not None:
                    seen.add(identity)
        if item.replicates_id is not None:
            original = session.get(Innovation, item.replicates_id)
            if original is None or original.organization_id == organization_id:
                problems[at + "replicates"] = [
                    N_("Choose another agency's innovation that this one replicates.")
                ]
    return problems


def apply_links(session: Session, innovation: Innovation, data: Any) -> None:
    """Join the entry to its earlier identity (or a new one) and record what it replicates."""
    if data.previous_id is not None:
        previous = session.get(Innovation, data.previous_id)
        assert previous is not None
        identity = history.ensure_identity(session, previous)
        if innovation.identity_id != identity.id:
            innovation.identity_id = identity.id
        if data.launched_on is None and previous.launched_on is not None:
            innovation.launched_on = previous.launched_on
    elif innovation.identity_id is None or _shared(session, innovation):
        innovation.identity_id = None
        session.flush()
        history.ensure_identity(session, innovation)
    if data.launched_on is not None:
        innovation.launched_on = data.launched_on
    if data.replicates_id is not None:
        original = session.get(Innovation, data.replicates_id)
        assert original is not None
        innovation.replicates_id = history.ensure_identity(session, original).id
    else:
        innovation.replicates_id = None


def _shared(session: Session, innovation: Innovation) -> bool:
    """Whether the entry's identity has entries in other events (it was entered again)."""
    if innovation.id is None or innovation.identity_id is None:
        return False
    return (
        session.scalar(
            select(Innovation.id).where(
                Innovation.identity_id == innovation.identity_id, Innovation.id != innovation.id
            )
        )
        is not None
    )


def _other_entry(session: Session, identity_id: int | None, innovation: Innovation) -> Any:
    if identity_id is None:
        return None
    return session.execute(
        select(Innovation, Event)
        .join(Event, Event.id == Innovation.event_id)
        .where(Innovation.identity_id == identity_id, Innovation.event_id != innovation.event_id)
        .order_by(Event.starts_on.desc(), Innovation.id.desc())
        .limit(1)
    ).first()


def form_links(session: Session, innovation: Innovation) -> dict[str, Any]:
    """The step form's hidden ``previous`` and ``replicates`` for a stored entry."""
    previous = _other_entry(session, innovation.identity_id, innovation)
    original = _other_entry(session, innovation.replicates_id, innovation)
    return {
        "previous": previous[0].id if previous else "",
        "replicates": original[0].id if original else "",
    }


def link_labels(session: Session, innovation: Innovation) -> dict[str, Any]:
    """What the step page shows of an entry's links: ``(entry, event)`` pairs or ``None``."""
    return {
        "previous": _other_entry(session, innovation.identity_id, innovation),
        "replicates": _other_entry(session, innovation.replicates_id, innovation),
    }


def as_input(session: Session, innovation: Innovation, input_class: type) -> Any:
    """A stored entry as the services' ``InnovationInput`` (links kept)."""
    links = form_links(session, innovation)
    return input_class(
        title=innovation.title,
        summary=innovation.summary,
        category=innovation.category,
        year_launched=innovation.year_launched,
        cettar=list(innovation.cettar or []),
        document_upload_id=innovation.document_upload_id,
        previous_id=links["previous"] or None,
        replicates_id=links["replicates"] or None,
        launched_on=innovation.launched_on,
    )


def copy_for_again(earlier: Innovation, input_class: type, categories: list[str]) -> Any:
    """An ``InnovationInput`` entering ``earlier`` again (its category if the event has it)."""
    return input_class(
        title=earlier.title,
        summary=earlier.summary,
        category=earlier.category if earlier.category in categories else categories[0],
        year_launched=earlier.year_launched,
        cettar=list(earlier.cettar or []),
        previous_id=earlier.id,
        launched_on=earlier.launched_on,
    )
