"""LocalizedHandout -> HTML (Jinja2) -> large-print, tagged PDF (WeasyPrint, PDF/UA-1)."""

from __future__ import annotations

import logging
import re
import string
from collections.abc import Callable
from pathlib import Path
from typing import Any

from babel.dates import format_date
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

from ..catalogs import safe_format
from ..errors import RenderError
from ..fetcher import ProjectFetcher
from ..fonts import ATKINSON, STACKS, check_coverage, stack
from ..model import LocalizedHandout
from ..options import PdfOptions
from .tagging import accessible_tags

PAPERS = {"letter": "letter", "a4": "A4"}
BOLD = re.compile(r"\*\*(.+?)\*\*", re.S)


def inline(text: str, names: tuple[str, ...] = ()) -> Markup:
    """Escape everything; then turn **bold** into <strong>. No other markup survives.
    Each of names (drug names written in Latin letters inside a translation in another
    script) becomes its own span with lang="en", so a screen reader switches voice."""
    html = BOLD.sub(r"<strong>\1</strong>", str(escape(text)))
    for name in names:
        html = re.sub(rf"(?<![^\W\d_]){re.escape(str(escape(name)))}(?![^\W\d_])",
                      lambda m: f'<span lang="en">{m[0]}</span>', html, flags=re.I)
    return Markup(html)


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


def page_url(base_url: str, doc: LocalizedHandout) -> str:
    """Where this language's web page will be published."""
    return f"{base_url.rstrip('/')}/{doc.handout_id}/{doc.language.tag}/"


def qr_code(url: str) -> dict[str, str]:
    """A QR code (segno) as an SVG data URI, for an <img> with alt text."""
    import segno

    return {"url": url, "src": segno.make(url, error="m").svg_data_uri(scale=4, border=2, dark="#000", light="#fff")}


def fill(text: str, **values: str) -> str:
    try:
        return safe_format(str(text), {k: str(v) for k, v in values.items()})
    except (KeyError, ValueError):
        raise RenderError(f"template string has a placeholder that cannot be filled: {text!r}") from None


def spanning_sections(document: Any) -> frozenset[str]:
    """ids of the sections marked 'whole' that the layout spread over more than one page."""
    pages: dict[str, set[int]] = {}
    for number, page in enumerate(document.pages):
        for box in page._page_box.descendants():
            element = box.element
            if box.element_tag == "section" and element is not None and "whole" in element.get("class", "").split():
                pages.setdefault(element.get("id", ""), set()).add(number)
    return frozenset(sid for sid, found in pages.items() if len(found) > 1)


