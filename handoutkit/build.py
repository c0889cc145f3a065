"""Build: for each handout x language, gate the catalogs, localize, render,
and write atomically. Renderers know nothing of gettext or of files."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from babel.messages.catalog import Catalog

from . import catalogs, review
from .catalogs import Problem, Wanted
from .errors import HandoutkitError
from .extract import TEMPLATES_DOMAIN, templates_template
from .languages import Language
from .localize import localize, wanted
from .model import Labels, LocalizedHandout, Review
from .project import Project
from .render.audio import AudioOptions
from .render.pdf import PdfOptions, PdfRenderer
from .source import Handout


def write_atomic(path: Path, data: bytes) -> None:
    """Write to a temporary name beside the target, then rename into place:
    a reader (or a crash) never sees a half-written file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@dataclass
class Outcome:
    handout: str
    language: Language
    output: str
    status: str  # built, blocked, failed, no voice
    path: Path | None = None
    detail: str = ""
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass
class LanguageState:
    """What the catalogs of one language say about one handout."""

    language: Language
    translated: dict
    labels: Labels
    problems: list[Problem]
    errors: list[str]
    translation_review: Review
    source_review: Review

    @property
    def blocking(self) -> list[str]:
        return self.errors + [str(p) for p in self.problems if p.blocking]

    @property
    def warnings(self) -> list[str]:
        return [str(p) for p in self.problems if not p.blocking]


def template_wanted(project: Project, handout: Handout) -> list[Wanted]:
    pot = templates_template(project.templates_dir, project.root, handout.date)
    found = []
    for message in pot:
        if message.id:
            file, line = message.locations[0] if message.locations else ("templates", 0)
            found.append(Wanted(message.id, message.context, file, line))
    return found


def source_review(project: Project, handout: Handout) -> Review:
    record = review.read_review(handout.path.parent / review.REVIEW_FILE)
    return review.status(record, {"handout.md": review.source_hash(handout.source_text)})


def language_state(project: Project, handout: Handout, lang: Language, tmpl_wanted: list[Wanted]) -> LanguageState:
    src_review = source_review(project, handout)
    if lang.is_source:
        return LanguageState(lang, {}, Labels(), [], [], Review("reviewed"), src_review)
    problems: list[Problem] = []
    errors: list[str] = []
    loaded: dict[str, Catalog | None] = {}
    for domain, want in ((handout.id, wanted(handout)), (TEMPLATES_DOMAIN, tmpl_wanted)):
        path = project.po_path(lang.locale, domain)
        rel = project.rel(path)
        try:
            catalog = catalogs.read_catalog(path)
        except HandoutkitError as exc:
            errors.append(str(exc))
            loaded[domain] = None
            continue
        loaded[domain] = catalog
        problems.extend(catalogs.gate(
            [Wanted(w.msgid, w.context, project.rel(Path(w.path)) if Path(w.path).is_absolute() else w.path, w.line) for w in want],
            catalog, rel, handout.names,
        ))
    translated = catalogs.translations(loaded.get(handout.id))
    labels = Labels({mid: text for (mid, _ctx), text in catalogs.translations(loaded.get(TEMPLATES_DOMAIN)).items()})
    blocked_ids = {(p.wanted.msgid, p.wanted.context) for p in problems if p.blocking}
    for key in blocked_ids:
        translated.pop(key, None)
        labels.pop(key[0], None)
    hashes = {d: review.catalog_hash(c) for d, c in loaded.items() if c is not None}
    record = review.read_review(project.locales_dir / lang.locale / review.REVIEW_FILE)
    tr_review = review.status(record, hashes) if len(hashes) == 2 else Review("unreviewed")
    return LanguageState(lang, translated, labels, problems, errors, tr_review, src_review)


def localized(handout: Handout, state: LanguageState, values: dict[str, str] | None = None) -> LocalizedHandout:
    return localize(
        handout,
        state.language,
        state.translated,
        state.labels,
        translation_review=state.translation_review,
        source_review=state.source_review,
        values=values,
    )


@dataclass
class BuildOptions:
    outputs: tuple[str, ...] = ("pdf", "audio")
    pdf: PdfOptions = field(default_factory=PdfOptions)
    audio: AudioOptions = field(default_factory=AudioOptions)
    allow_incomplete: bool = False
    values: dict[str, str] = field(default_factory=dict)
    jobs: int = field(default_factory=lambda: os.cpu_count() or 1)


class Voices:
    """The speech engines of one build (auto: Piper where a voice is installed, else gTTS when
    reachable, else espeak-ng); the network probe runs at most once, when first needed."""

    def __init__(self, project: Project, choice: str):
        from .speech.espeak import Espeak
        from .speech.neural import Neural
        from .speech.online import Online

        self.choice = choice
        self.espeak = Espeak()
        self.online = Online(project.root / ".cache" / "gtts")
        self.neural = Neural(project.root / "voices")

    def choose(self, lang: Language):
        """(engine, fallback engine or None); (None, None) when nothing speaks the language."""
        from .speech import SpeechError

        offline = self.espeak if self.espeak.voice(lang) else None
        if self.choice == "espeak":
            return offline, None
        if self.choice == "piper":
            return (self.neural, None) if self.neural.voice(lang) else (None, None)
        if self.neural.voice(lang):  # auto: an installed neural voice first
            return self.neural, offline
        if self.choice == "gtts":
            if not self.online.voice(lang):
                return None, None
            if not self.online.reachable():
                raise SpeechError("gTTS is not reachable (no network?); use --engine auto or espeak to speak offline")
            return self.online, None
        if self.online.voice(lang) and self.online.reachable():
            return self.online, offline
        return offline, None


