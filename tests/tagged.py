"""Reading a tagged PDF the way a screen reader and pdftotext do, with nothing from
handoutkit: pikepdf walks the structure tree and the content streams, the fonts'
ToUnicode maps are parsed here, and pdftotext is poppler's own program."""

from __future__ import annotations

import re
import subprocess
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import pikepdf

INVISIBLE = dict.fromkeys(map(ord, "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"))


def squash(text: str) -> str:
    """NFKC, no whitespace, no invisible direction marks, no Markdown bold."""
    text = unicodedata.normalize("NFKC", text.replace("**", "")).translate(INVISIBLE)
    return re.sub(r"\s+", "", text)


def _cmap(font: pikepdf.Dictionary) -> dict[bytes, str]:
    """A font's ToUnicode map: code bytes -> text (bfchar and bfrange)."""
    out: dict[bytes, str] = {}
    stream = font.get("/ToUnicode")
    if stream is None:
        return out
    data = stream.read_bytes().decode("latin-1")

    def text(hexs: str) -> str:
        return bytes.fromhex(hexs).decode("utf-16-be")

    for block in re.findall(r"beginbfchar(.*?)endbfchar", data, re.S):
        for src, dst in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]*)>", block):
            out[bytes.fromhex(src)] = text(dst)
    for block in re.findall(r"beginbfrange(.*?)endbfrange", data, re.S):
        for lo, hi, dst in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            size, start = len(lo) // 2, int(dst, 16)
            for i, code in enumerate(range(int(lo, 16), int(hi, 16) + 1)):
                out[code.to_bytes(size, "big")] = chr(start + i)
    return out


def _decode(raw: bytes, cmap: dict[bytes, str]) -> str:
    width = len(next(iter(cmap))) if cmap else 1
    return "".join(cmap.get(raw[i:i + width], "") for i in range(0, len(raw), width))


@dataclass
class PageContent:
    """Per marked-content id: the text drawn, and any /ActualText on it; and the
    text drawn outside any MCID (artifacts) with the kinds of artifact seen."""

    text: dict[int, str] = field(default_factory=dict)
    artifact_text: list[str] = field(default_factory=list)
    artifact_kinds: list[str] = field(default_factory=list)


def page_content(pdf: pikepdf.Pdf, page: pikepdf.Page) -> PageContent:
    fonts = page.Resources.get("/Font", {})
    cmaps = {name: _cmap(fonts[name]) for name in fonts.keys()}
    result = PageContent()
    stack: list[tuple[str, int | None]] = []  # (tag, mcid) of each open marked content
    cmap: dict[bytes, str] = {}
    for operands, op in pikepdf.parse_content_stream(page):
        name = str(op)
        if name == "BDC":
            props = operands[1]
            mcid = int(props["/MCID"]) if isinstance(props, pikepdf.Dictionary) and "/MCID" in props else None
            stack.append((str(operands[0]), mcid))
            if str(operands[0]) == "/Artifact" and isinstance(props, pikepdf.Dictionary):
                result.artifact_kinds.append(str(props.get("/Type", "")))
        elif name == "BMC":
            stack.append((str(operands[0]), None))
        elif name == "EMC" and stack:
            stack.pop()
        elif name == "Tf":
            cmap = cmaps.get(str(operands[0]), {})
        elif name in ("Tj", "TJ", "'", '"'):
            parts = operands[-1] if name == "TJ" else [operands[-1]]
            text = "".join(_decode(bytes(p), cmap) for p in parts if isinstance(p, pikepdf.String))
            mcid = next((m for _, m in reversed(stack) if m is not None), None)
            if mcid is not None:
                result.text[mcid] = result.text.get(mcid, "") + text
            elif any(tag == "/Artifact" for tag, _ in stack):
                result.artifact_text.append(text)
            else:
                raise AssertionError(f"text drawn outside any marked content: {text!r}")
    return result


@dataclass
class Element:
    role: str
    lang: str | None
    text: str  # ActualText if set, else the text of its marked content and kids
    kids: list[Element]
    pages: set[int]  # pages (from 0) its marked content is drawn on


