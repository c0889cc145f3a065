"""Spoken-script preparation (spoken.py): what the voice is given for each text, and the
order of the spoken handout. Expected words are written here from the inputs."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pytest

from handoutkit.errors import SourceError
from handoutkit.languages import language
from handoutkit.model import Block, Labels, LocalizedHandout, Review, Section, Text
from handoutkit.spoken import (
    PRE_PROCESSORS,
    Chapter,
    Cue,
    Script,
    SpeechSettings,
    apply_lexicon,
    end_with_stop,
    read_as,
    read_speech_settings,
    script,
    spoken_form,
    strip_markup,
    tidy_space,
    voice_punctuation,
)

NONE = SpeechSettings()


# --- the pre-processors, each alone ---------------------------------------------------------------

def test_markup_is_not_spoken() -> None:
    assert strip_markup("**Never** stop **now**.", NONE) == "Never stop now."
    assert strip_markup("2 * 3", NONE) == "2 * 3"


def test_the_lexicon_replaces_whole_words_longest_first() -> None:
    settings = SpeechSettings(lexicon={"MS": "em es", "MSc": "master", "mg": "milligrams"})
    assert apply_lexicon("MS and MSc, 5 mg.", settings) == "em es and master, 5 milligrams."
    assert apply_lexicon("MSS, xMS, mgs", settings) == "MSS, xMS, mgs"  # inside other words: left alone
    assert apply_lexicon("(MS)", settings) == "(em es)"
    assert apply_lexicon("MS", settings) == "em es"


def test_a_lexicon_word_also_matches_with_a_capital_first_letter() -> None:
    settings = SpeechSettings(lexicon={"baclofen": "baklofèn", "ext.": "ekstansyon"})
    assert apply_lexicon("Baclofen, baclofen. Ext. 12", settings) == "Baklofèn, baklofèn. Ekstansyon 12"
    assert apply_lexicon("BACLOFEN, bAclofen", settings) == "BACLOFEN, bAclofen"  # other capitals: left alone


def test_a_longer_entry_wins_whatever_the_alphabet_says() -> None:
    settings = SpeechSettings(lexicon={"pump": "P", "pump alarm": "the alarm"})
    assert apply_lexicon("the pump alarm, the pump", settings) == "the the alarm, the P"


def test_the_lexicon_takes_words_literally() -> None:
    settings = SpeechSettings(lexicon={"a.m.": "in the morning", "i.v.": "into a vein"})
    assert apply_lexicon("At 8 a.m. by i.v.", settings) == "At 8 in the morning by into a vein"
    assert apply_lexicon("At 8 axmx", settings) == "At 8 axmx"
    assert apply_lexicon("nothing", NONE) == "nothing"


def test_a_longer_entry_wins_over_the_shorter_one_inside_it() -> None:
    settings = SpeechSettings(lexicon={"pump": "PUMP", "baclofen pump": "the device"})
    assert apply_lexicon("a baclofen pump, a pump", settings) == "a the device, a PUMP"
    settings = SpeechSettings(lexicon={"baclofen pump": "the device", "pump": "PUMP"})
    assert apply_lexicon("a baclofen pump, a pump", settings) == "a the device, a PUMP"


def test_what_an_entry_says_is_not_rewritten_by_another_entry() -> None:
    settings = SpeechSettings(lexicon={"baclofen pump": "baclofen infusion pump", "baclofen": "bak-lo-fen",
                                       "pump": "PUMP", "fen": "FEN"})
    assert apply_lexicon("A baclofen pump; baclofen, the pump, fen.", settings) == \
        "A baclofen infusion pump; bak-lo-fen, the PUMP, FEN."
    settings = SpeechSettings(lexicon={"baclofen": "Baclofen baclofen", "Baclofen baclofen": "twice"})
    assert apply_lexicon("Baclofen.", settings) == "Baclofen baclofen."  # nor by the form with a capital


def test_where_entries_overlap_the_first_in_the_text_wins_then_the_longer() -> None:
    settings = SpeechSettings(lexicon={"baclofen pump": "the device", "pump alarm": "the alarm", "baclofen": "B"})
    assert apply_lexicon("baclofen pump alarm", settings) == "the device alarm"


@pytest.mark.parametrize(("text", "said"), [
    ("Warning signs", "Warning signs."), ("Stop.", "Stop."), ("Stop!", "Stop!"), ("Why?", "Why?"),
    ("停止。", "停止。"), ("停止！", "停止！"), ("为什么？", "为什么？"), ("لماذا؟", "لماذا؟"), ("रुकें।", "रुकें।"),
    ("These signs:", "These signs:"), ("Call MAX", "Call MAX."), ("Call 911", "Call 911."),
    ("这些：", "这些："), ("  Padded  ", "Padded."), ("", ""), ("   ", ""),
])
def test_every_fragment_ends_with_a_stop(text: str, said: str) -> None:
    assert end_with_stop(text, NONE) == said


def test_space_is_tidied() -> None:
    assert tidy_space("  a \n b\t\tc  ", NONE) == "a b c"


def test_the_steps_run_in_this_order() -> None:
    assert PRE_PROCESSORS == (strip_markup, apply_lexicon, read_as, end_with_stop, voice_punctuation, tidy_space)


def test_burmese_clause_marks_are_given_to_the_voice_as_commas_and_full_stops() -> None:
    """espeak-ng aborts on a Burmese clause of over about 100 characters: ၊ and ။ must break clauses."""
    assert spoken_form(Text("ကား၊ စက်။", "x"), SpeechSettings(stop="။"), []) == "ကား, စက်."
    assert spoken_form(Text("ကား", "x"), SpeechSettings(stop="။"), []) == "ကား."


def test_kana_reading_is_given_to_the_voice_only_where_the_row_says_so() -> None:
    """Japanese kanji as kana (the lexicon first, so its kana respellings stand); the marks that make
    espeak-ng spell text out become pauses; pykakasi's doubled small tsu is one."""
    kana = SpeechSettings(reading="kana")
    assert read_as("薬を急にやめない", kana) == "くすりをきゅうにやめない"
    assert read_as("方法・量（りょう）：「はい」", kana) == "ほうほう、りょう、りょう、、はい"
    assert read_as("入っています", kana) == "いっています"
    assert read_as("薬を急にやめない", SpeechSettings()) == "薬を急にやめない"
    lexicon = SpeechSettings(reading="kana", lexicon={"入っています": "はいっています"})
    assert spoken_form(Text("ポンプが入っています", "x"), lexicon, []) == "ぽんぷがはいっています."


