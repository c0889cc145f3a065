"""The audio's finish, measured from outside the code that makes it: the MP3s of a real
English build decoded by FFmpeg (PyAV; the product decodes with libsndfile), loudness by
pyloudnorm's own meter, true peak by an FFT oversampler written here; the limiter's gain
read back from its input and output; the ID3 chapters read from the file's bytes."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from mutagen.id3 import ID3

from handoutkit.cli import main

from .conftest import copy_project

HANDOUT = "baclofen-withdrawal"
SITE = 'id = "main-street"\nname = "Main Street Pharmacy"\n'


@pytest.fixture(scope="module")
def english(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The English audio and its warning-signs clip, built with espeak-ng for a site."""
    root = copy_project(tmp_path_factory.mktemp("finish") / "proj")
    (root / "site.toml").write_text(SITE, "utf-8")
    assert main(["--project", str(root), "build", "--lang", "en", "--output", "audio", "--engine", "espeak"]) == 0
    return root / "dist" / "main-street" / HANDOUT / "en"


def mp3s(folder: Path) -> list[Path]:
    return [folder / f"{HANDOUT}-en.mp3", folder / f"{HANDOUT}-en-warning-signs.mp3"]


def decode(path: Path) -> tuple[np.ndarray, int]:
    """The MP3 decoded by FFmpeg's decoder (through PyAV), as float samples, unclipped."""
    import av

    with av.open(str(path)) as container:
        stream = container.streams.audio[0]
        frames = [frame.to_ndarray().reshape(-1) for frame in container.decode(stream)]
        rate = stream.codec_context.sample_rate
    return np.concatenate(frames).astype(np.float64), rate


def lufs(samples: np.ndarray, rate: int) -> float:
    import pyloudnorm

    return float(pyloudnorm.Meter(rate).integrated_loudness(samples.astype(np.float64)))


def true_peak_dbtp(samples: np.ndarray, block: int = 1 << 15, margin: int = 512) -> float:
    """The peak of the signal oversampled 4x by the FFT (band-limited interpolation: the
    spectrum zero-padded to 4 times the length), block by block with margins that are
    thrown away (the FFT treats each block as periodic)."""
    x = samples.astype(np.float64)
    peak = 0.0
    for start in range(0, x.size, block):
        lo, hi = max(0, start - margin), min(x.size, start + block + margin)
        seg = x[lo:hi]
        up = np.fft.irfft(np.fft.rfft(seg), 4 * seg.size) * 4
        keep = up[4 * (start - lo):4 * (min(x.size, start + block) - lo)]
        peak = max(peak, float(np.abs(keep).max()))
    return 20 * np.log10(peak)


def test_the_oversampler_here_finds_a_peak_between_samples() -> None:
    """The test's own measure: a tone at a quarter of the rate, sampled 45 degrees off its
    crests, has samples at 0.707 (-3 dB) and a true peak of 1.0 (0 dBTP)."""
    n = np.arange(8192)
    tone = np.sin(2 * np.pi * n / 4 + np.pi / 4)
    assert 20 * np.log10(np.abs(tone).max()) < -2.9
    assert abs(true_peak_dbtp(tone)) < 0.05


def test_finished_mp3s_are_at_minus_16_lufs_and_under_minus_1_dbtp(english: Path) -> None:
    for path in mp3s(english):
        data, rate = decode(path)
        assert rate == 22050 and data.size > rate * 20, path.name
        assert abs(lufs(data, rate) - -16.0) <= 0.5, (path.name, lufs(data, rate))
        assert true_peak_dbtp(data) <= -1.0, (path.name, true_peak_dbtp(data))


