"""A talking EPUB 3: the handout as one reflowable document, with media overlays (SMIL) that
play the handout's own audio block by block, so a reading system highlights each block as it
is read. The timing is the audio's: each block's clip is taken from the WebVTT cues the audio
output wrote, matched to the blocks through the spoken script's anchors (spoken.py)."""

from __future__ import annotations

import html
import io
import re
import uuid
import zipfile
from dataclasses import dataclass
from pathlib import Path

from .errors import RenderError
from .model import LocalizedHandout
from .spoken import Script

ZIP_TIME = (2020, 1, 1, 0, 0, 0)  # fixed, so the same inputs give the same bytes
CUE = re.compile(r"^(\S+)\n(\d+:\d\d:\d\d\.\d{3}) --> (\d+:\d\d:\d\d\.\d{3})\n(.*)$", re.M)
ACTIVE = "-epub-media-overlay-active"
CONFORMS = "EPUB Accessibility 1.1 - WCAG 2.1 Level AA"


@dataclass(frozen=True)
class Clip:
    anchor: str  # the id of the block in handout.xhtml
    begin: str  # clock values, as the WebVTT has them
    end: str


def seconds(clock: str) -> float:
    h, m, s = clock.split(":")
    return int(h) * 3600 + int(m) * 60 + float(s)


def clock(value: float) -> str:
    ms = round(value * 1000)
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    return f"{h}:{m:02d}:{rest // 1000:02d}.{rest % 1000:03d}"


def _plain(vtt_text: str) -> str:
    return " ".join(html.unescape(re.sub(r"</?lang[^>]*>", "", vtt_text)).split())


def clips(spoken: Script, vtt: str, where: str) -> list[Clip]:
    """One clip per block, in reading order: the block's cues from the first one's start to the last
    one's end. A block said again later (the phone number at the end) keeps its first clip only.
    The WebVTT must be the one made from this script: a cue's text that differs is an error."""
    timed = [(m[2], m[3], m[4]) for m in CUE.finditer(vtt) if not m[1].startswith("chapter-")]
    said = [cue for chapter in spoken.chapters for cue in chapter.cues]
    if len(timed) != len(said) or any(_plain(t) != " ".join(c.text.split())
                                      for (_b, _e, t), c in zip(timed, said, strict=True)):
        raise RenderError("the audio's transcript does not match the text: make the audio again", where)
    out: list[Clip] = []
    seen: set[str] = set()
    for (begin, end, _text), cue in zip(timed, said, strict=True):
        if out and out[-1].anchor == cue.anchor:
            out[-1] = Clip(cue.anchor, out[-1].begin, end)
        elif cue.anchor not in seen:
            out.append(Clip(cue.anchor, begin, end))
            seen.add(cue.anchor)
    return out


def _smil(parts: list[Clip]) -> str:
    pars = "\n".join(
        f'<par id="par-{n}"><text src="handout.xhtml#{c.anchor}"/>'
        f'<audio src="audio.mp3" clipBegin="{c.begin}" clipEnd="{c.end}"/></par>'
        for n, c in enumerate(parts, start=1))
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<smil xmlns="http://www.w3.org/ns/SMIL" xmlns:epub="http://www.idpf.org/2007/ops" version="3.0">\n'
            '<body>\n<seq id="seq-1" epub:textref="handout.xhtml">\n' + pars + "\n</seq>\n</body>\n</smil>\n")


