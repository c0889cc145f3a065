"""Site settings: who hands the handout out (a pharmacy, a clinic) and how.

site.toml (or --site FILE) names the site, its phone, address, optional logo,
territory for dates, paper, emergency number and where the outputs will be
published. Each site's outputs go to dist/<site-id>/ so stores never overwrite
each other. Every bad value is refused with the file, line where known, and key.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from .css import css_urls
from .errors import HandoutkitError
from .limits import LOGO_BYTES, LOGO_SIDE, too_large
from .text import garbled, hidden_override

KEYS = {
    "id": "a short name for the output folder, e.g. 'main-street'",
    "name": "the name readers see, e.g. 'Main Street Pharmacy'",
    "phone": "the number for questions, e.g. '+1 (555) 010-2030 ext. 204'",
    "address": "one address line",
    "logo": "an SVG or PNG file inside the project",
    "logo_alt": "what the logo shows, for screen readers",
    "territory": "a two-letter region for date formats, e.g. 'US'",
    "paper": "'letter' or 'a4'",
    "emergency_number": "the local emergency number, e.g. '911'",
    "base_url": "where the outputs will be published (http or https)",
    "bilingual": "true to print the bilingual edition at the counter by default (false or left out: the usual one)",
    "printer": "the CUPS queue the counter prints to, e.g. 'front-desk' (left out: the default printer)",
    "braille_printer": "the CUPS queue of a braille embosser, e.g. 'embosser' (left out: braille is offered as a file only)",
    "counter_token": "the counter app's access token when it listens beyond this computer (16 or more letters,"
                     " digits, '-' or '_'; left out: a new one each start)",
}
FLAGS = ("bilingual",)  # keys that are true or false, not text
REQUIRED = ("id", "name")
PHONE_RE = re.compile(r"\A\+?[0-9 ()\-.]{3,}(?:\s*(?:ext\.?|x)\s*[0-9]{1,6})?\Z", re.I)
EMERGENCY_RE = re.compile(r"\A[0-9]{2,6}\Z")
ID_RE = re.compile(r"\A[a-z0-9]+(?:-[a-z0-9]+)*\Z")
PRINTER_RE = re.compile(r"\A[A-Za-z0-9_.@-]{1,127}\Z")  # a CUPS queue name: no space, slash, '#' or quote
TOKEN_RE = re.compile(r"\A[A-Za-z0-9_-]{16,128}\Z")
TOML_LINE = re.compile(r"\(at line (\d+), column \d+\)")


class SiteError(HandoutkitError):
    """A site settings file is malformed."""


@dataclass(frozen=True)
class Site:
    id: str
    name: str
    phone: str | None = None
    address: str | None = None
    logo: Path | None = None
    logo_alt: str | None = None
    territory: str | None = None
    paper: str | None = None
    emergency_number: str | None = None
    base_url: str | None = None
    bilingual: bool = False  # the counter prints the bilingual edition by default
    printer: str | None = None  # the CUPS queue the counter prints to (None: the default)
    braille_printer: str | None = None  # the CUPS queue of a braille embosser (None: none)
    counter_token: str | None = None  # the counter app's token off this computer (None: a new one each start)

    def values(self) -> dict[str, str]:
        return {k: v for k, v in (("phone", self.phone), ("site", self.name)) if v}

    def spoken_phone(self) -> str | None:
        """Digit by digit in the groups it is written in, a comma (a pause) between
        groups, so a listener can write it down: '+1 (555) 010-2030 ext. 204' ->
        '1, 5 5 5, 0 1 0, 2 0 3 0, ext. 2 0 4' (each language's lexicon says 'ext.')."""
        if not self.phone:
            return None
        number, extension = self.phone, ""
        found = re.search(r"\s*(?:ext\.?|x)\s*([0-9]+)\s*\Z", self.phone, re.I)
        if found:
            number, extension = self.phone[:found.start()], found.group(1)
        groups = [" ".join(group) for group in re.findall(r"[0-9]+", number)]
        if extension:
            groups.append("ext. " + " ".join(extension))
        return ", ".join(groups)


def _logo(data: dict, path: Path, project_root: Path, fail) -> Path:
    """The site's logo: a PNG or self-contained SVG inside the project, within the limits, with alt text."""
    if re.match(r"[a-z][a-z0-9+.-]*:", data["logo"], re.I):
        raise fail("logo", f"must be a file inside the project, not a URL ({data['logo']})")
    logo = (path.parent / data["logo"]).resolve()
    if not logo.is_relative_to(project_root.resolve()):
        raise fail("logo", "must be a file inside the project")
    if not logo.is_file():
        raise fail("logo", f"no such file: {data['logo']}")
    why = too_large(logo, LOGO_BYTES, data["logo"])
    if why:
        raise fail("logo", why)
    image = logo.read_bytes()
    is_png = image.startswith(b"\x89PNG\r\n\x1a\n")
    is_svg = logo.suffix.lower() == ".svg" and b"<svg" in image[:4096]
    if not (is_png and logo.suffix.lower() == ".png") and not is_svg:
        raise fail("logo", "must be an SVG or PNG image")
    if is_png and image[12:16] == b"IHDR":  # width and height, big-endian, right after the chunk type
        width, height = int.from_bytes(image[16:20], "big"), int.from_bytes(image[20:24], "big")
        if max(width, height) > LOGO_SIDE:
            raise fail("logo", f"{data['logo']} is {width} x {height} pixels; the limit is {LOGO_SIDE} on either"
                       " side (see Limits in the README)")
    problem = _svg_problem(image) if is_svg else None
    if problem:
        raise fail("logo", f"{data['logo']} {problem}; a logo must be one self-contained file")
    if "logo_alt" not in data:
        raise SiteError("'logo_alt' is missing: say what the logo shows, for screen readers", path)
    return logo


def _line_of(text: str, key: str) -> int | None:
    for number, line in enumerate(text.splitlines(), start=1):
        if re.match(rf"\s*{re.escape(key)}\s*=", line):
            return number
    return None


def _svg_problem(data: bytes) -> str | None:
    """Why an SVG logo is not one self-contained file (it links, imports or includes
    anything but itself: '#id' and data: are fine), or None."""
    import xml.etree.ElementTree as ET

    if b"<!ENTITY" in data or b"<?xml-stylesheet" in data:
        return "declares an XML entity or stylesheet"
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        return f"is not valid SVG ({exc})"
    for element in root.iter():
        css = [v for k, v in element.attrib.items() if k.rsplit("}", 1)[-1] != "href"]
        links = [v.strip() for k, v in element.attrib.items() if k.rsplit("}", 1)[-1] == "href"]
        if isinstance(element.tag, str) and element.tag.rsplit("}", 1)[-1] == "style":
            css.append(element.text or "")
        links += [url for text in css for url in css_urls(text)]
        for link in links:
            if not link.startswith(("#", "data:")):
                return f"refers to {link}"
        if any("@import" in text.lower() for text in css):
            return "imports a stylesheet (@import)"
    return None


def load_site(path: Path, project_root: Path) -> Site:
    try:
        text = path.read_text("utf-8").removeprefix("\ufeff")  # a byte-order mark some editors write
    except FileNotFoundError:
        raise SiteError("site settings file not found", path) from None
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[:exc.start].count(b"\n") + 1
        raise SiteError("not UTF-8 text (save it as UTF-8)", path, line) from None
    except OSError as exc:
        raise SiteError(f"cannot read the site settings ({exc.strerror})", path) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = TOML_LINE.search(str(exc))
        raise SiteError(f"not valid TOML ({TOML_LINE.sub('', str(exc)).strip()})", path,
                        int(match[1]) if match else None) from None

    def fail(key: str, why: str) -> SiteError:
        return SiteError(f"'{key}': {why}", path, _line_of(text, key))

    for key, value in data.items():
        if key not in KEYS:
            raise fail(key, f"unknown key (known: {', '.join(KEYS)})")
        if key in FLAGS:
            if not isinstance(value, bool):
                raise fail(key, "must be true or false (without quotes)")
            continue
        if not isinstance(value, str):
            raise fail(key, f"must be text in quotes ({KEYS[key]})")
        if not value.strip():
            raise fail(key, "is empty")
        why = hidden_override(value) or garbled(value)
        if why:
            raise fail(key, why)
    for key in REQUIRED:
        if key not in data:
            raise SiteError(f"'{key}' is missing ({KEYS[key]})", path)
    if not ID_RE.match(data["id"]):
        raise fail("id", "use lowercase letters, digits and hyphens only")
    if "phone" in data and not (PHONE_RE.match(data["phone"]) and sum(c.isdigit() for c in data["phone"]) >= 3):
        raise fail("phone", f"is not a phone number ({KEYS['phone']})")
    if "emergency_number" in data and not EMERGENCY_RE.match(data["emergency_number"]):
        raise fail("emergency_number", "must be 2 to 6 digits, e.g. '911' or '112'")
    if "paper" in data and data["paper"] not in ("letter", "a4"):
        raise fail("paper", "must be 'letter' or 'a4'")
    if "territory" in data:
        from babel import Locale

        if data["territory"] not in Locale("en").territories or not data["territory"].isalpha():
            raise fail("territory", "is not a region code such as 'US' or 'CA'")
    for key in ("printer", "braille_printer"):
        if key in data and not PRINTER_RE.match(data[key]):
            raise fail(key, "is not a CUPS queue name (letters, digits, '.', '_', '-' or '@'; no spaces)")
    if "counter_token" in data and not TOKEN_RE.match(data["counter_token"]):
        raise fail("counter_token", "must be 16 to 128 letters, digits, '-' or '_'")
    if "base_url" in data:
        parts = urlsplit(data["base_url"])
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise fail("base_url", "must start with http:// or https:// and name a host")
    logo = _logo(data, path, project_root, fail) if "logo" in data else None
    return Site(
        id=data["id"], name=data["name"], phone=data.get("phone"), address=data.get("address"), logo=logo,
        logo_alt=data.get("logo_alt"), territory=data.get("territory"), paper=data.get("paper"),
        emergency_number=data.get("emergency_number"), base_url=data.get("base_url"),
        bilingual=data.get("bilingual", False), printer=data.get("printer"),
        braille_printer=data.get("braille_printer"), counter_token=data.get("counter_token"),
    )
