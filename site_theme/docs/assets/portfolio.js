/* Filter and sort the initiatives table in the browser: no round trip, no outside code. */
(function () {
  "use strict";
  var STAGES = ["discovery", "poc", "pilot", "scale", "optimize"];
  var HEALTH = ["error", "warning", "ok", "ended"];
  // The words the Health cells show, so the filter offers what the table says.
  var LABELS = { health: { error: "errors", warning: "warnings", ok: "healthy", ended: "ended (no verdict)" } };

  function values(row, key) {
    var raw = row.getAttribute("data-" + key) || "";
    return key === "sponsor" || key === "tag" ? raw.split("|").filter(Boolean) : [raw];
  }

  function fillSelect(select, rows) {
    var key = select.getAttribute("data-pf-filter");
    var seen = {};
    rows.forEach(function (row) { values(row, key).forEach(function (v) { seen[v] = true; }); });
    var order = key === "stage" ? STAGES : key === "health" ? HEALTH : null;
    var options = Object.keys(seen).sort(function (a, b) {
      return order ? order.indexOf(a) - order.indexOf(b) : a.localeCompare(b);
    });
    options.forEach(function (v) {
      var option = document.createElement("option");
      option.value = v;
      option.textContent = (LABELS[key] && LABELS[key][v]) || v;
      select.appendChild(option);
    });
  }

  function sortKey(cell, kind) {
    var text = cell.textContent.trim();
    if (kind === "number") { return text === "" ? -1 : parseFloat(text); }
    if (kind === "stage") { return STAGES.indexOf(text); }
    if (kind === "health") { var h = cell.querySelector("[title]"); return HEALTH.indexOf(h ? h.title : "ended"); }
    return text.toLowerCase();
  }

  function setup(panel) {
    var table = document.getElementById(panel.getAttribute("data-pf-table"));
    if (!table || table.pfReady) { return; }
    table.pfReady = true;
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var text = panel.querySelector(".pf-filter-text");
    var selects = Array.prototype.slice.call(panel.querySelectorAll("select[data-pf-filter]"));
    var counter = panel.querySelector(".pf-count");
    selects.forEach(function (s) { fillSelect(s, rows); });

    // The filters live in the query string (?stage=pilot&q=email), so a view can be shared.
    var params = new URLSearchParams(window.location.search);
    text.value = params.get("q") || "";
    selects.forEach(function (s) {
      var wanted = params.get(s.getAttribute("data-pf-filter"));
      if (wanted && Array.prototype.some.call(s.options, function (o) { return o.value === wanted; })) {
        s.value = wanted;
      }
    });

    function remember() {
      var query = new URLSearchParams();
      if (text.value.trim()) { query.set("q", text.value.trim()); }
      selects.forEach(function (s) { if (s.value) { query.set(s.getAttribute("data-pf-filter"), s.value); } });
      var search = query.toString();
      window.history.replaceState(null, "", window.location.pathname + (search ? "?" + search : "") + window.location.hash);
    }

    function apply() {
      var needle = text.value.trim().toLowerCase();
      var shown = 0;
      rows.forEach(function (row) {
        var ok = !needle || row.textContent.toLowerCase().indexOf(needle) >= 0;
        selects.forEach(function (s) {
          if (ok && s.value) { ok = values(row, s.getAttribute("data-pf-filter")).indexOf(s.value) >= 0; }
        });
        row.hidden = !ok;
        if (ok) { shown += 1; }
      });
      counter.textContent = shown + " of " + rows.length + " shown";
    }

    text.addEventListener("input", function () { apply(); remember(); });
    selects.forEach(function (s) { s.addEventListener("change", function () { apply(); remember(); }); });
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, index) {
      th.tabIndex = 0;
      function sort() {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(table.tHead.rows[0].cells, function (o) { o.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var kind = th.getAttribute("data-pf-sort");
        rows.sort(function (a, b) {
          var x = sortKey(a.cells[index], kind), y = sortKey(b.cells[index], kind);
          return (x < y ? -1 : x > y ? 1 : 0) * (ascending ? 1 : -1);
        });
        rows.forEach(function (row) { body.appendChild(row); });
      }
      th.addEventListener("click", sort);
      th.addEventListener("keydown", function (e) { if (e.key === "Enter") { sort(); } });
    });
    panel.hidden = false;
    apply();
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll(".pf-filters"), setup);
  }
  if (typeof window.document$ !== "undefined") { window.document$.subscribe(init); }
  else if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); }
  else { init(); }
})();
