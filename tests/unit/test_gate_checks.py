"""Each check of the safety gate on its own (gate.py, text.py): one wanted message, one
catalog entry, and the verdict a translator would be told. No build, no msgfmt."""

from __future__ import annotations

import pytest
from babel.messages.catalog import Catalog
from babel.messages.catalog import Message as Entry

from handoutkit import text as catalogs
from handoutkit.catalogs import translations
from handoutkit.gate import (
    CHECKS,
    Problem,
    Wanted,
    check_controls,
    check_copied_english,
    check_length,
    check_markup,
    check_mojibake,
    check_not_fuzzy,
    check_numbers,
    check_placeholders,
    check_translated,
    gate,
)
from handoutkit.text import hidden_override, mojibake, numbers, safe_format


def wanted(msgid: str, line: int = 7) -> Wanted:
    """A message the source needs, from handout.md line 7."""
    return Wanted(msgid, None, "handouts/demo/handout.md", line)


def entry(msgid: str, msgstr: str | tuple[str, ...], fuzzy: bool = False, lineno: int | None = 12) -> Entry:
    """A catalog entry as Babel reads it."""
    found = Entry(msgid, msgstr, flags=("fuzzy",) if fuzzy else ())
    found.lineno = lineno
    return found


# --- check_translated --------------------------------------------------------------------------

@pytest.mark.parametrize("msgstr", ["", "   ", "\n\t"])
def test_an_empty_or_blank_translation_is_missing(msgstr: str) -> None:
    assert check_translated(wanted("Hello."), entry("Hello.", msgstr), ()) == ("missing", True, "not translated")


def test_no_entry_at_all_is_missing() -> None:
    assert check_translated(wanted("Hello."), None, ()) == ("missing", True, "not translated")


def test_a_translation_is_not_missing() -> None:
    assert check_translated(wanted("Hello."), entry("Hello.", "Hola."), ()) is None


def test_a_plural_entry_reads_its_first_form() -> None:
    assert check_translated(wanted("a day"), entry(("a day", "{n} days"), ("un día", "{n} días")), ()) is None
    assert check_translated(wanted("a day"), entry(("a day", "{n} days"), ("", "")), ())[0] == "missing"
    assert check_translated(wanted("a day"), entry(("a day", "{n} days"), ()), ())[0] == "missing"
    assert check_translated(wanted("a day"), entry(("a day", "{n} days"), ("", "{n} días")), ())[0] == "missing"


# --- check_not_fuzzy ---------------------------------------------------------------------------

def test_fuzzy_blocks() -> None:
    assert check_not_fuzzy(wanted("Hello."), entry("Hello.", "Hola.", fuzzy=True), ()) == (
        "fuzzy", True, "translation is marked fuzzy (needs a translator's check)")


def test_not_fuzzy_or_absent_passes() -> None:
    assert check_not_fuzzy(wanted("Hello."), entry("Hello.", "Hola."), ()) is None
    assert check_not_fuzzy(wanted("Hello."), None, ()) is None


# --- check_placeholders ------------------------------------------------------------------------

def test_a_lost_placeholder_blocks_and_names_both_sides() -> None:
    result = check_placeholders(wanted("Page {page} of {pages}"), entry("x", "Página {page}"), ())
    # sorted as text ('s' comes before '}')
    assert result == ("placeholders", True, "placeholders differ: source has ['{pages}', '{page}'], translation has ['{page}']")


def test_an_added_placeholder_blocks_and_says_none() -> None:
    result = check_placeholders(wanted("Call us."), entry("x", "Llame al {phone}."), ())
    assert result == ("placeholders", True, "placeholders differ: source has none, translation has ['{phone}']")
    result = check_placeholders(wanted("Call {phone}."), entry("x", "Llame."), ())
    assert result == ("placeholders", True, "placeholders differ: source has ['{phone}'], translation has none")


def test_placeholders_in_another_order_pass() -> None:
    assert check_placeholders(wanted("{a} then {b}"), entry("x", "{b} y {a}"), ()) is None


def test_a_renamed_placeholder_blocks() -> None:
    assert check_placeholders(wanted("Call {phone}."), entry("x", "Llame al {telefono}."), ())[0] == "placeholders"


def test_placeholders_skip_missing_translations() -> None:
    assert check_placeholders(wanted("Call {phone}."), None, ()) is None
    assert check_placeholders(wanted("Call {phone}."), entry("x", ""), ()) is None


