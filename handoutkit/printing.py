"""Printing at the counter, for the command line and the counter app alike: the file to print
(built now if out of date, or, while another build holds the folder, the last finished one:
printing never waits on a build), and the CUPS queue it goes to."""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from .build import build, last_finished_pdf
from .errors import HandoutkitError
from .languages import Language
from .lock import BuildLocked
from .options import BuildOptions
from .outputs import Outcome
from .project import Project
from .site import PRINTER_RE

MAX_COPIES = 20


class PrintError(HandoutkitError):
    """The printer service refused the job, or there is nothing to print yet."""


@dataclass(frozen=True)
class ToPrint:
    """What will be printed: the file, what was built for it (empty when the last finished file
    is printed), and what staff must be told first: that a build is running, that the file is
    the older handout."""

    path: Path | None
    outcomes: list[Outcome]
    busy: str = ""
    older: str = ""


def file_to_print(project: Project, handout_id: str, lang: Language, options: BuildOptions, edition: str,
                  build_now=build) -> ToPrint:
    """The edition's file, made now if it is out of date. While another build holds the folder
    it does not wait: it is the last finished file, with a note if that one is older than the
    inputs. A blocked language gives path None and the build's outcomes (which say why)."""
    options = dataclasses.replace(options, outputs=(edition,))
    try:
        outcomes = build_now(project, [handout_id], [lang], options)
    except BuildLocked as busy:
        path, changed = last_finished_pdf(project, handout_id, lang, options, edition)
        running = busy.message.split(";")[0]
        what = "braille file" if edition == "braille" else "PDF"
        if path is None:
            raise BuildLocked(f"no finished {what} of {handout_id} in {lang.name_en} yet, and {running};"
                              " print again when it has finished", busy.path) from None
        older = (f"this {what} was made before the latest change to {', '.join(changed)}: it is the older"
                 " handout (it passed the checks when it was made); print again after the build for the new one"
                 if changed else "")
        return ToPrint(path, [], f"{running}: printing the last finished {what}, {project.rel(path)}", older)
    from .report import GOOD

    made = outcomes[0] if outcomes else None
    ok = made is not None and all(o.status in GOOD for o in outcomes) and made.path is not None
    return ToPrint(made.path if ok else None, outcomes)


def scheduler_running() -> bool:
    """Whether a CUPS scheduler answers here (lp and lpstat say so)."""
    return bool(shutil.which("lp") and shutil.which("lpstat") and subprocess.run(
        ["lpstat", "-r"], capture_output=True, text=True).stdout.strip().endswith("is running"))


def send(path: Path, printer: str | None = None, copies: int = 1, raw: bool = False) -> str:
    """Send a file to a CUPS queue (the default one when printer is None); what lp said.
    raw: as it is, for an embosser that reads braille-ready files."""
    if printer is not None and not PRINTER_RE.match(printer):
        raise PrintError(f"'{printer}' is not a printer queue name")
    if not 1 <= copies <= MAX_COPIES:
        raise PrintError(f"copies must be 1 to {MAX_COPIES}")
    command = ["lp", *(["-d", printer] if printer else []), "-n", str(copies), *(["-o", "raw"] if raw else []), str(path)]
    sent = subprocess.run(command, capture_output=True, text=True, timeout=60)
    if sent.returncode != 0:
        raise PrintError(f"lp could not print {path.name}: {sent.stderr.strip() or 'no reason given'}")
    return sent.stdout.strip()