def _speak(doc: LocalizedHandout, spoken, engine, fallback, options: AudioOptions):
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


class AudioJobs:
    """Audio targets run in worker processes, one fresh process per language."""

    def __init__(self, project: Project, voices: Voices, options: AudioOptions, jobs: int):
        self.project, self.voices, self.options, self.jobs = project, voices, options, jobs
        self.pending: list[tuple[Outcome, Handout, Language, object]] = []
        self._pool = None

    def submit(self, handout: Handout, doc: LocalizedHandout, lang: Language, outcomes: list[Outcome]) -> None:
        from .spoken import read_speech_settings, script

        outcome = Outcome(handout.id, lang, "audio", "built")
        outcomes.append(outcome)
        try:
            engine, fallback = self.voices.choose(lang)
        except HandoutkitError as exc:
            outcome.status, outcome.problems = "failed", [str(exc)]
            return
        if engine is None:
            outcome.status = "no voice"
            outcome.detail = f"no speech engine here speaks {lang.name_en}"
            return
        try:
            settings = read_speech_settings(self.project.locales_dir / lang.locale / "speech.toml")
        except HandoutkitError as exc:
            outcome.status, outcome.problems = "failed", [str(exc)]
            return
        spoken = script(doc, settings)
        outcome.warnings.extend(spoken.warnings)
        if self._pool is None:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            self._pool = ProcessPoolExecutor(self.jobs, mp_context=multiprocessing.get_context("spawn"),
                                             max_tasks_per_child=1)
        future = self._pool.submit(_speak, doc, spoken, engine, fallback, self.options)
        self.pending.append((outcome, handout, lang, future))

    def finish(self) -> None:
        try:
            for outcome, handout, lang, future in self.pending:
                result, warnings, error = future.result()
                outcome.warnings.extend(warnings)
                if error is not None:
                    outcome.status, outcome.problems = "failed", [error]
                    continue
                folder = self.project.output_dir(handout.id, lang)
                base = f"{handout.id}-{lang.tag}{self.options.suffix}"
                write_atomic(folder / f"{base}.mp3", result.mp3)
                if result.clip is not None:
                    write_atomic(folder / f"{base}-warning-signs.mp3", result.clip)
                write_atomic(folder / f"{base}.vtt", result.vtt.encode("utf-8"))
                outcome.path = folder / f"{base}.mp3"
                outcome.detail = f"{result.engine}, {result.seconds / 60:.1f} min, {len(result.mp3) / 1e6:.1f} MB"
        finally:
            if self._pool is not None:
                self._pool.shutdown(cancel_futures=True)


def build(
    project: Project,
    handout_ids: list[str] | None = None,
    tags: list[Language] | None = None,
    options: BuildOptions | None = None,
) -> list[Outcome]:
    """Build every requested handout x language x output; a blocked language never stops the others."""
    options = options or BuildOptions()
    outcomes: list[Outcome] = []
    renderer = PdfRenderer(project.templates_dir)
    audio = AudioJobs(project, Voices(project, options.audio.engine), options.audio, options.jobs) \
        if "audio" in options.outputs else None
    for handout_id in handout_ids or project.handout_ids():
        handout = project.handout(handout_id)
        tmpl_wanted = template_wanted(project, handout)
        available = project.languages(handout_id)
        chosen = [lang for lang in available if tags is None or lang.locale in {t.locale for t in tags}]
        for lang in chosen:
            state = language_state(project, handout, lang, tmpl_wanted)
            if state.errors or (state.blocking and not options.allow_incomplete):
                for output in options.outputs:
                    outcomes.append(Outcome(handout_id, lang, output, "blocked", problems=state.blocking,
                                            warnings=state.warnings if output == options.outputs[0] else []))
                continue
            incomplete = bool(state.blocking)
            try:
                doc = localized(handout, state, options.values)
            except HandoutkitError as exc:
                outcomes.append(Outcome(handout_id, lang, "pdf", "failed", problems=[str(exc)]))
                continue
            if "pdf" in options.outputs:
                outcome = Outcome(handout_id, lang, "pdf", "built", warnings=state.warnings)
                outcomes.append(outcome)
                name = f"{handout_id}-{lang.tag}{options.pdf.suffix}{'-incomplete' if incomplete else ''}.pdf"
                target = project.output_dir(handout_id, lang) / name
                try:
                    pdf = renderer.render(doc, options.pdf, where=project.rel(target))
                    write_atomic(target, pdf)
                    outcome.path = target
                    if incomplete:
                        outcome.warnings = state.blocking + outcome.warnings
                except HandoutkitError as exc:
                    outcome.status, outcome.problems = "failed", [str(exc)]
            if audio is not None:
                if incomplete:
                    outcomes.append(Outcome(handout_id, lang, "audio", "blocked",
                                            detail="no audio for an incomplete translation"))
                else:
                    audio.submit(handout, doc, lang, outcomes)
    if audio is not None:
        audio.finish()
    return outcomes
