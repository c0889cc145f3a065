"""make bench: how fast handoutkit builds on this machine, against the floor of
the bare library calls, and how much memory it takes. Prints a Markdown table.

Numbers, not adjectives: nothing here is asserted, and the tests time nothing but
one generous bound (a refused input answers within 30 s). Peak memory is measured
here, per build and per worker, against the workers' data limit (limits.py).
Each figure with an aim (issue 19) is printed next to it, with "pass" or "miss".

`python bench/bench.py finish` measures the audio finish alone (a few seconds).
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CLI = [sys.executable, str(ROOT / "make_handouts.py"), "--project", str(ROOT)]
# the outputs the floor is measured for (PDF, MP3 with clip and transcript, phone page); the bilingual
# edition, EPUB and braille come on top and are timed on their own
FLOOR_OUTPUTS = ["--output", "pdf", "--output", "audio", "--output", "web"]
# the counter case in each script the handouts are printed in
COUNTER_SCRIPTS = [("es", "Latin"), ("ru", "Cyrillic"), ("ar", "Arabic"), ("hi", "Devanagari"), ("ko", "Hangul"),
                   ("zh-Hans", "Han, simplified"), ("zh-Hant", "Han, traditional")]


def tree_rss_kib(pid: int, workers: dict[int, tuple[int, int]] | None = None) -> int:
    """Resident memory of a process and all its descendants, in KiB. With workers,
    also each descendant's largest (VmRSS, VmData) so far, by pid."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as fh:
                    ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
                children.setdefault(ppid, []).append(int(entry))
            except (OSError, IndexError, ValueError):
                pass
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        todo.extend(children.get(current, []))
        rss = data = 0
        try:
            with open(f"/proc/{current}/status") as fh:
                for line in fh:
                    if line.startswith("VmRSS:"):
                        rss = int(line.split()[1])
                    elif line.startswith("VmData:"):
                        data = int(line.split()[1])
        except OSError:
            pass
        total += rss
        if workers is not None and current != pid:
            old_rss, old_data = workers.get(current, (0, 0))
            workers[current] = (max(old_rss, rss), max(old_data, data))
    return total


WORKER_PEAKS: dict[int, tuple[int, int]] = {}  # of the last timed() run: pid -> (VmRSS, VmData) KiB


def timed(args: list[str], env: dict[str, str]) -> tuple[float, int, str]:
    """Wall seconds, peak summed RSS (MiB) of the process tree, stdout; each
    descendant's peaks are left in WORKER_PEAKS."""
    start = time.perf_counter()
    proc = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    peak = 0
    done = threading.Event()
    WORKER_PEAKS.clear()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, tree_rss_kib(proc.pid, WORKER_PEAKS))
            time.sleep(0.05)

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    out, _ = proc.communicate()
    wall = time.perf_counter() - start
    done.set()
    thread.join()
    if proc.returncode not in (0, 1):
        raise SystemExit(f"build failed ({proc.returncode}): {' '.join(args)}")
    return wall, peak // 1024, out


def env_with(dist: Path) -> dict[str, str]:
    env = dict(os.environ, HANDOUTKIT_DIST=str(dist))
    env.pop("HANDOUTKIT_GTTS_ENDPOINT", None)
    return env


def floor() -> tuple[float, int, int]:
    """The same outputs from the bare library calls, warm, imports excluded."""
    sys.path.insert(0, str(ROOT))
    from weasyprint import HTML

    from handoutkit.build import language_state, localized, template_wanted
    from handoutkit.fetcher import ProjectFetcher
    from handoutkit.fonts import stack
    from handoutkit.options import PdfOptions
    from handoutkit.project import Project
    from handoutkit.render import sound
    from handoutkit.render.pdf import PdfRenderer
    from handoutkit.speech.espeak import Espeak
    from handoutkit.spoken import read_speech_settings, script

    project = Project(ROOT)
    renderer = PdfRenderer(project.templates_dir)
    espeak = Espeak()
    inputs = []
    for handout_id in project.handout_ids():
        handout = project.handout(handout_id)
        tmpl = template_wanted(project, handout)
        for lang in project.languages("baclofen-withdrawal"):
            state = language_state(project, handout, lang, tmpl)
            if state.blocking:
                continue
            doc = localized(handout, state)
            html = renderer.html(doc, PdfOptions())
            fonts = [f.path for f in stack(lang.fonts)] + [f.bold_path for f in stack(lang.fonts) if f.bold_path]
            fetcher = ProjectFetcher([project.templates_dir], fonts)
            cues = [c.spoken for ch in script(doc, read_speech_settings(
                project.locales_dir / lang.locale / "speech.toml")).chapters for c in ch.cues]
            inputs.append((lang, html, fetcher, cues if espeak.voice(lang) else []))
    base = project.templates_dir.resolve().as_uri() + "/"
    HTML(string=inputs[0][1], base_url=base, url_fetcher=inputs[0][2]).write_pdf(pdf_variant="pdf/ua-1")  # warm
    import numpy as np

    start = time.perf_counter()
    pdfs = audios = 0
    for lang, html, fetcher, cues in inputs:
        HTML(string=html, base_url=base, url_fetcher=fetcher).write_pdf(pdf_variant="pdf/ua-1")
        pdfs += 1
        if cues:
            pcm = np.concatenate([espeak.speak(text, lang).samples for text in cues])
            sound.loudness(pcm, 22050)
            sound.to_mp3(pcm, 22050)
            audios += 1
    return time.perf_counter() - start, pdfs, audios


