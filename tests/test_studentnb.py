"""Student notebooks read as plain Markdown in any Jupyter (edition.studentnb.plain_markdown)."""

from pathlib import Path

from edition.studentnb import notebook_sources, plain_markdown, student_notebook

ROOT = Path(__file__).resolve().parent.parent


def test_roles_labels_and_fences_become_plain_text():
    text = ("(s1)=\n# Title\nHe said {quote}`t02.1 This question we can discuss and decide.` "
            "{footcite}`cwihp1995` (see {ref}`s2` and {passage}`t07`).\n"
            "::::{exercise}\n:label: s1-x\n\n**Sourcing.** Why?\n::::\n"
            ":::{admonition} A note\n:class: tip\nBody\n:::\n```{footbibliography}\n```")
    out = plain_markdown(text)
    assert "(s1)=" not in out and "{" not in out and ":::" not in out and "```" not in out
    assert "“This question we can discuss and decide.” (t02.1)" in out
    assert "[cwihp1995]" in out and "see s2 and t07" in out
    assert "**Exercise** (s1-x)" in out and "**A note**" in out and "Body" in out


def test_every_student_notebook_is_free_of_myst_markup(corpus):
    for src in notebook_sources(ROOT):
        nb = student_notebook(src.read_text(encoding="utf-8"), src.name)
        for cell in nb.cells:
            if cell.cell_type == "markdown":
                assert "{quote}" not in cell.source and "{footcite}" not in cell.source, src.name
                assert ":::" not in cell.source, src.name
