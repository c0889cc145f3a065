"""Speech engines behind one small interface: text + language -> PCM samples.

Engines: espeak-ng (offline, always there), gTTS (online), chosen per language
by ``choose``: gTTS when it is reachable and speaks the language, else espeak-ng,
else 'no voice'.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np

from ..errors import HandoutkitError
from ..languages import Language


class SpeechError(HandoutkitError):
    """A speech engine could not speak (unknown voice, network, service refusal)."""


@dataclass(frozen=True)
class Speech:
    samples: np.ndarray  # mono float32 in [-1, 1]
    rate: int  # samples per second


class Engine(Protocol):
    name: str
    rate_control: bool  # False: the engine speaks at its voice's own pace, fitted after synthesis (speech/pace.py)

    def voice(self, language: Language) -> str | None:
        """The voice this engine would use, or None when it cannot speak the language."""

    def describe(self, language: Language) -> str:
        """'espeak-ng 1.52 (voice es-419)': for the report, transcript and manifest."""

    def speak(self, text: str, language: Language, rate: str) -> Speech: ...
