"""Charts of the record, drawn from ``data/``, that stay interactive on a static page.

Two layers:

* **Chart functions** (pure: a :class:`~edition.load.Corpus` in, a :class:`Chart` out).
  Each draws one matplotlib :class:`~matplotlib.figure.Figure` (without pyplot, so
  nothing is shown by accident in a notebook) with a title and labelled axes, and
  returns it with its alt text and the table of numbers it plots:
  :func:`speakers_chart`, :func:`mentions_chart`, :func:`timeline_chart`,
  :func:`map_chart`, :func:`figures_chart`, :func:`layers_chart`,
  :func:`layer_strip_chart`.
* **The section widget**, :func:`section_chart`: a labelled drop-down and a
  ``widgets.Stack`` of pre-rendered charts (PNG images with alt text, each with its
  data table), linked in the browser with ``widgets.jslink`` on ``index`` /
  ``selected_index``. The saved widget state is enough: the charts switch on the
  published page with no kernel. Which charts a section offers is set in
  :data:`SECTION_CHARTS`.

Colours: Stalin #b2182b and Mao #2166ac as in the page CSS; layers and highlights use
the Okabe–Ito colour-blind-safe palette, and every colour is backed by a marker shape,
a hatch or a text label. Figures are drawn on a white background, so they read the
same in the light and the dark theme.
"""

from __future__ import annotations

import base64
import io
import json
import re
import textwrap
from dataclasses import dataclass
from datetime import date
from html import escape
from pathlib import Path

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, PathPatch
from matplotlib.path import Path as MplPath

from .load import Corpus, load_corpus, split_list

# -- look ---------------------------------------------------------------------------
SPEAKER_COLOURS = {"stalin": "#b2182b", "mao": "#2166ac"}
SPEAKER_MARKERS = {"stalin": "o", "mao": "s"}
LAYER_COLOURS = {"record": "#009E73", "commentary": "#E69F00", "archive": "#CC79A7", "residue": "#999999"}
LAYER_HATCHES = {"record": "", "commentary": "//", "archive": "..", "residue": "xx"}
HIGHLIGHT = "#E69F00"        # Okabe-Ito orange: the chosen section's places and events
MUTED = "#8c8c8c"
LAND, WATER, COAST = "#e6e2d6", "#f3f7fb", "#a0a0a0"
FIGSIZE = (6.4, 3.6)         # inches; at DPI this is a 640 x 360 px image
DPI = 100
FONT = 8

# Glossary terms followed along the conversation by default (mentions_chart).
DEFAULT_TERMS = ["g-treaty-1945", "g-yalta-agreement", "g-port-arthur", "g-kchzhd", "g-credit-agreement",
                 "g-xinjiang", "g-formosa", "g-hong-kong", "g-shanghai", "g-usa", "g-britain"]

# Map: East Asia, with an inset for the places far to the west (Moscow, Yalta).
MAP_EXTENT = (68.0, 160.0, 15.0, 58.0)        # lon min, lon max, lat min, lat max
INSET_EXTENT = (28.0, 64.0, 40.0, 61.0)
INSET_BOUNDS = (0.006, 0.012, 0.27, 0.40)     # axes fraction: x, y, width, height (lower left: no places there)
# Where each label sits relative to its point (points; ha, va), so that close places
# (Port Arthur and Dairen, Hong Kong and Guangzhou ...) stay readable. A place not
# listed here gets the default: to the right.
LABEL_OFFSETS = {
    "g-port-arthur": (-4, -5, "right", "top"), "g-dairen": (5, 2, "left", "bottom"),
    "g-harbin": (5, 2, "left", "bottom"), "g-changchun": (-5, -2, "right", "top"),
    "g-manchuria": (6, -3, "left", "top"), "g-hong-kong": (5, -3, "left", "top"),
    "g-guangdong": (-5, 0, "right", "center"), "g-formosa": (5, 0, "left", "center"),
    "g-kinmen": (-3, 4, "right", "bottom"), "g-shanghai": (5, 0, "left", "center"),
    "g-beijing": (-5, 0, "right", "center"), "g-kurile-islands": (0, -6, "center", "top"),
    "g-south-sakhalin": (0, 6, "center", "bottom"), "g-tokyo": (5, -2, "left", "top"),
    "g-hainan": (0, -6, "center", "top"), "g-xinjiang": (0, -6, "center", "top"),
    "g-mongolia": (0, 6, "center", "bottom"), "g-moscow": (5, 0, "left", "center"),
    "g-yalta": (5, -2, "left", "top"),
}

# Durations and sums named in the talks or in the agreements that followed. Each has a
# source: a passage ID whose text must contain the quoted words (checked when drawn), or
# a key of data/bibliography.bib. Nothing else is drawn: no tranches, no schedules.
FIGURES = [
    {"group": "Port Arthur (Stalin, 16 Dec 1949)", "label": "Soviet troops at Port Arthur could stay",
     "bar": "2 years", "years": 2, "source": "t08", "quote": "2, 5, or 10 years"},
    {"group": "Port Arthur (Stalin, 16 Dec 1949)", "label": "… or", "bar": "5 years", "years": 5,
     "source": "t08", "quote": "2, 5, or 10 years"},
    {"group": "Port Arthur (Stalin, 16 Dec 1949)", "label": "… or", "bar": "10 years", "years": 10,
     "source": "t08", "quote": "2, 5, or 10 years"},
    {"group": "Port Arthur (Stalin, 16 Dec 1949)", "label": "“We can stay there for 20 years even”",
     "bar": "20 years", "years": 20, "source": "t08", "quote": "We can stay there for 20 years even"},
    {"group": "Agreements of 14 Feb 1950", "label": "Soviet credit, US$300 million",
     "bar": "over 5 years", "years": 5, "source": "frus1950v6", "quote": ""},
    {"group": "Agreements of 14 Feb 1950", "label": "Treaty of 14 February 1950",
     "bar": "term of 30 years", "years": 30, "source": "frus1950v6", "quote": ""},
]

