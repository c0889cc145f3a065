"""Marked fallbacks stay marked and apart.

Everything made from an incomplete catalog with --allow-incomplete (PDF, audio,
warning-signs clip, phone page, bundle) has "incomplete" in its file name and a
visible and spoken marking, the English fallback spoken by an English voice; it
never overwrites or enters the language's normal outputs, bundle or index entry.
When the language is complete again, every -incomplete output leaves dist/, the
bundle and the manifest in that same build.

One Spanish project is walked through four builds, once for the module: complete
(the last good outputs), --allow-incomplete with two messages emptied (a bold
one and one of the warning-signs box), a normal build while still incomplete,
and a normal build after a translator fixed the catalog. Each test reads what
one kind of output left in dist/ at each step.
"""

from __future__ import annotations

import contextlib
import io
import json
import zipfile
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pytest
import soundfile
from babel.messages.pofile import read_po, write_po
from mutagen.id3 import ID3

from handoutkit.cli import main

from ..conftest import copy_project
from ..pdftext import body_text, squash
from .conftest import HANDOUT, Good, snapshot

TAG = "es"
FOLDER = f"{HANDOUT}/{TAG}"
BOLD = "**Never stop taking baclofen on your own.**"
FEVER = "You have a high fever."  # in the warning-signs box
NOT_YET = "Todavía no está traducido"  # the Spanish catalog's "Not yet translated"


@dataclass
class Step:
    code: int
    err: str
    files: dict[str, bytes]  # dist/, by path

    def incomplete(self) -> list[str]:
        return sorted(name for name in self.files if "incomplete" in name)


def _build(root: Path, *args: str) -> Step:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["--project", str(root), "build", "--lang", TAG, "--engine", "espeak", *args])
    return Step(code, out.getvalue() + err.getvalue(), snapshot(root / "dist"))


def _set(po: Path, changes: dict[str, str]) -> None:
    with po.open("rb") as fh:
        catalog = read_po(fh)
    for msgid, msgstr in changes.items():
        catalog[msgid].string = msgstr
    with po.open("wb") as fh:
        write_po(fh, catalog)


@pytest.fixture(scope="module")
def walk(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Step]:
    root = copy_project(tmp_path_factory.mktemp("incomplete") / "proj")
    po = root / "locales" / "es" / "LC_MESSAGES" / f"{HANDOUT}.po"
    original = po.read_bytes()
    steps = {"complete": _build(root)}
    _set(po, {BOLD: "", FEVER: ""})
    steps["allowed"] = _build(root, "--allow-incomplete")
    steps["blocked"] = _build(root)
    po.write_bytes(b"# fixed by the translator\n" + original)  # complete again, not byte for byte as before
    steps["fixed"] = _build(root)
    return steps


def out(name: str) -> str:
    return f"{FOLDER}/{HANDOUT}-{TAG}{name}"


def test_the_walk(walk: dict[str, Step]) -> None:
    assert walk["complete"].code == 0 and not walk["complete"].incomplete(), walk["complete"].err
    assert walk["allowed"].code == 0, walk["allowed"].err
    assert walk["blocked"].code == 1 and "blocked" in walk["blocked"].err
    assert walk["fixed"].code == 0, walk["fixed"].err


def unchanged_normal(walk: dict[str, Step], name: str) -> None:
    """The normal output is what the complete build made, through the incomplete builds."""
    for step in ("allowed", "blocked"):
        assert walk[step].files[name] == walk["complete"].files[name], (step, name)


def gone_when_fixed(walk: dict[str, Step], name: str) -> None:
    assert name in walk["allowed"].files and name in walk["blocked"].files  # kept while still incomplete
    assert name not in walk["fixed"].files  # and gone in the build that finds it complete


def test_pdf(walk: dict[str, Step], tmp_path: Path) -> None:
    marked = out("-incomplete.pdf")
    unchanged_normal(walk, out(".pdf"))
    path = tmp_path / "marked.pdf"
    path.write_bytes(walk["allowed"].files[marked])
    text = squash(body_text(path))
    for msgid in (BOLD, FEVER):
        assert squash(f"{NOT_YET}: {msgid}") in text, msgid
    assert squash(f"{NOT_YET}: 2") in text and squash("Not yet translated: 2") in text
    gone_when_fixed(walk, marked)


