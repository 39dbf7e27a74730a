"""CETTAR, East Java's public-service values: the one definition every part of Gelar uses.

CETTAR stands for *Cepat, Efektif-Efisien, Tanggap, Transparan, Responsif*.  Efektif and
efisien are judged apart, so there are six values; the rubric's default criteria, the
catalogue's filter, the registration form and the CSV import all read :data:`CETTAR`.
Labels and descriptions are content in two languages (not gettext strings): the rubric
stores them on its criteria, and :func:`label` picks one for a locale.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CettarValue:
    """One CETTAR value: its key, and its label and description in Indonesian and English."""

    key: str
    label_id: str
    label_en: str
    description_id: str
    description_en: str


CETTAR: tuple[CettarValue, ...] = (
    CettarValue(
        "cepat",
        "Cepat",
        "Fast",
        "Seberapa jauh layanan sampai ke warga lebih cepat daripada sebelum inovasi.",
        "How much faster the service reaches citizens than before the innovation.",
    ),
    CettarValue(
        "efektif",
        "Efektif",
        "Effective",
        "Apakah inovasi mencapai tujuannya dan menyelesaikan masalah yang hendak diatasi.",
        "Whether it reaches its goal and solves the problem it set out to solve.",
    ),
    CettarValue(
        "efisien",
        "Efisien",
        "Efficient",
        "Apakah langkah, biaya dan sumber daya yang dibutuhkan lebih sedikit daripada sebelumnya.",
        "Whether it needs fewer steps, less cost and fewer resources than before.",
    ),
    CettarValue(
        "transparan",
        "Transparan",
        "Transparent",
        "Apakah prosedur, biaya, waktu dan hasil layanan terbuka bagi masyarakat.",
        "Whether procedures, costs, timelines and results are open to the public.",
    ),
    CettarValue(
        "tanggap",
        "Tanggap",
        "Attentive",
        "Seberapa baik inovasi mengenali dan menjawab kebutuhan serta keluhan warga.",
        "How well it notices and answers citizens' needs and complaints.",
    ),
    CettarValue(
        "responsif",
        "Responsif",
        "Responsive",
        "Seberapa cepat inovasi menyesuaikan diri dengan masukan dan keadaan yang berubah.",
        "How quickly it adapts to feedback and changing conditions.",
    ),
)

#: The keys, in CETTAR order (what ``Innovation.cettar`` holds).
CETTAR_KEYS: tuple[str, ...] = tuple(v.key for v in CETTAR)
BY_KEY: dict[str, CettarValue] = {v.key: v for v in CETTAR}


def label(key: str, locale: str | None) -> str:
    """The value's label in ``locale`` (Indonesian unless the locale is English)."""
    value = BY_KEY.get(key)
    if value is None:
        return key
    return value.label_en if (locale or "").startswith("en") else value.label_id


def description(key: str, locale: str | None) -> str:
    """The value's description in ``locale`` (Indonesian unless the locale is English)."""
    value = BY_KEY.get(key)
    if value is None:
        return ""
    return value.description_en if (locale or "").startswith("en") else value.description_id


def choices(locale: str | None) -> list[tuple[str, str]]:
    """(key, label) pairs in CETTAR order, for selects and check boxes."""
    return [(v.key, label(v.key, locale)) for v in CETTAR]


def current_locale() -> str:
    """The request's locale ("id" outside a request)."""
    from core.i18n import current_locale as locale_now

    return locale_now()


def lazy_labels() -> dict[str, object]:
    """Key → label resolved at render time in the request's locale (for form choices)."""
    from flask_babel.speaklater import LazyString

    return {v.key: LazyString(lambda key=v.key: label(key, current_locale())) for v in CETTAR}


def localized_description(text: str, locale: str | None) -> str:
    """A stored criterion description in ``locale`` when it is one of CETTAR's defaults.

    Rubrics keep one description per criterion; when it is a default CETTAR description
    (in either language) it is shown in the reader's language, anything else as written.
    """
    for value in CETTAR:
        if text in (value.description_id, value.description_en):
            return description(value.key, locale)
    return text
