"""Registration pages under ``/<event>/registration/``: the exhibitor's steps, the status
page, visitors' sign-up; the organizers' review, exports and check-in desk under
``manage/``."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import segno
from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask import (
    session as browser_session,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from core import extensions as limits
from core.db import get_db, get_session, utcnow
from core.files import send_upload
from core.forms import EmptyForm
from core.i18n import translate
from core.models import Event, Upload, VisitorPass
from core.services import accounts, history, privacy
from core.services import uploads as file_store
from core.services.errors import Conflict, ServiceError, ValidationFailed
from core.web import (
    actor_id,
    apply_service_errors,
    commit,
    current_event,
    form_status,
    organizer_required,
    registry,
    signed_in_user,
)
from plugins.registration import (
    documents,
    eligibility,
    exports,
    mails,
    reentry,
    services,
    visitors,
)
from plugins.registration.forms import (
    CETTAR_LABELS,
    KIND_LABELS,
    BulkDecisionForm,
    CheckInForm,
    ContactForm,
    DecisionForm,
    NotesForm,
    OrganizationForm,
    VisitorForm,
    innovations_form_class,
    review_form_class,
)
from plugins.registration.models import REGISTRATION_STATUSES, Registration
from plugins.registration.uploads import MAX_DOCUMENT_BYTES, store_document

bp = Blueprint(
    "registration", __name__, url_prefix="/<event>/registration", template_folder="templates"
)
STEPS = ("organization", "contact", "innovations", "documents", "review")
_DRAFTS_KEY = "registration_drafts"
# Short names of the eligibility rules (the flag column of the organizers' list).
RULE_LABELS = {
    "min_months_in_operation": _l("not running long enough"),
    "exclude_awarded_within_years": _l("awarded recently"),
    "required_documents": _l("documents missing"),
    "max_innovations_per_organization": _l("too many innovations"),
}


def event_settings(event: object) -> services.RegistrationSettings:
    """The event's registration settings as a validated model."""
    return services.event_settings(event)  # type: ignore[arg-type]


def steps_for(settings: Any) -> tuple[str, ...]:
    """The wizard's steps: "documents" only when the event requires documents."""
    if settings.eligibility.required_documents:
        return STEPS
    return tuple(s for s in STEPS if s != "documents")


def _window_page(target: Event, exc: Conflict) -> ResponseReturnValue:
    settings = event_settings(target)
    return (
        render_template(
            "registration/closed.html", settings=settings, state=settings.window_state(utcnow())
        ),
        409,
    )


def _remember_draft(target: Event, registration: Registration) -> None:
    drafts = dict(browser_session.get(_DRAFTS_KEY) or {})
    drafts[target.slug] = mails.status_token(registration.id)
    browser_session[_DRAFTS_KEY] = drafts


def _remembered_token(target: Event) -> str | None:
    return (browser_session.get(_DRAFTS_KEY) or {}).get(target.slug)


# --- public: about, register, status -------------------------------------------------------


@bp.get("/")
def index(event: str) -> ResponseReturnValue:
    """The registration window, the categories, the rules, and how many agencies registered."""
    target = current_event()
    settings = event_settings(target)
    session = get_session()
    counts = services.registration_counts(session, target)
    places = services.places(session, target)
    return render_template(
        "registration/index.html",
        settings=settings,
        state=settings.window_state(utcnow()),
        organizations=counts.organizations,
        places=places,
        draft_token=_remembered_token(target),
    )


