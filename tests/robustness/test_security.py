"""Security gate: nothing a build draws or publishes may reach outside the project.

Every resource WeasyPrint loads goes through one fetcher (handoutkit/fetcher.py) that
allows only the project's templates and styles, the site logo and the resolved font
files. A listener on 127.0.0.1 records every request; each case tries one route to it
(or to a file outside the project) and must be refused with one line naming what was
refused, while the listener hears nothing and the last good outputs stay as they were.

Markdown links and images: in the English source they are refused (the author wrote
Markdown, and a link cannot be followed on paper); in a translation they are plain
text, drawn as typed and never fetched, because a translation carries no markup but
**bold** and the reviewer must see exactly what the translator wrote.
"""

from __future__ import annotations

import ast
import hashlib
import html
import http.server
import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from ..pageurls import beside, page_urls
from ..pdftext import body_text, squash
from .conftest import Good, set_msgstr

HERE = Path(__file__).resolve().parent
PRODUCT = HERE.parent.parent / "handoutkit"
MESSAGE = "You suddenly feel confused."  # a plain sentence of the handout, no bold, no placeholder
NO_DIGITS = "http://listener.invalid"  # a URL without a number (the listener's has its address and port)


class Listener:
    """A web server on 127.0.0.1 that records every request it gets."""

    def __init__(self) -> None:
        self.hits: list[str] = []
        hits = self.hits

        class Handler(http.server.BaseHTTPRequestHandler):
            def _any(self) -> None:
                hits.append(f"{self.command} {self.path}")
                if self.path.startswith("/redirect"):  # a redirect to a second path: neither may be asked
                    self.send_response(302)
                    self.send_header("Location", "/second.png")
                else:
                    self.send_response(200)
                    self.send_header("Content-Type", "image/png")
                self.end_headers()

            do_GET = do_HEAD = do_POST = _any  # noqa: N815

            def log_message(self, *args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture(scope="module")
def listener() -> Iterator[Listener]:
    server = Listener()
    yield server
    server.server.shutdown()
    server.server.server_close()


@pytest.fixture
def net(listener: Listener) -> Iterator[Listener]:
    """The listener, checked after the case: it was never asked anything."""
    listener.hits.clear()
    yield listener
    assert listener.hits == [], f"a build reached the network: {listener.hits}"


def write_site(good: Good, logo: str, svg: str | None = None) -> Path:
    if svg is not None:
        (good.root / "assets").mkdir(exist_ok=True)
        (good.root / "assets" / "logo.svg").write_text(svg, "utf-8")
    site = good.root / "site.toml"
    site.write_text(f'id = "main-street"\nname = "Main Street Pharmacy"\nlogo = "{logo}"\nlogo_alt = "Logo"\n', "utf-8")
    return site


SVG = ('<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
       'width="40" height="20">{}</svg>')


# --- templates and styles: every route WeasyPrint has to a resource -------------------------

TEMPLATE_ROUTES = {
    # case: (file, text replaced, new text with {url}, what the message names)
    "css url()": ("handout.css", "html {", 'body { background: url("{url}/css-url.png"); }\nhtml {', "{url}/css-url.png"),
    "css @import": ("handout.css", "/* Large print", '@import url("{url}/import.css");\n/* Large print', "{url}/import.css"),
    "@font-face src": ("handout.css", "html {", '@font-face { font-family: "Remote"; src: url("{url}/font.woff2"); }\n'
                       'h1 { font-family: "Remote"; }\nhtml {', "{url}/font.woff2"),
    "<link> element": ("handout.html", "</head>", '<link rel="stylesheet" href="{url}/link.css">\n</head>', "{url}/link.css"),
    "<img> element": ("handout.html", "<h1>", '<img src="{url}/img.png" alt="x">\n<h1>', "{url}/img.png"),
    "redirect": ("handout.html", "<h1>", '<img src="{url}/redirect" alt="x">\n<h1>', "{url}/redirect"),
    "data: SVG pointing out": ("handout.html", "<h1>", '<img alt="x" src="data:image/svg+xml,'
                               "<svg xmlns='http://www.w3.org/2000/svg' width='9' height='9'>"
                               "<image href='{url}/in-data.png' width='9' height='9'/></svg>\">\n<h1>",
                               "{url}/in-data.png"),
    "file:// outside": ("handout.html", "<h1>", '<img src="file:///etc/hostname" alt="x">\n<h1>', "file:///etc/hostname"),
    "file:// with a host": ("handout.html", "<h1>", '<img src="file://127.0.0.1/etc/hostname" alt="x">\n<h1>',
                            "file://127.0.0.1/etc/hostname"),
    "relative ../../": ("handout.html", "<h1>", '<img src="../../x.png" alt="x">\n<h1>', "x.png"),
    "symlink out of templates/": ("handout.html", "<h1>", '<img src="leak.png" alt="x">\n<h1>', "templates/leak.png"),
}


@pytest.mark.parametrize("case", TEMPLATE_ROUTES)
def test_templates_and_styles_cannot_load_from_outside(good: Good, net: Listener, case: str) -> None:
    name, old, new, named = TEMPLATE_ROUTES[case]
    good.edit(good.root / "templates" / name, old, new.replace("{url}", net.url))
    (good.root / "templates" / "leak.png").symlink_to("/etc/hostname")
    result = good.run("build", "--output", "pdf", "--lang", "en")
    line = good.refused(result, "refused to load", named.replace("{url}", net.url), "baclofen-withdrawal-en.pdf")
    assert "only the project's own files" in line


def test_review_sheet_cannot_load_from_outside(good: Good, net: Listener) -> None:
    good.edit(good.root / "templates" / "review-sheet.html", "</head>",
              f'<link rel="stylesheet" href="{net.url}/sheet.css">\n</head>')
    result = good.run("review-sheet", "it")
    assert result.code == 1 and "Traceback" not in result.err
    assert [line for line in result.err.splitlines() if f"refused to load {net.url}/sheet.css" in line
            and "review-sheet.html" in line]
    assert not list((good.root / "dist" / "review").rglob("*.pdf"))


# --- the site logo ----------------------------------------------------------------------------

LOGO_ROUTES = {
    "<image href>": '<image href="{url}/svg-href.png" width="9" height="9"/>',
    "<image xlink:href>": '<image xlink:href="{url}/svg-xlink.png" width="9" height="9"/>',
    "<use href>": '<use href="{url}/sprite.svg#a"/>',
    "<style> url()": '<style>rect {{ fill: url("{url}/paint.svg#p"); }}</style><rect width="9" height="9"/>',
    "style attribute url()": '<rect style="fill: url({url}/attr.svg#p)" width="9" height="9"/>',
    "<style> @import": '<style>@import url("{url}/svg.css");</style><rect width="9" height="9"/>',
    "external entity": None,
}


@pytest.mark.parametrize("case", LOGO_ROUTES)
def test_svg_logo_must_be_self_contained(good: Good, net: Listener, case: str) -> None:
    body = LOGO_ROUTES[case]
    if body is None:
        svg = (f'<?xml version="1.0"?>\n<!DOCTYPE svg [<!ENTITY x SYSTEM "{net.url}/entity">]>\n'
               + SVG.format("<text>&x;</text>"))
    else:
        svg = SVG.format(body.replace("{url}", net.url).replace("{{", "{").replace("}}", "}"))
    site = write_site(good, "assets/logo.svg", svg)
    line = good.refused(good.run("build", "--output", "pdf", "--lang", "en"),
                        f"site.toml:{good.line_of(site, 'logo =')}:", "'logo'", "assets/logo.svg", "self-contained")
    if body is not None and "@import" not in case:
        assert net.url in line  # names what it refers to


def test_a_self_contained_svg_logo_is_drawn(good: Good, net: Listener) -> None:
    """The check refuses links, not SVG: '#id' references and gradients stay allowed."""
    write_site(good, "assets/logo.svg", SVG.format(
        '<defs><linearGradient id="g"><stop offset="0"/></linearGradient><rect id="r" width="9" height="9"/></defs>'
        '<use href="#r" fill="url(#g)"/><text x="12" y="12">MS</text>'))
    result = good.run("build", "--output", "pdf", "--lang", "en")
    assert result.code == 0, result.err
    assert (good.root / "dist" / "main-street" / "baclofen-withdrawal" / "en" / "baclofen-withdrawal-en.pdf").is_file()


@pytest.mark.parametrize(("logo", "words"), [
    ("{url}/logo.svg", "not a URL"),
    ("file:///etc/hostname", "not a URL"),
    ("/etc/hostname", "must be a file inside the project"),
    ("../../x.png", "must be a file inside the project"),
    ("assets/leak.svg", "must be a file inside the project"),  # a symlink inside the project to a file outside
])
def test_logo_path_stays_inside_the_project(good: Good, net: Listener, logo: str, words: str) -> None:
    (good.root / "assets").mkdir()
    outside_svg = good.root.parent / "outside.svg"
    outside_svg.write_text(SVG.format(""), "utf-8")
    (good.root / "assets" / "leak.svg").symlink_to(outside_svg)
    site = write_site(good, logo.replace("{url}", net.url))
    good.refused(good.run("build", "--output", "pdf", "--lang", "en"),
                 f"site.toml:{good.line_of(site, 'logo =')}:", "'logo'", words)


# --- Markdown links and images ----------------------------------------------------------------

@pytest.mark.parametrize(("markdown", "words"), [
    ("![logo]({url}/md-image.png)", "images are not allowed"),
    ("[more]({url}/md-link)", "links are not allowed"),
    ("<{url}/autolink>", "links are not allowed"),
    ('<img src="{url}/md-html.png">', "raw HTML is not allowed"),
])
def test_markdown_links_and_images_in_the_source_are_refused(good: Good, net: Listener, markdown: str,
                                                              words: str) -> None:
    source = good.root / "handouts" / "baclofen-withdrawal" / "handout.md"
    good.edit(source, f"- {MESSAGE}", f"- {MESSAGE} {markdown.replace('{url}', net.url)}")
    good.refused(good.run("build", "--output", "pdf", "--lang", "en"),
                 f"handout.md:{good.line_of(source, MESSAGE)}:", words)


def refused_for_its_numbers(good: Good, typed: str, *outputs: str) -> None:
    """A translation holding the listener's address and port has numbers the English lacks:
    refused by the number rule before anything is made (and the listener is never asked)."""
    line = set_msgstr(good.po(), MESSAGE, typed)
    good.refused(good.run("build", *outputs, "--lang", "it"), f"baclofen-withdrawal.po:{line}:", "numbers differ", MESSAGE)


def test_markdown_in_a_translation_is_literal_text_and_never_fetched(good: Good, net: Listener) -> None:
    typed = f"[it] ![logo]({net.url}/po-image.png) [more]({net.url}/po-link) <{net.url}/po-auto>"
    refused_for_its_numbers(good, typed, "--output", "pdf", "--output", "web")
    typed = typed.replace(net.url, NO_DIGITS)  # the same without numbers: built, and shown as typed
    set_msgstr(good.po(), MESSAGE, typed)
    result = good.run("build", "--output", "pdf", "--output", "web", "--lang", "it")
    assert result.code == 0, result.err
    assert squash(typed) in squash(body_text(good.pdf("it")))
    page = (good.root / "dist" / "baclofen-withdrawal" / "it" / "index.html").read_text("utf-8")
    assert typed in html.unescape(page)
    assert not [url for url in page_urls(page) if NO_DIGITS in url]  # text, not a link or an image
    assert not net.hits


# --- the phone page ---------------------------------------------------------------------------

def test_phone_page_refers_only_to_files_beside_it(good: Good, net: Listener) -> None:
    """Every URL in the pages, as the test reads them (html.parser, tinycss2), names a file beside the page."""
    write_site(good, "assets/logo.svg", SVG.format("<text>MS</text>"))
    good.edit(good.root / "site.toml", 'logo_alt = "Logo"', f'logo_alt = "Logo"\nbase_url = "{net.url}/handouts"')
    assert good.run("build", "--output", "pdf", "--output", "web", "--lang", "en", "--lang", "it").code == 0
    dist = good.root / "dist" / "main-street"
    for tag in ("en", "it"):
        folder = dist / "baclofen-withdrawal" / tag
        urls = page_urls((folder / "index.html").read_text("utf-8"))
        assert f"baclofen-withdrawal-{tag}.pdf" in urls, urls  # the download link is seen, so the reading works
        assert [u for u in urls if not beside(u, folder)] == [], urls
    index = dist / "index.html"
    urls = page_urls(index.read_text("utf-8"))
    assert sorted(urls) == ["baclofen-withdrawal/en/index.html", "baclofen-withdrawal/it/index.html"], urls
    assert all((dist / url).is_file() for url in urls)  # the build's index links down into its own tree


@pytest.mark.parametrize(("old", "new"), [
    ("</main>", '<img src="{url}/page.png" alt="x">\n</main>'),
    ("audio { width: 100%; }", 'audio { width: 100%; } body { background: url("{url}/page-bg.png"); }'),
    ("</head>", '<link rel="stylesheet" href="{url}/page.css">\n</head>'),
    ("</main>", '<a href="../../../outside.html">up</a>\n</main>'),
    ("</main>", "<script>fetch('{url}/beacon');</script>\n</main>"),
])
def test_phone_page_that_would_load_from_elsewhere_is_refused(good: Good, net: Listener, old: str, new: str) -> None:
    new = new.replace("{url}", net.url)
    good.edit(good.root / "templates" / "page.html", old, new)
    named = net.url if net.url in new else "../../../outside.html"
    good.refused(good.run("build", "--output", "web", "--lang", "en"), "templates/page.html", "phone page", named)


def test_a_refused_phone_page_fails_only_the_pages(good: Good, net: Listener) -> None:
    """PDFs made in the same build are kept and listed in the manifest; the old pages stay."""
    good.edit(good.root / "templates" / "page.html", "</main>", f'<img src="{net.url}/page.png" alt="x">\n</main>')
    good.edit(good.root / "templates" / "handout.css", "body {", "body { orphans: 3;")  # so the PDFs are made again
    result = good.run("build", "--output", "pdf", "--output", "web")
    assert result.code == 1 and "Traceback" not in result.err
    assert "failed    baclofen-withdrawal en web" in result.err and "built     baclofen-withdrawal en pdf" in result.out
    manifest = json.loads((good.dist / "manifest.json").read_text("utf-8"))
    listed = {entry["file"]: entry["sha256"] for entry in manifest["outputs"]}
    pdf = "baclofen-withdrawal/en/baclofen-withdrawal-en.pdf"
    assert listed[pdf] == hashlib.sha256((good.dist / pdf).read_bytes()).hexdigest()
    assert not (good.dist / "baclofen-withdrawal" / "en" / "index.html").exists()  # none was there; none is made


# --- Jinja2 autoescaping ----------------------------------------------------------------------

def test_every_jinja_environment_autoescapes() -> None:
    """Each Environment(...) the product makes turns autoescape on (a new one cannot forget it)."""
    found = []
    for path in PRODUCT.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) == "Environment":
                flags = {k.arg: k.value for k in node.keywords}
                assert isinstance(flags.get("autoescape"), ast.Constant) and flags["autoescape"].value is True, path
                found.append(path.name)
    assert found


def test_script_in_a_translation_is_escaped_in_the_page(good: Good, net: Listener) -> None:
    refused_for_its_numbers(good, f'[it] <script src="{net.url}/x.js">alert(1)</script>', "--output", "web")
    set_msgstr(good.po(), MESSAGE, f'[it] <script src="{NO_DIGITS}/x.js">alert(x)</script>')
    result = good.run("build", "--output", "web", "--lang", "it")
    assert result.code == 0, result.err
    page = (good.root / "dist" / "baclofen-withdrawal" / "it" / "index.html").read_text("utf-8")
    assert f"&lt;script src=&#34;{NO_DIGITS}/x.js&#34;&gt;alert(x)&lt;/script&gt;" in page
    assert "<script src" not in page and not [u for u in page_urls(page) if NO_DIGITS in u]
    assert not net.hits
