"""Uploaded images judged by content: a PNG/JPEG signature, a Pillow decode, a scaled copy.

Shared by every plugin that accepts pictures (exhibitor logos, speaker photos, innovation
documents), so the rules are the same everywhere: the declared type and file name are never
trusted, an image must decode, images over :data:`MAX_PIXELS` are refused as decompression
bombs, and stored copies are re-encoded (which drops metadata and trailing bytes).
"""

from __future__ import annotations

import io

MAX_PIXELS = 40_000_000
# Magic numbers of the raster formats accepted for pictures: (signature, type, extension).
SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
)


def image_type(content: bytes) -> tuple[str, str] | None:
    """(content type, extension) of a PNG or JPEG judged by its first bytes, else ``None``."""
    for signature, content_type, extension in SIGNATURES:
        if content.startswith(signature):
            return content_type, extension
    return None


def decodes(content: bytes) -> bool:
    """Whether Pillow reads the image (too many pixels counts as unreadable)."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(content)) as probe:
            if probe.width * probe.height > MAX_PIXELS:
                return False
            probe.verify()
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        return False
    return True


def scaled_copy(content: bytes, max_side: int) -> tuple[bytes, str, str] | None:
    """A PNG/JPEG re-encoded to fit ``max_side`` square (aspect kept), with its type and
    extension; ``None`` when it is not a PNG/JPEG that decodes."""
    from PIL import Image, UnidentifiedImageError

    kind = image_type(content)
    if kind is None or not decodes(content):
        return None
    content_type, extension = kind
    try:
        with Image.open(io.BytesIO(content)) as image:
            image.load()
            image.thumbnail((max_side, max_side))
            if extension == "jpg" and image.mode not in ("RGB", "L"):
                image = image.convert("RGB")
            out = io.BytesIO()
            image.save(out, format="PNG" if extension == "png" else "JPEG", optimize=True)
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        return None
    return out.getvalue(), content_type, extension
