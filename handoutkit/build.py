"""Build: plan the targets, gate each language's catalogs, localize, render in
worker processes, and write atomically under a lock. Renderers know nothing of
gettext, files or this plan."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from babel.messages.catalog import Catalog

from . import catalogs, review
from .catalogs import Problem, Wanted
from .errors import HandoutkitError
from .extract import TEMPLATES_DOMAIN, templates_template
from .files import write_atomic
from .languages import Language
from .localize import localize, wanted
from .lock import BuildLock
from .model import Labels, LocalizedHandout, Review
from .options import BuildOptions
from .plan import State, clean_temporaries, forget_inputs, language_key, target_key
from .project import Project
from .source import Handout
from .workers import render_pdf, speak

__all__ = ["BuildOptions", "Outcome", "build", "write_atomic"]


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
            catalog = catalogs.read_catalog(path, lang.locale)
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


def localized(handout: Handout, state: LanguageState, values: dict[str, str] | None = None,
              site: object = None) -> LocalizedHandout:
    return localize(
        handout,
        state.language,
        state.translated,
        state.labels,
        translation_review=state.translation_review,
        source_review=state.source_review,
        values={**(site.values() if site else {}), **(values or {})},
        site=site,
    )


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
                raise SpeechError(f"gTTS is not reachable (no network?) to speak {lang.name_en}; "
                                  "use --engine auto or espeak to speak offline")
            return self.online, None
        if self.online.voice(lang) and self.online.reachable():
            return self.online, offline
        return offline, None

    def reach(self, lang: Language) -> str:
        """How the language can be spoken, without asking the network: 'offline',
        'online only' (gTTS, when the network is there) or 'no voice'."""
        if self.espeak.voice(lang) or self.neural.voice(lang):
            return "offline"
        return "online only" if self.online.voice(lang) else "no voice"

    def offline_note(self, lang: Language) -> str:
        """What the user is told when auto could not reach gTTS for a language it speaks ('' otherwise)."""
        if self.choice != "auto" or not self.online.voice(lang) or self.neural.voice(lang) or self.online.reachable():
            return ""
        if self.espeak.voice(lang):
            return "gTTS is not reachable (no network?); spoken offline by espeak-ng instead"
        return (f"no engine here speaks {lang.name_en} offline, and gTTS is not reachable (no network?); "
                "run build --engine gtts when online")


@dataclass
class _Job:
    outcome: Outcome
    name: str
    key: str
    doc: LocalizedHandout
    files: list[Path]
    spoken: object = None
    engine: object = None
    fallback: object = None
    catalogs: str = ""


def _pool(jobs: int):
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from .workers import start_worker

    return ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("spawn"), initializer=start_worker)


def _run(jobs: list[_Job], call: Callable, args: Callable, workers: int,
         done: Callable[[_Job, object], None], progress: Callable[[str], None], alone: bool = False) -> None:
    """Run jobs in worker processes, results taken in order of submission. Even
    with one worker the renderers run outside this process, so that the memory
    they hold is given back before the next kind of work starts; only the one
    job of a build that renders nothing else runs here."""
    if not jobs:
        return
    if alone:  # the build's only output (the counter case): no worker to start; the process ends after it
        progress(jobs[0].name)
        done(jobs[0], call(*args(jobs[0])))
        return
    from concurrent.futures.process import BrokenProcessPool

    with _pool(min(workers, len(jobs))) as pool:
        futures = [(job, pool.submit(call, *args(job))) for job in jobs]
        try:
            for job, future in futures:
                progress(job.name)
                done(job, future.result())
        except BrokenProcessPool:
            raise HandoutkitError(f"a worker process died (out of memory, or killed) while making {job.name}; "
                                  "the files already there are kept") from None
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)  # a write failed or ^C: start nothing more
            raise


def _catalogs_hash(project: Project, handout_id: str, lang: Language) -> str | None:
    if lang.is_source:
        return None
    import hashlib

    digest = hashlib.sha256()
    for domain in (handout_id, TEMPLATES_DOMAIN):
        digest.update(project.po_path(lang.locale, domain).read_bytes())
    return digest.hexdigest()


def _pdf_name(handout_id: str, lang: Language, options: BuildOptions, incomplete: bool) -> str:
    return f"{handout_id}-{lang.tag}{options.pdf.suffix}{'-incomplete' if incomplete else ''}.pdf"


def build(
    project: Project,
    handout_ids: list[str] | None = None,
    tags: list[Language] | None = None,
    options: BuildOptions | None = None,
    progress: Callable[[str], None] = lambda name: None,
) -> list[Outcome]:
    """Build every requested handout x language x output that is not up to date.
    A blocked language never stops the others; finished outputs survive any interruption."""
    options = options or BuildOptions()
    dist = project.dist_dir
    with BuildLock(dist):
        forget_inputs()
        clean_temporaries(dist)
        state = State.load(dist)
        return _build(project, handout_ids, tags, options, progress, state)


def _build(project, handout_ids, tags, options, progress, state: State) -> list[Outcome]:
    outcomes: list[Outcome] = []
    work: list[tuple[str, Language, str, list[tuple[str, str, str]]]] = []
    for handout_id in handout_ids or project.handout_ids():
        for lang in project.languages(handout_id):
            if tags is not None and lang.locale not in {t.locale for t in tags}:
                continue
            common = language_key(project, handout_id, lang, options)
            known = state.languages.get(f"{handout_id}/{lang.locale}")
            if known and known["key"] == common and not options.allow_incomplete:
                for output in options.outputs:  # blocked before, and nothing changed since
                    outcomes.append(Outcome(handout_id, lang, output, "blocked", problems=known["problems"],
                                            warnings=known["warnings"] if output == options.outputs[0] else []))
                continue
            todo = []
            for output in options.outputs:
                try:
                    key = target_key(project, lang, output, common, options)
                except HandoutkitError as exc:  # e.g. no font installed for the script: this language only
                    outcomes.append(Outcome(handout_id, lang, output, "failed", problems=[f"{lang.name_en}: {exc}"]))
                    continue
                suffix = options.pdf.suffix if output == "pdf" else options.audio.suffix
                name = f"{handout_id}/{lang.tag}/{output}{suffix}{'+incomplete' if options.allow_incomplete else ''}"
                record = state.up_to_date(name, key)
                if record:
                    files = state.paths(record)
                    outcomes.append(Outcome(handout_id, lang, output, record.get("status", "up to date"),
                                            files[0] if files else None,
                                            detail=record.get("detail", ""), warnings=record.get("warnings", [])))
                else:
                    todo.append((output, name, key))
            if todo and "web" in options.outputs and all(o != "web" for o, _n, _k in todo):
                # the page links the PDF and shows the audio's parts: make it again with them
                key = target_key(project, lang, "web", common, options)
                todo.append(("web", f"{handout_id}/{lang.tag}/web{'+incomplete' if options.allow_incomplete else ''}", key))
                outcomes[:] = [o for o in outcomes if not (o.handout == handout_id and o.language == lang
                                                          and o.output == "web")]
            if todo:
                work.append((handout_id, lang, common, todo))

    pdf_jobs: list[_Job] = []
    audio_jobs: list[_Job] = []
    web_jobs: list[_Job] = []
    handouts: dict[str, tuple[Handout, list[Wanted]]] = {}
    for handout_id, lang, common, todo in work:
        if handout_id not in handouts:
            handout = project.handout(handout_id)
            handouts[handout_id] = (handout, template_wanted(project, handout))
        handout, tmpl = handouts[handout_id]
        lang_state = language_state(project, handout, lang, tmpl)
        blocked = lang_state.errors or (lang_state.blocking and not options.allow_incomplete)
        if blocked:
            state.languages[f"{handout_id}/{lang.locale}"] = {
                "key": common, "problems": lang_state.blocking, "warnings": lang_state.warnings}
            state.save()
            for output, _name, _key in todo:
                outcomes.append(Outcome(handout_id, lang, output, "blocked", problems=lang_state.blocking,
                                        warnings=lang_state.warnings if output == todo[0][0] else []))
            continue
        if state.languages.pop(f"{handout_id}/{lang.locale}", None):
            state.save()
        incomplete = bool(lang_state.blocking)
        try:
            doc = localized(handout, lang_state, options.values, options.site)
        except HandoutkitError as exc:
            for output, _name, _key in todo:
                outcomes.append(Outcome(handout_id, lang, output, "failed", problems=[str(exc)]))
            continue
        folder = project.output_dir(handout_id, lang)
        catalogs_hash = _catalogs_hash(project, handout_id, lang)
        for output, name, key in todo:
            outcome = Outcome(handout_id, lang, output, "built", warnings=list(lang_state.warnings))
            outcomes.append(outcome)
            if output == "web":
                web_jobs.append(_Job(outcome, name, key, doc, [folder / "index.html"], catalogs=catalogs_hash))
            elif output == "pdf":
                target = folder / _pdf_name(handout_id, lang, options, incomplete)
                if incomplete:
                    outcome.warnings = lang_state.blocking + outcome.warnings
                pdf_jobs.append(_Job(outcome, name, key, doc, [target], catalogs=catalogs_hash))
            elif incomplete:
                outcome.status, outcome.detail = "blocked", "no audio for an incomplete translation"
            else:
                base = folder / f"{handout_id}-{lang.tag}{options.audio.suffix}"
                audio_jobs.append(_Job(outcome, name, key, doc, [base.with_suffix(".mp3"),
                                       base.with_name(base.name + "-warning-signs.mp3"), base.with_suffix(".vtt")],
                                       catalogs=catalogs_hash))

    def pdf_done(job: _Job, result: tuple) -> None:
        pdf, error = result
        if error:
            job.outcome.status, job.outcome.problems = "failed", [error]
            return
        write_atomic(job.files[0], pdf)
        job.outcome.path = job.files[0]
        state.record(job.name, job.key, job.files, "", job.outcome.warnings, facts=_facts(job, "WeasyPrint"))

    _run(pdf_jobs, render_pdf, lambda j: (project.templates_dir, j.doc, options.pdf, project.rel(j.files[0])),
         options.jobs, pdf_done, progress, alone=len(pdf_jobs) == 1 and not audio_jobs)

    if audio_jobs:
        _prepare_audio(project, audio_jobs, options, state)

    def audio_done(job: _Job, result: tuple) -> None:
        audio, warnings, error = result
        job.outcome.warnings.extend(warnings)
        if error is not None:
            job.outcome.status, job.outcome.problems = "failed", [error]
            return
        mp3, clip, vtt = job.files
        write_atomic(mp3, audio.mp3)
        written = [mp3]
        if audio.clip is not None:
            write_atomic(clip, audio.clip)
            written.append(clip)
        write_atomic(vtt, audio.vtt.encode("utf-8"))
        written.append(vtt)
        job.outcome.path = mp3
        job.outcome.detail = f"{audio.engine}, {audio.seconds / 60:.1f} min, {len(audio.mp3) / 1e6:.1f} MB"
        state.record(job.name, job.key, written, job.outcome.detail, job.outcome.warnings, facts=_facts(job, audio.engine))

    ready = [j for j in audio_jobs if j.engine is not None]
    # longest first, so that no worker is left speaking a long language alone at the end
    ready.sort(key=lambda j: -sum(len(cue.spoken) for chapter in j.spoken.chapters for cue in chapter.cues))
    _run(ready, speak, lambda j: (j.doc, j.spoken, j.engine, j.fallback, options.audio),
         options.jobs, audio_done, progress, alone=len(ready) == 1 and not pdf_jobs)
    if web_jobs:
        from .render.pdf import PdfRenderer
        from .render.web import page_html

        renderer = PdfRenderer(project.templates_dir)
        for job in web_jobs:
            doc = job.doc
            progress(job.name)
            base = f"{doc.handout_id}-{doc.language.tag}"
            pdf_name = _pdf_name(doc.handout_id, doc.language, options, doc.incomplete)
            try:
                html = page_html(renderer, doc, job.files[0].parent, base + options.audio.suffix, pdf_name)
            except HandoutkitError as exc:  # this page only: the PDFs and audio already made still count
                job.outcome.status, job.outcome.problems = "failed", [str(exc)]
                continue
            write_atomic(job.files[0], html.encode("utf-8"))
            job.outcome.path = job.files[0]
            state.record(job.name, job.key, job.files, "", [], facts=_facts(job, "Jinja2"))
    if pdf_jobs or ready or web_jobs or not (project.dist_dir / "manifest.json").exists():
        from .bundle import write_bundles

        write_bundles(project, state)
    return outcomes


def _facts(job: _Job, engine: str) -> dict:
    """What the manifest says of a target's files, keys sorted as state.json keeps them: a manifest
    written from a loaded state then has the same bytes as one from a clean build."""
    doc = job.doc
    return dict(sorted({
        "handout": doc.handout_id,
        "language": doc.language.tag,
        "source_version": doc.version,
        "engine": engine,
        "catalogs_sha256": job.catalogs,
        "translation_review": doc.translation_review.status if not doc.language.is_source else None,
        "source_review": doc.source_review.status,
    }.items()))


def _prepare_audio(project: Project, jobs: list[_Job], options: BuildOptions, state: State) -> None:
    """Choose each language's engine (the network probe runs here, at most once) and its script."""
    from .spoken import read_speech_settings, script

    voices = Voices(project, options.audio.engine)
    for job in jobs:
        lang = job.doc.language
        try:
            job.engine, job.fallback = voices.choose(lang)
            if job.engine is None:
                job.outcome.status = "no voice"
                job.outcome.detail = voices.offline_note(lang) or f"no speech engine here speaks {lang.name_en}"
                # remembered until an input or the --engine changes, so that later
                # builds neither ask again nor probe the network for it
                state.record(job.name, job.key, [], job.outcome.detail, job.outcome.warnings, status="no voice")
                continue
            if note := voices.offline_note(lang):
                job.outcome.warnings.append(note)
            settings = read_speech_settings(project.locales_dir / lang.locale / "speech.toml")
        except HandoutkitError as exc:
            job.engine = None
            job.outcome.status, job.outcome.problems = "failed", [str(exc)]
            continue
        job.spoken = script(job.doc, settings)
        job.outcome.warnings.extend(job.spoken.warnings)
