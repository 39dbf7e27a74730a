"""E-mails of the registration plugin (queued in the caller's transaction).

These need an application context (templates, absolute links) but no request.
"""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeSerializer

from core.models import Event, User, VisitorPass
from core.notifications import send_mail
from core.services import accounts
from core.web import external_url

_STATUS_SALT = "gelar.registration.status"


def status_token(registration_id: int) -> str:
    """The capability token in a registration's status-page link (never expires)."""
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=_STATUS_SALT).dumps(
        registration_id
    )


def read_status_token(token: str) -> int | None:
    """The registration id a status token stands for, or ``None`` when it is forged."""
    try:
        value = URLSafeSerializer(current_app.config["SECRET_KEY"], salt=_STATUS_SALT).loads(token)
    except BadSignature:
        return None
    return value if isinstance(value, int) else None


def status_link(event: Event, registration_id: int) -> str:
    """The absolute address of a registration's status page."""
    return external_url(
        "registration.status", event=event.slug, token=status_token(registration_id)
    )


def send_received(session: Any, event: Event, registration: Any) -> None:
    """Confirm a submitted registration to its contact, with the status-page link."""
    send_mail(
        session,
        registration.contact_email,
        "registration_received",
        _l("We received your registration"),
        event=event,
        registration=registration,
        link=status_link(event, registration.id),
    )


def send_decision(
    session: Any,
    event: Event,
    registration: Any,
    user: User | None,
    new_account: bool,
    *,
    claim: Any = None,
) -> None:
    """Tell the contact the organizers' decision (approved: how to sign in).

    Only an account created by this approval gets a link to choose its password; an
    existing one (even invited, without a password yet) is told to sign in or to use
    "forgot password", so no link another event sent to this person is replaced.
    With a pending ``claim`` the mail says the agency's confirmation is awaited.
    """
    password_link = None
    if user is not None and new_account:
        token = accounts.make_password_token(current_app.config["SECRET_KEY"], user, "invite")
        password_link = external_url("auth.accept_invitation", token=token)
    send_mail(
        session,
        registration.contact_email,
        "registration_decided",
        _l("Decision on your registration"),
        event=event,
        registration=registration,
        link=status_link(event, registration.id),
        password_link=password_link,
        forgot=external_url("auth.forgot_password"),
        claim_status=claim.status if claim is not None else None,
    )


def send_offer(session: Any, event: Event, registration: Any) -> None:
    """Offer a freed place to a wait-listed registration."""
    send_mail(
        session,
        registration.contact_email,
        "registration_offer",
        _l("A place is free for your agency"),
        event=event,
        registration=registration,
        link=status_link(event, registration.id),
    )


def send_pass(session: Any, event: Event, visitor_pass: VisitorPass) -> None:
    """Mail a visitor their pass code and the page showing it as a QR code."""
    send_mail(
        session,
        visitor_pass.holder_email or "",
        "visitor_pass",
        _l("Your visitor pass"),
        event=event,
        visitor_pass=visitor_pass,
        link=external_url("registration.visitor_pass", event=event.slug, code=visitor_pass.code),
    )
