"""Rendering: escaping, anchors, markers and labels in the generated HTML."""

import csv
import re

from bs4 import BeautifulSoup

from edition import load_corpus, render
from edition.selfcheck import selfchecks_html

SCRIPT = "<script>alert('x')</script>"


def set_cell(path, row_id, column, value):
    with path.open(encoding="utf-8", newline="") as f:
        table = list(csv.reader(f))
    col = table[0].index(column)
    for row in table:
        if row and row[0] == row_id:
            row[col] = value
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(table)


def test_html_in_data_files_is_escaped(data_copy):
    set_cell(data_copy / "apparatus.csv", "l03", "note", f"A note with {SCRIPT} in it.")
    set_cell(data_copy / "sections.csv", "s1", "title", f"Peace {SCRIPT}")
    first_term = next(csv.reader((data_copy / "glossary.csv").open(encoding="utf-8")))  # header
    with (data_copy / "glossary.csv").open(encoding="utf-8") as f:
        gid = list(csv.reader(f))[1][0]
    set_cell(data_copy / "glossary.csv", gid, "gloss", f"Gloss {SCRIPT}")
    c = load_corpus(data_copy)
    pages = [render.notes_html(c, "s1"), render.record_html(c), render.glossary_html(c),
             render.terms_html(c, "s1"), render.section_html(c, "s1")]
    for html in pages:
        assert "<script>" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in render.notes_html(c, "s1")
    assert "&lt;script&gt;" in render.glossary_html(c)
    assert "&lt;script&gt;" in render.record_html(c)
    html = selfchecks_html([{"id": "s1-qx", "question": SCRIPT, "options": [
        {"text": SCRIPT, "correct": True, "feedback": SCRIPT}, {"text": "b", "correct": False, "feedback": "c"}]}])
    assert html.count("<script>") == 1  # only the self-check's own script
    assert "&lt;script&gt;" in html


def _soup(html):
    return BeautifulSoup(html, "html.parser")


def test_every_passage_and_sentence_is_addressable(corpus):
    for s in corpus.sections.itertuples():
        soup = _soup(render.section_html(corpus, s.id))
        for p in corpus.passages_in(s.id).itertuples():
            assert len(soup.select(f'[id="{p.id}"]')) == 1
        for sent in corpus.sentences[corpus.sentences["passage"].isin(corpus.passages_in(s.id)["id"])].itertuples():
            node = soup.find(id=sent.id)
            assert node is not None, sent.id
            for extra in node.select("[data-ed]"):
                extra.decompose()
            assert node.get_text() == sent.text


def test_labels_printed_and_restored(corpus):
    soup = _soup(render.section_html(corpus, "s5"))
    restored = soup.select_one('[id="t25"] .ed-restored')
    assert restored is not None and restored.has_attr("data-ed") and "Mao Zedong" in restored.get_text()
    assert "l08" in restored["title"]
    printed = soup.select_one('[id="t26"] .ed-label')
    assert printed.get_text() == "Comrade Stalin:" and not printed.has_attr("data-ed")


def test_a_marker_for_every_gap_and_splice_opens_its_note(corpus):
    a = corpus.apparatus
    for s in corpus.sections.itertuples():
        text = _soup(render.section_html(corpus, s.id))
        notes = _soup(render.notes_html(corpus, s.id))
        ids = set(corpus.passages_in(s.id)["id"])
        for n in a[a["passage"].isin(ids)].itertuples():
            note = notes.find(id=f"note-{n.id}")
            assert note is not None and f"evidence {n.evidence}" in note.get_text()
            if n.kind != "bracket":
                marker = text.find(id=f"ref-{n.id}")
                assert marker is not None and marker["href"] == f"#note-{n.id}"
                assert f"evidence {n.evidence}" in marker["aria-label"]


def test_brackets_are_styled_as_editorial(corpus):
    soup = _soup(render.section_html(corpus, "s4"))
    inserts = [s.get_text() for s in soup.select(".ed-insert")]
    assert inserts == ["[Kuomintang]", "[Taiwan]", "[PLA]"]


def test_glossary_links_point_at_entries(corpus):
    glossary = _soup(render.glossary_html(corpus))
    soup = _soup(render.record_html(corpus))
    links = soup.select("a.ed-term")
    assert len(links) > 20
    for a in links:
        page, anchor = a["href"].split("#")
        assert page == "glossary.html" and glossary.find(id=anchor) is not None, a["href"]


def test_citation_names_passage_and_url(corpus):
    soup = _soup(render.section_html(corpus, "s2"))
    cite = soup.select_one('[id="t07"] .ed-cite')
    text = cite.get_text(" ", strip=True)
    assert "passage t07" in text and "Cold War International History Project Bulletin" in text
    assert cite.select_one("a.ed-cite-url")["href"].endswith("#t07")


def test_dropped_section_permalinks_fall_back_to_the_full_record(data_copy):
    toc = data_copy.parent / "_toc.yml"
    toc.write_text("format: jb-book\nroot: book/index\nchapters:\n- file: notebooks/s1-peace-and-the-treaty\n"
                   "- file: book/record\n", encoding="utf-8")
    c = load_corpus(data_copy)
    soup = _soup(render.record_html(c))
    assert soup.select_one('[id="t05"] .ed-pid')["href"] == "record.html#t05"
    assert soup.select_one('[id="t02"] .ed-pid')["href"] == "../notebooks/s1-peace-and-the-treaty.html#t02"


def test_icon_script_removed_at_any_page_depth(tmp_path):
    from edition.build import _drop_icon_script
    scripts = tmp_path / "_static" / "scripts"
    scripts.mkdir(parents=True)
    (scripts / "fontawesome.js").write_text("x")
    (tmp_path / "book").mkdir()
    tag = '<script defer src="{}_static/scripts/fontawesome.js?digest=1"></script>\n'
    (tmp_path / "search.html").write_text("<head>" + tag.format("") + "</head>")
    (tmp_path / "book" / "a.html").write_text("<head>" + tag.format("../") + "</head>")
    _drop_icon_script(tmp_path)
    assert "fontawesome" not in (tmp_path / "search.html").read_text()
    assert "fontawesome" not in (tmp_path / "book" / "a.html").read_text()
    assert not (scripts / "fontawesome.js").exists()
