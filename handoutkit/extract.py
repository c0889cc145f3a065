"""Messages out of sources: the handout extractor (a Babel extraction method)
and the template strings (Babel's Jinja2 extractor), written as POT files."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir

from . import __version__
from .source import Handout, Message, parse_handout_text

TEMPLATES_DOMAIN = "templates"
COMMENT_TAGS = ("Translators:",)
POT_HEADER = """\
# Translations for handoutkit.
# Machine-drafted translations must carry a sign-off by a qualified medical
# translator (make-handouts review LANG --by "Name, credential") before use
# without the draft notice.
#"""


def comments_for(message: Message) -> list[str]:
    """Extracted comments (#.): where the text sits, then any author note."""
    found = [f"Where: {message.where}."]
    if message.placeholders:
        names = ", ".join("{" + p + "}" for p in sorted(message.placeholders))
        found.append(f"Keep {names} exactly as written; it is filled in when the handout is built.")
    if message.note:
        found.append(f"Translators: {message.note}")
    return found


def extract_handout(
    fileobj: IO[bytes], keywords: Any, comment_tags: Any, options: dict[str, Any]
) -> Iterator[tuple[int, str | None, Any, list[str]]]:
    """Babel extraction method for handout.md (entry point 'handout')."""
    name = getattr(fileobj, "name", "handout.md")
    text = fileobj.read().decode("utf-8-sig").replace("\r\n", "\n")
    handout = parse_handout_text(text, Path(name))
    for message in handout.messages():
        if message.context:
            yield message.line, "pgettext", (message.context, message.text), comments_for(message)
        else:
            yield message.line, None, message.text, comments_for(message)


def _new_catalog(domain: str, version: str, date: Any) -> Catalog:
    import datetime as dt

    created = dt.datetime.combine(date, dt.time(0, 0), tzinfo=dt.UTC)
    return Catalog(
        domain=domain,
        project="handoutkit",
        version=version,
        copyright_holder="the handoutkit contributors",
        msgid_bugs_address="",
        creation_date=created,
        revision_date=created,
        header_comment=POT_HEADER,
        fuzzy=False,
        charset="utf-8",
    )


def handout_template(handout: Handout, root: Path) -> Catalog:
    """The POT of one handout: one entry per distinct (context, msgid)."""
    catalog = _new_catalog(handout.id, handout.version, handout.date)
    rel = handout.path.resolve().relative_to(root.resolve()).as_posix()
    for message in handout.messages():
        catalog.add(
            message.text,
            locations=[(rel, message.line)],
            auto_comments=comments_for(message),
            context=message.context,
        )
    return catalog


def templates_template(templates_dir: Path, root: Path, date: Any) -> Catalog:
    """The POT of the template strings, through Babel's own Jinja2 extractor."""
    catalog = _new_catalog(TEMPLATES_DOMAIN, __version__, date)
    method_map = [("**.html", "jinja2"), ("**.xhtml", "jinja2")]  # the print and page; the EPUB's documents
    options_map = {"**.html": {"extensions": "jinja2.ext.i18n"}, "**.xhtml": {"extensions": "jinja2.ext.i18n"}}
    prefix = templates_dir.resolve().relative_to(root.resolve()).as_posix()
    for filename, lineno, message, comments, context in extract_from_dir(
        str(templates_dir), method_map, options_map, comment_tags=COMMENT_TAGS, strip_comment_tags=False
    ):
        catalog.add(
            message,
            locations=[(f"{prefix}/{filename}", lineno)],
            auto_comments=comments,
            context=context,
        )
    return catalog
