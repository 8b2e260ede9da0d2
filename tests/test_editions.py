"""Student and instructor editions: the student outputs hold no instructor-only material.

The leak gate
  1. collects every instructor-only string from the SOURCES (``editions.instructor_strings``
     over every .md file in book/ and notebooks/; nothing is kept by hand), keeping the
     ones that are not also visible to students (stripped pages, data/, edition/);
  2. reads EVERY file under the student output folder and the student-notebooks zip,
     opening zip members, notebooks and JSON, and compares in several forms: raw,
     HTML-escaped, whitespace-collapsed, and "words only" (tags, markup, escapes and
     punctuation removed, lower case), fragment by fragment around roles;
  3. checks the search index's stemmed terms for words that only instructor text uses.
A planted canary proves that the scan would see a leak.

The fork tests (``pytest tests/test_editions.py -k fork``) build a temporary copy of the
repository twice or three times; they seed the notebook cache from the session build.
"""

from __future__ import annotations

import gzip
import html
import io
import json
import os
import re
import shutil
import subprocess
import sys
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from edition.editions import instructor_blocks, instructor_strings, strip_instructor

ROOT = Path(__file__).resolve().parent.parent
BUILD_DIR = Path(os.environ.get("EDITION_BUILD_DIR", ROOT / "_build"))
CANARY = "Zqxcanary solution text: the answer is seventeen pelicans quietly"

# ---------------------------------------------------------------------------------------
# Normalisation and needles


_QUOTES = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-", "…": "..."})
_ROLE = re.compile(r"\{[\w:-]+\}`[^`]*`")
_MD_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_LIST_MARK = re.compile(r"^\s*(?:\d+[.)]|[-*+>])\s+")  # rendered as <li>/<blockquote>, not text
_WORD = re.compile(r"[^\W_]+")
_TAG = re.compile(r"<[^>]+>")
_JS_ESCAPE = re.compile(r"\\(u[0-9a-fA-F]{4}|[nrtbf\"'/\\])")


def words(text: str) -> str:
    """Lower-case words only, single-spaced: markup, escapes and punctuation ignored."""
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    return " ".join(_WORD.findall(text.lower()))


def key_word(ws: str) -> str:
    """The longest word inside a words-only string (not its first or last): a cheap pre-filter."""
    parts = ws.split()
    inner = parts[1:-1] if len(parts) > 2 else parts
    return max(inner, key=len) if inner else ""


def collapse(text: str) -> str:
    return " ".join(text.split())


def _js_unescape(text: str) -> str:
    def sub(m):
        c = m.group(1)
        if c[0] == "u":
            return chr(int(c[1:], 16))
        return {"n": "\n", "r": "\n", "t": " ", "b": " ", "f": " "}.get(c, c)
    return _JS_ESCAPE.sub(sub, text)


@dataclass
class Needle:
    source: str          # file it came from
    text: str            # the line as written
    forms: list[str] = field(default_factory=list)       # exact forms (raw, escaped, collapsed)
    fragments: list[str] = field(default_factory=list)   # words-only fragments around roles
    keys: set[str] = field(default_factory=set)          # words any hit must contain


def make_needle(source: str, line: str) -> Needle:
    n = Needle(source, line)
    n.forms = list(dict.fromkeys([line, html.escape(line), html.escape(line, quote=False),
                                  collapse(line), json.dumps(line)[1:-1]]))
    plain = _MD_LINK.sub(r"\1", _LIST_MARK.sub("", line))
    frags = [words(f) for f in _ROLE.split(plain)]
    n.fragments = [f for f in frags if len(f.split()) >= 4 and len(f) >= 20]
    if not n.fragments and len(words(plain)) >= 12:
        n.fragments = [words(plain)]
    n.keys = {key_word(words(line))} | {key_word(f) for f in n.fragments}
    return n


def page_sources(root: Path) -> list[Path]:
    return sorted([*(root / "book").rglob("*.md"), *(root / "notebooks").rglob("*.md")])


