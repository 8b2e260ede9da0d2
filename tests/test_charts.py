"""The chart functions (edition/charts.py) and the section chart widget.

Every chart has a title, labelled axes and alt text; the map draws every glossary
place that has coordinates; the figures chart draws only sourced numbers; the section
widget's drop-down has as many options as its Stack has pre-rendered children, and
the two are linked in the browser (jslink on index / selected_index).
"""

from __future__ import annotations

import base64
import re

import matplotlib
import pytest

matplotlib.use("Agg")

from edition import charts  # noqa: E402

SECTIONS = list(charts.SECTION_CHARTS)
CHART_FUNCTIONS = [charts.speakers_chart, charts.mentions_chart, charts.timeline_chart, charts.map_chart,
                   charts.figures_chart, charts.layers_chart, charts.layer_strip_chart]


def _all_axes(fig):
    """The figure's axes and their insets (inset axes are children, not in fig.axes)."""
    for ax in fig.axes:
        yield ax
        yield from ax.child_axes


def _title(fig) -> str:
    titles = [ax.get_title(loc) for ax in fig.axes for loc in ("left", "center", "right")]
    if fig._suptitle is not None:
        titles.append(fig._suptitle.get_text())
    return " ".join(t for t in titles if t).strip()


@pytest.mark.parametrize("func", CHART_FUNCTIONS, ids=lambda f: f.__name__)
@pytest.mark.parametrize("section", ["s2", "s6", "commentary"])
def test_chart_has_title_axes_labels_and_alt(corpus, func, section):
    chart = func(corpus, section)
    fig = chart.fig
    assert _title(fig), f"{func.__name__}: no title"
    main = fig.axes[0]
    assert main.get_xlabel().strip() and main.get_ylabel().strip(), f"{func.__name__}: unlabelled axes"
    assert len(chart.alt) > 40 and chart.alt == fig._edition_alt
    assert not chart.table.empty or func is charts.timeline_chart
    assert chart.title and chart.sources
    png = chart.png()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(png) < 60_000, f"{func.__name__}: PNG of {len(png)} bytes; keep charts small"


def test_chart_functions_need_no_section(corpus):
    for func in CHART_FUNCTIONS:
        assert _title(func(corpus).fig)


def test_map_draws_every_glossary_place_with_coordinates(corpus):
    chart = charts.map_chart(corpus, "s2")
    expected = set(corpus.places["id"]) & set(corpus.glossary["id"])
    assert len(expected) == len(corpus.places), "every place in places.csv is a glossary entry"
    points, labels = {}, {}
    for ax in _all_axes(chart.fig):
        for coll in ax.collections:
            if (coll.get_gid() or "").startswith("place:"):
                points[coll.get_gid()[6:]] = tuple(coll.get_offsets()[0])
        for text in ax.texts:
            if (text.get_gid() or "").startswith("place:"):
                labels[text.get_gid()[6:]] = text.get_text()
    assert set(points) == expected
    assert set(labels) == expected
    for p in corpus.places.itertuples():
        lon, lat = points[p.id]
        assert (lon, lat) == pytest.approx((p.lon, p.lat)), p.id
        assert labels[p.id].split("\n")[0] in p.label, p.id
        ax = next(a for a in _all_axes(chart.fig) if any(c.get_gid() == f"place:{p.id}" for c in a.collections))
        x0, x1 = ax.get_xlim()
        y0, y1 = ax.get_ylim()
        assert x0 <= lon <= x1 and y0 <= lat <= y1, f"{p.id} is drawn outside its map"


def test_map_highlights_places_named_in_the_section(corpus):
    table = charts.map_chart(corpus, "s2").table
    assert set(table[table["named_here"]]["label"].str.split(" [(]", regex=True).str[0]) == {
        "Port Arthur", "Hong Kong", "Tokyo"}
    s6 = charts.map_chart(corpus, "s6")
    assert not s6.table["named_here"].any()
    assert set(s6.table[s6.table["named_before"] != ""]["id"]) == {"g-shanghai"}
    assert "t29" in s6.alt


def test_figures_are_sourced(corpus):
    table = charts.figures_table(corpus)
    for row in table.itertuples():
        assert re.fullmatch(r"t\d+", row.source) or row.source in corpus.bib_keys
    assert corpus.quote_ok("t08", "2, 5, or 10 years") and corpus.quote_ok("t08", "20 years")
    assert sorted(table["years"]) == [2, 5, 5, 10, 20, 30]
    ax = charts.figures_chart(corpus).fig.axes[0]
    bar_texts = [t.get_text() for t in ax.texts]
    assert len(bar_texts) == len(table) and all("source: " in t for t in bar_texts)


def test_figures_reject_an_unsourced_quote(corpus, monkeypatch):
    bad = [dict(charts.FIGURES[0], quote="3 years")]
    monkeypatch.setattr(charts, "FIGURES", bad)
    with pytest.raises(ValueError, match="not in passage t08"):
        charts.figures_table(corpus)


def test_speaker_counts_add_up(corpus):
    t = charts.speaker_table(corpus)
    rec = corpus.transcript[corpus.transcript["layer"] == "record"]
    total = sum(charts.word_count(charts.spoken_text(p)) for p in rec.itertuples())
    assert t["words"].sum() == total
    s1 = t[(t["section"] == "s1")].set_index("speaker_id")
    assert s1.loc["mao", "words"] == 0 and s1.loc["stalin", "words"] > 0


def test_timeline_marks_disputed_events(corpus):
    chart = charts.timeline_chart(corpus, "s2")
    assert "e32" in set(chart.table["id"])
    assert "disputed" in chart.alt
    labels = [t.get_text() for t in chart.fig.axes[0].texts]
    assert any("[disputed]" in t for t in labels)


@pytest.mark.parametrize("section", SECTIONS)
def test_section_chart_widget(corpus, section):
    import ipywidgets as widgets
    from ipywidgets.widgets import widget as widget_module
    from ipywidgets.widgets.widget_link import Link

    box = charts.section_chart(section, corpus)
    assert isinstance(box, widgets.VBox)
    intro, control, stack = box.children
    assert isinstance(control, widgets.Dropdown) and control.description
    assert isinstance(stack, widgets.Stack)
    assert len(control.options) == len(stack.children) == len(charts.SECTION_CHARTS[section])
    assert 2 <= len(stack.children) <= 6
    assert control.index == stack.selected_index == 0
    link = box._edition_link
    assert isinstance(link, Link)
    assert link.model_id in widget_module._instances, "the link is a live widget, so its state is saved"
    assert link.source == (control, "index") and link.target == (stack, "selected_index")
    alts = []
    for child in stack.children:
        assert isinstance(child, widgets.HTML)
        m = re.search(r'<img src="data:image/png;base64,([^"]+)" alt="([^"]+)"', child.value)
        assert m, "each state is an <img> with alt text"
        assert base64.b64decode(m.group(1))[:4] == b"\x89PNG"
        assert "<details><summary>Data behind this chart</summary><table" in child.value.replace(
            '<div style="overflow-x:auto;font-size:0.85em">', "")
        alts.append(m.group(2))
    assert len(set(alts)) == len(alts), "each state shows a different chart"


def test_unknown_section_is_named(corpus):
    with pytest.raises(KeyError, match="sections.csv"):
        charts.section_chart("s9", corpus)
