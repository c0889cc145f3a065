"""The page per language that outreach workers share: same text, a player with
a link per part, downloads, working straight from the folder and offline."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import Path

from babel.messages.pofile import read_po
from mutagen.id3 import ID3

from .conftest import ROOT, ProjectCopy


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.scripts_with_src = 0
        self.parts: list[float] = []
        self.root: dict = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.root = attrs
        for key in ("href", "src"):
            if attrs.get(key):
                self.urls.append(attrs[key])
        if tag == "script" and "src" in attrs:
            self.scripts_with_src += 1
        if tag == "a" and "data-start" in attrs:
            self.parts.append(float(attrs["data-start"]))


def test_page_holds_the_text_the_parts_and_only_local_links(project_es: ProjectCopy) -> None:
    import shutil

    shutil.copytree(ROOT / "locales" / "ar", project_es.root / "locales" / "ar")
    assert project_es.run("build", "--engine", "espeak", "--lang", "es", "--lang", "ar").code == 0
    folder = project_es.root / "dist" / "baclofen-withdrawal" / "es"
    page = (folder / "index.html").read_text("utf-8")
    parser = Links()
    parser.feed(page)
    assert parser.root == {"lang": "es", "dir": "ltr"}
    text = re.sub(r"</?strong>", "", html.unescape(page))
    with (project_es.root / "locales" / "es" / "LC_MESSAGES" / "baclofen-withdrawal.po").open("rb") as fh:
        for message in read_po(fh):
            if message.id:
                assert message.string.replace("**", "") in text, message.id
    for url in parser.urls:  # relative, inside the folder, and there
        assert not re.match(r"^[a-z]+:", url) and "/" not in url and ".." not in url, url
        assert (folder / url.split("#")[0]).is_file(), url
    assert parser.scripts_with_src == 0 and "http" not in page
    chapters = sorted(c.start_time / 1000 for c in ID3(folder / "baclofen-withdrawal-es.mp3").getall("CHAP"))
    assert [round(t, 1) for t in chapters] == parser.parts
    assert any(u.startswith("baclofen-withdrawal-es.mp3#t=") for u in parser.urls)  # works without the script
    ar = Links()
    ar.feed((project_es.root / "dist" / "baclofen-withdrawal" / "ar" / "index.html").read_text("utf-8"))
    assert ar.root == {"lang": "ar", "dir": "rtl"}


def test_build_index_names_every_language_in_its_own_script_and_in_english(project_es: ProjectCopy) -> None:
    assert project_es.run("build", "--engine", "espeak", "--output", "pdf", "--output", "web").code == 0
    index = (project_es.root / "dist" / "index.html").read_text("utf-8")
    assert 'href="baclofen-withdrawal/es/index.html"' in index and "Español" in index and "(Spanish)" in index
    assert "translation unreviewed" in index and "English source unreviewed" in index
    assert (Path(project_es.root / "dist" / "baclofen-withdrawal" / "en" / "index.html")).exists()
