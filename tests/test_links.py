"""Every internal reference of both built editions resolves, over HTTP.

A crawler starts at ``index.html`` on the local server and follows every internal
``<a href>``, ``<img src>``, ``<script src>`` and ``<link href>``: each must answer 200,
and each ``#fragment`` must name an element ``id`` (or ``<a name>``) on the target page.
Ids such as ``t07.2`` contain a dot; they are compared as strings, never as CSS selectors.
External links are not fetched (the book must not depend on them); they are listed and must
be of the expected kinds: the repository and launch buttons, the theme's credits, and
links inside citations and notes.

The JupyterLite site under ``lite/`` is only checked to answer; it has its own tests.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from collections import defaultdict
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup

EDITIONS = ("student", "instructor")
# Hosts every page may link to: the repository and issue buttons (github.com, from
# _config.yml `repository:`), the launch buttons (Binder, Colab), and the theme's credits.
ALLOWED_HOSTS = {
    "github.com": "repository, issues and download buttons",
    "mybinder.org": "launch button (Binder)",
    "colab.research.google.com": "launch button (Colab)",
    "www.sphinx-doc.org": "theme credit (Built with Sphinx)",
    "sphinx-doc.org": "theme credit",
    "executablebooks.org": "theme credit (Executable Book Project)",
    "ebp.jupyterbook.org": "theme credit",
    "jupyterbook.org": "theme credit",
    "pydata-sphinx-theme.readthedocs.io": "theme credit",
    "sphinx-book-theme.readthedocs.io": "theme credit",
}
# Containers whose external links are sources: citations, notes and the bibliography.
SOURCE_CONTAINERS = ("citation", "citation-list", "footnote", "footnote-list", "bibliography",
                     "ed-notes", "ed-cite", "ed-bib")
REFS = (("a", "href"), ("img", "src"), ("script", "src"), ("link", "href"), ("iframe", "src"),
        ("source", "src"))


def _fetch(url: str):
    try:
        with urllib.request.urlopen(url, timeout=30) as r:
            return r.status, r.headers.get_content_type(), r.read()
    except urllib.error.HTTPError as e:
        return e.code, None, b""


def _in_source_container(tag) -> bool:
    for parent in tag.parents:
        classes = parent.get("class") or []
        if any(c in SOURCE_CONTAINERS for c in classes) or parent.get("role") in ("doc-biblioentry", "doc-endnotes"):
            return True
        if parent.name == "section" and parent.get("id") in ("notes", "bibliography", "references", "sources"):
            return True
    return False


def crawl(base: str) -> dict:
    """Crawl the site at ``base``; return what was found."""
    base = base.rstrip("/") + "/"
    status: dict[str, int] = {}
    ids: dict[str, set] = {}
    referrers = defaultdict(set)          # url -> pages that reference it
    fragments = defaultdict(set)          # (url, fragment) -> pages that link to it
    external = defaultdict(set)           # external url -> (page, allowed-kind) pairs
    queue = [base + "index.html"]
    referrers[queue[0]].add("(start)")
    while queue:
        url = queue.pop()
        if url in status:
            continue
        code, ctype, body = _fetch(url)
        status[url] = code
        if code != 200 or ctype != "text/html" or url.startswith(base + "lite/"):
            continue
        soup = BeautifulSoup(body, "html.parser")
        ids[url] = {t["id"] for t in soup.find_all(id=True)} | {t["name"] for t in soup.find_all("a", attrs={"name": True})}
        page = url[len(base):]
        refs = [(tag, name, tag.get(attr)) for name, attr in REFS for tag in soup.find_all(name)]
        for meta in soup.find_all("meta", attrs={"http-equiv": lambda v: v and v.lower() == "refresh"}):
            content = meta.get("content", "")
            if "url=" in content.lower():  # the root index.html redirects to the first page
                refs.append((meta, "a", content[content.lower().index("url=") + 4:].strip()))
        for tag, name, ref in refs:
            if not ref or ref.startswith(("data:", "javascript:", "mailto:", "tel:")):
                continue
            target = urljoin(url, ref)
            scheme = urlsplit(target).scheme
            if scheme not in ("http", "https"):
                continue
            if not target.startswith(base):
                kind = ALLOWED_HOSTS.get(urlsplit(target).hostname or "")
                if kind is None and _in_source_container(tag):
                    kind = "cited source"
                external[target].add((page, kind))
                continue
            doc, frag = urldefrag(target)
            doc = doc.split("?")[0]
            if doc.endswith("/"):
                doc += "index.html"
            referrers[doc].add(page)
            if frag and name == "a":
                fragments[(doc, unquote(frag))].add(page)
            if doc not in status:
                queue.append(doc)
    return {"base": base, "status": status, "ids": ids, "referrers": referrers,
            "fragments": fragments, "external": external}


_crawls: dict = {}


@pytest.fixture(params=EDITIONS)
def site(request):
    edition = request.param
    if edition not in _crawls:
        _crawls[edition] = crawl(request.getfixturevalue(f"{edition}_url"))
    return edition, _crawls[edition]


def test_crawl_reaches_every_page(site):
    edition, c = site
    pages = [u for u, code in c["status"].items() if code == 200 and u.endswith(".html")
             and not u.startswith(c["base"] + "lite/")]
    names = {u[len(c["base"]):] for u in pages}
    for expected in ("index.html", "book/index.html", "genindex.html", "search.html",
                     "notebooks/s1-peace-and-the-treaty.html", "book/bibliography.html"):
        assert expected in names, f"{edition}: the crawl never reached {expected}"
    print(f"\n{edition}: {len(c['status'])} URLs fetched, {len(pages)} HTML pages")


def test_internal_references_resolve(site):
    edition, c = site
    broken = [f"{code} {url[len(c['base']):]}  <- {sorted(c['referrers'][url])[:5]}"
              for url, code in sorted(c["status"].items()) if code != 200]
    assert not broken, f"{edition}: {len(broken)} broken internal reference(s):\n  " + "\n  ".join(broken)


def test_fragments_exist(site):
    edition, c = site
    missing = []
    for (doc, frag), pages in sorted(c["fragments"].items()):
        if c["status"].get(doc) != 200 or doc not in c["ids"]:
            continue  # a missing page is reported above; non-HTML targets have no ids
        if frag not in c["ids"][doc]:
            missing.append(f"{doc[len(c['base']):]}#{frag}  <- {sorted(pages)[:5]}")
    assert not missing, f"{edition}: {len(missing)} link(s) to a missing anchor:\n  " + "\n  ".join(missing)
    assert c["fragments"], "no links with a #fragment at all: the crawl is broken"


def test_external_links_are_expected(site):
    edition, c = site
    print(f"\n{edition}: {len(c['external'])} external link(s), not fetched:")
    unexpected = []
    for url, uses in sorted(c["external"].items()):
        kinds = sorted({k or "UNEXPECTED" for _, k in uses})
        pages = sorted({p for p, _ in uses})
        print(f"  {url}  [{', '.join(kinds)}]  on {len(pages)} page(s), e.g. {pages[0]}")
        bad = sorted(p for p, k in uses if k is None)
        if bad:
            unexpected.append(f"{url}  on {bad[:5]}")
    assert not unexpected, (f"{edition}: external link(s) outside the repository/launch buttons, "
                            "theme credits and cited sources:\n  " + "\n  ".join(unexpected))
