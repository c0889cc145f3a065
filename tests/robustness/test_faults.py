"""Environment and faults: a read-only or full disk, a build killed mid-write,
two builds at once, the network gone, a font or a voice missing. Each case
checks what the user sees: one line naming the file (and line or key), a
non-zero exit, no traceback, no partial file, the last good outputs unchanged.

The disk faults run the real CLI under ``unshare -m`` (a private mount
namespace: root in this sandbox, so chmod alone cannot refuse a write) with a
small tmpfs over the output folder, read-only or filled up."""

from __future__ import annotations

import functools
import os
import random
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import pikepdf
import pytest
import soundfile

from handoutkit.cli import main

from ..conftest import ROOT, Result, fill_catalogs
from ..test_online_speech import FakeGoogle, closed_port
from .conftest import HANDOUT, Good, copied, one_line, snapshot

CLI = [sys.executable, str(ROOT / "make_handouts.py")]
TINY = "tiny"  # a three-message handout: its audio takes a second, so faults can hit audio cheaply
TINY_SOURCE = """---
id: tiny
title: "Take your pills"
version: "1.0"
date: 2026-11-26
names: []
sources:
  - "A test handout"
---

# Take your pills

## The most important thing

- **Take one pill each day.**

::: emergency
## Warning signs: get emergency help

**Call your local emergency number right away** if you feel faint.
:::
"""


# --- helpers ---------------------------------------------------------------------------------------------


def env(**extra: str) -> dict[str, str]:
    """The environment of a build subprocess: never the internet, never another dist/."""
    out = {k: v for k, v in os.environ.items() if k != "HANDOUTKIT_DIST"}
    out.update(PYTHONPATH=str(ROOT), HANDOUTKIT_GTTS_ENDPOINT=closed_port(), HANDOUTKIT_GTTS_THROTTLE="0")
    out.update(extra)
    return out


def run(cmd: list[str], cwd: Path, timeout: float = 120, **extra: str) -> Result:
    done = subprocess.run(cmd, cwd=cwd, env=env(**extra), capture_output=True, text=True, timeout=timeout)
    return Result(done.returncode, done.stdout, done.stderr)


def build_cmd(root: Path, *args: str) -> list[str]:
    return [*CLI, "--project", str(root), "build", *args]


@functools.cache
def namespace_problem() -> str | None:
    """Why a private mount namespace with a tmpfs cannot be made here (None when it can)."""
    if shutil.which("unshare") is None:
        return "unshare (util-linux) is not installed"
    with tempfile.TemporaryDirectory() as where:
        probe = subprocess.run(
            ["unshare", "-m", "--propagation", "private", "sh", "-c",
             f"mount -t tmpfs -o size=1m tmpfs {where} && mount -o remount,ro {where}"],
            capture_output=True, text=True, timeout=30)
    if probe.returncode != 0:
        return f"cannot mount a tmpfs in a private mount namespace here: {probe.stderr.strip()}"
    return None


def in_namespace(setup: str, target: Path, copy_out: Path, command: list[str], cwd: Path) -> Result:
    """Run command with a tmpfs holding a copy of target mounted over it (setup shapes it: read-only,
    full); afterwards copy what the tmpfs holds to copy_out, as the namespace takes it away on exit."""
    if namespace_problem():
        pytest.skip(namespace_problem())
    stash = cwd / "stash"
    stash.mkdir()
    copy_out.mkdir()
    t, s, o = (shlex.quote(str(p)) for p in (target, stash, copy_out))
    script = f"""set -e
cp -a {t}/. {s}/
mount -t tmpfs -o size=4m tmpfs {t}
cp -a {s}/. {t}/
{setup.replace("$T", t)}
set +e
{shlex.join(command)}
code=$?
rm -f {t}/.handoutkit/filler
cp -a {t}/. {o}/
exit $code
"""
    return run(["unshare", "-m", "--propagation", "private", "sh", "-c", script], cwd)


