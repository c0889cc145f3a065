"""gTTS against a local server that answers like Google's endpoint: success,
throttling, no network. The real service is tried only when marked 'network'."""

from __future__ import annotations

import base64
import http.server
import json
import re
import shutil
import threading
import time
from pathlib import Path

import lameenc
import numpy as np
import pytest
from mutagen.id3 import ID3

from handoutkit.languages import language
from handoutkit.speech import SpeechError
from handoutkit.speech.online import ENDPOINT_ENV, THROTTLE_ENV, Online

from .conftest import ProjectCopy


def tone_mp3(seconds: float = 0.6, rate: int = 24000, pitch: float = 220.0) -> bytes:
    """An MP3 of a sine tone: what the fake service sends back."""
    t = np.arange(int(seconds * rate)) / rate
    pcm = (np.sin(2 * np.pi * pitch * t) * 0.3 * 32767).astype("<i2").tobytes()
    enc = lameenc.Encoder()
    enc.set_bit_rate(32)
    enc.set_in_sample_rate(rate)
    enc.set_channels(1)
    return bytes(enc.encode(pcm) + enc.flush())


class FakeGoogle:
    """Answers the batchexecute POST the way translate.google.com does: with a tone, or with
    what ``speak`` makes of the text asked (an MP3)."""

    def __init__(self, fail_first: int = 0, status: int = 429, speak=None):
        self.requests = 0
        self.fail_first = fail_first
        self.status = status
        self.speak = speak
        owner = self

        def asked(body: bytes) -> str:
            """The text of gTTS's request: f.req=[[["jQ1olc", "[text, lang, speed, \"null\"]", null, "generic"]]]."""
            from urllib.parse import parse_qs

            rpc = json.loads(parse_qs(body.decode())["f.req"][0])
            return json.loads(rpc[0][0][1])[0]

        def answer(number: int, body: bytes) -> bytes:
            """Each answer is a tone of its own pitch: audio asked again never equals audio kept."""
            mp3 = owner.speak(asked(body)) if owner.speak else tone_mp3(pitch=200.0 + 10 * (number % 40))
            payload = json.dumps([base64.b64encode(mp3).decode()])
            line = json.dumps([["wrb.fr", "jQ1olc", payload, None, None, None, "generic"]], separators=(",", ":"))
            return (")]}'\n\n123\n" + line).encode()

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_HEAD(self) -> None:  # noqa: N802
                self.send_response(200)
                self.end_headers()

            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                owner.requests += 1
                if owner.requests <= owner.fail_first:
                    self.send_response(owner.status)
                    self.end_headers()
                    return
                body = answer(owner.requests, body)
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()


@pytest.fixture
def google(monkeypatch: pytest.MonkeyPatch):
    server = FakeGoogle()
    monkeypatch.setenv(ENDPOINT_ENV, server.url)
    monkeypatch.setenv(THROTTLE_ENV, "0")
    yield server
    server.close()


def closed_port() -> str:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{s.getsockname()[1]}"


def test_speech_comes_back_decoded_and_cached(google: FakeGoogle, tmp_path: Path) -> None:
    engine = Online(tmp_path / "cache", backoff=0.01)
    speech = engine.speak("Tiene fiebre alta.", language("es"))
    assert speech.samples.size > 0.5 * speech.rate  # decoded PCM of the MP3 the service sent
    assert google.requests == 1
    assert len(list((tmp_path / "cache").glob("*.mp3"))) == 1
    again = engine.speak("Tiene fiebre alta.", language("es"))
    assert google.requests == 1  # from the cache
    assert np.array_equal(again.samples, speech.samples)


def test_a_429_is_retried_with_backoff(google: FakeGoogle, tmp_path: Path) -> None:
    google.fail_first = 2
    engine = Online(tmp_path / "cache", backoff=0.01)
    assert engine.speak("Hola.", language("es")).samples.size > 0
    assert google.requests == 3


def test_persistent_refusal_is_a_clear_error_and_leaves_no_file(google: FakeGoogle, tmp_path: Path) -> None:
    google.fail_first, google.status = 99, 403
    engine = Online(tmp_path / "cache", backoff=0.01)
    with pytest.raises(SpeechError, match="HTTP 403"):
        engine.speak("Hola.", language("es"))
    assert not list((tmp_path / "cache").glob("*"))


