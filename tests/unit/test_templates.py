"""The print's filters (templates.py), on their own."""

from __future__ import annotations

from handoutkit.templates import unbroken_hyphens


def test_a_hyphenated_word_is_kept_whole_in_every_script() -> None:
    """A line may not end at a word's hyphen: extractors take it for hyphenation and drop it.
    The word holds its combining vowel signs (Devanagari ै is a mark, not a letter to Python's \\w)."""
    assert unbroken_hyphens("कसै-कसैलाई भने") == '<span class="nowrap">कसै-कसैलाई</span> भने'
    assert unbroken_hyphens("a <strong>side-effect</strong>, x-ray.") == (
        'a <strong><span class="nowrap">side-effect</span></strong>, <span class="nowrap">x-ray</span>.')
    assert unbroken_hyphens("baclofen - no") == "baclofen - no"