@bp.route("/register", methods=["GET", "POST"])
def register(event: str) -> ResponseReturnValue:
    """Step 1: the agency.  Saving creates the draft and leads to its private address."""
    target = current_event()
    settings = event_settings(target)
    if settings.window_state(utcnow()) != "open":
        return _window_page(target, Conflict("closed"))
    session = get_session()
    form = OrganizationForm()
    error: ServiceError | None = None
    duplicate_id: int | None = None
    if form.validate_on_submit():
        try:
            registration = services.start_draft(
                session,
                target,
                services.OrganizationInput(
                    name=form.name.data, kind=form.kind.data, region=form.region.data
                ),
                now=utcnow(),
            )
        except ServiceError as exc:
            error = exc
            duplicate_id = exc.extra.get("registration_id")  # type: ignore[assignment]
            apply_service_errors(form, exc, "organization.")
        else:
            commit()
            _remember_draft(target, registration)
            return redirect(
                url_for(
                    "registration.step",
                    event=target.slug,
                    token=mails.status_token(registration.id),
                    step="contact",
                )
            )
    return render_template(
        "registration/step_organization.html",
        form=form,
        step="organization",
        steps=steps_for(settings),
        registration=None,
        token=None,
        known=services.known_organizations(session),
        duplicate_id=duplicate_id,
    ), form_status(form, error)


@bp.post("/resend/<int:registration_id>")
def resend_link(event: str, registration_id: int) -> ResponseReturnValue:
    """Mail the status link of an agency's registration again to its contact person."""
    target = current_event()
    session = get_session()
    registration = services.get_registration(session, target, registration_id)
    if EmptyForm().validate_on_submit() and registration.status != "draft":
        if not limits.spend_mail_budget("registration", f"{target.id}:{registration.id}"):
            limits.too_many_requests()
        mails.send_received(session, target, registration)
        commit()
        flash(_("We sent the link to the contact person of that registration again."), "success")
    return redirect(url_for("registration.index", event=target.slug))


def _registration_for(target: Event, token: str) -> Registration:
    registration_id = mails.read_status_token(token)
    if registration_id is None:
        abort(404)
    try:
        return services.get_registration(get_session(), target, registration_id)
    except ServiceError:
        abort(404)


@bp.get("/r/<token>/")
def status(event: str, token: str) -> ResponseReturnValue:
    """The registration's status page (its address is the contact's key to it)."""
    target = current_event()
    registration = _registration_for(target, token)
    settings = event_settings(target)
    claim, claim_reason = services.claim_state(get_session(), registration)
    return render_template(
        "registration/status.html",
        registration=registration,
        claim=claim,
        claim_reason=claim_reason,
        token=token,
        settings=settings,
        editable=registration.status in services.EDITABLE_STATUSES
        and settings.window_state(utcnow()) == "open",
        form=EmptyForm(),
        questions={q.id: q for q in settings.questions},
    )


def _innovation_entries(form: Any, count: int) -> list[Any]:
    return [getattr(form, f"innovation_{i}") for i in range(count)]


@bp.route("/r/<token>/<step>", methods=["GET", "POST"])
def step(event: str, token: str, step: str) -> ResponseReturnValue:
    """Steps 1 to 4 of a saved draft (or of a pending registration being edited)."""
    target = current_event()
    if step not in steps_for(event_settings(target)):
        abort(404)
    registration = _registration_for(target, token)
    if registration.status not in services.EDITABLE_STATUSES:
        flash(_("This registration can no longer be changed."), "error")
        return redirect(url_for("registration.status", event=target.slug, token=token))
    settings = event_settings(target)
    if settings.window_state(utcnow()) != "open":
        return _window_page(target, Conflict("closed"))
    handler = {
        "organization": _step_organization,
        "contact": _step_contact,
        "innovations": _step_innovations,
        "documents": _step_documents,
        "review": _step_review,
    }[step]
    return handler(target, registration, token, settings)


def _next(target: Event, token: str, step: str) -> ResponseReturnValue:
    return redirect(url_for("registration.step", event=target.slug, token=token, step=step))


def _render_step(
    template: str, form: Any, step: str, registration: Registration, token: str, **extra: Any
) -> str:
    return render_template(
        template,
        form=form,
        step=step,
        steps=steps_for(event_settings(current_event())),
        registration=registration,
        token=token,
        **extra,
    )


