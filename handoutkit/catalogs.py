"""PO catalogs: strict loading, and the safety gate that decides whether a
language may be built.

Like Babel's checkers, each check is a plain function and the list of checks
is data. A check returns a Problem or None; blocking problems stop that
language, the others are reported for review.
"""

from __future__ import annotations

import codecs
import re
import string
import subprocess
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.catalog import Message as CatalogMessage
from babel.messages.pofile import PoFileError, read_po

from .errors import CatalogError
from .limits import CATALOG_BYTES, MESSAGE_FLOOR, MESSAGE_RATIO, longest_translation, too_large

MSGFMT_LINE = re.compile(r"^<stdin>:(\d+):(?:\d+:)?\s*(.*)$")
PLACEHOLDER = re.compile(r"\{[^{}]*\}")
OVERRIDES = ("\u202d", "\u202e")  # left-to-right / right-to-left override


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


def normalise_po_bytes(data: bytes) -> bytes:
    """Accept what editors leave: a UTF-8 byte-order mark and Windows line endings."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    return data.replace(b"\r\n", b"\n")


CHARSET = re.compile(rb'^"Content-Type:[^"\n]*charset=([^"\\\s;]+)', re.M | re.I)
LANGUAGE = re.compile(rb'^"Language:\s*([^"\\\s]*)', re.M)
UTF8_NAMES = ("utf-8", "utf8", "ascii", "us-ascii")


def _line_of(data: bytes, match: re.Match[bytes]) -> int:
    return data[: match.start()].count(b"\n") + 1


def _msgfmt_error(stderr: str, path: Path, data: bytes) -> CatalogError:
    """GNU msgfmt's first error as one line (its two-line errors joined), warnings aside."""
    found = [(int(m[1]), m[2].strip()) for m in map(MSGFMT_LINE.match, map(str.strip, stderr.splitlines()))
             if m and not m[2].startswith("warning:")]
    if not found and "header missing or invalid" in stderr:
        return CatalogError('the PO header (the first entry, msgid "") is missing or invalid:'
                            " it must declare charset=UTF-8", path, 1)
    if not found:
        lines = stderr.strip().splitlines() or ["msgfmt rejected it"]
        return CatalogError(lines[0].replace("msgfmt: ", "").replace("<stdin>", str(path)), path)
    (line, text), rest = found[0], found[1:]
    plural_forms = re.search(rb'^"Plural-Forms:', data, re.M)
    if plural_forms and (text.startswith("nplurals") or "plural expression" in text):
        line = _line_of(data, plural_forms)  # msgfmt names the header's first line; the field is clearer
    if text.endswith("...") and rest and rest[0][1].startswith("..."):
        other_line, other = rest[0]
        if text.startswith("duplicate message definition"):
            return CatalogError(f"duplicate message definition (first defined at line {other_line})", path, line)
        if text.startswith("nplurals"):
            counted = other[3:].removeprefix("but ")
            return CatalogError(f"{counted}, but the header (line {line}) says {text[:-3]}", path, other_line)
        text = f"{text[:-3]}: {other[3:]}"
    return CatalogError(text, path, line)


def _check_language(data: bytes, path: Path, locale: str) -> None:
    """A catalog whose Language header names another language is the wrong file."""
    match = LANGUAGE.search(data)
    if not match or not match[1]:
        return
    declared = match[1].decode("ascii", "replace").replace("-", "_")
    head, *rest = declared.lower().split("_")
    want = locale.lower().split("_")
    if head != want[0] or any(part not in want[1:] for part in rest):
        raise CatalogError(f"its Language header says '{declared}' but it sits in the folder for '{locale}'"
                           " (a file for another language?)", path, _line_of(data, match))


def _without_obsolete(data: bytes) -> bytes:
    """Obsolete entries (#~, with msgmerge --previous also #~|) translate nothing;
    Babel's reader refuses some forms GNU msgfmt reads, so they are left out of
    what Babel parses. Line numbers stay: each dropped line becomes empty."""
    return re.sub(rb"^#~[^\n]*", b"", data, flags=re.M)


def _as_utf8(data: bytes, path: Path) -> bytes:
    """The catalog as UTF-8. A catalog in another charset its header names (Latin-1,
    Windows-1252, KOI8-R, ...) is converted, the header then saying UTF-8; a catalog
    whose bytes are UTF-8 while its header names another charset is refused with the
    header line to fix, since converting it would encode every accent twice."""
    declared = CHARSET.search(data)
    name = declared[1].decode("ascii", "replace") if declared else "UTF-8"
    try:
        data.decode("utf-8")
        utf8 = True
    except UnicodeDecodeError as exc:
        utf8, bad = False, exc
    if declared is None or name.lower() in UTF8_NAMES:
        if not utf8:
            line = data[: bad.start].count(b"\n") + 1
            raise CatalogError("not UTF-8 text (catalogs must be UTF-8; a catalog in another charset must say"
                               " which in its header, e.g. charset=ISO-8859-1)", path, line)
        return data
    line = _line_of(data, declared)
    if utf8 and not data.isascii():
        raise CatalogError(f"the text is UTF-8 but the header says charset={name}: change charset={name}"
                           " to charset=UTF-8 on this line (do not convert the file with msgconv or iconv:"
                           " it is UTF-8 already, and converting it again garbles every accented letter)", path, line)
    try:
        text = data.decode(codecs.lookup(name).name)
    except LookupError:
        raise CatalogError(f"the header says charset={name}, a charset handoutkit does not know:"
                           " save the catalog as UTF-8", path, line) from None
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise CatalogError(f"not {name} text, as the header says (nor UTF-8)", path, line) from None
    converted = text.encode("utf-8")
    header = CHARSET.search(converted)
    if header is None or converted.count(b"\n") != data.count(b"\n"):  # UTF-16 and such: not a PO file's charset
        raise CatalogError(f"the header says charset={name}, which a PO file cannot be written in:"
                           " save the catalog as UTF-8", path, line)
    return converted[: header.start(1)] + b"UTF-8" + converted[header.end(1):]


