"""Cantonese, the second spoken edition of Traditional Chinese (a row's 'spoken' and 'editions'):
its own MP3, warning-signs clip, transcript and chapters from the zh-Hant catalog, by espeak-ng's
Cantonese voice, offered on the phone page by its name."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
import soundfile
from babel.messages.pofile import read_po
from mutagen.id3 import ID3

from handoutkit.cli import main

from .conftest import ROOT, copy_project
from .phonemes import phonemes

HANDOUT = "baclofen-withdrawal"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("yue") / "proj", ["zh_Hant"])
    assert main(["--project", str(root), "build", "--output", "audio", "--output", "web", "--lang", "zh-Hant",
                 "--engine", "espeak"]) == 0
    return root / "dist" / HANDOUT / "zh-Hant"


def test_cantonese_has_its_own_audio_clip_transcript_and_chapters(built: Path) -> None:
    yue, cmn = built / f"{HANDOUT}-zh-Hant-yue", built / f"{HANDOUT}-zh-Hant"
    for path in (yue.with_suffix(".mp3"), yue.with_name(yue.name + "-warning-signs.mp3"), yue.with_suffix(".vtt")):
        assert path.is_file(), path
    vtt = yue.with_suffix(".vtt").read_text("utf-8")
    assert "(voice yue)" in vtt.splitlines()[2]
    with (ROOT / "locales" / "zh_Hant" / "LC_MESSAGES" / f"{HANDOUT}.po").open("rb") as fh:
        said = [m.string.replace("**", "") for m in read_po(fh) if m.id]
    cues = re.findall(r"^\d\d:\d\d:\d\d\.\d{3} --> .*\n(.+)$", vtt, re.M)
    assert all(text in cues for text in said), "every message of the zh-Hant catalog is in the Cantonese transcript"
    chapters = [f.element_id for f in ID3(yue.with_suffix(".mp3")).getall("CHAP")]
    assert sorted(chapters) == sorted(f.element_id for f in ID3(cmn.with_suffix(".mp3")).getall("CHAP"))
    ours, theirs = (soundfile.read(p.with_suffix(".mp3"), dtype="float32")[0] for p in (yue, cmn))
    assert len(ours) > 22050 * 60 and not np.array_equal(ours[:len(theirs)], theirs[:len(ours)])


def test_espeak_says_it_in_cantonese_not_mandarin() -> None:
    """The same characters, two readings: 不要 is bat1 jiu3 in Cantonese, bu2 yao4 in Mandarin, and
    突然 dat6 jin4 against tu1 ran2 (espeak-ng writes the tone numbers)."""
    yue, cmn = phonemes("不要突然停止", "yue", ipa=True), phonemes("不要突然停止", "cmn", ipa=True)
    assert re.match(r"bˈa1t jˈiu", yue) and "dˈa6t" in yue
    assert re.match(r"pu", cmn) and "ʐˈa" in cmn


def test_the_phone_page_offers_it_by_name(built: Path) -> None:
    page = (built / "index.html").read_text("utf-8")
    link = re.search(rf'<a href="{HANDOUT}-zh-Hant-yue.mp3"[^>]*>([^<]+)</a>', page)
    assert link and link[1] == "粵語 (Cantonese) (MP3)"
