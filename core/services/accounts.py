"""Accounts: users, password hashing (Argon2), sign-in checks, signed links, API tokens.

Every link that proves a mailbox (verification, invitation, password reset) is signed with
the secret key, expires, and carries the user's ``link_nonce``: minting a new link or
changing the password replaces the nonce, so a used or superseded link stops working.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from email_validator import EmailNotValidError, validate_email
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from core.db import utcnow
from core.i18n import N_
from core.models import ApiToken, User
from core.services.errors import Conflict, Forbidden, NotFound, ValidationFailed

MIN_PASSWORD_LENGTH = 8
LINK_PURPOSES = ("reset", "invite", "verify")
_hasher = PasswordHasher()
# A real hash to verify against when the e-mail is unknown, so timing does not tell.
_DUMMY_HASH = _hasher.hash("gelar-timing-equaliser")


def normalize_email(email: str) -> str:
    """Validate an e-mail address (syntax only) and return it lowercased."""
    text = email if isinstance(email, str) else ""
    if "\x00" in text or len(text) > 320:
        raise ValidationFailed(
            "invalid e-mail", fields={"email": [N_("Enter a valid e-mail address.")]}
        )
    try:
        text.encode("utf-8")  # lone surrogates cannot be stored or mailed
        result = validate_email(text.strip(), check_deliverability=False)
    except (EmailNotValidError, UnicodeError, ValueError):
        raise ValidationFailed(
            "invalid e-mail", fields={"email": [N_("Enter a valid e-mail address.")]}
        ) from None
    return result.normalized.lower()


def clean_email_or_none(email: Any) -> str | None:
    """The normalised e-mail, or ``None`` when it is not a usable address (never raises)."""
    try:
        return normalize_email(email if isinstance(email, str) else "")
    except ValidationFailed:
        return None


def is_verified(user: Any) -> bool:
    """Whether ``user`` proved their mailbox; unverified accounts hold no access by e-mail.

    Use this wherever something is granted because an e-mail address matches (roles,
    memberships, a registration's contact): until the owner has opened a link mailed to
    the address, anybody could have typed it in.
    """
    return bool(user is not None and getattr(user, "email_verified_at", None) is not None)


def hash_password(password: str) -> str:
    """Hash a password with Argon2id."""
    return _hasher.hash(password)


def check_password_strength(password: str) -> None:
    """Reject passwords shorter than :data:`MIN_PASSWORD_LENGTH`."""
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise ValidationFailed(
            "password too short",
            fields={"password": [N_("Use at least 8 characters.")]},
        )


def verify_password(user: User | None, password: str) -> bool:
    """Whether ``password`` matches; spends the same time for unknown users."""
    stored = user.password_hash if user is not None and user.password_hash else _DUMMY_HASH
    try:
        ok = _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False
    return ok and user is not None and bool(user.password_hash)


def find_user(session: Session, email: str) -> User | None:
    """The user with this e-mail (case-insensitive), if any; ``None`` for unusable input."""
    if not isinstance(email, str) or "\x00" in email:
        return None
    try:
        email.encode("utf-8")
    except UnicodeError:
        return None
    return session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


def create_user(
    session: Session,
    *,
    email: str,
    name: str,
    password: str | None,
    verified: bool,
    is_admin: bool = False,
    locale: str | None = None,
) -> User:
    """Create a user; ``password=None`` leaves an invited account without a password.

    ``verified`` says whether the e-mail is already proven (accounts made by an admin, the
    CLI or the demo); sign-ups and invitations start unverified.
    """
    email = normalize_email(email)
    if not name.strip():
        raise ValidationFailed("name required", fields={"name": [N_("A name is required.")]})
    if password is not None:
        check_password_strength(password)
    if find_user(session, email) is not None:
        raise Conflict(
            "e-mail taken", fields={"email": [N_("An account with this e-mail exists.")]}
        )
    user = User(
        email=email,
        name=name.strip(),
        password_hash=hash_password(password) if password is not None else None,
        is_admin=is_admin,
        locale=locale,
        email_verified_at=utcnow() if verified else None,
    )
    session.add(user)
    try:
        session.flush()
    except IntegrityError:
        session.rollback()
        raise Conflict(
            "e-mail taken", fields={"email": [N_("An account with this e-mail exists.")]}
        ) from None
    return user


def get_or_invite_user(session: Session, email: str, name: str | None = None) -> tuple[User, bool]:
    """Return the user with this e-mail, creating a password-less one if needed.

    The boolean tells whether the user was created (and so needs an invitation link);
    an existing account is returned as it is (no new link is ever minted for it here).
    """
    email = normalize_email(email)
    user = find_user(session, email)
    if user is not None:
        return user, False
    display = (name or email.split("@", 1)[0]).strip() or email
    return create_user(session, email=email, name=display, password=None, verified=False), True


class EmailNotVerified(Exception):
    """The password was right but the account's e-mail is not verified yet."""

    def __init__(self, user: User) -> None:
        super().__init__("e-mail not verified")
        self.user = user


def authenticate(session: Session, email: str, password: str) -> User | None:
    """The active, verified user whose e-mail and password match, else ``None``.

    Raises :class:`EmailNotVerified` when the password is right but the account has not
    proved its e-mail yet (the caller may send a new verification link).
    """
    clean = clean_email_or_none(email)
    user = find_user(session, clean) if clean else None
    if not isinstance(password, str):
        password = ""
    if not verify_password(user, password) or user is None or not user.is_active:
        return None
    if not is_verified(user):
        raise EmailNotVerified(user)
    user.last_login_at = utcnow()
    if _hasher.check_needs_rehash(user.password_hash or ""):
        user.password_hash = hash_password(password)
    return user


def set_password(user: User, password: str) -> None:
    """Set a new password (after checking its strength); every outstanding link dies."""
    check_password_strength(password)
    user.password_hash = hash_password(password)
    user.link_nonce = secrets.token_hex(16)


def mark_verified(user: User) -> None:
    """Record that the owner proved the mailbox (once; later proofs keep the first time)."""
    if user.email_verified_at is None:
        user.email_verified_at = utcnow()


def set_password_from_link(user: User, password: str) -> None:
    """An invitation or reset link was used: set the password and verify the e-mail.

    Opening a link mailed to the address proves the mailbox; any password somebody else
    chose for this address before (a squatter's sign-up) is replaced.
    """
    set_password(user, password)
    mark_verified(user)


def verify_with_password(user: User, password: str) -> bool:
    """Verify ``user`` from a verification link when the sign-up password matches.

    Both the mailbox (the link) and the password chosen at sign-up are needed, so a
    squatter's password never wins and a mail scanner opening the link changes nothing.
    """
    if not user.is_active or not verify_password(
        user, password if isinstance(password, str) else ""
    ):
        return False
    mark_verified(user)
    user.link_nonce = secrets.token_hex(16)  # the link is used up
    user.last_login_at = utcnow()
    return True


SignUpOutcome = Literal["created", "exists_verified", "exists_unverified", "inactive"]


@dataclass
class SignUp:
    """What a sign-up did: the account concerned and which mail its owner should get."""

    user: User
    outcome: SignUpOutcome


def sign_up(
    session: Session, *, email: str, name: str, password: str, locale: str | None = None
) -> SignUp:
    """Create an unverified account, or report the existing one (never raising for it).

    The caller answers the same either way and mails the address what happened, so who
    has an account is never revealed to the person signing up.  The password is hashed in
    every case, so the answer takes as long for known addresses as for new ones.
    """
    email = normalize_email(email)
    if not (name or "").strip():
        raise ValidationFailed("name required", fields={"name": [N_("A name is required.")]})
    check_password_strength(password)
    password_hash = hash_password(password)
    existing = find_user(session, email)
    if existing is not None:
        if not existing.is_active:
            return SignUp(existing, "inactive")
        return SignUp(existing, "exists_verified" if is_verified(existing) else "exists_unverified")
    user = User(
        email=email,
        name=name.strip(),
        password_hash=password_hash,
        locale=locale,
        email_verified_at=None,
    )
    session.add(user)
    try:
        session.flush()
    except IntegrityError:  # signed up twice at once: the other request made it
        session.rollback()
        again = find_user(session, email)
        if again is None:
            raise
        return SignUp(again, "exists_verified" if is_verified(again) else "exists_unverified")
    return SignUp(user, "created")


# --- signed links (verification, invitations, password reset) ------------------------------


def _serializer(secret_key: str, purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt=f"gelar.{purpose}")


def make_password_token(secret_key: str, user: User, purpose: str = "reset") -> str:
    """Mint a signed, expiring, single-use link token for ``user``.

    ``purpose`` is ``reset``, ``invite`` or ``verify``.  Minting replaces the user's link
    nonce, so every link sent to this person before stops working.  Only ever put the
    token in a mail addressed to ``user`` (never show it to anybody else).
    """
    if purpose not in LINK_PURPOSES:
        raise ValueError(f"unknown link purpose {purpose!r}")
    user.link_nonce = secrets.token_hex(16)
    return _serializer(secret_key, purpose).dumps({"u": user.id, "n": user.link_nonce})


def read_password_token(
    session: Session, secret_key: str, token: str, max_age: int, purpose: str = "reset"
) -> User | None:
    """The active user a valid, unused, unsuperseded, unexpired token belongs to, else ``None``."""
    try:
        data = _serializer(secret_key, purpose).loads(token, max_age=max_age)
    except (BadSignature, SignatureExpired, UnicodeError, ValueError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        return None
    nonce = data.get("n")
    user = session.get(User, data["u"])
    if user is None or not user.is_active or not user.link_nonce or not isinstance(nonce, str):
        return None
    if not secrets.compare_digest(user.link_nonce, nonce):
        return None
    return user


# --- API tokens ---------------------------------------------------------------------------


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def issue_api_token(session: Session, user: User, ttl_hours: int) -> tuple[str, datetime]:
    """Create a bearer token; returns the raw token (shown once) and its expiry."""
    raw = "glr_" + secrets.token_urlsafe(32)
    expires_at = utcnow() + timedelta(hours=ttl_hours)
    session.add(ApiToken(user_id=user.id, token_hash=_digest(raw), expires_at=expires_at))
    session.flush()
    return raw, expires_at


def user_for_api_token(session: Session, raw: str) -> User | None:
    """The active user behind an unexpired bearer token, else ``None``."""
    found = resolve_api_token(session, raw)
    return found[1] if found is not None else None


def resolve_api_token(session: Session, raw: str) -> tuple[ApiToken, User] | None:
    """The unexpired token row and its active user for a raw bearer token, else ``None``."""
    found = session.execute(
        select(ApiToken, User)
        .join(User, User.id == ApiToken.user_id)
        .where(ApiToken.token_hash == _digest(raw))
    ).first()
    if found is None:
        return None
    token, user = found
    if token.expires_at <= utcnow() or not user.is_active or not is_verified(user):
        return None
    return token, user


def list_api_tokens(session: Session, user: User) -> list[ApiToken]:
    """The user's unexpired API tokens, newest first (rows only: secrets are never stored)."""
    return list(
        session.scalars(
            select(ApiToken)
            .where(ApiToken.user_id == user.id, ApiToken.expires_at > utcnow())
            .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
        )
    )


def revoke_api_token(session: Session, user: User, token_id: int) -> None:
    """Delete one of ``user``'s tokens; :class:`NotFound` when it is not theirs (or gone)."""
    result = session.execute(
        delete(ApiToken).where(ApiToken.id == token_id, ApiToken.user_id == user.id)
    )
    if not result.rowcount:
        raise NotFound("unknown token")


# --- ending sessions (sign out everywhere, password change and reset) -----------------------


def end_other_sessions(
    session: Session,
    user: User,
    *,
    keep: int | None = None,
    keep_token: int | None = None,
) -> tuple[int, int]:
    """End every session (and so remember-me cookie) and API token of ``user``.

    ``keep`` is a :class:`~core.models.UserSession` id and ``keep_token`` an
    :class:`~core.models.ApiToken` id that survive (the caller's own, after a password
    change); without them everything ends.  Returns ``(sessions ended, tokens revoked)``.
    Call it whenever the password changes or is reset, before signing in afresh.
    """
    from core.services import sessions

    ended = sessions.end_sessions(session, user, keep=keep)
    query = delete(ApiToken).where(ApiToken.user_id == user.id)
    if keep_token is not None:
        query = query.where(ApiToken.id != keep_token)
    revoked = int(session.execute(query).rowcount or 0)
    return ended, revoked


def change_password(
    session: Session,
    user: User,
    current_password: str,
    new_password: str,
    *,
    keep: int | None = None,
    keep_token: int | None = None,
) -> tuple[int, int]:
    """Change the password after checking the current one; end every other session and token.

    A wrong current password raises :class:`Forbidden` (field ``current_password``); a weak
    new one :class:`ValidationFailed` (field ``new_password``).  Returns what
    :func:`end_other_sessions` returns.
    """
    if not verify_password(user, current_password or ""):
        raise Forbidden(
            "wrong password",
            fields={"current_password": [N_("The current password is not correct.")]},
        )
    if len(new_password or "") < MIN_PASSWORD_LENGTH:
        raise ValidationFailed(
            "password too short", fields={"new_password": [N_("Use at least 8 characters.")]}
        )
    set_password(user, new_password)
    return end_other_sessions(session, user, keep=keep, keep_token=keep_token)
