"""Languages: locale ids (as Babel spells them), BCP 47 tags, names, direction, script."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, cached_property

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
    script: str

    @cached_property
    def _names(self) -> tuple[str, str, str]:
        """(English name, own name, direction) from Babel's locale data, loaded on first use."""
        loc = Locale.parse(self.locale)
        name_en, name_native = loc.get_display_name("en"), loc.get_display_name(loc)
        if loc.language != self.locale.split("_")[0]:
            # Babel resolves some codes to another language (tl -> fil_PH); keep what was asked.
            name_en = Locale("en").languages.get(self.locale, name_en)
            name_native = loc.languages.get(self.locale, name_en)
        return _cap(name_en or self.locale), _cap(name_native or self.locale), loc.text_direction

    @property
    def name_en(self) -> str:
        return self._names[0]

    @property
    def name_native(self) -> str:
        return self._names[1]

    @property
    def direction(self) -> str:
        return "rtl" if self._names[2] == "rtl" else "ltr"

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


@cache
def language(code: str) -> Language:
    """Look a language up by locale id (pt_BR) or BCP 47 tag (pt-BR)."""
    asked = code.replace("-", "_")
    try:
        loc = Locale.parse(asked)
    except (UnknownLocaleError, ValueError, TypeError):
        raise UsageError(f"unknown language '{code}'") from None
    locale_id = str(loc)
    first = asked.split("_")[0].lower()
    if first != loc.language and first in Locale("en").languages:
        locale_id = first  # e.g. tl, which Babel resolves to fil_PH
    return Language(
        locale=locale_id,
        tag=locale_id.replace("_", "-"),
        script=SCRIPTS.get(locale_id, SCRIPTS.get(locale_id.split("_")[0], "latin")),
    )
