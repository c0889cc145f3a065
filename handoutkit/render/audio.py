"""LocalizedHandout -> spoken script -> speech engine -> PCM -> chaptered MP3,
a warning-signs clip, and a WebVTT transcript timed from real sample counts."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..model import LocalizedHandout
from ..options import AudioOptions
from ..speech import Engine, SpeechError
from ..spoken import Script
from . import sound

PAUSES = {  # seconds: before a section, and between blocks
    "normal": (1.2, 0.45),
    "slow": (1.6, 0.7),
}


@dataclass
class AudioResult:
    mp3: bytes
    clip: bytes | None
    vtt: str
    engine: str
    seconds: float
    chapters: list[sound.ChapterMark] = field(default_factory=list)


def _stamp(samples: int, rate: int) -> str:
    ms = round(samples * 1000 / rate)
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}.{ms:03d}"


def _vtt_text(text: str) -> str:
    """Cue text is plain text in WebVTT: escape its three special characters."""
    return " ".join(text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").split())


def render_audio(doc: LocalizedHandout, script: Script, engine: Engine, options: AudioOptions,
                 publisher: str | None = None) -> AudioResult:
    publisher = publisher or (doc.site.name if doc.site is not None else None)
    section_pause, cue_pause = PAUSES[options.rate]
    rate: int | None = None
    pieces: list[np.ndarray] = []
    cues: list[tuple[str, int, int, str]] = []  # chapter id, start, end, text
    marks: list[tuple[str, str, str, int, int]] = []
    pos = 0

    def silence(seconds: float) -> np.ndarray:
        return np.zeros(int(round(seconds * (rate or 22050))), dtype=np.float32)

    for number, chapter in enumerate(script.chapters):
        if number:
            gap = silence(section_pause)
            pieces.append(gap)
            pos += gap.size
        start = pos
        for index, cue in enumerate(chapter.cues):
            if index:
                gap = silence(cue_pause)
                pieces.append(gap)
                pos += gap.size
            speech = engine.speak(cue.spoken, doc.language, options.rate)
            if rate is None:
                rate = speech.rate
            elif speech.rate != rate:
                raise SpeechError(f"{engine.name} changed its sample rate mid-file ({rate} -> {speech.rate})")
            if speech.samples.size == 0:
                raise SpeechError(f"{engine.name} produced no sound for: {cue.text[:50]!r}")
            pieces.append(speech.samples)
            cues.append((chapter.id, pos, pos + speech.samples.size, cue.text))
            pos += speech.samples.size
        marks.append((chapter.id, chapter.title, chapter.kind, start, pos))
    assert rate is not None
    samples = np.empty(pos, dtype=np.float32)  # pages are taken as they are written...
    pieces.reverse()
    at = 0
    while pieces:  # ...and each piece is given back once copied: about one copy of the sound at a time
        piece = pieces.pop()
        samples[at:at + piece.size] = piece
        at += piece.size
    del piece
    samples = sound.normalise(samples, rate, in_place=True)
    chapters = [sound.ChapterMark(cid, title, round(s * 1000 / rate), round(e * 1000 / rate))
                for cid, title, _kind, s, e in marks]
    described = engine.describe(doc.language)
    title = doc.title.text.replace("**", "")
    mp3 = sound.tag_mp3(sound.to_mp3_under_ceiling(samples, rate), title=title, language=doc.language.locale,
                        publisher=publisher, chapters=chapters, comment=f"Spoken by {described}")
    clip = None
    emergency = [m for m in marks if m[2] == "emergency"]
    if emergency:  # every emergency box, from the first to the last
        start, end = emergency[0][3], emergency[-1][4]
        clip_samples = sound.normalise(samples[start:end], rate)
        clip_chapters = [sound.ChapterMark(cid, ctitle, round((s - start) * 1000 / rate), round((e - start) * 1000 / rate))
                         for cid, ctitle, _kind, s, e in emergency]
        clip = sound.tag_mp3(sound.to_mp3_under_ceiling(clip_samples, rate), title=f"{title}: {emergency[0][1]}",
                             language=doc.language.locale, publisher=publisher,
                             chapters=clip_chapters, comment=f"Spoken by {described}")
    entries = [(s, 0, f"chapter-{cid}", e, title_) for cid, title_, _kind, s, e in marks]
    entries += [(s, 1, f"{cid}-{n}", e, text) for n, (cid, s, e, text) in enumerate(cues, start=1)]
    lines = ["WEBVTT", "", f"NOTE Spoken by {described}. Language: {doc.language.tag}.", ""]
    for s, _order, ident, e, text in sorted(entries):
        lines += [ident, f"{_stamp(s, rate)} --> {_stamp(e, rate)}", _vtt_text(text), ""]
    return AudioResult(mp3, clip, "\n".join(lines), described, samples.size / rate, chapters)
