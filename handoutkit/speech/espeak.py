"""espeak-ng 1.52 from the PyPI package espeakng-loader, through ctypes.

Debian's espeak-ng 1.51 misreads Mandarin, so we load the packaged library.
espeak keeps the previous voice when SetVoiceByName fails, so every failure
is an error here, never a silent change of language.
"""

from __future__ import annotations

import _ctypes
import ctypes
import os
import shutil
import tempfile
import threading
from pathlib import Path

import numpy as np

from ..languages import Language
from . import Speech, SpeechError
from .pace import SLOW, setting

AUDIO_OUTPUT_SYNCHRONOUS = 2
POS_CHARACTER = 1
ESPEAK_CHARS_UTF8 = 1
ESPEAK_RATE = 1
ESPEAK_PITCH = 3
SYNTH_CALLBACK = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.c_void_p)


def _private_library() -> ctypes.CDLL:
    """A new instance of libespeak-ng with globals of its own.

    espeak-ng keeps state between utterances that espeak_Terminate does not
    reset, so the same text could come out differently after another language.
    A private copy of the library file (unlinked once loaded) starts from
    nothing: what it says depends only on what it is asked now."""
    import espeakng_loader

    source = espeakng_loader.get_library_path()
    fd, path = tempfile.mkstemp(prefix=".handoutkit-espeak-", suffix=".so")
    try:
        with os.fdopen(fd, "wb") as out, open(source, "rb") as inp:
            shutil.copyfileobj(inp, out)
        return ctypes.CDLL(path)
    except OSError as exc:
        raise SpeechError(f"espeak-ng could not be loaded from a private copy in {Path(path).parent} ({exc})") from None
    finally:
        Path(path).unlink(missing_ok=True)


class Espeak:
    """One espeak-ng instance. Each change of language (not only of voice: Chinese
    in both scripts shares one) starts a private instance of the library, and a
    copy sent to a worker process starts afresh, so every language's samples are
    the same whatever was spoken before it in that process."""

    name = "espeak-ng"
    rate_control = True  # its own setting per language: pace.setting
    _lock = threading.Lock()

    def __init__(self) -> None:
        self._lib: ctypes.CDLL | None = None
        self._rate = 0
        self._speaking: str | None = None  # the locale the loaded instance has spoken

    def __getstate__(self) -> dict:
        return {}

    def __setstate__(self, state: dict) -> None:
        self.__init__()

    def close(self) -> None:
        """Stop this instance and unload its library."""
        if self._lib is not None:
            self._lib.espeak_Terminate()
            _ctypes.dlclose(self._lib._handle)
            self._lib = None

    def _load(self, locale: str):
        if self._lib is not None and self._speaking != locale:
            self.close()
        self._speaking = locale
        if self._lib is None:
            import espeakng_loader

            lib = _private_library()
            lib.espeak_Initialize.restype = ctypes.c_int
            lib.espeak_Initialize.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_int]
            lib.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
            lib.espeak_SetParameter.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int]
            lib.espeak_Synth.argtypes = [
                ctypes.c_void_p, ctypes.c_size_t, ctypes.c_uint, ctypes.c_int,
                ctypes.c_uint, ctypes.c_uint, ctypes.c_void_p, ctypes.c_void_p,
            ]
            rate = lib.espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 0, espeakng_loader.get_data_path().encode(), 0)
            if rate <= 0:
                raise SpeechError("espeak-ng could not start (its data folder is missing)")
            self._lib, self._rate = lib, rate
        return self._lib

    def voice(self, language: Language) -> str | None:
        return language.espeak or None

    def describe(self, language: Language) -> str:
        return f"espeak-ng 1.52 (voice {self.voice(language)})"

    def speak(self, text: str, language: Language, rate: str = "normal") -> Speech:
        voice = self.voice(language)
        if voice is None:
            raise SpeechError(f"espeak-ng has no voice for {language.name_en} ({language.tag})")
        with self._lock:
            lib = self._load(language.locale)
            chunks: list[np.ndarray] = []

            @SYNTH_CALLBACK
            def collect(wav, count, events):  # noqa: ARG001
                if count > 0 and wav:
                    chunks.append(np.ctypeslib.as_array(wav, shape=(count,)).copy())
                return 0

            lib.espeak_SetSynthCallback(collect)
            if lib.espeak_SetVoiceByName(voice.encode()) != 0:
                raise SpeechError(f"espeak-ng voice '{voice}' for {language.tag} is not installed")
            wpm = setting(self.name, language) * (SLOW if rate == "slow" else 1.0)
            lib.espeak_SetParameter(ESPEAK_RATE, round(wpm), 0)
            data = text.encode("utf-8") + b"\0"
            buf = ctypes.create_string_buffer(data)
            if lib.espeak_Synth(buf, len(data), 0, POS_CHARACTER, 0, ESPEAK_CHARS_UTF8, None, None) != 0:
                raise SpeechError(f"espeak-ng could not speak: {text[:40]!r}")
            lib.espeak_Synchronize()
        pcm = np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.int16)
        return Speech((pcm.astype(np.float32) / 32768.0), self._rate)
