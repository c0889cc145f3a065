"""The build as a clinic runs it: rebuilds only what changed, the same bytes for
any number of workers, safe to kill at any moment, one build at a time."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pikepdf
import pytest

from handoutkit.lock import BuildLock, BuildLocked

from .conftest import ROOT, ProjectCopy

CLI = [sys.executable, str(ROOT / "make_handouts.py")]


def run_json(project: ProjectCopy, *args: str) -> tuple[int, list[dict]]:
    result = project.run("build", "--json", *args)
    return result.code, json.loads(result.out)


def statuses(report: list[dict]) -> dict[tuple[str, str], str]:
    return {(r["language"], r["output"]): r["status"] for r in report}


def test_nothing_changed_means_nothing_made_and_no_renderer_loaded(project_es: ProjectCopy) -> None:
    code, first = run_json(project_es, "--output", "pdf")
    assert code == 0 and set(statuses(first).values()) == {"built"}
    stamp = project_es.pdf("es").stat().st_mtime_ns
    probe = (
        "import sys; from handoutkit.cli import main; "
        f"code = main(['--project', {str(project_es.root)!r}, 'build', '--output', 'pdf', '--json']); "
        "loaded = [m for m in ('weasyprint', 'numpy', 'handoutkit.speech.espeak', 'requests') if m in sys.modules]; "
        "print('LOADED', code, loaded, file=sys.stderr)"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert "LOADED 0 []" in done.stderr
    assert set(statuses(json.loads(done.stdout)).values()) == {"up to date"}
    assert project_es.pdf("es").stat().st_mtime_ns == stamp


def test_one_changed_translation_rebuilds_only_that_language(project_es: ProjectCopy) -> None:
    assert project_es.run("build", "--output", "pdf").code == 0
    po = project_es.po("es")
    po.write_text(po.read_text("utf-8").replace('msgstr "Tiene fiebre alta."', 'msgstr "Tiene una fiebre alta."'), "utf-8")
    code, report = run_json(project_es, "--output", "pdf")
    assert code == 0
    assert statuses(report) == {("en", "pdf"): "up to date", ("es", "pdf"): "built"}


def test_a_copied_or_moved_project_rebuilds_nothing(project_es: ProjectCopy, tmp_path: Path) -> None:
    """Keys hold no absolute path (fonts by content, the logo by content, files relative to dist/):
    the project copied to another folder, its dist/ with it, on a machine whose fonts are the same
    files in another place, is up to date there."""
    import shutil

    assert project_es.run("build", "--lang", "es", "--engine", "espeak").code == 0
    moved = tmp_path / "elsewhere" / "deeper" / "proj"
    shutil.copytree(project_es.root, moved)  # copy2: the files' times come along, as with rsync -a
    shutil.rmtree(project_es.root)  # and the old folder is gone
    fonts = tmp_path / "other-machine-fonts"  # the same Noto Sans file, found by fontconfig elsewhere
    fonts.mkdir()
    found = subprocess.run(["fc-match", "-f", "%{file}", "Noto Sans"], capture_output=True, text=True, check=True)
    shutil.copy(found.stdout, fonts)
    conf = tmp_path / "fonts.conf"
    conf.write_text(f'<?xml version="1.0"?><fontconfig><dir>{fonts}</dir><cachedir>{tmp_path / "fc"}</cachedir></fontconfig>')
    before = {p: p.stat().st_mtime_ns for p in (moved / "dist").rglob("*") if p.is_file() and ".handoutkit" not in p.parts}
    done = subprocess.run([*CLI, "--project", str(moved), "build", "--json", "--lang", "es", "--engine", "espeak"],
                          capture_output=True, text=True, timeout=300, env={**os.environ, "FONTCONFIG_FILE": str(conf)})
    assert done.returncode == 0, done.stderr
    assert set(statuses(json.loads(done.stdout)).values()) == {"up to date"}, done.stdout
    after = {p: p.stat().st_mtime_ns for p in (moved / "dist").rglob("*") if p.is_file() and ".handoutkit" not in p.parts}
    assert after == before


def test_a_deleted_or_edited_output_is_made_again(project_es: ProjectCopy) -> None:
    assert project_es.run("build", "--output", "pdf").code == 0
    project_es.pdf("en").unlink()
    project_es.pdf("es").write_bytes(b"not a pdf")
    code, report = run_json(project_es, "--output", "pdf")
    assert statuses(report) == {("en", "pdf"): "built", ("es", "pdf"): "built"}
    assert project_es.pdf("es").read_bytes().startswith(b"%PDF")


def test_same_bytes_for_one_worker_and_two(project_es: ProjectCopy, tmp_path: Path, monkeypatch) -> None:
    made = {}
    for jobs in ("1", "2"):
        monkeypatch.setenv("HANDOUTKIT_DIST", str(tmp_path / f"dist{jobs}"))
        result = project_es.run("build", "--jobs", jobs, "--engine", "espeak")
        assert result.code == 0, result.err
        made[jobs] = {p.relative_to(tmp_path / f"dist{jobs}"): p.read_bytes()
                      for p in (tmp_path / f"dist{jobs}").rglob("*") if p.is_file() and ".handoutkit" not in p.parts}
    # per language: PDF, MP3, clip, transcript, EPUB, BRF and its preview, page, zip (and for Spanish
    # the bilingual PDF; English has none); and the manifest and index of the build
    assert made["1"].keys() == made["2"].keys() and len(made["1"]) == 9 + 10 + 2
    for name, data in made["1"].items():
        assert made["2"][name] == data, name


@pytest.mark.sweep  # make check-all; make test kills builds at random moments in tests/robustness/test_faults.py
def test_a_build_killed_at_any_moment_leaves_good_files_and_the_next_build_finishes(project_es: ProjectCopy) -> None:
    assert project_es.run("build", "--output", "pdf").code == 0
    po = project_es.po("es")
    for delay in (0.3, 0.8, 1.5, 2.5):
        marks = "!" * round(delay * 4)  # something new each round (no digits: the English has none)
        po.write_text(po.read_text("utf-8").replace('msgstr "Tiene fiebre alta', f'msgstr "Tiene fiebre alta{marks}', 1))
        proc = subprocess.Popen([*CLI, "--project", str(project_es.root), "build", "--jobs", "1"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        time.sleep(delay)
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        for pdf in (project_es.root / "dist").rglob("*.pdf"):
            with pikepdf.open(pdf) as doc:  # every PDF there is whole: the old one or the new one
                assert len(doc.pages) >= 2
    result = project_es.run("build", "--jobs", "1", "--engine", "espeak")
    assert result.code == 0, result.err
    assert not list((project_es.root / "dist").rglob("*.tmp"))
    assert "Tiene fiebre alta" + "!" * 10 in " ".join(
        (project_es.root / "dist" / "baclofen-withdrawal" / "es" / "baclofen-withdrawal-es.vtt").read_text().split())


def test_a_second_build_is_refused_while_one_runs(project: ProjectCopy) -> None:
    with BuildLock(project.root / "dist"):
        result = subprocess.run([*CLI, "--project", str(project.root), "build", "--output", "pdf"],
                                capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert "another build is writing this folder" in result.stderr and f"pid {os.getpid()}" in result.stderr
    assert not (project.root / "dist" / "baclofen-withdrawal").exists()


def test_a_lock_left_by_a_dead_build_is_taken_over(project: ProjectCopy) -> None:
    lock = project.root / "dist" / ".handoutkit" / "lock"
    lock.parent.mkdir(parents=True)
    lock.write_text("pid 999999 on elsewhere, started long ago\n")
    assert project.run("build", "--output", "pdf").code == 0


@pytest.mark.parametrize("change", ["speech", pytest.param("template", marks=pytest.mark.sweep)])  # make check-all: both
def test_inputs_reach_only_the_outputs_they_change(project_es: ProjectCopy, change: str) -> None:
    assert project_es.run("build", "--engine", "espeak", "--lang", "es").code == 0
    if change == "speech":
        (project_es.root / "locales" / "es" / "speech.toml").write_text('[lexicon]\n"MS" = "eme ese"\n')
        expected = {("es", "pdf"): "up to date", ("es", "bilingual"): "up to date", ("es", "audio"): "built",
                    ("es", "epub"): "built", ("es", "braille"): "up to date", ("es", "web"): "built"}
    else:
        css = project_es.root / "templates" / "handout.css"
        css.write_text(css.read_text() + "\n/* a change */\n")
        expected = {("es", o): "built" for o in ("pdf", "bilingual", "audio", "epub", "braille", "web")}  # labels live in templates/
    code, report = run_json(project_es, "--engine", "espeak", "--lang", "es")
    assert code == 0 and statuses(report) == expected


def _take_lock(folder: str, ready, tried, results) -> None:
    """Race for the lock the moment both racers are ready; a winner holds it until
    the other racer has tried, so the two attempts always overlap."""
    ready.wait(10)
    try:
        with BuildLock(Path(folder)):
            results.put(("won", os.getpid()))
            tried.wait(10)
    except BuildLocked as exc:
        results.put(("lost", str(exc)))
        tried.wait(10)


def test_the_loser_of_a_race_for_the_lock_names_the_winner(tmp_path: Path) -> None:
    """Two builds taking the lock in the same instant: exactly one wins, and the refusal
    names the process that won, never 'another process' read before the winner wrote its line."""
    import multiprocessing

    context = multiprocessing.get_context("fork")
    for round_ in range(20):
        results = context.Queue()
        ready, tried = context.Barrier(2), context.Barrier(2)
        racers = [context.Process(target=_take_lock, args=(str(tmp_path / str(round_)), ready, tried, results))
                  for _ in range(2)]
        for racer in racers:
            racer.start()
        for racer in racers:
            racer.join(30)
        outcome = sorted(results.get(timeout=10) for _ in range(2))
        assert [kind for kind, _ in outcome] == ["lost", "won"], outcome
        (_, refusal), (_, winner) = outcome
        assert f"pid {winner} on " in refusal and "another build is writing this folder" in refusal, outcome
        assert winner in {racer.pid for racer in racers}
