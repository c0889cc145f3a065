"""The one localized model that every renderer reads."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .languages import Language

if TYPE_CHECKING:
    from .site import Site


@dataclass(frozen=True)
class Text:
    """A translated message (Markdown with **bold** only) or, when allowed,
    the English source visibly marked as not yet translated."""

    text: str
    msgid: str
    untranslated: bool = False
    english: str = ""  # the English source with its placeholders filled (the bilingual edition's twin)


@dataclass(frozen=True)
class Block:
    kind: str  # "paragraph" or "list"
    items: tuple[Text, ...]
    ordered: bool = False


@dataclass(frozen=True)
class Section:
    id: str
    kind: str  # "normal" or "emergency"
    heading: Text
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Review:
    """Who signed off what; status is 'reviewed', 'unreviewed' or 'out of date'."""

    status: str
    reviewer: str | None = None
    date: dt.date | None = None

    @property
    def is_current(self) -> bool:
        return self.status == "reviewed"


class Labels(dict):
    """Template strings: English msgid -> text in the language."""

    def gettext(self, msgid: str) -> Label:
        return Label(self.get(msgid, msgid), msgid, msgid not in self)


class Label(str):
    """A translated template string that still knows its English."""

    def __new__(cls, text: str, english: str, untranslated: bool = False) -> Label:
        obj = super().__new__(cls, text)
        obj.english = english
        obj.untranslated = untranslated
        return obj


@dataclass(frozen=True)
class LocalizedHandout:
    handout_id: str
    version: str
    date: dt.date
    language: Language
    title: Text
    sections: tuple[Section, ...]
    labels: Labels
    translation_review: Review
    source_review: Review
    names: tuple[str, ...] = ()
    site: Site | None = None  # name, phone, address, logo, emergency number, base_url (site.toml)
    fallback: bool = False  # made (with --allow-incomplete) from catalogs the gate would block

    @property
    def incomplete(self) -> bool:
        """English stands in for some of the translation: every output says so."""
        return self.fallback or any(t.untranslated for t in self.texts())

    def texts(self) -> Iterator[Text]:
        yield self.title
        for section in self.sections:
            yield section.heading
            for block in section.blocks:
                yield from block.items
