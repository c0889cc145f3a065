"""PDF structure and text layer, judged by tools we did not write: veraPDF's PDF/UA-1
profile, poppler's pdftotext, and a reader of the structure tree and content streams
(tests/tagged.py) that imports nothing from handoutkit. The expected text comes from
the PO files, read with Babel.

make test: every language in the default edition (18 pt, Letter), and Arabic, Persian
and Hindi in every edition. make check-all (HANDOUTKIT_CHECK_ALL=1): every language
in every edition."""

from __future__ import annotations

import os
import re
import unicodedata
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from handoutkit.cli import main

from . import tagged
from .conftest import ROOT, copy_project, fill_catalogs, sampled_locales, tracked_locales

HANDOUT = "baclofen-withdrawal"
LOCALES = ["en", *sampled_locales()]
EDITIONS = {"": ("18", "letter"), "-a4": ("18", "a4"), "-24pt": ("24", "letter"), "-24pt-a4": ("24", "a4")}
EVERY_EDITION = LOCALES if os.environ.get("HANDOUTKIT_CHECK_ALL") else ["ar", "fa", "hi"]
CASES = [(loc, suffix) for loc in LOCALES for suffix in EDITIONS if suffix == "" or loc in EVERY_EDITION]


def tag_of(locale: str) -> str:
    return locale.replace("_", "-")


def catalog(root: Path, locale: str, domain: str = HANDOUT) -> list[tuple[str, str]]:
    """(msgid, text) in file order; for English the text is the msgid."""
    if locale == "en":
        path = root / "locales" / f"{domain}.pot"
    else:
        path = root / "locales" / locale / "LC_MESSAGES" / f"{domain}.po"
    with path.open("rb") as fh:
        return [(m.id, m.string if locale != "en" else m.id) for m in read_po(fh) if m.id]


def emergency_headings(root: Path) -> list[str]:
    """The English headings of the source's '::: emergency' boxes, read from the Markdown."""
    text = (root / "handouts" / HANDOUT / "handout.md").read_text("utf-8")
    return [h for box in re.findall(r"^::: emergency\n(.*?)^:::", text, re.M | re.S) for h in re.findall(r"^## (.+)$", box, re.M)]


def first_heading(root: Path) -> str:
    text = (root / "handouts" / HANDOUT / "handout.md").read_text("utf-8")
    return re.search(r"^## (.+)$", text, re.M)[1]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("structure") / "proj", tracked_locales())
    for suffix, (size, paper) in EDITIONS.items():
        langs = [a for loc in (LOCALES if suffix == "" else EVERY_EDITION) for a in ("--lang", tag_of(loc))]
        assert main(["--project", str(root), "build", "--output", "pdf", "--size", size, "--paper", paper, *langs]) == 0
    assert main(["--project", str(root), "review-sheet", "ar"]) == 0
    return root


def pdf_of(root: Path, locale: str, suffix: str) -> Path:
    tag = tag_of(locale)
    return root / "dist" / HANDOUT / tag / f"{HANDOUT}-{tag}{suffix}.pdf"


def test_verapdf_passes_every_pdf_and_the_review_sheet(built: Path) -> None:
    from handoutkit.pdfua import validate

    paths = [pdf_of(built, loc, suffix) for loc, suffix in CASES]
    paths += sorted((built / "dist" / "review").glob("*/*.pdf"))
    verdicts = validate(paths, built / ".cache")
    failed = [f"{v.path.name}: {'; '.join(v.failures)}" for v in verdicts if not v.passed]
    assert len(verdicts) == len(paths)
    assert not failed, "veraPDF PDF/UA-1 failed:\n" + "\n".join(failed)


@pytest.mark.parametrize(("locale", "suffix"), CASES)
def test_footer_is_a_pagination_artifact_and_every_mark_is_in_the_tree(built: Path, locale: str, suffix: str) -> None:
    tree, reached, pages = tagged.structure(pdf_of(built, locale, suffix))
    for number, page in enumerate(pages):
        footer = "".join(page.artifact_text)
        assert HANDOUT in tagged.squash(footer), f"page {number + 1}: footer is not drawn as an artifact"
        assert "/Pagination" in page.artifact_kinds, f"page {number + 1}: no /Artifact of /Type /Pagination"
        missing = set(page.text) - reached.get(number, set())
        assert not missing, f"page {number + 1}: marked content {sorted(missing)} is in no structure element"
    assert HANDOUT not in tagged.squash("".join(e.text for e in tree)), "footer text is in the structure tree"


