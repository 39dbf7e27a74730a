"""People and agencies: users, organizations (persisting across years), memberships, claims,
tokens.

An agency is never joined by name: a membership is granted only when it is proven (see
:mod:`core.services.memberships`); anything else is an :class:`OrganizationClaim` that an
existing member or a site admin confirms or refuses.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.db import Base, sql_in, utcnow

CLAIM_STATUSES = ("pending", "confirmed", "refused")
CLAIM_DECISIONS = ("confirmed", "refused")
_PENDING_WHERE = text("status = 'pending'")


class User(Base):
    """A person who signs in: site admin, organizer, judge, exhibitor staff or visitor."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    is_admin: Mapped[bool] = mapped_column(default=False)
    is_active: Mapped[bool] = mapped_column(default=True)
    locale: Mapped[str | None] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]
    # When the owner proved the mailbox (a verification, invitation or reset link); until
    # then the account cannot sign in and holds no roles, memberships or registrations.
    email_verified_at: Mapped[datetime | None]
    # Random, part of every signed link (verification, invitation, reset); replaced each
    # time a link is minted and when the password changes, so older links die.
    link_nonce: Mapped[str | None] = mapped_column(String(32))

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )

    # Flask-Login protocol
    @property
    def is_authenticated(self) -> bool:
        """Always true for a loaded user (Flask-Login)."""
        return True

    @property
    def is_anonymous(self) -> bool:
        """Never anonymous (Flask-Login)."""
        return False

    # The raw key of the server-side session this object was loaded through (or signed in
    # with); not a column.  ``None`` for users loaded any other way.
    session_key = None  # not annotated: SQLAlchemy would map it

    def get_id(self) -> str:
        """Identifier stored in the session and remember-me cookie (Flask-Login).

        ``"<user id>:<session key>"``, so the user loader finds the server-side session
        row; without a key only the user id, which the loader refuses.
        """
        if self.session_key:
            return f"{self.id}:{self.session_key}"
        return str(self.id)


class Organization(Base):
    """An agency (government unit, BUMD, university, firm); persists across events."""

    __tablename__ = "organizations"
    __table_args__ = (UniqueConstraint("name", "region"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(250))
    kind: Mapped[str] = mapped_column(String(40), default="government")
    region: Mapped[str] = mapped_column(String(120), default="")
    website: Mapped[str | None] = mapped_column(String(300))
    #: The name people use ("Bapenda", "Dinkes"); empty when none.
    short_name: Mapped[str] = mapped_column(String(80), default="", server_default=text("''"))
    #: Other names the agency is searched by, one per line (former names, acronyms).
    aliases: Mapped[str] = mapped_column(String(1000), default="", server_default=text("''"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    @property
    def alias_list(self) -> list[str]:
        """The aliases as a list, blank lines dropped."""
        return [a.strip() for a in (self.aliases or "").splitlines() if a.strip()]

    @property
    def known_names(self) -> list[str]:
        """The short name then the aliases: every other name the agency is searched by."""
        return ([self.short_name] if self.short_name else []) + self.alias_list

    @property
    def label(self) -> str:
        """The name with the short name in brackets, as shown in pickers and lists."""
        if self.short_name and self.short_name.lower() not in self.name.lower():
            return f"{self.name} ({self.short_name})"
        return self.name

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="organization", cascade="all, delete-orphan"
    )


class Membership(Base):
    """A user's place in an organization (staff who may edit its profile)."""

    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("user_id", "organization_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[str] = mapped_column(String(20), default="staff")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship(back_populates="memberships")
    organization: Mapped[Organization] = relationship(back_populates="memberships")


class OrganizationClaim(Base):
    """Someone asks to join an agency (e.g. an approved registration's contact).

    Pending until an existing member of the agency or a site admin confirms (membership
    granted) or refuses it.  ``registration_id`` is the registration plugin's row, kept as
    a plain number (core never points at a plugin's table); ``event_id`` is its event.
    One pending claim per agency and e-mail (a partial unique index).
    """

    __tablename__ = "organization_claims"
    __table_args__ = (
        CheckConstraint(sql_in("status", CLAIM_STATUSES), name="status_known"),
        Index(
            "ix_organization_claims_one_pending_per_email",
            "organization_id",
            "email",
            unique=True,
            sqlite_where=_PENDING_WHERE,
            postgresql_where=_PENDING_WHERE,
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    email: Mapped[str] = mapped_column(String(254))
    name: Mapped[str] = mapped_column(String(200), default="")
    event_id: Mapped[int | None] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), index=True
    )
    registration_id: Mapped[int | None]
    status: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    organization: Mapped[Organization] = relationship()
    user: Mapped[User | None] = relationship(foreign_keys=[user_id])


class ApiToken(Base):
    """A bearer token for the JSON API; only its SHA-256 digest is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    last_used_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()


class UserSession(Base):
    """A signed-in browser: the cookie holds a random key, the table only its SHA-256.

    Signing out deletes the row, so a copied session or remember-me cookie stops working.
    """

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    user_agent: Mapped[str] = mapped_column(String(300), default="")
    ip: Mapped[str | None] = mapped_column(String(45))
    remember: Mapped[bool] = mapped_column(default=False)

    user: Mapped[User] = relationship()
