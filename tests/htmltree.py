"""A tiny HTML tree with CSS-like selection for tests (stdlib only).

Selectors: descendant chains of compound selectors made of ``tag``, ``.class``, ``#id``,
``[attr]`` and ``[attr="value"]``, e.g. ``'.my-panel[data-plugin="voting"] a'``.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

VOID = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
    "track", "wbr",
}  # fmt: skip
_PART = re.compile(r'([a-zA-Z][\w-]*)|\.([\w-]+)|#([\w-]+)|\[([\w-]+)(?:="([^"]*)")?\]')


class Node:
    """An element: ``tag``, ``attrs``, ``children`` (nodes and strings)."""

    def __init__(self, tag: str, attrs: dict[str, str], parent: Node | None) -> None:
        self.tag, self.attrs, self.parent = tag, attrs, parent
        self.children: list[Node | str] = []

    def __getitem__(self, name: str) -> str:
        return self.attrs[name]

    def get(self, name: str, default: Any = None) -> Any:
        """An attribute or ``default``."""
        return self.attrs.get(name, default)

    def get_text(self, sep: str = "", strip: bool = False) -> str:
        """The text inside, pieces joined by ``sep`` (each stripped when ``strip``)."""
        pieces: list[str] = []
        for child in self.children:
            text = child if isinstance(child, str) else child.get_text(sep, strip)
            text = text.strip() if strip else text
            if text:
                pieces.append(text)
        return sep.join(pieces)

    def descendants(self) -> list[Node]:
        """Every element below, in document order."""
        found: list[Node] = []
        for child in self.children:
            if isinstance(child, Node):
                found.append(child)
                found.extend(child.descendants())
        return found

    def _matches(self, compound: str) -> bool:
        for tag, cls, ident, attr, value in _PART.findall(compound):
            if tag and self.tag != tag.lower():
                return False
            if cls and cls not in self.attrs.get("class", "").split():
                return False
            if ident and self.attrs.get("id") != ident:
                return False
            if attr and (attr not in self.attrs or (value and self.attrs[attr] != value)):
                return False
        return True

    def select(self, selector: str) -> list[Node]:
        """Elements matching a descendant chain of compound selectors."""
        parts = re.findall(r'(?:[^\s"\[]+|\[[^\]]*\])+', selector)
        current = [self]
        for part in parts:
            seen: set[int] = set()
            nxt = []
            for node in current:
                for d in node.descendants():
                    if id(d) not in seen and d._matches(part):
                        seen.add(id(d))
                        nxt.append(d)
            current = nxt
        return current

    def select_one(self, selector: str) -> Node | None:
        """The first match or ``None``."""
        found = self.select(selector)
        return found[0] if found else None


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#root", {}, None)
        self.current = self.root

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs}, self.current)
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.current.children.append(Node(tag, {k: v or "" for k, v in attrs}, self.current))

    def handle_endtag(self, tag: str) -> None:
        node: Node | None = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.current = node.parent

    def handle_data(self, data: str) -> None:
        self.current.children.append(data)


def parse(html: str) -> Node:
    """The document's root node."""
    builder = _Builder()
    builder.feed(html)
    builder.close()
    return builder.root
