"""The phone page of one language (page.html) and the index of a build."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..css import css_urls
from ..errors import RenderError
from ..model import LocalizedHandout
from ..templates import install_labels

if TYPE_CHECKING:
    from jinja2 import Environment

STAMP = re.compile(r"^(\d+):(\d\d):(\d\d)\.(\d{3}) --> ")
URL_ATTRS = frozenset({"href", "src", "srcset", "poster", "data", "action", "formaction", "background", "cite",
                       "xlink:href", "manifest", "ping", "imagesrcset"})
SCRIPT_URL = re.compile(r"(?:[a-z][a-z0-9+.-]*:)?//[^\s'\"`]+", re.I)


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


def references(html: str) -> list[str]:
    """Every URL the page would load or link: attributes, inline styles and <style>, meta refresh,
    and any absolute URL written in its script."""
    from html.parser import HTMLParser

    found: list[str] = []

    class Collect(HTMLParser):
        within = ""

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            self.within = tag
            for name, value in attrs:
                if value is None:
                    continue
                if name in ("srcset", "imagesrcset"):
                    found.extend(part.split()[0] for part in value.split(",") if part.strip())
                elif name in URL_ATTRS:
                    found.append(value.strip())
                elif name == "style":
                    found.extend(css_urls(value))
                elif name == "content" and (dict(attrs).get("http-equiv") or "").lower() == "refresh":
                    found.append(value.partition("=")[2].strip() or value)

        def handle_endtag(self, tag: str) -> None:
            self.within = ""

        def handle_data(self, data: str) -> None:
            if self.within == "style":
                found.extend(css_urls(data))
            elif self.within == "script":
                found.extend(SCRIPT_URL.findall(data))

    Collect().feed(html)
    return found


def outside(url: str) -> bool:
    """True unless the URL names a file beside the page (or a part of the page itself)."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return bool(parts.scheme or parts.netloc or "/" in parts.path or "\\" in parts.path or parts.path in (".", ".."))


def page_html(env: Environment, doc: LocalizedHandout, folder: Path, base: str,
              downloads: list[tuple[str, str]] = (), editions: list[tuple[str, str]] = ()) -> str:
    """Links are bare file names in the same folder: the page works opened from disk. downloads:
    (file name, the msgid of its link's label) for each output offered, shown when the file is there."""
    audio = None
    mp3, clip, vtt = folder / f"{base}.mp3", folder / f"{base}-warning-signs.mp3", folder / f"{base}.vtt"
    if mp3.is_file() and vtt.is_file():
        audio = AudioLinks(mp3.name, clip.name if clip.is_file() else None, chapters_from_vtt(vtt.read_text("utf-8")))
    install_labels(env, doc.labels)
    offered = [(name, label) for name, label in downloads if (folder / name).is_file()]
    spoken = [(name, said_in) for name, said_in in editions if (folder / name).is_file()]  # e.g. the Cantonese audio
    template = env.get_template("page.html")
    html = template.render(doc=doc, audio=audio, downloads=offered, editions=spoken)
    for url in references(html):  # the page is sent on its own: it may load nothing from elsewhere
        if outside(url):
            raise RenderError(f"the phone page would load {url} (it may link only to the files beside it)",
                              template.filename)
    return html