def worker_peak() -> str:
    """The largest worker of the last timed() run: resident and data segment, MiB."""
    if not WORKER_PEAKS:
        return "no worker"
    rss = max(r for r, _d in WORKER_PEAKS.values()) // 1024
    data = max(d for _r, d in WORKER_PEAKS.values()) // 1024
    return f"largest worker {rss} MiB resident, {data} MiB data"


def longest_allowed(work: Path) -> list[tuple[str, str, str, str]]:
    """Spanish with every translation as long as the limits allow (10 times its English,
    200 characters for a short one): what a build within the limits can be asked to make."""
    sys.path.insert(0, str(ROOT))
    from babel.messages.pofile import read_po, write_po
    from pypdf import PdfReader

    from handoutkit.limits import longest_translation, worker_memory

    copy = work / "longest"
    for name in ("handouts", "templates"):
        shutil.copytree(ROOT / name, copy / name)
    (copy / "locales").mkdir()
    shutil.copytree(ROOT / "locales" / "es", copy / "locales" / "es")
    po = copy / "locales" / "es" / "LC_MESSAGES" / "baclofen-withdrawal.po"
    with po.open("rb") as fh:
        catalog = read_po(fh)
    for message in catalog:
        if message.id:
            most = longest_translation(message.id)
            message.string = (message.string + " " + "palabra " * most)[:most - 1] + "."
    with po.open("wb") as fh:
        write_po(fh, catalog)
    cli = [sys.executable, str(ROOT / "make_handouts.py"), "--project", str(copy)]
    wall, peak, out = timed([*cli, "build", "--lang", "es", "--output", "pdf", "--output", "audio",
                             "--engine", "espeak", "--json"], env_with(copy / "dist"))
    report = {r["output"]: r for r in json.loads(out)}
    pages = len(PdfReader(str(copy / "dist" / "baclofen-withdrawal" / "es" / "baclofen-withdrawal-es.pdf")).pages)
    return [(f"8. every Spanish translation at its longest allowed ({po.stat().st_size // 1024} KiB catalog):"
             f" {pages}-page PDF, audio {report['audio']['detail']}",
             f"{wall:.1f} s, peak {peak} MiB, {worker_peak()} (limit {worker_memory() // 1024 ** 2} MiB data)", "", "")]


FINISH_AIM = 1.0  # seconds of finish per 264 s of speech (4.4 min, the Spanish audio)


def audio_finish() -> list[tuple[str, str, str, str]]:
    """Loudness to -16 LUFS with the -1 dBTP true-peak limiter (sound.normalise) on the
    Spanish speech as espeak-ng says it, warm: the median of 3, in seconds per 264 s."""
    sys.path.insert(0, str(ROOT))
    import numpy as np

    from handoutkit.build import language_state, localized, template_wanted
    from handoutkit.project import Project
    from handoutkit.render import sound
    from handoutkit.speech.espeak import Espeak
    from handoutkit.spoken import read_speech_settings, script

    project = Project(ROOT)
    handout = project.handout("baclofen-withdrawal")
    lang = next(lang for lang in project.languages("baclofen-withdrawal") if lang.tag == "es")
    doc = localized(handout, language_state(project, handout, lang, template_wanted(project, handout)))
    espeak = Espeak()
    cues = script(doc, read_speech_settings(project.locales_dir / lang.locale / "speech.toml")).chapters
    pcm = np.concatenate([espeak.speak(c.spoken, lang).samples for ch in cues for c in ch.cues])
    rate = 22050
    sound.normalise(pcm[:rate * 20], rate)  # warm: imports and the filter's design
    times = []
    for _ in range(3):
        start = time.perf_counter()
        out = sound.normalise(pcm, rate)
        times.append(time.perf_counter() - start)
    per = statistics.median(times) * 264 / (pcm.size / rate)
    got = f"{per:.2f} s ({statistics.median(times):.2f} s for {pcm.size / rate:.0f} s; {sound.loudness(out, rate):.2f} LUFS)"
    return [("0. audio finish: loudness -16 LUFS + true-peak limiter (normalise), Spanish espeak-ng speech, warm,"
             " per 264 s of speech", got, f"<= {FINISH_AIM:.0f} s", verdict(per <= FINISH_AIM))]


def verdict(ok: bool) -> str:
    return "pass" if ok else "miss"


