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


def big_png(side: int = 6300) -> bytes:
    """A ``side`` x ``side`` one-bit PNG: tiny on disk, ~160 MB if decoded as RGBA."""
    out = io.BytesIO()
    Image.new("1", (side, side)).save(out, format="PNG", optimize=True)
    return out.getvalue()


def test_a_pixel_bomb_png_is_refused_from_its_header(monkeypatch) -> None:
    data = big_png()
    assert len(data) < 200_000
    from PIL import ImageFile

    def no_decode(self, *args, **kwargs):
        raise AssertionError("the pixels were decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", no_decode)
    assert images.reencode(data, 512) is None
    assert not images.decodes(data)
    assert images.scaled_copy(data, 512) is None


def test_a_large_jpeg_is_decoded_at_reduced_scale(monkeypatch) -> None:
    from PIL import JpegImagePlugin

    decoded: list[tuple[int, int]] = []
    original = JpegImagePlugin.JpegImageFile.load

    def spy(self, *args, **kwargs):
        result = original(self, *args, **kwargs)
        decoded.append(self.size)
        return result

    monkeypatch.setattr(JpegImagePlugin.JpegImageFile, "load", spy)
    encoded = images.reencode(picture(6000, 4000, "JPEG"), 512)
    assert encoded is not None and (encoded.width, encoded.height) == (512, 341)
    # libjpeg decoded at 1/4 scale (1500 x 1000, the smallest that still covers 512 x 512),
    # never the 24 MP original.
    assert decoded and max(w * h for w, h in decoded) <= 6000 * 4000 // 16


def test_reencoding_drops_metadata_and_appended_bytes() -> None:
    from PIL import PngImagePlugin

    script = b"<script>alert(document.cookie)</script>"
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "secret location")
    out = io.BytesIO()
    Image.new("RGB", (30, 30), "red").save(out, format="PNG", pnginfo=info)
    encoded = images.reencode(out.getvalue() + script, 512)
    assert encoded is not None
    assert script not in encoded.data and b"secret location" not in encoded.data
    assert Image.open(io.BytesIO(encoded.data)).text == {}

    exif = Image.Exif()
    exif[0x010E] = "GPS 7.2575 S 112.7521 E"  # ImageDescription
    out = io.BytesIO()
    Image.new("RGB", (30, 30)).save(out, format="JPEG", exif=exif.tobytes())
    encoded = images.reencode(out.getvalue() + script, 512)
    assert encoded is not None and encoded.content_type == "image/jpeg"
    assert b"GPS 7.2575" not in encoded.data and script not in encoded.data
    assert not Image.open(io.BytesIO(encoded.data)).getexif()


def test_gif_and_webp_become_png_when_allowed() -> None:
    gif = picture(20, 10, "GIF", "P") + b"<script>x</script>"
    assert images.reencode(gif, 512) is None  # pictures: PNG and JPEG only
    encoded = images.reencode(gif, 512, extensions=("png", "jpg", "gif", "webp"))
    assert encoded is not None and encoded.content_type == "image/png"
    assert b"<script>" not in encoded.data
    webp = images.reencode(picture(20, 10, "WEBP"), 512, extensions=("webp",))
    assert webp is not None and webp.extension == "png"
