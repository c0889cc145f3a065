"""The talking EPUB, checked from outside: each SMIL clip has the times of its WebVTT cues
(parsed here), the text it points at is the text the cues say, every document has lang and
dir, the accessibility metadata is there, the page and bundle offer it, and Ace by DAISY
(npm, in Debian's Chromium) finds no violation. EPUBCheck runs over every language in
tests/test_languages.py; here it checks this project's EPUBs (a site, a language with no voice)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest

from handoutkit.cli import main

from .conftest import ROOT, copy_project

HANDOUT = "baclofen-withdrawal"
SITE = 'id = "main-street"\nname = "Main Street Pharmacy"\nphone = "+1 (555) 010-2030"\nemergency_number = "911"\n'
LOCALES = ["es", "ar", "zh_Hans", "so"]
NS = {"x": "http://www.w3.org/1999/xhtml", "s": "http://www.w3.org/ns/SMIL", "o": "http://www.idpf.org/2007/opf",
      "dc": "http://purl.org/dc/elements/1.1/"}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
ACE = ROOT / ".npm" / "node_modules" / ".bin" / "ace-puppeteer"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("epub") / "proj", LOCALES)
    (root / "site.toml").write_text(SITE, "utf-8")
    langs = [a for loc in ["en", *LOCALES] for a in ("--lang", loc.replace("_", "-"))]
    assert main(["--project", str(root), "build", "--engine", "espeak", "--output", "audio", "--output", "epub",
                 "--output", "web", *langs]) == 0
    return root


def folder(root: Path, tag: str) -> Path:
    return root / "dist" / "main-street" / HANDOUT / tag


def book(root: Path, tag: str) -> zipfile.ZipFile:
    return zipfile.ZipFile(folder(root, tag) / f"{HANDOUT}-{tag}.epub")


def vtt_cues(path: Path) -> list[tuple[str, str, str, str]]:
    """(id, start, end, text) of every cue that is not a chapter cue, from the WebVTT file."""
    found = re.findall(r"^(\S+)\n(\d\d:\d\d:\d\d\.\d{3}) --> (\d\d:\d\d:\d\d\.\d{3})\n(.+)$", path.read_text("utf-8"), re.M)
    return [c for c in found if not c[0].startswith("chapter-")]


def text_of(element: ET.Element) -> str:
    return " ".join("".join(element.itertext()).split())


def plain(vtt_text: str) -> str:
    import html

    return " ".join(html.unescape(re.sub(r"</?lang[^>]*>", "", vtt_text)).split())


@pytest.mark.parametrize("tag", ["en", "es", "ar", "zh-Hans"])
def test_each_clip_is_timed_as_its_cues_and_points_at_their_text(built: Path, tag: str) -> None:
    with book(built, tag) as epub:
        smil = ET.fromstring(epub.read("EPUB/handout.smil"))
        doc = ET.fromstring(epub.read("EPUB/handout.xhtml"))
    by_id = {e.get("id"): e for e in doc.iter() if e.get("id")}
    cues = vtt_cues(folder(built, tag) / f"{HANDOUT}-{tag}.vtt")
    pars = smil.findall(".//s:par", NS)
    assert len(pars) >= 10
    at = 0
    for par in pars:
        anchor = par.find("s:text", NS).get("src").split("#")[1]
        audio = par.find("s:audio", NS)
        shown = text_of(by_id[anchor])
        # the clip starts where a cue starts and ends where the same block's last cue ends
        starts = [i for i in range(at, len(cues)) if cues[i][1] == audio.get("clipBegin")]
        assert starts, f"{tag}: no cue starts at {audio.get('clipBegin')} ({anchor})"
        first = starts[0]
        last = next(i for i in range(first, len(cues)) if cues[i][2] == audio.get("clipEnd"))
        said = " ".join(plain(c[3]) for c in cues[first:last + 1])
        # what is shown is what is said (the title and the site's name inside "This is the handout: ...",
        # "From ...")
        assert shown and shown in said, f"{tag}: {anchor}: {shown!r} is not what its clip says, {said!r}"
        at = last + 1


@pytest.mark.parametrize("tag", ["es", "ar", "zh-Hans", "so"])
def test_documents_have_lang_and_dir_and_the_print_s_notices(built: Path, tag: str) -> None:
    rtl = tag == "ar"
    with book(built, tag) as epub:
        for name in ("EPUB/handout.xhtml", "EPUB/nav.xhtml"):
            root = ET.fromstring(epub.read(name))
            assert root.get("lang") == tag and root.get(XML_LANG) == tag, name
            assert root.get("dir") == ("rtl" if rtl else "ltr"), name
        text = text_of(ET.fromstring(epub.read("EPUB/handout.xhtml")))
        opf = ET.fromstring(epub.read("EPUB/package.opf"))
        names = epub.namelist()
    assert names[0] == "mimetype"
    for needle in ("Main Street Pharmacy", "+1 (555) 010-2030", "911",
                   "Draft translation: not yet checked by a qualified medical translator"):
        assert needle in text, needle
    meta = {m.get("property"): m.text for m in opf.iter(f"{{{NS['o']}}}meta") if not m.get("refines")}
    props = [m.get("property") for m in opf.iter(f"{{{NS['o']}}}meta")]
    for wanted in ("schema:accessMode", "schema:accessModeSufficient", "schema:accessibilityFeature",
                   "schema:accessibilityHazard", "schema:accessibilitySummary", "dcterms:conformsTo"):
        assert wanted in props, wanted
    assert meta["dcterms:conformsTo"] == "EPUB Accessibility 1.1 - WCAG 2.1 Level AA"
    features = [m.text for m in opf.iter(f"{{{NS['o']}}}meta") if m.get("property") == "schema:accessibilityFeature"]
    talking = tag != "so"  # Somali: no voice here, so a text-only EPUB that says so
    assert ("synchronizedAudioText" in features) == talking and "structuralNavigation" in features
    assert ("EPUB/audio.mp3" in names) == talking and ("EPUB/handout.smil" in names) == talking
    if talking:
        assert meta["media:active-class"] == "-epub-media-overlay-active"
        assert re.fullmatch(r"\d+:\d\d:\d\d\.\d{3}", meta["media:duration"])


def test_the_phone_page_and_bundle_offer_it(built: Path) -> None:
    page = (folder(built, "es") / "index.html").read_text("utf-8")
    assert f'href="{HANDOUT}-es.epub"' in page
    with zipfile.ZipFile(folder(built, "es") / f"{HANDOUT}-es.zip") as bundle:
        assert f"{HANDOUT}-es.epub" in bundle.namelist()


def test_epubcheck_passes(built: Path) -> None:
    from handoutkit.epub_check import validate

    paths = sorted((built / "dist" / "main-street" / HANDOUT).glob("*/*.epub"))
    assert len(paths) == len(LOCALES) + 1
    failed = [f"{v.path.name}: {'; '.join(v.messages)}" for v in validate(paths, built / ".cache") if not v.passed]
    assert not failed, failed


@pytest.mark.parametrize("tag", ["en", "es", "ar", "zh-Hans", "so"])
def test_ace_finds_no_violation(built: Path, tag: str, tmp_path: Path) -> None:
    if not ACE.exists():
        pytest.fail(f"Ace by DAISY is not installed ({ACE}): make setup installs it from npm")
    chromium = shutil.which("chromium")
    assert chromium, "Debian's chromium is needed for Ace"
    epub = folder(built, tag) / f"{HANDOUT}-{tag}.epub"
    done = subprocess.run([str(ACE), "-f", "-s", "-o", str(tmp_path / "ace"), str(epub)], capture_output=True, text=True,
                          timeout=300, env={**os.environ, "PUPPETEER_EXECUTABLE_PATH": chromium})
    report = json.loads((tmp_path / "ace" / "report.json").read_text("utf-8"))
    violations = [(a["earl:test"]["dct:title"], a["earl:test"]["earl:impact"])
                  for group in report["assertions"] for a in group.get("assertions", [])
                  if a["earl:result"]["earl:outcome"] == "fail"]
    assert done.returncode == 0 and violations == [], (violations, done.stderr[-500:])
    assert report["earl:result"]["earl:outcome"] == "pass"


def test_epubcheck_passes_every_languages_epub(tmp_path: Path) -> None:
    """Every language of the table, in make test: its EPUB (text only here: the audio of every
    language is make check-all's) through EPUBCheck, in one JVM: no error, no warning."""
    from handoutkit.epub_check import validate

    from .conftest import tracked_locales

    locales = tracked_locales()
    root = copy_project(tmp_path / "proj", locales)
    assert main(["--project", str(root), "build", "--output", "epub"]) == 0
    paths = sorted((root / "dist" / HANDOUT).glob("*/*.epub"))
    assert len(paths) == len(locales) + 1
    failed = [f"{v.path.name}: {'; '.join(v.messages)}" for v in validate(paths, root / ".cache") if not v.passed]
    assert not failed, failed


def test_a_block_is_highlighted_as_it_is_read_and_the_readme_shows_it(built: Path, tmp_path: Path) -> None:
    """A small reading page of our own: the EPUB's document in Chromium, the audio at 40 s, and the
    block whose SMIL clip holds that moment given the package's media:active-class, as a reading
    system does. The highlight is checked in the computed style; the picture goes to the README."""
    sync_api = pytest.importorskip("playwright.sync_api")
    chromium = shutil.which("chromium")
    assert chromium, "Debian's chromium is needed"
    book_dir = tmp_path / "book"
    with book(built, "es") as epub:
        epub.extractall(book_dir)
    opf = ET.parse(book_dir / "EPUB" / "package.opf").getroot()
    active = next(m.text for m in opf.iter(f"{{{NS['o']}}}meta") if m.get("property") == "media:active-class")
    smil = ET.parse(book_dir / "EPUB" / "handout.smil").getroot()

    def seconds(clock: str) -> float:
        h, m, s = clock.split(":")
        return int(h) * 3600 + int(m) * 60 + float(s)

    at = 40.0
    par = next(p for p in smil.findall(".//s:par", NS)
               if seconds(p.find("s:audio", NS).get("clipBegin")) <= at < seconds(p.find("s:audio", NS).get("clipEnd")))
    anchor = par.find("s:text", NS).get("src").split("#")[1]
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 480, "height": 640})
        page.goto((book_dir / "EPUB" / "handout.xhtml").as_uri())
        page.evaluate("([id, cls]) => { const e = document.getElementById(id); e.classList.add(cls);"
                      " e.scrollIntoView({block: 'center'}); }", [anchor, active])
        colour = page.evaluate("id => getComputedStyle(document.getElementById(id)).backgroundColor", anchor)
        page.screenshot(path=str(ROOT / "docs" / "epub-reading.png"))
        browser.close()
    assert colour == "rgb(255, 230, 0)", colour  # the highlight of handout.css
    assert (ROOT / "docs" / "epub-reading.png").stat().st_size > 10_000
