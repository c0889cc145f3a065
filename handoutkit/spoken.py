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
from .model import LocalizedHandout, Text


@dataclass(frozen=True)
class Cue:
    text: str  # what the transcript shows
    spoken: str  # what the engine is given
    english: bool = False  # English in a translation (the English draft notice, text not yet translated): an English voice


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
    words = "|".join(re.escape(w) for w in sorted(forms, key=lambda w: (-len(w), w)))
    return re.sub(rf"(?<!\w)(?:{words})(?!\w)", lambda m: forms[m.group(0)], text)


ENDS = ".!?。！？؟।:："  # a text ending in one of these needs no stop added


def end_with_stop(text: str, settings: SpeechSettings) -> str:
    """Headings and list fragments get the language's full stop, so the voice falls and pauses."""
    text = text.strip()
    return text if not text or text[-1] in ENDS + settings.stop else text + settings.stop


def tidy_space(text: str, settings: SpeechSettings) -> str:
    return " ".join(text.split())


PRE_PROCESSORS: tuple[Callable[[str, SpeechSettings], str], ...] = (strip_markup, apply_lexicon, end_with_stop, tidy_space)


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
    return tidy_space(apply_lexicon(strip_markup(label.text, settings), settings), settings)


NOT_YET = "Not yet translated"  # the label the print marks English fallback with; one override of it is said everywhere


def script(doc: LocalizedHandout, settings: SpeechSettings, english_settings: SpeechSettings | None = None) -> Script:
    """Intro (draft notice, title, site), then one chapter per section. A handout made
    from an incomplete translation starts with a chapter that says so, in the language
    and in English, and each message not yet translated is said to be so, then read
    by an English voice."""
    from dataclasses import replace

    warnings: list[str] = []
    settings = replace(settings, stop=doc.language.stop)
    # English text in a translation (draft notices, text not yet translated) is said with the English
    # lexicon (locales/en/speech.toml), never the language's; its overrides are for the English handout only
    english = replace(english_settings, overrides={}) if english_settings is not None else SpeechSettings()
    flag = doc.labels.gettext(NOT_YET)
    flagged: list[str] = []  # how the label is said: worked out once, when first needed

    def flag_said() -> str:
        if not flagged:
            flagged.append(spoken_label(Text(flag, NOT_YET, flag.untranslated), settings, warnings))
        return flagged[0]

    def said(text: Text) -> list[Cue]:
        if text.untranslated and not doc.language.is_source:
            return [Cue(f"{flag}:", f"{flag_said()}:", flag.untranslated),
                    Cue(strip_markup(text.text, english), spoken_form(text, english, warnings), True)]
        return [cue(text)]

    def cue(text: Text) -> Cue:
        return Cue(strip_markup(text.text, settings), spoken_form(text, settings, warnings),
                   text.untranslated and not doc.language.is_source)

    def label(msgid: str, **values: str) -> Text:
        from .text import safe_format

        shown = doc.labels.gettext(msgid)
        return Text(safe_format(shown, values), msgid, shown.untranslated)

    incomplete: list[Cue] = []
    if doc.incomplete and not doc.language.is_source:
        count = sum(1 for t in doc.texts() if t.untranslated)
        incomplete.append(Cue(f"{flag}: {count}", f"{flag_said()}: {count}.", flag.untranslated))
        if not flag.untranslated:
            incomplete.append(Cue(f"{NOT_YET}: {count}", f"{NOT_YET}: {count}.", True))
    drafts = []
    if not doc.source_review.is_current:
        drafts.append("Draft: not yet checked by a clinician")
    if not doc.language.is_source and not doc.translation_review.is_current:
        drafts.append("Draft translation: not yet checked by a qualified medical translator")
    notice = [cue(label(msgid)) for msgid in drafts]
    if not doc.language.is_source:  # then in English, in an English voice, for staff and carers
        notice += [Cue(msgid, spoken_form(Text(msgid, msgid), english, warnings), True) for msgid in drafts]
    intro: list[Cue] = list(notice)
    title = strip_markup(doc.title.text, settings)
    if doc.title.untranslated and not doc.language.is_source:  # the title in English, by an English voice
        intro.append(cue(label("This is the handout: {title}.", title=doc.labels.gettext(NOT_YET))))
        intro.append(Cue(title, spoken_form(doc.title, english, warnings), True))
    else:
        intro.append(cue(label("This is the handout: {title}.", title=title)))
    site = doc.site
    contact: list[Cue] = []
    if site is not None:
        intro.append(cue(label("From {site}.", site=site.name)))
        if site.phone:
            shown = label("Questions? Call {phone}", phone=site.phone)
            spoken = label("Questions? Call {phone}", phone=site.spoken_phone())  # digit by digit
            contact.append(Cue(shown.text, spoken_form(spoken, settings, warnings), spoken.untranslated))
        intro.extend(contact)
    chapters = [Chapter("not-yet-translated", incomplete[0].text, "notice", tuple(incomplete))] if incomplete else []
    chapters.append(Chapter("intro", title, "intro", tuple(intro)))
    for section in doc.sections:
        cues = said(section.heading) + [c for block in section.blocks for item in block.items for c in said(item)]
        chapters.append(Chapter(section.id, strip_markup(section.heading.text, settings), section.kind, tuple(cues)))
    if contact:
        chapters.append(Chapter("contact", site.name, "contact", tuple(contact)))
    return Script(tuple(chapters), tuple(warnings), tuple(incomplete + notice))