def all_readable(dist: Path, leftovers: bool = False) -> None:
    """Every output there is whole: each PDF opens, each MP3 decodes, each zip reads. A build
    killed mid-write may leave a hidden .tmp (leftovers), which the next build removes."""
    assert leftovers or not list(dist.rglob("*.tmp"))
    for pdf in dist.rglob("*.pdf"):
        with pikepdf.open(pdf) as doc:
            assert len(doc.pages) >= 1, pdf
    for mp3 in dist.rglob("*.mp3"):
        data, rate = soundfile.read(mp3)
        assert len(data) > rate / 2, mp3
    for bundle in dist.rglob("*.zip"):
        with zipfile.ZipFile(bundle) as z:
            assert z.testzip() is None, bundle


def change_it(good: Good, word: str = "changed") -> None:
    """A new Italian translation: its PDF must be made again; English stays up to date."""
    good.edit(good.po(), 'msgstr "[it] ', f'msgstr "[it] {word} ')


def change_es_tiny(good: Good, word: str = "changed") -> None:
    good.edit(good.po("es", TINY), 'msgstr "[es] ', f'msgstr "[es] {word} ')


def tiny_project(root: Path, locale: str) -> Path:
    """A project with only the tiny handout, and a catalog for locale filled with '[locale] English'."""
    shutil.copytree(ROOT / "templates", root / "templates")
    (root / "handouts" / TINY).mkdir(parents=True)
    (root / "handouts" / TINY / "handout.md").write_text(TINY_SOURCE, "utf-8")
    (root / "locales").mkdir()
    assert main(["--project", str(root), "init", locale]) == 0
    fill_catalogs(root, locale.replace("-", "_"), (TINY, "templates"))
    return root


