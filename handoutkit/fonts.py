"""Font stacks (each language's row names its families), and the check that every character has a glyph.

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


def stack(families: tuple[str, ...]) -> tuple[FontFile, ...]:
    """The font files of a stack (a language's 'fonts', in order); a RenderError naming the family missing."""
    return tuple(resolve(family) for family in families)


LATIN_LETTERS = frozenset(range(ord("A"), ord("Z") + 1)) | frozenset(range(ord("a"), ord("z") + 1))


def latin_first(families: tuple[str, ...]) -> tuple[str, ...]:
    """The same stack with the families that draw every Latin letter first, for English set
    inside another script's edition (the bilingual edition's English twins): its letters,
    spaces and punctuation then come from one Latin font, with that font's line metrics,
    not from the script's font (an Arabic font's tall ascent and descent, its own space)."""
    latin = [f for f in families if LATIN_LETTERS <= _cmap(resolve(f).path, resolve(f).index)]
    return (*latin, *(f for f in families if f not in latin))


def needs_no_glyph(char: str) -> bool:
    return char.isspace() or unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp")


def missing_glyphs(texts: list[str], families: tuple[str, ...]) -> list[tuple[str, str]]:
    """(character, text it is in) for each character no font of the stack draws."""
    cmaps = [_cmap(f.path, f.index) for f in stack(families)]
    missing: dict[str, str] = {}
    for text in texts:
        for char in unicodedata.normalize("NFC", text):
            if char in missing or needs_no_glyph(char):
                continue
            if not any(ord(char) in cmap for cmap in cmaps):
                missing[char] = text
    return list(missing.items())


def check_coverage(texts: list[str], families: tuple[str, ...], where: str) -> None:
    gaps = missing_glyphs(texts, families)
    if gaps:
        char, text = gaps[0]
        others = f" (and {len(gaps) - 1} more characters)" if len(gaps) > 1 else ""
        raise RenderError(
            f"no font in the stack ({', '.join(families)}) has a glyph for '{char}' "
            f"U+{ord(char):04X}{others}, in: {text[:60]!r}",
            where,
        )
