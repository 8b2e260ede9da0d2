"""Measure the edition's build time, page weight and speed; write book/benchmarks.md.

    .venv/bin/python tools/benchmark.py        (or: make bench)

What it measures, on this machine, in one run:

1. build time: a clean build of each edition into a fresh temporary build directory
   (so the notebook execution cache is empty), then the same build again with no change;
2. page weight: every page of both editions loaded in headless Chromium with an empty
   cache; the bytes of every response the page loads, raw and gzip-compressed (each body
   compressed here with gzip -6), beside a bare sphinx-book-theme page built in the same run;
3. page load time: the median of several cold loads (navigation start to the load event);
4. chart response: on a page with a chart (an ipywidgets Dropdown/ToggleButtons jslinked to
   a Stack), the time from choosing another option to the chart on screen changing.

Only the standard library and Playwright (Debian's /usr/bin/chromium) are used. It takes a
few minutes; it is a report, not a test, so it never fails on a missed target.
"""

from __future__ import annotations

import datetime
import functools
import gzip
import http.server
import os
import platform
import shutil
import socketserver
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
EDITIONS = ("student", "instructor")
LOADS = 5            # cold loads per page for the load time
CHART_CHANGES = 10   # option changes per chart for the response time
MB = 1_000_000

TARGETS = {
    "clean": 180.0,        # s: clean build of both editions
    "rebuild": 20.0,       # s: no-change rebuild of both editions
    "chart_extra": 1.5,    # MB gzip above the bare theme page
    "chart_ms": 100.0,     # ms from control to chart change
}


def mark(ok: bool) -> str:
    return "✓" if ok else "✗"


# --- builds ---------------------------------------------------------------------------------------

def timed_build(edition: str, build_dir: Path) -> float:
    t = time.perf_counter()
    subprocess.run([PY, "-m", "edition", "build", edition, "--build-dir", str(build_dir)], cwd=ROOT,
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t


def bare_theme_site(tmp: Path) -> Path:
    """A one-page Sphinx project with sphinx-book-theme and nothing else."""
    src, out = tmp / "bare-src", tmp / "bare-html"
    src.mkdir(parents=True)
    (src / "conf.py").write_text('project = "Bare"\nhtml_theme = "sphinx_book_theme"\n', encoding="utf-8")
    (src / "index.rst").write_text("Bare page\n=========\n\n" + "A paragraph of text. " * 40 + "\n",
                                   encoding="utf-8")
    subprocess.run([PY, "-m", "sphinx", "-q", "-b", "html", str(src), str(out)], check=True)
    return out


# --- serving and loading ------------------------------------------------------------------------------

class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve(folder: Path):
    handler = functools.partial(_Quiet, directory=str(folder))
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}", server


def site_pages(site: Path) -> list[str]:
    """Every page of a built site, without the root redirect, _static templates and JupyterLite."""
    pages = []
    for p in sorted(site.rglob("*.html")):
        rel = p.relative_to(site).as_posix()
        if rel.split("/")[0] in ("_static", "_sources", "lite") or rel == "index.html":
            continue
        pages.append(rel)
    return pages


def has_chart(site: Path, rel: str) -> bool:
    return "application/vnd.jupyter.widget-state+json" in (site / rel).read_text(encoding="utf-8")


def page_weight(browser, url: str) -> tuple[int, int]:
    """Bytes the page loads with an empty cache: (raw, gzip) summed over every response."""
    ctx = browser.new_context()
    page = ctx.new_page()
    responses = []
    page.on("response", lambda r: responses.append(r))
    page.goto(url, wait_until="load")
    page.wait_for_timeout(1000)  # late requests (fonts, widget modules)
    raw = gz = 0
    seen = set()
    for r in responses:
        if r.url in seen or r.status >= 300:
            continue
        seen.add(r.url)
        try:
            body = r.body()
        except Exception:  # noqa: BLE001 - a response without a body
            continue
        raw += len(body)
        gz += len(gzip.compress(body, compresslevel=6))
    ctx.close()
    return raw, gz


