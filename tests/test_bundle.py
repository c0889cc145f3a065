"""The manifest and the per-language zip a clinic sends on."""

from __future__ import annotations

import hashlib
import json
import zipfile

from .conftest import ProjectCopy


def test_manifest_hashes_match_the_files_and_the_zip_holds_the_language(project_es: ProjectCopy) -> None:
    assert project_es.run("build", "--lang", "es", "--engine", "espeak").code == 0
    dist = project_es.root / "dist"
    manifest = json.loads((dist / "manifest.json").read_text("utf-8"))
    files = {e["file"]: e for e in manifest["outputs"]}
    for name, entry in files.items():
        data = (dist / name).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"] and len(data) == entry["bytes"], name
    mp3 = files["baclofen-withdrawal/es/baclofen-withdrawal-es.mp3"]
    assert "espeak-ng" in mp3["engine"] and mp3["language"] == "es" and mp3["source_version"] == "1.0"
    assert mp3["translation_review"] == "unreviewed" and len(mp3["catalogs_sha256"]) == 64
    assert "WeasyPrint" in files["baclofen-withdrawal/es/baclofen-withdrawal-es.pdf"]["engine"]
    with zipfile.ZipFile(dist / "baclofen-withdrawal" / "es" / "baclofen-withdrawal-es.zip") as bundle:
        assert sorted(bundle.namelist()) == [
            "baclofen-withdrawal-es-warning-signs.mp3", "baclofen-withdrawal-es.mp3",
            "baclofen-withdrawal-es.pdf", "baclofen-withdrawal-es.vtt", "index.html",
        ]
        assert bundle.read("baclofen-withdrawal-es.pdf") == (dist / "baclofen-withdrawal/es/baclofen-withdrawal-es.pdf").read_bytes()


def test_print_at_the_counter_builds_only_that_language(project_es: ProjectCopy) -> None:
    import shutil

    result = project_es.run("print", "baclofen-withdrawal", "--lang", "es")
    assert result.code == 0, result.err
    pdf = project_es.root / "dist" / "baclofen-withdrawal" / "es" / "baclofen-withdrawal-es.pdf"
    assert pdf.exists() and not (project_es.root / "dist" / "baclofen-withdrawal" / "en").exists()
    if not shutil.which("lp"):
        assert f"ready to print: {pdf}" in result.out
    again = project_es.run("print", "baclofen-withdrawal", "--lang", "es")
    assert again.code == 0 and "up to date: 1 output" in again.out
