"""The side-by-side review sheet: message by message, the English, the
translation, the note to translators, and room for remarks (HTML and PDF)."""

from __future__ import annotations

from dataclasses import dataclass

from ..fonts import ATKINSON
from ..languages import Language
from .pdf import PdfRenderer


@dataclass(frozen=True)
class Row:
    english: str
    translation: str
    note: str
    where: str
    fuzzy: bool


def sheet_html(renderer: PdfRenderer, handout_id: str, version: str, language: Language, rows: list[Row],
               catalogs: list[str], content_hash: str) -> str:
    stack = (*language.fonts, "Noto Sans")  # system fonts only: no @font-face here
    families = ", ".join(f'"{f}"' for f in dict.fromkeys(stack) if f != ATKINSON) + ", sans-serif"
    return renderer.env.get_template("review-sheet.html").render(
        handout_id=handout_id, version=version, language=language, rows=rows, catalogs=catalogs,
        content_hash=content_hash, families=families,
    )


def sheet_pdf(renderer: PdfRenderer, html: str) -> bytes:
    from ..fetcher import ProjectFetcher

    return renderer.write(html, ProjectFetcher([renderer.templates_dir], []), renderer.templates_dir / "review-sheet.html")
