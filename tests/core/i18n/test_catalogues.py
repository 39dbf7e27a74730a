"""Every shipped catalogue covers every UI string, is fully translated and compiled.

These tests extract the messages from the source again and compare them with the shipped
``.po`` and ``.mo`` files.  When one fails after adding UI strings, run
``python -m core.i18n_tools`` (``make translations``), translate the empty ``msgstr`` entries
in the ``.po`` files it lists, and run it again to compile.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.catalog import Catalog

from core import i18n_tools
from core.i18n_tools import Package, check, load_po, packages, po_bytes, update

SHIPPED = packages()


def _ids(package: Package) -> str:
    return package.name


def test_core_and_every_plugin_have_a_catalogue() -> None:
    names = {package.name for package in SHIPPED}
    assert {"core", "plugins.registration", "plugins.exhibitors"} <= names
    assert {"plugins.symposium", "plugins.voting"} <= names
    for package in SHIPPED:
        assert package.po_path("id").is_file(), f"{package.name} has no Indonesian catalogue"
        assert package.mo_path("id").is_file(), f"{package.name} ships no compiled catalogue"


@pytest.mark.parametrize("package", SHIPPED, ids=_ids)
def test_catalogue_holds_every_ui_string(package: Package) -> None:
    problems = check(package, "id")
    assert not problems.no_catalogue, problems.describe()
    assert not problems.missing, problems.describe()
    assert not problems.obsolete, problems.describe()


@pytest.mark.parametrize("package", SHIPPED, ids=_ids)
def test_every_message_is_translated(package: Package) -> None:
    problems = check(package, "id")
    assert not problems.untranslated, problems.describe()
    assert not problems.fuzzy, problems.describe()
    assert not problems.format_errors, problems.describe()


@pytest.mark.parametrize("package", SHIPPED, ids=_ids)
def test_compiled_catalogue_matches_the_po(package: Package) -> None:
    problems = check(package, "id")
    assert not problems.mo_out_of_date, problems.describe()


def test_a_msgid_reads_the_same_in_every_catalogue() -> None:
    """Flask-Babel merges all catalogues, so one msgid can only have one translation."""
    assert i18n_tools.conflicting_translations() == {}


def test_status_words_and_the_agreed_terms_are_in_indonesian() -> None:
    core = {m.id: m.string for m in load_po(Package("core", Path("core")).po_path("id"), "id")}
    expected = {
        "Sign in": "Masuk",
        "Sign out": "Keluar",
        "Organizer": "Panitia",
        "Judge": "Juri",
        "Plugins": "Plugin",
        "Settings": "Pengaturan",
        "Dashboard": "Dasbor",
        "Audit log": "Log audit",
        "Outbox": "Kotak keluar",
        "Passes": "Pass pengunjung",
        "innovations": "inovasi",
    }
    for msgid, msgstr in expected.items():
        assert core.get(msgid) == msgstr, msgid
    for word in ("draft", "published", "archived", "organizer", "judge"):
        assert core.get(word), f"status word {word!r} is not translated"


# --- the checker itself, on a throwaway project --------------------------------------


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A tiny core + one plugin with a template, a Python string and a mail template."""
    (tmp_path / "core" / "templates" / "mail").mkdir(parents=True)
    (tmp_path / "core" / "templates" / "page.html").write_text(
        '<p>{{ _("Sign in") }}</p>\n<p>{{ _("Hello %(name)s", name=n) }}</p>\n'
    )
    (tmp_path / "core" / "templates" / "mail" / "note.txt").write_text('{{ _("Bye") }}\n')
    (tmp_path / "core" / "views.py").write_text(
        "from flask_babel import lazy_gettext as _l\nLABEL = _l('Settings')\n"
    )
    plugin = tmp_path / "plugins" / "demo"
    (plugin / "templates" / "demo").mkdir(parents=True)
    (plugin / "__init__.py").write_text("")
    (plugin / "templates" / "demo" / "index.html").write_text('{{ _("Judging") }}\n')
    return tmp_path


def _translate(package: Package, translations: dict[str, str]) -> None:
    catalog = load_po(package.po_path("id"), "id")
    for message in catalog:
        if message.id in translations:
            message.string = translations[message.id]
    package.po_path("id").write_bytes(po_bytes(catalog))


def _core(root: Path) -> Package:
    return next(p for p in packages(root) if p.name == "core")


def _plugin(root: Path) -> Package:
    return next(p for p in packages(root) if p.name == "plugins.demo")


