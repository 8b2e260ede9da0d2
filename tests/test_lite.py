"""The notebooks in the browser: the JupyterLite site in the built book (edition/lite.py).

What is tested here, and what cannot be:

* The lite site is in the built student edition (``lite/``), its contents listing (the
  JupyterLite contents API, ``lite/api/contents/**/all.json``) lists every student
  notebook and every data file, the files are there, and no lite notebook holds
  instructor-only content (:func:`edition.editions.instructor_strings`).
* The package is in the site as a pure-Python wheel in the piplite index that
  ``jupyter-lite.json`` points at, and every lite notebook's set-up cell installs it.
* Every notebook page has a JupyterLite button opening that notebook in ``lite/`` and a
  Binder button built from ``repository:`` in ``_config.yml``.
* In headless Chromium, served from 127.0.0.1, JupyterLab (JupyterLite) loads, lists
  ``notebooks/`` and ``data/``, and opens a notebook from the button's URL. Starting the
  kernel asks the Pyodide CDN for Pyodide; the only outside host the page may ask for is
  that CDN (requests to it are blocked in the test).
* A pure-Python cell runs in the Pyodide CORE served locally from npm's ``pyodide``
  package (the same Pyodide version, hence the same Python, as the JupyterLite kernel):
  the edition's wheel from the site is unpacked into it, every module of the package
  compiles, and ``edition.text`` splits a passage of ``data/transcript.csv`` read from the
  lite site's files.

NOT tested, because it cannot be here: running a notebook in the JupyterLite kernel
itself. The kernel loads micropip, IPython, numpy, pandas and matplotlib as wheels from
the Pyodide CDN (cdn.jsdelivr.net) and ipywidgets from PyPI at run time; npm's ``pyodide``
package carries only the core, and no registry this machine reaches carries Pyodide's
wheels. So ``import edition`` (which imports pandas) and the charts are documented in
book/in-the-browser.md, not tested.
"""

from __future__ import annotations

import json
import os
import re
import zipfile
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, serve

PYODIDE = ROOT / "node_modules" / "pyodide"
PYODIDE_CDN = "cdn.jsdelivr.net"


def _student_notebooks() -> list[str]:
    from edition.studentnb import notebook_sources
    return [p.stem + ".ipynb" for p in notebook_sources(ROOT)]


def _data_files() -> list[str]:
    return sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "data").rglob("*")
                  if p.is_file() and ".ipynb_checkpoints" not in p.parts and p.name != ".DS_Store")


def _listed(lite: Path) -> dict[str, str]:
    """path -> type, from every all.json of the JupyterLite contents API."""
    out = {}
    for f in (lite / "api" / "contents").rglob("all.json"):
        for item in json.loads(f.read_text(encoding="utf-8"))["content"]:
            out[item["path"]] = item["type"]
    return out


@pytest.fixture(scope="session")
def lite(student_site) -> Path:
    return student_site / "lite"


def test_lite_site_is_in_the_student_edition(lite):
    assert (lite / "lab" / "index.html").is_file(), "the JupyterLab app of the lite site is missing"
    assert (lite / "jupyter-lite.json").is_file()
    size = sum(f.stat().st_size for f in lite.rglob("*") if f.is_file())
    assert size < 40e6, f"the lite site is {size / 1e6:.0f} MB: keep it small (--apps lab, no source maps)"


def test_contents_list_every_student_notebook_and_data_file(lite):
    listed = _listed(lite)
    for nb in _student_notebooks():
        assert listed.get(f"notebooks/{nb}") == "notebook", f"notebooks/{nb} is not in the lite contents"
        assert (lite / "files" / "notebooks" / nb).is_file()
    for f in _data_files():
        assert f in listed, f"{f} is not in the lite contents"
        assert (lite / "files" / f).read_bytes() == (ROOT / f).read_bytes(), f"{f} differs from data/"
    # data/ beside notebooks/: edition.load.data_dir searches upward from the notebook's folder
    assert listed.get("data/transcript.csv") and listed.get("notebooks") == "directory"


