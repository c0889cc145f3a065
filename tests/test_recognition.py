"""Does the audio say the text? Whisper (offline, faster-whisper, base model)
transcribes the espeak-ng audio chapter by chapter: each chapter's key words are
heard, none is silent or in another language, and every clip of a draft starts
with the spoken draft notice. Synthetic speech is misheard often, so presence is
asserted, not exact text. One chapter per language runs in `make test`; the
sweep of every chapter (marker 'sweep') in `make check-all`."""

from __future__ import annotations

import difflib
import re
import unicodedata
from pathlib import Path

import numpy as np
import pytest
import soundfile
from mutagen.id3 import ID3

from handoutkit.cli import main

from . import recognition
from .conftest import copy_project

pytestmark = pytest.mark.skipif(not recognition.available(), reason="faster-whisper and the Whisper base model are not installed")
HANDOUT = "baclofen-withdrawal"
# key words and the forms they take in the text (any one counts)
KEY_WORDS = {
    "en": {"baclofen": ["baclofen"], "emergency": ["emergency"], "seizure": ["seizure"], "fever": ["fever"],
           "pump": ["pump"], "refill": ["refill"]},
    "es": {"baclofeno": ["baclofeno"], "emergencia": ["emergencia"], "convulsión": ["convulsión"], "fiebre": ["fiebre"],
           "bomba": ["bomba"], "rellenar": ["rellenar", "rellenado", "resurtido"]},
}
# words of the spoken draft notice a listener must hear ('Draft' itself Whisper hears as 'Braft', 'Borrador' as 'Por amor')
NOTICE = {"en": ["checked", "clinician"], "es": ["profesional", "salud"]}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("recognition") / "proj", ("en", "es"))  # en: its speech.toml
    assert main(["--project", str(root), "build", "--output", "audio", "--engine", "espeak", "--jobs", "1"]) == 0
    return root


def flat(text: str) -> str:
    """Lower-case letters only, accents dropped: how words are compared."""
    return re.sub(r"[^a-z]", "", unicodedata.normalize("NFKD", text.lower()).encode("ascii", "ignore").decode())


def heard(form: str, transcript: str) -> bool:
    """A short word must be heard as written; a long one (a drug name) at 75 % alike."""
    word, text = flat(form), flat(transcript)
    if len(word) <= 6:
        return word in text
    return any(difflib.SequenceMatcher(None, word, text[i:i + n]).ratio() >= 0.75
               for n in range(len(word) - 1, len(word) + 3) for i in range(max(1, len(text) - n + 1)))


def seconds(stamp: str) -> float:
    h, m, rest = stamp.split(":")
    return int(h) * 3600 + int(m) * 60 + float(rest)


def chapters(root: Path, tag: str) -> list[tuple[str, str, np.ndarray, int, list[tuple[str, float, float]]]]:
    """(id, text of its cues in the transcript, samples, rate, runs) per chapter of the MP3; runs are
    the chapter's stretches in one language, (language, start, end) in seconds from the chapter's
    start, as the transcript's cues mark them (`<lang en>`: the English draft notice)."""
    base = root / "dist" / HANDOUT / tag / f"{HANDOUT}-{tag}"
    data, rate = soundfile.read(f"{base}.mp3", dtype="float32")
    texts: dict[str, list[str]] = {}
    cues: dict[str, list[tuple[str, float, float]]] = {}
    for block in Path(f"{base}.vtt").read_text("utf-8").split("\n\n"):
        lines = block.strip().splitlines()
        if len(lines) >= 3 and "-->" in lines[1] and not lines[0].startswith("chapter-"):
            cid = lines[0].rsplit("-", 1)[0]
            text = " ".join(lines[2:])
            texts.setdefault(cid, []).append(re.sub(r"</?lang[^>]*>", "", text))
            start, end = (seconds(t) for t in lines[1].split(" --> "))
            cues.setdefault(cid, []).append(("en" if text.startswith("<lang en>") else tag, start, end))
    found = []
    for c in sorted(ID3(f"{base}.mp3").getall("CHAP"), key=lambda c: c.start_time):
        part = data[int(c.start_time * rate / 1000):int(c.end_time * rate / 1000)]
        runs: list[tuple[str, float, float]] = []
        for lang, start, end in cues.get(c.element_id, []):
            start, end = start - c.start_time / 1000, end - c.start_time / 1000
            if runs and runs[-1][0] == lang:
                runs[-1] = (lang, runs[-1][1], end)
            else:
                runs.append((lang, start, end))
        found.append((c.element_id, " ".join(texts.get(c.element_id, [])), part, rate, runs))
    return found


