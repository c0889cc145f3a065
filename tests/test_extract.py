"""Translators' tools see what handoutkit sees: pybabel and our extract agree,
and the committed templates and catalogs are current with the source."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

from .conftest import ROOT, ProjectCopy, tracked_locales

PYBABEL = Path(sys.executable).with_name("pybabel")


def entries(path: Path) -> dict:
    with path.open("rb") as fh:
        return {
            (m.id, m.context): (tuple(m.auto_comments), tuple(sorted(m.flags)), tuple(m.locations))
            for m in read_po(fh)
            if m.id
        }


def test_pybabel_extract_with_babel_cfg_matches_our_templates(tmp_path: Path) -> None:
    for source, domain, extra in [
        ("handouts/baclofen-withdrawal", "baclofen-withdrawal", []),
        ("templates", "templates", ["--add-comments=Translators:"]),
    ]:
        out = tmp_path / f"{domain}.pot"
        subprocess.run(
            [str(PYBABEL), "-q", "extract", "-F", "babel.cfg", *extra, "-o", str(out), source],
            cwd=ROOT, check=True,
        )
        assert entries(out) == entries(ROOT / "locales" / f"{domain}.pot"), domain


def test_handout_messages_carry_place_note_and_brace_format_flag() -> None:
    found = entries(ROOT / "locales" / "baclofen-withdrawal.pot")
    comments, flags, locations = found[("**Never stop taking baclofen on your own.**", None)]
    assert comments[0].startswith("Where: section 'The most important thing'")
    assert any(c.startswith("Translators:") for c in comments)
    assert locations[0][0] == "handouts/baclofen-withdrawal/handout.md"
    tmpl = entries(ROOT / "locales" / "templates.pot")
    assert "python-brace-format" in tmpl[("Questions? Call {phone}", None)][1]
    for label in ["Page {page} of {pages}", "Version {version}", "Updated {date}", "Not yet translated",
                  "Draft translation: not yet checked by a qualified medical translator",
                  "Call your local emergency number", "Scan to listen", "My plan", "Language: {language}"]:
        assert (label, None) in tmpl, label


def test_committed_templates_and_catalogs_are_current(project: ProjectCopy) -> None:
    before = {p.name: entries(p) for p in (project.root / "locales").glob("*.pot")}
    assert project.run("extract").code == 0
    after = {p.name: entries(p) for p in (project.root / "locales").glob("*.pot")}
    assert before == after, "run 'make-handouts extract' and commit the POT files"
    for locale in tracked_locales():
        shutil.copytree(ROOT / "locales" / locale, project.root / "locales" / locale)
    snapshot = sorted((project.root / "locales").rglob("*.po"))
    assert project.run("update").code == 0
    for path in snapshot:
        with path.open("rb") as fh:
            ids = {m.id for m in read_po(fh) if m.id}
        with (project.root / "locales" / (path.stem + ".pot")).open("rb") as fh:
            wanted = {m.id for m in read_po(fh) if m.id}
        assert wanted <= ids, f"{path} lacks messages: run 'make-handouts update'"