def cut_db(before: np.ndarray, after: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The limiter's cut (dB, >= 0) at each sample loud enough to read it, and where:
    the gain is after / before; the most of it is the make-up gain, uncut."""
    where = np.flatnonzero(np.abs(before) > 1e-3)
    gain = 20 * np.log10(after[where].astype(np.float64) / before[where].astype(np.float64))
    return gain.max() - gain, where


def raw_speech() -> tuple[np.ndarray, int]:
    """espeak-ng's own output, before any finish: peaks near full scale, about -21 LUFS."""
    from handoutkit.languages import language
    from handoutkit.speech.espeak import Espeak

    engine = Espeak()
    parts = [engine.speak(text, language(tag)).samples for tag, text in (
        ("en", "Never stop taking baclofen suddenly. Call 911 if you have a seizure, a high fever, or you feel confused."),
        ("es", "Nunca deje de tomar baclofeno de repente. Llame al 911 si tiene una convulsión o fiebre alta."),
        ("en", "Keep a spare supply at home. Ask your pharmacist before you travel."))]
    engine.close()
    return np.concatenate(parts), 22050


def test_the_limiter_holds_the_ceiling_and_moves_its_gain_smoothly() -> None:
    """Raw speech raised to -16 LUFS needs several dB off its peaks. The gain must go
    down ahead of a peak over some milliseconds, not at once (a click), and come back
    slowly (no pumping): half of any cut still there 50 ms later (a release of 100 ms)."""
    from handoutkit.render.sound import normalise

    speech, rate = raw_speech()
    assert speech.size > rate * 10
    out = normalise(speech, rate)
    assert abs(lufs(out, rate) - -16.0) <= 0.5
    assert true_peak_dbtp(out) <= -2.0  # the ceiling less the MP3 encoder's headroom
    cut, where = cut_db(speech, out)
    assert cut.max() >= 3.0  # the limiter did work here
    t = where / rate
    # attack: between readings less than 2 ms apart, the gain falls 3 dB a millisecond at most
    close = np.diff(t) < 0.002
    assert np.max(np.diff(cut)[close] / np.diff(t)[close]) <= 3000.0
    # release: 50 ms after any cut of 1 dB or more, at least half of it is left
    later = np.searchsorted(where, where + int(0.05 * rate))
    ok = (cut >= 1.0) & (later < where.size)
    ok[ok] &= where[later[ok]] - where[ok] <= int(0.0505 * rate)  # a reading within 0.5 ms of 50 ms later
    assert ok.sum() > 1000
    assert np.all(cut[later[ok]] >= cut[ok] / 2 - 0.01)


def test_an_mp3_decodes_as_loud_as_the_samples_it_was_given(tmp_path: Path) -> None:
    """LAME turns its input down by 0.45 dB unless told otherwise: the MP3, decoded by
    FFmpeg, must be as loud as the finished samples (and still under the ceiling)."""
    from handoutkit.render.sound import normalise, to_mp3_under_ceiling

    speech, rate = raw_speech()
    finished = normalise(speech, rate)
    (tmp_path / "speech.mp3").write_bytes(to_mp3_under_ceiling(finished.copy(), rate))
    decoded, decoded_rate = decode(tmp_path / "speech.mp3")
    assert decoded_rate == rate
    assert abs(lufs(decoded, rate) - lufs(finished, rate)) <= 0.1
    assert true_peak_dbtp(decoded) <= -1.0


def stored_frames(path: Path) -> list[tuple[str, bytes]]:
    """The ID3v2.3 frames as the file stores them: a 10-byte header ("ID3", version 3,
    flags, a syncsafe size), then frames of a 4-byte id, a 4-byte big-endian size and
    2 flag bytes, until the size or the padding."""
    data = path.read_bytes()
    assert data[:3] == b"ID3" and data[3] == 3
    end = 10 + sum((b & 0x7F) << (7 * (3 - i)) for i, b in enumerate(data[6:10]))
    frames, at = [], 10
    while at + 10 <= end and data[at] != 0:
        size = int.from_bytes(data[at + 4:at + 8], "big")
        frames.append((data[at:at + 4].decode("ascii"), data[at + 10:at + 10 + size]))
        at += 10 + size
    assert at <= end
    return frames


def test_chapters_are_stored_in_time_order_and_mutagen_still_reads_the_tag(english: Path) -> None:
    for path in mp3s(english):
        frames = stored_frames(path)
        ids = [fid for fid, _ in frames]
        chapters = [(body[:body.index(b"\0")].decode(), int.from_bytes(body[body.index(b"\0") + 1:][:4], "big"))
                    for fid, body in frames if fid == "CHAP"]
        assert len(chapters) >= 2, path.name
        starts = [start for _id, start in chapters]
        assert all(a < b for a, b in zip(starts, starts[1:], strict=False)), (path.name, chapters)
        assert ids.index("CTOC") < ids.index("CHAP")  # the table of contents first
        assert ids[-len(chapters):] == ["CHAP"] * len(chapters)
        tags = ID3(path)
        assert tags.version[:2] == (2, 3)
        assert [c.element_id for c in tags.getall("CHAP")] == [cid for cid, _ in chapters]
        assert tags.getall("CTOC")[0].child_element_ids == [cid for cid, _ in chapters]
        assert str(tags["TLAN"]) == "eng"
        assert str(tags["TPUB"]) == "Main Street Pharmacy"
        assert str(tags["TIT2"]).startswith("Baclofen")
        assert "espeak-ng" in str(tags.getall("COMM")[0])