# --- a whole text, and overrides ------------------------------------------------------------------

def test_a_text_goes_through_every_step() -> None:
    settings = SpeechSettings(lexicon={"MS": "em es"})
    assert spoken_form(Text("**If you have MS**\n  and   spasms", "x"), settings, []) == "If you have em es and spasms."


def test_an_override_replaces_the_text_it_was_written_for() -> None:
    settings = SpeechSettings(lexicon={"alta": "ALTA"}, path="locales/es/speech.toml",
                              overrides={"You have a high fever.": ("Tiene fiebre alta.", "Tiene  mucha fiebre")})
    warnings: list[str] = []
    said = spoken_form(Text("Tiene fiebre alta.", "You have a high fever."), settings, warnings)
    assert said == "Tiene mucha fiebre."  # stop added and space tidied, lexicon not applied
    assert warnings == []


def test_an_override_is_ignored_and_reported_once_the_translation_changes() -> None:
    msgid = "You have a very high fever that comes and goes over several days, with chills."
    settings = SpeechSettings(overrides={msgid: ("Old text.", "Spoken.")}, path="locales/es/speech.toml")
    warnings: list[str] = []
    assert spoken_form(Text("**New** text", msgid), settings, warnings) == "New text."
    assert warnings == [f"locales/es/speech.toml: spoken override ignored, the translation changed: {msgid[:60]!r}"]


