"""Languages: one table (languages.toml) with a row per language, and names from Babel's CLDR data.

The packaged table is handoutkit/languages.toml; a project's own languages.toml adds
rows or replaces whole ones. Every module reads what it knows of a language from the
Language made from its row; none keeps a per-language table of its own.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path

from babel import Locale, UnknownLocaleError

from .errors import SourceError, UsageError

SOURCE_LOCALE = "en"
TABLE = Path(__file__).with_name("languages.toml")
PROJECT_TABLE = "languages.toml"  # in a project's root: rows of its own

# Each field of a row: its type, and what it holds (said when a row lacks it).
FIELDS: dict[str, tuple[type, str]] = {
    "tag": (str, "the BCP 47 tag, e.g. 'pt-BR'"),
    "script": (str, "the script's name, e.g. 'latin', 'arabic', 'hebrew'"),
    "direction": (str, "'ltr' or 'rtl'"),
    "fonts": (list, "the font families that draw it, in order, e.g. ['Noto Sans Hebrew', 'Noto Sans']"),
    "digits": (str, "the digits its numbers are written with, e.g. 'latn'"),
    "stop": (str, "the full stop of a spoken sentence, e.g. '.' or '。'"),
    "id3": (str, "its ISO 639-2 code, e.g. 'heb'"),
    "spoken": (list, "its spoken editions as ISO 639-3 codes, e.g. ['heb']"),
    "espeak": (str, "the espeak-ng voice, or '' for none"),
    "reading": (str, "how a voice is given the text: '' as written, 'kana' for kanji read out as kana"),
    "gtts": (str, "the gTTS language code, or '' for none"),
    "piper": (str, "a PyPI package with a Piper voice, or '' for none"),
    "braille": (list, "liblouis tables: its usual one first, then an uncontracted one if that is contracted; [] for none"),
    "pace": (dict, "each engine's pace setting, e.g. { espeak = 160 }, or {}"),
}
OPTIONAL = {  # fields a row may leave out
    "editions": (dict, "the voices of each spoken edition after the first, e.g. { yue = { espeak = \"yue\" } }"),
}
EDITION_FIELDS = ("espeak", "gtts", "piper", "pace")  # what a spoken edition sets for itself
DIRECTIONS = ("ltr", "rtl")
READINGS = ("", "kana")  # what spoken.py's read_as knows


@dataclass(frozen=True)
class Language:
    """One row of the language table."""

    locale: str  # as Babel spells it: es, zh_Hans, pt_BR
    tag: str  # BCP 47: es, zh-Hans, pt-BR
    script: str
    direction: str
    fonts: tuple[str, ...]
    digits: str = "latn"
    stop: str = "."
    id3: str = "und"
    spoken: tuple[str, ...] = ()
    espeak: str = ""
    reading: str = ""  # '' as written; 'kana': Japanese kanji given to the voice as their kana reading
    gtts: str = ""
    piper: str = ""
    braille: tuple[str, ...] = ()
    pace: tuple[tuple[str, float], ...] = ()
    edition: str = ""  # a spoken edition after the first (ISO 639-3, e.g. 'yue'); '' for the language's own
    editions: tuple[Language, ...] = ()  # the language in each of its other spoken editions

    @cached_property
    def _names(self) -> tuple[str, str]:
        """(English name, own name) from Babel's locale data, loaded on first use."""
        loc = Locale.parse(self.locale)
        name_en, name_native = loc.get_display_name("en"), loc.get_display_name(loc)
        if loc.language != self.locale.split("_")[0]:
            # Babel resolves some codes to another language (tl -> fil_PH); keep what was asked.
            name_en = Locale("en").languages.get(self.locale, name_en)
            name_native = loc.languages.get(self.locale, name_en)
        return _cap(name_en or self.locale), _cap(name_native or self.locale)

    @property
    def name_en(self) -> str:
        return self._names[0]

    @property
    def name_native(self) -> str:
        return self._names[1]

    @property
    def is_source(self) -> bool:
        return self.locale == SOURCE_LOCALE

    @property
    def label(self) -> str:
        """The name staff can read and the reader can read: 'español (Spanish)'."""
        if self.name_native == self.name_en:
            return self.name_en
        return f"{self.name_native} ({self.name_en})"

    def pace_for(self, engine: str) -> float | None:
        """The engine's setting for a patient's pace in this language, or None (the engine's default)."""
        return dict(self.pace).get(engine)


def _cap(name: str) -> str:
    return name[:1].upper() + name[1:]


def _line_of(text: str, locale: str) -> int | None:
    found = re.search(rf"^[ \t]*\[[ \t]*\"?{re.escape(locale)}\"?[ \t]*\]", text, re.M)
    return text.count("\n", 0, found.start()) + 1 if found else None


