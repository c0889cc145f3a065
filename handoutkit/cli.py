"""The command line: make-handouts (same as python make_handouts.py).

Errors are caught here once and printed as ``file:line: message``.
Exit codes: 0 all requested outputs built; 1 a language was blocked or an
input was refused; 2 a usage error."""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import os
import sys
from pathlib import Path

from . import catalogs, review
from .build import BuildOptions, Outcome, build, language_state, template_wanted
from .errors import HandoutkitError, UsageError
from .extract import TEMPLATES_DOMAIN
from .files import write_atomic
from .languages import Language
from .options import AudioOptions, PdfOptions
from .outputs import names as output_names
from .project import Project
from .readability import GRADE_LIMIT, report_grade
from .report import as_json, exit_code, print_lines, print_table, progress_bar
from .translating import cmd_extract, cmd_init, cmd_update


def cmd_readability(project: Project, args: argparse.Namespace) -> int:
    worst = max(report_grade(project.handout(h)) for h in (args.handout or project.handout_ids()))
    return 0 if worst <= GRADE_LIMIT else 1


def cmd_status(project: Project, args: argparse.Namespace) -> int:
    from .status import every_standing

    rows = [("handout", "language", "translated", "fuzzy", "missing", "review", "audio", "braille", "state")]
    rows += [(s.handout_id, f"{s.language.tag} {s.language.name_en}", f"{s.done}/{s.total}", str(s.fuzzy), str(s.missing),
              s.review, s.audio, s.braille, s.verdict) for s in every_standing(project)]
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for row in rows:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
    return 0


def _site(project: Project, args: argparse.Namespace):
    """--site FILE, else site.toml at the top of the project when there is one."""
    from .site import load_site

    path = args.site or (project.root / "site.toml")
    if args.site is None and not path.exists():
        return None
    return load_site(path.resolve(), project.root)


def _request(project: Project, args: argparse.Namespace,
             outputs: list[str]) -> tuple[Project, list[str] | None, list[Language] | None, BuildOptions]:
    """Check what the command line asks for: (project with its site's folder, handouts, languages, options)."""
    handouts = args.handout or None
    for h in handouts or []:
        project.handout(h)
    tags = [project.language(t) for t in args.lang] if args.lang else None
    if tags:
        known = {lang.locale for h in (handouts or project.handout_ids()) for lang in project.languages(h)}
        for t in tags:
            if t.locale not in known:
                raise UsageError(f"no catalogs for language '{t.tag}' (make-handouts init {t.locale})")
    site = _site(project, args)
    if site is not None:
        project = dataclasses.replace(project, site=site)
    paper = args.paper or (site.paper if site is not None and site.paper else "letter")
    options = BuildOptions(
        outputs=tuple(dict.fromkeys(outputs)),
        pdf=PdfOptions(getattr(args, "size", 18), paper),
        audio=AudioOptions(getattr(args, "rate", "normal"), getattr(args, "engine", "auto")),
        allow_incomplete=getattr(args, "allow_incomplete", False),
        braille_grade=getattr(args, "braille_grade", 0),
        jobs=getattr(args, "jobs", 0) or (os.cpu_count() or 1),
    )
    return project, handouts, tags, options


def _run_build(project: Project, args: argparse.Namespace, outputs: list[str], json_report: bool = False) -> list[Outcome]:
    """Check the request, build, print the report; the outcomes for callers that need the files."""
    project, handouts, tags, options = _request(project, args, outputs)
    terminal = sys.stderr.isatty() and not json_report
    with progress_bar(terminal) as step:
        outcomes = build(project, handouts, tags, options, progress=step)
    if json_report:
        print(as_json(outcomes, project))
    else:
        print_lines(outcomes, project)
        if terminal:
            print_table(outcomes)
    return outcomes


def cmd_build(project: Project, args: argparse.Namespace) -> int:
    outcomes = _run_build(project, args, args.output or list(output_names()), args.json)
    return exit_code(outcomes)


