"""Fill the new labels (from /work/tr/labels.json) into locales/*/LC_MESSAGES/templates.po of a
project, after `make-handouts update`: the entry's msgstr, no fuzzy flag, no previous msgid.
Edits the entries in place (the rest of the file keeps msgmerge's layout).
usage: put_labels.py PROJECT_ROOT [locale ...]"""
import json
import re
import sys
from pathlib import Path

root = Path(sys.argv[1])
labels = json.loads(Path("/work/tr/labels.json").read_text("utf-8"))
only = set(sys.argv[2:])


def po_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


for po in sorted(root.glob("locales/*/LC_MESSAGES/templates.po")):
    locale = po.parent.parent.name
    if only and locale not in only or locale not in labels:
        continue
    text = po.read_text("utf-8")
    entries = text.split("\n\n")
    changed = 0
    for i, entry in enumerate(entries):
        m = re.search(r'^msgid "(.*)"$', entry, re.M)
        if not m:
            continue
        msgid = m.group(1).replace('\\"', '"')
        if msgid not in labels[locale]:
            continue
        lines = [ln for ln in entry.split("\n") if not ln.startswith("#|")]
        lines = [re.sub(r"^#, fuzzy(, )?", lambda mm: "#, " if mm.group(1) else "", ln) for ln in lines]
        lines = [ln for ln in lines if ln.strip() not in ("#,", "")]
        start = next(j for j, ln in enumerate(lines) if ln.startswith("msgstr "))
        end = start + 1
        while end < len(lines) and lines[end].startswith('"'):
            end += 1
        lines[start:end] = ["msgstr " + po_string(labels[locale][msgid])]
        new = "\n".join(lines)
        if new != entry:
            entries[i] = new
            changed += 1
    po.write_text("\n\n".join(entries), "utf-8")
    print(locale, changed)
