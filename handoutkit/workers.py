"""What runs in worker processes: kept light, so a worker imports only the
renderer it needs (not the catalog and build machinery)."""

from __future__ import annotations

from pathlib import Path

from .errors import HandoutkitError
from .limits import limit_memory, out_of_memory, worker_memory
from .model import LocalizedHandout
from .options import AudioOptions, PdfOptions

_RENDERER = None
M_MMAP_THRESHOLD = -3  # glibc's mallopt parameter


def start_worker() -> None:
    """Run once in each worker: its memory is bounded (limits.py), and large blocks
    (audio, page images) are mapped on their own and given back to the system when
    freed. Otherwise glibc raises its threshold after the first large free, and a
    worker that has spoken three languages holds the heap of all three."""
    import ctypes
    import ctypes.util

    limit_memory(worker_memory())

    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.mallopt(M_MMAP_THRESHOLD, 256 * 1024)
    except (OSError, AttributeError):  # not glibc: nothing to tune
        pass


def render_pdf(templates_dir: Path, doc: LocalizedHandout, options: PdfOptions, where: str):
    """One PDF (in a worker, or in-process with one job): (bytes, [], None) or (None, [], error)."""
    global _RENDERER
    try:
        try:  # WeasyPrint first: under the worker's memory limit, its C libraries may fail as they load
            from . import fetcher  # noqa: F401  (imports WeasyPrint)
            from .render.pdf import PdfRenderer
        except SystemError:  # a C extension that could not allocate sets no exception: out of memory here
            raise MemoryError from None

        if _RENDERER is None or _RENDERER.templates_dir != templates_dir:
            _RENDERER = PdfRenderer(templates_dir)
        return _RENDERER.render(doc, options, where=where), [], None
    except HandoutkitError as exc:
        return None, [], str(exc)
    except MemoryError:
        return None, [], f"{where}: {out_of_memory(worker_memory())}"


def speak(doc: LocalizedHandout, spoken, engine, fallback, options: AudioOptions):
    """One language's audio, in a worker process that may have spoken other
    languages before: each engine arrives as a fresh copy (espeak-ng loads a
    private instance of its library), so the bytes are the same whatever was
    built before. The engines are closed afterwards, giving their memory back."""
    warnings: list[str] = []
    try:
        from .render.audio import render_audio
        from .speech import SpeechError

        try:
            return render_audio(doc, spoken, engine, options), warnings, None
        except SpeechError as exc:
            if fallback is None:
                raise
            warnings.append(f"{engine.name} failed ({exc}); spoken by {fallback.name} instead")
            return render_audio(doc, spoken, fallback, options), warnings, None
    except HandoutkitError as exc:
        return None, warnings, str(exc)
    except MemoryError:
        return None, warnings, out_of_memory(worker_memory())
    finally:
        for used in (engine, fallback):
            if hasattr(used, "close"):
                used.close()


