"""Every section notebook has the shared shape, enough exercises, and runs.

The shape (see notebooks/s1-peace-and-the-treaty.md): Orientation, The record,
Annotations, Context essay (600–1,000 words), Chart, Check yourself, Historical
thinking (two or more tasks with solutions), Working with the data (one exercise with a
hashed check and a gated solution), teaching notes, Notes.
"""

import ast
import re
from pathlib import Path

import jupytext
import nbformat
import pytest
from nbclient import NotebookClient

from edition import exercises, load_corpus
from edition.editions import strip_instructor

ROOT = Path(__file__).resolve().parent.parent
SECTIONS = list(load_corpus(ROOT / "data").sections.itertuples())
HEADINGS = ["Orientation", "The record", "Annotations", "Context", "Chart", "Check yourself",
            "Historical thinking", "Working with the data", "Notes"]
TASK_TYPES = ["Sourcing", "Contextualising", "Corroborating", "Close reading", "The edition's gaps"]


def page(section) -> str:
    return (ROOT / f"{section.page}.md").read_text(encoding="utf-8")


def essay(text: str) -> str:
    part = re.search(r"^## Context\b.*?\n(.*?)(?=^## )", text, re.S | re.M).group(1)
    part = re.sub(r"\{quote\}`t[\d.]+ ([^`]*)`", r"\1", part)       # quoted words count
    part = re.sub(r"\{(?:foot)?cite[^}]*\}`[^`]*`", "", part)         # citations don't
    part = re.sub(r"\{[a-z]+\}`([^`]*)`", r"\1", part)
    return part


def word_count(text: str) -> int:
    return len(re.findall(r"[A-Za-z0-9][\w'’–-]*", text))


@pytest.mark.parametrize("section", SECTIONS, ids=lambda s: s.id)
def test_notebook_has_the_shared_shape(section):
    text = page(section)
    found = [h for h in re.findall(r"^## (.+)$", text, re.M)]
    order = [next((i for i, f in enumerate(found) if f.startswith(h)), None) for h in HEADINGS]
    assert None not in order, f"{section.page}: missing headings {[h for h, o in zip(HEADINGS, order) if o is None]}"
    assert order == sorted(order), f"{section.page}: headings out of order: {found}"
    assert f'show_section("{section.id}")' in text and f'show_annotations("{section.id}")' in text
    assert f'show_chart("{section.id}")' in text
    assert f'show_selfcheck("{section.id}")' in text
    assert "{footbibliography}" in text


@pytest.mark.parametrize("section", SECTIONS, ids=lambda s: s.id)
def test_essay_length(section):
    n = word_count(essay(page(section)))
    assert 600 <= n <= 1000, f"{section.page}: the context essay has {n} words"


@pytest.mark.parametrize("section", SECTIONS, ids=lambda s: s.id)
def test_exercise_counts(section):
    text = page(section)
    thinking = re.search(r"^## Historical thinking\n(.*?)(?=^## )", text, re.S | re.M).group(1)
    tasks = re.findall(r"^:{3,}\{exercise\}\n:label: (\S+)", thinking, re.M)
    assert len(tasks) >= 2, f"{section.page}: {len(tasks)} historical-thinking tasks"
    for label in tasks:
        assert re.search(rf"^:{{3,}}\{{solution\}} {re.escape(label)}$", text, re.M), f"no solution for {label}"
    data = re.search(r"^## Working with the data\n(.*?)(?=^## )", text, re.S | re.M).group(1)
    assert re.search(rf"\{{solution-start\}} {section.id}-d1", data), "gated solution for the data exercise"
    assert f'check_answer("{section.id}-d1", answer)' in data
    assert re.search(r":class: teaching-note", text), "teaching notes"
    content, problems = exercises.load_exercise_files(ROOT / "data" / "exercises")
    assert not problems
    assert len(content[section.id]["selfchecks"]) >= 3
    assert [d["id"] for d in content[section.id]["data_exercises"]] == [f"{section.id}-d1"]


def test_task_types_are_covered_across_the_book():
    text = "\n".join(page(s) for s in SECTIONS)
    for kind in TASK_TYPES:
        assert f"**{kind}.**" in text, f"no historical-thinking task of type {kind}"


def run(nb, cwd: Path):
    NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(cwd)}}).execute()
    return nb


def wrong(value, kind):
    if kind in ("integer", "number"):
        return value + 1
    if kind == "text":
        return str(value) + " and more"
    return list(value) + ["zzz-not-an-answer"]


@pytest.mark.parametrize("section", SECTIONS, ids=lambda s: s.id)
def test_notebook_executes_and_its_data_check_accepts_right_rejects_wrong(section):
    """The full (instructor) notebook runs top to bottom in a fresh kernel; the
    solution's answer passes the hashed check and a wrong answer fails it."""
    nb = jupytext.reads(page(section), fmt="myst")
    nb.cells.append(nbformat.v4.new_code_cell("print(repr(answer))"))
    run(nb, ROOT / "notebooks")
    outputs = ["".join(o.get("text", "") for o in c.get("outputs", [])) for c in nb.cells if c.cell_type == "code"]
    assert any("Correct" in o for o in outputs), f"{section.page}: the solution's check did not print Correct"
    answer = ast.literal_eval(outputs[-1].strip())
    kind = exercises.data_exercise(f"{section.id}-d1", ROOT / "data" / "exercises")["kind"]
    folder = ROOT / "data" / "exercises"
    assert exercises.check(f"{section.id}-d1", answer, folder)[0]
    assert not exercises.check(f"{section.id}-d1", wrong(answer, kind), folder)[0]


def test_student_version_of_s1_runs_and_the_check_says_not_yet():
    text = strip_instructor((ROOT / "notebooks" / "s1-peace-and-the-treaty.md").read_text(encoding="utf-8"))
    assert "str.count" not in text
    nb = run(jupytext.reads(text, fmt="myst"), ROOT / "notebooks")
    out = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []))
    assert "Not answered yet" in out
