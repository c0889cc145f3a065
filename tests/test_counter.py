"""The counter app (`make-handouts serve`), run for real: uvicorn in its own process, Debian's
Chromium through Playwright, axe, the real CUPS queue (cups-pdf) and zbar for the QR code.

Facts come from outside the app: the text poppler reads back from what reached the printer,
the URL zbar decodes from the screen, the files on disk, HTTP status codes, axe's verdict and
the browser's accessibility tree. The screenshots in the README are made here."""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from handoutkit.cli import main

from . import tagged
from .conftest import ROOT, copy_project

HANDOUT = "baclofen-withdrawal"
BASE_URL = "https://handouts.example.org/corner"
SHOTS = ROOT / "docs" / "counter"
KEY_ES = "Nunca deje de tomar baclofeno por su cuenta."  # the first safety message, from es's catalog


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, root: Path, *args: str):
        self.port = free_port()
        command = [sys.executable, "-c", "from handoutkit.cli import run; run()", "--project", str(root), "serve",
                   "--port", str(self.port), *args]
        self.log = root.parent / f"counter-{self.port}.log"  # read by the tests; a pipe left unread could fill
        with self.log.open("w") as log:
            self.proc = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, cwd=root,
                                         env={**os.environ, "PYTHONPATH": str(ROOT)})  # this checkout's handoutkit
        for _ in range(150):
            try:
                socket.create_connection(("127.0.0.1", self.port), 0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        else:
            self.stop()
            raise AssertionError(f"the counter did not start: {self.log.read_text()}")
        self.first_line = self.log.read_text().split("\n", 1)[0]
        self.url = f"http://127.0.0.1:{self.port}"

    def get(self, path: str, headers: dict[str, str] | None = None, method: str = "GET",
            body: str | None = None) -> tuple[int, dict[str, str], str]:
        """A raw request: the path goes out exactly as written (no client clean-up of '..')."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        conn.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
        sent = {"Host": f"127.0.0.1:{self.port}", **(headers or {})}
        if body is not None:
            sent.setdefault("Content-Type", "application/x-www-form-urlencoded")
            sent["Content-Length"] = str(len(body.encode()))
        for key, value in sent.items():
            conn.putheader(key, value)
        conn.endheaders(body.encode() if body is not None else None)
        answer = conn.getresponse()
        result = answer.status, {k.lower(): v for k, v in answer.getheaders()}, answer.read().decode("utf-8", "replace")
        conn.close()
        return result

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Spanish built (PDF, bilingual, audio, braille, phone page), Arabic not yet; a site with a
    printer queue and a base_url; a second site without base_url."""
    root = copy_project(tmp_path_factory.mktemp("counter") / "proj", ["es", "ar"])
    (root / "site.toml").write_text(f'id = "corner"\nname = "Corner Pharmacy"\nbase_url = "{BASE_URL}"\n'
                                    'printer = "handoutkit-test"\nemergency_number = "911"\n', "utf-8")
    (root / "nourl.toml").write_text('id = "corner"\nname = "Corner Pharmacy (no web address)"\n', "utf-8")
    outputs = [a for o in ("pdf", "bilingual", "audio", "braille", "web") for a in ("--output", o)]
    assert main(["--project", str(root), "build", "--lang", "es", *outputs]) == 0
    return root


@pytest.fixture(scope="module")
def server(project: Path) -> Iterator[Server]:
    running = Server(project)
    yield running
    running.stop()


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    pytest.importorskip("axe_playwright_python")
    if not shutil.which("chromium"):
        pytest.skip("Debian's chromium is not installed")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=shutil.which("chromium"), args=[
            "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--autoplay-policy=no-user-gesture-required"])
        yield chromium
        chromium.close()


def axe_serious(page) -> list[tuple[str, str]]:
    from axe_playwright_python.sync_playwright import Axe

    violations = Axe().run(page).response["violations"]
    return [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in violations
            if v["impact"] in ("serious", "critical")]


