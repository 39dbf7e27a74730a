"""The exhibitor portal: "my booth" (map, innovations, profile) and the profile editor."""

from __future__ import annotations

from pathlib import Path

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from markupsafe import Markup

from core.db import get_session
from core.models import Organization
from core.services.errors import Forbidden, ServiceError
from core.web import commit, current_event, is_event_organizer, signed_in_user
from plugins.exhibitors import floorplan, profiles, search, services
from plugins.exhibitors.forms import ProfileForm
from plugins.exhibitors.views import bp, floor_of, fresh_search_entries

SOCIAL_FIELDS = ("instagram", "facebook", "x", "youtube")


@bp.get("/my")
def my_booth(event: str) -> ResponseReturnValue:
    """For a signed-in exhibitor: each of their agencies' booth, innovations and profile."""
    user = signed_in_user()
    if user is None:
        return current_app.login_manager.unauthorized()  # type: ignore[attr-defined]
    target = current_event()
    session = get_session()
    fresh_search_entries(target)
    mine = {o.id for o in profiles.member_organizations(session, user)}
    exhibitors = [e for e in services.list_exhibitors(session, target) if e.organization.id in mine]
    booths = services.list_booths(session, target) if exhibitors else []
    cards = []
    for exhibitor in exhibitors:
        items, _total = search.search(
            session,
            target,
            search.CatalogueQuery(organization_id=exhibitor.organization.id),
            limit=100,
        )
        booth_map = (
            Markup(
                floorplan.render_svg(
                    target.slug,
                    booths,
                    floor_of(target),
                    highlighted={exhibitor.booth.id},
                    title=exhibitor.organization.name,
                )
            )
            if exhibitor.booth
            else None
        )
        cards.append((exhibitor, items, booth_map))
    return render_template("exhibitors/my.html", cards=cards)


@bp.route("/agencies/<int:organization_id>/edit", methods=["GET", "POST"])
def edit_profile(event: str, organization_id: int) -> ResponseReturnValue:
    """Edit an exhibitor profile: the agency's members and the organizers only (403)."""
    user = signed_in_user()
    if user is None:
        return current_app.login_manager.unauthorized()  # type: ignore[attr-defined]
    target = current_event()
    session = get_session()
    organization = session.get(Organization, organization_id)
    if organization is None or not services.is_exhibitor(session, target, organization_id):
        abort(404)  # a profile belongs to an exhibitor of this event, not to any agency
    try:
        profiles.check_can_edit(
            session, user, organization_id, is_organizer=is_event_organizer(target)
        )
    except Forbidden:
        abort(403)
    profile = profiles.get_profile(session, target, organization_id)
    form = ProfileForm()
    if not form.is_submitted() and profile is not None:
        form.description.data = profile.description
        form.website.data = profile.website or ""
        for name in SOCIAL_FIELDS:
            getattr(form, name).data = profile.social_links.get(name, "")
        form.staff_on_duty.data = "\n".join(profile.staff_on_duty)
    status = 200
    if form.validate_on_submit():
        data = profiles.ProfileData(
            description=form.description.data or "",
            website=form.website.data or "",
            social_links={n: getattr(form, n).data or "" for n in SOCIAL_FIELDS},
            staff_on_duty=(form.staff_on_duty.data or "").splitlines(),
        )
        try:
            profiles.save_profile(session, target, organization_id, data, actor_id=user.id)
            upload = form.logo.data
            if upload and getattr(upload, "filename", ""):
                profiles.store_logo(
                    session,
                    target,
                    organization_id,
                    upload.read(profiles.MAX_LOGO_BYTES + 1),
                    upload.filename,
                    upload_dir=Path(current_app.config["UPLOAD_FOLDER"]) / "exhibitors",
                    actor_id=user.id,
                    event_limit=current_app.config["UPLOAD_QUOTA_EVENT_BYTES"],
                )
        except ServiceError as exc:
            session.rollback()
            for name, problems in exc.fields.items():
                field = getattr(form, name, None)
                if field is not None:
                    field.errors = list(problems)
            flash(exc.message, "error")
            status = exc.status
        else:
            commit()
            flash(_("Profile saved."), "success")
            return redirect(
                url_for(
                    "exhibitors.edit_profile", event=target.slug, organization_id=organization_id
                )
            )
    elif form.is_submitted():
        status = 422
    return render_template(
        "exhibitors/profile_form.html", form=form, organization=organization, profile=profile
    ), status
