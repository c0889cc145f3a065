"""Build: plan the targets, gate each language's catalogs, localize, render in
worker processes, and write atomically under a lock. Renderers know nothing of
gettext, files or this plan."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field, replace
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


UNTRANSLATED = ("missing", "fuzzy", "copied-english", "copied-catalog")  # kinds of 'not translated yet'


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
    sizes: dict[str, int] = field(default_factory=dict)  # catalog (as shown) -> messages the source needs from it
    missing: tuple[str, ...] = ()  # catalogs that do not exist yet

    @property
    def blocking(self) -> list[str]:
        return self.errors + [str(p) for p in self.problems if p.blocking]

    @property
    def warnings(self) -> list[str]:
        return [str(p) for p in self.problems if not p.blocking]

    def _blocking_in(self, po: str) -> list[Problem]:
        return [p for p in self.problems if p.blocking and p.po_path == po]

    @property
    def summary(self) -> str:
        """Why the pair is blocked, in a few words ('' when it is not), e.g.
        'not translated yet: 0 of 31 messages'."""
        if not self.blocking:
            return ""
        parts = []
        catalogs_ = list(self.sizes)
        for number, po in enumerate(catalogs_):
            found = self._blocking_in(po)
            untranslated = {(p.wanted.msgid, p.wanted.context) for p in found if p.kind in UNTRANSLATED}
            wrong = len(found) - sum(1 for p in found if p.kind in UNTRANSLATED)
            what = "messages" if number == 0 else f"labels of {po.rsplit('/', 1)[-1]}"
            if untranslated:
                parts.append(f"not translated yet: {self.sizes[po] - len(untranslated)} of {self.sizes[po]} {what}")
            if wrong:
                parts.append(f"{wrong} translation{'s' if wrong != 1 else ''} to fix in {po.rsplit('/', 1)[-1]}")
        if len(self.errors) > len(self.missing):
            parts.append("a catalog cannot be read")
        return "; ".join(parts)

    @property
    def reasons(self) -> list[str]:
        """Every blocking problem, each once; a catalog of which nothing is usable, or that is
        a copy of the English, in one line rather than one per message."""
        lines = list(self.errors)
        for po, size in self.sizes.items():
            found = self._blocking_in(po)
            copied = [p for p in found if p.kind == "copied-catalog"]
            if copied:
                lines.append(f"{po}: {len(copied)} of its {size} messages are the English text:"
                             " a copy of the English is not a translation")
                found = [p for p in found if p.kind != "copied-catalog"]
            if len({(p.wanted.msgid, p.wanted.context) for p in found if p.kind in UNTRANSLATED}) + len(copied) == size:
                if po not in self.missing and len(copied) < size:
                    lines.append(f"{po}: none of its {size} messages is translated yet")
                found = [p for p in found if p.kind not in UNTRANSLATED]
            lines.extend(str(p) for p in found)
        return lines


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
    sizes: dict[str, int] = {}
    missing: list[str] = []
    for domain, want in ((handout.id, wanted(handout)), (TEMPLATES_DOMAIN, tmpl_wanted)):
        path = project.po_path(lang.locale, domain)
        rel = project.rel(path)
        sizes[rel] = len(want)
        want = [replace(w, path=project.rel(Path(w.path))) if Path(w.path).is_absolute() else w for w in want]
        try:
            catalog = catalogs.read_catalog(path, lang.locale)
        except HandoutkitError as exc:
            loaded[domain] = None
            if path.exists():
                errors.append(str(exc))
                continue
            # a handout new to this language: none of its messages is translated
            errors.append(f"{exc} (make-handouts update creates it from the template)")
            problems.extend(catalogs.gate(want, None, rel, handout.names))
            missing.append(rel)
            continue
        loaded[domain] = catalog
        problems.extend(catalogs.gate(want, catalog, rel, handout.names))
    translated = catalogs.translations(loaded.get(handout.id))
    labels = Labels({mid: text for (mid, _ctx), text in catalogs.translations(loaded.get(TEMPLATES_DOMAIN)).items()})
    blocked_ids = {(p.wanted.msgid, p.wanted.context) for p in problems if p.blocking}
    for key in blocked_ids:
        translated.pop(key, None)
        labels.pop(key[0], None)
    hashes = {d: review.catalog_hash(c) for d, c in loaded.items() if c is not None}
    record = review.read_review(project.locales_dir / lang.locale / review.REVIEW_FILE)
    tr_review = review.status(record, hashes) if len(hashes) == 2 else Review("unreviewed")
    return LanguageState(lang, translated, labels, problems, errors, tr_review, src_review, sizes, tuple(missing))


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
        fallback=bool(state.blocking),
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
    source: str = ""  # SHA-256 of the handout.md it was made from


def _pool(jobs: int):
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from .workers import start_worker

    return ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("spawn"), initializer=start_worker)


def _run(jobs: list[_Job], call: Callable, args: Callable, workers: int,
         done: Callable[[_Job, object], None], progress: Callable[[str], None], alone: bool = False) -> None:
    """Run jobs in worker processes, results taken in order of submission. Even
    with one worker the renderers run outside this process, so that the memory
    they hold is given back before the next kind of work starts, and is bounded
    (limits.py). Only the one PDF of a build that renders nothing else (the
    counter case) is drawn here: its size is bounded by the input limits."""
    if not jobs:
        return
    if alone:  # the build's only output (the counter case): no worker to start; the process ends after it
        progress(jobs[0].name)
        done(jobs[0], call(*args(jobs[0])))
        return
    from concurrent.futures.process import BrokenProcessPool

    with _pool(min(workers, len(jobs))) as pool:
        job = jobs[0]
        try:
            futures = []
            for job in jobs:  # a worker killed now breaks the pool here already
                futures.append((job, pool.submit(call, *args(job))))
            for job, future in futures:
                progress(job.name)
                done(job, future.result())
        except BrokenProcessPool:
            raise HandoutkitError(f"a worker process died (out of memory, or killed) while making {job.name}; "
                                  "the files already there are kept") from None
        except MemoryError:  # met outside the renderer (handing the job over): the build stops, files kept
            from .limits import out_of_memory, worker_memory

            pool.shutdown(wait=False, cancel_futures=True)
            raise HandoutkitError(f"{job.name}: {out_of_memory(worker_memory())}; the files already there are kept") from None
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)  # a write failed or ^C: start nothing more
            raise


def _catalogs_hash(project: Project, handout_id: str, lang: Language) -> str | None:
    if lang.is_source:
        return None
    digest = hashlib.sha256()
    for domain in (handout_id, TEMPLATES_DOMAIN):
        digest.update(project.po_path(lang.locale, domain).read_bytes())
    return digest.hexdigest()


INCOMPLETE = "+incomplete"  # ends the name of a target made from an incomplete translation


def _pdf_name(handout_id: str, lang: Language, options: BuildOptions, incomplete: bool) -> str:
    return f"{handout_id}-{lang.tag}{options.pdf.suffix}{'-incomplete' if incomplete else ''}.pdf"


def _audio_base(handout_id: str, lang: Language, options: BuildOptions, incomplete: bool) -> str:
    """The audio's name without .mp3 (the clip adds -warning-signs, the transcript is .vtt)."""
    return f"{handout_id}-{lang.tag}{options.audio.suffix}{'-incomplete' if incomplete else ''}"


