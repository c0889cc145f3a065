"""Measure the README's language table: for every row of the language table with catalogs,
its script and fonts, the voice that spoke it offline, the pace measured one way (the words of
the WebVTT cues, chapter cues excluded, over the MP3's whole length; characters for a language
written without spaces), and whether the PDF's text reads back exactly (pdftotext and the
structure tree, as tests/test_pdf_structure.py reads it).

    .venv/bin/python scripts/language_table.py > /tmp/languages.md

Builds PDF and offline audio into a temporary copy of the project; prints a Markdown table."""

from __future__ import annotations

import re
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import soundfile  # noqa: E402
from babel.messages.pofile import read_po  # noqa: E402

from handoutkit.cli import main  # noqa: E402
from handoutkit.languages import language  # noqa: E402
from tests import tagged  # noqa: E402

HANDOUT = "baclofen-withdrawal"
UNSPACED = ("cjk-sc", "cjk-tc", "cjk-jp", "myanmar")  # scripts written without spaces: characters a minute


def pace(vtt: Path, mp3: Path, unspaced: bool) -> str:
    cues = re.findall(r"^(\S+)\n\d\d:\d\d:\d\d\.\d{3} --> .*\n(.+)$", vtt.read_text("utf-8"), re.M)
    text = " ".join(re.sub(r"</?lang[^>]*>", "", t) for ident, t in cues if not ident.startswith("chapter-"))
    info = soundfile.info(str(mp3))
    minutes = info.frames / info.samplerate / 60
    if unspaced:
        return f"{sum(1 for c in text if c.isalnum()) / minutes:.0f} characters/min"
    return f"{len(text.split()) / minutes:.1f} words/min"


def reads_back(root: Path, locale: str, pdf: Path) -> str:
    path = root / "locales" / (f"{HANDOUT}.pot" if locale == "en" else f"{locale}/LC_MESSAGES/{HANDOUT}.po")
    with path.open("rb") as fh:
        expected = [m.id if locale == "en" else m.string for m in read_po(fh) if m.id]
    tree = tagged.first_missing(expected, tagged.tagged_text(pdf), by_runs=False)
    poppler = tagged.first_missing(expected, tagged.pdftotext(pdf), by_runs=True)
    return "exact" if tree is None and poppler is None else f"differs: {(tree or poppler)[:30]!r}"


def main_() -> int:
    locales = sorted(p.parent.parent.name for p in (ROOT / "locales").glob(f"*/LC_MESSAGES/{HANDOUT}.po"))
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "proj"
        for name in ("handouts", "templates", "locales"):
            shutil.copytree(ROOT / name, root / name)
        assert main(["--project", str(root), "build", "--output", "pdf", "--output", "audio", "--engine", "espeak"]) in (0, 1)
        print("| language | tag | script | fonts | offline voice | gTTS | braille | text read back | pace (espeak-ng) |")
        print("|---|---|---|---|---|---|---|---|---|")
        for locale in ["en", *locales]:
            lang = language(locale)
            folder = root / "dist" / HANDOUT / lang.tag
            mp3, vtt = folder / f"{HANDOUT}-{lang.tag}.mp3", folder / f"{HANDOUT}-{lang.tag}.vtt"
            said = pace(vtt, mp3, lang.script in UNSPACED) if mp3.is_file() else "no voice"
            if lang.editions:
                for ed in lang.editions:
                    ymp3 = folder / f"{HANDOUT}-{lang.tag}-{ed.edition}.mp3"
                    if ymp3.is_file():
                        said += f"; {ed.edition}: {pace(ymp3.with_suffix('.vtt'), ymp3, True)}"
            voice = lang.espeak or "none"
            voice += "".join(f", {ed.edition}: {ed.espeak}" for ed in lang.editions)
            name = lang.name_en if lang.name_en == lang.name_native else f"{lang.name_en} ({lang.name_native})"
            print(f"| {name} | {lang.tag} | {lang.script} | {', '.join(lang.fonts)} | {voice} | {lang.gtts or '-'} |"
                  f" {lang.braille[0] if lang.braille else '-'} | {reads_back(root, locale, folder / f'{HANDOUT}-{lang.tag}.pdf')} |"
                  f" {said} |")
    return 0


if __name__ == "__main__":
    sys.exit(main_())
