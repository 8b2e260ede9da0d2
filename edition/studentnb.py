"""Student notebooks: the section notebooks as runnable ``.ipynb`` files, with no answers.

    python -m edition student-notebooks     # -> _build/student-notebooks.zip

:func:`student_notebook` reads a MyST notebook (jupytext), removes every instructor-only
block (:func:`edition.editions.strip_instructor`: solutions, gated solutions with their
code cells, teaching notes) and, where a solution was removed, puts a prompt in its place:
a markdown cell "✏️ Your answer here" or, for a solution that held code, a code cell
``# your answer here``. Every other cell is kept (set-up cells included), so the notebook
runs from top to bottom. Outputs are empty.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import jupytext
import nbformat

from .editions import _instructor_ranges

ANSWER_MARKDOWN = "✏️ **Your answer here**\n\n*(Write your answer in this cell: double-click to edit.)*"
ANSWER_CODE = "# your answer here\n"
# The search for the edition's folder (the package and data/ beside it), shared by the
# set-up cells of the student, JupyterLite and Colab notebooks.
FIND_EDITION = """\
for _folder in (pathlib.Path.cwd(), *pathlib.Path.cwd().parents):
    if (_folder / "edition" / "__init__.py").is_file():
        sys.path.insert(0, str(_folder))
        break"""
PATH_CELL = """\
# Lets this notebook find the edition's Python package (edition/) and data/ when they sit
# in this folder or one above it, as in the student-notebook kit. Nothing to change here.
import pathlib, sys
""" + FIND_EDITION
_MARKER = "<!-- edition:answer-prompt:{kind} -->"
_MARKER_RE = re.compile(r"^<!-- edition:answer-prompt:(text|code) -->$", re.M)
_CODE_CELL_RE = re.compile(r"^\s*(`{3,}|:{3,})\{code-cell\}", re.M)


def _strip_with_markers(md_text: str, where: str) -> str:
    """strip_instructor, but leave a marker line where a solution was removed."""
    lines = md_text.split("\n")
    out, i = [], 0
    for a, b in _instructor_ranges(md_text, where):
        out.extend(lines[i:a])
        block = "\n".join(lines[a:b + 1])
        first = lines[a].strip()
        if "{solution" in first:  # {solution} or {solution-start}: the student gets a prompt
            kind = "code" if _CODE_CELL_RE.search(block) else "text"
            # a marker gets its own markdown cell boundary so jupytext keeps it whole
            out.extend(["", "+++", "", _MARKER.format(kind=kind), "", "+++", ""])
        i = b + 1
    out.extend(lines[i:])
    return "\n".join(out)


def _expand_markers(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    cells = []
    for cell in nb.cells:
        if cell.cell_type != "markdown" or not _MARKER_RE.search(cell.source):
            cells.append(cell)
            continue
        pos = 0
        for m in _MARKER_RE.finditer(cell.source):
            before = cell.source[pos:m.start()].strip()
            if before:
                cells.append(nbformat.v4.new_markdown_cell(before))
            if m.group(1) == "code":
                cells.append(nbformat.v4.new_code_cell(ANSWER_CODE))
            else:
                cells.append(nbformat.v4.new_markdown_cell(ANSWER_MARKDOWN))
            pos = m.end()
        after = cell.source[pos:].strip()
        if after:
            cells.append(nbformat.v4.new_markdown_cell(after))
    nb.cells = cells
    return nb


_OPEN_RE = re.compile(r"^\s*(?P<fence>:{3,}|`{3,})\{(?P<name>[\w-]+)\}\s*(?P<arg>.*)$")
_ROLE_RES = [
    (re.compile(r"\{quote\}`(t\d{2,}(?:\.\d+)?) ([^`]+)`"), r"“\2” (\1)"),
    (re.compile(r"\{(?:foot)?cite(?::\w+)?\}`([^`]+)`"), r" [\1]"),
    (re.compile(r"\{ref\}`([^`<]+?)\s*<[^`]+>`"), r"\1"),
    (re.compile(r"\{[\w:-]+\}`([^`]+)`"), r"\1"),
]


def plain_markdown(text: str) -> str:
    """MyST markup made readable in any Jupyter: roles become plain text (a quotation
    keeps its passage ID), label lines go, and directive fences become bold headings.
    The words of the record are left exactly as they are."""
    out, stack = [], []
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        m = _OPEN_RE.match(line)
        if re.fullmatch(r"\([\w-]+\)=\s*", line):
            i += 1
            continue
        if m:
            fence, name, arg = m["fence"], m["name"], m["arg"].strip()
            options = {}
            while i + 1 < len(lines) and re.match(r"^\s*:[\w-]+:", lines[i + 1]):
                key, _, value = lines[i + 1].strip()[1:].partition(":")
                options[key] = value.strip()
                i += 1
            stack.append(fence)
            if name == "footbibliography":
                out.append("*The sources cited are listed under Notes on this section's page in the online book.*")
            elif name == "exercise":
                out.append(f"**Exercise** ({options.get('label', '')})" if options.get("label") else "**Exercise**")
            elif arg:
                out.append(f"**{arg}**")
            i += 1
            continue
        if stack and re.fullmatch(rf"\s*{re.escape(stack[-1][0])}{{{len(stack[-1])},}}\s*", line):
            stack.pop()
            i += 1
            continue
        for pattern, repl in _ROLE_RES:
            line = pattern.sub(repl, line)
        out.append(line)
        i += 1
    return "\n".join(out)


def student_notebook(md_text: str, where: str = "<notebook>") -> nbformat.NotebookNode:
    """The student version of a MyST notebook, as an nbformat v4 notebook with no outputs."""
    try:
        text = _strip_with_markers(md_text, where)
    except ValueError as e:
        raise SystemExit(f"error: {e}") from None
    nb = jupytext.reads(text, fmt="md:myst")
    nb = _expand_markers(nb)
    nb.metadata.pop("jupytext", None)
    for cell in nb.cells:
        cell.pop("id", None)
        if cell.cell_type == "markdown":
            cell.source = plain_markdown(cell.source)
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    nb.cells.insert(0, nbformat.v4.new_code_cell(PATH_CELL))
    nb.nbformat, nb.nbformat_minor = 4, 5
    _number_cells(nb)  # fresh, stable ids (nbformat 4.5 wants them)
    nbformat.validate(nb)
    return nb


def replace_setup_cell(nb: nbformat.NotebookNode, source: str, new_id: str) -> nbformat.NotebookNode:
    """Put ``source`` in place of the student set-up cell (PATH_CELL), or first if there
    is none; used for the JupyterLite and Colab copies, which find the edition their own way."""
    cell = nbformat.v4.new_code_cell(source)
    if nb.cells and nb.cells[0].cell_type == "code" and nb.cells[0].source == PATH_CELL:
        cell["id"] = nb.cells[0].get("id", "cell-000")
        nb.cells[0] = cell
    else:
        cell["id"] = new_id
        nb.cells.insert(0, cell)
    return nb


def _number_cells(nb: nbformat.NotebookNode) -> None:
    for k, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{k:03d}"


def notebook_sources(root: Path) -> list[Path]:
    """Every notebook in notebooks/ (MyST markdown with a jupytext header)."""
    return sorted(p for p in (root / "notebooks").glob("*.md")
                  if p.read_text(encoding="utf-8").lstrip().startswith("---")
                  and "jupytext" in p.read_text(encoding="utf-8").split("---")[1])


def write_student_notebooks(root: Path, dest: Path) -> list[Path]:
    """Write ``dest/<name>.ipynb`` for every notebook in ``root/notebooks``; return the paths."""
    dest.mkdir(parents=True, exist_ok=True)
    written = []
    for src in notebook_sources(root):
        nb = student_notebook(src.read_text(encoding="utf-8"), str(src.relative_to(root)))
        out = dest / (src.stem + ".ipynb")
        nbformat.write(nb, str(out))
        written.append(out)
    return written


README = """\
Student notebooks: {title}
{underline}