# --- check_markup ------------------------------------------------------------------------------

def test_unbalanced_bold_blocks() -> None:
    assert check_markup(wanted("**Never stop.**"), entry("x", "**Nunca pare."), ()) == (
        "markup", True, "unbalanced '**' bold markers in the translation")


def test_bold_parts_must_match_the_english() -> None:
    result = check_markup(wanted("**Never** stop **now**."), entry("x", "**Nunca** pare ahora."), ())
    assert result == ("markup", True, "the translation has 1 bold part(s), the English 2: bold marks a safety point,"
                      " so it must match")
    result = check_markup(wanted("Stop."), entry("x", "**Pare.**"), ())
    assert result == ("markup", True, "the translation has 1 bold part(s), the English 0: bold marks a safety point,"
                      " so it must match")


def test_matching_bold_passes_and_missing_is_skipped() -> None:
    assert check_markup(wanted("**Never stop.**"), entry("x", "**Nunca pare.**"), ()) is None
    assert check_markup(wanted("Stop."), entry("x", "Pare."), ()) is None
    assert check_markup(wanted("**Never stop.**"), None, ()) is None
    assert check_markup(wanted("**Never stop.**"), entry("x", ""), ()) is None


# --- check_numbers -----------------------------------------------------------------------------

def test_numbers_read_digits_of_any_script_and_leave_placeholders_out() -> None:
    assert numbers("Take 2 tablets for 14 days") == [2, 14]
    assert numbers("۲ قرص برای ۱۴ روز") == [2, 14]  # Persian digits
    assert numbers("दिन १० तक") == [10]  # Devanagari
    assert numbers("Call {phone} in 1 to 2 weeks") == [1, 2]
    assert numbers("{page} of {pages}") == []
    assert numbers("14 then 2 then 14") == [2, 14, 14]  # sorted, repeats kept
    assert numbers("no digits") == []


def test_a_changed_number_blocks_and_says_what_differs() -> None:
    result = check_numbers(wanted("Over 1 to 2 weeks."), entry("x", "En 1 a 3 semanas."), ())
    assert result == ("numbers", True, "numbers differ: the English has [1, 2], the translation [1, 3]"
                      " (write each number of the English with digits, and no other)")


def test_a_lost_or_added_number_blocks() -> None:
    assert check_numbers(wanted("Over 2 weeks."), entry("x", "En dos semanas."), ())[2].startswith(
        "numbers differ: the English has [2], the translation none ")
    assert check_numbers(wanted("Call now."), entry("x", "Llame al 911."), ())[2].startswith(
        "numbers differ: the English has none, the translation [911] ")


def test_the_same_numbers_in_another_order_or_script_pass() -> None:
    assert check_numbers(wanted("1 to 2 weeks"), entry("x", "۱ تا ۲ هفته"), ()) is None
    assert check_numbers(wanted("2 or 1"), entry("x", "1 o 2"), ()) is None
    assert check_numbers(wanted("1 to 2 weeks"), None, ()) is None
    assert check_numbers(wanted("1 to 2 weeks"), entry("x", ""), ()) is None


# --- check_length ------------------------------------------------------------------------------

def test_a_short_english_allows_200_characters() -> None:
    # 'Stop.' has 5 characters: 10 times is 50, so the floor of 200 holds
    assert check_length(wanted("Stop."), entry("x", "p" * 200), ()) is None
    assert check_length(wanted("Stop."), entry("x", "p" * 201), ()) == (
        "too-long", True, "the translation has 201 characters, the English 5; a translation may have at most 200"
        " (10 times the English, or 200; see Limits in the README)")


def test_a_longer_english_allows_10_times_its_length() -> None:
    english = "Do not stop taking it suddenly."  # 31 characters: at most 310
    assert check_length(wanted(english), entry("x", "n" * 310), ()) is None
    assert check_length(wanted(english), entry("x", "n" * 311), ()) == (
        "too-long", True, "the translation has 311 characters, the English 31; a translation may have at most 310"
        " (10 times the English, or 200; see Limits in the README)")


def test_length_skips_a_missing_entry() -> None:
    assert check_length(wanted("Stop."), None, ()) is None
    assert check_length(wanted("Stop."), entry("x", ""), ()) is None


# --- check_controls ----------------------------------------------------------------------------

