"""The one Jinja environment: the PDF, the phone page, the review sheet and the build's index
are all drawn from templates/ by it, with the same filters. Importing it loads no renderer."""

from __future__ import annotations

import re
import string
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

from .errors import RenderError
from .text import safe_format

BOLD = re.compile(r"\*\*(.+?)\*\*", re.S)
# A word is anything between spaces and punctuation, its combining vowel signs included (Python's \w
# leaves out marks such as Devanagari's ै, so 'कसै-कसैलाई' was broken at its hyphen)
_SEP = "\\s.,;:!?()\\[\\]{}\"'“”‘’«»<>/"
_WORD = f"[^{_SEP}\\-]"
HYPHENATED = re.compile(f"(?<![^{_SEP}])({_WORD}+(?:-{_WORD}+)+)")


def inline(text: str, names: tuple[str, ...] = ()) -> Markup:
    """Escape everything; then turn **bold** into <strong>. No other markup survives.
    Each of names (drug names written in Latin letters inside a translation in another
    script) becomes its own span with lang="en", so a screen reader switches voice."""
    html = BOLD.sub(r"<strong>\1</strong>", str(escape(text)))
    for name in names:
        html = re.sub(rf"(?<![^\W\d_]){re.escape(str(escape(name)))}(?![^\W\d_])",
                      lambda m: f'<span lang="en">{m[0]}</span>', html, flags=re.I)
    return Markup(html)


def unbroken_hyphens(html: str) -> Markup:
    """Print only: a word joined by hyphens is never broken at a hyphen, because text
    extractors (pdftotext, copy-paste) take a hyphen at a line's end for hyphenation
    and drop it."""
    return Markup(HYPHENATED.sub(r'<span class="nowrap">\1</span>', str(html)))


def plain(text: str) -> str:
    return text.replace("**", "")


def css_text(text: str) -> Markup:
    """A CSS string literal; every non-alphanumeric character escaped."""
    out = []
    for ch in str(text):
        if ch.isalnum() and ord(ch) > 0x7F or ch.isascii() and ch.isalnum() or ch == " ":
            out.append(ch)
        else:
            out.append(f"\\{ord(ch):x} ")
    return Markup('"' + "".join(out) + '"')


def css_counters(text: str) -> Markup:
    """'Page {page} of {pages}' -> "Page " counter(page) " of " counter(pages)."""
    parts = []
    for literal, name, _spec, _conv in string.Formatter().parse(str(text)):
        if literal:
            parts.append(str(css_text(literal)))
        if name is not None:
            if name not in ("page", "pages"):
                raise RenderError(f"unknown placeholder {{{name}}} in page label {text!r}")
            parts.append(f"counter({name})")
    return Markup(" ".join(parts) or '""')


def fill(text: str, **values: str) -> str:
    try:
        return safe_format(str(text), {k: str(v) for k, v in values.items()})
    except (KeyError, ValueError):
        raise RenderError(f"template string has a placeholder that cannot be filled: {text!r}") from None



def environment(templates_dir: Path) -> Environment:
    """A Jinja environment over the project's templates/: autoescaped, strict, with gettext (i18n)."""
    env = Environment(
        loader=FileSystemLoader(str(templates_dir)),
        autoescape=True,
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n"],
    )
    env.filters.update(inline=inline, plain=plain, css_text=css_text, css_counters=css_counters, fill=fill,
                       unbroken_hyphens=unbroken_hyphens)
    return env


def install_labels(env: Environment, labels) -> None:
    """The template's gettext: the language's labels (the templates catalog)."""
    env.install_gettext_callables(gettext=labels.gettext, ngettext=lambda s, p, n: labels.gettext(s if n == 1 else p),
                                  newstyle=False)
