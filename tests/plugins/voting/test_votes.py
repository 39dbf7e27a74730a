"""People's choice: one vote per pass, event and category; window; tally; concurrency."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from core.db import get_db
from core.services import passes, plugin_settings
from core.services.errors import Conflict, Forbidden, NotFound
from plugins.voting import votes
from plugins.voting.models import VotingVote
from plugins.voting.settings import VotingSettings
from tests.plugins.voting.conftest import World, add_innovation, set_voting, visitor_pass

API = "/api/v1/events"
OPEN = {"public_voting_opens_at": "2001-01-01T00:00:00+00:00"}


@pytest.fixture
def voting_open(app: Any, world: World, db: Any) -> World:
    """The public vote has been open since 2001."""
    set_voting(app, db, world.event, **OPEN)
    return world


def vote_url(world: World, innovation_id: int) -> str:
    return f"{API}/{world.slug}/innovations/{innovation_id}/votes"


def count_votes(app: Any) -> int:
    with get_db(app).transaction() as session:
        return session.scalar(select(func.count()).select_from(VotingVote)) or 0


def test_vote_is_counted_once_per_category(client: Any, voting_open: World, app: Any) -> None:
    world = voting_open
    code = world.passes[0]
    health, other_health = world.innovations[0], world.innovations[1]
    service = world.innovations[5]
    first = client.post(vote_url(world, health.id), json={"pass": code})
    assert first.status_code == 201, first.get_json()
    assert first.get_json()["category"] == "health"
    again = client.post(vote_url(world, other_health.id), json={"pass": code.lower()})
    assert again.status_code == 409
    assert again.get_json()["error"]["code"] == "already_voted"
    assert client.post(vote_url(world, service.id), json={"pass": code}).status_code == 201
    assert count_votes(app) == 2


def test_unknown_pass_is_403_and_unknown_innovation_404(
    client: Any, voting_open: World, app: Any
) -> None:
    world = voting_open
    response = client.post(vote_url(world, world.innovations[0].id), json={"pass": "ZZZZ-ZZZZ-ZZ"})
    assert response.status_code == 403
    assert client.post(vote_url(world, world.innovations[0].id), json={}).status_code == 403
    assert client.post(vote_url(world, 999999), json={"pass": world.passes[0]}).status_code == 404
    bad = client.post(vote_url(world, world.innovations[0].id), json={"pass": 12})
    assert bad.status_code == 422
    assert count_votes(app) == 0


def test_pass_of_another_event_is_403(
    client: Any, voting_open: World, app: Any, make: Any, db: Any
) -> None:
    other = make.event("other-2026", plugins=["voting"])
    code = passes.issue_passes(db, other, 1)[0].code
    db.commit()
    response = client.post(
        vote_url(voting_open, voting_open.innovations[0].id), json={"pass": code}
    )
    assert response.status_code == 403


@pytest.mark.parametrize(
    "window",
    [
        {},
        {"public_voting_opens_at": "2099-01-01T00:00:00+00:00"},
        {
            "public_voting_opens_at": "2001-01-01T00:00:00+00:00",
            "public_voting_closes_at": "2001-01-02T00:00:00+00:00",
        },
    ],
)
def test_votes_outside_the_window_are_409(
    client: Any, world: World, app: Any, db: Any, window: dict[str, str]
) -> None:
    if window:
        set_voting(app, db, world.event, **window)
    response = client.post(vote_url(world, world.innovations[0].id), json={"pass": world.passes[0]})
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "voting_closed"
    assert count_votes(app) == 0


def test_signed_in_visitor_votes_with_their_pass(
    client: Any, voting_open: World, app: Any, make: Any, db: Any, api_token: Any
) -> None:
    visitor = make.user("visitor@example.id", "Visitor")
    row = visitor_pass(db, voting_open.passes[1])
    row.user_id = visitor.id
    db.commit()
    token = api_token("visitor@example.id")
    url = vote_url(voting_open, voting_open.innovations[0].id)
    assert client.post(url, json={}, headers=token).status_code == 201
    assert client.post(url, json={}, headers=token).status_code == 409


def test_database_enforces_one_vote(voting_open: World, db: Any) -> None:
    row = visitor_pass(db, voting_open.passes[0])
    for innovation in voting_open.innovations[:2]:
        db.add(
            VotingVote(
                event_id=voting_open.event.id,
                pass_id=row.id,
                category="health",
                innovation_id=innovation.id,
            )
        )
    with pytest.raises(IntegrityError):
        db.flush()


def test_service_refuses_with_service_errors(voting_open: World, db: Any) -> None:
    event = db.merge(voting_open.event)
    settings = VotingSettings(public_voting_opens_at=datetime(2001, 1, 1, tzinfo=UTC))
    now = datetime.now(UTC)
    votes.cast_vote(
        db,
        event,
        voting_open.innovations[0].id,
        settings=settings,
        now=now,
        code=voting_open.passes[0],
    )
    with pytest.raises(Conflict):
        votes.cast_vote(
            db,
            event,
            voting_open.innovations[1].id,
            settings=settings,
            now=now,
            code=voting_open.passes[0],
        )
    with pytest.raises(Forbidden):
        votes.cast_vote(
            db, event, voting_open.innovations[1].id, settings=settings, now=now, code="nope"
        )
    assert votes.total_votes(db, event) == 1


def test_tally_for_organizers_then_public(
    app: Any, client: Any, voting_open: World, headers: dict[str, Any], db: Any
) -> None:
    world = voting_open
    for code in world.passes[:3]:
        client.post(vote_url(world, world.innovations[2].id), json={"pass": code})
    client.post(vote_url(world, world.innovations[3].id), json={"pass": world.passes[3]})
    url = f"{API}/{world.slug}/votes/tally"
    assert client.get(url).status_code == 401
    body = client.get(url, headers=headers["organizer"]).get_json()
    assert body["items"][0] == {
        "innovation": {"id": world.innovations[2].id, "title": world.innovations[2].title},
        "votes": 3,
    }
    assert body["votes"] == 4 and body["total"] == 8
    set_voting(app, db, world.event, results_published=True)
    assert client.get(url).status_code == 200


def _parallel(app: Any, calls: list[tuple[str, dict[str, Any]]]) -> list[int]:
    """POST every (url, body) from its own thread and client, all released at once."""
    barrier = threading.Barrier(len(calls))

    def post(call: tuple[str, dict[str, Any]]) -> int:
        client = app.test_client()
        barrier.wait()
        return client.post(call[0], json=call[1]).status_code

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(post, calls))


def test_twenty_parallel_votes_with_one_pass_count_once(voting_open: World, app: Any) -> None:
    world = voting_open
    calls = [
        (vote_url(world, world.innovations[n % 4].id), {"pass": world.passes[0]}) for n in range(20)
    ]
    statuses = _parallel(app, calls)
    assert sorted(statuses) == [201] + [409] * 19
    assert count_votes(app) == 1


def test_many_visitors_voting_at_once_lose_no_vote(voting_open: World, app: Any, db: Any) -> None:
    world = voting_open
    codes = [p.code for p in passes.issue_passes(db, db.merge(world.event), 30)]
    db.commit()
    calls = [
        (vote_url(world, world.innovations[n % 8].id), {"pass": code})
        for n, code in enumerate(codes)
    ]
    statuses = _parallel(app, calls)
    assert statuses == [201] * 30
    assert count_votes(app) == 30
    with get_db(app).transaction() as session:
        tallied = sum(n for _i, n in votes.tally(session, session.merge(world.event)))
    assert tallied == 30


def test_service_level_race_in_separate_sessions(voting_open: World, app: Any) -> None:
    """20 sessions insert the same pass's vote at once: one commits, the others conflict."""
    world = voting_open
    settings = VotingSettings(public_voting_opens_at=datetime(2001, 1, 1, tzinfo=UTC))
    barrier = threading.Barrier(20)

    def attempt(n: int) -> str:
        session = get_db(app).new_session()
        try:
            barrier.wait()
            event = session.merge(world.event)
            votes.cast_vote(
                session,
                event,
                world.innovations[n % 4].id,
                settings=settings,
                now=datetime.now(UTC),
                code=world.passes[4],
            )
            session.commit()
            return "ok"
        except Conflict:
            session.rollback()
            return "conflict"
        finally:
            session.close()

    with ThreadPoolExecutor(max_workers=20) as pool:
        outcomes = list(pool.map(attempt, range(20)))
    assert sorted(outcomes) == ["conflict"] * 19 + ["ok"]
    assert count_votes(app) == 1


