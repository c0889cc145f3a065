"""Measure the README's accessibility table: every language in every edition, judged
by veraPDF (PDF/UA-1), poppler's pdftotext and the structure-tree reader of the tests.

    .venv/bin/python scripts/accessibility_table.py > /tmp/table.md

Builds into a temporary copy of the project; prints a Markdown table."""

from __future__ import annotations

import re
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from babel.messages.pofile import read_po  # noqa: E402

from handoutkit.cli import main  # noqa: E402
from handoutkit.pdfua import validate  # noqa: E402
from tests import tagged  # noqa: E402

HANDOUT = "baclofen-withdrawal"
EDITIONS = {"": ("18", "letter"), "-a4": ("18", "a4"), "-24pt": ("24", "letter"), "-24pt-a4": ("24", "a4")}


def everything(tree: list[tagged.Element]):
    """Every element of the tree, parents first."""
    stack = list(reversed(tree))
    while stack:
        e = stack.pop()
        yield e
        stack.extend(reversed(e.kids))


def messages(root: Path, locale: str, domain: str = HANDOUT) -> dict[str, str]:
    path = root / "locales" / (f"{domain}.pot" if locale == "en" else f"{locale}/LC_MESSAGES/{domain}.po")
    with path.open("rb") as fh:
        return {m.id: (m.id if locale == "en" else m.string) for m in read_po(fh) if m.id}


def main_table() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "proj"
        for name in ("handouts", "templates", "locales"):
            shutil.copytree(ROOT / name, root / name)
        locales = ["en", *sorted(p.name for p in (root / "locales").iterdir() if (p / "LC_MESSAGES").is_dir())]
        for size, paper in EDITIONS.values():
            assert main(["--project", str(root), "build", "--output", "pdf", "--size", size, "--paper", paper]) == 0
        source = (root / "handouts" / HANDOUT / "handout.md").read_text("utf-8")
        boxes = [h for box in re.findall(r"^::: emergency\n(.*?)^:::", source, re.M | re.S)
                 for h in re.findall(r"^## (.+)$", box, re.M)]
        whole = [re.search(r"^## (.+)$", source, re.M)[1], *boxes]
        paths = {(loc, s): root / "dist" / HANDOUT / loc.replace("_", "-") / f"{HANDOUT}-{loc.replace('_', '-')}{s}.pdf"
                 for loc in locales for s in EDITIONS}
        verdicts = {v.path: v for v in validate(list(paths.values()), root / ".cache")}
        print("| language | edition | pages | veraPDF PDF/UA-1 | footer an artifact | other-language /Lang spans"
              " | first section and warning boxes | read back: pdftotext | read back: structure tree |")
        print("|---|---|---|---|---|---|---|---|---|")
        for (loc, suffix), path in paths.items():
            tree, reached, pages = tagged.structure(path)
            footer = all(HANDOUT in tagged.squash("".join(p.artifact_text)) and set(p.text) <= reached.get(n, set())
                         for n, p in enumerate(pages))
            langs = [e.lang for e in everything(tree) if e.lang]
            text = messages(root, loc)
            wanted = {tagged.squash(text[h]) for h in whole}
            sections = [e for e in everything(tree) if e.role == "/Sect" and e.kids and tagged.squash(e.kids[0].text) in wanted]
            spread = [len(s.pages) for s in sections]
            box = "one page each" if all(n == 1 for n in spread) else "continued: " + ", ".join(f"{n} p." for n in spread)
            expected = list(text.values())
            p_ok = sum(tagged.first_missing([m], tagged.pdftotext(path), by_runs=True) is None for m in expected)
            t_text = tagged.tagged_text(path)
            t_ok = sum(tagged.first_missing([m], t_text, by_runs=False) is None for m in expected)
            v = verdicts[path]
            print(f"| {loc} | {EDITIONS[suffix][0]} pt {EDITIONS[suffix][1]} | {len(pages)} | {'pass' if v.passed else 'FAIL'}"
                  f" | {'yes' if footer else 'NO'} | {len(langs)} (en) | {box} | {p_ok}/{len(expected)}"
                  f" | {t_ok}/{len(expected)} |")


if __name__ == "__main__":
    main_table()
