"""Find each language's speaking-pace setting and write it into its row of handoutkit/languages.toml.

    python scripts/calibrate_pace.py --engine espeak [--lang es ...] [--write] [--slow]

The pace is measured one way for every engine: words of the WebVTT cues
(chapter cues excluded) divided by the MP3's whole length, pauses included, on
the project's handout as `build` makes it. A setting is refined until the pace
is within half a word of TARGET_WPM. Chinese (no spaces between words) is
slowed from its voice's own default by the median slowing that the other
languages measured: characters a minute at the default x that ratio.
Prints a Markdown table of what was measured (for the README).
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
from dataclasses import replace
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import soundfile  # noqa: E402

from handoutkit.build import language_state, localized, template_wanted  # noqa: E402
from handoutkit.languages import language  # noqa: E402
from handoutkit.options import AudioOptions  # noqa: E402
from handoutkit.project import Project  # noqa: E402
from handoutkit.render.audio import render_audio  # noqa: E402
from handoutkit.speech import pace  # noqa: E402
from handoutkit.spoken import read_speech_settings, script  # noqa: E402

UNSPACED = ("zh", "ja", "my")  # languages written without spaces: paced by the Chinese rule
DEFAULTS = {"espeak": 175.0, "piper": 1.0}  # each engine's own pace
HANDOUT = "baclofen-withdrawal"


def measure(vtt: str, mp3: bytes) -> tuple[float, float, float, float]:
    """(words a minute, characters a minute, seconds spoken in cues, seconds in all)."""
    words = chars = 0
    spoken = 0.0
    for block in vtt.split("\n\n"):
        lines = block.strip().splitlines()
        if len(lines) >= 3 and "-->" in lines[1] and not lines[0].startswith("chapter-"):
            text = re.sub(r"</?lang[^>]*>", " ", " ".join(lines[2:]))  # its <lang en> marks are no words
            words += len(text.split())
            chars += len(re.sub(r"[\W\d_]", "", text))
            start, end = (sum(float(p) * 60 ** i for i, p in enumerate(reversed(t.split(":")))) for t in lines[1].split(" --> "))
            spoken += end - start
    total = soundfile.info(BytesIO(mp3)).duration
    return words / total * 60, chars / total * 60, spoken, total


def refine(engine: str, value: float, spoken: float, total: float, want_total: float) -> float:
    """The next setting to try: the pauses stay as they are, the cues take up the rest."""
    squeeze = spoken / max(want_total - (total - spoken), 1.0)  # the cues' new length / their old length
    if engine == "espeak":  # words a minute: inversely
        return float(round(value * squeeze))
    return round(value / squeeze, 3)  # Piper's length scale: in proportion


def engine_for(name: str, project: Project):
    if name == "espeak":
        from handoutkit.speech.espeak import Espeak

        return Espeak()
    from handoutkit.speech.neural import Neural

    return Neural(project.root / "voices")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", choices=sorted(DEFAULTS), default="espeak")
    parser.add_argument("--lang", action="append", help="only these locales (default: every one the engine speaks)")
    parser.add_argument("--project", type=Path, default=ROOT)
    parser.add_argument("--write", action="store_true", help="write the settings found into languages.toml")
    parser.add_argument("--slow", action="store_true", help="also measure --rate slow")
    args = parser.parse_args()
    project = Project(args.project.resolve())
    handout = project.handout(HANDOUT)
    wanted = template_wanted(project, handout)
    engine = engine_for(args.engine, project)
    locales = args.lang or ["en"] + sorted(p.name for p in project.locales_dir.iterdir() if (p / "LC_MESSAGES").is_dir())
    found: dict[str, tuple[float, float, float]] = {}  # locale -> (setting, wpm, cpm)
    at_default: dict[str, tuple[float, float]] = {}

    def run(locale: str, value: float, rate: str = "normal") -> tuple[float, float, float, float]:
        base = language(locale)  # with the setting tried here, not the table's
        lang = replace(base, pace=tuple(sorted({**dict(base.pace), args.engine: value}.items())))
        doc = localized(handout, language_state(project, handout, lang, wanted))
        spoken = script(doc, read_speech_settings(project.locales_dir / lang.locale / "speech.toml"))
        result = render_audio(doc, spoken, engine, AudioOptions(rate))
        return measure(result.vtt, result.mp3)

    languages = [loc for loc in locales if engine.voice(language(loc))]
    for locale in languages:
        default = DEFAULTS[args.engine]
        wpm, cpm, spoken, total = run(locale, default)
        at_default[locale] = (wpm, cpm)
        if locale.split("_")[0] in UNSPACED:
            continue
        value = default
        for _ in range(6):
            if abs(wpm - pace.TARGET_WPM) <= 0.5:
                break
            value = refine(args.engine, value, spoken, total, total * wpm / pace.TARGET_WPM)
            wpm, cpm, spoken, total = run(locale, value)
        found[locale] = (value, wpm, cpm)
        print(f"{locale}: {value} -> {wpm:.1f} wpm", file=sys.stderr)
    ratios = [found[loc][1] / at_default[loc][0] for loc in found]
    slowing = statistics.median(ratios) if ratios else 1.0
    for locale in languages:
        if locale.split("_")[0] not in UNSPACED:
            continue
        target = at_default[locale][1] * slowing
        value = DEFAULTS[args.engine]
        wpm, cpm, spoken, total = run(locale, value)
        for _ in range(6):
            if abs(cpm - target) <= 1.0:
                break
            value = refine(args.engine, value, spoken, total, total * cpm / target)
            wpm, cpm, spoken, total = run(locale, value)
        found[locale] = (value, wpm, cpm)
        print(f"{locale}: {value} -> {cpm:.0f} characters a minute (default {at_default[locale][1]:.0f}, x{slowing:.3f})",
              file=sys.stderr)
    print(f"\nmedian slowing from the voice's default: x{slowing:.3f}\n")
    print(f"| language | engine | setting | words/min | characters/min |{' slow words/min |' if args.slow else ''}")
    print(f"|---|---|---|---|---|{'---|' if args.slow else ''}")
    for locale, (value, wpm, cpm) in found.items():
        slow = ""
        if args.slow:
            slow = f" {run(locale, value, 'slow')[0]:.0f} |"
        print(f"| {locale} | {args.engine} | {value:g} | {wpm:.1f} | {cpm:.0f} |{slow}")
    if args.write:
        write(args.engine, {loc: v for loc, (v, _w, _c) in found.items()})
    return 0


def write(engine: str, settings: dict[str, float]) -> None:
    """Set the engine's pace in each language's row of languages.toml, keeping everything else."""
    from handoutkit.languages import TABLE

    text = TABLE.read_text("utf-8")
    for locale, value in sorted(settings.items()):
        row = re.search(rf"^\[{locale}\]\n(.*?)(?=^\[|\Z)", text, re.M | re.S)
        assert row, f"languages.toml has no row [{locale}]"
        line = re.search(r"^pace = \{(.*)\}", row.group(1), re.M)
        assert line, f"the row [{locale}] has no pace line"
        pairs = dict(p.strip().split(" = ") for p in line.group(1).split(",") if p.strip())
        pairs[engine] = f"{value:g}" if engine != "espeak" else str(int(value))
        new = "pace = { " + ", ".join(f"{k} = {v}" for k, v in pairs.items()) + " }"
        start = row.start(1) + line.start()
        text = text[:start] + new + text[row.start(1) + line.end():]
    TABLE.write_text(text, "utf-8")


if __name__ == "__main__":
    sys.exit(main())
