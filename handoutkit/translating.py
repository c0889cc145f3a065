"""The translators' commands: extract the templates (.pot), start a language's catalogs
(init), and merge the new English into every catalog (update, with GNU msgmerge)."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

from . import catalogs
from .errors import UsageError
from .extract import TEMPLATES_DOMAIN, handout_template, templates_template
from .files import write_atomic
from .project import Project
from .readability import report_grade


def _pot_bytes(catalog: Catalog) -> bytes:
    from io import BytesIO

    buf = BytesIO()
    write_po(buf, catalog, width=76, sort_output=False, omit_header=False)
    return buf.getvalue()


def templates_for(project: Project) -> dict[str, Catalog]:
    """Every POT the project has now: one per handout, plus the template strings."""
    pots: dict[str, Catalog] = {}
    dates = []
    for handout_id in project.handout_ids():
        handout = project.handout(handout_id)
        pots[handout_id] = handout_template(handout, project.root)
        dates.append(handout.date)
    pots[TEMPLATES_DOMAIN] = templates_template(project.templates_dir, project.root, max(dates) if dates else dt.date.today())
    return pots


def cmd_extract(project: Project, args: argparse.Namespace) -> int:
    for domain, pot in templates_for(project).items():
        path = project.pot_path(domain)
        write_atomic(path, _pot_bytes(pot))
        print(f"wrote {project.rel(path)} ({len([m for m in pot if m.id])} messages)")
    for handout_id in project.handout_ids():
        report_grade(project.handout(handout_id))
    return 0


def cmd_init(project: Project, args: argparse.Namespace) -> int:
    lang = project.language(args.lang)
    if lang.is_source:
        raise UsageError("English is the source language; it needs no catalog")
    for domain, pot in templates_for(project).items():
        path = project.po_path(lang.locale, domain)
        if path.exists():
            print(f"kept {project.rel(path)} (exists; use 'update')")
            continue
        _write_po(path, _new_catalog(pot, lang.locale, domain))
        print(f"created {project.rel(path)}")
    return 0


def _new_catalog(pot: Catalog, locale: str, domain: str) -> Catalog:
    """An empty catalog for one language, from a template."""
    catalog = read_po(_bytes_io(_pot_bytes(pot)), locale=locale, domain=domain)
    catalog.revision_date = dt.datetime.now(dt.UTC)
    catalog.fuzzy = False
    return catalog


def _bytes_io(data: bytes):
    from io import BytesIO

    return BytesIO(data)


def _write_po(path: Path, catalog: Catalog) -> None:
    from io import BytesIO

    buf = BytesIO()
    write_po(buf, catalog, width=76, include_previous=True, sort_output=False)
    write_atomic(path, buf.getvalue())


def _merge(po_path: Path, pot_path: Path) -> bytes:
    """GNU msgmerge --previous, as a clinic's own tools would run it: changed
    messages turn fuzzy with the old English kept (#| msgid) for the translator."""
    import subprocess

    catalogs.read_catalog(po_path)  # refuse a broken catalog with file:line first
    proc = subprocess.run(
        ["msgmerge", "--previous", "--quiet", "--width=76", "-o", "-", str(po_path), str(pot_path)],
        capture_output=True,
    )
    if proc.returncode != 0:
        first = (proc.stderr.decode("utf-8", "replace").strip().splitlines() or ["msgmerge failed"])[0]
        raise catalogs.CatalogError(first.replace("msgmerge: ", ""), po_path)
    return proc.stdout


def cmd_update(project: Project, args: argparse.Namespace) -> int:
    """Merge every catalog with the new templates; a translation language that
    has no catalog for a handout yet gets one, so the handout is gated there too."""
    pots = templates_for(project)
    for domain, pot in pots.items():
        write_atomic(project.pot_path(domain), _pot_bytes(pot))
    only = {project.language(tag).locale for tag in args.lang} if args.lang else None
    for locale in project.locales():
        if only is not None and locale not in only:
            continue
        if project.language(locale).is_source:
            continue
        for domain, pot in pots.items():
            path = project.po_path(locale, domain)
            if not path.exists():
                _write_po(path, _new_catalog(pot, locale, domain))
                print(f"created {project.rel(path)} (not translated yet)")
                continue
            write_atomic(path, _merge(path, project.pot_path(domain)))
            print(f"updated {project.rel(path)}")
    return 0
