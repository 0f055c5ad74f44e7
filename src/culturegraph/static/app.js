// culturegraph query page: runs the editor's query against /sparql and draws the results table.
// Every value is inserted with textContent (never innerHTML), so labels and literals stay text.
(function () {
  "use strict";
  var editor = null;
  var lastResult = null;
  var named = null;  // {name, sparql, params, view} while the editor holds an unedited named query
  var chosenView = null;  // what the user picked in "show as" (else the named query's view hint)

  function $(id) { return document.getElementById(id); }
  // the page's own words in its language (index.html puts them in a JSON block; English when absent)
  var UI = { running: "Running…", rows_in: "{n} rows in {ms} ms", row_in: "{n} row in {ms} ms", show_as: "show as ",
             table_only: "table only" };
  try { Object.assign(UI, JSON.parse(document.getElementById("ui-strings").textContent)); } catch (e) { /* English */ }
  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined && text !== null) { e.textContent = text; }
    return e;
  }
  function queryText() { return editor ? editor.getValue() : $("query").value; }
  function setQuery(text) { if (editor) { editor.setValue(text); } else { $("query").value = text; } }
  function lang() { return $("lang").value; }

  function paramValues() {
    var out = {};
    Array.prototype.forEach.call(document.querySelectorAll("#params-fields input"), function (i) {
      out[i.getAttribute("name")] = i.value;
    });
    return out;
  }

  // What to request: a named query by name with its parameters, or the editor text as plain SPARQL.
  function target(extra, forLang) {
    var p;
    if (named && queryText() === named.sparql) {
      p = new URLSearchParams(paramValues());
      p.set("lang", forLang || lang());
      Object.keys(extra || {}).forEach(function (k) { p.set(k, extra[k]); });
      return { path: "/queries/" + encodeURIComponent(named.name), params: p,
               page: "/?" + new URLSearchParams(Object.assign({ name: named.name }, paramValues(), { lang: forLang || lang() })).toString() };
    }
    p = new URLSearchParams(Object.assign({ query: queryText() }, extra || {}));
    return { path: "/sparql", params: p,
             page: "/?" + new URLSearchParams({ query: queryText(), lang: forLang || lang() }).toString() };
  }

  function updateLinks() {
    if (named && queryText() !== named.sparql) { showParams(null); }
    var permalink = target().page;
    $("permalink").setAttribute("href", permalink);
    Array.prototype.forEach.call(document.querySelectorAll("a.download"), function (a) {
      var t = target({ format: a.getAttribute("data-format"), download: "1" });
      a.setAttribute("href", t.path + "?" + t.params.toString());
    });
    Array.prototype.forEach.call(document.querySelectorAll(".langs a[data-lang]"), function (a) {
      a.setAttribute("href", target(null, a.getAttribute("data-lang")).page);
    });
    return permalink;
  }

  function showParams(example, values) {
    named = example;
    var box = $("params"), fields = $("params-fields");
    fields.textContent = "";
    var shown = example ? example.params.filter(function (p) { return p.type !== "lang"; }) : [];
    box.hidden = !shown.length;
    if (!example) { return; }
    $("params-name").textContent = example.name;
    shown.forEach(function (p) {
      var label = el("label", { "class": "param" });
      label.appendChild(el("span", {}, p.name + " (" + p.type + ")"));
      var input = el("input", { name: p.name, type: "text", title: p.help || "" });
      input.value = (values && values[p.name]) || p.default || "";
      input.addEventListener("input", updateLinks);
      label.appendChild(input);
      if (p.help) { label.appendChild(el("small", { "class": "muted" }, p.help)); }
      fields.appendChild(label);
    });
  }

  function status(text, cls) {
    var s = $("status");
    s.textContent = text;
    s.className = cls || "";
  }

  function fetchLabels(iris) {
    if (!iris.length) { return Promise.resolve({}); }
    return fetch("/-/labels", {
      method: "POST",
      headers: { "Content-Type": "application/json", "Accept": "application/json" },
      body: JSON.stringify({ iris: iris, lang: lang() })
    }).then(function (r) { return r.ok ? r.json() : {}; }).catch(function () { return {}; });
  }

  function cell(term, labels) {
    var td = el("td");
    if (!term) { return td; }
    if (term.type === "uri") {
      var info = labels[term.value];
      var text = info ? info.label : term.value;
      var href = info ? info.href : null;
      var node = href ? el("a", { href: href.charAt(0) === "/" ? href + "?lang=" + encodeURIComponent(lang()) : href, title: term.value }, text)
                      : el("span", { title: term.value }, text);
      td.appendChild(node);
    } else if (term.type === "bnode") {
      td.appendChild(el("span", { "class": "bnode" }, "_:" + term.value));
    } else {
      td.appendChild(el("span", { "class": "literal" }, term.value));
      if (term["xml:lang"]) { td.appendChild(el("span", { "class": "tag" }, "@" + term["xml:lang"])); }
    }
    return td;
  }

  function drawTable(data, truncated, rows) {
    var out = $("results");
    out.textContent = "";
    var vars = data.head.vars || [];
    var bindings = data.results.bindings;
    var iris = [];
    bindings.forEach(function (b) {
      vars.forEach(function (v) { if (b[v] && b[v].type === "uri") { iris.push(b[v].value); } });
    });
    return fetchLabels(Array.from(new Set(iris))).then(function (labels) {
      out.textContent = "";
      if (truncated) {
        out.appendChild(el("p", { "class": "notice truncated" },
          "Only the first " + rows + " rows are shown: the result was cut at the row limit (" + truncated + "). Add LIMIT/OFFSET or download a narrower query."));
      }
      var table = el("table", { "class": "results" });
      var thead = el("thead"); var tr = el("tr");
      vars.forEach(function (v) { tr.appendChild(el("th", {}, v)); });
      thead.appendChild(tr); table.appendChild(thead);
      var tbody = el("tbody");
      bindings.forEach(function (b) {
        var row = el("tr");
        vars.forEach(function (v) { row.appendChild(cell(b[v], labels)); });
        tbody.appendChild(row);
      });
      table.appendChild(tbody);
      // a chart above the table: the named query's view hint, or what the user picks (results-views.js)
      var avail = window.cgResults ? window.cgResults.kinds(data, labels) : ["table"];
      if (avail.length > 1) {
        var want = chosenView || (named && named.view) || "table";
        if (avail.indexOf(want) < 0) { want = "table"; }
        var choice = el("p", { "class": "view-choice" });
        var sel = el("select", { id: "view-kind", "aria-label": "show the result as" });
        avail.forEach(function (k) { sel.appendChild(el("option", { value: k }, k === "table" ? UI.table_only : k)); });
        sel.value = want;
        choice.appendChild(el("label", { "for": "view-kind" }, UI.show_as));
        choice.appendChild(sel);
        out.appendChild(choice);
        var holder = el("div", { id: "result-view" });
        out.appendChild(holder);
        var show = function (k) { holder.textContent = ""; if (k !== "table") { window.cgResults.draw(k, data, labels, holder); } };
        sel.addEventListener("change", function () { chosenView = sel.value; show(sel.value); });
        show(want);
      }
      out.appendChild(table);
    });
  }

  function run() {
    var permalink = updateLinks();
    var t = target();
    if (window.history && window.history.replaceState) { window.history.replaceState(null, "", permalink); }
    status(UI.running, "running");
    $("results").textContent = "";
    var started = performance.now();
    var accept = "application/sparql-results+json, application/n-triples;q=0.9, text/turtle;q=0.8";
    var req = t.path === "/sparql"
      ? fetch("/sparql", { method: "POST", body: t.params.toString(),
                           headers: { "Content-Type": "application/x-www-form-urlencoded", "Accept": accept } })
      : fetch(t.path + "?" + t.params.toString(), { headers: { "Accept": accept } });
    return req.then(function (resp) {
      var ms = Math.round(performance.now() - started);
      var ctype = resp.headers.get("Content-Type") || "";
      if (!resp.ok) {
        return resp.json().then(function (err) {
          var e = err && err.error ? err.error : { status: resp.status, title: resp.statusText, detail: "" };
          status(e.status + " " + e.title + ": " + e.detail, "error");
        }, function () { status(resp.status + " " + resp.statusText, "error"); });
      }
      var truncated = resp.headers.get("Culturegraph-Truncated");
      var rows = resp.headers.get("Culturegraph-Rows");
      if (ctype.indexOf("json") >= 0) {
        return resp.json().then(function (data) {
          lastResult = { data: data, truncated: truncated, rows: rows };
          if (typeof data.boolean === "boolean") {
            status("ASK: " + data.boolean + " (" + ms + " ms)", "ok");
            $("results").appendChild(el("p", { "class": "boolean" }, String(data.boolean)));
            return;
          }
          var n = data.results.bindings.length;
          status((n === 1 ? UI.row_in : UI.rows_in).replace("{n}", n).replace("{ms}", ms) + (truncated ? " (truncated)" : ""), "ok");
          return drawTable(data, truncated, rows);
        });
      }
      return resp.text().then(function (text) {
        lastResult = null;
        status((rows || "?") + " triples in " + ms + " ms" + (truncated ? " (truncated)" : ""), "ok");
        // a CONSTRUCT or DESCRIBE result: drawn as a graph of its IRI-to-IRI statements, above the text
        if (window.cgResults && window.cgResults.triples) { window.cgResults.triples(text, $("results")); }
        $("results").appendChild(el("pre", { "class": "graph" }, text));
      });
    }).catch(function (e) { status("Request failed: " + e, "error"); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (window.CodeMirror) {
      editor = window.CodeMirror.fromTextArea($("query"), {
        mode: "application/sparql-query", lineNumbers: true, matchBrackets: true, indentUnit: 2,
        extraKeys: { "Ctrl-Enter": run, "Cmd-Enter": run }
      });
      editor.on("change", updateLinks);
      // CodeMirror types into its own hidden textarea: give it the visible label's name (accessibility)
      editor.getInputField().setAttribute("aria-label", "SPARQL query");
    } else {
      $("query").addEventListener("input", updateLinks);
    }
    $("query-form").addEventListener("submit", function (ev) { ev.preventDefault(); run(); });
    $("lang").addEventListener("change", function () {
      document.querySelector("input[name=lang]").value = lang();
      document.documentElement.setAttribute("lang", lang());
      updateLinks();
      if (lastResult && lastResult.data.results) { drawTable(lastResult.data, lastResult.truncated, lastResult.rows); }
    });
    function choose(b, values) {
      var example = { name: b.getAttribute("data-name"), sparql: b.getAttribute("data-query"),
                      params: JSON.parse(b.getAttribute("data-params") || "[]"),
                      view: { graph: "graph", timeline: "timeline", map: "map" }[b.getAttribute("data-view")] || null };
      chosenView = null;
      named = null;
      setQuery(example.sparql);
      showParams(example, values);
      Array.prototype.forEach.call(document.querySelectorAll("button.example"), function (x) { x.classList.remove("active"); });
      b.classList.add("active");
    }
    Array.prototype.forEach.call(document.querySelectorAll("button.example"), function (b) {
      b.addEventListener("click", function () { choose(b); run(); });
    });
    var url = new URLSearchParams(window.location.search);
    var start = url.get("name") && document.querySelector('button.example[data-name="' + CSS.escape(url.get("name")) + '"]');
    if (start) {
      var values = {};
      url.forEach(function (v, k) { values[k] = v; });
      choose(start, values);
      run();
    } else {
      updateLinks();
      if (url.get("query")) { run(); }
    }
  });
})();
