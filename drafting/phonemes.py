"""espeak-ng 1.52's phonemes for a text: python3 phonemes.py <voice> "text"."""
import ctypes, sys
sys.path.insert(0, "/work/main")
import espeakng_loader  # noqa: E402
lib = ctypes.CDLL(espeakng_loader.get_library_path())
lib.espeak_Initialize.restype = ctypes.c_int
lib.espeak_Initialize(2, 0, espeakng_loader.get_data_path().encode(), 0)
if lib.espeak_SetVoiceByName(sys.argv[1].encode()) != 0:
    sys.exit(f"no espeak-ng voice {sys.argv[1]}")
lib.espeak_TextToPhonemes.restype = ctypes.c_char_p
lib.espeak_TextToPhonemes.argtypes = [ctypes.POINTER(ctypes.c_void_p), ctypes.c_int, ctypes.c_int]
text = ctypes.create_string_buffer(sys.argv[2].encode("utf-8"))
ptr = ctypes.c_void_p(ctypes.addressof(text))
out = []
while ptr.value:
    got = lib.espeak_TextToPhonemes(ctypes.byref(ptr), 1, 2)
    if got:
        out.append(got.decode("utf-8", "replace"))
print(" ".join(out))
