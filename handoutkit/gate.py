"""The safety gate: whether a language's catalog may be built, message by message.

Like Babel's checkers, each check is a plain function and the list of checks
is data. A check returns a Problem or None; blocking problems stop that
language, the others are reported for review.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.catalog import Message as CatalogMessage

from .catalogs import message_text as _text
from .limits import MESSAGE_FLOOR, MESSAGE_RATIO, longest_translation
from .text import PLACEHOLDER, garbled, hidden_override, numbers
from .text import placeholders as _placeholders


@dataclass(frozen=True)
class Wanted:
    """A message the source needs, with where it comes from."""

    msgid: str
    context: str | None
    path: str
    line: int
    safety: bool = False  # bold, or in an emergency box: it may never stay in English


@dataclass(frozen=True)
class Problem:
    kind: str  # missing, fuzzy, placeholders, markup, numbers, control, mojibake, copied-english, copied-catalog
    blocking: bool
    wanted: Wanted
    po_path: str
    po_line: int | None
    detail: str

    def __str__(self) -> str:
        if self.po_line:
            where = f"{self.po_path}:{self.po_line}"
        else:
            where = f"{self.wanted.path}:{self.wanted.line}"
        short = self.wanted.msgid if len(self.wanted.msgid) <= 70 else self.wanted.msgid[:67] + "..."
        return f"{where}: {self.detail}: {short!r}"


# --- the checks: (wanted, found entry or None, names) -> Problem detail or None

Check = Callable[[Wanted, "CatalogMessage | None", tuple[str, ...]], "tuple[str, bool, str] | None"]


def check_translated(wanted, found, names):
    if found is None or not _text(found).strip():
        return ("missing", True, "not translated")
    return None


def check_not_fuzzy(wanted, found, names):
    if found is not None and found.fuzzy:
        return ("fuzzy", True, "translation is marked fuzzy (needs a translator's check)")
    return None


def check_placeholders(wanted, found, names):
    if found is None or not _text(found):
        return None
    want, got = _placeholders(wanted.msgid), _placeholders(_text(found))
    if want != got:
        return ("placeholders", True, f"placeholders differ: source has {want or 'none'}, translation has {got or 'none'}")
    return None


def check_markup(wanted, found, names):
    if found is None or not _text(found):
        return None
    text = _text(found)
    if text.count("**") % 2:
        return ("markup", True, "unbalanced '**' bold markers in the translation")
    if text.count("**") != wanted.msgid.count("**"):
        return ("markup", True, f"the translation has {text.count('**') // 2} bold part(s), the English"
                f" {wanted.msgid.count('**') // 2}: bold marks a safety point, so it must match")
    return None


def check_length(wanted, found, names):
    """A translation many times longer than its English is not a translation (and would
    fill hundreds of pages and hours of audio): refused before anything is drawn."""
    if found is None:
        return None
    most = longest_translation(wanted.msgid)
    if len(_text(found)) > most:
        return ("too-long", True, f"the translation has {len(_text(found))} characters, the English"
                f" {len(wanted.msgid)}; a translation may have at most {most} ({MESSAGE_RATIO} times the English,"
                f" or {MESSAGE_FLOOR}; see Limits in the README)")
    return None


def check_controls(wanted, found, names):
    why = hidden_override(_text(found)) if found is not None else None
    return ("control", True, f"translation {why}") if why else None


def _identical(found: CatalogMessage | None, msgid: str) -> bool:
    return found is not None and not found.fuzzy and _text(found) == msgid


def _english_words(msgid: str, names: tuple[str, ...]) -> bool:
    """Whether a message has words other than names, numbers and placeholders."""
    rest = PLACEHOLDER.sub(" ", msgid)
    for name in names:
        rest = re.sub(re.escape(name), " ", rest, flags=re.I)
    return any(ch.isalpha() for ch in rest)


def check_copied_english(wanted, found, names):
    """A translation that is the English: blocking for a safety message, else for a check."""
    if not _identical(found, wanted.msgid) or not _english_words(wanted.msgid, names):
        return None
    if wanted.safety:
        return ("copied-english", True, "translation is the English text, and this is a safety message"
                " (bold, or in the warning-signs box): it must be translated")
    return ("copied-english", False, "translation is identical to the English (please check)")


def check_numbers(wanted, found, names):
    """Doses, days and weeks are safety content: the same numbers, none lost, none added."""
    if found is None or not _text(found):
        return None
    want, got = numbers(wanted.msgid), numbers(_text(found))
    if want != got:
        return ("numbers", True, f"numbers differ: the English has {want or 'none'}, the translation {got or 'none'}"
                " (write each number of the English with digits, and no other)")
    return None


# a UTF-8 lead byte read as Latin-1 (Ã, â, ...), then continuation bytes as Latin-1 or cp1252 show them


def check_mojibake(wanted, found, names):
    why = garbled(_text(found)) if found is not None else None
    return ("mojibake", True, f"translation {why}") if why else None


CHECKS: tuple[Check, ...] = (
    check_translated,
    check_not_fuzzy,
    check_length,
    check_placeholders,
    check_markup,
    check_numbers,
    check_controls,
    check_mojibake,
    check_copied_english,
)


def gate(wanted: Iterable[Wanted], catalog: Catalog | None, po_path: Path | str, names: tuple[str, ...] = ()) -> list[Problem]:
    """Every problem of a catalog against the messages the source needs now. A catalog
    whose translations are more than half the English text (what msgen or 'copy source
    to translation' leaves) is not a translation: each such message then blocks."""
    wanted = list(wanted)
    problems: list[Problem] = []
    for want in wanted:
        found = catalog.get(want.msgid, want.context) if catalog is not None else None  # never the header
        for check in CHECKS:
            result = check(want, found, names)
            if result:
                kind, blocking, detail = result
                problems.append(Problem(kind, blocking, want, str(po_path), getattr(found, "lineno", None), detail))
                if blocking:
                    break
    copied = sum(1 for w in wanted if catalog is not None and _identical(catalog.get(w.msgid, w.context), w.msgid))
    if copied * 2 > len(wanted):
        detail = (f"translation is the English text, as are {copied} of the {len(wanted)} messages of this"
                  " catalog: a copy of the English is not a translation")
        problems = [Problem("copied-catalog", True, p.wanted, p.po_path, p.po_line, detail)
                    if p.kind == "copied-english" else p for p in problems]
    return problems
