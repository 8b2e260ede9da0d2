"""Turn passages of ``data/`` into the HTML shown on the book's pages.

Pure functions: each takes a :class:`~edition.load.Corpus` and returns an HTML string.
All text from data/ is HTML-escaped. Everything the editors add (restored speaker
labels, gap markers, citations) carries ``data-ed`` so that it can be told apart from
the words of the source, and so that tests can strip it and compare the rest with data/.
"""

from __future__ import annotations

import posixpath
import re
from html import escape

from .load import Corpus, split_list
from .text import split_sentences

GLOSSARY_PAGE = "book/glossary"
RECORD_PAGE = "book/record"
EDITION_TITLE = "Stalin and Mao in Moscow, 16 December 1949: A Teaching Edition"
RECORD_TITLE = ("Record of Conversation between I. V. Stalin and Chairman of the Central People's "
                "Government of the People's Republic of China Mao Zedong, 16 December 1949")
KIND_NAMES = {"lacuna": "Gap", "splice": "Splice", "stripped": "Lost words",
              "truncation": "Cut short", "bracket": "Translator's insertion"}
EVIDENCE_NAMES = {"V": "checked against the full translation", "I": "shown by the text itself",
                  "M": "from memory of the full text; unverified"}


def pages_in_book(c: Corpus) -> set[str] | None:
    """The pages listed in the book's _toc.yml (beside data/), or None if there is none."""
    toc = c.root.parent / "_toc.yml"
    if not toc.is_file():
        return None
    return set(re.findall(r"^\s*-?\s*(?:file|root):\s*(\S+)", toc.read_text(encoding="utf-8"), re.M))


def home_page(c: Corpus, section_id: str, pages: set[str] | None) -> str:
    """The page a passage's permalink leads to: its section's page, or the full record
    if an instructor has dropped that section's page from _toc.yml (``pages`` is
    :func:`pages_in_book`, read once by the caller)."""
    page = c.section(section_id)["page"]
    if pages is not None and page not in pages and RECORD_PAGE in pages:
        return RECORD_PAGE
    return page


def href(from_page: str, to_page: str, anchor: str = "") -> str:
    """Relative URL from one page (a docname like 'notebooks/s1') to another."""
    url = posixpath.relpath(to_page + ".html", posixpath.dirname(from_page) or ".")
    return f"{url}#{anchor}" if anchor else url


def _alias_pattern(c: Corpus):
    pairs = [(alias, gid) for gid, aliases in zip(c.glossary["id"], c.glossary["aliases"])
             for alias in split_list(aliases)]
    if not pairs:
        return None, {}
    pairs.sort(key=lambda p: -len(p[0]))
    pattern = re.compile("|".join(rf"(?<![\w-]){re.escape(a)}(?![\w-])" for a, _ in pairs))
    return pattern, dict(pairs)


def _passage_body(c: Corpus, p, page: str, pattern, owner) -> str:
    """The sentences of one passage, with brackets, glossary links and gap markers."""
    text = p.text
    spans, points = [], []  # spans: (start, end, open, close); points: (pos, html)
    brackets = [(m.start(), m.end()) for m in re.finditer(r"\[[^\]]*\]", text)]
    for a, b in brackets:
        spans.append((a, b, '<span class="ed-insert" title="Editorial insertion by the translator or '
                      'editor, not part of the Soviet record">', "</span>"))
    linked = set()
    if pattern is not None:
        for m in pattern.finditer(text):
            gid = owner[m.group(0)]
            crosses = any(a < m.start() < b < m.end() or m.start() < a < m.end() < b for a, b in brackets)
            if gid in linked or crosses or m.start() < len(p.speaker_label):
                continue
            linked.add(gid)
            name = c.term(gid)["name"]
            spans.append((m.start(), m.end(), f'<a class="ed-term" href="{escape(href(page, GLOSSARY_PAGE, gid))}" '
                          f'title="Glossary: {escape(name)}">', "</a>"))
    notes = c.apparatus[(c.apparatus["passage"] == p.id) & (c.apparatus["kind"] != "bracket")]
    for n in notes.itertuples():
        at = text.index(n.anchor)
        pos = at if n.position == "before" else at + len(n.anchor)
        label = f"{KIND_NAMES[n.kind]} {n.id}, evidence {n.evidence}: read the note"
        points.append((pos, f'<a class="ed-marker ed-{n.kind}" data-ed href="#note-{n.id}" id="ref-{n.id}" '
                       f'role="doc-noteref" aria-label="{escape(label)}">⟨{escape(n.id)}⟩</a>'))
    out = []
    sentences = split_sentences(text, p.speaker_label)
    for k, (a, b) in enumerate(sentences, 1):
        if k > 1:
            out.append(escape(text[sentences[k - 2][1]:a]))
        inner = [s for s in spans if a <= s[0] and s[1] <= b]
        pts = [q for q in points if a <= q[0] <= b]
        out.append(f'<span class="ed-sentence" id="{p.id}.{k}">{_weave(text, a, b, inner, pts)}</span>')
    return "".join(out)


