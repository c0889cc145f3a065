"""The spoken script's writer (spoken.py) beyond the words: the block each cue is anchored to
(the talking EPUB highlights it as it is read), the language row's stop and kana reading,
Burmese clause breaks at their limit, and lexicon words in scripts without spaces. Expected
values are written here from the inputs."""

from __future__ import annotations

import datetime as dt

from handoutkit.languages import language
from handoutkit.model import Block, Labels, LocalizedHandout, Section, Text
from handoutkit.spoken import LONGEST_CLAUSE, Cue, SpeechSettings, apply_lexicon, script, spoken_form, voice_punctuation

from .test_spoken_notices import REVIEWED, UNREVIEWED, WITH_FLAG, WITHOUT_FLAG, handout
from .test_spoken_script import Site

NONE = SpeechSettings()


def anchors(s) -> list[tuple[str, list[str]]]:
    return [(c.id, [cue.anchor for cue in c.cues]) for c in s.chapters]


# --- anchors: the id of the block in the EPUB's handout.xhtml that shows each cue ----------------

def test_each_cue_is_anchored_to_the_block_that_shows_it() -> None:
    s = script(handout(source=UNREVIEWED, translation=UNREVIEWED, site=Site("Farmacia Sol", "555-12")), NONE)
    assert anchors(s) == [
        ("not-yet-translated", ["not-yet-translated", "not-yet-translated"]),  # in the language, then in English
        ("intro", ["draft-1", "draft-2", "draft-1-en", "draft-2-en", "title", "site", "contact"]),
        # the heading is block 0; the list (block 1) has two items, the second announced then read in English
        ("first", ["first-0", "first-1-1", "first-1-2", "first-1-2"]),
        ("signs", ["signs-0", "signs-0", "signs-1-1"]),  # an English heading: announced, then read
        ("contact", ["contact"]),
    ]
    assert [c.anchor for c in s.notice] == ["not-yet-translated", "not-yet-translated", "draft-1", "draft-2",
                                            "draft-1-en", "draft-2-en"]


def test_an_english_title_and_a_lone_draft_notice_keep_their_anchors() -> None:
    s = script(handout(labels=WITHOUT_FLAG, title=Text("Baclofen", "Baclofen", True), source=UNREVIEWED), NONE)
    assert anchors(s)[:2] == [("not-yet-translated", ["not-yet-translated"]),
                              ("intro", ["draft-1", "draft-1-en", "title", "title"])]


def test_blocks_and_items_are_numbered_from_one_in_each_section() -> None:
    sections = (Section("care", "normal", Text("Cuidado", "Care"), (
        Block("paragraph", (Text("Uno.", "One."),)),
        Block("list", (Text("Dos.", "Two."), Text("Tres.", "Three."), Text("Cuatro.", "Four."))),
        Block("paragraph", (Text("Cinco.", "Five."),)),
    )),)
    doc = LocalizedHandout("demo", "1", dt.date(2026, 1, 1), language("es"), Text("Baclofeno", "Baclofen"), sections,
                           WITH_FLAG, REVIEWED, REVIEWED)
    assert anchors(script(doc, NONE)) == [("intro", ["title"]),
                                          ("care", ["care-0", "care-1-1", "care-2-1", "care-2-2", "care-2-3", "care-3-1"])]


# --- the language's row: its full stop and its reading --------------------------------------------

def test_the_language_row_gives_the_stop_and_the_kana_reading_whatever_the_settings_say() -> None:
    labels = Labels({"This is the handout: {title}.": "これは{title}の説明書です。"})
    sections = (Section("first", "normal", Text("大切なこと", "The most important thing"),
                        (Block("paragraph", (Text("この紙", "This paper"),)),)),)
    doc = LocalizedHandout("demo", "1", dt.date(2026, 1, 1), language("ja"), Text("薬", "Medicine"), sections, labels,
                           REVIEWED, REVIEWED)
    s = script(doc, SpeechSettings(stop=".", reading=""))  # speech.toml's settings know neither
    assert [c.spoken for c in s.chapters[1].cues] == ["たいせつなこと。", "このかみ。"]
    assert s.chapters[1].cues[0] == Cue("大切なこと", "たいせつなこと。")  # the transcript shows the text as written


# --- Burmese: clauses broken at a space once they would pass LONGEST_CLAUSE characters ------------

A20, B19, B20 = "က" * 20, "ခ" * 19, "ခ" * 20  # one Burmese 'word' of each length


def test_a_burmese_clause_of_exactly_the_limit_is_left_whole() -> None:
    assert LONGEST_CLAUSE == 40
    assert voice_punctuation(f"{A20} {B19}", NONE) == f"{A20} {B19}"  # 20 + 1 + 19 = 40
    assert voice_punctuation("ကား စက်", NONE) == "ကား စက်"


def test_a_burmese_clause_one_over_the_limit_is_broken_at_the_space() -> None:
    assert voice_punctuation(f"{A20} {B20}", NONE) == f"{A20}, {B20}"  # 20 + 1 + 20 = 41
    three = " ".join(["ဂ" * 15] * 3)  # 15 + 1 + 15 = 31 fits; a third word would make 47
    assert voice_punctuation(three, NONE) == f"{'ဂ' * 15} {'ဂ' * 15}, {'ဂ' * 15}"


def test_a_burmese_clause_is_counted_from_its_own_start() -> None:
    # 31 characters and a comma, then 8 + 1 + 8: each clause is under the limit, so nothing is added
    first, second = "စ" * 30 + "၊", "ဆ" * 8 + " " + "ဇ" * 8
    assert voice_punctuation(f"{first} {second}", NONE) == f"{'စ' * 30}, {second}"


def test_a_burmese_line_break_or_tab_is_a_place_to_break_too() -> None:
    # a translation may hold a line break: the clause is still too long for espeak-ng, and is broken there
    assert voice_punctuation(f"{A20}\n{B20}", NONE) == f"{A20}, {B20}"
    assert spoken_form(Text(f"{A20}\t{B20}", "x"), SpeechSettings(stop="။"), []) == f"{A20}, {B20}."


# --- lexicon words in scripts written without spaces -----------------------------------------------

def test_a_lexicon_word_in_chinese_or_japanese_is_found_between_other_letters() -> None:
    assert apply_lexicon("薬を飲む", SpeechSettings(lexicon={"薬": "くすり"})) == "くすりを飲む"  # one kanji
    assert apply_lexicon("ポンプが止まる", SpeechSettings(lexicon={"ポンプ": "ぽんぷ"})) == "ぽんぷが止まる"  # katakana
    assert apply_lexicon("はいです", SpeechSettings(lexicon={"はい": "ええ"})) == "ええです"  # hiragana


def test_a_lexicon_word_of_a_character_without_a_unicode_name_is_a_whole_word() -> None:
    settings = SpeechSettings(lexicon={"\ue000": "the clinic's sign"})  # a private-use glyph: no name
    assert apply_lexicon("look for \ue000 outside", settings) == "look for the clinic's sign outside"


def test_a_label_override_keeps_its_last_letter() -> None:
    settings = SpeechSettings(overrides={"Not yet translated": ("Aún no traducido", "Sin traducir, vea el anexo X")},
                              path="speech.toml")
    s = script(handout(), settings)
    assert s.chapters[0].cues[0].spoken == "Sin traducir, vea el anexo X: 2."
