/* "Has anyone tried this?": rank the initiatives against what the reader types, in the
   browser, from similar-index.json. The steps repeat generator/core/similarity.py (stems,
   synonyms, stop words, character 4-grams, TF-IDF, weighted cosines), so the box and
   `portfolio similar` agree. No outside code, no request but the index. */
(function () {
  "use strict";
  var SHOWN = 5;
  var loading = null;

  // Python's casefold: lower case, but for the characters the index lists ("ß" -> "ss").
  function skeleton(text, ix) {
    var out = "";
    Array.from(text.normalize("NFKC")).forEach(function (c) {
      var folded = ix.case_folds[c] || c.toLowerCase();
      Array.from(folded).forEach(function (f) { out += ix.look_alikes[f] || f; });
    });
    return out.normalize("NFKD").replace(/\p{M}/gu, "");
  }

  function stem(word, ix) {
    for (var i = 0; i < ix.suffixes.length; i++) {
      var suffix = ix.suffixes[i];
      if (word.endsWith(suffix) && Array.from(word).length - suffix.length >= 3) {
        word = word.slice(0, word.length - suffix.length) + (suffix === "ies" ? "y" : "");
        break;
      }
    }
    return word.endsWith("e") && Array.from(word).length > 3 ? word.slice(0, -1) : word;
  }

  function terms(text, ix) {
    var out = [];
    (skeleton(text, ix).match(/[\p{L}\p{Nl}\p{No}]+/gu) || []).forEach(function (word) {
      if (ix.stopSet[word]) { return; }
      var root = stem(word, ix);
      (ix.synonyms[root] || [root]).forEach(function (t) { out.push(t); });
    });
    return out.filter(function (t) { return Array.from(t).length > 1 && !ix.stopSet[t]; });
  }

  function count(items) {
    var counts = new Map();
    items.forEach(function (t) { counts.set(t, (counts.get(t) || 0) + 1); });
    return counts;
  }

  function grams(stems, gram) {
    var out = [];
    stems.forEach(function (s) {
      var padded = Array.from(" " + s + " ");
      var n = Math.max(1, padded.length - gram + 1);
      for (var i = 0; i < n; i++) { out.push(padded.slice(i, i + gram).join("")); }
    });
    return count(out);
  }

  function idf(docs) {
    var df = new Map();
    docs.forEach(function (d) { d.forEach(function (_, k) { df.set(k, (df.get(k) || 0) + 1); }); });
    var n = docs.length, out = new Map();
    df.forEach(function (d, k) { out.set(k, Math.log((1 + n) / (1 + d)) + 1); });
    return out;
  }

  function weights(counts, table) {
    var raw = new Map(), norm = 0;
    counts.forEach(function (n, k) {
      var v = (1 + Math.log(n)) * (table.get(k) || 0);
      raw.set(k, v);
      norm += v * v;
    });
    norm = Math.sqrt(norm);
    var out = new Map();
    if (norm) { raw.forEach(function (v, k) { out.set(k, v / norm); }); }
    return out;
  }

  function dot(a, b) {
    if (a.size > b.size) { var t = a; a = b; b = t; }
    var sum = 0;
    a.forEach(function (v, k) { var w = b.get(k); if (w !== undefined) { sum += v * w; } });
    return sum;
  }

  function prepare(ix) {
    ix.stopSet = {};
    ix.stop.forEach(function (w) { ix.stopSet[w] = true; });
    var stems = ix.records.map(function (r) { return count(r.terms); });
    var chars = ix.records.map(function (r) { return grams(r.terms, ix.gram); });
    ix.wordIdf = idf(stems);
    ix.charIdf = idf(chars);
    ix.words = stems.map(function (s) { return weights(s, ix.wordIdf); });
    ix.chars = chars.map(function (c) { return weights(c, ix.charIdf); });
    return ix;
  }

  function rank(ix, text) {
    var stems = terms(text, ix);
    var word = weights(count(stems), ix.wordIdf), char = weights(grams(stems, ix.gram), ix.charIdf);
    var scored = ix.records.map(function (r, i) {
      var s = ix.weight * dot(word, ix.words[i]) + (1 - ix.weight) * dot(char, ix.chars[i]);
      return { record: r, index: i, score: Math.min(1, Math.max(0, s)) };
    });
    scored.sort(function (a, b) { return b.score - a.score || a.index - b.index; });
    return scored.filter(function (s) { return s.score > 0; }).slice(0, SHOWN);
  }

  function base() {
    var config = document.getElementById("__config");
    var root = config ? JSON.parse(config.textContent).base : ".";
    return root.replace(/\/$/, "") + "/";
  }

  function show(box, results) {
    var list = box.querySelector(".pf-similar-results");
    list.textContent = "";
    results.forEach(function (s) {
      var r = s.record;
      var item = document.createElement("li");
      item.setAttribute("data-id", r.id);
      item.setAttribute("data-score", String(s.score));
      var link = document.createElement("a");
      link.href = base() + r.url;
      link.textContent = r.title;
      item.appendChild(link);
      var meta = document.createElement("span");
      meta.className = "pf-similar-meta";
      meta.textContent = " " + Math.round(s.score * 100) + "% similar · " + r.stage + " · ";
      item.appendChild(meta);
      var status = document.createElement("strong");
      status.className = "pf-similar-status pf-similar-" + r.status;
      status.textContent = r.status === "active" ? "active" : r.status.toUpperCase() + ": read its learnings first";
      item.appendChild(status);
      list.appendChild(item);
    });
    box.querySelector(".pf-similar-count").textContent = box.querySelector("input").value.trim()
      ? (results.length ? results.length + " similar initiatives" : "Nothing similar yet: you may be the first.")
      : "";
  }

  function load() {
    loading = loading || fetch(base() + "similar-index.json")
      .then(function (r) { return r.json(); }).then(prepare);
    return loading;
  }

  function setup(box) {
    if (box.pfReady) { return; }
    box.pfReady = true;
    var input = box.querySelector("input");
    var timer = null;
    function update() {
      var text = input.value;
      if (!text.trim()) { show(box, []); return; }
      load().then(function (ix) { if (input.value === text) { show(box, rank(ix, text)); } });
    }
    input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(update, 120); });
    box.hidden = false;
    if (input.value.trim()) { update(); }
  }

  function init() { Array.prototype.forEach.call(document.querySelectorAll(".pf-similar"), setup); }
  // For the browser tests: the ranking itself, with every score.
  window.pfSimilar = {
    rank: function (text) { return load().then(function (ix) { return rank(ix, text); }); },
    terms: function (text) { return load().then(function (ix) { return terms(text, ix); }); }
  };
  if (typeof window.document$ !== "undefined") { window.document$.subscribe(init); }
  else if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); }
  else { init(); }
})();
