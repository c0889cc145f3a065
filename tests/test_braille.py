"""Braille-ready files: checked with liblouis run by the test and a dots table written here.

Geometry: 40 cells, 25 lines, ASCII, CRLF, form feeds. Content: English grade 1 is
back-translated by liblouis and every message comes back exactly; grade 2 by its key
words; the forward-only tables (most of the others) are checked message by message
against liblouis' forward translation made here, through this file's own mapping of
North American ASCII braille to dots, which also checks the Unicode preview."""

from __future__ import annotations

import re
import subprocess
import unicodedata
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from handoutkit.cli import main

from .conftest import copy_project

HANDOUT = "baclofen-withdrawal"
SITE = """id = "main-street"
name = "Main Street Pharmacy"
phone = "+1 (555) 010-2030"
emergency_number = "911"
"""
# North American ASCII braille: each character and its dots (the published Braille ASCII chart).
DOTS = {
    " ": "", "A": "1", "B": "12", "C": "14", "D": "145", "E": "15", "F": "124", "G": "1245", "H": "125",
    "I": "24", "J": "245", "K": "13", "L": "123", "M": "134", "N": "1345", "O": "135", "P": "1234",
    "Q": "12345", "R": "1235", "S": "234", "T": "2345", "U": "136", "V": "1236", "W": "2456", "X": "1346",
    "Y": "13456", "Z": "1356", "1": "2", "2": "23", "3": "25", "4": "256", "5": "26", "6": "235", "7": "2356",
    "8": "236", "9": "35", "0": "356", "!": "2346", '"': "5", "#": "3456", "$": "1246", "%": "146", "&": "12346",
    "'": "3", "(": "12356", ")": "23456", "*": "16", "+": "346", ",": "6", "-": "36", ".": "46", "/": "34",
    ":": "156", ";": "56", "<": "126", "=": "123456", ">": "345", "?": "1456", "@": "4", "[": "246",
    "\\": "1256", "]": "12456", "^": "45", "_": "456",
}
CELL = {chr(0x2800 + sum(1 << (int(d) - 1) for d in dots)): ascii_ for ascii_, dots in DOTS.items()}
TABLES = {"es": "es-g1.ctb", "ar": "ar-ar-g1.utb", "zh_Hans": "zh-chn.ctb", "fa": "fa-ir-g1.utb",
          "ru": "ru-litbrl.ctb", "ko": "ko-g2.ctb", "hi": "hi-in-g1.utb"}
LATIN = re.compile(r"[A-Za-z][A-Za-z'’-]*(?:\s+[A-Za-z][A-Za-z'’-]*)*")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("braille") / "proj", locales=(*TABLES, "tl"))
    (root / "site.toml").write_text(SITE, "utf-8")
    assert main(["--project", str(root), "build", "--output", "braille", "--output", "web"]) == 0
    assert main(["--project", str(root), "build", "--output", "braille", "--braille-grade", "1", "--lang", "en"]) == 0
    return root


def brf(root: Path, tag: str, suffix: str = "") -> Path:
    return root / "dist" / "main-street" / HANDOUT / tag / f"{HANDOUT}-{tag}{suffix}.brf"


def pages(path: Path) -> list[list[str]]:
    return [page.split("\r\n")[:-1] for page in path.read_bytes().decode("ascii").split("\f")]


def stream(path: Path) -> str:
    """The braille text without page-number lines, spaces and line breaks."""
    return "".join("".join(page[1:]) for page in pages(path)).replace(" ", "")


def lou(direction: str, table: str, lines: list[str]) -> list[str]:
    done = subprocess.run(["lou_translate", direction, f"unicode.dis,{table}"], input="\n".join(lines) + "\n",
                          capture_output=True, text=True, check=True)
    return done.stdout.split("\n")[: len(lines)]


def as_cells(brf_text: str) -> str:
    """ASCII braille -> Unicode braille, by this file's own table (lou_translate reads '\\' in ASCII as an escape)."""
    dots = {a: c for c, a in CELL.items()}
    return "".join(dots.get(ch, ch) for ch in brf_text)


def as_ascii(cells: str) -> str:
    return "".join(CELL[c] if c in CELL else " " if c == " " else "\x00" for c in cells)


def messages(root: Path, locale: str) -> list[str]:
    """The handout's messages as written: the template's msgids for English, else the catalog's msgstrs."""
    path = root / "locales" / (f"{HANDOUT}.pot" if locale == "en" else f"{locale}/LC_MESSAGES/{HANDOUT}.po")
    with path.open("rb") as fh:
        catalog = read_po(fh)
    texts = [m.id if locale == "en" else m.string for m in catalog if m.id]
    return [" ".join("".join(c for c in t.replace("**", "") if unicodedata.category(c) != "Cf").split()) for t in texts]


@pytest.mark.parametrize("tag", ["en", "es", "ar", "zh-Hans", "fa", "ru", "ko", "hi"])
def test_geometry(built: Path, tag: str) -> None:
    data = brf(built, tag).read_bytes()
    assert all(b in (9, 10, 12, 13) or 32 <= b < 127 for b in data), "not plain ASCII"
    assert b"\t" not in data and data.count(b"\n") == data.count(b"\r\n"), "every line ends in CRLF"
    found = pages(brf(built, tag))
    assert len(found) >= 2 and data.count(b"\f") == len(found) - 1
    for number, page in enumerate(found, start=1):
        assert 1 < len(page) <= 25, f"page {number} has {len(page)} lines"
        assert all(len(line) <= 40 for line in page), f"page {number} has a line over 40 cells"
        assert page[0].strip() and len(page[0]) == 40, "the braille page number at the right of line 1"


