"""Message catalogues for core and each plugin: extract, update, compile, check.

Run ``python -m core.i18n_tools`` (``make translations``) after adding UI strings: it extracts
the English msgids from ``core/`` and from every ``plugins/<name>/`` into that package's own
catalogue (``<package>/translations/id/LC_MESSAGES/messages.po``), keeps the Indonesian
translations already made, drops strings no longer used and compiles the ``.mo`` files.
``python -m core.i18n_tools --check`` changes nothing and exits non-zero when a catalogue is
missing strings, has untranslated or fuzzy entries, or its ``.mo`` is out of date.

Everything goes through Babel's own API (``babel.messages``); nothing is parsed by hand.
"""

from __future__ import annotations

import argparse
import io
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
SOURCE_LANGUAGE = "en"
TARGET_LOCALES = ("id",)
DOMAIN = "messages"
PROJECT = "Gelar"
HEADER_COMMENT = (
    "# Indonesian translations of Gelar's English UI strings.\n"
    "# Regenerate with `python -m core.i18n_tools` (make translations); translate every\n"
    "# empty msgstr, keep %(name)s placeholders, then run the command again to compile."
)

KEYWORDS: dict[str, object] = {
    **DEFAULT_KEYWORDS,
    "_l": None,
    "Msg": None,
    "lazy_gettext": None,
    "lazy_ngettext": (1, 2),
    "lazy_pgettext": ((1, "c"), 2),
}
METHOD_MAP: list[tuple[str, str]] = [
    ("migrations/**", "ignore"),
    ("static/**", "ignore"),
    ("translations/**", "ignore"),
    ("**.py", "python"),
    ("**/templates/**.html", "jinja2"),
    ("**/templates/**.txt", "jinja2"),
]
# ``silent: false`` makes a broken template fail extraction loudly instead of being skipped.
OPTIONS_MAP: dict[str, dict[str, str]] = {
    "**/templates/**.html": {"silent": "false"},
    "**/templates/**.txt": {"silent": "false"},
}


@dataclass(frozen=True)
class Package:
    """A package with its own catalogue: ``core`` or one plugin."""

    name: str
    source: Path

    @property
    def translations(self) -> Path:
        """The package's ``translations/`` folder (what Flask-Babel loads)."""
        return self.source / "translations"

    def po_path(self, locale: str) -> Path:
        """Where the ``.po`` file for ``locale`` lives."""
        return self.translations / locale / "LC_MESSAGES" / f"{DOMAIN}.po"

    def mo_path(self, locale: str) -> Path:
        """Where the compiled ``.mo`` file for ``locale`` lives."""
        return self.po_path(locale).with_suffix(".mo")


@dataclass
class Problems:
    """What is wrong with one package's catalogue for one locale."""

    package: str
    locale: str
    missing: list[str] = field(default_factory=list)
    obsolete: list[str] = field(default_factory=list)
    untranslated: list[str] = field(default_factory=list)
    fuzzy: list[str] = field(default_factory=list)
    format_errors: list[str] = field(default_factory=list)
    mo_out_of_date: bool = False
    no_catalogue: bool = False

    def __bool__(self) -> bool:
        return bool(
            self.missing
            or self.obsolete
            or self.untranslated
            or self.fuzzy
            or self.format_errors
            or self.mo_out_of_date
            or self.no_catalogue
        )

    def describe(self) -> str:
        """A human-readable list of the problems."""
        lines = [f"{self.package} [{self.locale}]:"]
        if self.no_catalogue:
            lines.append("  no catalogue (run `python -m core.i18n_tools`)")
        for label, items in (
            ("missing from the catalogue", self.missing),
            ("no longer used", self.obsolete),
            ("untranslated", self.untranslated),
            ("fuzzy", self.fuzzy),
            ("placeholder errors", self.format_errors),
        ):
            for item in items:
                lines.append(f"  {label}: {item!r}")
        if self.mo_out_of_date:
            lines.append("  .mo is out of date with the .po (run `python -m core.i18n_tools`)")
        return "\n".join(lines)