def last_finished_pdf(project: Project, handout_id: str, lang: Language,
                      options: BuildOptions) -> tuple[Path | None, list[str]]:
    """The last finished PDF of a handout, language and edition, found without the build
    lock (every output is renamed into place whole, so the file under its name is never
    half-written), and the inputs that changed since it was made ([] if none)."""
    path = project.output_dir(handout_id, lang) / _pdf_name(handout_id, lang, options, False)
    if not path.is_file():
        return None, []
    source = project.handouts_dir / handout_id / "handout.md"
    catalog_files = [] if lang.is_source else [project.po_path(lang.locale, d) for d in (handout_id, TEMPLATES_DOMAIN)]
    state = State.load(project.dist_dir)  # written whole too
    record = state.targets.get(f"{handout_id}/{lang.tag}/pdf{options.pdf.suffix}") or {}
    facts = record.get("facts", {}) if record.get("files", {}).get(
        path.relative_to(state.dist).as_posix()) == State.stamp(path) else {}
    made = path.stat().st_mtime_ns
    newer = [p for p in [source, *catalog_files] if not p.is_file() or p.stat().st_mtime_ns > made]
    if not facts.get("source_sha256"):  # no record of what it was made from: by the files' times
        return path, [project.rel(p) for p in newer]
    changed = []
    if not source.is_file() or hashlib.sha256(source.read_bytes()).hexdigest() != facts["source_sha256"]:
        changed.append(source)
    try:
        catalogs_now = _catalogs_hash(project, handout_id, lang)
    except OSError:
        catalogs_now = None
    if catalogs_now != facts.get("catalogs_sha256"):
        changed += [p for p in catalog_files if p in newer] or catalog_files
    return path, [project.rel(p) for p in changed]


