"""The bilingual print edition: the large-print PDF with each block in the language, then the
same block in English, for a family member, nurse or pharmacist who reads only English."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from ..languages import Language
from ..options import BuildOptions
from .base import Job
from .pdf import Pdf

ENGLISH_ONLY = "English source"  # the status of English: it has no second language to pair


class Bilingual(Pdf):
    name = "bilingual"
    title = "bilingual large-print PDF (each block in the language, then in English)"
    alone_here = False
    link = "Download the handout in this language and English (PDF)"

    def files(self, folder: Path, handout_id: str, lang: Language, options: BuildOptions,
              incomplete: bool) -> list[Path]:
        tail = f"{options.pdf.suffix}{'-incomplete' if incomplete else ''}"
        return [folder / f"{handout_id}-{lang.tag}-bilingual{tail}.pdf"]

    def key(self, project, lang: Language, options: BuildOptions) -> list:
        return [*super().key(project, lang, options), "bilingual"]

    def prepare(self, project, jobs: list[Job], options: BuildOptions, state) -> list[Job]:
        """English is the second language of every bilingual edition: it has none of its own."""
        ready = []
        for job in jobs:
            if job.doc.language.is_source:
                job.outcome.status, job.outcome.detail = ENGLISH_ONLY, "the English handout is the second half of each pair"
                state.record(job.name, job.key, [], job.outcome.detail, job.outcome.warnings, status=ENGLISH_ONLY)
                continue
            ready.append(job)
        return ready

    def task(self, project, job: Job, options: BuildOptions) -> tuple[Callable, tuple]:
        from ..workers import render_pdf

        edition = replace(options.pdf, bilingual=True)
        return render_pdf, (project.templates_dir, job.doc, edition, project.rel(job.files[0]))
