"""Loaders return the documented columns and dtypes, and look-ups work."""

import pytest

from edition.load import SCHEMAS

EXPECTED = {"str": "string", "int": "int64", "float": "float64", "bool": "bool"}


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_columns_and_dtypes(corpus, name):
    frame = getattr(corpus, name.removesuffix(".csv"))
    assert list(frame.columns) == list(SCHEMAS[name])
    for col, kind in SCHEMAS[name].items():
        assert str(frame[col].dtype) == EXPECTED[kind], f"{name}:{col} is {frame[col].dtype}"
    assert len(frame) > 0


def test_sentences_table(corpus):
    s = corpus.sentences
    assert list(s.columns) == ["id", "passage", "n", "start", "end", "text"]
    assert str(s["n"].dtype) == "int64"
    for row in s.itertuples():
        assert corpus.source[row.start:row.end] == row.text
    assert corpus.sentence("t02.1")["text"] == "This question we can discuss and decide."


def test_lookups_by_id(corpus):
    assert corpus.passage("t05")["speaker"] == "mao"
    assert corpus.section("s1")["first"] == "t01"
    assert list(corpus.passages_in("s6")["id"]) == ["t30", "t31"]
    with pytest.raises(KeyError, match="unknown passage 't99'"):
        corpus.passage("t99")
    with pytest.raises(KeyError, match="unknown section"):
        corpus.passages_in("s9")


def test_quote_check(corpus):
    assert corpus.quote_ok("t07", "the communists have managed to achieve what")
    assert not corpus.quote_ok("t07", "the communists managed to achieve what")