# Shorter row labels for glossary terms whose names are long (mentions_chart).
SHORT_NAMES = {"g-treaty-1945": "1945 treaty", "g-yalta-agreement": "Yalta agreement",
               "g-credit-agreement": "credit agreement"}

SECTION_CHARTS = {
    # section -> chart keys, first shown first. Keys are those of CHARTS below.
    "s1": ["timeline", "mentions", "map", "speakers"],
    "s2": ["map", "figures", "speakers", "timeline", "mentions"],
    "s3": ["figures", "timeline", "speakers", "mentions"],
    "s4": ["map", "timeline", "speakers", "mentions"],
    "s5": ["map", "timeline", "speakers", "mentions"],
    "s6": ["map", "speakers", "mentions"],
    "commentary": ["layers", "layer_strip", "timeline"],
    "archive": ["layers", "layer_strip"],
}

WORD_RE = re.compile(r"\w+(?:['’-]\w+)*")
BRACKET_RE = re.compile(r"\[[^\]]*\]")


@dataclass
class Chart:
    """One chart: the figure, its alt text (what it shows, in words) and its data."""

    key: str
    title: str
    fig: Figure
    alt: str
    table: pd.DataFrame
    sources: str = ""

    def png(self, dpi: int = DPI) -> bytes:
        return figure_png(self.fig, dpi)


def _figure(figsize=FIGSIZE) -> tuple[Figure, object]:
    fig = Figure(figsize=figsize, dpi=DPI, facecolor="white")
    ax = fig.add_subplot()
    return fig, ax


def _finish(key, title, fig, alt, table, sources="") -> Chart:
    fig._edition_alt = alt
    return Chart(key, title, fig, alt, table.reset_index(drop=True), sources)


def _style(ax):
    ax.tick_params(labelsize=FONT, length=3)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


# -- counting -----------------------------------------------------------------------
def spoken_text(p) -> str:
    """A passage's words as spoken: without its printed speaker label and without the
    translator's [bracketed] insertions."""
    text = p.text
    if p.speaker_label and text.startswith(p.speaker_label):
        text = text[len(p.speaker_label):]
    return BRACKET_RE.sub(" ", text)


def word_count(text: str) -> int:
    return len(WORD_RE.findall(text))


def _record(c: Corpus) -> pd.DataFrame:
    return c.transcript[c.transcript["layer"] == "record"]


def _record_sections(c: Corpus) -> pd.DataFrame:
    return c.sections[c.sections["layer"] == "record"]


def _section_name(c: Corpus, section_id: str | None) -> str:
    if section_id is None:
        return "no section chosen"
    s = c.section(section_id)
    return f"section {s['order']}" if s["layer"] == "record" else f"the {section_id} section"


def speaker_table(c: Corpus) -> pd.DataFrame:
    """Words and turns per speaker in each record section. A turn is a passage that
    is not marked as continuing the previous speaker's remarks."""
    rows = []
    for s in _record_sections(c).itertuples():
        ps = c.passages_in(s.id)
        for who in SPEAKER_COLOURS:
            mine = ps[ps["speaker"] == who]
            rows.append({"section": s.id, "speaker": c.speakers.set_index("id").loc[who, "name"],
                         "speaker_id": who,
                         "words": sum(word_count(spoken_text(p)) for p in mine.itertuples()),
                         "turns": int((mine["attribution"] != "continued").sum()),
                         "passages": ", ".join(mine["id"])})
    return pd.DataFrame(rows)


def _alias_hits(text: str, aliases: list[str]) -> bool:
    return any(re.search(rf"(?<![\w-]){re.escape(a)}(?![\w-])", text) for a in aliases)


def terms_in_passage(c: Corpus, p) -> list[str]:
    """Glossary IDs one of whose aliases occurs in a passage's text (as in the page's
    glossary links: whole words, case as written)."""
    return [g.id for g in c.glossary.itertuples() if _alias_hits(p.text, split_list(g.aliases))]


def places_in_section(c: Corpus, section_id: str) -> list[str]:
    """Glossary IDs of the places with coordinates named in a section's passages."""
    text = " ".join(c.passages_in(section_id)["text"])
    with_coords = set(c.places["id"])
    return [g.id for g in c.glossary.itertuples()
            if g.id in with_coords and _alias_hits(text, split_list(g.aliases))]


