"""Builds started from the counter: one at a time per counter, in a thread of their own, with
progress that the page reads while it runs. The build itself is the command line's
(build(), its lock and its report lines); another build holding the folder is said, not waited on."""

from __future__ import annotations

import datetime as dt
import io
import threading
from dataclasses import dataclass, field

from ..build import build
from ..errors import HandoutkitError
from ..languages import Language
from ..options import BuildOptions
from ..project import Project
from ..report import exit_code, print_lines


@dataclass
class Run:
    number: int
    handout_id: str
    language: Language
    outputs: tuple[str, ...]
    fallback: bool
    started: str = field(default_factory=lambda: dt.datetime.now().strftime("%H:%M:%S"))
    total: int | None = None
    made: list[str] = field(default_factory=list)
    state: str = "running"  # running, finished, failed, refused
    report: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"number": self.number, "state": self.state, "total": self.total, "made": list(self.made),
                "report": list(self.report), "handout": self.handout_id, "language": self.language.tag}


class Builds:
    """The counter's builds, by number; at most one running."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._runs: dict[int, Run] = {}

    def get(self, number: int) -> Run | None:
        return self._runs.get(number)

    def running(self) -> Run | None:
        return next((r for r in self._runs.values() if r.state == "running"), None)

    def start(self, project: Project, handout_id: str, lang: Language, options: BuildOptions) -> Run:
        """Start one build in a thread; BusyError when one of this counter's is still running."""
        with self._lock:
            busy = self.running()
            if busy is not None:
                raise BusyError(f"a build is running (started at {busy.started}, {busy.handout_id} in"
                                f" {busy.language.name_en}); wait for it to finish, then start this one")
            run = Run(len(self._runs) + 1, handout_id, lang, options.outputs, options.allow_incomplete)
            self._runs[run.number] = run
        threading.Thread(target=self._work, args=(run, project, options), daemon=True).start()
        return run

    @staticmethod
    def _work(run: Run, project: Project, options: BuildOptions) -> None:
        def planned(count: int) -> None:
            run.total = count

        try:
            outcomes = build(project, [run.handout_id], [run.language], options, progress=run.made.append,
                             planned=planned)
        except HandoutkitError as exc:
            run.report, run.state = [str(exc)], "refused"
            return
        except Exception as exc:  # noqa: BLE001  (a thread has no one else to tell: said on the page)
            run.report, run.state = [f"the build stopped: {exc}"], "failed"
            return
        out = io.StringIO()
        print_lines(outcomes, project, out, out)
        run.report = out.getvalue().splitlines()
        run.state = "finished" if exit_code(outcomes) == 0 else "failed"


class BusyError(HandoutkitError):
    """This counter is already running a build."""
