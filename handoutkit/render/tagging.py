"""What a screen reader needs from WeasyPrint's tagged PDF, fixed in one place.

WeasyPrint (70) tags a PDF/UA document from its boxes. These gaps are closed here,
while it draws (its Stream.marked, tags._build_box_tree and the font dictionary
step are wrapped for the length of one write_pdf), so no byte is rewritten after:

1. Page-margin content (the running footer) is marked as tagged content that no
   element of the structure tree reaches. It is pagination, so it is drawn as
   ``/Artifact <</Type /Pagination>>`` and left out of the tree and the parent
   tree (PDF/UA-1 7.8; Matterhorn 18). Upstream: WeasyPrint issue #1836. So is
   an element marked ``data-artifact`` (a heading repeated as "continued").
2. An element with its own ``lang`` (the English draft notice in a translation,
   a drug name in Latin script inside Arabic) gets its own ``/Lang``.
3. Glyphs cannot map back to their characters one to one (Arabic joining forms
   and the lam-alef ligature, Indic vowel signs drawn before their consonant,
   conjuncts, and every later use of a glyph first met in such a cluster), so each
   span of text gets ``/ActualText``: on the marked content (what pdftotext and
   copy-paste read; right-to-left runs in drawn order, see _drawn_order) and on
   its structure element (what a screen reader walks, in logical order).
   Upstream: WeasyPrint issue #2841.
4. An element split over two pages is one structure element, not one per page,
   so the tree gives every block once, in order.
5. A table header cell carries its /Scope (row or column), as PDF/UA-1 asks.
6. In the bilingual edition of a right-to-left language, the ActualText that text
   extractors read carries invisible direction marks (_direction_marks), so that
   poppler (pdftotext, and viewers built on it) reads each Arabic line and each
   English line back as written, in order. The structure tree has none.

A test (test_weasyprint_still_needs_the_tagging_workaround in
tests/test_pdf_structure.py) renders without these patches and tells us when
WeasyPrint no longer needs them.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

LRM, RLM = "\u200e", "\u200f"  # invisible: LEFT-TO-RIGHT MARK, RIGHT-TO-LEFT MARK
NUMERIC = ("EN", "AN", "ES", "ET", "CS")  # bidirectional classes of digits and what goes with them


def needs_actual_text(text: str) -> bool:
    """Every span of text gets its logical text as /ActualText. A glyph's ToUnicode entry
    is whatever text it first stood for, so once a glyph has drawn part of a cluster
    (an Indic vowel sign with its consonant, a ligature), every later use of it maps
    wrong too; only the span's own text is always right, in any script."""
    return bool(text.strip())


def _artifact_boxes(document: Any) -> dict[int, str]:
    """id of every box drawn as pagination -> its subtype: what the page margins hold
    (the running footer) and each element marked data-artifact (a section's heading
    repeated on the page it goes on to, data-artifact="header")."""
    from weasyprint.formatting_structure import boxes

    found: dict[int, str] = {}
    for page in document.pages:
        for child in page._page_box.children:
            if isinstance(child, boxes.MarginBox):
                found.update((id(box), "Footer") for box in child.descendants())
        for box in page._page_box.descendants():
            kind = box.element.get("data-artifact") if box.element is not None else None
            if kind and id(box) not in found:
                found.update((id(inner), kind.capitalize()) for inner in box.descendants())
    return found


def _obj(pdf: Any, reference: Any) -> Any:
    """The pydyf object behind a reference (b'12 0 R')."""
    number = int(bytes(reference).split()[0]) if not isinstance(reference, int) else reference
    return pdf.objects[number]


def _finish(element: Any, box: Any, pdf: Any, texts: dict[int, str]) -> None:
    """A structure element as PDF/UA wants it: its /Lang, a header cell's /Scope, and the logical
    text (ActualText) of each of its marked-content pieces drawn in another order."""
    import pydyf

    lang = box.element.get("lang") if box.element is not None and box.element_tag not in ("html", "body") else None
    if lang and "Lang" not in element:
        element["Lang"] = pydyf.String(lang)
    if str(element["S"]) == "/TH" and "A" in element:  # PDF/UA-1 7.5: a header cell says what it heads
        element["A"]["Scope"] = "/Row" if box.element.get("scope") == "row" else "/Column"
    for ref in element["K"]:
        if isinstance(ref, int):
            continue
        kid = _obj(pdf, ref)
        kid_k = kid.get("K") if isinstance(kid, dict) else None
        if kid_k and len(kid_k) == 1 and isinstance(kid_k[0], int) and kid_k[0] in texts:
            kid["ActualText"] = pydyf.String(texts[kid_k[0]])

def _merge(first: Any, later: Any, pdf: Any) -> None:
    """The part of an element on a later page joins the element of its first page."""
    import pydyf

    for ref in later["K"]:
        if isinstance(ref, int):  # marked content on the later page: say which page
            ref = pydyf.Dictionary({"Type": "/MCR", "Pg": later["Pg"], "MCID": ref})
        else:
            _obj(pdf, ref)["P"] = first.reference
        first["K"].append(ref)


