"""What espeak-ng itself makes of a text: its phonemes, through espeak_TextToPhonemes
in the library that espeakng-loader bundles (a private copy, so nothing said
before changes the answer). Independent of handoutkit's speech code."""

from __future__ import annotations

import ctypes
import os
import shutil
import tempfile


def phonemes(text: str, voice: str, ipa: bool = False) -> str:
    """espeak-ng's phonemes for the text in that voice, clause by clause joined by ' | '."""
    import espeakng_loader

    fd, path = tempfile.mkstemp(suffix=".so")
    with os.fdopen(fd, "wb") as out, open(espeakng_loader.get_library_path(), "rb") as inp:
        shutil.copyfileobj(inp, out)
    lib = ctypes.CDLL(path)
    os.unlink(path)
    try:
        lib.espeak_Initialize.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_int]
        assert lib.espeak_Initialize(0x02, 0, espeakng_loader.get_data_path().encode(), 0) > 0
        lib.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
        assert lib.espeak_SetVoiceByName(voice.encode()) == 0, voice
        lib.espeak_TextToPhonemes.restype = ctypes.c_char_p
        lib.espeak_TextToPhonemes.argtypes = [ctypes.POINTER(ctypes.c_char_p), ctypes.c_int, ctypes.c_int]
        buf = ctypes.create_string_buffer(text.encode("utf-8") + b"\0")
        pointer = ctypes.c_char_p(ctypes.addressof(buf))
        clauses = []
        while pointer.value:
            clauses.append(lib.espeak_TextToPhonemes(ctypes.byref(pointer), 1, 0x02 if ipa else 0).decode("utf-8").strip())
        return " | ".join(c for c in clauses if c)
    finally:
        lib.espeak_Terminate()
        import _ctypes

        _ctypes.dlclose(lib._handle)
