"""Copy the browser libraries the built book needs out of ``node_modules``.

The book must load everything from its own files: no CDN at page load. The npm
packages pinned in ``package.json`` / ``package-lock.json`` (repository root)
are the source; this module copies only the files a browser actually fetches,
plus each package's licence, into one folder of the book (``<book>/_vendor``),
which ``_config.yml`` lists in ``html_static_path`` so Sphinx copies its
contents to ``_build/html/_static/``. Layout of that folder::

    requirejs/require.js              (+ LICENSE)
    html-manager/embed-amd.js         (+ *.woff2 icon fonts, LICENSE, notices)
    html-manager/widgets-paths.js     (written here, see WIDGETS_PATHS_JS)
    mathjax/tex-chtml.js              (+ fonts, TeX extensions, a11y, LICENSE)

Stdlib only. ``ensure_node_modules`` runs ``npm ci`` when node_modules is absent.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

FIX = "run `npm ci` in the repository root"

# package (in node_modules) -> (folder in dest, folder inside the package that the
# patterns are relative to, glob patterns of runtime files). Relative layout below
# the base folder is kept, because the libraries load their parts by relative URL.
ASSETS: dict[str, tuple[str, str, list[str]]] = {
    # npm's requirejs ships only the unminified require.js (85 KB, 24 KB gzip).
    "requirejs": ("requirejs", "", ["require.js"]),
    # embed-amd.js bundles base, controls, output and the manager itself. Its
    # Font Awesome icon fonts are fetched relative to it; modern browsers take
    # only the woff2 variant, so the eot/woff/ttf/svg copies are left out.
    "@jupyter-widgets/html-manager": ("html-manager", "dist", ["embed-amd.js", "*.woff2"]),
    # MathJax 3, TeX in / CommonHTML out (what Sphinx uses unless told otherwise),
    # its woff fonts, TeX extensions it autoloads for rarer macros, and the
    # accessibility parts its menu loads on demand (English speech rules only).
    "mathjax": (
        "mathjax",
        "es5",
        [
            "tex-chtml.js",
            "output/chtml/fonts/woff-v2/*.woff",
            "input/tex/extensions/*.js",
            "a11y/*.js",
            "sre/mathmaps/base.json",
            "sre/mathmaps/en.json",
        ],
    ),
}

# package -> [(licence file in node_modules, name beside the copied files)].
# html-manager's npm package has no LICENSE file: the same BSD-3-Clause text of
# Project Jupyter ships with @jupyter-widgets/controls7, which it depends on.
LICENSES: dict[str, list[tuple[str, str]]] = {
    "@jupyter-widgets/html-manager": [
        ("@jupyter-widgets/controls7/LICENSE", "LICENSE"),
        ("@jupyter-widgets/html-manager/dist/embed.js.LICENSE.txt", "THIRD-PARTY-NOTICES.txt"),
        ("@fortawesome/fontawesome-free/LICENSE.txt", "LICENSE-fontawesome.txt"),
    ],
    "mathjax": [("mathjax/LICENSE", "LICENSE")],
    "requirejs": [],  # no LICENSE file in the npm package: see _requirejs_license
}

# require.js finds a module's URL from its name relative to the *page*, and the
# widget manager loads its icon fonts next to that URL: without this, every page
# asks for <page folder>/@jupyter-widgets/html-manager/dist/*.woff2 (404). This
# file, loaded between require.js and embed-amd.js, maps that name to the folder
# it is served from, so the fonts load from html-manager/ at any page depth.
WIDGETS_PATHS_JS = """\
// Written by edition/vendor.py. Point require.js at the vendored widget manager
// so its icon fonts load from this folder (at any page depth), not the page's.
(function () {
  var here = document.currentScript.src.replace(/[^/]*$/, "");
  // The manager finds its icon fonts relative to the AMD module id "@jupyter-widgets/…",
  // so that id must map to this folder too, or the fonts are requested beside the page (404).
  require.config({paths: {"@jupyter-widgets/html-manager/dist": here.slice(0, -1),
                          "@jupyter-widgets": here.slice(0, -1)}});
})();
"""

MIT_TEXT = """\
Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in
all copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN
THE SOFTWARE.
"""


class VendorError(RuntimeError):
    """A file the book needs is missing from node_modules."""


def _need(path: Path) -> Path:
    if not path.is_file():
        raise VendorError(f"missing {path}: {FIX}")
    return path


def _requirejs_license(require_js: Path) -> str:
    """LICENSE for require.js, built from the @license header of the file itself."""
    header = require_js.read_text(encoding="utf-8").split("*/", 1)[0] + "*/"
    return (
        "RequireJS (npm package requirejs). The npm package ships no LICENSE file;\n"
        "this is the licence header of require.js followed by the MIT licence text.\n\n"
        f"{header}\n\nCopyright jQuery Foundation and other contributors\n\n{MIT_TEXT}"
    )


def vendor_assets(dest: Path, node_modules: Path) -> list[Path]:
    """Copy the runtime files (and licences) into ``dest``; return the written paths.

    ``dest`` is emptied first so that nothing stale is published.
    """
    dest, node_modules = Path(dest), Path(node_modules)
    if not node_modules.is_dir():
        raise VendorError(f"missing {node_modules}: {FIX}")
    if dest.exists():
        shutil.rmtree(dest)
    written: list[Path] = []

    def put(src: Path, target: Path) -> None:
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, target)
        written.append(target)

    for package, (folder, base, patterns) in ASSETS.items():
        root = node_modules / package / base
        _need(node_modules / package / "package.json")
        for pattern in patterns:
            matches = sorted(root.glob(pattern)) if "*" in pattern else [_need(root / pattern)]
            if not matches:
                raise VendorError(f"missing {root / pattern}: {FIX}")
            for src in matches:
                put(src, dest / folder / src.relative_to(root))
        for licence, name in LICENSES[package]:
            put(_need(node_modules / licence), dest / folder / name)

    text = {
        dest / "requirejs" / "LICENSE": _requirejs_license(node_modules / "requirejs" / "require.js"),
        dest / "html-manager" / "widgets-paths.js": WIDGETS_PATHS_JS,
    }
    for target, content in text.items():
        target.write_text(content, encoding="utf-8")
        written.append(target)
    return written


def ensure_node_modules(root: Path) -> Path:
    """Run ``npm ci`` in ``root`` when its node_modules is missing; return node_modules."""
    root = Path(root)
    node_modules = root / "node_modules"
    if not node_modules.is_dir():
        npm = shutil.which("npm")
        if npm is None:
            raise VendorError("npm not found: install Node.js (with npm), then " + FIX)
        subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=root, check=True)
    return node_modules
