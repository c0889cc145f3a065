"""Target keys and the build state (plan.py): a key changes exactly when an input
of that output changes, and a target is up to date only while its files are as written."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest

from handoutkit import plan
from handoutkit.languages import language
from handoutkit.options import AudioOptions, BuildOptions, PdfOptions
from handoutkit.plan import State, clean_temporaries, forget_inputs, language_key, target_key
from handoutkit.project import Project

ES, EN = language("es"), language("en")


@pytest.fixture(autouse=True)
def fresh() -> None:
    """Folder and font hashes are kept per build: each case is a new build."""
    forget_inputs()


def project(root: Path) -> Project:
    """A small project: one handout, Spanish catalogs, a template, a speech file."""
    for path, text in {
        "handouts/demo/handout.md": "# Demo\n",
        "locales/es/LC_MESSAGES/demo.po": 'msgid "a"\nmsgstr "b"\n',
        "locales/es/LC_MESSAGES/templates.po": 'msgid "c"\nmsgstr "d"\n',
        "locales/es/speech.toml": "[lexicon]\n",
        "templates/handout.html": "<p></p>",
        "templates/handout.css": "p {}",
    }.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text, "utf-8")
    return Project(root)


def keys(proj: Project, options: BuildOptions | None = None, lang=ES) -> dict[str, str]:
    options = options or BuildOptions()
    common = language_key(proj, "demo", lang, options)
    return {"lang": common, **{out: target_key(proj, lang, out, common, options) for out in ("pdf", "audio", "web")}}


def changed(before: dict[str, str], after: dict[str, str]) -> set[str]:
    return {name for name in before if before[name] != after[name]}


@pytest.fixture
def fonts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Two font files of the stack, in a folder of the test's own."""
    from handoutkit import fonts as font_module

    folder = tmp_path / "fonts"
    folder.mkdir()
    (folder / "a.ttf").write_bytes(b"regular")
    (folder / "a-bold.ttf").write_bytes(b"bold")
    monkeypatch.setattr(font_module, "stack", lambda families: (
        font_module.FontFile("A", folder / "a.ttf", 0, folder / "a-bold.ttf"), font_module.FontFile("B", folder / "a.ttf", 1)))
    return folder


def test_the_same_inputs_give_the_same_keys_and_every_key_differs(tmp_path: Path, fonts: Path) -> None:
    proj = project(tmp_path / "p")
    first = keys(proj)
    forget_inputs()
    assert keys(proj) == first
    assert len(set(first.values())) == 4 and all(len(k) == 64 and int(k, 16) >= 0 for k in first.values())


def test_a_moved_project_keeps_its_keys(tmp_path: Path, fonts: Path) -> None:
    a, b = project(tmp_path / "a"), project(tmp_path / "elsewhere" / "b")
    assert keys(a) == keys(b)


@pytest.mark.parametrize(("edit", "reaches"), [
    ("handouts/demo/handout.md", {"lang", "pdf", "audio", "web"}),
    ("handouts/demo/review.toml", {"lang", "pdf", "audio", "web"}),
    ("locales/es/LC_MESSAGES/demo.po", {"lang", "pdf", "audio", "web"}),
    ("locales/es/LC_MESSAGES/templates.po", {"lang", "pdf", "audio", "web"}),
    ("locales/es/review.toml", {"lang", "pdf", "audio", "web"}),
    ("templates/handout.css", {"lang", "pdf", "audio", "web"}),
    ("templates/new/part.html", {"lang", "pdf", "audio", "web"}),
    ("locales/es/speech.toml", {"audio"}),
    ("voices/es.onnx", {"audio"}),
    ("voices/es.onnx.json", {"audio"}),
    ("locales/fr/LC_MESSAGES/demo.po", set()),
    ("handouts/other/handout.md", set()),
    ("README.md", set()),
    ("locales/es/LC_MESSAGES/other.po", set()),
])
def test_an_input_reaches_only_the_keys_it_changes(tmp_path: Path, fonts: Path, edit: str, reaches: set[str]) -> None:
    proj = project(tmp_path / "p")
    before = keys(proj)
    (proj.root / edit).parent.mkdir(parents=True, exist_ok=True)
    with (proj.root / edit).open("a", encoding="utf-8") as fh:
        fh.write("# changed\n")
    forget_inputs()
    assert changed(before, keys(proj)) == reaches


