"""The account page: name and language, password, sessions, API tokens, "Data saya", erasure."""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, Response, current_app, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from core.db import get_session
from core.forms import ChangePasswordForm, EraseAccountForm, ProfileForm
from core.i18n import LANGUAGE_NAMES
from core.models import User
from core.services import accounts, privacy
from core.services import sessions as session_service
from core.services.errors import NotFound, ServiceError
from core.sessions import current_session_id, lifetimes, sign_out
from core.web import apply_service_errors, commit, registry, signed_in_user

bp = Blueprint("account", __name__, url_prefix="/account")


@bp.before_request
def _signed_in_only() -> ResponseReturnValue | None:
    """Every page here needs a signed-in person (others go to the sign-in page)."""
    if signed_in_user() is None:
        return current_app.login_manager.unauthorized()  # type: ignore[attr-defined,no-any-return]
    return None


def _user() -> User:
    user = signed_in_user()
    assert user is not None  # guaranteed by _signed_in_only
    return user


def _profile_form(user: User) -> ProfileForm:
    form = ProfileForm(prefix="profile")
    form.locale.choices = [
        (code, LANGUAGE_NAMES.get(code, code)) for code in current_app.config["LANGUAGES"]
    ]
    if not form.is_submitted():
        form.name.data = user.name
        form.locale.data = user.locale or current_app.config["BABEL_DEFAULT_LOCALE"]
    return form


def _page(
    profile: ProfileForm | None = None,
    password: ChangePasswordForm | None = None,
    erase: EraseAccountForm | None = None,
    status: int = 200,
) -> ResponseReturnValue:
    user = _user()
    session = get_session()
    idle, remembered = lifetimes()
    return render_template(
        "account/index.html",
        user=user,
        profile_form=profile or _profile_form(user),
        password_form=password or ChangePasswordForm(prefix="password"),
        erase_form=erase or EraseAccountForm(prefix="erase"),
        sessions=session_service.list_sessions(session, user, idle=idle, remembered=remembered),
        current_session=current_session_id(),
        tokens=accounts.list_api_tokens(session, user),
    ), status


@bp.get("/")
def index() -> ResponseReturnValue:
    """The person's account: profile, password, sessions and tokens."""
    return _page()


@bp.post("/profile")
def update_profile() -> ResponseReturnValue:
    """Change the name and the language of the pages and mails."""
    user = _user()
    form = _profile_form(user)
    if not form.validate_on_submit():
        return _page(profile=form, status=422)
    user.name = (form.name.data or "").strip() or user.name
    user.locale = form.locale.data
    commit()
    flash(_("Your account is saved."), "success")
    return redirect(url_for("account.index"))


@bp.post("/password")
def change_password() -> ResponseReturnValue:
    """Change the password; every other session and every API token ends."""
    user = _user()
    form = ChangePasswordForm(prefix="password")
    if not form.validate_on_submit():
        return _page(password=form, status=422)
    session = get_session()
    try:
        ended, revoked = accounts.change_password(
            session,
            user,
            form.current_password.data or "",
            form.new_password.data or "",
            keep=current_session_id(),
        )
    except ServiceError as exc:
        session.rollback()
        apply_service_errors(form, exc)
        return _page(password=form, status=exc.status)
    commit()
    flash(
        _(
            "Your password is changed. Signed out elsewhere: %(sessions)s other sessions,"
            " %(tokens)s API tokens.",
            sessions=ended,
            tokens=revoked,
        ),
        "success",
    )
    return redirect(url_for("account.index"))


@bp.post("/sessions/<int:session_id>/end")
def end_session(session_id: int) -> ResponseReturnValue:
    """Sign one of the person's browsers out (this one: an ordinary sign-out)."""
    if session_id == current_session_id():
        sign_out()
        flash(_("You are signed out."), "info")
        return redirect(url_for("auth.login"))
    if not session_service.end_session(get_session(), _user(), session_id):
        flash(_("That session has already ended."), "info")
        return redirect(url_for("account.index"))
    commit()
    flash(_("The session is ended; that device is signed out."), "success")
    return redirect(url_for("account.index"))