def _row(locale: str, row: object, path: Path, text: str) -> Language:
    """A Language from one row; a SourceError naming the file, line and field when a field is wrong."""
    line = _line_of(text, locale)
    if not isinstance(row, dict):
        raise SourceError(f"[{locale}] must be a table of fields", path, line)
    for name, (kind, what) in FIELDS.items():
        if name not in row:
            raise SourceError(f"the row of '{locale}' has no '{name}' ({what})", path, line)
        if not isinstance(row[name], kind):
            raise SourceError(f"'{name}' of '{locale}' must be {what}", path, line)
    unknown = sorted(set(row) - set(FIELDS) - set(OPTIONAL))
    if unknown:
        raise SourceError(f"the row of '{locale}' has an unknown field '{unknown[0]}'", path, line)
    if row["reading"] not in READINGS:
        raise SourceError(f"'reading' of '{locale}' must be one of {', '.join(map(repr, READINGS))}", path, line)
    if row["direction"] not in DIRECTIONS:
        raise SourceError(f"'direction' of '{locale}' must be 'ltr' or 'rtl'", path, line)
    if not row["fonts"] or not all(isinstance(f, str) and f for f in row["fonts"]):
        raise SourceError(f"'fonts' of '{locale}' must name at least one font family", path, line)
    if not row["stop"]:
        raise SourceError(f"'stop' of '{locale}' must not be empty", path, line)
    try:
        Locale.parse(locale)
    except (UnknownLocaleError, ValueError, TypeError):
        raise SourceError(f"'{locale}' is not a locale Babel knows (write it as Babel does: es, pt_BR, zh_Hant)",
                          path, line) from None
    pace = row["pace"]
    if not all(isinstance(v, (int, float)) and v > 0 for v in pace.values()):
        raise SourceError(f"'pace' of '{locale}' must give each engine a positive number", path, line)
    editions = row.get("editions", {})
    if not isinstance(editions, dict) or any(code not in row["spoken"][1:] or not isinstance(ed, dict)
                                             or set(ed) - set(EDITION_FIELDS) for code, ed in editions.items()):
        raise SourceError(f"'editions' of '{locale}' gives each spoken edition after the first (from 'spoken')"
                          f" its {', '.join(EDITION_FIELDS)}", path, line)
    own = Language(
        locale=locale, tag=row["tag"], script=row["script"], direction=row["direction"],
        fonts=tuple(row["fonts"]), digits=row["digits"], stop=row["stop"], id3=row["id3"],
        spoken=tuple(row["spoken"]), espeak=row["espeak"], reading=row["reading"], gtts=row["gtts"], piper=row["piper"],
        braille=tuple(row["braille"]), pace=tuple(sorted((k, float(v)) for k, v in pace.items())),
    )
    from dataclasses import replace

    return replace(own, editions=tuple(
        replace(own, spoken=(code,), espeak=ed.get("espeak", ""), gtts=ed.get("gtts", ""), piper=ed.get("piper", ""),
                pace=tuple(sorted((k, float(v)) for k, v in ed.get("pace", {}).items())), edition=code)
        for code, ed in editions.items()))


def read_table(path: Path) -> dict[str, Language]:
    """Every row of one table file, by locale."""
    try:
        text = path.read_text("utf-8")
        data = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise SourceError(f"not valid TOML ({exc})", path) from None
    return {locale: _row(locale, row, path, text) for locale, row in data.items()}


@cache
def _table(project_root: Path | None) -> dict[str, Language]:
    table = dict(read_table(TABLE))
    own = project_root / PROJECT_TABLE if project_root is not None else None
    if own is not None and own.is_file():
        table.update(read_table(own))
    return table


def table(project_root: Path | None = None) -> dict[str, Language]:
    """The language table: the packaged rows, and a project's own (which win)."""
    return _table(project_root.resolve() if project_root is not None else None)


def forget_tables() -> None:
    """A build reads the project's table afresh (it may have been edited since)."""
    _table.cache_clear()


def language(code: str, project_root: Path | None = None) -> Language:
    """Look a language up by locale id (pt_BR) or BCP 47 tag (pt-BR)."""
    rows = table(project_root)
    asked = code.replace("-", "_")
    if asked in rows:
        return rows[asked]
    by_tag = {lang.tag.lower(): lang for lang in rows.values()}
    if code.lower() in by_tag:
        return by_tag[code.lower()]
    try:
        loc = Locale.parse(asked)
    except (UnknownLocaleError, ValueError, TypeError):
        raise UsageError(f"unknown language '{code}'") from None
    if str(loc) in rows:  # spelled another way: zh-hant, PT_br
        return rows[str(loc)]
    where = "the project's languages.toml" if project_root is not None else "a project's languages.toml"
    raise UsageError(f"no row for '{code}' in the language table: add one to {where} "
                     f"(see {TABLE.name} in handoutkit for the fields)")
