"""The wizard's "documents" step: one labelled upload per required document (issue 15).

Each required document has its own small form (phone-friendly: pick a file, send); a
stored one can be replaced, and removed while the registration is a draft.  The
organizers see and download them on the registration's page.
"""

from __future__ import annotations

from typing import Any

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField

from core.db import get_session, utcnow
from core.forms import EmptyForm
from core.i18n import translate
from core.models import Event
from core.services.errors import Conflict, NotFound, ServiceError
from core.web import apply_service_errors, commit, current_event
from plugins.registration import documents, services
from plugins.registration.models import Registration
from plugins.registration.uploads import MAX_DOCUMENT_BYTES
from plugins.registration.views import (
    _registration_for,
    _window_page,
    bp,
    event_settings,
    steps_for,
)

ACCEPT = "application/pdf,image/png,image/jpeg,image/gif,image/webp"


class DocumentForm(FlaskForm):
    """One required document's file."""

    file = FileField(
        _l("File (PDF or image, at most 10 MB)"), render_kw={"accept": ACCEPT, "required": True}
    )


def storage() -> documents.Storage:
    """The upload folder and storage caps of this application."""
    config = current_app.config
    return documents.Storage(
        upload_dir=config["UPLOAD_FOLDER"],
        registration_limit=config["UPLOAD_QUOTA_REGISTRATION_BYTES"],
        event_limit=config["UPLOAD_QUOTA_EVENT_BYTES"],
    )


def documents_page(
    target: Event,
    registration: Registration,
    token: str,
    settings: Any,
    *,
    failed: str | None = None,
    failed_form: DocumentForm | None = None,
    error: ServiceError | None = None,
) -> ResponseReturnValue:
    """The documents step, with the refused upload's message next to its document."""
    slots = documents.slots(get_session(), registration, settings)
    forms = {slot.key: DocumentForm(prefix=slot.key) for slot in slots}
    if failed is not None and failed_form is not None:
        forms[failed] = failed_form
    page = render_template(
        "registration/step_documents.html",
        form=EmptyForm(),
        step="documents",
        steps=steps_for(settings),
        registration=registration,
        token=token,
        slots=slots,
        forms=forms,
        remove_form=EmptyForm(),
    )
    status = error.status if error is not None else (422 if failed_form is not None else 200)
    return page, status


def _editable(target: Event, token: str) -> tuple[Registration, Any] | ResponseReturnValue:
    registration = _registration_for(target, token)
    settings = event_settings(target)
    if "documents" not in steps_for(settings):
        abort(404)
    if registration.status not in services.EDITABLE_STATUSES:
        flash(_("This registration can no longer be changed."), "error")
        return redirect(url_for("registration.status", event=target.slug, token=token))
    if settings.window_state(utcnow()) != "open":
        return _window_page(target, Conflict("closed"))
    return registration, settings


def _back(target: Event, token: str) -> ResponseReturnValue:
    return redirect(url_for("registration.step", event=target.slug, token=token, step="documents"))


@bp.post("/r/<token>/documents/<key>")
def upload_document(event: str, token: str, key: str) -> ResponseReturnValue:
    """Store (or replace) the file of required document ``key``."""
    target = current_event()
    found = _editable(target, token)
    if not isinstance(found, tuple):
        return found
    registration, settings = found
    if key not in {d.key for d in documents.required(settings)}:
        abort(404)
    session = get_session()
    form = DocumentForm(prefix=key)
    upload = form.file.data
    if not form.validate_on_submit() or not getattr(upload, "filename", None):
        if not form.file.errors and not form.errors.get("csrf_token"):
            form.file.errors = [_("Choose a file to upload.")]
        return documents_page(target, registration, token, settings, failed=key, failed_form=form)
    try:
        documents.store(
            session,
            target,
            registration,
            settings,
            documents.DocumentInput(key, upload.filename, upload.read(MAX_DOCUMENT_BYTES + 1)),
            storage(),
        )
    except ServiceError as exc:
        session.rollback()
        registration = _registration_for(target, token)
        exc.fields = {"file": list(exc.fields.get(f"documents.{key}", []))} if exc.fields else {}
        apply_service_errors(form, exc)
        return documents_page(
            target, registration, token, settings, failed=key, failed_form=form, error=exc
        )
    commit()
    flash(_("Document saved."), "success")
    return _back(target, token)


@bp.post("/r/<token>/documents/<key>/remove")
def remove_document(event: str, token: str, key: str) -> ResponseReturnValue:
    """Remove the draft's file of document ``key``."""
    target = current_event()
    found = _editable(target, token)
    if not isinstance(found, tuple):
        return found
    registration, _settings = found
    if EmptyForm().validate_on_submit():
        session = get_session()
        try:
            documents.remove(session, registration, key, storage())
        except NotFound:
            abort(404)
        except ServiceError as exc:
            session.rollback()
            flash(translate(exc.message), "error")
            return _back(target, token)
        commit()
        flash(_("Document removed."), "success")
    return _back(target, token)
