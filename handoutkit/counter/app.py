"""The counter app's pages: find, pick a language, see, print, share, build. Every handout id,
language tag and file name from the browser goes through the project's own checks (the CLI's);
files are served from the language's folder in dist/ only."""

from __future__ import annotations

import re
import secrets
import unicodedata
from dataclasses import dataclass, field, replace
from pathlib import Path

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from ..errors import HandoutkitError
from ..languages import Language
from ..options import BuildOptions, PdfOptions
from ..outputs import REGISTRY, get
from ..project import Project
from ..source import Handout
from .builds import Builds, BusyError
from .guard import Guard
from .preview import page_images

HERE = Path(__file__).parent
FILE_RE = re.compile(r"\A[A-Za-z0-9][A-Za-z0-9._-]{0,200}\Z")
SERVED = {".pdf": "application/pdf", ".mp3": "audio/mpeg", ".vtt": "text/vtt", ".zip": "application/zip",
          ".brf": "text/plain", ".txt": "text/plain", ".epub": "application/epub+zip", ".png": "image/png"}
EDITIONS = ("pdf", "bilingual", "braille")


@dataclass
class Counter:
    """What every page of one running counter shares."""

    project: Project
    csrf: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    builds: Builds = field(default_factory=Builds)

    @property
    def site(self):
        return self.project.site

    @property
    def paper(self) -> str:
        return self.site.paper if self.site is not None and self.site.paper else "letter"

    def options(self, outputs: tuple[str, ...], size: int = 18, paper: str | None = None,
                fallback: bool = False) -> BuildOptions:
        import os

        return BuildOptions(outputs=outputs, pdf=PdfOptions(size, paper or self.paper), allow_incomplete=fallback,
                            jobs=os.cpu_count() or 1)


def fold(text: str) -> str:
    """For matching what staff type: no case, no accents ('Espanol' finds 'español')."""
    return "".join(c for c in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(c))


def _counter(request: Request) -> Counter:
    return request.app.state.counter


def _handout(counter: Counter, handout_id: str) -> Handout:
    try:
        return counter.project.handout(handout_id)
    except HandoutkitError as exc:
        raise HTTPException(404, str(exc)) from None


def _language(counter: Counter, handout_id: str, tag: str) -> Language:
    """A language of this handout, checked as the CLI checks --lang."""
    try:
        lang = counter.project.language(tag)
    except HandoutkitError as exc:
        raise HTTPException(404, str(exc)) from None
    if lang.locale not in {found.locale for found in counter.project.languages(handout_id)} or lang.tag != tag:
        raise HTTPException(404, f"no catalogs for language '{tag}'")
    return lang


def render(request: Request, name: str, code: int = 200, **context) -> Response:
    counter = _counter(request)
    templates: Jinja2Templates = request.app.state.templates
    return templates.TemplateResponse(request, name, {"site": counter.site, "csrf": counter.csrf, **context},
                                      status_code=code)


async def find(request: Request) -> Response:
    """Find: a handout by its title, id or a drug name; a language by its own or English name."""
    counter = _counter(request)
    q, lang_q = request.query_params.get("q", "").strip(), request.query_params.get("lang", "").strip()
    handouts = [counter.project.handout(h) for h in counter.project.handout_ids()]
    if q:
        handouts = [h for h in handouts if any(fold(q) in fold(text) for text in (h.id, h.title.text, *h.names))]
    languages: list[Language] = []
    if lang_q:
        every = {lang.locale: lang for h in handouts for lang in counter.project.languages(h.id)}
        languages = [lang for lang in every.values()
                     if any(fold(lang_q) in fold(t) for t in (lang.name_native, lang.name_en, lang.tag))]
    return render(request, "find.html", q=q, lang_q=lang_q, handouts=handouts if (q or lang_q) else [],
                  languages=languages, searched=bool(q or lang_q), every=len(counter.project.handout_ids()))


async def card(request: Request) -> Response:
    """Which language do you read? Every language's name in its own script, large."""
    counter = _counter(request)
    handout = _handout(counter, request.path_params["handout"])
    return render(request, "card.html", handout=handout, languages=counter.project.languages(handout.id))


