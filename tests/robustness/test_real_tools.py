"""Catalogs as real tools write them. GNU gettext (msgmerge --previous, msgcat,
msgattrib, msgconv, msguniq, msgfilter) and translate-toolkit (the library
Weblate and Pootle write through) re-write a copy of the Spanish catalogs; the
build reads what they wrote. Each case checks the tool really wrote the form it
is about, then builds: exit 0, and the PDF as poppler's pdftotext reads it holds
every translation GNU msgfmt finds in the file; or, where the tool left a
message fuzzy, that message blocks the language."""

from __future__ import annotations

import gettext
import re
import subprocess
import sys
from pathlib import Path

import pytest

from ..pdftext import squash
from ..tagged import pdftotext
from .conftest import HANDOUT, Good, copied, snapshot

ES = "es"
POT2PO = Path(sys.executable).parent / "pot2po"  # translate-toolkit's command, beside this Python
FEVER_ES = 'msgstr "Tiene fiebre alta."'
# What another project's compendium or an earlier round leaves in a catalog: a message
# under a context (the same English, another meaning), a plural entry, and a fuzzy entry
# whose previous English (#|) msgmerge keeps when the message goes obsolete (#~|).
EXTRAS = '''
#. The same English under a context: another message, never this handout's.
msgctxt "button"
msgid "You have a high fever."
msgstr "CONTEXTO fiebre"

msgid "{n} tablet"
msgid_plural "{n} tablets"
msgstr[0] "{n} tableta"
msgstr[1] "{n} tabletas"
msgstr[2] "{n} tabletas"

#, fuzzy
#| msgid "Call your doctor today."
msgid "Call your doctor tomorrow."
msgstr "OBSOLETO llame mañana"
'''


