"""Sound helpers: loudness to a target with a true-peak ceiling, and MP3 (its ID3 tag: id3.py).

pyloudnorm measures loudness only; raising speech to -16 LUFS would clip, so
a look-ahead limiter keeps the true peak (4x oversampled) under -1 dBTP.
"""

from __future__ import annotations

from io import BytesIO

import numpy as np

TARGET_LUFS = -16.0
CEILING_DBTP = -1.0
MP3_HEADROOM_DB = 1.0  # kept below the ceiling for the MP3 encoder's overshoot (0.5 dB was passed: 1.1 dB seen in Spanish 1.1)
BITRATE_KBPS = 64
LAME_SCALE = 0.95  # LAME turns its input down by this (-0.45 dB; a tone at 0.5 decodes at 0.475, measured),
                   # and lameenc cannot set it: the samples are handed over that much louder
BLOCK = 1 << 16  # samples per block: memory stays small whatever the length
OVERSAMPLE = 4  # true peak: the signal oversampled 4x (ITU-R BS.1770-4, Annex 2)
REACH = 10  # input samples either side that the 4x interpolation filter reaches
CHUNK = 32  # samples per step of the limiter's gain (1.5 ms at 22050 Hz)
ROWS = 48  # chunks per matrix product: under OpenBLAS's size for threads (with both cores busy,
           # one large product on its threads ran 10 to 20 times slower, measured)
LOOKAHEAD_S = 0.005  # the gain goes down over the 5 ms before a peak...
HOLD_S = 0.010  # ...stays down 10 ms after it (no flutter between the pitch peaks of a vowel)...
RELEASE_S = 0.100  # ...and comes back with a time constant of 100 ms (6 dB of cut is 2.2 dB after 100 ms)

def loudness(samples: np.ndarray, rate: int) -> float:
    """Integrated loudness (ITU-R BS.1770-4, pyloudnorm), in LUFS."""
    import pyloudnorm

    return float(pyloudnorm.Meter(rate).integrated_loudness(samples.astype(np.float64)))


def _speech_loudness(samples: np.ndarray, rate: int) -> float:
    """The same BS.1770-4 measure with pyloudnorm's K-weighting filters, streamed
    block by block: the same number (tests compare) in a fraction of the memory."""
    return _measure(samples, rate)[0]


