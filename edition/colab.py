"""Google Colab: student notebooks that fetch the edition themselves, and the launch button.

Colab opens notebooks only from GitHub, as ``.ipynb``. So:

* the build writes a Colab copy of every student notebook into ``<site>/colab/``
  (the leak gate scans it like everything else in the site); its first cell, in Colab
  only, clones the repository named in ``_config.yml`` (``repository: url``) to get the
  ``edition`` package and ``data/``; elsewhere it does what the student kit's cell does;
* the publishing workflow (``.github/workflows/deploy.yml``) pushes that folder to the
  branch :data:`BRANCH` of the same repository;
* each notebook page's Colab button points at that branch, so a fork points at itself.
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

from .studentnb import FIND_EDITION

BRANCH = "colab-notebooks"
COLAB_DIR = "colab"

SETUP_CELL = """\
# Set-up. In Google Colab this fetches the edition (its Python package and data/) from
# {repo}; elsewhere it finds them in this folder or one above. Nothing to change here.
import os, pathlib, subprocess, sys
if "google.colab" in sys.modules:
    if not pathlib.Path("/content/edition-repo").is_dir():
        subprocess.run(["git", "clone", "--depth", "1", "{repo}", "/content/edition-repo"], check=True)
    sys.path.insert(0, "/content/edition-repo")
    os.chdir("/content/edition-repo/notebooks")
else:
""" + textwrap.indent(FIND_EDITION, "    ")


def github_repo(url: str) -> tuple[str, str] | None:
    """(owner, name) of a GitHub repository URL, or None if it is not one."""
    m = re.match(r"https?://github\.com/([^/\s]+)/([^/\s]+?)(?:\.git)?/?$", url or "")
    return (m.group(1), m.group(2)) if m else None


def colab_notebook(nb, repo_url: str):
    """A student notebook for Colab: its set-up cell replaced by SETUP_CELL."""
    import nbformat

    from .studentnb import replace_setup_cell

    replace_setup_cell(nb, SETUP_CELL.format(repo=repo_url), "colab-setup")
    nbformat.validate(nb)
    return nb


def write_colab_notebooks(root: Path, site: Path, repo_url: str) -> list[Path]:
    """Write ``<site>/colab/<notebook>.ipynb`` for every notebook; return the paths."""
    import nbformat

    from .studentnb import notebook_sources, student_notebook

    out = site / COLAB_DIR
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for src in notebook_sources(root):
        nb = colab_notebook(student_notebook(src.read_text(encoding="utf-8"), str(src.relative_to(root))),
                            repo_url)
        path = out / (src.stem + ".ipynb")
        path.write_text(nbformat.writes(nb) + "\n", encoding="utf-8")
        written.append(path)
    return written


# --- Sphinx: the Colab launch button points at the branch of Colab notebooks ----------

def _fix_colab_button(app, pagename, templatename, context, doctree):
    buttons = app.config["html_theme_options"].get("launch_buttons", {}) or {}
    colab = (buttons.get("colab_url") or "").rstrip("/")
    repo = github_repo(app.config["html_theme_options"].get("repository_url", ""))
    if not colab or not repo:
        return
    for group in context.get("header_buttons", []):
        for button in group.get("buttons", []) if isinstance(group, dict) else []:
            if button.get("text") == "Colab":
                name = Path(pagename).name
                button["url"] = f"{colab}/github/{repo[0]}/{repo[1]}/blob/{BRANCH}/{name}.ipynb"
                button["tooltip"] = "Run this notebook (student version) in Google Colab"


def setup(app):
    app.connect("html-page-context", _fix_colab_button, priority=502)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