def wait_for(page, script: str, timeout: float = 30) -> None:
    """Until the script is true in the page (polled from here: the page's CSP allows no eval)."""
    end = time.monotonic() + timeout
    while not page.evaluate(script):
        if time.monotonic() > end:
            raise AssertionError(f"not true after {timeout} s: {script}")
        time.sleep(0.1)


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def printed_since(queue: Path, job: str, timeout: float = 60) -> Path:
    """The file cups-pdf wrote for one job ('request id is handoutkit-test-12' -> '...job_12.pdf')."""
    number = job.rsplit("-", 1)[-1]
    for _ in range(int(timeout / 0.25)):
        found = [p for p in queue.glob(f"*job_{number}.pdf")] if queue.exists() else []
        if found and time.time() - found[0].stat().st_mtime > 0.5:
            return found[0]
        time.sleep(0.25)
    raise AssertionError(f"the queue made no PDF for job {job}")


def test_find_pick_by_own_name_preview_and_listen(server: Server, browser, project: Path) -> None:
    page = browser.new_page(viewport={"width": 1000, "height": 900})
    page.goto(server.url + "/")
    assert "Corner Pharmacy" in page.locator("header").inner_text()  # the site, on every page
    assert axe_serious(page) == []
    shot(page, "1-find")
    page.get_by_label("Handout or drug name").fill("Lioresal")  # a brand name finds the handout
    page.get_by_role("button", name="Find").click()
    assert page.get_by_role("heading", name="Baclofen: never stop suddenly").is_visible()
    assert axe_serious(page) == []
    page.get_by_role("link", name=re.compile("Which language do you read")).click()
    assert axe_serious(page) == []
    shot(page, "2-which-language")
    own = page.locator("ul.card a span.own")
    assert {own.nth(i).get_attribute("lang") for i in range(own.count())} == {"en", "es", "ar"}
    assert page.locator('span.own[lang="ar"]').get_attribute("dir") == "rtl"
    page.locator('span.own[lang="es"]').click()  # the patient taps their language's own name
    assert page.url.endswith(f"/h/{HANDOUT}/es")
    assert "Corner Pharmacy" in page.locator("header").inner_text()
    assert "Draft" in page.locator("dl.status").inner_text()  # no translator has signed it off
    pdf = project / "dist" / "corner" / HANDOUT / "es" / f"{HANDOUT}-es.pdf"
    pages = int(re.search(r"Pages:\s+(\d+)", subprocess.run(["pdfinfo", str(pdf)], capture_output=True,
                                                                text=True).stdout)[1])
    images = page.locator("ul.pages img")
    assert images.count() == pages
    images.last.scroll_into_view_if_needed()
    wait_for(page, "[...document.querySelectorAll('ul.pages img')].every(i => i.complete && i.naturalWidth > 0)")
    player = page.locator("audio").first
    seconds = page.evaluate("""a => new Promise(done => { if (a.readyState >= 1) done(a.duration);
        a.addEventListener('loadedmetadata', () => done(a.duration)); a.load(); })""", player.element_handle())
    mp3 = pdf.with_suffix(".mp3")
    probe = subprocess.run(["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", str(mp3)],
                           capture_output=True, text=True) if shutil.which("ffprobe") else None
    assert seconds > 60 and (probe is None or abs(seconds - float(probe.stdout)) < 1)
    assert axe_serious(page) == []
    shot(page, "3-handout")
    page.close()


def test_an_aria_snapshot_names_every_control(server: Server, browser) -> None:
    page = browser.new_page()
    page.goto(f"{server.url}/h/{HANDOUT}/es")
    tree = page.locator("body").aria_snapshot()
    for expected in ['banner:', 'navigation "Counter"', 'main:', 'contentinfo:',
                     'heading "Status" [level=2]', 'heading "Print" [level=2]', 'heading "Share" [level=2]',
                     'group "Edition"', 'radio "Large print" [checked]',
                     'radio "Bilingual: each part in Spanish, then in English"', 'spinbutton "Copies"',
                     'button "Print"', 'button "Build Spanish"', f'img "QR code for {BASE_URL}/{HANDOUT}/es/"',
                     'checkbox "Large-print PDF" [checked]', 'link "Download every file (zip)"']:
        assert expected in tree, f"{expected!r} not in the accessibility tree:\n{tree}"
    page.close()


