"""Nothing of the source is lost: the transcript accounts for every character."""

import hashlib
from pathlib import Path

SHARED = Path(__file__).resolve().parents[2] / "shared" / "source" / "000_a1e693486b2f05e1.txt"
SHA256 = "eed8e605bed543a8fcae59f5aac95a617e7a118392d2dba77dbea04d5a20f12e"


def test_source_copy_is_exactly_as_received(corpus):
    data = corpus.source_path.read_bytes()
    assert hashlib.sha256(data).hexdigest() == SHA256
    assert len(data) == 9750
    if SHARED.is_file():  # the shared copy beside the repository (present in CI)
        assert data == SHARED.read_bytes()


def test_passages_and_gaps_rebuild_the_source_byte_for_byte(corpus):
    src = corpus.source
    t = corpus.transcript
    pieces, pos = [], 0
    for p in t.itertuples():
        pieces.append(src[pos:p.start])  # what lies between passages
        pieces.append(p.text)
        pos = p.end
    pieces.append(src[pos:])
    assert "".join(pieces).encode("utf-8") == corpus.source_path.read_bytes()


def test_what_lies_between_passages_is_whitespace_only(corpus):
    src, pos = corpus.source, 0
    for p in corpus.transcript.itertuples():
        assert src[pos:p.start].strip() == "", f"text between passages before {p.id}"
        pos = p.end
    assert src[pos:].strip() == ""


def test_every_character_belongs_to_exactly_one_passage_or_whitespace(corpus):
    src = corpus.source
    owners = [0] * len(src)
    for p in corpus.transcript.itertuples():
        assert src[p.start:p.end] == p.text
        for i in range(p.start, p.end):
            owners[i] += 1
    for i, ch in enumerate(src):
        if owners[i] == 0:
            assert ch.isspace(), f"character {i} {ch!r} belongs to no passage"
        else:
            assert owners[i] == 1, f"character {i} belongs to {owners[i]} passages"


def test_layers_in_the_documented_order(corpus):
    layers = list(corpus.transcript["layer"])
    record = [i for i, l in enumerate(layers) if l == "record"]
    assert record == list(range(len(record))), "the record comes first and is contiguous"
    assert layers[record[-1] + 1] == "commentary"
    assert corpus.transcript.iloc[-1]["layer"] == "residue"


def test_speaker_labels_counted_as_the_notes_say(corpus):
    labels = list(corpus.transcript["speaker_label"])
    assert labels.count("Comrade Stalin:") == 11
    assert labels.count("Comrade Mao Zedong:") == 8


def test_editorial_attributions_are_the_documented_splices(corpus):
    t = corpus.transcript
    editorial = t[t["attribution"] == "editorial"]
    assert dict(zip(editorial["id"], editorial["apparatus"])) == {"t01": "l01", "t25": "l08", "t27": "l09"}
    assert set(editorial[editorial["id"] != "t01"]["speaker"]) == {"mao"}


def test_all_twelve_lacunae_and_splices_are_in_the_apparatus(corpus):
    a = corpus.apparatus
    gaps = a[a["kind"].isin(["lacuna", "splice"])]
    assert sorted(gaps["id"]) == [f"l{n:02d}" for n in range(1, 13)]
    assert set(a[a["kind"] == "bracket"]["anchor"]) == {
        "[Chinese Changchun Railroad, which traverses Manchuria]", "[Nationalist Chinese leader]",
        "[Chiang Kai-shek]", "[Sinkiang]", "[Kuomintang]", "[Taiwan]", "[PLA]"}
    assert "stripped" in set(a["kind"])
