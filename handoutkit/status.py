"""Where a handout stands in each language: how much is translated, whether a qualified
reviewer signed it off, whether the gate blocks it and why. `make-handouts status` prints it;
the counter app shows it; both read it here."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from .build import language_state, template_wanted
from .languages import Language
from .outputs.braille import NO_TABLE
from .project import Project
from .source import Handout


@dataclass(frozen=True)
class Standing:
    """One handout in one language."""

    handout_id: str
    language: Language
    done: int  # messages translated (the whole count for the English source)
    total: int
    fuzzy: int
    missing: int
    review: str  # 'reviewed', 'unreviewed' or 'out of date'
    reviewer: str | None
    audio: str  # 'offline', 'online only' or 'no voice'
    braille: str  # the first braille table, or NO_TABLE
    blocked: str  # why the gate blocks it, in a few words ('' when it does not)
    reasons: tuple[str, ...]  # every blocking problem
    warnings: tuple[str, ...]  # what a translator should check (not blocking)

    @property
    def verdict(self) -> str:
        if self.blocked:
            return f"blocked: {self.blocked}"
        return "ready" + (f" ({len(self.warnings)} to check)" if self.warnings else "")

    @property
    def complete(self) -> bool:
        return not self.blocked and self.done == self.total

    @property
    def draft(self) -> bool:
        """Printed and spoken with the draft notice: no current sign-off."""
        return self.review != "reviewed"


def standing(project: Project, handout: Handout, lang: Language, voices, tmpl: dict | None = None) -> Standing:
    """Where one handout stands in one language (voices: a speech.voices.Voices)."""
    tmpl = template_wanted(project, handout) if tmpl is None else tmpl
    total = len({(m.text, m.context) for m in handout.messages()}) + len(tmpl)
    state = language_state(project, handout, lang, tmpl)
    done = total if lang.is_source else total - len(
        {(p.po_path, p.wanted.msgid, p.wanted.context) for p in state.problems if p.blocking})
    rev = state.source_review if lang.is_source else state.translation_review
    return Standing(handout.id, lang, done, total,
                    fuzzy=sum(1 for p in state.problems if p.kind == "fuzzy"),
                    missing=sum(1 for p in state.problems if p.kind == "missing"),
                    review=rev.status, reviewer=rev.reviewer, audio=voices.reach(lang),
                    braille=lang.braille[0] if lang.braille else NO_TABLE,
                    blocked=state.summary if state.blocking else "", reasons=tuple(state.reasons),
                    warnings=tuple(state.warnings))


def every_standing(project: Project) -> Iterator[Standing]:
    """Every handout in every language of the project, in the order `status` prints them."""
    from .speech.voices import Voices

    voices = Voices(project, "auto")
    for handout_id in project.handout_ids():
        handout = project.handout(handout_id)
        tmpl = template_wanted(project, handout)
        for lang in project.languages(handout_id):
            yield standing(project, handout, lang, voices, tmpl)