def test_no_lite_notebook_holds_instructor_content(lite):
    from edition.editions import instructor_strings, strip_instructor
    sources = sorted([*(ROOT / "notebooks").glob("*.md"), *(ROOT / "book").glob("*.md")])
    texts = {src: src.read_text(encoding="utf-8") for src in sources}
    # a line that students also see elsewhere (e.g. the check_answer call beside the
    # exercise, repeated in its solution) is not a secret
    visible = "\n".join(strip_instructor(t, str(src)) for src, t in texts.items())
    secrets = [s for src, t in texts.items() for s in instructor_strings(t, str(src)) if s not in visible]
    assert secrets, "expected some instructor-only blocks in the sources (is the gate still wired?)"
    for nb in sorted((lite / "files").rglob("*.ipynb")):
        cells = json.loads(nb.read_text(encoding="utf-8"))["cells"]
        text = "\n".join("".join(c["source"]) if isinstance(c["source"], list) else c["source"] for c in cells)
        leaked = [s for s in secrets if s in text]
        assert not leaked, f"{nb.name} holds instructor-only text: {leaked[:3]}"
        assert not any(c.get("outputs") for c in cells if c["cell_type"] == "code"), f"{nb.name} has outputs"


def test_package_is_a_pure_python_wheel_in_the_piplite_index(lite):
    wheels = sorted((lite / "pypi").glob("edition-*.whl"))
    assert len(wheels) == 1 and wheels[0].name.endswith("-py3-none-any.whl"), wheels
    index = json.loads((lite / "pypi" / "all.json").read_text(encoding="utf-8"))
    assert wheels[0].name in json.dumps(index["edition"])
    config = json.loads((lite / "jupyter-lite.json").read_text(encoding="utf-8"))["jupyter-config-data"]
    urls = config["litePluginSettings"]["@jupyterlite/pyodide-kernel-extension:kernel"]["pipliteUrls"]
    assert any(u.startswith("./pypi/all.json") for u in urls)
    with zipfile.ZipFile(wheels[0]) as z:
        names = z.namelist()
        assert {"edition/__init__.py", "edition/notebook.py", "edition/load.py"} <= set(names)
        assert not [n for n in names if n.endswith((".so", ".pyd"))]
        meta = z.read(next(n for n in names if n.endswith(".dist-info/METADATA"))).decode()
    assert "Requires-Dist: pandas" in meta  # so piplite brings pandas and the rest with it


def test_every_lite_notebook_installs_the_package_first(lite):
    from edition.lite import SETUP_CELL
    for nb in _student_notebooks():
        notebook = json.loads((lite / "files" / "notebooks" / nb).read_text(encoding="utf-8"))
        assert notebook["metadata"]["kernelspec"]["name"] == "python", f"{nb}: not JupyterLite's kernel"
        cells = notebook["cells"]
        first = "".join(cells[0]["source"])
        assert first == SETUP_CELL and 'piplite.install("edition")' in first, nb
        rest = "\n".join("".join(c["source"]) for c in cells[1:])
        assert "from edition" in rest or "import edition" in rest or nb in ("commentary.ipynb", "archive.ipynb")


def test_every_notebook_page_has_lite_binder_and_colab_buttons(student_site, lite):
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    m = re.match(r"https://github\.com/([^/]+)/([^/]+?)/?$", config["repository"]["url"])
    org, repo, branch = m.group(1), m.group(2), config["repository"]["branch"]
    for nb in _student_notebooks():
        stem = nb[:-len(".ipynb")]
        html = (student_site / "notebooks" / f"{stem}.html").read_text(encoding="utf-8")
        assert f'href="../lite/lab/index.html?path=notebooks/{nb}"' in html, f"{stem}: no JupyterLite button"
        assert (lite / "files" / "notebooks" / nb).is_file()
        binder = f"https://mybinder.org/v2/gh/{org}/{repo}/{branch}?urlpath=lab/tree/notebooks/{stem}.md"
        assert binder in html, f"{stem}: no Binder button for the repository in _config.yml"
        colab = f"https://colab.research.google.com/github/{org}/{repo}/blob/colab-notebooks/{stem}.ipynb"
        assert colab in html, f"{stem}: the Colab button must open the student copy on the colab-notebooks branch"


