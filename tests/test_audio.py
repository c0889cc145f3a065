"""Real speech with espeak-ng: the audio says what the PDF says, in chapters a
listener can jump to, at a calm rate and a steady loudness."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import numpy as np
import pytest
import soundfile
from mutagen.id3 import ID3

from handoutkit.cli import main

from .conftest import ROOT, ProjectCopy, copy_project

HANDOUT = "baclofen-withdrawal"


@pytest.fixture(scope="module")
def spoken(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("audio") / "proj")
    shutil.copytree(ROOT / "locales" / "tl", root / "locales" / "tl")
    assert main(["--project", str(root), "build", "--output", "audio", "--engine", "espeak"]) == 0
    return root


def out(root: Path, tag: str, suffix: str) -> Path:
    return root / "dist" / HANDOUT / tag / f"{HANDOUT}-{tag}{suffix}"


def vtt_cues(path: Path) -> list[tuple[str, float, float, str]]:
    cues = []
    blocks = path.read_text("utf-8").split("\n\n")
    for block in blocks:
        lines = block.strip().splitlines()
        if len(lines) >= 3 and "-->" in lines[1]:
            start, end = (sum(float(p) * 60 ** i for i, p in enumerate(reversed(t.split(":")))) for t in lines[1].split(" --> "))
            cues.append((lines[0], start, end, lines[2]))
    return cues


def loudness(samples: np.ndarray, rate: int) -> float:
    """Integrated loudness (ITU-R BS.1770-4) as pyloudnorm measures it, in LUFS."""
    import pyloudnorm

    return float(pyloudnorm.Meter(rate).integrated_loudness(samples.astype(np.float64)))


def true_peak_db(samples: np.ndarray) -> float:
    """The peak of the signal oversampled 4x (polyphase, SciPy), in dBTP."""
    from scipy.signal import resample_poly

    return float(20 * np.log10(np.max(np.abs(resample_poly(samples.astype(np.float64), 4, 1)))))


def section_ids(markdown: str) -> list[str]:
    """The '## ' headings of the source, as the ids a reader sees in the chapter list."""
    return [re.sub(r"[^a-z0-9]+", "-", h.replace("**", "").lower()).strip("-") for h in re.findall(r"^## (.+)$", markdown, re.M)]


def rms(samples: np.ndarray) -> float:
    return float(np.sqrt(np.mean(samples.astype(np.float64) ** 2))) if samples.size else 0.0


@pytest.mark.parametrize("tag", ["en", "es"])
def test_chapters_match_sections_and_transcript_and_all_hold_speech(spoken: Path, tag: str) -> None:
    sections = section_ids((spoken / "handouts" / HANDOUT / "handout.md").read_text("utf-8"))
    mp3 = out(spoken, tag, ".mp3")
    tags = ID3(mp3)
    assert tags.version[:2] == (2, 3)
    chapters = sorted((f for f in tags.getall("CHAP")), key=lambda c: c.start_time)
    assert len(sections) >= 8 and [c.element_id for c in chapters] == ["intro", *sections]
    assert tags.getall("CTOC")[0].child_element_ids == [c.element_id for c in chapters]
    vtt = {cid: (start, end) for cid, start, end, _ in vtt_cues(out(spoken, tag, ".vtt")) if cid.startswith("chapter-")}
    data, rate = soundfile.read(mp3, dtype="float32")
    for chapter in chapters:
        start, end = vtt[f"chapter-{chapter.element_id}"]
        assert abs(start * 1000 - chapter.start_time) <= 1 and abs(end * 1000 - chapter.end_time) <= 1
        part = data[int(start * rate): int(end * rate)]
        assert rms(part) > 0.02, f"no speech in chapter {chapter.element_id}"


def test_tags_title_language_and_engine_read_back(spoken: Path) -> None:
    tags = ID3(out(spoken, "es", ".mp3"))
    assert str(tags["TLAN"]) == "spa"
    assert str(tags["TIT2"]) == "Baclofeno: nunca deje de tomarlo de repente"
    assert "espeak-ng" in str(tags.getall("COMM")[0])
    assert "Spoken by espeak-ng" in out(spoken, "es", ".vtt").read_text()


@pytest.mark.parametrize("tag", ["en", "es"])
def test_a_patients_pace_140_to_150_words_a_minute(spoken: Path, tag: str) -> None:
    """Measured as the README says: words of the WebVTT cues (chapter cues excluded)
    divided by the MP3's whole length as decoded, pauses included."""
    cues = vtt_cues(out(spoken, tag, ".vtt"))
    words = sum(len(re.sub(r"</?lang[^>]*>", " ", text).split())  # its <lang en> marks are no words
                for cid, _, _, text in cues if not cid.startswith("chapter-"))
    speaking = sum(end - start for cid, start, end, _ in cues if not cid.startswith("chapter-"))
    data, rate = soundfile.read(out(spoken, tag, ".mp3"), dtype="float32")
    total = len(data) / rate
    assert 140 <= words / (total / 60) <= 150, words / (total / 60)
    assert speaking <= total <= speaking * 1.35  # pauses, not padding


