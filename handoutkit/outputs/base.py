"""What every output kind declares, as a Sphinx builder does: its name, its files, what its
key depends on, and how one job renders from the localized model and is written."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from ..languages import Language
from ..model import LocalizedHandout
from ..options import BuildOptions


@dataclass
class Outcome:
    handout: str
    language: Language
    output: str
    status: str  # built, blocked, failed, no voice, up to date, removed
    path: Path | None = None
    detail: str = ""
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


INCOMPLETE = "+incomplete"  # ends the name of a target made from an incomplete translation


@dataclass
class Job:
    """One target to make: an output of one handout in one language."""

    output: Output
    outcome: Outcome
    name: str  # handout/tag/output+edition, +incomplete when made from an incomplete translation
    key: str
    doc: LocalizedHandout
    files: list[Path]
    catalogs: str | None = None  # SHA-256 of the catalogs it was made from
    source: str = ""  # SHA-256 of the handout.md it was made from
    prepared: dict[str, Any] = field(default_factory=dict)  # what an output's prepare step found for it

    @property
    def incomplete(self) -> bool:
        return self.name.endswith(INCOMPLETE)


@dataclass(frozen=True)
class Written:
    """What writing a job's result put on disk, for the state and the manifest."""

    files: list[Path]
    detail: str
    engine: str


class Output:
    """An output kind. Subclasses set the class attributes and override what differs."""

    name: ClassVar[str]  # the --output choice and the target's kind: 'pdf'
    title: ClassVar[str]  # for people: 'large-print PDF'
    needs: ClassVar[tuple[str, ...]] = ()  # outputs it shows: it is made again whenever one of them is
    in_worker: ClassVar[bool] = True  # rendered in worker processes (bounded memory), or here
    alone_here: ClassVar[bool] = False  # as a build's only job, rendered here (no worker to start)
    is_page: ClassVar[bool] = False  # the page of a language that the build's index links to
    link: ClassVar[str] = ""  # the msgid of the phone page's link to its main file ('' for none); in templates/labels.html

    def edition(self, options: BuildOptions) -> str:
        """The file-name suffix of a non-default edition ('' for the default)."""
        return ""

    def target(self, handout_id: str, lang: Language, options: BuildOptions) -> str:
        return f"{handout_id}/{lang.tag}/{self.kind(lang)}{self.edition(options)}"

    def kind(self, lang: Language) -> str:
        """The target's kind for this language: the output's name, and a spoken edition's code ('audio-yue')."""
        return f"{self.name}-{lang.edition}" if lang.edition else self.name

    def variants(self, lang: Language) -> list[Language]:
        """The language as each target of this output makes it: once, except where an output has
        editions of its own (the audio of each spoken edition)."""
        return [lang]

    def files(self, folder: Path, handout_id: str, lang: Language, options: BuildOptions,
              incomplete: bool) -> list[Path]:
        """Every file one job writes, the main one first."""
        raise NotImplementedError

    def key(self, project, lang: Language, options: BuildOptions) -> list:
        """What the output depends on beyond the language's text (JSON: content hashes, versions, options)."""
        raise NotImplementedError

    def prepare(self, project, jobs: list[Job], options: BuildOptions, state) -> list[Job]:
        """Work done once for all jobs before they run (here, not in a worker); the jobs to run."""
        return jobs

    def task(self, project, job: Job, options: BuildOptions) -> tuple[Callable, tuple]:
        """The function (importable in a worker) and its arguments that render one job:
        it returns (result, warnings, error or None)."""
        raise NotImplementedError

    def write(self, job: Job, result: Any) -> Written:
        """Write a rendered result to the job's files, whole (write_atomic)."""
        raise NotImplementedError
