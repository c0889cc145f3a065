"""Site settings for pharmacies and clinics: their name and phone on the print
and in the audio, a QR code to the page, one folder per site, and a clear
error for every bad setting."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from .conftest import ProjectCopy
from .pdftext import page_texts, squash

GOOD = """id = "main-street"
name = "Main Street Pharmacy"
phone = "+1 (555) 010-2030 ext. 204"
address = "12 Main Street, Springfield"
emergency_number = "911"
territory = "US"
base_url = "https://handouts.example.org/main-street"
"""


def write_site(project: ProjectCopy, text: str, name: str = "site.toml") -> Path:
    path = project.root / name
    path.write_text(text, "utf-8")
    return path


def pdf(project: ProjectCopy, site: str, tag: str) -> Path:
    return project.root / "dist" / site / "baclofen-withdrawal" / tag / f"baclofen-withdrawal-{tag}.pdf"


def test_site_name_phone_and_emergency_number_in_print_and_audio(project_es: ProjectCopy) -> None:
    write_site(project_es, GOOD)
    result = project_es.run("build", "--lang", "es", "--engine", "espeak")
    assert result.code == 0, result.err
    text = squash(" ".join(page_texts(pdf(project_es, "main-street", "es"))))
    for value in ("Main Street Pharmacy", "+1 (555) 010-2030 ext. 204", "12 Main Street, Springfield", ": 911"):
        assert squash(value) in text, value
    assert squash("Llame al +1 (555) 010-2030 ext. 204") in text or squash("+1 (555) 010-2030 ext. 204") in text
    first = squash(page_texts(pdf(project_es, "main-street", "es"))[0])
    assert squash("Lo más importante") in first  # the key message still starts on page one
    vtt = (pdf(project_es, "main-street", "es").with_suffix(".vtt")).read_text("utf-8")
    assert "Main Street Pharmacy" in vtt and "chapter-contact" in vtt
    assert not (project_es.root / "dist" / "baclofen-withdrawal").exists()  # the site's own folder only


def test_two_sites_build_side_by_side(project: ProjectCopy) -> None:
    one = write_site(project, GOOD, "one.toml")
    two = write_site(project, 'id = "elm-clinic"\nname = "Elm Clinic"\nphone = "555 0100"\npaper = "a4"\n', "two.toml")
    assert project.run("build", "--output", "pdf", "--site", str(one)).code == 0
    first = pdf(project, "main-street", "en").read_bytes()
    assert project.run("build", "--output", "pdf", "--site", str(two)).code == 0
    assert pdf(project, "main-street", "en").read_bytes() == first
    elm = project.root / "dist" / "elm-clinic" / "baclofen-withdrawal" / "en" / "baclofen-withdrawal-en-a4.pdf"
    assert squash("Elm Clinic") in squash(" ".join(page_texts(elm)))
    assert squash("Main Street") not in squash(" ".join(page_texts(elm)))


@pytest.mark.skipif(not shutil.which("zbarimg") or not shutil.which("pdftoppm"), reason="needs zbar-tools and poppler-utils")
def test_qr_code_on_page_one_decodes_to_the_language_page(project: ProjectCopy, tmp_path: Path) -> None:
    write_site(project, GOOD)
    assert project.run("build", "--output", "pdf", "--lang", "en").code == 0
    first = squash(page_texts(pdf(project, "main-street", "en"))[0])
    assert squash("Scan to listen") in first
    assert squash("https://handouts.example.org/main-street/baclofen-withdrawal/en/") in first
    subprocess.run(["pdftoppm", "-png", "-r", "150", "-f", "1", "-l", "1", str(pdf(project, "main-street", "en")),
                    str(tmp_path / "page")], check=True)
    (image,) = tmp_path.glob("page*.png")
    decoded = subprocess.run(["zbarimg", "--quiet", "--raw", str(image)], capture_output=True, text=True)
    assert decoded.stdout.strip() == "https://handouts.example.org/main-street/baclofen-withdrawal/en/"


def test_a_logo_needs_alt_text_and_is_drawn(project: ProjectCopy) -> None:
    (project.root / "assets").mkdir()
    (project.root / "assets" / "logo.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="60"><rect width="200" height="60"/></svg>')
    write_site(project, 'id = "x"\nname = "A"\nlogo = "assets/logo.svg"\n')
    assert "logo_alt" in project.run("build", "--output", "pdf", "--lang", "en").err
    write_site(project, 'id = "x"\nname = "A"\nlogo = "assets/logo.svg"\nlogo_alt = "A Pharmacy"\n')
    result = project.run("build", "--output", "pdf", "--lang", "en")
    assert result.code == 0, result.err
    import pikepdf

    with pikepdf.open(pdf(project, "x", "en")) as doc:
        alts = []

        def walk(node, depth=0):
            if depth > 60 or not isinstance(node, pikepdf.Dictionary):
                return
            if node.get("/S") == "/Figure" and "/Alt" in node:
                alts.append(str(node.Alt))
            kids = node.get("/K")
            for kid in (kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []):
                walk(kid, depth + 1)

        walk(doc.Root.StructTreeRoot)
    assert "A Pharmacy" in alts
