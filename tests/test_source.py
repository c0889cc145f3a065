"""The English source: what the parser accepts, what it refuses, and the content rules."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from handoutkit.errors import SourceError
from handoutkit.source import parse_handout, parse_handout_text

from .conftest import ROOT
from .mdtext import markdown_messages

HANDOUT = ROOT / "handouts" / "baclofen-withdrawal" / "handout.md"
FRONT = """---
id: demo
title: "Demo"
version: "1"
date: 2026-01-01
sources: ["a label"]
---

# Demo

## Section
"""


def parse(body: str, front: str = FRONT) -> object:
    return parse_handout_text(front + body, Path("handouts/demo/handout.md"))


def test_baclofen_handout_leads_with_key_message_then_emergency_box() -> None:
    handout = parse_handout(HANDOUT)
    kinds = [s.kind for s in handout.sections]
    assert handout.sections[0].heading.text == "The most important thing"
    assert kinds[1] == kinds[2] == "emergency" and kinds.count("emergency") == 2  # warning signs, then overdose
    first = " ".join(m.text for b in handout.sections[0].blocks for m in b.items)
    assert "**Never stop taking baclofen on your own.**" in first
    assert "**Never take a lower dose on your own.**" in first


def test_every_safety_point_of_the_clinical_facts_is_in_the_handout() -> None:
    text = " ".join(m.text for m in parse_handout(HANDOUT).messages()).lower()
    for point in [
        "multiple sclerosis", "spinal cord", "cerebral palsy",  # what it is for
        "sleepy", "do not drive or use machines", "alcohol",  # side effects
        "never stop", "lower dose", "prescriber",  # dependence: never change alone
        "see or hear things that are not there", "seizure", "high fever", "stiffer", "spasms",
        "dark, like cola", "muscle pain or weakness", "faint or dizzy", "organ failure", "death",
        "local emergency number", "right away",  # emergency
        "1 to 2 weeks", "step by step",  # taper
        "refill", "travel", "hospital", "pump alarm", "refill visit",  # do not run out
        "itch", "tingles", "light-headed",  # pump early signs
        "in rare cases", "too much baclofen", "hard to wake up", "slow or weak breathing",  # 1.1: severity, overdose
        "missed dose", "double dose", "cannot swallow", "pump clinic", "i have a baclofen pump",  # 1.1: doses, pump
        "withdrawal is how your body reacts", "nurse practitioner or physician assistant",  # 1.1: definitions
        "pharmacist",
    ]:
        assert point in text, point
    for wrong in ["rehab", "abuse", "physician dependency", "inevitable"]:
        assert wrong not in text, wrong


def test_reading_level_is_grade_six_or_lower() -> None:
    """Flesch-Kincaid grade (textstat) over the full sentences of the source, read by the test."""
    import textstat

    sentences = [m.replace("**", "") for m in markdown_messages(HANDOUT) if re.search(r"[.!?]$", m.replace("**", ""))]
    assert len(sentences) > 20
    assert textstat.flesch_kincaid_grade(" ".join(sentences)) <= 6.0


def test_the_readability_command_reports_the_grade_textstat_gives(capsys: pytest.CaptureFixture[str]) -> None:
    import textstat

    from handoutkit.cli import main

    sentences = [m.replace("**", "") for m in markdown_messages(HANDOUT) if re.search(r"[.!?]$", m.replace("**", ""))]
    expected = textstat.flesch_kincaid_grade(" ".join(sentences))
    assert main(["--project", str(ROOT), "readability"]) == 0
    assert f"{expected:.1f}" in capsys.readouterr().out


def test_translator_notes_and_places_are_kept() -> None:
    messages = parse_handout(HANDOUT).messages()
    noted = [m for m in messages if m.note]
    assert any("Do not write a number" in m.note for m in noted)
    assert all(m.line > 0 for m in messages)


@pytest.mark.parametrize(
    ("body", "line", "words"),
    [
        ("Take it *now*.\n", 12, "italics"),
        ("See [this](http://example.com).\n", 12, "links"),
        ("![x](../../etc/passwd)\n", 12, "images"),
        ("<div>hi</div>\n", 12, "raw HTML"),
        ("<!-- translator: typo -->\nText.\n", 12, "raw HTML"),
        ("### Deep\n", 12, "headings"),
        ("- a\n  - b\n", 13, "lists inside lists"),
        ("::: emergency\nText first.\n:::\n", 12, "must start with a '##' heading"),
    ],
)
def test_unsupported_markdown_is_refused_with_its_line(body: str, line: int, words: str) -> None:
    with pytest.raises(SourceError) as err:
        parse(body)
    assert err.value.line == line
    assert words in err.value.message
    assert str(err.value).startswith(f"handouts/demo/handout.md:{line}: ")


@pytest.mark.parametrize(
    ("front", "words"),
    [
        ("---\nid: demo\ntitle: Demo\n---\n", "lacks 'version'"),
        ("---\nid: demo\ntitle: [unclosed\n---\n", "not valid YAML"),
        ("---\nid: ../etc\ntitle: Demo\nversion: \"1\"\ndate: 2026-01-01\nsources: [x]\n---\n", "lowercase letters"),
        ("---\nid: demo\ntitle: Demo\nversion: 1\ndate: soon\nsources: [x]\n---\n", "must be a date"),
        ("---\nid: demo\ntitle: Demo\nversion: 1\ndate: 2026-01-01\nsources: [x]\ncolour: red\n---\n", "unknown front matter key"),
        ("# Demo\n", "missing front matter"),
    ],
)
def test_bad_front_matter_is_refused(front: str, words: str) -> None:
    with pytest.raises(SourceError) as err:
        parse("\n# Demo\n\n## Section\n\nText.\n", front=front)
    assert words in err.value.message
