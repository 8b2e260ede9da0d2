"""Find quotations in the edition's own writing and compare them with data/."""

from __future__ import annotations

import difflib
import re
from pathlib import Path

QUOTE_ROLE = re.compile(r"\{quote\}`(?P<ref>t\d{2,}(?:\.\d+)?) (?P<words>[^`]+)`")
PASSAGE_ROLE = re.compile(r"\{passage\}`(?P<ref>[^`]+)`")
CITE_ROLE = re.compile(r"\{(?:foot)?cite(?::[a-z]+)?\}`(?P<keys>[^`]+)`")
# Quoted strings in prose: “…”, "…" or '…' (four words or more).
QUOTED = re.compile(r"“([^”]{12,}?)”|\"([^\"\n]{12,}?)\"|(?<![\w])'([^'\n]{12,}?)'(?![\w])")


CODE_FENCE = re.compile(r"^(`{3,}|~{3,})(?!\{)[^\n]*\n.*?^\1[ \t]*$", re.S | re.M)
CODE_SPAN = re.compile(r"``.+?``")


def prose(text: str) -> str:
    """The text without markup examples: fenced code blocks (```md, ```sh …, but not
    MyST directives like ```{code-cell}) and double-backtick code spans."""
    return CODE_SPAN.sub("", CODE_FENCE.sub("", text))


def sources(root: Path) -> list[Path]:
    """Everything the editors write: pages, notebooks and exercise files."""
    return sorted([*root.glob("book/*.md"), *root.glob("notebooks/*.md"), *root.glob("data/exercises/*.yml")])


def _words(s: str) -> list[str]:
    return re.findall(r"[\w'-]+", s.lower())


def near_misses(text: str, source: str, threshold: float = 0.8) -> list[tuple[str, str]]:
    """Quoted strings that closely resemble the source but are not in it verbatim."""
    src_words = _words(source)
    index: dict[str, list[int]] = {}
    for i, w in enumerate(src_words):
        index.setdefault(w, []).append(i)
    flat_source = " ".join(source.split())
    misses = []
    text = QUOTE_ROLE.sub("", text)  # role quotations are checked exactly elsewhere
    for m in QUOTED.finditer(text):
        quote = next(g for g in m.groups() if g)
        q = " ".join(quote.split()).strip(" .,;:")
        qw = _words(q)
        if len(qw) < 4 or q in flat_source or (q[0].swapcase() + q[1:]) in flat_source:
            continue  # verbatim (a changed case of the first letter is the usual convention)
        starts = {max(0, i - k) for k, w in enumerate(qw[:3]) for i in index.get(w, [])}
        best, best_window = 0.0, ""
        for s in starts:
            for size in (len(qw) - 1, len(qw), len(qw) + 1):
                window = src_words[s:s + size]
                ratio = difflib.SequenceMatcher(None, qw, window).ratio()
                if ratio > best:
                    best, best_window = ratio, " ".join(window)
        if best >= threshold:
            misses.append((q, best_window))
    return misses