# --- speech.toml --------------------------------------------------------------------------------

def test_no_file_means_no_settings(tmp_path: Path) -> None:
    assert read_speech_settings(tmp_path / "speech.toml") == SpeechSettings()


def test_a_file_is_read(tmp_path: Path) -> None:
    path = tmp_path / "speech.toml"
    path.write_text('[lexicon]\n"MS" = "em es"\n\n[[override]]\nmsgid = "Hi."\ntext = "Hola."\nspoken = "Óla."\n'
                    '[[override]]\nmsgid = "Bye."\ntext = "Adiós."\nspoken = "Adiós, adiós."\n', "utf-8")
    assert read_speech_settings(path) == SpeechSettings({"MS": "em es"}, {"Hi.": ("Hola.", "Óla."),
                                                                          "Bye.": ("Adiós.", "Adiós, adiós.")}, str(path))


@pytest.mark.parametrize(("text", "line", "message"), [
    ('voice = "es-xx"\n', 1, "unknown key 'voice' (speech.toml holds [lexicon] and [[override]] only; the engine is chosen"
     " with --engine)"),
    ('[lexicon]\n"a" = "b"\n\n[voices]\nx = 1\n', 4, "unknown key 'voices' (speech.toml holds [lexicon] and [[override]]"
     " only; the engine is chosen with --engine)"),
    ('[lexicon]\n"a" = "b"\n\n  [[ engines ]]\nx = 1\n', 4, "unknown key 'engines' (speech.toml holds [lexicon] and"
     " [[override]] only; the engine is chosen with --engine)"),
    ('"rate" = 1\n', None, "unknown key 'rate' (speech.toml holds [lexicon] and [[override]] only; the engine is chosen"
     " with --engine)"),
    ('[lexicon]\n"a" = 1\n', None, "[lexicon] must map words to their spoken form"),
    ('[lexicon]\n"" = "b"\n', None, "[lexicon] must map words to their spoken form"),  # would match everywhere
    ('lexicon = ["a"]\n', None, "[lexicon] must map words to their spoken form"),
    ('[[override]]\nmsgid = "a"\ntext = "b"\n', None, "override 1 needs msgid, text and spoken"),
    ('[[override]]\nmsgid = "a"\ntext = "b"\nspoken = "c"\n[[override]]\nmsgid = "a"\ntext = 2\nspoken = "c"\n', None,
     "override 2 needs msgid, text and spoken"),
    ('override = ["a"]\n', None, "override 1 needs msgid, text and spoken"),
])
def test_a_bad_file_is_refused_with_its_line(tmp_path: Path, text: str, line: int | None, message: str) -> None:
    path = tmp_path / "speech.toml"
    path.write_text(text, "utf-8")
    with pytest.raises(SourceError) as err:
        read_speech_settings(path)
    assert (err.value.message, err.value.line, err.value.path) == (message, line, str(path))


def test_a_lexicon_alone_has_no_overrides(tmp_path: Path) -> None:
    path = tmp_path / "speech.toml"
    path.write_text('[lexicon]\n"MS" = "em es"\n', "utf-8")
    assert read_speech_settings(path) == SpeechSettings({"MS": "em es"}, {}, str(path))


def test_an_unknown_key_after_a_blank_first_line_is_found_on_its_line(tmp_path: Path) -> None:
    path = tmp_path / "speech.toml"
    path.write_text('\nvoice = "x"\n', "utf-8")
    with pytest.raises(SourceError) as err:
        read_speech_settings(path)
    assert err.value.line == 2


def test_not_toml_or_not_utf8_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "speech.toml"
    path.write_text("[lexicon\n", "utf-8")
    with pytest.raises(SourceError) as err:
        read_speech_settings(path)
    assert err.value.message.startswith("not valid TOML (") and err.value.path == str(path)
    path.write_bytes(b'[lexicon]\n"caf\xe9" = "x"\n')
    with pytest.raises(SourceError) as err:
        read_speech_settings(path)
    assert err.value.message.startswith("not valid TOML (")


