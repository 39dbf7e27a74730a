"""Uploaded images judged by content and always re-encoded, with memory bounded.

Shared by every plugin that accepts pictures (exhibitor logos, speaker photos, innovation
documents), so the rules are the same everywhere:

* the declared type and file name are never trusted: the format comes from the first
  bytes (PNG, JPEG, and for documents GIF and WebP);
* the pixel budget is checked from the header, *before* anything is decoded: at most
  :data:`MAX_PIXELS` (40 MP) for a JPEG, which is decoded at a reduced scale with
  ``Image.draft`` (1/2, 1/4 or 1/8 — only as large as the stored copy needs), and at most
  :data:`MAX_FULL_DECODE_PIXELS` (16 MP) for formats that must be decoded whole (PNG, GIF,
  WebP), so a 6300x6300 PNG of 116 KB is refused without being decompressed;
* every stored image is a fresh encoding of the decoded pixels: metadata (EXIF, ICC,
  text chunks), extra frames and any bytes after the image (a script appended to a PNG
  or GIF) are gone.  JPEG stays JPEG; everything else becomes PNG.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

MAX_PIXELS = 40_000_000
MAX_FULL_DECODE_PIXELS = 16_000_000
# Magic numbers of the raster formats accepted for pictures: (signature, type, extension).
SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
)
# Formats Pillow may open (Image.open's ``formats``): never the dozens of others it knows.
_PILLOW_FORMATS = {"png": "PNG", "jpg": "JPEG", "gif": "GIF", "webp": "WEBP"}


@dataclass(frozen=True)
class Encoded:
    """A re-encoded image: its bytes, content type, file extension and size in pixels."""

    data: bytes
    content_type: str
    extension: str
    width: int
    height: int


def image_type(content: bytes) -> tuple[str, str] | None:
    """(content type, extension) of a PNG or JPEG judged by its first bytes, else ``None``."""
    for signature, content_type, extension in SIGNATURES:
        if content.startswith(signature):
            return content_type, extension
    return None


def _kind(content: bytes) -> str | None:
    """The extension of any accepted raster format (PNG, JPEG, GIF, WebP), else ``None``."""
    kind = image_type(content)
    if kind is not None:
        return kind[1]
    if content[:4] == b"GIF8":
        return "gif"
    if content[:4] == b"RIFF" and content[8:12] == b"WEBP":
        return "webp"
    return None


def within_budget(width: int, height: int, extension: str) -> bool:
    """Whether an image of this size may be decoded (JPEG: reduced decode, so more)."""
    limit = MAX_PIXELS if extension == "jpg" else min(MAX_PIXELS, MAX_FULL_DECODE_PIXELS)
    return width > 0 and height > 0 and width * height <= limit


def reencode(
    content: bytes, max_side: int, *, extensions: tuple[str, ...] = ("png", "jpg")
) -> Encoded | None:
    """A fresh encoding of ``content`` scaled to fit ``max_side`` square (aspect kept).

    ``None`` when it is not one of ``extensions`` by content, does not decode, or exceeds
    the pixel budget (checked from the header before any pixel is decoded).
    """
    from PIL import Image, ImageOps, UnidentifiedImageError

    extension = _kind(content)
    if extension is None or extension not in extensions:
        return None
    try:
        with Image.open(io.BytesIO(content), formats=[_PILLOW_FORMATS[extension]]) as image:
            if not within_budget(image.width, image.height, extension):
                return None
            if extension == "jpg":
                # Let libjpeg decode at 1/2, 1/4 or 1/8 scale when the copy is smaller.
                image.draft(image.mode, (max_side, max_side))
            image.load()
            picture = ImageOps.exif_transpose(image) if extension == "jpg" else image
            picture.thumbnail((max_side, max_side))
            if extension == "jpg":
                out_format, content_type, out_extension = "JPEG", "image/jpeg", "jpg"
                if picture.mode not in ("RGB", "L"):
                    picture = picture.convert("RGB")
            else:
                out_format, content_type, out_extension = "PNG", "image/png", "png"
                if picture.mode not in ("RGB", "RGBA", "L", "LA"):
                    picture = picture.convert("RGBA")
            clean = picture.copy()
            clean.info = {}
            out = io.BytesIO()
            clean.save(out, format=out_format, optimize=True)
    except (
        UnidentifiedImageError,
        OSError,
        ValueError,
        SyntaxError,
        EOFError,
        Image.DecompressionBombError,
    ):
        return None
    return Encoded(out.getvalue(), content_type, out_extension, clean.width, clean.height)


def decodes(content: bytes) -> bool:
    """Whether the image is an accepted format within the pixel budget that decodes."""
    return reencode(content, 64, extensions=tuple(_PILLOW_FORMATS)) is not None


def scaled_copy(content: bytes, max_side: int) -> tuple[bytes, str, str] | None:
    """A PNG/JPEG re-encoded to fit ``max_side`` square (aspect kept), with its type and
    extension; ``None`` when it is not a PNG/JPEG that decodes within the pixel budget."""
    encoded = reencode(content, max_side)
    if encoded is None:
        return None
    return encoded.data, encoded.content_type, encoded.extension
