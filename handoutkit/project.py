"""Where things live in a handoutkit project (the I/O edge for paths)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import LayoutError, UsageError
from .languages import SOURCE_LOCALE, Language, language
from .source import ID_RE, Handout, id_problem, parse_handout

if TYPE_CHECKING:
    from .site import Site


@dataclass(frozen=True)
class Project:
    root: Path
    site: Site | None = None  # the site settings (site.toml) every output of a build is made for

    @property
    def site_id(self) -> str | None:
        """Each site's outputs go to dist/<site-id>/."""
        return self.site.id if self.site is not None else None

    @classmethod
    def find(cls, start: Path | None = None) -> Project:
        """The folder holding handouts/ and templates/, from start upwards."""
        here = (start or Path.cwd()).resolve()
        for folder in (here, *here.parents):
            if (folder / "handouts").is_dir() and (folder / "templates").is_dir():
                return cls(folder)
        raise UsageError(f"no handoutkit project (a folder with handouts/ and templates/) at or above {here}")

    def language(self, code: str) -> Language:
        """A language of this project's table (the packaged rows and its own languages.toml)."""
        return language(code, self.root)

    @property
    def handouts_dir(self) -> Path:
        return self.root / "handouts"

    @property
    def locales_dir(self) -> Path:
        return self.root / "locales"

    @property
    def templates_dir(self) -> Path:
        return self.root / "templates"

    @property
    def dist_dir(self) -> Path:
        base = Path(os.environ.get("HANDOUTKIT_DIST", self.root / "dist"))
        return base / self.site_id if self.site_id else base

    def rel(self, path: Path) -> str:
        try:
            return path.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return str(path)

    def handout_ids(self) -> list[str]:
        """Every folder in handouts/ with a handout.md (its name is the handout's id)."""
        return sorted(p.parent.name for p in self.handouts_dir.glob("*/handout.md"))

    def handout(self, handout_id: str) -> Handout:
        found = self.handout_ids()
        if handout_id not in found:
            known = ", ".join(h for h in found if ID_RE.match(h)) or "none"
            raise UsageError(f"unknown handout '{handout_id}' (known: {known})")
        if why := id_problem(handout_id):  # a folder named as no id can be: say the rule, not 'unknown'
            raise LayoutError(f"{why}; the folder's name is the handout's id, so rename the folder",
                              self.handouts_dir / handout_id)
        return parse_handout(self.handouts_dir / handout_id / "handout.md")

    def locales(self) -> list[str]:
        """Every folder in locales/ that holds catalogs. One named other than as its
        locale is spelled is refused: skipped, its language would vanish unseen."""
        if not self.locales_dir.is_dir():
            return []
        found = []
        for folder in sorted(p for p in self.locales_dir.iterdir() if p.is_dir() and not p.name.startswith(".")):
            if not any((folder / "LC_MESSAGES").glob("*.po")):
                continue  # spoken forms only (locales/en), or not a language's folder at all
            try:
                locale = self.language(folder.name).locale
            except UsageError as exc:
                raise LayoutError(f"'{folder.name}' is not a language code handoutkit knows (folders are named like"
                                  f" es, pt_BR, zh_Hans; a new language needs a row in languages.toml): {exc}",
                                  folder) from None
            if locale != folder.name:
                raise LayoutError(f"name this folder '{locale}' (the locale's own spelling)", folder)
            found.append(locale)
        return found

    def po_path(self, locale: str, domain: str) -> Path:
        return self.locales_dir / locale / "LC_MESSAGES" / f"{domain}.po"

    def pot_path(self, domain: str) -> Path:
        return self.locales_dir / f"{domain}.pot"

    def languages(self, handout_id: str) -> list[Language]:
        """English first, then every language of locales/, whether or not it has a
        catalog for this handout yet: a new handout is listed (and gated) in each."""
        return [self.language(SOURCE_LOCALE), *(self.language(locale) for locale in self.locales())]

    def output_dir(self, handout_id: str, lang: Language) -> Path:
        return self.dist_dir / handout_id / lang.tag