def _opf(doc: LocalizedHandout, duration: str | None, publisher: str) -> str:
    tag, e = doc.language.tag, html.escape
    ident = uuid.uuid5(uuid.NAMESPACE_URL, f"handoutkit:{doc.handout_id}:{tag}:{doc.version}:{doc.incomplete}")
    modes = ["textual", "auditory"] if duration else ["textual"]
    features = ["structuralNavigation", "tableOfContents", "readingOrder", "displayTransformability"]
    summary = ("The handout as reflowable text with headings and a table of contents"
               + (", read aloud in full with each block highlighted as it is read (synchronized audio)."
                  if duration else "; there is no audio for this language."))
    meta = [f'<meta property="schema:accessMode">{m}</meta>' for m in modes]
    meta += ['<meta property="schema:accessModeSufficient">textual</meta>']
    if duration:
        meta += ['<meta property="schema:accessModeSufficient">auditory</meta>',
                 '<meta property="schema:accessModeSufficient">textual,auditory</meta>',
                 '<meta property="schema:accessibilityFeature">synchronizedAudioText</meta>']
    meta += [f'<meta property="schema:accessibilityFeature">{f}</meta>' for f in features]
    meta += ['<meta property="schema:accessibilityHazard">none</meta>',
             f'<meta property="schema:accessibilitySummary">{e(summary)}</meta>',
             f'<meta property="dcterms:conformsTo">{CONFORMS}</meta>',
             '<meta property="a11y:certifiedBy">handoutkit (self-declared; not independently certified)</meta>']
    if duration:
        meta += [f'<meta property="media:duration" refines="#overlay">{duration}</meta>',
                 f'<meta property="media:duration">{duration}</meta>',
                 f'<meta property="media:active-class">{ACTIVE}</meta>']
    overlay = ' media-overlay="overlay"' if duration else ""
    items = ['<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>',
             f'<item id="handout" href="handout.xhtml" media-type="application/xhtml+xml"{overlay}/>',
             '<item id="css" href="handout.css" media-type="text/css"/>']
    if duration:
        items += ['<item id="overlay" href="handout.smil" media-type="application/smil+xml"/>',
                  '<item id="audio" href="audio.mp3" media-type="audio/mpeg"/>']
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="uid" xml:lang="{tag}"'
            f' dir="{doc.language.direction}">\n'
            '<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">\n'
            f'<dc:identifier id="uid">urn:uuid:{ident}</dc:identifier>\n'
            f'<dc:title>{e(doc.title.text.replace("**", ""))}</dc:title>\n'
            f'<dc:language>{tag}</dc:language>\n'
            f'<dc:publisher>{e(publisher)}</dc:publisher>\n'
            f'<meta property="dcterms:modified">{doc.date.isoformat()}T00:00:00Z</meta>\n'
            + "\n".join(meta) + "\n</metadata>\n<manifest>\n" + "\n".join(items) + "\n</manifest>\n"
            '<spine>\n<itemref idref="handout"/>\n<itemref idref="nav" linear="no"/>\n</spine>\n</package>\n')


CONTAINER = ('<?xml version="1.0" encoding="UTF-8"?>\n'
             '<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">\n'
             '<rootfiles><rootfile full-path="EPUB/package.opf" media-type="application/oebps-package+xml"/>'
             '</rootfiles>\n</container>\n')


def _zip(files: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as book:
        info = zipfile.ZipInfo("mimetype", ZIP_TIME)  # first and stored, as OCF requires
        book.writestr(info, b"application/epub+zip", compress_type=zipfile.ZIP_STORED)
        for name, data in files.items():
            info = zipfile.ZipInfo(name, ZIP_TIME)
            info.external_attr = 0o644 << 16
            stored = name.endswith(".mp3")  # already compressed
            book.writestr(info, data, compress_type=zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED)
    return buf.getvalue()


def build(templates_dir: Path, doc: LocalizedHandout, spoken: Script | None, mp3: bytes | None, vtt: str | None,
          where: str) -> bytes:
    """The EPUB's bytes: with media overlays when there is audio, else text only."""
    from .templates import environment, install_labels

    env = environment(templates_dir)
    install_labels(env, doc.labels)
    notices = []
    if not doc.source_review.is_current:
        notices.append(doc.labels.gettext("Draft: not yet checked by a clinician"))
    if not doc.language.is_source and not doc.translation_review.is_current:
        notices.append(doc.labels.gettext("Draft translation: not yet checked by a qualified medical translator"))
    values = dict(doc=doc, site=doc.site, notices=notices, untranslated_count=sum(1 for t in doc.texts() if t.untranslated),
                  latin_names=() if doc.language.script.startswith("latin") else doc.names)
    files = {
        "META-INF/container.xml": CONTAINER.encode(),
        "EPUB/handout.xhtml": env.get_template("epub/handout.xhtml").render(**values).encode("utf-8"),
        "EPUB/nav.xhtml": env.get_template("epub/nav.xhtml").render(**values).encode("utf-8"),
        "EPUB/handout.css": (templates_dir / "epub" / "handout.css").read_bytes(),
    }
    duration = None
    if spoken is not None and mp3 is not None and vtt is not None:
        parts = clips(spoken, vtt, where)
        duration = clock(sum(seconds(c.end) - seconds(c.begin) for c in parts))
        files["EPUB/handout.smil"] = _smil(parts).encode("utf-8")
        files["EPUB/audio.mp3"] = mp3
    publisher = doc.site.name if doc.site is not None else "handoutkit"
    files["EPUB/package.opf"] = _opf(doc, duration, publisher).encode("utf-8")
    return _zip(files)