def _step_organization(
    target: Event, registration: Registration, token: str, settings: Any
) -> ResponseReturnValue:
    session = get_session()
    organization = registration.organization
    form = OrganizationForm(
        data={"name": organization.name, "kind": organization.kind, "region": organization.region}
        if request.method == "GET"
        else None
    )
    error: ServiceError | None = None
    duplicate_id = None
    if form.validate_on_submit():
        try:
            services.update_organization(
                session,
                target,
                registration,
                services.OrganizationInput(form.name.data, form.kind.data, form.region.data),
                now=utcnow(),
            )
        except ServiceError as exc:
            error = exc
            duplicate_id = exc.extra.get("registration_id")
            apply_service_errors(form, exc, "organization.")
        else:
            commit()
            return _next(target, token, "contact")
    page = _render_step(
        "registration/step_organization.html",
        form,
        "organization",
        registration,
        token,
        known=services.known_organizations(session),
        duplicate_id=duplicate_id,
    )
    return page, form_status(form, error)


def _step_contact(
    target: Event, registration: Registration, token: str, settings: Any
) -> ResponseReturnValue:
    form = ContactForm(
        data={
            "name": registration.contact_name,
            "email": registration.contact_email,
            "phone": registration.contact_phone,
        }
        if request.method == "GET"
        else None
    )
    error: ServiceError | None = None
    if form.validate_on_submit():
        try:
            services.update_contact(
                get_session(),
                target,
                registration,
                services.ContactInput(form.name.data, form.email.data, form.phone.data),
                now=utcnow(),
            )
        except ServiceError as exc:
            error = exc
            apply_service_errors(form, exc, "contact.")
        else:
            commit()
            return _next(target, token, "innovations")
    page = _render_step("registration/step_contact.html", form, "contact", registration, token)
    return page, form_status(form, error)


def _innovation_data(registration: Registration, count: int) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for index, innovation in enumerate(registration.innovations[:count]):
        data[f"innovation_{index}"] = {
            "title": innovation.title,
            "summary": innovation.summary,
            "category": innovation.category,
            "year_launched": innovation.year_launched,
            "cettar": list(innovation.cettar or []),
            **reentry.form_links(get_session(), innovation),
        }
    return data


def _step_innovations(
    target: Event, registration: Registration, token: str, settings: Any
) -> ResponseReturnValue:
    session = get_session()
    count = settings.max_innovations_per_organization
    form_class = innovations_form_class(count)
    form = form_class(
        data=_innovation_data(registration, count) if request.method == "GET" else None
    )
    entries = _innovation_entries(form, count)
    choices = [SelectChoice("", _("Choose a category"))]
    choices += [SelectChoice(c, c) for c in settings.categories]
    for entry in entries:
        entry.form.category.choices = choices
    error: ServiceError | None = None
    document_ids = {i: inn.document_upload_id for i, inn in enumerate(registration.innovations)}
    if form.validate_on_submit():
        items: list[services.InnovationInput] = []
        positions: list[int] = []
        for index, entry in enumerate(entries):
            sub = entry.form
            if sub.is_blank():
                continue
            items.append(
                services.InnovationInput(
                    title=sub.title.data or "",
                    summary=sub.summary.data or "",
                    category=sub.category.data or "",
                    year_launched=sub.year_launched.data,
                    cettar=list(sub.cettar.data or []),
                    document_upload_id=document_ids.get(index),
                    launched_on=sub.launched_on.data,
                    previous_id=_hidden_id(sub.previous.data),
                    replicates_id=_hidden_id(sub.replicates.data),
                )
            )
            positions.append(index)
        try:
            if not items:
                raise ValidationFailed(
                    "no innovation",
                    fields={"innovation_0.title": ["Add at least one innovation."]},
                )
            before = _documents(session, registration)
            kept = {item.document_upload_id for item in items} - {None}
            used = sum(u.size for u in before.values() if u.id in kept)
            used += documents.labelled_bytes(session, registration)
            for item, index in zip(items, positions, strict=True):
                upload = entries[index].form.document.data
                if getattr(upload, "filename", None):
                    data = upload.read(MAX_DOCUMENT_BYTES + 1)
                    previous = before.get(item.document_upload_id or 0)
                    stored = store_document(
                        session,
                        current_app.config["UPLOAD_FOLDER"],
                        data,
                        upload.filename,
                        event_id=target.id,
                        field=f"innovation_{index}.document",
                        registration_bytes=used - (previous.size if previous else 0),
                        registration_limit=current_app.config["UPLOAD_QUOTA_REGISTRATION_BYTES"],
                        event_limit=current_app.config["UPLOAD_QUOTA_EVENT_BYTES"],
                    )
                    used += stored.size - (previous.size if previous else 0)
                    item.document_upload_id = stored.id
            services.replace_innovations(session, target, registration, items, now=utcnow())
            # Documents no longer named by any innovation: rows now, files after the commit.
            still = {item.document_upload_id for item in items}
            file_store.discard(
                session,
                current_app.config["UPLOAD_FOLDER"],
                [u for u in before.values() if u.id not in still],
            )
        except ServiceError as exc:
            session.rollback()
            error = _renumber(exc, positions)
            apply_service_errors(form, error)
        else:
            commit()
            following = "documents" if settings.eligibility.required_documents else "review"
            return _next(target, token, following)
    page = _render_step(
        "registration/step_innovations.html",
        form,
        "innovations",
        registration,
        token,
        entries=entries,
        settings=settings,
        documents=_documents(session, registration),
        earlier=history.earlier_innovations(session, registration.organization_id, before=target),
        again_form=EmptyForm(),
        links={i.id: reentry.link_labels(session, i) for i in registration.innovations},
    )
    return page, form_status(form, error)


