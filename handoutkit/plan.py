"""The plan: which targets (handout x language x output) must be made.

A target's key hashes everything that can change it: the source, the
language's catalogs and review files, templates and styles, fonts, speech
settings, the options asked for and the versions of the libraries that draw or
speak. A target whose key and files are unchanged is skipped. Computing keys
reads files and metadata only: no renderer is imported, no network is asked.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from functools import cache
from importlib import metadata
from pathlib import Path

from . import __version__
from .languages import Language
from .options import BuildOptions
from .project import Project

STATE_FILE = "state.json"


@cache
def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "-"


def versions(names: tuple[str, ...]) -> list[str]:
    """The installed versions of the libraries an output is drawn or spoken with."""
    return [_version(n) for n in names]


@cache
def _code_hash() -> str:
    """handoutkit's own code and data (languages.toml): a change to it rebuilds everything."""
    digest = hashlib.sha256(__version__.encode())
    for path in sorted(p for p in Path(__file__).parent.rglob("*") if p.suffix in (".py", ".toml")):
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()


def _file(digest: hashlib._Hash, path: Path) -> None:
    """Add a file's name and bytes, read in blocks: a file far over its size limit
    is hashed in passing (and refused when read), never held in memory."""
    digest.update(str(path.name).encode())
    try:
        with path.open("rb") as fh:
            while block := fh.read(1 << 20):
                digest.update(block)
    except FileNotFoundError:
        digest.update(b"\0missing")


def file_hash(path: Path) -> str:
    """A file's name and content ('missing' when it is not there)."""
    digest = hashlib.sha256()
    _file(digest, path)
    return digest.hexdigest()


@cache
def folder_hash(folder: Path) -> str:
    digest = hashlib.sha256()
    if folder.is_dir():
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            digest.update(str(path.relative_to(folder)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


@cache
def _font_file_hash(path: Path, size: int, mtime_ns: int) -> str:
    """A font file's content hash (read once per file and version on disk)."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while block := fh.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


@cache
def fonts_hash(families: tuple[str, ...]) -> str:
    """The fonts a stack resolves to, by family, face index and content: never by path, so a
    project moved or copied, or a machine with the same fonts elsewhere, rebuilds nothing."""
    from .fonts import stack

    digest = hashlib.sha256(json.dumps(families).encode())
    for font in stack(families):
        for path in filter(None, (font.path, font.bold_path)):
            st = path.stat()
            digest.update(f"{font.family}:{font.index}:".encode())
            digest.update(_font_file_hash(path, st.st_size, st.st_mtime_ns).encode())
    return digest.hexdigest()


COUNTER_ONLY = ("bilingual", "printer", "braille_printer", "counter_token")  # site keys no output shows


def language_key(project: Project, handout_id: str, lang: Language, options: BuildOptions) -> str:
    """Everything the text of one language's handout depends on."""
    digest = hashlib.sha256(_code_hash().encode())
    handout_dir = project.handouts_dir / handout_id
    _file(digest, handout_dir / "handout.md")
    _file(digest, handout_dir / "review.toml")
    if not lang.is_source:
        for domain in (handout_id, "templates"):
            _file(digest, project.po_path(lang.locale, domain))
        _file(digest, project.locales_dir / lang.locale / "review.toml")
    digest.update(folder_hash(project.templates_dir).encode())
    # not --allow-incomplete: what an output holds depends only on the inputs (an output made from
    # an incomplete translation is a target of its own, named so); so a complete language is not
    # made again for it
    site = project.site
    if site is not None:
        from dataclasses import asdict

        facts = {k: v for k, v in asdict(site).items() if k not in ("logo", *COUNTER_ONLY)}  # the logo by content
        digest.update(json.dumps(facts, default=str, sort_keys=True).encode())
        if site.logo:
            _file(digest, site.logo)
    return digest.hexdigest()


def target_key(project: Project, lang: Language, output: str, common: str, options: BuildOptions) -> str:
    """The language's key and what the output declares it depends on (outputs/: its key())."""
    from .outputs import get

    parts = get(output).key(project, lang, options)
    return hashlib.sha256(common.encode() + output.encode() + json.dumps(parts).encode()).hexdigest()


@dataclass
class State:
    """What the last builds made, kept in dist/.handoutkit/state.json."""

    path: Path
    targets: dict[str, dict] = field(default_factory=dict)
    languages: dict[str, dict] = field(default_factory=dict)

    @classmethod
    def load(cls, dist: Path) -> State:
        path = dist / ".handoutkit" / STATE_FILE
        try:
            data = json.loads(path.read_text("utf-8"))
            return cls(path, data.get("targets", {}), data.get("languages", {}))
        except (FileNotFoundError, ValueError):
            return cls(path)

    def save(self) -> None:
        from .files import write_atomic

        data = {"targets": self.targets, "languages": self.languages}
        write_atomic(self.path, json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False).encode())

    @property
    def dist(self) -> Path:
        return self.path.parent.parent

    def paths(self, record: dict) -> list[Path]:
        """A record's files, in order (kept relative to dist/: a moved or copied project stays up to date)."""
        return [self.dist / file for file in sorted(record.get("files", {}))]

    @staticmethod
    def stamp(path: Path) -> list[int]:
        st = path.stat()
        return [st.st_size, st.st_mtime_ns]

    def up_to_date(self, name: str, key: str) -> dict | None:
        """The record of a target made with this key whose files are all still as written."""
        record = self.targets.get(name)
        if not record or record.get("key") != key:
            return None
        for file, stamp in record.get("files", {}).items():
            path = self.dist / file
            if not path.is_file() or self.stamp(path) != stamp:
                return None
        return record

    def record(self, name: str, key: str, files: list[Path], detail: str, warnings: list[str],
               status: str = "up to date", facts: dict | None = None) -> None:
        self.targets[name] = {
            "key": key,
            "files": {p.relative_to(self.dist).as_posix(): self.stamp(p) for p in files},
            "detail": detail,
            "warnings": warnings,
            "status": status,
            "facts": facts or {},
        }
        self.save()


def forget_inputs() -> None:
    """Folders and fonts are hashed once per build; a new build looks again."""
    folder_hash.cache_clear()
    fonts_hash.cache_clear()


def clean_temporaries(dist: Path) -> int:
    """Half-written files left by a build that was killed (we hold the lock)."""
    removed = 0
    if dist.is_dir():
        for path in dist.rglob(".*.tmp"):
            try:
                path.unlink()
                removed += 1
            except OSError:
                pass
    return removed
