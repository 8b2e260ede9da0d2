"""The built book: anchors, permalinks, glossary links, the full record, quotations."""

import re

import pytest
from bs4 import BeautifulSoup

from edition.load import read_bib_keys
from quotes import CITE_ROLE, PASSAGE_ROLE, QUOTE_ROLE, near_misses, prose, sources


def soup(path):
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def record_sentence_text(node):
    for extra in node.select("[data-ed]"):
        extra.decompose()
    return node.get_text()


def test_every_passage_anchor_once_on_its_section_page_and_the_record_page(student_site, corpus):
    record = soup(student_site / "book" / "record.html")
    for s in corpus.sections.itertuples():
        page = soup(student_site / f"{s.page}.html")
        for pid in corpus.passages_in(s.id)["id"]:
            assert len(page.select(f'[id="{pid}"]')) == 1, f"{pid} on {s.page}"
            if s.layer == "record":
                assert len(record.select(f'[id="{pid}"]')) == 1, f"{pid} on the record page"


def test_permalinks_lead_to_the_section_page(student_site, corpus):
    record = soup(student_site / "book" / "record.html")
    for p in corpus.transcript[corpus.transcript["layer"] == "record"].itertuples():
        link = record.select_one(f'[id="{p.id}"] a.ed-pid')["href"]
        page, anchor = link.split("#")
        assert anchor == p.id
        target = (student_site / "book" / page).resolve()
        assert target == (student_site / f"{corpus.section(p.section)['page']}.html").resolve()
        assert soup(target).find(id=p.id) is not None


def test_glossary_links_resolve(student_site):
    glossary = soup(student_site / "book" / "glossary.html")
    ids = {t["id"] for t in glossary.select("[id]")}
    checked = 0
    for page in [*student_site.glob("notebooks/*.html"), student_site / "book" / "record.html"]:
        for a in soup(page).select("a.ed-term, .ed-terms a"):
            target, anchor = a["href"].split("#")
            assert (page.parent / target).resolve() == (student_site / "book" / "glossary.html").resolve()
            assert anchor in ids, f"{page.name}: {a['href']}"
            checked += 1
    assert checked > 50


def test_every_sentence_of_the_record_is_verbatim_on_the_full_record_page(student_site, corpus):
    record = soup(student_site / "book" / "record.html")
    record_ids = set(corpus.transcript[corpus.transcript["layer"] == "record"]["id"])
    sentences = corpus.sentences[corpus.sentences["passage"].isin(record_ids)]
    assert len(record.select(".ed-sentence")) == len(sentences)
    for s in sentences.itertuples():
        node = record.find(id=s.id)
        assert node is not None, s.id
        assert record_sentence_text(node) == s.text, s.id
    page_text = " ".join(record.get_text().split())
    for p in corpus.transcript[corpus.transcript["layer"] == "record"].itertuples():
        if p.speaker_label:
            assert p.speaker_label in page_text


def test_source_as_received_page_shows_the_file_exactly(student_site, corpus):
    pre = soup(student_site / "book" / "source-as-received.html").select_one("pre")
    assert pre.get_text().strip("\n") == corpus.source.strip("\n")


@pytest.mark.parametrize("path", sources(__import__("pathlib").Path(__file__).resolve().parent.parent),
                         ids=lambda p: p.name)
def test_quotations_match_data_verbatim(path, corpus):
    text = prose(path.read_text(encoding="utf-8"))
    for m in QUOTE_ROLE.finditer(text):
        assert corpus.quote_ok(m["ref"], m["words"]), f"{path.name}: {m['ref']} {m['words']!r}"
    misses = near_misses(text, corpus.source)
    assert not misses, f"{path.name}: quotation differs from the source: " + "; ".join(
        f"{q!r} (source: {w!r})" for q, w in misses)


def test_near_miss_detector_catches_a_misquotation(corpus):
    assert near_misses('Stalin said "We would gain a lot in the arena of international relations".', corpus.source)
    assert not near_misses('Stalin said "We would gain much in the arena of international relations".',
                           corpus.source)


@pytest.mark.parametrize("path", sources(__import__("pathlib").Path(__file__).resolve().parent.parent),
                         ids=lambda p: p.name)
def test_citation_keys_and_passage_ids_exist(path, corpus):
    keys = read_bib_keys(corpus.root / "bibliography.bib")
    text = prose(path.read_text(encoding="utf-8"))
    for m in CITE_ROLE.finditer(text):
        for key in m["keys"].split(","):
            assert key.strip() in keys, f"{path.name}: unknown citation key {key!r}"
    ids = set(corpus.transcript["id"]) | set(corpus.sentences["id"])
    for m in PASSAGE_ROLE.finditer(text):
        assert m["ref"] in ids, f"{path.name}: unknown passage {m['ref']!r}"
    for ref in re.findall(r"(?<![\w-])t\d{2}(?:\.\d+)?(?![\w-])", text):
        assert ref in ids, f"{path.name}: unknown passage or sentence {ref!r}"


def test_markup_examples_are_not_taken_for_quotations():
    text = 'See (`` {quote}`t07.2 …` ``) and\n```md\n{quote}`t99 nothing`\n```\nbut {quote}`t01 real`'
    assert [m["ref"] for m in QUOTE_ROLE.finditer(prose(text))] == ["t01"]
