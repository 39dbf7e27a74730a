"""The demo: the 2019 East Java exhibition and symposium, seeded idempotently."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.models import Event, Innovation, Membership, Organization, User
from core.plugins import PluginRegistry
from core.services import accounts, plugin_settings, roles
from core.services.demo_data import AGENCIES, CATEGORIES, DEMO_JUDGES

DEMO_SLUG = "jatim-2019"
DEMO_NAME = "Pameran dan Simposium Inovasi Pelayanan Publik Jawa Timur 2019"
DEMO_VENUE = "Taman Blambangan, Banyuwangi"
DEMO_DATE = date(2019, 4, 24)
# Demo accounts: (e-mail, name, password, site admin). Printed by ``gelar demo``.
DEMO_ADMIN = ("admin@demo.gelar.id", "Admin Gelar", "gelar-admin-2019", True)
DEMO_ORGANIZER = ("panitia@demo.gelar.id", "Rina Kusumawati", "gelar-panitia-2019", False)
DEMO_EXHIBITOR = ("samsat@demo.gelar.id", "Agus Santoso", "gelar-peserta-2019", False)
DEMO_JUDGE_PASSWORD = "gelar-juri-2019"
EXHIBITOR_AGENCY = "Badan Pendapatan Daerah Provinsi Jawa Timur"


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

    def describe(self) -> str:
        """A summary for the terminal, with the demo accounts and their passwords."""
        lines = [
            f"Demo event '{self.event.slug}': {self.event.name}",
            f"  {len(self.organizations)} agencies, {len(self.innovations)} innovations, "
            f"plugins: {', '.join(self.event.enabled_plugin_names)}",
            "  Demo accounts (e-mail / password):",
        ]
        lines += [f"    {role:<10} {email} / {password}" for role, email, password in self.accounts]
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
            ends_on=DEMO_DATE,
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
    for agency in AGENCIES:
        organization = existing_orgs.get((agency.name, agency.region))
        if organization is None:
            organization = Organization(name=agency.name, kind=agency.kind, region=agency.region)
            session.add(organization)
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
    return context


def database_is_empty(session: Session) -> bool:
    """Whether no event exists yet (``make run`` seeds the demo then)."""
    return session.scalar(select(Event.id).limit(1)) is None