def test_qr_on_screen_decodes_to_the_sites_page(server: Server, browser, tmp_path: Path) -> None:
    if not shutil.which("zbarimg"):
        pytest.skip("needs zbar-tools")
    page = browser.new_page()
    page.goto(f"{server.url}/h/{HANDOUT}/es")
    page.locator("#qr").screenshot(path=str(tmp_path / "qr.png"))
    page.close()
    decoded = subprocess.run(["zbarimg", "--quiet", "--raw", str(tmp_path / "qr.png")], capture_output=True, text=True)
    assert decoded.stdout.strip() == f"{BASE_URL}/{HANDOUT}/es/"


def test_at_320_px_nothing_scrolls_sideways(server: Server, browser) -> None:
    page = browser.new_page(viewport={"width": 320, "height": 640})
    for path in ("/", f"/h/{HANDOUT}", f"/h/{HANDOUT}/es", f"/h/{HANDOUT}/ar"):
        page.goto(server.url + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 320, path
    page.close()


def test_print_reaches_the_cups_queue_and_reads_back(server: Server, browser, cups_pdf_queue: Path,
                                                     tmp_path: Path) -> None:
    page = browser.new_page()
    page.goto(f"{server.url}/h/{HANDOUT}/es")
    page.get_by_label("Copies").fill("2")
    page.get_by_role("button", name="Print").click()
    said = page.get_by_role("status").inner_text()
    assert page.get_by_role("heading", level=1).inner_text() == "Sent to the printer", said
    assert "Sent 2 copies" in said and "handoutkit-test" in said
    assert axe_serious(page) == []
    shot(page, "4-printed")
    page.close()
    job = re.search(r"request id is (\S+)", said)[1]
    printed = printed_since(cups_pdf_queue, job)
    text = tagged.squash(subprocess.run(["pdftotext", str(printed), "-"], capture_output=True, text=True).stdout)
    assert tagged.squash(KEY_ES) in text
    assert job_copies(job, tmp_path) == 2  # CUPS's own record of the job


def job_copies(job: str, tmp_path: Path) -> int:
    """The copies CUPS holds for a job, asked over IPP with ipptool (not the counter's own words)."""
    queue, number = job.rsplit("-", 1)
    test = tmp_path / "job.test"
    test.write_text("{\n OPERATION Get-Job-Attributes\n GROUP operation-attributes-tag\n"
                    " ATTR charset attributes-charset utf-8\n ATTR naturalLanguage attributes-natural-language en\n"
                    f" ATTR uri printer-uri $uri\n ATTR integer job-id {number}\n"
                    " ATTR name requesting-user-name root\n DISPLAY copies\n}\n", "utf-8")
    out = subprocess.run(["ipptool", "-t", "-v", f"ipp://localhost/printers/{queue}", str(test)], capture_output=True,
                         text=True, timeout=30).stdout
    found = re.search(r"copies \(integer\) = (\d+)", out)
    assert found, out
    return int(found[1])


def test_two_staff_print_at_once(server: Server, cups_pdf_queue: Path) -> None:
    _status, _headers, html = server.get(f"/h/{HANDOUT}/es")
    csrf = re.search(r'name="csrf" value="([^"]+)"', html)[1]
    answers: list[tuple[int, str]] = []

    def one(edition: str) -> None:
        status, _h, body = server.get(f"/h/{HANDOUT}/es/print", method="POST",
                                      body=f"csrf={csrf}&edition={edition}&size=18&paper=letter&copies=1")
        answers.append((status, body))

    threads = [threading.Thread(target=one, args=(e,)) for e in ("pdf", "bilingual")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert len(answers) == 2 and all(status == 200 for status, _ in answers)
    jobs = [re.search(r"request id is (\S+)", body) for _, body in answers]
    assert all(jobs), [b[b.find("<main"):b.find("</main>")] for _, b in answers]
    texts = [tagged.squash(subprocess.run(["pdftotext", str(printed_since(cups_pdf_queue, j[1])), "-"],
                                          capture_output=True, text=True).stdout) for j in jobs]
    assert all(tagged.squash(KEY_ES) in t for t in texts)
    assert any(tagged.squash("Never stop taking baclofen on your own.") in t for t in texts)  # the bilingual one


def test_rebuild_one_language_with_live_progress(server: Server, browser, project: Path) -> None:
    page = browser.new_page()
    page.add_init_script("""window.__said = [];
        new MutationObserver(() => { const s = document.getElementById('said');
            if (s) window.__said.push(s.textContent); })
        .observe(document, {subtree: true, childList: true, characterData: true});""")
    page.goto(f"{server.url}/h/{HANDOUT}/ar")
    assert "No finished PDF" in page.locator("section", has=page.get_by_role("heading", name="Preview")).inner_text()
    for name in ("Phone page", "Talking book", "MP3", "Bilingual"):  # keep it short: the PDF and braille
        boxes = page.get_by_role("checkbox", name=re.compile(name, re.I))
        for i in range(boxes.count()):
            boxes.nth(i).uncheck()
    page.get_by_role("button", name="Build Arabic").click()
    wait_for(page, "document.getElementById('said').textContent.startsWith('Build ')", 120)
    final = page.locator("#said").inner_text()
    said = page.evaluate("window.__said")
    report = page.locator("#report").inner_text()
    shot(page, "5-build")
    assert axe_serious(page) == []
    page.close()
    assert final.startswith("Build finished"), (final, report)
    assert any(s.startswith("Making") for s in said), said  # progress was shown while it ran
    pdf = project / "dist" / "corner" / HANDOUT / "ar" / f"{HANDOUT}-ar.pdf"
    assert pdf.is_file() and f"{HANDOUT}-ar.pdf" in report
    assert not (pdf.parent / f"{HANDOUT}-ar.mp3").exists()  # only what was chosen


def test_a_second_build_is_told_one_is_running_and_printing_goes_on(server: Server, cups_pdf_queue: Path) -> None:
    """Two staff: one starts a build (Arabic audio, which takes a while); the other's build is refused
    with a page that says why, and a print of Spanish is sent while that build still runs."""
    _status, _headers, html = server.get(f"/h/{HANDOUT}/ar")
    csrf = re.search(r'name="csrf" value="([^"]+)"', html)[1]
    status, headers, _ = server.get(f"/h/{HANDOUT}/ar/build", method="POST", body=f"csrf={csrf}&output-audio=yes")
    assert status == 303, status
    number = headers["location"].rsplit("/", 1)[-1]
    status, _h, body = server.get(f"/h/{HANDOUT}/es/build", method="POST", body=f"csrf={csrf}&output-pdf=yes")
    assert status == 409 and "A build is already running" in body and "Arabic" in body, (status, body[-800:])
    status, _h, body = server.get(f"/h/{HANDOUT}/es/print", method="POST",
                                  body=f"csrf={csrf}&edition=pdf&size=18&paper=letter&copies=1")
    job = re.search(r"request id is (\S+)", body)
    still = json.loads(server.get(f"/builds/{number}.json")[2])["state"]
    assert status == 200 and job, body[body.find("<main"):body.find("</main>")]
    assert still == "running", "the print waited for the build"
    assert tagged.squash(KEY_ES) in tagged.squash(subprocess.run(
        ["pdftotext", str(printed_since(cups_pdf_queue, job[1])), "-"], capture_output=True, text=True).stdout)
    for _ in range(1200):
        run = json.loads(server.get(f"/builds/{number}.json")[2])
        if run["state"] != "running":
            break
        time.sleep(0.25)
    assert run["state"] == "finished", run


def test_keyboard_alone_finds_picks_and_prints(server: Server, browser) -> None:
    page = browser.new_page()
    page.goto(server.url + "/")
    seen: list[str] = []

    def tab(times: int = 1) -> str:
        for _ in range(times):
            page.keyboard.press("Tab")
        focused = page.evaluate("""() => { const e = document.activeElement;
            const style = getComputedStyle(e);
            return [e.tagName, e.getAttribute('aria-label') || e.labels?.[0]?.textContent || e.textContent.trim(),
                    style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2]; }""")
        assert focused[2], f"no visible focus on {focused}"
        seen.append(f"{focused[0]} {focused[1]}")
        return focused[1]

    assert tab() == "Skip to the main content"
    page.keyboard.press("Enter")
    assert tab() == "Handout or drug name"
    page.keyboard.type("baclofen")
    assert tab().startswith("Language")
    page.keyboard.type("arab")
    assert tab() == "Find"
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"q=baclofen"))
    page.keyboard.press("Tab")  # skip link
    for _ in range(12):
        if "العربية" in tab():
            break
    else:
        raise AssertionError(f"no own-name link reached by Tab: {seen}")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(f"/h/{HANDOUT}/ar$"))
    for _ in range(80):  # past the previews, players and download links
        if tab() == "Print":
            break
    else:
        raise AssertionError(f"Print not reached by Tab: {seen}")
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() in ("Sent to the printer", "Not printed")
    page.close()


