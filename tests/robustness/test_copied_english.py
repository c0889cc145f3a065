"""A catalog whose translations are the English text is not a translation.

What msgen or an editor's "copy source to translation" leaves looks complete to
a coverage count. The rule (README, "Safety gate"): a catalog is blocked as
untranslated when more than half of its messages are identical to their
msgid, or when any safety message (bold, or in a `::: emergency` box of the
source) is; other messages (names, numbers, short labels) may stay identical
and are only reported for a check."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po

from .conftest import HANDOUT, LOCALE, Good, one_line, set_msgstr

SOURCE = Path("handouts") / HANDOUT / "handout.md"


def msgids(good: Good) -> list[str]:
    with (good.root / "locales" / f"{HANDOUT}.pot").open("rb") as fh:
        return [m.id for m in read_po(fh) if m.id]


def is_safety(good: Good, msgid: str) -> bool:
    """Bold, or written inside a '::: emergency' box of handout.md (read from the file itself)."""
    if "**" in msgid:
        return True
    inside, boxed = False, []
    for line in (good.root / SOURCE).read_text("utf-8").splitlines():
        if line.startswith(":::"):
            inside = line.strip() != ":::"
        elif inside:
            boxed.append(line.strip().removeprefix("- ").removeprefix("## "))
    return msgid in boxed


def copy_english(good: Good, chosen: list[str]) -> None:
    po = good.po()
    with po.open("rb") as fh:
        catalog = read_po(fh)
    for msgid in chosen:
        catalog[msgid].string = msgid
    with po.open("wb") as fh:
        write_po(fh, catalog)


def test_a_catalog_made_by_msgen_is_blocked_as_untranslated(good: Good) -> None:
    assert good.run("extract").code == 0
    subprocess.run(["msgen", f"--lang={LOCALE}", "-o", str(good.po()), str(good.root / "locales" / f"{HANDOUT}.pot")],
                   check=True)
    result = good.run("build", "--output", "pdf")
    one_line(result, f"blocked   {HANDOUT} {LOCALE} pdf")
    one_line(result, f"locales/{LOCALE}/LC_MESSAGES/{HANDOUT}.po", "English text")
    good.untouched()
    status = good.run("status")
    assert status.code == 0 and "blocked" in next(line for line in status.out.splitlines() if f" {LOCALE} " in line)


@pytest.mark.parametrize("msgid", [
    "**Never stop taking baclofen on your own.**",  # bold
    "Warning signs: get emergency help",  # the box's heading
    "You have a high fever.",  # an item of the warning-signs box
    "has slow or weak breathing",  # an item of the second box
    "Tell the emergency team that you take baclofen. If you have a pump, say: \"I have a baclofen pump.\"",
])
def test_one_safety_message_left_in_english_blocks(good: Good, msgid: str) -> None:
    assert is_safety(good, msgid)
    line = set_msgstr(good.po(), msgid, msgid)
    result = good.run("build", "--output", "pdf")
    one_line(result, f"blocked   {HANDOUT} {LOCALE} pdf")
    one_line(result, f"{HANDOUT}.po:{line}:", "safety message", msgid[:30])
    good.untouched()


def test_more_than_half_identical_blocks_and_half_builds(good: Good) -> None:
    """Only messages that are not safety messages: at half the catalog it builds, with each
    one reported for a check; one more and the catalog is blocked."""
    every = msgids(good)
    plain = [m for m in every if not is_safety(good, m)]
    half = len(every) // 2
    assert len(plain) > half
    copy_english(good, plain[:half])
    result = good.run("build", "--output", "pdf")
    assert result.code == 0, result.err
    assert result.err.count("identical to the English (please check)") == half
    pdf = good.dist / HANDOUT / LOCALE / f"{HANDOUT}-{LOCALE}.pdf"
    last_good = pdf.read_bytes()
    copy_english(good, plain[:half + 1])
    result = good.run("build", "--output", "pdf")
    one_line(result, f"blocked   {HANDOUT} {LOCALE} pdf")
    one_line(result, f"{HANDOUT}.po", f"{half + 1} of its {len(every)} messages are the English text")
    assert pdf.read_bytes() == last_good