@pytest.mark.parametrize("locale", LOCALES)
def test_structure_tree_gives_every_message_once_in_source_order(built: Path, locale: str) -> None:
    tree, _, _ = tagged.structure(pdf_of(built, locale, ""))
    blocks = [tagged.squash(b.text) for b in tagged.blocks(tree)]
    expected = [tagged.squash(text) for _, text in catalog(built, locale)]
    at = 0
    for message in expected:
        assert message in blocks[at:], f"{locale}: {message[:60]!r} is not a block of its own after block {at}"
        at = blocks.index(message, at) + 1
    repeated = {b for b in blocks if blocks.count(b) > 1}
    assert not repeated, f"{locale}: blocks read twice: {sorted(repeated)[:3]}"


@pytest.mark.parametrize("locale", [loc for loc in LOCALES if loc != "en"])
def test_english_notice_and_latin_drug_names_carry_their_own_lang(built: Path, locale: str) -> None:
    tree, _, _ = tagged.structure(pdf_of(built, locale, ""))
    with_lang: list[tuple[str, str]] = []

    def walk(e: tagged.Element, inherited: str | None) -> None:
        lang = e.lang or inherited
        if e.lang:
            with_lang.append((e.lang, tagged.squash(e.text)))
        for k in e.kids:
            walk(k, lang)

    for e in tree:
        walk(e, None)
    notice = tagged.squash("Draft translation: not yet checked by a qualified medical translator")
    assert ("en", notice) in with_lang, f"{locale}: the English draft notice has no /Lang en"
    names = re.search(r"^names: \[(.*)\]$", (built / "handouts" / HANDOUT / "handout.md").read_text("utf-8"), re.M)[1]
    latin_script = all(unicodedata.name(c, "").startswith("LATIN") for _, t in catalog(built, locale) for c in t if c.isalpha())
    if latin_script:
        return
    for name in (n.strip() for n in names.split(",")):
        uses = sum(len(re.findall(rf"\b{name}\b", t, re.I)) for _, t in catalog(built, locale))
        spans = [t for lang, t in with_lang if lang == "en" and t.lower() == name.lower()]
        assert len(spans) == uses, f"{locale}: {name!r} appears {uses} times in Latin letters, {len(spans)} with /Lang en"


@pytest.mark.parametrize(("locale", "suffix"), CASES)
def test_text_reads_back_exactly_in_pdftotext_and_the_tagged_view(built: Path, locale: str, suffix: str) -> None:
    path = pdf_of(built, locale, suffix)
    expected = [text for _, text in catalog(built, locale)]
    missing = tagged.first_missing(expected, tagged.tagged_text(path), by_runs=False)
    assert missing is None, f"{locale}{suffix}: the structure tree does not read back {missing!r}"
    missing = tagged.first_missing(expected, tagged.pdftotext(path), by_runs=True)
    assert missing is None, f"{locale}{suffix}: pdftotext does not read back {missing!r}"


def whole_sections(root: Path, locale: str, tree: list[tagged.Element]) -> list[tagged.Element]:
    """The first section and each emergency box, found by their translated headings."""
    text = dict(catalog(root, locale))
    wanted = [tagged.squash(text[h]) for h in (first_heading(root), *emergency_headings(root))]
    sections = [e for t in tree for e in _all(t) if e.role == "/Sect" and e.kids and tagged.squash(e.kids[0].text) in wanted]
    assert len(sections) == len(wanted), f"{locale}: found {len(sections)} of the {len(wanted)} sections that must be read whole"
    return sections


def _all(e: tagged.Element):
    yield e
    for k in e.kids:
        yield from _all(k)


