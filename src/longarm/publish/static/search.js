/* longarm published site: the search box in every page's header.
   The index (assets/search-index.js, written by `longarm publish` from the same rows the live
   app's search indexes) is loaded as a script on first use, because a page opened from file://
   may not fetch() a local file. Every term must occur in a document's title or words; matching
   is by substring, so a two-character Chinese name (米兰, 温州) is found as well as Milano. */
(function () {
  "use strict";
  var form = document.getElementById("site-search");
  if (!form) { return; }
  var input = document.getElementById("site-search-input");
  var box = document.getElementById("site-search-results");
  var root = form.getAttribute("data-root") || "";
  var ORDER = { Station: 0, Country: 1, Jurisdiction: 2, Event: 3, Source: 4, Quote: 5 };
  var SHOWN = 15;
  var prepared = null;
  var waiting = null;  // callbacks for when the index has loaded

  function prepare() {
    prepared = (window.LONGARM_SEARCH || []).map(function (doc) {
      return { doc: doc, title: doc.t.toLowerCase(), text: (doc.t + " " + doc.b).toLowerCase() };
    });
  }

  function load(then) {
    if (prepared) { then(); return; }
    if (window.LONGARM_SEARCH) { prepare(); then(); return; }
    if (waiting) { waiting.push(then); return; }
    waiting = [then];
    var script = document.createElement("script");
    script.src = root + "assets/search-index.js";
    script.onload = function () {
      prepare();
      waiting.forEach(function (callback) { callback(); });
    };
    document.head.appendChild(script);
  }

  function search(query) {
    var terms = query.toLowerCase().split(/\s+/).filter(Boolean).slice(0, 8);
    if (!terms.length) { return []; }
    var hits = prepared.filter(function (p) {
      return terms.every(function (t) { return p.text.indexOf(t) !== -1; });
    });
    hits.sort(function (a, b) {
      var kind = ORDER[a.doc.k] - ORDER[b.doc.k];
      if (kind) { return kind; }
      var inTitle = terms.filter(function (t) { return b.title.indexOf(t) !== -1; }).length -
        terms.filter(function (t) { return a.title.indexOf(t) !== -1; }).length;
      return inTitle || a.doc.t.localeCompare(b.doc.t);
    });
    return hits.map(function (p) { return p.doc; });
  }

  function show() {
    var query = input.value.trim();
    box.textContent = "";
    if (!query) { box.hidden = true; return; }
    var hits = search(query);
    var count = document.createElement("p");
    count.className = "search-count";
    count.textContent = hits.length === 1 ? "1 result" : hits.length + " results" +
      (hits.length > SHOWN ? " (first " + SHOWN + " shown)" : "");
    box.appendChild(count);
    var list = document.createElement("ul");
    hits.slice(0, SHOWN).forEach(function (doc) {
      var item = document.createElement("li");
      var kind = document.createElement("span");
      kind.className = "badge";
      kind.textContent = doc.k;
      var link = document.createElement("a");
      link.href = root + doc.h;
      link.textContent = doc.t;
      item.appendChild(kind);
      item.appendChild(document.createTextNode(" "));
      item.appendChild(link);
      list.appendChild(item);
    });
    box.appendChild(list);
    box.hidden = false;
  }

  input.addEventListener("input", function () { load(show); });
  input.addEventListener("focus", function () { load(function () {}); });
  input.addEventListener("keydown", function (event) {
    if (event.key === "Escape") { input.value = ""; show(); }
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    load(function () {
      show();
      var first = box.querySelector("a");
      if (first) { window.location.href = first.href; }
    });
  });
  document.addEventListener("click", function (event) {
    if (!form.contains(event.target)) { box.hidden = true; }
  });
}());
