"""Accounts: sign up, sign in, sign out, e-mail verification, password reset, invitations.

Nothing here tells whether an e-mail has an account: sign-up, "forgot password" and "send
the confirmation again" answer the same page for every address and mail the address what
happened.  Failed sign-ins are limited per account and per client address; mails anyone
can trigger are limited per target and per address (see ``core.extensions``).
"""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask import session as browser_session
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from core import extensions as limits
from core.db import get_session
from core.forms import (
    ForgotPasswordForm,
    ResendVerificationForm,
    SetPasswordForm,
    SignInForm,
    SignUpForm,
    VerifyEmailForm,
)
from core.models import User
from core.notifications import send_password_reset, send_sign_up_result, send_verification
from core.services import accounts
from core.services.errors import ServiceError
from core.sessions import sign_in, sign_out
from core.web import commit, form_status, signed_in_user

bp = Blueprint("auth", __name__, url_prefix="/auth")


def _safe_next(target: str | None) -> str:
    """A local ``next`` path, else "Beranda saya" (the site's front page counts as none)."""
    if target and target != "/" and target.startswith("/") and not target.startswith(("//", "/\\")):
        return target
    return url_for("me.index")


def resend_verification_quietly(user: User) -> bool:
    """Mail ``user`` a new confirmation link unless one went out recently; whether it did."""
    if not limits.spend_mail_budget("verify", user.email):
        return False
    send_verification(get_session(), user)
    return True


@bp.route("/login", methods=["GET", "POST"])
def login() -> ResponseReturnValue:
    """Sign in; failed attempts count per account and per client address (then 429)."""
    form = SignInForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        email = form.email.data or ""
        if not limits.signin_allowed(email):
            limits.too_many_requests()
        session = get_session()
        try:
            user = accounts.authenticate(session, email, form.password.data or "")
        except accounts.EmailNotVerified as unverified:
            address = unverified.user.email
            if resend_verification_quietly(unverified.user):
                commit()
                message = _(
                    "Confirm your e-mail first: we sent a new link to %(email)s.", email=address
                )
            else:
                message = _(
                    "Confirm your e-mail first: we sent a link to %(email)s recently.",
                    email=address,
                )
            form.email.errors = [message]
            return render_template("auth/login.html", form=form)
        if user is not None:
            sign_in(user, remember=bool(form.remember.data))
            return redirect(_safe_next(form.next.data))
        limits.count_failed_signin(email)
        form.password.errors = [_("Wrong e-mail or password.")]
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
def logout() -> ResponseReturnValue:
    """Sign out (a POST with a CSRF token, so links cannot sign people out).

    The server-side session ends too, so a copy of this browser's cookies stops working.
    """
    sign_out()
    return redirect(url_for("public.home"))


@bp.route("/signup", methods=["GET", "POST"])
def signup() -> ResponseReturnValue:
    """Create an unverified account; the same "check your mail" page for every address."""
    if signed_in_user() is not None:
        return redirect(url_for("me.index"))
    form = SignUpForm()
    error: ServiceError | None = None
    if form.validate_on_submit():
        email = accounts.clean_email_or_none(form.email.data or "")
        if email and not limits.spend_mail_budget("signup", email):
            limits.too_many_requests()
        session = get_session()
        try:
            result = accounts.sign_up(
                session,
                email=form.email.data or "",
                name=form.name.data or "",
                password=form.password.data or "",
                locale=_chosen_language(),
            )
        except ServiceError as exc:
            session.rollback()
            error = exc
            for field, problems in exc.fields.items():
                getattr(form, field).errors = [_(p) for p in problems]
        else:
            send_sign_up_result(session, result)
            commit()
            return render_template("auth/check_mail.html", email=result.user.email)
    return render_template("auth/signup.html", form=form), form_status(form, error)


def _chosen_language() -> str | None:
    """The language picked with the switcher before signing up, if any."""
    chosen = browser_session.get("lang")
    return chosen if chosen in current_app.config["LANGUAGES"] else None