def _weave(text, a, b, spans, points) -> str:
    """Interleave escaped text with properly nested spans and point markers."""
    cuts = sorted({a, b, *(s[0] for s in spans), *(s[1] for s in spans), *(q[0] for q in points)})
    out = []
    for i, pos in enumerate(cuts):
        out += [s[3] for s in sorted((s for s in spans if s[1] == pos), key=lambda s: -s[0])]
        out += [q[1] for q in points if q[0] == pos]
        out += [s[2] for s in sorted((s for s in spans if s[0] == pos), key=lambda s: -s[1])]
        if i + 1 < len(cuts):
            out.append(escape(text[pos:cuts[i + 1]]))
    return "".join(out)


def _speaker(c: Corpus, p) -> str:
    name = c.speakers.set_index("id").loc[p.speaker, "name"]
    if p.attribution == "printed":
        return f'<span class="ed-label">{escape(p.speaker_label)}</span>'
    if p.attribution == "editorial":
        return (f'<span class="ed-label ed-restored" data-ed title="Speaker restored by the editors: see note '
                f'{escape(p.apparatus)}">⟨{escape(name)}:⟩<span class="ed-sr"> (speaker restored by the '
                f'editors, see note {escape(p.apparatus)})</span></span>')
    if p.attribution == "continued":
        return f'<span class="ed-label ed-continued" data-ed>{escape(name)}, continued</span>'
    return f'<span class="ed-label ed-layer-name" data-ed>{escape(name)}</span>'


def citation(c: Corpus, pid: str, url: str) -> str:
    """A Chicago-style note citation for one passage (HTML; the URL is a link)."""
    return (f'“{escape(RECORD_TITLE)},” passage {escape(pid)}, trans. in <i>Cold War International History '
            f'Project Bulletin</i> 6–7 (Winter 1995/1996): 5–7; in <i>{escape(EDITION_TITLE)}</i> (2026), '
            f'<a class="ed-cite-url" href="{escape(url)}">{escape(url)}</a>.')


def passages_html(c: Corpus, passages, page: str) -> str:
    """Render passages (rows of the transcript) for the page ``page`` (a docname)."""
    pattern, owner = _alias_pattern(c)
    book = pages_in_book(c)
    pages = {sid: home_page(c, sid, book) for sid in c.sections["id"]}
    out = []
    for p in passages.itertuples():
        home = href(page, pages[p.section], p.id)
        cite = citation(c, p.id, home) if p.layer == "record" else ""
        out.append(
            f'<div class="ed-passage ed-layer-{escape(p.layer)} ed-speaker-{escape(p.speaker)}" id="{p.id}">'
            f'<p class="ed-line"><a class="ed-pid" data-ed href="{escape(home)}" '
            f'title="Permalink to passage {p.id}">{p.id}</a> {_speaker(c, p)} '
            f'{_passage_body(c, p, page, pattern, owner)}</p>'
            + (f'<details class="ed-cite" data-ed><summary>Cite {p.id}</summary><p>{cite}</p></details>'
               if cite else "")
            + "</div>")
    return "\n".join(out)


def section_html(c: Corpus, section_id: str, page: str | None = None) -> str:
    """The transcript of one section, for its own page (default) or another page."""
    sec = c.section(section_id)
    return (f'<div class="ed-transcript" data-section="{escape(section_id)}">'
            f'{passages_html(c, c.passages_in(section_id), page or sec["page"])}</div>')


def notes_html(c: Corpus, section_id: str, page: str | None = None) -> str:
    """The apparatus notes (gaps, splices, insertions) that fall in a section."""
    ids = set(c.passages_in(section_id)["id"])
    notes = c.apparatus[c.apparatus["passage"].isin(ids)]
    if notes.empty:
        return '<p class="ed-notes-empty">No editorial notes fall in this section.</p>'
    page = page or c.section(section_id)["page"]
    items = []
    for n in notes.itertuples():
        back = (f' <a class="ed-back" href="#ref-{n.id}" aria-label="Back to the place in the text">↩</a>'
                if n.kind != "bracket" else "")
        src = ", ".join(split_list(n.source, ";"))
        items.append(
            f'<li id="note-{n.id}"><strong>{escape(n.id)} · {KIND_NAMES[n.kind]}</strong> at '
            f'<a href="#{escape(n.passage)}.{n.sentence}">{escape(n.passage)}.{n.sentence}</a> '
            f'(“{escape(n.anchor)}”) · evidence <abbr title="{EVIDENCE_NAMES[n.evidence]}">{n.evidence}</abbr>'
            f' ({EVIDENCE_NAMES[n.evidence]}){" · source: " + escape(src) if src else ""}. '
            f'{escape(n.note)}{back}</li>')
    return f'<ol class="ed-notes">{"".join(items)}</ol>'


