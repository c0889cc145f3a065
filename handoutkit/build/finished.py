"""What was finished before: the last finished PDF (the counter prints it without waiting on
a build), and the hash of the catalogs an output is made from."""

from __future__ import annotations

import hashlib
from pathlib import Path

from ..extract import TEMPLATES_DOMAIN
from ..languages import Language
from ..options import BuildOptions
from ..outputs import get
from ..plan import State
from ..project import Project


def catalogs_hash(project: Project, handout_id: str, lang: Language) -> str | None:
    if lang.is_source:
        return None
    digest = hashlib.sha256()
    for domain in (handout_id, TEMPLATES_DOMAIN):
        digest.update(project.po_path(lang.locale, domain).read_bytes())
    return digest.hexdigest()


def last_finished_pdf(project: Project, handout_id: str, lang: Language,
                      options: BuildOptions, edition: str = "pdf") -> tuple[Path | None, list[str]]:
    """The last finished PDF of a handout, language and edition, found without the build
    lock (every output is renamed into place whole, so the file under its name is never
    half-written), and the inputs that changed since it was made ([] if none)."""
    pdf = get(edition)  # the pdf output, or an edition of it (bilingual)
    path = pdf.files(project.output_dir(handout_id, lang), handout_id, lang, options, False)[0]
    if not path.is_file():
        return None, []
    source = project.handouts_dir / handout_id / "handout.md"
    catalog_files = [] if lang.is_source else [project.po_path(lang.locale, d) for d in (handout_id, TEMPLATES_DOMAIN)]
    state = State.load(project.dist_dir)  # written whole too
    record = state.targets.get(pdf.target(handout_id, lang, options)) or {}
    facts = record.get("facts", {}) if record.get("files", {}).get(
        path.relative_to(state.dist).as_posix()) == State.stamp(path) else {}
    made = path.stat().st_mtime_ns
    newer = [p for p in [source, *catalog_files] if not p.is_file() or p.stat().st_mtime_ns > made]
    if not facts.get("source_sha256"):  # no record of what it was made from: by the files' times
        return path, [project.rel(p) for p in newer]
    changed = []
    if not source.is_file() or hashlib.sha256(source.read_bytes()).hexdigest() != facts["source_sha256"]:
        changed.append(source)
    try:
        catalogs_now = catalogs_hash(project, handout_id, lang)
    except OSError:
        catalogs_now = None
    if catalogs_now != facts.get("catalogs_sha256"):
        changed += [p for p in catalog_files if p in newer] or catalog_files
    return path, [project.rel(p) for p in changed]
