"""Shared fixtures: a throwaway copy of the project, and the CLI run in-process."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po

from handoutkit.cli import main

ROOT = Path(__file__).resolve().parent.parent
CORE_LOCALES = ("es",)


# make test checks one language of each script and direction (and the three right-to-left ones, whose
# layout differs most); make check-all (HANDOUTKIT_CHECK_ALL=1) every language of the table
SCRIPT_SAMPLE = ("am", "ar", "bn", "es", "fa", "hi", "hy", "ja", "ko", "my", "ru", "ur", "zh_Hans")


def sampled_locales() -> list[str]:
    """Every committed language under make check-all; a language of each script under make test."""
    import os

    tracked = tracked_locales()
    return tracked if os.environ.get("HANDOUTKIT_CHECK_ALL") else [loc for loc in tracked if loc in SCRIPT_SAMPLE]


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


def fill_catalogs(root: Path, locale: str, domains: tuple[str, ...] = ("baclofen-withdrawal", "templates")) -> None:
    """Translate every message of these catalogs as '[locale] English'."""
    for domain in domains:
        path = root / "locales" / locale / "LC_MESSAGES" / f"{domain}.po"
        with path.open("rb") as fh:
            catalog = read_po(fh)
        for message in catalog:
            if message.id:
                message.string = f"[{locale}] {message.id}"
        with path.open("wb") as fh:
            write_po(fh, catalog)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), "utf-8")


def line_of(path: Path, needle: str) -> int:
    for number, line in enumerate(path.read_text("utf-8", errors="replace").splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(needle)


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


PPD = Path("/usr/share/ppd/cups-pdf/CUPS-PDF_opt.ppd")


@pytest.fixture(scope="module")
def cups_pdf_queue() -> Path:
    """A real CUPS queue that prints to PDF files (Debian cups + printer-driver-cups-pdf), started here."""
    if os.geteuid() != 0 or not shutil.which("cupsd") or not PPD.exists():
        pytest.skip("needs root, cups and printer-driver-cups-pdf")

    def running() -> bool:
        return subprocess.run(["lpstat", "-r"], capture_output=True, text=True).stdout.strip().endswith("is running")

    if not running():
        subprocess.run(["/usr/sbin/cupsd"], check=False)
        for _ in range(50):
            if running():
                break
            time.sleep(0.2)
        else:
            pytest.skip("the CUPS scheduler could not be started here")
    # poppler's pdftocairo turns the PDF into PostScript for cups-pdf with its text intact, so what
    # reaches the queue can be read back (CUPS' default renderer draws Type 3 glyphs without text)
    subprocess.run(["lpadmin", "-p", "handoutkit-test", "-E", "-v", "cups-pdf:/", "-P", str(PPD),
                    "-o", "pdftops-renderer-default=pdftocairo"], check=True, capture_output=True)
    subprocess.run(["lpadmin", "-d", "handoutkit-test"], check=True, capture_output=True)
    return Path.home() / "PDF"
