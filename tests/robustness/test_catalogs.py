"""Catalogs as editors and translators leave them. Each broken form blocks its
language with one line naming the file and line; English still builds; the
last good PDF stays byte for byte. Forms editors commonly write are accepted."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po

from .conftest import HANDOUT, LOCALE, Good

FEVER = 'msgstr "[it] You have a high fever."'
DIZZY = 'msgstr "[it] You feel faint or dizzy."'
PAGE = 'msgstr "[it] Page {page} of {pages}"'
PLURAL_ENTRY = ('\nmsgid "one tablet"\nmsgid_plural "{n} tablets"\n'
                'msgstr[0] "una"\nmsgstr[1] "{n}"\nmsgstr[2] "{n}!"\nmsgstr[3] "{n}?"\n')


def replace(old: str, new: str, domain: str = HANDOUT, at: str | None = None) -> Callable[[Good], tuple[Path, str]]:
    """A change to one catalog; returns the file and the text whose line the error should name."""
    def change(good: Good) -> tuple[Path, str]:
        path = good.po(LOCALE, domain)
        good.edit(path, old, new)
        return path, at or new.strip().splitlines()[0]
    return change


def write_bytes(data: Callable[[Path], bytes], needle: str | None = None) -> Callable[[Good], tuple[Path, str | None]]:
    def change(good: Good) -> tuple[Path, str | None]:
        path = good.po()
        path.write_bytes(data(path))
        return path, needle
    return change


def both(good: Good, *changes: Callable[[Good], tuple[Path, str]]) -> tuple[Path, str]:
    return [change(good) for change in changes][-1]


def utf8_saying_latin1(path: Path) -> bytes:
    """UTF-8 text under a header that names ISO-8859-1 (test_charsets.py follows the advice)."""
    text = path.read_text("utf-8").replace("charset=utf-8", "charset=ISO-8859-1")
    return text.replace(FEVER, 'msgstr "[it] Avete la febbre alta, perché"').encode("utf-8")


def invalid_utf8(path: Path) -> bytes:
    return path.read_bytes().replace(FEVER.encode(), b'msgstr "[it] You have a high fever \xe9t\xe9."')


def compiled(path: Path) -> bytes:
    return subprocess.run(["msgfmt", "-o", "-", str(path)], capture_output=True, check=True).stdout


def no_header(path: Path) -> bytes:
    text = path.read_text("utf-8")
    start = text.index('msgid ""')
    end = text.index("\n\n", start)
    return (text[:start] + text[end + 2:]).encode()


# (id, change, words the one line must hold)
REFUSED = [
    ("unclosed-quote", replace(FEVER, 'msgstr "[it] You have a high fever.'), "end-of-line within string"),
    ("bad-escape", replace(FEVER, 'msgstr "[it] You have a \\q high fever."'), "invalid control sequence"),
    ("unknown-keyword", replace(FEVER, FEVER + '\nmsgtxt "x"'), 'keyword "msgtxt" unknown'),
    ("two-msgstr", replace(DIZZY, DIZZY + '\nmsgstr "[it] again"'), "syntax error"),
    ("msgstr-missing", replace(FEVER, "", at='msgid "You have a high fever."'), "missing 'msgstr' section"),
    ("duplicate", replace(DIZZY, DIZZY + '\n\nmsgid "You feel faint or dizzy."\nmsgstr "[it] again"'),
     "duplicate message definition"),
    ("plural-without-msgid-plural", replace(FEVER, 'msgstr[0] "[it] You have a high fever."'),
     "missing 'msgid_plural' section"),
    ("too-many-plural-forms", replace(DIZZY, DIZZY + "\n" + PLURAL_ENTRY, at='msgid "one tablet"'), "4 plural forms"),
    ("invalid-plural-expression", replace("nplurals=3; plural=(", "nplurals=3; plural=(("), "invalid plural expression"),
    ("header-missing", write_bytes(no_header), "PO header"),
    ("charset-header-not-the-bytes", write_bytes(utf8_saying_latin1, "charset=ISO-8859-1"),
     "the text is UTF-8 but the header says charset=ISO-8859-1"),
    ("bytes-not-utf8", write_bytes(invalid_utf8, "You have a high fever"), "not UTF-8 text"),
    ("empty-file", write_bytes(lambda p: b""), "catalog file is empty"),
    ("only-blank-lines", write_bytes(lambda p: b"\r\n\n  \n"), "catalog file is empty"),
    ("compiled-mo-named-po", write_bytes(compiled), "not a PO catalog"),
    ("png-named-po", write_bytes(lambda p: b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(32)), "not a PO catalog"),
    ("wrong-language-file", replace('"Language: it\\n"', '"Language: fr\\n"'), "Language header says 'fr'"),
]


@pytest.mark.parametrize(("change", "words"), [c[1:] for c in REFUSED], ids=[c[0] for c in REFUSED])
def test_a_broken_catalog_blocks_its_language_with_file_and_line(good: Good, change, words: str) -> None:
    path, needle = change(good)
    result = good.run("build", "--output", "pdf")
    where = f"{path.name}:"
    if needle is not None:
        line = good.line_of(path, needle)
        found = good.refused(result, where, words)
        number = int(found.split(where, 1)[1].split(":", 1)[0])
        assert abs(number - line) <= 2, (found, line)
    else:
        good.refused(result, where, words)
    assert f"blocked   {HANDOUT} {LOCALE} pdf" in result.err
    assert f"{HANDOUT} en pdf" not in result.err  # English is not blocked with it


def test_a_missing_domain_file_blocks_and_names_it(good: Good) -> None:
    good.po(LOCALE, "templates").unlink()
    good.refused(good.run("build", "--output", "pdf"), "templates.po", "catalog file is missing")


# Messages that parse but may not be used: the safety gate.
GATED = [
    ("untranslated", replace(FEVER, 'msgstr ""'), "not translated:"),
    ("only-spaces", replace(FEVER, 'msgstr "   "'), "not translated:"),
    ("fuzzy-with-text", replace('msgid "You have a high fever."', '#, fuzzy\nmsgid "You have a high fever."'), "fuzzy"),
    ("fuzzy-without-text", lambda good: both(good, replace(FEVER, 'msgstr ""'),
                                             replace('msgid "You have a high fever."', '#, fuzzy\nmsgid "You have a high fever."')),
     "not translated:"),
    # GNU msgfmt's python-brace-format check names the argument before our own check can
    ("placeholder-lost", replace(PAGE, 'msgstr "[it] Pagina {page}"', "templates"), "'pages'"),
    ("placeholder-added", replace(FEVER, 'msgstr "[it] You have a high fever {dose}."'), "placeholders differ"),
    ("placeholder-renamed", replace(PAGE, 'msgstr "[it] Pagina {pagina} di {pages}"', "templates"), "'page'"),
    ("msgid-edited-by-translator", replace('msgid "You have a high fever."', 'msgid "You have a fever."'),
     "not translated:"),
]


@pytest.mark.parametrize(("change", "words"), [c[1:] for c in GATED], ids=[c[0] for c in GATED])
def test_an_unusable_message_blocks_its_language(good: Good, change, words: str) -> None:
    path, _ = change(good)
    line = good.refused(good.run("build", "--output", "pdf"), words)
    assert ".po:" in line or "handout.md:" in line or "templates/" in line, line


def test_bom_and_windows_line_endings_give_the_same_pdf(good: Good) -> None:
    po = good.po()
    po.write_bytes(b"\xef\xbb\xbf" + po.read_bytes().replace(b"\n", b"\r\n"))
    result = good.run("build", "--output", "pdf")
    assert result.code == 0, result.err
    good.untouched(".pdf")  # rebuilt (the file changed) and byte for byte the same PDF


def test_a_catalog_resaved_by_another_editor_gives_the_same_pdf(good: Good) -> None:
    """Sorted, rewrapped at 40 columns, comments dropped: the same messages, the same handout."""
    for domain in (HANDOUT, "templates"):
        path = good.po(LOCALE, domain)
        with path.open("rb") as fh:
            catalog = read_po(fh)
        with path.open("wb") as fh:
            write_po(fh, catalog, width=40, sort_output=True, no_location=True, omit_header=False)
    result = good.run("build", "--output", "pdf")
    assert result.code == 0, result.err
    good.untouched(".pdf")


def test_obsolete_entries_are_ignored(good: Good) -> None:
    po = good.po()
    with po.open("a", encoding="utf-8") as fh:
        fh.write('\n#~ msgid "You have a very high fever."\n#~ msgstr "OBSOLETE fever"\n'
                 '\n#~ msgid "Call your doctor tomorrow."\n#~ msgstr "OBSOLETE call"\n')
    result = good.run("build", "--output", "pdf")
    assert result.code == 0, result.err
    good.untouched(".pdf")