def cmd_print(project: Project, args: argparse.Namespace) -> int:
    """At the pharmacy counter: this language's PDF, built if out of date, to the site's printer
    (else the default one). While another build holds the folder, it never waits: it prints the
    last finished PDF of that handout, language and edition, and says first if that one is older
    than the inputs."""
    from .printing import PrintError, file_to_print, scheduler_running, send

    args.handout, args.lang = [args.handout_id], [args.lang]
    site = _site(project, args)
    bilingual = args.bilingual or bool(site and site.bilingual)
    edition = "bilingual" if bilingual and not project.language(args.lang[0]).is_source else "pdf"
    project, _handouts, tags, options = _request(project, args, [edition])
    todo = file_to_print(project, args.handout_id, tags[0], options, edition)
    print_lines(todo.outcomes, project)
    if todo.path is None:
        return 1
    if todo.busy:
        print(todo.busy)
    if todo.older:
        print(f"note: {todo.older}")
    if not scheduler_running():
        print(f"no printer service (CUPS) here; the handout is ready to print: {todo.path}")
        return 0
    try:
        said = send(todo.path, site.printer if site else None)
    except PrintError as exc:
        print(f"make-handouts: {exc}", file=sys.stderr)
        return 1
    print(f"sent to the printer: {todo.path} ({said})")
    return 0


def cmd_serve(project: Project, args: argparse.Namespace) -> int:
    """The counter app for one site, in a browser (see the README)."""
    from .counter.serve import serve

    site = _site(project, args)
    if site is not None:
        project = dataclasses.replace(project, site=site)
    return serve(project, args.host, args.port, args.allow_host or [])


def cmd_review(project: Project, args: argparse.Namespace) -> int:
    lang = project.language(args.lang)
    today = dt.date.today()
    if lang.is_source:
        for handout_id in args.handout or project.handout_ids():
            handout = project.handout(handout_id)
            path = handout.path.parent / review.REVIEW_FILE
            review.write_review(path, args.by, {"handout.md": review.source_hash(handout.source_text)}, today, "Clinical")
            print(f"signed off {project.rel(path)} for {args.by}")
        return 0
    hashes = {}
    for handout_id in project.handout_ids():
        handout = project.handout(handout_id)
        state = language_state(project, handout, lang, template_wanted(project, handout))
        if state.blocking:
            print(f"{lang.tag} {handout_id} is blocked; fix these before signing off:", file=sys.stderr)
            for line in state.reasons:
                print(f"  {line}", file=sys.stderr)
            return 1
    for domain in [*project.handout_ids(), TEMPLATES_DOMAIN]:
        path = project.po_path(lang.locale, domain)
        if path.exists():
            hashes[domain] = review.catalog_hash(catalogs.read_catalog(path))
    path = project.locales_dir / lang.locale / review.REVIEW_FILE
    review.write_review(path, args.by, hashes, today, "Translation")
    print(f"signed off {project.rel(path)} for {args.by}")
    return 0


def cmd_review_sheet(project: Project, args: argparse.Namespace) -> int:
    from .render.pdf import PdfRenderer
    from .render.sheet import Row, sheet_html, sheet_pdf

    lang = project.language(args.lang)
    if lang.is_source:
        raise UsageError("the review sheet is for a translation; the English source is reviewed as handout.md")
    renderer = PdfRenderer(project.templates_dir)
    for handout_id in args.handout or project.handout_ids():
        handout = project.handout(handout_id)
        rows: list[Row] = []
        hashes = []
        paths = []
        for domain in (handout_id, TEMPLATES_DOMAIN):
            path = project.po_path(lang.locale, domain)
            if not path.exists():
                raise UsageError(f"no catalogs for language '{lang.tag}' (make-handouts init {lang.locale})")
            catalog = catalogs.read_catalog(path)
            hashes.append(review.catalog_hash(catalog))
            paths.append(project.rel(path))
            for m in catalog:
                if not m.id:
                    continue
                notes = [c for c in m.auto_comments if not c.startswith("Where:")]
                where = " ".join(c for c in m.auto_comments if c.startswith("Where:")) or (
                    f"{m.locations[0][0]}:{m.locations[0][1]}" if m.locations else "")
                rows.append(Row(m.id, m.string if isinstance(m.string, str) else m.string[0],
                                " ".join(notes).removeprefix("Translators: "), where, m.fuzzy))
        html = sheet_html(renderer, handout_id, handout.version, lang, rows, paths, " ".join(hashes))
        folder = project.dist_dir / "review" / lang.tag
        base = folder / f"{handout_id}-{lang.tag}-review-sheet"
        pdf = sheet_pdf(renderer, html)  # drawn first: a refused sheet leaves neither file
        write_atomic(base.with_suffix(".html"), html.encode("utf-8"))
        write_atomic(base.with_suffix(".pdf"), pdf)
        print(f"wrote {project.rel(base.with_suffix('.html'))} and .pdf ({len(rows)} messages)")
    return 0


