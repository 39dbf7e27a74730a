"""Configuration precedence, the generated secret key and production safety checks."""

from __future__ import annotations

from pathlib import Path

import pytest

from core import config as cfg
from core import create_app
from core.db import get_db

LONG_SECRET = "a-real-secret-key-for-production-use-0123456789"


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """No GELAR_* variable of the machine leaks into these tests."""
    for key in (*cfg.ENV_KEYS, "DEBUG", "INSTANCE_PATH", "PASSWORD"):
        monkeypatch.delenv(f"GELAR_{key}", raising=False)
    monkeypatch.delenv("FLASK_DEBUG", raising=False)


def build(tmp_path: Path, **config: object):
    """An app on a throwaway SQLite file in ``tmp_path``."""
    config.setdefault("INSTANCE_PATH", str(tmp_path / "instance"))
    config.setdefault("DATABASE_URL", f"sqlite:///{tmp_path / 'db.sqlite3'}")
    app = create_app(config)
    get_db(app).dispose()
    return app


def test_defaults_apply_when_nothing_is_configured(tmp_path: Path) -> None:
    app = build(tmp_path)
    assert app.config["BABEL_DEFAULT_LOCALE"] == "id"
    assert app.config["MAIL_SERVER"] is None
    assert app.config["ENV_NAME"] == "development"


