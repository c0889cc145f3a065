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
from pathlib import Path

from .errors import SourceError
from .languages import SOURCE_LOCALE
from .model import LocalizedHandout, Text


@dataclass(frozen=True)
class Cue:
    text: str  # what the transcript shows
    spoken: str  # what the engine is given
    language: str | None = None  # the locale of a voice other than the handout's (the English draft notice)


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


@dataclass(frozen=True)
class Script:
    chapters: tuple[Chapter, ...]
    warnings: tuple[str, ...] = ()
    notice: tuple[Cue, ...] = ()  # the draft notice: the first cues of the intro, and of every spoken output


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
    if not isinstance(lexicon, dict) or not all(isinstance(v, str) for v in lexicon.values()):
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
    """Each word as written, or with a capital at the start of a sentence, in its spoken form."""
    for word, spoken in sorted(settings.lexicon.items(), key=lambda kv: -len(kv[0])):
        forms = {word: spoken, word[:1].upper() + word[1:]: spoken[:1].upper() + spoken[1:]}
        for written, said in forms.items():
            text = re.sub(rf"(?<!\w){re.escape(written)}(?!\w)", lambda _m, said=said: said, text)
    return text


def end_with_stop(text: str, settings: SpeechSettings) -> str:
    """Headings and list fragments get a full stop, so the voice falls and pauses."""
    text = text.strip()
    return text if not text or text[-1] in ".!?。！？؟।:：" else text + "."


def tidy_space(text: str, settings: SpeechSettings) -> str:
    return " ".join(text.split())


PRE_PROCESSORS: tuple[Callable[[str, SpeechSettings], str], ...] = (strip_markup, apply_lexicon, end_with_stop, tidy_space)


def spoken_form(text: Text, settings: SpeechSettings, warnings: list[str]) -> str:
    override = settings.overrides.get(text.msgid)
    if override is not None:
        replaced, spoken = override
        if replaced == text.text:
            return tidy_space(end_with_stop(spoken, settings), settings)
        warnings.append(f"{settings.path}: spoken override ignored, the translation changed: {text.msgid[:60]!r}")
    out = text.text
    for step in PRE_PROCESSORS:
        out = step(out, settings)
    return out


def script(doc: LocalizedHandout, settings: SpeechSettings) -> Script:
    """Intro (draft notice, title, site), then one chapter per section."""
    warnings: list[str] = []

    def cue(text: Text) -> Cue:
        return Cue(strip_markup(text.text, settings), spoken_form(text, settings, warnings))

    def label(msgid: str, **values: str) -> Text:
        from .catalogs import safe_format

        return Text(safe_format(doc.labels.gettext(msgid), values), msgid)

    drafts = []
    if not doc.source_review.is_current:
        drafts.append("Draft: not yet checked by a clinician")
    if not doc.language.is_source and not doc.translation_review.is_current:
        drafts.append("Draft translation: not yet checked by a qualified medical translator")
    notice = [cue(label(msgid)) for msgid in drafts]
    if not doc.language.is_source:  # then in English, in an English voice, for staff and carers
        english = SpeechSettings()
        notice += [Cue(msgid, spoken_form(Text(msgid, msgid), english, warnings), SOURCE_LOCALE) for msgid in drafts]
    intro: list[Cue] = list(notice)
    title = strip_markup(doc.title.text, settings)
    intro.append(cue(label("This is the handout: {title}.", title=title)))
    site = doc.site
    contact: list[Cue] = []
    if site is not None:
        intro.append(cue(label("From {site}.", site=site.name)))
        if site.phone:
            shown = label("Questions? Call {phone}", phone=site.phone)
            spoken = label("Questions? Call {phone}", phone=site.spoken_phone())  # digit by digit
            contact.append(Cue(shown.text, spoken_form(spoken, settings, warnings)))
        intro.extend(contact)
    chapters = [Chapter("intro", title, "intro", tuple(intro))]
    for section in doc.sections:
        cues = [cue(section.heading)] + [cue(item) for block in section.blocks for item in block.items]
        chapters.append(Chapter(section.id, strip_markup(section.heading.text, settings), section.kind, tuple(cues)))
    if contact:
        chapters.append(Chapter("contact", site.name, "contact", tuple(contact)))
    return Script(tuple(chapters), tuple(warnings), tuple(notice))