def _files(counter: Counter, handout_id: str, lang: Language) -> dict:
    """The finished files of this handout in this language, as the outputs name them."""
    options = counter.options(tuple(REGISTRY))
    folder = counter.project.output_dir(handout_id, lang)

    def first(output: str, language: Language = lang, opts: BuildOptions = options) -> Path | None:
        path = get(output).files(folder, handout_id, language, opts, False)[0]
        return path if path.is_file() else None

    audio = get("audio")
    spoken = []
    for edition in audio.variants(lang):
        main, clip, vtt = audio.files(folder, handout_id, edition, options, False)
        if main.is_file():
            spoken.append({"name": edition.edition or lang.tag, "mp3": main.name,
                           "clip": clip.name if clip.is_file() else None, "vtt": vtt.name if vtt.is_file() else None})
    bundle = folder / f"{handout_id}-{lang.tag}.zip"
    fallback = sorted(p.name for p in folder.glob("*-incomplete*") if p.is_file()) if folder.is_dir() else []
    return {"pdf": first("pdf"), "bilingual": first("bilingual"), "braille": first("braille"), "epub": first("epub"),
            "audio": spoken, "zip": bundle if bundle.is_file() else None, "fallback": fallback}


def _standing(counter: Counter, handout: Handout, lang: Language):
    from ..speech.voices import Voices
    from ..status import standing

    return standing(counter.project, handout, lang, Voices(counter.project, "auto"))


async def handout_page(request: Request) -> Response:
    counter = _counter(request)
    handout = _handout(counter, request.path_params["handout"])
    lang = _language(counter, handout.id, request.path_params["tag"])
    return await run_in_threadpool(_handout_page, request, counter, handout, lang)


def _handout_page(request: Request, counter: Counter, handout: Handout, lang: Language, **extra) -> Response:
    from ..share import page_url, qr_code

    found = _files(counter, handout.id, lang)
    pages = page_images(found["pdf"], counter.project.root / ".cache" / "counter") if found["pdf"] else []
    site = counter.site
    url = page_url(site.base_url, handout.id, lang.tag) if site is not None and site.base_url else None
    running = counter.builds.running()
    return render(request, "handout.html", handout=handout, lang=lang, standing=_standing(counter, handout, lang),
                  files=found, pages=pages, qr=qr_code(url, scale=10) if url else None, outputs=REGISTRY,
                  braille_printer=bool(site and site.braille_printer), paper=counter.paper,
                  bilingual_default=bool(site and site.bilingual), running=running, **extra)


async def served_file(request: Request) -> Response:
    """A finished file of this handout in this language (a name only: no folder, no dot file)."""
    counter = _counter(request)
    handout = _handout(counter, request.path_params["handout"])
    lang = _language(counter, handout.id, request.path_params["tag"])
    name = request.path_params["name"]
    folder = counter.project.output_dir(handout.id, lang)
    path = folder / name
    if not FILE_RE.match(name) or path.suffix not in SERVED or not path.is_file() \
            or not path.resolve().is_relative_to(counter.project.dist_dir.resolve()):
        raise HTTPException(404, "no such file")
    return FileResponse(path, media_type=SERVED[path.suffix], filename=name if path.suffix == ".zip" else None)


async def page_image(request: Request) -> Response:
    counter = _counter(request)
    handout = _handout(counter, request.path_params["handout"])
    lang = _language(counter, handout.id, request.path_params["tag"])
    pdf = _files(counter, handout.id, lang)["pdf"]
    number = request.path_params["number"]
    pages = await run_in_threadpool(page_images, pdf, counter.project.root / ".cache" / "counter") if pdf else []
    if not 1 <= number <= len(pages):
        raise HTTPException(404, "no such page")
    return FileResponse(pages[number - 1], media_type="image/png")


async def _form(request: Request, counter: Counter) -> dict[str, str]:
    """The posted form, after its token is checked (a form from another site has none)."""
    form = await request.form()
    if not secrets.compare_digest(str(form.get("csrf", "")), counter.csrf):
        raise HTTPException(403, "Refused: this form did not come from this counter (reload the page and try again).")
    return {k: str(v) for k, v in form.items()}


def _choice(form: dict[str, str], key: str, allowed: tuple[str, ...], default: str) -> str:
    value = form.get(key, default)
    if value not in allowed:
        raise HTTPException(400, f"'{key}' must be one of {', '.join(allowed)}")
    return value


async def print_handout(request: Request) -> Response:
    """Print: the chosen edition (built now if out of date, else the last finished one: never
    waiting on a build) to the site's CUPS queue, with copies."""
    counter = _counter(request)
    handout = _handout(counter, request.path_params["handout"])
    lang = _language(counter, handout.id, request.path_params["tag"])
    form = await _form(request, counter)
    edition = _choice(form, "edition", EDITIONS, "pdf")
    size = int(_choice(form, "size", ("18", "24"), "18"))
    paper = _choice(form, "paper", ("letter", "a4"), counter.paper)
    copies = form.get("copies", "1")
    if not copies.isdigit() or not 1 <= int(copies) <= 20:
        raise HTTPException(400, "copies must be a number from 1 to 20")
    fallback = form.get("fallback") == "yes"
    if edition == "bilingual" and lang.is_source:
        raise HTTPException(400, "English has no bilingual edition (it is the second half of each pair)")
    options = counter.options((edition,), size, paper, fallback)
    said = await run_in_threadpool(_print, counter, handout.id, lang, options, edition, int(copies))
    return render(request, "printed.html", handout=handout, lang=lang, **said)