def test_a_bidi_override_blocks_and_is_named() -> None:
    assert hidden_override("abc\u202edef") == ("holds U+202E RIGHT-TO-LEFT OVERRIDE, a bidi override that can hide"
                                               " reversed text")
    assert hidden_override("\u202dabc") == ("holds U+202D LEFT-TO-RIGHT OVERRIDE, a bidi override that can hide"
                                            " reversed text")
    result = check_controls(wanted("Stop."), entry("x", "Pare\u202e."), ())
    assert result == ("control", True, "translation holds U+202E RIGHT-TO-LEFT OVERRIDE, a bidi override that can"
                      " hide reversed text")


def test_marks_and_isolates_are_fine() -> None:
    assert hidden_override("\u200fabc\u2067x\u2069\u200e") is None
    assert check_controls(wanted("Stop."), entry("x", "Pare\u200f."), ()) is None
    assert check_controls(wanted("Stop."), None, ()) is None


# --- check_mojibake ----------------------------------------------------------------------------

def test_utf8_read_as_latin1_or_cp1252_is_found() -> None:
    assert mojibake("mÃ¡s") == "Ã¡"  # 'más' read as Latin-1
    assert mojibake("Ã©tÃ©") == "Ã©"
    assert mojibake("Ã¢â‚¬â„¢") is not None  # a curly quote, twice converted (cp1252)
    result = check_mojibake(wanted("more"), entry("x", "mÃ¡s"), ())
    assert result == ("mojibake", True, "translation holds 'Ã¡', UTF-8 text read as Latin-1 or Windows-1252 (the file"
                      " was converted twice, or the text pasted garbled: take the original)")


def test_real_accented_text_is_not_mojibake() -> None:
    for text in ("más", "Très bien", "São Paulo", "Ärger über Öl", "ÀÉÎ", "Ã", "naïve café", ""):
        assert mojibake(text) is None, text
    assert check_mojibake(wanted("more"), entry("x", "más"), ()) is None
    assert check_mojibake(wanted("more"), None, ()) is None


def test_a_latin1_letter_before_a_non_utf8_run_is_not_mojibake() -> None:
    assert mojibake("Ã\u0080\u0080\u0080\u0080") is None  # encodes to bytes that are not UTF-8
    assert mojibake("Ã€") == "Ã€"  # cp1252: C3 80 is 'À'
    assert mojibake("Ã\u0081") == "Ã\u0081"  # no cp1252 form, but Latin-1 C3 81 is 'Á'


# --- check_copied_english ----------------------------------------------------------------------

def test_english_left_as_is_is_reported_not_blocking() -> None:
    assert check_copied_english(wanted("You feel dizzy."), entry("x", "You feel dizzy."), ()) == (
        "copied-english", False, "translation is identical to the English (please check)")


def test_names_placeholders_and_digits_alone_may_stay_the_same() -> None:
    assert check_copied_english(wanted("Baclofen"), entry("x", "Baclofen"), ("baclofen",)) is None
    assert check_copied_english(wanted("Lioresal, {phone}"), entry("x", "Lioresal, {phone}"), ("Lioresal",)) is None
    assert check_copied_english(wanted("{page}/{pages}"), entry("x", "{page}/{pages}"), ()) is None
    assert check_copied_english(wanted("911"), entry("x", "911"), ()) is None
    # a name does not excuse the words around it
    assert check_copied_english(wanted("Take baclofen"), entry("x", "Take baclofen"), ("baclofen",))[0] == "copied-english"
    # a name is a whole match of its letters, case aside, and special characters are literal
    assert check_copied_english(wanted("a.b"), entry("x", "a.b"), ("a.b",)) is None
    assert check_copied_english(wanted("axb"), entry("x", "axb"), ("a.b",))[0] == "copied-english"


def test_a_real_or_fuzzy_or_missing_translation_is_not_copied_english() -> None:
    assert check_copied_english(wanted("You feel dizzy."), entry("x", "Se siente mareado."), ()) is None
    assert check_copied_english(wanted("You feel dizzy."), entry("x", "You feel dizzy.", fuzzy=True), ()) is None
    assert check_copied_english(wanted("You feel dizzy."), None, ()) is None


# --- the gate: checks as data, in order ---------------------------------------------------------

