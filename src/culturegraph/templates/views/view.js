/* culturegraph network view. Every piece of data is written with textContent or DOM properties —
   never innerHTML — so a label that looks like markup is shown as text. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("cg-data").textContent);
  var ui = data.ui;
  var container = document.getElementById("cg-network");
  var tooltip = document.getElementById("cg-tooltip");
  var details = document.getElementById("cg-details");
  var byId = new Map();
  var started = performance.now();
  var state = { stable: false, stabilizedMs: null, year: null, only: false };

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    if (cls) { e.className = cls; }
    return e;
  }
  function sourceLink(i) {
    var s = data.sources[i];
    var title = s[1] || s[0];
    if (/^https?:\/\//i.test(s[0])) {
      var a = el("a", title);
      a.href = s[0];
      a.rel = "noopener noreferrer";
      a.target = "_blank";
      return a;
    }
    return el("span", title);
  }
  function yearsText(item) {
    return item.years && item.years.length ? item.years.join(", ") : "";
  }
  function nodeLabel(id) {
    var n = byId.get(id);
    return n ? n.label : id;
  }

  /* ---------------------------------------------------------------- tooltips and details */
  function describeNode(n, full) {
    var f = document.createDocumentFragment();
    f.appendChild(el(full ? "h3" : "strong", n.label));
    f.appendChild(el("div", n.typeLabel, "cg-type"));
    var rows = [];
    if (n.years.length) { rows.push([ui.years, yearsText(n)]); }
    if (n.start) { rows.push([ui.dates, n.end && n.end !== n.start ? n.start + " – " + n.end : n.start]); }
    rows.push([ui.connections, String(n.degree)]);
    if (full && n.rid) { rows.push([ui.identifier, n.rid]); }
    if (full && n.members) { rows.push([ui.members, n.members.join(" · ")]); }
    f.appendChild(table(rows));
    appendSources(f, n.sources, full);
    return f;
  }
  function describeEdge(e, full) {
    var f = document.createDocumentFragment();
    f.appendChild(el(full ? "h3" : "strong", nodeLabel(e.from) + " — " + nodeLabel(e.to)));
    f.appendChild(el("div", e.relations.join(", "), "cg-type"));
    var rows = [[ui.weight, String(e.weight)]];
    if (e.years.length) { rows.push([ui.years, yearsText(e)]); }
    f.appendChild(table(rows));
    list(f, ui.shared_events, e.events, full ? 50 : 6);
    list(f, ui.shared_sessions, e.sessions, full ? 50 : 4);
    if (full) { list(f, ui.statements, e.statements, 50); }
    appendSources(f, e.sources, full);
    return f;
  }
  function table(rows) {
    var dl = el("dl");
    rows.forEach(function (r) { dl.appendChild(el("dt", r[0])); dl.appendChild(el("dd", r[1])); });
    return dl;
  }
  function list(parent, heading, items, max) {
    if (!items || !items.length) { return; }
    parent.appendChild(el("div", heading, "cg-type"));
    var ul = el("ul");
    items.slice(0, max).forEach(function (t) { ul.appendChild(el("li", t)); });
    if (items.length > max) { ul.appendChild(el("li", ui.more.replace("{n}", items.length - max))); }
    parent.appendChild(ul);
  }
  function appendSources(parent, sources, full) {
    if (!sources || !sources.length) { return; }
    parent.appendChild(el("div", ui.sources + " (" + sources.length + ")", "cg-type"));
    var ul = el("ul");
    var max = full ? sources.length : 3;
    sources.slice(0, max).forEach(function (i) {
      var li = el("li");
      li.appendChild(full ? sourceLink(i) : el("span", data.sources[i][1] || data.sources[i][0]));
      ul.appendChild(li);
    });
    if (sources.length > max) { ul.appendChild(el("li", ui.more.replace("{n}", sources.length - max))); }
    parent.appendChild(ul);
  }
  function showTooltip(content, pointer) {
    tooltip.replaceChildren(content);
    tooltip.hidden = false;
    var box = container.getBoundingClientRect();
    var x = box.left + window.scrollX + pointer.x + 14;
    var y = box.top + window.scrollY + pointer.y + 14;
    tooltip.style.left = Math.max(0, Math.min(x, window.innerWidth - tooltip.offsetWidth - 8)) + "px";
    tooltip.style.top = Math.max(0, Math.min(y, window.innerHeight - tooltip.offsetHeight - 8)) + "px";
  }
  function hideTooltip() { tooltip.hidden = true; tooltip.replaceChildren(); }
  function showDetails(content) {
    var h = el("h2", ui.details);
    details.replaceChildren(h, content);
  }

  /* ---------------------------------------------------------------- the network */
  data.nodes.forEach(function (n) { byId.set(n.id, n); });
  var nodes = new vis.DataSet(data.nodes.map(function (n) {
    var node = {
      id: n.id, label: n.short, shape: n.shape, value: n.value, x: n.x, y: n.y,
      color: { background: n.color, border: n.center ? "#000000" : "#2b333b",
               highlight: { background: n.color, border: "#000000" }, hover: { background: n.color, border: "#000000" } },
      borderWidth: n.center ? 4 : 1
    };
    if (n.font) { node.font = n.font; }
    if (n.fixedFont) {  /* a grid's row names (above their row's node) and years: readable at the first zoom */
      node.scaling = { label: { enabled: false } };
      if (!n.axis) { delete node.value; node.size = 12; node.font = { size: 30, vadjust: -62 }; }
    }
    if (n.axis) { node.chosen = false; }
    if (n.readable) {  /* the biggest nodes and an ego view's centre: named even when zoomed out */
      node.scaling = { label: { enabled: true, min: 18, max: 28, drawThreshold: 3, maxVisible: 40 } };
    }
    return node;
  }));
  var edges = new vis.DataSet(data.edges.map(function (e, i) {
    return { id: i, from: e.from, to: e.to, label: e.label, value: e.weight,
             color: { color: e.color, highlight: "#1d232a", hover: "#1d232a" } };
  }));
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, data.options);

  function markStable() {
    if (state.stable) { return; }
    network.setOptions({ physics: { enabled: false } });
    network.fit({ animation: false, maxZoomLevel: 1.6 });
    state.stable = true;
    state.stabilizedMs = performance.now() - started;
    document.body.setAttribute("data-stable", "1");
  }
  network.once("stabilizationIterationsDone", markStable);
  if (data.nodes.length < 2 || !data.options.physics.enabled) { markStable(); }

  network.on("hoverNode", function (p) { showTooltip(describeNode(byId.get(p.node), false), p.pointer.DOM); });
  network.on("blurNode", hideTooltip);
  network.on("hoverEdge", function (p) { showTooltip(describeEdge(data.edges[p.edge], false), p.pointer.DOM); });
  network.on("blurEdge", hideTooltip);
  network.on("dragStart", hideTooltip);
  network.on("click", function (p) {
    if (p.nodes.length) { showDetails(describeNode(byId.get(p.nodes[0]), true)); }
    else if (p.edges.length) { showDetails(describeEdge(data.edges[p.edges[0]], true)); }
  });

  /* ---------------------------------------------------------------- search */
  var datalist = document.getElementById("cg-labels");
  var seen = new Set();
  data.nodes.forEach(function (n) {
    if (seen.has(n.label)) { return; }
    seen.add(n.label);
    var o = document.createElement("option");
    o.value = n.label;
    datalist.appendChild(o);
  });
  var search = document.getElementById("cg-search");
  var status = document.getElementById("cg-search-status");
  function runSearch() {
    var q = search.value.trim().toLowerCase();
    if (!q) { status.textContent = ""; network.unselectAll(); return; }
    var hits = data.nodes.filter(function (n) {
      return !nodes.get(n.id).hidden && (n.label.toLowerCase().indexOf(q) >= 0 || n.rid.toLowerCase().indexOf(q) >= 0);
    });
    status.textContent = hits.length ? ui.matches.replace("{n}", hits.length) : ui.no_match;
    if (!hits.length) { network.unselectAll(); return; }
    network.selectNodes(hits.map(function (n) { return n.id; }));
    network.focus(hits[0].id, { scale: 1.4, animation: false });
    showDetails(describeNode(hits[0], true));
  }
  search.addEventListener("change", runSearch);
  search.addEventListener("keydown", function (ev) { if (ev.key === "Enter") { runSearch(); } });

  /* ---------------------------------------------------------------- time slider */
  function visibleIn(item, year, only) {
    if (year === null || !item.years.length) { return true; }
    return only ? item.years.indexOf(year) >= 0 : item.years[0] <= year;
  }
  function setYear(index, only) {
    var year = index >= data.years.length ? null : data.years[index];
    state.year = year;
    state.only = !!only;
    var nodeChanges = [];
    var shown = new Set();
    data.nodes.forEach(function (n) {
      var vis = visibleIn(n, year, only);
      if (vis) { shown.add(n.id); }
      if (!!nodes.get(n.id).hidden === vis) { nodeChanges.push({ id: n.id, hidden: !vis }); }
    });
    var edgeChanges = [];
    data.edges.forEach(function (e, i) {
      var vis = shown.has(e.from) && shown.has(e.to) && visibleIn(e, year, only);
      if (!!edges.get(i).hidden === vis) { edgeChanges.push({ id: i, hidden: !vis }); }
    });
    nodes.update(nodeChanges);
    edges.update(edgeChanges);
    /* the legend counts what the slider shows: nodes per class, lines per colour (relation) */
    var perType = {}, perLine = {};
    data.nodes.forEach(function (n) { if (shown.has(n.id)) { perType[n.type] = (perType[n.type] || 0) + 1; } });
    data.edges.forEach(function (e, i) {
      if (!edges.get(i).hidden) { perLine[e.color] = (perLine[e.color] || 0) + 1; }
    });
    document.querySelectorAll("#cg-legend li[data-type]").forEach(function (li) {
      li.querySelector(".cg-count").textContent = String(perType[li.getAttribute("data-type")] || 0);
    });
    document.querySelectorAll("#cg-legend li[data-line]").forEach(function (li) {
      li.querySelector(".cg-count").textContent = String(perLine[li.getAttribute("data-line")] || 0);
    });
    var label = document.getElementById("cg-year-label");
    if (label) { label.textContent = year === null ? ui.all_years : (only ? String(year) : ui.up_to.replace("{y}", year)); }
    return shown.size;
  }
  var slider = document.getElementById("cg-year");
  var onlyBox = document.getElementById("cg-only");
  if (slider) {
    var update = function () { setYear(Number(slider.value), onlyBox && onlyBox.checked); };
    slider.addEventListener("input", update);
    if (onlyBox) { onlyBox.addEventListener("change", update); }
  }

  window.cgView = {
    data: data, network: network, nodes: nodes, edges: edges, state: state,
    nodeCount: data.nodes.length, edgeCount: data.edges.length,
    visibleNodeCount: function () { return nodes.get({ filter: function (n) { return !n.hidden; } }).length; },
    visibleEdgeCount: function () { return edges.get({ filter: function (e) { return !e.hidden; } }).length; },
    setYear: setYear
  };
}());
