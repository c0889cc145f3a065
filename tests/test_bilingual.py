"""The bilingual print edition, checked from outside: veraPDF's verdict, both languages read
back in order (pdftotext and the structure tree), every English twin its own structure
element with /Lang en, the boxes whole, every character in the row's fonts (fontTools
against fontconfig); page images for the README are made here.

make test checks one Latin, one right-to-left and one CJK language; make check-all every one."""

from __future__ import annotations

import os
import subprocess
import tomllib
from pathlib import Path

import pytest

from handoutkit.cli import main

from . import tagged
from .conftest import ROOT, copy_project, tracked_locales
from .test_pdf_structure import assert_whole_or_continued, catalog

HANDOUT = "baclofen-withdrawal"
SAMPLE = ["es", "ar", "zh_Hans"]
LOCALES = tracked_locales() if os.environ.get("HANDOUTKIT_CHECK_ALL") else SAMPLE
PICTURES = {"es": "latin", "ar": "rtl", "zh_Hans": "cjk"}  # one page image each, for the README


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("bilingual") / "proj", LOCALES)
    langs = [a for loc in ["en", *LOCALES] for a in ("--lang", loc.replace("_", "-"))]
    assert main(["--project", str(root), "build", "--output", "bilingual", "--output", "web", *langs]) == 0
    return root


def pdf(root: Path, locale: str) -> Path:
    tag = locale.replace("_", "-")
    return root / "dist" / HANDOUT / tag / f"{HANDOUT}-{tag}-bilingual.pdf"


def pairs(root: Path, locale: str) -> list[str]:
    """Each message in the language, then the same message in English, in source order."""
    return [text for msgid, own in catalog(root, locale) for text in (own, msgid.replace("**", ""))]


def test_english_gets_no_bilingual_edition(built: Path) -> None:
    assert not pdf(built, "en").exists()


def test_verapdf_passes(built: Path) -> None:
    from handoutkit.pdfua import validate

    verdicts = validate([pdf(built, loc) for loc in LOCALES], built / ".cache")
    failed = [f"{v.path.name}: {'; '.join(v.failures)}" for v in verdicts if not v.passed]
    assert len(verdicts) == len(LOCALES) and not failed, failed


@pytest.mark.parametrize("locale", LOCALES)
def test_both_languages_read_back_exactly_in_order(built: Path, locale: str) -> None:
    path = pdf(built, locale)
    expected = pairs(built, locale)
    missing = tagged.first_missing(expected, tagged.tagged_text(path), by_runs=False)
    assert missing is None, f"{locale}: the structure tree does not read back {missing!r}"
    # right to left too: the edition's direction marks make poppler read each page right to left
    # (render/tagging.py, _direction_marks), so every Arabic and English line comes back as written
    missing = tagged.first_missing(expected, tagged.pdftotext(path), by_runs=True)
    assert missing is None, f"{locale}: pdftotext does not read back {missing!r}"


@pytest.mark.parametrize("locale", LOCALES)
def test_every_english_block_is_its_own_element_with_lang_en(built: Path, locale: str) -> None:
    tree, _, _ = tagged.structure(pdf(built, locale))
    english: set[str] = set()

    def walk(e: tagged.Element) -> None:
        if e.lang == "en" and e.role in ("/P", "/Span"):  # a paragraph; in a list item's body, a span
            english.add(tagged.squash(e.text))
        for kid in e.kids:
            walk(kid)

    for e in tree:
        walk(e)
    for msgid, _own in catalog(built, locale):
        assert tagged.squash(msgid) in english, f"{locale}: no element with /Lang en for {msgid[:50]!r}"
    with pikepdf_open(pdf(built, locale)) as doc:
        assert str(doc.Root.Lang) == locale.replace("_", "-"), "the document's /Lang is the patient's language"


def pikepdf_open(path: Path):
    import pikepdf

    return pikepdf.open(path)


@pytest.mark.parametrize("locale", LOCALES)
def test_the_boxes_are_read_whole(built: Path, locale: str) -> None:
    assert_whole_or_continued(built, locale, pdf(built, locale))


@pytest.mark.parametrize("locale", LOCALES)
def test_every_character_is_in_the_rows_fonts(built: Path, locale: str) -> None:
    from fontTools.ttLib import TTCollection, TTFont

    row = tomllib.loads((ROOT / "handoutkit" / "languages.toml").read_text("utf-8"))[locale]
    covered: set[int] = set()
    for family in row["fonts"]:
        if family == "Atkinson Hyperlegible":
            import fontpkg

            covered |= set(TTFont(fontpkg.path(family, weight=400)).getBestCmap())
            continue
        out = subprocess.run(["fc-match", "-f", "%{file}\t%{index}", family], capture_output=True, text=True,
                             check=True).stdout
        file, index = out.split("\t")
        font = TTCollection(file).fonts[int(index)] if file.endswith((".ttc", ".otc")) else TTFont(file)
        covered |= set(font.getBestCmap())
    text = "".join(pairs(built, locale))
    gaps = sorted({c for c in text if not c.isspace() and ord(c) not in covered and c not in "\u200c\u200d\u200e\u200f"})
    assert not gaps, f"{locale}: no glyph for {gaps}"


def test_the_phone_page_offers_it(built: Path) -> None:
    page = (built / "dist" / HANDOUT / "es" / "index.html").read_text("utf-8")
    assert f'href="{HANDOUT}-es-bilingual.pdf"' in page


@pytest.mark.parametrize("locale", [loc for loc in PICTURES if loc in LOCALES])
def test_page_images_for_the_readme(built: Path, locale: str) -> None:
    """Page 2 of one Latin, one right-to-left and one CJK edition, as docs/bilingual-*.png."""
    out = ROOT / "docs" / f"bilingual-{PICTURES[locale]}"
    subprocess.run(["pdftoppm", "-r", "45", "-f", "2", "-l", "2", "-singlefile", "-png", str(pdf(built, locale)), str(out)],
                   check=True)
    assert out.with_suffix(".png").stat().st_size > 5000