def _hidden_id(value: Any) -> int | None:
    """A hidden field's innovation id (``None`` when empty or not a number)."""
    text = str(value or "").strip()
    return int(text) if text.isdigit() and 0 < len(text) < 11 else None


def _renumber(exc: ServiceError, positions: list[int]) -> ServiceError:
    """Service field names count only filled entries; the form counts every entry."""
    fields: dict[str, list[str]] = {}
    for name, problems in exc.fields.items():
        parts = name.split(".")
        if parts[0] == "innovations" and len(parts) > 2 and parts[1].isdigit():
            position = positions[int(parts[1])] if int(parts[1]) < len(positions) else 0
            name = f"innovation_{position}.{'.'.join(parts[2:])}"
        elif parts[0] == "innovations":
            name = "innovation_0.title"
        fields[name] = problems
    exc.fields = fields
    return exc


def _documents(session: Any, registration: Registration) -> dict[int, Upload]:
    ids = [i.document_upload_id for i in registration.innovations if i.document_upload_id]
    if not ids:
        return {}
    return {u.id: u for u in session.scalars(select(Upload).where(Upload.id.in_(ids)))}


def _step_documents(
    target: Event, registration: Registration, token: str, settings: Any
) -> ResponseReturnValue:
    if request.method == "POST":
        return _next(target, token, "review")
    return document_views.documents_page(target, registration, token, settings)


def _step_review(
    target: Event, registration: Registration, token: str, settings: Any
) -> ResponseReturnValue:
    session = get_session()
    form_class = review_form_class(settings.questions, bool(settings.terms))
    initial: dict[str, Any] = {}
    for question in settings.questions:
        value = (registration.answers or {}).get(question.id)
        if question.kind == "yesno" and isinstance(value, bool):
            value = "yes" if value else "no"
        initial[question.id] = value
    if settings.terms:
        initial["terms_accepted"] = registration.terms_accepted
    form = form_class(data=initial if request.method == "GET" else None)
    error: ServiceError | None = None
    if form.validate_on_submit():
        answers = {q.id: getattr(form, q.id).data for q in settings.questions}
        terms = bool(getattr(form, "terms_accepted", None) and form.terms_accepted.data)
        try:
            services.set_answers(
                session, target, registration, answers, terms_accepted=terms, now=utcnow()
            )
            if registration.status == "draft":
                services.submit_draft(session, registry(), target, registration, now=utcnow())
            privacy.record_consents(
                session,
                target,
                request.form.getlist("consent"),
                user=signed_in_user(),
                email=registration.contact_email or None,
            )
        except ServiceError as exc:
            session.rollback()
            error = exc
            apply_service_errors(form, exc, "answers.")
        else:
            commit()
            flash(
                _("Your registration was sent. We e-mailed you the link to this page.")
                if registration.submitted_at and registration.status == "pending"
                else _("Saved."),
                "success",
            )
            return redirect(url_for("registration.status", event=target.slug, token=token))
    page = _render_step(
        "registration/step_review.html",
        form,
        "review",
        registration,
        token,
        settings=settings,
        documents=_documents(session, registration),
        required_slots=documents.slots(session, registration, settings),
    )
    return page, form_status(form, error)


