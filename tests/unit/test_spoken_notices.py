"""The spoken script of an incomplete translation (spoken.py): the 'not yet translated' notice,
each English text announced and then read by an English voice, English labels flagged for an
English voice. Expected words are written here from the inputs."""

from __future__ import annotations

import datetime as dt

from handoutkit.languages import language
from handoutkit.model import Block, Labels, LocalizedHandout, Review, Section, Text
from handoutkit.spoken import Chapter, Cue, SpeechSettings, script

from .test_spoken_script import Site

NONE = SpeechSettings()
REVIEWED, UNREVIEWED = Review("reviewed", "Ana", dt.date(2026, 1, 2)), Review("unreviewed")
CLINICIAN = "Draft: not yet checked by a clinician"
TRANSLATOR = "Draft translation: not yet checked by a qualified medical translator"

SPANISH = {
    "Draft: not yet checked by a clinician": "Borrador: no revisado por un clínico",
    "Draft translation: not yet checked by a qualified medical translator": "Traducción en borrador",
    "This is the handout: {title}.": "Este es el folleto: {title}.",
    "From {site}.": "De {site}.",
    "Questions? Call {phone}": "¿Preguntas? Llame al {phone}",
}
WITH_FLAG = Labels({**SPANISH, "Not yet translated": "Aún no traducido"})  # the print's label translated
WITHOUT_FLAG = Labels(SPANISH)  # ... or not


def handout(labels: Labels = WITH_FLAG, title: Text = Text("**Baclofeno**", "Baclofen"), locale: str = "es",
            source: Review = REVIEWED, translation: Review = REVIEWED, site: Site | None = None,
            fallback: bool = False) -> LocalizedHandout:
    """A Spanish handout with two texts still in English: a list item and the second heading."""
    sections = (
        Section("first", "normal", Text("**Lo más** importante", "The most important thing"),
                (Block("list", (Text("**Nunca** pare.", "Never stop."),
                                Text("**Call** the clinic", "**Call** the clinic", True))),)),
        Section("signs", "emergency", Text("Warning signs", "Warning signs", True),
                (Block("paragraph", (Text("Fiebre alta", "High fever"),)),)),
    )
    return LocalizedHandout("demo", "1", dt.date(2026, 1, 1), language(locale), title, sections, labels,
                            translation, source, site=site, fallback=fallback)


def test_an_incomplete_translation_starts_by_saying_how_many_texts_are_in_english_in_both_languages() -> None:
    s = script(handout(), NONE)
    notice = (Cue("Aún no traducido: 2", "Aún no traducido: 2."), Cue("Not yet translated: 2", "Not yet translated: 2.", True))
    assert s.chapters[0] == Chapter("not-yet-translated", "Aún no traducido: 2", "notice", notice)
    assert s.notice == notice  # every spoken output starts with it
    assert [(c.id, c.kind, c.title) for c in s.chapters] == [
        ("not-yet-translated", "notice", "Aún no traducido: 2"), ("intro", "intro", "Baclofeno"),
        ("first", "normal", "Lo más importante"), ("signs", "emergency", "Warning signs")]
    assert s.chapter("notice") is s.chapters[0]
    assert s.warnings == ()


def test_each_english_text_is_announced_in_the_language_then_read_by_an_english_voice() -> None:
    s = script(handout(), NONE)
    assert s.chapters[2].cues == (
        Cue("Lo más importante", "Lo más importante."),
        Cue("Nunca pare.", "Nunca pare."),
        Cue("Aún no traducido:", "Aún no traducido:"),
        Cue("Call the clinic", "Call the clinic.", True),
    )
    assert s.chapters[3].cues == (
        Cue("Aún no traducido:", "Aún no traducido:"),
        Cue("Warning signs", "Warning signs.", True),
        Cue("Fiebre alta", "Fiebre alta."),
    )


