"""The ``gelar`` command line: db upgrade, create-user, demo, plugins."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from markupsafe import escape
from sqlalchemy import create_engine, func, inspect, select
from sqlalchemy.orm import Session

from core import create_app
from core.db import get_db
from core.models import Event, Innovation, Organization, User
from core.services import accounts
from core.services.demo import DEMO_SLUG, EXHIBITOR_AGENCY

# --- db upgrade ----------------------------------------------------------------------------


def test_db_upgrade_builds_an_empty_sqlite_file_from_nothing(tmp_path: Path) -> None:
    path = tmp_path / "fresh.sqlite3"
    app = create_app(
        {
            "DATABASE_URL": f"sqlite:///{path}",
            "INSTANCE_PATH": str(tmp_path / "instance"),
            "SECRET_KEY": "x" * 40,
            "TESTING": True,
        }
    )
    try:
        result = app.test_cli_runner().invoke(args=["db", "upgrade"])
        assert result.exit_code == 0, result.output
        assert "Database upgraded to heads." in result.output
        engine = create_engine(f"sqlite:///{path}")
        tables = set(inspect(engine).get_table_names())
        engine.dispose()
        assert {
            "users",
            "events",
            "event_plugins",
            "innovations",
            "outbound_mail",
            "alembic_version",
        } <= tables
        again = app.test_cli_runner().invoke(args=["db", "upgrade"])  # already at head: no-op
        assert again.exit_code == 0, again.output
    finally:
        get_db(app).dispose()


# --- create-user ---------------------------------------------------------------------------


def _user(db: Session, email: str) -> User | None:
    db.expire_all()
    found = accounts.find_user(db, email)
    db.commit()
    return found


def test_create_user_takes_the_password_from_the_environment(runner: Any, db: Session) -> None:
    result = runner.invoke(
        args=["create-user", "Admin@Example.ID", "--name", "Site Admin", "--admin"],
        env={"GELAR_PASSWORD": "env-password-123"},
    )
    assert result.exit_code == 0, result.output
    assert "Created admin admin@example.id." in result.output
    user = _user(db, "admin@example.id")
    assert user.is_admin and user.name == "Site Admin"
    assert user.password_hash.startswith("$argon2id$")
    assert accounts.verify_password(user, "env-password-123")


def test_create_user_prompts_twice_without_the_variable(runner: Any, db: Session) -> None:
    result = runner.invoke(
        args=["create-user", "ani@example.id", "--name", "Ani"],
        input="typed-password-1\ntyped-password-1\n",
        env={"GELAR_PASSWORD": None},
    )
    assert result.exit_code == 0, result.output
    assert result.output.count("Password") >= 1 and "Repeat for confirmation" in result.output
    user = _user(db, "ani@example.id")
    assert not user.is_admin
    assert accounts.verify_password(user, "typed-password-1")


def test_create_user_asks_again_when_the_two_entries_differ(runner: Any, db: Session) -> None:
    result = runner.invoke(
        args=["create-user", "ani@example.id", "--name", "Ani"],
        input="first-password\nsecond-password\nright-password\nright-password\n",
        env={"GELAR_PASSWORD": None},
    )
    assert result.exit_code == 0, result.output
    assert "do not match" in result.output
    assert accounts.verify_password(_user(db, "ani@example.id"), "right-password")


@pytest.mark.parametrize(
    ("args", "password", "message"),
    [
        (
            ["create-user", "not-an-email", "--name", "X"],
            "long-enough-pw",
            "Enter a valid e-mail address.",
        ),
        (["create-user", "ani@example.id", "--name", "X"], "short", "Use at least 8 characters."),
        (
            ["create-user", "ani@example.id", "--name", "  "],
            "long-enough-pw",
            "A name is required.",
        ),
    ],
)
def test_create_user_reports_bad_input_clearly(
    runner: Any, db: Session, args: list[str], password: str, message: str
) -> None:
    result = runner.invoke(args=args, env={"GELAR_PASSWORD": password})
    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output
    assert db.scalar(select(func.count()).select_from(User)) == 0


def test_create_user_twice_is_a_clear_error(runner: Any, db: Session) -> None:
    env = {"GELAR_PASSWORD": "env-password-123"}
    assert (
        runner.invoke(args=["create-user", "ani@example.id", "--name", "Ani"], env=env).exit_code
        == 0
    )
    result = runner.invoke(args=["create-user", "ANI@example.id", "--name", "Ani 2"], env=env)
    assert result.exit_code == 1
    assert "Error: email: An account with this e-mail exists." in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert db.scalar(select(func.count()).select_from(User)) == 1


def test_create_user_requires_a_name(runner: Any) -> None:
    result = runner.invoke(args=["create-user", "ani@example.id"], env={"GELAR_PASSWORD": "x" * 10})
    assert result.exit_code == 2
    assert "--name" in result.output


# --- demo ----------------------------------------------------------------------------------


def test_demo_is_idempotent_and_complete(runner: Any, db: Session, registry: Any) -> None:
    first = runner.invoke(args=["demo"])
    assert first.exit_code == 0, first.output
    second = runner.invoke(args=["demo"])
    assert second.exit_code == 0, second.output
    assert "panitia@demo.gelar.id" in second.output  # demo accounts are printed

    event = db.scalar(select(Event).where(Event.slug == DEMO_SLUG))
    assert event.name == "Pameran dan Simposium Inovasi Pelayanan Publik Jawa Timur 2019"
    assert event.status == "published"
    assert event.venue == "Taman Blambangan, Banyuwangi"
    assert event.starts_on == date(2019, 4, 24) and event.ends_on == date(2019, 4, 26)
    assert event.timezone == "Asia/Jakarta"
    assert event.enabled_plugin_names == sorted(registry.names)
    assert set(event.enabled_plugin_names) >= {"registration", "exhibitors", "symposium", "voting"}
    accepted = select(Innovation).where(
        Innovation.event_id == event.id, Innovation.status == "accepted"
    )
    assert db.scalar(select(func.count()).select_from(accepted.subquery())) == 178
    exhibiting = (
        select(Innovation.organization_id).where(Innovation.event_id == event.id).distinct()
    )
    assert db.scalar(select(func.count()).select_from(exhibiting.subquery())) == 89
    assert db.scalar(select(func.count()).select_from(Organization)) == 89
    samsat = db.scalar(select(Organization).where(Organization.name == EXHIBITOR_AGENCY))
    assert samsat is not None
    titles = list(
        db.scalars(select(Innovation.title).where(Innovation.organization_id == samsat.id))
    )
    assert any("e-Samsat" in title for title in titles)
    assert samsat.short_name == "Bapenda Jatim"
    soetomo = db.scalar(select(Organization).where(Organization.name == "RSUD dr. Soetomo"))
    assert soetomo is not None and "Soetomo" in soetomo.alias_list
    named = select(Organization).where(Organization.short_name != "")
    assert db.scalar(select(func.count()).select_from(named.subquery())) >= 85
    # the 2019 event and the upcoming edition (cloned, dated from today), no more
    assert db.scalar(select(func.count()).select_from(Event)) == 2
    assert "Upcoming edition" in second.output
    db.commit()


def test_demo_seeds_a_live_upcoming_edition(runner: Any, db: Session, client: Any) -> None:
    from core.db import utcnow
    from core.models import EventPlugin, EventRole

    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    today = utcnow().date()
    upcoming = db.scalar(select(Event).where(Event.slug != DEMO_SLUG))
    assert upcoming is not None and upcoming.status == "published"
    assert upcoming.starts_on == today + timedelta(days=30)
    assert upcoming.slug == f"jatim-{upcoming.starts_on.year}"
    assert upcoming.slug in result.output
    accepted = select(Innovation).where(
        Innovation.event_id == upcoming.id, Innovation.status == "accepted"
    )
    assert db.scalar(select(func.count()).select_from(accepted.subquery())) == 24
    judges = select(EventRole).where(EventRole.event_id == upcoming.id, EventRole.role == "judge")
    assert db.scalar(select(func.count()).select_from(judges.subquery())) >= 3
    settings = {
        row.name: row.settings
        for row in db.scalars(select(EventPlugin).where(EventPlugin.event_id == upcoming.id))
    }
    assert settings["voting"]["scoring_open"] is True
    assert settings["voting"]["public_voting_opens_at"] < utcnow().isoformat()
    db.commit()
    # every journey is open over HTTP: registration form, visitor sign-up, vote, catalogue
    client.post("/lang/en")
    register = client.get(f"/{upcoming.slug}/registration/register").get_data(as_text=True)
    assert "has not opened yet" not in register and "has closed" not in register
    visitors = client.get(f"/{upcoming.slug}/registration/visit")
    assert visitors.status_code == 200
    first = db.scalar(accepted.order_by(Innovation.title).limit(1))
    db.commit()
    vote = client.get(f"/{upcoming.slug}/voting/").get_data(as_text=True)
    assert first is not None and escape(first.title) in vote  # the public vote lists them
    catalogue = client.get(f"/{upcoming.slug}/exhibitors/?q=bapenda").get_data(as_text=True)
    assert "Badan Pendapatan Daerah" in catalogue


def test_demo_if_empty_leaves_a_used_database_alone(runner: Any, make: Any, db: Session) -> None:
    make.event("jatim-2026")
    result = runner.invoke(args=["demo", "--if-empty"])
    assert result.exit_code == 0, result.output
    assert "already has events" in result.output
    assert db.scalar(select(func.count()).select_from(Event)) == 1
    assert db.scalar(select(func.count()).select_from(Organization)) == 0


def test_demo_if_empty_seeds_an_empty_database(runner: Any, db: Session) -> None:
    result = runner.invoke(args=["demo", "--if-empty"])
    assert result.exit_code == 0, result.output
    assert db.scalar(select(Event.slug)) == DEMO_SLUG
    db.commit()
    again = runner.invoke(args=["demo", "--if-empty"])
    assert "already has events" in again.output


def test_demo_site_is_browsable(runner: Any, client: Any) -> None:
    runner.invoke(args=["demo"])
    page = client.get("/").get_data(as_text=True)
    assert "Pameran dan Simposium Inovasi Pelayanan Publik Jawa Timur 2019" in page
    assert client.get(f"/{DEMO_SLUG}/").status_code == 200
    signed_in = client.post(
        "/auth/login", data={"email": "panitia@demo.gelar.id", "password": "gelar-panitia-2019"}
    )
    assert signed_in.status_code == 302
    assert client.get(f"/{DEMO_SLUG}/manage/").status_code == 200


# --- plugins -------------------------------------------------------------------------------


def test_plugins_lists_per_event_state(runner: Any, make: Any) -> None:
    make.event("jatim-2026", plugins=["exhibitors"])
    make.event("jateng-2026", plugins=["voting", "exhibitors"])
    result = runner.invoke(args=["plugins"])
    assert result.exit_code == 0, result.output
    blocks = _blocks(result.output)
    assert set(blocks) >= {"registration", "exhibitors", "symposium", "voting"}
    assert blocks["exhibitors"] == {"jateng-2026": "on", "jatim-2026": "on"}
    assert blocks["voting"] == {"jateng-2026": "on", "jatim-2026": "off"}
    assert blocks["symposium"] == {"jateng-2026": "off", "jatim-2026": "off"}


def test_plugins_without_events(runner: Any) -> None:
    result = runner.invoke(args=["plugins"])
    assert result.exit_code == 0
    assert "voting" in result.output


def _blocks(output: str) -> dict[str, dict[str, str]]:
    blocks: dict[str, dict[str, str]] = {}
    current = ""
    for line in output.splitlines():
        if not line.strip():
            continue
        if not line.startswith(" "):
            current = line.split()[0]
            blocks[current] = {}
        else:
            slug, state = line.split()
            blocks[current][slug] = state
    return blocks


def test_gelar_refuses_insecure_production_settings_with_a_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    from core.cli import main

    for key in ("GELAR_SECRET_KEY", "GELAR_DEBUG", "FLASK_DEBUG"):
        monkeypatch.delenv(key, raising=False)
    env = {
        "GELAR_ENV_NAME": "production",
        "GELAR_INSTANCE_PATH": str(tmp_path / "instance"),
        "GELAR_DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    result = CliRunner().invoke(main, ["plugins"], env=env)
    assert result.exit_code != 0
    assert "Refusing to start in production mode" in result.output
    assert "GELAR_SECRET_KEY is not set" in result.output
    assert "Traceback" not in result.output


def test_demo_carries_a_history_of_awards_entries_and_replications(
    runner: Any, db: Any, client: Any
) -> None:
    """Issue 15: 2019 awards, innovations entered again in the live edition, replications."""
    from sqlalchemy import func, select

    from core.models import Award, Innovation

    assert runner.invoke(args=["demo"]).exit_code == 0
    assert runner.invoke(args=["demo"]).exit_code == 0  # idempotent
    assert db.scalar(select(func.count(Award.id))) == 6
    award = db.scalar(select(Award).where(Award.title == "Juara I"))
    replicated = db.scalar(select(Innovation).where(Innovation.replicates_id.isnot(None)))
    assert replicated is not None
    db.commit()
    body = client.get(f"/api/v1/innovations/{award.innovation_id}/history").get_json()
    assert body["items"][0]["year"] == 2019 and len(body["items"]) == 2
    assert body["items"][0]["awards"] == ["Juara I"]
    assert body["items"][0]["rank"] == 1  # the award's place: 2019's results are not published
    assert body["replications"], body


def test_demo_upcoming_edition_has_booths_and_a_published_programme(
    runner: Any, db: Session, client: Any
) -> None:
    """The cloned hall is handed out and the programme published, once (second run: no change)."""
    from plugins.exhibitors import services as exhibitors
    from plugins.exhibitors.models import Booth
    from plugins.symposium import versions

    assert runner.invoke(args=["demo"]).exit_code == 0
    upcoming = db.scalar(select(Event).where(Event.slug != DEMO_SLUG))
    assert upcoming is not None
    holders = exhibitors.list_exhibitors(db, upcoming)
    assert holders and all(e.booth is not None for e in holders)
    held = {(b.code, b.organization_id) for b in db.scalars(select(Booth))}
    assert [v.number for v in versions.versions(db, upcoming)] == [1]
    db.commit()
    assert runner.invoke(args=["demo"]).exit_code == 0
    assert {(b.code, b.organization_id) for b in db.scalars(select(Booth))} == held
    assert [v.number for v in versions.versions(db, upcoming)] == [1]
    db.commit()
    client.post("/lang/id")
    page = client.get(f"/{upcoming.slug}/symposium/").get_data(as_text=True)
    assert "Panitia belum menerbitkan sesi" not in page
    assert "Pidato pembuka" in page
