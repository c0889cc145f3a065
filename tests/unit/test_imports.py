"""The pure core loads no renderer and no speech engine: these tests stay fast."""

from __future__ import annotations

import subprocess
import sys

from ..conftest import ROOT

HEAVY = ("weasyprint", "pydyf", "numpy", "scipy", "soundfile", "lameenc", "gtts", "requests", "espeakng_loader",
         "piper", "onnxruntime", "handoutkit.render", "handoutkit.speech")


def test_importing_the_core_loads_no_renderer_and_no_speech() -> None:
    probe = ("import sys\n"
             "import handoutkit.source, handoutkit.catalogs, handoutkit.spoken, handoutkit.plan\n"
             f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))\n")
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_the_probe_would_see_a_renderer() -> None:
    """The same probe notices weasyprint when it is loaded (so an empty list means something)."""
    probe = "import sys\nimport handoutkit.source, weasyprint\nprint('weasyprint' in sys.modules)\n"
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "True", done.stderr
