"""Charsets and mojibake. Every piece of advice the build prints here is
followed literally by the test, and the result is built: the advice must work.
A catalog in a legacy charset its header names is read; a UTF-8 catalog whose
header names another charset is refused with the header line to fix (converting
it would encode every accent twice); and text garbled that way ("mÃ¡s"), however
it got into a catalog, blocks its message, named by line and English."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from ..pdftext import squash
from ..tagged import pdftotext
from .conftest import LOCALE, Good, one_line, set_msgstr

FEVER = "You have a high fever."
FEVER_TEXT = "[it] Avete la febbre alta, perché è più forte"


def accented(good: Good) -> tuple[Path, int]:
    """The Italian catalog with accents in one message (UTF-8, as every editor writes it)."""
    po = good.po()
    return po, set_msgstr(po, FEVER, FEVER_TEXT)


def header_says(po: Path, charset: str) -> None:
    text = po.read_text("utf-8")
    assert "charset=utf-8" in text
    po.write_text(text.replace("charset=utf-8", f"charset={charset}"), "utf-8")


def pdf_text(good: Good) -> str:
    return squash(pdftotext(good.pdf(LOCALE)))


def builds_with(good: Good, text: str) -> None:
    result = good.run("build", "--output", "pdf", "--lang", LOCALE)
    assert result.code == 0, result.err
    assert squash(text) in pdf_text(good)


def follow_header_advice(line: str) -> None:
    """Do exactly what the error says: on the line it names, change what it says to change."""
    where, rest = line.strip().split(": ", 1)
    path, number = where.rsplit(":", 1)
    old, new = re.search(r"change (\S+) to (\S+) on this line", rest).groups()
    file = Path(path)
    lines = file.read_text("utf-8").split("\n")
    assert old in lines[int(number) - 1], (line, lines[int(number) - 1])
    lines[int(number) - 1] = lines[int(number) - 1].replace(old, new)
    file.write_text("\n".join(lines), "utf-8")


def test_a_utf8_catalog_whose_header_says_latin1_is_refused_and_its_advice_works(good: Good) -> None:
    po, _ = accented(good)
    header_says(po, "ISO-8859-1")
    result = good.run("build", "--output", "pdf")
    line = good.refused(result, f"{po.name}:", "the text is UTF-8 but the header says charset=ISO-8859-1")
    assert "msgconv --to-code" not in result.err  # the advice that encoded everything twice
    assert int(line.split(f"{po.name}:", 1)[1].split(":", 1)[0]) == good.line_of(po, "charset=ISO-8859-1")

    follow_header_advice(line)
    builds_with(good, FEVER_TEXT)


def test_following_the_old_advice_put_mojibake_in_the_catalog_and_the_build_blocks_that_message(good: Good) -> None:
    """The advice this replaced, run as it was printed: the text is converted a second time."""
    po, _ = accented(good)
    header_says(po, "ISO-8859-1")
    subprocess.run(["msgconv", "--to-code=UTF-8", po.name, "-o", po.name], cwd=po.parent, check=True)
    assert "perchÃ© Ã¨ piÃ¹" in po.read_text("utf-8")  # what msgconv wrote: valid UTF-8, garbled
    entry = good.line_of(po, f'msgid "{FEVER}"')
    result = good.run("build", "--output", "pdf")
    line = good.refused(result, f"{po.name}:{entry}:", "UTF-8 text read as Latin-1", FEVER)
    assert f"blocked   baclofen-withdrawal {LOCALE} pdf" in result.err
    assert "baclofen-withdrawal en pdf" not in result.err, line  # English is not blocked with it


def test_mojibake_pasted_into_a_utf8_catalog_blocks_that_message(good: Good) -> None:
    """However it got there (a web page, an e-mail): 'mÃ¡s', and cp1252's 'â€™' for a curly quote."""
    po = good.po()
    set_msgstr(po, FEVER, "[it] Avete la febbre alta, mÃ¡s")
    set_msgstr(po, "You feel faint or dizzy.", "[it] Vi sentite svenire, l’ultima volta â€™")
    first, second = good.line_of(po, f'msgid "{FEVER}"'), good.line_of(po, 'msgid "You feel faint or dizzy."')
    result = good.run("build", "--output", "pdf")
    good.refused(result, f"{po.name}:{first}:", "'Ã¡'", FEVER)
    good.refused(result, f"{po.name}:{second}:", "'â€™'", "You feel faint or dizzy.")


def test_accented_text_that_is_not_mojibake_builds(good: Good) -> None:
    text = "[it] À bientôt, Ça va, ¿Qué? «Sì» — °C? No: ÈÉ, l’ultima"
    set_msgstr(good.po(), FEVER, text)
    builds_with(good, text)


def test_a_genuine_latin1_catalog_with_a_correct_header_is_converted_on_reading(good: Good) -> None:
    po, _ = accented(good)
    header_says(po, "ISO-8859-1")
    po.write_bytes(po.read_text("utf-8").encode("latin-1"))
    assert "è".encode("latin-1") in po.read_bytes()
    builds_with(good, FEVER_TEXT)


def test_a_latin1_file_whose_header_says_utf8_is_refused_and_its_advice_works(good: Good) -> None:
    """An editor saved Latin-1 bytes under a UTF-8 header: the error says where, and that the
    header must name the charset; named, the catalog is read."""
    po, _ = accented(good)
    po.write_bytes(po.read_text("utf-8").encode("latin-1"))
    result = good.run("build", "--output", "pdf")
    line = good.refused(result, f"{po.name}:", "not UTF-8 text", "e.g. charset=ISO-8859-1")
    assert int(line.split(f"{po.name}:", 1)[1].split(":", 1)[0]) == good.line_of(po, "Avete la febbre")
    charset = re.search(r"e\.g\. (charset=\S+)\)", line)[1]
    po.write_bytes(po.read_bytes().replace(b"charset=utf-8", charset.encode()))
    builds_with(good, FEVER_TEXT)


def test_a_charset_nobody_knows_is_refused_with_its_line(good: Good) -> None:
    po, _ = accented(good)
    header_says(po, "X-KLINGON")
    po.write_bytes(po.read_text("utf-8").encode("latin-1"))
    line = one_line(good.run("build", "--output", "pdf"), f"{po.name}:", "charset=X-KLINGON", "save the catalog as UTF-8")
    assert int(line.split(f"{po.name}:", 1)[1].split(":", 1)[0]) == good.line_of(po, "charset=X-KLINGON")
    good.untouched()


def test_mojibake_in_the_english_source_or_the_site_settings_is_refused_with_its_line(good: Good) -> None:
    """The final text of every language: the English and the site's name are shown too."""
    source = good.root / "handouts" / "baclofen-withdrawal" / "handout.md"
    good.edit(source, "- You have a high fever.", "- You have a high fever (mÃ¡s de 38).")
    line = good.line_of(source, "mÃ¡s")
    good.refused(good.run("build", "--output", "pdf"), f"handout.md:{line}:", "holds 'Ã¡', UTF-8 text read as Latin-1")
    good.edit(source, "- You have a high fever (mÃ¡s de 38).", "- You have a high fever.")

    site = good.root / "site.toml"
    site.write_text('id = "main-street"\nname = "Farmacia MÃ¡s"\n', "utf-8")
    good.refused(good.run("build", "--output", "pdf", "--lang", "en"), "site.toml:2: 'name': holds 'Ã¡'")
