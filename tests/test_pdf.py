"""Real renders: what a reader, a screen reader and a pharmacist would notice."""

from __future__ import annotations

import hashlib
import http.server
import re
import threading
from pathlib import Path

import pikepdf
from babel.messages.pofile import read_po

from .conftest import ROOT, ProjectCopy
from .mdtext import markdown_messages
from .pdftext import body_text, char_sizes, page_texts, squash

HANDOUT = "baclofen-withdrawal"
VERSION = re.search(r'^version: "(.+)"$', (ROOT / "handouts" / HANDOUT / "handout.md").read_text("utf-8"), re.M)[1]


def pdf_path(root: Path, tag: str, suffix: str = "") -> Path:
    return root / "dist" / HANDOUT / tag / f"{HANDOUT}-{tag}{suffix}.pdf"


def catalog_strings(root: Path, locale: str, domain: str = HANDOUT) -> list[tuple[str, str]]:
    with (root / "locales" / locale / "LC_MESSAGES" / f"{domain}.po").open("rb") as fh:
        return [(m.id, m.string) for m in read_po(fh) if m.id]


def test_english_pdf_holds_every_message(built_core: Path) -> None:
    text = squash(body_text(pdf_path(built_core, "en")))
    messages = markdown_messages(built_core / "handouts" / HANDOUT / "handout.md")
    assert len(messages) > 40 and "You have a seizure." in messages
    for message in messages:
        assert squash(message) in text, message


def test_spanish_pdf_holds_every_translated_message(built_core: Path) -> None:
    text = squash(body_text(pdf_path(built_core, "es")))
    for msgid, msgstr in catalog_strings(built_core, "es"):
        assert squash(msgstr) in text, msgid


def test_page_one_leads_with_the_key_message_and_the_warning_signs_follow_whole(built_core: Path) -> None:
    """Page one has the key message; the warning-signs box, kept whole, starts the next page."""
    for tag, never, call in [
        ("en", "Never stop taking baclofen on your own.", "Call your local emergency number right away"),
        ("es", "Nunca deje de tomar baclofeno por su cuenta.", None),
    ]:
        pages = [squash(p) for p in page_texts(pdf_path(built_core, tag))]
        assert squash(never) in pages[0]
        if call is None:  # the translated heading of the emergency box
            call = dict(catalog_strings(built_core, "es"))["Warning signs: get emergency help"]
        assert squash(call) in pages[0] + pages[1]


def test_draft_notices_on_page_one(built_core: Path) -> None:
    en = squash(page_texts(pdf_path(built_core, "en"))[0])
    assert squash("Draft: not yet checked by a clinician") in en
    assert squash("Draft translation") not in en
    es = squash(page_texts(pdf_path(built_core, "es"))[0])
    labels = dict(catalog_strings(built_core, "es", "templates"))
    english = "Draft translation: not yet checked by a qualified medical translator"
    assert squash(english) in es  # for staff who read English
    assert squash(labels[english]) in es  # for the reader


def test_footer_names_handout_version_language_and_page(built_core: Path) -> None:
    pages = page_texts(pdf_path(built_core, "es"))
    for number, page in enumerate(pages, start=1):
        flat = squash(page)
        assert squash(f"{HANDOUT} · Versión {VERSION}") in flat
        assert squash("Español (Spanish)") in flat
        assert squash(f"Página {number} de {len(pages)}") in flat


