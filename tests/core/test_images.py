"""core.services.images: content-checked pictures shared by the plugins."""

from __future__ import annotations

import io

from PIL import Image

from core.services import images


def picture(width: int, height: int, fmt: str = "PNG", mode: str = "RGB") -> bytes:
    out = io.BytesIO()
    Image.new(mode, (width, height)).save(out, format=fmt)
    return out.getvalue()


def test_type_is_judged_by_content_not_name() -> None:
    assert images.image_type(picture(2, 2)) == ("image/png", "png")
    assert images.image_type(picture(2, 2, "JPEG")) == ("image/jpeg", "jpg")
    assert images.image_type(b"<svg onload=alert(1)>") is None
    assert images.image_type(picture(2, 2, "GIF", "P")) is None


def test_a_header_without_an_image_does_not_decode() -> None:
    assert images.decodes(picture(3, 3))
    assert not images.decodes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)


def test_scaled_copy_fits_the_box_and_keeps_the_format() -> None:
    data, content_type, extension = images.scaled_copy(picture(2000, 1000), 512) or (b"", "", "")
    assert (content_type, extension) == ("image/png", "png")
    assert Image.open(io.BytesIO(data)).size == (512, 256)
    jpeg = images.scaled_copy(picture(300, 600, "JPEG"), 100)
    assert jpeg is not None and Image.open(io.BytesIO(jpeg[0])).size == (50, 100)


def test_small_images_are_not_enlarged_and_bad_ones_refused() -> None:
    copy = images.scaled_copy(picture(40, 20), 512)
    assert copy is not None and Image.open(io.BytesIO(copy[0])).size == (40, 20)
    assert images.scaled_copy(b"GIF89a....", 512) is None
    assert images.scaled_copy(b"\xff\xd8\xff\xe0 broken", 512) is None


def test_too_many_pixels_is_refused(monkeypatch) -> None:
    monkeypatch.setattr(images, "MAX_PIXELS", 100)
    assert not images.decodes(picture(20, 20))
    assert images.scaled_copy(picture(20, 20), 10) is None
