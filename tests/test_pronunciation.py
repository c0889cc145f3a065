"""Names and numbers as a listener hears them: judged by the phonemes espeak-ng
itself makes (espeak_TextToPhonemes), not by the respelled text we hand it."""

from __future__ import annotations

import re

import pytest
import yaml

from handoutkit.model import Text
from handoutkit.site import Site
from handoutkit.spoken import read_speech_settings, spoken_form

from .conftest import ROOT
from .phonemes import phonemes

# espeak-ng's voice per locale: chosen here, not read from handoutkit's table
VOICE = {"en": "en-us", "es": "es-419", "fr": "fr", "ht": "ht", "pt_BR": "pt-br", "pl": "pl", "ru": "ru", "vi": "vi",
         "ar": "ar", "fa": "fa", "hi": "hi", "ko": "ko", "zh_Hans": "cmn", "zh_Hant": "cmn",
         "ja": "ja", "uk": "uk", "bn": "bn", "ur": "ur", "pa": "pa", "gu": "gu", "am": "am", "ne": "ne", "my": "my",
         "hy": "hy"}
# How the names are said (prescribing information, pharmacists' usage), as IPA
# without stress or length marks; vowel qualities and r sounds differ by language.
V_A, V_O, V_E, R = "[aæɐ]", "(?:o|ɔ|oʊ|əʊ|ə)", "[eɛə]", "[ɹɾrʁh]"
SAID = {
    "baclofen": rf"b{V_A}kl{V_O}f{V_E}(?:n|ŋ|ɪŋ).*",  # BAK-lo-fen (never 'bas-' or 'bats-')
    "Lioresal": rf"l(?:i|j|aɪ){V_O}{R}{V_E}[sz][aæɐə][lʊ]",  # lye-OR-e-sal: four syllables, a vowel after the r
    "Gablofen": rf"ɡ{V_A}[bβ]l{V_O}f{V_E}(?:n|ŋ|ɪŋ).*",  # GAB-lo-fen
}


# Japanese says a foreign drug name in its own sounds, as its katakana is read: ba-ku-ro-fe-n
# (Japan's package insert spells Lioresal リオレサール, ri-o-re-saa-ru).
# Burmese has no /f/ (an aspirated p stands for it) and reads ရ as /j/: bak-lo-phan, lai-yo-ya-sal.
SAID_IN = {"ja": {"baclofen": "bäkɯᵝɽo̞ɸe̞ɴ", "Lioresal": "ɽio̞ɽe̞sääɽɯᵝ", "Gablofen": "ɡäbɯᵝɽo̞ɸe̞ɴ"},
           "my": {"baclofen": "baklophan", "Lioresal": "lajojashal", "Gablofen": "ɡablophan"}}


def bare(ipa: str) -> str:
    """Phonemes without stress, length, syllable marks or espeak's language switches."""
    return re.sub(r"\([a-z-]+\)|[ˈˌː.\s|]", "", ipa)


def flat(ipa: str) -> str:
    """Phonemes without stress, length or palatalisation (which shift with the neighbours)."""
    return re.sub(r"[ˈˌːʲ]", "", ipa).strip()


def said(locale: str, text: str) -> str:
    from dataclasses import replace

    from handoutkit.languages import language

    settings = read_speech_settings(ROOT / "locales" / locale / "speech.toml")
    return spoken_form(Text(text, text), replace(settings, reading=language(locale).reading), [])


def test_the_handout_names_the_drugs_we_check() -> None:
    front = (ROOT / "handouts" / "baclofen-withdrawal" / "handout.md").read_text("utf-8").split("---")[1]
    assert set(yaml.safe_load(front)["names"]) == set(SAID)


@pytest.mark.parametrize("locale", sorted(VOICE))
@pytest.mark.parametrize("name", sorted(SAID))
def test_drug_names_are_said_right(locale: str, name: str) -> None:
    heard = bare(phonemes(said(locale, name), VOICE[locale], ipa=True))
    assert re.fullmatch(SAID_IN.get(locale, SAID)[name], heard), f"{locale}: {name} is said /{heard}/"


