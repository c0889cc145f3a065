"""The phone page of one language (page.html) and the index of a build."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..model import LocalizedHandout
from .pdf import PdfRenderer

STAMP = re.compile(r"^(\d+):(\d\d):(\d\d)\.(\d{3}) --> ")


@dataclass(frozen=True)
class Part:
    title: str
    start: float


@dataclass(frozen=True)
class AudioLinks:
    mp3: str
    clip: str | None
    chapters: tuple[Part, ...]


def chapters_from_vtt(text: str) -> tuple[Part, ...]:
    """The chapter cues of our WebVTT transcript (ids 'chapter-...'), with their start times."""
    parts = []
    for block in text.split("\n\n"):
        lines = block.strip().splitlines()
        if len(lines) >= 3 and lines[0].startswith("chapter-"):
            m = STAMP.match(lines[1])
            if m:
                h, mi, s, ms = (int(g) for g in m.groups())
                parts.append(Part(lines[2], h * 3600 + mi * 60 + s + ms / 1000))
    return tuple(parts)


def page_html(renderer: PdfRenderer, doc: LocalizedHandout, folder: Path, base: str, pdf_name: str) -> str:
    """Links are bare file names in the same folder: the page works opened from disk."""
    audio = None
    mp3, clip, vtt = folder / f"{base}.mp3", folder / f"{base}-warning-signs.mp3", folder / f"{base}.vtt"
    if mp3.is_file() and vtt.is_file():
        audio = AudioLinks(mp3.name, clip.name if clip.is_file() else None, chapters_from_vtt(vtt.read_text("utf-8")))
    renderer.env.install_gettext_callables(
        gettext=doc.labels.gettext, ngettext=lambda s, p, n: doc.labels.gettext(s if n == 1 else p), newstyle=False)
    pdf = pdf_name if (folder / pdf_name).is_file() else None
    return renderer.env.get_template("page.html").render(doc=doc, audio=audio, pdf=pdf)
