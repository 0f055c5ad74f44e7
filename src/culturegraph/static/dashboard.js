// culturegraph entity pages: a dashboard panel marked as a map is drawn from its own named query (JSON) with
// the query page's map code (results-views.js); the table under it stays as it is.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
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
