"""The manifest and the per-language zip a clinic sends on."""

from __future__ import annotations

import hashlib
import json
import os
import re
import time
import zipfile
from pathlib import Path

import pytest

from .conftest import ROOT, ProjectCopy
from .pdftext import page_texts

HANDOUT = "baclofen-withdrawal"
VERSION = re.search(r'^version: "(.+)"$', (ROOT / "handouts" / HANDOUT / "handout.md").read_text("utf-8"), re.M)[1]


def test_manifest_hashes_match_the_files_and_the_zip_holds_the_language(project_es: ProjectCopy) -> None:
    assert project_es.run("build", "--lang", "es", "--engine", "espeak").code == 0
    dist = project_es.root / "dist"
    manifest = json.loads((dist / "manifest.json").read_text("utf-8"))
    files = {e["file"]: e for e in manifest["outputs"]}
    for name, entry in files.items():
        data = (dist / name).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"] and len(data) == entry["bytes"], name
    mp3 = files["baclofen-withdrawal/es/baclofen-withdrawal-es.mp3"]
    assert "espeak-ng" in mp3["engine"] and mp3["language"] == "es" and mp3["source_version"] == VERSION
    assert mp3["translation_review"] == "unreviewed" and len(mp3["catalogs_sha256"]) == 64
    assert "WeasyPrint" in files["baclofen-withdrawal/es/baclofen-withdrawal-es.pdf"]["engine"]
    with zipfile.ZipFile(dist / "baclofen-withdrawal" / "es" / "baclofen-withdrawal-es.zip") as bundle:
        assert sorted(bundle.namelist()) == [
            "baclofen-withdrawal-es-bilingual.pdf", "baclofen-withdrawal-es-braille.txt",
            "baclofen-withdrawal-es-warning-signs.mp3", "baclofen-withdrawal-es.brf", "baclofen-withdrawal-es.epub",
            "baclofen-withdrawal-es.mp3", "baclofen-withdrawal-es.pdf", "baclofen-withdrawal-es.vtt", "index.html",
        ]
        assert bundle.read("baclofen-withdrawal-es.pdf") == (dist / "baclofen-withdrawal/es/baclofen-withdrawal-es.pdf").read_bytes()


def test_print_at_the_counter_builds_only_that_language(project_es: ProjectCopy, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """With no CUPS scheduler running (lp and lpstat here say so, whatever this machine has),
    the counter gets the built PDF's path; a real queue is the next test's."""
    tools = tmp_path / "bin"
    tools.mkdir()
    for name, script in (("lpstat", "echo 'scheduler is not running'"), ("lp", "echo printed >> \"$0.log\"; exit 1")):
        (tools / name).write_text(f"#!/bin/sh\n{script}\n")
        (tools / name).chmod(0o755)
    monkeypatch.setenv("PATH", f"{tools}{os.pathsep}{os.environ['PATH']}")
    result = project_es.run("print", "baclofen-withdrawal", "--lang", "es")
    assert result.code == 0, result.err
    pdf = project_es.root / "dist" / "baclofen-withdrawal" / "es" / "baclofen-withdrawal-es.pdf"
    assert pdf.exists() and not (project_es.root / "dist" / "baclofen-withdrawal" / "en").exists()
    assert f"ready to print: {pdf}" in result.out
    assert not (tools / "lp.log").exists()  # nothing sent to a printer that is not there
    again = project_es.run("print", "baclofen-withdrawal", "--lang", "es")
    assert again.code == 0 and "up to date: 1 output" in again.out


def test_counter_print_reaches_a_real_cups_queue(project_es: ProjectCopy, cups_pdf_queue: Path) -> None:
    before = set(cups_pdf_queue.glob("*.pdf")) if cups_pdf_queue.exists() else set()
    result = project_es.run("print", "baclofen-withdrawal", "--lang", "es")
    assert result.code == 0 and "sent to the printer" in result.out, result.err
    for _ in range(150):
        new = set(cups_pdf_queue.glob("*.pdf")) - before if cups_pdf_queue.exists() else set()
        if new:
            break
        time.sleep(0.2)
    assert new, "the queue made no PDF"
    time.sleep(0.5)
    (printed,) = new
    # cups-pdf re-renders through Ghostscript (the text layer does not survive), so compare pages
    ours = project_es.root / "dist" / "baclofen-withdrawal" / "es" / "baclofen-withdrawal-es.pdf"
    assert len(page_texts(printed)) == len(page_texts(ours)) >= 4
