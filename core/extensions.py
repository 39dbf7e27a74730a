"""Flask extensions shared by core and plugins, created unbound and initialised per app."""

from __future__ import annotations

from flask import request
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect

babel = Babel()
csrf = CSRFProtect()
login_manager = LoginManager()


def _signin_key() -> str:
    """Rate-limit key for sign-ins: client address plus the e-mail being tried."""
    email = ""
    if request.is_json:
        payload = request.get_json(silent=True)
        if isinstance(payload, dict):
            email = str(payload.get("email", ""))
    else:
        email = request.form.get("email", "")
    return f"{get_remote_address()}|{email.strip().lower()}"


limiter = Limiter(key_func=get_remote_address, default_limits=[], headers_enabled=True)
signin_key = _signin_key
