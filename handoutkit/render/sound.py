"""Sound helpers: loudness to a target with a true-peak ceiling, MP3, ID3 tags.

pyloudnorm measures loudness only; raising speech to -16 LUFS would clip, so
a look-ahead limiter keeps the true peak (4x oversampled) under -1 dBTP.
"""

from __future__ import annotations

from dataclasses import dataclass
from io import BytesIO

import numpy as np

TARGET_LUFS = -16.0
CEILING_DBTP = -1.0
BITRATE_KBPS = 64

# ISO 639-2 codes for the ID3 TLAN frame.
ISO639_2 = {
    "en": "eng", "es": "spa", "zh": "chi", "vi": "vie", "tl": "tgl", "ko": "kor", "ar": "ara",
    "ru": "rus", "ht": "hat", "fr": "fre", "pt": "por", "pl": "pol", "fa": "per", "hi": "hin",
    "so": "som", "ja": "jpn", "uk": "ukr", "de": "ger", "it": "ita", "am": "amh",
}


def loudness(samples: np.ndarray, rate: int) -> float:
    import pyloudnorm

    return float(pyloudnorm.Meter(rate).integrated_loudness(samples.astype(np.float64)))


def true_peak(samples: np.ndarray) -> float:
    """Peak of the signal 4x oversampled, as a linear value."""
    from scipy.signal import resample_poly

    if samples.size == 0:
        return 0.0
    return float(np.max(np.abs(resample_poly(samples.astype(np.float64), 4, 1))))


def limit(samples: np.ndarray, rate: int, ceiling_db: float = CEILING_DBTP) -> np.ndarray:
    """Smooth gain reduction wherever the (oversampled) peak would pass the ceiling."""
    from scipy.ndimage import minimum_filter1d, uniform_filter1d
    from scipy.signal import resample_poly

    ceiling = 10 ** ((ceiling_db - 0.5) / 20)  # 0.5 dB kept for the MP3 encoder's overshoot
    over = np.abs(resample_poly(samples.astype(np.float64), 4, 1)).reshape(-1, 4).max(axis=1)[: samples.size]
    need = np.minimum(1.0, ceiling / np.maximum(over, 1e-12))
    width = max(3, int(rate * 0.008))
    gain = uniform_filter1d(minimum_filter1d(need, 2 * width + 1), width + 1)
    return (samples * np.minimum(gain, need)).astype(np.float32)


def normalise(samples: np.ndarray, rate: int, target: float = TARGET_LUFS) -> np.ndarray:
    """Gain to the target loudness, limited; repeated while the limiter takes loudness away."""
    out = samples.astype(np.float32)
    if out.size < rate // 2 or not np.any(out):
        return out
    for _ in range(4):
        current = loudness(out, rate)
        if not np.isfinite(current) or abs(current - target) < 0.15:
            break
        out = limit(out * np.float32(10 ** ((target - current) / 20)), rate)
    ceiling = 10 ** ((CEILING_DBTP - 0.5) / 20)
    peak = true_peak(out)
    if peak > ceiling:
        out = out * np.float32(ceiling / peak * 0.999)
    return out


def to_mp3(samples: np.ndarray, rate: int) -> bytes:
    import lameenc

    pcm = np.clip(np.round(samples * 32767), -32768, 32767).astype("<i2").tobytes()
    encoder = lameenc.Encoder()
    encoder.set_bit_rate(BITRATE_KBPS)
    encoder.set_in_sample_rate(rate)
    encoder.set_channels(1)
    encoder.set_quality(2)
    return bytes(encoder.encode(pcm) + encoder.flush())


@dataclass(frozen=True)
class ChapterMark:
    id: str
    title: str
    start_ms: int
    end_ms: int


def tag_mp3(mp3: bytes, *, title: str, language: str, publisher: str | None, chapters: list[ChapterMark],
            comment: str) -> bytes:
    """ID3v2.3: title, language, publisher, and one chapter per section (CHAP + CTOC)."""
    from mutagen.id3 import CHAP, COMM, CTOC, ID3, TIT2, TLAN, TPUB, CTOCFlags

    tags = ID3()
    tags.add(TIT2(encoding=3, text=[title]))
    tags.add(TLAN(encoding=3, text=[ISO639_2.get(language.split("_")[0], "und")]))
    if publisher:
        tags.add(TPUB(encoding=3, text=[publisher]))
    tags.add(COMM(encoding=3, lang="eng", desc="", text=[comment]))
    if chapters:
        tags.add(CTOC(element_id="toc", flags=CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED,
                      child_element_ids=[c.id for c in chapters], sub_frames=[TIT2(encoding=3, text=["Chapters"])]))
        for c in chapters:
            tags.add(CHAP(element_id=c.id, start_time=c.start_ms, end_time=c.end_ms,
                          sub_frames=[TIT2(encoding=3, text=[c.title])]))
    buf = BytesIO(mp3)
    tags.save(buf, v2_version=3, padding=lambda info: 0)
    return buf.getvalue()
