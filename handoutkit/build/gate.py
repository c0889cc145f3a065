"""Step 2 of a build, the gate: what one language's catalogs say of one handout (translated
messages, labels, problems, review status), and the one localized model made from them."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from babel.messages.catalog import Catalog

from .. import catalogs, review
from ..errors import HandoutkitError
from ..extract import TEMPLATES_DOMAIN, templates_template
from ..gate import Problem, Wanted, gate
from ..languages import Language
from ..localize import localize, wanted
from ..model import Labels, LocalizedHandout, Review
from ..project import Project
from ..site import Site
from ..source import Handout

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
            problems.extend(gate(want, None, rel, handout.names))
            missing.append(rel)
            continue
        loaded[domain] = catalog
        problems.extend(gate(want, catalog, rel, handout.names))
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


def localized(handout: Handout, state: LanguageState, site: Site | None = None) -> LocalizedHandout:
    return localize(
        handout,
        state.language,
        state.translated,
        state.labels,
        translation_review=state.translation_review,
        source_review=state.source_review,
        site=site,
        fallback=bool(state.blocking),
    )