@bp.post("/tokens/<int:token_id>/revoke")
def revoke_token(token_id: int) -> ResponseReturnValue:
    """Revoke one of the person's API tokens."""
    try:
        accounts.revoke_api_token(get_session(), _user(), token_id)
    except NotFound:
        flash(_("That token is already revoked."), "info")
        return redirect(url_for("account.index"))
    commit()
    flash(_("The API token is revoked."), "success")
    return redirect(url_for("account.index"))


@bp.post("/sign-out-everywhere")
def sign_out_everywhere() -> ResponseReturnValue:
    """End every session of the person (this one too) and revoke every API token."""
    user = _user()
    accounts.end_other_sessions(get_session(), user)
    commit()
    sign_out()
    flash(_("You are signed out on every device, and your API tokens are revoked."), "info")
    return redirect(url_for("auth.login"))


@bp.get("/data")
def data() -> ResponseReturnValue:
    """ "Data saya": everything Gelar stores about the person, with a JSON download."""
    collected = privacy.collect(get_session(), registry(), _user())
    return render_template(
        "account/data.html",
        data=collected,
        sections=[key for key in collected if key != "account"],
    )


@bp.get("/data.json")
def data_download() -> ResponseReturnValue:
    """The same data as ``GET /api/v1/me/data``, as a file to keep."""
    collected = privacy.collect(get_session(), registry(), _user())
    body = json.dumps(collected, ensure_ascii=False, indent=2, sort_keys=True)
    return Response(
        body,
        mimetype="application/json",
        headers={"Content-Disposition": 'attachment; filename="data-saya-gelar.json"'},
    )


@bp.post("/consents/<int:consent_id>/withdraw")
def withdraw_consent(consent_id: int) -> ResponseReturnValue:
    """Withdraw a consent the person gave (photos, newsletter)."""
    if privacy.withdraw_consent(get_session(), _user(), consent_id):
        commit()
        flash(_("Your consent is withdrawn."), "success")
    else:
        flash(_("That consent is already withdrawn."), "info")
    return redirect(url_for("account.data"))


@bp.post("/erase")
def erase() -> ResponseReturnValue:
    """Erase the account and the person's data everywhere (password and a ticked box)."""
    user = _user()
    form = EraseAccountForm(prefix="erase")
    if not form.validate_on_submit():
        return _page(erase=form, status=422)
    session = get_session()
    try:
        privacy.erase_own_account(session, registry(), user, form.password.data or "")
    except ServiceError as exc:
        session.rollback()
        apply_service_errors(form, exc)
        return _page(erase=form, status=exc.status)
    commit()
    sign_out()
    flash(_("Your account and your personal data are erased."), "info")
    return redirect(url_for("public.home"))


def device_label(user_agent: str) -> str:
    """A short, readable name for a browser's user agent ("Firefox on Android")."""
    text = user_agent or ""
    browser = next(
        (
            name
            for key, name in (
                ("Edg/", "Edge"),
                ("OPR/", "Opera"),
                ("SamsungBrowser", "Samsung Internet"),
                ("Firefox/", "Firefox"),
                ("Chrome/", "Chrome"),
                ("Safari/", "Safari"),
            )
            if key in text
        ),
        None,
    )
    system = next(
        (
            name
            for key, name in (
                ("Android", "Android"),
                ("iPhone", "iPhone"),
                ("iPad", "iPad"),
                ("Windows", "Windows"),
                ("Mac OS X", "macOS"),
                ("Linux", "Linux"),
            )
            if key in text
        ),
        None,
    )
    if browser and system:
        return _("%(browser)s on %(system)s", browser=browser, system=system)
    return browser or system or (text[:60] if text else _("Unknown device"))


@bp.app_template_global("device_label")
def _device_label_global(user_agent: str) -> Any:
    return device_label(user_agent)
