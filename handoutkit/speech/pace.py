"""Speaking pace: one calibrated setting per engine and language, kept in pace.toml.

The pace is measured one way for every engine and voice: the words of the WebVTT
cues (chapter cues excluded) divided by the audio's whole length, pauses included.
``scripts/calibrate_pace.py`` finds each setting that gives TARGET_WPM and writes
the table; Chinese, written without spaces, is slowed from its voice's own default
by the median slowing the other languages needed (see pace.toml).
"""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

from ..languages import Language

TARGET_WPM = 145  # a patient's pace: 140 to 150 words a minute
SLOW = 120 / 145  # --rate slow: this much of the normal pace
TABLE = Path(__file__).with_name("pace.toml")


@cache
def table() -> dict[str, dict[str, float]]:
    """Engine -> locale (or 'default') -> setting, as pace.toml holds it."""
    return tomllib.loads(TABLE.read_text("utf-8"))


def setting(engine: str, language: Language) -> float:
    """The engine's own setting for a normal pace in this language (its locale, else
    its base language, else the engine's default row)."""
    row = table()[engine]
    for key in (language.locale, language.locale.split("_")[0], "default"):
        if key in row:
            return float(row[key])
    raise KeyError(f"pace.toml has no '{engine}' setting for {language.locale} and no default")