@pytest.mark.parametrize("locale", ["en", "es", "fr", "ru", "zh_Hans"])
def test_a_phone_number_is_read_digit_by_digit_in_its_groups_in_the_language(locale: str) -> None:
    written = "+1 (555) 010-2030 ext. 204"
    groups = ["1", "555", "010", "2030", "204"]
    spoken = said(locale, f"Questions? Call {Site('s', 'Site', phone=written).spoken_phone()}")
    voice = VOICE[locale]
    clauses = [flat(c) for c in phonemes(spoken, voice, ipa=True).split(" | ")]
    digit = {d: flat(phonemes(d, voice, ipa=True)) for d in "0123456789"}  # each digit alone, as espeak-ng says it here
    assert locale == "en" or all(digit[d] != flat(phonemes(d, "en-us", ipa=True)) for d in "12345")
    # the last clauses, one per group (a pause between them), end with the group's digits said one by one
    assert len(clauses) >= len(groups), clauses
    for group, clause in zip(groups, clauses[-len(groups):], strict=True):
        assert clause.endswith(" ".join(digit[d] for d in group)), (group, clause)
    # the extension is announced by a word (not read as the letters e-x-t)
    assert clauses[-1] != " ".join(digit[d] for d in "204")


@pytest.mark.parametrize("text", ["baclofen", "Baclofen: never stop suddenly", "Too much baclofen is also an emergency"])
def test_english_says_baclofen_BAK_loh_FEN(text: str) -> None:
    """The stress on 'bak' and a full 'fen' (BAK-loh-fen, as dictionaries give it), not the
    'fn' of English spelling rules, which Whisper heard as "Mark Lofan"; and no stress on 'lo'
    (a respelling 'bak-lo-fen' stresses every syllable: Piper's "Backflow Fin")."""
    words = [w for w in phonemes(said("en", text), VOICE["en"]).split() if "kl" in w]
    assert words == ["b'akloUf'En"], words  # espeak-ng's mnemonics: ' before a stressed syllable


@pytest.mark.parametrize(("text", "heard"), [
    ("Tiene fiebre alta.", "fjˈebβre ˈalta"),  # the b begun with a stop, the r trilled: Whisper heard the soft /fjˈeβɾe/ as 'fiere'
    ("Fiebre", "fjˈebβre"),
    ("Tiene una convulsión.", "kˈombˈulsjˈon"),  # 'kon' and 'vul' stressed too: /kˌombulsjˈon/ was heard
    ("Convulsión", "kˈombˈulsjˈon"),              # as 'combustión', /kombˈulsjˈon/ as 'comulción' (Whisper base)
    ("de una bomba colocada dentro", "βˈomba | kˌolokˈaða"),  # a pause after 'bomba', not 'un arrombaco lo que ha'
])
def test_spanish_says_the_key_words_of_the_warning_signs_clearly(text: str, heard: str) -> None:
    ipa = phonemes(said("es", text), VOICE["es"], ipa=True)
    assert heard in ipa, ipa


def test_japanese_is_said_in_japanese_never_as_chinese_letters() -> None:
    """espeak-ng reads a kanji as the English words 'Chinese letter' ('(en)tʃˈaɪniːz'): every Japanese
    message, as the spoken script gives it to the voice, has no switch to English in its phonemes."""
    from babel.messages.pofile import read_po

    with (ROOT / "locales" / "ja" / "LC_MESSAGES" / "baclofen-withdrawal.po").open("rb") as fh:
        texts = [m.string for m in read_po(fh) if m.id]
    assert any("\u4e00" <= c <= "\u9fff" for t in texts for c in t), "the catalog has kanji to read"
    switched = []
    for text in texts:
        latin_free = re.sub(r"[（(][A-Za-z ]+[)）]", "", text)  # a Latin drug name in brackets is English on purpose
        ipa = phonemes(said("ja", latin_free), "ja", ipa=True)
        if "(en)" in ipa:
            switched.append((text[:30], ipa[:80]))
    assert not switched, switched