def test_renaming_a_template_or_a_voice_changes_the_keys(tmp_path: Path, fonts: Path) -> None:
    proj = project(tmp_path / "p")
    before = keys(proj)
    (proj.root / "templates" / "handout.css").rename(proj.root / "templates" / "print.css")
    forget_inputs()
    assert changed(before, keys(proj)) == {"lang", "pdf", "audio", "web"}


def test_a_file_that_appears_is_not_the_same_as_an_empty_one(tmp_path: Path, fonts: Path) -> None:
    proj = project(tmp_path / "p")
    before = keys(proj)
    (proj.root / "handouts" / "demo" / "review.toml").write_text("")
    assert changed(before, keys(proj)) == {"lang", "pdf", "audio", "web"}


def test_english_does_not_read_catalogs(tmp_path: Path, fonts: Path) -> None:
    proj = project(tmp_path / "p")
    (proj.root / "locales" / "en" / "LC_MESSAGES").mkdir(parents=True)
    before = keys(proj, lang=EN)
    for name in ("locales/en/LC_MESSAGES/demo.po", "locales/en/LC_MESSAGES/templates.po", "locales/en/review.toml"):
        (proj.root / name).write_text("x")
    assert keys(proj, lang=EN) == before
    assert keys(proj, lang=EN)["lang"] != keys(proj, lang=ES)["lang"]


@pytest.mark.parametrize(("options", "reaches"), [
    # --allow-incomplete changes no key: an output of an incomplete translation is a target of its own (-incomplete)
    (BuildOptions(allow_incomplete=True), set()),
    (BuildOptions(pdf=PdfOptions(size=24)), {"pdf", "web"}),
    (BuildOptions(pdf=PdfOptions(paper="a4")), {"pdf", "web"}),
    (BuildOptions(audio=AudioOptions(rate="slow")), {"audio", "web"}),
    (BuildOptions(audio=AudioOptions(engine="espeak")), {"audio"}),
    (BuildOptions(audio=AudioOptions(engine="gtts")), {"audio"}),
    (BuildOptions(jobs=7), set()),
    (BuildOptions(outputs=("pdf",)), set()),
])
def test_an_option_reaches_only_the_keys_it_changes(tmp_path: Path, fonts: Path, options: BuildOptions,
                                                    reaches: set[str]) -> None:
    proj = project(tmp_path / "p")
    assert changed(keys(proj), keys(proj, options)) == reaches


def test_espeak_and_gtts_are_different_keys_and_auto_keeps_any(tmp_path: Path, fonts: Path) -> None:
    proj = project(tmp_path / "p")
    engines = {e: keys(proj, BuildOptions(audio=AudioOptions(engine=e)))["audio"] for e in ("auto", "espeak", "gtts", "")}
    assert len({engines["auto"], engines["espeak"], engines["gtts"]}) == 3
    assert engines[""] == engines["auto"]


def test_a_site_and_its_logo_reach_every_key(tmp_path: Path, fonts: Path) -> None:
    from dataclasses import replace

    from handoutkit.site import Site

    proj = project(tmp_path / "p")
    logo = proj.root / "logo.svg"
    logo.write_text("<svg/>")
    plain = keys(proj)

    def at(site: Site) -> dict[str, str]:
        return keys(replace(proj, site=site))

    site = at(Site("s", "Sol", logo=logo))
    assert changed(plain, site) == {"lang", "pdf", "audio", "web"}
    assert changed(site, at(Site("s", "Luna", logo=logo))) == {"lang", "pdf", "audio", "web"}
    assert changed(site, at(Site("s", "Sol", phone="555", logo=logo))) == {"lang", "pdf", "audio", "web"}
    logo.write_text("<svg><rect/></svg>")
    assert changed(site, at(Site("s", "Sol", logo=logo))) == {"lang", "pdf", "audio", "web"}
    no_logo = at(Site("s", "Sol"))
    logo.write_text("<svg/>")
    assert at(Site("s", "Sol")) == no_logo
    # what only the counter app reads (where it prints, its token, the edition it prints by default)
    # changes no output: a new printer must not make every handout again
    for counter_only in ({"printer": "front-desk"}, {"braille_printer": "embosser"},
                         {"counter_token": "a" * 24}, {"bilingual": True}):
        assert at(Site("s", "Sol", **counter_only)) == no_logo, counter_only


