"""Organizer console pages under ``/<event>/exhibitors/manage/``: zones, booths, imports."""

from __future__ import annotations

from typing import Any

from flask import Response, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from core.db import get_session
from core.services.errors import ServiceError
from core.web import actor_id, commit, current_event, organizer_required
from plugins.exhibitors import booth_import, services, transfer
from plugins.exhibitors.forms import AssignForm, BoothForm, CsvForm, SwapForm, ZoneForm, choices
from plugins.exhibitors.views import bp, floor_of

MAX_CSV_BYTES = 2_000_000


def _error_text(exc: ServiceError) -> str:
    details = [p for problems in exc.fields.values() for p in problems]
    unassigned = exc.extra.get("unassigned")
    if unassigned:
        details.append(
            _("Without a booth: %(names)s", names=", ".join(o["name"] for o in unassigned))
        )
    return " ".join([exc.message, *details[:5]])


def _booth_page(**forms: Any) -> ResponseReturnValue:
    """The booths console page with its forms (fresh ones unless given)."""
    target = current_event()
    session = get_session()
    booths = services.list_booths(session, target)
    exhibitors = services.list_exhibitors(session, target)
    codes = choices(
        [
            (b.code, f"{b.code} · {b.organization.name if b.organization else _('free')}")
            for b in booths
        ]
    )
    assign = forms.get("assign") or AssignForm(prefix="assign")
    assign.booth.choices = codes
    assign.organization.choices = choices(
        [(e.organization.id, e.organization.name) for e in exhibitors]
    )
    swap = forms.get("swap") or SwapForm(prefix="swap")
    swap.first.choices = codes
    swap.second.choices = codes
    return render_template(
        "exhibitors/manage/booths.html",
        booths=booths,
        exhibitors=exhibitors,
        zones=services.list_zones(session, target),
        zone_form=forms.get("zone") or ZoneForm(prefix="zone"),
        booth_form=forms.get("booth") or BoothForm(prefix="booth"),
        csv_form=forms.get("csv") or CsvForm(prefix="csv"),
        assign_form=assign,
        swap_form=swap,
        floor=floor_of(target),
        without=sum(1 for e in exhibitors if e.booth is None),
        free=sum(1 for b in booths if b.organization_id is None),
    )


def _done(message: str) -> ResponseReturnValue:
    commit()
    flash(message, "success")
    return redirect(url_for("exhibitors.manage", event=current_event().slug))


def _refused(exc: ServiceError, **forms: Any) -> ResponseReturnValue:
    get_session().rollback()
    flash(_error_text(exc), "error")
    return _booth_page(**forms), exc.status


@bp.get("/manage/")
@organizer_required
def manage(event: str) -> ResponseReturnValue:
    """Zones, booths, assignment and exports of the event."""
    return _booth_page()


@bp.post("/manage/zones")
@organizer_required
def add_zone(event: str) -> ResponseReturnValue:
    """Create or update a zone."""
    form = ZoneForm(prefix="zone")
    if not form.validate_on_submit():
        return _booth_page(zone=form), 422
    try:
        services.save_zone(
            get_session(),
            current_event(),
            form.name.data or "",
            preferred_kind=form.preferred_kind.data,
            preferred_category=form.preferred_category.data,
            actor_id=actor_id(),
        )
    except ServiceError as exc:
        return _refused(exc, zone=form)
    return _done(_("Zone saved."))


@bp.post("/manage/booths")
@organizer_required
def add_booth(event: str) -> ResponseReturnValue:
    """Place one booth; overlaps and duplicate codes are refused with the other booth named."""
    form = BoothForm(prefix="booth")
    if not form.validate_on_submit():
        return _booth_page(booth=form), 422
    target = current_event()
    spec = services.BoothSpec(
        form.code.data or "",
        form.zone.data or "",
        form.x.data or 0,
        form.y.data or 0,
        form.width.data or 0,
        form.height.data or 0,
    )
    try:
        services.add_booth(get_session(), target, spec, floor=floor_of(target), actor_id=actor_id())
    except ServiceError as exc:
        return _refused(exc, booth=form)
    return _done(_("Booth %(code)s added.", code=spec.code))


