"""What a clinic sends on: a zip per language and a manifest of the whole build
(every output with its SHA-256, size, language, engine, catalogs, review
status and source version)."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from pathlib import Path

from .files import write_atomic
from .plan import State
from .project import Project

ZIP_TIME = (2020, 1, 1, 0, 0, 0)  # fixed, so the same files give the same zip


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_bundles(project: Project, state: State) -> None:
    """A zip per language folder, and the manifest. Outputs made from an incomplete translation
    go in a zip of their own, named -incomplete, never in the language's normal one; a stale
    -incomplete zip (the translation is complete now) is removed."""
    dist = project.dist_dir
    entries = []
    by_bundle: dict[tuple[Path, bool], list[Path]] = {}
    for name, record in sorted(state.targets.items()):
        facts = record.get("facts") or {}
        for path in state.paths(record):
            if not path.is_file():
                continue
            entries.append({
                "file": path.relative_to(dist).as_posix(),
                "sha256": _sha256(path),
                "bytes": path.stat().st_size,
                "target": name,
                **facts,
            })
            by_bundle.setdefault((path.parent, bool(facts.get("incomplete"))), []).append(path)
    written = set()
    for (folder, incomplete), files in sorted(by_bundle.items()):
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
            for path in sorted(set(files)):
                info = zipfile.ZipInfo(path.name, ZIP_TIME)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                bundle.writestr(info, path.read_bytes())
        zip_path = folder / f"{folder.parent.name}-{folder.name}{'-incomplete' if incomplete else ''}.zip"
        write_atomic(zip_path, buf.getvalue())
        written.add(zip_path)
        entries.append({"file": zip_path.relative_to(dist).as_posix(), "sha256": _sha256(zip_path),
                        "bytes": zip_path.stat().st_size, "target": "bundle", "language": folder.name,
                        "handout": folder.parent.name, **({"incomplete": True} if incomplete else {})})
    for stale in dist.glob("*/*/*-incomplete.zip"):
        if stale not in written and stale.name == f"{stale.parent.parent.name}-{stale.parent.name}-incomplete.zip":
            stale.unlink()
    _write_index(project, state)
    manifest = {"generator": "handoutkit", "site": project.site_id, "outputs": entries}
    write_atomic(dist / "manifest.json", json.dumps(manifest, indent=1, ensure_ascii=False).encode("utf-8"))


def _write_index(project: Project, state: State) -> None:
    """dist/index.html: every (handout, language) pair of the project, by the language's own name
    and in English: a link to its page with the review status, or why it is blocked."""

    from .outputs import REGISTRY
    from .templates import environment

    page_kinds = {o.name for o in REGISTRY.values() if o.is_page}  # the output the index links to
    pages: dict[tuple[str, str], dict] = {}
    for name, record in state.targets.items():
        facts = record.get("facts") or {}
        if name.rsplit("/", 1)[-1] in page_kinds and facts and any(p.is_file() for p in state.paths(record)):
            pages[(facts["handout"], project.language(facts["language"]).locale)] = facts
    pairs = {(h, lang.locale) for h in project.handout_ids() for lang in project.languages(h)}
    pairs |= set(pages) | {tuple(key.split("/", 1)) for key in state.languages}
    handouts: dict[str, list[dict]] = {}
    for handout, locale in sorted(pairs):
        lang = project.language(locale)
        facts = pages.get((handout, locale))
        blocked = state.languages.get(f"{handout}/{locale}")
        status = []
        if facts:
            review = facts.get("translation_review") or facts.get("source_review") or "unreviewed"
            status.append(f"{'English source' if lang.is_source else 'translation'} {review}")
        if blocked:
            why = blocked.get("summary") or "; ".join(blocked.get("problems", [])[:1])
            status.append(f"blocked: {why}" + ("; the page is the last one that passed the checks" if facts else ""))
        handouts.setdefault(handout, []).append({
            "tag": lang.tag, "native": lang.name_native, "english": lang.name_en, "direction": lang.direction,
            "href": f"{handout}/{lang.tag}/index.html" if facts else None,
            "status": "; ".join(status) or "no page built yet",
            "source": lang.is_source,
        })
    env = environment(project.templates_dir)
    html = env.get_template("build-index.html").render(
        site=project.site_id,
        handouts=[(h, sorted(items, key=lambda i: (not i["source"], i["tag"]))) for h, items in sorted(handouts.items())],
    )
    write_atomic(project.dist_dir / "index.html", html.encode("utf-8"))
