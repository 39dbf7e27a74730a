"""Accounts: users, password hashing (Argon2), sign-in checks, signed links, API tokens."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

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
_hasher = PasswordHasher()
# A real hash to verify against when the e-mail is unknown, so timing does not tell.
_DUMMY_HASH = _hasher.hash("gelar-timing-equaliser")


def normalize_email(email: str) -> str:
    """Validate an e-mail address (syntax only) and return it lowercased."""
    try:
        result = validate_email((email or "").strip(), check_deliverability=False)
    except EmailNotValidError:
        raise ValidationFailed(
            "invalid e-mail", fields={"email": ["Enter a valid e-mail address."]}
        ) from None
    return result.normalized.lower()


def hash_password(password: str) -> str:
    """Hash a password with Argon2id."""
    return _hasher.hash(password)


def check_password_strength(password: str) -> None:
    """Reject passwords shorter than :data:`MIN_PASSWORD_LENGTH`."""
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise ValidationFailed(
            "password too short",
            fields={"password": [f"Use at least {MIN_PASSWORD_LENGTH} characters."]},
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
    """The user with this e-mail (case-insensitive), if any."""
    return session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


def create_user(
    session: Session,
    *,
    email: str,
    name: str,
    password: str | None,
    is_admin: bool = False,
    locale: str | None = None,
) -> User:
    """Create a user; ``password=None`` leaves an invited account without a password."""
    email = normalize_email(email)
    if not name.strip():
        raise ValidationFailed("name required", fields={"name": ["A name is required."]})
    if password is not None:
        check_password_strength(password)
    if find_user(session, email) is not None:
        raise Conflict("e-mail taken", fields={"email": ["An account with this e-mail exists."]})
    user = User(
        email=email,
        name=name.strip(),
        password_hash=hash_password(password) if password is not None else None,
        is_admin=is_admin,
        locale=locale,
    )
    session.add(user)
    try:
        session.flush()
    except IntegrityError:
        session.rollback()
        raise Conflict(
            "e-mail taken", fields={"email": ["An account with this e-mail exists."]}
        ) from None
    return user


def get_or_invite_user(session: Session, email: str, name: str | None = None) -> tuple[User, bool]:
    """Return the user with this e-mail, creating a password-less one if needed.

    The boolean tells whether the user was created (and so needs an invitation link).
    """
    email = normalize_email(email)
    user = find_user(session, email)
    if user is not None:
        return user, False
    display = (name or email.split("@", 1)[0]).strip() or email
    return create_user(session, email=email, name=display, password=None), True


def authenticate(session: Session, email: str, password: str) -> User | None:
    """The active user whose e-mail and password match, else ``None``."""
    user = find_user(session, email or "")
    if not verify_password(user, password or "") or user is None or not user.is_active:
        return None
    user.last_login_at = utcnow()
    if _hasher.check_needs_rehash(user.password_hash or ""):
        user.password_hash = hash_password(password)
    return user


def set_password(user: User, password: str) -> None:
    """Set a new password (after checking its strength)."""
    check_password_strength(password)
    user.password_hash = hash_password(password)


# --- signed links (password reset, invitations) --------------------------------------------


def _serializer(secret_key: str, purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt=f"gelar.{purpose}")


def _fingerprint(user: User) -> str:
    # Changes when the password changes, so a used link stops working.
    return hashlib.sha256((user.password_hash or "unset").encode()).hexdigest()[:16]


def make_password_token(secret_key: str, user: User, purpose: str = "reset") -> str:
    """A signed, expiring token that sets ``user``'s password once (reset or invitation)."""
    return _serializer(secret_key, purpose).dumps({"u": user.id, "f": _fingerprint(user)})


def read_password_token(
    session: Session, secret_key: str, token: str, max_age: int, purpose: str = "reset"
) -> User | None:
    """The user a valid, unused, unexpired token belongs to, else ``None``."""
    try:
        data = _serializer(secret_key, purpose).loads(token, max_age=max_age)
    except (BadSignature, SignatureExpired):
        return None
    if not isinstance(data, dict):
        return None
    user = session.get(User, data.get("u"))
    if user is None or _fingerprint(user) != data.get("f"):
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
    if token.expires_at <= utcnow() or not user.is_active:
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
