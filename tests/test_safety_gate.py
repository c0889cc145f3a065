"""The safety gate: a language with a missing, fuzzy, stale or broken message is
blocked with a clear report, the other languages still build, and the last good
PDF is never touched."""

from __future__ import annotations

import re

import pytest
from babel.messages.pofile import read_po

from .conftest import ProjectCopy, edit, fill_catalogs, line_of
from .pdftext import body_text, squash

LOCALE = "it"  # a throwaway catalog, filled by the test, so these cases do not depend on a real draft


def fill(project: ProjectCopy, locale: str = LOCALE) -> None:
    """Start catalogs with 'init', then translate every message as '[it] English'."""
    assert project.run("init", locale).code == 0
    fill_catalogs(project.root, locale)


@pytest.fixture
def good(project: ProjectCopy) -> ProjectCopy:
    """A project whose throwaway Italian catalog is complete and already built once."""
    fill(project)
    result = project.run("build", "--output", "pdf", "--lang", "en", "--lang", LOCALE)
    assert result.code == 0, result.err
    project.last_good = project.pdf(LOCALE).read_bytes()
    return project


def assert_blocked_and_untouched(project: ProjectCopy, result, *needles: str) -> None:
    assert result.code == 1
    assert f"blocked   baclofen-withdrawal {LOCALE} pdf" in result.err
    for needle in needles:
        assert needle in result.err
    assert project.pdf(LOCALE).read_bytes() == project.last_good
    # the other language is still built (or already up to date), never blocked with it
    assert project.pdf("en").exists() and "baclofen-withdrawal en pdf" not in result.err
    assert "Traceback" not in result.err


def test_complete_catalog_builds_with_every_message(good: ProjectCopy) -> None:
    text = squash(body_text(good.pdf(LOCALE)))
    with good.po(LOCALE).open("rb") as fh:
        for message in read_po(fh):
            if message.id:
                assert squash(message.string) in text, message.id


def test_missing_translation_blocks_with_source_line(good: ProjectCopy) -> None:
    po = good.po(LOCALE)
    edit(po, 'msgstr "[it] You have a high fever."', 'msgstr ""')
    result = good.run("build", "--output", "pdf")
    line = line_of(po, 'msgid "You have a high fever."')
    assert_blocked_and_untouched(good, result, f"baclofen-withdrawal.po:{line}: not translated")


def test_fuzzy_translation_blocks_with_catalog_line(good: ProjectCopy) -> None:
    po = good.po(LOCALE)
    edit(po, 'msgid "You have a seizure."', '#, fuzzy\nmsgid "You have a seizure."')
    result = good.run("build", "--output", "pdf")
    assert_blocked_and_untouched(good, result, "baclofen-withdrawal.po:", "fuzzy", "seizure")


def test_changed_english_makes_the_old_translation_stale(good: ProjectCopy) -> None:
    source = good.root / "handouts/baclofen-withdrawal/handout.md"
    edit(source, "- You have a high fever.", "- You have a fever.")
    result = good.run("build", "--output", "pdf")
    line = line_of(source, "- You have a fever.")
    assert_blocked_and_untouched(good, result, f"handouts/baclofen-withdrawal/handout.md:{line}: not translated", "You have a fever.")
    # after 'update' the old translation comes back as fuzzy: still blocked
    assert good.run("update").code == 0
    text = good.po(LOCALE).read_text("utf-8")
    assert re.search(r'#, fuzzy.*\n(#\|.*\n)*msgid "You have a fever\."', text)
    result = good.run("build", "--output", "pdf")
    assert_blocked_and_untouched(good, result, "fuzzy")


def test_lost_placeholder_blocks(good: ProjectCopy) -> None:
    edit(good.po(LOCALE, "templates"), 'msgstr "[it] Page {page} of {pages}"', 'msgstr "[it] Strona {page}"')
    result = good.run("build", "--output", "pdf")
    assert_blocked_and_untouched(good, result, "templates.po:")
    # GNU msgfmt's python-brace-format check or our own: either names the placeholder
    assert "'pages'" in result.err or "placeholders differ" in result.err


def test_unbalanced_bold_blocks(good: ProjectCopy) -> None:
    edit(good.po(LOCALE), 'msgstr "[it] **Never stop taking baclofen on your own.**"', 'msgstr "[it] **Never stop"')
    assert_blocked_and_untouched(good, good.run("build", "--output", "pdf"), "unbalanced '**'")


def test_copied_english_is_reported_but_builds(good: ProjectCopy) -> None:
    """Outside the safety messages (bold, or in an emergency box), see tests/robustness/test_copied_english.py."""
    edit(good.po(LOCALE), 'msgstr "[it] These problems can come from:"', 'msgstr "These problems can come from:"')
    result = good.run("build", "--output", "pdf", "--output", "web")
    assert result.code == 0
    assert "identical to the English" in result.err and "problems can come from" in result.err
    assert result.err.count("problems can come from") == 1  # said once for the language, not once per output


def test_allow_incomplete_marks_english_and_never_overwrites_the_good_pdf(good: ProjectCopy) -> None:
    edit(good.po(LOCALE), 'msgstr "[it] You have a high fever."', 'msgstr ""')
    result = good.run("build", "--output", "pdf", "--lang", LOCALE, "--allow-incomplete")
    assert result.code == 0, result.err
    marked = good.pdf(LOCALE, "-incomplete")
    text = squash(body_text(marked))
    assert squash("[it] Not yet translated: You have a high fever.") in text
    assert good.pdf(LOCALE).read_bytes() == good.last_good


def test_usage_errors_exit_2(project: ProjectCopy) -> None:
    assert project.run("build", "--output", "pdf", "--lang", "xx-nope").code == 2
    assert project.run("build", "--output", "pdf", "--lang", "de").code == 2  # a real language with no catalogs
    assert project.run("build", "--output", "pdf", "--handout", "../etc").code == 2
    result = project.run("build", "--output", "pdf", "--handout", "no-such")
    assert result.code == 2 and "unknown handout 'no-such'" in result.err
