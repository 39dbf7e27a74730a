"""Flask-Babel merges core's catalogue with every plugin's own catalogue."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from flask_babel import force_locale, gettext, lazy_gettext

from core.i18n import STORED_WORDS
from core.i18n_tools import packages


def test_translation_directories_are_each_plugin_then_core(app: Flask) -> None:
    folders = [Path(p) for p in app.config["BABEL_TRANSLATION_DIRECTORIES"].split(";")]
    assert folders[-1] == packages()[0].translations  # core last: plugins cannot override it
    for package in packages()[1:]:
        assert package.translations in folders, package.name


def test_core_and_plugin_strings_are_translated_together(app: Flask) -> None:
    with app.test_request_context("/"):
        assert gettext("Sign in") == "Masuk"
        assert gettext("Judging") == "Penjurian"
        assert gettext("Innovation catalogue") == "Katalog inovasi"
        assert str(lazy_gettext("Settings")) == "Pengaturan"
        assert gettext("Hello %(name)s,", name="Sari") == "Yth. Sari,"
        assert [gettext(word) for word in STORED_WORDS] == [
            "draf",
            "diterbitkan",
            "diarsipkan",
            "panitia",
            "juri",
        ]
        with force_locale("en"):
            assert gettext("Sign in") == "Sign in"
            assert gettext("Judging") == "Judging"


def test_plugin_nav_items_follow_the_language(client: FlaskClient, make: Any) -> None:
    make.event("jatim-2026", plugins=["voting", "exhibitors"])
    page = client.get("/jatim-2026/").get_data(as_text=True)
    assert ">Penjurian<" in page
    client.post("/lang/en", data={"next": "/"})
    page = client.get("/jatim-2026/").get_data(as_text=True)
    assert ">Judging<" in page and ">Penjurian<" not in page


def test_translations_work_outside_a_request(app):
    """CLI commands and worker threads translate in the default language (Indonesian)."""
    from flask_babel import gettext

    with app.app_context():
        assert gettext("Sign in") == "Masuk"
