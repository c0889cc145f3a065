"""What runs in worker processes: kept light, so a worker imports only the
renderer it needs (not the catalog and build machinery)."""

from __future__ import annotations

from pathlib import Path

from .errors import HandoutkitError
from .model import LocalizedHandout
from .options import AudioOptions, PdfOptions

_RENDERER = None


def render_pdf(templates_dir: Path, doc: LocalizedHandout, options: PdfOptions, where: str):
    """One PDF (in a worker, or in-process with one job): (bytes, None) or (None, error)."""
    global _RENDERER
    from .render.pdf import PdfRenderer

    if _RENDERER is None or _RENDERER.templates_dir != templates_dir:
        _RENDERER = PdfRenderer(templates_dir)
    try:
        return _RENDERER.render(doc, options, where=where), None
    except HandoutkitError as exc:
        return None, str(exc)


def speak(doc: LocalizedHandout, spoken, engine, fallback, options: AudioOptions):
    """One language's audio, in a fresh worker process (espeak-ng carries state
    from one utterance into the next, so a fresh process per language is what
    makes the bytes the same whatever else was built before)."""
    from .render.audio import render_audio
    from .speech import SpeechError

    warnings: list[str] = []
    try:
        try:
            return render_audio(doc, spoken, engine, options), warnings, None
        except SpeechError as exc:
            if fallback is None:
                raise
            warnings.append(f"{engine.name} failed ({exc}); spoken by {fallback.name} instead")
            return render_audio(doc, spoken, fallback, options), warnings, None
    except HandoutkitError as exc:
        return None, warnings, str(exc)