def read_catalog(path: Path, locale: str | None = None) -> Catalog:
    """Read a PO file strictly: what GNU msgfmt -c rejects, we reject, with file:line.
    With a locale, a catalog that says it is for another language is refused too.
    A catalog over the size limit is refused before it is read."""
    why = too_large(path, CATALOG_BYTES, "the catalog")
    if why:
        raise CatalogError(why, path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise CatalogError("catalog file is missing", path) from None
    except OSError as exc:
        raise CatalogError(f"cannot read the catalog ({exc.strerror})", path) from None
    data = normalise_po_bytes(data)
    if not data.strip():
        raise CatalogError("catalog file is empty", path)
    if b"\x00" in data:
        raise CatalogError("not a PO catalog (binary data)", path)
    data = _as_utf8(data, path)
    proc = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", "-"], input=data, capture_output=True)
    if proc.returncode != 0:
        raise _msgfmt_error(proc.stderr.decode("utf-8", "replace"), path, data)
    if locale is not None:
        _check_language(data, path, locale)
    try:
        catalog = read_po(BytesIO(_without_obsolete(data)), abort_invalid=True)
    except PoFileError as exc:
        raise CatalogError(str(exc), path) from None
    return catalog


def hidden_override(text: str) -> str | None:
    """Why text may not be shown when it holds a bidi override (U+202D/U+202E), which
    can hide reversed text; None when it holds none. Marks and isolates are fine."""
    char = next((c for c in text if c in OVERRIDES), None)
    if char is None:
        return None
    return f"holds U+{ord(char):04X} {unicodedata.name(char)}, a bidi override that can hide reversed text"


def _text(found: CatalogMessage) -> str:
    return found.string if isinstance(found.string, str) else (found.string[0] if found.string else "")


def _placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


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


NUMBER = re.compile(r"\d+")  # a run of decimal digits in any Unicode script


def numbers(text: str) -> list[int]:
    """Every number written with digits, in any decimal digit system (Persian ۲ is 2),
    placeholders left out; sorted, so that order in the sentence does not matter."""
    return sorted(int("".join(str(unicodedata.decimal(c)) for c in run)) for run in NUMBER.findall(PLACEHOLDER.sub(" ", text)))


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
MOJIBAKE_RUN = re.compile("[\u00c0-\u00ff][\u0080-\u00ff\u0152\u0153\u0160\u0161\u0178\u017d\u017e"
                          "\u0192\u02c6\u02dc\u2013-\u203a\u20ac\u2122]+")


def mojibake(text: str) -> str | None:
    """The first run of UTF-8 read as Latin-1 or cp1252 ("mÃ¡s"), or None. Such text
    turns back into valid, different UTF-8 when encoded in that charset."""
    for run in MOJIBAKE_RUN.findall(text):
        for charset in ("cp1252", "latin-1"):
            try:
                fixed = run.encode(charset).decode("utf-8")
            except (UnicodeEncodeError, UnicodeDecodeError):
                continue
            if fixed != run:
                return run
    return None


def garbled(text: str) -> str | None:
    """Why text may not be shown when it holds mojibake; None when it holds none."""
    run = mojibake(text)
    if run is None:
        return None
    return (f"holds {run!r}, UTF-8 text read as Latin-1 or Windows-1252 (the file was converted twice,"
            " or the text pasted garbled: take the original)")


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
        found = catalog.get(want.msgid, want.context) if catalog is not None else None
        if found is not None and not found.id:
            found = None
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


def translations(catalog: Catalog | None) -> dict[tuple[str, str | None], str]:
    """(msgid, context) -> msgstr for every usable (non-fuzzy, non-empty) entry."""
    if catalog is None:
        return {}
    return {
        (m.id, m.context): _text(m)
        for m in catalog
        if m.id and not m.fuzzy and _text(m).strip()
    }


def safe_format(text: str, values: dict[str, str]) -> str:
    """Fill ``{name}`` placeholders; only plain names, never attribute access."""
    out = []
    for literal, field, spec, conv in string.Formatter().parse(text):
        out.append(literal)
        if field is None:
            continue
        if field not in values or spec or conv:
            raise KeyError(field)
        out.append(str(values[field]))
    return "".join(out)