def _csv_text(form: CsvForm) -> str | None:
    data = form.file.data.read(MAX_CSV_BYTES + 1)
    if len(data) > MAX_CSV_BYTES:
        form.file.errors = [_("The file is larger than 2 MB.")]
        return None
    try:
        return str(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        form.file.errors = [_("Save the file as UTF-8 CSV.")]
        return None


@bp.post("/manage/booths/import")
@organizer_required
def import_booths(event: str) -> ResponseReturnValue:
    """Booths from CSV (code, zone, x, y, width, height): all rows or none."""
    form = CsvForm(prefix="csv")
    text = _csv_text(form) if form.validate_on_submit() else None
    if text is None:
        return _booth_page(csv=form), 422
    target = current_event()
    try:
        specs = transfer.parse_booths(text)
        added = booth_import.import_booths(
            get_session(), target, specs, floor=floor_of(target), actor_id=actor_id()
        )
    except ServiceError as exc:
        return _refused(exc, csv=form)
    return _done(_("%(count)d booths imported.", count=added))


@bp.post("/manage/booths/assign")
@organizer_required
def assign_booth(event: str) -> ResponseReturnValue:
    """Give a booth to an exhibitor by hand (automatic assignment will not move it)."""
    target = current_event()
    session = get_session()
    form = AssignForm(prefix="assign")
    form.booth.choices = choices([(b.code, b.code) for b in services.list_booths(session, target)])
    form.organization.choices = choices(
        [
            (e.organization.id, e.organization.name)
            for e in services.list_exhibitors(session, target)
        ]
    )
    if not form.validate_on_submit():
        return _booth_page(assign=form), 422
    try:
        services.assign_booth(
            session, target, form.booth.data, form.organization.data, actor_id=actor_id()
        )
    except ServiceError as exc:
        return _refused(exc)
    return _done(_("Booth %(code)s assigned.", code=form.booth.data))


@bp.post("/manage/booths/swap")
@organizer_required
def swap_booths(event: str) -> ResponseReturnValue:
    """Exchange the exhibitors of two booths."""
    target = current_event()
    session = get_session()
    form = SwapForm(prefix="swap")
    codes = choices([(b.code, b.code) for b in services.list_booths(session, target)])
    form.first.choices = codes
    form.second.choices = codes
    if not form.validate_on_submit():
        return _booth_page(swap=form), 422
    try:
        services.swap_booths(
            session, target, form.first.data, form.second.data, actor_id=actor_id()
        )
    except ServiceError as exc:
        return _refused(exc)
    return _done(_("Booths %(a)s and %(b)s swapped.", a=form.first.data, b=form.second.data))


@bp.post("/manage/booths/<code>/free")
@organizer_required
def free_booth(event: str, code: str) -> ResponseReturnValue:
    """Take a booth back from its exhibitor."""
    try:
        services.unassign_booth(get_session(), current_event(), code, actor_id=actor_id())
    except ServiceError as exc:
        return _refused(exc)
    return _done(_("Booth %(code)s is free.", code=code))


@bp.post("/manage/booths/<code>/delete")
@organizer_required
def delete_booth(event: str, code: str) -> ResponseReturnValue:
    """Remove a booth from the floor plan."""
    try:
        services.delete_booth(get_session(), current_event(), code, actor_id=actor_id())
    except ServiceError as exc:
        return _refused(exc)
    return _done(_("Booth %(code)s removed.", code=code))


@bp.post("/manage/booths/auto")
@organizer_required
def auto_assign(event: str) -> ResponseReturnValue:
    """Give every exhibitor without a booth a free one (all or nothing)."""
    group = request.form.get("group_by_zone", "y") not in ("", "0", "n")
    try:
        result = services.auto_assign(
            get_session(), current_event(), group_by_zone=group, actor_id=actor_id()
        )
    except ServiceError as exc:
        return _refused(exc)
    return _done(_("%(count)d exhibitors received a booth.", count=len(result.placed)))


@bp.get("/manage/exhibitors.<fmt>")
@organizer_required
def export_exhibitors(event: str, fmt: str) -> ResponseReturnValue:
    """The exhibitor list with booths as CSV or XLSX."""
    target = current_event()
    exhibitors = services.list_exhibitors(get_session(), target)
    name = f"{target.slug}-exhibitors.{fmt}"
    disposition = {"Content-Disposition": f'attachment; filename="{name}"'}
    if fmt == "csv":
        return Response(
            transfer.exhibitors_csv(exhibitors), mimetype="text/csv", headers=disposition
        )
    if fmt == "xlsx":
        return Response(
            transfer.exhibitors_xlsx(exhibitors),
            mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            headers=disposition,
        )
    return Response(status=404)


@bp.route("/manage/innovations/import", methods=["GET", "POST"])
@organizer_required
def import_innovations(event: str) -> ResponseReturnValue:
    """Accepted innovations from CSV; one bad row refuses the whole file."""
    target = current_event()
    form = CsvForm()
    status = 200
    if request.method == "POST":
        text = _csv_text(form) if form.validate_on_submit() else None
        if text is None:
            status = 422
        else:
            try:
                result = transfer.import_innovations(
                    get_session(), target, text, actor_id=actor_id()
                )
            except ServiceError as exc:
                get_session().rollback()
                form.file.errors = list(exc.fields.get("file") or [exc.message])
                status = exc.status
            else:
                commit()
                flash(
                    _(
                        "%(innovations)d innovations imported, %(updated)d updated,"
                        " %(organizations)d new agencies.",
                        innovations=result.innovations,
                        updated=result.updated,
                        organizations=result.organizations,
                    ),
                    "success",
                )
                return redirect(url_for("exhibitors.index", event=target.slug))
    return render_template(
        "exhibitors/manage/import_innovations.html",
        form=form,
        columns=transfer.INNOVATION_COLUMNS,
    ), status
