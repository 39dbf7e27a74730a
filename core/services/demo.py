"""The demo: the 2019 East Java exhibition and symposium, seeded idempotently."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.db import utcnow
from core.models import Award, Event, Innovation, Membership, Organization, User
from core.plugins import PluginRegistry
from core.services import accounts, cloning, history, plugin_settings, roles
from core.services.demo_data import AGENCIES, CATEGORIES, DEMO_JUDGES

DEMO_SLUG = "jatim-2019"
DEMO_NAME = "Pameran dan Simposium Inovasi Pelayanan Publik Jawa Timur 2019"
DEMO_VENUE = "Taman Blambangan, Banyuwangi"
DEMO_DATE = date(2019, 4, 24)
# The exhibition runs three days (the symposium on the first): room for the judges' booth
# visits of every assignment within each day's opening hours.
DEMO_DAYS = 3
# Demo accounts: (e-mail, name, password, site admin). Printed by ``gelar demo``.
DEMO_ADMIN = ("admin@demo.gelar.id", "Admin Gelar", "gelar-admin-2019", True)
DEMO_ORGANIZER = ("panitia@demo.gelar.id", "Rina Kusumawati", "gelar-panitia-2019", False)
DEMO_EXHIBITOR = ("samsat@demo.gelar.id", "Agus Santoso", "gelar-peserta-2019", False)
DEMO_JUDGE_PASSWORD = "gelar-juri-2019"
EXHIBITOR_AGENCY = "Badan Pendapatan Daerah Provinsi Jawa Timur"
# The upcoming edition: cloned from 2019, starting this many days after the seeding day.
UPCOMING_IN_DAYS = 30
UPCOMING_INNOVATIONS = 24
#: Awards of the 2019 edition, given to its first innovations (issue 15).
DEMO_AWARDS = ("Juara I", "Juara II", "Juara III", "Top 45", "Top 45", "Pilihan Publik")
#: How many entries of the live edition replicate another agency's 2019 innovation.
DEMO_REPLICATIONS = 3
UPCOMING_NAME = "Pameran dan Simposium Inovasi Pelayanan Publik Jawa Timur {year}"
CONTENT = Path(__file__).resolve().parent.parent / "demo_content"


def agency_names() -> dict[str, dict[str, Any]]:
    """The demo agencies' short names and aliases by name (``demo_content/agency_names.json``)."""
    data = json.loads((CONTENT / "agency_names.json").read_text(encoding="utf-8"))
    return dict(data["agencies"])


@dataclass
class DemoContext:
    """What the core demo created, handed to each plugin's ``event_demo_data``."""

    event: Event
    organizer: User
    judges: list[User]
    exhibitor: User
    organizations: list[Organization]
    innovations: list[Innovation]
    accounts: list[tuple[str, str, str]] = field(default_factory=list)
    upcoming: Event | None = None

    def describe(self) -> str:
        """A summary for the terminal, with the demo accounts and their passwords."""
        lines = [
            f"Demo event '{self.event.slug}': {self.event.name}",
            f"  {len(self.organizations)} agencies, {len(self.innovations)} innovations, "
            f"plugins: {', '.join(self.event.enabled_plugin_names)}",
            "  Demo accounts (e-mail / password):",
        ]
        lines += [f"    {role:<10} {email} / {password}" for role, email, password in self.accounts]
        if self.upcoming is not None:
            lines += [
                f"Upcoming edition '{self.upcoming.slug}' (starts {self.upcoming.starts_on}): "
                "registration, visitor sign-up, scoring and the public vote are open.",
            ]
        return "\n".join(lines)


def _user(session: Session, email: str, name: str, password: str, is_admin: bool = False) -> User:
    user = accounts.find_user(session, email)
    if user is None:
        user = accounts.create_user(
            session, email=email, name=name, password=password, is_admin=is_admin, verified=True
        )
    return user


