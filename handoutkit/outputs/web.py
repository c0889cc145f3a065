"""The phone page: the handout as one HTML page, with the PDF to download and the audio's
parts to play. It imports no PDF or speech library (it only links their files)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..files import write_atomic
from ..languages import Language
from ..options import BuildOptions
from .base import Job, Output, Written


class Web(Output):
    name = "web"
    title = "phone page"
    needs = ("pdf", "audio", "braille")  # it links the PDF, the BRF and shows the audio's parts: made again with them
    in_worker = False  # small, and no memory to bound: made here
    is_page = True

    def files(self, folder: Path, handout_id: str, lang: Language, options: BuildOptions,
              incomplete: bool) -> list[Path]:
        return [folder / f"index{'-incomplete' if incomplete else ''}.html"]

    def key(self, project, lang: Language, options: BuildOptions) -> list:
        from ..plan import versions

        return [options.pdf.suffix, options.audio.suffix, options.braille_grade, versions(("jinja2",))]

    def task(self, project, job: Job, options: BuildOptions) -> tuple[Callable, tuple]:
        from . import get

        folder = job.files[0].parent
        pdf = get("pdf").files(folder, job.doc.handout_id, job.doc.language, options, job.incomplete)[0]
        mp3 = get("audio").files(folder, job.doc.handout_id, job.doc.language, options, job.incomplete)[0]
        brf = get("braille").files(folder, job.doc.handout_id, job.doc.language, options, job.incomplete)[0]
        return page, (project.templates_dir, job.doc, folder, mp3.name.removesuffix(".mp3"), pdf.name, brf.name)

    def write(self, job: Job, result: str) -> Written:
        write_atomic(job.files[0], result.encode("utf-8"))
        return Written(job.files[:1], "", "Jinja2")


def page(templates_dir: Path, doc, folder: Path, audio_base: str, pdf_name: str, brf_name: str):
    """(html, warnings, error): the page, or why it cannot be made (this page only)."""
    from ..errors import HandoutkitError
    from ..render.web import page_html
    from ..templates import environment

    try:
        return page_html(environment(templates_dir), doc, folder, audio_base, pdf_name, brf_name), [], None
    except HandoutkitError as exc:
        return None, [], str(exc)