@pytest.mark.browser
def test_jupyterlite_loads_and_opens_a_notebook(student_url, browser):
    ctx = browser.new_context()
    outside = []

    def route(r):
        if r.request.url.startswith(student_url):
            return r.continue_()
        outside.append(r.request.url)
        return r.abort()

    ctx.route("**/*", route)
    page = ctx.new_page()
    try:
        page.goto(f"{student_url}/lite/lab/index.html", wait_until="load")
        listing = page.locator(".jp-DirListing-content")
        listing.get_by_text("notebooks", exact=True).wait_for(timeout=60_000)
        listing.get_by_text("data", exact=True).wait_for()
        page.goto(f"{student_url}/lite/lab/index.html?path=notebooks/s1-peace-and-the-treaty.ipynb",
                  wait_until="load")
        page.locator(".jp-NotebookPanel .jp-Cell").first.wait_for(timeout=60_000)
        page.locator(".jp-NotebookPanel .jp-CodeCell", has_text='piplite.install("edition")').first.wait_for(timeout=30_000)
        page.locator(".jp-NotebookPanel .jp-MarkdownCell", has_text="Peace and the 1945 treaty").first.wait_for()
        for _ in range(60):  # the notebook names the lite kernel, which starts and asks for Pyodide
            if any(f"{PYODIDE_CDN}/pyodide/" in u for u in outside):
                break
            page.wait_for_timeout(500)
    finally:
        ctx.close()
    assert any(f"{PYODIDE_CDN}/pyodide/" in u for u in outside), \
        f"the kernel did not ask the Pyodide CDN for Pyodide (outside requests: {outside[:5]})"
    hosts = {re.match(r"\w+://([^/]+)", u).group(1) for u in outside if "://" in u}
    assert hosts <= {PYODIDE_CDN}, f"the lite site asked outside hosts other than the Pyodide CDN: {hosts}"


TEST_PAGE = """<!doctype html><meta charset="utf-8"><title>pyodide core</title>
<script type="module">
import { loadPyodide } from "/pyodide/pyodide.mjs";
try {
  const py = await loadPyodide({ indexURL: "/pyodide/" });
  const whl = await (await fetch("/site/lite/pypi/WHEEL")).arrayBuffer();
  py.unpackArchive(whl, "wheel", { extractDir: "/lib/python3.14/site-packages" });
  py.FS.mkdirTree("/drive/data"); py.FS.mkdirTree("/drive/notebooks");
  const csv = await (await fetch("/site/lite/files/data/transcript.csv")).text();
  py.FS.writeFile("/drive/data/transcript.csv", csv);
  window.result = await py.runPythonAsync(`
import csv, importlib.util, os, pathlib, sys
os.chdir("/drive/notebooks")
pkg = pathlib.Path("/lib/python3.14/site-packages/edition")
for f in sorted(pkg.glob("*.py")):
    compile(f.read_text(encoding="utf-8"), str(f), "exec")   # the whole package is valid here
spec = importlib.util.spec_from_file_location("edition_text", pkg / "text.py")
text = importlib.util.module_from_spec(spec); spec.loader.exec_module(text)
here = pathlib.Path.cwd()
data = next(d / "data" for d in (here, *here.parents) if (d / "data" / "transcript.csv").is_file())
rows = {r["id"]: r for r in csv.DictReader(open(data / "transcript.csv", encoding="utf-8"))}
import json
json.dumps({"python": sys.version.split()[0], "platform": sys.platform, "n": len(rows),
            "t01": [rows["t01"]["text"][a:b] for a, b in text.split_sentences(rows["t01"]["text"])],
            "t31": "t31" in rows,
            "modules": len(list(pkg.glob("*.py")))})
`);
} catch (e) { window.result = "ERROR " + e; }
</script>"""


@pytest.mark.browser
def test_pure_python_cell_runs_in_local_pyodide_core(student_site, browser, tmp_path):
    """Pyodide's core from npm (no CDN): the wheel unpacks and pure-Python code runs on it."""
    if not (PYODIDE / "pyodide.mjs").is_file():
        if os.environ.get("CI"):
            pytest.fail("node_modules/pyodide is missing: the build's `npm ci` must install it")
        pytest.skip("node_modules/pyodide is missing: run `npm ci`")
    wheel = next((student_site / "lite" / "pypi").glob("edition-*.whl")).name
    (tmp_path / "index.html").write_text(TEST_PAGE.replace("WHEEL", wheel), encoding="utf-8")
    (tmp_path / "pyodide").symlink_to(PYODIDE)
    (tmp_path / "site").symlink_to(student_site)
    url, server = serve(tmp_path)
    ctx = browser.new_context()
    outside = []
    ctx.route("**/*", lambda r: r.continue_() if r.request.url.startswith(url)
              else (outside.append(r.request.url), r.abort()))
    try:
        page = ctx.new_page()
        page.goto(f"{url}/index.html")
        page.wait_for_function("window.result !== undefined", timeout=120_000)
        result = page.evaluate("window.result")
    finally:
        ctx.close()
        server.shutdown()
    assert not str(result).startswith("ERROR"), result
    out = json.loads(result)
    assert out["platform"] == "emscripten" and out["python"].startswith("3.14")
    assert out["n"] > 30 and out["t31"] and out["modules"] >= 10
    assert any("peace can last" in s for s in out["t01"]), out["t01"]
    assert not outside, f"the core asked for outside files: {outside[:3]}"
