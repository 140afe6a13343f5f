/* longarm published site: the maps (Leaflet, Leaflet.markercluster), the lists' filters, sorting and
   downloads, and their state in the URL's hash.
   Plain JavaScript, no server and no request to any other host: the map data and each list's records
   are embedded in the page (JSON script tags), the country outlines come from assets/countries.js
   (and assets/countries-50m.js, added as a script once a map is zoomed in), and downloads are made
   in the browser, so everything works from file://. */
(function () {
  "use strict";

  function readData(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  // Links in the data are relative to the site root; a map's element says where the root is.
  function go(root, href) { window.location.href = root + href; }

  function escapeText(text) {
    var span = document.createElement("span");
    span.textContent = text;
    return span.innerHTML;
  }

  var FINE_ZOOM = 4;      // from this zoom on, outlines are Natural Earth 1:50m
  var LABEL_ZOOM = 4;     // ... and cities are named
  var COUNTRY_LABEL_ZOOM = 3;

  function baseMap(element) {
    var map = L.map(element, {
      zoomSnap: 0.25,
      minZoom: 1,
      maxZoom: 10,
      worldCopyJump: false,
      maxBounds: [[-85, -200], [85, 200]],
      attributionControl: true
    });
    map.attributionControl.setPrefix(false);
    map.attributionControl.addAttribution("Natural Earth · GeoNames · Leaflet · Leaflet.markercluster");
    return map;
  }

  // The 1:50m outlines are a large file: loaded (as a script, which file:// allows) on first need.
  var fineWaiting = null;
  function withFineOutlines(then) {
    if (window.LONGARM_COUNTRIES_FINE) { then(); return; }
    if (fineWaiting) { fineWaiting.push(then); return; }
    fineWaiting = [then];
    var script = document.createElement("script");
    var own = document.querySelector("script[src$='assets/site.js']");
    script.src = own.getAttribute("src").replace(/site\.js$/, "countries-50m.js");
    script.onload = function () { fineWaiting.forEach(function (f) { f(); }); };
    document.head.appendChild(script);
  }

  // Country outlines at the scale the zoom calls for: 1:110m for the world, 1:50m closer in.
  function outlines(map, style, onEach) {
    var coarse = L.geoJSON(window.LONGARM_COUNTRIES, { style: style, onEachFeature: onEach }).addTo(map);
    var fine = null;
    function update() {
      if (map.getZoom() < FINE_ZOOM) {
        if (fine && map.hasLayer(fine)) { map.removeLayer(fine); map.addLayer(coarse); }
        return;
      }
      withFineOutlines(function () {
        if (map.getZoom() < FINE_ZOOM) { return; }
        if (!fine) { fine = L.geoJSON(window.LONGARM_COUNTRIES_FINE, { style: style, onEachFeature: onEach }); }
        if (map.hasLayer(coarse)) { map.removeLayer(coarse); }
        if (!map.hasLayer(fine)) { map.addLayer(fine); fine.bringToBack(); }
        map.getContainer().classList.add("fine-outlines");
      });
    }
    map.on("zoomend", update);
    return { update: update, coarse: coarse };
  }

  function labelLayers(map, labels) {
    var cities = L.layerGroup(), countries = L.layerGroup();
    (labels || []).forEach(function (label) {
      var icon = L.divIcon({ className: "map-label " + label.kind + "-label", html: escapeText(label.name), iconSize: null });
      L.marker([label.lat, label.lon], { icon: icon, interactive: false, keyboard: false })
        .addTo(label.kind === "city" ? cities : countries);
    });
    function update() {
      var zoom = map.getZoom();
      if (zoom >= LABEL_ZOOM) { cities.addTo(map); } else { cities.remove(); }
      if (zoom >= COUNTRY_LABEL_ZOOM) { countries.addTo(map); } else { countries.remove(); }
    }
    map.on("zoomend", update);
    update();
  }

  // Stations as dots, clustered where they are close and spread when a cluster of one point is opened
  // (Leaflet.markercluster); stations known only to their country as dashed rings at its label point.
  function stationLayers(map, data, root, keep) {
    var cluster = L.markerClusterGroup({
      maxClusterRadius: 28,
      showCoverageOnHover: false,
      spiderfyOnMaxZoom: true,
      spiderfyDistanceMultiplier: 1.6,
      zoomToBoundsOnClick: false,
      iconCreateFunction: function (group) {
        var n = group.getChildCount();
        return L.divIcon({ html: "<span>" + n + "</span>", className: "station-cluster", iconSize: L.point(30, 30) });
      }
    });
    // One click on stations of one city spreads them at once; a cluster of several places zooms in.
    cluster.on("clusterclick", function (event) {
      var points = event.layer.getAllChildMarkers().map(function (m) { return m.getLatLng().toString(); });
      var onePlace = points.every(function (p) { return p === points[0]; });
      if (onePlace || map.getZoom() >= map.getMaxZoom()) { event.layer.spiderfy(); } else { event.layer.zoomToBounds({ padding: [30, 30] }); }
    });
    var rings = L.layerGroup().addTo(map);
    cluster.addTo(map);
    function draw() {
      cluster.clearLayers();
      rings.clearLayers();
      var markers = [];
      data.stations.forEach(function (s) {
        if (!keep(s)) { return; }
        markers.push(L.circleMarker([s.lat, s.lon], {
          radius: 6, color: "#ffffff", weight: 1.2, fillColor: s.colour, fillOpacity: 0.95,
          className: "station-marker"
        }).bindTooltip(escapeText(s.title + " (" + s.label + ")")).on("click", function () { go(root, s.href); }));
      });
      cluster.addLayers(markers);
      data.rings.forEach(function (ring) {
        var count = ring.members.filter(keep).length;
        if (!count) { return; }
        var label = ring.jurisdiction + ": " + count + " station" + (count > 1 ? "s" : "") + " in " +
          ring.country_name + ", exact location unknown" + ring.within;
        L.circleMarker([ring.lat, ring.lon], {
          radius: 7 + Math.min(8, 2 * Math.sqrt(count)),
          color: ring.colour, weight: 2.5, dashArray: "4 3", fill: true, fillOpacity: 0,
          className: "country-ring"
        }).bindTooltip(escapeText(label)).on("click", function () { go(root, ring.href); }).addTo(rings);
      });
      return markers.length;
    }
    return { draw: draw, cluster: cluster };
  }

  // The map's view in the URL (view=zoom/lat/lon), so a link or a reload opens the same place.
  function keepView(map, key) {
    var view = (hashParams().get(key) || "").split("/").map(Number);
    if (view.length === 3 && view.every(function (v) { return !isNaN(v); })) {
      map.setView([view[1], view[2]], view[0]);
    }
    map.on("moveend", function () {
      var c = map.getCenter(), params = hashParams();
      params.set(key, map.getZoom() + "/" + c.lat.toFixed(3) + "/" + c.lng.toFixed(3));
      writeHash(params);
    });
  }

  function stationMap() {
    var element = document.getElementById("map-stations");
    var data = readData("map-stations-data");
    if (!element || !data || !window.L || !window.LONGARM_COUNTRIES) { return; }
    var root = element.getAttribute("data-root") || "";
    var map = baseMap(element);
    map.fitBounds([[-50, -150], [72, 165]]);
    outlines(map, function () { return { color: "#ffffff", weight: 0.7, fillColor: "#c9cfd4", fillOpacity: 1 }; }).update();
    labelLayers(map, data.labels);
    var form = document.getElementById("map-filters");
    var controls = form ? Array.prototype.slice.call(form.querySelectorAll("[name]")) : [];
    var control = function (name) { return form.querySelector("[name='" + name + "']"); };
    function keep(s) {
      if (!form) { return true; }
      var j = control("jurisdiction").value, st = control("status").value;
      var now = control("now") ? control("now").value : "";
      var until = Number(control("until").value), undated = control("undated").checked;
      return (!j || s.jurisdiction === j) && (!st || s.status === st) && (!now || s.now === now) &&
        (s.year === null ? undated : s.year <= until);
    }
    var layers = stationLayers(map, data, root, keep);
    var params = hashParams();
    controls.forEach(function (c) {
      if (params.has(c.name)) {
        if (c.type === "checkbox") { c.checked = params.get(c.name) !== "no"; } else { c.value = params.get(c.name); }
      }
    });
    var count = document.getElementById("map-count");
    var untilLabel = document.getElementById("map-until-label");
    function apply(save) {
      var shown = layers.draw();
      var total = data.stations.length;
      if (untilLabel) { untilLabel.textContent = control("until").value; }
      if (count) { count.textContent = shown + " of " + total + " located stations shown"; }
      if (save) {
        var p = hashParams();
        controls.forEach(function (c) {
          var value = c.type === "checkbox" ? (c.checked ? "" : "no") : c.value;
          if (c.name === "until" && Number(c.value) === Number(c.max)) { value = ""; }
          setHashParam(p, c.name, value);
        });
        writeHash(p);
      }
    }
    controls.forEach(function (c) {
      c.addEventListener("input", function () { apply(true); });
      c.addEventListener("change", function () { apply(true); });
    });
    if (form) { form.addEventListener("submit", function (event) { event.preventDefault(); }); }
    apply(false);
    keepView(map, "view");
  }

  function countryMap() {
    var element = document.getElementById("map-countries");
    var data = readData("map-countries-data");
    if (!element || !data || !window.L || !window.LONGARM_COUNTRIES) { return; }
    var root = element.getAttribute("data-root") || "";
    var map = baseMap(element);
    map.fitBounds([[-50, -150], [72, 165]]);
    outlines(map, function (feature) {
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
      layer.on("click", function () { go(root, entry.href); });
    }).update();
  }

  // The bounds of a country's largest polygon: France without French Guiana, the US without Alaska.
  function mainBounds(code) {
    var feature = (window.LONGARM_COUNTRIES.features || []).filter(function (f) { return f.id === code; })[0];
    if (!feature) { return null; }
    var best = null, bestArea = -1;
    feature.geometry.coordinates.forEach(function (polygon) {
      var b = L.latLngBounds(polygon[0].map(function (p) { return [p[1], p[0]]; }));
      var area = (b.getNorth() - b.getSouth()) * (b.getEast() - b.getWest());
      if (area > bestArea) { best = b; bestArea = area; }
    });
    return best;
  }

  // The small map on a station or country page: the country, outlined finely, and its stations.
  function localMap() {
    var element = document.getElementById("map-local");
    var data = readData("map-local-data");
    if (!element || !data || !window.L || !window.LONGARM_COUNTRIES) { return; }
    var root = element.getAttribute("data-root") || "";
    var map = baseMap(element);
    var bounds = mainBounds(data.country);
    var focus = element.getAttribute("data-focus");
    var station = data.stations.filter(function (s) { return s.id === focus; })[0];
    if (station) {
      map.setView([station.lat, station.lon], 7);
    } else if (bounds) {
      map.fitBounds(bounds, { padding: [12, 12], maxZoom: 7 });
    } else {
      map.fitBounds([[-50, -150], [72, 165]]);
    }
    outlines(map, function (feature) {
      var here = feature.id === data.country;
      return { color: here ? "#0b5a8a" : "#ffffff", weight: here ? 1.5 : 0.7,
        fillColor: here ? "#b9c9d6" : "#dfe3e7", fillOpacity: 1, className: here ? "country-here" : "" };
    }).update();
    labelLayers(map, data.labels);
    stationLayers(map, data, root, function () { return true; }).draw();
  }

  // --- the state of a page's filters and sort order, kept in the URL's hash (reload and links keep it) ---
  function hashParams() { return new URLSearchParams(window.location.hash.slice(1)); }
  function setHashParam(params, key, value) {
    if (value === "" || value === null || value === undefined) { params.delete(key); } else { params.set(key, value); }
  }
  function writeHash(params) {
    var text = params.toString();
    history.replaceState(null, "", text ? "#" + text : window.location.pathname + window.location.search);
  }

  // --- lists: filters, sortable columns, downloads of the rows shown ---
  // A table with data-rows="ID" has one record per row (<script type="application/json" id=ID>,
  // each <tr data-i> its index); its filters form has data-for="TABLE-ID": a search box matches any
  // text of the row, a select matches the row's data-NAME attribute.
  function dataTable(table) {
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    var records = readData(table.getAttribute("data-rows")) || [];
    var form = document.querySelector("form[data-for='" + table.id + "']");
    var controls = form ? Array.prototype.slice.call(form.querySelectorAll("input[name], select[name]")) : [];
    var count = form ? form.querySelector(".filter-count") : null;
    var empty = document.getElementById(table.id + "-empty");
    var noun = table.getAttribute("data-noun") || "rows";
    var texts = rows.map(function (row) { return row.textContent.toLowerCase(); });
    var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
    var sort = { column: -1, descending: false };

    function applyFilters() {
      var shown = 0;
      rows.forEach(function (row, i) {
        var ok = controls.every(function (control) {
          var value = control.value;
          if (!value) { return true; }
          if (control.type === "search") {
            return value.toLowerCase().split(/\s+/).filter(Boolean).every(function (w) { return texts[i].indexOf(w) !== -1; });
          }
          return row.getAttribute("data-" + control.name) === value;
        });
        row.hidden = !ok;
        if (ok) { shown += 1; }
      });
      if (count) { count.textContent = shown + " of " + rows.length + " " + noun; }
      if (empty) { empty.hidden = shown !== 0; }
    }

    function sortKey(row, column) {
      var cell = row.cells[column];
      return cell ? (cell.getAttribute("data-sort") || cell.textContent.trim()) : "";
    }

    function applySort() {
      if (sort.column < 0) { return; }
      var numeric = rows.every(function (row) { var k = sortKey(row, sort.column); return k === "" || k === "—" || !isNaN(Number(k)); });
      var ordered = rows.slice().sort(function (a, b) {
        var x = sortKey(a, sort.column), y = sortKey(b, sort.column);
        var order = numeric ? (Number(x) || 0) - (Number(y) || 0) : x.localeCompare(y, undefined, { numeric: true });
        return (sort.descending ? -order : order) || Number(a.getAttribute("data-i")) - Number(b.getAttribute("data-i"));
      });
      ordered.forEach(function (row) { table.tBodies[0].appendChild(row); });
      headers.forEach(function (th, i) {
        th.setAttribute("aria-sort", i === sort.column ? (sort.descending ? "descending" : "ascending") : "none");
      });
    }

    function save() {
      var params = hashParams();
      controls.forEach(function (control) { setHashParam(params, control.name, control.value); });
      setHashParam(params, "sort", sort.column >= 0 ? headers[sort.column].getAttribute("data-key") : "");
      setHashParam(params, "order", sort.column >= 0 && sort.descending ? "desc" : "");
      writeHash(params);
    }

    // Restore the state a link or a reload carries, e.g. stations.html#country=IT&sort=opened&order=desc.
    var params = hashParams();
    controls.forEach(function (control) {
      if (params.has(control.name)) { control.value = params.get(control.name); }
      control.addEventListener("input", function () { applyFilters(); save(); });
      control.addEventListener("change", function () { applyFilters(); save(); });
    });
    headers.forEach(function (th, i) {
      if (!th.getAttribute("data-key")) { th.setAttribute("data-key", "c" + i); }
      if (th.getAttribute("data-key") === params.get("sort")) { sort = { column: i, descending: params.get("order") === "desc" }; }
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort";
      button.title = "Sort by this column";
      while (th.firstChild) { button.appendChild(th.firstChild); }
      th.appendChild(button);
      th.setAttribute("aria-sort", "none");
      button.addEventListener("click", function () {
        sort = { column: i, descending: sort.column === i && !sort.descending };
        applySort();
        save();
      });
    });
    if (form) { form.addEventListener("submit", function (event) { event.preventDefault(); }); }
    applyFilters();
    applySort();

    function shownRecords() {
      return rows.filter(function (row) { return !row.hidden; })
        .sort(function (a, b) { return a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1; })
        .map(function (row) { return records[Number(row.getAttribute("data-i"))]; });
    }
    var tools = document.querySelector(".downloads[data-for='" + table.id + "']");
    if (tools) {
      tools.addEventListener("click", function (event) {
        var format = event.target.getAttribute && event.target.getAttribute("data-format");
        if (format) { download(shownRecords(), format, tools.getAttribute("data-name") || "rows"); }
      });
    }
  }

  function csvCell(value) {
    if (value === null || value === undefined) { return ""; }
    var text = Array.isArray(value) ? value.join("; ") : typeof value === "object" ? JSON.stringify(value) : String(value);
    return /[",\r\n]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
  }

  // The rows shown, as a file made here in the browser: nothing is sent anywhere.
  function download(records, format, name) {
    var text, type;
    if (format === "csv") {
      var columns = records.length ? Object.keys(records[0]) : [];
      var lines = [columns.map(csvCell).join(",")].concat(records.map(function (r) {
        return columns.map(function (c) { return csvCell(r[c]); }).join(",");
      }));
      text = "\ufeff" + lines.join("\r\n") + "\r\n";  // the byte-order mark lets Excel read UTF-8
      type = "text/csv";
    } else if (format === "geojson") {
      text = JSON.stringify({
        type: "FeatureCollection",
        features: records.map(function (r) {
          var located = r.lat !== null && r.lat !== undefined && r.lon !== null && r.lon !== undefined;
          return { type: "Feature", id: r.id, properties: r,
            geometry: located ? { type: "Point", coordinates: [r.lon, r.lat] } : null };
        })
      }, null, 1);
      type = "application/geo+json";
    } else {
      text = JSON.stringify(records, null, 1);
      type = "application/json";
    }
    var link = document.createElement("a");
    link.href = URL.createObjectURL(new Blob([text], { type: type }));
    link.download = name + "." + format;
    document.body.appendChild(link);
    link.click();
    setTimeout(function () { URL.revokeObjectURL(link.href); link.remove(); }, 1000);
  }

  function eventFilter() {
    var form = document.getElementById("event-filters");
    if (!form) { return; }
    var boxes = Array.prototype.slice.call(form.querySelectorAll("input[type=checkbox]"));
    var records = readData("event-rows") || [];
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    function apply() {
      var shown = {};
      boxes.forEach(function (box) { shown[box.value] = box.checked; });
      document.querySelectorAll("#events .event").forEach(function (event) {
        var type = event.className.match(/type-([a-z-]+)/)[1];
        event.hidden = !shown[type];
      });
      document.querySelectorAll("#events h2.year").forEach(function (heading) {
        var next = heading.nextElementSibling, any = false;
        while (next && !next.matches("h2.year")) { any = any || !next.hidden; next = next.nextElementSibling; }
        heading.hidden = !any;
      });
    }
    var params = hashParams();
    var hidden = (params.get("hide") || "").split(",");
    boxes.forEach(function (box) {
      if (hidden.indexOf(box.value) !== -1) { box.checked = false; }
      box.addEventListener("change", function () {
        apply();
        var p = hashParams();
        setHashParam(p, "hide", boxes.filter(function (b) { return !b.checked; }).map(function (b) { return b.value; }).join(","));
        writeHash(p);
      });
    });
    apply();
    var tools = document.querySelector(".downloads[data-for='events']");
    if (tools) {
      tools.addEventListener("click", function (event) {
        var format = event.target.getAttribute && event.target.getAttribute("data-format");
        if (!format) { return; }
        var shown = {};
        boxes.forEach(function (box) { shown[box.value] = box.checked; });
        download(records.filter(function (r) { return shown[r.type]; }), format, "events");
      });
    }
  }

  stationMap();
  countryMap();
  localMap();
  document.querySelectorAll("table[data-rows]").forEach(dataTable);
  // A list that is not a table (the jurisdictions' tree): the download gives all its records.
  document.querySelectorAll(".downloads").forEach(function (tools) {
    var rows = tools.getAttribute("data-for");
    if (document.getElementById(rows) && document.getElementById(rows).tagName === "SCRIPT") {
      tools.addEventListener("click", function (event) {
        var format = event.target.getAttribute && event.target.getAttribute("data-format");
        if (format) { download(readData(rows) || [], format, tools.getAttribute("data-name") || "rows"); }
      });
    }
  });
  eventFilter();
}());
