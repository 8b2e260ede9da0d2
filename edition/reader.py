"""The printable course reader: the student edition's readings as one PDF.

    python -m edition reader [--build-dir DIR]    # -> _build/reader.pdf (and in the site)

The reader is made from the BUILT student site, never from the sources, so it holds
exactly what students see online (no solutions, no teaching notes):

1. :func:`reader_pages` picks the readings from ``_toc.yml``: the landing page and every
   chapter of every part except the reference part (:data:`SKIP_PARTS`) and the pages in
   :data:`SKIP_PAGES` (how to use the website, running the notebooks).
2. :func:`assemble` joins the article of each page into one HTML file
   (``<build>/reader/reader.html``): ids are made unique per page, links between readings
   become links inside the PDF, links to pages left out become plain text, scripts are
   dropped (the PDF is static; interactive charts and self-check feedback do not print),
   and stylesheets and images point at the built site.
3. :func:`print_pdf` prints that file once with Debian's headless Chromium
   (``--print-to-pdf``), so no PDF library is needed to build.

The build (:mod:`edition.build`) runs this after the student edition and puts the PDF at
``_downloads/reader.pdf`` inside the site, where the landing page links to it; the
instructor edition gets a copy of the same student PDF.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import yaml

CHROMIUM = os.environ.get("EDITION_CHROMIUM", "/usr/bin/chromium")
PDF_IN_SITE = "_downloads/reader.pdf"      # where the landing page links to (../_downloads/reader.pdf)
SKIP_PARTS = {"Reference"}                # _toc.yml part captions left out of the reader
SKIP_PAGES = {"book/how-to-use", "book/in-the-browser"}  # about the website, not readings

READER_CSS = """
@page { size: A4; margin: 18mm 16mm 20mm 16mm; }
html, body { background: #fff; }
body { font-size: 10.5pt; margin: 0; }
.bd-article-container, .bd-article { max-width: none !important; padding: 0 !important; }
.reader-page { break-before: page; }
.reader-page:first-of-type { break-before: auto; }
.reader-title { text-align: center; padding-top: 30mm; }
.reader-title h1 { font-size: 22pt; }
.reader-contents { text-align: left; max-width: 130mm; margin: 12mm auto 0; }
.reader-contents h2 { text-align: center; }
.reader-contents ol { font-size: 11pt; line-height: 1.7; }
.headerlink, button, .ed-cite, .copybtn, .toggle-button, .cell_input, .widget-container { display: none !important; }
.ed-marker { display: inline !important; }   /* gaps and splices stay visible on paper */
a { color: inherit; text-decoration: none; }
h1, h2, h3 { break-after: avoid; }
figure, img, table, .ed-passage { break-inside: avoid; }
img { max-width: 100% !important; }
"""


def reader_pages(root: Path) -> list[str]:
    """The docnames of the readings, in the order of ``_toc.yml``."""
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    pages = [toc["root"]]

    def walk(entries):
        for e in entries or []:
            if "file" in e:
                pages.append(e["file"])
            walk(e.get("sections"))

    for part in toc.get("parts", []):
        if part.get("caption") not in SKIP_PARTS:
            walk(part.get("chapters"))
    walk(toc.get("chapters"))
    out = []
    for p in pages:
        p = str(Path(p).with_suffix("")) if Path(p).suffix in (".md", ".ipynb") else p
        if p not in SKIP_PAGES and p not in out:
            out.append(p)
    return out


def _slug(docname: str) -> str:
    return "page-" + docname.replace("/", "-")


def assemble(site: Path, pages: list[str], title: str) -> str:
    """One HTML document holding the article of every page (see the module docstring)."""
    from bs4 import BeautifulSoup

    site = site.resolve()
    in_reader = {f"{p}.html": k for k, p in enumerate(pages)}
    articles, styles = [], []
    for k, page in enumerate(pages):
        path = site / f"{page}.html"
        if not path.is_file():
            raise SystemExit(f"{path} is missing: build the student edition first")
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        for link in soup.find_all("link", rel="stylesheet"):
            href = (path.parent / urlsplit(link["href"]).path).resolve().as_uri()
            if href not in styles:
                styles.append(href)
        article = soup.find("article", class_="bd-article")
        if article is None:
            raise SystemExit(f"{path}: no <article class='bd-article'> (has the theme changed?)")
        for tag in article.find_all(["script", "noscript", "style"]):
            tag.decompose()
        for tag in article.find_all(id=True):
            tag["id"] = f"p{k}-{tag['id']}"
        for tag in article.find_all(src=True):
            src = tag["src"]
            if not urlsplit(src).scheme and not src.startswith("//"):
                tag["src"] = (path.parent / urlsplit(src).path).resolve().as_uri()
        for a in article.find_all("a", href=True):
            href = a["href"]
            parts = urlsplit(href)
            if parts.scheme or href.startswith(("//", "mailto:")):
                continue
            if not parts.path:  # a link inside this page
                a["href"] = f"#p{k}-{parts.fragment}" if parts.fragment else f"#{_slug(page)}"
                continue
            target = (path.parent / parts.path).resolve()
            try:
                rel = target.relative_to(site).as_posix()
            except ValueError:
                rel = None
            if rel in in_reader:
                j = in_reader[rel]
                a["href"] = f"#p{j}-{parts.fragment}" if parts.fragment else f"#{_slug(pages[j])}"
            else:  # a page left out of the reader, or a download: keep the words only
                del a["href"]
        articles.append(f'<section class="reader-page" id="{_slug(page)}">{article.decode_contents()}</section>')
    contents = "".join(
        f'<li><a href="#{_slug(p)}">{_page_title(site / f"{p}.html")}</a></li>' for p in pages)
    links = "\n".join(f'<link rel="stylesheet" href="{s}">' for s in styles)
    return f"""<!DOCTYPE html>
<html lang="en" data-theme="light" data-mode="light">
<head><meta charset="utf-8"><title>{title}: course reader</title>
{links}
<style>{READER_CSS}</style></head>
<body><main class="bd-main"><div class="bd-content"><div class="bd-article-container">
<article class="bd-article">
<section class="reader-page reader-title"><h1>{title}</h1>
<p><em>Course reader: the readings of the student edition, printed from the online book.</em></p>
<p>Every passage keeps its address (t01, t01.1, ...), as online, so you can cite the paper
and the screen alike. Charts, self-checks and notebooks are online only.</p>
<nav class="reader-contents"><h2>Contents</h2><ol>{contents}</ol></nav></section>
{''.join(articles)}
</article></div></div></main></body></html>
"""


def _page_title(path: Path) -> str:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    h1 = soup.find("article", class_="bd-article").find("h1")
    if h1 is None:
        return path.stem
    for a in h1.find_all("a", class_="headerlink"):
        a.decompose()
    return h1.get_text(" ", strip=True)


def print_pdf(html: Path, pdf: Path, chromium: str = CHROMIUM) -> Path:
    """Print one HTML file to PDF with headless Chromium."""
    pdf.parent.mkdir(parents=True, exist_ok=True)
    part = pdf.with_suffix(".pdf.part")
    part.unlink(missing_ok=True)
    cmd = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           "--no-pdf-header-footer", "--run-all-compositor-stages-before-draw",
           f"--print-to-pdf={part}", html.resolve().as_uri()]
    result = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=300)
    if result.returncode != 0 or not part.is_file() or part.stat().st_size == 0:
        raise SystemExit(f"Chromium could not print the reader:\n{result.stderr[-2000:]}")
    part.replace(pdf)
    return pdf


def make_reader(root: Path, build_dir: Path, site: Path) -> Path | None:
    """Print the student site's readings to ``site/_downloads/reader.pdf``; return it
    (None, with a note, when Chromium is not installed)."""
    if not Path(CHROMIUM).exists():
        print(f"note: {CHROMIUM} is not installed, so the course reader (PDF) was not made "
              "(apt-get install chromium)", file=sys.stderr)
        return None
    title = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8")).get("title", "")
    html = build_dir / "reader" / "reader.html"
    html.parent.mkdir(parents=True, exist_ok=True)
    text = assemble(site, reader_pages(root), title)
    pdf = build_dir / "reader" / "reader.pdf"
    if not (pdf.is_file() and html.is_file() and html.read_text(encoding="utf-8") == text):
        html.write_text(text, encoding="utf-8")  # print only when the readings changed
        pdf = print_pdf(html, pdf)
    dest = site / PDF_IN_SITE
    dest.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(pdf, dest)
    print(f"The course reader is in {dest}", flush=True)
    return dest


def add_reader(edition: str, root: Path, build_dir: Path, site: Path) -> Path | None:
    """The build step: the student edition prints the reader; the instructor edition
    gets a copy of the student one (so it never holds instructor-only material)."""
    if edition == "student":
        return make_reader(root, build_dir, site)
    from .build import output_dir

    student_pdf = output_dir("student", build_dir) / PDF_IN_SITE
    if not student_pdf.is_file():
        print("note: build the student edition first to put the course reader in the "
              "instructor edition too", file=sys.stderr)
        return None
    dest = site / PDF_IN_SITE
    dest.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(student_pdf, dest)
    return dest
