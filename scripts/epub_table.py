"""Measure the README's EPUB table: every language's talking EPUB (offline audio, espeak-ng) through
EPUBCheck (one JVM) and Ace by DAISY (npm, in Debian's Chromium).

    .venv/bin/python scripts/epub_table.py > /tmp/epub.md

Builds into a temporary copy of the project; prints a Markdown table."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from handoutkit.cli import main  # noqa: E402
from handoutkit.epub_check import validate  # noqa: E402
from handoutkit.languages import language  # noqa: E402

HANDOUT = "baclofen-withdrawal"
ACE = ROOT / ".npm" / "node_modules" / ".bin" / "ace-puppeteer"


def ace(epub: Path, out: Path) -> str:
    env = {**os.environ, "PUPPETEER_EXECUTABLE_PATH": shutil.which("chromium") or "chromium"}
    subprocess.run([str(ACE), "-f", "-s", "-o", str(out), str(epub)], capture_output=True, text=True, timeout=300, env=env)
    report = json.loads((out / "report.json").read_text("utf-8"))
    failed = [a["earl:test"]["dct:title"] for g in report["assertions"] for a in g.get("assertions", [])
              if a["earl:result"]["earl:outcome"] == "fail"]
    return "pass, 0 violations" if not failed else f"{len(failed)} violations: {', '.join(sorted(set(failed)))}"


def run() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "proj"
        for name in ("handouts", "templates", "locales"):
            shutil.copytree(ROOT / name, root / name)
        main(["--project", str(root), "build", "--output", "audio", "--output", "epub", "--engine", "espeak"])
        epubs = sorted((root / "dist" / HANDOUT).glob("*/*.epub"))
        checked = {v.path: v for v in validate(epubs, root / ".cache")}
        print("| language | tag | EPUB | EPUBCheck 5.3.0 | Ace 1.4.6 |")
        print("|---|---|---|---|---|")
        for epub in epubs:
            lang = language(epub.parent.name)
            with zipfile.ZipFile(epub) as book:
                talking = "EPUB/handout.smil" in book.namelist()
            v = checked[epub]
            verdict = "0 errors, 0 warnings" if v.passed else f"{v.errors} errors, {v.warnings} warnings"
            print(f"| {lang.name_en} | {lang.tag} | {'talking' if talking else 'text only (no voice)'} | {verdict} |"
                  f" {ace(epub, Path(tmp) / 'ace' / lang.tag)} |")
    return 0


if __name__ == "__main__":
    sys.exit(run())
