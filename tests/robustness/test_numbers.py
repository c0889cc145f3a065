"""Numbers are safety content: every number of the English (doses, days, weeks) must
be in the translation as the same number, in any decimal digit system, and the
translation may add none. A mismatch blocks that message, named by line and English;
Persian, Arabic-Indic and Devanagari digits are the same numbers and build."""

from __future__ import annotations

from pathlib import Path

import pytest

from handoutkit.cli import main

from ..conftest import copy_project, edit
from ..tagged import pdftotext
from .conftest import HANDOUT, Good, set_msgstr

WEEKS = "This often takes 1 to 2 weeks, or longer. Your prescriber decides how long."
FEVER = "You have a high fever."
CONFUSED = "You suddenly feel confused."

def entry_line(po: Path, msgid: str) -> int:
    """The line of the msgid keyword of an entry, as the file reads (a long msgid starts 'msgid ""')."""
    lines = po.read_text("utf-8").splitlines()
    at = next(i for i, line in enumerate(lines) if msgid[:40] in line)
    while not lines[at].startswith("msgid "):
        at -= 1
    return at + 1


CHANGED = [
    ("a-number-changed", WEEKS, "[it] Ci vogliono spesso da 1 a 3 settimane, o di più.", "[1, 2]", "[1, 3]"),
    ("a-number-dropped", WEEKS, "[it] Ci vogliono spesso da una a 2 settimane, o di più.", "[1, 2]", "[2]"),
    ("numbers-spelled-out", WEEKS, "[it] Ci vogliono spesso da una a due settimane, o di più.", "[1, 2]", "none"),
    ("a-number-added", FEVER, "[it] Avete la febbre alta, sopra 38 gradi.", "none", "[38]"),
    ("a-dose-multiplied", WEEKS, "[it] Ci vogliono spesso da 10 a 2 settimane, o di più.", "[1, 2]", "[2, 10]"),
    ("a-digit-in-typed-markup", CONFUSED, "[it] </p><h1>Confusi</h1>", "none", "[1, 1]"),  # shown as typed, so counted
]


@pytest.mark.parametrize(("msgid", "msgstr", "english", "translation"), [c[1:] for c in CHANGED], ids=[c[0] for c in CHANGED])
def test_a_number_changed_dropped_or_added_blocks_that_message(good: Good, msgid: str, msgstr: str,
                                                               english: str, translation: str) -> None:
    po = good.po()
    set_msgstr(po, msgid, msgstr)
    line = entry_line(po, msgid)
    result = good.run("build", "--output", "pdf")
    found = good.refused(result, f"{po.name}:{line}:", "numbers differ", msgid[:40])
    assert f"the English has {english}, the translation {translation}" in found
    assert "baclofen-withdrawal en pdf" not in result.err  # English is not blocked with it


# (locale, tag, the shipped msgstr's digits -> the same numbers in the language's own digits)
NATIVE = [
    ("fa", "fa", None, "۱۲"),  # shipped with Persian digits
    ("ar", "ar", ("من 1 إلى 2", "من ١ إلى ٢"), "١٢"),  # Arabic-Indic
    ("hi", "hi", ("1 से 2", "१ से २"), "१२"),  # Devanagari
]


@pytest.fixture(scope="module")
def native_digits(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Persian, Arabic and Hindi with the weeks written in their own digits, built once."""
    root = copy_project(tmp_path_factory.mktemp("digits") / "proj", locales=[n[0] for n in NATIVE])
    for locale, _tag, change, _digits in NATIVE:
        if change:
            edit(root / "locales" / locale / "LC_MESSAGES" / f"{HANDOUT}.po", *change)
    return root


@pytest.mark.parametrize(("locale", "tag", "change", "digits"), NATIVE, ids=[n[0] for n in NATIVE])
def test_the_same_numbers_in_another_digit_system_build(native_digits: Path, capsys, locale: str, tag: str,
                                                        change, digits: str) -> None:
    po = native_digits / "locales" / locale / "LC_MESSAGES" / f"{HANDOUT}.po"
    assert all(d in po.read_text("utf-8") for d in digits)
    capsys.readouterr()
    code = main(["--project", str(native_digits), "build", "--output", "pdf", "--lang", tag])
    assert code == 0, capsys.readouterr().err
    text = pdftotext(native_digits / "dist" / HANDOUT / tag / f"{HANDOUT}-{tag}.pdf")
    assert all(d in text for d in digits), (digits, text[:500])


def test_other_digits_for_other_numbers_still_block(native_digits: Path, capsys) -> None:
    """Arabic-Indic 3 where the English has 2: compared as numbers, not waved through as 'not ASCII'."""
    po = native_digits / "locales" / "ar" / "LC_MESSAGES" / f"{HANDOUT}.po"
    text = po.read_text("utf-8")
    po.write_text(text.replace("من ١ إلى ٢", "من ١ إلى ٣"), "utf-8")
    try:
        capsys.readouterr()
        code = main(["--project", str(native_digits), "build", "--output", "pdf", "--lang", "ar"])
        err = capsys.readouterr().err
    finally:
        po.write_text(text, "utf-8")
    assert code == 1
    assert "numbers differ: the English has [1, 2], the translation [1, 3]" in err
