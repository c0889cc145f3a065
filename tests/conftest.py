"""Shared fixtures: a throwaway copy of the project, and the CLI run in-process."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from handoutkit.cli import main

ROOT = Path(__file__).resolve().parent.parent
CORE_LOCALES = ("es",)


def tracked_locales() -> list[str]:
    """Locales committed to git (a working tree may hold drafts in progress)."""
    out = subprocess.run(["git", "ls-files", "locales"], cwd=ROOT, capture_output=True, text=True).stdout
    found = {Path(line).parts[1] for line in out.splitlines() if len(Path(line).parts) > 3}
    return sorted(found) or list(CORE_LOCALES)


@dataclass
class Result:
    code: int
    out: str
    err: str


class ProjectCopy:
    def __init__(self, root: Path, capsys: pytest.CaptureFixture[str]):
        self.root = root
        self.capsys = capsys

    def run(self, *args: str) -> Result:
        self.capsys.readouterr()
        code = main(["--project", str(self.root), *args])
        captured = self.capsys.readouterr()
        return Result(code, captured.out, captured.err)

    def po(self, locale: str, domain: str = "baclofen-withdrawal") -> Path:
        return self.root / "locales" / locale / "LC_MESSAGES" / f"{domain}.po"

    def pdf(self, tag: str, suffix: str = "", handout: str = "baclofen-withdrawal") -> Path:
        return self.root / "dist" / handout / tag / f"{handout}-{tag}{suffix}.pdf"


def copy_project(dest: Path, locales: tuple[str, ...] | list[str] = CORE_LOCALES) -> Path:
    for name in ("handouts", "templates"):
        shutil.copytree(ROOT / name, dest / name)
    (dest / "locales").mkdir()
    for pot in (ROOT / "locales").glob("*.pot"):
        shutil.copy(pot, dest / "locales" / pot.name)
    for locale in locales:
        shutil.copytree(ROOT / "locales" / locale, dest / "locales" / locale)
    return dest


@pytest.fixture
def project_es(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> ProjectCopy:
    monkeypatch.delenv("HANDOUTKIT_DIST", raising=False)
    return ProjectCopy(copy_project(tmp_path / "proj"), capsys)


@pytest.fixture
def project(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> ProjectCopy:
    monkeypatch.delenv("HANDOUTKIT_DIST", raising=False)
    return ProjectCopy(copy_project(tmp_path / "proj", locales=()), capsys)


@pytest.fixture(scope="session")
def built_core(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """English and Spanish built once for the read-only PDF checks."""
    root = copy_project(tmp_path_factory.mktemp("core") / "proj")
    code = main(["--project", str(root), "build", "--output", "pdf"])
    assert code == 0
    return root