def test_rate_limit_is_per_pass_not_per_address(app: Any, voting_open: World, client: Any) -> None:
    app.config["VOTING_RATE_LIMIT"] = "3/minute"
    world = voting_open
    url = vote_url(world, world.innovations[0].id)
    codes = [client.post(url, json={"pass": world.passes[0]}).status_code for _ in range(5)]
    assert codes == [201, 409, 409, 409, 429]
    assert client.post(url, json={"pass": world.passes[1]}).status_code == 201


def test_suspicious_bursts_are_reported(
    voting_open: World, db: Any, client: Any, headers: dict[str, Any]
) -> None:
    event = db.merge(voting_open.event)
    created = passes.issue_passes(db, event, 35)
    minute = datetime(2026, 12, 10, 9, 30, tzinfo=UTC)
    for row in created:
        db.add(
            VotingVote(
                event_id=event.id,
                pass_id=row.id,
                category="health",
                innovation_id=voting_open.innovations[0].id,
                created_at=minute,
            )
        )
    db.commit()
    bursts = votes.suspicious_bursts(db, event)
    db.commit()
    assert bursts == [
        {"innovation_id": voting_open.innovations[0].id, "minute": minute.isoformat(), "votes": 35}
    ]
    response = client.get(f"{API}/{voting_open.slug}/votes/bursts", headers=headers["organizer"])
    assert response.get_json()["total"] == 1