# -- 1. speakers --------------------------------------------------------------------
def speakers_chart(c: Corpus, section_id: str | None = None) -> Chart:
    """Grouped bars: words spoken by Stalin and by Mao in each record section (turns
    written above the bars), with ``section_id`` highlighted."""
    t = speaker_table(c)
    secs = list(_record_sections(c)["id"])
    fig, ax = _figure()
    width = 0.38
    for k, who in enumerate(SPEAKER_COLOURS):
        part = t[t["speaker_id"] == who].set_index("section").loc[secs]
        xs = [i + (k - 0.5) * width for i in range(len(secs))]
        alphas = [1.0 if (section_id is None or s == section_id) else 0.45 for s in secs]
        bars = ax.bar(xs, part["words"], width, color=SPEAKER_COLOURS[who], label=part["speaker"].iloc[0],
                      hatch="" if who == "stalin" else "///", edgecolor="white", linewidth=0.5)
        for bar, a, s, (words, turns) in zip(bars, alphas, secs, zip(part["words"], part["turns"])):
            bar.set_alpha(a)
            ax.annotate(f"{words}\n{turns} turn{'s' if turns != 1 else ''}", (bar.get_x() + width / 2, words),
                        xytext=(0, 2), textcoords="offset points", ha="center", va="bottom",
                        fontsize=FONT - 1.5, color="#222" if a == 1 else "#666")
    if section_id in secs:
        i = secs.index(section_id)
        ax.axvspan(i - 0.5, i + 0.5, color=HIGHLIGHT, alpha=0.15, zorder=0, lw=0)
    titles = _record_sections(c).set_index("id")["title"]
    ax.set_xticks(range(len(secs)), [f"{s}\n" + "\n".join(textwrap.wrap(titles[s], 14, max_lines=2, placeholder="…"))
                                     for s in secs], fontsize=FONT - 1.5)
    for lab, s in zip(ax.get_xticklabels(), secs):
        if s == section_id:
            lab.set_fontweight("bold")
    ax.set_ylim(0, max(t["words"]) * 1.28)
    ax.set_xlabel("Section of the record", fontsize=FONT)
    ax.set_ylabel("Words spoken", fontsize=FONT)
    title = "Who speaks how much in each section of the record"
    ax.set_title(title, fontsize=FONT + 2, loc="left")
    ax.legend(fontsize=FONT, frameon=False, loc="upper right")
    _style(ax)
    fig.tight_layout()
    alt = "Bar chart of words spoken by Stalin and Mao in each of the six record sections. "
    if section_id in secs:
        mine = t[t["section"] == section_id].set_index("speaker_id")
        alt += (f"In {_section_name(c, section_id)} (highlighted) Stalin speaks {mine.loc['stalin', 'words']} words "
                f"in {_n(mine.loc['stalin', 'turns'], 'turn')}, Mao {mine.loc['mao', 'words']} words in "
                f"{_n(mine.loc['mao', 'turns'], 'turn')}. ")
    tot = t.groupby("speaker_id")["words"].sum()
    alt += f"Over the whole record Stalin speaks {tot['stalin']} words and Mao {tot['mao']}."
    table = t.drop(columns="speaker_id")
    return _finish("speakers", title, fig, alt, table,
                   "data/transcript.csv (words without speaker labels or [bracketed] insertions)")


def _n(k: int, noun: str) -> str:
    return f"{k} {noun}{'' if k == 1 else 's'}"


def _term_label(c: Corpus, gid: str) -> str:
    return SHORT_NAMES.get(gid) or str(c.term(gid)["name"]).split(" (")[0]


def _short(text: str, n: int) -> str:
    text = str(text)
    return text if len(text) <= n else text[: n - 1].rstrip(" ,;:") + "…"


# -- 2. mentions strip --------------------------------------------------------------
def mentions_table(c: Corpus, terms: list[str] | None = None) -> pd.DataFrame:
    terms = terms or DEFAULT_TERMS
    rows = []
    for p in _record(c).itertuples():
        found = set(terms_in_passage(c, p))
        for gid in terms:
            if gid in found:
                rows.append({"term": c.term(gid)["name"], "term_id": gid, "passage": p.id, "order": p.order,
                             "section": p.section, "speaker": p.speaker})
    return pd.DataFrame(rows, columns=["term", "term_id", "passage", "order", "section", "speaker"])


def mentions_chart(c: Corpus, section_id: str | None = None, terms: list[str] | None = None) -> Chart:
    """Strip chart: for each chosen glossary term, the record passages (t01–t31, in
    order) that name it, marked by speaker; ``section_id`` is shaded."""
    terms = [g for g in (terms or DEFAULT_TERMS) if g in set(c.glossary["id"])]
    t = mentions_table(c, terms)
    rec = _record(c)
    fig, ax = _figure()
    ys = {gid: len(terms) - 1 - i for i, gid in enumerate(terms)}
    for who in SPEAKER_COLOURS:
        part = t[t["speaker"] == who]
        ax.scatter(part["order"], [ys[g] for g in part["term_id"]], s=34, marker=SPEAKER_MARKERS[who],
                   color=SPEAKER_COLOURS[who], label=c.speakers.set_index("id").loc[who, "name"], zorder=3,
                   edgecolor="white", linewidth=0.6)
    for gid, y in ys.items():
        ax.axhline(y, color="#e4e4e4", lw=0.6, zorder=1)
    secs = _record_sections(c)
    order = rec.set_index("id")["order"]
    for s in secs.itertuples():
        a, b = order[s.first] - 0.5, order[s.last] + 0.5
        ax.axvline(a, color="#bbbbbb", lw=0.6, zorder=1)
        if s.id == section_id:
            ax.axvspan(a, b, color=HIGHLIGHT, alpha=0.18, lw=0, zorder=0)
        ax.text((a + b) / 2, len(terms) - 0.35, s.id, ha="center", va="bottom", fontsize=FONT - 1,
                fontweight="bold" if s.id == section_id else "normal", color="#333")
    ax.set_yticks(list(ys.values()), [_term_label(c, g) for g in ys], fontsize=FONT - 1)
    ticks = [o for o in rec["order"] if o % 2 == 1]
    ax.set_xticks(ticks, [f"t{o:02d}" for o in ticks], fontsize=FONT - 1.5)
    ax.set_xlim(rec["order"].min() - 0.6, rec["order"].max() + 0.6)
    ax.set_ylim(-0.7, len(terms) + 0.1)
    ax.set_xlabel("Passage of the record, in reading order (t01–t31)", fontsize=FONT)
    ax.set_ylabel("Glossary term", fontsize=FONT)
    title = "Where key names and terms come up"
    ax.set_title(title, fontsize=FONT + 2, loc="left", pad=14)
    ax.legend(fontsize=FONT - 1, frameon=False, loc="lower right", bbox_to_anchor=(1, 1.0), ncols=2,
              handletextpad=0.2, borderaxespad=0.3)
    _style(ax)
    fig.tight_layout()
    parts = []
    for gid in terms:
        hits = t[t["term_id"] == gid]
        name = _term_label(c, gid)
        if hits.empty:
            parts.append(f"{name}: not named")
        else:
            who = hits["speaker"].value_counts()
            parts.append(f"{name}: {len(hits)} passage{'s' if len(hits) > 1 else ''} "
                         f"({hits['passage'].iloc[0]}{'–' + hits['passage'].iloc[-1] if len(hits) > 1 else ''}; "
                         + ", ".join(f"{'Stalin' if k == 'stalin' else 'Mao'} {v}" for k, v in who.items()) + ")")
    alt = "Strip chart of the passages of the record that name each term, coloured by speaker. "
    if section_id in set(secs["id"]):
        here = t[t["section"] == section_id]
        named = [_term_label(c, g) for g in terms if g in set(here["term_id"])]
        alt += (f"Section {c.section(section_id)['order']} (shaded) names "
                + (", ".join(named) if named else "none of these terms") + ". ")
    alt += "; ".join(parts) + "."
    return _finish("mentions", title, fig, alt, t.drop(columns=["term_id", "order"]),
                   "data/transcript.csv, data/glossary.csv (aliases)")


