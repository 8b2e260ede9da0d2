"""Every rule the data in ``data/`` must keep. ``python -m edition check`` runs them all.

Each rule is a generator of :class:`~edition.load.DataError` problems (file, line,
what is wrong, how to fix it). :func:`check` collects them; nothing stops at the first.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from .exercises import load_exercise_files
from .load import Corpus, DataError, load_corpus, split_list
from .text import LABEL_RE, split_sentences

LAYERS = {"record", "commentary", "archive", "residue"}
SECTION_LAYERS = {"record", "commentary", "archive"}
ATTRIBUTIONS = {"printed", "continued", "editorial", "layer"}
APPARATUS_KINDS = {"lacuna", "splice", "bracket", "stripped", "truncation"}
EVIDENCE = {"V", "I", "M"}
POSITIONS = {"before", "after", "within"}
GLOSSARY_KINDS = {"person", "place", "organisation", "term"}
PRECISIONS = {"day": r"\d{4}-\d{2}-\d{2}", "month": r"\d{4}-\d{2}", "year": r"\d{4}"}
ID_PATTERNS = {
    "transcript.csv": r"t\d{2,}",
    "apparatus.csv": r"[lnbc]\d{2,}",
    "glossary.csv": r"g-[a-z0-9]+(?:-[a-z0-9]+)*",
    "timeline.csv": r"e\d{2,}",
    "sections.csv": r"s\d+|commentary|archive",
    "speakers.csv": r"[a-z]+(?:-[a-z]+)*",
}


def _at(frame, i):
    """(path, line) of row i of a table read by edition.load.read_table."""
    return frame.attrs["path"], frame.attrs["lines"][i]


def _problem(frame, i, problem, fix):
    path, line = _at(frame, i)
    return DataError(path, line, problem, fix)


def rule_ids(c: Corpus):
    """IDs are well-formed and unique in every table."""
    for name, pattern in ID_PATTERNS.items():
        frame = getattr(c, name.removesuffix(".csv"))
        seen = {}
        for i, rid in enumerate(frame["id"]):
            if not re.fullmatch(pattern, rid):
                yield _problem(frame, i, f"ID {rid!r} is not well-formed",
                               f"IDs in {name} look like {pattern!r}")
            if rid in seen:
                yield _problem(frame, i, f"ID {rid!r} is used twice (also on line {seen[rid]})",
                               "give this row a new ID; never reuse or renumber published IDs")
            seen.setdefault(rid, _at(frame, i)[1])


def rule_source(c: Corpus):
    """The source file is the one described in PROVENANCE.md (its sha256 matches)."""
    prov = c.root / "source" / "PROVENANCE.md"
    text = prov.read_text(encoding="utf-8") if prov.is_file() else ""
    m = re.search(r"sha256[^0-9a-f]*([0-9a-f]{64})", text)
    if not m:
        yield DataError(prov, 0, "no sha256 recorded for the source file",
                        "record the source file's sha256 in data/source/PROVENANCE.md")
    elif m.group(1) != c.source_sha256:
        yield DataError(c.source_path, 0,
                        f"the source file's sha256 is {c.source_sha256}, not {m.group(1)} as recorded",
                        "restore the source exactly as received (never edit it); corrections go in the apparatus")


def rule_transcript_covers_source(c: Corpus):
    """Passages are exact slices of the source, in order, and cover every non-space character."""
    t, src = c.transcript, c.source
    frame = c.transcript
    pos = 0
    for i, p in enumerate(t.itertuples()):
        j = frame.index.get_loc(p.Index)
        path, line = frame.attrs["path"], frame.attrs["lines"][j]
        if not (0 <= p.start < p.end <= len(src)):
            yield DataError(path, line, f"passage {p.id}: offsets {p.start}-{p.end} lie outside the source "
                            f"(0-{len(src)})", "set start and end to the passage's offsets in the source")
            continue
        if src[p.start:p.end] != p.text:
            yield DataError(path, line, f"passage {p.id}: text does not match source[{p.start}:{p.end}] "
                            f"(source has {src[p.start:p.start + 40]!r}…)",
                            "the text must be an exact slice of the source: fix start/end, or restore the text")
        gap = src[pos:p.start] if p.start >= pos else None
        if gap is None:
            yield DataError(path, line, f"passage {p.id} overlaps the passage before it (starts at {p.start}, "
                            f"previous ends at {pos})", "passages must not overlap: check start/end and order")
        elif gap.strip():
            yield DataError(path, line, f"the source text {gap.strip()[:60]!r} before passage {p.id} "
                            "belongs to no passage", "add a passage for it, or extend a neighbouring passage")
        pos = max(pos, p.end)
    if src[pos:].strip():
        yield DataError(frame.attrs["path"], 0, f"the end of the source {src[pos:].strip()[:60]!r} belongs to no passage",
                        "add a passage for it")


def rule_transcript_fields(c: Corpus):
    """Layers, speakers, sections, labels and attributions are known and consistent."""
    t = c.transcript
    speakers = set(c.speakers["id"])
    sections = set(c.sections["id"])
    apparatus = set(c.apparatus["id"])
    for j, p in enumerate(t.itertuples()):
        i = t.index.get_loc(p.Index)
        if p.layer not in LAYERS:
            yield _problem(t, i, f"passage {p.id}: unknown layer {p.layer!r}", f"use one of {sorted(LAYERS)}")
        if p.speaker not in speakers:
            yield _problem(t, i, f"passage {p.id}: unknown speaker {p.speaker!r}",
                           "use an id from data/speakers.csv, or add the speaker there")
        if p.section not in sections:
            yield _problem(t, i, f"passage {p.id}: unknown section {p.section!r}",
                           "use an id from data/sections.csv")
        if p.attribution not in ATTRIBUTIONS:
            yield _problem(t, i, f"passage {p.id}: unknown attribution {p.attribution!r}",
                           f"use one of {sorted(ATTRIBUTIONS)}")
        label = LABEL_RE.match(p.text)
        if p.speaker_label:
            if not p.text.startswith(p.speaker_label) or not LABEL_RE.fullmatch(p.speaker_label):
                yield _problem(t, i, f"passage {p.id}: speaker_label {p.speaker_label!r} is not the label "
                               "printed at the start of its text", "copy the label exactly as printed, or leave it empty")
            elif p.attribution != "printed":
                yield _problem(t, i, f"passage {p.id}: has a printed label but attribution {p.attribution!r}",
                               "set attribution to 'printed'")
        elif label:
            yield _problem(t, i, f"passage {p.id}: its text starts with the label {label.group(0)!r} but "
                           "speaker_label is empty", "copy the label into speaker_label")
        inner = [m.group(0) for m in LABEL_RE.finditer(p.text) if m.start() > 0]
        if inner:
            yield _problem(t, i, f"passage {p.id}: a second speaker label {inner[0]!r} occurs inside it",
                           "split the passage at the label (a passage holds one speaker's words)")
        if p.attribution == "editorial" and p.apparatus not in apparatus:
            yield _problem(t, i, f"passage {p.id}: an editorial attribution must name its apparatus note "
                           f"(has {p.apparatus!r})", "put the ID of the note that explains it in column 'apparatus'")
        if p.apparatus and p.apparatus not in apparatus:
            yield _problem(t, i, f"passage {p.id}: unknown apparatus note {p.apparatus!r}",
                           "use an id from data/apparatus.csv")
        if (p.layer == "record") != (p.attribution in {"printed", "continued", "editorial"}):
            yield _problem(t, i, f"passage {p.id}: attribution {p.attribution!r} does not fit layer {p.layer!r}",
                           "record passages are printed/continued/editorial; other layers use 'layer'")


def rule_sections(c: Corpus):
    """Sections name existing first/last passages, run in order and do not overlap."""
    s, t = c.sections, c.transcript
    order = dict(zip(t["id"], t["order"]))
    claimed = {}
    for i, row in enumerate(s.itertuples()):
        if row.layer not in SECTION_LAYERS:
            yield _problem(s, i, f"section {row.id}: unknown layer {row.layer!r}", f"use one of {sorted(SECTION_LAYERS)}")
        bad = [p for p in (row.first, row.last) if p not in order]
        if bad:
            yield _problem(s, i, f"section {row.id}: passage {bad[0]!r} does not exist",
                           "first and last must be passage IDs from data/transcript.csv")
            continue
        if order[row.first] > order[row.last]:
            yield _problem(s, i, f"section {row.id}: first passage {row.first} comes after last {row.last}",
                           "swap first and last")
            continue
        for pid in t[(t["order"] >= order[row.first]) & (t["order"] <= order[row.last])]["id"]:
            if pid in claimed:
                yield _problem(s, i, f"section {row.id} overlaps section {claimed[pid]} at passage {pid}",
                               "sections must not overlap: adjust first/last")
                break
            claimed[pid] = row.id
        inside = set(t[t["section"] == row.id]["id"])
        span = {p for p, sec in claimed.items() if sec == row.id}
        if inside != span:
            odd = sorted(inside ^ span)[0]
            yield _problem(s, i, f"section {row.id}: passage {odd} is in the section's range but its "
                           "'section' column says otherwise (or the reverse)",
                           "make data/transcript.csv's section column agree with first/last")
        page = c.root.parent / row.page
        if (c.root.parent / "notebooks").is_dir() and not any(
                page.with_suffix(ext).is_file() for ext in (".md", ".ipynb")):
            yield _problem(s, i, f"section {row.id}: its page {row.page!r} has no .md or .ipynb file",
                           "create the notebook, or correct the 'page' column (path without extension)")
    missing = [p for p in t["id"] if p not in claimed]
    if missing:
        yield DataError(s.attrs["path"], 0, f"passage {missing[0]} belongs to no section",
                        "extend a section's first/last to include it")


def rule_apparatus(c: Corpus):
    """Every note is anchored in an existing passage, in the sentence it names."""
    a = c.apparatus
    keys = c.bib_keys
    for i, row in enumerate(a.itertuples()):
        if row.kind not in APPARATUS_KINDS:
            yield _problem(a, i, f"note {row.id}: unknown kind {row.kind!r}", f"use one of {sorted(APPARATUS_KINDS)}")
        if row.evidence not in EVIDENCE:
            yield _problem(a, i, f"note {row.id}: unknown evidence class {row.evidence!r}",
                           "use V (verified), I (shown by the text itself) or M (memory, unverified)")
        if row.position not in POSITIONS:
            yield _problem(a, i, f"note {row.id}: unknown position {row.position!r}", f"use one of {sorted(POSITIONS)}")
        for key in split_list(row.source, ";"):
            if key not in keys:
                yield _problem(a, i, f"note {row.id}: unknown source {key!r}", "use a key from data/bibliography.bib")
        if not row.note.strip():
            yield _problem(a, i, f"note {row.id}: the note is empty", "write the note")
        if row.passage not in set(c.transcript["id"]):
            yield _problem(a, i, f"note {row.id}: passage {row.passage!r} does not exist",
                           "use a passage ID from data/transcript.csv")
            continue
        p = c.passage(row.passage)
        count = p["text"].count(row.anchor)
        if count != 1:
            yield _problem(a, i, f"note {row.id}: anchor {row.anchor!r} occurs {count} times in passage "
                           f"{row.passage}", "the anchor must be words that occur exactly once in the passage")
            continue
        at = p["text"].index(row.anchor)
        spans = split_sentences(p["text"], p["speaker_label"])
        n = next((k for k, (s, e) in enumerate(spans, 1) if s <= at < e), None)
        if n != row.sentence:
            yield _problem(a, i, f"note {row.id}: its anchor falls in sentence {n} of {row.passage}, "
                           f"not {row.sentence}", f"set sentence to {n}")
    brackets = set(a[a["kind"] == "bracket"].apply(lambda r: (r["passage"], r["anchor"]), axis=1))
    t = c.transcript
    for i, p in enumerate(t.itertuples()):
        if p.layer != "record":
            continue
        for m in re.finditer(r"\[[^\]]*\]", p.text):
            if (p.id, m.group(0)) not in brackets:
                yield _problem(t, t.index.get_loc(p.Index), f"passage {p.id}: bracket {m.group(0)!r} has no "
                               "apparatus note", "add a 'bracket' row for it in data/apparatus.csv")


def rule_glossary(c: Corpus):
    """Kinds are known, every alias occurs in the text, sources exist."""
    g, keys, src = c.glossary, c.bib_keys, c.source
    owner = {}
    for i, row in enumerate(g.itertuples()):
        if row.kind not in GLOSSARY_KINDS:
            yield _problem(g, i, f"term {row.id}: unknown kind {row.kind!r}", f"use one of {sorted(GLOSSARY_KINDS)}")
        for alias in split_list(row.aliases):
            if alias not in src:
                yield _problem(g, i, f"term {row.id}: alias {alias!r} does not occur in the text",
                               "aliases must be spelled exactly as in the source (or removed)")
            if alias in owner:
                yield _problem(g, i, f"term {row.id}: alias {alias!r} is also an alias of {owner[alias]}",
                               "give each alias to one entry only")
            owner.setdefault(alias, row.id)
        if not split_list(row.source, ";"):
            yield _problem(g, i, f"term {row.id}: no source", "name a key from data/bibliography.bib")
        for key in split_list(row.source, ";"):
            if key not in keys:
                yield _problem(g, i, f"term {row.id}: unknown source {key!r}", "use a key from data/bibliography.bib")
    s = c.speakers
    ids = set(g["id"])
    for i, row in enumerate(s.itertuples()):
        if row.glossary and row.glossary not in ids:
            yield _problem(s, i, f"speaker {row.id}: unknown glossary entry {row.glossary!r}",
                           "use an id from data/glossary.csv or leave it empty")


def rule_places(c: Corpus):
    """Places are glossary places with coordinates on the globe."""
    p, g = c.places, c.glossary
    kinds = dict(zip(g["id"], g["kind"]))
    for i, row in enumerate(p.itertuples()):
        if kinds.get(row.id) != "place":
            yield _problem(p, i, f"place {row.id}: not a place in data/glossary.csv",
                           "add it to the glossary with kind 'place', or fix the id")
        if not (-90 <= row.lat <= 90 and -180 <= row.lon <= 180):
            yield _problem(p, i, f"place {row.id}: coordinates {row.lat}, {row.lon} are off the globe",
                           "lat is -90..90 and lon -180..180, in decimal degrees")
        for key in split_list(row.source, ";"):
            if key not in c.bib_keys:
                yield _problem(p, i, f"place {row.id}: unknown source {key!r}", "use a key from data/bibliography.bib")


def _parse_date(value: str, precision: str) -> date:
    if precision not in PRECISIONS:
        raise ValueError(f"unknown precision {precision!r} (use day, month or year)")
    if not re.fullmatch(PRECISIONS[precision], value):
        raise ValueError(f"{value!r} is not written to {precision} precision")
    parts = [int(x) for x in value.split("-")] + [1, 1]
    return date(parts[0], parts[1], parts[2])


def rule_timeline(c: Corpus):
    """Dates parse at their precision, lie in 1945–1955, and references exist."""
    tl = c.timeline
    sections, terms = set(c.sections["id"]), set(c.glossary["id"])
    for i, row in enumerate(tl.itertuples()):
        try:
            start = _parse_date(row.date, row.precision)
            end = _parse_date(row.end, row.precision) if row.end else start
        except ValueError as e:
            yield _problem(tl, i, f"event {row.id}: bad date: {e}",
                           "write YYYY-MM-DD (day), YYYY-MM (month) or YYYY (year), matching 'precision'")
            continue
        if end < start:
            yield _problem(tl, i, f"event {row.id}: ends ({row.end}) before it starts ({row.date})", "swap the dates")
        if not 1945 <= start.year <= 1955:
            yield _problem(tl, i, f"event {row.id}: {row.date} lies outside 1945–1955", "check the year")
        for sid in split_list(row.sections):
            if sid not in sections:
                yield _problem(tl, i, f"event {row.id}: unknown section {sid!r}", "use ids from data/sections.csv")
        for gid in split_list(row.terms):
            if gid not in terms:
                yield _problem(tl, i, f"event {row.id}: unknown glossary term {gid!r}", "use ids from data/glossary.csv")
        for key in split_list(row.source, ";"):
            if key not in c.bib_keys:
                yield _problem(tl, i, f"event {row.id}: unknown source {key!r}", "use a key from data/bibliography.bib")
        if row.verified and not split_list(row.source, ";"):
            yield _problem(tl, i, f"event {row.id}: marked verified but names no source",
                           "name the source, or set verified to false")
    dates = list(tl["date"])
    if dates != sorted(dates):
        yield DataError(tl.attrs["path"], 0, "events are not in date order", "sort the rows by date")


def rule_exercises(c: Corpus):
    """Exercise files parse; self-checks have a right answer and feedback; IDs exist once."""
    sections = set(c.sections["id"])
    _, problems = load_exercise_files(c.root / "exercises", sections)
    yield from problems


RULES = [rule_source, rule_ids, rule_transcript_covers_source, rule_transcript_fields, rule_sections,
         rule_apparatus, rule_glossary, rule_places, rule_timeline, rule_exercises]


def check(path: str | Path | None = None) -> list[DataError]:
    """Run every rule on a data folder; return all problems (empty list: all good)."""
    c = load_corpus(path)
    problems: list[DataError] = []
    for rule in RULES:
        try:
            problems.extend(rule(c))
        except DataError as e:  # a table that cannot be read at all
            if str(e) not in {str(p) for p in problems}:
                problems.append(e)
    return problems