What is in this folder
  notebooks/   one Jupyter notebook per section, with the exercises but no answers.
               Where a model answer stands in the instructor's copy, you find
               "Your answer here" (a text cell) or "# your answer here" (a code cell).
  data/        the edition's data (transcript, notes, exercises); the notebooks read it.
  edition/     the small Python package the notebooks import. The kernel needs the
               libraries in the repository's requirements.txt (pandas, PyYAML,
               ipywidgets, matplotlib, ...).

Using it on a JupyterHub or in an LMS
  Upload or unzip the whole folder, keeping notebooks/, data/ and edition/ side by
  side, and open a notebook from notebooks/. The first cell of each notebook puts
  the folder above it on Python's path, so `import edition` works and data/ is found.
  If your hub starts kernels somewhere else, set PYTHONPATH to this folder (and, if
  data/ is elsewhere too, EDITION_DATA to the data folder).
  Data exercises are checked against a stored hash, so the answers are not in data/.

Using it with nbgrader
  These notebooks carry no nbgrader metadata: nbgrader needs its own cell metadata
  (grade ids, points, "solution"/"tests" cells), which you add with its
  Create Assignment toolbar. The simplest route is to use the instructor notebooks
  (the .md files in the repository's notebooks/, converted with
  `jupytext --to ipynb`) as the nbgrader *source* version, mark the solution cells
  there, and let nbgrader generate the release version. The instructor edition's
  model answers are written for a human marker: they are not automatic tests.
"""


def write_zip(root: Path, zip_path: Path, title: str | None = None) -> Path:
    """Write the student-notebook kit (notebooks, data/, edition/, README.txt) to zip_path."""
    import tempfile

    import yaml

    if title is None:
        title = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8")).get("title", "")
    zip_path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        nbs = write_student_notebooks(root, Path(tmp) / "notebooks")
        tmp_zip = zip_path.with_suffix(".zip.part")
        with zipfile.ZipFile(tmp_zip, "w", zipfile.ZIP_DEFLATED) as z:
            z.writestr("README.txt", README.format(title=title, underline="=" * (20 + len(title))))
            for nb in nbs:
                z.write(nb, f"notebooks/{nb.name}")
            for f in sorted((root / "data").rglob("*")):
                if f.is_file() and ".ipynb_checkpoints" not in f.parts:
                    z.write(f, f.relative_to(root).as_posix())
            for f in sorted((root / "edition").glob("*.py")):
                z.write(f, f"edition/{f.name}")
        tmp_zip.replace(zip_path)
    return zip_path
