"""Every validation rule, broken on purpose in a temporary copy of data/.

Each case checks that `python -m edition check` finds the problem and that the message
names the file, the line and what is wrong. None may pass silently.
"""

import csv
import re
import subprocess
import sys
from pathlib import Path

import pytest

from edition.load import DataError, load_corpus
from edition.validate import check


def rows(path: Path):
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.reader(f))


def write(path: Path, table):
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(table)


def edit(path: Path, row_id: str, column: str, value: str) -> int:
    """Set one cell; return the line the row is on (header = line 1; no embedded newlines)."""
    table = rows(path)
    col = table[0].index(column)
    for n, row in enumerate(table):
        if row and row[0] == row_id:
            row[col] = value
            write(path, table)
            return n + 1
    raise AssertionError(f"{row_id} not in {path}")


def problems_for(data: Path):
    return [(Path(p.path).name, p.line, p.problem, p.fix) for p in check(data)]


def assert_problem(data: Path, file: str, line: int, *words: str):
    found = problems_for(data)
    for name, ln, problem, fix in found:
        if name == file and ln == line and all(w in problem for w in words):
            assert fix, "every problem says how to fix it"
            return
    raise AssertionError(f"no problem {file}:{line} {words}; found: {found}")


def test_real_data_passes():
    assert check(Path(__file__).resolve().parent.parent / "data") == []


def test_changed_passage_text(data_copy):
    line = edit(data_copy / "transcript.csv", "t07", "text",
                rows(data_copy / "transcript.csv")[7][10].replace("gain much", "gain a lot"))
    assert_problem(data_copy, "transcript.csv", line, "t07", "does not match source")


def test_shifted_offsets(data_copy):
    line = edit(data_copy / "transcript.csv", "t10", "start", "3390")
    assert_problem(data_copy, "transcript.csv", line, "t10", "does not match source")


def test_duplicate_id(data_copy):
    line = edit(data_copy / "transcript.csv", "t12", "id", "t11")
    assert_problem(data_copy, "transcript.csv", line, "'t11'", "used twice")


def test_malformed_id(data_copy):
    line = edit(data_copy / "apparatus.csv", "l04", "id", "gap4")
    assert_problem(data_copy, "apparatus.csv", line, "'gap4'", "not well-formed")


def test_unknown_speaker(data_copy):
    line = edit(data_copy / "transcript.csv", "t09", "speaker", "molotov")
    assert_problem(data_copy, "transcript.csv", line, "t09", "unknown speaker 'molotov'")


def test_unknown_layer(data_copy):
    line = edit(data_copy / "transcript.csv", "t33", "layer", "blog")
    assert_problem(data_copy, "transcript.csv", line, "t33", "unknown layer 'blog'")


def test_passage_missing_leaves_text_unowned(data_copy):
    table = [r for r in rows(data_copy / "transcript.csv") if r[0] != "t22"]
    write(data_copy / "transcript.csv", table)
    found = problems_for(data_copy)
    assert any(name == "transcript.csv" and "belongs to no passage" in problem
               and "The rest we will have to think about" in problem for name, _, problem, _ in found), found


def test_second_speaker_label_inside_a_passage(data_copy):
    # merge t15 into t14: the label "Comrade Stalin:" then sits inside one passage
    t = load_corpus(data_copy).transcript
    t14, t15 = t[t.id == "t14"].iloc[0], t[t.id == "t15"].iloc[0]
    src = load_corpus(data_copy).source
    table = [r for r in rows(data_copy / "transcript.csv") if r[0] != "t15"]
    for n, r in enumerate(table):
        if r[0] == "t14":
            r[9], r[10] = str(t15.end), src[t14.start:t15.end]
            line = n + 1
    write(data_copy / "transcript.csv", table)
    assert_problem(data_copy, "transcript.csv", line, "t14", "second speaker label 'Comrade Stalin:'")


def test_section_with_missing_passage(data_copy):
    line = edit(data_copy / "sections.csv", "s3", "last", "t99")
    assert_problem(data_copy, "sections.csv", line, "s3", "'t99' does not exist")


def test_overlapping_sections(data_copy):
    line = edit(data_copy / "sections.csv", "s3", "first", "t09")
    assert_problem(data_copy, "sections.csv", line, "s3 overlaps section s2")


def test_apparatus_anchor_not_in_passage(data_copy):
    line = edit(data_copy / "apparatus.csv", "l05", "anchor", "withdraw the troops from Port Arthur.")
    assert_problem(data_copy, "apparatus.csv", line, "l05", "occurs 0 times")


def test_apparatus_wrong_sentence(data_copy):
    line = edit(data_copy / "apparatus.csv", "l10", "sentence", "1")
    assert_problem(data_copy, "apparatus.csv", line, "l10", "falls in sentence 3")


def test_apparatus_unknown_passage(data_copy):
    line = edit(data_copy / "apparatus.csv", "l11", "passage", "t77")
    assert_problem(data_copy, "apparatus.csv", line, "l11", "passage 't77' does not exist")


def test_apparatus_bad_evidence_class(data_copy):
    line = edit(data_copy / "apparatus.csv", "l02", "evidence", "X")
    assert_problem(data_copy, "apparatus.csv", line, "l02", "unknown evidence class 'X'")