def back(path: Path, table: str) -> str:
    """The BRF back-translated by liblouis line by line (each line holds whole words), joined."""
    lines = [as_cells(line.strip()) for page in pages(path) for line in page[1:] if line.strip()]
    done = subprocess.run(["lou_translate", "--backward", f"unicode.dis,{table}"], input="\n".join(lines) + "\n",
                          capture_output=True, text=True, check=True)
    return " ".join(done.stdout.split())


def test_english_grade_1_reads_back_exactly(built: Path) -> None:
    flat = back(brf(built, "en", "-g1"), "en-ueb-g1.ctb")
    for message in messages(built, "en"):
        assert message in flat, f"not read back: {message!r} in {flat[flat.find(message[:12]) - 20:][:300]!r}"


def test_english_grade_2_reads_back_its_key_words(built: Path) -> None:
    flat = back(brf(built, "en"), "en-ueb-g2.ctb").lower()
    for word in ("baclofen", "emergency", "seizure", "fever", "pump", "refill", "suddenly", "main street pharmacy"):
        assert word in flat, word
    assert len(stream(brf(built, "en"))) < len(stream(brf(built, "en", "-g1"))) * 0.9, "grade 2 is contracted"


@pytest.mark.parametrize("locale", list(TABLES))
def test_each_message_is_the_tables_forward_translation(built: Path, locale: str) -> None:
    """Each run of the language's own script, translated here by liblouis and mapped to ASCII by
    this file's table; a Latin-letter word in another script is English (grade 1)."""
    tag = locale.replace("_", "-")
    found = stream(brf(built, tag))
    latin = locale in ("es", "fr")
    for message in messages(built, locale):
        pieces = [message] if latin else [p for p in LATIN.split(message) if p.strip()]
        for piece, cells in zip(pieces, lou("--forward", TABLES[locale], pieces), strict=True):
            braille = as_ascii(cells.strip("\u2800 ")).replace(" ", "")
            assert "\x00" not in braille, f"{locale}: 8-dot cells for {piece!r}"
            assert braille in found, f"{locale}: {piece!r} is not in the BRF as liblouis writes it"
        for word in ([] if latin else LATIN.findall(message)):
            english = as_ascii(lou("--forward", "en-ueb-g1.ctb", [word])[0]).replace(" ", "")
            assert english in found, f"{locale}: {word!r} is not in the BRF in English braille"


@pytest.mark.parametrize("tag", ["en", "ar", "zh-Hans"])
def test_the_preview_shows_the_same_cells(built: Path, tag: str) -> None:
    preview = brf(built, tag).with_name(f"{HANDOUT}-{tag}-braille.txt").read_text("utf-8").split("\n")
    shown = [line for line in preview if line and not line.startswith("---")][1:]
    cells = [line for page in pages(brf(built, tag)) for line in page if line.strip()]
    assert [as_ascii(line).rstrip() for line in shown if line.strip("\u2800")] == [line.rstrip() for line in cells]


@pytest.mark.parametrize("tag", ["en", "es", "ar"])
def test_warning_signs_start_a_page_and_the_site_is_there(built: Path, tag: str) -> None:
    locale = tag.replace("-", "_")
    source = (built / "handouts" / HANDOUT / "handout.md").read_text("utf-8")
    english = [h for h in re.findall(r"^::: emergency\n## (.+)$", source, re.M)]
    headings = english
    if locale != "en":
        with (built / "locales" / locale / "LC_MESSAGES" / f"{HANDOUT}.po").open("rb") as fh:
            catalog = read_po(fh)
        headings = [catalog[h].string for h in english]
    table = TABLES.get(locale, "en-ueb-g2.ctb")
    for heading in headings:
        first = LATIN.split(heading)[0] if locale not in ("en", "es") else heading
        cells = as_ascii(lou("--forward", table, [first])[0].strip("\u2800 ")).replace(" ", "")
        starts = [page for page in pages(brf(built, tag)) if page[1].replace(" ", "").startswith(cells[:20])]
        assert starts, f"{tag}: the box {heading!r} does not start a braille page"
    flat = stream(brf(built, tag))
    for text in ("911", "555"):
        assert as_ascii(lou("--forward", table, [text])[0]).replace(" ", "") in flat
    latin_script = locale in ("en", "es")  # the site's name is brailled as the language's text, else as English
    name = as_ascii(lou("--forward", table if latin_script else "en-ueb-g1.ctb", ["Main Street Pharmacy"])[0])
    assert name.replace(" ", "") in flat


def test_a_language_with_no_table_gets_none_and_status_says_so(built: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert not brf(built, "tl").exists()
    assert main(["--project", str(built), "status"]) == 0
    line = next(line for line in capsys.readouterr().out.splitlines() if " tl " in line)
    assert "no braille table" in line


def test_the_phone_page_and_bundle_offer_it(built: Path) -> None:
    import zipfile

    folder = brf(built, "es").parent
    assert f'href="{HANDOUT}-es.brf"' in (folder / "index.html").read_text("utf-8")
    with zipfile.ZipFile(folder / f"{HANDOUT}-es.zip") as bundle:
        assert f"{HANDOUT}-es.brf" in bundle.namelist()