# --- the script of a whole handout -----------------------------------------------------------------

@dataclass(frozen=True)
class Site:
    """The parts of a site the script reads."""

    name: str
    phone: str | None

    def spoken_phone(self) -> str:
        return "five five five, one two"


LABELS = Labels({
    "Draft: not yet checked by a clinician": "Borrador: no revisado por un clínico",
    "Draft translation: not yet checked by a qualified medical translator": "Traducción en borrador",
    "This is the handout: {title}.": "Este es el folleto: {title}.",
    "From {site}.": "De {site}.",
    "Questions? Call {phone}": "¿Preguntas? Llame al {phone}",
})
REVIEWED, UNREVIEWED = Review("reviewed", "Ana", dt.date(2026, 1, 2)), Review("unreviewed")


def doc(locale: str = "es", source: Review = UNREVIEWED, translation: Review = UNREVIEWED, site: Site | None = None,
        labels: Labels = LABELS) -> LocalizedHandout:
    """A two-section handout in Spanish."""
    sections = (
        Section("first", "normal", Text("**Lo más** importante", "The most important thing"),
                (Block("list", (Text("**Nunca** pare.", "Never stop."), Text("Llame", "Call"))),)),
        Section("signs", "emergency", Text("Señales", "Signs"), (Block("paragraph", (Text("Fiebre alta", "High fever"),)),)),
    )
    return LocalizedHandout("demo", "1", dt.date(2026, 1, 1), language(locale), Text("**Baclofeno**", "Baclofen"), sections,
                            labels, translation, source, site=site)


def spoken(s: Script) -> list[tuple[str, str, list[str]]]:
    return [(c.id, c.kind, [cue.spoken for cue in c.cues]) for c in s.chapters]


CLINICIAN = "Draft: not yet checked by a clinician"
TRANSLATOR = "Draft translation: not yet checked by a qualified medical translator"


def test_a_draft_translation_says_both_notices_in_the_language_then_in_english_then_the_title_then_each_section() -> None:
    s = script(doc(), NONE)
    assert spoken(s) == [
        ("intro", "intro", ["Borrador: no revisado por un clínico.", "Traducción en borrador.",
                            "Draft: not yet checked by a clinician.",
                            "Draft translation: not yet checked by a qualified medical translator.",
                            "Este es el folleto: Baclofeno."]),
        ("first", "normal", ["Lo más importante.", "Nunca pare.", "Llame."]),
        ("signs", "emergency", ["Señales.", "Fiebre alta."]),
    ]
    # the English notice is shown as written and said by an English voice; the rest by the language's
    notice = (Cue("Borrador: no revisado por un clínico", "Borrador: no revisado por un clínico."),
              Cue("Traducción en borrador", "Traducción en borrador."),
              Cue(CLINICIAN, CLINICIAN + ".", True), Cue(TRANSLATOR, TRANSLATOR + ".", True))
    assert s.chapters[0].cues[:4] == notice
    assert s.notice == notice  # what every spoken output (the warning-signs clip too) starts with
    assert s.chapters[0].cues[4] == Cue("Este es el folleto: Baclofeno.", "Este es el folleto: Baclofeno.")
    assert s.chapters[0].title == "Baclofeno" and s.chapters[1].title == "Lo más importante"
    assert s.chapters[1].cues[1] == Cue("Nunca pare.", "Nunca pare.")
    assert s.chapters[1].cues[2] == Cue("Llame", "Llame.")  # the transcript shows the text, the voice gets the stop
    assert s.warnings == ()
    assert s.chapter("emergency").id == "signs" and s.chapter("contact") is None


