"""The book's notebooks in the browser: a JupyterLite site inside the built book.

After the Sphinx build, :func:`build_lite` puts a JupyterLite site in ``<site>/lite/``:

* ``notebooks/<name>.ipynb`` -- every STUDENT notebook (:mod:`edition.studentnb`: no
  solutions, no teaching notes, no outputs), both in the student and in the instructor
  edition. The first cell is replaced by :data:`SETUP_CELL`, which in the browser
  installs the edition's package (and through it pandas, matplotlib, PyYAML, ipywidgets)
  and elsewhere does what the student-notebook kit's first cell does.
* ``data/`` -- the edition's data, beside ``notebooks/``, so that
  :func:`edition.load.data_dir` finds it by searching upward from the notebook's folder
  (in JupyterLite the kernel's working directory is the notebook's folder in its
  virtual file system, ``/drive/notebooks``).
* ``pypi/edition-<version>-py3-none-any.whl`` -- the package as a pure-Python wheel,
  listed in the site's piplite index, so ``%pip install edition`` (or
  ``await piplite.install("edition")``) installs it in Pyodide.

Only the JupyterLab app is built (``--apps lab``), without source maps, which keeps the
site near 21 MB. Pyodide itself and its scientific wheels are NOT in the site: the
Pyodide kernel fetches them from the Pyodide CDN (jsDelivr) the first time a notebook
runs, and ipywidgets from PyPI (see book/in-the-browser.md).

The lite site is built once per build folder (``<build>/lite``) and copied into each
edition; ``jupyter lite build`` is incremental, and an unchanged wheel is not rebuilt.

This module is also a small Sphinx extension (listed in ``_config.yml``): it makes the
theme's JupyterLite launch button (``launch_buttons: jupyterlite_url``) point at the lite
site relative to each page, so the button works wherever the book is served.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from .build import write_if_changed
from .studentnb import FIND_EDITION

LITE_DIR = "lite"                  # the site's folder inside the built book
APP = "lab"                        # the JupyterLite app the buttons open
SKIP_EXTENSIONS = ["jupyterlab-jupytext"]  # needs a Jupyter server: useless in the browser

SETUP_CELL = """\
# Set-up. In the browser (JupyterLite) this installs the edition's package and the
# libraries it uses (pandas, matplotlib, ...): the first time, that is a download of
# tens of MB (see "In the browser" in the book). Elsewhere it finds the package and
# data/ when they sit in this folder or one above it. Nothing to change here.
import pathlib, sys
if sys.platform == "emscripten":
    import piplite
    await piplite.install("edition")
""" + FIND_EDITION


def _package_digest(root: Path) -> str:
    h = hashlib.sha256()
    for f in [root / "pyproject.toml", *sorted((root / "edition").glob("*.py"))]:
        h.update(f.name.encode() + b"\0" + f.read_bytes() + b"\0")
    return h.hexdigest()[:16]


def build_wheel(root: Path, dest: Path) -> Path:
    """Build the package as a pure-Python wheel in ``dest`` (reused while unchanged).

    ``pip wheel --no-deps`` runs on a temporary copy of ``pyproject.toml`` and
    ``edition/``, so the build leaves nothing (``build/``, ``*.egg-info``) in the sources.
    """
    dest.mkdir(parents=True, exist_ok=True)
    stamp = dest / ".source-digest"
    digest = _package_digest(root)
    wheels = sorted(dest.glob("edition-*-py3-none-any.whl"))
    if len(wheels) == 1 and stamp.is_file() and stamp.read_text() == digest:
        return wheels[0]
    for w in wheels:
        w.unlink()
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "src"
        (src / "edition").mkdir(parents=True)
        shutil.copy2(root / "pyproject.toml", src / "pyproject.toml")
        for f in sorted((root / "edition").glob("*.py")):
            shutil.copy2(f, src / "edition" / f.name)
        if not (src / "README.md").exists():  # pyproject names a readme; the wheel needs none
            (src / "README.md").write_text("The edition's Python package.\n", encoding="utf-8")
        cmd = [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", str(dest), str(src)]
        try:
            import setuptools  # noqa: F401  (use it rather than download it)
            cmd.insert(5, "--no-build-isolation")
        except ImportError:
            pass
        result = subprocess.run(cmd, cwd=tmp)
        if result.returncode != 0:
            raise SystemExit("could not build the edition's wheel for JupyterLite (see the messages above)")
    wheels = sorted(dest.glob("edition-*-py3-none-any.whl"))
    if len(wheels) != 1:
        raise SystemExit(f"expected one pure-Python wheel in {dest}, found {[w.name for w in wheels]}")
    stamp.write_text(digest)
    return wheels[0]


def lite_notebook(nb):
    """A student notebook for JupyterLite: its set-up cell replaced by SETUP_CELL."""
    import nbformat

    from .studentnb import replace_setup_cell

    replace_setup_cell(nb, SETUP_CELL, "lite-setup")
    # JupyterLite's Python kernel is called "python" (not "python3"): with its name here
    # the kernel starts at once instead of asking the student to choose one
    nb.metadata["kernelspec"] = {"name": "python", "display_name": "Python (Pyodide)", "language": "python"}
    nbformat.validate(nb)
    return nb


def stage_contents(root: Path, contents: Path) -> list[Path]:
    """Write the lite site's files: notebooks/*.ipynb (student) and data/. Return them."""
    import nbformat

    from .studentnb import notebook_sources, student_notebook

    wanted = []
    for src in notebook_sources(root):
        nb = lite_notebook(student_notebook(src.read_text(encoding="utf-8"), str(src.relative_to(root))))
        out = contents / "notebooks" / (src.stem + ".ipynb")
        write_if_changed(out, (nbformat.writes(nb) + "\n").encode("utf-8"))
        wanted.append(out)
    for f in sorted((root / "data").rglob("*")):
        if f.is_file() and ".ipynb_checkpoints" not in f.parts and f.name != ".DS_Store":
            out = contents / f.relative_to(root)
            write_if_changed(out, f.read_bytes())
            wanted.append(out)
    for f in sorted(contents.rglob("*"), reverse=True):  # drop what the sources no longer have
        if f.is_file() and f not in wanted:
            f.unlink()
    return wanted


