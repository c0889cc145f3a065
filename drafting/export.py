"""Numbered messages of a drafted language, in catalog order:
    export.py <locale>            the translations only (no English), for the back-translator: export.txt
    export.py <locale> --source   the English, same numbers, for the comparer: source.txt"""
import sys
from pathlib import Path
from babel.messages.pofile import read_po

locale = sys.argv[1]
english = "--source" in sys.argv[2:]
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
        lines.append(f"[{n}] {m.id if english else m.string}")
out = folder / ("source.txt" if english else "export.txt")
out.write_text("\n".join(lines) + "\n", "utf-8")
print(f"{n} messages -> {out}")
