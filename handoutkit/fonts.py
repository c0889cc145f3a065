"""Font stacks per script, and the check that every character has a glyph.

WeasyPrint draws an empty box for a character no font has and says nothing,
so we check every string against the cmaps of the stack before rendering.
"""

from __future__ import annotations

import subprocess
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from fontTools.ttLib import TTCollection, TTFont

from .errors import RenderError

ATKINSON = "Atkinson Hyperlegible"

# Families in order; the first that has a glyph draws it. Noto Sans Arabic has
# no Latin letters, so 'baclofen' inside Arabic text falls to Noto Sans.
STACKS: dict[str, tuple[str, ...]] = {
    "latin": (ATKINSON, "Noto Sans"),
    "latin-vietnamese": ("Noto Sans",),  # Atkinson lacks most Vietnamese letters
    "cyrillic": ("Noto Sans",),
    "arabic": ("Noto Sans Arabic", "Noto Sans"),
    "devanagari": ("Noto Sans Devanagari", "Noto Sans"),
    "cjk-sc": ("Noto Sans CJK SC", "Noto Sans"),
    "cjk-tc": ("Noto Sans CJK TC", "Noto Sans"),
    "cjk-kr": ("Noto Sans CJK KR", "Noto Sans"),
    "cjk-jp": ("Noto Sans CJK JP", "Noto Sans"),
}

DEBIAN_HINT = "install it with: apt-get install fonts-noto-core fonts-noto-cjk"


@dataclass(frozen=True)
class FontFile:
    family: str
    path: Path
    index: int
    bold_path: Path | None = None  # only for packaged fonts loaded by @font-face


@cache
def resolve(family: str) -> FontFile:
    """Find the file of a family: packaged fonts by fontpkg, the rest by fontconfig."""
    if family == ATKINSON:
        import fontpkg

        return FontFile(family, Path(fontpkg.path(family, weight=400)), 0, Path(fontpkg.path(family, weight=700)))
    try:
        out = subprocess.run(
            ["fc-match", "-f", "%{family}\t%{file}\t%{index}", family],
            capture_output=True, text=True, check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        raise RenderError(f"cannot look up font '{family}' (fontconfig's fc-match is missing)") from None
    found_families, file, index = out.split("\t")
    if family not in found_families.split(","):
        raise RenderError(f"font '{family}' is not installed; {DEBIAN_HINT}")
    return FontFile(family, Path(file), int(index))


@cache
def _cmap(path: Path, index: int) -> frozenset[int]:
    if path.suffix.lower() in (".ttc", ".otc"):
        font = TTCollection(str(path), lazy=True).fonts[index]
    else:
        font = TTFont(str(path), lazy=True, fontNumber=index)
    return frozenset(font.getBestCmap())


def stack(script: str) -> tuple[FontFile, ...]:
    """The font files of a script's stack; a RenderError naming the script when one is missing."""
    try:
        return tuple(resolve(family) for family in STACKS.get(script, STACKS["latin"]))
    except RenderError as exc:
        raise RenderError(f"no font for {script} text: {exc.message}", exc.path, exc.line) from None


def needs_no_glyph(char: str) -> bool:
    return char.isspace() or unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp")


def missing_glyphs(texts: list[str], script: str) -> list[tuple[str, str]]:
    """(character, text it is in) for each character no font of the stack draws."""
    cmaps = [_cmap(f.path, f.index) for f in stack(script)]
    missing: dict[str, str] = {}
    for text in texts:
        for char in unicodedata.normalize("NFC", text):
            if char in missing or needs_no_glyph(char):
                continue
            if not any(ord(char) in cmap for cmap in cmaps):
                missing[char] = text
    return list(missing.items())


def check_coverage(texts: list[str], script: str, where: str) -> None:
    gaps = missing_glyphs(texts, script)
    if gaps:
        char, text = gaps[0]
        others = f" (and {len(gaps) - 1} more characters)" if len(gaps) > 1 else ""
        families = ", ".join(STACKS.get(script, STACKS["latin"]))
        raise RenderError(
            f"no font in the stack ({families}) has a glyph for '{char}' "
            f"U+{ord(char):04X}{others}, in: {text[:60]!r}",
            where,
        )