@pytest.fixture
def es(built_core: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Good:
    """English and Spanish built once (tests/conftest.py), copied for the case."""
    monkeypatch.delenv("HANDOUTKIT_DIST", raising=False)
    return copied(built_core, tmp_path, capsys)


def po(good: Good, domain: str = HANDOUT) -> Path:
    return good.po(ES, domain)


def tool(*args: str | Path, cwd: Path | None = None) -> str:
    """Run a command as a translator would; fail the test with its own words if it fails."""
    proc = subprocess.run([str(a) for a in args], capture_output=True, text=True, cwd=cwd)
    assert proc.returncode == 0, (args, proc.stderr)
    return proc.stdout


def msgfmt_translations(path: Path, tmp: Path) -> dict[str, str]:
    """msgid -> msgstr as GNU msgfmt compiles the file (fuzzy and obsolete left out) and
    Python's own gettext reads it back: nothing of handoutkit's reading."""
    mo = tmp / f"{path.stem}.mo"
    tool("msgfmt", "--check", "-o", mo, path)
    with mo.open("rb") as fh:
        found = gettext.GNUTranslations(fh)._catalog  # type: ignore[attr-defined]
    return {k: v for k, v in found.items() if isinstance(k, str) and k and "\x04" not in k}


def builds_with_every_translation(good: Good, tmp: Path) -> str:
    """Build Spanish: exit 0, and every translation msgfmt finds is in the PDF's text. Returns that text."""
    result = good.run("build", "--output", "pdf", "--lang", ES)
    assert result.code == 0, result.err
    assert "Traceback" not in result.err
    text = squash(pdftotext(good.pdf(ES)))
    expected = msgfmt_translations(po(good), tmp)
    assert len(expected) > 50
    missing = [msgid for msgid, msgstr in expected.items() if squash(msgstr) not in text]
    assert not missing, missing
    return text


def with_extras(good: Good) -> Path:
    path = po(good)
    path.write_text(path.read_text("utf-8") + EXTRAS, "utf-8")
    return path


def blocked_at(good: Good, msgid: str, words: str, domain: str = HANDOUT) -> None:
    """The build blocks Spanish with one line naming the catalog, the message's line and its
    English; the outputs of the last good build stay as they are."""
    good.before = snapshot(good.dist)
    result = good.run("build", "--output", "pdf", "--lang", ES)
    path = po(good, domain)
    found = good.refused(result, f"{path.name}:", words, msgid[:40])
    line = int(found.split(f"{path.name}:", 1)[1].split(":", 1)[0])
    assert msgid in "".join(path.read_text("utf-8").splitlines()[line - 1:line + 3]).replace('""', ""), found


# --- GNU gettext


def test_msgmerge_previous_leaves_obsolete_entries_with_previous_english_and_the_build_reads_them(
        es: Good, tmp_path: Path) -> None:
    path = with_extras(es)
    merged = tool("msgmerge", "--previous", "--quiet", "-o", "-", path, es.root / "locales" / f"{HANDOUT}.pot")
    assert '#~| msgid "Call your doctor today."' in merged  # the form Babel's reader once refused
    assert '#~ msgctxt "button"' in merged and "#~ msgid_plural" in merged
    path.write_text(merged, "utf-8")
    text = builds_with_every_translation(es, tmp_path)
    assert squash("OBSOLETO") not in text and squash("CONTEXTO") not in text


def test_update_after_the_english_changed_blocks_the_message_until_the_translator_clears_it(
        es: Good, tmp_path: Path) -> None:
    """make-handouts update runs msgmerge --previous: the changed message is fuzzy with the
    old English kept (#|); msgattrib --clear-fuzzy --clear-previous is the translator's 'done'."""
    es.edit(es.root / "handouts" / HANDOUT / "handout.md", "- You have a high fever.", "- You have a very high fever.")
    assert es.run("update", "--lang", ES).code == 0
    path = po(es)
    text = path.read_text("utf-8")
    assert '#| msgid "You have a high fever."\nmsgid "You have a very high fever."' in text
    assert re.search(r'#, fuzzy\n#\| msgid "You have a high fever."', text)
    blocked_at(es, "You have a very high fever.", "fuzzy")

    es.edit(path, FEVER_ES, 'msgstr "Tiene fiebre muy alta."')
    tool("msgattrib", "--clear-fuzzy", "--clear-previous", "-o", path, path)
    assert "#|" not in path.read_text("utf-8")
    assert squash("Tiene fiebre muy alta.") in builds_with_every_translation(es, tmp_path)


@pytest.mark.parametrize("options", [
    ["--sort-output", "--no-wrap"],  # sorted by msgid, every string on one line
    ["--sort-by-file", "--width=30"],  # wrapped at 30 columns
    ["--indent", "--no-location"],  # indented continuation lines, no #: lines
], ids=["sorted-unwrapped", "by-file-wrapped-30", "indented"])
def test_msgcat_rewritten_catalogs_build_with_every_translation(es: Good, tmp_path: Path, options: list[str]) -> None:
    path = with_extras(es)
    for domain in (HANDOUT, "templates"):
        tool("msgcat", *options, "-o", po(es, domain), po(es, domain))
    written = path.read_text("utf-8")
    if "--no-wrap" in options:
        assert max(len(line) for line in written.splitlines()) > 120
    if "--width=30" in options:
        assert sum(1 for line in written.splitlines() if line.startswith('"')) > 200
    assert 'msgctxt "button"' in written and "msgstr[2]" in written
    text = builds_with_every_translation(es, tmp_path)
    assert squash("CONTEXTO") not in text  # a message under a context is not this handout's


def test_msgattrib_combined_flags_fuzzy_blocks_and_python_brace_format_alone_does_not(es: Good, tmp_path: Path) -> None:
    templates = po(es, "templates")
    only = tmp_path / "only.po"
    only.write_text('msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                    'msgid "Version {version}"\nmsgstr ""\n', "utf-8")
    tool("msgattrib", "--set-fuzzy", f"--only-file={only}", "-o", templates, templates)
    assert '#, fuzzy, python-brace-format\nmsgid "Version {version}"' in templates.read_text("utf-8")
    blocked_at(es, "Version {version}", "fuzzy", "templates")

    tool("msgattrib", "--clear-fuzzy", "-o", templates, templates)
    assert '#, python-brace-format\nmsgid "Version {version}"' in templates.read_text("utf-8")
    builds_with_every_translation(es, tmp_path)
    assert squash("Versión 1.1") in squash(pdftotext(es.pdf(ES), crop_bottom_pt=0))  # the footer


def test_msgattrib_without_obsolete_and_only_translated_builds(es: Good, tmp_path: Path) -> None:
    path = po(es)
    assert "#~ msgid" in path.read_text("utf-8")
    tool("msgattrib", "--no-obsolete", "--translated", "-o", path, path)
    assert "#~" not in path.read_text("utf-8")
    builds_with_every_translation(es, tmp_path)


@pytest.mark.parametrize("charset", ["ISO-8859-1", "CP1252"])
def test_msgconv_to_a_legacy_charset_is_converted_on_reading(es: Good, tmp_path: Path, charset: str) -> None:
    """A genuine Latin-1 or Windows-1252 catalog whose header says so, as msgconv writes it."""
    for domain in (HANDOUT, "templates"):
        tool("msgconv", f"--to-code={charset}", "-o", po(es, domain), po(es, domain))
    data = po(es).read_bytes()
    assert f"charset={charset}".encode() in data
    assert "ó".encode("cp1252") in data and "ó".encode() not in data  # really not UTF-8 any more
    text = builds_with_every_translation(es, tmp_path)
    assert squash("Lo más importante") in text


def test_msguniq_joins_duplicates_and_conflicting_ones_stay_blocked(es: Good, tmp_path: Path) -> None:
    """Two catalogs pasted together (a translator's and an agency's): msguniq --use-first keeps
    the first; without it msguniq writes both translations and marks them fuzzy."""
    path = po(es)
    original = path.read_text("utf-8")
    body = original[original.index("\n\n", original.index('msgid ""')):]
    pasted = original + body.replace(FEVER_ES, 'msgstr "Tiene una fiebre alta."')
    doubled = tmp_path / "doubled.po"
    doubled.write_text(pasted, "utf-8")

    tool("msguniq", "--use-first", "-o", path, doubled)
    assert path.read_text("utf-8").count('msgid "You have a high fever."') == 1
    assert squash("Tiene fiebre alta.") in builds_with_every_translation(es, tmp_path)

    tool("msguniq", "-o", path, doubled)
    assert "#-#-#-#-#" in path.read_text("utf-8")
    blocked_at(es, "You have a high fever.", "fuzzy")


def test_msgfilter_rewritten_catalog_builds_with_the_filtered_text(es: Good, tmp_path: Path) -> None:
    path = with_extras(es)
    tool("msgfilter", "--keep-header", "-i", path, "-o", path, "sed", "-e", "s/baclofeno/BACLOFENO/g")
    assert "BACLOFENO" in path.read_text("utf-8")
    text = builds_with_every_translation(es, tmp_path)
    assert squash("BACLOFENO") in text


# --- translate-toolkit (Weblate, Pootle)


def test_a_catalog_saved_through_translate_toolkit_as_weblate_does_builds(es: Good, tmp_path: Path) -> None:
    """A translator changes one message in Weblate: the file is re-written by translate-toolkit's
    PO storage, with its own wrapping and header."""
    from translate.storage.po import pofile

    path = with_extras(es)
    store = pofile.parsefile(str(path))
    unit = store.findid("You have a high fever.")
    unit.target = "Tiene una fiebre muy alta."
    unit.markfuzzy(False)
    store.updateheader(add=True, X_Generator="Weblate 5.8", Last_Translator="Ana <ana@example.org>")
    store.savefile(str(path))
    written = path.read_text("utf-8")
    assert "X-Generator: Weblate 5.8" in written and '#| msgid "Call your doctor today."' in written
    assert squash("Tiene una fiebre muy alta.") in builds_with_every_translation(es, tmp_path)


def test_needs_editing_in_weblate_is_fuzzy_and_blocks(es: Good, tmp_path: Path) -> None:
    from translate.storage.po import pofile

    templates = po(es, "templates")
    store = pofile.parsefile(str(templates))
    store.findid("Version {version}").markfuzzy(True)
    store.savefile(str(templates))
    assert "#, fuzzy, python-brace-format" in templates.read_text("utf-8")
    blocked_at(es, "Version {version}", "fuzzy", "templates")


def test_pot2po_merged_catalog_builds(es: Good, tmp_path: Path) -> None:
    """translate-toolkit's own merge with the template (what Pootle ran on a new POT)."""
    path = with_extras(es)
    out = tmp_path / "merged.po"
    tool(POT2PO, "-t", path, es.root / "locales" / f"{HANDOUT}.pot", out)
    assert 'msgid "You have a high fever."' in out.read_text("utf-8")
    path.write_bytes(out.read_bytes())
    builds_with_every_translation(es, tmp_path)
