/* longarm published site: the two maps and the in-page filters.
   Plain JavaScript, no server and no request to any other host: the map data is
   embedded in the page (JSON script tags) and the country outlines come from
   assets/countries.js, so everything works from file://. */
(function () {
  "use strict";

  function readData(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  // Links in the data are relative to the site root; pages with maps live at the root.
  function go(href) { window.location.href = href; }

  function escapeText(text) {
    var span = document.createElement("span");
    span.textContent = text;
    return span.innerHTML;
  }

  function baseMap(element) {
    var map = L.map(element, {
      zoomSnap: 0.25,
      minZoom: 1,
      maxZoom: 8,
      worldCopyJump: false,
      maxBounds: [[-85, -200], [85, 200]],
      attributionControl: true
    });
    map.attributionControl.setPrefix(false);
    map.attributionControl.addAttribution("Natural Earth · GeoNames · Leaflet");
    map.fitBounds([[-50, -150], [72, 165]]);
    return map;
  }

  function countryLayer(style, onEach) {
    return L.geoJSON(window.LONGARM_COUNTRIES, { style: style, onEachFeature: onEach });
  }

  function stationMap() {
    var element = document.getElementById("map-stations");
    var data = readData("map-stations-data");
    if (!element || !data || !window.L || !window.LONGARM_COUNTRIES) { return; }
    var map = baseMap(element);
    countryLayer(function () {
      return { color: "#ffffff", weight: 0.7, fillColor: "#c9cfd4", fillOpacity: 1 };
    }).addTo(map);
    data.rings.forEach(function (ring) {
      L.circleMarker([ring.lat, ring.lon], {
        radius: 7 + Math.min(8, 2 * Math.sqrt(ring.count)),
        color: ring.colour, weight: 2.5, dashArray: "4 3", fill: true, fillOpacity: 0,
        className: "country-ring"
      }).bindTooltip(escapeText(ring.label)).on("click", function () { go(ring.href); }).addTo(map);
    });
    data.stations.forEach(function (s) {
      L.circleMarker([s.lat, s.lon], {
        radius: 5, color: "#ffffff", weight: 1, fillColor: s.colour, fillOpacity: 0.95,
        className: "station-marker"
      }).bindTooltip(escapeText(s.label)).on("click", function () { go(s.href); }).addTo(map);
    });
  }

  function countryMap() {
    var element = document.getElementById("map-countries");
    var data = readData("map-countries-data");
    if (!element || !data || !window.L || !window.LONGARM_COUNTRIES) { return; }
    var map = baseMap(element);
    countryLayer(function (feature) {
      var entry = data.countries[feature.id];
      if (!entry) { return { color: "#ffffff", weight: 0.7, fillColor: "#e4e7ea", fillOpacity: 1 }; }
      return {
        color: entry.category === "table-only" ? "#555555" : "#ffffff",
        weight: entry.category === "table-only" ? 1.2 : 0.7,
        fillColor: data.colours[entry.category], fillOpacity: 1,
        className: "country-" + entry.category
      };
    }, function (feature, layer) {
      var entry = data.countries[feature.id];
      if (!entry) { return; }
      var c = entry.counts;
      layer.bindTooltip(escapeText(entry.name + ": " + c["new"] + " newly revealed, " + c.earlier +
        " reported earlier, " + c.unknown + " not attributable"));
      layer.on("click", function () { go(entry.href); });
    }).addTo(map);
  }

  function stationFilter() {
    var table = document.getElementById("station-table");
    if (!table) { return; }
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    var texts = rows.map(function (row) { return row.textContent.toLowerCase(); });
    var controls = {
      text: document.getElementById("filter-text"),
      jurisdiction: document.getElementById("filter-jurisdiction"),
      country: document.getElementById("filter-country"),
      precision: document.getElementById("filter-precision"),
      status: document.getElementById("filter-status")
    };
    var count = document.getElementById("filter-count");
    var empty = document.getElementById("filter-empty");
    // Filtering happens here; Enter must not submit the form (no inline handler: `longarm serve`'s CSP forbids them).
    document.getElementById("station-filters").addEventListener("submit", function (event) { event.preventDefault(); });

    function apply() {
      var words = controls.text.value.toLowerCase().split(/\s+/).filter(Boolean);
      var shown = 0;
      rows.forEach(function (row, i) {
        var ok = words.every(function (w) { return texts[i].indexOf(w) !== -1; }) &&
          ["jurisdiction", "country", "precision", "status"].every(function (key) {
            return !controls[key].value || row.dataset[key] === controls[key].value;
          });
        row.hidden = !ok;
        if (ok) { shown += 1; }
      });
      count.textContent = shown + " of " + rows.length + " stations";
      empty.hidden = shown !== 0;
    }

    // A link such as stations.html#country=IT opens the table already filtered.
    var params = new URLSearchParams(window.location.hash.slice(1));
    Object.keys(controls).forEach(function (key) {
      if (params.has(key)) { controls[key].value = params.get(key); }
      controls[key].addEventListener("input", apply);
      controls[key].addEventListener("change", apply);
    });
    apply();
  }

  function eventFilter() {
    var form = document.getElementById("event-filters");
    if (!form) { return; }
    var boxes = Array.prototype.slice.call(form.querySelectorAll("input[type=checkbox]"));
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    function apply() {
      var shown = {};
      boxes.forEach(function (box) { shown[box.value] = box.checked; });
      document.querySelectorAll("#events .event").forEach(function (event) {
        var type = event.className.match(/type-([a-z-]+)/)[1];
        event.hidden = !shown[type];
      });
    }
    boxes.forEach(function (box) { box.addEventListener("change", apply); });
  }

  stationMap();
  countryMap();
  stationFilter();
  eventFilter();
}());
