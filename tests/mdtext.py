"""The messages of a handout's Markdown, read by the tests themselves (nothing from
handoutkit): headings, list items and paragraphs, in order, with their markup."""

from __future__ import annotations

import re
from pathlib import Path


def markdown_messages(path: Path) -> list[str]:
    """Each '#'/'##' heading, list item and paragraph of the source (front matter,
    translator notes and ':::' fences left out)."""
    text = path.read_text("utf-8")
    body = re.sub(r"\A---\n.*?\n---\n", "", text, flags=re.S)
    body = re.sub(r"<!--.*?-->", "", body, flags=re.S)
    found: list[str] = []
    paragraph: list[str] = []

    def flush() -> None:
        if paragraph:
            found.append(" ".join(paragraph))
            paragraph.clear()

    for line in body.splitlines():
        stripped = line.strip()
        heading = re.match(r"#{1,2} (.+)", stripped)
        item = re.match(r"(?:[-*+]|\d+[.)]) (.+)", stripped)
        if not stripped or stripped.startswith(":::"):
            flush()
        elif heading or item:
            flush()
            found.append((heading or item)[1].strip())
        else:
            paragraph.append(stripped)
    flush()
    return found
