"""Self-check questions as plain HTML forms that give feedback with no kernel.

Each question is a ``<fieldset>`` of radio buttons (checkboxes when several options
are right) with a Check button; a small script shows the feedback of the chosen
options in a live region. Works by keyboard, offline, in the book and in Jupyter.
"""

from __future__ import annotations

from html import escape

_SCRIPT = """<script>
(function () {
  if (window.edSelfcheck) { window.edSelfcheck(); return; }
  window.edSelfcheck = function () {
    document.querySelectorAll('form.ed-selfcheck:not([data-ready])').forEach(function (form) {
      form.setAttribute('data-ready', '1');
      form.addEventListener('submit', function (ev) {
        ev.preventDefault();
        var inputs = form.querySelectorAll('input');
        var chosen = 0, right = true;
        inputs.forEach(function (inp) {
          var fb = form.querySelector('[data-feedback="' + inp.id + '"]');
          fb.hidden = !inp.checked;
          if (inp.checked) { chosen++; }
          if (inp.checked !== (inp.getAttribute('data-correct') === '1')) { right = false; }
        });
        var out = form.querySelector('.ed-result');
        out.textContent = chosen === 0 ? 'Choose an answer first.' :
          (right ? 'Right. Read the feedback below your choice.' :
                   'Not quite. Read the feedback below your choice and try again.');
        out.className = 'ed-result ' + (chosen === 0 ? '' : (right ? 'ed-right' : 'ed-wrong'));
      });
    });
  };
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', window.edSelfcheck);
  } else { window.edSelfcheck(); }
})();
</script>"""


def question_html(q: dict) -> str:
    """One self-check question as an HTML form."""
    qid = escape(str(q["id"]))
    options = q["options"]
    multiple = sum(bool(o.get("correct")) for o in options) > 1
    kind = "checkbox" if multiple else "radio"
    hint = " (choose all that apply)" if multiple else ""
    items = []
    for k, o in enumerate(options, 1):
        oid = f"{qid}-o{k}"
        items.append(
            f'<div class="ed-option"><input type="{kind}" name="{qid}" id="{oid}" '
            f'data-correct="{1 if o.get("correct") else 0}"> <label for="{oid}">{escape(str(o["text"]))}</label>'
            f'<p class="ed-feedback" data-feedback="{oid}" hidden>{escape(str(o["feedback"]))}</p></div>')
    return (f'<form class="ed-selfcheck" id="{qid}"><fieldset><legend>{escape(str(q["question"]))}{hint}</legend>'
            f'{"".join(items)}</fieldset><button type="submit" class="ed-check">Check</button> '
            f'<span class="ed-result" role="status" aria-live="polite"></span></form>')


def selfchecks_html(questions: list[dict]) -> str:
    """Several questions, numbered, followed by the script that makes them work."""
    return ('<div class="ed-selfchecks">' + "".join(question_html(q) for q in questions) + "</div>" + _SCRIPT)