@pytest.fixture(scope="session")
def tiny_built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project with only the tiny handout, in English and a throwaway Spanish, PDF and audio built."""
    root = tiny_project(tmp_path_factory.mktemp("tiny") / "proj", "es")
    assert main(["--project", str(root), "build", "--output", "pdf", "--output", "audio", "--engine", "espeak"]) == 0
    return root


@pytest.fixture
def tiny(tiny_built: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
         monkeypatch: pytest.MonkeyPatch) -> Good:
    monkeypatch.delenv("HANDOUTKIT_DIST", raising=False)
    return copied(tiny_built, tmp_path, capsys)


# --- 1. a read-only output folder ------------------------------------------------------------------------


@pytest.mark.parametrize("where", ["dist", "one-language-folder"])
def test_a_read_only_output_folder_is_refused_in_one_line(good: Good, tmp_path: Path, where: str) -> None:
    change_it(good)
    target = good.dist if where == "dist" else good.dist / HANDOUT / "it"
    after = tmp_path / "after"
    result = in_namespace("mount -o remount,ro $T", target, after, build_cmd(good.root, "--output", "pdf"), tmp_path)
    # the whole folder: the lock cannot be taken; one folder: the Italian PDF cannot be written
    named = "proj/dist" if where == "dist" else f"proj/dist/{HANDOUT}/it/{HANDOUT}-it.pdf"
    line = good.refused(result, named, "read-only")
    assert line.startswith(f"make-handouts: {named}: ")
    prefix = "" if where == "dist" else f"{HANDOUT}/it/"
    assert snapshot(after) == {k[len(prefix):]: v for k, v in good.before.items() if k.startswith(prefix)}
    assert not list(after.rglob("*.tmp"))


# --- 2. a full disk ---------------------------------------------------------------------------------------

FILL = "dd if=/dev/zero of=$T/.handoutkit/filler bs=64k 2>/dev/null || true\ntruncate -s -{free} $T/.handoutkit/filler"


def test_a_full_disk_names_the_pdf_and_keeps_the_last_good_one(good: Good, tmp_path: Path) -> None:
    change_it(good)
    after = tmp_path / "after"
    result = in_namespace(FILL.format(free="12K"), good.dist, after, build_cmd(good.root, "--output", "pdf"), tmp_path)
    good.refused(result, f"proj/dist/{HANDOUT}/it/{HANDOUT}-it.pdf", "no space left")
    assert snapshot(after) == good.before
    assert not list(after.rglob("*.tmp"))


def test_a_full_disk_names_the_mp3_and_keeps_the_last_good_one(tiny: Good, tmp_path: Path) -> None:
    change_es_tiny(tiny)
    after = tmp_path / "after"
    command = build_cmd(tiny.root, "--output", "audio", "--lang", "es", "--engine", "espeak")
    result = in_namespace(FILL.format(free="64K"), tiny.dist, after, command, tmp_path)
    tiny.refused(result, f"proj/dist/{TINY}/es/{TINY}-es.mp3", "no space left")
    assert snapshot(after) == tiny.before
    assert not list(after.rglob("*.tmp"))


# --- 3. killed at random moments, even mid-write ----------------------------------------------------------


def test_a_build_killed_at_random_moments_leaves_whole_files_and_the_next_build_matches_a_clean_one(
    tiny: Good, tmp_path: Path
) -> None:
    rng = random.Random(20261126)  # fixed: the same kill moments every run
    args = ("--output", "pdf", "--output", "audio", "--engine", "espeak", "--jobs", "1")
    command = build_cmd(tiny.root, *args)
    for round_ in range(5):
        change_es_tiny(tiny, f"round{'abcde'[round_]}")  # always something to rewrite; letters, not digits the English lacks
        proc = subprocess.Popen(command, env=env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                start_new_session=True)
        time.sleep(rng.uniform(0.3, 4.5))
        try:
            os.killpg(proc.pid, signal.SIGKILL)  # the build and its workers, as a power cut would
        except ProcessLookupError:
            pass  # it had finished
        proc.wait()
        all_readable(tiny.dist, leftovers=True)  # old or new, never half
    finished = run(command, tmp_path)
    assert finished.code == 0, finished.err
    clean = tmp_path / "clean"
    shutil.copytree(tiny.root, clean, ignore=shutil.ignore_patterns("dist", ".cache"))
    assert run(build_cmd(clean, *args), tmp_path).code == 0
    assert snapshot(tiny.dist) == snapshot(clean / "dist")
    all_readable(tiny.dist)
    assert "rounde" in (tiny.dist / TINY / "es" / f"{TINY}-es.vtt").read_text("utf-8")


def test_a_worker_killed_mid_build_is_one_line_not_a_traceback(good: Good, tmp_path: Path) -> None:
    """The kernel's out-of-memory killer takes a worker, not the build."""
    css = good.root / "templates" / "handout.css"
    css.write_text(css.read_text("utf-8") + "\n/* every PDF again: two jobs, so they go to a worker */\n", "utf-8")
    proc = subprocess.Popen(build_cmd(good.root, "--output", "pdf", "--jobs", "1"), cwd=tmp_path, env=env(),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    killed = None
    while killed is None and proc.poll() is None:
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
                cmdline = (stat.parent / "cmdline").read_bytes()
            except OSError:
                continue
            if int(fields[1]) == proc.pid and b"spawn_main" in cmdline:
                killed = int(stat.parent.name)
                os.kill(killed, signal.SIGKILL)
                break
        time.sleep(0.01)
    out, err = proc.communicate(timeout=120)
    assert killed is not None, "the build finished before a worker was seen"
    good.refused(Result(proc.returncode, out, err), "a worker process died", f"while making {HANDOUT}/", "/pdf")


# --- 4. two builds at once ---------------------------------------------------------------------------------


def test_two_builds_started_together_one_builds_the_other_names_it(good: Good, tmp_path: Path) -> None:
    change_it(good)
    go = tmp_path / "go"
    racer = (  # imports done first, then both start at the same moment
        "import os, sys, time\n"
        "from handoutkit.cli import main\n"
        f"open({str(tmp_path)!r} + f'/ready-{{os.getpid()}}', 'w').close()\n"
        f"while not os.path.exists({str(go)!r}): time.sleep(0.001)\n"
        f"sys.exit(main(['--project', {str(good.root)!r}, 'build', '--output', 'pdf']))\n"
    )
    procs = [subprocess.Popen([sys.executable, "-c", racer], cwd=tmp_path, env=env(), stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for _ in range(2)]
    deadline = time.monotonic() + 120
    while len(list(tmp_path.glob("ready-*"))) < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    go.touch()
    results = {}
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        results[proc.pid] = Result(proc.returncode, out, err)
    assert sorted(r.code for r in results.values()) == [0, 1], results
    (winner, won), (loser, lost) = sorted(results.items(), key=lambda kv: kv[1].code)
    assert f"built     {HANDOUT} it pdf" in won.out
    line = one_line(lost, "another build is writing this folder", f"pid {winner}")
    assert "proj/dist" in line and lost.out == ""
    all_readable(good.dist)
    assert good.pdf("it").read_bytes() != good.before[f"{HANDOUT}/it/{HANDOUT}-it.pdf"]
    assert good.pdf("en").read_bytes() == good.before[f"{HANDOUT}/en/{HANDOUT}-en.pdf"]


# --- 5. gTTS without a network, or throttled --------------------------------------------------------------


def gtts_failed(tiny: Good, result: Result, *needles: str) -> None:
    """gTTS refused: exit 1, the failed target and one line of why; the last good audio as it was."""
    tiny.refused(result, *needles)
    assert f"failed    {TINY} es audio" in result.err
    cache = tiny.root / ".cache" / "gtts"
    assert not cache.exists() or not list(cache.iterdir())  # no partial answer kept


def test_gtts_without_a_network_fails_fast_in_one_line(tiny: Good, tmp_path: Path) -> None:
    change_es_tiny(tiny)
    result = run(build_cmd(tiny.root, "--output", "audio", "--lang", "es", "--engine", "gtts"), tmp_path, timeout=60)
    gtts_failed(tiny, result, "gTTS is not reachable", "Spanish")


def test_gtts_throttled_with_429_fails_in_one_line(tiny: Good, tmp_path: Path) -> None:
    change_es_tiny(tiny)
    server = FakeGoogle(fail_first=10**9, status=429)
    try:
        result = run(build_cmd(tiny.root, "--output", "audio", "--lang", "es", "--engine", "gtts"), tmp_path,
                     timeout=90, HANDOUTKIT_GTTS_ENDPOINT=server.url)
    finally:
        server.close()
    assert server.requests > 1  # retried with back-off, then gave up
    gtts_failed(tiny, result, "gTTS failed", "HTTP 429", "too many requests")


def test_auto_without_a_network_speaks_offline_and_says_so(tiny: Good, tmp_path: Path) -> None:
    change_es_tiny(tiny)
    result = run(build_cmd(tiny.root, "--output", "audio", "--lang", "es"), tmp_path, timeout=90)
    assert result.code == 0, result.err
    assert "Traceback" not in result.err
    assert f"built     {TINY} es audio: dist/{TINY}/es/{TINY}-es.mp3 (espeak-ng" in result.out
    assert "check: gTTS is not reachable (no network?); spoken offline by espeak-ng instead" in result.err
    mp3 = tiny.dist / TINY / "es" / f"{TINY}-es.mp3"
    assert mp3.read_bytes() != tiny.before[f"{TINY}/es/{TINY}-es.mp3"]
    all_readable(tiny.dist)


# --- 6. no font for a script ------------------------------------------------------------------------------


def test_a_script_without_a_font_fails_that_language_only(good: Good, tmp_path: Path) -> None:
    shutil.copytree(ROOT / "locales" / "zh_Hans", good.root / "locales" / "zh_Hans")
    assert good.run("build", "--output", "pdf").code == 0  # the last good Chinese PDF
    before = snapshot(good.dist)
    change_it(good)
    zh = good.po("zh_Hans")
    good.edit(zh, 'msgstr "最重要的事"', 'msgstr "最重要的事情"')
    fonts_conf = tmp_path / "latin-only.conf"  # the Noto core fonts (Latin, Arabic, ...), no CJK
    fonts_conf.write_text(f"""<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<fontconfig><dir>/usr/share/fonts/truetype/noto</dir><cachedir>{tmp_path / "fc-cache"}</cachedir></fontconfig>
""")
    result = run(build_cmd(good.root, "--output", "pdf"), tmp_path, FONTCONFIG_FILE=str(fonts_conf))
    line = one_line(result, "Chinese (Simplified)", "no font", "cjk-sc", "Noto Sans CJK SC")
    assert line.strip().startswith("Chinese (Simplified): no font for cjk-sc text")
    assert f"failed    {HANDOUT} zh-Hans pdf" in result.err
    assert f"built     {HANDOUT} it pdf" in result.out  # the other languages still build
    after = snapshot(good.dist)
    zh_pdf = f"{HANDOUT}/zh-Hans/{HANDOUT}-zh-Hans.pdf"
    assert after[zh_pdf] == before[zh_pdf]
    assert after[f"{HANDOUT}/en/{HANDOUT}-en.pdf"] == before[f"{HANDOUT}/en/{HANDOUT}-en.pdf"]
    assert after[f"{HANDOUT}/it/{HANDOUT}-it.pdf"] != before[f"{HANDOUT}/it/{HANDOUT}-it.pdf"]
    all_readable(good.dist)


# --- 7. a voice that does not exist, a language no engine speaks offline -----------------------------------


def test_a_voice_named_in_speech_toml_is_refused_with_file_line_and_key(tiny: Good, tmp_path: Path) -> None:
    speech = tiny.root / "locales" / "es" / "speech.toml"
    # at the top level (after [lexicon] it would be a lexicon entry, as TOML reads it)
    speech.write_text('voice = "es-xx-not-a-voice"\n\n[lexicon]\n"MS" = "eme ese"\n', "utf-8")
    result = run(build_cmd(tiny.root, "--output", "audio", "--lang", "es", "--engine", "espeak"), tmp_path)
    tiny.refused(result, "proj/locales/es/speech.toml:1:", "unknown key 'voice'")
    assert f"failed    {TINY} es audio" in result.err


@pytest.mark.parametrize("engine", ["auto", "espeak"])
def test_a_language_no_engine_speaks_offline_is_no_voice_not_a_silent_switch(
    good: Good, tmp_path: Path, engine: str
) -> None:
    shutil.copytree(ROOT / "locales" / "tl", good.root / "locales" / "tl")
    result = run(build_cmd(good.root, "--output", "audio", "--lang", "tl", "--engine", engine), tmp_path)
    assert result.code == 0, result.err  # 'no voice' is a status, not a failure (README: exit codes)
    assert "Traceback" not in result.err
    why = ("no engine here speaks Tagalog offline, and gTTS is not reachable (no network?)" if engine == "auto"
           else "no speech engine here speaks Tagalog")
    assert f"no voice  {HANDOUT} tl audio: {why}" in result.out
    assert not (good.dist / HANDOUT / "tl").exists()  # nothing spoken in another language's voice
    good.untouched()


def test_a_broken_piper_voice_fails_in_one_line_and_auto_falls_back_and_says_so(tiny: Good, tmp_path: Path) -> None:
    voices = tiny.root / "voices"
    voices.mkdir()
    (voices / "es.onnx").write_bytes(b"not a model" * 100)
    (voices / "es.onnx.json").write_text("{ not json", "utf-8")
    result = run(build_cmd(tiny.root, "--output", "audio", "--lang", "es", "--engine", "piper"), tmp_path)
    tiny.refused(result, "Piper cannot load the voice es.onnx")
    assert f"failed    {TINY} es audio" in result.err
    result = run(build_cmd(tiny.root, "--output", "audio", "--lang", "es", "--engine", "auto"), tmp_path)
    assert result.code == 0 and "Traceback" not in result.err, result.err
    assert "Piper cannot load the voice es.onnx" in result.out + result.err
    assert "spoken by espeak-ng instead" in result.out + result.err
    tiny.untouched(".mp3")  # the same espeak-ng recording as before, not a half-made Piper one