def build_lite(root: Path, build_dir: Path, site: Path) -> Path:
    """Build (or update) the JupyterLite site and copy it to ``site/lite``; return that."""
    lite = build_dir / "lite"
    wheel = build_wheel(root, lite / "wheels")
    stage_contents(root, lite / "contents")
    config = {"jupyter-lite-schema-version": 0,
              "jupyter-config-data": {"disabledExtensions": SKIP_EXTENSIONS}}
    write_if_changed(lite / "jupyter-lite.json", (json.dumps(config, indent=2) + "\n").encode())
    # Skip `jupyter lite build` when nothing it reads has changed since the last build.
    digest = hashlib.sha256()
    for f in sorted(p for p in [*(lite / "contents").rglob("*"), wheel, lite / "jupyter-lite.json"] if p.is_file()):
        digest.update(str(f.relative_to(lite)).encode() + b"\0" + f.read_bytes())
    stamp = lite / "_output.sha256"
    if (lite / "_output").is_dir() and stamp.is_file() and stamp.read_text() == digest.hexdigest():
        return _copy_site(lite, site)
    jupyter = Path(sys.executable).parent / "jupyter"
    cmd = [str(jupyter), "lite", "build", "--lite-dir", str(lite), "--contents", str(lite / "contents"),
           "--output-dir", str(lite / "_output"), "--piplite-wheels", str(wheel), "--apps", APP,
           "--no-sourcemaps", "--no-unused-shared-packages", "--log-level", "WARN"]
    print("+ jupyter lite build ...", flush=True)
    result = subprocess.run(cmd, cwd=lite)
    if result.returncode != 0:
        raise SystemExit("the JupyterLite site failed to build (see the messages above)")
    stamp.write_text(digest.hexdigest())
    return _copy_site(lite, site)


def _copy_site(lite: Path, site: Path) -> Path:
    out = site / LITE_DIR
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(lite / "_output", out)
    return out


# --- Sphinx: the JupyterLite launch button, relative to each page -------------------

def _fix_lite_button(app, pagename, templatename, context, doctree):
    config = app.config["html_theme_options"].get("launch_buttons", {}) or {}
    target = (config.get("jupyterlite_url") or "").strip("/")
    if not target or "://" in target or "pathto" not in context:
        return
    for group in context.get("header_buttons", []):
        for button in group.get("buttons", []) if isinstance(group, dict) else []:
            if button.get("text") == "JupyterLite" and "?path=" in button.get("url", ""):
                query = button["url"].split("?path=", 1)[1]
                button["url"] = f"{context['pathto'](target, 1)}?path={query}"
                button["text"] = "JupyterLite (in this browser)"
                button["tooltip"] = "Run this notebook in your browser (JupyterLite)"


def setup(app):
    # after sphinx-book-theme's add_launch_buttons (default priority 500)
    app.connect("html-page-context", _fix_lite_button, priority=501)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
