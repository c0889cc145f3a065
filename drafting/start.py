"""Start /work/tr/<locale>/LC_MESSAGES/*.po from the project's templates (handoutkit init, in a temp copy)."""
import shutil, subprocess, sys, tempfile
from pathlib import Path

locale = sys.argv[1]
main = Path("/work/main")
out = Path("/work/tr") / locale / "LC_MESSAGES"
if out.exists() and any(out.glob("*.po")):
    sys.exit(f"{out} already has catalogs; remove them first if you really want to start again")
with tempfile.TemporaryDirectory() as tmp:
    root = Path(tmp) / "proj"
    for name in ("handouts", "templates"):
        shutil.copytree(main / name, root / name)
    (root / "locales").mkdir()
    for pot in (main / "locales").glob("*.pot"):
        shutil.copy(pot, root / "locales" / pot.name)
    subprocess.run([str(main / ".venv/bin/make-handouts"), "--project", str(root), "init", locale], check=True)
    out.mkdir(parents=True, exist_ok=True)
    header = ("# Machine-drafted translation (AI draft); not yet reviewed by a qualified\n"
              "# medical translator.\n")
    for po in (root / "locales" / locale / "LC_MESSAGES").glob("*.po"):
        text = po.read_text("utf-8")
        text = text.replace('"Last-Translator: FULL NAME <EMAIL@ADDRESS>\\n"', '"Last-Translator: handoutkit machine draft\\n"')
        (out / po.name).write_text(header + text, "utf-8")
print("started", sorted(p.name for p in out.glob("*.po")))
