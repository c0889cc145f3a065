"""Sign-offs bound to content: a review names who checked what, by hash.

Babel's update rewrites PO headers, so the record lives in its own file:
``locales/<locale>/review.toml`` for a translation (one hash per catalog) and
``handouts/<id>/review.toml`` for the English source (a clinician's sign-off).
Any later change to the content no longer matches its hash, so the review is
out of date by itself.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import tomllib
from pathlib import Path

from babel.messages.catalog import Catalog

from .errors import CatalogError
from .model import Review

REVIEW_FILE = "review.toml"


def catalog_hash(catalog: Catalog) -> str:
    """Hash of what a reader would see: every (context, msgid, msgstr, fuzzy)."""
    rows = sorted(
        (m.context or "", m.id if isinstance(m.id, str) else "\x00".join(m.id),
         m.string if isinstance(m.string, str) else "\x00".join(m.string), m.fuzzy)
        for m in catalog
        if m.id
    )
    return hashlib.sha256(json.dumps(rows, ensure_ascii=False).encode()).hexdigest()


def source_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def read_review(path: Path) -> dict | None:
    if not path.is_file():
        return None
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise CatalogError(f"review file is not valid TOML ({exc})", path) from None
    if not isinstance(data.get("reviewer"), str):
        raise CatalogError("review file lacks 'reviewer'", path)
    return data


def status(record: dict | None, hashes: dict[str, str]) -> Review:
    """Compare a review record with the content's current hashes."""
    if record is None:
        return Review("unreviewed")
    signed = record.get("hashes", {})
    current = all(signed.get(key) == value for key, value in hashes.items())
    date = record.get("date") if isinstance(record.get("date"), dt.date) else None
    return Review("reviewed" if current else "out of date", record["reviewer"], date)


def write_review(path: Path, reviewer: str, hashes: dict[str, str], date: dt.date, kind: str) -> None:
    lines = [
        f"# {kind} sign-off, written by 'make-handouts review'. Any change to the",
        "# reviewed content changes its hash and puts this review out of date.",
        f"reviewer = {json.dumps(reviewer, ensure_ascii=False)}",
        f"date = {date.isoformat()}",
        "",
        "[hashes]",
        *(f"{json.dumps(k)} = {json.dumps(v)}" for k, v in sorted(hashes.items())),
        "",
    ]
    from .files import write_atomic

    write_atomic(path, "\n".join(lines).encode("utf-8"))
