"""Text helpers the gate and the renderers share: safe formatting of placeholders, the
bidi-override check, numbers in any digit system, and garbled (mojibake) text."""

from __future__ import annotations

import re
import string
import unicodedata

PLACEHOLDER = re.compile(r"\{[^{}]*\}")
OVERRIDES = ("\u202d", "\u202e")  # left-to-right / right-to-left override


def hidden_override(text: str) -> str | None:
    """Why text may not be shown when it holds a bidi override (U+202D/U+202E), which
    can hide reversed text; None when it holds none. Marks and isolates are fine."""
    char = next((c for c in text if c in OVERRIDES), None)
    if char is None:
        return None
    return f"holds U+{ord(char):04X} {unicodedata.name(char)}, a bidi override that can hide reversed text"


def placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


NUMBER = re.compile(r"\d+")  # a run of decimal digits in any Unicode script


def numbers(text: str) -> list[int]:
    """Every number written with digits, in any decimal digit system (Persian ۲ is 2),
    placeholders left out; sorted, so that order in the sentence does not matter."""
    return sorted(int("".join(str(unicodedata.decimal(c)) for c in run)) for run in NUMBER.findall(PLACEHOLDER.sub(" ", text)))


MOJIBAKE_RUN = re.compile("[\u00c0-\u00ff][\u0080-\u00ff\u0152\u0153\u0160\u0161\u0178\u017d\u017e"
                          "\u0192\u02c6\u02dc\u2013-\u203a\u20ac\u2122]+")


def mojibake(text: str) -> str | None:
    """The first run of UTF-8 read as Latin-1 or cp1252 ("mÃ¡s"), or None. Such text
    turns back into valid, different UTF-8 when encoded in that charset."""
    for run in MOJIBAKE_RUN.findall(text):
        for charset in ("cp1252", "latin-1"):
            try:
                fixed = run.encode(charset).decode("utf-8")
            except (UnicodeEncodeError, UnicodeDecodeError):
                continue
            if fixed != run:
                return run
    return None


def garbled(text: str) -> str | None:
    """Why text may not be shown when it holds mojibake; None when it holds none."""
    run = mojibake(text)
    if run is None:
        return None
    return (f"holds {run!r}, UTF-8 text read as Latin-1 or Windows-1252 (the file was converted twice,"
            " or the text pasted garbled: take the original)")


def safe_format(text: str, values: dict[str, str]) -> str:
    """Fill ``{name}`` placeholders; only plain names, never attribute access."""
    out = []
    for literal, field, spec, conv in string.Formatter().parse(text):
        out.append(literal)
        if field is None:
            continue
        if field not in values or spec or conv:
            raise KeyError(field)
        out.append(str(values[field]))
    return "".join(out)
