"""Both built editions in headless Chromium, served on 127.0.0.1.

* every page loads with no console error, no request outside the local server and no
  4xx/5xx response, and has no axe-core violation of impact "serious" or "critical";
* the self-check questions work by mouse and by keyboard alone;
* the instructor edition's solutions are collapsed toggles that open by mouse and by
  keyboard; the student edition has none;
* in dark mode the edition's own elements (``.ed-*``) keep enough colour contrast.

Run: ``python -m pytest -m browser`` (``EDITION_BUILD_DIR=DIR`` to test a build elsewhere).
The JupyterLite site (``lite/``) is tested separately.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from conftest import ROOT, PageLog

pytestmark = pytest.mark.browser

EDITIONS = ("student", "instructor")
SECTION = "notebooks/s1-peace-and-the-treaty.html"
BAD_IMPACTS = ("serious", "critical")
ED_ELEMENTS = "[class^='ed-'], [class*=' ed-']"  # our own elements, for axe's context


def toc_pages() -> list[str]:
    """Every HTML page the book should have: the table of contents plus Sphinx's own."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    files = [toc["root"]]

    def walk(node):
        if isinstance(node, dict):
            if "file" in node:
                files.append(node["file"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(toc.get("parts", []) or toc.get("chapters", []))
    return ["index.html", "genindex.html", "search.html"] + [f"{f}.html" for f in files]


PAGES = toc_pages()


def site_pages(site: Path) -> list[str]:
    """The HTML pages actually in a built site (not _static templates, not JupyterLite)."""
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html")
                  if p.relative_to(site).parts[0] not in ("_static", "_sources", "lite"))


@pytest.fixture(params=EDITIONS)
def edition(request):
    return request.param


@pytest.fixture
def site(edition, request) -> Path:
    return request.getfixturevalue(f"{edition}_site")


@pytest.fixture
def base(edition, request) -> str:
    return request.getfixturevalue(f"{edition}_url")


def axe_problems(page, context=None, rules=None) -> list[str]:
    """axe-core violations of impact serious/critical, one line per rule with its targets."""
    from axe_playwright_python.sync_playwright import Axe
    options = {"runOnly": {"type": "rule", "values": rules}} if rules else None
    result = Axe().run(page, context=context, options=options) if options else Axe().run(page, context=context)
    out = []
    for v in result.response["violations"]:
        if v.get("impact") in BAD_IMPACTS:
            targets = ["".join(map(str, n["target"])) for n in v["nodes"]]
            detail = v["nodes"][0].get("failureSummary", "").replace("\n", " ")[:300]
            out.append(f"{v['id']} ({v['impact']}, {len(targets)} node(s)): {targets[:8]}\n      {detail}")
    return out


# --- every page: loads cleanly, passes axe -------------------------------------------------------

_visits: dict = {}


def visit(browser, base: str, edition: str, rel: str) -> dict:
    """Load one page once per session; keep its log (taken before axe runs) and axe's findings.

    The log is copied before axe runs because axe's own style-sheet preload asks for an
    ``@import`` at the wrong URL (``/basic.css``), which is axe's 404, not the book's.
    """
    key = (edition, rel)
    if key not in _visits:
        ctx = browser.new_context()
        try:
            page = ctx.new_page()
            log = PageLog(page, base)
            response = page.goto(f"{base}/{rel}", wait_until="load")
            page.wait_for_timeout(300)
            if page.url != f"{base}/{rel}":  # the root index.html redirects to book/index.html
                page.wait_for_load_state("load")
                page.wait_for_timeout(300)
            _visits[key] = {"status": response.status if response else None,
                            "errors": list(log.errors), "outside": list(log.outside),
                            "failed": list(log.failed), "axe": axe_problems(page)}
        finally:
            ctx.close()
    return _visits[key]


def test_every_page_is_tested(site):
    """The parametrised list below (from _toc.yml) is exactly the set of pages built."""
    assert site_pages(site) == sorted(PAGES)


@pytest.mark.parametrize("rel", PAGES)
def test_page_loads_cleanly(browser, base, edition, rel):
    v = visit(browser, base, edition, rel)
    assert v["status"] == 200, f"{rel}: HTTP {v['status']}"
    problems = ([f"console: {e}" for e in v["errors"]] + [f"outside request: {u}" for u in v["outside"]]
                + [f"failed response: {f}" for f in v["failed"]])
    assert not problems, f"{edition} {rel}:\n  " + "\n  ".join(problems)


@pytest.mark.parametrize("rel", PAGES)
def test_page_accessibility(browser, base, edition, rel):
    v = visit(browser, base, edition, rel)
    assert not v["axe"], f"axe on {edition} {rel}:\n  " + "\n  ".join(v["axe"])


# Contrast of an element's text on its effective background (ancestors' backgrounds composited).
# axe-core leaves 1:1 text (e.g. white on white) as "incomplete", so results are checked here too.
CONTRAST_JS = """el => {
  const parse = c => { const m = c.match(/[\\d.]+/g).map(Number); return [m[0], m[1], m[2], m.length > 3 ? m[3] : 1]; };
  const layers = [];
  for (let e = el; e; e = e.parentElement) {
    const bg = parse(getComputedStyle(e).backgroundColor);
    if (bg[3] > 0) { layers.push(bg); if (bg[3] >= 1) break; }
  }
  let base = [255, 255, 255];
  for (const [r, g, b, a] of layers.reverse()) base = [r * a + base[0] * (1 - a), g * a + base[1] * (1 - a), b * a + base[2] * (1 - a)];
  const fgc = parse(getComputedStyle(el).color);
  const fg = [0, 1, 2].map(i => fgc[i] * fgc[3] + base[i] * (1 - fgc[3]));
  const lum = c => { const v = c.map(x => { x /= 255; return x <= 0.03928 ? x / 12.92 : Math.pow((x + 0.055) / 1.055, 2.4); });
                     return 0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2]; };
  const [hi, lo] = [lum(fg), lum(base)].sort((a, b) => b - a);
  return (hi + 0.05) / (lo + 0.05);
}"""


def assert_readable(locator, what: str, minimum: float = 4.5):
    ratio = locator.evaluate(CONTRAST_JS)
    assert ratio >= minimum, f"{what}: contrast {ratio:.2f}:1 is below {minimum}:1"


# --- self-check questions ---------------------------------------------------------------------------

def _first_radio_form(page):
    form = page.locator("form.ed-selfcheck").filter(has=page.locator("input[type=radio]")).first
    assert form.count() == 1, "no single-answer self-check question on the page"
    return form


def _options(form) -> list[tuple[str, bool]]:
    """(input id, correct?) for each option of a question, in page order."""
    return form.locator("input").evaluate_all(
        "els => els.map(e => [e.id, e.getAttribute('data-correct') === '1'])")


def _feedback(form, oid):
    return form.locator(f'[data-feedback="{oid}"]')


def test_selfcheck_by_mouse(open_page, base, edition):
    page, log = open_page(f"{base}/{SECTION}", base)
    form = _first_radio_form(page)
    options = _options(form)
    wrong = next(oid for oid, ok in options if not ok)
    right = next(oid for oid, ok in options if ok)
    result = form.locator(".ed-result")
    for oid in options:
        assert _feedback(form, oid[0]).is_hidden(), "feedback shows before any answer is checked"

    form.locator(f'label[for="{wrong}"]').click()
    assert form.locator(f'[id="{wrong}"]').is_checked()
    form.locator("button.ed-check").click()
    _feedback(form, wrong).wait_for(state="visible", timeout=2000)
    assert result.inner_text().startswith("Not quite"), result.inner_text()
    assert_readable(result, "the result text 'Not quite'")

    form.locator(f'label[for="{right}"]').click()
    form.locator("button.ed-check").click()
    _feedback(form, right).wait_for(state="visible", timeout=2000)
    assert _feedback(form, wrong).is_hidden(), "the wrong option's feedback stays after a new answer"
    assert result.inner_text().startswith("Right"), result.inner_text()
    assert not log.errors, log.errors
    # The feedback and the result, now visible, must be readable too.
    assert_readable(result, "the result text 'Right'")
    assert_readable(_feedback(form, right), "the feedback text")
    problems = axe_problems(page, context=f'form[id="{form.get_attribute("id")}"]')
    assert not problems, "axe on a checked question:\n  " + "\n  ".join(problems)


def _press_until(page, key: str, predicate: str, limit: int = 400) -> int:
    for n in range(1, limit + 1):
        page.keyboard.press(key)
        if page.evaluate(predicate):
            return n
    raise AssertionError(f"{limit} x {key} never reached: {predicate}")


def test_selfcheck_by_keyboard(open_page, base, edition):
    page, log = open_page(f"{base}/{SECTION}", base)
    form = _first_radio_form(page)
    fid = form.get_attribute("id")
    options = _options(form)
    ids = [oid for oid, _ in options]
    wrong = next(i for i, (_, ok) in enumerate(options) if not ok)
    right = next(i for i, (_, ok) in enumerate(options) if ok)
    result = form.locator(".ed-result")
    focused_id = "document.activeElement && document.activeElement.id"

    def choose(target: int):
        """Arrow keys from the focused radio to option `target` (arrows also select it)."""
        current = ids.index(page.evaluate(focused_id))
        steps = (target - current) % len(ids)
        for _ in range(steps):
            page.keyboard.press("ArrowDown")
        if steps == 0:
            page.keyboard.press("Space")
        assert page.evaluate(focused_id) == ids[target]
        assert form.locator(f'[id="{ids[target]}"]').is_checked()

    # From the top of the page, Tab until the question's first radio has the focus.
    page.locator("body").focus()
    _press_until(page, "Tab", f"document.activeElement.id === {ids[0]!r}")
    choose(wrong)
    _press_until(page, "Tab", f"document.activeElement.matches('form[id=\"{fid}\"] button.ed-check')", limit=5)
    page.keyboard.press("Enter")
    _feedback(form, ids[wrong]).wait_for(state="visible", timeout=2000)
    assert result.inner_text().startswith("Not quite"), result.inner_text()

    _press_until(page, "Shift+Tab", f"document.activeElement.name === {fid!r}", limit=5)
    choose(right)
    _press_until(page, "Tab", f"document.activeElement.matches('form[id=\"{fid}\"] button.ed-check')", limit=5)
    page.keyboard.press("Space")
    _feedback(form, ids[right]).wait_for(state="visible", timeout=2000)
    assert _feedback(form, ids[wrong]).is_hidden()
    assert result.inner_text().startswith("Right"), result.inner_text()
    assert not log.errors, log.errors


# --- solutions ------------------------------------------------------------------------------------

def _solutions(page):
    return page.locator("div.solution")


def _solution_body(solution):
    return solution.locator(":scope > :not(.admonition-title)").first


def test_student_edition_has_no_solutions(open_page, student_url):
    page, _ = open_page(f"{student_url}/{SECTION}", student_url)
    assert _solutions(page).count() == 0
    assert page.locator("button.toggle-button, .toggle-details, [id*='-solution-']").count() == 0
    assert page.locator(".teaching-note").count() == 0
    html = page.content()
    assert "Solution to" not in html and "solution-content" not in html


def test_instructor_solutions_toggle_by_mouse(open_page, instructor_url):
    page, log = open_page(f"{instructor_url}/{SECTION}", instructor_url)
    solutions = _solutions(page)
    assert solutions.count() >= 1, "no solutions on the instructor page"
    for i in range(solutions.count()):
        s = solutions.nth(i)
        body = _solution_body(s)
        button = s.locator("button.toggle-button")
        assert body.is_hidden(), f"solution {i} is open before any click"
        assert button.get_attribute("aria-expanded") == "false"
        button.click()
        body.wait_for(state="visible", timeout=2000)
        assert body.inner_text().strip(), f"solution {i} opened empty"
        assert button.get_attribute("aria-expanded") == "true"
        button.click()
        body.wait_for(state="hidden", timeout=2000)
    # Clicking the title (not only the chevron) also opens a solution.
    s = solutions.first
    s.locator(".admonition-title").click(position={"x": 5, "y": 5})
    _solution_body(s).wait_for(state="visible", timeout=2000)
    assert not log.errors, log.errors


@pytest.mark.parametrize("key", ["Enter", "Space"])
def test_instructor_solutions_toggle_by_keyboard(open_page, instructor_url, key):
    page, log = open_page(f"{instructor_url}/{SECTION}", instructor_url)
    solutions = _solutions(page)
    assert solutions.count() >= 1
    first = solutions.first
    button = first.locator("button.toggle-button")
    bid = button.get_attribute("id")
    # Reach the toggle with Tab alone, from the top of the page.
    page.locator("body").focus()
    _press_until(page, "Tab", f"document.activeElement.id === {bid!r}", limit=600)
    body = _solution_body(first)
    assert body.is_hidden()
    page.keyboard.press(key)
    body.wait_for(state="visible", timeout=2000)
    assert body.inner_text().strip()
    page.keyboard.press(key)
    body.wait_for(state="hidden", timeout=2000)
    assert not log.errors, log.errors


# --- dark mode -------------------------------------------------------------------------------------

DARK_PAGES = [SECTION, "notebooks/archive.html", "book/record.html"]


@pytest.mark.parametrize("rel", DARK_PAGES)
def test_dark_mode_contrast_of_our_elements(browser, base, edition, rel):
    ctx = browser.new_context(color_scheme="dark")
    try:
        page = ctx.new_page()
        page.goto(f"{base}/{rel}", wait_until="load")
        page.wait_for_timeout(300)
        assert page.evaluate("document.documentElement.dataset.theme") == "dark", \
            "the theme did not follow the reader's dark colour scheme"
        # Show what is normally hidden until a reader acts: self-check feedback and results.
        for form in page.locator("form.ed-selfcheck").all():
            form.locator("input").first.check()
            form.locator("button.ed-check").click()
            form.locator("input").last.check()
            form.locator("button.ed-check").click()
        for result in page.locator(".ed-result").all():
            assert_readable(result, f"dark mode, {edition} {rel}: a self-check result")
        if page.locator(ED_ELEMENTS).count() == 0:
            pytest.skip(f"no .ed-* elements on {rel}")
        problems = axe_problems(page, context={"include": [[ED_ELEMENTS]]}, rules=["color-contrast"])
        assert not problems, f"dark mode, {edition} {rel}:\n  " + "\n  ".join(problems)
    finally:
        ctx.close()
