"""E-mails core sends (invitations, password resets), rendered in the recipient's language."""

from __future__ import annotations

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from core.models import Event, Organization, OrganizationClaim, User
from core.services import accounts, mail
from core.web import external_url


def _locale(user: User) -> str:
    return user.locale or current_app.config["BABEL_DEFAULT_LOCALE"]


def send_mail(
    session: Session,
    user_or_email: User | str,
    template: str,
    subject: object,
    *,
    event: Event | None = None,
    locale: str | None = None,
    **context: object,
) -> None:
    """Render ``mail/<template>.txt`` in the recipient's language and queue it."""
    if isinstance(user_or_email, User):
        recipient, lang = user_or_email.email, locale or _locale(user_or_email)
    else:
        recipient, lang = user_or_email, locale or current_app.config["BABEL_DEFAULT_LOCALE"]
    with force_locale(lang):
        body = render_template(f"mail/{template}.txt", event=event, **context)
        translated_subject = str(subject)
    mail.queue(
        session,
        recipient=recipient,
        subject=translated_subject,
        body_text=body,
        locale=lang,
        event_id=event.id if event else None,
    )


def _days(max_age_key: str) -> int:
    """How many whole days a link minted now stays valid (at least one)."""
    return max(1, int(current_app.config[max_age_key]) // 86400)


def _link(user: User, purpose: str, endpoint: str) -> str:
    """Mint a link for ``user`` (killing older ones); only ever mail it to ``user``."""
    token = accounts.make_password_token(current_app.config["SECRET_KEY"], user, purpose)
    return external_url(endpoint, token=token)


def send_password_reset(session: Session, user: User) -> None:
    """Queue a password-reset link for ``user`` (using it also verifies the e-mail)."""
    send_mail(
        session,
        user,
        "password_reset",
        _l("Reset your Gelar password"),
        user=user,
        link=_link(user, "reset", "auth.reset_password"),
    )


def send_verification(session: Session, user: User) -> None:
    """Queue the link that confirms ``user``'s e-mail (opened with the sign-up password)."""
    send_mail(
        session,
        user,
        "verify_email",
        _l("Confirm your e-mail for Gelar"),
        user=user,
        link=_link(user, "verify", "auth.verify_email"),
        forgot=external_url("auth.forgot_password"),
        days=_days("EMAIL_VERIFICATION_MAX_AGE"),
    )


def send_sign_up_result(session: Session, sign_up: accounts.SignUp) -> None:
    """Mail the address what a sign-up did; the page said the same "check your mail" to all.

    A new account gets its verification link; a verified account is told it already
    exists (sign in, or the reset link minted here); an unverified one — perhaps somebody
    else typed this address — gets a link to choose the password, which verifies it.
    Inactive accounts get nothing.
    """
    user, outcome = sign_up.user, sign_up.outcome
    if outcome == "created":
        send_verification(session, user)
    elif outcome in ("exists_verified", "exists_unverified"):
        send_mail(
            session,
            user,
            "account_exists",
            _l("About your Gelar account"),
            user=user,
            verified=outcome == "exists_verified",
            link=_link(user, "reset", "auth.reset_password"),
            sign_in=external_url("auth.login"),
        )


def send_invitation(
    session: Session, user: User, event: Event, role: str, *, created: bool
) -> None:
    """Tell ``user`` about a new role; only a newly created account gets a password link.

    Someone who already has an account — even one invited earlier that has no password
    yet — is told to sign in or to use "forgot password": appointing never mints a new
    link, so nobody can cut short or replace a link another event sent to this person.
    """
    link = _link(user, "invite", "auth.accept_invitation") if created else None
    send_mail(
        session,
        user,
        "invitation",
        _l("You have a role in a Gelar event"),
        event=event,
        user=user,
        role=role,
        link=link,
        event_link=external_url("public.event_home", event=event.slug),
        sign_in=external_url("auth.login"),
        forgot=external_url("auth.forgot_password"),
        days=_days("INVITATION_MAX_AGE"),
        new_account=created,
    )


def send_claim_waiting(
    session: Session,
    claim: OrganizationClaim,
    organization: Organization,
    event: Event | None,
    reviewers: list[User],
) -> None:
    """Tell the agency's members (and the site admins) that a claim waits for them."""
    for reviewer in reviewers:
        if reviewer.is_admin and not _is_member(organization, reviewer):
            link = external_url("admin.claims")
        else:
            link = external_url("organizations.detail", organization_id=organization.id)
        send_mail(
            session,
            reviewer,
            "claim_waiting",
            _l("Someone asks to join %(agency)s", agency=organization.name),
            event=event,
            user=reviewer,
            claim=claim,
            organization=organization,
            link=link,
        )


def _is_member(organization: Organization, user: User) -> bool:
    return any(m.user_id == user.id for m in organization.memberships)


def send_claim_decided(
    session: Session,
    claim: OrganizationClaim,
    organization: Organization,
    event: Event | None,
    user: User | None,
    new_account: bool,
) -> None:
    """Tell the claimant whether the agency confirmed them (new accounts: a password link)."""
    link = external_url("organizations.index")
    choose_password = user is not None and (new_account or not user.password_hash)
    if user is not None and choose_password:
        token = accounts.make_password_token(current_app.config["SECRET_KEY"], user, "invite")
        link = external_url("auth.accept_invitation", token=token)
    send_mail(
        session,
        user if user is not None else claim.email,
        "claim_decided",
        _l("Your request to join %(agency)s", agency=organization.name),
        event=event,
        claim=claim,
        organization=organization,
        link=link,
        confirmed=claim.status == "confirmed",
        choose_password=choose_password,
    )
