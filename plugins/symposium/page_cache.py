"""A shared cache of built programme answers, compressed once (no Flask request in here).

A cached answer is a :class:`Built` body: static text with named *holes* between (the
few per-visitor bits of a page: the CSRF token, the account links, flashed messages, the
CSP nonce).  The static parts are stored raw and gzip-compressed, each compressed on its
own and ended with a sync flush, so a response is assembled by joining the stored
compressed parts with the (tiny) compressed hole values: raw DEFLATE streams that end on a
byte boundary may be concatenated (RFC 1951), and the gzip trailer is a CRC-32 of the
whole raw body (RFC 1952).  Nothing large is compressed per request.

Stores: :class:`MemoryStore` (per process, bounded, least recently used) always, in front
of :class:`RedisStore` when ``GELAR_REDIS_URL`` is set (shared by every worker).  Keys hold
the event's content stamp (see :mod:`plugins.symposium.stamps`), so a stored entry is never
stale: a change makes a new key, and old keys age out (Redis: ``SYMPOSIUM_CACHE_SECONDS``).
"""

from __future__ import annotations

import hashlib
import json
import logging
import struct
import threading
import zlib
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

log = logging.getLogger("gelar.symposium.cache")

HOLE_START = "\ue000gelar-hole:"
HOLE_END = "\ue001"
MEMORY_ENTRIES = 256
MEMORY_BYTES = 32 * 1024 * 1024  # per process
DEFAULT_SECONDS = 24 * 3600
_GZIP_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"  # no name, no mtime, OS unknown
_SYNC = zlib.Z_SYNC_FLUSH


def hole(name: str) -> str:
    """The marker a template writes where the per-visitor value ``name`` goes."""
    return f"{HOLE_START}{name}{HOLE_END}"


def deflate(data: bytes, *, final: bool, level: int = 6) -> bytes:
    """``data`` as a raw DEFLATE piece that may be followed by another (unless ``final``)."""
    compressor = zlib.compressobj(level, zlib.DEFLATED, -zlib.MAX_WBITS)
    return compressor.compress(data) + compressor.flush(zlib.Z_FINISH if final else _SYNC)


@dataclass
class Built:
    """A built answer: static parts and the hole names between them, plus its metadata.

    ``parts`` has one more entry than ``holes`` (``parts[0] holes[0] parts[1] …``);
    ``zparts`` are the parts compressed (the last one final).  ``digest`` identifies the
    content (the ETag's first half); ``meta`` carries what the view needs on a hit (the
    status, the content type, headers, a "not public" flag).
    """

    parts: list[bytes]
    holes: list[str]
    zparts: list[bytes] = field(default_factory=list)
    digest: str = ""
    meta: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_text(cls, text: str, meta: Mapping[str, Any] | None = None) -> Built:
        """Split ``text`` at its hole markers, compress the parts and take its digest."""
        parts: list[bytes] = []
        holes: list[str] = []
        rest = text
        while True:
            at = rest.find(HOLE_START)
            end = rest.find(HOLE_END, at) if at >= 0 else -1
            if at < 0 or end < 0:
                parts.append(rest.encode())
                break
            parts.append(rest[:at].encode())
            holes.append(rest[at + len(HOLE_START) : end])
            rest = rest[end + len(HOLE_END) :]
        return cls.from_parts(parts, holes, meta)

    @classmethod
    def from_parts(
        cls, parts: list[bytes], holes: list[str], meta: Mapping[str, Any] | None = None
    ) -> Built:
        """A built answer from raw parts (compressed here, once)."""
        last = len(parts) - 1
        zparts = [deflate(p, final=i == last) for i, p in enumerate(parts)]
        digest = hashlib.sha256(b"\0".join(parts)).hexdigest()[:20]
        return cls(parts, holes, zparts, digest, dict(meta or {}))

    def body(self, values: Mapping[str, str]) -> bytes:
        """The raw body with ``values`` in the holes."""
        out = [self.parts[0]]
        for name, part in zip(self.holes, self.parts[1:], strict=True):
            out.append(values.get(name, "").encode())
            out.append(part)
        return b"".join(out)

    def gzip_body(self, values: Mapping[str, str]) -> bytes:
        """The gzip body with ``values`` in the holes (only the hole values are compressed)."""
        pieces = [self.zparts[0]]
        crc = zlib.crc32(self.parts[0])
        size = len(self.parts[0])
        for name, part, zpart in zip(self.holes, self.parts[1:], self.zparts[1:], strict=True):
            value = values.get(name, "").encode()
            if value:
                pieces.append(deflate(value, final=False, level=1))
                crc = zlib.crc32(value, crc)
                size += len(value)
            pieces.append(zpart)
            crc = zlib.crc32(part, crc)
            size += len(part)
        trailer = struct.pack("<II", crc & 0xFFFFFFFF, size & 0xFFFFFFFF)
        return _GZIP_HEADER + b"".join(pieces) + trailer

    @property
    def raw_size(self) -> int:
        """Bytes of the static parts (without hole values)."""
        return sum(len(p) for p in self.parts)

    @property
    def stored_size(self) -> int:
        """Bytes kept for this answer (raw and compressed parts)."""
        return self.raw_size + sum(len(z) for z in self.zparts)

    def dumps(self) -> bytes:
        """A compact binary form: a JSON header line, then the raw and compressed parts."""
        header = {
            "h": self.holes,
            "p": [len(p) for p in self.parts],
            "z": [len(z) for z in self.zparts],
            "d": self.digest,
            "m": self.meta,
        }
        return json.dumps(header).encode() + b"\n" + b"".join(self.parts) + b"".join(self.zparts)

    @classmethod
    def loads(cls, blob: bytes) -> Built:
        """The inverse of :meth:`dumps`."""
        line, _, rest = blob.partition(b"\n")
        header = json.loads(line)
        at = 0
        parts, zparts = [], []
        for size in header["p"]:
            parts.append(rest[at : at + size])
            at += size
        for size in header["z"]:
            zparts.append(rest[at : at + size])
            at += size
        return cls(parts, header["h"], zparts, header["d"], header["m"])


