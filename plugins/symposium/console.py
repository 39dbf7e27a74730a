"""Organizer console pages of the symposium: speakers (details, availability) and tracks.

The routes hang on the symposium blueprint of :mod:`plugins.symposium.views`; every write
goes through :mod:`plugins.symposium.services`, the same code the API uses.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from core.db import get_session
from core.files import send_upload
from core.services.errors import NotFound, ServiceError
from core.web import commit, current_event, organizer_required, signed_in_user
from plugins.symposium import photos, services
from plugins.symposium.forms import ActionForm, SpeakerForm, TrackForm, WindowForm
from plugins.symposium.services import programme_days
from plugins.symposium.views import bp


def _apply_errors(form: Any, exc: ServiceError) -> None:
    """Show a service error's field messages next to the form's fields."""
    for name, messages in (getattr(exc, "fields", None) or {}).items():
        target = getattr(form, name, None) or getattr(form, "starts", None)
        if target is not None and hasattr(target, "errors"):
            target.errors = [*list(target.errors or []), *messages]


def _window_form(target: Any) -> WindowForm:
    form = WindowForm(prefix="window")
    form.day.choices = [(d.isoformat(), d.isoformat()) for d in programme_days(target)]
    return form


def _speaker_or_404(target: Any, speaker_id: int) -> Any:
    try:
        return services.get_speaker(get_session(), target, speaker_id)
    except NotFound:
        abort(404)


# -- speakers ----------------------------------------------------------------------------


@bp.get("/manage/speakers")
@organizer_required
def speakers_page(event: str) -> ResponseReturnValue:
    """Every speaker of the event with their affiliation, e-mail and windows."""
    target = current_event()
    return render_template(
        "symposium/manage/speakers.html", speakers=services.speakers(get_session(), target)
    )


def _render_speaker(
    target: Any,
    speaker: Any,
    form: SpeakerForm | None = None,
    window: WindowForm | None = None,
    status: int = 200,
) -> ResponseReturnValue:
    if form is None:
        form = SpeakerForm(prefix="speaker", obj=speaker)
        form.email.data = speaker.email or ""
    zone = ZoneInfo(target.timezone)
    windows = [
        {"id": w.id, "start": w.starts_at.astimezone(zone), "end": w.ends_at.astimezone(zone)}
        for w in speaker.availability
    ]
    return (
        render_template(
            "symposium/manage/speaker.html",
            speaker=speaker,
            form=form,
            window=window or _window_form(target),
            windows=windows,
            action=ActionForm(),
        ),
        status,
    )


@bp.get("/manage/speakers/<int:speaker_id>")
@organizer_required
def speaker_edit(event: str, speaker_id: int) -> ResponseReturnValue:
    """The speaker's details form and availability windows."""
    target = current_event()
    return _render_speaker(target, _speaker_or_404(target, speaker_id))


@bp.post("/manage/speakers/<int:speaker_id>")
@organizer_required
def speaker_save(event: str, speaker_id: int) -> ResponseReturnValue:
    """Save name, e-mail, affiliation, bio and photo (URL or upload); errors by the fields.

    An uploaded photo replaces the URL; if it is refused, nothing at all is saved.
    """
    target = current_event()
    speaker = _speaker_or_404(target, speaker_id)
    form = SpeakerForm(prefix="speaker")
    if not form.validate_on_submit():
        return _render_speaker(target, speaker, form, status=422)
    db = get_session()
    user = signed_in_user()
    previous_photo = photos.uploaded_photo(db, target, speaker.photo_url)
    profile = services.SpeakerProfile(
        name=form.name.data or "",
        email=form.email.data or "",
        affiliation=form.affiliation.data or "",
        bio=form.bio.data or "",
        photo_url=form.photo_url.data or "",
    )
    try:
        saved = services.update_speaker(
            db, target, speaker_id, profile, actor_id=user.id if user else None
        )
        upload = form.photo.data
        if upload and getattr(upload, "filename", ""):
            photos.store_photo(
                db,
                target,
                saved,
                upload.stream.read(photos.MAX_PHOTO_BYTES + 1),
                upload.filename or "",
                upload_root=Path(current_app.config["UPLOAD_FOLDER"]),
                actor_id=user.id if user else None,
                event_limit=current_app.config["UPLOAD_QUOTA_EVENT_BYTES"],
            )
        photos.release_photo(db, target, previous_photo, Path(current_app.config["UPLOAD_FOLDER"]))
    except ServiceError as exc:
        db.rollback()
        _apply_errors(form, exc)
        flash(exc.message, "error")
        return _render_speaker(target, _speaker_or_404(target, speaker_id), form, status=exc.status)
    commit()
    flash(_("The speaker is saved."), "success")
    return redirect(url_for("symposium.speaker_edit", event=target.slug, speaker_id=speaker_id))


