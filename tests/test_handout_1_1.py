"""Handout 1.1: each point added after the clinical review of 1.0 is in the English
print and the spoken transcript (found by its wording, read back from the PDF with
pdftotext and from the WebVTT file), and every shipped language translates it
(catalogs read with Babel). And the workflow a clinic repeats when the English
changes: update blocks the language until a translator has re-drafted it."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po

from handoutkit.cli import main

from .conftest import ProjectCopy, copy_project, tracked_locales
from .tagged import squash

HANDOUT = "baclofen-withdrawal"
# Each point of ../shared/seed/clinical-facts.md "Added for version 1.1", by the English words that carry it.
POINTS = {
    "pump: withdrawal without doing anything wrong": ["Withdrawal can start even when you do everything right.",
                                                      "the battery may run out, or a refill may be late"],
    "pump alarm: call the pump clinic the same day": [
        "If the pump alarm sounds, call your pump clinic right away, the same day."],
    "pump early signs: the pump clinic the same day": ["Also call your pump clinic the same day for early signs:",
                                                       "your spasms or stiffness come back, you itch, your skin tingles"],
    "pump clinic unreachable: emergency number": ["If you cannot reach the pump clinic, call your local emergency number."],
    "tell the team 'I have a baclofen pump'": ['If you have a pump, say: "I have a baclofen pump."'],
    "missed dose": ["Take the missed dose when you remember. But if it is almost time for your next dose, skip the missed one.",
                    "Never take a double dose to make up for a missed one."],
    "run out, several missed doses, cannot swallow: call today": [
        "Call your pharmacist or prescriber today if you have run out, missed several doses, or cannot swallow.",
        "Do not wait for your next visit."],
    "context for the warning signs, the call unconditional": [
        "These signs matter most after missed doses, a lower dose, running out, or a pump problem.",
        "But any one of them is an emergency."],
    "drowsiness or mild dizziness alone: tell, do not stop": [
        "Feeling sleepy or a little dizzy on its own is a common side effect. Tell your prescriber. Do not stop baclofen."],
    "'in rare cases' before the gravest outcomes": ["In rare cases, it can cause muscle breakdown, organ failure or death."],
    "overdose is an emergency": ["Too much baclofen is also an emergency", "is very sleepy or hard to wake up",
                                 "has slow or weak breathing", "has very weak or floppy muscles"],
    "'withdrawal' defined": ["Withdrawal is how your body reacts when a medicine stops or drops too fast."],
    "'prescriber' defined": ["Your prescriber is the doctor, nurse practitioner or physician assistant who prescribes your baclofen."],
}


@pytest.fixture(scope="module")
def english(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    """The English PDF text (pdftotext) and WebVTT transcript, built once."""
    root = copy_project(tmp_path_factory.mktemp("v11") / "proj", ())
    assert main(["--project", str(root), "build", "--lang", "en", "--output", "pdf", "--output", "audio",
                 "--engine", "espeak"]) == 0
    folder = root / "dist" / HANDOUT / "en"
    pdf = subprocess.run(["pdftotext", str(folder / f"{HANDOUT}-en.pdf"), "-"], capture_output=True, text=True, check=True).stdout
    vtt = (folder / f"{HANDOUT}-en.vtt").read_text("utf-8")
    cues = " ".join(line for line in vtt.splitlines() if line and "-->" not in line and not line.startswith(("WEBVTT", "NOTE")))
    return pdf, cues


def messages(locale: str) -> dict[str, tuple[str, bool]]:
    path = Path(__file__).resolve().parent.parent / "locales" / locale / "LC_MESSAGES" / f"{HANDOUT}.po"
    with path.open("rb") as fh:
        return {m.id: (m.string, m.fuzzy) for m in read_po(fh) if m.id}


@pytest.mark.parametrize("point", POINTS)
def test_each_1_1_point_is_printed_spoken_and_translated(english: tuple[str, str], point: str) -> None:
    pdf, transcript = english
    for words in POINTS[point]:
        assert squash(words) in squash(pdf), f"{point}: not in the English PDF: {words!r}"
        assert squash(words) in squash(transcript), f"{point}: not in the English transcript: {words!r}"
    for locale in tracked_locales():
        catalog = messages(locale)
        for words in POINTS[point]:
            ids = [mid for mid in catalog if squash(words) in squash(mid)]
            assert ids, f"{locale}: no message carries {words!r}"
            for mid in ids:
                text, fuzzy = catalog[mid]
                assert text.strip() and not fuzzy, f"{locale}: {mid[:50]!r} is not translated (or fuzzy)"


def test_withdrawal_and_prescriber_are_defined_before_they_are_used(english: tuple[str, str]) -> None:
    pdf, _ = english
    flat = " ".join(pdf.split())
    for word, definition in (("withdrawal", "Withdrawal is how your body reacts"),
                             ("prescriber", "Your prescriber is the doctor, nurse practitioner")):
        first_use = re.search(rf"\b{word}\b", flat, re.I).start()
        start = flat.find(definition)
        assert start <= first_use < start + len(definition), f"'{word}' is used before its definition"


def test_version_1_1_in_the_footer_of_every_page(english: tuple[str, str]) -> None:
    pdf, _ = english
    pages = [p for p in pdf.split("\f") if p.strip()]
    assert pages and all("Version 1.1" in p for p in pages)


def test_update_blocks_a_changed_message_until_it_is_redrafted(project_es: ProjectCopy) -> None:
    """What a clinic does when the English changes: update (msgmerge --previous), then build."""
    source = project_es.root / "handouts" / HANDOUT / "handout.md"
    old = "Never take a double dose to make up for a missed one."
    new = "Never take two doses at once to make up for a missed one."
    source.write_text(source.read_text("utf-8").replace(old, new), "utf-8")
    assert project_es.run("update").code == 0
    po = project_es.po("es")
    text = po.read_text("utf-8")
    assert "#| msgid" in text and "#, fuzzy" in text  # the translator sees the old English
    blocked = project_es.run("build", "--lang", "es", "--output", "pdf")
    assert blocked.code == 1 and "fuzzy" in blocked.out + blocked.err
    assert not project_es.pdf("es").exists()
    with po.open("rb") as fh:  # the re-draft: a translator's new text, fuzzy flag removed
        catalog = read_po(fh)
    entry = catalog.get(f"**{new}**")
    entry.string = "**Nunca tome dos dosis a la vez para reponer una dosis olvidada.**"
    entry.flags.discard("fuzzy")
    entry.previous_id = []
    with po.open("wb") as fh:
        write_po(fh, catalog)
    assert project_es.run("build", "--lang", "es", "--output", "pdf").code == 0
    text = subprocess.run(["pdftotext", str(project_es.pdf("es")), "-"], capture_output=True, text=True).stdout
    assert squash("Nunca tome dos dosis a la vez") in squash(text)