# -- the lean vote path -------------------------------------------------------------------


def test_vote_with_code_names_the_reason_in_order(voting_open: World, app: Any) -> None:
    """One statement when all is well; otherwise 404, 403, 409 closed, 409 voted — in order."""
    world = voting_open
    open_ = VotingSettings(public_voting_opens_at=datetime(2001, 1, 1, tzinfo=UTC))
    closed = VotingSettings()
    now = datetime.now(UTC)
    first, second = world.innovations[0], world.innovations[1]
    with get_db(app).autocommit_connection() as connection:

        def vote(innovation_id: int, code: str, settings: VotingSettings) -> votes.Ballot:
            return votes.vote_with_code(
                connection, world.event.id, innovation_id, code, settings=settings, now=now
            )

        ballot = vote(first.id, world.passes[0].lower(), open_)
        assert (ballot.innovation_id, ballot.innovation_title) == (first.id, first.title)
        assert ballot.category == "health"
        with pytest.raises(NotFound):
            vote(999999, "ZZZZ-ZZZZ-ZZ", closed)
        with pytest.raises(Forbidden):
            vote(first.id, "ZZZZ-ZZZZ-ZZ", closed)
        with pytest.raises(votes.VotingClosed):
            vote(first.id, world.passes[1], closed)
        with pytest.raises(votes.AlreadyVoted):
            vote(second.id, world.passes[0], open_)
    assert count_votes(app) == 1


def test_vote_of_an_innovation_of_another_event_is_404(
    client: Any, voting_open: World, app: Any, make: Any, db: Any
) -> None:
    other = make.event("other-2026", plugins=["voting"])
    innovation = add_innovation(db, other, voting_open.organizations[0], "Elsewhere")
    response = client.post(
        vote_url(voting_open, innovation.id), json={"pass": voting_open.passes[0]}
    )
    assert response.status_code == 404
    assert count_votes(app) == 0


def test_voting_switched_off_answers_404_at_once(
    client: Any, voting_open: World, app: Any, db: Any, registry: Any
) -> None:
    world = voting_open
    url = vote_url(world, world.innovations[0].id)
    assert client.post(url, json={"pass": world.passes[0]}).status_code == 201
    plugin_settings.set_plugin_enabled(db, registry, db.merge(world.event), "voting", False)
    db.commit()
    response = client.post(vote_url(world, world.innovations[5].id), json={"pass": world.passes[0]})
    assert response.status_code == 404
    assert count_votes(app) == 1


