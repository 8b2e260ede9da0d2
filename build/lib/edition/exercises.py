"""Self-check questions and data exercises, kept in ``data/exercises/<section>.yml``.

A self-check is a multiple-choice question whose every option carries feedback that
says *why*; it appears in both editions. A data exercise asks for a value computed
with pandas; the file keeps only a salted SHA-256 of the right answer, so that the
check can give feedback without revealing it. Make a hash with
``python -m edition hash EXERCISE_ID VALUE --kind integer``.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import yaml

from .load import DataError

KINDS = ("integer", "number", "text", "set")


def normalise(value, kind: str) -> str:
    """The canonical text form of an answer, so that 3, 3.0 and '3' compare equal."""
    if kind == "integer":
        if isinstance(value, str):
            value = value.strip()
        number = float(value)
        if number != int(number):
            raise ValueError("expected a whole number")
        return str(int(number))
    if kind == "number":
        return f"{float(value):.2f}"
    if kind == "text":
        return " ".join(str(value).split()).casefold()
    if kind == "set":
        items = value.split(",") if isinstance(value, str) else list(value)
        return "|".join(sorted({" ".join(str(v).split()).casefold() for v in items if str(v).strip()}))
    raise ValueError(f"unknown answer kind {kind!r} (use one of {KINDS})")


def answer_hash(exercise_id: str, value, kind: str) -> str:
    """Salted SHA-256 of a normalised answer (the salt is the exercise ID)."""
    return hashlib.sha256(f"{exercise_id}:{normalise(value, kind)}".encode()).hexdigest()


def load_exercise_files(folder: Path, sections: set[str] | None = None):
    """Read every ``<section>.yml`` in ``folder``. Return ({section: content}, problems)."""
    content, problems, seen = {}, [], {}
    if not folder.is_dir():
        return content, problems
    for path in sorted(folder.glob("*.yml")):
        def problem(line, what, fix, path=path):
            problems.append(DataError(path, line, what, fix))
        try:
            doc = yaml.compose(path.read_text(encoding="utf-8"))
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as e:
            mark = getattr(e, "problem_mark", None)
            problem(mark.line + 1 if mark else 0, f"YAML does not parse ({getattr(e, 'problem', e)})",
                    "check the indentation and quoting on this line")
            continue
        lines = _item_lines(doc)
        if sections is not None and path.stem not in sections:
            problem(1, f"file is named for unknown section {path.stem!r}",
                    "name the file after a section id in data/sections.csv")
        if not isinstance(data, dict) or set(data) - {"selfchecks", "data_exercises"}:
            problem(1, "top level must have only 'selfchecks' and 'data_exercises'", "see data/README.md")
            continue
        for kind in ("selfchecks", "data_exercises"):
            for n, item in enumerate(data.get(kind) or []):
                line = lines.get((kind, n), 1)
                if not isinstance(item, dict) or "id" not in item:
                    problem(line, f"{kind} item {n + 1} has no id", "give every item an 'id:'")
                    continue
                qid = str(item["id"])
                if not re.fullmatch(rf"{re.escape(path.stem)}-[a-z0-9-]+", qid):
                    problem(line, f"id {qid!r} does not start with the section id {path.stem!r}",
                            f"use ids like {path.stem}-q1 / {path.stem}-d1")
                if qid in seen:
                    problem(line, f"id {qid!r} is used twice (also in {seen[qid]})", "give it a new id")
                seen.setdefault(qid, path.name)
                if kind == "selfchecks":
                    _check_selfcheck(item, line, problem)
                else:
                    _check_data_exercise(item, line, problem)
        content[path.stem] = data
    return content, problems


def _item_lines(doc) -> dict:
    """Map (list name, index) -> 1-based line of each item, from a composed YAML node."""
    lines = {}
    if doc is None or not hasattr(doc, "value") or not isinstance(doc.value, list):
        return lines
    for key, value in doc.value:
        if isinstance(getattr(value, "value", None), list):
            for n, node in enumerate(value.value):
                lines[(key.value, n)] = node.start_mark.line + 1
    return lines


def _check_selfcheck(item, line, problem):
    qid = item["id"]
    if not str(item.get("question", "")).strip():
        problem(line, f"self-check {qid}: no question", "write the question under 'question:'")
    options = item.get("options") or []
    if len(options) < 2:
        problem(line, f"self-check {qid}: needs at least two options", "add options under 'options:'")
    if not any(isinstance(o, dict) and o.get("correct") is True for o in options):
        problem(line, f"self-check {qid}: no option is marked 'correct: true'", "mark the right option(s)")
    for k, o in enumerate(options, 1):
        if not isinstance(o, dict) or not str(o.get("text", "")).strip() or not str(o.get("feedback", "")).strip():
            problem(line, f"self-check {qid}: option {k} needs 'text' and 'feedback'",
                    "every option says why it is right or wrong in 'feedback:'")


def _check_data_exercise(item, line, problem):
    qid = item["id"]
    if item.get("kind") not in KINDS:
        problem(line, f"data exercise {qid}: unknown kind {item.get('kind')!r}", f"use one of {KINDS}")
    if not re.fullmatch(r"[0-9a-f]{64}", str(item.get("answer_sha256", ""))):
        problem(line, f"data exercise {qid}: answer_sha256 is not a SHA-256 hex digest",
                f"compute it with: python -m edition hash {qid} VALUE --kind {item.get('kind', 'integer')}")
    if not str(item.get("hint", "")).strip():
        problem(line, f"data exercise {qid}: no hint", "write a hint that helps without giving the answer")


def data_exercise(exercise_id: str, folder: Path) -> dict:
    """The definition of one data exercise (raises KeyError naming the files looked in)."""
    content, problems = load_exercise_files(folder)
    for data in content.values():
        for item in data.get("data_exercises") or []:
            if item.get("id") == exercise_id:
                return item
    raise KeyError(f"unknown data exercise {exercise_id!r}: not in {folder}/*.yml")


def check(exercise_id: str, value, folder: Path) -> tuple[bool, str]:
    """Compare an answer with the stored hash. Return (right?, feedback message)."""
    item = data_exercise(exercise_id, folder)
    if value is None or value is Ellipsis:
        return False, "Not answered yet: replace the placeholder with your answer and run the cell again."
    try:
        right = answer_hash(exercise_id, value, item["kind"]) == item["answer_sha256"]
    except (TypeError, ValueError) as e:
        return False, f"That answer has the wrong form ({e}); the exercise expects {item['kind']}."
    if right:
        return True, "Correct: your answer matches."
    return False, "Not yet. Hint: " + str(item["hint"]).strip()
