"""espeak-ng 1.52 from the PyPI package espeakng-loader, through ctypes.

Debian's espeak-ng 1.51 misreads Mandarin, so we load the packaged library.
espeak keeps the previous voice when SetVoiceByName fails, so every failure
is an error here, never a silent change of language.
"""

from __future__ import annotations

import ctypes
import threading

import numpy as np

from ..languages import Language
from . import RATES, Speech, SpeechError

VOICES = {
    "en": "en-us",
    "es": "es-419",
    "zh_Hans": "cmn",
    "zh_Hant": "cmn",  # Chinese is spoken in Mandarin, whichever script
    "zh": "cmn",
    "vi": "vi",
    "ko": "ko",
    "ar": "ar",
    "ru": "ru",
    "ht": "ht",
    "fr": "fr",
    "pt_BR": "pt-br",
    "pt": "pt",
    "pl": "pl",
    "fa": "fa",
    "hi": "hi",
}

AUDIO_OUTPUT_SYNCHRONOUS = 2
POS_CHARACTER = 1
ESPEAK_CHARS_UTF8 = 1
ESPEAK_RATE = 1
ESPEAK_PITCH = 3
SYNTH_CALLBACK = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.c_void_p)


class Espeak:
    name = "espeak-ng"
    _lock = threading.Lock()
    _lib = None
    _rate = 0
    _voice: str | None = None

    def __init__(self) -> None:
        self._chunks: list[np.ndarray] = []

    @classmethod
    def _load(cls, voice: str):
        if cls._lib is not None and cls._voice != voice:
            # espeak carries state from one voice into the next (the same Spanish
            # text comes out differently after English): start afresh per voice.
            cls._lib.espeak_Terminate()
            cls._lib = None
        cls._voice = voice
        if cls._lib is None:
            import espeakng_loader

            lib = ctypes.CDLL(espeakng_loader.get_library_path())
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
            cls._lib, cls._rate = lib, rate
        return cls._lib

    def voice(self, language: Language) -> str | None:
        return VOICES.get(language.locale) or VOICES.get(language.locale.split("_")[0])

    def describe(self, language: Language) -> str:
        return f"espeak-ng 1.52 (voice {self.voice(language)})"

    def speak(self, text: str, language: Language, rate: str = "normal") -> Speech:
        voice = self.voice(language)
        if voice is None:
            raise SpeechError(f"espeak-ng has no voice for {language.name_en} ({language.tag})")
        with self._lock:
            lib = self._load(voice)
            chunks: list[np.ndarray] = []

            @SYNTH_CALLBACK
            def collect(wav, count, events):  # noqa: ARG001
                if count > 0 and wav:
                    chunks.append(np.ctypeslib.as_array(wav, shape=(count,)).copy())
                return 0

            lib.espeak_SetSynthCallback(collect)
            if lib.espeak_SetVoiceByName(voice.encode()) != 0:
                raise SpeechError(f"espeak-ng voice '{voice}' for {language.tag} is not installed")
            lib.espeak_SetParameter(ESPEAK_RATE, RATES[rate], 0)
            data = text.encode("utf-8") + b"\0"
            buf = ctypes.create_string_buffer(data)
            if lib.espeak_Synth(buf, len(data), 0, POS_CHARACTER, 0, ESPEAK_CHARS_UTF8, None, None) != 0:
                raise SpeechError(f"espeak-ng could not speak: {text[:40]!r}")
            lib.espeak_Synchronize()
        pcm = np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.int16)
        return Speech((pcm.astype(np.float32) / 32768.0), self._rate)
