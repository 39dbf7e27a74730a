"""Security headers on every response, set in one ``after_request`` hook.

The Content-Security-Policy allows no inline script at all (every script is a static file
of core or a plugin, wired with ``data-`` attributes and ``addEventListener``) and no
``style=""`` attributes.  Inline ``<style>`` elements are allowed only with the request's
nonce (:func:`csp_nonce`, a Jinja global): the SVG floor plan carries its own stylesheet so
that it also renders when opened or downloaded on its own, and the agenda's grid positions
and track colours are per-item rules of a nonce'd ``<style>`` element.

``FRAME_ANCESTORS`` (default ``'none'``) is the CSP ``frame-ancestors`` source list: an
organizer who embeds Gelar (a vote kiosk) sets e.g. ``"'self' https://kiosk.example.id"``.
With ``'none'`` the response also carries ``X-Frame-Options: DENY`` for old browsers.
HSTS is sent only when ``ENV_NAME`` is ``production`` (served over HTTPS).
"""

from __future__ import annotations

import secrets

from flask import Flask, Response, g

PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
)
HSTS = "max-age=31536000; includeSubDomains"


def csp_nonce() -> str:
    """This request's CSP nonce for an inline ``<style>`` element (made on first use)."""
    nonce = g.get("csp_nonce")
    if nonce is None:
        nonce = g.csp_nonce = secrets.token_urlsafe(16)
    return str(nonce)


def content_security_policy(frame_ancestors: str, nonce: str | None) -> str:
    """The policy text; ``nonce`` (when the page used one) admits its inline styles."""
    style = "'self'" + (f" 'nonce-{nonce}'" if nonce else "")
    directives = [
        "default-src 'self'",
        "script-src 'self'",
        f"style-src {style}",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        f"frame-ancestors {frame_ancestors}",
    ]
    return "; ".join(directives)


def init_app(app: Flask) -> None:
    """Add the headers to every response of ``app`` and expose ``csp_nonce`` to templates."""
    app.jinja_env.globals["csp_nonce"] = csp_nonce
    frame_ancestors = str(app.config.get("FRAME_ANCESTORS") or "'none'").strip()
    production = app.config.get("ENV_NAME") == "production"

    @app.after_request
    def _security_headers(response: Response) -> Response:
        """Set the policy headers (a view that set its own CSP keeps it)."""
        headers = response.headers
        if "Content-Security-Policy" not in headers:
            headers["Content-Security-Policy"] = content_security_policy(
                frame_ancestors, g.get("csp_nonce")
            )
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", "same-origin")
        headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if frame_ancestors == "'none'":
            headers.setdefault("X-Frame-Options", "DENY")
        if production:
            headers.setdefault("Strict-Transport-Security", HSTS)
        return response
