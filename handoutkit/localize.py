"""Source + catalogs -> the one localized model (pure functions)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .errors import RenderError, SourceError
from .gate import Wanted
from .languages import Language
from .model import Block, Labels, LocalizedHandout, Review, Section, Text
from .source import Handout, Message
from .text import garbled, hidden_override, safe_format

if TYPE_CHECKING:
    from .site import Site


def wanted(handout: Handout) -> list[Wanted]:
    rel = str(handout.path)
    safety = handout.safety_messages()
    return [Wanted(m.text, m.context, rel, m.line, (m.text, m.context) in safety) for m in handout.messages()]


def localize(
    handout: Handout,
    language: Language,
    translated: dict[tuple[str, str | None], str],
    labels: Labels,
    *,
    blocked: frozenset[tuple[str, str | None]] = frozenset(),
    translation_review: Review = Review("unreviewed"),
    source_review: Review = Review("unreviewed"),
    site: Site | None = None,
    fallback: bool = False,
) -> LocalizedHandout:
    """Build the model. A message with no usable translation (or one listed in
    ``blocked``) is kept in English and marked untranslated; the build decides
    whether that is allowed."""
    values = site.values() if site is not None else {}  # what {phone} and {site} in a message stand for

    def text(message: Message) -> Text:
        key = (message.text, message.context)
        why = hidden_override(message.text) or garbled(message.text)  # translations: the gate; the source here
        if why:
            raise SourceError(f"not allowed: the text {why}", handout.path, message.line)
        if language.is_source:
            body, missing = message.text, False
        elif key in translated and key not in blocked:
            body, missing = translated[key], False
        else:
            body, missing = message.text, True
        english = message.text
        if message.placeholders:
            try:
                body, english = safe_format(body, values), safe_format(english, values)
            except (KeyError, ValueError) as exc:
                raise RenderError(f"no value for placeholder {exc} in: {message.text!r}", handout.path, message.line) from None
        return Text(body, message.text, missing, english)

    sections = tuple(
        Section(
            s.id,
            s.kind,
            text(s.heading),
            tuple(Block(b.kind, tuple(text(m) for m in b.items), b.ordered) for b in s.blocks),
        )
        for s in handout.sections
    )
    return LocalizedHandout(
        handout_id=handout.id,
        version=handout.version,
        date=handout.date,
        language=language,
        title=text(handout.title),
        sections=sections,
        labels=labels,
        translation_review=translation_review,
        source_review=source_review,
        names=handout.names,
        site=site,
        fallback=fallback and not language.is_source,
    )
