"""Visitors and sessions: stars on the personal agenda and sign-ups with a wait list."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import Session as DbSession

from core.models import Event, User
from core.services.errors import Conflict, NotFound
from plugins.symposium.models import Session as SymSession
from plugins.symposium.models import Signup, Star
from plugins.symposium.services import MAX_ID, find_session

# -- stars -------------------------------------------------------------------------------


def starred_ids(session: DbSession, event: Event, user: User) -> set[int]:
    """Ids of the event's sessions ``user`` starred."""
    return set(
        session.scalars(
            select(Star.session_id)
            .join(SymSession, SymSession.id == Star.session_id)
            .where(Star.user_id == user.id, SymSession.event_id == event.id)
        )
    )


def set_star(session: DbSession, event: Event, user: User, session_id: int, on: bool) -> bool:
    """Star (``on``) or unstar a session for ``user``; returns whether it is starred now."""
    find_session(session, event, session_id)
    existing = session.scalar(
        select(Star).where(Star.user_id == user.id, Star.session_id == session_id)
    )
    if on and existing is None:
        session.add(Star(user_id=user.id, session_id=session_id))
    elif not on and existing is not None:
        session.delete(existing)
    session.flush()
    return on


MAX_MERGED_STARS = 500


def merge_stars(session: DbSession, event: Event, user: User, session_ids: list[int]) -> int:
    """Add the stars a browser kept for ``event`` to ``user``'s agenda; how many were new.

    Ids of unknown sessions or of another event's are ignored (a browser's list may be
    stale); stars the user already has stay as they are.  Three statements at most.
    """
    wanted = {i for i in session_ids[:MAX_MERGED_STARS] if isinstance(i, int) and i > 0}
    if not wanted:
        return 0
    known = set(
        session.scalars(
            select(SymSession.id).where(SymSession.event_id == event.id, SymSession.id.in_(wanted))
        )
    )
    new = known - starred_ids(session, event, user)
    session.add_all(Star(user_id=user.id, session_id=i) for i in sorted(new))
    session.flush()
    return len(new)


# -- sign-ups ----------------------------------------------------------------------------


def _locked_session(session: DbSession, event: Event, session_id: int) -> SymSession:
    if not 0 < session_id <= MAX_ID:
        raise NotFound(_("Unknown session."))
    item = session.scalar(
        select(SymSession)
        .where(SymSession.id == session_id, SymSession.event_id == event.id)
        .with_for_update()
    )
    if item is None:
        raise NotFound(_("Unknown session."))
    return item


def confirmed_count(session: DbSession, session_id: int) -> int:
    """Seats taken in a session."""
    return int(
        session.scalar(
            select(func.count(Signup.id)).where(
                Signup.session_id == session_id, Signup.status == "confirmed"
            )
        )
        or 0
    )


def sign_up(
    session: DbSession, event: Event, session_id: int, user: User, *, waitlist: bool = True
) -> Signup:
    """Take a seat, or a place on the wait list when the session is full.

    409 when the session takes no sign-ups, when ``user`` already signed up, or when it
    is full and ``waitlist`` is false.  The session's row is locked, so two last-seat
    sign-ups cannot both be confirmed.
    """
    item = _locked_session(session, event, session_id)
    if not item.signup_required or item.capacity is None:
        raise Conflict(_("This session does not take sign-ups."))
    if session.scalar(
        select(Signup.id).where(Signup.session_id == item.id, Signup.user_id == user.id)
    ):
        raise Conflict(_("You have already signed up for this session."))
    full = confirmed_count(session, item.id) >= item.capacity
    if full and not waitlist:
        raise Conflict(
            _("The session is full (%(n)s seats).", n=item.capacity),
            fields={"session": [_("No seat left.")]},
        )
    signup = Signup(
        session_id=item.id, user_id=user.id, status="waitlisted" if full else "confirmed"
    )
    session.add(signup)
    session.flush()
    return signup


def cancel_signup(session: DbSession, event: Event, session_id: int, user: User) -> Signup | None:
    """Give up a seat or a wait-list place; a freed seat goes to the first in line.

    Returns the sign-up promoted from the wait list, if any.
    """
    item = _locked_session(session, event, session_id)
    mine = session.scalar(
        select(Signup).where(Signup.session_id == item.id, Signup.user_id == user.id)
    )
    if mine is None:
        raise NotFound(_("You have not signed up for this session."))
    freed = mine.status == "confirmed"
    session.delete(mine)
    session.flush()
    if not freed or item.capacity is None or confirmed_count(session, item.id) >= item.capacity:
        return None
    waiting = session.scalar(
        select(Signup)
        .where(Signup.session_id == item.id, Signup.status == "waitlisted")
        .order_by(Signup.created_at, Signup.id)
    )
    if waiting is not None:
        waiting.status = "confirmed"
        session.flush()
    return waiting


def signup_status(session: DbSession, session_id: int, user: User | None) -> str | None:
    """``confirmed``, ``waitlisted`` or ``None`` for ``user`` in a session."""
    if user is None:
        return None
    return session.scalar(
        select(Signup.status).where(Signup.session_id == session_id, Signup.user_id == user.id)
    )