def test_reviewed_texts_drop_their_notices_in_both_languages() -> None:
    assert spoken(script(doc(source=REVIEWED), NONE))[0][2] == [
        "Traducción en borrador.", TRANSLATOR + ".", "Este es el folleto: Baclofeno."]
    assert spoken(script(doc(translation=REVIEWED), NONE))[0][2] == [
        "Borrador: no revisado por un clínico.", CLINICIAN + ".", "Este es el folleto: Baclofeno."]
    reviewed = script(doc(source=REVIEWED, translation=REVIEWED), NONE)
    assert spoken(reviewed)[0][2] == ["Este es el folleto: Baclofeno."]
    assert reviewed.notice == ()


def test_the_english_notice_is_not_said_with_the_languages_lexicon() -> None:
    settings = SpeechSettings(lexicon={"clinician": "CLÍNICO", "Borrador": "BORRADOR"})
    cues = script(doc(translation=REVIEWED), settings).chapters[0].cues
    assert [(c.spoken, c.english) for c in cues[:2]] == [("BORRADOR: no revisado por un clínico.", False),
                                                         (CLINICIAN + ".", True)]


def test_english_has_no_translation_notice() -> None:
    english = script(doc("en", labels=Labels()), NONE)
    # said once: the English notice is not repeated for English
    assert spoken(english)[0][2] == ["Draft: not yet checked by a clinician.", "This is the handout: Baclofeno."]
    assert english.notice == (Cue(CLINICIAN, CLINICIAN + "."),)
    assert [c.text for c in english.chapters[0].cues][1] == "This is the handout: Baclofeno."


def test_a_site_is_named_and_its_phone_said_digit_by_digit_at_the_start_and_the_end() -> None:
    s = script(doc(source=REVIEWED, translation=REVIEWED, site=Site("Farmacia Sol", "555-12")), NONE)
    contact = Cue("¿Preguntas? Llame al 555-12", "¿Preguntas? Llame al five five five, one two.")
    assert s.chapters[0].cues[1:] == (Cue("De Farmacia Sol.", "De Farmacia Sol."), contact)
    assert s.chapters[-1] == Chapter("contact", "Farmacia Sol", "contact", (contact,))
    assert [c.id for c in s.chapters] == ["intro", "first", "signs", "contact"]


def test_a_site_without_a_phone_has_no_contact_chapter() -> None:
    s = script(doc(source=REVIEWED, translation=REVIEWED, site=Site("Farmacia Sol", None)), NONE)
    assert [c.spoken for c in s.chapters[0].cues] == ["Este es el folleto: Baclofeno.", "De Farmacia Sol."]
    assert [c.id for c in s.chapters] == ["intro", "first", "signs"]


def test_overrides_and_their_warnings_reach_the_script() -> None:
    settings = SpeechSettings(overrides={"Never stop.": ("**Nunca** pare.", "Nunca jamás pare"),
                                         "Call": ("Llame ahora", "x")}, path="speech.toml")
    s = script(doc(source=REVIEWED, translation=REVIEWED), settings)
    assert [c.spoken for c in s.chapters[1].cues] == ["Lo más importante.", "Nunca jamás pare.", "Llame."]
    assert s.warnings == ("speech.toml: spoken override ignored, the translation changed: 'Call'",)


def test_labels_can_be_overridden_and_are_reported_when_they_change() -> None:
    site = Site("Farmacia Sol", "555-12")
    settings = SpeechSettings(overrides={
        "This is the handout: {title}.": ("Este es el folleto: Baclofeno.", "Este es el folleto del baclofeno"),
        "Questions? Call {phone}": ("¿Preguntas? Llame al 000", "x"),
    }, path="speech.toml")
    s = script(doc(source=REVIEWED, translation=REVIEWED, site=site), settings)
    assert s.chapters[0].cues[0] == Cue("Este es el folleto: Baclofeno.", "Este es el folleto del baclofeno.")
    assert s.chapters[-1].cues[0].spoken == "¿Preguntas? Llame al five five five, one two."
    assert s.warnings == ("speech.toml: spoken override ignored, the translation changed: 'Questions? Call {phone}'",)
