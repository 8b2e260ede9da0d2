"""Shared fixtures: the repository, its data, the built editions, a local server and a browser.

The built editions are the ones ``make test`` builds before running pytest
(``_build/html`` and ``_build/instructor/html``). If one is missing, the fixture builds
it, so a single test file can also be run on its own.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import socketserver
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def corpus():
    from edition import load_corpus
    return load_corpus(ROOT / "data")


@pytest.fixture
def data_copy(tmp_path) -> Path:
    """A temporary copy of data/ (and the notebooks beside it) to break on purpose."""
    shutil.copytree(ROOT / "data", tmp_path / "data")
    shutil.copytree(ROOT / "notebooks", tmp_path / "notebooks")
    return tmp_path / "data"


def _site(edition: str) -> Path:
    from edition.build import build, output_dir
    build_dir = Path(os.environ.get("EDITION_BUILD_DIR", ROOT / "_build"))  # helpers build elsewhere
    out = output_dir(edition, build_dir)
    if not (out / "index.html").is_file():
        build(edition, build_dir=build_dir)
    return out


@pytest.fixture(scope="session")
def student_site() -> Path:
    """The built student edition (``_build/html``)."""
    return _site("student")


@pytest.fixture(scope="session")
def instructor_site() -> Path:
    """The built instructor edition (``_build/instructor/html``)."""
    return _site("instructor")


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve(folder: Path):
    """Serve a folder on 127.0.0.1 on a free port; return (base URL, server)."""
    handler = functools.partial(_Quiet, directory=str(folder))
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}", server


@pytest.fixture(scope="session")
def student_url(student_site):
    url, server = serve(student_site)
    yield url
    server.shutdown()


@pytest.fixture(scope="session")
def instructor_url(instructor_site):
    url, server = serve(instructor_site)
    yield url
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    """Debian's headless Chromium driven by Playwright. Under CI a missing browser fails."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: .ci/run must install Debian's chromium")
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


class PageLog:
    """What a page did while loading: console errors, failed and outside requests."""

    def __init__(self, page, base: str):
        self.errors, self.outside, self.failed = [], [], []
        page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("request", lambda r: (not r.url.startswith((base, "data:", "blob:", "about:")))
                and self.outside.append(r.url))
        page.on("response", lambda r: r.status >= 400 and self.failed.append(f"{r.status} {r.url}"))


@pytest.fixture
def open_page(browser):
    """open_page(url, base) -> (page, log): a fresh page with its request/console log."""
    contexts = []

    def _open(url: str, base: str):
        ctx = browser.new_context()
        contexts.append(ctx)
        page = ctx.new_page()
        log = PageLog(page, base)
        page.goto(url, wait_until="load")
        page.wait_for_timeout(300)
        return page, log

    yield _open
    for ctx in contexts:
        ctx.close()
