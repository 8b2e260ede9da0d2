"""Read the tables in ``data/`` into pandas DataFrames with documented dtypes.

Every table is a UTF-8 CSV file with a header row (see ``data/README.md``). Reading
is strict: a missing or unknown column, a row with the wrong number of fields or a
value of the wrong type raises :class:`DataError`, naming the file, the line and
the fix. Each DataFrame keeps the path and the line number of each row in
``df.attrs`` so that :mod:`edition.validate` can point at the right line.
"""

from __future__ import annotations

import csv
import hashlib
import os
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pandas as pd

from .text import split_sentences


class DataError(Exception):
    """Bad input in data/: the message names the file, the line and the fix."""

    def __init__(self, path, line, problem, fix):
        self.path, self.line, self.problem, self.fix = str(path), line, problem, fix
        where = f"{self.path}:{line}" if line else self.path
        super().__init__(f"{where}: {problem}\n    fix: {fix}")


# Column types: str (text, may be empty), int, float, bool ("true"/"false").
SCHEMAS: dict[str, dict[str, str]] = {
    "transcript.csv": {
        "id": "str", "order": "int", "section": "str", "layer": "str",
        "speaker_label": "str", "speaker": "str", "attribution": "str",
        "apparatus": "str", "start": "int", "end": "int", "text": "str",
    },
    "speakers.csv": {"id": "str", "name": "str", "role": "str", "glossary": "str"},
    "sections.csv": {
        "id": "str", "order": "int", "title": "str", "summary": "str", "layer": "str",
        "first": "str", "last": "str", "page": "str",
    },
    "apparatus.csv": {
        "id": "str", "kind": "str", "passage": "str", "sentence": "int", "anchor": "str",
        "position": "str", "evidence": "str", "source": "str", "note": "str",
    },
    "glossary.csv": {
        "id": "str", "name": "str", "kind": "str", "aliases": "str", "gloss": "str",
        "source": "str", "verified": "bool",
    },
    "places.csv": {
        "id": "str", "lat": "float", "lon": "float", "approx": "bool", "label": "str",
        "source": "str",
    },
    "timeline.csv": {
        "id": "str", "date": "str", "end": "str", "precision": "str", "event": "str",
        "sections": "str", "terms": "str", "source": "str", "verified": "bool",
        "disputed": "bool", "note": "str",
    },
}

_DTYPES = {"str": "string", "int": "int64", "float": "float64", "bool": "bool"}


def data_dir(path: str | os.PathLike | None = None) -> Path:
    """Find the data folder: ``path``, else $EDITION_DATA, else the nearest ``data/``
    holding ``transcript.csv`` at or above the working directory, else the one beside
    this package (a source checkout)."""
    if path is not None:
        return Path(path)
    if os.environ.get("EDITION_DATA"):
        return Path(os.environ["EDITION_DATA"])
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        if (folder / "data" / "transcript.csv").is_file():
            return folder / "data"
    beside = Path(__file__).resolve().parent.parent / "data"
    if (beside / "transcript.csv").is_file():
        return beside
    raise DataError("data/", 0, "no data folder found",
                    "run from inside the edition's folder or set EDITION_DATA=/path/to/data")


def read_table(path: Path, schema: dict[str, str]) -> pd.DataFrame:
    """Read one CSV file strictly into a typed DataFrame (see module docstring)."""
    if not path.is_file():
        raise DataError(path, 0, "file is missing", f"restore {path.name} (see data/README.md)")
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.reader(f, strict=True)
        try:
            header = next(reader)
        except StopIteration:
            raise DataError(path, 1, "file is empty", "put the header row on line 1") from None
        missing = [c for c in schema if c not in header]
        unknown = [c for c in header if c not in schema]
        if missing or unknown:
            raise DataError(path, 1, f"header has missing columns {missing} / unknown columns {unknown}",
                            f"the header must be: {','.join(schema)}")
        rows, lines = [], []
        start = reader.line_num + 1
        try:
            for row in reader:
                if row and len(row) != len(header):
                    raise DataError(path, start, f"row has {len(row)} fields, expected {len(header)}",
                                    "check for a missing or extra comma; quote fields that contain commas")
                if row:
                    rows.append(row)
                    lines.append(start)
                start = reader.line_num + 1
        except csv.Error as e:
            raise DataError(path, start, f"malformed CSV ({e})",
                            "check the quotation marks on this row") from None
    frame = pd.DataFrame(rows, columns=header)[list(schema)]
    for col, kind in schema.items():
        frame[col] = _convert(frame[col], kind, path, col, lines)
    frame.attrs["path"] = str(path)
    frame.attrs["lines"] = lines
    return frame