# -- 3. timeline --------------------------------------------------------------------
def _decimal_year(text: str, end: bool = False) -> float:
    parts = [int(x) for x in str(text).split("-")]
    if len(parts) == 1:
        return parts[0] + (1.0 if end else 0.0)
    y, m = parts[0], parts[1]
    if len(parts) == 2:
        start, stop = date(y, m, 1), date(y + (m == 12), m % 12 + 1, 1)
        d = stop if end else start
    else:
        d = date(y, m, parts[2])
    return d.year + (d.toordinal() - date(d.year, 1, 1).toordinal()) / 365.25


def _date_label(text: str) -> str:
    parts = str(text).split("-")
    months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    if len(parts) == 3:
        return f"{int(parts[2])} {months[int(parts[1]) - 1]} {parts[0]}"
    if len(parts) == 2:
        return f"{months[int(parts[1]) - 1]} {parts[0]}"
    return parts[0]


def timeline_chart(c: Corpus, section_id: str | None = None, start: int = 1945, stop: int = 1956) -> Chart:
    """Timeline 1945–1955 from data/timeline.csv. Events whose ``sections`` include
    ``section_id`` get a row and a label; the others are grey ticks on the bottom row.
    Disputed or unverified events are drawn hollow and say so in their label."""
    tl = c.timeline.copy()
    tl["x0"] = [_decimal_year(d) for d in tl["date"]]
    tl["x1"] = [_decimal_year(e if e else d, end=True) if (e or p != "day") else _decimal_year(d)
                for d, e, p in zip(tl["date"], tl["end"], tl["precision"])]
    tl["here"] = [section_id in split_list(s) for s in tl["sections"]]
    tl = tl.sort_values(["x0", "id"], kind="stable")
    mine, rest = tl[tl["here"]], tl[~tl["here"]]
    n = len(mine)
    fig, ax = _figure((FIGSIZE[0], max(FIGSIZE[1], min(4.8, 1.3 + 0.32 * n))))
    ax.scatter(rest["x0"], [0] * len(rest), marker="|", s=60, color=MUTED, lw=1, zorder=2)
    per_year = 8.6      # characters of label text per year of axis at this font size
    for i, e in enumerate(mine.itertuples()):
        y = n - i
        doubt = bool(e.disputed) or not bool(e.verified)
        if e.x1 - e.x0 > 0.02:
            ax.plot([e.x0, e.x1], [y, y], color=HIGHLIGHT, lw=3.5, solid_capstyle="butt",
                    ls=(0, (1.5, 1)) if doubt else "-", zorder=2)
        ax.scatter([e.x0], [y], s=36, zorder=3, marker="D" if doubt else "o",
                   facecolor="white" if doubt else "#333333", edgecolor="#333333", lw=1.2)
        flags = (" [disputed]" if e.disputed else "") + ("" if e.verified else " [unverified]")
        when = _date_label(e.date) + (f"–{_date_label(e.end)}" if e.end else "")
        room_right, room_left = (stop - e.x1) * per_year - 2, (e.x0 - start) * per_year - 2
        right = room_right >= room_left
        width = int(max(room_right, room_left))
        label = "\n".join(textwrap.wrap(f"{when}: {e.event}{flags}", max(width, 20), max_lines=2, placeholder="…"))
        ax.annotate(label, ((e.x1 if right else e.x0), y), xytext=(5 if right else -5, 0),
                    textcoords="offset points", ha="left" if right else "right", va="center", linespacing=1.0,
                    fontsize=FONT - 1.5, color="#8a4b00" if doubt else "#222", fontweight="bold" if doubt else "normal")
    conv = _decimal_year("1949-12-16")
    ax.axvline(conv, color="#555", lw=0.8, ls=":", zorder=1)
    ax.set_xlim(start, stop)
    ax.set_ylim(-0.7, n + 0.7)
    ax.set_xticks(range(start, stop + 1), [str(y) for y in range(start, stop + 1)], fontsize=FONT - 1)
    ax.set_yticks([0], ["other\nevents"], fontsize=FONT - 1)
    ax.set_xlabel("Year (dotted line: 16 December 1949, this conversation)", fontsize=FONT)
    ax.set_ylabel("Events linked to this section", fontsize=FONT)
    title = f"Timeline 1945–1955: events linked to {_section_name(c, section_id)}" if section_id else "Timeline 1945–1955"
    ax.set_title(title, fontsize=FONT + 2, loc="left")
    if (mine["disputed"] | ~mine["verified"]).any():
        handles = [Line2D([], [], ls="", marker="o", color="#333333", label="event"),
                   Line2D([], [], ls="", marker="D", markerfacecolor="white", markeredgecolor="#333333",
                          label="disputed or unverified")]
        ax.legend(handles=handles, fontsize=FONT - 2, loc="lower left", framealpha=0.95, edgecolor="#cccccc")
    _style(ax)
    fig.tight_layout()
    doubtful = mine[mine["disputed"] | ~mine["verified"]]
    alt = (f"Timeline from {start} to {stop - 1}. {n} of {len(tl)} events are linked to "
           f"{_section_name(c, section_id)}: "
           + "; ".join(f"{_date_label(e.date)}{'–' + _date_label(e.end) if e.end else ''}, {_short(e.event.rstrip('.'), 90)}"
                       f"{' (disputed)' if e.disputed else ''}{'' if e.verified else ' (unverified)'}"
                       for e in mine.itertuples())
           + f". The other {len(rest)} events are grey ticks on the bottom row.")
    if not doubtful.empty:
        alt += f" {_n(len(doubtful), 'linked event')} marked hollow as disputed or unverified."
    table = mine[["id", "date", "end", "event", "source", "verified", "disputed", "note"]]
    return _finish("timeline", title, fig, alt, table, "data/timeline.csv")


