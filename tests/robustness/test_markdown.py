"""The Markdown a handout may use, tested both ways: each construct the README lists
renders (read back from the PDF and the POT), and each other one is refused by
name with its file and line. Also the front matter holes: a version YAML would
read as a number, and an id that is not one."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from pdfminer.high_level import extract_pages
from pdfminer.layout import LTChar, LTRect, LTTextContainer

from ..pdftext import body_text, page_texts, squash
from .conftest import Good

FRONT = """---
id: demo
title: "Demo handout"
version: "2.10"
date: 2026-01-01
names: [Demo]
sources: ["a label"]
---

# Demo handout

## First part

"""

SUPPORTED = FRONT + """<!-- translators: a note for the translator -->
A paragraph written
over two lines.

- A bullet item with **bold words** in it.
- A second bullet item.

1. A numbered step.
2. A second numbered step.

::: emergency
## Warning signs

- You have a very high fever.
:::

## Last part

Ask your pharmacist.
"""


def add_demo(good: Good, text: str, folder: str = "demo") -> Path:
    path = good.root / "handouts" / folder / "handout.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")
    return path


def demo_pdf(good: Good) -> Path:
    return good.root / "dist" / "demo" / "en" / "demo-en.pdf"


def bold_text(pdf: Path) -> str:
    """The characters drawn in a bold face."""
    found = []
    for page in extract_pages(str(pdf)):
        for element in page:
            if isinstance(element, LTTextContainer):
                for line in element:
                    found += [c.get_text() for c in getattr(line, "_objs", [])
                              if isinstance(c, LTChar) and "bold" in c.fontname.lower()]
    return "".join(found)


def boxed_text(pdf: Path) -> str:
    """The text drawn inside a heavy box: a filled rectangle with another one inset by 3 pt or
    more on every side (how a thick border is drawn)."""
    found = []
    for page in extract_pages(str(pdf)):
        rects = [e for e in page if isinstance(e, LTRect) and e.fill]
        inner = [i for i in rects for o in rects if i is not o and min(
            i.x0 - o.x0, o.x1 - i.x1, i.y0 - o.y0, o.y1 - i.y1) >= 3 and max(
            i.x0 - o.x0, o.x1 - i.x1, i.y0 - o.y0, o.y1 - i.y1) <= 12]
        for element in page:
            if isinstance(element, LTTextContainer) and any(
                    b.x0 <= element.x0 and element.x1 <= b.x1 and b.y0 <= element.y0 and element.y1 <= b.y1
                    for b in inner):
                found.append(element.get_text())
    return squash(" ".join(found))


def layout_text(pdf: Path) -> str:
    """pdftotext -layout: the text as laid out, line by line."""
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def test_every_supported_construct_renders(good: Good) -> None:
    add_demo(good, SUPPORTED)
    result = good.run("build", "--handout", "demo", "--lang", "en", "--output", "pdf")
    assert result.code == 0, result.err
    pdf = demo_pdf(good)
    body = squash(body_text(pdf))
    for text in ("Demo handout", "First part", "A paragraph written over two lines.",  # title, section, paragraph
                 "A bullet item with bold words in it.", "A second numbered step.", "Warning signs",
                 "You have a very high fever.", "Last part", "Ask your pharmacist."):
        assert squash(text) in body, text
    lines = [" ".join(line.split()) for line in layout_text(pdf).splitlines()]
    assert "1. A numbered step." in lines and "2. A second numbered step." in lines  # numbers kept
    assert "• A bullet item with bold words in it." in lines
    assert squash("bold words") in squash(bold_text(pdf)) and "bullet" not in bold_text(pdf)
    boxed = boxed_text(pdf)
    assert squash("You have a very high fever.") in boxed and squash("Ask your pharmacist") not in boxed
    assert "Version 2.10" in " ".join(page_texts(pdf))  # a quoted version is printed as written
    assert good.run("extract").code == 0
    pot = (good.root / "locales" / "demo.pot").read_text("utf-8")
    assert "#. Translators: a note for the translator" in pot or "#. a note for the translator" in pot
    assert 'msgid "A paragraph written over two lines."' in pot  # a soft line break joins the lines


REFUSED = [
    ("block quote", "> Quoted advice.\n", "block quotes ('>')"),
    ("fenced code", "```\ncode\n```\n", "code blocks"),
    ("indented code", "    indented code\n", "code blocks (lines indented"),
    ("horizontal rule", "Text.\n\n***\n", "horizontal rules"),
    ("underlined heading", "Heading\n-------\n", "underlined headings"),
    ("deeper heading", "### Deeper\n", "'###' headings are not allowed"),
    ("second title", "# Another title\n", "only one '#' title"),
    ("italics", "Take it *now*.\n", "italics"),
    ("italics underscore", "Take it _now_.\n", "italics"),
    ("link", "See [this](http://example.com).\n", "links are not allowed"),
    ("autolink", "See <http://example.com>.\n", "links are not allowed"),
    ("image", "![x](x.png)\n", "images are not allowed"),
    ("raw HTML inline", "Take <b>it</b>.\n", "raw HTML"),
    ("raw HTML block", "<div>hi</div>\n", "raw HTML"),
    ("code span", "Type `this`.\n", "code spans"),
    ("hard line break", "One line  \nanother.\n", "hard line breaks"),
    ("nested list", "- a\n  - b\n", "lists inside lists"),
    ("two paragraphs in an item", "- a\n\n  more\n", "a list item must be a single paragraph"),
    ("link reference", "Text.\n\n[ref]: http://example.com\n", "link reference definitions"),
    ("table", "| a | b |\n|---|---|\n| 1 | 2 |\n", "tables are not allowed"),
    ("strikethrough", "Do ~~not~~ take it.\n", "strikethrough"),
    ("backslash escape", "Take 2 \\* 3.\n", "backslash escapes"),
    ("character reference", "Salt &amp; water.\n", "character references"),
    ("unknown box", "::: warning\nText.\n:::\n", "'::: warning' is not a box"),
    ("nested box", "::: emergency\n## A\n\n::: emergency\n## B\n:::\n:::\n", "callouts cannot be nested"),
]


@pytest.mark.parametrize(("body", "words"), [r[1:] for r in REFUSED], ids=[r[0] for r in REFUSED])
def test_every_other_construct_is_refused_by_name(good: Good, body: str, words: str) -> None:
    source = add_demo(good, FRONT + body)
    first = len(FRONT.splitlines()) + 1
    line = good.refused(good.run("build", "--handout", "demo", "--lang", "en", "--output", "pdf"),
                        "handouts/demo/handout.md:", words)
    assert int(line.split("handout.md:")[1].split(":")[0]) >= first, line  # the construct's line, not the top
    assert source.exists() and not (good.root / "dist" / "demo").exists()


def test_an_unquoted_version_is_refused_with_the_fix(good: Good) -> None:
    """YAML reads version: 1.10 as the number 1.1; it used to be printed as 1.1."""
    source = add_demo(good, SUPPORTED.replace('version: "2.10"', "version: 1.10"))
    line = good.refused(good.run("build", "--handout", "demo", "--lang", "en", "--output", "pdf"),
                        "handouts/demo/handout.md:4:", "quote it", 'version: "1.10"')
    assert "1.1" in line and source.exists()


@pytest.mark.parametrize("bad", ["-demo", "demo--two", "demo_two", "Demo"])
def test_a_bad_handout_id_states_the_rule_once(good: Good, bad: str) -> None:
    """In the front matter, or as the folder's name: the message says what an id is,
    and never calls a handout both unknown and known."""
    add_demo(good, SUPPORTED.replace("id: demo", f"id: {bad}"), folder=bad)
    for args in (("build", "--output", "pdf", "--lang", "en"), ("build", f"--handout={bad}", "--lang", "en")):
        result = good.run(*args)
        line = good.refused(result, f"'{bad}' is not a handout id", "words joined by single hyphens")
        assert "unknown handout" not in result.err and result.err.count("single hyphens") == 1, line
    shutil.rmtree(good.root / "handouts" / bad)
    add_demo(good, SUPPORTED.replace("id: demo", f'id: "{bad}"'))  # in the right folder, a bad id
    result = good.run("build", "--handout", "demo", "--lang", "en")
    good.refused(result, "handouts/demo/handout.md:2:", f"'{bad}' is not a handout id", "single hyphens")
