"""The offline judging app: its page, the judge's bundle, the web manifest, the service worker.

All four live under ``/<event>/voting/judge/`` so the service worker served here controls the
judge's pages (its scope is its own folder, no ``Service-Worker-Allowed`` header needed).
The page and the bundle are the judge's alone; the manifest and the worker are code and
names only, answered to anyone while the plugin is on (browsers fetch a manifest without
cookies).  Scores go back through the bulk save of the API (``PUT /api/v1/events/<event>/
scores``) with the browser session and a CSRF header; see ``docs/plugins/voting.md``.
"""

from __future__ import annotations

import json

from flask import Response, jsonify, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_wtf.csrf import generate_csrf

from core.api import error_body
from core.db import get_session, utcnow
from core.web import current_event, registry, signed_in_user
from plugins.voting import assignment, offline, visit_json, visits
from plugins.voting.judge_views import judge_required
from plugins.voting.views import STATIC, bp, voting_settings

CACHE_NAME = "gelar-judge-v1"


def app_strings() -> dict[str, str]:
    """The app's texts in the page's language (placeholders in braces, filled by the script)."""
    return {
        "progress": _("%(done)s of %(total)s scored", done="{done}", total="{total}"),
        "state_pending": _("to do"),
        "state_device": _("saved on this device"),
        "state_sent": _("sent (draft)"),
        "state_submitted": _("submitted"),
        "state_conflict": _("conflict"),
        "state_closed": _("not sent: scoring closed"),
        "state_invalid": _("not accepted"),
        "offline": _(
            "You are offline. Every change is saved on this device and sent when the "
            "network returns."
        ),
        "syncing": _("Sending…"),
        "synced": _("Everything on this device is sent."),
        "waiting": _("%(num)s sheets waiting to be sent.", num="{n}"),
        "last_sync": _("Last sync: %(when)s", when="{when}"),
        "never_synced": _("Not synced yet from this device."),
        "sync_failed": _("Could not reach the server; the sheets stay on this device."),
        "signed_out": _(
            "Your session has ended: sign in again to send the sheets (they stay on this device)."
        ),
        "closed": _(
            "Scoring closed before these sheets were sent. They are kept on this device; "
            "show them to the organizers."
        ),
        "not_on_panel": _("You are not on the panel of judges of this stage."),
        "ready_offline": _("Ready to work offline on this device."),
        "preparing": _("Preparing this device for offline use…"),
        "no_data": _("Open this page once with a network connection to prepare it."),
        "nothing": _("No innovations are assigned to you yet."),
        "back": _("My innovations to score"),
        "scale": _(
            "Scale %(low)s (lowest) to %(high)s (highest); weight %(weight)s.",
            low="{low}",
            high="{high}",
            weight="{weight}",
        ),
        "comment": _("Comment for the organizers (optional)"),
        "submit": _("Submit scores"),
        "draft": _("Keep as draft"),
        "saved_here": _("Saved on this device at %(when)s.", when="{when}"),
        "missing": _("Give a score for %(criterion)s.", criterion="{criterion}"),
        "range": _(
            "%(criterion)s: give a score from %(low)s to %(high)s.",
            criterion="{criterion}",
            low="{low}",
            high="{high}",
        ),
        "number": _("%(criterion)s: give a number.", criterion="{criterion}"),
        "conflict_title": _("Changed elsewhere"),
        "conflict_text": _(
            "This sheet was changed on another device or by the organizers after you began "
            "editing it here. Compare and choose which one to keep."
        ),
        "mine": _("On this device"),
        "theirs": _("On the server"),
        "keep_mine": _("Keep mine and send it"),
        "take_theirs": _("Use the server's"),
        "comment_label": _("Comment"),
        "status_label": _("Status"),
        "stage_closed": _("Scoring is closed; your scores can no longer change."),
        "install": _("Install the judging app"),
    }


@bp.get("/judge/app/")
@judge_required
def judge_app(event: str) -> ResponseReturnValue:
    """The judging app's page: the queue and the scoring sheet, drawn from the device's copy."""
    user = signed_in_user()
    assert user is not None
    return render_template(
        "voting/judge_app.html",
        judge=user,
        strings=app_strings(),
        cache_name=CACHE_NAME,
    )


@bp.get("/judge/app/data.json")
def judge_app_data(event: str) -> ResponseReturnValue:
    """The judge's bundle (:func:`offline.judge_bundle`), the judge's own booth visits in
    time order (``visits``, :func:`visit_json.route_json`) and a fresh CSRF token for sending.

    JSON errors instead of the sign-in page: 401 signed out, 403 not a judge of the event.
    """
    target = current_event()
    user = signed_in_user()
    if user is None:
        return jsonify(error_body("unauthorized", _("Sign in to continue."))), 401
    session = get_session()
    if not assignment.is_judge(session, target, user):
        return jsonify(error_body("forbidden", _("You are not a judge of this event."))), 403
    bundle = offline.judge_bundle(
        session,
        target,
        user,
        settings=voting_settings(target),
        locale=str(get_locale()),
        now=utcnow(),
    )
    bundle["visits"] = [
        visit_json.route_json(row)
        for row in visits.rows(session, registry(), target, judge_id=user.id)
    ]
    bundle["csrf_token"] = generate_csrf()
    response = jsonify(bundle)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/judge/manifest.webmanifest")
def judge_manifest(event: str) -> ResponseReturnValue:
    """The web app manifest that makes the judging app installable (in the page's language)."""
    target = current_event()
    scope = url_for("voting.judge_queue", event=target.slug)
    icon = "voting.asset"
    body = {
        "name": _("Judging · %(event)s", event=target.name),
        "short_name": _("Judging"),
        "lang": str(get_locale()),
        "start_url": url_for("voting.judge_app", event=target.slug),
        "scope": scope,
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#14532d",
        "icons": [
            {
                "src": url_for(icon, event=target.slug, filename=f"judge-icon-{size}.png"),
                "sizes": f"{size}x{size}",
                "type": "image/png",
                "purpose": "any",
            }
            for size in (192, 512)
        ],
    }
    return Response(json.dumps(body, ensure_ascii=False), mimetype="application/manifest+json")


@bp.get("/judge/sw.js")
def judge_service_worker(event: str) -> ResponseReturnValue:
    """The service worker (a static file) served from the judge folder, so its scope covers it.

    Never cached by HTTP, so browsers pick up a new version at the next visit.
    """
    response = Response(
        (STATIC / "judge_sw.js").read_text(encoding="utf-8"), mimetype="text/javascript"
    )
    response.headers["Cache-Control"] = "no-cache"
    return response
