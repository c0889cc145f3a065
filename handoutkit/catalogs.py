"""PO catalogs: strict loading (size, charset, msgfmt's verdict, the Language header), and the
usable translations of a loaded catalog. The gate that judges them is gate.py."""

from __future__ import annotations

import codecs
import re
import subprocess
from io import BytesIO
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.catalog import Message as CatalogMessage
from babel.messages.pofile import PoFileError, read_po

from .errors import CatalogError
from .limits import CATALOG_BYTES, too_large

MSGFMT_LINE = re.compile(r"^<stdin>:(\d+):(?:\d+:)?\s*(.*)$")


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
    name = declared[1].decode("ascii", "replace") if declared else None
    try:
        data.decode("utf-8")
        utf8 = True
    except UnicodeDecodeError as exc:
        utf8, bad = False, exc
    if name is None or name.lower() in UTF8_NAMES:
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


def message_text(found: CatalogMessage) -> str:
    return found.string if isinstance(found.string, str) else (found.string[0] if found.string else "")


def translations(catalog: Catalog | None) -> dict[tuple[str, str | None], str]:
    """(msgid, context) -> msgstr for every usable (non-fuzzy, non-empty) entry."""
    if catalog is None:
        return {}
    return {
        (m.id, m.context): message_text(m)
        for m in catalog
        if m.id and not m.fuzzy and message_text(m).strip()
    }
