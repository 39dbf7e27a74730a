"""Durations, CETTAR labels, service messages with values and pydantic errors, per locale."""

from __future__ import annotations

import pytest
from flask import Flask
from flask_babel import force_locale
from pydantic import BaseModel, Field, ValidationError

from core import cettar
from core.i18n import Bilingual, Msg, format_duration, translate
from core.services.plugin_settings import pydantic_fields


@pytest.mark.parametrize(
    ("minutes", "id_text", "en_text"),
    [(60, "1 jam", "1 h"), (90, "1 jam 30 menit", "1 h 30 min"), (45, "45 menit", "45 min")],
)
def test_durations_follow_the_locale(app: Flask, minutes: int, id_text: str, en_text: str) -> None:
    with app.test_request_context():
        with force_locale("id"):
            assert format_duration(minutes) == id_text
        with force_locale("en"):
            assert format_duration(minutes) == en_text


def test_a_message_with_values_is_translated_with_them(app: Flask) -> None:
    message = Msg("Give a score for %(criterion)s.", criterion=Bilingual("Responsif", "Responsive"))
    assert message == "Give a score for Responsive."  # reads as English where untranslated
    with app.test_request_context():
        with force_locale("id"):
            assert translate(message) == "Beri nilai untuk Responsif."
        with force_locale("en"):
            assert translate(message) == "Give a score for Responsive."


class _Sample(BaseModel):
    name: str = Field(max_length=3)
    count: int


def test_pydantic_errors_are_human_and_translated(app: Flask) -> None:
    with pytest.raises(ValidationError) as caught:
        _Sample.model_validate({"name": "abcd", "extra": 1})
    with app.test_request_context(), force_locale("id"):
        fields = pydantic_fields(caught.value)
    assert fields == {
        "name": ["Gunakan paling banyak 3 karakter."],
        "count": ["Isian ini wajib diisi."],
    }


def test_one_cettar_definition() -> None:
    assert cettar.CETTAR_KEYS == (
        "cepat",
        "efektif",
        "efisien",
        "transparan",
        "tanggap",
        "responsif",
    )
    assert (
        cettar.label("efisien", "en") == "Efficient" and cettar.label("efisien", "id") == "Efisien"
    )
    default_en = cettar.BY_KEY["cepat"].description_en
    assert cettar.localized_description(default_en, "id").startswith("Seberapa jauh")
    assert cettar.localized_description("Own words.", "id") == "Own words."
