/* The edition's page script: show each "cite this passage" URL in full (absolute). */
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("a.ed-cite-url").forEach(function (a) { a.textContent = a.href; });
});