def packages(root: Path = ROOT) -> list[Package]:
    """Core plus every plugin package under ``plugins/`` (each has its own catalogue)."""
    found = [Package("core", root / "core")]
    plugin_root = root / "plugins"
    if plugin_root.is_dir():
        for child in sorted(plugin_root.iterdir()):
            if child.is_dir() and (child / "__init__.py").exists():
                found.append(Package(f"plugins.{child.name}", child))
    return found


def message_key(message: Message) -> str | tuple[str, str]:
    """A message's identity in a catalogue: its msgid (singular), plus context if any."""
    msgid = message.id[0] if isinstance(message.id, list | tuple) else message.id
    return (message.context, msgid) if message.context else msgid


def extract(package: Package) -> Catalog:
    """Extract the package's English msgids into a template catalogue (in memory)."""
    template = Catalog(project=PROJECT, locale=None, domain=DOMAIN, charset="utf-8")
    template.locale = None  # a template, like a .pot file
    for filename, lineno, message, comments, context in extract_from_dir(
        str(package.source),
        method_map=METHOD_MAP,
        options_map=OPTIONS_MAP,
        keywords=KEYWORDS,
        comment_tags=("NOTE:", "TRANSLATORS:"),
        strip_comment_tags=True,
    ):
        location = (str(Path(package.name.replace(".", "/")) / filename), lineno)
        template.add(message, None, [location], auto_comments=comments, context=context)
    return template


def load_po(path: Path, locale: str) -> Catalog:
    """Read a ``.po`` file (or an empty catalogue for ``locale`` when there is none)."""
    if not path.exists():
        return Catalog(locale=locale, domain=DOMAIN, project=PROJECT, charset="utf-8")
    with path.open("rb") as handle:
        return read_po(handle, locale=locale, domain=DOMAIN)


def po_bytes(catalog: Catalog) -> bytes:
    """Serialise a catalogue as ``.po`` (sorted, without line numbers, for quiet diffs)."""
    buffer = io.BytesIO()
    write_po(
        buffer,
        catalog,
        width=100,
        sort_output=True,
        ignore_obsolete=True,
        include_lineno=False,
        omit_header=False,
    )
    return buffer.getvalue()


def mo_bytes(catalog: Catalog) -> bytes:
    """Compile a catalogue to ``.mo`` (untranslated and fuzzy entries are left out)."""
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    return buffer.getvalue()


def compiled_messages(data: bytes) -> dict[object, object]:
    """The msgid → msgstr pairs in compiled ``.mo`` data (header excluded)."""
    catalog = read_mo(io.BytesIO(data))
    return {_hashable(message.id): _hashable(message.string) for message in catalog if message.id}


def _hashable(value: object) -> object:
    return tuple(value) if isinstance(value, list | tuple) else value


def update(package: Package, locale: str) -> Catalog | None:
    """Merge freshly extracted msgids into the ``.po``, write it and compile the ``.mo``.

    Returns the updated catalogue, or ``None`` when the package has no UI strings and no
    catalogue yet (nothing is written then).
    """
    template = extract(package)
    po_path = package.po_path(locale)
    if not len(template) and not po_path.exists():
        return None
    catalog = load_po(po_path, locale)
    if po_path.exists():  # keep the header stable so unchanged catalogues stay unchanged
        template.creation_date = catalog.creation_date
    catalog.update(template, no_fuzzy_matching=True, update_header_comment=False)
    _set_header(catalog)
    catalog.obsolete.clear()
    catalog.fuzzy = False
    po_path.parent.mkdir(parents=True, exist_ok=True)
    new_po = po_bytes(catalog)
    if not po_path.exists() or po_path.read_bytes() != new_po:
        po_path.write_bytes(new_po)
    catalog = load_po(po_path, locale)
    new_mo = mo_bytes(catalog)
    mo_path = package.mo_path(locale)
    if not mo_path.exists() or mo_path.read_bytes() != new_mo:
        mo_path.write_bytes(new_mo)
    return catalog