@bp.post("/r/<token>/withdraw")
def withdraw(event: str, token: str) -> ResponseReturnValue:
    """Withdraw the registration (a freed place goes to the wait list)."""
    target = current_event()
    registration = _registration_for(target, token)
    if EmptyForm().validate_on_submit():
        services.withdraw(get_session(), registry(), target, registration, now=utcnow())
        commit()
        flash(_("Your registration is withdrawn."), "success")
    return redirect(url_for("registration.status", event=target.slug, token=token))


@bp.post("/r/<token>/accept")
def accept_offer(event: str, token: str) -> ResponseReturnValue:
    """Take the place offered to a wait-listed registration."""
    target = current_event()
    registration = _registration_for(target, token)
    if EmptyForm().validate_on_submit():
        try:
            services.accept_offer(get_session(), registry(), target, registration, now=utcnow())
        except Conflict as exc:
            flash(translate(exc.message), "error")
            return redirect(url_for("registration.status", event=target.slug, token=token))
        commit()
        flash(_("You took the place. Welcome, exhibitor!"), "success")
    return redirect(url_for("registration.status", event=target.slug, token=token))


# --- visitors ------------------------------------------------------------------------------


def _event_today(target: Event) -> Any:
    return utcnow().astimezone(ZoneInfo(target.timezone)).date()


def _spend_visitor_budget(email: Any) -> None:
    """429 when this address or this client asked for passes too often (mail limits)."""
    clean = accounts.clean_email_or_none(email)
    if clean and not limits.spend_mail_budget("visitor", clean, address_key=limits.VISITOR_ADDRESS):
        limits.too_many_requests()


@bp.route("/visit", methods=["GET", "POST"])
def visitor_signup(event: str) -> ResponseReturnValue:
    """Visitors sign up with name and e-mail; the pass (with a QR code) arrives by e-mail."""
    target = current_event()
    form = VisitorForm()
    error: ServiceError | None = None
    if form.validate_on_submit():
        _spend_visitor_budget(form.email.data)
        try:
            visitor_pass, created = visitors.register_visitor(
                get_session(),
                target,
                form.name.data,
                form.email.data,
                today=_event_today(target),
                user=signed_in_user(),
            )
        except ServiceError as exc:
            error = exc
            apply_service_errors(form, exc)
        else:
            email, code = visitor_pass.holder_email, visitor_pass.code
            privacy.record_consents(
                get_session(),
                target,
                request.form.getlist("consent"),
                user=signed_in_user(),
                email=email,
            )
            commit()
            # Only a pass made just now is shown: an earlier one goes to its mailbox alone.
            svg = Markup(segno.make(code, error="m").svg_inline(border=2, omitsize=True))
            return render_template(
                "registration/visitor_sent.html",
                email=email,
                code=code if created else None,
                svg=svg if created else None,
            )
    return render_template("registration/visitor_signup.html", form=form), form_status(form, error)


@bp.get("/pass/<code>")
def visitor_pass(event: str, code: str) -> ResponseReturnValue:
    """A visitor's pass as a QR code (the link in the pass e-mail)."""
    target = current_event()
    found = get_session().scalar(
        select(VisitorPass).where(VisitorPass.event_id == target.id, VisitorPass.code == code)
    )
    if found is None:
        abort(404)
    svg = Markup(segno.make(found.code, error="m").svg_inline(border=2, omitsize=True))
    return render_template("registration/visitor_pass.html", visitor_pass=found, svg=svg)


