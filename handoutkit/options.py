"""What a build was asked for (light: importing it loads no renderer)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field


@dataclass(frozen=True)
class PdfOptions:
    size: int = 18
    paper: str = "letter"
    bilingual: bool = False  # each block in the language, then in English (the 'bilingual' output)

    @property
    def suffix(self) -> str:
        """File-name suffix of a non-default edition: '', '-24pt', '-a4', '-24pt-a4'."""
        parts = [f"-{self.size}pt"] if self.size != 18 else []
        if self.paper != "letter":
            parts.append(f"-{self.paper}")
        return "".join(parts)


@dataclass(frozen=True)
class AudioOptions:
    rate: str = "normal"
    engine: str = "auto"

    @property
    def suffix(self) -> str:
        return "-slow" if self.rate == "slow" else ""


def _every_output() -> tuple[str, ...]:
    from .outputs import names

    return names()


@dataclass
class BuildOptions:
    outputs: tuple[str, ...] = field(default_factory=lambda: _every_output())
    pdf: PdfOptions = field(default_factory=PdfOptions)
    audio: AudioOptions = field(default_factory=AudioOptions)
    allow_incomplete: bool = False
    braille_grade: int = 0  # 0: each language's usual grade (UEB grade 2 for English); 1: uncontracted
    jobs: int = field(default_factory=lambda: os.cpu_count() or 1)
