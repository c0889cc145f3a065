"""Build, in the steps a reader expects: plan the targets (targets.py), gate each language's
catalogs and localize (gate.py), run each output's jobs in worker processes (run.py), write
each result whole (write.py), then the index, bundles and manifest (bundle.py). All under a
lock. Renderers know nothing of gettext, files or this plan; the build knows outputs only
through their registry (outputs/)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import replace

from ..errors import HandoutkitError
from ..files import write_atomic
from ..languages import Language, forget_tables
from ..lock import BuildLock
from ..options import BuildOptions
from ..outputs import INCOMPLETE, REGISTRY, Job, Outcome, get
from ..plan import State, clean_temporaries, forget_inputs
from ..project import Project
from .finished import catalogs_hash, last_finished_pdf
from .gate import LanguageState, language_state, localized, template_wanted
from .run import run
from .targets import Pending, plan
from .write import drop_incomplete, finish

__all__ = ["BuildOptions", "LanguageState", "Outcome", "build", "language_state", "last_finished_pdf",
           "localized", "template_wanted", "write_atomic"]


def build(
    project: Project,
    handout_ids: list[str] | None = None,
    tags: list[Language] | None = None,
    options: BuildOptions | None = None,
    progress: Callable[[str], None] = lambda name: None,
    planned: Callable[[int], None] = lambda count: None,
) -> list[Outcome]:
    """Build every requested handout x language x output that is not up to date.
    A blocked language never stops the others; finished outputs survive any interruption.
    progress is called with each target's name as it is made; planned, once, with how many will be."""
    from ..bundle import write_bundles
    from ..limits import worker_memory

    options = options or BuildOptions()
    worker_memory()  # a bad HANDOUTKIT_WORKER_MEMORY is a usage error before anything starts
    with BuildLock(project.dist_dir):
        forget_inputs()
        forget_tables()
        clean_temporaries(project.dist_dir)
        state = State.load(project.dist_dir)
        outcomes: list[Outcome] = []
        pending, changed = plan(project, handout_ids, tags, options, state, outcomes)
        jobs, gated = gate(project, pending, options, state, outcomes)
        planned(len(jobs))
        made = make(project, jobs, options, state, progress)
        if made or changed or gated or not (project.dist_dir / "manifest.json").exists():
            write_bundles(project, state)
        return outcomes


def gate(project: Project, pending: list[Pending], options: BuildOptions, state: State,
         outcomes: list[Outcome]) -> tuple[list[Job], bool]:
    """Each pending language through the gate: its jobs, or its outcomes as blocked or failed; and
    whether what the state says of a language changed (blocked now, or no longer)."""
    jobs: list[Job] = []
    changed = False
    handouts: dict[str, tuple] = {}
    for pair in pending:
        if pair.handout_id not in handouts:
            handout = project.handout(pair.handout_id)
            handouts[pair.handout_id] = (handout, template_wanted(project, handout))
        handout, tmpl = handouts[pair.handout_id]
        found = language_state(project, handout, pair.language, tmpl)
        changed = _remember_blocked(state, pair, found) or changed
        if found.errors or (found.blocking and not options.allow_incomplete):
            for todo in pair.todo:
                outcomes.append(Outcome(pair.handout_id, pair.language, todo.kind, "blocked", detail=found.summary,
                                        problems=found.reasons,
                                        warnings=found.warnings if todo is pair.todo[0] else []))
            continue
        # made from catalogs the gate blocks (--allow-incomplete): every file is named and marked
        # as such, and kept apart from the language's normal outputs, bundle and index entry
        incomplete = bool(found.blocking)
        if not incomplete:  # complete now: what was made while it was not goes, in this build
            dropped = drop_incomplete(state, pair.handout_id, pair.language)
            outcomes += dropped
            changed = changed or bool(dropped)
        try:
            doc = localized(handout, found, project.site)
        except HandoutkitError as exc:
            outcomes += [Outcome(pair.handout_id, pair.language, t.kind, "failed", problems=[str(exc)])
                         for t in pair.todo]
            continue
        folder = project.output_dir(pair.handout_id, pair.language)
        made_from = catalogs_hash(project, pair.handout_id, pair.language)
        source = hashlib.sha256(handout.path.read_bytes()).hexdigest()
        for todo in pair.todo:
            output, lang = get(todo.output), todo.language or pair.language
            outcome = Outcome(pair.handout_id, pair.language, output.kind(lang), "built", warnings=list(found.warnings))
            if incomplete:
                outcome.warnings = found.reasons + outcome.warnings
            outcomes.append(outcome)
            files = output.files(folder, pair.handout_id, lang, options, incomplete)
            edition = doc if lang is pair.language else replace(doc, language=lang)  # a spoken edition's voices
            jobs.append(Job(output, outcome, todo.name + (INCOMPLETE if incomplete else ""), todo.key, edition, files,
                            made_from, source))
    return jobs, changed


def _remember_blocked(state: State, pair: Pending, found: LanguageState) -> bool:
    """Keep in the state why a language is blocked (or that it is no longer); True when that changed."""
    name = f"{pair.handout_id}/{pair.language.locale}"
    if found.blocking:  # blocked for the normal outputs, even when --allow-incomplete makes marked ones
        now = {"key": pair.common, "summary": found.summary, "problems": found.reasons, "warnings": found.warnings}
        if state.languages.get(name) == now:
            return False
        state.languages[name] = now
    elif state.languages.pop(name, None) is None:
        return False
    state.save()
    return True


def make(project: Project, jobs: list[Job], options: BuildOptions, state: State,
         progress: Callable[[str], None]) -> bool:
    """Run the jobs output by output, in the registry's order (an output that shows others comes
    after them); each result is written as it arrives. True when anything was made."""
    in_workers = [j for j in jobs if j.output.in_worker]
    made = False
    for output in REGISTRY.values():
        mine = [j for j in jobs if j.output is output]
        if not mine:
            continue
        ready = output.prepare(project, mine, options, state)
        here = not output.in_worker or (output.alone_here and len(in_workers) == 1)
        run(ready, lambda job, output=output: output.task(project, job, options), options.jobs,
            lambda job, result: finish(state, job, result), progress, here=here)
        made = made or bool(ready)
    return made