# -- 4. map -------------------------------------------------------------------------
def coastline(c: Corpus) -> list:
    """The land rings of data/geo/land-110m.json (see data/geo/README.md)."""
    return json.loads((Path(c.root) / "geo" / "land-110m.json").read_text(encoding="utf-8"))


def _ring_area(ring) -> float:
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:])) / 2


def _draw_land(ax, rings, extent):
    x0, x1, y0, y1 = extent
    ax.set_facecolor(WATER)
    for ring in rings:
        xs, ys = [p[0] for p in ring], [p[1] for p in ring]
        if max(xs) < x0 - 1 or min(xs) > x1 + 1 or max(ys) < y0 - 1 or min(ys) > y1 + 1:
            continue
        hole = _ring_area(ring) > 0    # exterior rings run clockwise (negative area)
        path = MplPath(ring, closed=True)
        ax.add_patch(PathPatch(path, facecolor=WATER if hole else LAND, edgecolor=COAST, lw=0.5,
                               zorder=1 if not hole else 1.1))
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)


def context_places(c: Corpus, section_id: str) -> tuple[str, list[str]]:
    """For a section that names no place itself: the passage just before it (the
    question its first passage answers) and the places with coordinates named there.
    Section 6, for instance, answers Stalin's question about Shanghai in t29."""
    if places_in_section(c, section_id):
        return "", []
    first = c.passages_in(section_id).iloc[0]
    before = c.transcript[c.transcript["order"] == first["order"] - 1]
    if before.empty:
        return "", []
    prev = before.iloc[0]
    with_coords = set(c.places["id"])
    return prev["id"], [g for g in terms_in_passage(c, prev) if g in with_coords]


def map_table(c: Corpus, section_id: str | None = None) -> pd.DataFrame:
    """Every glossary place with coordinates, flagged if named in ``section_id`` (or,
    for a section naming none, in the passage it answers: ``named_before``)."""
    here = set(places_in_section(c, section_id)) if section_id else set()
    prev, before = context_places(c, section_id) if section_id else ("", [])
    pl = c.places.merge(c.glossary[["id", "name"]], on="id", how="inner")
    pl["named_here"] = pl["id"].isin(here)
    pl["named_before"] = [prev if g in before else "" for g in pl["id"]]
    pl["in_inset"] = [not (MAP_EXTENT[0] <= lon <= MAP_EXTENT[1] and MAP_EXTENT[2] <= lat <= MAP_EXTENT[3])
                      for lon, lat in zip(pl["lon"], pl["lat"])]
    return pl