# --- organizers ----------------------------------------------------------------------------


@bp.get("/manage/")
@organizer_required
def manage(event: str) -> ResponseReturnValue:
    """Registrations with counts per status, search and filters, and bulk decisions."""
    target = current_event()
    session = get_session()
    status = request.args.get("status") or None
    if status not in (None, *REGISTRATION_STATUSES):
        status = None
    kind = request.args.get("kind") or None
    category = request.args.get("category") or None
    q = (request.args.get("q") or "").strip()[:200]
    offset = max(request.args.get("offset", 0, type=int) or 0, 0)
    items, total = services.list_registrations(
        session, target, status=status, q=q, category=category, kind=kind, limit=100, offset=offset
    )
    settings = event_settings(target)
    return render_template(
        "registration/manage_list.html",
        items=items,
        total=total,
        offset=offset,
        counts=services.status_counts(session, target),
        filters={"status": status, "kind": kind, "category": category, "q": q},
        settings=settings,
        kinds=KIND_LABELS,
        bulk=BulkDecisionForm(),
        places=services.places(session, target),
        claims=services.claim_states(session, target, items),
        flags=eligibility.flagged(session, target, items, settings),
        flagged_total=eligibility.count_flagged(session, target, settings),
        rule_labels=RULE_LABELS,
    )


@bp.post("/manage/bulk")
@organizer_required
def manage_bulk(event: str) -> ResponseReturnValue:
    """Apply one decision to the ticked registrations; refusals are listed."""
    target = current_event()
    form = BulkDecisionForm()
    if not form.validate_on_submit() or not form.ids.data:
        flash(_("Tick at least one registration."), "error")
        return redirect(url_for("registration.manage", event=target.slug))
    result = services.decide_many(
        get_session(),
        registry(),
        target,
        list(form.ids.data),
        form.status.data,
        form.reason.data or "",
        actor_id=actor_id(),
        now=utcnow(),
    )
    commit()
    if result.decided:
        flash(_("%(count)d registrations decided.", count=len(result.decided)), "success")
    for registration_id, message in result.refused.items():
        flash(
            _("Registration #%(id)d: %(problem)s", id=registration_id, problem=_(message)), "error"
        )
    return redirect(url_for("registration.manage", event=target.slug))


def _detail_page(
    target: Event,
    registration: Registration,
    decision: DecisionForm | None = None,
    notes: NotesForm | None = None,
    status: int = 200,
) -> ResponseReturnValue:
    settings = event_settings(target)
    claim, claim_reason = services.claim_state(get_session(), registration)
    return (
        render_template(
            "registration/manage_detail.html",
            registration=registration,
            claim=claim,
            claim_reason=claim_reason,
            decision=decision or DecisionForm(),
            notes_form=notes or NotesForm(data={"notes": registration.notes}),
            questions={q.id: q for q in settings.questions},
            documents=_documents(get_session(), registration),
            kinds=KIND_LABELS,
            cettar=CETTAR_LABELS,
            eligibility_problems=eligibility.check(get_session(), target, registration, settings),
            required_documents=documents.required(settings),
            labelled_documents=documents.uploaded(get_session(), registration),
        ),
        status,
    )


@bp.get("/manage/<int:registration_id>")
@organizer_required
def manage_detail(event: str, registration_id: int) -> ResponseReturnValue:
    """One registration: agency, contact, innovations, answers, decision and notes."""
    target = current_event()
    registration = services.get_registration(get_session(), target, registration_id)
    return _detail_page(target, registration)


@bp.post("/manage/<int:registration_id>/decision")
@organizer_required
def manage_decide(event: str, registration_id: int) -> ResponseReturnValue:
    """Approve, reject or wait-list with a reason (the contact is e-mailed)."""
    target = current_event()
    session = get_session()
    registration = services.get_registration(session, target, registration_id)
    form = DecisionForm()
    if not form.validate_on_submit():
        return _detail_page(target, registration, decision=form, status=422)
    try:
        services.decide(
            session,
            registry(),
            target,
            registration,
            form.status.data,
            form.reason.data or "",
            actor_id=actor_id(),
            now=utcnow(),
        )
    except ServiceError as exc:
        session.rollback()
        registration = services.get_registration(session, target, registration_id)
        apply_service_errors(form, exc)
        return _detail_page(target, registration, decision=form, status=exc.status)
    commit()
    flash(_("Decision saved; the contact person was e-mailed."), "success")
    return redirect(
        url_for("registration.manage_detail", event=target.slug, registration_id=registration_id)
    )