def _drop_incomplete(state: State, handout_id: str, lang: Language) -> list[Outcome]:
    """Remove every output made from an incomplete translation of this pair (the files, and
    their records, so that the bundle and manifest leave them too): it is complete now."""
    dropped = []
    prefix = f"{handout_id}/{lang.tag}/"
    keep = {file for name, record in state.targets.items() if not name.endswith(INCOMPLETE)
            for file in record.get("files", {})}
    names = sorted(n for n in state.targets if n.startswith(prefix) and n.endswith(INCOMPLETE))
    for name in names:
        record = state.targets.pop(name)
        output = name[len(prefix):-len(INCOMPLETE)]
        for path in state.paths(record):
            if path.relative_to(state.dist).as_posix() not in keep:
                path.unlink(missing_ok=True)
                dropped.append(Outcome(handout_id, lang, output, "removed", path,
                                       detail="made from an incomplete translation; it is complete now"))
    if names:
        state.save()
    return dropped


def build(
    project: Project,
    handout_ids: list[str] | None = None,
    tags: list[Language] | None = None,
    options: BuildOptions | None = None,
    progress: Callable[[str], None] = lambda name: None,
) -> list[Outcome]:
    """Build every requested handout x language x output that is not up to date.
    A blocked language never stops the others; finished outputs survive any interruption."""
    from .limits import worker_memory

    options = options or BuildOptions()
    worker_memory()  # a bad HANDOUTKIT_WORKER_MEMORY is a usage error before anything starts
    dist = project.dist_dir
    with BuildLock(dist):
        forget_inputs()
        clean_temporaries(dist)
        state = State.load(dist)
        return _build(project, handout_ids, tags, options, progress, state)