def test_a_site_without_base_url_says_so_instead_of_a_qr_code(project: Path, browser) -> None:
    other = Server(project, "--site", "nourl.toml")
    try:
        page = browser.new_page()
        page.goto(f"{other.url}/h/{HANDOUT}/es")
        share = page.locator("section", has=page.get_by_role("heading", name="Share")).inner_text()
        assert "No QR code" in share and "base_url" in share and page.locator("#qr").count() == 0
        assert "Corner Pharmacy (no web address)" in page.locator("header").inner_text()
        page.close()
    finally:
        other.stop()


def test_off_localhost_every_request_needs_the_token(project: Path) -> None:
    other = Server(project, "--host", "0.0.0.0")
    try:
        token = re.search(r"\?token=(\S+)", other.first_line)[1]
        assert other.get("/")[0] == 401
        assert other.get(f"/h/{HANDOUT}/es/files/{HANDOUT}-es.pdf")[0] == 401
        assert other.get("/?token=wrong-token-of-the-right-length")[0] == 401
        status, headers, _ = other.get(f"/?token={token}")
        assert status == 303 and "handoutkit_counter=" in headers["set-cookie"] and "token" not in headers["location"]
        cookie = headers["set-cookie"].split(";", 1)[0]
        assert other.get("/", {"Cookie": cookie})[0] == 200
        assert other.get("/", {"Authorization": f"Bearer {token}"})[0] == 200
    finally:
        other.stop()


