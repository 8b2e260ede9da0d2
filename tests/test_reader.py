"""The printable course reader (edition/reader.py): ``_downloads/reader.pdf`` in the built
student edition (``make reader`` also copies it to ``_build/reader.pdf``).

Checks, on the PDF itself (text extracted with pypdf): it exists inside the site where
the landing page links to it, has pages, holds the readings in the order of _toc.yml
(passage IDs t01 and t31, sentences of the record, a heading of every reading) and no
instructor-only text; and the instructor edition offers the same student PDF.
"""

from __future__ import annotations

import re
import unicodedata

import pytest

from conftest import ROOT

pypdf = pytest.importorskip("pypdf")


def _norm(s: str) -> str:
    """Text for comparison: ligatures unfolded (NFKC), quotes straightened, spaces collapsed."""
    s = unicodedata.normalize("NFKC", s)
    s = s.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    return re.sub(r"\s+", " ", s).strip()


@pytest.fixture(scope="session")
def reader_pdf(student_site):
    from edition.reader import PDF_IN_SITE
    pdf = student_site / PDF_IN_SITE
    if not pdf.is_file():
        pytest.fail(f"{pdf} is missing: the student build prints it (needs /usr/bin/chromium)")
    return pdf


@pytest.fixture(scope="session")
def reader_text(reader_pdf):
    reader = pypdf.PdfReader(str(reader_pdf))
    return len(reader.pages), _norm(" ".join(p.extract_text() or "" for p in reader.pages))


def test_reader_has_pages(reader_text):
    pages, text = reader_text
    assert pages >= 10, f"the reader has only {pages} pages"
    assert len(text) > 20_000


def test_reader_keeps_passage_ids_and_the_record(reader_text, corpus):
    _, text = reader_text
    for pid in ("t01", "t31"):
        assert re.search(rf"\b{pid}\b", text), f"passage {pid} is not in the reader"
    transcript = corpus.transcript.set_index("id")
    for pid in ("t01", "t31"):
        words = _norm(str(transcript.loc[pid, "text"])).split()
        sample = " ".join(words[-8:]).rstrip(".")  # the end of the passage: past any speaker label
        assert _norm(sample) in text, f"the record's words of {pid} ({sample!r}) are not in the reader"
    assert "peace can last not only years" in text


def test_reader_holds_every_reading(reader_text):
    from edition.reader import reader_pages
    _, text = reader_text
    pages = reader_pages(ROOT)
    assert "notebooks/s1-peace-and-the-treaty" in pages and "book/aftermath" in pages
    assert not any(p in pages for p in ("book/for-instructors", "book/how-to-use", "book/in-the-browser"))
    for p in pages:
        src = (ROOT / f"{p}.md").read_text(encoding="utf-8")
        title = next(line[2:].strip() for line in src.splitlines() if line.startswith("# "))
        assert _norm(title) in text, f"{p}: its title {title!r} is not in the reader"


def test_reader_holds_no_instructor_content(reader_text):
    from edition.editions import instructor_strings, strip_instructor
    _, text = reader_text
    sources = sorted([*(ROOT / "notebooks").glob("*.md"), *(ROOT / "book").glob("*.md")])
    texts = {src: src.read_text(encoding="utf-8") for src in sources}
    visible = "\n".join(strip_instructor(t, str(src)) for src, t in texts.items())
    secrets = [s for src, t in texts.items() for s in instructor_strings(t, str(src)) if s not in visible]
    assert secrets
    # words students see anyway: the stripped pages and data/ (model answers quote the record)
    shown = [visible] + [f.read_text(encoding="utf-8", errors="replace") for f in sorted((ROOT / "data").rglob("*"))
                         if f.is_file() and f.suffix in {".csv", ".md", ".yml", ".yaml", ".txt", ".bib", ".json"}]
    shown = _norm(" ".join(shown))
    # compare prose as printed: markup stripped, so search distinctive runs of plain words
    leaked = []
    for s in secrets:
        plain = _norm(re.sub(r"\{[\w:-]+\}`([^`]*)`|[*_`#>]|\[|\]\([^)]*\)", r"\1", s))
        runs = [r.strip() for r in re.findall(r"[A-Za-z][A-Za-z ,;'-]{40,}", plain)]
        leaked += [r for r in runs if _norm(r) in text and _norm(r) not in shown]
    assert not leaked, f"instructor-only text in the reader: {leaked[:3]}"


def test_instructor_edition_offers_the_student_reader(instructor_site, reader_text):
    """The instructor edition copies the student PDF (built first, as `make test` does)."""
    from edition.reader import PDF_IN_SITE
    copy = instructor_site / PDF_IN_SITE
    assert copy.is_file(), "the instructor edition has no course reader"
    reader = pypdf.PdfReader(str(copy))
    text = _norm(" ".join(p.extract_text() or "" for p in reader.pages))
    assert (len(reader.pages), text) == reader_text, "the instructor edition's reader is not the student one"
