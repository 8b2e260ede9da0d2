"""A Sphinx extension for the edition's own markup in book pages and notebooks.

Roles:
  {passage}`t07`  or  {passage}`t07.2`
      A link to a passage (or sentence) on its section's page.
  {quote}`t07.2 exact words from the record`
      A quotation of the record: renders “exact words…” with a link to t07.2. The build
      fails (a warning, and the build runs with -W) if the words are not found verbatim
      in that passage or sentence of data/, or if the ID is unknown.

A reference to a passage whose section page was dropped from _toc.yml links to the
full record instead; if that page is gone too, the build fails, naming the file and
line of the reference and the fix.
"""

from __future__ import annotations

import re
from pathlib import Path

from docutils import nodes
from sphinx.util import logging
from sphinx.util.docutils import SphinxRole

from .load import load_corpus
from .render import RECORD_PAGE

logger = logging.getLogger(__name__)
ID_RE = re.compile(r"t\d{2,}(?:\.\d+)?")


def _corpus(env):
    if not hasattr(env, "_edition_corpus"):
        env._edition_corpus = load_corpus(Path(env.srcdir) / "data")
    return env._edition_corpus


def _target(env, ref: str):
    """(docname, anchor) of a passage or sentence ID, or raise KeyError with the fix."""
    c = _corpus(env)
    passage = ref.split(".")[0]
    row = c.passage(passage)
    if "." in ref:
        c.sentence(ref)
    page = c.section(row["section"])["page"]
    if page not in env.found_docs and RECORD_PAGE in env.found_docs and row["layer"] == "record":
        page = RECORD_PAGE  # the section was dropped from _toc.yml: link to the full record
    if page not in env.found_docs:
        raise KeyError(f"passage {passage} lives on page {page!r}, which is not in the book "
                       f"(is it missing from _toc.yml?). Fix: put the page back in _toc.yml, "
                       f"or remove this reference")
    return page, ref


class _Role(SphinxRole):
    def _link(self, ref: str, content: list[nodes.Node]):
        try:
            page, anchor = _target(self.env, ref)
        except KeyError as e:
            msg = str(e).strip("\"'")
            logger.warning(f"{msg} [edition]", location=self.get_location())
            return [nodes.inline("", "", *content)], []
        uri = self.env.app.builder.get_relative_uri(self.env.docname, page) + "#" + anchor
        return [nodes.reference("", "", *content, refuri=uri, classes=["ed-passage-ref"])], []


class PassageRole(_Role):
    def run(self):
        ref = self.text.strip()
        if not ID_RE.fullmatch(ref):
            logger.warning(f"{ref!r} is not a passage ID like t07 or t07.2 [edition]",
                           location=self.get_location())
            return [nodes.literal(ref, ref)], []
        return self._link(ref, [nodes.Text(ref)])


class QuoteRole(_Role):
    def run(self):
        ref, _, words = self.text.strip().partition(" ")
        words = words.strip()
        if not ID_RE.fullmatch(ref) or not words:
            logger.warning(f"quote role needs 'ID exact words', got {self.text!r} [edition]",
                           location=self.get_location())
            return [nodes.Text(self.text)], []
        try:
            ok = _corpus(self.env).quote_ok(ref, words)
        except KeyError as e:
            logger.warning(f"{str(e).strip(chr(34))} [edition]", location=self.get_location())
            return [nodes.Text(words)], []
        if not ok:
            logger.warning(f"quotation not found verbatim in {ref}: {words!r}. Fix: copy the words "
                           f"exactly from data/transcript.csv [edition]", location=self.get_location())
        quote = nodes.inline("", "", nodes.Text(f"“{words}”"), classes=["ed-quote"])
        link, msgs = self._link(ref, [nodes.Text(ref)])
        return [quote, nodes.Text(" ("), *link, nodes.Text(")")], msgs


def _fix_bibliography_roles(app, pagename, templatename, context, doctree):
    """Docutils marks bibliography entries with the outdated ARIA role doc-biblioentry
    inside a role="list"; axe reports it as critical. Use listitem instead."""
    if "body" in context:
        context["body"] = context["body"].replace('role="doc-biblioentry"', 'role="listitem"')


def setup(app):
    app.connect("html-page-context", _fix_bibliography_roles)
    app.add_role("passage", PassageRole())
    app.add_role("quote", QuoteRole())
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
