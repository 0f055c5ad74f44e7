// culturegraph entity pages: a dashboard panel marked as a map or a network is drawn from its own named query
// (JSON) — the map with the query page's map code (results-views.js), the partners with the vendored
// vis-network; the table under it stays as it is. Labels go in as text (vis draws them on a canvas).
(function () {
  "use strict";
  // partners as a small network: the entity in the middle, each partner linked with the number of
  // editions, events and documents they share (the panel's own query, entity-partners)
  function partners(box) {
    fetch(box.getAttribute("data-query"), { headers: { "Accept": "application/sparql-results+json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data || !data.results || !window.vis) { return; }
        var centre = box.getAttribute("data-centre") || "";
        var nodes = [{ id: "centre", label: centre.length > 30 ? centre.slice(0, 29) + "…" : centre, size: 16,
                       color: "#D55E00", font: { size: 15 } }];
        var edges = [];
        data.results.bindings.forEach(function (b, i) {
          var name = (b.partnerLabel || b.partner).value, shared = Number(b.shared.value);
          nodes.push({ id: "p" + i, label: name.length > 28 ? name.slice(0, 27) + "…" : name, title: name + " (" + shared + ")",
                       size: 6 + 3 * Math.sqrt(shared), color: "#0b5cad" });
          edges.push({ from: "centre", to: "p" + i, value: shared, title: String(shared) });
        });
        new window.vis.Network(box, { nodes: nodes, edges: edges }, {
          layout: { randomSeed: 42 }, nodes: { shape: "dot", font: { size: 12 } },
          edges: { color: "#a3adb8", scaling: { min: 1, max: 6 } }, physics: { stabilization: { iterations: 150 } }
        });
      }).catch(function () { /* the table below says it all */ });
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll(".panel-network[data-query]"), partners);
    Array.prototype.forEach.call(document.querySelectorAll(".panel-map[data-query]"), function (box) {
      if (!window.cgResults) { return; }
      fetch(box.getAttribute("data-query"), { headers: { "Accept": "application/sparql-results+json" } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) {
          if (!data || !data.results) { return null; }
          var iris = [];
          data.results.bindings.forEach(function (b) {
            Object.keys(b).forEach(function (v) { if (b[v].type === "uri") { iris.push(b[v].value); } });
          });
          return fetch("/-/labels", {
            method: "POST", headers: { "Content-Type": "application/json", "Accept": "application/json" },
            body: JSON.stringify({ iris: iris, lang: box.getAttribute("data-lang") || "en" })
          }).then(function (r) { return r.json(); }).then(function (labels) {
            window.cgResults.draw("map", data, labels, box);
          });
        }).catch(function () { /* the table below says it all */ });
    });
  });
}());
