"""The talking EPUB 3: the handout as reflowable text, read aloud block by block with the
block highlighted (media overlays), from the one localized model and the audio already made."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..errors import HandoutkitError
from ..files import write_atomic
from ..languages import Language
from ..options import BuildOptions
from .base import Job, Output, Written


class Epub(Output):
    name = "epub"
    title = "talking EPUB 3 (text highlighted as the audio plays)"
    needs = ("audio",)  # it carries the audio and its timing: made again with it
    in_worker = False  # a zip of files already made
    link = "Download the talking book (EPUB)"

    def edition(self, options: BuildOptions) -> str:
        return options.audio.suffix

    def files(self, folder: Path, handout_id: str, lang: Language, options: BuildOptions,
              incomplete: bool) -> list[Path]:
        return [folder / f"{handout_id}-{lang.tag}{options.audio.suffix}{'-incomplete' if incomplete else ''}.epub"]

    def key(self, project, lang: Language, options: BuildOptions) -> list:
        from ..plan import file_hash

        return [options.audio.suffix, file_hash(project.locales_dir / lang.locale / "speech.toml"),
                file_hash(project.locales_dir / "en" / "speech.toml")]

    def task(self, project, job: Job, options: BuildOptions) -> tuple[Callable, tuple]:
        from . import get

        folder = job.files[0].parent
        mp3, _clip, vtt = get("audio").files(folder, job.doc.handout_id, job.doc.language, options, job.incomplete)
        return build_epub, (project, job.doc, mp3, vtt, project.rel(job.files[0]))

    def write(self, job: Job, result: tuple[bytes, bool]) -> Written:
        data, talking = result
        write_atomic(job.files[0], data)
        detail = "with the audio, each block highlighted as it is read" if talking else "text only (no audio here)"
        return Written(job.files[:1], detail, "EPUB 3")


def build_epub(project, doc, mp3: Path, vtt: Path, where: str):
    """(result, warnings, error): the EPUB, talking when this language's audio is there."""
    from ..epub import build
    from ..spoken import read_speech_settings, script

    try:
        spoken = audio = transcript = None
        if mp3.is_file() and vtt.is_file():
            settings = read_speech_settings(project.locales_dir / doc.language.locale / "speech.toml")
            english = read_speech_settings(project.locales_dir / "en" / "speech.toml")
            spoken, audio, transcript = script(doc, settings, english), mp3.read_bytes(), vtt.read_text("utf-8")
        return (build(project.templates_dir, doc, spoken, audio, transcript, where), audio is not None), [], None
    except HandoutkitError as exc:
        return None, [], str(exc)