def visible_words(root: Path) -> str:
    """Everything a student may see, as words: stripped pages, data/, the package's text."""
    parts = [strip_instructor(p.read_text(encoding="utf-8"), str(p)) for p in page_sources(root)]
    for f in sorted((root / "data").rglob("*")):
        if f.is_file() and f.suffix in {".csv", ".yml", ".yaml", ".md", ".txt", ".bib", ".json"}:
            parts.append(f.read_text(encoding="utf-8", errors="replace"))
    parts += [f.read_text(encoding="utf-8") for f in sorted((root / "edition").glob("*.py"))]
    return " " + " ".join(words(p) for p in parts) + " "


def collect_needles(root: Path) -> tuple[list[Needle], list[Needle]]:
    """(instructor-only needles, needles skipped because students see the same words)."""
    visible = visible_words(root)
    keep, shared = [], []
    for p in page_sources(root):
        rel = p.relative_to(root).as_posix()
        for line in instructor_strings(p.read_text(encoding="utf-8"), rel):
            n = make_needle(rel, line)
            n.fragments = [f for f in n.fragments if f" {f} " not in visible]
            n.keys = {key_word(words(line))} | {key_word(f) for f in n.fragments}
            (keep if n.fragments else shared).append(n)
    return keep, shared


def instructor_only_terms(root: Path, needles: list[Needle]) -> dict[str, str]:
    """Search-index stems used by instructor text and by nothing students see."""
    from sphinx.search.en import SearchEnglish
    lang = SearchEnglish({})
    visible = {lang.stem(w) for w in visible_words(root).split()}
    out = {}
    for n in needles:
        for w in words(_ROLE.sub(" ", n.text)).split():
            if len(w) < 5 or w.isdigit() or not lang.word_filter(w):
                continue
            stem = lang.stem(w)
            if stem not in visible and w not in visible:
                out.setdefault(stem, n.source)
    return out


# ---------------------------------------------------------------------------------------
# Reading every file


def _texts_of(name: str, data: bytes, depth: int = 0):
    """(name, text) for a file's content; opens zip, gzip and notebooks/JSON."""
    lower = name.lower()
    if lower.endswith((".zip", ".whl")) or data[:4] == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                for info in z.infolist():
                    if not info.is_dir() and depth < 3:
                        yield from _texts_of(f"{name}!{info.filename}", z.read(info), depth + 1)
            return
        except zipfile.BadZipFile:
            pass
    if lower.endswith(".gz") or data[:2] == b"\x1f\x8b":
        try:
            yield from _texts_of(name[:-3] if lower.endswith(".gz") else name + "!gunzip",
                                 gzip.decompress(data), depth + 1)
            return
        except OSError:
            pass
    if lower.endswith(".pdf") or data[:5] == b"%PDF-":
        yield name, pdf_text(name, data)
        return
    text = data.decode("utf-8", errors="replace")
    if b"\x00" in data[:4096]:  # fonts, images, wasm: only the exact forms are searched
        yield name + "!binary", text
        return
    yield name, text
    if lower.endswith((".ipynb", ".json")):
        try:
            strings = []
            def walk(o):
                if isinstance(o, str):
                    strings.append(o)
                elif isinstance(o, list) and o and all(isinstance(x, str) for x in o):
                    strings.append("".join(o))  # a notebook cell's source, split into lines
                elif isinstance(o, list):
                    for x in o:
                        walk(x)
                elif isinstance(o, dict):
                    for k, v in o.items():
                        strings.append(k)
                        walk(v)
            walk(json.loads(text))
            yield name + "!strings", "\n".join(strings)
        except ValueError:
            pass


def pdf_text(name: str, data: bytes) -> str:
    """A PDF's text (pypdf, else poppler's pdftotext); a PDF that cannot be read fails the gate."""
    try:
        import pypdf
        reader = pypdf.PdfReader(io.BytesIO(data))
        return "\n".join(page.extract_text() or "" for page in reader.pages)
    except ImportError:
        pass
    try:
        return subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True,
                              check=True).stdout.decode("utf-8", "replace")
    except (OSError, subprocess.CalledProcessError):
        raise AssertionError(f"{name}: a PDF in the output that this gate cannot read "
                             f"(pip install pypdf, or apt-get install poppler-utils)") from None


