"""The spoken script: what the audio says, prepared from the localized model.

Like gTTS's pre-processors, preparing text for speech is a list of small
functions. Per language, ``locales/<locale>/speech.toml`` may hold a
pronunciation lexicon and spoken overrides of whole messages; an override is
tied to the text it replaces and is ignored (and reported) once that changes.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from .errors import SourceError
from .model import LocalizedHandout, Text


@dataclass(frozen=True)
class Cue:
    text: str  # what the transcript shows
    spoken: str  # what the engine is given
    english: bool = False  # English in a translation (the English draft notice, text not yet translated): an English voice
    anchor: str = field(default="", compare=False)  # the id of the block that shows it (the EPUB's text for this audio)


@dataclass(frozen=True)
class Chapter:
    id: str
    title: str
    kind: str
    cues: tuple[Cue, ...]


@dataclass(frozen=True)
class SpeechSettings:
    """Per-language spoken forms, read from speech.toml."""

    lexicon: dict[str, str] = field(default_factory=dict)
    overrides: dict[str, tuple[str, str]] = field(default_factory=dict)  # msgid -> (text it replaces, spoken)
    path: str = ""
    stop: str = "."  # the language's full stop (its row in the language table)
    reading: str = ""  # how the voice is given the text (the row's 'reading': '' or 'kana')


@dataclass(frozen=True)
class Script:
    chapters: tuple[Chapter, ...]
    warnings: tuple[str, ...] = ()
    notice: tuple[Cue, ...] = ()  # what every spoken output starts with: 'not yet translated', then the draft notice


    def chapter(self, kind: str) -> Chapter | None:
        return next((c for c in self.chapters if c.kind == kind), None)


def read_speech_settings(path: Path) -> SpeechSettings:
    if not path.is_file():
        return SpeechSettings()
    try:
        text = path.read_text("utf-8")
        data = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise SourceError(f"not valid TOML ({exc})", path) from None
    unknown = sorted(set(data) - {"lexicon", "override"})
    if unknown:  # e.g. voice = "...": the engine and voice are chosen by --engine, never silently here
        key = unknown[0]
        found = re.search(rf"^[ \t]*(\[\[?[ \t]*)?{re.escape(key)}\b", text, re.M)
        line = text.count("\n", 0, found.start()) + 1 if found else None
        raise SourceError(f"unknown key '{key}' (speech.toml holds [lexicon] and [[override]] only; "
                          "the engine is chosen with --engine)", path, line)
    lexicon = data.get("lexicon", {})
    if not isinstance(lexicon, dict) or not all(isinstance(v, str) and k.strip() for k, v in lexicon.items()):
        raise SourceError("[lexicon] must map words to their spoken form", path)
    overrides = {}
    for number, item in enumerate(data.get("override", []), start=1):
        if not isinstance(item, dict) or not all(isinstance(item.get(k), str) for k in ("msgid", "text", "spoken")):
            raise SourceError(f"override {number} needs msgid, text and spoken", path)
        overrides[item["msgid"]] = (item["text"], item["spoken"])
    return SpeechSettings(dict(lexicon), overrides, str(path))


# --- pre-processors: (text, settings) -> text


def strip_markup(text: str, settings: SpeechSettings) -> str:
    return text.replace("**", "")


def apply_lexicon(text: str, settings: SpeechSettings) -> str:
    """Each word as written, or with a capital at the start of a sentence, in its spoken form.
    One pass over the text: what an entry says is never rewritten by another entry (nor by
    itself); where entries overlap, the longer one wins."""
    if not settings.lexicon:
        return text
    forms = {word[:1].upper() + word[1:]: spoken[:1].upper() + spoken[1:] for word, spoken in settings.lexicon.items()}
    forms.update(settings.lexicon)  # as written wins
    words = "|".join(_bounded(w) for w in sorted(forms, key=lambda w: (-len(w), w)))
    return re.sub(words, lambda m: forms[m.group(0)], text)


def _unspaced(char: str) -> bool:
    """A character of a script written without spaces between words (Chinese, Japanese)."""
    import unicodedata

    return unicodedata.name(char, "").startswith(("CJK", "HIRAGANA", "KATAKANA"))


def _bounded(word: str) -> str:
    """A lexicon word as a pattern: a whole word where its script has words (not inside 'MSc' for
    'MS'); anywhere in a script written without spaces, where there are no word edges to find."""
    before = "" if _unspaced(word[0]) else r"(?<!\w)"
    after = "" if _unspaced(word[-1]) else r"(?!\w)"
    return f"{before}{re.escape(word)}{after}"


ENDS = ".!?。！？؟।:："  # a text ending in one of these needs no stop added


# Burmese clause marks as the ones espeak-ng 1.52 takes for a clause break: its Burmese voice does not
# know ၊ and ။, and a Burmese clause over about 100 characters overflows its buffer (the process aborts)
CLAUSE_MARKS = str.maketrans({"၊": ", ", "။": ". "})
LONGEST_CLAUSE = 40  # characters of Burmese between two breaks, at most (at 73 a clause was seen to abort)
MYANMAR = re.compile("[\u1000-\u109f]")


def voice_punctuation(text: str, settings: SpeechSettings) -> str:
    """Burmese: its clause marks as commas and full stops, and a clause longer than LONGEST_CLAUSE
    broken at a space (between phrases, where a reader pauses too). Words are split at any white
    space (a translation may hold a line break or a tab), and clauses at a mark then white space, so
    a word ending in a comma only ever ends its clause."""
    text = text.translate(CLAUSE_MARKS)
    if not MYANMAR.search(text):
        return text
    out = []
    for clause in re.split(r"(?<=[,.;:!?])\s+", text):
        words, line = clause.split(), ""
        for word in words:
            if line and len(line) + 1 + len(word) > LONGEST_CLAUSE:
                out.append(line + ",")
                line = word
            else:
                line = f"{line} {word}" if line else word
        out.append(line)
    return " ".join(out)


# Marks that make espeak-ng's Japanese voice spell the text out as 'Japanese letter': said as a pause
KANA_MARKS = str.maketrans({"・": "、", "「": "", "」": "", "『": "", "』": "", "（": "、", "）": "、", "：": "、"})


@cache
def _kakasi():
    import pykakasi

    return pykakasi.kakasi()


def read_as(text: str, settings: SpeechSettings) -> str:
    """Japanese: kanji given to the voice as their kana reading (pykakasi's dictionary), since
    espeak-ng reads a kanji as the English words 'Chinese letter'; other text as written."""
    if settings.reading != "kana":
        return text
    kana = "".join(item["hira"] for item in _kakasi().convert(text))
    return re.sub("っ{2,}", "っ", kana.translate(KANA_MARKS))  # pykakasi reads 入っ as いっっ


def end_with_stop(text: str, settings: SpeechSettings) -> str:
    """Headings and list fragments get the language's full stop, so the voice falls and pauses."""
    text = text.strip()
    return text if not text or text[-1] in ENDS + settings.stop else text + settings.stop


def tidy_space(text: str, settings: SpeechSettings) -> str:
    return " ".join(text.split())


PRE_PROCESSORS: tuple[Callable[[str, SpeechSettings], str], ...] = (
    strip_markup, apply_lexicon, read_as, end_with_stop, voice_punctuation, tidy_space)


def _override(text: Text, settings: SpeechSettings, warnings: list[str]) -> str | None:
    """The override's spoken form when it was written for this very text; a stale one is reported."""
    override = settings.overrides.get(text.msgid)
    if override is None:
        return None
    replaced, spoken = override
    if replaced == text.text:
        return spoken
    warnings.append(f"{settings.path}: spoken override ignored, the translation changed: {text.msgid[:60]!r}")
    return None


def spoken_form(text: Text, settings: SpeechSettings, warnings: list[str]) -> str:
    spoken = _override(text, settings, warnings)
    if spoken is not None:
        return tidy_space(end_with_stop(spoken, settings), settings)
    out = text.text
    for step in PRE_PROCESSORS:
        out = step(out, settings)
    return out


def spoken_label(label: Text, settings: SpeechSettings, warnings: list[str]) -> str:
    """A label said inside a longer cue ('Aún no traducido: 3'): its override (``text`` = the label as
    translated) or its lexicon form, without a stop of its own."""
    spoken = _override(label, settings, warnings)
    if spoken is not None:
        return tidy_space(spoken, settings).rstrip(".:。：")
    return tidy_space(read_as(apply_lexicon(strip_markup(label.text, settings), settings), settings), settings)


NOT_YET = "Not yet translated"  # the label the print marks English fallback with; one override of it is said everywhere


def script(doc: LocalizedHandout, settings: SpeechSettings, english_settings: SpeechSettings | None = None) -> Script:
    """Intro (draft notice, title, site), then one chapter per section. A handout made
    from an incomplete translation starts with a chapter that says so, in the language
    and in English, and each message not yet translated is said to be so, then read
    by an English voice. Each cue carries the id of the block that shows it (its anchor)."""
    return _Writer(doc, settings, english_settings).script()


class _Writer:
    """Writing one handout's spoken script: the language's spoken forms, the English ones for
    English text in a translation, and the warnings met on the way."""

    def __init__(self, doc: LocalizedHandout, settings: SpeechSettings, english_settings: SpeechSettings | None):
        from dataclasses import replace

        self.doc = doc
        self.settings = replace(settings, stop=doc.language.stop, reading=doc.language.reading)
        # English text in a translation (draft notices, text not yet translated) is said with the English
        # lexicon (locales/en/speech.toml), never the language's; its overrides are for the English handout only
        self.english = replace(english_settings, overrides={}) if english_settings is not None else SpeechSettings()
        self.warnings: list[str] = []
        self.flag = doc.labels.gettext(NOT_YET)
        self.translation = not doc.language.is_source
        self._flag_said: str | None = None  # how the label is said: worked out once, when first needed

    def flag_said(self) -> str:
        if self._flag_said is None:
            self._flag_said = spoken_label(Text(self.flag, NOT_YET, self.flag.untranslated), self.settings, self.warnings)
        return self._flag_said

    def cue(self, text: Text, anchor: str) -> Cue:
        return Cue(strip_markup(text.text, self.settings), spoken_form(text, self.settings, self.warnings),
                   text.untranslated and self.translation, anchor)

    def said(self, text: Text, anchor: str) -> list[Cue]:
        """A text as said: one still in English is announced in the language, then read in English."""
        if text.untranslated and self.translation:
            return [Cue(f"{self.flag}:", f"{self.flag_said()}:", self.flag.untranslated, anchor),
                    Cue(strip_markup(text.text, self.english), spoken_form(text, self.english, self.warnings), True,
                        anchor)]
        return [self.cue(text, anchor)]

    def label(self, msgid: str, **values: str) -> Text:
        from .text import safe_format

        shown = self.doc.labels.gettext(msgid)
        return Text(safe_format(shown, values), msgid, shown.untranslated)

    def incomplete(self) -> list[Cue]:
        """'Not yet translated: N', in the language and in English, when English stands in for some text."""
        if not (self.doc.incomplete and self.translation):
            return []
        count = sum(1 for t in self.doc.texts() if t.untranslated)
        cues = [Cue(f"{self.flag}: {count}", f"{self.flag_said()}: {count}.", self.flag.untranslated,
                    "not-yet-translated")]
        if not self.flag.untranslated:
            cues.append(Cue(f"{NOT_YET}: {count}", f"{NOT_YET}: {count}.", True, "not-yet-translated"))
        return cues

    def drafts(self) -> list[Cue]:
        """The draft notices in the language, then in English in an English voice, for staff and carers."""
        doc = self.doc
        drafts = []
        if not doc.source_review.is_current:
            drafts.append("Draft: not yet checked by a clinician")
        if self.translation and not doc.translation_review.is_current:
            drafts.append("Draft translation: not yet checked by a qualified medical translator")
        cues = [self.cue(self.label(msgid), f"draft-{n}") for n, msgid in enumerate(drafts, start=1)]
        if self.translation:
            cues += [Cue(msgid, spoken_form(Text(msgid, msgid), self.english, self.warnings), True, f"draft-{n}-en")
                     for n, msgid in enumerate(drafts, start=1)]
        return cues

    def title(self) -> list[Cue]:
        doc = self.doc
        if doc.title.untranslated and self.translation:  # the title in English, by an English voice
            return [self.cue(self.label("This is the handout: {title}.", title=self.flag), "title"),
                    Cue(strip_markup(doc.title.text, self.settings), spoken_form(doc.title, self.english, self.warnings),
                        True, "title")]
        return [self.cue(self.label("This is the handout: {title}.", title=strip_markup(doc.title.text, self.settings)),
                         "title")]

    def contact(self) -> list[Cue]:
        site = self.doc.site
        if site is None or not site.phone:
            return []
        shown = self.label("Questions? Call {phone}", phone=site.phone)
        spoken = self.label("Questions? Call {phone}", phone=site.spoken_phone())  # digit by digit
        return [Cue(shown.text, spoken_form(spoken, self.settings, self.warnings), spoken.untranslated, "contact")]

    def section(self, section) -> Chapter:
        cues = self.said(section.heading, f"{section.id}-0")
        for b, block in enumerate(section.blocks, start=1):
            for i, item in enumerate(block.items, start=1):
                cues += self.said(item, f"{section.id}-{b}-{i}")
        return Chapter(section.id, strip_markup(section.heading.text, self.settings), section.kind, tuple(cues))

    def script(self) -> Script:
        doc, site = self.doc, self.doc.site
        incomplete, notice, contact = self.incomplete(), self.drafts(), self.contact()
        intro = notice + self.title()
        if site is not None:
            intro += [self.cue(self.label("From {site}.", site=site.name), "site"), *contact]
        chapters = [Chapter("not-yet-translated", incomplete[0].text, "notice", tuple(incomplete))] if incomplete else []
        chapters.append(Chapter("intro", strip_markup(doc.title.text, self.settings), "intro", tuple(intro)))
        chapters += [self.section(section) for section in doc.sections]
        if contact:
            chapters.append(Chapter("contact", site.name, "contact", tuple(contact)))
        return Script(tuple(chapters), tuple(self.warnings), tuple(incomplete + notice))
