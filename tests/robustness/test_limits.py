"""Bounded inputs (README, "Limits"): a source, a catalog or a site logo over its
size, or a translation many times longer than its English, is refused in one line
naming the file (and the message), exit 1, in seconds, before anything is drawn
or spoken; the last good outputs stay byte for byte. Each worker's memory is
bounded by a data-segment limit (RLIMIT_DATA) that the kernel reports for the
worker, and that Piper (onnxruntime), espeak-ng and the memory-mapped CJK fonts
work under; a worker over it fails its output in one line."""

from __future__ import annotations

import os
import struct
import subprocess
import sys
import time
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest

from ..conftest import ROOT, Result
from ..tagged import pdftotext
from ..test_online_speech import closed_port
from .conftest import HANDOUT, LOCALE, Good, one_line, set_msgstr, snapshot
from .test_faults import TINY, tiny_project

FEVER = "You have a high fever."  # 22 characters: a translation may have 220 (10 times)
PALSY = "cerebral palsy"  # 14: a translation may have 200 (the floor for short messages)
WEEKS = "This often takes 1 to 2 weeks, or longer. Your prescriber decides how long."  # 75: 750
SECONDS = 30  # what "in seconds" means here; a refused build takes about one (the builds they replace took minutes)
GIB = 1024 ** 3


def timed_build(good: Good, *args: str) -> Result:
    start = time.monotonic()
    result = good.run("build", "--output", "pdf", *args)
    assert time.monotonic() - start < SECONDS
    return result


def padded(start: str, length: int) -> str:
    """start, then words without digits, braces or bold, to exactly length characters."""
    return (start + " " + "parola " * length)[:length - 1] + "."


# --- inputs


def test_a_source_over_the_limit_is_refused_in_one_line(good: Good) -> None:
    source = good.root / "handouts" / HANDOUT / "handout.md"
    source.write_text(source.read_text("utf-8") + "\n" + "Take your medicine every day. " * 2200 + "\n", "utf-8")
    assert source.stat().st_size > 64 * 1024
    result = timed_build(good)
    line = good.refused(result, "handout.md", "the handout is 70 KiB; the limit is 64 KiB")
    assert len(result.err.strip().splitlines()) == 1, result.err
    assert line.startswith("make-handouts: ")


def test_a_catalog_over_the_limit_blocks_its_language_in_one_line(good: Good) -> None:
    """The issue's case: a 1 MB msgstr, which made a 903-page PDF and a 24 GB audio worker."""
    po = good.po()
    good.edit(po, f'msgstr "[it] {FEVER}"', 'msgstr "' + "Avete la febbre alta. " * 47000 + '"')
    assert po.stat().st_size > 1_000_000
    result = timed_build(good)
    good.refused(result, f"{po.name}: the catalog is 1.0 MiB; the limit is 512 KiB")
    assert f"blocked   {HANDOUT} {LOCALE} pdf" in result.err
    assert f"{HANDOUT} en pdf" not in result.err  # English is not blocked with it


def test_a_translation_ten_times_its_english_is_refused_by_message(good: Good) -> None:
    """100,000 characters for 22: under the catalog limit, so the message itself is refused."""
    po = good.po()
    set_msgstr(po, FEVER, padded("[it] Avete la febbre alta.", 100_000))
    line = good.line_of(po, f'msgid "{FEVER}"')
    result = timed_build(good)
    good.refused(result, f"{po.name}:{line}:", "the translation has 100000 characters, the English 22",
                 "at most 220", FEVER)


@pytest.mark.parametrize(("msgid", "start", "most"), [
    (PALSY, "[it] paralisi cerebrale", 200),  # a short English gets the floor
    (WEEKS, "[it] Ci vogliono da 1 a 2 settimane.", 750),  # a long one ten times its length
], ids=["floor-for-a-short-message", "ten-times-a-long-message"])
def test_the_longest_translation_allowed_builds_and_one_more_character_does_not(good: Good, msgid: str, start: str,
                                                                                 most: int) -> None:
    po = good.po()
    set_msgstr(po, msgid, padded(start, most))
    result = good.run("build", "--output", "pdf", "--lang", LOCALE)
    assert result.code == 0, result.err
    assert "parolaparola" in "".join(pdftotext(good.pdf(LOCALE)).split())

    set_msgstr(po, msgid, padded(start, most + 1))
    good.before = snapshot(good.dist)  # the outputs just built are now the last good ones
    good.refused(good.run("build", "--output", "pdf", "--lang", LOCALE), f"{po.name}:",
                 f"the translation has {most + 1} characters", f"at most {most}")