def map_chart(c: Corpus, section_id: str | None = None, inset: bool = True) -> Chart:
    """Map of every glossary place with coordinates over the coastline, zoomed on East
    Asia; places outside it (Moscow, Yalta) go in an inset (or, with ``inset=False``,
    the map widens to include them). Places named in ``section_id`` are highlighted.
    Each point and label carries ``gid = "place:<glossary id>"``."""
    pl = map_table(c, section_id)
    rings = coastline(c)
    fig, ax = _figure()
    extent = MAP_EXTENT if inset else (
        min(MAP_EXTENT[0], pl["lon"].min() - 4), MAP_EXTENT[1], MAP_EXTENT[2], max(MAP_EXTENT[3], pl["lat"].max() + 4))
    _draw_land(ax, rings, extent)
    ax.set_aspect(1.15)  # between plate carrée and 1/cos(37°): East Asia fills the frame, shapes near true
    axes = {"main": ax}
    if inset and pl["in_inset"].any():
        ins = ax.inset_axes(INSET_BOUNDS)
        _draw_land(ins, rings, INSET_EXTENT)
        ins.set_aspect(1.6)
        ins.set_xticks([])
        ins.set_yticks([])
        ins.set_title("Inset (smaller scale)", fontsize=FONT - 2, pad=1.5)
        for side in ins.spines.values():
            side.set_edgecolor("#555")
        axes["inset"] = ins
    for p in pl.itertuples():
        where = axes["inset"] if (inset and p.in_inset) else ax
        hot = bool(p.named_here) or bool(p.named_before)
        dot = where.scatter([p.lon], [p.lat], s=(70 if p.named_before else 46) if hot else 14, zorder=4,
                            marker="o", color=("white" if p.named_before else HIGHLIGHT) if hot else "#444444",
                            edgecolor="black" if hot else "white", lw=1.8 if p.named_before else (1.0 if hot else 0.5))
        dot.set_gid(f"place:{p.id}")
        dx, dy, ha, va = LABEL_OFFSETS.get(p.id, (5, 0, "left", "center"))
        name = p.label.replace(" (", "\n(") if hot else p.label.split(" (")[0]
        if p.named_before:
            name = f"{name}: asked about in {p.named_before}"
        txt = where.annotate(name, (p.lon, p.lat), xytext=(dx, dy), textcoords="offset points", ha=ha, va=va,
                             fontsize=FONT - (0.5 if hot else 1.5), fontweight="bold" if hot else "normal",
                             color="black" if hot else "#333333", zorder=5,
                             bbox=dict(boxstyle="round,pad=0.12", fc="white", ec="none", alpha=0.7 if hot else 0.0))
        txt.set_gid(f"place:{p.id}")
    ax.set_xlabel("Longitude (°E)", fontsize=FONT)
    ax.set_ylabel("Latitude (°N)", fontsize=FONT)
    here = pl[pl["named_here"]]
    if section_id:
        title = f"Places named in {_section_name(c, section_id)} (orange), among all places in the glossary"
    else:
        title = "Places in the glossary"
    ax.set_title(title, fontsize=FONT + 1.5, loc="left")
    ax.tick_params(labelsize=FONT - 1)
    fig.tight_layout()
    alt = (f"Map of East Asia with {len(pl)} places from the glossary"
           + (", and an inset for " + " and ".join(pl[pl['in_inset']]["label"]) if inset and pl["in_inset"].any() else "")
           + ". ")
    before = pl[pl["named_before"] != ""]
    if section_id:
        alt += (f"Highlighted, as named in {_section_name(c, section_id)}: "
                + (", ".join(here["label"]) if not here.empty else "no place with coordinates") + ". ")
    if not before.empty:
        prev = before["named_before"].iloc[0]
        alt += (f"Ringed: {', '.join(before['label'])}, named in passage {prev} just before, "
                "in the question this section answers. ")
        title = (f"No place is named in {_section_name(c, section_id)}; it answers a question (ringed) "
                 f"about {', '.join(before['label'].str.split(' [(]', regex=True).str[0])} ({prev})")
        ax.set_title(title, fontsize=FONT + 1.5, loc="left")
    others = pl[~pl["named_here"] & (pl["named_before"] == "")]
    alt += "Other places: " + ", ".join(others["label"]) + ". All positions are approximate."
    table = pl[["id", "name", "label", "lat", "lon", "approx", "named_here", "named_before"]]
    return _finish("map", title, fig, alt, table, "data/places.csv (edition coordinates), data/geo (Natural Earth)")


# -- 5. figures named in the talks ---------------------------------------------------
def figures_table(c: Corpus) -> pd.DataFrame:
    """The sourced durations of :data:`FIGURES`, each checked against its source."""
    rows = []
    for f in FIGURES:
        src = f["source"]
        if re.fullmatch(r"t\d+", src):
            if not c.quote_ok(src, f["quote"]):
                raise ValueError(f"charts.FIGURES: {f['quote']!r} is not in passage {src}; fix FIGURES")
        elif src not in c.bib_keys:
            raise ValueError(f"charts.FIGURES: {src!r} is not a key in data/bibliography.bib; fix FIGURES")
        rows.append({"what": f"{f['label']} {f['bar']}".replace("… or ", "… or "), "years": f["years"],
                     "group": f["group"], "source": src})
    return pd.DataFrame(rows)


def figures_chart(c: Corpus, section_id: str | None = None) -> Chart:
    """Horizontal bars of the durations named in the record (Port Arthur, t08) and in
    the agreements of 14 February 1950 (credit, treaty term), each labelled with its
    source (a passage ID or a bibliography key)."""
    t = figures_table(c)
    fig, ax = _figure()
    ys = list(range(len(t)))[::-1]
    colours = [SPEAKER_COLOURS["stalin"] if re.fullmatch(r"t\d+", s) else "#555555" for s in t["source"]]
    hatches = ["" if re.fullmatch(r"t\d+", s) else "//" for s in t["source"]]
    bars = ax.barh(ys, t["years"], color=colours, height=0.62, edgecolor="white")
    for bar, h in zip(bars, hatches):
        bar.set_hatch(h)
    for y, f, r in zip(ys, FIGURES, t.itertuples()):
        ax.text(r.years + 0.4, y, f"{f['bar']} (source: {r.source})", va="center", fontsize=FONT - 1)
    ax.set_yticks(ys, ["\n".join(textwrap.wrap(f["label"], 24)) for f in FIGURES], fontsize=FONT - 1)
    ax.set_xlim(0, max(t["years"]) * 1.9)
    ax.set_xticks(range(0, int(max(t["years"])) + 1, 5))
    ax.set_xlabel("Years", fontsize=FONT)
    ax.set_ylabel("Figure named", fontsize=FONT)
    title = "Durations named in the talks and in the 1950 agreements"
    fig.suptitle(title, fontsize=FONT + 2, x=0.02, ha="left")
    ax.legend(handles=[Patch(facecolor=SPEAKER_COLOURS["stalin"], label="said by Stalin in this record"),
                       Patch(facecolor="#555555", hatch="//", edgecolor="white",
                             label="fixed in the agreements (frus1950v6)")],
              fontsize=FONT - 1.5, frameon=False, loc="upper right")
    _style(ax)
    fig.tight_layout()
    alt = ("Bar chart of durations in years. In passage t08 Stalin says Soviet troops could stay at Port Arthur "
           "for 2, 5 or 10 years, and even 20 years. The agreements of 14 February 1950 (source frus1950v6) "
           "fixed a Soviet credit of US$300 million over 5 years, and a treaty term of 30 years.")
    return _finish("figures", title, fig, alt, t, "data/transcript.csv t08; data/bibliography.bib frus1950v6")