def seed_demo(session: Session, registry: PluginRegistry) -> DemoContext:
    """Create the demo event, agencies, innovations, accounts and each plugin's demo data.

    Safe to run again: existing rows are found by their natural keys and kept.
    """
    admin = _user(session, *DEMO_ADMIN)
    organizer = _user(session, *DEMO_ORGANIZER)
    exhibitor = _user(session, *DEMO_EXHIBITOR)
    judges = [_user(session, email, name, DEMO_JUDGE_PASSWORD) for name, email in DEMO_JUDGES]

    event = session.scalar(select(Event).where(Event.slug == DEMO_SLUG))
    if event is None:
        event = Event(
            slug=DEMO_SLUG,
            name=DEMO_NAME,
            year=2019,
            venue=DEMO_VENUE,
            starts_on=DEMO_DATE,
            ends_on=DEMO_DATE + timedelta(days=DEMO_DAYS - 1),
            timezone="Asia/Jakarta",
            status="published",
            description=(
                "Pameran 178 inovasi pelayanan publik dari 89 perangkat daerah, BUMD dan "
                "perguruan tinggi se-Jawa Timur, simposium, dan penjurian berdasarkan nilai "
                "CETTAR: Cepat, Efektif-Efisien, Tanggap, Transparan, Responsif."
            ),
        )
        session.add(event)
        session.flush()
    roles.appoint(session, event, email=organizer.email, role="organizer")

    existing_orgs = {(o.name, o.region): o for o in session.scalars(select(Organization))}
    existing_titles = set(
        session.scalars(select(Innovation.title).where(Innovation.event_id == event.id))
    )
    organizations: list[Organization] = []
    names = agency_names()
    for agency in AGENCIES:
        organization = existing_orgs.get((agency.name, agency.region))
        if organization is None:
            organization = Organization(name=agency.name, kind=agency.kind, region=agency.region)
            session.add(organization)
        known = names.get(agency.name)
        if known and not organization.short_name and not organization.aliases:
            organization.short_name = known["short_name"]
            organization.aliases = "\n".join(known["aliases"])
        organizations.append(organization)
    session.flush()
    for agency, organization in zip(AGENCIES, organizations, strict=True):
        for item in agency.innovations:
            if item.title in existing_titles:
                continue
            session.add(
                Innovation(
                    event_id=event.id,
                    organization_id=organization.id,
                    title=item.title,
                    summary=item.summary,
                    category=CATEGORIES[item.category]["id"],
                    year_launched=item.year_launched,
                    cettar=list(item.cettar),
                    status="accepted",
                )
            )
    session.flush()

    samsat = next(o for o in organizations if o.name == EXHIBITOR_AGENCY)
    has_membership = session.scalar(
        select(Membership.id).where(
            Membership.user_id == exhibitor.id, Membership.organization_id == samsat.id
        )
    )
    if has_membership is None:
        session.add(Membership(user_id=exhibitor.id, organization_id=samsat.id, role="contact"))
    for judge in judges:
        roles.appoint(session, event, email=judge.email, role="judge")
    plugin_settings.set_enabled_plugins(session, registry, event, registry.names)
    session.flush()

    context = DemoContext(
        event=event,
        organizer=organizer,
        judges=judges,
        exhibitor=exhibitor,
        organizations=organizations,
        innovations=list(
            session.scalars(
                select(Innovation).where(Innovation.event_id == event.id).order_by(Innovation.id)
            )
        ),
        accounts=[
            ("admin", admin.email, DEMO_ADMIN[2]),
            ("organizer", organizer.email, DEMO_ORGANIZER[2]),
            ("exhibitor", exhibitor.email, DEMO_EXHIBITOR[2]),
        ]
        + [("judge", judge.email, DEMO_JUDGE_PASSWORD) for judge in judges],
    )
    registry.call_for_event(event, "event_demo_data", session=session, demo=context)
    session.flush()
    context.upcoming = seed_upcoming(session, registry, context)
    seed_history(session, context)
    return context


def seed_history(session: Session, past: DemoContext) -> None:
    """2019's awards and a few replications between agencies in the live edition (idempotent).

    The first 2019 innovations get awards ("Top 45", "Juara I"…, published); in the live
    edition a few agencies declare that an innovation replicates another agency's 2019 one.
    """
    if session.scalar(select(Award.id).where(Award.event_id == past.event.id)) is None:
        for rank, (innovation, title) in enumerate(
            zip(past.innovations, DEMO_AWARDS, strict=False), start=1
        ):
            session.add(
                Award(
                    event_id=past.event.id,
                    innovation_id=innovation.id,
                    title=title,
                    rank=rank if title.startswith("Juara") else None,
                    published=True,
                )
            )
    upcoming = past.upcoming
    if upcoming is None:
        return
    entries = list(
        session.scalars(
            select(Innovation).where(Innovation.event_id == upcoming.id).order_by(Innovation.id)
        )
    )
    originals = past.innovations[:DEMO_REPLICATIONS]
    replicators = entries[-DEMO_REPLICATIONS:] if len(entries) > DEMO_REPLICATIONS else []
    for entry, original in zip(replicators, originals, strict=False):
        if entry.replicates_id is None and entry.organization_id != original.organization_id:
            entry.replicates_id = history.ensure_identity(session, original).id
    session.flush()


