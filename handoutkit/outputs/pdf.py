"""The large-print PDF, one edition (size and paper) per build: WeasyPrint, tagged PDF/UA-1."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..files import write_atomic
from ..languages import Language
from ..options import BuildOptions
from .base import Job, Output, Written

LIBRARIES = ("weasyprint", "pydyf", "fonttools", "babel", "jinja2", "markdown-it-py", "fontpkg-atkinson-hyperlegible")


class Pdf(Output):
    name = "pdf"
    title = "large-print PDF"
    alone_here = True  # the counter case: one PDF, drawn without starting a worker
    link = "Download the printed handout (PDF)"

    def edition(self, options: BuildOptions) -> str:
        return options.pdf.suffix

    def files(self, folder: Path, handout_id: str, lang: Language, options: BuildOptions,
              incomplete: bool) -> list[Path]:
        return [folder / f"{handout_id}-{lang.tag}{options.pdf.suffix}{'-incomplete' if incomplete else ''}.pdf"]

    def key(self, project, lang: Language, options: BuildOptions) -> list:
        from ..errors import RenderError
        from ..plan import fonts_hash, versions

        try:
            fonts = fonts_hash(lang.fonts)
        except RenderError as exc:
            raise RenderError(f"no font for {lang.script} text: {exc.message}", exc.path, exc.line) from None
        return [fonts, options.pdf.size, options.pdf.paper, versions(LIBRARIES)]

    def task(self, project, job: Job, options: BuildOptions) -> tuple[Callable, tuple]:
        from ..workers import render_pdf

        return render_pdf, (project.templates_dir, job.doc, options.pdf, project.rel(job.files[0]))

    def write(self, job: Job, result: bytes) -> Written:
        write_atomic(job.files[0], result)
        return Written(job.files[:1], "", "WeasyPrint")