def test_bracket_without_note(data_copy):
    table = [r for r in rows(data_copy / "apparatus.csv") if r[0] != "b04"]
    write(data_copy / "apparatus.csv", table)
    line = [r[0] for r in rows(data_copy / "transcript.csv")].index("t14") + 1
    assert_problem(data_copy, "transcript.csv", line, "t14", "'[Sinkiang]' has no apparatus note")


def test_glossary_alias_not_in_text(data_copy):
    first = rows(data_copy / "glossary.csv")[1][0]
    line = edit(data_copy / "glossary.csv", first, "aliases", "Comrade Molotov")
    assert_problem(data_copy, "glossary.csv", line, "'Comrade Molotov' does not occur in the text")


def test_glossary_unknown_kind(data_copy):
    first = rows(data_copy / "glossary.csv")[2][0]
    line = edit(data_copy / "glossary.csv", first, "kind", "vehicle")
    assert_problem(data_copy, "glossary.csv", line, "unknown kind 'vehicle'")


def test_place_off_the_globe(data_copy):
    first = rows(data_copy / "places.csv")[1][0]
    line = edit(data_copy / "places.csv", first, "lat", "138.8")
    assert_problem(data_copy, "places.csv", line, "off the globe")


def test_timeline_bad_date(data_copy):
    first = rows(data_copy / "timeline.csv")[3][0]
    line = edit(data_copy / "timeline.csv", first, "date", "1949-13-40")
    assert_problem(data_copy, "timeline.csv", line, first, "bad date")


def test_timeline_unknown_section_and_source(data_copy):
    first = rows(data_copy / "timeline.csv")[2][0]
    line = edit(data_copy / "timeline.csv", first, "sections", "s1|s42")
    edit(data_copy / "timeline.csv", first, "source", "nosuchbook")
    assert_problem(data_copy, "timeline.csv", line, "unknown section 's42'")
    assert_problem(data_copy, "timeline.csv", line, "unknown source 'nosuchbook'")


def test_malformed_row_stops_with_file_and_line(data_copy):
    path = data_copy / "speakers.csv"
    text = path.read_text(encoding="utf-8").splitlines()
    text[2] = text[2] + ",an extra field"
    path.write_text("\n".join(text) + "\n", encoding="utf-8")
    assert_problem(data_copy, "speakers.csv", 3, "fields, expected 4")


def test_bad_boolean(data_copy):
    first = rows(data_copy / "glossary.csv")[1][0]
    line = edit(data_copy / "glossary.csv", first, "verified", "yes")
    with pytest.raises(DataError) as err:
        load_corpus(data_copy).glossary
    assert err.value.line == line and "expected true or false" in err.value.problem
    assert_problem(data_copy, "glossary.csv", line, "expected true or false")


def test_missing_column(data_copy):
    path = data_copy / "sections.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",summary,", ",summry,", 1), encoding="utf-8")
    assert_problem(data_copy, "sections.csv", 1, "missing columns ['summary']")


def test_edited_source_file(data_copy):
    src = next((data_copy / "source").glob("*.txt"))
    src.write_bytes(src.read_bytes().replace(b"Port Arthur", b"Lushun", 1))
    found = problems_for(data_copy)
    assert any(name == src.name and "sha256" in problem for name, _, problem, _ in found), found


def test_unknown_bibliography_key(data_copy):
    line = edit(data_copy / "apparatus.csv", "l06", "source", "cwihp1996")
    assert_problem(data_copy, "apparatus.csv", line, "l06", "unknown source 'cwihp1996'")


def test_selfcheck_without_right_answer(data_copy):
    path = data_copy / "exercises" / "s1.yml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("correct: true", "correct: false"), encoding="utf-8")
    line = next(n for n, l in enumerate(text.splitlines(), 1) if "id: s1-q1" in l)
    assert_problem(data_copy, "s1.yml", line, "s1-q1", "no option is marked 'correct: true'")


def test_data_exercise_with_bad_hash(data_copy):
    path = data_copy / "exercises" / "s1.yml"
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"answer_sha256: \w+", "answer_sha256: 5", text), encoding="utf-8")
    line = next(n for n, l in enumerate(text.splitlines(), 1) if "id: s1-d1" in l)
    assert_problem(data_copy, "s1.yml", line, "s1-d1", "not a SHA-256")


def test_yaml_syntax_error(data_copy):
    path = data_copy / "exercises" / "s1.yml"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[6] = lines[6] + ' "unclosed'
    path.write_text("\n".join(lines), encoding="utf-8")
    found = problems_for(data_copy)
    assert any(name == "s1.yml" and "does not parse" in problem and ln > 0 for name, ln, problem, _ in found), found


def test_cli_exits_nonzero_with_file_and_line(data_copy):
    line = edit(data_copy / "transcript.csv", "t20", "section", "s9")
    result = subprocess.run([sys.executable, "-m", "edition", "check", "--data", str(data_copy)],
                            capture_output=True, text=True)
    assert result.returncode == 1
    assert f"transcript.csv:{line}: passage t20: unknown section 's9'" in result.stderr
    assert "fix:" in result.stderr