def output_texts(paths: list[Path], base: Path):
    for path in paths:
        files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
        for f in files:
            rel = f.relative_to(base).as_posix() if f.is_relative_to(base) else str(f)
            yield from _texts_of(rel, f.read_bytes())


def scan(paths: list[Path], base: Path, needles: list[Needle], terms: dict[str, str] | None = None,
         ) -> tuple[list[str], int]:
    """Every (file, needle) hit under the given paths; also the number of texts read."""
    hits, count = [], 0
    for name, text in output_texts(paths, base):
        count += 1
        if name.endswith("!binary"):
            hits += [f"{name}: {n.text!r} (from {n.source})" for n in needles if any(f in text for f in n.forms)]
            continue
        flat = collapse(text)
        unescaped = html.unescape(_js_unescape(text))
        # words only: as written; unescaped (JS/JSON and HTML escapes); and with tags removed
        haystack = " " + " \n ".join({words(text), words(unescaped), words(_TAG.sub(" ", unescaped))}) + " "
        vocabulary = set(haystack.split())
        for n in needles:
            if not n.keys <= vocabulary and not any(k in vocabulary for k in n.keys):
                continue
            if any(f in text or f in flat for f in n.forms) or \
                    any(f" {frag} " in haystack for frag in n.fragments):
                hits.append(f"{name}: {n.text!r} (from {n.source})")
        if terms and name.endswith("searchindex.js"):
            index = json.loads(text[text.index("{"):text.rindex("}") + 1])
            found = set(index.get("terms", {})) | set(index.get("titleterms", {}))
            for stem in sorted(found & set(terms)):
                hits.append(f"{name}: search term {stem!r} (only in instructor text of {terms[stem]})")
    return hits, count


def student_outputs(site: Path) -> list[Path]:
    """The student output folder, and the student-notebooks zip beside it."""
    return [site, *([site.parent / "student-notebooks.zip"]
                    if (site.parent / "student-notebooks.zip").is_file() else [])]


# ---------------------------------------------------------------------------------------
# Fixtures


@pytest.fixture(scope="session")
def needles():
    keep, shared = collect_needles(ROOT)
    return keep


@pytest.fixture(scope="session")
def student_zip(student_site) -> Path:
    """``<build>/student-notebooks.zip``, written afresh (it takes a second or two)."""
    from edition.studentnb import write_zip
    return write_zip(ROOT, student_site.parent / "student-notebooks.zip")


# ---------------------------------------------------------------------------------------
# The leak gate on the real student edition


def test_needles_come_from_every_instructor_block(needles):
    """The gate searches for something from every instructor-only block in the sources."""
    assert len(needles) >= 10, "too few instructor strings: is the collection broken?"
    by_source = {n.source for n in needles}
    for p in page_sources(ROOT):
        rel = p.relative_to(ROOT).as_posix()
        blocks = instructor_blocks(p.read_text(encoding="utf-8"), rel)
        long_blocks = [b for b in blocks if instructor_strings(b, rel)]
        if long_blocks:
            assert rel in by_source, f"{rel}: its instructor blocks yield no needle"


def test_student_edition_holds_no_instructor_material(student_site, student_zip, needles):
    terms = instructor_only_terms(ROOT, needles)
    hits, count = scan(student_outputs(student_site), student_site.parent, needles, terms)
    assert count > 50, f"only {count} texts read under {student_site}: is the site there?"
    for pdf in student_site.rglob("*.pdf"):  # the gate must really read a PDF's text
        assert "the record" in words(pdf_text(pdf.name, pdf.read_bytes())), f"{pdf}: no text extracted"
    assert not hits, "instructor-only material in the student outputs:\n" + "\n".join(hits[:40])


def test_student_edition_keeps_exercises_and_self_checks(student_site):
    page = (student_site / "notebooks" / "s1-peace-and-the-treaty.html").read_text(encoding="utf-8")
    assert 'class="exercise' in page and "s1-sourcing" in page
    assert "solution" not in re.findall(r'class="([^"]*solution[^"]*)"', page)
    assert "Who speaks the first sentence" in page  # a self-check question stays