def _build(project, handout_ids, tags, options, progress, state: State) -> list[Outcome]:
    outcomes: list[Outcome] = []
    work: list[tuple[str, Language, str, list[tuple[str, str, str]]]] = []
    changed = False  # the index, bundles or manifest must say something new, though nothing may be made
    for handout_id in handout_ids or project.handout_ids():
        for lang in project.languages(handout_id):
            if tags is not None and lang.locale not in {t.locale for t in tags}:
                continue
            common = language_key(project, handout_id, lang, options)
            known = state.languages.get(f"{handout_id}/{lang.locale}")
            if known and known["key"] == common and not options.allow_incomplete:
                for output in options.outputs:  # blocked before, and nothing changed since
                    outcomes.append(Outcome(handout_id, lang, output, "blocked", detail=known.get("summary", ""),
                                            problems=known["problems"],
                                            warnings=known["warnings"] if output == options.outputs[0] else []))
                continue
            todo = []
            complete = False  # a normal output is up to date: these inputs passed the gate
            for output in options.outputs:
                try:
                    key = target_key(project, lang, output, common, options)
                except HandoutkitError as exc:  # e.g. no font installed for the script: this language only
                    outcomes.append(Outcome(handout_id, lang, output, "failed", problems=[f"{lang.name_en}: {exc}"]))
                    continue
                suffix = options.pdf.suffix if output == "pdf" else options.audio.suffix
                name = f"{handout_id}/{lang.tag}/{output}{suffix}"
                record = state.up_to_date(name, key)
                if record is None and options.allow_incomplete:
                    record = state.up_to_date(name + INCOMPLETE, key)
                else:
                    complete = complete or record is not None
                if record:
                    files = state.paths(record)
                    outcomes.append(Outcome(handout_id, lang, output, record.get("status", "up to date"),
                                            files[0] if files else None,
                                            detail=record.get("detail", ""), warnings=record.get("warnings", [])))
                else:
                    todo.append((output, name, key))
            if complete and (dropped := _drop_incomplete(state, handout_id, lang)):
                outcomes += dropped
                changed = True
            if todo and "web" in options.outputs and all(o != "web" for o, _n, _k in todo):
                # the page links the PDF and shows the audio's parts: make it again with them
                key = target_key(project, lang, "web", common, options)
                todo.append(("web", f"{handout_id}/{lang.tag}/web", key))
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
        pair = f"{handout_id}/{lang.locale}"
        if lang_state.blocking:  # blocked for the normal outputs, even when --allow-incomplete makes marked ones
            blocked_now = {"key": common, "summary": lang_state.summary, "problems": lang_state.reasons,
                           "warnings": lang_state.warnings}
            if state.languages.get(pair) != blocked_now:
                state.languages[pair] = blocked_now
                state.save()
                changed = True
        elif state.languages.pop(pair, None):
            state.save()
            changed = True
        if lang_state.errors or (lang_state.blocking and not options.allow_incomplete):
            for output, _name, _key in todo:
                outcomes.append(Outcome(handout_id, lang, output, "blocked", detail=lang_state.summary,
                                        problems=lang_state.reasons,
                                        warnings=lang_state.warnings if output == todo[0][0] else []))
            continue
        # made from catalogs the gate blocks (--allow-incomplete): every file is named and marked
        # as such, and kept apart from the language's normal outputs, bundle and index entry
        incomplete = bool(lang_state.blocking)
        if not incomplete:  # complete now: what was made while it was not goes, in this build
            dropped = _drop_incomplete(state, handout_id, lang)
            outcomes += dropped
            changed = changed or bool(dropped)
        try:
            doc = localized(handout, lang_state, options.values, options.site)
        except HandoutkitError as exc:
            for output, _name, _key in todo:
                outcomes.append(Outcome(handout_id, lang, output, "failed", problems=[str(exc)]))
            continue
        folder = project.output_dir(handout_id, lang)
        catalogs_hash = _catalogs_hash(project, handout_id, lang)
        source_hash = hashlib.sha256(handout.path.read_bytes()).hexdigest()
        mark = "-incomplete" if incomplete else ""
        for output, name, key in todo:
            outcome = Outcome(handout_id, lang, output, "built", warnings=list(lang_state.warnings))
            if incomplete:
                name += INCOMPLETE
                outcome.warnings = lang_state.reasons + outcome.warnings
            outcomes.append(outcome)
            if output == "web":
                web_jobs.append(_Job(outcome, name, key, doc, [folder / f"index{mark}.html"],
                                     catalogs=catalogs_hash, source=source_hash))
            elif output == "pdf":
                target = folder / _pdf_name(handout_id, lang, options, incomplete)
                pdf_jobs.append(_Job(outcome, name, key, doc, [target], catalogs=catalogs_hash, source=source_hash))
            else:
                base = folder / _audio_base(handout_id, lang, options, incomplete)
                audio_jobs.append(_Job(outcome, name, key, doc, [base.with_suffix(".mp3"),
                                       base.with_name(base.name + "-warning-signs.mp3"), base.with_suffix(".vtt")],
                                       catalogs=catalogs_hash, source=source_hash))

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
    # always in a worker, under its memory limit: audio grows with the text (hours of it at the input limits)
    _run(ready, speak, lambda j: (j.doc, j.spoken, j.engine, j.fallback, options.audio),
         options.jobs, audio_done, progress)
    if web_jobs:
        from .render.pdf import PdfRenderer
        from .render.web import page_html

        renderer = PdfRenderer(project.templates_dir)
        for job in web_jobs:
            doc = job.doc
            progress(job.name)
            incomplete = job.name.endswith(INCOMPLETE)
            pdf_name = _pdf_name(doc.handout_id, doc.language, options, incomplete)
            audio = _audio_base(doc.handout_id, doc.language, options, incomplete)
            try:
                html = page_html(renderer, doc, job.files[0].parent, audio, pdf_name)
            except HandoutkitError as exc:  # this page only: the PDFs and audio already made still count
                job.outcome.status, job.outcome.problems = "failed", [str(exc)]
                continue
            write_atomic(job.files[0], html.encode("utf-8"))
            job.outcome.path = job.files[0]
            state.record(job.name, job.key, job.files, "", [], facts=_facts(job, "Jinja2"))
    if pdf_jobs or ready or web_jobs or changed or not (project.dist_dir / "manifest.json").exists():
        from .bundle import write_bundles

        write_bundles(project, state)
    return outcomes


def _facts(job: _Job, engine: str) -> dict:
    """What the manifest says of a target's files, keys sorted as state.json keeps them: a manifest
    written from a loaded state then has the same bytes as one from a clean build."""
    doc = job.doc
    incomplete = {"incomplete": True} if job.name.endswith(INCOMPLETE) else {}
    return dict(sorted({
        **incomplete,
        "handout": doc.handout_id,
        "language": doc.language.tag,
        "source_version": doc.version,
        "source_sha256": job.source,
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
