"""Names and paths: language tags and handout ids that try to leave their folders,
unknown languages, misnamed locale folders, and a source handout whose front
matter or Markdown is malformed. Each is refused in one line; nothing is written."""

from __future__ import annotations

import shutil

import pytest

from .conftest import HANDOUT, LOCALE, Good


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("build", "--lang", "../../etc"), "unknown language '../../etc'"),
        (("build", "--lang", "zz"), "unknown language 'zz'"),
        (("build", "--handout", "../../etc/passwd"), "unknown handout '../../etc/passwd'"),
        (("build", "--handout", "Baclofen Withdrawal"), "unknown handout"),
        (("print", HANDOUT, "--lang", "../it"), "unknown language '../it'"),
        (("init", "../../evil"), "unknown language '../../evil'"),
    ],
    ids=["lang-escapes", "lang-unknown", "handout-escapes", "handout-not-an-id", "print-lang-escapes", "init-escapes"],
)
def test_names_from_the_command_line_cannot_leave_their_folders(good: Good, args: tuple[str, ...], words: str) -> None:
    good.refused(good.run(*args), words, code=2)
    assert not (good.root.parent / "evil").exists() and not (good.root / "evil").exists()
    assert sorted(p.name for p in (good.root / "locales").iterdir() if p.is_dir()) == [LOCALE]


@pytest.mark.parametrize(
    ("folder", "words"),
    [
        ("qq", "'qq' is not a language code"),
        ("pt-BR", "name this folder 'pt_BR'"),
        ("zh_hans", "name this folder 'zh_Hans'"),
    ],
)
def test_a_misnamed_locale_folder_is_refused_not_skipped(good: Good, folder: str, words: str) -> None:
    """Skipping it would drop a language without a word; the folder is named instead."""
    shutil.copytree(good.root / "locales" / LOCALE, good.root / "locales" / folder)
    good.refused(good.run("build", "--output", "pdf"), f"locales/{folder}", words)


def test_folders_without_catalogs_and_hidden_folders_are_left_alone(good: Good) -> None:
    (good.root / "locales" / ".git-backup" / "LC_MESSAGES").mkdir(parents=True)
    shutil.copy(good.po(), good.root / "locales" / ".git-backup" / "LC_MESSAGES")
    (good.root / "locales" / "notes").mkdir()
    result = good.run("build", "--output", "pdf")
    assert result.code == 0, result.err
    good.untouched()


SOURCE = f"handouts/{HANDOUT}/handout.md"


@pytest.mark.parametrize(
    ("old", "new", "words"),
    [
        (f"id: {HANDOUT}", "id: ../../etc", "lowercase letters"),
        (f"id: {HANDOUT}", "id: another-handout", "does not match its folder"),
        ("---\n", "", "missing front matter"),
        ("version:", "version: [1.0\nold_version:", "not valid YAML"),
        ("version:", "colour: red\nversion:", "unknown front matter key"),
        ("## ", "<div onclick=\"x()\">Hi</div>\n\n## ", "raw HTML"),
        ("## ", "<script>alert(1)</script>\n\n## ", "raw HTML"),
    ],
    ids=["id-escapes", "id-not-folder", "no-front-matter", "front-matter-not-yaml", "front-matter-unknown-key",
         "raw-html-block", "script-block"],
)
def test_a_malformed_source_is_refused_with_its_file(good: Good, old: str, new: str, words: str) -> None:
    good.edit(good.root / SOURCE, old, new)
    line = good.refused(good.run("build", "--output", "pdf"), "handout.md", words)
    assert f"{SOURCE}:" in line or "handout.md:" in line