@contextmanager
def _artifact(stream: Any, box: Any, subtype: str, marks: dict[int, str]) -> Iterator[None]:
    """A box drawn as a pagination artifact (footer, repeated heading): outside the structure tree."""
    import pydyf

    kind = pydyf.Dictionary({"Type": "/Pagination", "Subtype": f"/{subtype}"})
    pydyf.Stream.begin_marked_content(stream, "Artifact", kind)
    text = getattr(box, "text", None)
    spoken = text and needs_actual_text(text)
    if spoken:  # copy-paste and search read it as written too (poppler reads ActualText on a Span)
        drawn = marks[id(box)] if id(box) in marks else _drawn_order(box)
        pydyf.Stream.begin_marked_content(stream, "Span", pydyf.Dictionary({"ActualText": pydyf.String(drawn)}))
    try:
        yield
    finally:
        if spoken:
            pydyf.Stream.end_marked_content(stream)
        pydyf.Stream.end_marked_content(stream)


@contextmanager
def accessible_tags(document: Any, direction_marks: bool = False) -> Iterator[None]:
    """Within this block, document.write_pdf() writes the tags described above;
    direction_marks: the bilingual edition of a right-to-left language (6 above)."""
    import pydyf
    import weasyprint.pdf as pdf_module
    from weasyprint.formatting_structure import boxes
    from weasyprint.layout.absolute import AbsolutePlaceholder
    from weasyprint.pdf import stream as stream_module
    from weasyprint.pdf import tags as tags_module

    artifacts = _artifact_boxes(document)
    marks = _direction_marks(document, artifacts) if direction_marks else {}  # id(box) -> ActualText
    actual: dict[int, dict[int, str]] = {}  # id(stream's tags dict) -> mcid -> logical text
    Stream = stream_module.Stream
    original_marked = Stream.marked
    original_tree = tags_module._build_box_tree

    @contextmanager
    def marked(self: Any, box: Any, tag: str) -> Iterator[None]:
        if self._tags is None:
            yield
            return
        if id(box) in artifacts:
            with _artifact(self, box, artifacts[id(box)], marks):
                yield
            return
        mcid = len(self._tags)
        self._tags[box] = {"tag": tag, "mcid": mcid}
        properties = pydyf.Dictionary({"MCID": mcid})
        text = getattr(box, "text", None)
        if text and needs_actual_text(text):
            actual.setdefault(id(self._tags), {})[mcid] = text  # logical, for the structure element
            properties["ActualText"] = pydyf.String(marks[id(box)] if id(box) in marks else _drawn_order(box))
        pydyf.Stream.begin_marked_content(self, tag, properties)
        try:
            yield
        finally:
            pydyf.Stream.end_marked_content(self)

    last_seen: dict[tuple, tuple[int, Any]] = {}  # element key -> (page, struct element) where it was last drawn
    keys: list[tuple] = [()]

    def build_tree(box: Any, parent: Any, pdf: Any, page_number: int, nums: dict, annotations: list, tags: dict):
        if isinstance(box, boxes.MarginBox) or id(box) in artifacts:
            return  # drawn as artifacts above: nothing of it belongs in the tree
        real = box._box if isinstance(box, AbsolutePlaceholder) else box
        if real.element_tag in ("html", "body") or isinstance(real, boxes.PageBox):
            yield from original_tree(box, parent, pdf, page_number, nums, annotations, tags)
            return  # these yield their children's elements, already handled
        key = (keys[-1], id(real.element), real.element_tag)
        keys.append(key)
        try:
            for element in original_tree(box, parent, pdf, page_number, nums, annotations, tags):
                _finish(element, real, pdf, actual.get(id(tags), {}))
                earlier = last_seen.get((key, str(element["S"])))
                if earlier is not None and earlier[0] < page_number:
                    _merge(earlier[1], element, pdf)  # goes on from the previous page: one element
                    continue
                last_seen[(key, str(element["S"]))] = (page_number, element)  # an inline split over lines: the last piece
                yield element
        finally:
            keys.pop()

    original_fonts = pdf_module.build_fonts_dictionary

    def build_fonts(pdf: Any, fonts: dict, *args: Any, **kwargs: Any) -> Any:
        for font in fonts.values():
            _visual_order_ligatures(font.to_unicode)
        return original_fonts(pdf, fonts, *args, **kwargs)

    Stream.marked = marked
    tags_module._build_box_tree = build_tree
    pdf_module.build_fonts_dictionary = build_fonts
    try:
        yield
    finally:
        Stream.marked = original_marked
        tags_module._build_box_tree = original_tree
        pdf_module.build_fonts_dictionary = original_fonts


