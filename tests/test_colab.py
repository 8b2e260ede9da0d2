"""Colab copies of the student notebooks (edition/colab.py).

Colab itself cannot be reached from here: these tests check what the book publishes
for it (one student notebook per section, whose first cell fetches the repository named
in _config.yml) and that such a notebook runs outside Colab.
"""

from pathlib import Path

import nbformat
import yaml
from nbclient import NotebookClient

from edition.colab import github_repo
from edition.studentnb import notebook_sources

ROOT = Path(__file__).resolve().parent.parent


def test_github_repo_parsing():
    assert github_repo("https://github.com/a-b/c.d") == ("a-b", "c.d")
    assert github_repo("https://github.com/a/b.git") == ("a", "b")
    assert github_repo("https://gitlab.com/a/b") is None


def test_a_colab_notebook_for_every_notebook_fetching_this_repository(student_site):
    url = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))["repository"]["url"]
    stems = {p.stem for p in notebook_sources(ROOT)}
    made = {p.stem for p in (student_site / "colab").glob("*.ipynb")}
    assert made == stems
    for stem in stems:
        nb = nbformat.read(student_site / "colab" / f"{stem}.ipynb", as_version=4)
        first = nb.cells[0].source
        assert f'"git", "clone", "--depth", "1", "{url}"' in first and '"google.colab" in sys.modules' in first
        assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code")


def test_a_colab_notebook_runs_outside_colab(student_site, tmp_path):
    nb = nbformat.read(student_site / "colab" / "s6-shanghai-and-customs.ipynb", as_version=4)
    NotebookClient(nb, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(ROOT / "notebooks")}}).execute()
    out = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []))
    assert "Not answered yet" in out
