"""gTTS: natural online speech, made safe to depend on.

gTTS has no timeout by default, leaves a 0-byte file when it fails and may be
throttled (429). Here every request has a timeout, 429 and connection errors
are retried with backoff, requests are spaced out, and every answer is kept in
a cache outside dist/ keyed by text, language and options, so a rebuild asks
Google nothing and changes no bytes. Audio comes back as MP3 and is decoded
to PCM so the rest of the chain is the same for every engine.

gTTS has no rate control but 'slow' (a pace of Google's choosing), so the voice is
always asked at its own pace, and the audio output measures that pace once the handout
is spoken and stretches the speech to the pace wanted, 'normal' or 'slow'
(speech/pace.py, render/audio.py).
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from io import BytesIO
from pathlib import Path

from ..languages import Language
from . import Speech, SpeechError

ENDPOINT_ENV = "HANDOUTKIT_GTTS_ENDPOINT"  # e.g. a proxy or a local test server: http://127.0.0.1:8765
THROTTLE_ENV = "HANDOUTKIT_GTTS_THROTTLE"  # seconds between requests (default 0.5)


def _endpoint() -> str | None:
    return os.environ.get(ENDPOINT_ENV) or None


class Online:
    name = "gtts"
    rate_control = False  # the pace is fitted after synthesis

    def __init__(self, cache_dir: Path, timeout: float = 10.0, retries: int = 3, backoff: float = 1.0,
                 throttle: float | None = None):
        self.cache_dir = cache_dir
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self.throttle = float(os.environ.get(THROTTLE_ENV, "0.5")) if throttle is None else throttle
        self._last_request = 0.0
        self._reachable: bool | None = None

    @staticmethod
    def _code(language: Language) -> tuple[str, str] | None:
        """(gTTS language code, Google domain) from the language's row: 'pt@com.br' -> ('pt', 'com.br')."""
        if not language.gtts:
            return None
        code, _at, tld = language.gtts.partition("@")
        return code, tld or "com"

    def voice(self, language: Language) -> str | None:
        found = self._code(language)
        return f"{found[0]}@{found[1]}" if found else None

    def describe(self, language: Language) -> str:
        return f"gTTS (Google Translate voice {self.voice(language)})"

    def reachable(self) -> bool:
        """One quick probe per build, made only when some audio must be spoken."""
        if self._reachable is None:
            import requests

            url = _endpoint() or "https://translate.google.com/"
            try:
                requests.head(url, timeout=min(self.timeout, 3.0), allow_redirects=False)
                self._reachable = True
            except requests.RequestException:
                self._reachable = False
        return self._reachable

    def _key(self, text: str, code: str, tld: str, slow: bool) -> str:
        import gtts

        blob = json.dumps([text, code, tld, slow, gtts.__version__], ensure_ascii=False)
        return hashlib.sha256(blob.encode()).hexdigest()

    def _request(self, text: str, code: str, tld: str, slow: bool) -> bytes:
        import gtts.tts
        from gtts import gTTS, gTTSError

        endpoint = _endpoint()
        original = gtts.tts._translate_url
        if endpoint:
            gtts.tts._translate_url = lambda tld="com", path="": f"{endpoint.rstrip('/')}/{path}"
        try:
            delay = self.backoff
            for attempt in range(self.retries + 1):
                wait = self.throttle - (time.monotonic() - self._last_request)
                if wait > 0:
                    time.sleep(wait)
                self._last_request = time.monotonic()
                buf = BytesIO()
                try:
                    gTTS(text, lang=code, tld=tld, slow=slow, lang_check=False, timeout=self.timeout).write_to_fp(buf)
                    return buf.getvalue()
                except gTTSError as exc:
                    status = getattr(getattr(exc, "rsp", None), "status_code", None)
                    # throttled or a passing server fault: back off and retry; no
                    # connection at all: one quick retry, then fail fast
                    retry = status in (429, 500, 502, 503, 504) or (status is None and attempt == 0)
                    if not retry or attempt == self.retries:
                        why = f"HTTP {status}{', too many requests' if status == 429 else ''}" if status else "no connection"
                        raise SpeechError(f"gTTS failed ({why}) after {attempt + 1} tries") from None
                time.sleep(delay)
                delay *= 2
        finally:
            gtts.tts._translate_url = original
        raise SpeechError("gTTS failed")

    def speak(self, text: str, language: Language, rate: str = "normal") -> Speech:
        import numpy as np
        import soundfile

        found = self._code(language)
        if not found:
            raise SpeechError(f"gTTS has no voice for {language.name_en} ({language.tag})")
        code, tld = found
        slow = False  # the voice's own pace, whatever the rate: the audio output fits it (render/audio.py, _fit)
        path = self.cache_dir / f"{self._key(text, code, tld, slow)}.mp3"
        if path.is_file():
            mp3 = path.read_bytes()
        else:
            mp3 = self._request(text, code, tld, slow)
            if not mp3:
                raise SpeechError("gTTS returned no audio")
            from ..files import write_atomic

            write_atomic(path, mp3)
        try:
            data, sr = soundfile.read(BytesIO(mp3), dtype="float32")
        except Exception as exc:  # a broken answer: drop it from the cache
            path.unlink(missing_ok=True)
            raise SpeechError(f"gTTS answer is not audio ({exc})") from None
        if data.ndim > 1:
            data = data.mean(axis=1)
        return Speech(np.asarray(data, dtype=np.float32), int(sr))