def test_no_network_fails_fast_and_leaves_no_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(ENDPOINT_ENV, closed_port())
    engine = Online(tmp_path / "cache", backoff=0.01)
    assert engine.reachable() is False
    with pytest.raises(SpeechError, match="no connection"):
        engine.speak("Hola.", language("es"))
    assert not (tmp_path / "cache").exists() or not list((tmp_path / "cache").glob("*"))


def cache_files(root: Path) -> dict[str, tuple[bytes, int]]:
    """Every file of the gTTS cache: its bytes and modification time."""
    folder = root / ".cache" / "gtts"
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(folder.iterdir())}


def test_build_with_gtts_then_rebuild_from_cache(google: FakeGoogle, project_es: ProjectCopy) -> None:
    """The audio is made again (its files are rewritten), every word from the cache: nothing
    is asked, no cache file is touched, and the MP3 is the same bytes."""
    run = ("build", "--output", "audio", "--lang", "es", "--engine", "gtts", "--json")
    result = project_es.run(*run)
    assert result.code == 0, result.err
    folder = project_es.root / "dist" / "baclofen-withdrawal" / "es"
    mp3, vtt = folder / "baclofen-withdrawal-es.mp3", folder / "baclofen-withdrawal-es.vtt"
    first, asked, cached = mp3.read_bytes(), google.requests, cache_files(project_es.root)
    assert asked >= len(cached) > 10  # one file kept per text spoken (gTTS asks for a long text in pieces)
    assert "Spoken by gTTS" in str(ID3(mp3).getall("COMM")[0]) and "Spoken by gTTS" in vtt.read_text()
    vtt_written = vtt.stat().st_mtime_ns
    mp3.unlink()  # so the audio must be made again, not found up to date
    time.sleep(0.01)
    result = project_es.run(*run)
    assert result.code == 0, result.err
    assert [(r["language"], r["output"], r["status"]) for r in json.loads(result.out)] == [("es", "audio", "built")]
    assert vtt.stat().st_mtime_ns > vtt_written  # the transcript was written again: the audio was re-rendered
    assert google.requests == asked  # nothing asked again
    assert cache_files(project_es.root) == cached  # every answer read, none rewritten
    assert mp3.read_bytes() == first
    # without the cache the same rebuild asks again, and the new answers differ
    shutil.rmtree(project_es.root / ".cache" / "gtts")
    mp3.unlink()
    assert project_es.run(*run).code == 0
    assert google.requests == 2 * asked and mp3.read_bytes() != first


def test_without_network_auto_speaks_offline_and_gtts_fails_clearly(
    monkeypatch: pytest.MonkeyPatch, project_es: ProjectCopy
) -> None:
    monkeypatch.setenv(ENDPOINT_ENV, closed_port())
    result = project_es.run("build", "--output", "audio", "--lang", "es")
    assert result.code == 0 and "espeak-ng" in result.out
    folder = project_es.root / "dist" / "baclofen-withdrawal" / "es"
    (folder / "baclofen-withdrawal-es.mp3").unlink()
    result = project_es.run("build", "--output", "audio", "--lang", "es", "--engine", "gtts")
    assert result.code == 1
    assert "gTTS is not reachable" in result.err and "Traceback" not in result.err
    assert not (folder / "baclofen-withdrawal-es.mp3").exists()
    assert not [p for p in folder.iterdir() if p.stat().st_size == 0]


@pytest.mark.network
def test_real_gtts_when_online(tmp_path: Path) -> None:
    engine = Online(tmp_path / "cache")
    if not engine.reachable():
        pytest.skip("offline: Google Translate is not reachable from here")
    assert engine.speak("Hello.", language("en")).samples.size > 0


def espeak_has_voice(name: str) -> bool:
    """Asked of the espeak-ng library itself, not of handoutkit's table."""
    import ctypes

    import espeakng_loader

    lib = ctypes.CDLL(espeakng_loader.get_library_path())
    lib.espeak_Initialize.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_int]
    lib.espeak_Initialize(2, 0, espeakng_loader.get_data_path().encode(), 0)
    lib.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
    return lib.espeak_SetVoiceByName(name.encode()) == 0