def test_the_checks_run_in_this_order() -> None:
    assert [c.__name__ for c in CHECKS] == [
        "check_translated", "check_not_fuzzy", "check_length", "check_placeholders", "check_markup", "check_numbers",
        "check_controls", "check_mojibake", "check_copied_english"]


def catalog(*entries: tuple[str, str] | tuple[str, str, bool]) -> Catalog:
    """A catalog holding these (msgid, msgstr[, fuzzy]) entries at lines 10, 20, ..."""
    cat = Catalog(locale="es")
    for n, item in enumerate(entries, start=1):
        msgid, msgstr, *fuzzy = item
        cat.add(msgid, msgstr, flags=("fuzzy",) if fuzzy and fuzzy[0] else (), lineno=10 * n)
    return cat


def test_gate_lists_one_blocking_problem_per_message_with_the_catalog_line() -> None:
    cat = catalog(("Stop.", "Pare."), ("Call {phone}.", "Llame."), ("**Never.**", "**Nunca.", True))
    problems = gate([wanted("Stop.", 3), wanted("Call {phone}.", 4), wanted("**Never.**", 5), wanted("Go.", 6)],
                    cat, "locales/es/LC_MESSAGES/demo.po")
    assert [(p.kind, p.blocking, p.wanted.line, p.po_line) for p in problems] == [
        ("placeholders", True, 4, 20), ("fuzzy", True, 5, 30), ("missing", True, 6, None)]
    assert all(p.po_path == "locales/es/LC_MESSAGES/demo.po" for p in problems)
    assert str(problems[0]) == ("locales/es/LC_MESSAGES/demo.po:20: placeholders differ: source has ['{phone}'],"
                                " translation has none: 'Call {phone}.'")
    assert str(problems[2]) == "handouts/demo/handout.md:6: not translated: 'Go.'"


def test_gate_goes_on_after_a_problem_that_does_not_block() -> None:
    # one message of three is the English: under half the catalog, so it is only reported
    cat = catalog(("You feel dizzy.", "You feel dizzy."), ("Stop.", "Pare."), ("Go.", "Vaya."))
    problems = gate([wanted("You feel dizzy.", 3), wanted("Stop.", 4), wanted("Go.", 5)], cat, "es.po", names=())
    assert [(p.kind, p.blocking, p.wanted.line) for p in problems] == [("copied-english", False, 3)]
    assert gate([wanted("Baclofen")], catalog(("Baclofen", "Baclofen")), "es.po", names=("baclofen",)) == []


def test_a_safety_message_left_in_english_blocks() -> None:
    cat = catalog(("**Never stop.**", "**Never stop.**"), ("Stop.", "Pare."), ("Go.", "Vaya."))
    safety = Wanted("**Never stop.**", None, "handouts/demo/handout.md", 3, safety=True)
    problems = gate([safety, wanted("Stop.", 4), wanted("Go.", 5)], cat, "es.po")
    assert [(p.kind, p.blocking, p.detail) for p in problems] == [
        ("copied-english", True, "translation is the English text, and this is a safety message (bold, or in the"
         " warning-signs box): it must be translated")]


def test_a_catalog_that_is_mostly_the_english_is_a_copy_and_blocks() -> None:
    # two of three messages are the English (what msgen leaves): each of them blocks, named as a copied catalog
    cat = catalog(("You feel dizzy.", "You feel dizzy."), ("Stop.", "Stop."), ("Go.", "Vaya."))
    problems = gate([wanted("You feel dizzy.", 3), wanted("Stop.", 4), wanted("Go.", 5)], cat, "es.po")
    detail = ("translation is the English text, as are 2 of the 3 messages of this catalog: a copy of the English is"
              " not a translation")
    assert [(p.kind, p.blocking, p.wanted.line, p.po_line, p.detail) for p in problems] == [
        ("copied-catalog", True, 3, 10, detail), ("copied-catalog", True, 4, 20, detail)]
    # a single message, the English: a copy too (1 of 1 is more than half)
    alone = gate([wanted("You feel dizzy.")], catalog(("You feel dizzy.", "You feel dizzy.")), "es.po")
    assert [(p.kind, p.blocking) for p in alone] == [("copied-catalog", True)]


def test_exactly_half_the_english_is_not_yet_a_copy() -> None:
    cat = catalog(("You feel dizzy.", "You feel dizzy."), ("Stop.", "Pare."))
    problems = gate([wanted("You feel dizzy.", 3), wanted("Stop.", 4)], cat, "es.po")
    assert [(p.kind, p.blocking) for p in problems] == [("copied-english", False)]