# -- 6. layers of the copy ----------------------------------------------------------
def layer_table(c: Corpus) -> pd.DataFrame:
    rows = []
    for p in c.transcript.itertuples():
        rows.append({"passage": p.id, "order": p.order, "section": p.section, "layer": p.layer,
                     "words": word_count(spoken_text(p))})
    return pd.DataFrame(rows)


def layers_chart(c: Corpus, section_id: str | None = None) -> Chart:
    """Stacked bars: words in each section of the copy by layer (record, commentary,
    archive, web residue), ``section_id`` highlighted."""
    t = layer_table(c)
    secs = list(c.sections["id"])
    layers = [l for l in LAYER_COLOURS if l in set(t["layer"])]
    pivot = t.pivot_table(index="section", columns="layer", values="words", aggfunc="sum", fill_value=0)
    pivot = pivot.reindex(index=secs, columns=layers, fill_value=0)
    fig, ax = _figure()
    ys = list(range(len(secs)))[::-1]
    left = [0] * len(secs)
    for layer in layers:
        vals = list(pivot[layer])
        ax.barh(ys, vals, left=left, color=LAYER_COLOURS[layer], hatch=LAYER_HATCHES[layer],
                edgecolor="white", height=0.66, label=layer, linewidth=0.5)
        left = [a + b for a, b in zip(left, vals)]
    for y, s, total in zip(ys, secs, left):
        ax.text(total + 8, y, f"{total}", va="center", fontsize=FONT - 1.5,
                fontweight="bold" if s == section_id else "normal")
    if section_id in secs:
        y = ys[secs.index(section_id)]
        ax.axhspan(y - 0.45, y + 0.45, color=HIGHLIGHT, alpha=0.2, lw=0, zorder=0)
    ax.set_yticks(ys, secs, fontsize=FONT - 1)
    for lab, s in zip(ax.get_yticklabels(), secs):
        if s == section_id:
            lab.set_fontweight("bold")
    ax.set_xlim(0, max(left) * 1.12)
    ax.set_xlabel("Words", fontsize=FONT)
    ax.set_ylabel("Section of the copy", fontsize=FONT)
    title = "What the copy is made of: words by layer in each section"
    ax.set_title(title, fontsize=FONT + 2, loc="left")
    ax.legend(fontsize=FONT - 1, frameon=False, loc="lower right", bbox_to_anchor=(1, 0.26))
    _style(ax)
    fig.tight_layout()
    tot = t.groupby("layer")["words"].sum().reindex(layers)
    alt = ("Stacked bar chart of words in each section of the copy by layer. Whole copy: "
           + ", ".join(f"{layer} {tot[layer]} words" for layer in layers) + ". ")
    if section_id in secs:
        row = pivot.loc[section_id]
        alt += (f"{_section_name(c, section_id).capitalize()} (highlighted): "
                + ", ".join(f"{layer} {row[layer]}" for layer in layers if row[layer]) + " words.")
    table = pivot.reset_index().rename(columns={"index": "section"})
    table["total"] = table[layers].sum(axis=1)
    return _finish("layers", title, fig, alt, table, "data/transcript.csv (layer column)")