@pytest.fixture
def no_voice(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> ProjectCopy:
    from .conftest import copy_project

    monkeypatch.delenv("HANDOUTKIT_DIST", raising=False)
    return ProjectCopy(copy_project(tmp_path / "proj", ("tl", "so")), capsys)


def test_status_says_which_languages_have_no_offline_voice(no_voice: ProjectCopy) -> None:
    assert not espeak_has_voice("tl") and not espeak_has_voice("so") and espeak_has_voice("en-us")
    lines = no_voice.run("status").out.splitlines()
    row = {tag: next(x for x in lines if f" {tag} " in x) for tag in ("en", "tl", "so")}
    assert "offline" in row["en"]
    assert "online only" in row["tl"] and "offline" not in row["tl"]
    assert "no voice" in row["so"] and "offline" not in row["so"]


def test_a_page_without_audio_shows_no_player_nor_an_audio_heading(no_voice: ProjectCopy, monkeypatch) -> None:
    from html.parser import HTMLParser

    monkeypatch.setenv(ENDPOINT_ENV, closed_port())
    assert no_voice.run("build", "--output", "audio", "--output", "web", "--lang", "tl").code == 0

    class Page(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.tags: list[str] = []
            self.headings: list[str] = []
            self._in: str | None = None

        def handle_starttag(self, tag: str, attrs) -> None:
            self.tags.append(tag)
            self._in = tag if tag in ("h1", "h2", "h3") else None

        def handle_data(self, data: str) -> None:
            if self._in and data.strip():
                self.headings.append(data.strip())

    page = Page()
    page.feed((no_voice.root / "dist" / "baclofen-withdrawal" / "tl" / "index.html").read_text("utf-8"))
    assert "audio" not in page.tags and not list((no_voice.root / "dist" / "baclofen-withdrawal" / "tl").glob("*.mp3"))
    po = (no_voice.root / "locales" / "tl" / "LC_MESSAGES" / "templates.po").read_text("utf-8")
    transcript = re.search(r'msgid "Transcript"\nmsgstr "(.*)"', po).group(1)  # the heading as the translator wrote it
    parts = re.search(r'msgid "Parts of the audio"\nmsgstr "(.*)"', po).group(1)
    assert transcript not in page.headings and parts not in page.headings, page.headings
    assert len(page.headings) > 5  # the sections are there, under the title


def test_online_tagalog_is_spoken_by_gtts_and_somali_by_nothing(google: FakeGoogle, no_voice: ProjectCopy) -> None:
    result = no_voice.run("build", "--output", "audio", "--lang", "tl", "--lang", "so")
    assert result.code == 0, result.err
    folder = no_voice.root / "dist" / "baclofen-withdrawal"
    mp3 = folder / "tl" / "baclofen-withdrawal-tl.mp3"
    assert "Spoken by gTTS" in str(ID3(mp3).getall("COMM")[0]) and google.requests > 0
    asked = google.requests
    assert re.search(r"no voice\s+baclofen-withdrawal so audio", result.out)
    assert not (folder / "so").exists() or not list((folder / "so").glob("*.mp3"))
    assert google.requests == asked  # nothing was sent to be spoken in another language's voice


class StandIn:
    """Real speech made offline for the fake service: espeak-ng (the packaged library, voice 'id',
    which reads Tagalog's Latin letters plainly) at a rate of its own, resampled to 24 kHz and sent
    as a 32 kbps MP3, as Google's voice comes. Not Google's voice: a stand-in with a known, wrong pace."""

    def __init__(self, rate: int):
        self.rate = rate
        self.pitches: list[float] = []

    def __call__(self, text: str) -> bytes:
        from dataclasses import replace

        from scipy.signal import resample_poly

        from handoutkit.speech.espeak import Espeak

        voice = replace(language("tl"), espeak="id", pace=(("espeak", float(self.rate)),))
        engine = Espeak()
        try:
            speech = engine.speak(text, voice)
        finally:
            engine.close()
        pcm = resample_poly(speech.samples.astype(np.float64), 160, 147) if speech.rate == 22050 else speech.samples
        enc = lameenc.Encoder()
        enc.set_bit_rate(32)
        enc.set_in_sample_rate(24000 if speech.rate == 22050 else speech.rate)
        enc.set_channels(1)
        return bytes(enc.encode((np.clip(pcm, -1, 1) * 32767).astype("<i2").tobytes()) + enc.flush())


def pitch(samples: np.ndarray, rate: int) -> float:
    """The median pitch (Hz) of the loud 40 ms frames, by autocorrelation (70 to 400 Hz)."""
    frame, found = int(0.04 * rate), []
    lo, hi = int(rate / 400), int(rate / 70)
    for start in range(0, samples.size - frame, frame):
        part = samples[start:start + frame].astype(np.float64)
        if np.sqrt(np.mean(part ** 2)) < 0.05:
            continue
        part -= part.mean()
        corr = np.correlate(part, part, "full")[frame - 1:]
        found.append(rate / (lo + int(np.argmax(corr[lo:hi]))))
    return float(np.median(found))


@pytest.mark.parametrize(("stand_in_rate", "within_reach"), [  # make test: a fast voice; make check-all: all three
    (230, True), pytest.param(135, True, marks=pytest.mark.sweep), pytest.param(105, False, marks=pytest.mark.sweep)])
def test_gtts_tagalog_is_fitted_to_a_patients_pace(monkeypatch: pytest.MonkeyPatch, no_voice: ProjectCopy,
                                                   stand_in_rate: int, within_reach: bool) -> None:
    """gTTS has no rate control: the Tagalog audio is fitted after synthesis. The fake service speaks
    each text asked with espeak-ng far too fast (230: about 180 words a minute) or too slow (135: about
    110); the built audio must still keep a patient's pace, measured here as the README says, from the
    files alone: the words of the WebVTT cues (chapter cues excluded) over the MP3's whole length as
    decoded, 140 to 150 a minute. A voice slower than the fit may speed up (105: about 87 words a
    minute, 1.4 times as fast at most) stays slower, and its transcript says so. Either way the cues
    and chapters follow the stretched speech (speech inside every cue, silence in the pauses between
    them), and the pitch stays the stand-in's."""
    import soundfile

    from .test_audio import rms, vtt_cues

    stand_in = StandIn(stand_in_rate)
    server = FakeGoogle(speak=stand_in)
    monkeypatch.setenv(ENDPOINT_ENV, server.url)
    monkeypatch.setenv(THROTTLE_ENV, "0")
    try:
        result = no_voice.run("build", "--output", "audio", "--lang", "tl", "--engine", "gtts")
    finally:
        server.close()
    assert result.code == 0, result.err
    folder = no_voice.root / "dist" / "baclofen-withdrawal" / "tl"
    mp3, vtt = folder / "baclofen-withdrawal-tl.mp3", folder / "baclofen-withdrawal-tl.vtt"
    cues = vtt_cues(vtt)
    said = [(start, end, text) for ident, start, end, text in cues if not ident.startswith("chapter-")]
    words = sum(len(re.sub(r"</?lang[^>]*>", " ", text).split()) for _s, _e, text in said)
    data, rate = soundfile.read(mp3, dtype="float32")
    minutes = data.size / rate / 60
    note = vtt.read_text("utf-8").split("\n")[2]
    if within_reach:
        assert 140 <= words / minutes <= 150, f"{words / minutes:.1f} words a minute"
    else:  # as near as the fit may go, and said
        assert 115 <= words / minutes < 140 and "1.400 times as fast" in note and "the most the fit allows" in note, note
    # what the service sent, decoded from the gTTS cache: the stand-in's own pace was far off
    served = [soundfile.read(p, dtype="float32")[0] for p in sorted((no_voice.root / ".cache" / "gtts").glob("*.mp3"))]
    served_minutes = sum(s.size for s in served) / 24000 / 60
    assert len(served) == len(said)
    assert not 140 <= words / (served_minutes + (minutes - sum(e - s for s, e, _t in said) / 60)) <= 150
    # the cue times follow the stretched audio: speech inside every cue, silence between cues
    for start, end, text in said:
        assert rms(data[int(start * rate):int(end * rate)]) > 0.02, f"no speech in the cue {text[:40]!r}"
    for (_s0, end, _t0), (start, _e1, _t1) in zip(said[:-1], said[1:], strict=True):
        if start - end >= 0.3:
            assert rms(data[int((end + 0.1) * rate):int((start - 0.1) * rate)]) < 0.003, f"sound in the pause at {end:.2f} s"
    assert said[-1][1] <= data.size / rate + 0.05
    chapters = {f"chapter-{c.element_id}": (c.start_time, c.end_time) for c in ID3(mp3).getall("CHAP")}
    for ident, start, end, _text in cues:
        if ident.startswith("chapter-"):
            assert abs(chapters[ident][0] - start * 1000) <= 1 and abs(chapters[ident][1] - end * 1000) <= 1
    # time-stretched, not resampled: the voice's pitch is the stand-in's
    heard, own = pitch(data, rate), pitch(np.concatenate(served), 24000)
    assert abs(heard / own - 1) < 0.06, (heard, own)
