"""The section charts work on the built student edition, in a browser, with no kernel.

For each section page: the chart widget renders from the saved widget state; choosing
each option of its drop-down, by the keyboard and by the control itself, switches the
visible chart (its image and alt text change); every visible image has alt text; and the
page logs no console error and asks for nothing outside the local server.
"""

from __future__ import annotations

import pytest

from edition import charts

pytestmark = pytest.mark.browser

WIDGET = ".ed-chart-widget"
VISIBLE_IMG = """root => [...root.querySelectorAll('img')]
    .filter(i => i.checkVisibility() && i.getBoundingClientRect().width > 0)
    .map(i => ({src: i.getAttribute('src'), alt: i.getAttribute('alt')}))"""


def _visible(page):
    imgs = page.locator(WIDGET).evaluate(VISIBLE_IMG)
    assert len(imgs) == 1, f"expected one visible chart image, found {len(imgs)}"
    assert imgs[0]["alt"] and imgs[0]["src"].startswith("data:image/png;base64,")
    return imgs[0]["alt"], imgs[0]["src"]


def _wait_for_change(page, before: str) -> tuple[str, str]:
    page.wait_for_function(
        """([sel, before]) => { const r = document.querySelector(sel); if (!r) return false;
             const v = [...r.querySelectorAll('img')].filter(i => i.checkVisibility());
             return v.length === 1 && v[0].getAttribute('alt') !== before; }""",
        arg=[WIDGET, before], timeout=5000)
    return _visible(page)


def _open_section(open_page, student_url, corpus, section):
    page_path = corpus.section(section)["page"]
    page, log = open_page(f"{student_url}/{page_path}.html", student_url)
    page.wait_for_selector(f"{WIDGET} select", timeout=20_000)
    return page, log


@pytest.mark.parametrize("section", list(charts.SECTION_CHARTS))
def test_chart_switches_without_kernel(open_page, student_url, corpus, section):
    page, log = _open_section(open_page, student_url, corpus, section)
    select = page.locator(f"{WIDGET} select")
    assert select.count() == 1
    n = select.locator("option").count()
    assert n == len(charts.SECTION_CHARTS[section])

    # The control has a visible label tied to it.
    label = page.locator(f"{WIDGET} label[for='{select.get_attribute('id')}']")
    assert label.is_visible() and label.inner_text().strip()

    seen = [_visible(page)]
    assert select.evaluate("s => s.selectedIndex") == 0

    # By the control itself: choose each option in turn (and back to the first).
    for i in list(range(1, n)) + [0]:
        before = seen[-1][0]
        select.select_option(index=i)
        seen.append(_wait_for_change(page, before))
    by_control = seen[:n]
    assert len({alt for alt, _ in by_control}) == n, "each option shows a different chart"
    assert len({src for _, src in by_control}) == n, "each option shows a different image"
    assert seen[-1] == seen[0]

    # By the keyboard: focus the drop-down (Tab order) and move with the arrow keys.
    select.focus()
    assert page.evaluate("() => document.activeElement.tagName") == "SELECT"
    keyed = [_visible(page)]
    for i in range(1, n):
        page.keyboard.press("ArrowDown")
        keyed.append(_wait_for_change(page, keyed[-1][0]))
        assert select.evaluate("s => s.selectedIndex") == i
    assert [alt for alt, _ in keyed] == [alt for alt, _ in by_control]
    for i in range(n - 2, -1, -1):
        page.keyboard.press("ArrowUp")
        keyed.append(_wait_for_change(page, keyed[-1][0]))
    assert keyed[-1] == keyed[0]

    # The data behind each chart is on the page, in a disclosure widget.
    assert page.locator(f"{WIDGET} details summary").first.inner_text().strip() == "Data behind this chart"

    assert not log.errors, f"console errors: {log.errors}; failed requests: {log.failed}"
    assert not log.outside, f"requests outside the local server: {log.outside}"


def test_chart_reachable_by_tab(open_page, student_url, corpus):
    """The drop-down is in the page's Tab order (keyboard users can reach it)."""
    page, _ = _open_section(open_page, student_url, corpus, "s2")
    select = page.locator(f"{WIDGET} select")
    select.evaluate("s => s.scrollIntoView()")
    # Focus the last focusable element before the widget, then Tab into the drop-down.
    page.evaluate("""sel => { const s = document.querySelector(sel + ' select');
        const all = [...document.querySelectorAll(
            'a[href], button, select, input, summary, [tabindex]:not([tabindex="-1"])')]
          .filter(e => e.checkVisibility({visibilityProperty: true})
                  && (e.compareDocumentPosition(s) & Node.DOCUMENT_POSITION_FOLLOWING));
        for (const e of all.reverse()) { e.focus(); if (document.activeElement === e) return; } }""", WIDGET)
    for _ in range(10):
        if page.evaluate(f"() => document.activeElement === document.querySelector('{WIDGET} select')"):
            break
        page.keyboard.press("Tab")
    assert page.evaluate(f"() => document.activeElement === document.querySelector('{WIDGET} select')")
