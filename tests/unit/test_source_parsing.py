"""Parsing the English source (source.py) on small texts written here: what becomes
a message, where it came from, and what is refused with which line."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from handoutkit.errors import SourceError
from handoutkit.source import Message, parse_handout, parse_handout_text, slugify

PATH = Path("handouts/demo/handout.md")
ID_RULE = "an id is lowercase letters and digits, in words joined by single hyphens (like baclofen-withdrawal)"
FRONT = '---\nid: demo\ntitle: "Demo"\nversion: "1.2"\ndate: 2026-01-01\nsources: ["a label"]\n---\n'


def parse(body: str, front: str = FRONT, path: Path = PATH):
    """A handout from front matter + body (the body starts on line 8)."""
    return parse_handout_text(front + body, path)


def refused(body: str, front: str = FRONT, path: Path = PATH) -> SourceError:
    with pytest.raises(SourceError) as err:
        parse(body, front, path)
    assert err.value.path == str(path)  # every refusal names the file
    return err.value


DEMO = """
# Demo

<!-- translators: keep it short -->
## First part

Line one
and line two.

- **Stop** now.
- Go {phone}.

::: emergency
## Help now

1. Call.
2. Wait.
:::

## Last part

End.
"""


def test_a_small_handout_reads_as_written() -> None:
    h = parse(DEMO)
    assert (h.id, h.version, h.date, h.sources, h.names, h.path) == ("demo", "1.2", dt.date(2026, 1, 1), ("a label",), (), PATH)
    assert h.title == Message("Demo", 9, "title", None)
    assert [(s.id, s.kind, s.heading.text) for s in h.sections] == [
        ("first-part", "normal", "First part"), ("help-now", "emergency", "Help now"), ("last-part", "normal", "Last part")]
    first = h.sections[0]
    assert first.heading == Message("First part", 12, "heading of section 1", "keep it short")
    assert [(b.kind, b.ordered, [m.text for m in b.items]) for b in first.blocks] == [
        ("paragraph", False, ["Line one and line two."]), ("list", False, ["**Stop** now.", "Go {phone}."])]
    assert first.blocks[0].items[0] == Message("Line one and line two.", 14, "section 'First part', paragraph 1", None)
    assert first.blocks[1].items[1] == Message("Go {phone}.", 18, "section 'First part', list item 2", None)
    assert first.blocks[1].items[1].placeholders == frozenset({"phone"})
    box = h.sections[1]
    assert box.heading.where == "heading of the emergency box"
    assert [(b.kind, b.ordered, [m.text for m in b.items]) for b in box.blocks] == [("list", True, ["Call.", "Wait."])]
    assert h.sections[2].heading.where == "heading of section 3"
    assert [m.text for m in h.messages()] == ["Demo", "First part", "Line one and line two.", "**Stop** now.",
                                              "Go {phone}.", "Help now", "Call.", "Wait.", "Last part", "End."]
    assert h.source_text == FRONT + DEMO


def test_a_note_goes_to_the_next_block_only() -> None:
    h = parse("\n# Demo\n\n## S\n\n<!-- translators: a  note\n  on two lines -->\nFirst.\n\nSecond.\n\n"
              "<!-- translators: for the list -->\n- a\n- b\n\nMid.\n\n- c\n")
    items = [(m.text, m.note) for m in h.messages()]
    assert items == [("Demo", None), ("S", None), ("First.", "a note on two lines"), ("Second.", None),
                     ("a", "for the list"), ("b", "for the list"), ("Mid.", None), ("c", None)]


def test_a_note_before_the_title_reaches_it() -> None:
    assert parse("\n<!-- translators: the name -->\n# Demo\n\n## S\n\nx.\n").title.note == "the name"


def test_names_and_placeholders() -> None:
    front = FRONT.replace("sources:", "names: [baclofen, Lioresal]\nsources:")
    h = parse("\n# Demo\n\n## S\n\nCall {phone} or {site_name}, not {Bad} or {2x}.\n", front)
    assert h.names == ("baclofen", "Lioresal")
    assert h.messages()[2].placeholders == frozenset({"phone", "site_name"})


def test_slugs_and_repeated_headings_get_unique_ids() -> None:
    assert slugify("Warning signs: get help!") == "warning-signs-get-help"
    assert slugify("¿Qué?") == "qu"
    assert slugify("!!!") == "section"
    h = parse("\n# Demo\n\n## Step\n\na.\n\n## Step\n\nb.\n\n## Step\n\nc.\n\n## ***\n\nd.\n")
    assert [s.id for s in h.sections] == ["step", "step-2", "step-3", "section"]


def test_text_after_a_callout_needs_a_heading() -> None:
    err = refused("\n# Demo\n\n::: emergency\n## Help\n\nx.\n:::\n\nLoose text.\n")
    assert (err.line, err.message) == (17, "text after a callout must start with a '##' heading")


def test_a_handout_may_end_with_a_callout() -> None:
    h = parse("\n# Demo\n\n## S\n\nx.\n\n::: emergency\n## Help\n\ny.\n:::\n")
    assert [(s.id, s.kind) for s in h.sections] == [("s", "normal"), ("help", "emergency")]


def test_a_section_after_a_callout_is_normal_again() -> None:
    h = parse("\n# Demo\n\n::: emergency\n## Help\n\nx.\n:::\n::: emergency\n## Again\n\ny.\n:::\n## After\n\nz.\n")
    assert [s.kind for s in h.sections] == ["emergency", "emergency", "normal"]


@pytest.mark.parametrize(("body", "line", "message"), [
    ("\n# Demo\n\n## S\n\nTake it *now*.\n", 13, "italics are not allowed ('*x*' or '_x_'; use **bold** for emphasis)"),
    ("\n# Demo\n\n## S\n\nTake it _now_.\n", 13, "italics are not allowed ('*x*' or '_x_'; use **bold** for emphasis)"),
    ("\n# Demo\n\n## S\n\nSee [this](http://x.org).\n", 13, "links are not allowed in a handout"),
    ("\n# Demo\n\n## S\n\n![x](y.png)\n", 13, "images are not allowed in the text of a handout"),
    ("\n# Demo\n\n## S\n\nA <b>tag</b>.\n", 13, "raw HTML is not allowed"),
    ("\n# Demo\n\n## S\n\nSee <http://x.org>.\n", 13, "links are not allowed in a handout"),  # an autolink
    ("\n# Demo\n\n## S\n\nA `code` span.\n", 13, "code spans ('`') are not allowed"),
    ("\n# Demo\n\n## S\n\nA hard  \nbreak.\n", 13,
     "hard line breaks (two spaces or '\\' at the end of a line) are not allowed"),
    ("\n# Demo\n\n## S\n\nA hard\\\nbreak.\n", 13,
     "hard line breaks (two spaces or '\\' at the end of a line) are not allowed"),
    ("\n# Demo\n\n## S\n\nA ~~strike~~.\n", 13, "strikethrough ('~~') is not allowed in a handout"),
    ("\n# Demo\n\n## S\n\nA \\*star\\*.\n", 13,
     "backslash escapes ('\\*') and character references ('&amp;') are not allowed: write the character itself"),
    ("\n# Demo\n\n## S\n\nSalt &amp; pepper.\n", 13,
     "backslash escapes ('\\*') and character references ('&amp;') are not allowed: write the character itself"),
    ("\n# Demo\n\n## S\n\n| a | b |\n|---|---|\n| 1 | 2 |\n", 13,
     "tables are not allowed in a handout (write a list instead)"),
    ("\n# Demo\n\n## S\n\nx.\n\n[ref]: http://x.org\n", 15,
     "link reference definitions ('[name]: url') are not allowed in a handout"),
    ("\n# Demo\n\n## S\n\n::: warning\nx.\n:::\n", 13,
     "'::: warning' is not a box handoutkit draws (the only one is '::: emergency' ... ':::', around a '##' section)"),
    ("\n# Demo\n\n## S\n\n<div>x</div>\n", 13,
     "raw HTML is not allowed (a note to translators is '<!-- translators: ... -->')"),
    ("\n# Demo\n\n## S\n\n<!-- translator: typo -->\nx.\n", 13,
     "raw HTML is not allowed (a note to translators is '<!-- translators: ... -->')"),
    ("\n# Demo\n\n## S\n\n### Deep\n", 13, "'###' headings are not allowed; use '##' for sections"),
    ("\n# Demo\n\n## S\n\n- a\n  - b\n", 14, "lists inside lists are not allowed"),
    ("\n# Demo\n\n## S\n\n- a\n\nx.\n\n- b\n  - c\n", 18, "lists inside lists are not allowed"),  # after a first list
    ("\n# Demo\n\n## Take *care*\n", 11, "italics are not allowed ('*x*' or '_x_'; use **bold** for emphasis)"),
    ("\n# Demo\n\n::: emergency\n## Help\n\nx.\n:::\n<!-- translators: late -->\n", 16,
     "text after a callout must start with a '##' heading"),
    ("\n# Demo\n\n## S\n\n- a\n\n  more\n", 15, "a list item must be a single paragraph"),
    ("\n# Demo\n\n## S\n\n> quoted\n", 13, "block quotes ('>') are not allowed in a handout"),
    ("\n# Demo\n\n## S\n\n    code\n", 13, "code blocks (lines indented by 4 spaces) are not allowed in a handout"),
    ("\n# Demo\n\n## S\n\n```\ncode\n```\n", 13, "code blocks are not allowed in a handout"),
    ("\n# Demo\n\n## S\n\nx.\n\n***\n", 15,
     "horizontal rules ('---', '***') are not allowed in a handout; a '##' heading starts a new part"),
    ("\n# Demo\n\n## S\n\nMore\n---\n", 13,
     "underlined headings (a line of '===' or '---' under text) are not allowed; write '# Title' or '## Section'"),
    ("\nDemo\n====\n\n## S\n\nx.\n", 9,
     "underlined headings (a line of '===' or '---' under text) are not allowed; write '# Title' or '## Section'"),
    ("\n# Demo\n\nBefore any section.\n", 11, "text must come after a '##' section heading"),
    ("\n# Demo\n\n## S\n\nx.\n\n# Again\n", 15, "only one '#' title, at the top, is allowed"),
    ("\n## S\n\nx.\n\n# Demo\n", 13, "only one '#' title, at the top, is allowed"),
    ("\n# Demo\n\n# Demo\n\n## S\n\nx.\n", 11, "only one '#' title, at the top, is allowed"),
    ("\n# Demo\n\n::: emergency\n### Deep\n:::\n", 11, "a '::: emergency' callout must start with a '##' heading"),
    ("\n# Other\n\n## S\n", 9, "the '#' title differs from the front matter 'title'"),
    ("\n# Demo\n\n::: emergency\nText first.\n:::\n", 11, "a '::: emergency' callout must start with a '##' heading"),
    ("\n# Demo\n\n::: emergency\n", 11, "a '::: emergency' callout must start with a '##' heading"),
    ("\n# Demo\n\n::: emergency\n## A\n\n::: emergency\n## B\n:::\n:::\n", 14, "callouts cannot be nested"),
    ("\n## S\n\nx.\n", 1, "missing the '#' title line"),
    ("\n# Demo\n", 1, "a handout needs at least one '##' section"),
])
def test_what_is_refused_and_where(body: str, line: int, message: str) -> None:
    err = refused(body)
    assert (err.line, err.message) == (line, message)
    assert str(err) == f"{PATH}:{line}: {message}"


@pytest.mark.parametrize(("front", "line", "message"), [
    ("# Demo\n", 1, "missing front matter (a block between '---' lines at the top)"),
    ("---\nid: demo\ntitle: [unclosed\n---\n", 3,  # the line of the unclosed '['
     "front matter is not valid YAML (expected ',' or ']', but got '<stream end>')"),  # PyYAML's words
    ("---\n- a\n- b\n---\n", 1, "front matter must be a set of 'key: value' lines"),
    ("---\nid: demo\ntitle: Demo\n---\n", 1, "front matter lacks 'version'"),
    ("---\nid: demo\ntitle: Demo\nversion: ''\ndate: 2026-01-01\nsources: [x]\n---\n", 1, "front matter lacks 'version'"),
    ("---\nid: demo\ntitle: Demo\nversion: 1\ndate: 2026-01-01\nsources: []\n---\n", 1, "front matter lacks 'sources'"),
    ("---\nid: demo\ntitle: Demo\nversion: 1\ndate: 2026-01-01\n---\n", 1, "front matter lacks 'sources'"),
    ("---\nid: demo\nversion: 1\ndate: 2026-01-01\nsources: [x]\n---\n", 1, "front matter lacks 'title'"),
    ("---\ntitle: Demo\nversion: 1\ndate: 2026-01-01\nsources: [x]\n---\n", 1, "front matter lacks 'id'"),
    ("---\nid: demo\ntitle: Demo\nversion: 1\nsources: [x]\n---\n", 1, "front matter lacks 'date'"),
    ("---\nid: demo\ntitle: Demo\nversion: 1\ndate: soon\nsources: [x]\n---\n", 1,
     "front matter 'date' must be a date like 2026-11-26"),
    ("---\nid: demo\ntitle: Demo\nversion: 1\ndate: 2026-01-01 10:00:00\nsources: [x]\n---\n", 1,
     "front matter 'date' must be a date like 2026-11-26"),
    ("---\nid: demo\ntitle: Demo\nversion: 1\ndate: 2026-01-01\nsources: a label\n---\n", 1,
     "front matter 'sources' must be a list of text lines"),
    ("---\nid: demo\ntitle: Demo\nversion: 1\ndate: 2026-01-01\nsources: [1]\n---\n", 1,
     "front matter 'sources' must be a list of text lines"),
    ("---\nid: demo\ntitle: Demo\nversion: 1\ndate: 2026-01-01\nsources: [x]\nnames: baclofen\n---\n", 1,
     "front matter 'names' must be a list of words"),
    ("---\nid: demo\ntitle: Demo\nversion: 1\ndate: 2026-01-01\nsources: [x]\nnames: [1]\n---\n", 1,
     "front matter 'names' must be a list of words"),
    ("---\nid: demo\ntitle: Demo\nversion: 1\ndate: 2026-01-01\nsources: [x]\ncolour: red\n---\n", 1,
     "unknown front matter key 'colour'"),
    ("---\nid: demo\ntitle: Demo\nversion: 1\ndate: 2026-01-01\nsources: [x]\n---\n", 4,  # the version's line
     "front matter 'version' must be text: quote it, as in version: \"1\" (unquoted, YAML reads 1 as the number 1)"),
    ("---\nid: demo\ntitle: Demo\nversion: 1.10\ndate: 2026-01-01\nsources: [x]\n---\n", 4,
     "front matter 'version' must be text: quote it, as in version: \"1.10\" (unquoted, YAML reads 1.10 as the number 1.1)"),
    ("---\nid: demo\ndate: 2026-01-01\ntitle: Demo\nsources: [x]\nversion: 2  # a comment\n---\n", 6,
     "front matter 'version' must be text: quote it, as in version: \"2\" (unquoted, YAML reads 2 as the number 2)"),
    ("---\nid: ../etc\ntitle: Demo\nversion: '1'\ndate: 2026-01-01\nsources: [x]\n---\n", 2,  # the id's line
     f"'../etc' is not a handout id: {ID_RULE}"),
    ("---\nid: Demo\ntitle: Demo\nversion: '1'\ndate: 2026-01-01\nsources: [x]\n---\n", 2,
     f"'Demo' is not a handout id: {ID_RULE}"),
    ("---\nid: demo-\ntitle: Demo\nversion: '1'\ndate: 2026-01-01\nsources: [x]\n---\n", 2,
     f"'demo-' is not a handout id: {ID_RULE}"),
    ("---\nid: demo--two\ntitle: Demo\nversion: '1'\ndate: 2026-01-01\nsources: [x]\n---\n", 2,
     f"'demo--two' is not a handout id: {ID_RULE}"),
    ("---\ntitle: Demo\nversion: '1'\nid: demo_two\ndate: 2026-01-01\nsources: [x]\n---\n", 4,
     f"'demo_two' is not a handout id: {ID_RULE}"),
    ("---\nid: other\ntitle: Demo\nversion: '1'\ndate: 2026-01-01\nsources: [x]\n---\n", 1,
     "handout id 'other' does not match its folder 'demo'"),
])
def test_bad_front_matter_is_refused_with_its_line(front: str, line: int, message: str) -> None:
    err = refused("\n# Demo\n\n## S\n\nx.\n", front)
    assert (err.line, err.message) == (line, message)


def test_yaml_without_a_mark_is_refused_on_line_one(monkeypatch: pytest.MonkeyPatch) -> None:
    import yaml

    def broken(text: str) -> object:
        raise yaml.YAMLError("no mark")

    monkeypatch.setattr(yaml, "safe_load", broken)
    err = refused("\n# Demo\n\n## S\n\nx.\n")
    assert (err.line, err.message) == (1, "front matter is not valid YAML (no mark)")


def test_the_folder_rule_holds_only_for_handout_md() -> None:
    h = parse("\n# Demo\n\n## S\n\nx.\n", path=Path("elsewhere/draft.md"))
    assert h.id == "demo"
    assert parse("\n# Demo\n\n## S\n\nx.\n", path=Path("demo/handout.md")).id == "demo"


def test_numbers_and_ids_in_front_matter_are_read_as_text() -> None:
    # a number as the title is its text; the version must be quoted (an unquoted one is refused, above)
    front = "---\nid: demo\ntitle: 2026\nversion: \"2.10\"\ndate: 2026-01-01\nsources: [x]\n---\n"
    h = parse("\n# 2026\n\n## S\n\nx.\n", front)
    assert (h.version, h.title.text) == ("2.10", "2026")


def test_a_file_is_read_as_utf8_with_bom_and_windows_lines(tmp_path: Path) -> None:
    folder = tmp_path / "demo"
    folder.mkdir()
    path = folder / "handout.md"
    path.write_bytes(b"\xef\xbb\xbf" + (FRONT + "\n# Demo\n\n## S\n\nCaf\xc3\xa9.\n").replace("\n", "\r\n").encode("latin-1"))
    h = parse_handout(path)
    assert [m.text for m in h.messages()] == ["Demo", "S", "Café."]
    assert "\r" not in h.source_text


def test_a_missing_or_non_utf8_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(SourceError) as err:
        parse_handout(tmp_path / "demo" / "handout.md")
    assert (err.value.message, err.value.path) == ("no such handout file", str(tmp_path / "demo" / "handout.md"))
    (tmp_path / "demo").mkdir()
    (tmp_path / "demo" / "handout.md").write_bytes(FRONT.encode() + b"\n# Demo\n\n## S\n\nCaf\xe9.\n")
    with pytest.raises(SourceError) as err:
        parse_handout(tmp_path / "demo" / "handout.md")
    assert err.value.message == f"not UTF-8 text (invalid continuation byte at byte {len(FRONT) + 18})"
    assert err.value.path == str(tmp_path / "demo" / "handout.md")


def test_a_source_over_the_size_limit_is_refused_before_it_is_read(tmp_path: Path) -> None:
    (tmp_path / "demo").mkdir()
    path = tmp_path / "demo" / "handout.md"
    with path.open("wb") as fh:
        fh.truncate(100 * 1024)  # 100 KiB (a sparse file: its size is what is checked)
    with pytest.raises(SourceError) as err:
        parse_handout(path)
    assert (err.value.message, err.value.path, err.value.line) == (
        "the handout is 100 KiB; the limit is 64 KiB (see Limits in the README)", str(path), None)


def test_safety_messages_are_the_bold_ones_and_all_of_an_emergency_box() -> None:
    h = parse("\n# Demo\n\n## Care\n\nPlain.\n\n- **Never** stop.\n- Rest.\n\n::: emergency\n## Help now\n\n"
              "1. Call.\n2. Wait.\n:::\n\n## After\n\nAlso **this**.\n")
    assert h.safety_messages() == frozenset({("**Never** stop.", None), ("Help now", None), ("Call.", None),
                                             ("Wait.", None), ("Also **this**.", None)})
    assert parse("\n# Demo\n\n## Care\n\nPlain.\n").safety_messages() == frozenset()


def test_a_table_of_a_header_and_its_rule_alone_is_refused() -> None:
    err = refused("\n# Demo\n\n## S\n\n| a | b |\n|---|---|\n")
    assert (err.line, err.message) == (13, "tables are not allowed in a handout (write a list instead)")


def test_a_bad_id_in_a_one_line_front_matter_is_refused_on_the_front_matters_first_line() -> None:
    # no 'id:' line to point at (the keys are written as one YAML mapping): the front matter's start
    front = "---\n{id: Demo, title: Demo, version: '1', date: 2026-01-01, sources: [x]}\n---\n"
    err = refused("\n# Demo\n\n## S\n\nx.\n", front)
    assert (err.line, err.message) == (1, f"'Demo' is not a handout id: {ID_RULE}")


def test_an_unquoted_version_in_a_one_line_front_matter_is_shown_as_yaml_read_it() -> None:
    # no 'version:' line to quote from: the advice shows the number YAML read (it used to show nothing)
    front = "---\n{id: demo, title: Demo, version: 2, date: 2026-01-01, sources: [x]}\n---\n"
    err = refused("\n# Demo\n\n## S\n\nx.\n", front)
    assert (err.line, err.message) == (1, "front matter 'version' must be text: quote it, as in version: \"2\""
                                          " (unquoted, YAML reads 2 as the number 2)")