def test_a_wrong_host_header_is_refused(server: Server) -> None:
    for host in ("evil.example", f"evil.example:{server.port}", "127.0.0.1.evil.example"):
        status, _h, body = server.get("/", {"Host": host})
        assert status == 400 and "Find a handout" not in body, host


@pytest.mark.parametrize("path", [
    f"/h/{HANDOUT}/es/files/..%2F..%2F..%2Fsite.toml",
    f"/h/{HANDOUT}/es/files/%2e%2e%2f%2e%2e%2f%2e%2e%2fsite.toml",
    f"/h/{HANDOUT}/es/files/../../../site.toml",
    f"/h/{HANDOUT}/es/files/.handoutkit",
    f"/h/{HANDOUT}/es/files/..",
    f"/h/{HANDOUT}/..%2F..%2Fsite.toml/files/x.pdf",
    "/h/..%2F..%2Fhandouts/es/files/handout.md",
    f"/h/{HANDOUT}/es%2F..%2F..%2F..%2F/files/site.toml",
    "/static/../../site.toml",
    "/static/..%2F..%2F..%2Fsite.toml",
    f"/h/{HANDOUT}/es/page/0.png",
])
def test_a_path_outside_dist_is_refused(server: Server, path: str) -> None:
    status, _h, body = server.get(path)
    assert status in (400, 404), (status, body[:200])
    assert "Corner Pharmacy" not in body.split("<main", 1)[-1] and 'id = "corner"' not in body


