"""Speaking pace: one calibrated setting per engine and language, in the language table's 'pace'.

The pace is measured one way for every engine and voice: the words of the WebVTT
cues (chapter cues excluded) divided by the audio's whole length, pauses included.
``scripts/calibrate_pace.py`` finds each setting that gives TARGET_WPM and writes it
into the row; Chinese, written without spaces, is slowed from its voice's own default
by the median slowing the other languages needed.
"""

from __future__ import annotations

from ..languages import Language

TARGET_WPM = 145  # a patient's pace: 140 to 150 words a minute
SLOW = 120 / 145  # --rate slow: this much of the normal pace
DEFAULTS = {  # an engine's setting for a language its row gives none (not calibrated yet)
    "espeak-ng": 145.0,  # espeak-ng's rate (its own default: 175)
    "piper": 1.1,  # Piper's length scale (1 is the voice's own pace; more is slower)
}
ROW_NAMES = {"espeak-ng": "espeak", "piper": "piper"}  # the engine's name in a row's pace table


def setting(engine: str, language: Language) -> float:
    """The engine's own setting for a normal pace in this language (its row, else the engine's default)."""
    found = language.pace_for(ROW_NAMES.get(engine, engine))
    return DEFAULTS[engine] if found is None else found
