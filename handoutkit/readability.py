"""Reading level of the English source, over full sentences only.

textstat 0.7.4 counts syllables with pyphen and needs no download (0.7.13
tries to fetch cmudict at run time; see the research notes)."""

from __future__ import annotations

import re

from .source import Handout

SENTENCE_END = re.compile(r"[.!?:]$")
GRADE_LIMIT = 7.0  # extract and readability fail above this Flesch-Kincaid grade (the aim is 6)


def sentences_text(handout: Handout) -> str:
    """Messages that are full sentences (end with . ! ?), without markup."""
    parts = []
    for message in handout.messages():
        text = message.text.replace("**", "").strip()
        if re.search(r"[.!?]$", text):
            parts.append(text)
    return " ".join(parts)


def grade(handout: Handout) -> float:
    import textstat

    return float(textstat.flesch_kincaid_grade(sentences_text(handout)))


def report_grade(handout: Handout) -> float:
    """Print the handout's grade with its verdict; return the grade."""
    value = grade(handout)
    verdict = "ok" if value <= 6 else ("above the grade 6 aim" if value <= GRADE_LIMIT else "TOO HARD")
    print(f"{handout.id}: Flesch-Kincaid grade {value:.1f} over full sentences ({verdict})")
    return value
