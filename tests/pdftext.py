"""Reading PDFs back the way a reader or a screen reader would."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from pypdf import PdfReader


def page_texts(path: Path) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(str(path)).pages]


def squash(text: str) -> str:
    """Compare text without markup, spacing or line breaks (extraction adds and drops them)."""
    text = unicodedata.normalize("NFKC", text.replace("**", ""))
    return re.sub(r"[\s\u00ad]+", "", text)


def char_sizes(path: Path) -> list[tuple[int, str, float, float]]:
    """(page number, character, font size in pt, y position) for every character drawn."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTChar, LTTextContainer

    found = []
    for number, page in enumerate(extract_pages(str(path)), start=1):
        for element in page:
            if not isinstance(element, LTTextContainer):
                continue
            for line in element:
                for char in getattr(line, "_objs", []):
                    if isinstance(char, LTChar) and char.get_text().strip():
                        found.append((number, char.get_text(), round(char.size, 1), char.y0))
    return found


def body_text(path: Path, footer_top: float = 1.2 * 72) -> str:
    """The text of every page above the footer, so a message split by a page break reads whole."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTTextContainer

    parts = []
    for page in extract_pages(str(path)):
        for element in page:
            if isinstance(element, LTTextContainer) and element.y0 > footer_top:
                parts.append(element.get_text())
    return " ".join(parts)