def test_english_texts_are_not_said_with_the_languages_lexicon_but_the_announcement_is() -> None:
    settings = SpeechSettings(lexicon={"clinic": "CLÍNICA", "signs": "SEÑAS", "traducido": "tradusido",
                                       "Fiebre": "FIEBRE"})
    s = script(handout(), settings)
    assert [(c.spoken, c.english) for c in s.chapters[0].cues] == [("Aún no tradusido: 2.", False),
                                                                   ("Not yet translated: 2.", True)]
    assert [(c.text, c.spoken, c.english) for c in s.chapters[2].cues[2:]] == [
        ("Aún no traducido:", "Aún no tradusido:", False), ("Call the clinic", "Call the clinic.", True)]
    assert [c.spoken for c in s.chapters[3].cues] == ["Aún no tradusido:", "Warning signs.", "FIEBRE alta."]


def test_without_a_translated_label_the_notice_is_said_once_in_english_by_an_english_voice() -> None:
    s = script(handout(labels=WITHOUT_FLAG), NONE)
    notice = (Cue("Not yet translated: 2", "Not yet translated: 2.", True),)
    assert s.chapters[0] == Chapter("not-yet-translated", "Not yet translated: 2", "notice", notice)
    assert s.notice == notice
    assert s.chapters[2].cues[2:] == (Cue("Not yet translated:", "Not yet translated:", True),
                                      Cue("Call the clinic", "Call the clinic.", True))


def test_the_notice_comes_before_the_draft_notices_and_counts_an_english_title() -> None:
    s = script(handout(title=Text("**Baclofen**", "Baclofen", True), source=UNREVIEWED, translation=UNREVIEWED), NONE)
    assert s.notice == (
        Cue("Aún no traducido: 3", "Aún no traducido: 3."), Cue("Not yet translated: 3", "Not yet translated: 3.", True),
        Cue("Borrador: no revisado por un clínico", "Borrador: no revisado por un clínico."),
        Cue("Traducción en borrador", "Traducción en borrador."),
        Cue(CLINICIAN, CLINICIAN + ".", True), Cue(TRANSLATOR, TRANSLATOR + ".", True))
    assert s.chapters[0].cues == s.notice[:2]
    assert s.chapters[1].cues[:4] == s.notice[2:]


def test_an_english_title_is_announced_as_not_yet_translated_then_read_by_an_english_voice() -> None:
    settings = SpeechSettings(lexicon={"Baclofen": "BAKLOFEN"})
    s = script(handout(title=Text("**Baclofen**", "Baclofen", True)), settings)
    assert s.chapters[1] == Chapter("intro", "Baclofen", "intro", (
        Cue("Este es el folleto: Aún no traducido.", "Este es el folleto: Aún no traducido."),
        Cue("Baclofen", "Baclofen.", True),
    ))


def test_a_translated_title_is_said_once_in_the_language() -> None:
    s = script(handout(), NONE)
    assert s.chapters[1] == Chapter("intro", "Baclofeno", "intro",
                                    (Cue("Este es el folleto: Baclofeno.", "Este es el folleto: Baclofeno."),))


def test_a_fallback_handout_says_so_even_with_every_text_translated() -> None:
    complete = LocalizedHandout("demo", "1", dt.date(2026, 1, 1), language("es"), Text("Baclofeno", "Baclofen"),
                                (Section("first", "normal", Text("Señales", "Signs"), ()),), WITH_FLAG,
                                REVIEWED, REVIEWED)
    assert [c.id for c in script(complete, NONE).chapters] == ["intro", "first"]
    assert script(complete, NONE).notice == ()
    fallback = LocalizedHandout("demo", "1", dt.date(2026, 1, 1), language("es"), Text("Baclofeno", "Baclofen"),
                                (Section("first", "normal", Text("Señales", "Signs"), ()),), WITH_FLAG,
                                REVIEWED, REVIEWED, fallback=True)
    assert script(fallback, NONE).notice == (Cue("Aún no traducido: 0", "Aún no traducido: 0."),
                                             Cue("Not yet translated: 0", "Not yet translated: 0.", True))


