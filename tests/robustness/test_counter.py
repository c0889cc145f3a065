"""The counter never waits: while another build holds the output folder, 'print'
prints the last finished PDF of that handout, language and edition (files are
renamed into place whole, so it is never one being written), and says first on
the terminal when that PDF is older than the current source or catalog.

A fake lp and lpstat on PATH stand in for CUPS: lp keeps a copy of what it was
given, so the test compares the bytes that reached the printer."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from handoutkit.lock import BuildLock

from .conftest import HANDOUT, LOCALE, Good, one_line, set_msgstr


@pytest.fixture
def printer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A stand-in CUPS: 'lpstat -r' says the scheduler runs; 'lp [options] FILE' copies FILE to printed.pdf."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    printed = tmp_path / "printed.pdf"
    (bin_dir / "lpstat").write_text("#!/bin/sh\necho 'scheduler is running'\n")
    (bin_dir / "lp").write_text(  # lp [options] FILE: the file is the last argument
        f"#!/bin/sh\nfor last; do :; done\ncp \"$last\" {printed}\necho 'request id is counter-1 (1 file(s))'\n")
    for tool in bin_dir.iterdir():
        tool.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    return printed


def pdf(good: Good, suffix: str = "") -> Path:
    return good.dist / HANDOUT / LOCALE / f"{HANDOUT}-{LOCALE}{suffix}.pdf"


def print_while_a_build_runs(good: Good, *args: str):
    half = pdf(good).with_name(f".{pdf(good).name}.x1y2z3.tmp")  # what a running build is writing
    half.write_bytes(b"%PDF-1.7 half written")
    with BuildLock(good.dist):
        started = time.monotonic()
        result = good.run("print", HANDOUT, "--lang", LOCALE, *args)
        took = time.monotonic() - started
    half.unlink()
    return result, took


def test_print_while_a_build_runs_prints_the_last_finished_pdf_at_once(good: Good, printer: Path) -> None:
    result, took = print_while_a_build_runs(good)
    assert result.code == 0, result.err
    assert took < 5  # no waiting for the build (a cold PDF takes longer than this)
    assert printer.read_bytes() == pdf(good).read_bytes() == good.before[f"{HANDOUT}/{LOCALE}/{HANDOUT}-{LOCALE}.pdf"]
    assert "another build is writing this folder" in result.out and "sent to the printer" in result.out
    assert "note:" not in result.out  # it is current: nothing to warn of
    good.untouched()


@pytest.mark.parametrize("change", ["source", "catalog"])
def test_an_older_pdf_is_said_to_be_older_before_it_is_printed(good: Good, printer: Path, change: str) -> None:
    if change == "source":
        changed = f"handouts/{HANDOUT}/handout.md"
        good.edit(good.root / changed, "- You have a high fever.", "- You have a very high fever.")
    else:
        changed = f"locales/{LOCALE}/LC_MESSAGES/{HANDOUT}.po"
        set_msgstr(good.po(), "You have a high fever.", "[it] Hai la febbre alta.")
    result, took = print_while_a_build_runs(good)
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    note = next(i for i, line in enumerate(lines) if line.startswith("note:"))
    sent = next(i for i, line in enumerate(lines) if line.startswith("sent to the printer"))
    assert note < sent and changed in lines[note] and "older" in lines[note]
    assert printer.read_bytes() == good.before[f"{HANDOUT}/{LOCALE}/{HANDOUT}-{LOCALE}.pdf"]
    assert took < 5


def test_an_edition_never_finished_is_refused_at_once(good: Good, printer: Path) -> None:
    result, took = print_while_a_build_runs(good, "--paper", "a4")
    line = one_line(result, "no finished PDF of", "another build is writing this folder", "print again")
    assert took < 5 and not printer.exists(), line
    assert not pdf(good, "-a4").exists()


def test_without_a_running_build_print_still_builds_what_is_out_of_date(good: Good, printer: Path) -> None:
    set_msgstr(good.po(), "You have a high fever.", "[it] Hai la febbre alta.")
    result = good.run("print", HANDOUT, "--lang", LOCALE)
    assert result.code == 0, result.err
    assert "built" in result.out and "note:" not in result.out
    assert printer.read_bytes() == pdf(good).read_bytes() != good.before[f"{HANDOUT}/{LOCALE}/{HANDOUT}-{LOCALE}.pdf"]


def test_print_bilingual_prints_the_bilingual_edition_and_a_site_can_make_it_the_default(
        good: Good, printer: Path) -> None:
    """--bilingual, or bilingual = true in the site's settings: the edition with English under each block
    (read back here: the Italian and the English of one message are both in what reached the printer)."""
    from ..pdftext import page_texts, squash

    result = good.run("print", HANDOUT, "--lang", LOCALE, "--bilingual")
    assert result.code == 0, result.err
    bilingual = pdf(good, "-bilingual")
    assert printer.read_bytes() == bilingual.read_bytes()
    text = squash("".join(page_texts(printer)))
    assert squash("[it] Never stop taking baclofen on your own.") in text
    assert squash("Never stop taking baclofen on your own.") in text.replace(squash("[it] Never stop"), "")
    printer.unlink()
    (good.root / "site.toml").write_text('id = "corner"\nname = "Corner Pharmacy"\nbilingual = true\n', "utf-8")
    result = good.run("print", HANDOUT, "--lang", LOCALE)
    assert result.code == 0, result.err
    assert printer.read_bytes() == (good.dist / "corner" / HANDOUT / LOCALE / f"{HANDOUT}-{LOCALE}-bilingual.pdf").read_bytes()
    (good.root / "site.toml").write_text('id = "corner"\nname = "Corner Pharmacy"\nbilingual = "yes"\n', "utf-8")
    assert one_line(good.run("print", HANDOUT, "--lang", LOCALE), "site.toml:3", "'bilingual'", "true or false", code=1)
