"""A second handout dropped into handouts/ the way the README says: it is visible,
and gated, in every language the project has. 'update' gives each translation
language a catalog for it; status, build and dist/index.html list every
(handout, language) pair, blocked ones with the reason; a build that blocks any
pair exits 1 and names it once, not once per output or per message."""

from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser

from babel.messages.pofile import read_po

from ..conftest import ROOT
from .conftest import HANDOUT, LOCALE, Good, one_line

NEW = "paracetamol-dose"
TEXT = """---
id: paracetamol-dose
title: "Paracetamol: how much is too much"
version: "1.0"
date: 2026-12-01
names: [paracetamol]
sources: ["a label"]
---

# Paracetamol: how much is too much

## The most important thing

- **Never take more than the label says.**
- Many cold medicines also hold paracetamol.

::: emergency
## Warning signs

- Your skin or eyes turn yellow.
:::

## Questions

Ask your pharmacist.
"""


def add_handout(good: Good) -> None:
    path = good.root / "handouts" / NEW / "handout.md"
    path.parent.mkdir(parents=True)
    path.write_text(TEXT, "utf-8")


def messages_of_new_handout(good: Good) -> int:
    assert good.run("extract").code == 0
    with (good.root / "locales" / f"{NEW}.pot").open("rb") as fh:
        return len([m for m in read_po(fh) if m.id])


class Index(HTMLParser):
    """dist/index.html as a reader sees it: each list item's text, and its link."""

    def __init__(self) -> None:
        super().__init__()
        self.items: list[tuple[str, str | None]] = []
        self._text: list[str] | None = None
        self._href: str | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "li":
            self._text, self._href = [], None
        elif tag == "a" and self._text is not None:
            self._href = dict(attrs).get("href")

    def handle_data(self, data):
        if self._text is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "li" and self._text is not None:
            self.items.append((" ".join("".join(self._text).split()), self._href))
            self._text = None


def index_items(good: Good) -> list[tuple[str, str | None]]:
    parser = Index()
    parser.feed((good.dist / "index.html").read_text("utf-8"))
    return parser.items


def test_update_creates_the_catalog_in_every_translation_language_and_never_for_english(good: Good) -> None:
    shutil.copytree(ROOT / "locales" / "es", good.root / "locales" / "es")
    shutil.copytree(ROOT / "locales" / "en", good.root / "locales" / "en")  # spoken forms of the source only
    add_handout(good)
    result = good.run("update")
    assert result.code == 0, result.err
    for locale in (LOCALE, "es"):
        po = good.po(locale, NEW)
        assert f"created locales/{locale}/LC_MESSAGES/{NEW}.po" in result.out
        with po.open("rb") as fh:
            catalog = read_po(fh)
        assert str(catalog.locale) == locale
        assert [m.id for m in catalog if m.id] and not [m for m in catalog if m.id and m.string]
    assert not list((good.root / "locales" / "en").rglob("*.po"))


def test_status_lists_the_new_handout_in_every_language_with_why_it_is_blocked(good: Good) -> None:
    add_handout(good)
    count = messages_of_new_handout(good)
    for step in ("before update", "after update"):
        result = good.run("status")
        assert result.code == 0, result.err
        rows = [line for line in result.out.splitlines() if line.startswith(NEW)]
        assert len(rows) == 2, (step, result.out)  # English and Italian
        italian = next(r for r in rows if f" {LOCALE} " in r)
        assert f"blocked: not translated yet: 0 of {count} messages" in italian, (step, italian)
        assert "ready" in next(r for r in rows if " en " in r)
        assert good.run("update").code == 0


def test_a_build_of_a_language_blocks_the_new_handout_once_and_exits_1(good: Good) -> None:
    add_handout(good)
    count = messages_of_new_handout(good)
    result = good.run("build", "--lang", LOCALE, "--engine", "espeak")
    assert result.code == 1 and "Traceback" not in result.err
    line = one_line(result, f"blocked   {NEW} {LOCALE}")
    assert line == f"blocked   {NEW} {LOCALE} pdf, bilingual, audio, epub, braille, web: not translated yet: 0 of {count} messages"
    about_it = [x for x in (result.out + result.err).splitlines() if NEW in x]
    assert len(about_it) == 2, about_it  # the pair, and the missing catalog named once
    one_line(result, f"locales/{LOCALE}/LC_MESSAGES/{NEW}.po", "catalog file is missing", "make-handouts update")
    assert not (good.dist / NEW).exists()
    assert (good.dist / HANDOUT / LOCALE / "index.html").is_file()  # the other handout still built
    items = index_items(good)
    italian = [(text, href) for text, href in items if "(Italian)" in text]
    assert len(italian) == 2
    new = next((text, href) for text, href in italian if href is None or NEW in href)
    assert new[1] is None and f"blocked: not translated yet: 0 of {count} messages" in new[0]
    assert any(href == f"{HANDOUT}/{LOCALE}/index.html" for _text, href in italian)
    headings = re.findall(r"<h2>([^<]+)</h2>", (good.dist / "index.html").read_text("utf-8"))
    assert headings == [HANDOUT, NEW]


def test_once_translated_the_new_handout_builds(good: Good) -> None:
    """The gate opens by itself: 'update', translate, build."""
    from ..conftest import fill_catalogs

    add_handout(good)
    assert good.run("update").code == 0
    fill_catalogs(good.root, LOCALE, (NEW,))
    result = good.run("build", "--lang", LOCALE, "--output", "pdf", "--output", "web")
    assert result.code == 0, result.err
    assert (good.dist / NEW / LOCALE / f"{NEW}-{LOCALE}.pdf").is_file()
    items = dict((href, text) for text, href in index_items(good))
    assert "blocked" not in items[f"{NEW}/{LOCALE}/index.html"]
