"""Step 1 of a build, plan: which targets (handout x language x output) are not up to date.
A target whose key and files are unchanged is kept; a language blocked before whose inputs
have not changed is blocked again without reading its catalogs."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..errors import HandoutkitError
from ..languages import Language
from ..options import BuildOptions
from ..outputs import INCOMPLETE, Outcome, get
from ..plan import State, language_key, target_key
from ..project import Project
from .write import drop_incomplete


@dataclass
class Todo:
    output: str
    name: str
    key: str
    language: Language | None = None  # the language as this target makes it (a spoken edition), if not the pair's

    @property
    def kind(self) -> str:
        """The output as the report names it: 'audio', or 'audio-yue' for a spoken edition."""
        return f"{self.output}-{self.language.edition}" if self.language is not None and self.language.edition else self.output


@dataclass
class Pending:
    """One language of one handout with targets to make."""

    handout_id: str
    language: Language
    common: str  # the key of everything the language's text depends on
    todo: list[Todo] = field(default_factory=list)


def requested(project: Project, handout_ids: list[str] | None, tags: list[Language] | None):
    """(handout id, language) for every pair asked for."""
    for handout_id in handout_ids or project.handout_ids():
        for lang in project.languages(handout_id):
            if tags is None or lang.locale in {t.locale for t in tags}:
                yield handout_id, lang


def plan(project: Project, handout_ids: list[str] | None, tags: list[Language] | None, options: BuildOptions,
         state: State, outcomes: list[Outcome]) -> tuple[list[Pending], bool]:
    """The pairs with something to make, and whether the index, bundles or manifest must say
    something new though nothing may be made. Outcomes of what is kept go to outcomes."""
    pending: list[Pending] = []
    changed = False
    for handout_id, lang in requested(project, handout_ids, tags):
        common = language_key(project, handout_id, lang, options)
        known = state.languages.get(f"{handout_id}/{lang.locale}")
        if known and known["key"] == common and not options.allow_incomplete:
            for output in options.outputs:  # blocked before, and nothing changed since
                outcomes.append(Outcome(handout_id, lang, output, "blocked", detail=known.get("summary", ""),
                                        problems=known["problems"],
                                        warnings=known["warnings"] if output == options.outputs[0] else []))
            continue
        pair = Pending(handout_id, lang, common)
        complete = _keep_or_todo(project, pair, options, state, outcomes)
        if complete and (dropped := drop_incomplete(state, handout_id, lang)):
            outcomes += dropped
            changed = True
        _with_dependents(project, pair, options, outcomes)
        if pair.todo:
            pending.append(pair)
    return pending, changed


def _keep_or_todo(project: Project, pair: Pending, options: BuildOptions, state: State,
                  outcomes: list[Outcome]) -> bool:
    """Each output of the pair: kept (its outcome added) or to make (added to pair.todo). True when
    a normal (complete) output is up to date: these inputs passed the gate."""
    complete = False
    for output, lang in ((o, v) for o in options.outputs for v in get(o).variants(pair.language)):
        kind = get(output).kind(lang)
        try:
            key = target_key(project, lang, output, pair.common, options)
        except HandoutkitError as exc:  # e.g. no font installed for the script: this language only
            outcomes.append(Outcome(pair.handout_id, pair.language, kind, "failed",
                                    problems=[f"{pair.language.name_en}: {exc}"]))
            continue
        name = get(output).target(pair.handout_id, lang, options)
        record = state.up_to_date(name, key)
        if record is None and options.allow_incomplete:
            record = state.up_to_date(name + INCOMPLETE, key)
        else:
            complete = complete or record is not None
        if record:
            files = state.paths(record)
            outcomes.append(Outcome(pair.handout_id, pair.language, kind, record.get("status", "up to date"),
                                    files[0] if files else None,
                                    detail=record.get("detail", ""), warnings=record.get("warnings", [])))
        else:
            pair.todo.append(Todo(output, name, key, lang if lang is not pair.language else None))
    return complete


def _with_dependents(project: Project, pair: Pending, options: BuildOptions, outcomes: list[Outcome]) -> None:
    """An output that shows others (the phone page links the PDF and the audio) is made again with them."""
    making = {t.output for t in pair.todo}
    for output in options.outputs:
        needs = set(get(output).needs)
        if output in making or not (needs & making):
            continue
        key = target_key(project, pair.language, output, pair.common, options)
        pair.todo.append(Todo(output, get(output).target(pair.handout_id, pair.language, options), key))
        making.add(output)
        outcomes[:] = [o for o in outcomes if not (o.handout == pair.handout_id and o.language == pair.language
                                                  and o.output == output)]
