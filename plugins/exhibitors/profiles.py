"""Exhibitor profiles: who may edit them, validation and storage (logo included)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.models import Event, Membership, Organization, Upload, User
from core.services import accounts, audit, images, uploads
from core.services.errors import Forbidden, NotFound, ValidationFailed
from plugins.exhibitors.models import ExhibitorProfile

SOCIAL_NETWORKS = ("instagram", "facebook", "x", "youtube", "tiktok")
MAX_STAFF = 20
MAX_LOGO_BYTES = 5_000_000
# Logos are shown at most this big; larger ones are scaled down (aspect kept) when stored.
LOGO_MAX_SIDE = 512


@dataclass
class ProfileData:
    """Plain values of a profile edit."""

    description: str = ""
    website: str = ""
    social_links: dict[str, str] = field(default_factory=dict)
    staff_on_duty: list[str] = field(default_factory=list)


def is_member(session: Session, user: User | None, organization_id: int) -> bool:
    """Whether ``user`` belongs to the organization (never while the e-mail is unverified)."""
    if user is None or not accounts.is_verified(user):
        return False
    found = session.scalar(
        select(Membership.id).where(
            Membership.user_id == user.id, Membership.organization_id == organization_id
        )
    )
    return found is not None


def member_organizations(session: Session, user: User | None) -> list[Organization]:
    """Organizations ``user`` belongs to, by name (none while the e-mail is unverified)."""
    if user is None or not accounts.is_verified(user):
        return []
    return list(
        session.scalars(
            select(Organization)
            .join(Membership, Membership.organization_id == Organization.id)
            .where(Membership.user_id == user.id)
            .order_by(Organization.name)
        )
    )


def check_can_edit(
    session: Session, user: User | None, organization_id: int, *, is_organizer: bool
) -> None:
    """403 unless ``user`` is a member of the organization or organizes the event."""
    if is_organizer or is_member(session, user, organization_id):
        return
    raise Forbidden(_("Only the agency's own staff and the organizers may edit this profile."))


def get_profile(session: Session, event: Event, organization_id: int) -> ExhibitorProfile | None:
    """The organization's profile at the event, if written."""
    return session.scalar(
        select(ExhibitorProfile).where(
            ExhibitorProfile.event_id == event.id,
            ExhibitorProfile.organization_id == organization_id,
        )
    )


def _valid_url(value: str) -> bool:
    parsed = urlparse(value)
    return parsed.scheme in ("http", "https") and bool(parsed.netloc) and len(value) <= 300


def _validate(data: ProfileData) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}
    if len(data.description) > 5000:
        fields["description"] = [_("At most 5000 characters.")]
    if data.website and not _valid_url(data.website):
        fields["website"] = [_("Give a web address starting with http:// or https://.")]
    for network, url in data.social_links.items():
        if network not in SOCIAL_NETWORKS:
            fields[network] = [_("Unknown social network.")]
        elif url and not _valid_url(url):
            fields[network] = [_("Give a web address starting with http:// or https://.")]
    if len(data.staff_on_duty) > MAX_STAFF or any(len(n) > 120 for n in data.staff_on_duty):
        fields["staff_on_duty"] = [
            _("At most %(count)d names of up to 120 characters.", count=MAX_STAFF)
        ]
    return fields


def save_profile(
    session: Session,
    event: Event,
    organization_id: int,
    data: ProfileData,
    *,
    actor_id: int | None = None,
) -> ExhibitorProfile:
    """Create or update the profile; 422 with fields on invalid values (nothing changed)."""
    if session.get(Organization, organization_id) is None:
        raise NotFound(_("Unknown agency."))
    data.description = data.description.strip()
    data.website = data.website.strip()
    data.social_links = {k: v.strip() for k, v in data.social_links.items() if v and v.strip()}
    data.staff_on_duty = [n.strip() for n in data.staff_on_duty if n.strip()]
    fields = _validate(data)
    if fields:
        raise ValidationFailed(_("Some fields are invalid."), fields=fields)
    profile = get_profile(session, event, organization_id)
    if profile is None:
        profile = ExhibitorProfile(event_id=event.id, organization_id=organization_id)
        session.add(profile)
    profile.description = data.description
    profile.website = data.website or None
    profile.social_links = data.social_links
    profile.staff_on_duty = data.staff_on_duty
    session.flush()
    audit.record(
        session,
        "exhibitors.profile_saved",
        event_id=event.id,
        user_id=actor_id,
        organization_id=organization_id,
    )
    return profile


def store_logo(
    session: Session,
    event: Event,
    organization_id: int,
    content: bytes,
    filename: str,
    *,
    upload_dir: Path,
    actor_id: int | None = None,
    event_limit: int | None = None,
) -> Upload:
    """Store a logo checked by content (PNG/JPEG, at most 5 MB) and link it to the profile.

    The image must decode within the pixel budget; it is stored re-encoded (no metadata,
    nothing appended) to fit 512 by 512, under a random name in ``upload_dir`` (the upload
    folder's ``exhibitors/``).  Anything else (an SVG, a script renamed ``.png``, a broken
    or enormous image) is refused with 422, an event past its storage cap with 413.  The
    previous logo is deleted after the transaction commits.
    """
    scaled = images.scaled_copy(content, LOGO_MAX_SIDE) if len(content) <= MAX_LOGO_BYTES else None
    if scaled is None:
        raise ValidationFailed(
            _("The logo must be a PNG or JPEG image of at most 5 MB."),
            fields={"logo": [_("Upload a PNG or JPEG image of at most 5 MB.")]},
        )
    content, content_type, extension = scaled
    uploads.check_quota(
        session, event_id=event.id, adding=len(content), event_limit=event_limit, field="logo"
    )
    upload_root = upload_dir.parent
    relative = uploads.write_file(session, upload_root, upload_dir.name, extension, content)
    upload = Upload(
        event_id=event.id,
        owner_user_id=actor_id,
        filename=(Path(filename).name or f"logo.{extension}")[:255],
        content_type=content_type,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        storage_path=relative,
    )
    session.add(upload)
    session.flush()
    profile = get_profile(session, event, organization_id)
    if profile is None:
        profile = ExhibitorProfile(event_id=event.id, organization_id=organization_id)
        session.add(profile)
    previous = session.get(Upload, profile.logo_upload_id) if profile.logo_upload_id else None
    profile.logo_upload_id = upload.id
    session.flush()
    if previous is not None:
        uploads.discard(session, upload_root, [previous])
    return upload
