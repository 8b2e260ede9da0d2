"""Student and instructor editions from one source.

Instructor-only material is marked in the MyST sources in one of three ways:

* a ``{solution}`` directive (sphinx-exercise), any fence length, colon or backtick;
* a gated solution, ``{solution-start}`` ... ``{solution-end}`` (may hold code cells);
* any directive with ``:class: teaching-note`` (teaching notes, marking guides).

Markup shown inside a literal code block with a language (```` ```md ````) is an example,
not instructor content: it is left as it stands in both editions.

:func:`strip_instructor` removes all three from a page's text for the student edition;
:func:`instructor_blocks` returns what it would remove, which the leak gate searches for.
"""

from __future__ import annotations

import re

FENCE_RE = re.compile(r"^(?P<indent>\s*)(?P<fence>:{3,}|`{3,})\{(?P<name>[\w-]+)\}(?P<arg>.*)$")
# A literal code block with a language (```md, ~~~text): markup shown inside it is an
# example, printed as it stands in both editions (book/for-instructors.md shows the markup).
LITERAL_RE = re.compile(r"^\s*(?P<fence>`{3,}|~{3,})\s*(?P<info>[\w+-]+)\s*$")


def _literal_end(lines: list[str], i: int) -> int | None:
    """Index of the line closing the literal code block opened at line i, if it is closed."""
    fence = LITERAL_RE.match(lines[i]).group("fence")
    close = re.compile(rf"^\s*{re.escape(fence[0])}{{{len(fence)},}}\s*$")
    return next((j for j in range(i + 1, len(lines)) if close.match(lines[j])), None)


def _block_end(lines: list[str], i: int) -> int:
    """Index of the line closing the fence opened at line i (or the last line)."""
    m = FENCE_RE.match(lines[i])
    fence = m.group("fence")
    close = re.compile(rf"^\s*{re.escape(fence[0])}{{{len(fence)},}}\s*$")
    for j in range(i + 1, len(lines)):
        if close.match(lines[j]):
            return j
    raise ValueError(f"line {i + 1}: the {{{m.group('name')}}} block opened here is never closed "
                     f"(add a line with {fence})")


def _options(lines: list[str], i: int) -> str:
    """The ``:key: value`` option lines right after a directive's opening line."""
    out = []
    for line in lines[i + 1:]:
        if re.match(r"^\s*:[\w-]+:", line):
            out.append(line)
        else:
            break
    return "\n".join(out)


def _instructor_ranges(text: str, where: str = "<page>") -> list[tuple[int, int]]:
    """(first, last) line indexes of every instructor-only block, outermost only."""
    lines = text.split("\n")
    ranges, i = [], 0
    while i < len(lines):
        if LITERAL_RE.match(lines[i]) and (end := _literal_end(lines, i)) is not None:
            i = end + 1  # an example in a code block is not instructor content
            continue
        m = FENCE_RE.match(lines[i])
        if not m:
            i += 1
            continue
        name = m.group("name")
        try:
            if name == "solution-start":
                end_fence = _block_end(lines, i)
                j = next((k for k in range(end_fence + 1, len(lines))
                          if (mm := FENCE_RE.match(lines[k])) and mm.group("name") == "solution-end"), None)
                if j is None:
                    raise ValueError(f"line {i + 1}: {{solution-start}} has no matching {{solution-end}}")
                last = _block_end(lines, j)
                ranges.append((i, last))
                i = last + 1
                continue
            if name == "solution" or re.search(r":class:.*\bteaching-note\b", _options(lines, i)):
                last = _block_end(lines, i)
                ranges.append((i, last))
                i = last + 1
                continue
        except ValueError as e:
            raise ValueError(f"{where}: {e}") from None
        i += 1
    return ranges


def strip_instructor(text: str, where: str = "<page>", keep_lines: bool = False) -> str:
    """The page text with every instructor-only block removed.

    With ``keep_lines`` each removed line becomes an empty line, so the stripped page keeps
    the source's line numbers (the build's messages then point at the right source line).
    """
    lines = text.split("\n")
    drop = set()
    for a, b in _instructor_ranges(text, where):
        drop.update(range(a, b + 1))
    if keep_lines:
        return "\n".join("" if k in drop else line for k, line in enumerate(lines))
    return "\n".join(line for k, line in enumerate(lines) if k not in drop)


def instructor_blocks(text: str, where: str = "<page>") -> list[str]:
    """The text of each instructor-only block (fence lines included)."""
    lines = text.split("\n")
    return ["\n".join(lines[a:b + 1]) for a, b in _instructor_ranges(text, where)]


def instructor_strings(text: str, where: str = "<page>", min_length: int = 24) -> list[str]:
    """Distinctive lines of instructor-only content, for the leak gate to search for.

    Directive fences, option lines and short lines are skipped; what is left is the
    prose and code that only instructors may see.
    """
    out = []
    for block in instructor_blocks(text, where):
        for line in block.split("\n"):
            s = line.strip()
            if len(s) < min_length or FENCE_RE.match(s) or re.match(r"^:[\w-]+:", s) or s.startswith(("```", ":::")):
                continue
            out.append(s)
    return out