def layer_strip_chart(c: Corpus, section_id: str | None = None) -> Chart:
    """Bars for every passage of the copy (t01–t41) in order, height = words, colour
    and hatch = layer; ``section_id`` shaded. Shows where the residue sits."""
    t = layer_table(c)
    fig, ax = _figure()
    for layer in [l for l in LAYER_COLOURS if l in set(t["layer"])]:
        part = t[t["layer"] == layer]
        ax.bar(part["order"], part["words"], color=LAYER_COLOURS[layer], hatch=LAYER_HATCHES[layer],
               edgecolor="white", width=0.85, label=layer, linewidth=0.4)
    order = t.set_index("passage")["order"]
    for s in c.sections.itertuples():
        a, b = order[s.first] - 0.5, order[s.last] + 0.5
        ax.axvline(a, color="#cccccc", lw=0.6, zorder=0)
        if s.id == section_id:
            ax.axvspan(a, b, color=HIGHLIGHT, alpha=0.18, lw=0, zorder=0)
        ax.text((a + b) / 2, t["words"].max() * 1.08, s.id if len(s.id) < 4 else s.id[:4] + ".", ha="center",
                fontsize=FONT - 2, fontweight="bold" if s.id == section_id else "normal")
    ticks = [o for o in t["order"] if o % 2 == 1]
    ax.set_xticks(ticks, [f"t{o:02d}" for o in ticks], fontsize=FONT - 2, rotation=90)
    ax.set_xlim(0.3, t["order"].max() + 0.7)
    ax.set_ylim(0, t["words"].max() * 1.18)
    ax.set_xlabel("Passage of the copy, in order (t01–t41)", fontsize=FONT)
    ax.set_ylabel("Words in the passage", fontsize=FONT)
    title = "Passage by passage: the record, then commentary, archive text and web residue"
    ax.set_title(title, fontsize=FONT + 1.5, loc="left", pad=10)
    ax.legend(fontsize=FONT - 1, frameon=False, loc="upper center", bbox_to_anchor=(0.5, 0.92), ncols=2)
    _style(ax)
    fig.tight_layout()
    alt = "Bar chart of the words in each of the copy's passages t01 to t41, coloured by layer. "
    if section_id in set(c.sections["id"]):
        here = t[t["section"] == section_id]
        alt += (f"{_section_name(c, section_id).capitalize()} (shaded) holds passages {here['passage'].iloc[0]}–{here['passage'].iloc[-1]}: "
                + ", ".join(f"{r.passage} {r.layer} {r.words} words" for r in here.itertuples()) + ". ")
    rec = t[t["layer"] == "record"]
    alt += f"The record runs from {rec['passage'].iloc[0]} to {rec['passage'].iloc[-1]}."
    return _finish("layer_strip", title, fig, alt, t.drop(columns="order"), "data/transcript.csv (layer column)")


CHARTS = {
    "speakers": ("Who speaks: words and turns", speakers_chart),
    "mentions": ("Where key terms come up", mentions_chart),
    "timeline": ("Timeline 1945–1955", timeline_chart),
    "map": ("Map of the places", map_chart),
    "figures": ("Durations and sums named", figures_chart),
    "layers": ("Layers of the copy, by section", layers_chart),
    "layer_strip": ("Layers of the copy, passage by passage", layer_strip_chart),
}


# -- rendering and the widget --------------------------------------------------------
def figure_png(fig: Figure, dpi: int = DPI, colours: int = 96) -> bytes:
    """The figure as a small PNG: rendered at ``dpi`` on white, then reduced to a
    palette of ``colours`` (charts have few colours; this quarters the size)."""
    from PIL import Image

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, facecolor="white", metadata={"Software": None})
    img = Image.open(io.BytesIO(buf.getvalue())).convert("RGB")
    small = img.quantize(colors=colours, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    out = io.BytesIO()
    small.save(out, format="PNG", optimize=True)
    return out.getvalue()


def chart_html(chart: Chart, png: bytes | None = None) -> str:
    """One state of the widget: the image (with alt text), a source line and the data
    behind the chart in a collapsed table."""
    png = png if png is not None else chart.png()
    w, h = (int(round(v * DPI)) for v in chart.fig.get_size_inches())
    data = base64.b64encode(png).decode("ascii")
    table = chart.table.to_html(index=False, border=0, classes="ed-chart-data", na_rep="",
                                escape=True)
    return (f'<figure class="ed-chart" data-chart="{escape(chart.key)}" style="margin:0.3rem 0">'
            f'<img src="data:image/png;base64,{data}" alt="{escape(chart.alt)}" width="{w}" height="{h}" '
            'style="max-width:100%;height:auto;background:#fff;border:1px solid #8c8c8c;border-radius:4px">'
            f'<figcaption style="font-size:0.85em">Data: {escape(chart.sources)}.'
            '</figcaption><details><summary>Data behind this chart</summary>'
            f'<div style="overflow-x:auto;font-size:0.85em">{table}</div></details></figure>')


def section_states(c: Corpus, section_id: str) -> list[tuple[str, Chart]]:
    """(option label, chart) for each chart that :data:`SECTION_CHARTS` gives a section."""
    c.section(section_id)  # unknown section: KeyError naming data/sections.csv
    keys = SECTION_CHARTS.get(section_id, ["speakers"])
    return [(CHARTS[k][0], CHARTS[k][1](c, section_id)) for k in keys]


def section_chart(section_id: str, corpus: Corpus | None = None):
    """The chart widget of a section: a visible label, a drop-down (keyboard-operable
    native select) and a Stack of pre-rendered charts, linked in the browser by
    ``jslink`` so the choice works on the static page without a kernel."""
    import ipywidgets as widgets

    c = corpus or load_corpus()
    states = section_states(c, section_id)
    s = c.section(section_id)
    where = f"section {s['order']}" if s["layer"] == "record" else f"the {s['title'].split(':')[0].lower()}"
    intro = widgets.HTML(
        f'<p class="ed-chart-intro"><strong>Charts for {escape(where)}.</strong> Choose a chart from the list; '
        'each one is drawn from the edition\'s data with this section highlighted. Below each chart, '
        '“Data behind this chart” shows the numbers.</p>')
    control = widgets.Dropdown(options=[label for label, _ in states], index=0, description="Chart:",
                               style={"description_width": "initial"}, layout=widgets.Layout(width="max-content"))
    children = []
    for label, chart in states:
        children.append(widgets.HTML(chart_html(chart)))
        chart.fig.clear()  # the PNG is made; free the figure
    stack = widgets.Stack(children, selected_index=0)
    link = widgets.jslink((control, "index"), (stack, "selected_index"))
    box = widgets.VBox([intro, control, stack], layout=widgets.Layout(max_width="680px"))
    box.add_class("ed-chart-widget")
    box._edition_link = link      # keep the link (and reach it in tests)
    box._edition_states = [label for label, _ in states]
    return box