def test_scan_sees_a_planted_canary(student_site, tmp_path, needles):
    """Plant a canary (and a real solution line) in copies of outputs: the scan reports each."""
    canary = make_needle("canary", CANARY)
    real = needles[0]
    s1 = student_site / "notebooks" / "s1-peace-and-the-treaty.html"
    planted = tmp_path / "site"
    planted.mkdir()
    # in page HTML, wrapped in markup and escaped
    doc = s1.read_text(encoding="utf-8")
    esc = html.escape(CANARY).replace(" ", " <em>", 1).replace(": ", ":</em>\n   ", 1)
    (planted / "page.html").write_text(doc.replace("</article>", f"<p>{esc}</p></article>", 1))
    # in a notebook's JSON (split across source lines), inside a zip
    nb = {"cells": [{"cell_type": "markdown", "metadata": {}, "source": [CANARY[:30], CANARY[30:]]}],
          "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("lite/files/x.ipynb", json.dumps(nb))
    (planted / "contents.zip").write_bytes(buf.getvalue())
    # a real solution line in a JS file, JSON-escaped
    (planted / "app.js").write_text("var x = " + json.dumps(real.text) + ";")
    # a stem that only instructor text has, in a search index
    index = {"terms": {"zqxcanari": [1]}, "titleterms": {}}
    (planted / "searchindex.js").write_text("Search.setIndex(" + json.dumps(index) + ")")
    hits, _ = scan([planted], planted, [canary, real], {"zqxcanari": "canary"})
    assert any(h.startswith("page.html") and "Zqxcanary" in h for h in hits), hits
    assert any(h.startswith("contents.zip!lite/files/x.ipynb") for h in hits), hits
    assert any(h.startswith("app.js") for h in hits), hits
    assert any(h.startswith("searchindex.js") for h in hits), hits
    clean, _ = scan([s1], student_site, [canary], {"zqxcanari": "canary"})
    assert not clean


# ---------------------------------------------------------------------------------------
# The instructor edition


def test_instructor_edition_holds_every_solution_and_note(instructor_site, needles):
    pages = " ".join(words(html.unescape(_TAG.sub(" ", p.read_text(encoding="utf-8"))))
                     for p in instructor_site.rglob("*.html"))
    pages = f" {pages} "
    missing = [f"{n.source}: {n.text!r}" for n in needles
               if not all(f" {frag} " in pages for frag in n.fragments)]
    assert not missing, "instructor material missing from the instructor edition:\n" + "\n".join(missing)


def test_instructor_solutions_collapsed_and_notes_shown(instructor_site):
    for src in (ROOT / "notebooks").glob("*.md"):
        text = src.read_text(encoding="utf-8")
        page = instructor_site / "notebooks" / (src.stem + ".html")
        if not page.is_file():
            continue
        doc = page.read_text(encoding="utf-8")
        classes = re.findall(r'<(?:div|details)[^>]*class="([^"]*\b(?:solution|teaching-note)\b[^"]*)"', doc)
        n_solutions = len(re.findall(r"^\s*[:`]{3,}\{solution(?:-start)?\}", text, re.M))
        n_notes = sum(1 for b in instructor_blocks(text, src.name)
                      if "{solution" not in b.split("\n", 1)[0] and re.search(r":class:.*\bteaching-note\b", b))
        sol = [c for c in classes if "solution" in c.split()]
        assert len(sol) == n_solutions, f"{page.name}: {len(sol)} solutions shown, {n_solutions} in the source"
        assert all("dropdown" in c.split() for c in sol), f"{page.name}: a solution is not collapsed: {sol}"
        notes = [c for c in classes if "teaching-note" in c.split()]
        assert len(notes) == n_notes, f"{page.name}: {len(notes)} teaching notes shown, {n_notes} in the source"
        assert all("dropdown" not in c.split() for c in notes), f"{page.name}: a teaching note is hidden"


# ---------------------------------------------------------------------------------------
# Student notebooks


def test_student_notebooks_zip_runs_and_holds_no_solution(student_zip, needles, tmp_path):
    import nbformat
    from nbclient import NotebookClient

    with zipfile.ZipFile(student_zip) as z:
        names = z.namelist()
        z.extractall(tmp_path)
    assert "README.txt" in names and "edition/__init__.py" in names and "data/transcript.csv" in names
    nbs = sorted((tmp_path / "notebooks").glob("*.ipynb"))
    sources = {p.stem: p for p in (ROOT / "notebooks").glob("*.md")}
    assert {p.stem for p in nbs} == set(sources)
    env = {k: v for k, v in os.environ.items() if k not in ("EDITION_DATA", "PYTHONPATH")}
    for path in nbs:
        nb = nbformat.read(path, as_version=4)
        text = sources[path.stem].read_text(encoding="utf-8")
        n_solutions = len(re.findall(r"^\s*[:`]{3,}\{solution(?:-start)?\}", text, re.M))
        prompts = [c for c in nb.cells if "your answer here" in c.source.lower()]
        assert len(prompts) == n_solutions, f"{path.name}: {len(prompts)} answer prompts, {n_solutions} solutions"
        assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code")
        # prove the kit's own package is the one imported, then run the notebook
        nb.cells.append(nbformat.v4.new_code_cell(
            "import edition, pathlib\nprint('EDITION-FROM', pathlib.Path(edition.__file__).resolve())"))
        client = NotebookClient(nb, kernel_name="python3", timeout=180,
                                resources={"metadata": {"path": str(tmp_path / "notebooks")}})
        old = dict(os.environ)
        os.environ.clear()
        os.environ.update(env)
        try:
            client.execute()
        finally:
            os.environ.clear()
            os.environ.update(old)
        out = "".join(o.get("text", "") for o in nb.cells[-1].outputs)
        assert str(tmp_path.resolve() / "edition") in out, f"{path.name}: imported {out!r}"
    hits, _ = scan([student_zip], student_zip.parent, needles)
    assert not hits, "\n".join(hits)


def test_student_notebook_prompts_replace_solutions():
    from edition.studentnb import ANSWER_CODE, student_notebook
    md = (ROOT / "notebooks" / "s1-peace-and-the-treaty.md").read_text(encoding="utf-8")
    nb = student_notebook(md, "s1")
    src = "\n".join(c.source for c in nb.cells)
    assert "{solution" not in src and "teaching-note" not in src
    assert any(c.cell_type == "code" and c.source == ANSWER_CODE for c in nb.cells)
    assert "**Exercise** (s1-sourcing)" in src  # exercise fences read as plain Markdown


# ---------------------------------------------------------------------------------------
# A fork: drop a section, add an exercise, build both editions (slow: -k fork)


def copy_repo(dest: Path) -> Path:
    """The repository's files (tracked and new, not ignored) in dest; node_modules linked."""
    names = subprocess.run(["git", "ls-files", "-co", "--exclude-standard"], cwd=ROOT,
                           capture_output=True, text=True, check=True).stdout.splitlines()
    for rel in names:
        if (ROOT / rel).is_file():
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / rel, dest / rel)
    if (ROOT / "node_modules").is_dir():
        (dest / "node_modules").symlink_to(ROOT / "node_modules")
    for edition in ("student", "instructor"):  # seed the notebook cache: unchanged code is not re-run
        cache = BUILD_DIR / "work" / edition / "_build" / ".jupyter_cache"
        if cache.is_dir():
            shutil.copytree(cache, dest / "_build" / "work" / edition / "_build" / ".jupyter_cache")
    return dest