def test_closing_the_vote_applies_to_the_next_vote(
    client: Any, voting_open: World, app: Any, db: Any
) -> None:
    world = voting_open
    assert (
        client.post(
            vote_url(world, world.innovations[0].id), json={"pass": world.passes[0]}
        ).status_code
        == 201
    )
    set_voting(app, db, world.event, public_voting_closes_at="2002-01-01T00:00:00+00:00")
    response = client.post(vote_url(world, world.innovations[0].id), json={"pass": world.passes[1]})
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "voting_closed"


def test_an_organizer_votes_on_a_draft_through_the_general_path(
    client: Any, voting_open: World, app: Any, db: Any, auth: Any
) -> None:
    world = voting_open
    event = db.merge(world.event)
    event.status = "draft"
    db.commit()
    url = vote_url(world, world.innovations[0].id)
    assert client.post(url, json={"pass": world.passes[0]}).status_code == 404
    app.config["WTF_CSRF_ENABLED"] = False
    auth.login(world.organizer.email)
    assert client.post(url, json={"pass": world.passes[0]}).status_code == 201
    assert count_votes(app) == 1


def test_guessing_passes_from_one_address_is_stopped(
    app: Any, voting_open: World, client: Any
) -> None:
    """Unknown passes count against the address; valid votes from it cost nothing."""
    app.config["VOTING_GUESS_LIMIT"] = "3/minute"
    world = voting_open
    url = vote_url(world, world.innovations[0].id)
    assert client.post(url, json={"pass": world.passes[0]}).status_code == 201
    guesses = [client.post(url, json={"pass": f"ZZZZ-ZZZZ-Z{n}"}).status_code for n in range(3)]
    assert guesses == [403, 403, 403]
    refused = client.post(url, json={"pass": world.passes[1]})
    assert refused.status_code == 429
    assert refused.get_json()["error"]["code"] == "rate_limited"
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    other_venue = client.post(
        url, json={"pass": world.passes[1]}, environ_base={"REMOTE_ADDR": "10.1.2.3"}
    )
    assert other_venue.status_code == 201
    assert count_votes(app) == 2


def test_a_hall_of_valid_passes_behind_one_address_is_never_limited(
    app: Any, voting_open: World, client: Any, db: Any
) -> None:
    app.config["VOTING_GUESS_LIMIT"] = "3/minute"
    app.config["VOTING_RATE_LIMIT"] = "3/minute"
    codes = [p.code for p in passes.issue_passes(db, db.merge(voting_open.event), 12)]
    db.commit()
    url = vote_url(voting_open, voting_open.innovations[0].id)
    statuses = {client.post(url, json={"pass": code}).status_code for code in codes}
    assert statuses == {201}
    assert count_votes(app) == 12


def test_rate_limits_can_be_switched_off(app: Any, voting_open: World, client: Any) -> None:
    app.config["RATELIMIT_ENABLED"] = False
    app.config["VOTING_GUESS_LIMIT"] = "1/minute"
    url = vote_url(voting_open, voting_open.innovations[0].id)
    statuses = [client.post(url, json={"pass": f"ZZZZ-ZZZZ-Z{n}"}).status_code for n in range(4)]
    assert statuses == [403] * 4


def test_the_vote_page_refuses_guessers_with_429(app: Any, voting_open: World, client: Any) -> None:
    app.config["VOTING_GUESS_LIMIT"] = "2/minute"
    app.config["WTF_CSRF_ENABLED"] = False
    client.post("/lang/en")
    world = voting_open
    page = f"/{world.slug}/voting/vote/{world.innovations[0].id}"
    assert client.post(page, data={"pass": "ZZZZ-ZZZZ-Z1"}).status_code == 403
    assert client.post(page, data={"pass": "ZZZZ-ZZZZ-Z2"}).status_code == 403
    refused = client.post(page, data={"pass": world.passes[0]})
    assert refused.status_code == 429
    assert "Too many unknown passes" in refused.get_data(as_text=True)
    assert "Retry-After" in refused.headers
    assert count_votes(app) == 0
