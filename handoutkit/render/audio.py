"""LocalizedHandout -> spoken script -> speech engine -> PCM -> chaptered MP3,
a warning-signs clip, and a WebVTT transcript timed from real sample counts.

Every spoken output of a draft starts with the spoken draft notice (script.notice:
in the language, then in English in an English voice)."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

import numpy as np

from ..languages import SOURCE_LOCALE, Language
from ..languages import language as language_named
from ..model import LocalizedHandout
from ..options import AudioOptions
from ..speech import Engine, SpeechError, pace
from ..spoken import Script
from . import id3, sound

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
    chapters: list[id3.ChapterMark] = field(default_factory=list)


def _stamp(samples: int, rate: int) -> str:
    ms = round(samples * 1000 / rate)
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}.{ms:03d}"


def _vtt_text(text: str) -> str:
    """Cue text is plain text in WebVTT: escape its three special characters."""
    return " ".join(text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").split())


def _vtt_cue(text: str, english: bool) -> str:
    """A cue's text; English left in a translation is marked as English (WebVTT's lang span)."""
    return f"<lang en>{_vtt_text(text)}</lang>" if english else _vtt_text(text)


class _Voices:
    """The engine for the language, and one for English text left in a translation: its own
    instance where the engine keeps state per language (espeak-ng), so neither reloads."""

    def __init__(self, engine: Engine, language: Language):
        self.engine, self.language = engine, language
        self.english_language = language_named(SOURCE_LOCALE)
        self._english: Engine | None = None

    def for_cue(self, english: bool) -> tuple[Engine, Language]:
        if not english or self.language.is_source:
            return self.engine, self.language
        if self._english is None:
            if self.engine.voice(self.english_language) is None:
                raise SpeechError(f"{self.engine.name} has no English voice for the parts not yet translated")
            self._english = copy.copy(self.engine) if hasattr(self.engine, "close") else self.engine
        return self._english, self.english_language

    def english_note(self) -> str:
        return f"; the English parts (draft notice, text not yet translated) by {self.engine.describe(self.english_language)}" \
            if self._english is not None else ""

    def close(self) -> None:
        if self._english is not None and self._english is not self.engine:
            self._english.close()


def _speak(script: Script, voices: _Voices, speed_name: str) -> tuple[list[list[np.ndarray]], int]:
    """Every cue spoken, chapter by chapter, and the sample rate they share."""
    engine, rate = voices.engine, None
    voiced: list[list[np.ndarray]] = []
    for chapter in script.chapters:
        voiced.append([])
        for cue in chapter.cues:
            speaker, language = voices.for_cue(cue.english)
            speech = speaker.speak(cue.spoken, language, speed_name)
            if rate is None:
                rate = speech.rate
            elif speech.rate != rate:
                raise SpeechError(f"{engine.name} changed its sample rate mid-file ({rate} -> {speech.rate})")
            if speech.samples.size == 0:
                raise SpeechError(f"{engine.name} produced no sound for: {cue.text[:50]!r}")
            voiced[-1].append(speech.samples)
    assert rate is not None
    return voiced, rate


def _fit(doc: LocalizedHandout, script: Script, voiced: list[list[np.ndarray]], rate: int, speed_name: str,
         section_gap: int, cue_gap: int) -> str:
    """For an engine without a rate control: the pace of its speech measured as the README says
    (the words of the transcript's cues over the whole length, the pauses included), and every
    cue's speech stretched in time, pitch kept, so that the whole lands on the pace wanted (the
    pauses keep their length). Cue times and chapter marks are laid out afterwards from the
    stretched samples, so they follow. Returns what the transcript and the tags say of it."""
    if doc.language.script in pace.UNSPACED:  # no words to count: the voice's own pace
        return "; at the voice's own pace (no spaces to count words by: not fitted)"
    words = sum(pace.words(_vtt_cue(cue.text, cue.english)) for chapter in script.chapters for cue in chapter.cues)
    speech = sum(s.size for row in voiced for s in row)
    pauses = section_gap * (len(voiced) - 1) + cue_gap * sum(max(len(row) - 1, 0) for row in voiced)
    own = words / ((speech + pauses) / rate / 60)
    speed, clamped = pace.speed_for(words, speech, pauses, rate, pace.target(speed_name))
    for row in voiced:
        for index, samples in enumerate(row):
            row[index] = pace.stretch(samples, rate, speed)
    now = words / ((sum(s.size for row in voiced for s in row) + pauses) / rate / 60)
    limit = f", the most the fit allows ({pace.STRETCH[0]} to {pace.STRETCH[1]})" if clamped else ""
    return (f"; at its own pace {own:.0f} words a minute, played {speed:.3f} times as fast (time-stretched, pitch kept)"
            f"{limit}: {now:.1f} words a minute")


def render_audio(doc: LocalizedHandout, script: Script, engine: Engine, options: AudioOptions,
                 publisher: str | None = None) -> AudioResult:
    voices = _Voices(engine, doc.language)
    try:
        return _render(doc, script, voices, options, publisher)
    finally:
        voices.close()


def _render(doc: LocalizedHandout, script: Script, voices: _Voices, options: AudioOptions,
            publisher: str | None) -> AudioResult:
    engine = voices.engine
    publisher = publisher or (doc.site.name if doc.site is not None else None)
    section_pause, cue_pause = PAUSES[options.rate]
    pieces: list[np.ndarray] = []
    cues: list[tuple[str, int, int, str]] = []  # chapter id, start, end, cue text as the transcript shows it
    marks: list[tuple[str, str, str, int, int]] = []
    pos = notice_end = 0

    voiced, rate = _speak(script, voices, options.rate)  # each chapter's cues as spoken

    def silence(seconds: float) -> np.ndarray:
        return np.zeros(int(round(seconds * rate)), dtype=np.float32)

    fitted = ""
    if not engine.rate_control:  # gTTS: its speech stretched to the pace after synthesis
        fitted = _fit(doc, script, voiced, rate, options.rate, silence(section_pause).size, silence(cue_pause).size)

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
            samples = voiced[number][index]
            voiced[number][index] = None  # held once, in pieces
            pieces.append(samples)
            cues.append((chapter.id, pos, pos + samples.size, _vtt_cue(cue.text, cue.english)))
            pos += samples.size
            if any(cue is said for said in script.notice):
                notice_end = pos  # the notices come first: every spoken output starts with them
        marks.append((chapter.id, chapter.title, chapter.kind, start, pos))
    samples = np.empty(pos, dtype=np.float32)  # pages are taken as they are written...
    pieces.reverse()
    at = 0
    while pieces:  # ...and each piece is given back once copied: about one copy of the sound at a time
        piece = pieces.pop()
        samples[at:at + piece.size] = piece
        at += piece.size
    del piece
    samples = sound.normalise(samples, rate, in_place=True)
    chapters = [id3.ChapterMark(cid, title, round(s * 1000 / rate), round(e * 1000 / rate))
                for cid, title, _kind, s, e in marks]
    described = engine.describe(doc.language) + voices.english_note() + fitted
    title = doc.title.text.replace("**", "")
    notice = [m for m in marks if m[2] == "notice"]  # made from an incomplete translation: it says so first
    if notice:
        title = f"{title} ({notice[0][1]})"
    mp3 = id3.tag_mp3(sound.to_mp3_under_ceiling(samples, rate), title=title, language=doc.language.id3,
                        publisher=publisher, chapters=chapters, comment=f"Spoken by {described}")
    clip = None
    emergency = [m for m in marks if m[2] == "emergency"]
    if emergency:  # every emergency box, from the first to the last, after the notices
        start, end = emergency[0][3], emergency[-1][4]
        lead = [samples[:notice_end], silence(section_pause)] if notice_end else []
        offset = sum(part.size for part in lead) - start
        clip_marks = [(cid, ctitle, s, e) for cid, ctitle, _k, s, e in notice]  # at the start, as in the full audio
        clip_marks += [(cid, ctitle, s + offset, e + offset) for cid, ctitle, _k, s, e in emergency]
        clip_samples = sound.normalise(np.concatenate([*lead, samples[start:end]]), rate)
        clip_chapters = [id3.ChapterMark(cid, ctitle, round(s * 1000 / rate), round(e * 1000 / rate))
                         for cid, ctitle, s, e in clip_marks]
        clip = id3.tag_mp3(sound.to_mp3_under_ceiling(clip_samples, rate), title=f"{title}: {emergency[0][1]}",
                             language=doc.language.id3, publisher=publisher,
                             chapters=clip_chapters, comment=f"Spoken by {described}")
    entries = [(s, 0, f"chapter-{cid}", e, _vtt_text(title_)) for cid, title_, _kind, s, e in marks]
    entries += [(s, 1, f"{cid}-{n}", e, text) for n, (cid, s, e, text) in enumerate(cues, start=1)]
    lines = ["WEBVTT", "", f"NOTE Spoken by {described}. Language: {doc.language.tag}.", ""]
    for s, _order, ident, e, text in sorted(entries):
        lines += [ident, f"{_stamp(s, rate)} --> {_stamp(e, rate)}", text, ""]
    return AudioResult(mp3, clip, "\n".join(lines), described, samples.size / rate, chapters)
