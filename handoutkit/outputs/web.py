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
    needs = ("pdf", "bilingual", "audio", "epub", "braille")  # it links their files and shows the audio's parts: made again with them
    in_worker = False  # small, and no memory to bound: made here
    is_page = True

    def files(self, folder: Path, handout_id: str, lang: Language, options: BuildOptions,
              incomplete: bool) -> list[Path]:
        return [folder / f"index{'-incomplete' if incomplete else ''}.html"]

    def key(self, project, lang: Language, options: BuildOptions) -> list:
        from ..plan import versions

        return [options.pdf.suffix, options.audio.suffix, options.braille_grade, versions(("jinja2",))]

    def task(self, project, job: Job, options: BuildOptions) -> tuple[Callable, tuple]:
        from . import REGISTRY, get

        folder = job.files[0].parent
        doc = job.doc

        def main_file(output) -> str:
            return output.files(folder, doc.handout_id, doc.language, options, job.incomplete)[0].name

        mp3 = main_file(get("audio"))
        downloads = [(main_file(o), o.link) for o in REGISTRY.values() if o.link]
        audio = get("audio")
        editions = [(audio.files(folder, doc.handout_id, ed, options, job.incomplete)[0].name, spoken_name(ed, doc))
                    for ed in audio.variants(doc.language)[1:]]
        return page, (project.templates_dir, doc, folder, mp3.removesuffix(".mp3"), downloads, editions)

    def write(self, job: Job, result: str) -> Written:
        write_atomic(job.files[0], result.encode("utf-8"))
        return Written(job.files[:1], "", "Jinja2")


def spoken_name(edition: Language, doc) -> str:
    """A spoken edition by name, in the page's language and in English (CLDR): '粵語 (Cantonese)'."""
    from babel import Locale

    spoken = Locale.parse(edition.edition)
    own, english = spoken.get_display_name(doc.language.locale), spoken.get_display_name("en")
    return own if own == english else f"{own} ({english})"


def page(templates_dir: Path, doc, folder: Path, audio_base: str, downloads: list[tuple[str, str]],
         editions: list[tuple[str, str]] = ()):
    """(html, warnings, error): the page, or why it cannot be made (this page only)."""
    from ..errors import HandoutkitError
    from ..render.web import page_html
    from ..templates import environment

    try:
        return page_html(environment(templates_dir), doc, folder, audio_base, downloads, editions), [], None
    except HandoutkitError as exc:
        return None, [], str(exc)