def toc_files(root: Path) -> list[str]:
    return re.findall(r"^\s*-\s*file:\s*(\S+)", (root / "_toc.yml").read_text(encoding="utf-8"), re.M)


def refs_into(root: Path, page: str) -> list[str]:
    """Files in the toc with a {ref} to a label defined on page."""
    text = (root / f"{page}.md").read_text(encoding="utf-8")
    labels = set(re.findall(r"^\(([\w.:-]+)\)=\s*$", text, re.M)) | set(re.findall(r"^\s*:label:\s*(\S+)", text, re.M))
    out = []
    for other in toc_files(root):
        if other == page:
            continue
        o = (root / f"{other}.md").read_text(encoding="utf-8")
        o = re.sub(r"^(`{3,}|~{3,})[\w+-]+\s*$.*?^\1\s*$", "", o, flags=re.M | re.S)  # examples in code
        o = re.sub(r"``.+?``", "", o)  # and in inline code
        for m in re.finditer(r"\{(?:ref|numref)\}`(?:[^`<]*<)?([\w.:-]+)>?`", o):
            if m.group(1) in labels:
                out.append(other)
    return out


def drop_from_toc(root: Path, page: str) -> None:
    toc = root / "_toc.yml"
    toc.write_text(re.sub(rf"^\s*-\s*file:\s*{re.escape(page)}\s*\n", "", toc.read_text(encoding="utf-8"),
                          flags=re.M), encoding="utf-8")