def _convert(values: pd.Series, kind: str, path, col, lines) -> pd.Series:
    if kind == "str":
        return values.astype("string")
    out = []
    for i, raw in enumerate(values):
        try:
            if kind == "int":
                out.append(int(raw))
            elif kind == "float":
                out.append(float(raw))
            elif raw in ("true", "false"):
                out.append(raw == "true")
            else:
                raise ValueError
        except ValueError:
            expected = {"int": "a whole number", "float": "a decimal number",
                        "bool": "true or false"}[kind]
            raise DataError(path, lines[i], f"column {col!r} has {raw!r}, expected {expected}",
                            f"write {expected} in column {col!r}") from None
    return pd.Series(out, index=values.index, dtype=_DTYPES[kind])


def split_list(value: str, sep: str = "|") -> list[str]:
    """Split a ``|``- or ``;``-separated cell into its items (empty cell: [])."""
    return [v.strip() for v in str(value).split(sep) if v.strip()]


def read_bib_keys(path: Path) -> dict[str, int]:
    """Return {citation key: line} of a BibTeX file (a small parser: keys only)."""
    if not path.is_file():
        raise DataError(path, 0, "file is missing", "restore data/bibliography.bib")
    keys: dict[str, int] = {}
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        m = re.match(r"\s*@(\w+)\s*\{\s*([^,\s]+)\s*,", line)
        if m and m.group(1).lower() not in ("comment", "string", "preamble"):
            if m.group(2) in keys:
                raise DataError(path, n, f"citation key {m.group(2)!r} is defined twice "
                                f"(first on line {keys[m.group(2)]})", "rename or remove one entry")
            keys[m.group(2)] = n
    return keys


@dataclass
class Corpus:
    """All of data/, loaded once. Attributes are DataFrames, read on first use."""

    root: Path

    @cached_property
    def source_path(self) -> Path:
        files = sorted((self.root / "source").glob("*.txt"))
        if len(files) != 1:
            raise DataError(self.root / "source", 0, f"expected one .txt file, found {len(files)}",
                            "keep exactly the source text as received in data/source/")
        return files[0]

    @cached_property
    def source(self) -> str:
        return self.source_path.read_bytes().decode("utf-8")

    @cached_property
    def source_sha256(self) -> str:
        return hashlib.sha256(self.source_path.read_bytes()).hexdigest()

    def _table(self, name):
        return read_table(self.root / name, SCHEMAS[name])

    @cached_property
    def transcript(self):
        return self._table("transcript.csv").sort_values("order", kind="stable")

    @cached_property
    def speakers(self):
        return self._table("speakers.csv")

    @cached_property
    def sections(self):
        return self._table("sections.csv").sort_values("order", kind="stable")

    @cached_property
    def apparatus(self):
        return self._table("apparatus.csv")

    @cached_property
    def glossary(self):
        return self._table("glossary.csv")

    @cached_property
    def places(self):
        return self._table("places.csv")

    @cached_property
    def timeline(self):
        return self._table("timeline.csv")

    @cached_property
    def bib_keys(self) -> dict[str, int]:
        return read_bib_keys(self.root / "bibliography.bib")

    @cached_property
    def sentences(self) -> pd.DataFrame:
        """One row per sentence: id (``t07.2``), passage, n, start, end (source offsets), text."""
        rows = []
        for p in self.transcript.itertuples():
            for n, (a, b) in enumerate(split_sentences(p.text, p.speaker_label), 1):
                rows.append((f"{p.id}.{n}", p.id, n, p.start + a, p.start + b, p.text[a:b]))
        frame = pd.DataFrame(rows, columns=["id", "passage", "n", "start", "end", "text"])
        return frame.astype({"id": "string", "passage": "string", "n": "int64",
                             "start": "int64", "end": "int64", "text": "string"})

    # -- look-ups by ID -------------------------------------------------------------
    def passage(self, pid: str):
        """The transcript row of passage ``pid`` (a pandas Series)."""
        return _lookup(self.transcript, pid, "passage", "data/transcript.csv")

    def sentence(self, sid: str):
        return _lookup(self.sentences, sid, "sentence", "data/transcript.csv")

    def section(self, sid: str):
        return _lookup(self.sections, sid, "section", "data/sections.csv")

    def term(self, gid: str):
        return _lookup(self.glossary, gid, "glossary term", "data/glossary.csv")

    def passages_in(self, section_id: str) -> pd.DataFrame:
        """The passages of one section, in reading order."""
        self.section(section_id)
        return self.transcript[self.transcript["section"] == section_id]

    def quote_ok(self, ref: str, words: str) -> bool:
        """True if ``words`` occur verbatim in passage or sentence ``ref``."""
        row = self.sentence(ref) if "." in ref else self.passage(ref)
        return words in row["text"]


def _lookup(frame, key, what, file):
    hit = frame[frame["id"] == key]
    if hit.empty:
        known = ", ".join(frame["id"].head(8))
        raise KeyError(f"unknown {what} {key!r} (known: {known}, …); see {file}")
    return hit.iloc[0]


def load_corpus(path: str | os.PathLike | None = None) -> Corpus:
    """Load the edition's data folder (see :func:`data_dir` for how it is found)."""
    return Corpus(data_dir(path))