def _measure(samples: np.ndarray, rate: int) -> tuple[float, np.ndarray]:
    """_speech_loudness, and the K-weighted energy of each CHUNK samples (for the
    normaliser's model of the loudness after limiting), in one pass."""
    import pyloudnorm
    from scipy.signal import sosfilt

    step = _segment(rate)
    # pyloudnorm's two K-weighting stages (shelf, high-pass) as one cascade: one pass, not two
    sos = np.array([np.concatenate([f.b * f.passband_gain, f.a]) for f in pyloudnorm.Meter(rate)._filters.values()])
    state = np.zeros((sos.shape[0], 2))
    energies: list[np.ndarray] = []
    per_chunk = np.zeros(-(-samples.size // CHUNK), dtype=np.float32)
    carry = np.zeros(0)
    for start in range(0, samples.size, BLOCK):
        chunk, state = sosfilt(sos, samples[start:start + BLOCK].astype(np.float64), zi=state)
        chunk **= 2
        tail = -chunk.size % CHUNK
        per_chunk[start // CHUNK:(start + chunk.size + tail) // CHUNK] = np.pad(chunk, (0, tail)).reshape(-1, CHUNK).sum(axis=1)
        chunk = np.concatenate([carry, chunk])
        whole = chunk.size // step * step
        energies.append(chunk[:whole].reshape(-1, step).sum(axis=1))
        carry = chunk[whole:]
    return _gated(np.concatenate(energies) if energies else np.zeros(0), step), per_chunk


def _segment(rate: int) -> int:
    return int(round(rate * 0.1))  # 100 ms: the gating blocks of 400 ms overlap by 75 %


def _gated(segments: np.ndarray, step: int) -> float:
    """BS.1770-4 integrated loudness from the K-weighted energy of each 100 ms."""
    if segments.size < 4:
        return float("-inf")
    z = np.convolve(segments, np.ones(4), mode="valid") / (4 * step)
    with np.errstate(divide="ignore"):
        block = -0.691 + 10 * np.log10(z)
    gated = z[block > -70.0]
    if gated.size == 0:
        return float("-inf")
    relative = -0.691 + 10 * np.log10(gated.mean()) - 10.0
    final = z[(block > -70.0) & (block > relative)]
    return float(-0.691 + 10 * np.log10(final.mean())) if final.size else float("-inf")


def _interpolator() -> tuple[np.ndarray, float, float]:
    """SciPy's resample_poly filter for 4x (a Kaiser-windowed sinc of 81 taps, as
    resample_poly(x, 4, 1) designs it) laid out as a matrix: a window of CHUNK + 2 * REACH
    samples times it gives the CHUNK samples' 4 phases each, in one matrix product. And the
    most the filter can raise a peak: the largest sum of absolute taps of one phase (2.24,
    +7 dB); where a stretch's sample peak times that stays under a level, so does its true
    peak, and it is not computed."""
    global _FILTER
    if _FILTER is None:
        from scipy.signal import firwin

        taps = firwin(2 * REACH * OVERSAMPLE + 1, 1 / OVERSAMPLE, window=("kaiser", 5.0)) * OVERSAMPLE
        most = max(float(np.abs(taps[p::OVERSAMPLE]).sum()) for p in range(OVERSAMPLE))
        # output n + p/4 (n in the chunk) = sum over d of x[n - d] * taps[4d + p + 40]; phase 0
        # is the sample itself (times 1.0006, the centre tap: the others fall on the sinc's zeros)
        matrix = np.zeros((CHUNK + 2 * REACH, CHUNK * (OVERSAMPLE - 1)))
        for n in range(CHUNK):
            for p in range(1, OVERSAMPLE):
                for d in range(-REACH, REACH):
                    matrix[n + REACH - d, (OVERSAMPLE - 1) * n + p - 1] = taps[OVERSAMPLE * (d + REACH) + p]
        _FILTER = (matrix.astype(np.float32), most, float(taps[OVERSAMPLE * REACH]))
    return _FILTER


_FILTER: tuple[np.ndarray, float, float] | None = None


def _chunk_peaks(x: np.ndarray, level: float) -> np.ndarray:
    """Per CHUNK samples of x, the peak of x oversampled 4x (the last chunk padded with
    silence): _peak_blocks gathered (1/32 of the signal's size in memory)."""
    return np.concatenate([peaks for _c0, peaks in _peak_blocks(x, level)] or [np.zeros(0, dtype=np.float32)])


def _peak_blocks(x: np.ndarray, level: float):
    """(first chunk, peaks) block by block: the peak of x oversampled 4x per CHUNK samples.
    Computed only for the chunks whose sample peak (with the neighbours the filter reaches)
    could take it over level, about a quarter of speech at -16 LUFS; for the others the
    bound is given, which is not over level."""
    from numpy.lib.stride_tricks import sliding_window_view

    matrix, most, centre = _interpolator()
    chunks = -(-x.size // CHUNK)
    per_block = BLOCK // CHUNK
    for c0 in range(0, chunks, per_block):
        count = min(per_block, chunks - c0)
        lo = (c0 - 1) * CHUNK  # one chunk of context either side (CHUNK >= REACH), silence past the ends
        seg = np.zeros((count + 2) * CHUNK, dtype=np.float32)
        a, b = max(0, lo), min(x.size, lo + seg.size)
        seg[a - lo:b - lo] = x[a:b]
        near = np.abs(seg).reshape(-1, CHUNK).max(axis=1)
        out = np.maximum(np.maximum(near[:-2], near[1:-1]), near[2:]) * np.float32(most)
        loud = np.flatnonzero(out > level)
        if loud.size:
            windows = sliding_window_view(seg, CHUNK + 2 * REACH)
            between = np.empty(loud.size, dtype=np.float32)
            for i in range(0, loud.size, ROWS):  # small products: OpenBLAS keeps them on one thread
                rows = windows[(loud[i:i + ROWS] + 1) * CHUNK - REACH]
                between[i:i + ROWS] = np.abs(rows @ matrix).max(axis=1)
            out[loud] = np.maximum(between, near[1:-1][loud] * np.float32(centre))
        yield c0, out


def true_peak(samples: np.ndarray) -> float:
    """Peak of the signal 4x oversampled (SciPy's resample_poly filter), as a linear value.
    Only the stretches whose sample peak could reach the loudest are oversampled."""
    x = samples.astype(np.float32, copy=False)
    if x.size == 0:
        return 0.0
    loudest = max(float(np.abs(x[s:s + BLOCK]).max()) for s in range(0, x.size, BLOCK))
    # the loudest sample's own chunk is computed (its phase 0 is the sample itself), so the
    # chunks left at their bound (at most 0.999 of it) cannot hold the peak
    return max(float(peaks.max()) for _c0, peaks in _peak_blocks(x, 0.999 * loudest))


def _gain_blocks(peaks: np.ndarray, ceiling: float, rate: int, makeup_db: float = 0.0):
    """The limiter's gain in dB, one value per chunk, from each chunk's true peak (raised
    by makeup_db), yielded block by block as (first chunk, gains). In arrays: the gain each
    chunk needs, the least of it over the hold behind and the look-ahead in front (one
    chunk more either side: the gain between two chunk centres is drawn as a straight
    line); a release with a time constant of RELEASE_S (a running maximum of the log of
    the cut, less a ramp, carried from block to block); a moving average over the
    look-ahead, so that the gain goes down smoothly before a peak. Never lower than any
    chunk in reach needs; memory: a block at a time."""
    from scipy.ndimage import minimum_filter1d

    step = CHUNK / rate
    ahead = max(1, int(np.ceil(LOOKAHEAD_S / step)))
    hold = max(0, int(round(HOLD_S / step)))
    width = hold + ahead + 3  # chunks [j - hold - 1, j + ahead + 1]
    fall = -step / RELEASE_S  # release: the cut's depth (dB) times exp(fall) a chunk at most
    level = np.float32(ceiling / 10 ** (makeup_db / 20))
    per_block = BLOCK // CHUNK
    before = -np.inf  # log of the cut's depth at the chunk before the block
    tail = None  # the released gains of the `ahead` chunks before the block
    for c0 in range(0, peaks.size, per_block):
        c1 = min(peaks.size, c0 + per_block)
        reach = peaks[np.clip(np.arange(c0 - hold - 1, c1 + ahead + 1), 0, peaks.size - 1)]
        with np.errstate(divide="ignore"):
            need = np.minimum(0.0, 20 * np.log10(level / np.maximum(reach, np.float32(1e-9)), dtype=np.float64))
        held = minimum_filter1d(need, width)[width // 2:width // 2 + c1 - c0]  # the least over each window
        with np.errstate(divide="ignore"):
            depth = np.log(-held)
        ramp = np.arange(1, depth.size + 1) * fall
        depth = np.maximum(np.maximum.accumulate(depth - ramp), before) + ramp  # depth[j] >= depth[j - 1] e^fall
        before = float(depth[-1])
        released = -np.exp(depth)
        if tail is None:
            tail = np.full(ahead, released[0])
        padded = np.concatenate([tail, released])
        tail = padded[-ahead:]
        yield c0, np.convolve(padded, np.full(ahead + 1, 1 / (ahead + 1)), mode="valid").astype(np.float32)


def limit(samples: np.ndarray, rate: int, ceiling_db: float = CEILING_DBTP, in_place: bool = False) -> np.ndarray:
    """A look-ahead limiter: the true peak (4x oversampled) stays under the ceiling less
    MP3_HEADROOM_DB. The gain is drawn per chunk of CHUNK samples (_gain_blocks) and
    applied block by block. With in_place the samples are changed where they lie, once
    every chunk's peak has been read."""
    ceiling = 10 ** ((ceiling_db - MP3_HEADROOM_DB) / 20)
    x = samples.astype(np.float32, copy=not in_place)
    if x.size == 0:
        return x
    peaks = _chunk_peaks(x, ceiling)
    if float(peaks.max()) > ceiling:
        _apply(x, _gain_blocks(peaks, ceiling, rate))
    return x


def _apply(x: np.ndarray, blocks, makeup_db: float = 0.0) -> None:
    """Multiply x, in place and block by block, by a gain given in dB per chunk (blocks of
    (first chunk, gains), plus makeup_db), drawn as straight lines between the chunks'
    centres (linear gain)."""
    centre = (np.arange(CHUNK, dtype=np.float32) - np.float32((CHUNK - 1) / 2)) / np.float32(CHUNK)
    before, after = np.maximum(-centre, 0), np.maximum(centre, 0)  # how far towards each neighbour
    last = None  # the gain of the chunk before the pending block
    pending = None  # (first chunk, gains): drawn once the next block's first gain is known

    def draw(c0: int, gain: np.ndarray, following: np.ndarray) -> None:
        g = np.concatenate([gain[:1] if last is None else last, gain, following])
        mid, prev, nxt = g[1:-1], g[:-2], g[2:]
        curve = mid[:, None] + (prev - mid)[:, None] * before + (nxt - mid)[:, None] * after
        start = c0 * CHUNK
        n = min(x.size - start, curve.size)
        x[start:start + n] *= curve.reshape(-1)[:n]

    for c0, curve_db in blocks:
        gain = 10 ** ((curve_db + np.float32(makeup_db)) / np.float32(20))
        if pending is not None:
            draw(*pending, gain[:1])
            last = pending[1][-1:]
        pending = (c0, gain)
    if pending is not None:
        draw(*pending, pending[1][-1:])


def _solve_gain(current: float, energy: np.ndarray, peaks: np.ndarray, ceiling: float, rate: int,
                target: float, size: int) -> float:
    """The gain (dB) that brings the limited sound to the target loudness, found on the
    chunks alone: for a trial gain, the limiter's curve from the chunks' peaks, and the
    loudness from the chunks' K-weighted energy times the squared gain (the gain changes
    slowly next to the K-weighting filters, so filtering and gain commute closely). A few
    secant steps; the loudness grows with the gain."""
    step = _segment(rate)
    segments = size // step  # whole ones: a last, shorter stretch is not measured

    def model(gain_db: float) -> float:
        sums = np.zeros(segments + 1)
        for c0, curve in _gain_blocks(peaks, ceiling, rate, gain_db):
            where = np.minimum(np.arange(c0, c0 + curve.size) * CHUNK // step, segments)
            weights = energy[c0:c0 + curve.size] * 10 ** ((curve + np.float32(gain_db)) / np.float32(10))
            sums[where[0]:where[-1] + 1] += np.bincount(where - where[0], weights)
        return _gated(sums[:segments], step) - target

    low, high = target - current, None  # low: the gain without limiting, never too much
    x0 = low
    f0 = model(x0)
    best = (abs(f0), x0)
    if not np.isfinite(f0):
        return x0
    x1 = x0 - f0  # first step: as if the limiter took no more than it does at x0
    for _ in range(8):
        if best[0] < 0.02:
            break
        f1 = model(x1)
        if not np.isfinite(f1):  # nothing over the gates: keep the best so far
            break
        if abs(f1) < best[0]:
            best = (abs(f1), x1)
        if f1 < 0:
            low = max(low, x1)
        else:
            high = x1 if high is None else min(high, x1)
        slope = (f1 - f0) / (x1 - x0) if x1 != x0 else 1.0
        guess = x1 - f1 / slope if slope > 0.05 else x1 - f1
        if high is not None and not low < guess < high:
            guess = (low + high) / 2
        x0, f0, x1 = x1, f1, guess
    return best[1]


def normalise(samples: np.ndarray, rate: int, target: float = TARGET_LUFS, in_place: bool = False) -> np.ndarray:
    """Gain to the target loudness, limited. The gain is solved on the chunks (_solve_gain)
    and applied once with the limiter's curve; the loudness is then measured again, and a
    rare miss by more than 0.15 LU is closed with one more gain and limiting.
    With in_place the caller's array is scaled where it lies (no second copy)."""
    out = samples.astype(np.float32, copy=not in_place)
    if out.size < rate // 2 or not np.any(out):
        return out
    current, energy = _measure(out, rate)
    if np.isfinite(current) and abs(current - target) >= 0.15:
        ceiling = 10 ** ((CEILING_DBTP - MP3_HEADROOM_DB) / 20)
        # peaks computed wherever 12 dB more than the plain gain could reach the ceiling
        peaks = _chunk_peaks(out, ceiling / 10 ** ((target - current + 12) / 20))
        gain_db = _solve_gain(current, energy, peaks, ceiling, rate, target, out.size)
        del energy
        _apply(out, _gain_blocks(peaks, ceiling, rate, gain_db), gain_db)
        del peaks
        current = _speech_loudness(out, rate)
        if np.isfinite(current) and abs(current - target) >= 0.15:
            out *= np.float32(10 ** ((target - current) / 20))
            limit(out, rate, in_place=True)
    ceiling = 10 ** ((CEILING_DBTP - MP3_HEADROOM_DB) / 20)
    peak = true_peak(out)
    if peak > ceiling:
        out *= np.float32(ceiling / peak * 0.999)  # rare: the limiter already holds the ceiling
    return out


def to_mp3(samples: np.ndarray, rate: int) -> bytes:
    """16-bit MP3, encoded block by block (LAME gives the same bytes as in one call), decoding
    at the level of the samples (LAME_SCALE)."""
    import lameenc

    encoder = lameenc.Encoder()
    encoder.set_bit_rate(BITRATE_KBPS)
    encoder.set_in_sample_rate(rate)
    encoder.set_channels(1)
    encoder.set_quality(5)  # LAME's 'good' preset: half the time of 2, no audible loss for speech at 64 kbps
    parts = []
    for start in range(0, samples.size, BLOCK):
        scaled = samples[start:start + BLOCK] * np.float32(32767 / LAME_SCALE)
        np.round(scaled, out=scaled)
        np.clip(scaled, -32768, 32767, out=scaled)
        parts.append(bytes(encoder.encode(scaled.astype("<i2").tobytes())))
    parts.append(bytes(encoder.flush()))
    return b"".join(parts)


def to_mp3_under_ceiling(samples: np.ndarray, rate: int, ceiling_db: float = CEILING_DBTP) -> bytes:
    """An MP3 whose decoded sound keeps the true-peak ceiling. LAME's filtering can raise
    the peak by half a dB over the limited input, so the MP3 is decoded and measured; when
    it went over, the samples are turned down (in place) by the excess and encoded again."""
    import soundfile

    ceiling = 10 ** (ceiling_db / 20)
    for _ in range(3):
        mp3 = to_mp3(samples, rate)
        decoded, _rate = soundfile.read(BytesIO(mp3), dtype="float32")
        peak = true_peak(decoded)
        del decoded
        if peak <= ceiling:
            break
        samples *= np.float32(ceiling / peak * 0.995)
    return mp3
