"""What an HTML page refers to, read by the tests themselves (nothing from handoutkit):
html.parser for the markup, tinycss2 for style sheets and style attributes."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import tinycss2

# Attributes whose value a browser loads or follows (HTML, SVG, forms, media).
URL_ATTRIBUTES = frozenset({"href", "src", "poster", "data", "action", "formaction", "background", "cite",
                            "xlink:href", "manifest", "ping", "longdesc", "codebase", "archive", "usemap"})
SRCSET_ATTRIBUTES = frozenset({"srcset", "imagesrcset"})
ABSOLUTE_IN_SCRIPT = re.compile(r"(?:\b[a-z][a-z0-9+.-]*:)?//[^\s'\"`)]+", re.I)


def css_urls(css: str, declarations: bool = False) -> list[str]:
    """Every url(...) and @import target of a style sheet (or of a style attribute)."""
    found: list[str] = []

    def walk(nodes: list | None) -> None:
        for node in nodes or []:
            if node.type == "url":
                found.append(node.value)
            elif node.type == "function" and node.lower_name == "url":
                found.extend(arg.value for arg in node.arguments if arg.type == "string")
            elif node.type == "at-rule" and node.lower_at_keyword == "import":
                found.extend(t.value for t in node.prelude if t.type == "string")
            for part in ("prelude", "content", "value", "arguments"):
                child = getattr(node, part, None)
                if isinstance(child, list):
                    walk(child)

    if declarations:
        walk(tinycss2.parse_declaration_list(css))
    else:
        walk(tinycss2.parse_stylesheet(css))
    return found


class _Refs(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._in = tag if tag in ("style", "script") else None
        values = {name: value for name, value in attrs if value is not None}
        for name, value in values.items():
            if name in URL_ATTRIBUTES:
                self.urls.append(value.strip())
            elif name in SRCSET_ATTRIBUTES:
                self.urls.extend(item.split()[0] for item in value.split(",") if item.strip())
            elif name == "style":
                self.urls.extend(css_urls(value, declarations=True))
        if tag == "meta" and values.get("http-equiv", "").lower() == "refresh":
            self.urls.append(values.get("content", "").partition("=")[2].strip())

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        self._in = None

    def handle_endtag(self, tag: str) -> None:
        self._in = None

    def handle_data(self, data: str) -> None:
        if self._in == "style":
            self.urls.extend(css_urls(data))
        elif self._in == "script":
            self.urls.extend(ABSOLUTE_IN_SCRIPT.findall(data))


def page_urls(html: str) -> list[str]:
    """Every URL the page would load or link, in the order written."""
    parser = _Refs()
    parser.feed(html)
    parser.close()
    return parser.urls


def beside(url: str, folder: Path) -> bool:
    """True when the URL is a part of the page ('#...') or a bare name of a file in folder."""
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or parts.query:
        return False
    if not parts.path:
        return bool(parts.fragment) or url == ""
    return "/" not in parts.path and "\\" not in parts.path and parts.path not in (".", "..") \
        and (folder / parts.path).is_file()