def structure(path: Path) -> tuple[list[Element], dict[int, set[int]], list[PageContent]]:
    """The structure tree from its root, the MCIDs it reaches per page, and each page's content."""
    with pikepdf.open(path) as pdf:
        pages = {p.objgen: i for i, p in enumerate(pdf.pages)}
        contents = [page_content(pdf, p) for p in pdf.pages]
        reached: dict[int, set[int]] = {}

        def page_of(node: pikepdf.Dictionary, inherited: int | None) -> int | None:
            pg = node.get("/Pg")
            return pages.get(pg.objgen) if pg is not None else inherited

        def walk(node: pikepdf.Object, page: int | None) -> Element | tuple[str, int]:
            if isinstance(node, int) or (isinstance(node, pikepdf.Object) and node._type_code == pikepdf.ObjectType.integer):
                mcid = int(node)
                reached.setdefault(page, set()).add(mcid)
                return contents[page].text.get(mcid, ""), page
            if node.get("/Type") == "/MCR":
                mcr_page = page_of(node, page)
                mcid = int(node.MCID)
                reached.setdefault(mcr_page, set()).add(mcid)
                return contents[mcr_page].text.get(mcid, ""), mcr_page
            page = page_of(node, page)
            kids_obj = node.get("/K")
            kids_list = [] if kids_obj is None else (list(kids_obj) if isinstance(kids_obj, pikepdf.Array) else [kids_obj])
            kids: list[Element] = []
            texts: list[str] = []
            pages: set[int] = set()
            for kid in kids_list:
                got = walk(kid, page)
                if isinstance(got, Element):
                    kids.append(got)
                    texts.append(got.text)
                    pages |= got.pages
                else:
                    texts.append(got[0])
                    pages.add(got[1])
            actual = node.get("/ActualText")
            lang = node.get("/Lang")
            return Element(str(node.get("/S", "")), str(lang) if lang is not None else None,
                           str(actual) if actual is not None else "".join(texts), kids, pages)

        root = pdf.Root.StructTreeRoot
        top = root.K if isinstance(root.K, pikepdf.Array) else [root.K]
        tree = [walk(k, None) for k in top]
    return [t for t in tree if isinstance(t, Element)], reached, contents


def blocks(tree: list[Element], roles: tuple[str, ...] = ("/P", "/H1", "/H2", "/LBody")) -> list[Element]:
    """Elements of the given roles, in tree order (a block inside a block is not repeated)."""
    found: list[Element] = []

    def walk(e: Element) -> None:
        if e.role in roles:
            found.append(e)
            return
        for k in e.kids:
            walk(k)

    for e in tree:
        walk(e)
    return found


def tagged_text(path: Path) -> str:
    """The whole document as the structure tree reads it."""
    tree, _, _ = structure(path)
    return "".join(e.text for e in tree)


def pdftotext(path: Path, crop_bottom_pt: float = 1.2 * 72 - 2, page: int | None = None) -> str:
    """poppler's text of every page (or of one, counted from 1), the footer cropped off."""
    with pikepdf.open(path) as pdf:
        box = [float(v) for v in pdf.pages[0].MediaBox]
    width, height = box[2] - box[0], box[3] - box[1]
    pages = ["-f", str(page), "-l", str(page)] if page else []
    out = subprocess.run(
        ["pdftotext", "-r", "72", "-x", "0", "-y", "0", "-W", str(int(width)), "-H", str(int(height - crop_bottom_pt)),
         *pages, "-enc", "UTF-8", "-nopgbrk", str(path), "-"],
        capture_output=True, text=True, check=True,
    )
    return out.stdout


def tagged_page(path: Path, page: int) -> str:
    """The text the structure tree reads on one page (from 0): its marked content."""
    _, _, contents = structure(path)
    return "".join(contents[page].text.values())


def _rtl_letter(ch: str) -> bool:
    kind = unicodedata.bidirectional(ch)
    return kind in ("R", "AL") or (kind in ("NSM", "BN") and (ch in "\u200c\u200d" or "\u0590" <= ch <= "\u08ff"))


def rtl_runs(text: str) -> list[str]:
    """The pieces of a message pdftotext must give as written: each run of
    right-to-left letters (with their marks and joiners), and each run of other
    letters and digits. Punctuation and spaces between runs are where pdftotext
    reorders by its own rules (a colon, a bracket, a quote mark), so they split."""
    runs: list[str] = []
    current, kind = "", None
    for ch in squash(text):
        this = "rtl" if _rtl_letter(ch) else ("other" if ch.isalnum() or unicodedata.category(ch).startswith("M") else None)
        if this != kind and current:
            runs.append(current)
            current = ""
        if this is not None:
            current += ch
        kind = this
    if current:
        runs.append(current)
    return runs


def first_missing(expected: list[str], text: str, by_runs: bool) -> str | None:
    """The first expected message not found, in order, in text; None when all are."""
    hay = squash(text)
    pos = 0
    for message in expected:
        pieces = rtl_runs(message) if by_runs else [squash(message)]
        if not any(unicodedata.bidirectional(c) in ("R", "AL") for c in message):
            pieces = [squash(message)]
        start = None
        for piece in pieces:
            at = hay.find(piece, pos if start is None else start)
            if at < 0:
                return message
            start = at if start is None else start
        pos = start if start is not None else pos
    return None