class Store(Protocol):
    """Where built answers are kept."""

    def get(self, key: str) -> Built | None:
        """The entry under ``key``, or ``None``."""

    def put(self, key: str, built: Built, seconds: int) -> None:
        """Keep ``built`` under ``key`` for about ``seconds``."""


class MemoryStore:
    """Per-process entries, the most recently used within ``size`` entries and ``budget``
    bytes (thread-safe)."""

    def __init__(self, size: int = MEMORY_ENTRIES, budget: int = MEMORY_BYTES) -> None:
        self.size = size
        self.budget = budget
        self.bytes = 0
        self._entries: OrderedDict[str, Built] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> Built | None:
        """The entry under ``key`` (marked as recently used), or ``None``."""
        with self._lock:
            found = self._entries.get(key)
            if found is not None:
                self._entries.move_to_end(key)
            return found

    def put(self, key: str, built: Built, seconds: int) -> None:
        """Keep ``built``; the least recently used entries go when full (``seconds`` unused)."""
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self.bytes -= old.stored_size
            self._entries[key] = built
            self.bytes += built.stored_size
            while self._entries and (len(self._entries) > self.size or self.bytes > self.budget):
                _key, dropped = self._entries.popitem(last=False)
                self.bytes -= dropped.stored_size

    def clear(self) -> None:
        """Forget everything."""
        with self._lock:
            self._entries.clear()
            self.bytes = 0


class RedisStore:
    """Entries shared by every worker in Redis (a failing Redis is a cache miss, logged)."""

    def __init__(self, client: Any, prefix: str = "gelar:symposium:") -> None:
        self.client = client
        self.prefix = prefix

    def get(self, key: str) -> Built | None:
        """The entry under ``key``, or ``None`` (also when Redis fails)."""
        try:
            blob = self.client.get(self.prefix + key)
        except Exception:
            log.warning("symposium cache: Redis read failed", exc_info=True)
            return None
        return Built.loads(blob) if blob else None

    def put(self, key: str, built: Built, seconds: int) -> None:
        """Keep ``built`` for ``seconds`` (a failing Redis is logged and ignored)."""
        try:
            self.client.set(self.prefix + key, built.dumps(), ex=max(1, seconds))
        except Exception:
            log.warning("symposium cache: Redis write failed", exc_info=True)


class PageCache:
    """The memory store in front of an optional shared store."""

    def __init__(self, shared: Store | None = None, *, seconds: int = DEFAULT_SECONDS) -> None:
        self.memory = MemoryStore()
        self.shared = shared
        self.seconds = seconds
        self.builds = 0  # how many answers this process built (tests, bench)

    def get_or_build(self, key: str, build: Callable[[], Built], *, seconds: int = 0) -> Built:
        """The answer under ``key``: from memory, else the shared store, else ``build()``."""
        found = self.memory.get(key)
        if found is not None:
            return found
        if self.shared is not None:
            found = self.shared.get(key)
            if found is not None:
                self.memory.put(key, found, seconds or self.seconds)
                return found
        built = build()
        self.builds += 1
        self.memory.put(key, built, seconds or self.seconds)
        if self.shared is not None:
            self.shared.put(key, built, seconds or self.seconds)
        return built


def make_cache(
    redis_url: str | None, seconds: int = DEFAULT_SECONDS, *, namespace: str = ""
) -> PageCache:
    """A cache for one app: shared through Redis when ``redis_url`` is set.

    ``namespace`` (e.g. a digest of the database URL) keeps the entries of apps on
    different databases apart in one Redis.
    """
    if not redis_url:
        return PageCache(seconds=seconds)
    import redis

    client = redis.Redis.from_url(redis_url, socket_timeout=1.0, socket_connect_timeout=1.0)
    prefix = f"gelar:symposium:{namespace}:"
    return PageCache(RedisStore(client, prefix), seconds=seconds)
