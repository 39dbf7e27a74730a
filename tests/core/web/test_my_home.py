"""Beranda saya (``/me``): each role's next actions with counts, contributed by the plugins."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.models import Event, Innovation, Membership, Organization, User
from core.services import my_home, passes, roles
from plugins.exhibitors.models import Booth
from plugins.registration.models import Registration
from plugins.symposium.models import Session as SymSession
from plugins.symposium.models import Star
from plugins.voting.models import VotingAssignment, VotingScore, VotingStage, VotingVote
from tests.core.web.test_queries import counting
from tests.htmltree import Node, parse

ALL = ["registration", "exhibitors", "symposium", "voting"]
SLUG = "jatim-2026"
ORGANIZER = "panitia@example.id"
JUDGE = "juri@example.id"
MEMBER = "anggota@example.id"
VISITOR = "pengunjung@example.id"


@dataclass
class World:
    """Ids of what the ``world`` fixture made."""

    event_id: int
    organization_id: int
    innovation_ids: list[int]
    pass_code: str


def _innovation(db: Session, event_id: int, org: Organization, title: str, status: str) -> int:
    innovation = Innovation(
        event_id=event_id, organization_id=org.id, title=title, category="health", status=status
    )
    db.add(innovation)
    db.flush()
    return innovation.id


def build(make: Any, db: Session, plugins: list[str], slug: str = SLUG) -> World:
    """An event where every role has something: 3 assignments for the judge (1 done, 1 draft)."""
    organizer = make.user(ORGANIZER, "Panitia")
    event = make.event(slug, plugins=plugins, organizer=organizer)
    judge = make.user(JUDGE, "Juri")
    member = make.user(MEMBER, "Anggota")
    visitor = make.user(VISITOR, "Pengunjung")
    roles.appoint(db, event, email=judge.email, role="judge")
    org = Organization(name="Dinas Kesehatan", region="Surabaya")
    other = Organization(name="Bapenda", region="Surabaya")
    db.add_all([org, other])
    db.flush()
    db.add(Membership(user_id=member.id, organization_id=org.id))
    ids = [
        _innovation(db, event.id, org, "Ambulans Hebat", "accepted"),
        _innovation(db, event.id, org, "Posyandu Digital", "submitted"),
        _innovation(db, event.id, other, "Pajak Online", "accepted"),
        _innovation(db, event.id, other, "Zakat Kita", "accepted"),
    ]
    db.add(Registration(event_id=event.id, organization_id=org.id, status="pending"))
    db.add(Registration(event_id=event.id, organization_id=other.id, status="approved"))
    db.add(
        Booth(event_id=event.id, code="A-01", x=0, y=0, width=3, height=3, organization_id=org.id)
    )
    stage = db.scalar(select(VotingStage).where(VotingStage.event_id == event.id))
    if stage is None:  # voting off: the rows are there all the same
        stage = VotingStage(event_id=event.id, name="", position=1)
        db.add(stage)
    stage.name = "Penilaian dokumen"
    db.flush()
    rows = [
        VotingAssignment(stage_id=stage.id, judge_id=judge.id, innovation_id=i, submitted=done)
        for i, done in ((ids[0], True), (ids[2], False), (ids[3], False))
    ]
    db.add_all(rows)
    db.flush()
    db.add(VotingScore(assignment_id=rows[2].id, criterion_key="c", value=3))
    (visitor_pass,) = passes.issue_passes(db, event, 1, holder_name="P", holder_email=VISITOR)
    visitor_pass.user_id = visitor.id
    db.flush()
    db.add(
        VotingVote(
            event_id=event.id, pass_id=visitor_pass.id, category="health", innovation_id=ids[0]
        )
    )
    talks = [
        SymSession(event_id=event.id, title=f"Sesi {n}", duration_minutes=30) for n in range(3)
    ]
    db.add_all(talks)
    db.flush()
    db.add(Star(session_id=talks[0].id, user_id=visitor.id))
    db.commit()
    return World(event.id, org.id, ids, visitor_pass.code)


@pytest.fixture
def world(make: Any, db: Session) -> World:
    """The event with every plugin on."""
    return build(make, db, ALL)


def page(client: Any, auth: Any, email: str) -> Node:
    """``/me`` as ``email`` (must answer 200)."""
    auth.login(email)
    response = client.get("/me")
    assert response.status_code == 200
    return parse(response.get_data(as_text=True))


def panel(soup: Node, plugin: str) -> Any:
    """The only panel of ``plugin`` on the page."""
    found = soup.select(f'.my-panel[data-plugin="{plugin}"]')
    assert len(found) == 1, [p.get("data-plugin") for p in soup.select(".my-panel")]
    return found[0]


def count(element: Any, name: str) -> str:
    """The text of the ``data-count`` element ``name``."""
    found = element.select_one(f'[data-count="{name}"]')
    assert found is not None, name
    return found.get_text(" ", strip=True)


# --- service ------------------------------------------------------------------------------


def test_my_events_gives_each_role(world: World, db: Session) -> None:
    def roles_of(email: str) -> list[list[str]]:
        user = db.scalar(select(User).where(User.email == email))
        return [entry.roles.names for entry in my_home.my_events(db, user)]

    assert roles_of(ORGANIZER) == [["organizer"]]
    assert roles_of(JUDGE) == [["judge"]]
    assert roles_of(MEMBER) == [["exhibitor"]]
    assert roles_of(VISITOR) == [["visitor"]]


def test_my_events_skips_others_drafts_and_archives(world: World, make: Any, db: Session) -> None:
    stranger = make.user("asing@example.id", "Asing")
    # a published event is a candidate for anyone (stars, a registration), with no role
    assert [(e.event.slug, e.roles.names) for e in my_home.my_events(db, stranger)] == [(SLUG, [])]
    organizer = make.user("lain@example.id", "Lain")
    make.event("draf-2027", status="draft", organizer=organizer)
    make.event("arsip-2018", status="archived", organizer=organizer)
    member = db.scalar(select(User).where(User.email == MEMBER))
    slugs = [entry.event.slug for entry in my_home.my_events(db, member)]
    assert slugs == [SLUG]  # another organizer's draft and an old archive are not theirs
    mine = {e.event.slug: e.roles.names for e in my_home.my_events(db, organizer)}
    assert mine == {"draf-2027": ["organizer"], "arsip-2018": ["organizer"], SLUG: []}


def test_unverified_account_holds_no_role(make: Any, db: Session) -> None:
    user = make.user("baru@example.id", "Baru", verified=False)
    event = make.event(SLUG, plugins=ALL)
    roles.appoint(db, event, email=user.email, role="judge")
    db.commit()
    assert [e.roles.names for e in my_home.my_events(db, user)] == [[]]


def test_upcoming_events_come_first(make: Any, db: Session) -> None:
    organizer = make.user(ORGANIZER, "Panitia")
    make.event(
        "lama-2019", organizer=organizer, starts_on=date(2019, 4, 24), ends_on=date(2019, 4, 25)
    )
    make.event("baru-2026", organizer=organizer)
    slugs = [e.event.slug for e in my_home.my_events(db, organizer, today=date(2026, 1, 1))]
    assert slugs == ["baru-2026", "lama-2019"]


# --- pages --------------------------------------------------------------------------------


def test_organizer_sees_decisions_sessions_booths_and_stage(
    world: World, client: Any, auth: Any
) -> None:
    soup = page(client, auth, ORGANIZER)
    section = soup.select_one(f'.my-event[data-event="{SLUG}"]')
    assert section.select_one('[data-role="organizer"]') is not None
    assert section.select_one('a[data-action="console"]')["href"] == f"/{SLUG}/manage/"
    assert count(panel(soup, "registration"), "pending") == "1"
    assert count(panel(soup, "symposium"), "unscheduled") == "3"
    assert count(panel(soup, "exhibitors"), "unassigned") == "1"  # Bapenda exhibits, no booth
    judging = panel(soup, "voting")
    assert "Penilaian dokumen" in judging.get_text()
    assert "1" in count(judging, "stage-scored") and "3" in count(judging, "stage-scored")


def test_judge_sees_progress_and_next_to_score(world: World, client: Any, auth: Any) -> None:
    soup = page(client, auth, JUDGE)
    scoring = panel(soup, "voting")
    assert count(scoring, "scored").split()[:3] in (["1", "dari", "3"], ["1", "of", "3"])
    following = scoring.select_one('a[data-action="next-score"]')
    # the draft comes before the untouched one: "next" continues what the judge started
    assert following["href"] == f"/{SLUG}/voting/judge/{world.innovation_ids[3]}"
    assert "Zakat Kita" in following.get_text()
    assert scoring.select_one("[data-window]")["data-window"] == "closed"  # scoring_open off
    assert client.get(following["href"]).status_code == 200


def test_exhibitor_sees_registration_booth_and_innovations(
    world: World, client: Any, auth: Any
) -> None:
    soup = page(client, auth, MEMBER)
    registrations = panel(soup, "registration")
    items = registrations.select("[data-registration]")
    assert len(items) == 1  # their agency's only, not Bapenda's
    assert items[0].select_one("[data-status]")["data-status"] == "pending"
    status_link = items[0].select_one("a")["href"]
    assert client.get(status_link).status_code == 200
    booth = panel(soup, "exhibitors")
    assert "A-01" in count(booth, "booth")
    assert count(booth, "innovations").startswith("1")  # 1 accepted, 1 awaiting review
    links = {a["href"] for a in booth.select("a")}
    assert f"/{SLUG}/exhibitors/my" in links
    assert f"/{SLUG}/exhibitors/agencies/{world.organization_id}/edit" in links


def test_visitor_sees_pass_with_qr_stars_and_votes(world: World, client: Any, auth: Any) -> None:
    soup = page(client, auth, VISITOR)
    visitor_pass = panel(soup, "registration").select_one("[data-pass]")
    assert visitor_pass["data-pass"] == world.pass_code
    assert visitor_pass.select_one("svg") is not None  # rendered on the server
    assert count(panel(soup, "symposium"), "starred") == "1"
    assert count(panel(soup, "voting"), "votes") == "1"


def test_disabled_plugins_contribute_nothing(
    make: Any, db: Session, client: Any, auth: Any
) -> None:
    build(make, db, ["exhibitors"])
    soup = page(client, auth, ORGANIZER)
    assert [p["data-plugin"] for p in soup.select(".my-panel")] == ["exhibitors"]
    soup = page(client, auth, VISITOR)  # a pass, but neither registration nor voting is on
    assert soup.select(".my-event") == []


def test_nothing_yet_says_so(make: Any, client: Any, auth: Any) -> None:
    make.user("asing@example.id", "Asing")
    soup = page(client, auth, "asing@example.id")
    assert soup.select(".my-event") == []
    assert soup.select_one(".my-empty a")["href"] == "/"


def test_anonymous_goes_to_sign_in(client: Any) -> None:
    response = client.get("/me")
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]


def test_header_links_my_home_first(world: World, client: Any, auth: Any) -> None:
    auth.login(MEMBER)
    soup = parse(client.get("/").get_data(as_text=True))
    first = soup.select_one("nav.account a")
    assert first["href"] == "/me"


@pytest.mark.parametrize(
    ("next_path", "landing"),
    [("", "/me"), ("/", "/me"), (f"/{SLUG}/", f"/{SLUG}/"), ("//evil.example/", "/me")],
)
def test_sign_in_lands_on_my_home_unless_a_safe_next(
    world: World, client: Any, next_path: str, landing: str
) -> None:
    from tests.conftest import PASSWORD

    response = client.post(
        "/auth/login", data={"email": MEMBER, "password": PASSWORD, "next": next_path}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == landing


def test_in_indonesian(world: World, client: Any, auth: Any) -> None:
    client.post("/lang/id")
    soup = page(client, auth, JUDGE)
    assert soup.select_one("h1").get_text(strip=True) == "Beranda saya"
    assert "dari" in count(panel(soup, "voting"), "scored")


def test_statement_count_does_not_grow(
    make: Any, db: Session, app: Any, client: Any, auth: Any
) -> None:
    world = build(make, db, ALL)
    auth.login(ORGANIZER)
    roles.appoint(
        db,
        db.get(Event, world.event_id),
        email=MEMBER,
        role="judge",
    )
    db.commit()
    auth.login(MEMBER)

    def statements() -> int:
        with counting(app) as seen:
            assert client.get("/me").status_code == 200
        return len(seen)

    few = statements()
    org = db.get(Organization, world.organization_id)
    for n in range(10):
        _innovation(db, world.event_id, org, f"Lagi {n}", "accepted")
    db.commit()
    assert statements() == few