@bp.post("/manage/<int:registration_id>/notes")
@organizer_required
def manage_notes(event: str, registration_id: int) -> ResponseReturnValue:
    """Save the organizers' internal notes."""
    target = current_event()
    session = get_session()
    registration = services.get_registration(session, target, registration_id)
    form = NotesForm()
    if not form.validate_on_submit():
        return _detail_page(target, registration, notes=form, status=422)
    services.set_notes(session, target, registration, form.notes.data or "", actor_id=actor_id())
    commit()
    flash(_("Notes saved."), "success")
    return redirect(
        url_for("registration.manage_detail", event=target.slug, registration_id=registration_id)
    )


@bp.get("/manage/documents/<int:upload_id>")
@organizer_required
def manage_document(event: str, upload_id: int) -> ResponseReturnValue:
    """An innovation's document, for the organizers."""
    target = current_event()
    upload = get_session().get(Upload, upload_id)
    if upload is None or upload.event_id != target.id:
        abort(404)
    return send_upload(upload)


@bp.get("/manage/export.<fmt>")
@organizer_required
def manage_export(event: str, fmt: str) -> ResponseReturnValue:
    """Every registration with its innovations and answers, as CSV or XLSX.

    It carries the contacts' personal data unless ``?contacts=0``; every export is audited
    (who, when, which export).
    """
    if fmt not in ("csv", "xlsx"):
        abort(404)
    target = current_event()
    session = get_session()
    contacts = request.args.get("contacts", "1") != "0"
    items, _total = services.list_registrations(session, target, limit=100000)
    settings = event_settings(target)
    rows = exports.registration_rows(items, settings.questions, contacts=contacts)
    # A GET reads; the audit entry is written in its own short transaction.
    with get_db().transaction() as writer:
        privacy.record_export(
            writer,
            target,
            actor_id=actor_id(),
            export=f"registrations.{fmt}" + ("" if contacts else " (no contacts)"),
            personal=contacts,
        )
    name = f"registrations-{target.slug}.{fmt}"
    if fmt == "csv":
        body, mimetype = exports.to_csv(rows), "text/csv; charset=utf-8"
    else:
        body = exports.to_xlsx(rows, _("Registrations"))
        mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return current_app.response_class(
        body, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )


@bp.route("/manage/checkin", methods=["GET", "POST"])
@organizer_required
def checkin(event: str) -> ResponseReturnValue:
    """The check-in desk: a scanned or typed code marks the pass checked in."""
    target = current_event()
    session = get_session()
    form = CheckInForm()
    result: VisitorPass | None = None
    error: ServiceError | None = None
    if form.validate_on_submit():
        try:
            result = visitors.check_in(session, target, form.code.data, now=utcnow())
        except visitors.AlreadyCheckedIn as exc:
            error = exc
            form.code.errors = [
                _(
                    "Already checked in at %(time)s.",
                    time=_clock(exc.checked_in_at, target.timezone),
                )
            ]
        except ServiceError as exc:
            error = exc
            apply_service_errors(form, exc)
        else:
            commit()
            form = CheckInForm(formdata=None)
    counts = visitors.visitor_counts(session, target)
    return render_template(
        "registration/checkin.html", form=form, result=result, counts=counts
    ), form_status(form, error)


def _clock(moment: datetime, tz: str) -> str:
    """HH:MM in the event's time zone."""
    return moment.astimezone(ZoneInfo(tz)).strftime("%H:%M")


# Routes of the other registration pages (enter again, replications; required documents).
from plugins.registration import document_views, history_views  # noqa: E402,F401
