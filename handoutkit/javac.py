"""A small Java entry point (handoutkit/java/*.java) compiled once per source and jar, for the
validators that run in one JVM for many files (veraPDF in pdfua.py, EPUBCheck in epub_check.py)."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from pathlib import Path

from .errors import CheckError


def compiled(source: Path, classpath: str, jar: Path, cache: Path, setup: str) -> Path:
    """The folder holding source's class, compiled with classpath under cache (again when the source
    or the validator's jar changes)."""
    key = hashlib.sha256(source.read_bytes() + str(jar.stat().st_size).encode()).hexdigest()[:16]
    out = cache / source.stem.lower() / key
    if not (out / f"{source.stem}.class").is_file():
        if shutil.which("javac") is None:
            raise CheckError(f"{source.stem} needs a Java compiler (javac): {setup}")
        tmp = out.with_name(key + ".tmp")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        proc = subprocess.run(["javac", "-d", str(tmp), "-cp", classpath, str(source)], capture_output=True, text=True)
        if proc.returncode != 0:
            raise CheckError(f"could not compile {source.name}: {proc.stderr.strip().splitlines()[0]}")
        shutil.rmtree(out, ignore_errors=True)
        tmp.rename(out)
    return out