@bp.get("/photos/<int:upload_id>")
def photo(event: str, upload_id: int) -> ResponseReturnValue:
    """A speaker photo uploaded for this event (public; 404 for any other upload)."""
    target = current_event()
    root = Path(current_app.config["UPLOAD_FOLDER"])
    try:
        upload = photos.photo_file(get_session(), target, upload_id, root)
    except NotFound:
        abort(404)
    return send_upload(upload, max_age=3600)


@bp.post("/manage/speakers/<int:speaker_id>/availability")
@organizer_required
def window_add(event: str, speaker_id: int) -> ResponseReturnValue:
    """Add an availability window (day, from, until in the event's zone)."""
    target = current_event()
    speaker = _speaker_or_404(target, speaker_id)
    window = _window_form(target)
    if not window.validate_on_submit():
        return _render_speaker(target, speaker, window=window, status=422)
    zone = ZoneInfo(target.timezone)
    day = date.fromisoformat(window.day.data)

    def moment(hhmm: str) -> datetime:
        hour, minute = (int(x) for x in hhmm.split(":"))
        return datetime(day.year, day.month, day.day, hour, minute, tzinfo=zone)

    db = get_session()
    try:
        services.add_availability(
            db, target, speaker_id, moment(window.starts.data), moment(window.ends.data)
        )
    except ServiceError as exc:
        db.rollback()
        window.starts.errors = [*list(window.starts.errors or []), exc.message]
        flash(exc.message, "error")
        return _render_speaker(
            target, _speaker_or_404(target, speaker_id), window=window, status=exc.status
        )
    commit()
    flash(_("The window is added."), "success")
    return redirect(url_for("symposium.speaker_edit", event=target.slug, speaker_id=speaker_id))


@bp.post("/manage/speakers/<int:speaker_id>/availability/<int:window_id>/delete")
@organizer_required
def window_remove(event: str, speaker_id: int, window_id: int) -> ResponseReturnValue:
    """Remove an availability window."""
    target = current_event()
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        services.remove_availability(get_session(), target, speaker_id, window_id)
    except NotFound:
        abort(404)
    commit()
    flash(_("The window is removed."), "success")
    return redirect(url_for("symposium.speaker_edit", event=target.slug, speaker_id=speaker_id))


# -- tracks ------------------------------------------------------------------------------


def _render_tracks(
    target: Any,
    new: TrackForm | None = None,
    edited: tuple[int, TrackForm] | None = None,
    status: int = 200,
) -> ResponseReturnValue:
    forms = []
    for track in services.tracks(get_session(), target):
        if edited and edited[0] == track.id:
            forms.append((track, edited[1]))
        else:
            forms.append((track, TrackForm(prefix=f"track{track.id}", obj=track)))
    return (
        render_template(
            "symposium/manage/tracks.html",
            forms=forms,
            new=new or TrackForm(prefix="new"),
        ),
        status,
    )


@bp.get("/manage/tracks")
@organizer_required
def tracks_page(event: str) -> ResponseReturnValue:
    """The tracks with a rename/colour form each, and a form to add one."""
    return _render_tracks(current_event())


@bp.post("/manage/tracks")
@organizer_required
def track_add(event: str) -> ResponseReturnValue:
    """Add a track."""
    target = current_event()
    form = TrackForm(prefix="new")
    if not form.validate_on_submit():
        return _render_tracks(target, new=form, status=422)
    db = get_session()
    try:
        services.create_track(db, target, name=form.name.data, color=form.color.data)
    except ServiceError as exc:
        db.rollback()
        _apply_errors(form, exc)
        return _render_tracks(target, new=form, status=exc.status)
    commit()
    flash(_("The track is added."), "success")
    return redirect(url_for("symposium.tracks_page", event=target.slug))


@bp.post("/manage/tracks/<int:track_id>")
@organizer_required
def track_save(event: str, track_id: int) -> ResponseReturnValue:
    """Rename or recolour a track."""
    target = current_event()
    db = get_session()
    try:
        services.get_track(db, target, track_id)
    except NotFound:
        abort(404)
    form = TrackForm(prefix=f"track{track_id}")
    if not form.validate_on_submit():
        return _render_tracks(target, edited=(track_id, form), status=422)
    try:
        services.update_track(db, target, track_id, name=form.name.data, color=form.color.data)
    except ServiceError as exc:
        db.rollback()
        _apply_errors(form, exc)
        return _render_tracks(target, edited=(track_id, form), status=exc.status)
    commit()
    flash(_("The track is saved."), "success")
    return redirect(url_for("symposium.tracks_page", event=target.slug))
