"""Sign-off bound to content: a review removes the draft notice, and any later
change to what was reviewed brings it back by itself."""

from __future__ import annotations

import html
import re

from babel.messages.pofile import read_po

from .conftest import ProjectCopy
from .pdftext import page_texts, squash

DRAFT_EN = "Draft translation: not yet checked by a qualified medical translator"


def first_page(project: ProjectCopy, tag: str) -> str:
    return squash(page_texts(project.pdf(tag))[0])


def status_of(project: ProjectCopy, tag: str) -> str:
    line = next(x for x in project.run("status").out.splitlines() if re.search(rf"\s{re.escape(tag)}\s", x))
    return line


def test_translation_sign_off_removes_the_notice_and_an_edit_brings_it_back(project_es: ProjectCopy) -> None:
    assert "unreviewed" in status_of(project_es, "es")
    assert project_es.run("build", "--output", "pdf", "--lang", "es").code == 0
    assert squash(DRAFT_EN) in first_page(project_es, "es")

    result = project_es.run("review", "es", "--by", "Ana Pérez, CoreCHI")
    assert result.code == 0, result.err
    assert (project_es.root / "locales" / "es" / "review.toml").exists()
    assert "reviewed" in status_of(project_es, "es") and "unreviewed" not in status_of(project_es, "es")
    assert project_es.run("build", "--lang", "es", "--engine", "espeak").code == 0
    text = squash(" ".join(page_texts(project_es.pdf("es"))))
    assert squash(DRAFT_EN) not in text
    assert squash("Ana Pérez, CoreCHI") in text  # in the footer
    vtt = (project_es.root / "dist" / "baclofen-withdrawal" / "es" / "baclofen-withdrawal-es.vtt").read_text()
    assert "Borrador de traducción" not in vtt  # the audio no longer says it is a draft

    po = project_es.po("es")
    po.write_text(po.read_text("utf-8").replace('msgstr "Tiene fiebre alta."', 'msgstr "Tiene una fiebre alta."'), "utf-8")
    assert "out of date" in status_of(project_es, "es")
    assert project_es.run("build", "--lang", "es", "--engine", "espeak").code == 0
    assert squash(DRAFT_EN) in first_page(project_es, "es")
    vtt = (project_es.root / "dist" / "baclofen-withdrawal" / "es" / "baclofen-withdrawal-es.vtt").read_text()
    assert "Borrador de traducción" in vtt


def test_clinical_sign_off_of_the_english_source(project: ProjectCopy) -> None:
    assert project.run("build", "--output", "pdf", "--lang", "en").code == 0
    assert squash("Draft: not yet checked by a clinician") in first_page(project, "en")
    assert project.run("review", "en", "--by", "Sam Lee, PharmD").code == 0
    assert project.run("build", "--output", "pdf", "--lang", "en").code == 0
    text = squash(" ".join(page_texts(project.pdf("en"))))
    assert squash("Draft: not yet checked by a clinician") not in text and squash("Reviewed by Sam Lee, PharmD") in text
    source = project.root / "handouts" / "baclofen-withdrawal" / "handout.md"
    source.write_text(source.read_text().replace("- You have a high fever.", "- You have a fever."))
    assert "out of date" in status_of(project, "en")
    assert project.run("build", "--output", "pdf", "--lang", "en").code == 0
    assert squash("Draft: not yet checked by a clinician") in first_page(project, "en")


def test_a_blocked_language_cannot_be_signed_off(project_es: ProjectCopy) -> None:
    po = project_es.po("es")
    po.write_text(po.read_text("utf-8").replace('msgstr "Tiene fiebre alta."', 'msgstr ""'), "utf-8")
    result = project_es.run("review", "es", "--by", "Ana Pérez, CoreCHI")
    assert result.code == 1 and "not translated" in result.err
    assert not (project_es.root / "locales" / "es" / "review.toml").exists()


def test_review_sheet_holds_english_translation_and_notes_side_by_side(project_es: ProjectCopy) -> None:
    assert project_es.run("review-sheet", "es").code == 0
    folder = project_es.root / "dist" / "review" / "es"
    page = html.unescape((folder / "baclofen-withdrawal-es-review-sheet.html").read_text("utf-8"))
    with project_es.po("es").open("rb") as fh:
        for message in read_po(fh):
            if message.id:
                assert message.id.replace("**", "") in re.sub(r"</?strong>", "", page)
                assert message.string.replace("**", "") in re.sub(r"</?strong>", "", page)
    assert '"Never" must stay strong.' in page and "Remarks" in page
    pdf = squash(" ".join(page_texts(folder / "baclofen-withdrawal-es-review-sheet.pdf")))
    assert squash("Tiene fiebre alta.") in pdf
