"""Braille-ready files (BRF): the localized handout in the language's literary braille.

liblouis translates (Debian's liblouis-bin: the ``lou_translate`` command, so no
Python binding has to match the virtualenv's Python); everything else here is
pure: which blocks the handout has, how they are laid out on a 40-cell by
25-line page as BANA's formatting guidance lays them out, and the BRF itself:
North American ASCII braille, CRLF line ends, a form feed between pages.

Text in Latin letters inside a language written in another script (a drug's
brand name, 'PDF') is English: it is brailled with the English grade 1 table,
as liblouis' table for the script has no Latin letters or makes them 8-dot.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass

from .errors import RenderError
from .model import LocalizedHandout, Text

CELLS = 40  # cells a line
LINES = 25  # lines a page, the page-number line included
NABCC = " A1B'K2L@CIF/MSP\"E3H9O6R^DJG>NTQ,*5<-U8V.%[$+X!&;:4\\0Z7(_?W]#Y)="  # U+2800 + dots -> ASCII braille
ENGLISH = "en-ueb-g1.ctb"  # for Latin-letter words in another script, and the English draft notice
LATIN_RUN = re.compile(r"[A-Za-z][A-Za-z'’-]*(?:\s+[A-Za-z][A-Za-z'’-]*)*")
BLANK = "\u2800"


@dataclass(frozen=True)
class Block:
    """A paragraph of the braille page: what it says, how it is set, in which language."""

    kind: str  # heading (centred), paragraph (indent 3, runover 1), item (1, runover 3), page (a new page)
    text: str = ""
    english: bool = False  # English inside a translation: the English table


def blocks(doc: LocalizedHandout) -> list[Block]:
    """The handout as the print has it: draft notices, title, sections (each emergency box on a
    new page, with the site's emergency number), then the phone number and the site's name."""
    out: list[Block] = []
    own = not doc.language.is_source
    untranslated = doc.labels.gettext("Not yet translated")

    def said(text: Text, kind: str) -> list[Block]:
        plain = text.text.replace("**", "")
        if text.untranslated and own:
            return [Block(kind, f"{untranslated}: "), Block("same", plain, True)]
        return [Block(kind, plain)]

    notices = []
    if not doc.source_review.is_current:
        notices.append(doc.labels.gettext("Draft: not yet checked by a clinician"))
    if own and not doc.translation_review.is_current:
        notices.append(doc.labels.gettext("Draft translation: not yet checked by a qualified medical translator"))
    for notice in notices:
        out.append(Block("paragraph", notice))
        if own:
            out.append(Block("paragraph", notice.english, True))
    if doc.incomplete:
        count = sum(1 for t in doc.texts() if t.untranslated)
        out.append(Block("paragraph", f"{untranslated}: {count}"))
    out += said(doc.title, "heading")
    site = doc.site
    for section in doc.sections:
        if section.kind == "emergency":
            out.append(Block("page"))
        out += said(section.heading, "heading")
        for block in section.blocks:
            for item in block.items:
                out += said(item, "item" if block.kind == "list" else "paragraph")
        if section.kind == "emergency" and site is not None and site.emergency_number:
            label = doc.labels.gettext("Call your local emergency number")
            out.append(Block("paragraph", f"{label}: {site.emergency_number}"))
    if site is not None and site.phone:
        from .text import safe_format

        out.append(Block("paragraph", safe_format(doc.labels.gettext("Questions? Call {phone}"), {"phone": site.phone})))
    if site is not None:
        out += [Block("paragraph", line) for line in filter(None, (site.name, site.address))]
    return out


def runs(text: str, latin_script: bool) -> list[tuple[str, bool]]:
    """(piece, is English) for one text: all of it in the language's table when the language is
    written in Latin letters; else its Latin-letter words apart, for the English table."""
    if latin_script:
        return [(text, False)]
    pieces: list[tuple[str, bool]] = []
    at = 0
    for match in LATIN_RUN.finditer(text):
        if match.start() > at:
            pieces.append((text[at:match.start()], False))
        pieces.append((match.group(), True))
        at = match.end()
    if at < len(text):
        pieces.append((text[at:], False))
    return pieces


def translate(texts: list[str], table: str, where: str) -> list[str]:
    """Each text in Unicode braille, by liblouis. A text the table cannot hold in 6 dots as written
    is tried again with its quotes folded (FOLD): Persian's table knows « », Amharic's does not."""
    said = _lou(texts, table, where, fold=False)
    retry = [i for i, cells in enumerate(said) if not _six_dot(cells)]
    for i, cells in zip(retry, _lou([texts[i] for i in retry], table, where, fold=True), strict=True):
        said[i] = cells
    return said


def _six_dot(cells: str) -> bool:
    return all(c == " " or 0x2800 <= ord(c) < 0x2840 for c in cells)


def _lou(texts: list[str], table: str, where: str, fold: bool) -> list[str]:
    """One lou_translate for all the texts."""
    if not texts:
        return []
    plain = [_no_format_marks(t) for t in texts]
    # lou_translate reads backslash escapes ('\x0041') in its input: a backslash stands for itself doubled
    lines = [" ".join((t.translate(FOLD) if fold else t).split()).replace("\\", "\\\\") for t in plain]
    try:
        done = subprocess.run(["lou_translate", "--forward", f"unicode.dis,{table}"], input="\n".join(lines) + "\n",
                              capture_output=True, text=True, timeout=120)
    except FileNotFoundError:
        raise RenderError("liblouis is not installed (apt-get install liblouis-bin liblouis-data)", where) from None
    except subprocess.TimeoutExpired:
        raise RenderError(f"liblouis took over 120 s to translate with {table}", where) from None
    out = done.stdout.split("\n")
    if done.returncode != 0 or len(out) < len(lines):
        error = (done.stderr.strip().splitlines() or ["no output"])[-1]
        raise RenderError(f"liblouis could not translate with {table}: {error}", where)
    return out[:len(lines)]


# Before brailling: typographic quotes as the plain ones every table knows, and a consonant with
# a nukta as the one precomposed letter Unicode has for it (NFC keeps the pair apart; liblouis'
# Bengali and Gurmukhi tables know only the letter).
FOLD = str.maketrans({"«": '"', "»": '"', "“": '"', "”": '"', "„": '"', "‘": "'", "’": "'"})
NUKTA = {"য়": "\u09df", "ড়": "\u09dc", "ঢ়": "\u09dd", "ਫ਼": "\u0a5e", "ਜ਼": "\u0a5b", "ਸ਼": "\u0a36",
         "ਲ਼": "\u0a33", "ਖ਼": "\u0a59", "ਗ਼": "\u0a5a"}


def _no_format_marks(text: str) -> str:
    """Without Unicode format characters (ZWNJ, ZWJ, direction marks): they shape or order print and
    have no braille; liblouis' Persian table makes ZWNJ an 8-dot cell. Quotes folded, nukta letters
    precomposed (FOLD, NUKTA)."""
    import unicodedata

    text = "".join(c for c in text if unicodedata.category(c) != "Cf")
    for pair, letter in NUKTA.items():
        text = text.replace(pair, letter)
    return text


def to_ascii(cells: str, where: str) -> str:
    """Unicode braille -> North American ASCII braille. A cell with dot 7 or 8 has no place in a
    6-dot BRF: liblouis makes one for a character its table lacks, so that is an error."""
    out = []
    for cell in cells:
        code = ord(cell) - 0x2800
        if cell == " ":
            code = 0
        if not 0 <= code < 64:
            raise RenderError(f"the braille table makes {cell!r} (U+{ord(cell):04X}), which a 6-dot braille file "
                              "cannot hold: a character the table does not know", where)
        out.append(NABCC[code])
    return "".join(out)


def wrap(cells: str, first: int, runover: int, width: int = CELLS) -> list[str]:
    """Braille words (ASCII, space-separated) onto lines: the first line starts at cell `first`
    (counted from 1), the others at `runover`; a word longer than a line is cut."""
    lines: list[str] = []
    line = " " * (first - 1)
    for word in cells.split():
        margin = " " * ((first if not lines and not line.strip() else runover) - 1)
        if line.strip() and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = " " * (runover - 1)
        elif not line.strip():
            line = margin
        sep = " " if line.strip() else ""
        while len(line) + len(sep) + len(word) > width:
            room = width - len(line) - len(sep)
            lines.append(line + sep + word[:room])
            word, line, sep = word[room:], " " * (runover - 1), ""
        line += sep + word
    if line.strip():
        lines.append(line)
    return lines


def paginate(laid: list[tuple[str, str]], page_number) -> list[list[str]]:
    """(kind, ASCII braille) blocks onto pages of LINES lines: line 1 carries the braille page
    number at the right; a heading is centred with a blank line before it (not at a page's
    top) and is never left last on a page; 'page' starts a new page."""
    pages: list[list[str]] = []
    body: list[str] = []

    def new_page() -> None:
        nonlocal body
        if body or not pages:
            pages.append(body)
        body = []

    for kind, cells in laid:
        if kind == "page":
            if body:
                new_page()
            continue
        if kind == "heading":
            lines = [line.strip().center(CELLS).rstrip() for line in wrap(cells, 1, 1)]
            need = lines + ([""] if body else [])
            if len(body) + len(need) + 1 > LINES - 1:  # with the first line after it
                new_page()
            if body:
                body.append("")
            body += lines
            continue
        first, runover = (3, 1) if kind == "paragraph" else (1, 3)
        for line in wrap(cells, first, runover):
            if len(body) >= LINES - 1:
                new_page()
            body.append(line)
    if body or not pages:
        pages.append(body)
    pages = [p for p in pages if p] or [[]]
    return [[page_number(n).rjust(CELLS), *page] for n, page in enumerate(pages, start=1)]


def brf(pages: list[list[str]]) -> bytes:
    """The file: CRLF line ends, a form feed between pages, plain ASCII."""
    text = "\f".join("\r\n".join(line.rstrip() for line in page) + "\r\n" for page in pages)
    return text.encode("ascii")


def preview(pages: list[list[str]], title: str) -> str:
    """The same pages in Unicode braille, for sighted staff to check or show (UTF-8 text)."""
    dots = {ch: chr(0x2800 + i) for i, ch in enumerate(NABCC)}
    out = [f"{title}: braille preview ({len(pages)} pages of {CELLS} cells by {LINES} lines)", ""]
    for n, page in enumerate(pages, start=1):
        out.append(f"--- page {n} ---")
        out += ["".join(dots.get(ch, ch) for ch in line) for line in page]
    return "\n".join(out) + "\n"


def render(doc: LocalizedHandout, table: str, where: str) -> tuple[bytes, str]:
    """(BRF bytes, preview text) of the handout in one braille table."""
    latin = doc.language.script.startswith("latin")
    parts = blocks(doc)
    pieces = [[(p, eng or b.english) for p, eng in runs(b.text, latin or b.english)] for b in parts]
    pieces = [[(p, eng) for p, eng in item if p.strip()] for item in pieces]
    own = [p for item in pieces for p, eng in item if not eng]
    english = [p for item in pieces for p, eng in item if eng]
    said = {False: iter(translate(own, table, where)), True: iter(translate(english, ENGLISH, where))}
    laid: list[tuple[str, str]] = []
    for block, item in zip(parts, pieces, strict=True):
        cells = BLANK.join(next(said[eng]).strip(BLANK + " ") for _p, eng in item)
        text = to_ascii(cells, where)
        if block.kind == "same" and laid:  # the English text after 'Not yet translated:'
            laid[-1] = (laid[-1][0], laid[-1][1] + " " + text)
        else:
            laid.append((block.kind, text))
    numbers = iter(translate([str(n) for n in range(1, 200)], table, where))
    number_cells = [to_ascii(next(numbers).strip(), where) for _ in range(199)]
    pages = paginate(laid, lambda n: number_cells[n - 1] if n <= 199 else str(n))
    return brf(pages), preview(pages, doc.title.text.replace("**", ""))
