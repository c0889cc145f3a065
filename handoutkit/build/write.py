"""Step 4 of a build, write: a job's result goes to its files whole, and into the state
(with the facts the manifest gives of it); outputs made from an incomplete translation
go once it is complete."""

from __future__ import annotations

from ..outputs import INCOMPLETE, Job, Outcome
from ..plan import State


def finish(state: State, job: Job, result: tuple) -> None:
    """Write one job's rendered result, or record why it failed (the job's files are left as they were)."""
    value, warnings, error = result
    job.outcome.warnings.extend(warnings)
    if error is not None:
        job.outcome.status, job.outcome.problems = "failed", [error]
        return
    written = job.output.write(job, value)
    job.outcome.path = written.files[0] if written.files else None
    job.outcome.detail = written.detail
    state.record(job.name, job.key, written.files, written.detail, job.outcome.warnings,
                 facts=facts(job, written.engine))


def facts(job: Job, engine: str) -> dict:
    """What the manifest says of a target's files, keys sorted as state.json keeps them: a manifest
    written from a loaded state then has the same bytes as one from a clean build."""
    doc = job.doc
    incomplete = {"incomplete": True} if job.incomplete else {}
    return dict(sorted({
        **incomplete,
        "handout": doc.handout_id,
        "language": doc.language.tag,
        "source_version": doc.version,
        "source_sha256": job.source,
        "engine": engine,
        "catalogs_sha256": job.catalogs,
        "translation_review": doc.translation_review.status if not doc.language.is_source else None,
        "source_review": doc.source_review.status,
    }.items()))


def drop_incomplete(state: State, handout_id: str, lang) -> list[Outcome]:
    """Remove every output made from an incomplete translation of this pair (the files, and
    their records, so that the bundle and manifest leave them too): it is complete now."""
    dropped = []
    prefix = f"{handout_id}/{lang.tag}/"
    keep = {file for name, record in state.targets.items() if not name.endswith(INCOMPLETE)
            for file in record.get("files", {})}
    names = sorted(n for n in state.targets if n.startswith(prefix) and n.endswith(INCOMPLETE))
    for name in names:
        record = state.targets.pop(name)
        output = name[len(prefix):-len(INCOMPLETE)]
        for path in state.paths(record):
            if path.relative_to(state.dist).as_posix() not in keep:
                path.unlink(missing_ok=True)
                dropped.append(Outcome(handout_id, lang, output, "removed", path,
                                       detail="made from an incomplete translation; it is complete now"))
    if names:
        state.save()
    return dropped