def main() -> None:
    if sys.argv[1:] == ["finish"]:
        show(audio_finish())
        return
    work = Path(tempfile.mkdtemp(prefix="handoutkit-bench-"))
    rows: list[tuple[str, str, str, str]] = audio_finish()
    try:
        cold = {}
        for jobs in (1, os.cpu_count() or 1):
            dist = work / f"cold-{jobs}"
            wall, peak, out = timed([*CLI, "build", *FLOOR_OUTPUTS, "--engine", "espeak", "--jobs", str(jobs), "--json"],
                                    env_with(dist))
            report = json.loads(out)
            made = sum(1 for r in report if r["status"] == "built")
            cold[jobs] = (wall, peak)
            rows.append((f"1. cold full build, {jobs} worker{'s' if jobs > 1 else ''} ({made} outputs, PDF + audio, espeak-ng)",
                         f"{wall:.1f} s, peak {peak} MiB, {worker_peak()}", "", ""))
        floor_s, pdfs, audios = floor()
        rows.append((f"2. floor: bare WeasyPrint write_pdf + espeak-ng + loudness + MP3 ({pdfs} PDFs, {audios} MP3s), warm",
                     f"{floor_s:.1f} s", "", ""))
        ratio = cold[1][0] / floor_s
        rows.append(("   ratio build / floor, 1 worker", f"{ratio:.2f}", "<= 1.3", verdict(ratio <= 1.3)))
        jobs = os.cpu_count() or 1
        speedup = cold[1][0] / cold[jobs][0]
        rows.append((f"   speed-up, {jobs} workers over 1", f"{speedup:.2f}x", ">= 1.6x", verdict(speedup >= 1.6)))

        dist = work / f"cold-{jobs}"
        wall, _, out = timed([*CLI, "build", "--engine", "espeak", "--json"], env_with(dist))
        made = sum(1 for r in json.loads(out) if r["status"] == "built")
        rows.append((f"   then the bilingual editions, EPUBs and braille files ({made} outputs, {jobs} workers)",
                     f"{wall:.1f} s", "", ""))
        noop = [timed([*CLI, "build", "--engine", "espeak", "--json"], env_with(dist))[0] for _ in range(5)]
        rows.append(("3. rebuild with nothing changed (median of 5, whole process)", f"{statistics.median(noop):.2f} s",
                     "< 0.5 s", verdict(statistics.median(noop) < 0.5)))

        copy = work / "project"
        for name in ("handouts", "templates", "locales", "make_handouts.py"):
            (shutil.copytree if (ROOT / name).is_dir() else shutil.copy)(ROOT / name, copy / name)
        po = copy / "locales" / "es" / "LC_MESSAGES" / "baclofen-withdrawal.po"
        cli = [sys.executable, str(ROOT / "make_handouts.py"), "--project", str(copy)]
        edit_dist = work / "edit"
        timed([*cli, "build", "--engine", "espeak", "--json"], env_with(edit_dist))
        po.write_text(po.read_text("utf-8").replace('msgstr "Tiene fiebre alta."', 'msgstr "Tiene una fiebre alta."'))
        wall, _, out = timed([*cli, "build", "--engine", "espeak", "--json"], env_with(edit_dist))
        ran = [f"{r['language']} {r['output']}" for r in json.loads(out) if r["status"] == "built"]
        rows.append((f"4. rebuild after one Spanish msgstr changed ({len(ran)} targets ran: {', '.join(ran)})", f"{wall:.1f} s",
                     "", ""))

        for tag, writing in COUNTER_SCRIPTS:
            wall, peak, _ = timed([*CLI, "build", "--lang", tag, "--output", "pdf", "--json"], env_with(work / f"one-{tag}"))
            rows.append((f"5. counter case: cold process, one PDF ({tag}, {writing}), imports included", f"{wall:.2f} s",
                         "< 1.5 s", verdict(wall < 1.5)))
        mb = cold[jobs][1] * 1024 ** 2 / 1e6
        rows.append(("6. peak memory (main + workers, summed), cold build, default workers", f"{cold[jobs][1]} MiB ({mb:.0f} MB)",
                     "< 500 MB", verdict(mb < 500)))
        wall, _, _ = timed([*CLI, "print", "baclofen-withdrawal", "--lang", "es"], env_with(work / "counter"))
        rows.append(("7. pharmacy counter: cold `print baclofen-withdrawal --lang es` (builds the PDF)", f"{wall:.2f} s",
                     "< 1.5 s", verdict(wall < 1.5)))
        wall, _, _ = timed([*CLI, "build", "--lang", "en", "--output", "audio", "--engine", "piper"], env_with(work / "piper"))
        rows.append(("   English audio spoken by Piper (onnxruntime), in a worker", f"{wall:.1f} s, {worker_peak()}", "", ""))
        rows.extend(longest_allowed(work))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    show(rows)


def show(rows: list[tuple[str, str, str, str]]) -> None:
    print(f"handoutkit bench on {os.cpu_count()} cores, Python {sys.version.split()[0]}\n")
    print("| measure | result | aim | |\n|---|---|---|---|")
    for name, value, aim, mark in rows:
        print(f"| {name} | {value} | {aim} | {mark} |")


if __name__ == "__main__":
    main()
