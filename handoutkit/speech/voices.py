"""Which engine speaks a language in a build: a lookup over the engines' voices, each read
from the language's row (espeak, gtts, piper) or a project's voices/ folder."""

from __future__ import annotations

from ..languages import Language
from ..project import Project
from . import SpeechError


class Voices:
    """The speech engines of one build (auto: Piper where a voice is installed, else gTTS when
    reachable, else espeak-ng); the network probe runs at most once, when first needed."""

    def __init__(self, project: Project, choice: str):
        from .espeak import Espeak
        from .neural import Neural
        from .online import Online

        self.choice = choice
        self.espeak = Espeak()
        self.online = Online(project.root / ".cache" / "gtts")
        self.neural = Neural(project.root / "voices")

    def choose(self, lang: Language):
        """(engine, fallback engine or None); (None, None) when nothing speaks the language."""
        offline = self.espeak if self.espeak.voice(lang) else None
        if self.choice == "espeak":
            return offline, None
        if self.choice == "piper":
            return (self.neural, None) if self.neural.voice(lang) else (None, None)
        if self.neural.voice(lang):  # auto: an installed neural voice first
            return self.neural, offline
        if self.choice == "gtts":
            if not self.online.voice(lang):
                return None, None
            if not self.online.reachable():
                raise SpeechError(f"gTTS is not reachable (no network?) to speak {lang.name_en}; "
                                  "use --engine auto or espeak to speak offline")
            return self.online, None
        if self.online.voice(lang) and self.online.reachable():
            return self.online, offline
        return offline, None

    def reach(self, lang: Language) -> str:
        """How the language can be spoken, without asking the network: 'offline',
        'online only' (gTTS, when the network is there) or 'no voice'."""
        if self.espeak.voice(lang) or self.neural.voice(lang):
            return "offline"
        return "online only" if self.online.voice(lang) else "no voice"

    def no_voice(self, lang: Language) -> str:
        """Why a language gets no audio: it is not reachable now, or no engine here has a voice for it."""
        return self.offline_note(lang) or f"no speech engine here speaks {lang.name_en}"

    def offline_note(self, lang: Language) -> str:
        """What the user is told when auto could not reach gTTS for a language it speaks ('' otherwise)."""
        if self.choice != "auto" or not self.online.voice(lang) or self.neural.voice(lang) or self.online.reachable():
            return ""
        if self.espeak.voice(lang):
            return "gTTS is not reachable (no network?); spoken offline by espeak-ng instead"
        return (f"no engine here speaks {lang.name_en} offline, and gTTS is not reachable (no network?); "
                "run build --engine gtts when online")
