"""The short calls that section notebooks make. Each displays HTML or a widget.

    from edition.notebook import show_section
    show_section("s1")
"""

from __future__ import annotations

from IPython.display import HTML, display

from . import exercises, render
from .load import load_corpus
from .selfcheck import selfchecks_html


def _corpus():
    return load_corpus()


def show_section(section_id: str):
    """The transcript of a section, rendered from data/."""
    display(HTML(render.section_html(_corpus(), section_id)))


def show_annotations(section_id: str):
    """Glosses for the names and terms in a section, then its editorial notes."""
    c = _corpus()
    display(HTML('<div class="ed-annotations"><h3 class="ed-h">Names and terms</h3>'
                 + render.terms_html(c, section_id) + '<h3 class="ed-h">Editorial notes</h3>'
                 + render.notes_html(c, section_id) + "</div>"))


def show_record():
    """The whole record in reading order (for the full-record page)."""
    display(HTML(render.record_html(_corpus())))


def show_glossary():
    display(HTML(render.glossary_html(_corpus())))


def show_timeline():
    display(HTML(render.timeline_html(_corpus())))


def show_selfcheck(section_id: str):
    """The self-check questions of a section (data/exercises/<section>.yml)."""
    c = _corpus()
    content, problems = exercises.load_exercise_files(c.root / "exercises")
    if problems:
        raise problems[0]
    questions = (content.get(section_id) or {}).get("selfchecks") or []
    if not questions:
        raise KeyError(f"no self-checks for section {section_id!r} in {c.root / 'exercises'}")
    display(HTML(selfchecks_html(questions)))


def check_answer(exercise_id: str, value):
    """Check a data exercise's answer against its stored hash and print feedback."""
    right, message = exercises.check(exercise_id, value, _corpus().root / "exercises")
    print(message)
    return right


def show_chart(section_id: str):
    """The interactive chart(s) for a section (see edition/charts.py)."""
    from .charts import section_chart
    display(section_chart(section_id, _corpus()))
