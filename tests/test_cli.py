"""The command line as a user runs it: both entry points, exit codes, no tracebacks."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from .conftest import ROOT, ProjectCopy


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=300)


def test_script_and_console_command_are_the_same_cli(project: ProjectCopy) -> None:
    script = run(sys.executable, str(ROOT / "make_handouts.py"), "--project", str(project.root),
                 "build", "--output", "pdf", "--lang", "en", cwd=project.root)
    assert script.returncode == 0, script.stderr
    first = project.pdf("en").read_bytes()
    console = run(str(Path(sys.executable).with_name("make-handouts")), "build", "--output", "pdf", "--lang", "en", cwd=project.root)
    assert console.returncode == 0, console.stderr
    assert project.pdf("en").read_bytes() == first
    for cli in ([sys.executable, str(ROOT / "make_handouts.py")], [str(Path(sys.executable).with_name("make-handouts"))]):
        bad = run(*cli, "--project", str(project.root), "build", "--lang", "qq-zz", cwd=project.root)
        assert bad.returncode == 2
        assert bad.stderr.strip().splitlines() == ["make-handouts: unknown language 'qq-zz'"]


def test_malformed_source_is_one_line_with_file_and_line(project: ProjectCopy) -> None:
    source = project.root / "handouts" / "baclofen-withdrawal" / "handout.md"
    source.write_text(source.read_text().replace("- You have a high fever.", "- You have a *high* fever."))
    result = run(sys.executable, str(ROOT / "make_handouts.py"), "--project", ".", "build", cwd=project.root)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr
    assert lines[0].startswith("make-handouts: handouts/baclofen-withdrawal/handout.md:")
    assert "italics are not allowed" in lines[0]
    assert not list((project.root / "dist").rglob("*.pdf"))


def test_weasyprint_error_log_fails_the_build(project: ProjectCopy) -> None:
    template = project.root / "templates" / "handout.html"
    template.write_text(template.read_text().replace('<html lang="{{ doc.language.tag }}"', "<html"))
    result = project.run("build", "--output", "pdf", "--lang", "en")
    assert result.code == 1
    assert "WeasyPrint reported" in result.err and "lang" in result.err
    assert not project.pdf("en").exists()


def test_status_lists_each_language(project: ProjectCopy) -> None:
    result = project.run("status")
    assert result.code == 0
    english = next(line for line in result.out.splitlines() if " en English " in line)
    done, total = re.search(r"(\d+)/(\d+)", english).groups()
    assert done == total and "ready" in english