def check_chapter(tag: str, cid: str, text: str, samples: np.ndarray, rate: int,
                  runs: list[tuple[str, float, float]]) -> str:
    """The chapter is not silent; its stretches in the handout's language are heard in that language
    (Whisper's own detection) and say the chapter's key words. The English draft notice inside a
    translation's intro is heard as English, on its own: told Spanish, Whisper garbles it and may
    lose the Spanish that follows."""
    assert float(np.sqrt(np.mean(samples.astype(np.float64) ** 2))) > 0.02, f"{tag} {cid}: silent"
    own = [(start, end) for lang, start, end in runs if lang == tag] or [(0.0, len(samples) / rate)]
    pad = int(0.2 * rate)
    pieces = [samples[max(0, int(a * rate) - pad):int(b * rate) + pad] for a, b in own]
    mine = np.concatenate(pieces)
    detected, probability = recognition.detect(mine, rate)
    assert detected == tag, f"{tag} {cid}: Whisper hears {detected} ({probability:.2f})"
    said = " ".join(recognition.transcribe(piece, rate, tag) for piece in pieces)
    for lang, start, end in runs:
        if lang != tag:
            english = recognition.transcribe(samples[int(start * rate):int(end * rate)], rate, lang)
            assert all(heard(w, english) for w in NOTICE[lang]), f"{tag} {cid}: the {lang} notice not heard: {english}"
    wanted = {key: forms for key, forms in KEY_WORDS[tag].items() if any(flat(f) in flat(text) for f in forms)}
    missed = [key for key, forms in wanted.items() if not any(heard(f, said) for f in forms)]
    assert not missed, f"{tag} {cid}: not heard {missed} in: {said}"
    return said


@pytest.mark.parametrize("tag", ["en", "es"])
def test_the_warning_signs_are_heard(built: Path, tag: str) -> None:
    """The sample for `make test`: the first emergency chapter."""
    cid, text, samples, rate, runs = next(c for c in chapters(built, tag) if c[0].startswith("warning-signs"))
    check_chapter(tag, cid, text, samples, rate, runs)


@pytest.mark.parametrize("tag", ["en", "es"])
def test_the_warning_signs_clip_starts_with_the_draft_notice(built: Path, tag: str) -> None:
    data, rate = soundfile.read(built / "dist" / HANDOUT / tag / f"{HANDOUT}-{tag}-warning-signs.mp3", dtype="float32")
    first = recognition.transcribe(data[:rate * 8], rate, tag)  # the first seconds, before the warning signs
    assert all(heard(w, first) for w in NOTICE[tag]), first
    if tag != "en":  # then in English, in an English voice: where the transcript puts the English notice
        vtt = (built / "dist" / HANDOUT / tag / f"{HANDOUT}-{tag}.vtt").read_text("utf-8")
        times = re.findall(r"(\d+):(\d+):(\d+)\.(\d+) --> (\d+):(\d+):(\d+)\.(\d+)\n(?:<lang en>)?Draft", vtt)
        assert times, "the transcript has no English draft notice"

        def seconds(h: str, m: str, s: str, ms: str) -> float:
            return int(h) * 3600 + int(m) * 60 + int(s) + int(ms) / 1000

        start, end = seconds(*times[0][:4]), seconds(*times[-1][4:])
        english = recognition.transcribe(data[int(start * rate):int(end * rate)], rate, "en")
        assert all(heard(w, english) for w in NOTICE["en"]), english


@pytest.mark.sweep
@pytest.mark.parametrize("tag", ["en", "es"])
def test_every_chapter_says_its_key_words_in_its_language(built: Path, tag: str) -> None:
    problems = []
    for cid, text, samples, rate, runs in chapters(built, tag):
        try:
            check_chapter(tag, cid, text, samples, rate, runs)
        except AssertionError as exc:  # every chapter is heard, then all that went wrong is told
            problems.append(str(exc).splitlines()[0][:600])
    assert not problems, "\n".join(problems)
