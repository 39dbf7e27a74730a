"""Accounts: sign up, sign in (rate limited), sign out, password reset, invitations."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask import session as browser_session
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from core.db import get_session
from core.extensions import limiter, signin_key
from core.forms import ForgotPasswordForm, SetPasswordForm, SignInForm, SignUpForm
from core.notifications import send_password_reset
from core.services import accounts
from core.services.errors import ServiceError
from core.sessions import sign_in, sign_out
from core.web import commit, form_status, signed_in_user

bp = Blueprint("auth", __name__, url_prefix="/auth")


def _safe_next(target: str | None) -> str:
    if target and target.startswith("/") and not target.startswith(("//", "/\\")):
        return target
    return url_for("public.home")


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(
    lambda: current_app.config["SIGNIN_RATE_LIMIT"],
    key_func=signin_key,
    methods=["POST"],
    deduct_when=lambda response: response.status_code == 200,
)
def login() -> ResponseReturnValue:
    """Sign in; only failed attempts (the form shown again) count against the limit."""
    form = SignInForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        session = get_session()
        user = accounts.authenticate(session, form.email.data or "", form.password.data or "")
        if user is not None:
            sign_in(user, remember=bool(form.remember.data))
            return redirect(_safe_next(form.next.data))
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
    """Create an account and sign in."""
    if signed_in_user() is not None:
        return redirect(url_for("public.home"))
    form = SignUpForm()
    error: ServiceError | None = None
    if form.validate_on_submit():
        try:
            user = accounts.create_user(
                get_session(),
                email=form.email.data or "",
                name=form.name.data or "",
                password=form.password.data or "",
                locale=_chosen_language(),
            )
        except ServiceError as exc:
            get_session().rollback()
            error = exc
            for field, problems in exc.fields.items():
                getattr(form, field).errors = [_(p) for p in problems]
        else:
            sign_in(user)
            flash(_("Welcome to Gelar, %(name)s!", name=user.name), "success")
            return redirect(url_for("public.home"))
    return render_template("auth/signup.html", form=form), form_status(form, error)


def _chosen_language() -> str | None:
    """The language picked with the switcher before signing up, if any."""
    chosen = browser_session.get("lang")
    return chosen if chosen in current_app.config["LANGUAGES"] else None


@bp.route("/forgot", methods=["GET", "POST"])
@limiter.limit("5 per 15 minutes", methods=["POST"])
def forgot_password() -> ResponseReturnValue:
    """Send a reset link; the answer is the same whether or not the e-mail is known."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        session = get_session()
        user = accounts.find_user(session, form.email.data or "")
        if user is not None and user.is_active:
            send_password_reset(session, user)
            commit()
        flash(_("If an account uses that e-mail, a reset link is on its way."), "info")
        return redirect(url_for("auth.login"))
    return render_template("auth/forgot.html", form=form), form_status(form)


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
        accounts.set_password(user, form.password.data or "")
        # A new password ends every other session, remember-me cookie and API token.
        accounts.end_other_sessions(session, user)
        sign_in(user)
        flash(_("Your password is set. You are signed in."), "success")
        return redirect(url_for("public.home"))
    return render_template(template, form=form, user=user), form_status(form)


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str) -> ResponseReturnValue:
    """Choose a new password from an e-mailed link (single use, expires)."""
    return _set_password_page(token, "reset", "PASSWORD_RESET_MAX_AGE", "auth/reset.html")


@bp.route("/invitation/<token>", methods=["GET", "POST"])
def accept_invitation(token: str) -> ResponseReturnValue:
    """An invited user chooses a password and is signed in."""
    return _set_password_page(token, "invite", "INVITATION_MAX_AGE", "auth/invitation.html")
