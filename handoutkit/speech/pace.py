"""Speaking pace: one calibrated setting per engine and language, in the language table's 'pace';
for an engine without a rate control (gTTS), a fit after synthesis.

The pace is measured one way for every engine and voice: the words of the WebVTT
cues (chapter cues excluded) divided by the audio's whole length, pauses included.
``scripts/calibrate_pace.py`` finds each setting that gives TARGET_WPM and writes it
into the row; Chinese, written without spaces, is slowed from its voice's own default
by the median slowing the other languages needed.

gTTS has no rate but 'slow', so its speech is measured the same way once it is
decoded, and time-stretched without a change of pitch (Signalsmith Stretch, the
PyPI package python-stretch) so that the whole lands on TARGET_WPM: the pauses
keep their length, the speech takes up the rest (render/audio.py, ``_fit``).
"""

from __future__ import annotations

import re

import numpy as np

from ..languages import Language

TARGET_WPM = 145  # a patient's pace: 140 to 150 words a minute
SLOW = 120 / 145  # --rate slow: this much of the normal pace
DEFAULTS = {  # an engine's setting for a language its row gives none (not calibrated yet)
    "espeak-ng": 145.0,  # espeak-ng's rate (its own default: 175)
    "piper": 1.1,  # Piper's length scale (1 is the voice's own pace; more is slower)
}
ROW_NAMES = {"espeak-ng": "espeak", "piper": "piper"}  # the engine's name in a row's pace table
UNSPACED = ("cjk-sc", "cjk-tc", "cjk-jp", "myanmar")  # scripts written without spaces: no words to count
STRETCH = (0.7, 1.4)  # the fit slows a voice to 0.7 of its own pace at most, and speeds it up to 1.4 at most
BLOCK_S, INTERVAL_S = 0.040, 0.010  # the stretcher's window and step: short, for speech (its preset's
                                    # 120 ms smeared the first word of a sped-up cue, measured with Whisper)
PAD_S = 0.1  # silence either side of a piece while it is stretched, trimmed after: no edge effects


def setting(engine: str, language: Language) -> float:
    """The engine's own setting for a normal pace in this language (its row, else the engine's default)."""
    found = language.pace_for(ROW_NAMES.get(engine, engine))
    return DEFAULTS[engine] if found is None else found


def words(cue: str) -> int:
    """The words of one WebVTT cue as the transcript shows it (its <lang> marks are no words)."""
    return len(re.sub(r"</?lang[^>]*>", " ", cue).split())


def target(rate: str) -> float:
    """Words a minute wanted at this rate ('normal' or 'slow')."""
    return TARGET_WPM * (SLOW if rate == "slow" else 1.0)


def speed_for(cue_words: int, speech: int, pauses: int, rate: int, wpm: float) -> tuple[float, bool]:
    """(speed, clamped): the time factor (above 1 is faster) that brings cue_words over speech
    samples plus pauses samples to wpm words a minute, when only the speech changes; clamped
    to STRETCH, and whether it was."""
    want = cue_words / wpm * 60 * rate - pauses  # samples the speech should take
    speed = speech / want if want > 0 else STRETCH[1]
    fitted = min(max(speed, STRETCH[0]), STRETCH[1])
    return fitted, fitted != speed


def stretch(samples: np.ndarray, rate: int, speed: float) -> np.ndarray:
    """The samples played speed times as fast, at the same pitch: round(size / speed) samples
    (to a sample or two). A new stretcher for each piece, seeded: the same input gives the
    same samples."""
    if speed == 1.0 or samples.size == 0:
        return samples
    from python_stretch.Signalsmith import Stretch

    stretcher = Stretch(0)
    stretcher.configure(1, round(BLOCK_S * rate), round(INTERVAL_S * rate))
    stretcher.timeFactor = speed
    pad = np.zeros(round(PAD_S * rate), dtype=np.float32)
    out = stretcher.process(np.concatenate([pad, samples.astype(np.float32, copy=False), pad])[None, :])[0]
    cut = round(pad.size / speed)
    return np.ascontiguousarray(out[cut:out.size - cut], dtype=np.float32)