def test_loudness_and_true_peak(spoken: Path) -> None:
    for suffix in (".mp3", "-warning-signs.mp3"):
        data, rate = soundfile.read(out(spoken, "es", suffix), dtype="float32")
        assert abs(loudness(data, rate) - -16.0) <= 1.0
        assert true_peak_db(data) <= -1.0


def test_clip_holds_only_the_warning_signs(spoken: Path) -> None:
    """The clip is every emergency box of the source (read from the Markdown), nothing else."""
    source = (spoken / "handouts" / HANDOUT / "handout.md").read_text("utf-8")
    boxes = [re.sub(r"[^a-z0-9]+", "-", h.lower()).strip("-")
             for box in re.findall(r"^::: emergency\n(.*?)^:::", source, re.M | re.S) for h in re.findall(r"^## (.+)$", box, re.M)]
    clip = out(spoken, "en", "-warning-signs.mp3")
    chapters = ID3(clip).getall("CHAP")
    assert sorted(c.element_id for c in chapters) == sorted(boxes) and len(boxes) == 2
    in_main = [c for c in ID3(out(spoken, "en", ".mp3")).getall("CHAP") if c.element_id in boxes]
    title = re.search(r'^title: "(.*)"$', source, re.M).group(1)
    notice = [end for cid, _start, end, text in vtt_cues(out(spoken, "en", ".vtt"))
              if cid.startswith("intro-") and title.split(":")[0] not in text]  # the draft notice, before the title
    notice_ms = max(notice, default=0) * 1000
    data, rate = soundfile.read(clip, dtype="float32")
    clip_ms = len(data) / rate * 1000
    spoken_ms = max(c.end_time for c in in_main) - min(c.start_time for c in in_main)
    assert notice_ms > 1000  # the source is not yet reviewed: the clip must carry the notice too
    assert 0 <= clip_ms - spoken_ms - notice_ms < 2500  # the notice, a pause, the boxes
    assert clip.stat().st_size < out(spoken, "en", ".mp3").stat().st_size / 2


def test_small_enough_to_share_and_mono_64kbps(spoken: Path) -> None:
    info = soundfile.info(out(spoken, "es", ".mp3"))
    assert info.channels == 1
    size = out(spoken, "es", ".mp3").stat().st_size
    assert abs(size * 8 / info.duration / 1000 - 64) < 4
    assert size < 5_000_000


def test_tagalog_has_no_offline_voice_and_says_so(spoken: Path, capsys) -> None:
    code = main(["--project", str(spoken), "build", "--output", "audio", "--lang", "tl", "--engine", "espeak"])
    assert code == 0
    assert re.search(r"no voice\s+baclofen-withdrawal tl audio", capsys.readouterr().out)
    assert not out(spoken, "tl", ".mp3").exists()


def test_same_input_same_bytes(spoken: Path, project_es: ProjectCopy) -> None:
    assert project_es.run("build", "--output", "audio", "--lang", "es", "--engine", "espeak").code == 0
    ours = project_es.root / "dist" / HANDOUT / "es"
    for name in (f"{HANDOUT}-es.mp3", f"{HANDOUT}-es-warning-signs.mp3", f"{HANDOUT}-es.vtt"):
        assert (ours / name).read_bytes() == (spoken / "dist" / HANDOUT / "es" / name).read_bytes(), name