def vtt_cues(text: str) -> list[tuple[str, float, float, str]]:
    def seconds(stamp: str) -> float:
        h, m, s = stamp.split(":")
        return int(h) * 3600 + int(m) * 60 + float(s)

    cues = []
    for block in text.split("\n\n"):
        lines = block.strip().splitlines()
        if len(lines) >= 3 and "-->" in lines[1]:
            start, end = (seconds(t) for t in lines[1].split(" --> "))
            cues.append((lines[0], start, end, lines[2]))
    return cues


def espeak_says(text: str, tag: str) -> np.ndarray:
    """What espeak-ng's own voice for a language makes of the text, as a reference."""
    from handoutkit.languages import language
    from handoutkit.speech.espeak import Espeak

    engine = Espeak()
    try:
        return engine.speak(text, language(tag), "normal").samples.astype(np.float64)
    finally:
        engine.close()


def likeness(heard: np.ndarray, reference: np.ndarray) -> float:
    """Peak normalised cross-correlation of the reference anywhere within what was heard."""
    size = 1 << int(np.ceil(np.log2(len(heard) + len(reference))))
    corr = np.fft.irfft(np.fft.rfft(heard, size) * np.conj(np.fft.rfft(reference, size)), size)
    energy = np.sqrt(np.convolve(heard ** 2, np.ones(len(reference)), "valid").max())
    return float(corr.max() / (np.linalg.norm(reference) * energy))


def test_audio_and_transcript(walk: dict[str, Step], tmp_path: Path) -> None:
    mp3, vtt = out("-incomplete.mp3"), out("-incomplete.vtt")
    unchanged_normal(walk, out(".mp3"))
    unchanged_normal(walk, out(".vtt"))
    cues = vtt_cues(walk["allowed"].files[vtt].decode("utf-8"))
    texts = [text for _id, _s, _e, text in cues]
    assert texts[0] == f"{NOT_YET}: 2" and "<lang en>Not yet translated: 2</lang>" in texts  # said first
    for msgid in (BOLD.replace("**", ""), FEVER):  # each said to be untranslated, then read in English
        at = texts.index(f"<lang en>{msgid}</lang>")
        assert texts[at - 1] == f"{NOT_YET}:"
    path = tmp_path / "marked.mp3"
    path.write_bytes(walk["allowed"].files[mp3])
    chapters = sorted(ID3(path).getall("CHAP"), key=lambda c: c.start_time)
    assert chapters[0].element_id == "not-yet-translated" and NOT_YET in str(ID3(path)["TIT2"])
    heard, rate = soundfile.read(path, dtype="float64")
    start, end = next((s, e) for _id, s, e, text in cues if text == f"<lang en>{FEVER}</lang>")
    english, spanish = espeak_says(FEVER, "en"), espeak_says(FEVER, "es")
    assert abs((end - start) - len(english) / rate) < 0.005  # as long as the English voice takes
    window = heard[max(0, int(start * rate) - 4000): int(end * rate) + 4000]
    as_english, as_spanish = likeness(window, english), likeness(window, spanish)
    assert as_english > 0.4 and as_english > 2 * as_spanish, (as_english, as_spanish)
    notice = heard[int(chapters[0].start_time * rate / 1000): int(chapters[0].end_time * rate / 1000)]
    assert np.sqrt(np.mean(notice ** 2)) > 0.02  # the notice is spoken, not silent
    gone_when_fixed(walk, mp3)
    gone_when_fixed(walk, vtt)


def test_warning_signs_clip(walk: dict[str, Step], tmp_path: Path) -> None:
    clip = out("-incomplete-warning-signs.mp3")
    unchanged_normal(walk, out("-warning-signs.mp3"))
    path = tmp_path / "clip.mp3"
    path.write_bytes(walk["allowed"].files[clip])
    tags = ID3(path)
    chapters = sorted(tags.getall("CHAP"), key=lambda c: c.start_time)
    assert [c.element_id for c in chapters][:2] == ["not-yet-translated", "warning-signs-get-emergency-help"]
    assert NOT_YET in str(tags["TIT2"])
    heard, rate = soundfile.read(path, dtype="float64")
    notice = heard[: int(chapters[0].end_time * rate / 1000)]
    assert np.sqrt(np.mean(notice ** 2)) > 0.02  # the clip says it first, aloud
    full = tmp_path / "full.mp3"
    full.write_bytes(walk["allowed"].files[out("-incomplete.mp3")])
    first = sorted(ID3(full).getall("CHAP"), key=lambda c: c.start_time)[0]
    assert abs((chapters[0].end_time - chapters[0].start_time) - (first.end_time - first.start_time)) <= 2
    gone_when_fixed(walk, clip)


class Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.title = ""
        self._in_title = False
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self._in_title = tag == "title"
        for key, value in attrs:
            if key in ("href", "src") and value:
                self.links.append(value)

    def handle_endtag(self, tag):
        self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data
        else:
            self.text.append(data)


def test_phone_page(walk: dict[str, Step]) -> None:
    marked = f"{FOLDER}/index-incomplete.html"
    unchanged_normal(walk, f"{FOLDER}/index.html")
    page = Page()
    page.feed(walk["allowed"].files[marked].decode("utf-8"))
    text = " ".join(" ".join(page.text).split())
    assert NOT_YET in page.title
    assert f"{NOT_YET}: 2" in text and "Not yet translated: 2" in text
    for msgid in (BOLD.replace("**", ""), FEVER):
        assert f"{NOT_YET}: {msgid}" in text, msgid
    files = {link.split("#")[0] for link in page.links}
    assert files and all("incomplete" in f for f in files), files  # its PDF and audio, never the normal ones
    assert all(f"{FOLDER}/{f}" in walk["allowed"].files for f in files)
    index = walk["allowed"].files["index.html"].decode("utf-8")  # the build's index: the normal page only
    assert f'href="{FOLDER}/index.html"' in index and "incomplete" not in index
    assert "blocked: not translated yet: 58 of 60 messages" in index  # its entry says why, not the marked page
    gone_when_fixed(walk, marked)


def test_bundle_and_manifest(walk: dict[str, Step], tmp_path: Path) -> None:
    normal, marked = out(".zip"), out("-incomplete.zip")
    unchanged_normal(walk, normal)

    def members(step: str, name: str) -> list[str]:
        path = tmp_path / Path(name).name
        path.write_bytes(walk[step].files[name])
        with zipfile.ZipFile(path) as bundle:
            return sorted(bundle.namelist())

    assert not [m for m in members("allowed", normal) if "incomplete" in m]
    assert members("allowed", marked) == sorted([
        f"{HANDOUT}-{TAG}-incomplete-warning-signs.mp3", f"{HANDOUT}-{TAG}-incomplete.mp3",
        f"{HANDOUT}-{TAG}-incomplete.pdf", f"{HANDOUT}-{TAG}-bilingual-incomplete.pdf",
        f"{HANDOUT}-{TAG}-incomplete.vtt", f"{HANDOUT}-{TAG}-incomplete.epub",
        f"{HANDOUT}-{TAG}-incomplete.brf", f"{HANDOUT}-{TAG}-incomplete-braille.txt", "index-incomplete.html"])
    manifest = json.loads(walk["allowed"].files["manifest.json"])
    listed = {e["file"]: e for e in manifest["outputs"]}
    made = [name for name in walk["allowed"].incomplete()]
    assert sorted(f for f in listed if "incomplete" in f) == made
    assert all(listed[f].get("incomplete") is True for f in made)
    assert not any(listed[f].get("incomplete") for f in listed if "incomplete" not in f)
    gone_when_fixed(walk, marked)
    fixed = json.loads(walk["fixed"].files["manifest.json"])
    assert not [e for e in fixed["outputs"] if "incomplete" in e["file"] or e.get("incomplete")]
    assert not walk["fixed"].incomplete()
    assert sorted(members("fixed", normal)) == members("complete", normal)


def test_complete_again_byte_for_byte_removes_them_without_making_anything(good: Good) -> None:
    """The catalog put back exactly as it was: nothing needs making, and the marked
    outputs still leave (PDF only, the throwaway Italian catalog)."""
    po = good.po()
    original = po.read_bytes()
    _set(po, {FEVER: ""})
    assert good.run("build", "--output", "pdf", "--allow-incomplete").code == 0
    marked = good.dist / HANDOUT / "it" / f"{HANDOUT}-it-incomplete.pdf"
    assert marked.is_file() and (good.dist / HANDOUT / "it" / f"{HANDOUT}-it-incomplete.zip").is_file()
    po.write_bytes(original)
    result = good.run("build", "--output", "pdf")
    assert result.code == 0, result.err
    assert f"removed   {HANDOUT} it pdf" in result.out and "built" not in result.out
    assert not [p for p in good.dist.rglob("*") if "incomplete" in p.name]
    assert "incomplete" not in (good.dist / "manifest.json").read_text("utf-8")
    good.untouched()  # the normal outputs, bundle and manifest are as the good build left them
