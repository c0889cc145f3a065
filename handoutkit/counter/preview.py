"""Page images of a finished PDF for the counter's preview (poppler's pdftoppm), kept in the
project's cache under the PDF's content hash: the same file is drawn once."""

from __future__ import annotations

import hashlib
import subprocess
import threading
from pathlib import Path

DPI = 60  # a Letter page 510 x 660 pixels: readable on screen, light to send
_lock = threading.Lock()


def page_images(pdf: Path, cache: Path) -> list[Path]:
    """The PNG of every page, in order (drawn now if not yet cached)."""
    digest = hashlib.sha256(pdf.read_bytes()).hexdigest()[:24]
    folder = cache / digest
    with _lock:
        if not (folder / "done").is_file():
            folder.mkdir(parents=True, exist_ok=True)
            subprocess.run(["pdftoppm", "-png", "-r", str(DPI), str(pdf), str(folder / "page")], check=True,
                           capture_output=True, timeout=120)
            (folder / "done").write_text("")
    return sorted(folder.glob("page-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