def test_a_site_logo_is_keyed_by_content_not_by_where_the_project_is(tmp_path: Path, fonts: Path) -> None:
    from dataclasses import replace

    from handoutkit.site import Site

    keyed = []
    for where in ("a", "elsewhere/b"):
        proj = project(tmp_path / where)
        (proj.root / "logo.svg").write_text("<svg/>")
        keyed.append(keys(replace(proj, site=Site("s", "Sol", logo=proj.root / "logo.svg"))))
    assert keyed[0] == keyed[1]


def test_fonts_reach_only_the_pdf_by_content_not_by_time(tmp_path: Path, fonts: Path) -> None:
    proj = project(tmp_path / "p")
    before = keys(proj)
    os.utime(fonts / "a-bold.ttf", ns=(1, 1))  # touched, the same bytes: nothing to make again
    forget_inputs()
    after = keys(proj)
    assert after == before
    (fonts / "a.ttf").write_bytes(b"regular, another version")
    forget_inputs()
    assert changed(after, keys(proj)) == {"pdf"}


def test_the_font_key_is_family_index_and_content_never_the_path(tmp_path: Path, fonts: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from handoutkit import fonts as font_module

    families = ("A", "B")
    digest = hashlib.sha256(b'["A", "B"]')
    for family, index, content in (("A", 0, b"regular"), ("A", 0, b"bold"), ("B", 1, b"regular")):
        digest.update(f"{family}:{index}:".encode() + hashlib.sha256(content).hexdigest().encode())
    assert plan.fonts_hash(families) == digest.hexdigest()
    moved = tmp_path / "elsewhere" / "fonts"  # the same files in another folder (another machine, another venv)
    moved.mkdir(parents=True)
    for name in ("a.ttf", "a-bold.ttf"):
        (moved / name).write_bytes((fonts / name).read_bytes())
    monkeypatch.setattr(font_module, "stack", lambda families: (
        font_module.FontFile("A", moved / "a.ttf", 0, moved / "a-bold.ttf"), font_module.FontFile("B", moved / "a.ttf", 1)))
    forget_inputs()
    assert plan.fonts_hash(families) == digest.hexdigest()


def test_the_font_key_is_kept_for_the_build(fonts: Path) -> None:
    first = plan.fonts_hash(("A", "B"))
    (fonts / "a.ttf").write_bytes(b"other size")
    assert plan.fonts_hash(("A", "B")) == first  # read once per build...
    forget_inputs()
    assert plan.fonts_hash(("A", "B")) != first  # ...and again by the next


def test_a_folder_key_is_every_file_by_relative_name_and_bytes(tmp_path: Path) -> None:
    folder = tmp_path / "t"
    (folder / "sub").mkdir(parents=True)
    (folder / "b.css").write_bytes(b"B")
    (folder / "sub" / "a.html").write_bytes(b"A")
    expected = hashlib.sha256(b"b.css" + b"B" + b"sub/a.html" + b"A").hexdigest()
    assert plan.folder_hash(folder) == expected
    assert plan.folder_hash(tmp_path / "none") == hashlib.sha256().hexdigest()


def test_a_file_key_is_its_name_and_bytes_or_missing(tmp_path: Path) -> None:
    for content, tail in ((b"text", b"text"), (None, b"\0missing")):
        path = tmp_path / "x.po"
        if content is not None:
            path.write_bytes(content)
        else:
            path.unlink()
        digest = hashlib.sha256()
        plan._file(digest, path)
        assert digest.hexdigest() == hashlib.sha256(b"x.po" + tail).hexdigest()


def test_library_versions() -> None:
    from importlib import metadata

    assert plan._version("no-such-package-here") == "-"
    assert plan._version("pyyaml") == metadata.version("pyyaml")
    from handoutkit.outputs import audio, pdf

    assert "weasyprint" in pdf.LIBRARIES and "espeakng-loader" in audio.LIBRARIES


@pytest.fixture
def package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A package tree of the test's own for the code key to read (plan.py's folder), its key read afresh."""
    root = tmp_path / "handoutkit"
    for name, text in {"plan.py": "x = 1\n", "render/pdf.py": "y = 2\n", "languages.toml": "[es]\ntag = \"es\"\n",
                       "notes.txt": "n\n"}.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    monkeypatch.setattr(plan, "__file__", str(root / "plan.py"))
    plan._code_hash.cache_clear()
    yield root
    plan._code_hash.cache_clear()  # the real package's key again for the tests after


def code_key() -> str:
    plan._code_hash.cache_clear()
    return plan._code_hash()


@pytest.mark.parametrize(("edit", "reaches"), [
    ("plan.py", True),
    ("render/pdf.py", True),  # a module in a subfolder
    ("languages.toml", True),  # the language table (pace, voices, fonts) is code too
    ("render/new.py", True),  # a module that appears
    ("speech/other.toml", True),
    ("notes.txt", False),
    ("__pycache__/plan.cpython-311.pyc", False),
])
def test_the_code_key_covers_every_module_and_the_pace_settings(package: Path, edit: str, reaches: bool) -> None:
    before = code_key()
    assert code_key() == before and len(before) == 64
    (package / edit).parent.mkdir(parents=True, exist_ok=True)
    with (package / edit).open("a", encoding="utf-8") as fh:
        fh.write("# changed\n")
    assert (code_key() != before) is reaches


def test_the_code_key_holds_the_version(package: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = code_key()
    monkeypatch.setattr(plan, "__version__", "0.0.0-other")
    assert code_key() != before


def test_the_code_key_is_kept_for_the_process(package: Path) -> None:
    first = plan._code_hash()
    (package / "plan.py").write_text("x = 2\n")
    assert plan._code_hash() == first  # read once...
    assert code_key() != first  # ...unless read again


def test_the_real_language_table_is_under_the_code_key() -> None:
    assert (Path(plan.__file__).parent / "languages.toml").is_file()


def test_the_code_key_reaches_every_key(tmp_path: Path, fonts: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    proj = project(tmp_path / "p")
    before = keys(proj)
    monkeypatch.setattr(plan, "_code_hash", lambda: "another version of handoutkit")
    assert changed(before, keys(proj)) == {"lang", "pdf", "audio", "web"}


def test_library_versions_reach_their_outputs(tmp_path: Path, fonts: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    proj = project(tmp_path / "p")
    for name, reaches in (("weasyprint", {"pdf"}), ("pydyf", {"pdf"}), ("lameenc", {"audio"}), ("gtts", {"audio"}),
                          ("jinja2", {"pdf", "web"}), ("babel", {"pdf", "audio"}), ("rich", set())):
        monkeypatch.setattr(plan, "_version", lambda n: "old")
        old = keys(proj)
        monkeypatch.setattr(plan, "_version", lambda n, name=name: "new" if n == name else "old")
        assert changed(old, keys(proj)) == reaches, name


# --- the state of the last builds -------------------------------------------------------------------

def test_a_missing_or_broken_state_is_empty(tmp_path: Path) -> None:
    state = State.load(tmp_path / "dist")
    assert (state.path, state.targets, state.languages) == (tmp_path / "dist" / ".handoutkit" / "state.json", {}, {})
    state.path.parent.mkdir(parents=True)
    state.path.write_text("{ not json")
    assert State.load(tmp_path / "dist").targets == {}
    state.path.write_text('{"targets": {"a": {"key": "k"}}}')
    loaded = State.load(tmp_path / "dist")
    assert (loaded.targets, loaded.languages, loaded.dist) == ({"a": {"key": "k"}}, {}, tmp_path / "dist")
    assert loaded.up_to_date("a", "k") == {"key": "k"}  # a record without files is kept by its key
    state.path.write_text('{"languages": {"es": {"blocked": false}}}')
    loaded = State.load(tmp_path / "dist")
    assert (loaded.targets, loaded.languages) == ({}, {"es": {"blocked": False}})


def made(dist: Path, *names: str) -> list[Path]:
    paths = []
    for name in names:
        (dist / name).parent.mkdir(parents=True, exist_ok=True)
        (dist / name).write_text(name)
        paths.append(dist / name)
    return paths


def test_a_recorded_target_is_up_to_date_while_its_files_are_as_written(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    files = made(dist, "demo/es/demo-es.pdf", "demo/es/index.html")
    state = State.load(dist)
    state.record("demo/es/pdf", "k1", files, "built", ["a warning"], facts={"pages": 3})
    saved = json.loads(state.path.read_text("utf-8"))
    st = files[0].stat()
    assert saved == {"languages": {}, "targets": {"demo/es/pdf": {
        "key": "k1", "detail": "built", "warnings": ["a warning"], "status": "up to date", "facts": {"pages": 3},
        "files": {"demo/es/demo-es.pdf": [st.st_size, st.st_mtime_ns],
                  "demo/es/index.html": [files[1].stat().st_size, files[1].stat().st_mtime_ns]}}}}
    again = State.load(dist)
    assert again.up_to_date("demo/es/pdf", "k1") == saved["targets"]["demo/es/pdf"]
    assert again.paths(saved["targets"]["demo/es/pdf"]) == [dist / "demo/es/demo-es.pdf", dist / "demo/es/index.html"]
    assert again.up_to_date("demo/es/pdf", "k2") is None  # another key
    assert again.up_to_date("demo/fr/pdf", "k1") is None  # never made
    files[1].write_text("changed, longer")
    assert again.up_to_date("demo/es/pdf", "k1") is None  # a file edited
    files[1].unlink()
    assert again.up_to_date("demo/es/pdf", "k1") is None  # a file gone


def test_a_touched_file_is_not_up_to_date(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    files = made(dist, "a.pdf")
    state = State.load(dist)
    state.record("a", "k", files, "built", [], status="blocked")
    assert state.targets["a"]["status"] == "blocked" and state.targets["a"]["facts"] == {}
    os.utime(files[0], ns=(10, 10))
    assert state.up_to_date("a", "k") is None


def test_a_target_without_files_is_up_to_date_by_key(tmp_path: Path) -> None:
    state = State.load(tmp_path / "dist")
    state.record("no voice", "k", [], "no voice", [])
    assert state.up_to_date("no voice", "k")["detail"] == "no voice"
    assert state.paths({}) == []


def test_a_state_is_saved_as_sorted_indented_utf8(tmp_path: Path) -> None:
    state = State(tmp_path / "d" / ".handoutkit" / "state.json", {"b": {"key": "ü"}}, {"es": {"x": 1}})
    state.save()
    assert state.path.read_bytes() == (
        '{\n "languages": {\n  "es": {\n   "x": 1\n  }\n },\n "targets": {\n  "b": {\n   "key": "ü"\n  }\n }\n}'.encode())


def test_temporaries_left_by_a_killed_build_are_removed(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    made(dist, "demo/es/.demo-es.pdf.tmp", "demo/.index.html.tmp", "demo/es/demo-es.pdf", "demo/es/keep.tmp")
    assert clean_temporaries(dist) == 2
    assert sorted(p.relative_to(dist).as_posix() for p in dist.rglob("*") if p.is_file()) == [
        "demo/es/demo-es.pdf", "demo/es/keep.tmp"]
    assert clean_temporaries(dist) == 0
    assert clean_temporaries(tmp_path / "none") == 0


def test_a_temporary_that_cannot_be_removed_is_skipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    dist = tmp_path / "dist"
    made(dist, ".a.tmp", ".b.tmp")
    real = Path.unlink

    def unlink(self: Path, *args: object, **kwargs: object) -> None:
        if self.name == ".a.tmp":
            raise PermissionError("read-only")
        real(self, *args, **kwargs)

    monkeypatch.setattr(Path, "unlink", unlink)
    assert clean_temporaries(dist) == 1
    assert (dist / ".a.tmp").exists() and not (dist / ".b.tmp").exists()



def test_the_counters_bilingual_default_makes_nothing_again(tmp_path: Path, fonts: Path) -> None:
    """site.toml's 'bilingual' only says which edition the counter prints: every output is the same."""
    from dataclasses import replace

    from handoutkit.site import Site

    proj = project(tmp_path / "p")
    assert keys(replace(proj, site=Site("s", "Sol", bilingual=True))) == keys(replace(proj, site=Site("s", "Sol")))
