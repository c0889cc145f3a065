"""Hostile text: markup, styles, template syntax and bidi controls typed into a
translation, the English source or the site settings.

What a reader sees is what was typed: HTML, CSS and Jinja come out as literal
characters in the PDF and on the phone page, never as markup or evaluated code. The
only markup a translation may carry is the **bold** its English has. Braces are
placeholder syntax in every catalog (python-brace-format), so a translation with braces
its English lacks is refused with the file and line rather than guessed at: a stray
'{' would otherwise decide whether a placeholder is filled. In the English source,
raw HTML is refused (the author writes Markdown), while template syntax there is just
text. The bidi overrides U+202D/U+202E are refused everywhere; the marks and isolates
that Arabic and Persian need are allowed.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from ..pdftext import body_text, page_texts, squash
from .conftest import Good, set_msgstr

SOURCE = Path("handouts") / "baclofen-withdrawal" / "handout.md"
TITLE = "Baclofen: never stop suddenly"
CONFUSED = "You suddenly feel confused."
FEVER = "You have a high fever."
NEVER = "**Never stop taking baclofen on your own.**"


def page(good: Good, tag: str) -> str:
    return (good.root / "dist" / "baclofen-withdrawal" / tag / "index.html").read_text("utf-8")


def seen_on_page(text: str) -> str:
    """What a phone shows: tags dropped, entities decoded."""
    return html.unescape(re.sub(r"<[^>]+>", "", text))


def visible_pdf(path: Path) -> str:
    return squash(body_text(path) + " ".join(page_texts(path)))  # the body in reading order, and the footers


# --- translations -----------------------------------------------------------------------------

TYPED = {
    # no digits: a number the English lacks blocks the message (test_numbers.py has '<h1>')
    CONFUSED: "[it] <b>B</b> <script>alert(x)</script> </p><main>M</main>",
    FEVER: '[it] <style>body</style> <span style="display:none">hidden</span> &amp; &lt;x&gt;',
    TITLE: "[it] </title><script>t()</script> Baclofen",
}


def test_markup_in_a_translation_is_shown_as_typed(good: Good) -> None:
    for msgid, typed in TYPED.items():
        set_msgstr(good.po(), msgid, typed)
    set_msgstr(good.po(), NEVER, "[it] **Mai** smettere da soli.")  # the bold the English has: allowed
    result = good.run("build", "--output", "pdf", "--output", "web", "--lang", "it")
    assert result.code == 0, result.err
    pdf = visible_pdf(good.pdf("it"))
    raw = page(good, "it")
    for typed in TYPED.values():
        assert squash(typed) in pdf, typed
        assert typed in html.unescape(raw), typed
    assert "&lt;b&gt;B&lt;/b&gt;" in raw and "<b>" not in raw and "alert(x)</script>" not in raw
    assert raw.count("<main>") == 1 and raw.count("<title>") == 1 and raw.count("<style>") == 1
    assert "<strong>Mai</strong> smettere" in raw and squash("[it] Mai smettere") in pdf
    assert "display:none" not in raw.split("</style>")[0]


@pytest.mark.parametrize("typed", [
    "{{ 7*7 }}", "{% include 'x' %}", "{{ config }}", "<style>body{display:none}</style>", "{page}",
])
def test_braces_in_a_translation_are_refused(good: Good, typed: str) -> None:
    line = set_msgstr(good.po(), CONFUSED, f"[it] {typed}")
    shown = good.refused(good.run("build", "--output", "pdf", "--lang", "it"),
                         f"baclofen-withdrawal.po:{line}:", "placeholders differ", CONFUSED)
    assert "49" not in shown


@pytest.mark.parametrize(("typed", "words"), [
    ("[it] Pagina {page} di {pages} {", "not a valid Python brace format string"),  # msgfmt --check-format
    ("[it] Pagina {page.__class__} di {pages}", "argument 'page'"),
    ("[it] Pagina {page} di {pages} {{ 7*7 }}", "placeholders differ"),
    ("[it] Pagina {page} di {pages} {config}", ""),
])
def test_braces_in_template_strings_are_refused(good: Good, typed: str, words: str) -> None:
    po = good.po(domain="templates")
    with po.open("rb") as fh:
        line = read_po(fh)["Page {page} of {pages}"].lineno
    text = po.read_text("utf-8").replace('msgstr "[it] Page {page} of {pages}"', f'msgstr "{typed}"', 1)
    assert typed in text
    po.write_text(text, "utf-8")
    shown = good.refused(good.run("build", "--output", "pdf", "--lang", "it"), "templates.po:", words)
    number = int(re.search(r"templates\.po:(\d+):", shown)[1])
    assert line <= number <= line + 1  # the msgid's line, or msgfmt's msgstr line


def test_unbalanced_bold_in_a_translation_is_refused(good: Good) -> None:
    line = set_msgstr(good.po(), NEVER, "[it] **Mai smettere da soli.")
    good.refused(good.run("build", "--output", "pdf", "--lang", "it"),
                 f"baclofen-withdrawal.po:{line}:", "unbalanced '**'")


def test_bold_the_english_does_not_have_is_refused(good: Good) -> None:
    line = set_msgstr(good.po(), CONFUSED, "[it] Vi sentite **confusi** all'improvviso.")
    good.refused(good.run("build", "--output", "pdf", "--lang", "it"), f"baclofen-withdrawal.po:{line}:", "bold part(s)")


@pytest.mark.parametrize("char", ["\u202e", "\u202d"])
def test_bidi_override_in_a_translation_is_refused(good: Good, char: str) -> None:
    line = set_msgstr(good.po(), CONFUSED, f"[it] {char}otsufnoc{char}")
    good.refused(good.run("build", "--output", "pdf", "--lang", "it"),
                 f"baclofen-withdrawal.po:{line}:", f"U+{ord(char):04X}", "bidi override")


MARKS = "\u200e\u200f\u2066\u2067\u2068\u2069"


def test_bidi_marks_and_isolates_in_a_translation_are_allowed(good: Good) -> None:
    set_msgstr(good.po(), CONFUSED, "[it] \u2067Confuso\u2069 \u200fsubito\u200e \u2066ok\u2069 \u2068x\u2069")
    result = good.run("build", "--output", "pdf", "--lang", "it")
    assert result.code == 0, result.err
    assert squash("[it] Confuso subito ok x") in squash("".join(c for c in body_text(good.pdf("it"))
                                                            if c not in MARKS))


# --- the English source -----------------------------------------------------------------------

@pytest.mark.parametrize("typed", [
    "<b>B</b>", "<script>alert(1)</script>", "</p><h1>H1</h1>", "<style>body{display:none}</style>",
    '<span style="display:none">hidden</span>',
])
def test_html_in_the_source_is_refused(good: Good, typed: str) -> None:
    source = good.root / SOURCE
    good.edit(source, f"- {CONFUSED}", f"- {CONFUSED} {typed}")
    good.refused(good.run("build", "--output", "pdf", "--lang", "en"),
                 f"handout.md:{good.line_of(source, CONFUSED)}:", "raw HTML is not allowed")


SOURCE_TEXT = {
    CONFUSED: "{{ 7*7 }} {% include 'x' %} {{ config }} {# note #}",
    FEVER: 'style="display:none" body{display:none} \u2067x\u2069 \u200fy\u200e',
}


def test_template_syntax_in_the_source_is_plain_text(good: Good) -> None:
    source = good.root / SOURCE
    for sentence, typed in SOURCE_TEXT.items():
        good.edit(source, f"- {sentence}", f"- {sentence} {typed}")
    result = good.run("build", "--output", "pdf", "--output", "web", "--lang", "en")
    assert result.code == 0, result.err
    pdf = squash("".join(c for c in body_text(good.pdf("en")) if c not in MARKS))
    shown = seen_on_page(page(good, "en"))
    for sentence, typed in SOURCE_TEXT.items():
        assert squash(f"{sentence} {typed}".translate({ord(c): None for c in MARKS})) in pdf
        assert f"{sentence} {typed}" in shown
    assert "49" not in pdf and "49" not in shown


@pytest.mark.parametrize("char", ["\u202e", "\u202d"])
def test_bidi_override_in_the_source_is_refused(good: Good, char: str) -> None:
    source = good.root / SOURCE
    good.edit(source, f"- {CONFUSED}", f"- {CONFUSED} {char}desufnoc")
    good.refused(good.run("build", "--output", "pdf", "--lang", "en"),
                 f"handout.md:{good.line_of(source, CONFUSED)}:", f"U+{ord(char):04X}", "not allowed")


def test_placeholder_the_source_cannot_fill_is_refused(good: Good) -> None:
    source = good.root / SOURCE
    good.edit(source, f"- {CONFUSED}", f"- {CONFUSED} {{page}}")
    good.refused(good.run("build", "--output", "pdf", "--lang", "en"),
                 f"handout.md:{good.line_of(source, CONFUSED)}:", "no value for placeholder 'page'")


# --- site settings ----------------------------------------------------------------------------

NAME = "<b>Main</b> {{ 7*7 }} {% include 'x' %} {{ config }}"
ADDRESS = '</p><h1>A</h1><style>body{display:none}</style> <script>x()</script> style="color:red"'


def test_markup_in_site_settings_is_shown_as_typed(good: Good) -> None:
    (good.root / "site.toml").write_text(
        f'id = "main-street"\nname = {json.dumps(NAME)}\nphone = "555 0100"\naddress = {json.dumps(ADDRESS)}\n', "utf-8")
    result = good.run("build", "--output", "pdf", "--lang", "en")
    assert result.code == 0, result.err
    pdf_path = good.root / "dist" / "main-street" / "baclofen-withdrawal" / "en" / "baclofen-withdrawal-en.pdf"
    body = squash(body_text(pdf_path))
    assert squash(NAME) in body and squash(ADDRESS) in body  # the "Questions? Call" box
    footers = [squash(text) for text in page_texts(pdf_path)]
    assert all(squash(NAME) in text for text in footers)  # every page's footer
    assert "49" not in body


def test_bidi_override_in_site_settings_is_refused(good: Good) -> None:
    (good.root / "site.toml").write_text('id = "main-street"\nname = "Main \u202eteertS"\n', "utf-8")
    good.refused(good.run("build", "--output", "pdf", "--lang", "en"), "site.toml:2:", "'name'", "U+202E")