def test_english_itself_never_says_not_yet_translated() -> None:
    s = script(handout(labels=Labels(), locale="en", fallback=True, title=Text("Baclofen", "Baclofen", True)), NONE)
    assert s.notice == ()
    assert [c.id for c in s.chapters] == ["intro", "first", "signs"]
    assert s.chapters[0].cues == (Cue("This is the handout: Baclofen.", "This is the handout: Baclofen."),)
    assert s.chapters[1].cues[2] == Cue("Call the clinic", "Call the clinic.")
    assert s.chapters[2].cues[0] == Cue("Warning signs", "Warning signs.")


def test_english_labels_of_the_site_in_a_translation_are_said_by_an_english_voice() -> None:
    s = script(handout(labels=Labels({"This is the handout: {title}.": "Este es el folleto: {title}.",
                                      "Not yet translated": "Aún no traducido"}),
                       site=Site("Farmacia Sol", "555-12")), NONE)
    contact = Cue("Questions? Call 555-12", "Questions? Call five five five, one two.", True)
    assert s.chapters[1].cues == (Cue("Este es el folleto: Baclofeno.", "Este es el folleto: Baclofeno."),
                                  Cue("From Farmacia Sol.", "From Farmacia Sol.", True), contact)
    assert s.chapters[-1] == Chapter("contact", "Farmacia Sol", "contact", (contact,))


def test_translated_site_labels_are_said_in_the_language() -> None:
    s = script(handout(site=Site("Farmacia Sol", "555-12")), NONE)
    contact = Cue("¿Preguntas? Llame al 555-12", "¿Preguntas? Llame al five five five, one two.")
    assert s.chapters[1].cues[1:] == (Cue("De Farmacia Sol.", "De Farmacia Sol."), contact)
    assert s.chapters[-1] == Chapter("contact", "Farmacia Sol", "contact", (contact,))


def test_an_override_of_the_label_is_said_in_the_count_notice_and_before_each_english_text() -> None:
    # text = the label as the catalog translates it, as for any message; said with the count, and before each text
    for spoken in ("Todavía  en inglés", "Todavía en inglés."):
        s = script(handout(), SpeechSettings(overrides={"Not yet translated": ("Aún no traducido", spoken)},
                                             path="speech.toml"))
        assert s.chapters[0].cues == (Cue("Aún no traducido: 2", "Todavía en inglés: 2."),
                                      Cue("Not yet translated: 2", "Not yet translated: 2.", True))
        assert s.chapters[2].cues[2] == Cue("Aún no traducido:", "Todavía en inglés:")
        assert s.chapters[3].cues[0] == Cue("Aún no traducido:", "Todavía en inglés:")
        assert s.warnings == ()


def test_a_stale_override_of_the_label_is_reported_once_and_the_label_said_as_translated() -> None:
    for replaced in ("Sin traducir", "Aún no traducido:"):  # another translation; or the cue's text, not the label's
        s = script(handout(), SpeechSettings(overrides={"Not yet translated": (replaced, "Sin traducir")},
                                             path="speech.toml"))
        assert s.chapters[0].cues[0].spoken == "Aún no traducido: 2."
        assert s.chapters[2].cues[2].spoken == "Aún no traducido:"
        assert s.warnings == ("speech.toml: spoken override ignored, the translation changed: 'Not yet translated'",)


def test_english_text_in_a_translation_is_said_with_the_english_lexicon_not_the_languages() -> None:
    """'Call' is in both lexicons: the English text takes the English spoken form; the English
    lexicon's overrides are for the English handout only."""
    spanish = SpeechSettings(lexicon={"Call": "Llamar-mal"})
    english = SpeechSettings(lexicon={"clinic": "klinnik"}, overrides={"Warning signs": ("Warning signs", "WRONG")})
    s = script(handout(), spanish, english)
    said = [c.spoken for c in s.chapters[2].cues if c.english]
    assert said == ["Call the klinnik."]
    heading = [c.spoken for c in s.chapters[3].cues if c.english]
    assert heading == ["Warning signs."]