def test_spoken_override_applies_and_is_ignored_once_the_text_changes(project_es: ProjectCopy) -> None:
    speech = project_es.root / "locales" / "es" / "speech.toml"
    speech.write_text(
        '[[override]]\nmsgid = "You have a high fever."\ntext = "Tiene fiebre alta."\nspoken = "Tiene mucha fiebre."\n'
        '[lexicon]\n"baclofeno" = "baclofeno"\n',
        "utf-8",
    )
    result = project_es.run("build", "--output", "audio", "--lang", "es", "--engine", "espeak")
    assert result.code == 0 and "override ignored" not in result.err
    po = project_es.po("es")
    po.write_text(po.read_text("utf-8").replace('msgstr "Tiene fiebre alta."', 'msgstr "Tiene fiebre muy alta."'), "utf-8")
    result = project_es.run("build", "--output", "audio", "--lang", "es", "--engine", "espeak")
    assert result.code == 0
    assert "spoken override ignored, the translation changed" in result.err
    assert "Tiene fiebre muy alta." in out(project_es.root, "es", ".vtt").read_text("utf-8")


def test_a_voice_espeak_lacks_is_an_error_not_a_silent_switch(monkeypatch: pytest.MonkeyPatch) -> None:
    from handoutkit.languages import language
    from handoutkit.speech import SpeechError, espeak

    engine = espeak.Espeak()
    engine.speak("Hola.", language("es"))  # a voice is set: a failed switch must not keep it
    from dataclasses import replace

    with pytest.raises(SpeechError, match="'xx-not-a-voice' for fr is not installed"):
        engine.speak("Bonjour.", replace(language("fr"), espeak="xx-not-a-voice"))
    with pytest.raises(SpeechError, match="no voice for Somali"):
        engine.speak("Nabad.", language("so"))


def test_streamed_loudness_is_pyloudnorms_number(spoken: Path) -> None:
    """The product's streamed measure against pyloudnorm's own Meter (loudness() here)."""
    from handoutkit.render.sound import _speech_loudness

    data, rate = soundfile.read(out(spoken, "es", ".mp3"), dtype="float32")
    for gain in (1.0, 0.1):
        assert abs(_speech_loudness(data * gain, rate) - loudness(data * gain, rate)) < 0.01


def test_limiting_in_place_changes_no_sample(spoken: Path) -> None:
    """The whole recording is limited where it lies (to keep workers small): every
    sample must come out as the limiter on a separate copy gives it, block edges included."""
    from handoutkit.render.sound import limit

    data, rate = soundfile.read(out(spoken, "es", ".mp3"), dtype="float32")
    loud = data * np.float32(4.0)  # far over the ceiling: the limiter works everywhere
    expected = limit(loud, rate)
    assert expected is not loud
    result = limit(loud, rate, in_place=True)
    assert result is loud
    assert np.array_equal(result, expected)
    assert true_peak_db(result) <= -1.0


def test_espeak_says_a_language_the_same_whatever_it_said_before() -> None:
    """espeak-ng keeps state that Terminate does not reset; each voice gets a private
    instance of the library, so workers can speak one language after another."""
    import pickle

    from handoutkit.languages import language
    from handoutkit.speech.espeak import Espeak

    text = "Nunca deje de tomar baclofeno de repente. Llame al 911 si tiene una convulsión."
    alone = Espeak().speak(text, language("es")).samples
    engine = Espeak()
    engine.speak("Never stop taking baclofen suddenly. Call 911 if you have a seizure.", language("en"))
    after_english = engine.speak(text, language("es")).samples
    sent_to_a_worker = pickle.loads(pickle.dumps(engine))  # what a worker process receives
    again = sent_to_a_worker.speak(text, language("es")).samples
    engine.close()
    sent_to_a_worker.close()
    assert alone.size > 22050 and np.array_equal(alone, after_english) and np.array_equal(alone, again)
    # Chinese in both scripts is one espeak voice: the second must not carry the first's state
    chinese = "不要突然停止服用巴氯芬。如果您癫痫发作，请拨打急救电话。"
    first = Espeak().speak(chinese, language("zh_Hant")).samples
    engine = Espeak()
    engine.speak("不要突然停止服用巴氯芬。", language("zh_Hans"))
    assert np.array_equal(first, engine.speak(chinese, language("zh_Hant")).samples)
    engine.close()
