"""Site settings typed by hand: every bad form is refused in one line naming the
file, the line and the key; the site's last good handouts stay as they were."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from handoutkit.cli import main

from ..test_site import GOOD
from .conftest import Good, copied

ADDED = len(GOOD.splitlines()) + 1  # the line a key added at the end lands on
BAD = [  # (id, old text of the good file or None to add at the end, new text, words, line named)
    ("not-toml", None, "phone = \n", "not valid TOML", ADDED),
    ("duplicate-key", None, 'name = "B"\n', "not valid TOML", ADDED),
    ("unknown-key", None, 'colour = "red"\n', "'colour': unknown key", ADDED),
    ("name-not-text", 'name = "Main Street Pharmacy"', "name = 5", "'name': must be text", 2),
    ("id-missing", 'id = "main-street"\n', "", "'id' is missing", None),
    ("id-escapes", 'id = "main-street"', 'id = "../up"', "'id': use lowercase", 1),
    ("phone-words", 'phone = "+1 (555) 010-2030 ext. 204"', 'phone = "call us"', "'phone': is not a phone number", 3),
    ("emergency-words", 'emergency_number = "911"', 'emergency_number = "nine one one"', "'emergency_number'", 5),
    ("paper-unknown", None, 'paper = "legal"\n', "'paper'", ADDED),
    ("territory-unknown", 'territory = "US"', 'territory = "Mars"', "'territory'", 6),
    ("url-ftp", 'base_url = "https://handouts.example.org/main-street"', 'base_url = "ftp://example.org"', "'base_url'", 7),
    ("url-javascript", 'base_url = "https://handouts.example.org/main-street"', 'base_url = "javascript:alert(1)"',
     "'base_url'", 7),
    ("logo-missing", None, 'logo = "missing.png"\nlogo_alt = "Logo"\n', "'logo': no such file", ADDED),
    ("logo-outside", None, 'logo = "/etc/hostname"\nlogo_alt = "Logo"\n', "'logo': must be a file inside the project", ADDED),
    ("logo-not-image", None, 'logo = "templates/handout.css"\nlogo_alt = "Logo"\n', "'logo': must be an SVG or PNG", ADDED),
    ("logo-without-alt", None, 'logo = "templates/logo-test.svg"\n', "'logo_alt' is missing", None),
]


@pytest.fixture(scope="session")
def site_built(built_once: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project built once for a pharmacy (site.toml beside it)."""
    root = tmp_path_factory.mktemp("site") / "proj"
    shutil.copytree(built_once, root, symlinks=True)
    (root / "site.toml").write_text(GOOD, "utf-8")
    (root / "templates" / "logo-test.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="20" height="6"><rect width="20" height="6"/></svg>')
    assert main(["--project", str(root), "build", "--output", "pdf", "--lang", "en"]) == 0
    return root


@pytest.fixture
def site(site_built: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Good:
    monkeypatch.delenv("HANDOUTKIT_DIST", raising=False)
    return copied(site_built, tmp_path, capsys)


@pytest.mark.parametrize(("old", "new", "words", "line"), [b[1:] for b in BAD], ids=[b[0] for b in BAD])
def test_each_bad_setting_is_refused_with_file_line_and_key(site: Good, old: str | None, new: str, words: str,
                                                            line: int | None) -> None:
    path = site.root / "site.toml"
    if old is None:
        path.write_text(GOOD + new, "utf-8")
    else:
        site.edit(path, old, new)
    result = site.run("build", "--output", "pdf", "--lang", "en")
    found = site.refused(result, "site.toml", words)
    assert len(result.err.strip().splitlines()) == 1, result.err
    if line is not None:
        assert f"site.toml:{line}:" in found, found


def test_a_site_file_that_is_not_there_or_not_text(site: Good) -> None:
    site.refused(site.run("build", "--output", "pdf", "--site", str(site.root / "nowhere.toml")),
                 "nowhere.toml", "not found")
    (site.root / "site.toml").write_bytes(GOOD.encode() + b'address = "Caf\xe9"\n')
    site.refused(site.run("build", "--output", "pdf", "--lang", "en"), f"site.toml:{ADDED}", "not UTF-8")
    site.refused(site.run("build", "--output", "pdf", "--site", str(site.root / "templates")),
                 "templates", "cannot read the site settings")


def test_a_byte_order_mark_and_windows_line_endings_are_fine(site: Good) -> None:
    (site.root / "site.toml").write_bytes(b"\xef\xbb\xbf" + GOOD.replace("\n", "\r\n").encode())
    result = site.run("build", "--output", "pdf", "--lang", "en")
    assert result.code == 0, result.err
    site.untouched()
