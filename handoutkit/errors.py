"""One exception type per kind of user mistake, printed once by the CLI."""

from __future__ import annotations

from pathlib import Path


class HandoutkitError(Exception):
    """A problem the user can fix, shown as ``file:line: message``."""

    exit_code = 1

    def __init__(self, message: str, path: str | Path | None = None, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line

    def __str__(self) -> str:
        where = _shown(self.path) if self.path else ""
        if where and self.line:
            where = f"{where}:{self.line}"
        return f"{where}: {self.message}" if where else self.message


def _shown(path: str) -> str:
    """A path relative to the working folder where that is shorter."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return path


class UsageError(HandoutkitError):
    """The command line asked for something that does not exist."""

    exit_code = 2


class SourceError(HandoutkitError):
    """The English source handout is malformed."""


class LayoutError(HandoutkitError):
    """A folder of the project is named or placed where handoutkit cannot use it."""


class CatalogError(HandoutkitError):
    """A PO catalog is malformed (what GNU msgfmt would reject)."""


class RenderError(HandoutkitError):
    """An output could not be drawn correctly (missing glyph, WeasyPrint error)."""


class CheckError(HandoutkitError):
    """A validator the check needs is not installed or could not run."""