@bp.route("/forgot", methods=["GET", "POST"])
def forgot_password() -> ResponseReturnValue:
    """Send a reset link; the answer is the same whether or not the e-mail is known."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        email = accounts.clean_email_or_none(form.email.data or "") or ""
        if not limits.spend_mail_budget("reset", email):
            limits.too_many_requests()
        session = get_session()
        user = accounts.find_user(session, email) if email else None
        if user is not None and user.is_active:
            send_password_reset(session, user)
            commit()
        flash(_("If an account uses that e-mail, a reset link is on its way."), "info")
        return redirect(url_for("auth.login"))
    return render_template("auth/forgot.html", form=form), form_status(form)


@bp.route("/verify", methods=["GET", "POST"])
def resend_verification() -> ResponseReturnValue:
    """Send a new e-mail confirmation link; the same answer whatever the address."""
    form = ResendVerificationForm()
    if form.validate_on_submit():
        email = accounts.clean_email_or_none(form.email.data or "") or ""
        if not limits.spend_mail_budget("verify", email):
            limits.too_many_requests()
        session = get_session()
        user = accounts.find_user(session, email) if email else None
        if user is not None and user.is_active and not accounts.is_verified(user):
            send_verification(session, user)
            commit()
        return render_template("auth/check_mail.html", email=email)
    return render_template("auth/resend_verification.html", form=form), form_status(form)


@bp.route("/verify/<token>", methods=["GET", "POST"])
def verify_email(token: str) -> ResponseReturnValue:
    """Confirm the e-mail: the mailed link plus the password chosen at sign-up.

    Opening the link (a mail scanner's GET) changes nothing; only a POST with the right
    password verifies, so somebody who signed up with another person's address can never
    confirm it.  Wrong passwords count as failed sign-ins.
    """
    session = get_session()
    user = accounts.read_password_token(
        session,
        current_app.config["SECRET_KEY"],
        token,
        current_app.config["EMAIL_VERIFICATION_MAX_AGE"],
        "verify",
    )
    if user is None:
        return render_template("auth/link_invalid.html"), 400
    form = VerifyEmailForm()
    if form.validate_on_submit():
        if not limits.signin_allowed(user.email):
            limits.too_many_requests()
        if accounts.verify_with_password(user, form.password.data or ""):
            sign_in(user)
            flash(
                _("Your e-mail is confirmed. Welcome to Gelar, %(name)s!", name=user.name),
                "success",
            )
            return redirect(url_for("me.index"))
        limits.count_failed_signin(user.email)
        form.password.errors = [_("That is not the password chosen when signing up.")]
    return render_template("auth/verify.html", form=form, user=user), form_status(form)


def _set_password_page(
    token: str, purpose: str, max_age_key: str, template: str
) -> ResponseReturnValue:
    session = get_session()
    user = accounts.read_password_token(
        session, current_app.config["SECRET_KEY"], token, current_app.config[max_age_key], purpose
    )
    if user is None:
        return render_template("auth/link_invalid.html"), 400
    form = SetPasswordForm()
    if form.validate_on_submit():
        accounts.set_password_from_link(user, form.password.data or "")
        # A new password ends every other session, remember-me cookie and API token.
        accounts.end_other_sessions(session, user)
        sign_in(user)
        flash(_("Your password is set. You are signed in."), "success")
        return redirect(url_for("me.index"))
    return render_template(template, form=form, user=user), form_status(form)


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str) -> ResponseReturnValue:
    """Choose a new password from an e-mailed link (single use, expires, verifies)."""
    return _set_password_page(token, "reset", "PASSWORD_RESET_MAX_AGE", "auth/reset.html")


@bp.route("/invitation/<token>", methods=["GET", "POST"])
def accept_invitation(token: str) -> ResponseReturnValue:
    """An invited user chooses a password (which verifies the e-mail) and is signed in."""
    return _set_password_page(token, "invite", "INVITATION_MAX_AGE", "auth/invitation.html")
