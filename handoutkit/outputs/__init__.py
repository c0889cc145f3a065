"""The registry of outputs: every kind a build can make, in the order a build makes them.

Plan, build, the CLI's choices, the bundle, the manifest and the index read this
registry; nothing else names a kind. Adding an output is one module here, a line
in REGISTRY, and its tests."""

from __future__ import annotations

from ..errors import UsageError
from .audio import Audio
from .base import INCOMPLETE, Job, Outcome, Output, Written
from .bilingual import Bilingual
from .braille import Braille
from .epub import Epub
from .pdf import Pdf
from .web import Web

REGISTRY: dict[str, Output] = {output.name: output for output in (Pdf(), Bilingual(), Audio(), Epub(), Braille(), Web())}

__all__ = ["INCOMPLETE", "REGISTRY", "Job", "Outcome", "Output", "Written", "get", "names"]


def names() -> tuple[str, ...]:
    """Every output kind, in build order: the CLI's --output choices and the default."""
    return tuple(REGISTRY)


def get(name: str) -> Output:
    try:
        return REGISTRY[name]
    except KeyError:
        raise UsageError(f"unknown output '{name}' (known: {', '.join(REGISTRY)})") from None
