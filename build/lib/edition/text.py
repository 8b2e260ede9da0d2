"""Rules about the text itself: speaker labels and sentence numbering.

These rules define the edition's addresses. Sentence IDs (``t07.2``) are derived from
a passage's text by :func:`split_sentences`; change the rule and every published
sentence ID may change, so don't.
"""

from __future__ import annotations

import re

#: A speaker label as printed in the record, e.g. ``Comrade Stalin:``.
LABEL_RE = re.compile(r"Comrade (?:Stalin|Mao Zedong):")

#: A sentence ends at ``.``, ``?`` or ``!`` (optionally followed by a closing quote or
#: bracket) when white space and then a capital letter, digit, quote or ``[`` follow.
_SENTENCE_END = re.compile(r"(?<=[.?!])[\"')\]]?(?=\s+[A-Z0-9\"'\[])")


def body_span(text: str, label: str) -> tuple[int, int]:
    """Return (start, end) of the passage body: the text after its printed label."""
    if label:
        if not text.startswith(label):
            raise ValueError(f"text does not start with its label {label!r}")
        start = len(label)
        while start < len(text) and text[start].isspace():
            start += 1
        return start, len(text)
    return 0, len(text)


def split_sentences(text: str, label: str = "") -> list[tuple[int, int]]:
    """Split a passage into sentences; return (start, end) offsets into ``text``.

    The printed speaker label is not part of any sentence. Sentence 1 is the first
    sentence after the label.
    """
    begin, end = body_span(text, label)
    spans = []
    start = begin
    for m in _SENTENCE_END.finditer(text, begin, end):
        stop = m.end()
        spans.append((start, stop))
        start = stop
        while start < end and text[start].isspace():
            start += 1
    if start < end:
        spans.append((start, end))
    return spans
