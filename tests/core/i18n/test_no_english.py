"""Bahasa Indonesia everywhere: crawl the demo in ``id`` as every role and find no English.

The demo (2019 and the upcoming edition) is seeded; every page reachable from ``/`` and the
events' pages is fetched as each role (anonymous, visitor, exhibitor, judge, organizer, site
admin), then every form found is submitted empty.  Each page's visible text (tags, scripts
and styles stripped; ``placeholder``, ``title``, ``aria-label`` and button values kept) is
split into words and compared with the *English-only* words of the catalogues: words of
the English msgids that never occur in an Indonesian translation, minus a small allow-list
of proper names, acronyms and loanwords Indonesian uses as is.  A word found means a
string reached the page without translation.

URLs that differ only by numbers are fetched at most twice (178 innovation pages read the
same template), so the crawl stays under a minute or two.
"""

from __future__ import annotations

import re
from collections import deque
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

from babel.messages.pofile import read_po
from sqlalchemy import select

from core.models import Event, VisitorPass
from core.services.demo import (
    DEMO_ADMIN,
    DEMO_EXHIBITOR,
    DEMO_JUDGE_PASSWORD,
    DEMO_ORGANIZER,
    DEMO_SLUG,
    seed_demo,
)
from core.services.demo_data import DEMO_JUDGES

ROOT = Path(__file__).resolve().parents[3]
WORD = re.compile(r"[A-Za-z][A-Za-z'-]*[A-Za-z]|[A-Za-z]")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}
NUMBERS = re.compile(r"\d+")
URL = re.compile(r"https?://\S+|\S+@\S+")
SKIP = re.compile(
    r"^/(static|api|lang)/|/auth/logout|\.(csv|xlsx|ics|pdf|png|jpg|svg|json|zip)$|/export|"
    r"/qr|/print|/download|/files/|/uploads/|/calendar|\.ics"
)
#: Words that read the same in Indonesian: names, acronyms, loanwords, units.
ALLOWED = {
    "gelar",
    "cettar",
    "email",
    "e-mail",
    "online",
    "offline",
    "website",
    "web",
    "login",
    "password",
    "admin",
    "ok",
    "qr",
    "csv",
    "xlsx",
    "ics",
    "pdf",
    "api",
    "id",
    "en",
    "english",
    "indonesia",
    "bahasa",
    "jawa",
    "timur",
    "jatim",
    "wib",
    "wita",
    "wit",
    "utc",
    "samsat",
    "bapenda",
    "dinkes",
    "rsud",
    "bumd",
    "opd",
    "panrb",
    "top_n",
    "cutoff",
    "all",
    "organizer",
    "normalized",
    "raw",
    "draft",
    "submitted",
    "pending",
    "ctrl",
    "cmd",
    "url",
    "http",
    "https",
    "iso",
    "json",
    "token",
    "booth",
    "stand",
    "e-samsat",
    "smart",
    "digital",
    "open",
    "source",
    "platform",
    "scan",
    "checklist",
    "dashboard",
    "plugin",
    "plugins",
    "software",
    "chat",
    "video",
    "data",
    "desk",
    "link",
    "no",
    "the",
    "in",
}


def english_only_words() -> set[str]:
    """Words of English msgids that no Indonesian translation uses, minus the allow-list."""
    english: set[str] = set()
    indonesian: set[str] = set()
    for po in [
        ROOT / "core/translations/id/LC_MESSAGES/messages.po",
        *sorted((ROOT / "plugins").glob("*/translations/id/LC_MESSAGES/messages.po")),
    ]:
        with po.open("rb") as handle:
            catalogue = read_po(handle)
        for message in catalogue:
            if not message.id:
                continue
            ids = message.id if isinstance(message.id, tuple) else (message.id,)
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            for text in ids:
                english.update(w.lower() for w in WORD.findall(re.sub(r"%\(\w+\)\w", "", text)))
            for text in strings:
                indonesian.update(w.lower() for w in WORD.findall(text or ""))
    return {w for w in english - indonesian - ALLOWED if len(w) >= 3}


