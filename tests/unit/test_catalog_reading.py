"""Strict reading of a PO file (catalogs.read_catalog): what GNU msgfmt --check and
our own header rules refuse, with the line a translator must look at. Small files
written here; msgfmt is the only program run. The lines expected are those GNU msgfmt
0.21 itself reports for these files (run by hand: msgfmt --check -o /dev/null -)."""

from __future__ import annotations

from pathlib import Path

import pytest

from handoutkit.catalogs import normalise_po_bytes, read_catalog
from handoutkit.errors import CatalogError

HEADER = ('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Language: es\\n"\n'
          '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n')  # 6 lines: entries start on line 7


def po(tmp_path: Path, text: str | bytes) -> Path:
    path = tmp_path / "demo.po"
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return path


def refusal(path: Path, locale: str | None = "es") -> tuple[str, int | None]:
    with pytest.raises(CatalogError) as err:
        read_catalog(path, locale)
    assert err.value.path == str(path)
    return err.value.message, err.value.line


def test_a_good_catalog_is_read_with_its_lines(tmp_path: Path) -> None:
    catalog = read_catalog(po(tmp_path, HEADER + 'msgid "Stop."\nmsgstr "Pare."\n\n#, fuzzy\nmsgid "Go."\nmsgstr "Vaya."\n'), "es")
    assert [(m.id, m.string, m.fuzzy, m.lineno) for m in catalog if m.id] == [("Stop.", "Pare.", False, 7),
                                                                            ("Go.", "Vaya.", True, 11)]


def test_a_bom_and_windows_lines_are_fine(tmp_path: Path) -> None:
    text = (HEADER + 'msgid "Stop."\nmsgstr "Pare."\n').replace("\n", "\r\n")
    catalog = read_catalog(po(tmp_path, b"\xef\xbb\xbf" + text.encode()), "es")
    assert catalog["Stop."].string == "Pare."
    assert normalise_po_bytes(b"\xef\xbb\xbfa\r\nb\r\n") == b"a\nb\n"
    assert normalise_po_bytes(b"a\rb\xef\xbb\xbf") == b"a\rb\xef\xbb\xbf"


def test_obsolete_entries_are_left_out_and_lines_kept(tmp_path: Path) -> None:
    text = HEADER + '#~| msgid "Old."\n#~ msgid "Gone."\n#~ msgstr "Ido."\n\nmsgid "Stop."\nmsgstr "Pare."\n'
    catalog = read_catalog(po(tmp_path, text), "es")
    assert [(m.id, m.lineno) for m in catalog if m.id] == [("Stop.", 11)]
    assert list(catalog.obsolete) == []


@pytest.mark.parametrize(("text", "message", "line"), [
    (b"", "catalog file is empty", None),
    (b" \n\n", "catalog file is empty", None),
    (b"\xef\xbb\xbf\r\n", "catalog file is empty", None),
    (b'msgid ""\x00', "not a PO catalog (binary data)", None),
    ((HEADER + 'msgid "a"\nmsgstr "caf\xe9"\n').encode("latin-1"), "not UTF-8 text (catalogs must be UTF-8; a catalog"
     " in another charset must say which in its header, e.g. charset=ISO-8859-1)", 8),
    (HEADER.replace("UTF-8", "ISO-8859-1") + 'msgid "a"\nmsgstr "caf\xe9"\n',  # UTF-8 bytes, a Latin-1 header
     "the text is UTF-8 but the header says charset=ISO-8859-1: change charset=ISO-8859-1 to charset=UTF-8 on this line"
     " (do not convert the file with msgconv or iconv: it is UTF-8 already, and converting it again garbles every"
     " accented letter)", 3),
    (HEADER.replace("UTF-8", "klingon") + 'msgid "a"\nmsgstr "b"\n',
     "the header says charset=klingon, a charset handoutkit does not know: save the catalog as UTF-8", 3),
    (HEADER.replace("UTF-8", "windows-1252").encode() + b'msgid "a"\nmsgstr "\x81"\n',  # 0x81: no character in cp1252
     "not windows-1252 text, as the header says (nor UTF-8)", 8),
    (HEADER + 'msgid "a"\nmsgstr "b"\n\nmsgid "a"\nmsgstr "c"\n', "duplicate message definition (first defined at line 8)", 10),
    (HEADER + 'msgid "a"\nmsgstr "b\n', "end-of-line within string", 9),
    (HEADER + 'msgid "a"\nmsgid_plural "as"\nmsgstr[0] "b"\n', "some messages have only one plural form, but the header"
     " (line 5) says nplurals = 2", 9),
    (HEADER + 'msgid "a\\n"\nmsgstr "b"\n', "'msgid' and 'msgstr' entries do not both end with '\\n'", 8),
])
def test_what_is_refused_and_where(tmp_path: Path, text: str | bytes, message: str, line: int | None) -> None:
    assert refusal(po(tmp_path, text)) == (message, line)