def seed_upcoming(
    session: Session, registry: PluginRegistry, past: DemoContext, *, today: date | None = None
) -> Event:
    """The next edition, live: cloned from 2019 and dated from today (idempotent).

    Cloned through :func:`core.services.cloning.clone_event` (settings, rubric, organizers),
    published, starting :data:`UPCOMING_IN_DAYS` days from ``today``, with a share of the
    2019 innovations accepted again, the demo judges, each plugin's demo data, and the
    journeys open: exhibitor registration (since yesterday, until a week before the
    event), visitor sign-up, judges' scoring and the public vote.
    """
    today = today or utcnow().date()
    starts = today + timedelta(days=UPCOMING_IN_DAYS)
    slug = f"jatim-{starts.year}"
    if slug == past.event.slug:
        slug = f"jatim-{starts.year}-live"
    event = session.scalar(select(Event).where(Event.slug == slug))
    if event is not None:
        return event
    event = cloning.clone_event(
        session,
        registry,
        past.event,
        slug=slug,
        name=UPCOMING_NAME.format(year=starts.year),
        year=starts.year,
        starts_on=starts,
        ends_on=starts + timedelta(days=1),
    )
    event.status = "published"
    for innovation in past.innovations[:UPCOMING_INNOVATIONS]:
        session.add(
            Innovation(
                event_id=event.id,
                organization_id=innovation.organization_id,
                title=innovation.title,
                summary=innovation.summary,
                category=innovation.category,
                year_launched=innovation.year_launched,
                cettar=list(innovation.cettar or []),
                status="accepted",
                # entered again: the same innovation as in 2019 (issue 15)
                identity_id=history.ensure_identity(session, innovation).id,
            )
        )
    for judge in past.judges:
        roles.appoint(session, event, email=judge.email, role="judge")
    session.flush()
    context = DemoContext(
        event=event,
        organizer=past.organizer,
        judges=past.judges,
        exhibitor=past.exhibitor,
        organizations=past.organizations,
        innovations=list(
            session.scalars(
                select(Innovation).where(Innovation.event_id == event.id).order_by(Innovation.id)
            )
        ),
        accounts=past.accounts,
    )
    registry.call_for_event(event, "event_demo_data", session=session, demo=context)
    _open_the_journeys(session, registry, event, today, starts)
    session.flush()
    return event


def _open_the_journeys(
    session: Session, registry: PluginRegistry, event: Event, today: date, starts: date
) -> None:
    """Registration open now, scoring open, the public vote open until the event ends."""
    zone = ZoneInfo(event.timezone)
    yesterday = datetime.combine(today - timedelta(days=1), time(8, 0), tzinfo=zone)
    enabled = set(event.enabled_plugin_names)
    if "registration" in enabled:
        plugin_settings.update_settings(
            session,
            registry,
            event,
            "registration",
            {
                "opens_at": yesterday.isoformat(),
                "closes_at": datetime.combine(
                    starts - timedelta(days=7), time(23, 59), tzinfo=zone
                ).isoformat(),
                "exhibitor_quota": 100,
            },
        )
    if "voting" in enabled:
        plugin_settings.update_settings(
            session,
            registry,
            event,
            "voting",
            {
                "scoring_open": True,
                "results_published": False,
                "public_voting_opens_at": yesterday.isoformat(),
                "public_voting_closes_at": datetime.combine(
                    starts + timedelta(days=1), time(17, 0), tzinfo=zone
                ).isoformat(),
            },
        )


def database_is_empty(session: Session) -> bool:
    """Whether no event exists yet (``make run`` seeds the demo then)."""
    return session.scalar(select(Event.id).limit(1)) is None