def _print(counter: Counter, handout_id: str, lang: Language, options: BuildOptions, edition: str,
           copies: int) -> dict:
    import io

    from ..printing import PrintError, file_to_print, scheduler_running, send
    from ..report import print_lines

    site = counter.site
    try:
        todo = file_to_print(counter.project, handout_id, lang, options, edition)
    except HandoutkitError as exc:
        return {"sent": False, "lines": [str(exc)]}
    out = io.StringIO()
    print_lines(todo.outcomes, counter.project, out, out)
    lines = [*out.getvalue().splitlines(), *([todo.busy] if todo.busy else []), *([todo.older] if todo.older else [])]
    if todo.path is None:
        return {"sent": False, "lines": ["Not printed: this language is blocked.", *lines]}
    if not scheduler_running():
        return {"sent": False, "lines": [*lines, f"No printer service (CUPS) here; the file is ready: {todo.path.name}"],
                "file": todo.path.name}
    printer = site.braille_printer if edition == "braille" and site is not None else (site.printer if site else None)
    if edition == "braille" and not printer:
        return {"sent": False, "lines": ["No braille embosser is set for this site (braille_printer in its settings);"
                                         " download the braille file instead."], "file": todo.path.name}
    try:
        answer = send(todo.path, printer, copies, raw=edition == "braille")
    except PrintError as exc:
        return {"sent": False, "lines": [*lines, str(exc)]}
    where = printer or "the default printer"
    return {"sent": True, "lines": [*lines, f"Sent {copies} {'copy' if copies == 1 else 'copies'} of {todo.path.name}"
                                    f" to {where} ({answer})."], "file": todo.path.name, "older": bool(todo.older)}


async def start_build(request: Request) -> Response:
    """Build: this language again, the chosen outputs; the marked fallback only when asked for by name."""
    counter = _counter(request)
    handout = _handout(counter, request.path_params["handout"])
    lang = _language(counter, handout.id, request.path_params["tag"])
    form = await _form(request, counter)
    chosen = tuple(name for name in REGISTRY if form.get(f"output-{name}") == "yes")
    if not chosen:
        raise HTTPException(400, "choose at least one output to make")
    options = counter.options(chosen, fallback=form.get("fallback") == "yes")
    try:
        run = counter.builds.start(counter.project, handout.id, lang, options)
    except BusyError as exc:
        return render(request, "busy.html", 409, handout=handout, lang=lang, message=str(exc))
    return RedirectResponse(f"/builds/{run.number}", 303)


async def build_page(request: Request) -> Response:
    run = _counter(request).builds.get(request.path_params["number"])
    if run is None:
        raise HTTPException(404, "no such build")
    return render(request, "build.html", run=run)


async def build_json(request: Request) -> Response:
    run = _counter(request).builds.get(request.path_params["number"])
    if run is None:
        raise HTTPException(404, "no such build")
    return JSONResponse(run.as_dict())


async def refused(request: Request, exc: Exception) -> Response:
    status = exc.status_code if isinstance(exc, HTTPException) else 500
    detail = exc.detail if isinstance(exc, HTTPException) else "the counter met an error"
    return render(request, "refused.html", status, status=status, detail=detail)


def create_app(project: Project, allowed_hosts: set[str], token: str | None) -> Starlette:
    routes = [
        Route("/", find),
        Route("/h/{handout}", card),
        Route("/h/{handout}/{tag}", handout_page),
        Route("/h/{handout}/{tag}/page/{number:int}.png", page_image),
        Route("/h/{handout}/{tag}/files/{name}", served_file),
        Route("/h/{handout}/{tag}/print", print_handout, methods=["POST"]),
        Route("/h/{handout}/{tag}/build", start_build, methods=["POST"]),
        Route("/builds/{number:int}", build_page),
        Route("/builds/{number:int}.json", build_json),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]
    app = Starlette(routes=routes, middleware=[Middleware(Guard, allowed_hosts=allowed_hosts, token=token)],
                    exception_handlers={HTTPException: refused})
    app.state.counter = Counter(replace(project))
    app.state.templates = Jinja2Templates(directory=HERE / "templates")
    return app
