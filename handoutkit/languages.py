"""Languages: locale ids (as Babel spells them), BCP 47 tags, names, direction, script."""

from __future__ import annotations

from dataclasses import dataclass

from babel import Locale, UnknownLocaleError

from .errors import UsageError

SOURCE_LOCALE = "en"

# Script per locale where it is not Latin, or where Latin needs more letters
# than Atkinson Hyperlegible has (Vietnamese).
SCRIPTS = {
    "ar": "arabic",
    "fa": "arabic",
    "ur": "arabic",
    "hi": "devanagari",
    "zh_Hans": "cjk-sc",
    "zh_Hant": "cjk-tc",
    "zh": "cjk-sc",
    "ko": "cjk-kr",
    "ja": "cjk-jp",
    "ru": "cyrillic",
    "uk": "cyrillic",
    "vi": "latin-vietnamese",
}


@dataclass(frozen=True)
class Language:
    locale: str  # as Babel spells it: es, zh_Hans, pt_BR
    tag: str  # BCP 47: es, zh-Hans, pt-BR
    name_en: str
    name_native: str
    direction: str  # "ltr" or "rtl"
    script: str

    @property
    def is_source(self) -> bool:
        return self.locale == SOURCE_LOCALE

    @property
    def label(self) -> str:
        """The name staff can read and the reader can read: 'español (Spanish)'."""
        if self.name_native == self.name_en:
            return self.name_en
        return f"{self.name_native} ({self.name_en})"


def _cap(name: str) -> str:
    return name[:1].upper() + name[1:]


def language(code: str) -> Language:
    """Look a language up by locale id (pt_BR) or BCP 47 tag (pt-BR)."""
    try:
        loc = Locale.parse(code.replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        raise UsageError(f"unknown language '{code}'") from None
    locale_id = str(loc)
    name_en, name_native = loc.get_display_name("en"), loc.get_display_name(loc)
    asked = code.replace("-", "_").split("_")[0].lower()
    if asked != loc.language and asked in Locale("en").languages:
        # Babel resolves some codes to another language (tl -> fil_PH); keep what was asked.
        locale_id = asked
        name_en = Locale("en").languages[asked]
        name_native = loc.languages.get(asked, name_en)
    return Language(
        locale=locale_id,
        tag=locale_id.replace("_", "-"),
        name_en=_cap(name_en or locale_id),
        name_native=_cap(name_native or locale_id),
        direction="rtl" if loc.text_direction == "rtl" else "ltr",
        script=SCRIPTS.get(locale_id, SCRIPTS.get(loc.language, "latin")),
    )