def load_time(browser, url: str) -> float:
    """Median over LOADS cold loads of navigation start -> load event end, in ms."""
    times = []
    for _ in range(LOADS):
        ctx = browser.new_context()
        page = ctx.new_page()
        page.goto(url, wait_until="load")
        page.wait_for_function("performance.getEntriesByType('navigation')[0].loadEventEnd > 0")
        times.append(page.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd"))
        ctx.close()
    return statistics.median(times)


CHART_JS = """async (n) => {
  const box = document.querySelector('.ed-chart-widget') || document.querySelector('.widget-vbox');
  if (!box) return null;
  const select = box.querySelector('select');
  const toggles = [...box.querySelectorAll('.widget-toggle-buttons button')];
  if (!select && toggles.length < 2) return null;
  const visible = e => e.offsetParent !== null || e.getClientRects().length > 0;
  const signature = () => [...box.querySelectorAll('figure, img, svg')].filter(visible)
      .map(e => e.tagName === 'IMG' ? e.alt + e.src.length : (e.textContent || '').slice(0, 300)).join('|');
  const frame = () => new Promise(r => requestAnimationFrame(() => r()));
  const times = [];
  for (let i = 0; i < n; i++) {
    const before = signature();
    const t0 = performance.now();
    if (select) {
      select.selectedIndex = (select.selectedIndex + 1) % select.options.length;
      select.dispatchEvent(new Event('change', {bubbles: true}));
    } else {
      toggles.find(b => !b.classList.contains('mod-active')).click();
    }
    let waited = 0;
    while (signature() === before) {          // poll once a frame until the chart changes
      await frame();
      if (++waited > 600) return {error: 'the chart did not change within 600 frames'};
    }
    await frame();                            // ... and is painted
    times.push(performance.now() - t0);
  }
  return {times, control: select ? 'Dropdown' : 'ToggleButtons', options: select ? select.options.length : toggles.length};
}"""


def chart_response(browser, url: str) -> dict | None:
    ctx = browser.new_context()
    page = ctx.new_page()
    page.goto(url, wait_until="load")
    try:
        page.wait_for_selector(".ed-chart-widget select, .ed-chart-widget .widget-toggle-buttons button", timeout=15000)
    except Exception:  # noqa: BLE001
        ctx.close()
        return None
    result = page.evaluate(CHART_JS, CHART_CHANGES)
    ctx.close()
    return result


# --- report ----------------------------------------------------------------------------------------

def human(n: int) -> str:
    return f"{n / MB:.2f} MB"


def main() -> int:
    if not Path(CHROMIUM).exists():
        raise SystemExit(f"{CHROMIUM} is missing (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    started = datetime.datetime.now(datetime.timezone.utc)
    load_before = os.getloadavg()[0]
    tmp = Path(tempfile.mkdtemp(prefix="bench-"))
    build_dir = tmp / "build"
    try:
        print("clean builds (empty execution cache) ...", flush=True)
        clean = {e: timed_build(e, build_dir) for e in EDITIONS}
        print("  ", {e: f"{t:.1f} s" for e, t in clean.items()}, "\nno-change rebuilds ...", flush=True)
        rebuild = {e: timed_build(e, build_dir) for e in EDITIONS}
        print("  ", {e: f"{t:.1f} s" for e, t in rebuild.items()}, "\nbare sphinx-book-theme page ...", flush=True)
        bare = bare_theme_site(tmp)

        sites = {"student": build_dir / "html", "instructor": build_dir / "instructor" / "html", "bare": bare}
        servers = {name: serve(path) for name, path in sites.items()}
        weights: dict[str, dict[str, tuple[int, int]]] = {}
        loads: dict[str, float] = {}
        charts: dict[str, dict] = {}
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            print("page weight ...", flush=True)
            weights["bare"] = {"index.html": page_weight(browser, f"{servers['bare'][0]}/index.html")}
            for e in EDITIONS:
                weights[e] = {rel: page_weight(browser, f"{servers[e][0]}/{rel}") for rel in site_pages(sites[e])}
            student_pages = site_pages(sites["student"])
            chart_pages = [r for r in student_pages if has_chart(sites["student"], r)]
            text_page = "book/introduction.html" if "book/introduction.html" in student_pages else student_pages[0]
            print("load time ...", flush=True)
            loads["bare page"] = load_time(browser, f"{servers['bare'][0]}/index.html")
            loads[f"text page ({text_page})"] = load_time(browser, f"{servers['student'][0]}/{text_page}")
            if chart_pages:
                heaviest_chart = max(chart_pages, key=lambda r: weights["student"][r][1])
                loads[f"chart page ({heaviest_chart})"] = load_time(browser, f"{servers['student'][0]}/{heaviest_chart}")
            print("chart response ...", flush=True)
            for rel in chart_pages:
                r = chart_response(browser, f"{servers['student'][0]}/{rel}")
                if r:
                    charts[rel] = r
            browser.close()
        for _, server in servers.values():
            server.shutdown()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    busy = f"load average {load_before:.1f} at the start, {os.getloadavg()[0]:.1f} at the end"
    write_report(started, clean, rebuild, weights, loads, charts, sites_chart_pages=chart_pages, busy=busy)
    return 0


def write_report(started, clean, rebuild, weights, loads, charts, sites_chart_pages, busy="") -> None:
    bare_raw, bare_gz = weights["bare"]["index.html"]
    rows = []
    total_clean, total_rebuild = sum(clean.values()), sum(rebuild.values())
    rows.append(f"| Clean build, student edition | {clean['student']:.0f} s | | |")
    rows.append(f"| Clean build, instructor edition | {clean['instructor']:.0f} s | | |")
    rows.append(f"| Clean build, both editions | {total_clean:.0f} s | under {TARGETS['clean']:.0f} s "
                f"| {mark(total_clean < TARGETS['clean'])} |")
    rows.append(f"| No-change rebuild, student edition | {rebuild['student']:.1f} s | | |")
    rows.append(f"| No-change rebuild, instructor edition | {rebuild['instructor']:.1f} s | | |")
    rows.append(f"| No-change rebuild, both editions | {total_rebuild:.1f} s | under {TARGETS['rebuild']:.0f} s "
                f"| {mark(total_rebuild < TARGETS['rebuild'])} |")
    rows.append(f"| Bare sphinx-book-theme page (reference) | {human(bare_raw)} raw, {human(bare_gz)} gzip | | |")

    weight_rows = []
    for e in EDITIONS:
        pages = weights[e]
        text = {r: w for r, w in pages.items() if r not in sites_chart_pages}
        chart = {r: w for r, w in pages.items() if r in sites_chart_pages}
        for label, group, limit in (("text pages", text, bare_gz),
                                    ("chart pages", chart, bare_gz + TARGETS["chart_extra"] * MB)):
            if not group:
                weight_rows.append(f"| {e} | {label} | none | | | |")
                continue
            med_raw = statistics.median(w[0] for w in group.values())
            med_gz = statistics.median(w[1] for w in group.values())
            heavy = max(group, key=lambda r: group[r][1])
            h_raw, h_gz = group[heavy]
            target = ("no heavier than the bare page" if label == "text pages"
                      else f"at most {TARGETS['chart_extra']} MB gzip above the bare page")
            weight_rows.append(f"| {e} | {label} ({len(group)}) | {human(int(med_raw))} / {human(int(med_gz))} "
                               f"| `{heavy}`: {human(h_raw)} / {human(h_gz)} | {target} | {mark(h_gz <= limit)} |")

    load_rows = [f"| {name} | {ms:.0f} ms |" for name, ms in loads.items()]
    chart_rows = []
    all_times = []
    for rel, r in charts.items():
        if "times" not in r:
            chart_rows.append(f"| `{rel}` | {r.get('error')} | | {mark(False)} |")
            continue
        med = statistics.median(r["times"])
        all_times += r["times"]
        chart_rows.append(f"| `{rel}` | {r['control']}, {r['options']} options | {med:.0f} ms "
                          f"(max {max(r['times']):.0f} ms) | {mark(med < TARGETS['chart_ms'])} |")
    if not chart_rows:
        chart_rows.append("| (no page with a chart was found) | | | |")

    per_page = []
    for e in EDITIONS:
        for rel, (raw, gz) in sorted(weights[e].items()):
            per_page.append(f"| {e} | `{rel}` | {'chart' if rel in sites_chart_pages else 'text'} "
                            f"| {human(raw)} | {human(gz)} |")

    machine = (f"{os.cpu_count()} CPU cores (`nproc`: {nproc()}), {platform.system()} {platform.release()}, "
               f"Python {platform.python_version()}, Chromium {chromium_version()}")
    text = f"""(benchmarks)=
# Benchmarks

How long the book takes to build, how heavy its pages are and how fast they respond,
measured by `tools/benchmark.py` on {started:%Y-%m-%d} ({started:%H:%M} UTC), on: {machine};
{busy} (a load average above the number of cores means other work competed for the machine
and the times are slower than on an idle one). The targets are for a 2-core machine.

## Summary

| Measure | Result | Target | Met |
|---|---|---|---|
{chr(10).join(rows)}

## Page weight

Bytes the browser loads for one page with an empty cache: every response (the page, its
style sheets, scripts, fonts, images and the widget manager where there are charts), raw and
compressed with gzip (what a server that compresses would send). The median page and the
heaviest page of each kind, as raw / gzip. The reference is a bare sphinx-book-theme page
({human(bare_raw)} raw, {human(bare_gz)} gzip) built with the same Sphinx in the same run.

| Edition | Pages | Median (raw / gzip) | Heaviest (raw / gzip) | Target | Met |
|---|---|---|---|---|---|
{chr(10).join(weight_rows)}

## Speed in the browser

Page load time: headless Chromium, served from a local server, empty cache, median of
{LOADS} loads, from navigation start to the end of the load event.

| Page | Load time |
|---|---|
{chr(10).join(load_rows)}

Chart response: the time from choosing another option in a chart's control to the new chart
being on screen (the next animation frame after it changes), median of {CHART_CHANGES} changes;
headless Chromium draws a frame every 16.7 ms, so times come in steps of about 17 ms.
The control is linked to the chart in the browser (`jslink`), so no kernel is involved.
Target: under {TARGETS['chart_ms']:.0f} ms.

| Page | Control | Response | Met |
|---|---|---|---|
{chr(10).join(chart_rows)}

## Every page

| Edition | Page | Kind | Raw | gzip |
|---|---|---|---|---|
{chr(10).join(per_page)}

## How to re-run

```bash
make bench        # runs: .venv/bin/python tools/benchmark.py
```

The script builds both editions into a temporary directory (the execution cache starts
empty), builds them again without a change, builds a bare sphinx-book-theme page, loads
every page in headless Chromium (`/usr/bin/chromium`) and rewrites this page. It takes a few
minutes. Numbers depend on the machine and on what else it is doing; compare runs on the
same machine.
"""
    out = ROOT / "book" / "benchmarks.md"
    out.write_text(text, encoding="utf-8")
    print(f"wrote {out}")
    print("\n".join(rows + weight_rows + load_rows + chart_rows))


def nproc() -> str:
    try:
        return subprocess.run(["nproc"], capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "?"


def chromium_version() -> str:
    try:
        out = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True, timeout=30).stdout
        return out.split()[1] if len(out.split()) > 1 else "?"
    except (OSError, subprocess.SubprocessError):
        return "?"


if __name__ == "__main__":
    sys.exit(main())
