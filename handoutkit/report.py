"""The build report: lines for scripts and logs, a table on a terminal, JSON on request."""

from __future__ import annotations

import json
import sys
from contextlib import contextmanager

from .build import Outcome
from .project import Project

NONE_HERE = ("no voice", "no braille table", "English source")  # the language has none of this output, by design: said, not an error
GOOD = ("built", "up to date", *NONE_HERE, "removed")


def cell(o: Outcome) -> str:
    if o.status == "blocked" and o.problems:
        return f"blocked ({len(o.problems)} problems)"
    return o.status


def as_json(outcomes: list[Outcome], project: Project) -> str:
    return json.dumps([
        {
            "handout": o.handout, "language": o.language.tag, "output": o.output, "status": o.status,
            "path": project.rel(o.path) if o.path else None, "detail": o.detail,
            "problems": o.problems, "warnings": o.warnings,
        }
        for o in outcomes
    ], indent=1, ensure_ascii=False)


def print_lines(outcomes: list[Outcome], project: Project, out=None, err=None) -> None:
    out, err = out or sys.stdout, err or sys.stderr
    fresh = 0
    said: set[tuple[str, str, str]] = set()  # a language's check is said once, not once per output
    blocked: dict[tuple[str, str], list[str]] = {}  # a blocked pair is named once, with all its outputs
    for o in outcomes:
        if o.status == "blocked":
            blocked.setdefault((o.handout, o.language.tag), []).append(o.output)
    for o in outcomes:
        label = f"{o.handout} {o.language.tag} {o.output}"
        if o.status == "up to date":
            fresh += 1
        elif o.status == "built":
            extra = f" ({o.detail})" if o.detail else ""
            print(f"built     {label}: {project.rel(o.path)}{extra}", file=out)
        elif o.status in NONE_HERE:
            print(f"{o.status}  {label}: {o.detail}", file=out)
        elif o.status == "removed":
            print(f"removed   {label}: {project.rel(o.path)} ({o.detail})", file=out)
        elif o.status == "blocked":
            outputs = blocked.pop((o.handout, o.language.tag), None)
            if outputs is not None:
                print(f"blocked   {o.handout} {o.language.tag} {', '.join(outputs)}"
                      f"{': ' + o.detail if o.detail else ''}", file=err)
                for line in o.problems:
                    print(f"  {line}", file=err)
        else:
            print(f"{o.status:9} {label}{': ' + o.detail if o.detail else ''}", file=err)
            for line in o.problems:
                print(f"  {line}", file=err)
        for line in o.warnings:
            if (o.handout, o.language.tag, line) not in said:
                said.add((o.handout, o.language.tag, line))
                print(f"  check: {line}", file=err)
    if fresh:
        print(f"up to date: {fresh} output{'s' if fresh != 1 else ''}", file=out)


def print_table(outcomes: list[Outcome]) -> None:
    from rich.console import Console
    from rich.table import Table

    outcomes = [o for o in outcomes if o.status != "removed"]  # said in the lines above the table
    outputs = list(dict.fromkeys(o.output for o in outcomes))
    table = Table(title="handoutkit build")
    table.add_column("handout")
    table.add_column("language")
    for output in outputs:
        table.add_column(output)
    rows: dict[tuple[str, str], dict[str, Outcome]] = {}
    for o in outcomes:
        rows.setdefault((o.handout, f"{o.language.tag} {o.language.name_en}"), {})[o.output] = o
    colours = {"built": "green", "up to date": "dim", **dict.fromkeys(NONE_HERE, "yellow"), "blocked": "red", "failed": "red"}
    for (handout, lang), cells in rows.items():
        table.add_row(handout, lang, *(
            f"[{colours.get(cells[k].status, 'white')}]{cell(cells[k])}[/]" if k in cells else "" for k in outputs))
    Console(stderr=False).print(table)


@contextmanager
def progress_bar(enabled: bool):
    """A bar with the current target, on a terminal only; yields the callback the build calls."""
    if not enabled:
        yield lambda name: None
        return
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(), transient=True) as bar:
        task = bar.add_task("planning", total=None)

        def step(name: str) -> None:
            bar.update(task, description=f"making {name}")
            bar.advance(task)

        yield step


def exit_code(outcomes: list[Outcome]) -> int:
    return 0 if all(o.status in GOOD for o in outcomes) else 1