def test_a_missing_or_unreadable_file(tmp_path: Path) -> None:
    assert refusal(tmp_path / "none.po") == ("catalog file is missing", None)
    (tmp_path / "folder.po").mkdir()
    message, line = refusal(tmp_path / "folder.po")
    assert message == "cannot read the catalog (Is a directory)" and line is None


@pytest.mark.parametrize(("charset"), ["utf-8", "UTF8", "ASCII", "us-ascii"])
def test_utf8_and_ascii_are_accepted_as_charsets(tmp_path: Path, charset: str) -> None:
    assert read_catalog(po(tmp_path, HEADER.replace("UTF-8", charset) + 'msgid "a"\nmsgstr "b"\n'), "es")["a"].string == "b"


@pytest.mark.parametrize(("declared", "locale", "ok"), [
    ("es", "es", True), ("es_MX", "es", False), ("pt_BR", "pt_BR", True), ("pt-BR", "pt_BR", True),
    ("pt", "pt_BR", True), ("PT_br", "pt_BR", True), ("fr", "es", False), ("zh_Hant", "zh_Hans", False),
    ("", "es", True),
])
def test_the_language_header_must_name_the_folders_language(tmp_path: Path, declared: str, locale: str, ok: bool) -> None:
    path = po(tmp_path, HEADER.replace("Language: es", f"Language: {declared}") + 'msgid "a"\nmsgstr "b"\n')
    if ok:
        assert read_catalog(path, locale)["a"].string == "b"
        return
    shown = declared.replace("-", "_")
    assert refusal(path, locale) == (f"its Language header says '{shown}' but it sits in the folder for '{locale}'"
                                     " (a file for another language?)", 4)


def test_without_a_locale_the_language_header_is_not_checked(tmp_path: Path) -> None:
    path = po(tmp_path, HEADER.replace("Language: es", "Language: fr") + 'msgid "a"\nmsgstr "b"\n')
    assert read_catalog(path)["a"].string == "b"


def test_a_header_without_a_language_is_fine(tmp_path: Path) -> None:
    path = po(tmp_path, HEADER.replace('"Language: es\\n"\n', "") + 'msgid "a"\nmsgstr "b"\n')
    assert read_catalog(path, "es")["a"].string == "b"


def test_a_file_without_a_header_is_told_what_the_header_must_say(tmp_path: Path) -> None:
    assert refusal(po(tmp_path, 'msgid "a"\nmsgstr "b"\n')) == (
        'the PO header (the first entry, msgid "") is missing or invalid: it must declare charset=UTF-8', 1)


def test_a_charset_name_that_is_not_ascii_is_shown_not_a_crash(tmp_path: Path) -> None:
    # the file is UTF-8 (its one non-ASCII letter is the header's): change the header, do not convert
    text = HEADER.replace("UTF-8", "ütf-8").encode("utf-8") + b'msgid "a"\nmsgstr "b"\n'
    assert refusal(po(tmp_path, text)) == (
        "the text is UTF-8 but the header says charset=\ufffd\ufffdtf-8: change charset=\ufffd\ufffdtf-8 to charset=UTF-8"
        " on this line (do not convert the file with msgconv or iconv: it is UTF-8 already, and converting it again"
        " garbles every accented letter)", 3)


# --- catalogs in another charset their header names are converted on reading --------------------

@pytest.mark.parametrize(("charset", "written", "read"), [
    ("ISO-8859-1", "caf\xe9", "café"),
    ("ISO-8859-1", "b", "b"),  # ASCII text under a Latin-1 header
    ("latin1", "ma\xf1ana", "mañana"),
    ("CP1252", "\x93hola\x94 \x80", "\u201chola\u201d \u20ac"),  # curly quotes and the euro sign of Windows-1252
    ("windows-1252", "\x85", "\u2026"),
    ("KOI8-R", "\xd0\xd2\xc9\xd7\xc5\xd4", "привет"),
])
def test_a_catalog_in_the_charset_its_header_names_is_read(tmp_path: Path, charset: str, written: str, read: str) -> None:
    data = HEADER.replace("UTF-8", charset).encode("ascii") + b'msgid "a"\nmsgstr "' + written.encode("latin-1") + b'"\n'
    assert read_catalog(po(tmp_path, data), "es")["a"].string == read


def test_a_converted_catalog_keeps_its_lines(tmp_path: Path) -> None:
    data = (HEADER.replace("UTF-8", "ISO-8859-1") + 'msgid "a"\nmsgstr "caf\xe9"\n\nmsgid "b"\nmsgstr "\xfc"\n').encode("latin-1")
    catalog = read_catalog(po(tmp_path, data), "es")
    assert [(m.id, m.string, m.lineno) for m in catalog if m.id] == [("a", "café", 7), ("b", "ü", 10)]


