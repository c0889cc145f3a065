"""LocalizedHandout -> HTML (Jinja2) -> large-print, tagged PDF (WeasyPrint, PDF/UA-1)."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from babel.dates import format_date
from markupsafe import Markup

from ..errors import RenderError
from ..fonts import ATKINSON, check_coverage, latin_first, stack
from ..model import LocalizedHandout
from ..options import PdfOptions
from ..share import page_url, qr_code
from ..templates import css_counters, css_text, environment, fill, inline, install_labels, plain, unbroken_hyphens
from .tagging import accessible_tags

__all__ = ["PdfRenderer", "css_counters", "css_text", "fill", "inline", "plain", "unbroken_hyphens"]

PAPERS = {"letter": "letter", "a4": "A4"}


RELAYOUTS = 30  # layouts after the first, at most: one for the fresh pages, then one per page a section goes on to


def _whole_sections(document: Any) -> Iterator[tuple[int, Any]]:
    """(page number, box) for every box drawn for an element of a section to be read whole."""
    for number, page in enumerate(document.pages):
        for box in page._page_box.descendants():
            if box.element is not None and box.element.get("data-block") is not None:
                yield number, box


def spanning_sections(document: Any) -> frozenset[str]:
    """ids of the sections marked 'whole' that the layout spread over more than one page."""
    pages: dict[str, set[int]] = {}
    for number, box in _whole_sections(document):
        pages.setdefault(box.element.get("data-block").split("/")[0], set()).add(number)
    return frozenset(sid for sid, found in pages.items() if len(found) > 1)


def continuation_points(document: Any) -> list[str]:
    """The blocks of a section to be read whole that open a page the section goes on to
    (the first such block on a page, when it is not the section's heading), page by page."""
    first: dict[int, str] = {}
    for number, box in _whole_sections(document):
        first.setdefault(number, box.element.get("data-block"))
    return [block for _, block in sorted(first.items()) if not block.endswith("/0")]


def stranded_headings(document: Any) -> list[str]:
    """Blocks whose repeated heading was left alone on a page (heading and block do not
    fit on one page together), page by page."""
    headings: dict[int, str] = {}
    blocks: set[int] = set()
    for number, page in enumerate(document.pages):
        for box in page._page_box.descendants():
            if box.element is not None and box.element.get("data-before"):
                headings.setdefault(number, box.element.get("data-before"))
    for number, _box in _whole_sections(document):
        blocks.add(number)
    return [block for number, block in sorted(headings.items()) if number not in blocks]


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
        self.env = environment(templates_dir)

    def fonts_css(self, doc: LocalizedHandout, options: PdfOptions) -> str:
        families = doc.language.fonts
        rules = []
        for font in stack(doc.language.fonts):
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
        if options.bilingual and doc.language.direction == "rtl":  # the English twins: a Latin font first
            english = ", ".join(f'"{f}"' for f in latin_first(families))
            rules.append(f'[lang="en"][dir="ltr"] {{ font-family: {english}; }}')
        return "\n".join(rules)

    def html(self, doc: LocalizedHandout, options: PdfOptions, fresh_page: frozenset[str] = frozenset(),
             continued_before: frozenset[str] = frozenset(), may_split: frozenset[str] = frozenset()) -> str:
        template = self.env.get_template("handout.html")
        install_labels(self.env, doc.labels)
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
            qr=qr_code(page_url(site.base_url, doc.handout_id, doc.language.tag)) if site is not None and site.base_url else None,
            doc=doc,
            size=options.size,
            paper=PAPERS[options.paper],
            fonts_css=Markup(self.fonts_css(doc, options)),
            start_side="right" if rtl else "left",
            end_side="left" if rtl else "right",
            date_text=format_date(doc.date, format="long", locale=locale),
            untranslated_count=sum(1 for t in doc.texts() if t.untranslated),
            bilingual=options.bilingual and not doc.language.is_source,
            fresh_page=fresh_page,
            continued_before=continued_before,
            may_split=may_split,
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
        check_coverage(self.visible_strings(html), doc.language.fonts, where or doc.handout_id)
        fonts = [f.path for f in stack(doc.language.fonts)] + [
            f.bold_path for f in stack(doc.language.fonts) if f.bold_path
        ]
        logo = [doc.site.logo] if doc.site is not None and doc.site.logo else []

        fresh: frozenset[str] = frozenset()
        before: frozenset[str] = frozenset()
        split: frozenset[str] = frozenset()

        def keep_whole(document: Any) -> str | None:
            """A section that must be read whole but is taller than a page starts on a
            fresh page, and each page it goes on to starts with its heading again."""
            nonlocal fresh, before, split
            spread = fresh | spanning_sections(document)
            new = [block for block in continuation_points(document) if block not in before]
            alone = [block for block in stranded_headings(document) if block not in split]
            if spread != fresh:
                fresh = spread
            elif alone:  # a block too tall to follow its heading on one page: it may break after all
                split = split | {alone[0]}
            elif new:  # one page at a time: each heading put back moves the pages after it
                before = before | {new[0]}
            else:
                return None
            return self.html(doc, options, fresh_page=fresh, continued_before=before, may_split=split)

        from ..fetcher import ProjectFetcher

        fetcher = ProjectFetcher([self.templates_dir, *self.asset_dirs], fonts + logo)
        marks = options.bilingual and not doc.language.is_source and doc.language.direction == "rtl"
        return self.write(html, fetcher, where, relayout=keep_whole, direction_marks=marks)

    def write(self, html: str, fetcher: Any, where: str | Path | None = None,
              relayout: Callable[[Any], str | None] | None = None, direction_marks: bool = False) -> bytes:
        """HTML -> PDF/UA-1 through the fetcher; a refused resource or an error
        WeasyPrint logs fails the PDF with one line naming where. relayout may look
        at the laid-out pages and return HTML to lay out again (a few times at most).
        direction_marks: the bilingual edition of a right-to-left language (see render/tagging.py)."""
        from weasyprint import HTML  # imported only when a PDF is really drawn
        from weasyprint.urls import FatalURLFetchingError

        log = _ErrorLog()
        logger = logging.getLogger("weasyprint")
        logger.addHandler(log)
        base = self.templates_dir.resolve().as_uri() + "/"
        try:
            document = HTML(string=html, base_url=base, url_fetcher=fetcher).render(pdf_variant="pdf/ua-1")
            for _ in range(RELAYOUTS if relayout is not None else 0):
                again = relayout(document)
                if again is None:
                    break
                document = HTML(string=again, base_url=base, url_fetcher=fetcher).render(pdf_variant="pdf/ua-1")
            with accessible_tags(document, direction_marks):
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
