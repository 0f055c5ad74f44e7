// culturegraph query page: a SELECT result drawn as a bar chart, a timeline, a map or a graph (issue 28).
// The bar chart and the timeline are hand-written SVG, not a charting library: they are two simple shapes,
// and SVG is what the page offers for download as it is (and, drawn on a canvas, as PNG). The graph uses the
// vis-network copy the views already vendor. Every text goes in with textContent: labels stay text.
(function () {
  "use strict";
  var SVG = "http://www.w3.org/2000/svg";

  function svgEl(tag, attrs, text) {
    var e = document.createElementNS(SVG, tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined && text !== null) { e.textContent = text; }
    return e;
  }
  function shown(term, labels) {
    if (!term) { return ""; }
    if (term.type === "uri") { return labels[term.value] ? labels[term.value].label : term.value; }
    return term.value;
  }
  function numeric(term) {
    return term && term.type === "literal" && term.value !== "" && !isNaN(Number(term.value));
  }
  // the column to name things by: a *Label column, else the first IRI or text column
  function nameColumn(vars, rows) {
    var label = vars.filter(function (v) { return /Label$/.test(v); })[0];
    if (label) { return label; }
    return vars.filter(function (v) { return rows.some(function (b) { return b[v] && !numeric(b[v]); }); })[0];
  }
  function yearOf(term) {
    var m = term && /^(-?\d{4})/.exec(term.value);
    return m ? Number(m[1]) : null;
  }

  // the rows' places that have coordinates (from /-/labels): [{iri, label, lat, long, count}]
  // (a dot's size: the row's first number, e.g. ?programmes, else how many rows name the place)
  function places(data, labels) {
    var vars = data.head.vars || [], found = new Map(), rows = data.results.bindings;
    var num = vars.filter(function (v) { return rows.some(function (b) { return numeric(b[v]); }); })[0];
    rows.forEach(function (b) {
      vars.forEach(function (v) {
        var t = b[v], info = t && t.type === "uri" ? labels[t.value] : null;
        if (info && typeof info.lat === "number") {
          var p = found.get(t.value) || { iri: t.value, label: info.label, lat: info.lat, long: info.long, count: 0 };
          p.count = num ? Math.max(p.count, numeric(b[num]) ? Number(b[num].value) : 0) : p.count + 1;
          found.set(t.value, p);
        }
      });
    });
    return Array.from(found.values());
  }

  // which kinds a result can be drawn as
  function kinds(data, labels) {
    var vars = data.head.vars || [], rows = data.results.bindings, out = ["table"];
    if (!rows.length) { return out; }
    var num = vars.filter(function (v) { return rows.every(function (b) { return !b[v] || numeric(b[v]); }) &&
                                                rows.some(function (b) { return numeric(b[v]); }); });
    if (num.length && nameColumn(vars, rows)) { out.push("bar"); }
    if (vars.some(function (v) { return rows.some(function (b) { return yearOf(b[v]) !== null &&
                                                               (/year|start|date/i.test(v)); }); })) {
      out.push("timeline");
    }
    var iris = vars.filter(function (v) { return rows.some(function (b) { return b[v] && b[v].type === "uri"; }); });
    if (iris.length >= 2) { out.push("graph"); }
    if (labels && places(data, labels).length) { out.push("map"); }
    return out;
  }

  // An equirectangular map of the rows' places on the vendored Natural Earth outlines (world-atlas); the
  // projection is written here, four lines, for a region this small.
  var world = null;
  function map(data, labels, box) {
    var pts = places(data, labels);
    var lats = pts.map(function (p) { return p.lat; }), longs = pts.map(function (p) { return p.long; });
    var south = Math.min.apply(null, lats) - 4, north = Math.max.apply(null, lats) + 4;
    var west = Math.min.apply(null, longs) - 6, east = Math.max.apply(null, longs) + 6;
    var k = Math.cos((north + south) / 2 * Math.PI / 180), width = 760;
    var height = Math.max(260, Math.round(width * (north - south) / ((east - west) * k)));
    function xy(long, lat) { return [(long - west) / (east - west) * width, (north - lat) / (north - south) * height]; }
    var svg = svgEl("svg", { xmlns: SVG, viewBox: "0 0 " + width + " " + height, width: "100%", role: "img",
                             "aria-label": "map of " + pts.length + " places", "font-family": "sans-serif",
                             "font-size": "11" });
    svg.appendChild(svgEl("rect", { x: 0, y: 0, width: width, height: height, fill: "#f3f7fb" }));
    var land = svgEl("g", { fill: "#e4e8ee", stroke: "#b9c2cd", "stroke-width": "0.6" });
    svg.appendChild(land);
    var maxCount = Math.max.apply(null, pts.map(function (p) { return p.count; })) || 1;
    pts.sort(function (a, b) { return b.count - a.count; }).forEach(function (p) {
      var c = xy(p.long, p.lat), r = 4 + 10 * Math.sqrt(p.count / maxCount);
      var dot = svgEl("circle", { cx: c[0], cy: c[1], r: r, fill: "#D55E00", "fill-opacity": "0.75", stroke: "#ffffff" });
      dot.appendChild(svgEl("title", {}, p.label + " (" + p.count + ")"));
      svg.appendChild(dot);
      svg.appendChild(svgEl("text", { x: c[0] + r + 2, y: c[1] + 4, fill: "#1d232a", stroke: "#ffffff",
                                      "stroke-width": "3", "paint-order": "stroke" }, p.label));
    });
    function outline(geometry) {
      var polys = geometry.type === "Polygon" ? [geometry.coordinates] : geometry.coordinates;
      var d = "";
      polys.forEach(function (poly) {
        poly.forEach(function (ring) {
          ring.forEach(function (pt, i) { var c = xy(pt[0], pt[1]); d += (i ? "L" : "M") + c[0].toFixed(1) + " " + c[1].toFixed(1); });
          d += "Z";
        });
      });
      return d;
    }
    function drawLand() {
      var shapes = window.topojson.feature(world, world.objects.countries).features;
      shapes.forEach(function (f) {
        if (!f.geometry) { return; }
        var path = svgEl("path", { d: outline(f.geometry) });
        path.appendChild(svgEl("title", {}, f.properties && f.properties.name || ""));
        land.appendChild(path);
      });
    }
    if (world) { drawLand(); }
    else if (window.topojson) {
      fetch("/static/vendor/world-atlas/countries-110m.json").then(function (r) { return r.json(); })
        .then(function (json) { world = json; drawLand(); }).catch(function () { /* dots without outlines */ });
    }
    svg.appendChild(svgEl("text", { x: 6, y: height - 6, fill: "#46515c", "font-size": "9" },
                          "Natural Earth outlines; coordinates: GeoNames"));
    return svg;
  }

  function bar(data, labels) {
    var vars = data.head.vars, rows = data.results.bindings.slice(0, 60);
    var name = nameColumn(vars, rows);
    var value = vars.filter(function (v) { return v !== name && rows.some(function (b) { return numeric(b[v]); }); })[0];
    var max = Math.max.apply(null, rows.map(function (b) { return numeric(b[value]) ? Number(b[value].value) : 0; })) || 1;
    var rowH = 22, left = 260, width = 760, height = rows.length * rowH + 40;
    var svg = svgEl("svg", { xmlns: SVG, viewBox: "0 0 " + width + " " + height, width: "100%", role: "img",
                             "aria-label": value + " by " + name, "font-family": "sans-serif", "font-size": "12" });
    svg.appendChild(svgEl("rect", { x: 0, y: 0, width: width, height: height, fill: "#ffffff" }));
    svg.appendChild(svgEl("text", { x: left, y: 16, fill: "#46515c" }, value));
    rows.forEach(function (b, i) {
      var y = 28 + i * rowH, v = numeric(b[value]) ? Number(b[value].value) : 0;
      var w = Math.max(1, (width - left - 60) * v / max);
      var text = shown(b[name], labels);
      svg.appendChild(svgEl("text", { x: left - 8, y: y + 14, "text-anchor": "end", fill: "#1d232a" },
                            text.length > 40 ? text.slice(0, 39) + "…" : text));
      svg.appendChild(svgEl("rect", { x: left, y: y + 3, width: w, height: rowH - 6, fill: "#0b5cad" }));
      svg.appendChild(svgEl("text", { x: left + w + 6, y: y + 14, fill: "#1d232a" }, String(v)));
    });
    return svg;
  }

  function timeline(data, labels) {
    var vars = data.head.vars, rows = data.results.bindings;
    var yearVar = vars.filter(function (v) { return /year|start|date/i.test(v) &&
                                                  rows.some(function (b) { return yearOf(b[v]) !== null; }); })[0];
    var name = nameColumn(vars.filter(function (v) { return v !== yearVar; }), rows);
    var items = rows.map(function (b) { return { year: yearOf(b[yearVar]), text: shown(b[name], labels) }; })
                    .filter(function (x) { return x.year !== null; });
    var years = items.map(function (x) { return x.year; });
    var lo = Math.min.apply(null, years), hi = Math.max.apply(null, years);
    var col = 64, left = 40, perYear = {};
    items.forEach(function (x) { perYear[x.year] = (perYear[x.year] || 0) + 1; });
    var depth = Math.max.apply(null, Object.keys(perYear).map(function (k) { return perYear[k]; }));
    var width = left * 2 + (hi - lo + 1) * col, height = 60 + Math.min(depth, 40) * 18;
    var svg = svgEl("svg", { xmlns: SVG, viewBox: "0 0 " + width + " " + height, width: "100%", role: "img",
                             "aria-label": name + " by " + yearVar, "font-family": "sans-serif", "font-size": "10" });
    svg.appendChild(svgEl("rect", { x: 0, y: 0, width: width, height: height, fill: "#ffffff" }));
    for (var y = lo; y <= hi; y++) {
      var x = left + (y - lo) * col;
      svg.appendChild(svgEl("line", { x1: x, y1: 28, x2: x, y2: height - 6, stroke: "#e3e7ed" }));
      svg.appendChild(svgEl("text", { x: x + 2, y: 20, fill: "#46515c", "font-size": "11" }, String(y)));
    }
    var used = {};
    items.forEach(function (it) {
      var k = used[it.year] || 0;
      used[it.year] = k + 1;
      if (k >= 40) { return; }
      var x = left + (it.year - lo) * col, yy = 40 + k * 18;
      var dot = svgEl("circle", { cx: x + 6, cy: yy, r: 4, fill: "#D55E00" });
      dot.appendChild(svgEl("title", {}, it.year + ": " + it.text));
      svg.appendChild(dot);
      svg.appendChild(svgEl("text", { x: x + 13, y: yy + 3, fill: "#1d232a" },
                            it.text.length > 9 ? it.text.slice(0, 8) + "…" : it.text));
    });
    return svg;
  }

  function graph(data, labels, box) {
    var vars = data.head.vars, rows = data.results.bindings.slice(0, 2000);
    var iris = vars.filter(function (v) { return rows.some(function (b) { return b[v] && b[v].type === "uri"; }); });
    var from = iris[0], to = iris[1], nodes = new Map(), edges = [];
    rows.forEach(function (b) {
      if (!b[from] || !b[to] || b[from].type !== "uri" || b[to].type !== "uri") { return; }
      [b[from], b[to]].forEach(function (t) { nodes.set(t.value, shown(t, labels)); });
      edges.push({ from: b[from].value, to: b[to].value });
    });
    var div = document.createElement("div");
    div.className = "result-graph";
    box.appendChild(div);
    if (!window.vis) { div.textContent = "vis-network did not load"; return null; }
    var network = new window.vis.Network(div, {
      nodes: Array.from(nodes, function (kv) { return { id: kv[0], label: kv[1].length > 30 ? kv[1].slice(0, 29) + "…" : kv[1], title: kv[1] }; }),
      edges: edges
    }, { physics: { stabilization: { iterations: 200 } }, nodes: { shape: "dot", size: 8, font: { size: 12 } },
         edges: { color: "#a3adb8" }, layout: { randomSeed: 42 } });
    pngButton(network, box);
    return null;
  }

  // A graph result (N-Triples, one statement per line) as a network: the statements whose object is an IRI,
  // each edge named by the tail of its predicate. Literals stay in the text below.
  var NT = /^<([^>]*)>\s+<([^>]*)>\s+<([^>]*)>\s*\.\s*$/;
  function triples(text, box) {
    var nodes = new Map(), edges = [];
    text.split("\n").slice(0, 5000).forEach(function (line) {
      var m = NT.exec(line);
      if (!m || /#type$/.test(m[2])) { return; }
      [m[1], m[3]].forEach(function (iri) { nodes.set(iri, iri.replace(/\/$/, "").split(/[\/#]/).pop()); });
      edges.push({ from: m[1], to: m[3], label: m[2].split(/[\/#]/).pop(), arrows: "to" });
    });
    if (!edges.length || !window.vis) { return; }
    var div = document.createElement("div");
    div.className = "result-graph";
    box.appendChild(div);
    var network = new window.vis.Network(div, {
      nodes: Array.from(nodes, function (kv) { return { id: kv[0], label: kv[1], title: kv[0] }; }), edges: edges
    }, { physics: { stabilization: { iterations: 200 } }, nodes: { shape: "dot", size: 8, font: { size: 12 } },
         edges: { color: "#a3adb8", font: { size: 9 } }, layout: { randomSeed: 42 } });
    pngButton(network, box);
  }

  // a drawn network downloads as PNG from its canvas
  function pngButton(network, box) {
    var p = document.createElement("p");
    p.className = "chart-downloads";
    var b = document.createElement("button");
    b.type = "button";
    b.textContent = "PNG";
    b.addEventListener("click", function () {
      var canvas = network.canvas.frame.canvas;
      canvas.toBlob(function (blob) { download("graph.png", blob); }, "image/png");
    });
    p.appendChild(document.createTextNode("download graph: "));
    p.appendChild(b);
    box.appendChild(p);
  }

  function download(name, blob) {
    var a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = name;
    document.body.appendChild(a);
    a.click();
    setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 0);
  }
  function svgDownloads(svg, box) {
    var p = document.createElement("p");
    p.className = "chart-downloads";
    var text = new XMLSerializer().serializeToString(svg);
    var asSvg = document.createElement("button");
    asSvg.type = "button";
    asSvg.textContent = "SVG";
    asSvg.addEventListener("click", function () { download("chart.svg", new Blob([text], { type: "image/svg+xml" })); });
    var asPng = document.createElement("button");
    asPng.type = "button";
    asPng.textContent = "PNG";
    asPng.addEventListener("click", function () {
      var vb = svg.viewBox.baseVal, img = new Image(), canvas = document.createElement("canvas");
      canvas.width = vb.width * 2; canvas.height = vb.height * 2;
      img.onload = function () {
        canvas.getContext("2d").drawImage(img, 0, 0, canvas.width, canvas.height);
        canvas.toBlob(function (b) { download("chart.png", b); }, "image/png");
      };
      img.src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(text);
    });
    p.appendChild(document.createTextNode("download chart: "));
    p.appendChild(asSvg);
    p.appendChild(asPng);
    box.appendChild(p);
  }

  function draw(kind, data, labels, box) {
    var svg = kind === "bar" ? bar(data, labels) : kind === "timeline" ? timeline(data, labels)
            : kind === "map" ? map(data, labels, box) : null;
    if (kind === "graph") { return graph(data, labels, box); }
    if (!svg) { return null; }
    var wrap = document.createElement("div");
    wrap.className = "result-chart";
    wrap.appendChild(svg);
    box.appendChild(wrap);
    svgDownloads(svg, box);
    return svg;
  }

  window.cgResults = { kinds: kinds, draw: draw, triples: triples };
}());