def test_tagged_pdf_ua_with_language_title_and_embedded_fonts(built_core: Path) -> None:
    for tag, title in [("en", "Baclofen: never stop suddenly"), ("es", None)]:
        with pikepdf.open(pdf_path(built_core, tag)) as pdf:
            assert str(pdf.Root.Lang) == tag
            assert pdf.Root.MarkInfo.Marked is True
            assert pdf.Root.ViewerPreferences.DisplayDocTitle is True
            info_title = str(pdf.docinfo["/Title"])
            assert info_title == (title or dict(catalog_strings(built_core, "es"))["Baclofen: never stop suddenly"])
            with pdf.open_metadata() as meta:
                assert meta.get("pdfuaid:part") == "1"
            kinds = set()

            def walk(node, depth=0, kinds=kinds):
                if depth > 60:
                    return
                if isinstance(node, pikepdf.Dictionary) and "/S" in node:
                    kinds.add(str(node.S))
                kids = node.get("/K") if isinstance(node, pikepdf.Dictionary) else None
                if isinstance(kids, pikepdf.Array):
                    for kid in kids:
                        walk(kid, depth + 1, kinds)
                elif isinstance(kids, pikepdf.Dictionary):
                    walk(kids, depth + 1, kinds)

            walk(pdf.Root.StructTreeRoot)
            assert {"/H1", "/H2", "/L", "/LI", "/P"} <= kinds
            for page in pdf.pages:
                for font in page.Resources.Font.values():
                    descendant = font.DescendantFonts[0] if "/DescendantFonts" in font else font
                    descriptor = descendant.FontDescriptor
                    assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))


def test_every_body_character_is_18pt_or_more_and_the_footer_14pt(built_core: Path) -> None:
    for tag in ("en", "es"):
        sizes = char_sizes(pdf_path(built_core, tag))
        footer_top = 1.2 * 72  # the bottom margin
        body = [s for _, _, s, y in sizes if y > footer_top]
        footer = [s for _, _, s, y in sizes if y <= footer_top]
        assert body and min(body) >= 18
        assert footer and min(footer) >= 14


def test_same_input_same_bytes(built_core: Path, project_es: ProjectCopy) -> None:
    assert project_es.run("build", "--output", "pdf", "--lang", "es").code == 0
    first = hashlib.sha256(pdf_path(built_core, "es").read_bytes()).hexdigest()
    assert hashlib.sha256(project_es.pdf("es").read_bytes()).hexdigest() == first


def test_second_editions_have_their_own_names(project_es: ProjectCopy) -> None:
    result = project_es.run("build", "--output", "pdf", "--lang", "en", "--size", "24", "--paper", "a4")
    assert result.code == 0, result.err
    path = project_es.pdf("en", "-24pt-a4")
    assert path.exists() and not project_es.pdf("en").exists()
    sizes = [s for _, _, s, y in char_sizes(path) if y > 1.2 * 72]
    assert min(sizes) >= 24
    with pikepdf.open(path) as pdf:
        width, height = [round(float(v)) for v in pdf.pages[0].MediaBox[2:]]
        assert (width, height) == (595, 842)  # A4 in points


def test_a_character_no_font_draws_fails_loudly(project_es: ProjectCopy) -> None:
    assert project_es.run("build", "--output", "pdf", "--lang", "es").code == 0
    good = project_es.pdf("es").read_bytes()
    po = project_es.po("es")
    text = po.read_text("utf-8")
    with po.open("rb") as fh:
        fever = {m.id: m.string for m in read_po(fh)}["You have a high fever."]
    po.write_text(text.replace(f'"{fever}"', f'"{fever} ሰላም"', 1), "utf-8")
    result = project_es.run("build", "--output", "pdf", "--lang", "es")
    assert result.code == 1
    assert "U+1230" in result.err and "no font" in result.err
    assert project_es.pdf("es").read_bytes() == good


def test_styles_cannot_reach_the_network(project: ProjectCopy) -> None:
    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            hits.append(self.path)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args) -> None:
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_port}"
        css = project.root / "templates" / "handout.css"
        css.write_text(f'@import url("{url}/a.css");\nbody {{ background: url("{url}/b.png"); }}\n' + css.read_text())
        result = project.run("build", "--output", "pdf", "--lang", "en")
        assert result.code == 1
        assert "refused to load" in result.err
        assert not project.pdf("en").exists()
    finally:
        server.shutdown()
    assert hits == []