def test_instance_file_then_environment_then_explicit_config(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    instance = tmp_path / "instance"
    instance.mkdir()
    (instance / "config.py").write_text(
        "MAIL_SERVER = 'file.example'\nBASE_URL = 'https://file.example'\n"
        "MAIL_DEFAULT_SENDER = 'file@example.id'\n"
    )
    monkeypatch.setenv("GELAR_MAIL_SERVER", "env.example")
    monkeypatch.setenv("GELAR_MAIL_PORT", "2525")
    monkeypatch.setenv("GELAR_BASE_URL", "https://env.example")
    app = build(tmp_path, BASE_URL="https://explicit.example")
    assert app.config["MAIL_DEFAULT_SENDER"] == "file@example.id"  # file over defaults
    assert app.config["MAIL_SERVER"] == "env.example"  # environment over file
    assert app.config["MAIL_PORT"] == 2525  # coerced to int
    assert app.config["BASE_URL"] == "https://explicit.example"  # explicit over environment


def test_instance_path_comes_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GELAR_INSTANCE_PATH", str(tmp_path / "elsewhere"))
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"})
    get_db(app).dispose()
    assert Path(app.instance_path) == (tmp_path / "elsewhere").resolve()
    assert (tmp_path / "elsewhere" / "secret_key").exists()


def test_environment_database_url_and_redis(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'from-env.sqlite3'}"
    monkeypatch.setenv("GELAR_DATABASE_URL", url)
    monkeypatch.setenv("GELAR_REDIS_URL", "redis://127.0.0.1:1/0")
    app = create_app({"INSTANCE_PATH": str(tmp_path / "instance")})
    get_db(app).dispose()
    assert app.config["DATABASE_URL"] == url
    assert app.config["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:1/0"


def test_default_database_is_sqlite_in_the_instance_folder(tmp_path: Path) -> None:
    app = create_app({"INSTANCE_PATH": str(tmp_path / "instance")})
    get_db(app).dispose()
    assert (
        app.config["DATABASE_URL"]
        == f"sqlite:///{(tmp_path / 'instance').resolve() / 'gelar.sqlite3'}"
    )


def test_secret_key_is_generated_once_and_reused(tmp_path: Path) -> None:
    first = build(tmp_path)
    key_file = tmp_path / "instance" / "secret_key"
    assert key_file.exists()
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"
    assert len(first.config["SECRET_KEY"]) >= 32
    second = build(tmp_path)
    assert second.config["SECRET_KEY"] == first.config["SECRET_KEY"]
    assert key_file.read_text().strip() == first.config["SECRET_KEY"]


def test_configured_secret_key_wins_and_no_file_is_written(tmp_path: Path) -> None:
    app = build(tmp_path, SECRET_KEY=LONG_SECRET)
    assert app.config["SECRET_KEY"] == LONG_SECRET
    assert not (tmp_path / "instance" / "secret_key").exists()


def test_production_refuses_a_generated_secret_key(tmp_path: Path) -> None:
    with pytest.raises(cfg.InsecureConfigError, match="GELAR_SECRET_KEY is not set"):
        build(tmp_path, ENV_NAME="production")


def test_production_refuses_a_short_secret_key(tmp_path: Path) -> None:
    with pytest.raises(cfg.InsecureConfigError, match="shorter than 32"):
        build(tmp_path, ENV_NAME="production", SECRET_KEY="short")


def test_production_refuses_debug_mode(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GELAR_ENV_NAME", "production")
    monkeypatch.setenv("GELAR_SECRET_KEY", LONG_SECRET)
    monkeypatch.setenv("GELAR_DEBUG", "1")
    with pytest.raises(cfg.InsecureConfigError, match="debug mode is on"):
        build(tmp_path)


def test_production_names_every_problem_at_once(tmp_path: Path) -> None:
    with pytest.raises(cfg.InsecureConfigError) as caught:
        build(tmp_path, ENV_NAME="production", DEBUG=True)
    message = str(caught.value)
    assert "Refusing to start in production mode" in message
    assert "GELAR_SECRET_KEY" in message and "debug mode is on" in message


def test_production_with_safe_settings_starts_with_secure_cookies(tmp_path: Path) -> None:
    app = build(tmp_path, ENV_NAME="production", SECRET_KEY=LONG_SECRET)
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["REMEMBER_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_development_cookies_are_httponly_lax_and_not_secure(tmp_path: Path) -> None:
    app = build(tmp_path, SECRET_KEY=LONG_SECRET)
    assert app.config["SESSION_COOKIE_SECURE"] is False
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_session_cookie_header_carries_the_flags(tmp_path: Path) -> None:
    from core import migrate

    db_url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    migrate.upgrade(db_url)
    app = build(
        tmp_path,
        ENV_NAME="production",
        SECRET_KEY=LONG_SECRET,
        DATABASE_URL=db_url,
        WTF_CSRF_ENABLED=False,
    )
    client = app.test_client()
    response = client.post("/lang/en", data={"next": "/"})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Secure" in cookie
    get_db(app).dispose()


def test_environment_booleans_are_parsed() -> None:
    found = cfg.environment_overrides(
        {
            "GELAR_MAIL_USE_TLS": "no",
            "GELAR_MAIL_USE_SSL": "true",
            "GELAR_DEBUG": "0",
            "GELAR_X": "1",
        }
    )
    assert found == {"MAIL_USE_TLS": False, "MAIL_USE_SSL": True, "DEBUG": False}


def test_production_refuses_flask_debug(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FLASK_DEBUG", "1")
    with pytest.raises(cfg.InsecureConfigError, match="debug mode is on"):
        build(tmp_path, ENV_NAME="production", SECRET_KEY=LONG_SECRET)


def test_flask_debug_reaches_the_config_in_development(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FLASK_DEBUG", "1")
    assert build(tmp_path).config["DEBUG"] is True


def test_bad_numeric_environment_value_says_which(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("GELAR_MAIL_PORT", "smtp")
    with pytest.raises(cfg.ConfigError, match="GELAR_MAIL_PORT must be a whole number"):
        build(tmp_path)


def test_secret_key_race_keeps_the_first_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    instance = tmp_path / "instance"
    instance.mkdir()
    first = cfg.load_or_create_secret_key(instance)
    # Another worker checks before the file exists, then loses the race to create it.
    real_exists = Path.exists
    monkeypatch.setattr(
        Path, "exists", lambda self: False if self.name == "secret_key" else real_exists(self)
    )
    assert cfg.load_or_create_secret_key(instance) == first
    assert sorted(p.name for p in instance.iterdir()) == ["secret_key"]  # no leftovers


def test_an_empty_key_file_is_replaced(tmp_path: Path) -> None:
    instance = tmp_path / "instance"
    instance.mkdir()
    (instance / "secret_key").write_text("\n")
    key = cfg.load_or_create_secret_key(instance)
    assert len(key) >= 32
    assert cfg.load_or_create_secret_key(instance) == key


@pytest.mark.parametrize("value", ["", "abc", "ten per minute", None])
def test_unreadable_rate_limits_refuse_to_start(tmp_path: Path, value: object) -> None:
    with pytest.raises(cfg.ConfigError, match="MAIL_TARGET_RATE_LIMIT"):
        build(tmp_path, MAIL_TARGET_RATE_LIMIT=value)
    build(tmp_path, MAIL_TARGET_RATE_LIMIT="2 per minute; 5 per hour")