def test_update_extracts_each_package_into_its_own_catalogue(project: Path) -> None:
    core_catalog = update(_core(project), "id")
    plugin_catalog = update(_plugin(project), "id")
    assert isinstance(core_catalog, Catalog) and isinstance(plugin_catalog, Catalog)
    assert {m.id for m in core_catalog if m.id} == {"Sign in", "Hello %(name)s", "Bye", "Settings"}
    assert {m.id for m in plugin_catalog if m.id} == {"Judging"}
    assert (project / "plugins/demo/translations/id/LC_MESSAGES/messages.mo").is_file()


def test_check_reports_untranslated_then_passes_once_translated(project: Path) -> None:
    core = _core(project)
    update(core, "id")
    assert check(core, "id").untranslated == sorted(
        ["Bye", "Hello %(name)s", "Settings", "Sign in"]
    )
    _translate(core, {"Sign in": "Masuk", "Hello %(name)s": "Halo %(name)s", "Bye": "Sampai jumpa"})
    _translate(core, {"Settings": "Pengaturan"})
    assert check(core, "id").mo_out_of_date  # .po changed, .mo not compiled yet
    update(core, "id")
    assert not check(core, "id")


def test_translations_survive_an_update(project: Path) -> None:
    core = _core(project)
    update(core, "id")
    _translate(core, {"Sign in": "Masuk"})
    update(core, "id")
    strings = {m.id: m.string for m in load_po(core.po_path("id"), "id")}
    assert strings["Sign in"] == "Masuk"


def test_check_reports_a_string_missing_from_the_catalogue(project: Path) -> None:
    plugin = _plugin(project)
    update(plugin, "id")
    _translate(plugin, {"Judging": "Penjurian"})
    update(plugin, "id")
    assert not check(plugin, "id")
    page = project / "plugins/demo/templates/demo/index.html"
    page.write_text(page.read_text() + '{{ _("Results") }}\n')
    assert check(plugin, "id").missing == ["Results"]


def test_check_reports_a_string_no_longer_used(project: Path) -> None:
    plugin = _plugin(project)
    update(plugin, "id")
    _translate(plugin, {"Judging": "Penjurian"})
    update(plugin, "id")
    (project / "plugins/demo/templates/demo/index.html").write_text("nothing\n")
    assert check(plugin, "id").obsolete == ["Judging"]


def test_check_reports_fuzzy_entries_and_broken_placeholders(project: Path) -> None:
    core = _core(project)
    update(core, "id")
    catalog = load_po(core.po_path("id"), "id")
    for message in catalog:
        message.string = {"Hello %(name)s": "Halo %(nama)s"}.get(message.id, "x")
        if message.id == "Bye":
            message.flags.add("fuzzy")
    core.po_path("id").write_bytes(po_bytes(catalog))
    problems = check(core, "id")
    assert problems.fuzzy == ["Bye"]
    assert problems.format_errors and "Hello %(name)s" in problems.format_errors[0]


def test_check_reports_a_stale_or_missing_mo(project: Path) -> None:
    plugin = _plugin(project)
    update(plugin, "id")
    _translate(plugin, {"Judging": "Penjurian"})
    update(plugin, "id")
    _translate(plugin, {"Judging": "Penilaian juri"})
    assert check(plugin, "id").mo_out_of_date
    update(plugin, "id")
    plugin.mo_path("id").unlink()
    assert check(plugin, "id").mo_out_of_date


def test_a_package_with_strings_but_no_catalogue_is_reported(project: Path) -> None:
    problems = check(_plugin(project), "id")
    assert problems.no_catalogue
    assert "no catalogue" in problems.describe()


def test_command_line_check_fails_then_passes(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(i18n_tools, "ROOT", project)
    assert i18n_tools.main(["--check"]) == 1
    assert i18n_tools.main([]) == 0
    assert "4 to translate" in capsys.readouterr().out
    _translate(_core(project), {"Sign in": "a", "Hello %(name)s": "b %(name)s", "Bye": "c"})
    _translate(_core(project), {"Settings": "d"})
    _translate(_plugin(project), {"Judging": "e"})
    assert i18n_tools.main([]) == 0
    assert i18n_tools.main(["--check"]) == 0
    _translate(_plugin(project), {"Judging": "f"})
    _translate(_core(project), {"Settings": "d"})
    (project / "core/templates/page.html").write_text('{{ _("Judging") }}{{ _("Sign in") }}')
    assert i18n_tools.main([]) == 0
    _translate(_core(project), {"Judging": "g"})
    assert i18n_tools.main([]) == 0
    assert i18n_tools.conflicting_translations(project) == {
        "Judging": {"core": "g", "plugins.demo": "f"}
    }
    assert i18n_tools.main(["--check"]) == 1