def test_following_the_header_advice_literally_reads_the_catalog(tmp_path: Path) -> None:
    path = po(tmp_path, HEADER.replace("UTF-8", "ISO-8859-1") + 'msgid "a"\nmsgstr "caf\xe9"\n')
    message, line = refusal(path)
    assert line == 3 and "change charset=ISO-8859-1 to charset=UTF-8 on this line" in message
    lines = path.read_bytes().split(b"\n")
    lines[line - 1] = lines[line - 1].replace(b"charset=ISO-8859-1", b"charset=UTF-8")
    path.write_bytes(b"\n".join(lines))
    assert read_catalog(path, "es")["a"].string == "café"


def test_what_babel_refuses_after_msgfmt_accepted_it_is_refused_too(tmp_path: Path) -> None:
    # GNU msgfmt takes '#-' for a comment; Babel's strict reader calls it a merge conflict
    path = po(tmp_path, HEADER + '#- conflict\nmsgid "a"\nmsgstr "b"\n')
    assert refusal(path) == ("cannot parse po file with conflicts on 6", None)


# --- msgfmt's errors as one line (its text parsed, no program run) ---------------------------------

def msgfmt_says(stderr: str, data: bytes = b"") -> tuple[str, int | None]:
    from handoutkit.catalogs import _msgfmt_error

    err = _msgfmt_error(stderr, Path("es.po"), data)
    assert err.path == "es.po"
    return err.message, err.line


def test_msgfmt_warnings_are_not_errors() -> None:
    assert msgfmt_says("<stdin>:2: warning: header field 'Language' missing in header\n<stdin>:9: end-of-line within string\n"
                       "msgfmt: found 1 fatal error\n") == ("end-of-line within string", 9)
    assert msgfmt_says("<stdin>:4:12: invalid control sequence\n") == ("invalid control sequence", 4)


def test_an_error_without_a_line_is_passed_on_with_the_file_name() -> None:
    assert msgfmt_says("msgfmt: <stdin>: some failure\nmsgfmt: found 1 fatal error\n") == ("es.po: some failure", None)
    assert msgfmt_says("") == ("msgfmt rejected it", None)
    assert msgfmt_says("  \n") == ("msgfmt rejected it", None)


def test_a_two_line_error_is_joined() -> None:
    assert msgfmt_says("<stdin>:5: format specifications differ...\n<stdin>:6: ...in argument 2\n") == (
        "format specifications differ: in argument 2", 5)
    assert msgfmt_says("<stdin>:5: a thing...\n<stdin>:6: not continued\n") == ("a thing...", 5)
    assert msgfmt_says("<stdin>:5: a thing\n<stdin>:6: ...continued\n") == ("a thing", 5)


def test_a_plural_expression_error_points_at_the_plural_forms_line() -> None:
    data = b'msgid ""\nmsgstr ""\n"Language: es\\n"\n"Plural-Forms: nplurals=2; plural=n>;\\n"\n'
    assert msgfmt_says("<stdin>:2: invalid plural expression\n", data) == ("invalid plural expression", 4)
    assert msgfmt_says("<stdin>:2: nplurals = 3 is not allowed\n", data) == ("nplurals = 3 is not allowed", 4)
    assert msgfmt_says("<stdin>:2: invalid plural expression\n", b'msgid ""\n') == ("invalid plural expression", 2)
    assert msgfmt_says("<stdin>:2: some other header error\n", data) == ("some other header error", 2)


def test_a_language_header_that_is_not_ascii_is_shown_not_a_crash(tmp_path: Path) -> None:
    path = po(tmp_path, HEADER.replace("Language: es", "Language: ès") + 'msgid "a"\nmsgstr "b"\n')
    assert refusal(path) == ("its Language header says '\ufffd\ufffds' but it sits in the folder for 'es'"
                             " (a file for another language?)", 4)


def test_a_catalog_over_the_size_limit_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "demo.po"
    with path.open("wb") as fh:
        fh.truncate(1024 * 1024)  # 1 MiB (a sparse file: its size is what is checked)
    assert refusal(path) == ("the catalog is 1 MiB; the limit is 512 KiB (see Limits in the README)", None)


@pytest.mark.parametrize(("charset", "body"), [
    ("UTF-16", 'msgid "a"\nmsgstr "b"\n'),  # ASCII bytes read as UTF-16: no header, no lines left
    ("UTF-7", 'msgid "a"\nmsgstr "b+AAo-c"\n'),  # UTF-7 for a line break: the header is there, a line is not
])
def test_a_charset_a_po_file_cannot_be_written_in_is_refused_on_the_header_line(tmp_path: Path, charset: str,
                                                                                 body: str) -> None:
    assert refusal(po(tmp_path, HEADER.replace("UTF-8", charset) + body)) == (
        f"the header says charset={charset}, which a PO file cannot be written in: save the catalog as UTF-8", 3)