def _set_header(catalog: Catalog) -> None:
    catalog.header_comment = HEADER_COMMENT
    catalog.project = PROJECT
    catalog.version = "1"
    catalog.msgid_bugs_address = ""
    catalog.last_translator = "Gelar"
    catalog.language_team = "Bahasa Indonesia"
    catalog.revision_date = catalog.creation_date


def check(package: Package, locale: str) -> Problems:
    """Compare the shipped catalogue with the source code and its compiled ``.mo``."""
    problems = Problems(package.name, locale)
    template = extract(package)
    po_path = package.po_path(locale)
    if not po_path.exists():
        problems.no_catalogue = bool(len(template))
        return problems
    catalog = load_po(po_path, locale)
    extracted = {message_key(m) for m in template if m.id}
    shipped = {message_key(m) for m in catalog if m.id}
    problems.missing = sorted(map(str, extracted - shipped))
    problems.obsolete = sorted(map(str, shipped - extracted))
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, list | tuple) else [message.string]
        if not all(strings):
            problems.untranslated.append(str(message_key(message)))
        if message.fuzzy:
            problems.fuzzy.append(str(message_key(message)))
    for message, errors in catalog.check():
        problems.format_errors.extend(f"{message_key(message)}: {error}" for error in errors)
    mo_path = package.mo_path(locale)
    expected = compiled_messages(mo_bytes(catalog))
    problems.mo_out_of_date = (
        not mo_path.exists() or compiled_messages(mo_path.read_bytes()) != expected
    )
    return problems


def conflicting_translations(
    root: Path = ROOT, locale: str = TARGET_LOCALES[0]
) -> dict[str, dict[str, str]]:
    """Msgids that catalogues translate differently: ``{msgid: {package: msgstr}}``.

    Flask-Babel merges every catalogue into one, so one msgid can only read one way.
    """
    seen: dict[str, dict[str, str]] = {}
    for package in packages(root):
        path = package.po_path(locale)
        if not path.exists():
            continue
        for message in load_po(path, locale):
            if message.id and all(_strings(message)):
                versions = seen.setdefault(str(message_key(message)), {})
                versions[package.name] = " | ".join(_strings(message))
    return {msgid: found for msgid, found in seen.items() if len(set(found.values())) > 1}


def check_all(root: Path = ROOT, locales: Iterable[str] = TARGET_LOCALES) -> list[Problems]:
    """Problems of every catalogue (an empty list when everything is in order)."""
    found = [check(package, locale) for package in packages(root) for locale in locales]
    return [problems for problems in found if problems]


def main(argv: list[str] | None = None) -> int:
    """Command line: update and compile every catalogue, or ``--check`` them."""
    parser = argparse.ArgumentParser(prog="python -m core.i18n_tools", description=__doc__)
    parser.add_argument(
        "--check", action="store_true", help="change nothing; fail on any catalogue problem"
    )
    args = parser.parse_args(argv)
    if args.check:
        problems = check_all(ROOT)
        for item in problems:
            print(item.describe())
        conflicts = {locale: conflicting_translations(ROOT, locale) for locale in TARGET_LOCALES}
        for locale, found in conflicts.items():
            for msgid, versions in found.items():
                print(f"translated differently [{locale}]: {msgid!r}: {versions}")
        failed = bool(problems) or any(conflicts.values())
        print("catalogues OK" if not failed else "catalogues need work")
        return 1 if failed else 0
    for package in packages(ROOT):
        for locale in TARGET_LOCALES:
            catalog = update(package, locale)
            if catalog is None:
                continue
            todo = [m for m in catalog if m.id and (m.fuzzy or not all(_strings(m)))]
            print(
                f"{package.po_path(locale).relative_to(ROOT)}: {sum(1 for m in catalog if m.id)}"
                f" messages, {len(todo)} to translate"
            )
            for message in todo:
                print(f"  TODO {message_key(message)!r}")
    return 0


def _strings(message: Message) -> list[str]:
    string = message.string
    return list(string) if isinstance(string, list | tuple) else [string]


if __name__ == "__main__":
    sys.exit(main())
