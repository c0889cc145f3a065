"""Parse an English source handout (front matter + Markdown) into a Handout.

The Markdown subset is small on purpose, so that every part can be translated
and drawn large and plain (the README lists it; everything else is refused by
name, with its line):

- one ``#`` heading: the title (must match the front matter ``title``);
- ``##`` headings start sections;
- paragraphs (lines joined) and flat bullet or numbered lists, one paragraph per item;
- ``**bold**`` is the only inline markup;
- ``::: emergency`` ... ``:::`` wraps the section(s) drawn in a heavy box;
- ``<!-- translators: ... -->`` right before a block is a note to translators.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.container import container_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

from .errors import SourceError
from .limits import SOURCE_BYTES, too_large

CALLOUTS = ("emergency",)
NOTE_RE = re.compile(r"\A<!--\s*translators:\s*(?P<note>.*?)\s*-->\s*\Z", re.S)
ID_RE = re.compile(r"\A[a-z0-9]+(?:-[a-z0-9]+)*\Z")
ID_RULE = "an id is lowercase letters and digits, in words joined by single hyphens (like baclofen-withdrawal)"
PLACEHOLDER_RE = re.compile(r"\{([a-z_][a-z0-9_]*)\}")
REQUIRED_KEYS = ("id", "title", "version", "date", "sources")
OPTIONAL_KEYS = ("names",)


@dataclass(frozen=True)
class Message:
    """One unit of translation: a heading, a paragraph or a list item."""

    text: str
    line: int
    where: str
    note: str | None = None
    context: str | None = None

    @property
    def placeholders(self) -> frozenset[str]:
        return frozenset(PLACEHOLDER_RE.findall(self.text))


@dataclass(frozen=True)
class Block:
    kind: str  # "paragraph" or "list"
    items: tuple[Message, ...]
    ordered: bool = False


@dataclass(frozen=True)
class Section:
    id: str
    kind: str  # "normal" or one of CALLOUTS
    heading: Message
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Handout:
    id: str
    path: Path
    title: Message
    version: str
    date: dt.date
    sources: tuple[str, ...]
    names: tuple[str, ...]
    sections: tuple[Section, ...]
    source_text: str = field(repr=False, default="")

    def messages(self) -> list[Message]:
        """Every message in reading order, title first."""
        found = [self.title]
        for section in self.sections:
            found.append(section.heading)
            for block in section.blocks:
                found.extend(block.items)
        return found

    def safety_messages(self) -> frozenset[tuple[str, str | None]]:
        """(text, context) of every safety message: bold, or in an emergency box."""
        found = {(m.text, m.context) for m in self.messages() if "**" in m.text}
        for section in self.sections:
            if section.kind in CALLOUTS:
                found.add((section.heading.text, section.heading.context))
                found.update((m.text, m.context) for block in section.blocks for m in block.items)
        return frozenset(found)


def _markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark").use(front_matter_plugin)
    for name in CALLOUTS:
        md.use(container_plugin, name)
    return md


def slugify(text: str) -> str:
    words = re.findall(r"[a-z0-9]+", text.lower())
    return "-".join(words) or "section"


# Block constructs of CommonMark a handout does not use, by the name the writer knows them by.
REFUSED_BLOCKS = {
    "blockquote": "block quotes ('>') are not allowed in a handout",
    "fence": "code blocks are not allowed in a handout",
    "code_block": "code blocks (lines indented by 4 spaces) are not allowed in a handout",
    "hr": "horizontal rules ('---', '***') are not allowed in a handout; a '##' heading starts a new part",
}
ESCAPE_RE = re.compile(r"\\[!-/:-@\[-`{-~]|&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")
TABLE_RULE_RE = re.compile(r"\A\s*\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)+\|?\s*\Z")


def id_problem(value: object) -> str | None:
    """Why value is not a handout id (the rule, said once), or None."""
    if isinstance(value, str) and ID_RE.match(value):
        return None
    return f"'{value}' is not a handout id: {ID_RULE}"


def _flat_text(token: Token, path: Path) -> str:
    """The msgid of an inline token: Markdown source with only ``**bold**`` allowed."""
    line = token.map[0] + 1 if token.map else None
    lines = token.content.splitlines()
    if token.content.lstrip().startswith(":::"):
        raise SourceError(f"'{lines[0].strip()}' is not a box handoutkit draws (the only one is"
                          " '::: emergency' ... ':::', around a '##' section)", path, line)
    if any(TABLE_RULE_RE.match(part) for part in lines[1:]):  # a rule under a first line
        raise SourceError("tables are not allowed in a handout (write a list instead)", path, line)
    if "~~" in token.content:
        raise SourceError("strikethrough ('~~') is not allowed in a handout", path, line)
    if ESCAPE_RE.search(token.content):
        raise SourceError("backslash escapes ('\\*') and character references ('&amp;') are not allowed:"
                          " write the character itself", path, line)
    for child in token.children or []:
        if child.type in ("text", "strong_open", "strong_close", "softbreak"):
            continue
        what = {
            "em_open": "italics are not allowed ('*x*' or '_x_'; use **bold** for emphasis)",
            "link_open": "links are not allowed in a handout",
            "image": "images are not allowed in the text of a handout",
            "html_inline": "raw HTML is not allowed",
            "code_inline": "code spans ('`') are not allowed",
            "hardbreak": "hard line breaks (two spaces or '\\' at the end of a line) are not allowed",
        }.get(child.type, f"unsupported Markdown ({child.type})")
        raise SourceError(what, path, line)
    return " ".join(part.strip() for part in token.content.splitlines()).strip()


def _front_matter(raw: str, path: Path) -> dict:
    try:
        data = yaml.safe_load(raw)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark else 1
        raise SourceError(f"front matter is not valid YAML ({getattr(exc, 'problem', exc)})", path, line) from None
    if not isinstance(data, dict):
        raise SourceError("front matter must be a set of 'key: value' lines", path, 1)
    for key in data:
        if key not in REQUIRED_KEYS + OPTIONAL_KEYS:
            raise SourceError(f"unknown front matter key '{key}'", path, 1)
    for key in REQUIRED_KEYS:
        if data.get(key) in (None, "", []):
            raise SourceError(f"front matter lacks '{key}'", path, 1)
    if not isinstance(data["date"], dt.date) or isinstance(data["date"], dt.datetime):
        raise SourceError("front matter 'date' must be a date like 2026-11-26", path, 1)
    if not isinstance(data["sources"], list) or not all(isinstance(s, str) for s in data["sources"]):
        raise SourceError("front matter 'sources' must be a list of text lines", path, 1)
    names = data.get("names", [])
    if not isinstance(names, list) or not all(isinstance(s, str) for s in names):
        raise SourceError("front matter 'names' must be a list of words", path, 1)
    if not isinstance(data["version"], str):  # version: 1.10 is read by YAML as the number 1.1
        line, written = _key_line(raw, "version")
        written = written or str(data["version"])  # no 'version:' line (one-line front matter): as YAML read it
        raise SourceError(f"front matter 'version' must be text: quote it, as in version: \"{written}\""
                          f" (unquoted, YAML reads {written} as the number {data['version']!r})", path, line)
    return data


def _key_line(raw: str, key: str) -> tuple[int, str]:
    """(line in handout.md, value as written) of a top-level front matter key."""
    for number, text in enumerate(raw.splitlines(), start=2):  # line 1 is the opening '---'
        match = re.match(rf"{re.escape(key)}\s*:\s*(.*?)\s*(?:#.*)?$", text)
        if match:
            return number, match[1]
    return 1, ""


def parse_handout(path: Path) -> Handout:
    """Read ``handouts/<id>/handout.md``; raise SourceError naming file and line.
    A source over the size limit is refused before it is read."""
    why = too_large(path, SOURCE_BYTES, "the handout")
    if why:
        raise SourceError(why, path)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise SourceError("no such handout file", path) from None
    except UnicodeDecodeError as exc:
        raise SourceError(f"not UTF-8 text ({exc.reason} at byte {exc.start})", path) from None
    text = text.replace("\r\n", "\n")
    return parse_handout_text(text, path)


def parse_handout_text(text: str, path: Path) -> Handout:
    env: dict = {}
    tokens = _markdown().parse(text, env)
    if not tokens or tokens[0].type != "front_matter":
        raise SourceError("missing front matter (a block between '---' lines at the top)", path, 1)
    meta = _front_matter(tokens[0].content, path)
    handout_id = str(meta["id"])
    if why := id_problem(handout_id):
        raise SourceError(why, path, _key_line(tokens[0].content, "id")[0])
    if path.parent.name != handout_id and path.name == "handout.md":
        raise SourceError(f"handout id '{handout_id}' does not match its folder '{path.parent.name}'", path, 1)
    for reference in (env.get("references") or {}).values():  # '[x]: url' lines: dropped silently otherwise
        line = reference["map"][0] + 1 if reference.get("map") else None
        raise SourceError("link reference definitions ('[name]: url') are not allowed in a handout", path, line)
    reader = _Reader(tokens, path, str(meta["title"]).strip())
    reader.read()
    if reader.title is None:
        raise SourceError("missing the '#' title line", path, 1)
    if not reader.sections:
        raise SourceError("a handout needs at least one '##' section", path, 1)
    return Handout(
        id=handout_id,
        path=path,
        title=reader.title,
        version=str(meta["version"]),
        date=meta["date"],
        sources=tuple(meta["sources"]),
        names=tuple(meta.get("names", [])),
        sections=tuple(reader.sections),
        source_text=text,
    )


@dataclass
class _Reader:
    """Reading a handout's Markdown tokens into sections, one step per kind of token; each
    step takes the token's index and line and returns the index of the next token to read."""

    tokens: list[Token]
    path: Path
    front_title: str
    title: Message | None = None
    sections: list[Section] = field(default_factory=list)
    heading: Message | None = None
    section_kind: str = "normal"
    blocks: list[Block] = field(default_factory=list)
    callout: str | None = None
    note: str | None = None
    list_items: list[Message] | None = None
    list_ordered: bool = False
    depth: int = 0
    seen_ids: set[str] = field(default_factory=set)

    def read(self) -> None:
        i = 1
        while i < len(self.tokens):
            tok = self.tokens[i]
            i = self._step(tok.type)(i, tok.map[0] + 1 if tok.map else None)
        self.close_section()

    def _step(self, kind: str) -> Callable[[int, int | None], int]:
        if kind == "heading_open":
            return self.heading_
        if kind == "html_block":
            return self.html
        if kind.startswith("container_") and kind.endswith("_open"):
            return self.box_open
        if kind.startswith("container_") and kind.endswith("_close"):
            return self.box_close
        if kind in ("bullet_list_open", "ordered_list_open"):
            return self.list_open
        if kind in ("bullet_list_close", "ordered_list_close"):
            return self.list_close
        if kind in ("list_item_open", "list_item_close", "paragraph_close"):
            return lambda i, line: i + 1
        if kind == "paragraph_open":
            return self.paragraph
        return self.refused

    def close_section(self) -> None:
        if self.heading is not None:
            base = slugify(self.heading.text)
            sid, n = base, 2
            while sid in self.seen_ids:
                sid, n = f"{base}-{n}", n + 1
            self.seen_ids.add(sid)
            self.sections.append(Section(sid, self.section_kind, self.heading, tuple(self.blocks)))
        self.heading, self.blocks = None, []

    def heading_(self, i: int, line: int | None) -> int:
        tok, path = self.tokens[i], self.path
        msg_text = _flat_text(self.tokens[i + 1], path)
        if tok.markup in ("=", "-"):
            raise SourceError("underlined headings (a line of '===' or '---' under text) are not allowed;"
                              " write '# Title' or '## Section'", path, line)
        if tok.tag == "h1":
            if self.title is not None or self.sections or self.heading is not None:
                raise SourceError("only one '#' title, at the top, is allowed", path, line)
            if msg_text != self.front_title:
                raise SourceError("the '#' title differs from the front matter 'title'", path, line)
            self.title = Message(msg_text, line, "title", self.note)
        elif tok.tag == "h2":
            self.close_section()
            self.section_kind = self.callout or "normal"
            where = "heading of the emergency box" if self.callout else f"heading of section {len(self.sections) + 1}"
            self.heading = Message(msg_text, line, where, self.note)
        else:
            raise SourceError(f"'{tok.markup}' headings are not allowed; use '##' for sections", path, line)
        self.note = None
        return i + 3

    def html(self, i: int, line: int | None) -> int:
        match = NOTE_RE.match(self.tokens[i].content.strip())
        if not match:
            raise SourceError("raw HTML is not allowed (a note to translators is '<!-- translators: ... -->')",
                              self.path, line)
        self.note = " ".join(match["note"].split())
        return i + 1

    def box_open(self, i: int, line: int | None) -> int:
        if self.callout:
            raise SourceError("callouts cannot be nested", self.path, line)
        self.callout = self.tokens[i].type[len("container_"):-len("_open")]
        self.close_section()
        nxt = self.tokens[i + 1] if i + 1 < len(self.tokens) else None
        if nxt is None or nxt.type != "heading_open" or nxt.tag != "h2":
            raise SourceError(f"a '::: {self.callout}' callout must start with a '##' heading", self.path, line)
        return i + 1

    def box_close(self, i: int, line: int | None) -> int:
        self.close_section()
        self.callout = None  # the next section's kind is set by its '##' heading
        nxt = self.tokens[i + 1] if i + 1 < len(self.tokens) else None
        if nxt is not None and not (nxt.type == "heading_open" or nxt.type.startswith("container_")):
            nline = nxt.map[0] + 1 if nxt.map else line
            raise SourceError("text after a callout must start with a '##' heading", self.path, nline)
        return i + 1

    def list_open(self, i: int, line: int | None) -> int:
        self.depth += 1
        if self.depth > 1:
            raise SourceError("lists inside lists are not allowed", self.path, line)
        self.list_items, self.list_ordered = [], self.tokens[i].type == "ordered_list_open"
        return i + 1

    def list_close(self, i: int, line: int | None) -> int:
        self.depth -= 1
        self.blocks.append(Block("list", tuple(self.list_items or ()), self.list_ordered))
        self.list_items = None
        self.note = None
        return i + 1

    def paragraph(self, i: int, line: int | None) -> int:
        msg_text = _flat_text(self.tokens[i + 1], self.path)
        if self.heading is None:
            raise SourceError("text must come after a '##' section heading", self.path, line)
        if self.list_items is not None:
            if self.tokens[i - 1].type != "list_item_open":
                raise SourceError("a list item must be a single paragraph", self.path, line)
            where = f"section '{self.heading.text}', list item {len(self.list_items) + 1}"
            self.list_items.append(Message(msg_text, line, where, self.note))
        else:
            where = f"section '{self.heading.text}', paragraph {len(self.blocks) + 1}"
            self.blocks.append(Block("paragraph", (Message(msg_text, line, where, self.note),)))
            self.note = None
        return i + 3

    def refused(self, i: int, line: int | None) -> int:
        kind = self.tokens[i].type.removesuffix("_open")
        raise SourceError(REFUSED_BLOCKS.get(kind, f"unsupported Markdown ({kind})"), self.path, line)