def png(width: int, height: int, rows: Callable[[int], bytes]) -> bytes:
    """A real, 8-bit grey PNG file (every row from rows(width))."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"".join(b"\x00" + rows(width) for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


LOGOS = [  # (id, file name, its bytes, words of the one line)
    ("png-over-1-mib", "logo.png", lambda: png(1100, 1100, os.urandom), "assets/logo.png is 1.2 MiB; the limit is 1 MiB"),
    ("svg-over-1-mib", "logo.svg", lambda: ('<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20">'
                                            + '<rect width="1" height="1"/>' * 40000 + "</svg>").encode(),
     "assets/logo.svg is 1.1 MiB; the limit is 1 MiB"),
    ("png-of-12000-pixels", "logo.png", lambda: png(12000, 12000, bytes),  # 20 KB on disk, 144 megapixels drawn
     "assets/logo.png is 12000 x 12000 pixels; the limit is 4096 on either side"),
]


@pytest.mark.parametrize(("name", "data", "words"), [c[1:] for c in LOGOS], ids=[c[0] for c in LOGOS])
def test_a_site_logo_over_the_limit_is_refused_in_one_line(good: Good, name: str, data: Callable[[], bytes],
                                                           words: str) -> None:
    (good.root / "assets").mkdir()
    (good.root / "assets" / name).write_bytes(data())
    site = good.root / "site.toml"
    site.write_text(f'id = "main-street"\nname = "Main Street Pharmacy"\nlogo = "assets/{name}"\nlogo_alt = "Logo"\n',
                    "utf-8")
    result = timed_build(good, "--lang", "en")
    good.refused(result, "site.toml:3: 'logo': ", words)
    assert len(result.err.strip().splitlines()) == 1, result.err


# --- the workers' memory


def data_limits_of_workers(cmd: list[str], cwd: Path, env: dict[str, str]) -> tuple[Result, dict[int, int]]:
    """Run a build; the soft 'Max data size' the kernel shows for each worker process it starts, by pid."""
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    seen: dict[int, int] = {}
    while proc.poll() is None:
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                if int(stat.read_text().rsplit(")", 1)[1].split()[1]) != proc.pid:
                    continue
                if b"spawn_main" not in (stat.parent / "cmdline").read_bytes():
                    continue
                limits = (stat.parent / "limits").read_text()
            except (OSError, IndexError, ValueError):
                continue
            row = next(line for line in limits.splitlines() if line.startswith("Max data size"))
            soft = row.split()[3]
            seen[int(stat.parent.name)] = -1 if soft == "unlimited" else int(soft)
        time.sleep(0.02)
    out, err = proc.communicate()
    return Result(proc.returncode, out, err), seen


TINY_ZH = {  # the tiny handout of test_faults.py in Chinese, so that the CJK fonts are loaded
    "Take your pills": "按时服药",
    "The most important thing": "最重要的事",
    "**Take one pill each day.**": "**每天服用一粒药。**",
    "Warning signs: get emergency help": "危险信号：请立即求救",
    "**Call your local emergency number right away** if you feel faint.": "如果您感到要晕倒，**请立即拨打当地急救电话**。",
}


def test_workers_run_under_a_data_limit_that_piper_espeak_and_cjk_fonts_work_under(tmp_path: Path) -> None:
    """Chinese (the CJK fonts are memory-mapped) and English PDFs, English audio spoken by Piper
    (onnxruntime) and Chinese by espeak-ng, in workers under the default 2 GiB data limit, read
    from the kernel's view of each worker."""
    root = tiny_project(tmp_path / "proj", "zh-Hans")
    po = root / "locales" / "zh_Hans" / "LC_MESSAGES" / f"{TINY}.po"
    for msgid, msgstr in TINY_ZH.items():
        set_msgstr(po, msgid, msgstr)
    env = {k: v for k, v in os.environ.items() if not k.startswith("HANDOUTKIT_")}
    env.update(PYTHONPATH=str(ROOT), HANDOUTKIT_GTTS_ENDPOINT=closed_port())  # auto: Piper for English, espeak-ng
    cmd = [sys.executable, str(ROOT / "make_handouts.py"), "--project", str(root), "build", "--output", "pdf",
           "--output", "audio", "--lang", "en", "--lang", "zh-Hans", "--engine", "auto", "--jobs", "2"]
    result, limits = data_limits_of_workers(cmd, tmp_path, env)
    assert result.code == 0, result.err
    assert len(limits) >= 4 and set(limits.values()) == {2 * GIB}, limits  # two PDF workers, then two audio ones
    assert "en audio" in result.out and "Piper" in result.out
    assert "zh-Hans audio" in result.out and "espeak-ng" in result.out and "zh-Hans pdf" in result.out
    assert "每天服用一粒药" in "".join(pdftotext(root / "dist" / TINY / "zh-Hans" / f"{TINY}-zh-Hans.pdf").split())


def test_a_worker_over_its_memory_limit_fails_in_one_line(good: Good, monkeypatch: pytest.MonkeyPatch) -> None:
    """A limit set too low for the job (HANDOUTKIT_WORKER_MEMORY, MiB): each output says so; nothing is written."""
    css = good.root / "templates" / "handout.css"
    css.write_text(css.read_text("utf-8") + "\n/* every PDF again: two jobs, so they go to workers */\n", "utf-8")
    monkeypatch.setenv("HANDOUTKIT_WORKER_MEMORY", "40")
    result = good.run("build", "--output", "pdf")
    for tag in ("en", LOCALE):
        one_line(result, f"{HANDOUT}-{tag}.pdf: ran out of memory: a worker may use 40 MiB")
    good.untouched()


def test_a_worker_memory_that_is_not_a_number_is_a_usage_error(good: Good, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HANDOUTKIT_WORKER_MEMORY", "lots")
    good.edit(good.po(), f'msgstr "[it] {FEVER}"', 'msgstr "[it] Avete la febbre alta."')
    good.refused(good.run("build", "--output", "pdf"), "HANDOUTKIT_WORKER_MEMORY=lots", "in MiB", code=2)
