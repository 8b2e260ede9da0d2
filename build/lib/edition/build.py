"""Build an edition of the book: ``python -m edition build student|instructor``.

1. Stage the book's sources (``_config.yml``, ``_toc.yml``, ``book/``, ``notebooks/``,
   ``data/``) into ``_build/src/<edition>/``. For the student edition every
   instructor-only block is removed (see :mod:`edition.editions`). Files are only
   rewritten when their content changes, so unchanged pages are not rebuilt.
2. Vendor the JavaScript the pages need (require.js, the widget manager) into the
   staged book, so that no page loads anything from outside the book.
3. Run ``jupyter-book build`` strictly (``-W -n --keep-going``) and put the site in
   ``_build/html`` (student) or ``_build/instructor/html`` (instructor).
"""

from __future__ import annotations

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


def _write_if_changed(path: Path, data: bytes) -> None:
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
                    data = strip_instructor(data.decode("utf-8"), str(rel)).encode("utf-8")
                except ValueError as e:
                    raise SystemExit(f"error: {e}") from None
            if rel.as_posix() == "_config.yml":
                data = _edition_config(data, edition)
            _write_if_changed(dest / rel, data)
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
    result = subprocess.run(cmd, cwd=src)
    if result.returncode != 0:
        raise SystemExit(f"the {edition} edition failed to build (see the messages above)")
    out = output_dir(edition, build_dir)
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(work / "_build" / "html", out)
    print(f"\nThe {edition} edition is in {out}\nOpen {out / 'index.html'} in a browser.")
    return out
