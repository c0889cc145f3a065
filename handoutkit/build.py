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
    status: str  # built, blocked, failed
    path: Path | None = None
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


def build(
    project: Project,
    handout_ids: list[str] | None = None,
    tags: list[Language] | None = None,
    pdf_options: PdfOptions = PdfOptions(),
    allow_incomplete: bool = False,
    values: dict[str, str] | None = None,
) -> list[Outcome]:
    """Build every requested handout x language; a blocked language never stops the others."""
    outcomes: list[Outcome] = []
    renderer = PdfRenderer(project.templates_dir)
    for handout_id in handout_ids or project.handout_ids():
        handout = project.handout(handout_id)
        tmpl_wanted = template_wanted(project, handout)
        available = project.languages(handout_id)
        chosen = [lang for lang in available if tags is None or lang.locale in {t.locale for t in tags}]
        for lang in chosen:
            state = language_state(project, handout, lang, tmpl_wanted)
            outcome = Outcome(handout_id, lang, "pdf", "built", warnings=state.warnings)
            outcomes.append(outcome)
            if state.errors or (state.blocking and not allow_incomplete):
                outcome.status, outcome.problems = "blocked", state.blocking
                continue
            incomplete = bool(state.blocking)
            name = f"{handout_id}-{lang.tag}{pdf_options.suffix}{'-incomplete' if incomplete else ''}.pdf"
            target = project.output_dir(handout_id, lang) / name
            try:
                doc = localized(handout, state, values)
                pdf = renderer.render(doc, pdf_options, where=project.rel(target))
            except HandoutkitError as exc:
                outcome.status, outcome.problems = "failed", [str(exc)]
                continue
            write_atomic(target, pdf)
            outcome.path = target
            if incomplete:
                outcome.warnings = state.blocking + outcome.warnings
    return outcomes