class _ErrorLog(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


class PdfRenderer:
    """Sphinx-builder style: a name, the output it makes, a write step."""

    name = "pdf"

    def __init__(self, templates_dir: Path, asset_dirs: list[Path] | None = None):
        self.templates_dir = templates_dir
        self.asset_dirs = asset_dirs or []
        self.env = Environment(
            loader=FileSystemLoader(str(templates_dir)),
            autoescape=True,
            undefined=StrictUndefined,
            extensions=["jinja2.ext.i18n"],
        )
        self.env.filters.update(inline=inline, plain=plain, css_text=css_text, css_counters=css_counters, fill=fill)

    def fonts_css(self, doc: LocalizedHandout, options: PdfOptions) -> str:
        families = STACKS.get(doc.language.script, STACKS["latin"])
        rules = []
        for font in stack(doc.language.script):
            if font.family == ATKINSON:
                for weight, path in ((400, font.path), (700, font.bold_path)):
                    rules.append(
                        f'@font-face {{ font-family: "{ATKINSON}"; font-weight: {weight}; '
                        f"src: url({css_text(path.as_uri())}); }}"
                    )
        family = ", ".join(f'"{f}"' for f in families)
        size = options.size
        rules.append(f"body {{ font-family: {family}; font-size: {size}pt; }}")
        rules.append(f"h1 {{ font-size: {size * 1.5:g}pt; }} h2 {{ font-size: {max(22, size * 1.25):g}pt; }}")
        rules.append(f"@page {{ @bottom-left {{ font-family: {family}; }} @bottom-right {{ font-family: {family}; }} }}")
        heading = f"font-family: {family}; font-size: {max(22, size * 1.25):g}pt; font-weight: 700; vertical-align: bottom;"
        rules.append(f"@page {{ @top-left {{ {heading} }} @top-right {{ {heading} }} }}")
        return "\n".join(rules)

    def html(self, doc: LocalizedHandout, options: PdfOptions, fresh_page: frozenset[str] = frozenset()) -> str:
        template = self.env.get_template("handout.html")
        self.env.install_gettext_callables(
            gettext=doc.labels.gettext,
            ngettext=lambda s, p, n: doc.labels.gettext(s if n == 1 else p),
            newstyle=False,
        )
        rtl = doc.language.direction == "rtl"
        site = doc.site
        locale = doc.language.locale
        if site is not None and site.territory:
            from babel import Locale, UnknownLocaleError

            try:
                locale = str(Locale.parse(f"{doc.language.locale.split('_')[0]}_{site.territory}"))
            except (UnknownLocaleError, ValueError):
                pass
        return template.render(
            latin_names=() if doc.language.script.startswith("latin") else doc.names,
            site=site,
            qr=qr_code(page_url(site.base_url, doc)) if site is not None and site.base_url else None,
            doc=doc,
            size=options.size,
            paper=PAPERS[options.paper],
            fonts_css=Markup(self.fonts_css(doc, options)),
            start_side="right" if rtl else "left",
            end_side="left" if rtl else "right",
            date_text=format_date(doc.date, format="long", locale=locale),
            untranslated_count=sum(1 for t in doc.texts() if t.untranslated),
            fresh_page=fresh_page,
        )

    def visible_strings(self, html: str) -> list[str]:
        """Every string that will be drawn, for the glyph check."""
        from html.parser import HTMLParser

        texts: list[str] = []

        class Collect(HTMLParser):
            skip = 0

            def handle_starttag(self, tag, attrs):
                if tag in ("style", "script"):
                    self.skip += 1

            def handle_endtag(self, tag):
                if tag in ("style", "script"):
                    self.skip -= 1

            def handle_data(self, data):
                if not self.skip and data.strip():
                    texts.append(data)

        Collect().feed(html)
        for match in re.finditer(r'content: ("(?:[^"\\]|\\.)*"[^;]*);', html):
            texts.append(re.sub(r"\\([0-9a-f]+) ", lambda m: chr(int(m[1], 16)), match[1]))
        return texts

    def render(self, doc: LocalizedHandout, options: PdfOptions, where: str = "") -> bytes:
        html = self.html(doc, options)
        check_coverage(self.visible_strings(html), doc.language.script, where or doc.handout_id)
        fonts = [f.path for f in stack(doc.language.script)] + [
            f.bold_path for f in stack(doc.language.script) if f.bold_path
        ]
        logo = [doc.site.logo] if doc.site is not None and doc.site.logo else []

        def fresh_pages(document: Any) -> str | None:
            """A section that must be read whole but is taller than a page starts on a fresh page."""
            spanning = spanning_sections(document)
            return self.html(doc, options, fresh_page=spanning) if spanning else None

        fetcher = ProjectFetcher([self.templates_dir, *self.asset_dirs], fonts + logo)
        return self.write(html, fetcher, where, second_pass=fresh_pages)

    def write(self, html: str, fetcher: ProjectFetcher, where: str | Path | None = None,
              second_pass: Callable[[Any], str | None] | None = None) -> bytes:
        """HTML -> PDF/UA-1 through the fetcher; a refused resource or an error
        WeasyPrint logs fails the PDF with one line naming where. second_pass may
        look at the laid-out pages and return HTML to lay out once more."""
        from weasyprint import HTML  # imported only when a PDF is really drawn
        from weasyprint.urls import FatalURLFetchingError

        log = _ErrorLog()
        logger = logging.getLogger("weasyprint")
        logger.addHandler(log)
        base = self.templates_dir.resolve().as_uri() + "/"
        try:
            document = HTML(string=html, base_url=base, url_fetcher=fetcher).render(pdf_variant="pdf/ua-1")
            again = second_pass(document) if second_pass is not None else None
            if again is not None:
                document = HTML(string=again, base_url=base, url_fetcher=fetcher).render(pdf_variant="pdf/ua-1")
            with accessible_tags(document):
                pdf = document.write_pdf(pdf_variant="pdf/ua-1")
        except FatalURLFetchingError as exc:  # our fetcher refused a resource
            raise RenderError(str(exc), where or None) from None
        except Exception as exc:  # a layout bug in WeasyPrint: say so, without a traceback
            raise RenderError(f"PDF rendering failed: {exc}", where or None) from None
        finally:
            logger.removeHandler(log)
        if fetcher.refused:  # WeasyPrint swallows some refusals (inside an SVG image): still refuse the PDF
            raise RenderError(fetcher.message(fetcher.refused[0]), where or None)
        if log.messages:
            raise RenderError(f"WeasyPrint reported: {log.messages[0]}", where or None)
        return pdf