def _drawn_order(box: Any, marks: bool = False) -> str:
    """The box's characters in the order its glyphs are drawn, left to right: each
    right-to-left run reversed. Text extractors (poppler's pdftotext, copy-paste in
    its viewers) lay an ActualText out left to right over the glyphs it replaces and
    then reorder the line from visual to logical, as they do for glyphs; given in
    drawn order, a right-to-left span comes out as written, marks, joiners and
    ligatures included. Left-to-right text is unchanged by this. With marks, each
    right-to-left run is set between RLMs, and so is each period, comma or colon in it,
    and each left-to-right run ends in an LRM (see _direction_marks)."""
    from weasyprint.text.ffi import ffi

    layout = box.pango_layout
    layout.reactivate(box.style)  # as WeasyPrint's draw_text does; laid out again, same result
    try:
        data = layout.text.encode()
        line, _ = layout.get_first_line()
        parts = []
        run = line.runs
        while run != ffi.NULL:
            item = run.data.item
            part = data[item.offset:item.offset + item.length].decode()
            if item.analysis.level % 2:
                parts.append(f"{RLM}{_fenced(part[::-1])}{RLM}" if marks else part[::-1])
            else:
                parts.append(f"{part}{LRM}" if marks else part)
            run = run.next
    finally:
        layout.deactivate()
    return "".join(parts) or box.text


def _fenced(text: str) -> str:
    """Each separator or terminator of numbers (a period, comma, colon, slash, percent
    sign; poppler takes them for digits, and reads them left to right with the spaces
    and quote marks beside them) set between RLMs, in a right-to-left run."""
    return "".join(f"{RLM}{ch}{RLM}" if unicodedata.bidirectional(ch) in NUMERIC else ch for ch in text)


def _strong(text: str) -> tuple[int, int]:
    """How many left-to-right and right-to-left letters (and marks) text holds."""
    kinds = [unicodedata.bidirectional(ch) for ch in text]
    return kinds.count("L"), kinds.count("R") + kinds.count("AL")


def _direction_marks(document: Any, artifacts: dict[int, str]) -> dict[int, str]:
    """id of each text box -> the ActualText text extractors get, for a right-to-left
    edition with English blocks (the bilingual edition): the box's text in drawn order
    with invisible direction marks (_drawn_order), an RLM at each end of a run set right
    to left and an LRM at the end of one set left to right.

    poppler (pdftotext, and the viewers built on it) does not find each line's direction:
    it takes one direction for the whole page, the one most of the page's letters have,
    and reorders every line from drawn to logical order by it, by strong letters only (a
    bracket, quote mark or colon goes with the letters next to it). Half of a bilingual
    page is English, so a page could go either way, and taken as left to right, an Arabic
    line holding a period, a number or a Latin word comes out in the wrong order. So every
    page is made to read as right to left: where its left-to-right letters (the English of
    its footer too, which a reader may crop off or keep) would not be outnumbered, more
    RLMs go at the start of its right-to-left boxes. Read right to left, an Arabic line
    comes out as written, its Latin words, numbers and brackets in place (the marks keep
    each run's punctuation with its run), and so does an English line, ending in its LRM
    (without it, a comma or a colon ending the line would move to its start). Python's
    bidirectional classes agree with poppler's on every character of the Arabic, Persian,
    Urdu and English catalogs; the margin is for characters they might not."""
    marks: dict[int, str] = {}
    for page in document.pages:
        rtl: list[int] = []
        ltr_letters = rtl_letters = 0
        for box in page._page_box.descendants():
            text = getattr(box, "text", None)
            if not text or not needs_actual_text(text):
                continue
            if artifacts.get(id(box)) == "Footer":  # its English counts; its own letters may be cropped off
                marks[id(box)] = _drawn_order(box)
                ltr_letters += _strong(marks[id(box)])[0]
                continue
            drawn = marks[id(box)] = _drawn_order(box, marks=True)
            if box.style["direction"] == "rtl":
                rtl.append(id(box))
            left, right = _strong(drawn)
            ltr_letters, rtl_letters = ltr_letters + left, rtl_letters + right
        short = ltr_letters - rtl_letters + 4 + ltr_letters // 50  # poppler: left to right unless fewer; a margin
        if short > 0 and rtl:
            each = -(-short // len(rtl))
            for key in rtl:
                marks[key] = RLM * each + marks[key]
    return marks


def _visual_order_ligatures(to_unicode: dict[int, str]) -> None:
    """A glyph standing for several right-to-left letters (lam-alef) is drawn in a
    line that text extractors read left to right and then reverse, letters and
    all: its ToUnicode entry is stored in that visual order, so the reversal gives
    the letters as written. WeasyPrint issue #2841."""
    for glyph, text in to_unicode.items():
        if len(text) > 1 and all(unicodedata.bidirectional(ch) in ("R", "AL", "NSM") for ch in text):
            to_unicode[glyph] = text[::-1]
