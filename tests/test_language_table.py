"""A language is a row of the language table plus its catalogs: no code changes.

A temporary project adds rows for Hebrew, Bengali, Amharic and Armenian (scripts the
packaged table has no row for) in its own languages.toml, with a small catalog of real
sentences in each, and builds them: each PDF has every character in the fonts its row
names (checked here with fontTools against fontconfig), reads back exactly (pdftotext
and the structure tree), is tagged with the row's language; the audio is espeak-ng's,
not silent. A row that lacks a field is refused in one line naming the file, line and field."""

from __future__ import annotations

import json
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pikepdf
import pytest
import soundfile
from babel.messages.pofile import read_po, write_po
from fontTools.ttLib import TTCollection, TTFont
from mutagen.id3 import ID3

from handoutkit.cli import main

from . import tagged
from .data import new_scripts

ROOT = Path(__file__).resolve().parent.parent
HANDOUT = "newscripts"
LOCALES = ("he", "bn", "am", "hy")


def project(root: Path, rows: str = new_scripts.ROWS) -> Path:
    shutil.copytree(ROOT / "templates", root / "templates")
    (root / "handouts" / HANDOUT).mkdir(parents=True)
    (root / "handouts" / HANDOUT / "handout.md").write_text(new_scripts.SOURCE, "utf-8")
    (root / "languages.toml").write_text(rows, "utf-8")
    (root / "locales").mkdir()
    return root


def fill(root: Path, locale: str) -> None:
    for domain, texts in ((HANDOUT, new_scripts.HANDOUT[locale]), ("templates", new_scripts.TEMPLATES[locale])):
        path = root / "locales" / locale / "LC_MESSAGES" / f"{domain}.po"
        with path.open("rb") as fh:
            catalog = read_po(fh)
        for message in catalog:
            if message.id:
                message.string = texts[message.id]  # every message has its translation here
        with path.open("wb") as fh:
            write_po(fh, catalog)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = project(tmp_path_factory.mktemp("rows") / "proj")
    for locale in LOCALES:
        assert main(["--project", str(root), "init", locale]) == 0
        fill(root, locale)
    assert main(["--project", str(root), "build", "--engine", "espeak", "--jobs", "2"]) == 0
    return root


def font_file(family: str) -> tuple[Path, int]:
    """fontconfig's file for a family (the test's own lookup)."""
    out = subprocess.run(["fc-match", "-f", "%{family}\t%{file}\t%{index}", family],
                         capture_output=True, text=True, check=True).stdout
    families, file, index = out.split("\t")
    assert family in families.split(","), f"{family} is not installed"
    return Path(file), int(index)


def cmap(family: str) -> set[int]:
    path, index = font_file(family)
    font = TTCollection(str(path)).fonts[index] if path.suffix in (".ttc", ".otc") else TTFont(str(path))
    return set(font.getBestCmap())


ROW_FONTS = {"he": "Noto Sans Hebrew", "bn": "Noto Sans Bengali", "am": "Noto Sans Ethiopic", "hy": "Noto Sans Armenian"}


@pytest.mark.parametrize("locale", LOCALES)
def test_a_new_script_is_a_row_and_catalogs(built: Path, locale: str) -> None:
    folder = built / "dist" / HANDOUT / locale
    pdf = folder / f"{HANDOUT}-{locale}.pdf"
    expected = list(new_scripts.HANDOUT[locale].values())
    # every character drawn is in the script's font or Noto Sans: nothing falls to a missing glyph
    covered = cmap(ROW_FONTS[locale]) | cmap("Noto Sans")
    for text in expected + list(new_scripts.TEMPLATES[locale].values()):
        gaps = [c for c in text if not c.isspace() and unicodedata.category(c) != "Cf" and ord(c) not in covered]
        assert not gaps, f"{locale}: no glyph for {gaps!r}"
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert f"+{ROW_FONTS[locale].replace(' ', '-')}\n" in fonts.replace(" ", "\n"), fonts
    with pikepdf.open(pdf) as doc:
        assert str(doc.Root.Lang) == locale
    missing = tagged.first_missing(expected, tagged.tagged_text(pdf), by_runs=False)
    assert missing is None, f"{locale}: the structure tree does not read back {missing!r}"
    missing = tagged.first_missing(expected, tagged.pdftotext(pdf), by_runs=True)
    assert missing is None, f"{locale}: pdftotext does not read back {missing!r}"
    mp3 = folder / f"{HANDOUT}-{locale}.mp3"
    samples, rate = soundfile.read(mp3, dtype="float32")
    assert len(samples) / rate > 5 and abs(samples).max() > 0.1, f"{locale}: the audio is silent or too short"
    assert str(ID3(mp3)["TLAN"]) == {"he": "heb", "bn": "ben", "am": "amh", "hy": "arm"}[locale]
    manifest = json.loads((built / "dist" / "manifest.json").read_text("utf-8"))
    engines = {e["engine"] for e in manifest["outputs"] if e["file"] == mp3.relative_to(built / "dist").as_posix()}
    assert len(engines) == 1 and engines.pop().startswith(f"espeak-ng 1.52 (voice {locale})"), engines
    vtt = (folder / f"{HANDOUT}-{locale}.vtt").read_text("utf-8")
    assert tagged.squash(new_scripts.HANDOUT[locale]["Do not stop taking this medicine suddenly."]) in tagged.squash(vtt)


def without(field: str, locale: str) -> str:
    """The test's rows with one field taken out of one row."""
    out, row = [], ""
    for line in new_scripts.ROWS.splitlines():
        if line.startswith("["):
            row = line.strip("[]")
        if not (row == locale and line.startswith(f"{field} = ")):
            out.append(line)
    return "\n".join(out) + "\n"


@pytest.mark.parametrize("field", ["fonts", "espeak", "direction"])
def test_a_row_without_a_field_is_refused_naming_the_file_line_and_field(tmp_path: Path, field: str,
                                                                          capsys: pytest.CaptureFixture[str]) -> None:
    rows = without(field, "bn")
    assert rows != new_scripts.ROWS
    root = project(tmp_path / "p", rows)
    code = main(["--project", str(root), "init", "he"])
    err = capsys.readouterr().err
    assert code != 0
    line = next(n for n, text in enumerate(rows.splitlines(), start=1) if text == "[bn]")
    assert f"languages.toml:{line}: the row of 'bn' has no '{field}'" in err, err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert not (root / "locales" / "he").exists()
