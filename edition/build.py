"""Build an edition of the book: ``python -m edition build student|instructor``.

1. Stage the book's sources (``_config.yml``, ``_toc.yml``, ``book/``, ``notebooks/``,
   ``data/``) into ``_build/src/<edition>/``. For the student edition every
   instructor-only block is removed (see :mod:`edition.editions`). Files are only
   rewritten when their content changes, so unchanged pages are not rebuilt.
2. Vendor the JavaScript the pages need (require.js, the widget manager) into the
   staged book, so that no page loads anything from outside the book.
3. Run ``jupyter-book build`` strictly (``-W -n --keep-going``) and put the site in
   ``_build/html`` (student) or ``_build/instructor/html`` (instructor).
4. Add the JupyterLite site (``<site>/lite/``, :mod:`edition.lite`) and the printable
   course reader (``<site>/_downloads/reader.pdf``, :mod:`edition.reader`).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from .editions import strip_instructor

ROOT = Path(__file__).resolve().parent.parent
EDITIONS = ("student", "instructor")
STAGED = ["_config.yml", "_toc.yml", "book", "notebooks", "data"]


def output_dir(edition: str, build: Path) -> Path:
    return build / "html" if edition == "student" else build / "instructor" / "html"


def write_if_changed(path: Path, data: bytes) -> None:
    """Write only when the content differs, so unchanged files keep their time stamps."""
    if path.is_file() and path.read_bytes() == data:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def stage(edition: str, root: Path, dest: Path) -> Path:
    """Copy the sources into ``dest`` as the given edition; return ``dest``."""
    if edition not in EDITIONS:
        raise SystemExit(f"unknown edition {edition!r}: use one of {EDITIONS}")
    wanted = set()
    for name in STAGED:
        src = root / name
        files = [src] if src.is_file() else sorted(p for p in src.rglob("*") if p.is_file()
                                                       and ".ipynb_checkpoints" not in p.parts)
        for f in files:
            rel = f.relative_to(root)
            data = f.read_bytes()
            if edition == "student" and f.suffix == ".md" and rel.parts[0] in ("book", "notebooks"):
                try:
                    data = strip_instructor(data.decode("utf-8"), str(rel), keep_lines=True).encode("utf-8")
                except ValueError as e:
                    raise SystemExit(f"error: {e}") from None
            if rel.as_posix() == "_config.yml":
                data = _edition_config(data, edition)
            write_if_changed(dest / rel, data)
            wanted.add(dest / rel)
    for f in sorted(dest.rglob("*"), reverse=True):  # drop files deleted from the sources
        top = f.relative_to(dest).parts[0]
        if f.is_file() and top in STAGED and f not in wanted:
            f.unlink()
    return dest


def _edition_config(data: bytes, edition: str) -> bytes:
    config = yaml.safe_load(data)
    sphinx = config.setdefault("sphinx", {}).setdefault("config", {})
    if edition == "instructor":
        config["title"] = f"{config['title']} (instructor edition)"
        sphinx["hide_solutions"] = False
        config.setdefault("html", {})["announcement"] = (
            "Instructor edition: contains solutions and teaching notes. Do not share with students.")
    else:
        sphinx["hide_solutions"] = True  # belt and braces: solutions are already stripped
    return yaml.safe_dump(config, sort_keys=False, allow_unicode=True).encode("utf-8")


_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_UNDEFINED = re.compile(r"^(?P<file>\S+?):(?P<line>\d+): WARNING: undefined label: '(?P<label>[^']+)'")
_EDITION = re.compile(r"^(?P<file>\S+?):(?P<line>\d+): WARNING: (?P<msg>.*\[edition\])")


def _label_homes(root: Path) -> dict[str, str]:
    """label -> the source file (relative) that defines it, over book/ and notebooks/."""
    homes = {}
    for f in sorted([*(root / "book").rglob("*.md"), *(root / "notebooks").rglob("*.md")]):
        text = f.read_text(encoding="utf-8", errors="replace")
        for m in re.finditer(r"^\(([\w.:-]+)\)=\s*$|^\s*:label:\s*(\S+)", text, re.M):
            homes.setdefault((m.group(1) or m.group(2)).lower(), f.relative_to(root).as_posix())
    return homes


def explain_failures(log: list[str], root: Path, src: Path) -> list[str]:
    """One line per broken cross-reference in the build log: the source file, line and fix."""
    toc = (root / "_toc.yml").read_text(encoding="utf-8")
    homes, out = None, []
    for raw in log:
        line = _ANSI.sub("", raw).strip()
        for rx in (_UNDEFINED, _EDITION):
            m = rx.match(line)
            if not m:
                continue
            where = m.group("file")
            try:
                where = Path(where).resolve().relative_to(src.resolve()).as_posix()
            except ValueError:
                pass
            where = f"{where}:{m.group('line')}"
            if rx is _EDITION:
                out.append(f"{where}: {m.group('msg')}")
                continue
            homes = homes if homes is not None else _label_homes(root)
            label, home = m.group("label"), homes.get(m.group("label").lower())
            if home and f"file: {home.rsplit('.', 1)[0]}" not in toc:
                out.append(f"{where}: {{ref}}`{label}` points to {home}, which is not in _toc.yml. "
                           f"Fix: put '- file: {home.rsplit('.', 1)[0]}' back in _toc.yml, "
                           f"or remove or reword this reference.")
            elif home:
                out.append(f"{where}: {{ref}}`{label}` (defined in {home}) could not be resolved.")
            else:
                out.append(f"{where}: {{ref}}`{label}`: no page defines this label. "
                           f"Fix: correct the label, or add '({label})=' above the heading it means.")
    return list(dict.fromkeys(out))


ICON_SCRIPT_RE = re.compile(r'<script[^>]*src="[^"]*_static/scripts/fontawesome\.js[^"]*"[^>]*></script>\n?')


def _drop_icon_script(site: Path) -> None:
    """Remove the theme's Font Awesome script (1.5 MB, 0.54 MB gzip, on every page).

    The theme's CSS already draws the same icons from the Font Awesome web font, so
    the script only duplicates them as SVG; without it every page is about half as
    heavy, which matters on poor classroom networks (see book/benchmarks.md)."""
    for page in site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        lean = ICON_SCRIPT_RE.sub("", html)
        if lean != html:
            page.write_text(lean, encoding="utf-8")
    for f in (site / "_static" / "scripts").glob("fontawesome.js*"):
        f.unlink()


def _add_favicon_to_redirect(index: Path) -> None:
    """Jupyter Book's root index.html is a bare <meta> redirect. Make it a small valid page
    with a language, a title, the favicon (else browsers ask for /favicon.ico: a 404 and a
    console error) and a link for readers whose browser does not follow the redirect."""
    if not index.is_file():
        return
    html = index.read_text(encoding="utf-8")
    m = re.search(r'url=([^"\s]+)"', html)
    if 'rel="icon"' in html or not m:
        return
    target = m.group(1)
    index.write_text(
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Refresh" content="0; url={target}">\n'
        '<link rel="icon" href="_static/favicon.svg">\n<title>Redirecting to the book</title>\n</head>\n'
        f'<body><p><a href="{target}">Go to the book</a></p></body>\n</html>\n', encoding="utf-8")


def build(edition: str, root: Path = ROOT, build_dir: Path | None = None) -> Path:
    build_dir = build_dir or root / "_build"
    src = stage(edition, root, build_dir / "src" / edition)
    try:
        from .vendor import ensure_node_modules, vendor_assets
    except ImportError:
        vendor_assets = None
    if vendor_assets is not None:
        ensure_node_modules(root)
        vendor_assets(src / "_vendor", root / "node_modules")
    work = build_dir / "work" / edition
    cmd = [str(Path(sys.executable).parent / "jupyter-book"), "build", str(src), "--path-output", str(work),
           "-W", "-n", "--keep-going"]
    print("+", " ".join(cmd), flush=True)
    proc = subprocess.Popen(cmd, cwd=src, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, errors="replace")
    log = []
    for line in proc.stdout:  # show the build's messages as they come, and keep them
        print(line, end="", flush=True)
        log.append(line)
    if proc.wait() != 0:
        explained = explain_failures(log, root, src)
        if explained:
            print("\nWhat broke, in your sources (line numbers are the same in both editions):",
                  *explained, sep="\n  ")
        raise SystemExit(f"the {edition} edition failed to build (see the messages above)")
    out = output_dir(edition, build_dir)
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(work / "_build" / "html", out)
    _add_favicon_to_redirect(out / "index.html")
    _drop_icon_script(out)
    from .lite import build_lite  # the notebooks in the browser: <site>/lite/ (edition/lite.py)
    build_lite(root, build_dir, out)
    from .colab import write_colab_notebooks  # Colab copies of the student notebooks: <site>/colab/
    repo_url = (yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8")).get("repository") or {}).get("url", "")
    write_colab_notebooks(root, out, repo_url)
    from .reader import add_reader  # the course reader: <site>/_downloads/reader.pdf (edition/reader.py)
    add_reader(edition, root, build_dir, out)
    print(f"\nThe {edition} edition is in {out}\nOpen {out / 'index.html'} in a browser.")
    return out
