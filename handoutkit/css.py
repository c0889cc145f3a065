"""What a stylesheet (or a style attribute) refers to: checked, never fetched."""

from __future__ import annotations

import re

CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]*)|@import\s*['\"]([^'\"]*)", re.I)


def css_urls(text: str) -> list[str]:
    """Every url(...) and quoted @import target in the text."""
    return [a or b for a, b in CSS_URL.findall(text)]