class _Page(HTMLParser):
    """Visible text, links and forms of one HTML page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.links: list[str] = []
        self.forms: list[dict[str, Any]] = []
        self._hidden = 0
        self._stack: list[tuple[str, bool]] = []
        self._form: dict[str, Any] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        # script/style are not text, code is technical; lang="en" marks English on purpose
        hides = tag in (
            "script",
            "style",
            "template",
            "noscript",
            "code",
            "pre",
            "kbd",
        ) or values.get("lang", "").startswith("en")
        if tag not in VOID:
            self._stack.append((tag, hides))
            self._hidden += hides
        if hides:
            return
        for name in ("placeholder", "title", "aria-label", "alt"):
            if values.get(name) and not self._hidden:
                self.text.append(values[name])
        if tag == "input" and values.get("type") in ("submit", "button") and values.get("value"):
            self.text.append(values["value"])
        if tag == "a" and values.get("href"):
            self.links.append(values["href"])
        if tag == "form":
            self._form = {
                "action": values.get("action", ""),
                "method": values.get("method", "get").lower(),
                "fields": [],
                "hidden": {},
            }
            self.forms.append(self._form)
        if self._form is not None and tag in ("input", "textarea", "select"):
            kind = values.get("type", "text")
            if kind == "hidden" and values.get("name"):
                self._form["hidden"][values["name"]] = values.get("value", "")
            elif kind not in ("submit", "button", "hidden", "checkbox", "radio", "file"):
                self._form["fields"].append(values.get("name", ""))

    def handle_endtag(self, tag: str) -> None:
        while self._stack:
            opened, hides = self._stack.pop()
            self._hidden -= hides
            if opened == tag:
                break
        if tag == "form":
            self._form = None

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.text.append(data)


def _parse(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    return page


def _english(text: str, english: set[str]) -> set[str]:
    return {w for w in (m.lower() for m in WORD.findall(text)) if w in english}


class Crawl:
    """Fetch pages breadth-first, record the English words each one shows."""

    def __init__(self, client: Any, english: set[str], data_words: set[str]) -> None:
        self.client = client
        self.english = english
        self.data_words = data_words
        self.found: dict[str, set[str]] = {}
        self.pages = 0

    def check(self, where: str, html: str) -> _Page:
        page = _parse(html)
        text = URL.sub(" ", " ".join(page.text))
        words = _english(text, self.english) - self.data_words
        if words:
            where = re.sub(r"\?next=.*", "?next=…", where)
            contexts = [
                " ".join(m.group(0).split())
                for w in sorted(words)
                for m in [re.search(rf".{{0,40}}\b{re.escape(w)}\b.{{0,40}}", text, re.I | re.S)]
                if m
            ]
            self.found[where] = set(contexts) or words
        return page

    def run(self, starts: list[str], *, limit: int = 160) -> list[dict[str, Any]]:
        seen: set[str] = set()
        patterns: dict[str, int] = {}
        queue = deque(starts)
        forms: dict[str, dict[str, Any]] = {}
        fetched = 0
        while queue and fetched < limit:
            url = queue.popleft()
            path = urlsplit(url).path or "/"
            query = urlsplit(url).query
            if urlsplit(url).netloc not in ("", "localhost") or SKIP.search(path):
                continue
            key = path + ("?" + query if query else "")
            pattern = NUMBERS.sub("N", path)
            if key in seen or patterns.get(pattern, 0) >= 2:
                continue
            seen.add(key)
            patterns[pattern] = patterns.get(pattern, 0) + 1
            response = self.client.get(key)
            self.pages += 1
            fetched += 1
            if "text/html" not in response.content_type:
                continue
            page = self.check(f"GET {key}", response.get_data(as_text=True))
            for href in page.links:
                target = urljoin(path, href).split("#")[0]
                if target:
                    queue.append(target)
            for form in page.forms:
                if form["method"] == "post" and form["fields"]:
                    action = urljoin(path, form["action"] or path)
                    forms.setdefault(NUMBERS.sub("N", action), {**form, "action": action})
        return list(forms.values())

    def submit_empty(self, forms: list[dict[str, Any]]) -> None:
        for form in forms:
            if SKIP.search(form["action"]):
                continue
            response = self.client.post(form["action"], data=dict(form["hidden"]))
            if "text/html" in response.content_type:
                self.check(f"POST {form['action']} (empty)", response.get_data(as_text=True))


def data_words(db: Any) -> set[str]:
    """Words of the demo's data (innovation titles and summaries, agency names): not UI."""
    from core.models import Innovation, Organization

    texts: list[str] = []
    for title, summary in db.execute(select(Innovation.title, Innovation.summary)):
        texts += [title, summary or ""]
    for name, short, aliases in db.execute(
        select(Organization.name, Organization.short_name, Organization.aliases)
    ):
        texts += [name, short, aliases]
    db.commit()
    return {w.lower() for text in texts for w in WORD.findall(text)}


def _accounts(db: Any) -> dict[str, tuple[str, str] | None]:
    code = db.scalar(select(VisitorPass.code).limit(1))
    db.commit()
    return {
        "anonymous": None,
        "exhibitor": (DEMO_EXHIBITOR[0], DEMO_EXHIBITOR[2]),
        "judge": (DEMO_JUDGES[0][1], DEMO_JUDGE_PASSWORD),
        "organizer": (DEMO_ORGANIZER[0], DEMO_ORGANIZER[2]),
        "admin": (DEMO_ADMIN[0], DEMO_ADMIN[2]),
        "visitor-pass": ("pass", code or ""),
    }


def test_the_demo_shows_no_english_in_indonesian(
    app: Any, client: Any, db: Any, registry: Any
) -> None:
    seed_demo(db, registry)
    db.commit()
    slugs = list(db.scalars(select(Event.slug).order_by(Event.id)))
    db.commit()
    assert DEMO_SLUG in slugs and len(slugs) == 2
    english = english_only_words()
    assert {"required", "field", "score"} <= english  # the comparison can fail
    crawl = Crawl(client, english, data_words=data_words(db))
    for role, account in _accounts(db).items():
        client.post("/auth/logout")
        if account is not None and account[0] != "pass":
            response = client.post(
                "/auth/login", data={"email": account[0], "password": account[1]}
            )
            assert response.status_code == 302, role
        client.post("/lang/id")
        starts = ["/", *(f"/{slug}/" for slug in slugs)]
        if account is not None and account[0] == "pass":
            starts += [f"/{slugs[-1]}/voting/?pass={account[1]}"]
        forms = crawl.run(starts)
        crawl.submit_empty(forms)
    assert crawl.pages > 50
    report = "\n".join(f"{where}: {sorted(words)}" for where, words in sorted(crawl.found.items()))
    assert not crawl.found, f"English words on {len(crawl.found)} pages:\n{report}"
