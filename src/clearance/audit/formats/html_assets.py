"""The HTML report's inline stylesheet and script: no external asset, no network.

Plain CSS and plain JavaScript (no framework to ship or to trust). The script
makes every `table.data` sortable by clicking (or pressing Enter on) a header
and filterable through the text box above it; `#inventory=llama&findings=hipaa`
in the address pre-fills those boxes, so a filtered view can be sent as a link.
The page's Content-Security-Policy admits exactly these two blocks (by hash)
and nothing from anywhere else.
"""

from __future__ import annotations

CSS = """
:root { --fg: #1d2329; --muted: #5b6670; --line: #d5dbe1; --bg-alt: #f4f6f8;
  --ok: #2e7d32; --bad: #c62828; --waived: #b26a00; --info: #1565c0; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg);
  margin: 0 auto; max-width: 1400px; padding: 1.5rem; }
h1 { font-size: 1.6rem; margin: 0 0 .3rem; } h2 { font-size: 1.25rem; margin: 2rem 0 .6rem;
  border-bottom: 2px solid var(--line); padding-bottom: .2rem; }
.meta, .count, .muted { color: var(--muted); }
nav { display: flex; flex-wrap: wrap; gap: .8rem; margin: 1rem 0; }
nav a { color: var(--info); text-decoration: none; }
.verdict { display: inline-block; padding: .25rem .7rem; border-radius: 4px; font-weight: 600;
  color: #fff; }
.verdict.pass { background: var(--ok); } .verdict.fail { background: var(--bad); }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(140px, 1fr)); gap: .6rem; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: .5rem .7rem; }
.card b { display: block; font-size: 1.5rem; }
.charts { display: flex; flex-wrap: wrap; gap: 2rem; margin-top: 1rem; }
.charts figure { margin: 0; } figcaption { font-weight: 600; margin-bottom: .3rem; }
svg.chart text { font: 12px system-ui, sans-serif; fill: var(--fg); }
.bar-compliant { fill: var(--ok); } .bar-violating { fill: var(--bad); }
.bar-waived { fill: var(--waived); } .bar-kind { fill: var(--info); }
.filter { margin: .3rem 0; padding: .3rem .5rem; width: min(28rem, 100%);
  border: 1px solid var(--line); border-radius: 4px; font: inherit; }
.scroll { overflow-x: auto; }
/* off-screen sections of a large audit are laid out only when scrolled to */
section { content-visibility: auto; contain-intrinsic-size: auto 800px; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th, td { border: 1px solid var(--line); padding: .3rem .45rem; text-align: left;
  vertical-align: top; }
th { background: var(--bg-alt); position: sticky; top: 0; cursor: pointer; user-select: none;
  white-space: nowrap; }
th[aria-sort=ascending]::after { content: " \\25B2"; }
th[aria-sort=descending]::after { content: " \\25BC"; }
tbody tr:nth-child(even) { background: #fafbfc; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
code, .mono { font-family: ui-monospace, "SFMono-Regular", Menlo, monospace; font-size: 12px;
  overflow-wrap: break-word; }
.status, .sev { font-weight: 600; white-space: nowrap; }
.status-compliant { color: var(--ok); }
.status-violating, .status-error, .sev-error { color: var(--bad); }
.status-waived, .sev-warning { color: var(--waived); } .sev-info { color: var(--info); }
tr.waiver-expired td, tr.waiver-invalid td { background: #fdecea; }
tr.waiver-expiring td { background: #fff4e0; }
ul.why { margin: .3rem 0 0; padding-left: 1.1rem; } .fix { margin-top: .3rem; }
dl.evidence { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; }
dl.evidence dt { font-weight: 600; }
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  nav, .filter { display: none !important; }
  th { position: static; } thead { display: table-header-group; }
  tr { break-inside: avoid; } h2 { break-after: avoid; }
  section { break-inside: auto; content-visibility: visible; }
  * { print-color-adjust: exact; -webkit-print-color-adjust: exact; }
  a { color: inherit; }
}
"""

JS = """
(function () {
  "use strict";
  function key(row, i) {
    var cell = row.cells[i];
    if (!cell) { return ""; }
    var sort = cell.getAttribute("data-sort");
    return sort !== null ? sort : cell.textContent.trim();
  }
  function compare(a, b) {
    var numeric = /^-?\\d+(\\.\\d+)?$/;
    if (numeric.test(a) && numeric.test(b)) { return parseFloat(a) - parseFloat(b); }
    return a.localeCompare(b, undefined, {numeric: true, sensitivity: "base"});
  }
  function sortBy(table, index) {
    var th = table.tHead.rows[0].cells[index];
    var dir = th.getAttribute("aria-sort") === "ascending" ? "descending" : "ascending";
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (h) {
      h.removeAttribute("aria-sort");
    });
    th.setAttribute("aria-sort", dir);
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (r1, r2) {
      var c = compare(key(r1, index), key(r2, index));
      return dir === "ascending" ? c : -c;
    });
    var frag = document.createDocumentFragment();
    rows.forEach(function (r) { frag.appendChild(r); });
    body.appendChild(frag);
  }
  function filter(table, text, counter) {
    var terms = text.toLowerCase().split(/\\s+/).filter(Boolean);
    var rows = table.tBodies[0].rows, shown = 0;
    for (var i = 0; i < rows.length; i++) {
      var row = rows[i];
      if (row.lowerText === undefined) { row.lowerText = row.textContent.toLowerCase(); }
      var ok = terms.every(function (t) { return row.lowerText.indexOf(t) >= 0; });
      row.hidden = !ok;
      if (ok) { shown++; }
    }
    counter.textContent = terms.length
      ? shown + " of " + rows.length + " rows match" : rows.length + " rows";
  }
  Array.prototype.forEach.call(document.querySelectorAll("table.data"), function (table) {
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, i) {
      th.tabIndex = 0;
      th.title = "Sort by this column";
      th.addEventListener("click", function () { sortBy(table, i); });
      th.addEventListener("keydown", function (e) {
        if (e.key === "Enter" || e.key === " ") { e.preventDefault(); sortBy(table, i); }
      });
    });
    var input = document.getElementById("filter-" + table.id);
    var counter = document.getElementById("count-" + table.id);
    if (input && counter) {
      input.hidden = false;
      input.addEventListener("input", function () { filter(table, input.value, counter); });
    }
  });
  var params = new URLSearchParams(location.hash.slice(1));
  params.forEach(function (value, name) {
    var input = document.getElementById("filter-" + name);
    if (input) { input.value = value; input.dispatchEvent(new Event("input")); }
  });
  document.documentElement.setAttribute("data-ready", "true");
})();
"""
