"""The pure core loads no renderer and no speech engine: these tests stay fast."""

from __future__ import annotations

import subprocess
import sys

import pytest

from ..conftest import ROOT

HEAVY = ("weasyprint", "pydyf", "numpy", "scipy", "soundfile", "lameenc", "gtts", "requests", "espeakng_loader",
         "piper", "onnxruntime", "handoutkit.render", "handoutkit.speech")


def test_importing_the_core_loads_no_renderer_and_no_speech() -> None:
    probe = ("import sys\n"
             "import handoutkit.source, handoutkit.catalogs, handoutkit.gate, handoutkit.text, handoutkit.spoken,"
             " handoutkit.plan, handoutkit.languages\n"
             f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))\n")
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_the_probe_would_see_a_renderer() -> None:
    """The same probe notices weasyprint when it is loaded (so an empty list means something)."""
    probe = "import sys\nimport handoutkit.source, weasyprint\nprint('weasyprint' in sys.modules)\n"
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "True", done.stderr


PAGE_MUST_NOT_LOAD = (*HEAVY[:-2], "handoutkit.render.pdf", "handoutkit.render.audio", "handoutkit.speech")


def test_the_phone_page_output_loads_no_pdf_or_speech_library() -> None:
    """Making a phone page (and reading the registry) imports neither WeasyPrint nor a speech engine."""
    probe = ("import sys\n"
             "import handoutkit.outputs, handoutkit.outputs.web, handoutkit.render.web, handoutkit.templates\n"
             "from handoutkit.outputs.web import page\n"
             f"print(sorted(m for m in {PAGE_MUST_NOT_LOAD!r} if m in sys.modules))\n")
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_no_function_over_80_lines_and_no_module_over_400() -> None:
    """The code stays readable one screen at a time (measured on the source, with ast)."""
    import ast

    long = []
    for path in sorted((ROOT / "handoutkit").rglob("*.py")):
        source = path.read_text("utf-8")
        if "mutmut" in source:  # mutmut's instrumented copy (make mutation), not the code as written
            pytest.skip("the code under mutation testing is mutmut's copy")
        if source.count("\n") > 400:
            long.append(f"{path.relative_to(ROOT)}: {source.count(chr(10))} lines")
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.end_lineno - node.lineno >= 80:
                long.append(f"{path.relative_to(ROOT)}:{node.lineno}: {node.name} has {node.end_lineno - node.lineno + 1} lines")
    assert long == []