def section_pages(root: Path) -> list[str]:
    return [p for p in toc_files(root) if p.startswith("notebooks/")]


def test_fork_drop_a_section_and_add_an_exercise(tmp_path):
    from edition.build import build
    repo = copy_repo(tmp_path / "repo")
    droppable = [p for p in section_pages(repo) if not refs_into(repo, p)]
    assert droppable, "every section is the target of a {ref}: no section can be dropped cleanly"
    dropped = droppable[-1]
    drop_from_toc(repo, dropped)
    target = next(p for p in section_pages(repo) if p != dropped)
    exercise = (f"\n\n::::{{exercise}}\n:label: fork-extra\n\nA question the fork added.\n::::\n\n"
                f"::::{{solution}} fork-extra\n:class: dropdown\n\n{CANARY}.\n::::\n")
    (repo / f"{target}.md").write_text((repo / f"{target}.md").read_text(encoding="utf-8") + exercise,
                                       encoding="utf-8")
    student = build("student", root=repo, build_dir=repo / "_build")
    instructor = build("instructor", root=repo, build_dir=repo / "_build")

    assert not (student / f"{dropped}.html").exists(), f"{dropped} was dropped but is built"
    fork_needles, _ = collect_needles(repo)
    canary = [n for n in fork_needles if "Zqxcanary" in n.text]
    assert canary, "the fork's new solution was not collected as instructor-only"
    terms = instructor_only_terms(repo, fork_needles)
    assert "zqxcanari" in terms
    hits, _ = scan([student], student.parent, fork_needles, terms)
    assert not hits, "\n".join(hits)
    page = (instructor / f"{target}.html").read_text(encoding="utf-8")
    assert "Zqxcanary" in page and "fork-extra" in page
    assert "A question the fork added" in (student / f"{target}.html").read_text(encoding="utf-8")
    # the same scan reports the canary once it is in a copy of a student output
    planted = tmp_path / "planted"
    shutil.copytree(student / "_sources", planted)
    victim = planted / f"{target}.md"
    victim.write_text(victim.read_text(encoding="utf-8") + "\n" + CANARY + "\n", encoding="utf-8")
    hits, _ = scan([planted], planted, canary)
    assert hits and all(h.startswith(f"{target}.md") for h in hits), hits


def test_fork_dropping_a_referenced_section_names_file_and_fix(tmp_path, capsys):
    from edition.build import build
    repo = copy_repo(tmp_path / "repo")
    referenced = [(p, refs_into(repo, p)) for p in section_pages(repo)]
    referenced = [(p, r) for p, r in referenced if r]
    if not referenced:
        pytest.skip("no section is the target of a {ref} from another page")
    page, referrers = referenced[0]
    drop_from_toc(repo, page)
    with pytest.raises(SystemExit, match="failed to build"):
        build("student", root=repo, build_dir=repo / "_build")
    out = capsys.readouterr().out
    summary = out.split("What broke, in your sources", 1)
    assert len(summary) == 2, "the build did not explain what broke"
    for referrer in referrers:
        assert re.search(rf"{re.escape(referrer)}\.md:\d+: \{{ref\}}`[^`]+` points to {re.escape(page)}\.md, "
                         rf"which is not in _toc.yml\. Fix: put '- file: {re.escape(page)}' back", summary[1]), \
            summary[1]