def assert_whole_or_continued(root: Path, locale: str, path: Path, blocks_whole: bool = True) -> int:
    """Each section to be read whole sits on one page; one that cannot starts on a fresh
    page, no block is cut by a page break, and each later page repeats its heading as
    continued. Returns how many sections needed the continued rule."""
    tree, _, pages = tagged.structure(path)
    continued = dict(catalog(root, locale, "templates"))["{heading} (continued)"]
    order = tagged.blocks(tree)
    spread = 0
    for section in whole_sections(root, locale, tree):
        heading = section.kids[0].text
        if len(section.pages) == 1:
            continue
        spread += 1
        first = min(section.pages)
        inside = {id(b) for b in tagged.blocks([section])}
        before = [b for b in order[: order.index(next(b for b in order if id(b) in inside))]]
        assert all(max(b.pages) < first for b in before), f"{path.name}: {heading[:40]!r} is split but does not start a fresh page"
        for block in tagged.blocks([section]) if blocks_whole else ():
            assert len(block.pages) == 1, f"{path.name}: a page break cuts {block.text[:40]!r}"
        mark = continued.replace("{heading}", heading)
        section_blocks = tagged.blocks([section])
        for page in sorted(section.pages)[1:]:
            opening = next(b for b in section_blocks if page in b.pages)
            if not blocks_whole and min(opening.pages) < page:
                continue  # the page goes on inside a block taller than a page: no heading can stand there

            top = tagged.pdftotext(path, page=page + 1)
            assert tagged.first_missing([mark], top, by_runs=True) is None, f"{path.name}: page {page + 1} lacks {mark!r}"
            assert tagged.squash(heading) not in tagged.squash(tagged.tagged_page(path, page)), "the repeat is read twice"
    return spread


@pytest.mark.parametrize(("locale", "suffix"), CASES)
def test_warning_signs_and_most_important_section_are_read_whole(built: Path, locale: str, suffix: str) -> None:
    assert_whole_or_continued(built, locale, pdf_of(built, locale, suffix))


def test_a_translation_three_times_as_long_starts_fresh_pages_and_marks_continued(project_es) -> None:
    """Synthetic: every message three times its length, without new numbers or bold."""
    fill_catalogs(project_es.root, "es")
    for domain in ("baclofen-withdrawal", "templates"):
        path = project_es.po(domain=domain, locale="es")
        with path.open("rb") as fh:
            cat = read_po(fh)
        for m in cat:
            if m.id and "{" not in m.id:
                m.string = f"{m.id} " + " ".join(["palabras largas de relleno"] * (len(m.id) // 14 + 1))
        from babel.messages.pofile import write_po

        with path.open("wb") as fh:
            write_po(fh, cat)
    spread = 0
    for size in ("18", "24"):
        assert project_es.run("build", "--lang", "es", "--output", "pdf", "--size", size).code == 0
        suffix = "" if size == "18" else "-24pt"
        path = project_es.pdf("es", suffix)
        spread += assert_whole_or_continued(project_es.root, "es", path, blocks_whole=False)  # a block may outgrow a page
    assert spread >= 2, "the long translation should need the continued rule"


def test_weasyprint_still_needs_the_tagging_workaround() -> None:
    """WeasyPrint issues #1836 (footer tagged outside the tree) and #2841 (Arabic text
    layer): when this fails, WeasyPrint tags these right by itself and
    handoutkit/render/tagging.py can go."""
    import io

    import pikepdf
    from weasyprint import HTML

    html = ("<html lang='ar'><style>@page { @bottom-left { content: 'footer' } }</style>"
            "<body><p>لا تتوقف</p></body></html>")
    data = HTML(string=html).write_pdf(pdf_variant="pdf/ua-1")
    path = ROOT / ".cache" / "plain-weasyprint.pdf"
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(data)
    tree, reached, pages = tagged.structure(path)
    unreached = set(pages[0].text) - reached.get(0, set())
    assert unreached, "WeasyPrint now keeps the footer out of the tree: drop the margin-box patch"
    with pikepdf.open(io.BytesIO(data)):
        pass
    assert tagged.first_missing(["لا تتوقف"], tagged.pdftotext(path), by_runs=True) is not None, (
        "WeasyPrint's own text layer now reads Arabic back: drop the ActualText patch")
