"""Numbered translations only (no English) for the back-translator: /work/tr/<locale>/export.txt."""
import sys
from pathlib import Path
from babel.messages.pofile import read_po

locale = sys.argv[1]
folder = Path("/work/tr") / locale
lines = []
n = 0
for domain in ("baclofen-withdrawal", "templates"):
    with (folder / "LC_MESSAGES" / f"{domain}.po").open("rb") as fh:
        catalog = read_po(fh)
    for m in catalog:
        if not m.id:
            continue
        n += 1
        lines.append(f"[{n}] {m.string}")
(folder / "export.txt").write_text("\n".join(lines) + "\n", "utf-8")
print(f"{n} messages -> {folder / 'export.txt'}")
