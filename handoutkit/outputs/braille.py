"""The braille-ready file (BRF) and its preview, in the language's literary braille (liblouis)."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from functools import cache
from pathlib import Path

from ..errors import HandoutkitError
from ..files import write_atomic
from ..languages import Language
from ..options import BuildOptions
from .base import Job, Output, Written

NO_TABLE = "no braille table"


@cache
def liblouis_version() -> str:
    try:
        out = subprocess.run(["lou_translate", "--version"], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.TimeoutExpired):
        return "-"
    return out.splitlines()[0] if out else "-"


def table(lang: Language, options: BuildOptions) -> str | None:
    """The liblouis table: the row's first (its usual grade), or with --braille-grade 1 its uncontracted one."""
    if not lang.braille:
        return None
    return lang.braille[-1] if options.braille_grade == 1 else lang.braille[0]


class Braille(Output):
    name = "braille"
    title = "braille-ready file (BRF) and preview"
    in_worker = False  # liblouis runs as its own process; the layout is small
    link = "Download the braille file (BRF)"

    def edition(self, options: BuildOptions) -> str:
        return "-g1" if options.braille_grade == 1 else ""

    def files(self, folder: Path, handout_id: str, lang: Language, options: BuildOptions,
              incomplete: bool) -> list[Path]:
        base = f"{handout_id}-{lang.tag}{self.edition(options)}{'-incomplete' if incomplete else ''}"
        return [folder / f"{base}.brf", folder / f"{base}-braille.txt"]

    def key(self, project, lang: Language, options: BuildOptions) -> list:
        return [table(lang, options), liblouis_version()]

    def prepare(self, project, jobs: list[Job], options: BuildOptions, state) -> list[Job]:
        """A language with no fitting braille table gets none (never another language's): said once, remembered."""
        ready = []
        for job in jobs:
            if table(job.doc.language, options) is None:
                job.outcome.status, job.outcome.detail = NO_TABLE, f"{NO_TABLE} for {job.doc.language.name_en}"
                state.record(job.name, job.key, [], job.outcome.detail, job.outcome.warnings, status=NO_TABLE)
                continue
            ready.append(job)
        return ready

    def task(self, project, job: Job, options: BuildOptions) -> tuple[Callable, tuple]:
        return render_braille, (job.doc, table(job.doc.language, options), project.rel(job.files[0]))

    def write(self, job: Job, result: tuple[bytes, str, str]) -> Written:
        brf, preview, used = result
        write_atomic(job.files[0], brf)
        write_atomic(job.files[1], preview.encode("utf-8"))
        pages = brf.count(b"\f") + 1
        return Written(job.files[:2], f"liblouis {used}, {pages} braille pages", f"liblouis ({used})")


def render_braille(doc, used: str, where: str):
    """(result, warnings, error) of one BRF."""
    from ..braille import render

    try:
        brf, preview = render(doc, used, where)
        return (brf, preview, used), [], None
    except HandoutkitError as exc:
        return None, [], str(exc)