def test_a_too_long_translation_is_found_before_its_placeholders() -> None:
    cat = catalog(("Call {phone}.", "x" * 201))
    assert [p.kind for p in gate([wanted("Call {phone}.")], cat, "es.po")] == ["too-long"]


def test_gate_stops_at_the_first_blocking_problem_of_a_message() -> None:
    # fuzzy AND unbalanced bold AND a new number: only 'fuzzy' is said
    cat = catalog(("**Stop** now.", "**Pare 3", True))
    assert [p.kind for p in gate([wanted("**Stop** now.")], cat, "es.po")] == ["fuzzy"]


def test_gate_without_a_catalog_finds_every_message_missing() -> None:
    problems = gate([wanted("Stop."), wanted("Go.")], None, "es.po")
    assert [(p.kind, p.po_line) for p in problems] == [("missing", None), ("missing", None)]


def test_gate_never_treats_the_header_as_a_translation() -> None:
    assert [p.kind for p in gate([wanted("")], catalog(), "es.po")] == ["missing"]


def test_gate_finds_an_entry_by_its_context() -> None:
    cat = Catalog(locale="es")
    cat.add("May", "mayo", context="month", lineno=4)
    assert gate([Wanted("May", "month", "h.md", 1)], cat, "es.po") == []
    assert [p.kind for p in gate([Wanted("May", "verb", "h.md", 1)], cat, "es.po")] == ["missing"]


def test_a_long_message_is_shortened_in_the_report() -> None:
    long = "word " * 20
    problem = Problem("missing", True, Wanted(long, None, "h.md", 2), "es.po", None, "not translated")
    assert str(problem) == f"h.md:2: not translated: {long[:67] + '...'!r}"
    over = "x" * 71
    problem = Problem("missing", True, Wanted(over, None, "h.md", 2), "es.po", None, "not translated")
    assert str(problem) == f"h.md:2: not translated: '{'x' * 67}...'"
    exactly = "x" * 70
    problem = Problem("missing", True, Wanted(exactly, None, "h.md", 2), "es.po", 0, "not translated")
    assert str(problem) == f"h.md:2: not translated: '{exactly}'"


# --- what the renderers get ---------------------------------------------------------------------

def test_translations_keep_only_usable_entries() -> None:
    cat = catalog(("Stop.", "Pare."), ("Go.", "Vaya.", True), ("Wait.", ""), ("Run.", "  "))
    assert translations(cat) == {("Stop.", None): "Pare."}
    assert translations(None) == {}


def test_safe_format_fills_plain_names_only() -> None:
    assert safe_format("Page {page} of {pages}", {"page": "1", "pages": "3"}) == "Page 1 of 3"
    assert safe_format("No fields {{here}}", {}) == "No fields {here}"
    assert safe_format("", {}) == ""
    for bad, field in (("{phone.__class__}", "phone.__class__"), ("{phone!r}", "phone"), ("{phone:>9}", "phone"),
                       ("{missing}", "missing"), ("{0}", "0")):
        with pytest.raises(KeyError) as err:
            safe_format(bad, {"phone": "555"})
        assert err.value.args == (field,)


def test_the_module_keeps_its_override_characters() -> None:
    assert catalogs.OVERRIDES == ("\u202d", "\u202e")


def test_a_copied_catalog_counts_messages_with_a_context_and_keeps_other_problems() -> None:
    # two of three messages, each with a context, are the English: a copy; the third keeps its own problem
    cat = Catalog(locale="es")
    cat.add("Stop.", "Stop.", context="button", lineno=10)
    cat.add("Go.", "Go.", context="button", lineno=20)
    cat.add("Call {phone}.", "Llame.", lineno=30)
    problems = gate([Wanted("Stop.", "button", "handouts/demo/handout.md", 3),
                     Wanted("Go.", "button", "handouts/demo/handout.md", 4), wanted("Call {phone}.", 5)], cat, "es.po")
    assert [(p.kind, p.blocking, p.wanted.line, p.po_path, p.po_line) for p in problems] == [
        ("copied-catalog", True, 3, "es.po", 10), ("copied-catalog", True, 4, "es.po", 20),
        ("placeholders", True, 5, "es.po", 30)]
