"""Robustness cases: each starts from a project that was built once and good
(English and a complete throwaway Italian catalog, PDFs), copied for the case,
so that every case can check that the last good outputs stay byte for byte."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po

from handoutkit.cli import main

from ..conftest import ProjectCopy, Result, copy_project, edit, fill_catalogs, line_of

LOCALE = "it"  # a throwaway catalog filled as '[it] English', so no case depends on a real draft
HANDOUT = "baclofen-withdrawal"


def set_msgstr(po: Path, msgid: str, msgstr: str) -> int:
    """Give one message a new translation; returns the line of its entry."""
    with po.open("rb") as fh:
        catalog = read_po(fh)
    catalog[msgid].string = msgstr
    with po.open("wb") as fh:
        write_po(fh, catalog)
    with po.open("rb") as fh:
        return read_po(fh)[msgid].lineno


def snapshot(dist: Path) -> dict[str, bytes]:
    """Every output file under dist/, by path (the build's own bookkeeping aside)."""
    if not dist.is_dir():
        return {}
    return {p.relative_to(dist).as_posix(): p.read_bytes() for p in sorted(dist.rglob("*"))
            if p.is_file() and ".handoutkit" not in p.relative_to(dist).parts}


def one_line(result: Result, *needles: str, code: int = 1) -> str:
    """The exit code, no traceback, and one line of the errors that holds every needle (returned)."""
    assert result.code == code, (result.code, result.err)
    assert "Traceback" not in result.err + result.out
    lines = [line for line in result.err.splitlines() if all(n in line for n in needles)]
    assert lines, f"no line with {needles} in:\n{result.err}"
    return lines[0]


class Good(ProjectCopy):
    """A built copy of the project, and what its dist/ held before the case ran."""

    def __init__(self, root: Path, capsys: pytest.CaptureFixture[str]):
        super().__init__(root, capsys)
        self.dist = root / "dist"
        self.before = snapshot(self.dist)

    edit = staticmethod(edit)
    line_of = staticmethod(line_of)

    def untouched(self, suffix: str = "") -> None:
        """The last good outputs (those ending with suffix) are there byte for byte;
        nothing half-written, empty or new. The build's index (dist/index.html) is
        left out: it says which languages are blocked, and why."""
        after = {k: v for k, v in snapshot(self.dist).items() if k.endswith(suffix) and k != "index.html"}
        before = {k: v for k, v in self.before.items() if k.endswith(suffix) and k != "index.html"}
        assert sorted(after) == sorted(before)
        for name, data in before.items():
            assert after[name] == data, f"{name} changed"
        assert not [p for p in self.dist.rglob("*") if p.name.endswith(".tmp")]

    def refused(self, result: Result, *needles: str, code: int = 1) -> str:
        """one_line, and the outputs untouched. Returns that line."""
        line = one_line(result, *needles, code=code)
        self.untouched()
        return line

    def po(self, locale: str = LOCALE, domain: str = HANDOUT) -> Path:
        return super().po(locale, domain)


@pytest.fixture(scope="session")
def built_once(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("robust") / "proj", locales=())
    assert main(["--project", str(root), "init", LOCALE]) == 0
    fill_catalogs(root, LOCALE)
    assert main(["--project", str(root), "build", "--output", "pdf", "--lang", "en", "--lang", LOCALE]) == 0
    return root


def copied(src: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Good:
    """A copy of a built project for one case (copy2 keeps times: the copy is up to date)."""
    root = tmp_path / "proj"
    shutil.copytree(src, root, symlinks=True)
    return Good(root, capsys)


@pytest.fixture
def good(built_once: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
         monkeypatch: pytest.MonkeyPatch) -> Good:
    monkeypatch.delenv("HANDOUTKIT_DIST", raising=False)
    return copied(built_once, tmp_path, capsys)
