"""The single gate for every resource WeasyPrint loads.

Only files inside the allowed folders (the project's templates and assets)
and the font files the font stack resolved may be read; everything else,
any network scheme included, is refused and fails the render.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse


class ProjectFetcher(URLFetcher):
    def __init__(self, folders: list[Path], files: list[Path]):
        super().__init__(allowed_protocols=("file", "data"), allow_redirects=False)
        self.folders = [f.resolve() for f in folders]
        self.files = {f.resolve() for f in files}
        self.refused: list[str] = []

    @staticmethod
    def message(url: str) -> str:
        return f"refused to load {url} (only the project's own files may be used)"

    def allows(self, path: Path) -> bool:
        path = path.resolve()
        return path in self.files or any(path.is_relative_to(folder) for folder in self.folders)

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        parts = urlsplit(url)
        if parts.scheme == "data":
            return super().fetch(url, headers)
        path = Path(unquote(parts.path))
        if parts.scheme != "file" or parts.netloc not in ("", "localhost") or not self.allows(path) or not path.is_file():
            self.refused.append(url)
            raise FatalURLFetchingError(self.message(url))
        mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(path.as_uri(), path.read_bytes(), {"Content-Type": mime})
