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
    dist = project.dist_dir
    entries = []
    by_folder: dict[Path, list[Path]] = {}
    for name, record in sorted(state.targets.items()):
        facts = record.get("facts") or {}
        for file in sorted(record.get("files", {})):
            path = Path(file)
            if not path.is_file() or not path.is_relative_to(dist):
                continue
            entries.append({
                "file": path.relative_to(dist).as_posix(),
                "sha256": _sha256(path),
                "bytes": path.stat().st_size,
                "target": name,
                **facts,
            })
            by_folder.setdefault(path.parent, []).append(path)
    for folder, files in sorted(by_folder.items()):
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
            for path in sorted(set(files)):
                info = zipfile.ZipInfo(path.name, ZIP_TIME)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                bundle.writestr(info, path.read_bytes())
        zip_path = folder / f"{folder.parent.name}-{folder.name}.zip"
        write_atomic(zip_path, buf.getvalue())
        entries.append({"file": zip_path.relative_to(dist).as_posix(), "sha256": _sha256(zip_path),
                        "bytes": zip_path.stat().st_size, "target": "bundle", "language": folder.name,
                        "handout": folder.parent.name})
    manifest = {"generator": "handoutkit", "site": project.site_id, "outputs": entries}
    write_atomic(dist / "manifest.json", json.dumps(manifest, indent=1, ensure_ascii=False).encode("utf-8"))
