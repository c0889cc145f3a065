"""handoutkit: one plain-English handout, many languages, print and audio."""

__version__ = "0.1.0"