def cmd_check(project: Project, args: argparse.Namespace) -> int:
    """veraPDF's PDF/UA-1 verdict on every PDF already built (all editions), per file; with --epub,
    EPUBCheck's on every EPUB."""
    from .pdfua import validate

    tags = {project.language(t).tag for t in args.lang} if args.lang else None
    if args.epub:
        return _check_epubs(project, args.handout or project.handout_ids(), tags)
    handouts = args.handout or project.handout_ids()
    paths = sorted(p for h in handouts for p in (project.dist_dir / h).glob("*/*.pdf")
                   if tags is None or p.parent.name in tags)
    if args.review_sheets:
        paths += sorted((project.dist_dir / "review").glob("*/*.pdf"))
    if not paths:
        raise UsageError(f"no PDFs in {project.rel(project.dist_dir)} to check: build first")
    verdicts = [(v.path, v.passed, v.failures) for v in validate(paths, project.root / ".cache")]
    return _say_verdicts(project, verdicts, "veraPDF PDF/UA-1", "")


def _check_epubs(project: Project, handouts: list[str], tags: set[str] | None) -> int:
    from .epub_check import validate

    paths = sorted(p for h in handouts for p in (project.dist_dir / h).glob("*/*.epub")
                   if tags is None or p.parent.name in tags)
    if not paths:
        raise UsageError(f"no EPUBs in {project.rel(project.dist_dir)} to check: build first")
    verdicts = [(v.path, v.passed, v.messages) for v in validate(paths, project.root / ".cache")]
    return _say_verdicts(project, verdicts, "EPUBCheck", " (no error, no warning)")