def terms_html(c: Corpus, section_id: str, page: str | None = None) -> str:
    """Glosses of the glossary terms named in a section, each linked to the glossary."""
    page = page or c.section(section_id)["page"]
    text = " ".join(c.passages_in(section_id)["text"])
    items = []
    for g in c.glossary.sort_values("name").itertuples():
        if any(re.search(rf"(?<![\w-]){re.escape(a)}(?![\w-])", text) for a in split_list(g.aliases)):
            flag = "" if g.verified else ' <span class="ed-unverified">[unverified]</span>'
            items.append(f'<dt><a href="{escape(href(page, GLOSSARY_PAGE, g.id))}">{escape(g.name)}</a> '
                         f'<span class="ed-kind">({escape(g.kind)})</span></dt><dd>{escape(g.gloss)}{flag}</dd>')
    return f'<dl class="ed-terms">{"".join(items)}</dl>'


def record_html(c: Corpus, page: str = RECORD_PAGE) -> str:
    """The full record in reading order, section by section, with each section's notes."""
    out, book = [], pages_in_book(c)
    for s in c.sections[c.sections["layer"] == "record"].itertuples():
        title = escape(s.title)
        if home_page(c, s.id, book) != RECORD_PAGE:
            title = f'<a href="{escape(href(page, s.page))}">{title}</a>'
        out.append(f'<section class="ed-record-section" aria-labelledby="h-{s.id}">'
                   f'<h2 id="h-{s.id}">{s.order}. {title}</h2>'
                   f'{section_html(c, s.id, page)}<h3>Editorial notes</h3>{notes_html(c, s.id, page)}</section>')
    return "\n".join(out)


def glossary_html(c: Corpus) -> str:
    """The glossary page: every entry, grouped by kind, with aliases, sources and coordinates."""
    places = c.places.set_index("id")
    out = []
    for kind, heading in (("person", "People"), ("place", "Places"), ("organisation", "Organisations"),
                          ("term", "Terms")):
        rows = c.glossary[c.glossary["kind"] == kind].sort_values("name")
        items = []
        for g in rows.itertuples():
            aliases = ", ".join(f"“{escape(a)}”" for a in split_list(g.aliases)) or "not named in the text"
            where = ""
            if g.id in places.index:
                pl = places.loc[g.id]
                where = f" · {abs(pl.lat):.2f}°{'N' if pl.lat >= 0 else 'S'}, {abs(pl.lon):.2f}°{'E' if pl.lon >= 0 else 'W'}"
                where += " (approximate)" if pl.approx else ""
            flag = "" if g.verified else ' <span class="ed-unverified">[unverified]</span>'
            items.append(f'<dt id="{g.id}">{escape(g.name)}</dt><dd>{escape(g.gloss)}{flag}'
                         f'<br><span class="ed-meta">In the text: {aliases}{where} · source: '
                         f'{escape(", ".join(split_list(g.source, ";")))}</span></dd>')
        out.append(f'<h2 id="glossary-{kind}">{heading}</h2><dl class="ed-glossary">{"".join(items)}</dl>')
    return "\n".join(out)


def timeline_html(c: Corpus) -> str:
    """The timeline as an accessible table."""
    rows = []
    for e in c.timeline.itertuples():
        when = e.date + (f" – {e.end}" if e.end else "")
        status = []
        if e.disputed:
            status.append('<span class="ed-disputed">disputed</span>')
        if not e.verified:
            status.append('<span class="ed-unverified">[unverified]</span>')
        rows.append(f'<tr id="{e.id}"><td>{escape(when)}</td><td>{escape(e.event)}'
                    f'{" — " + escape(e.note) if e.note else ""}</td>'
                    f'<td>{escape(", ".join(split_list(e.source, ";"))) or "—"}</td><td>{" ".join(status)}</td></tr>')
    return ('<table class="ed-timeline"><caption>Events 1945–1955, in date order</caption><thead><tr>'
            '<th scope="col">Date</th><th scope="col">Event</th><th scope="col">Source</th>'
            f'<th scope="col">Status</th></tr></thead><tbody>{"".join(rows)}</tbody></table>')