def test_a_cross_site_post_is_refused(server: Server) -> None:
    form = "edition=pdf&size=18&paper=letter&copies=1"
    assert server.get(f"/h/{HANDOUT}/es/print", method="POST", body=form)[0] == 403  # no form token
    _s, _h, html = server.get(f"/h/{HANDOUT}/es")
    csrf = re.search(r'name="csrf" value="([^"]+)"', html)[1]
    status, _h, _b = server.get(f"/h/{HANDOUT}/es/print", {"Origin": "http://evil.example"}, "POST", f"csrf={csrf}&{form}")
    assert status == 403
    status, _h, _b = server.get(f"/h/{HANDOUT}/es/build", {"Sec-Fetch-Site": "cross-site"}, "POST",
                                f"csrf={csrf}&output-pdf=yes")
    assert status == 403


def test_an_unknown_handout_or_language_is_a_page_that_says_so(server: Server, browser) -> None:
    page = browser.new_page()
    for path, said in (("/h/no-such-handout/es", "unknown handout"), (f"/h/{HANDOUT}/fr", "no catalogs"),
                       (f"/h/{HANDOUT}/xx-Zzzz", "")):
        response = page.goto(server.url + path)
        assert response.status == 404 and said in page.locator("main").inner_text(), path
        assert axe_serious(page) == []
    page.close()



@pytest.fixture(scope="module")
def blocked(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Server]]:
    """Spanish with its first safety message marked fuzzy (a translator's 'check this'): blocked."""
    from babel.messages.pofile import read_po, write_po

    root = copy_project(tmp_path_factory.mktemp("counter-blocked") / "proj", ["es"])
    po = root / "locales" / "es" / "LC_MESSAGES" / f"{HANDOUT}.po"
    with po.open("rb") as f:
        catalog = read_po(f)
    catalog["**Never stop taking baclofen on your own.**"].flags.add("fuzzy")
    with po.open("wb") as f:
        write_po(f, catalog)
    running = Server(root)
    yield root, running
    running.stop()


def test_a_blocked_language_says_why_and_offers_the_fallback_only_when_asked(blocked, browser) -> None:
    root, server = blocked
    page = browser.new_page()
    page.goto(f"{server.url}/h/{HANDOUT}/es")
    status = page.locator("section", has=page.get_by_role("heading", name="Status"))
    assert "Blocked" in status.inner_text()
    page.get_by_text("Why it is blocked").click()
    assert "fuzzy" in status.inner_text() and "Never stop taking baclofen" in status.inner_text()
    fallback = page.get_by_role("checkbox", name=re.compile("Also make the marked fallback"))
    assert not fallback.is_checked()  # never by default
    assert axe_serious(page) == []
    for name in ("Bilingual", "Audio", "Talking", "Braille", "Phone"):
        page.get_by_role("checkbox", name=re.compile(name)).uncheck()
    page.get_by_role("button", name="Build Spanish").click()  # as it is: refused, and said why
    wait_for(page, "document.getElementById('said').textContent.startsWith('Build ')", 120)
    assert page.locator("#said").inner_text().startswith("Build failed")
    assert "blocked" in page.locator("#report").inner_text()
    folder = root / "dist" / HANDOUT / "es"
    assert not folder.exists() or not list(folder.glob("*.pdf"))  # refused: no PDF made
    page.goto(f"{server.url}/h/{HANDOUT}/es")
    page.get_by_role("button", name="Print").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Not printed"
    assert "blocked" in page.get_by_role("status").inner_text()
    page.goto(f"{server.url}/h/{HANDOUT}/es")
    for name in ("Bilingual", "Audio", "Talking", "Braille", "Phone"):
        page.get_by_role("checkbox", name=re.compile(name)).uncheck()
    page.get_by_role("checkbox", name=re.compile("Also make the marked fallback")).check()  # asked for by name
    page.get_by_role("button", name="Build Spanish").click()
    wait_for(page, "document.getElementById('said').textContent.startsWith('Build ')", 120)
    made = folder / f"{HANDOUT}-es-incomplete.pdf"
    assert made.is_file() and not (folder / f"{HANDOUT}-es.pdf").exists()
    assert "Not yet translated" in subprocess.run(["pdftotext", str(made), "-"], capture_output=True, text=True).stdout
    page.goto(f"{server.url}/h/{HANDOUT}/es")
    assert page.get_by_role("link", name=f"Marked fallback: {made.name}").is_visible()
    page.close()