def _say_verdicts(project: Project, verdicts: list[tuple[Path, bool, tuple[str, ...]]], validator: str,
                  meaning: str) -> int:
    """PASS or FAIL per file with what failed, then the count; 1 when any failed."""
    for path, passed, said in verdicts:
        print(f"{'PASS' if passed else 'FAIL'}  {project.rel(path)}")
        for line in said:
            print(f"      {line}")
    failed = sum(1 for _p, passed, _s in verdicts if not passed)
    print(f"{validator}: {len(verdicts) - failed} of {len(verdicts)} passed{meaning}")
    return 1 if failed else 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="make-handouts", description="Accessible, multilingual patient handouts.")
    p.add_argument("--project", type=Path, help="project folder (default: found from the current folder)")
    sub = p.add_subparsers(dest="command", required=True)
    sub.add_parser("extract", help="write the POT templates from the sources")
    s = sub.add_parser("init", help="start catalogs for a new language")
    s.add_argument("lang")
    s = sub.add_parser("update", help="merge source changes into every catalog")
    s.add_argument("--lang", action="append", help="only this language (repeatable)")
    sub.add_parser("status", help="a table of each language's coverage and review")
    s = sub.add_parser("readability", help="Flesch-Kincaid grade of the English sources")
    s.add_argument("--handout", action="append")
    s = sub.add_parser("build", help="build handouts (no options: everything)")
    s.add_argument("--handout", action="append", help="handout id (repeatable)")
    s.add_argument("--lang", action="append", help="language tag, e.g. es or zh-Hans (repeatable)")
    s.add_argument("--size", type=int, choices=(18, 24), default=18, help="body text size in points")
    s.add_argument("--paper", choices=("letter", "a4"), default=None, help="paper size (default: the site's, else letter)")
    s.add_argument("--site", type=Path, help="site settings (default: site.toml at the top, if there is one)")
    s.add_argument("--output", action="append", choices=output_names(), help="only these outputs (default: all)")
    s.add_argument("--engine", choices=("auto", "espeak", "gtts", "piper"), default="auto",
                   help="speech engine (auto: Piper where a voice is installed, else gTTS when reachable, else espeak-ng)")
    s.add_argument("--rate", choices=("normal", "slow"), default="normal", help="speaking rate (normal: 145 words a minute)")
    s.add_argument("--braille-grade", type=int, choices=(1,), default=0,
                   help="uncontracted (grade 1) braille, in a file of its own (default: each language's usual grade)")
    s.add_argument("--json", action="store_true", help="print the report as JSON (for scripts)")
    s.add_argument("--jobs", type=int, default=0, help="worker processes for audio (default: the machine's cores)")
    s.add_argument("--allow-incomplete", action="store_true",
                   help="render missing or fuzzy messages in English, marked 'Not yet translated', to a separate file")
    s = sub.add_parser("review", help="record a qualified reviewer's sign-off of a language (or 'en')")
    s.add_argument("lang")
    s.add_argument("--by", required=True, help='"Name, credential"')
    s.add_argument("--handout", action="append", help="with 'en': only these handouts")
    s = sub.add_parser("print", help="print one language's handout at the counter (builds it if out of date;"
                       " while another build runs, the last finished one)")
    s.add_argument("handout_id")
    s.add_argument("--lang", required=True)
    s.add_argument("--size", type=int, choices=(18, 24), default=18, help="body text size in points")
    s.add_argument("--paper", choices=("letter", "a4"), default=None)
    s.add_argument("--site", type=Path)
    s.add_argument("--bilingual", action="store_true",
                   help="the bilingual edition (each block in the language, then in English); a site's"
                        " site.toml can make it the default with bilingual = true")
    s = sub.add_parser("serve", help="the counter app: find, preview, print and share handouts in a browser")
    s.add_argument("--site", type=Path, help="the site this counter serves (default: site.toml at the top, if there is one)")
    s.add_argument("--host", default="127.0.0.1",
                   help="address to listen on (default 127.0.0.1: this computer only; any other needs the token)")
    s.add_argument("--port", type=int, default=8470)
    s.add_argument("--allow-host", action="append", help="another host name browsers use for this computer (repeatable)")
    s = sub.add_parser("check", help="validate the built PDFs with veraPDF (PDF/UA-1); needs Java")
    s.add_argument("--pdf", action="store_true", default=True, help="PDF/UA-1 with veraPDF (the default)")
    s.add_argument("--epub", action="store_true", help="the EPUBs with EPUBCheck instead")
    s.add_argument("--handout", action="append")
    s.add_argument("--lang", action="append")
    s.add_argument("--review-sheets", action="store_true", help="also the review sheets in dist/review")
    s = sub.add_parser("review-sheet", help="write a side-by-side sheet (HTML and PDF) for a language's reviewer")
    s.add_argument("lang")
    s.add_argument("--handout", action="append")
    return p


COMMANDS = {
    "extract": cmd_extract,
    "init": cmd_init,
    "update": cmd_update,
    "status": cmd_status,
    "readability": cmd_readability,
    "build": cmd_build,
    "review": cmd_review,
    "review-sheet": cmd_review_sheet,
    "print": cmd_print,
    "check": cmd_check,
    "serve": cmd_serve,
}


def main(argv: list[str] | None = None, project_root: Path | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        project = Project(args.project.resolve()) if args.project else Project.find(project_root)
        return COMMANDS[args.command](project, args)
    except HandoutkitError as exc:
        print(f"make-handouts: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("make-handouts: interrupted; finished outputs are kept", file=sys.stderr)
        return 130
    except OSError as exc:  # a disk or folder fault met outside write_atomic: still one line
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"make-handouts: {where}{exc.strerror or exc}", file=sys.stderr)
        return 1


def run() -> None:
    sys.exit(main())
