// Tables the server sends as JSON, built here with textContent only, so no text is ever read as HTML.
//
// 1. A chart's data (WCAG 1.1.1), built when its "Show the data as a table" is opened: every chart
//    carries its table in a closed <details data-table>; drawn up front they cost the Area
//    profile's first render about 50 ms for tables most readers never open
//    (dashboard/components/chart_alternative.py).
// 2. Large tables shown at once (RAG matrix, a council's communities, spend and need, local data):
//    a div[data-html-table] is built as soon as it appears or its JSON changes
//    (dashboard/components/html_table.py). As one dcc.Markdown of HTML they loaded the 325 KB
//    Markdown bundle and its parser on pages that have no Markdown.
(function () {
  function cell(tag, text, scope) {
    var el = document.createElement(tag);
    if (scope) el.scope = scope;
    el.textContent = text;
    return el;
  }

  // a cell is its text, or [badge text, colour, optional note]
  function dataCell(value) {
    if (!Array.isArray(value)) return cell("td", value);
    var td = document.createElement("td");
    var badge = document.createElement("span");
    var colour = String(value[1]);
    badge.className = "badge text-bg-" + colour + (colour === "light" || colour === "warning" ? " text-dark" : "")
      + " cpop-badge";
    badge.textContent = value[0];
    td.appendChild(badge);
    if (value[2]) {
      var note = document.createElement("div");
      note.className = "small";
      note.textContent = value[2];
      td.appendChild(note);
    }
    return td;
  }

  function table(spec) {
    var out = document.createElement("table");
    out.className = spec.className;
    if (spec.caption) {
      var caption = out.createCaption();
      caption.className = "visually-hidden";
      caption.textContent = spec.caption;
    }
    var head = out.createTHead().insertRow();
    spec.columns.forEach(function (name) { head.appendChild(cell("th", name, "col")); });
    var body = out.createTBody();
    spec.rows.forEach(function (row) {
      var tr = body.insertRow();
      tr.appendChild(cell("th", row[0], "row"));
      row[1].forEach(function (value) { tr.appendChild(dataCell(value)); });
    });
    return out;
  }

  // 1. "toggle" does not bubble: listen in the capture phase, for every details on every page
  document.addEventListener("toggle", function (event) {
    var details = event.target;
    if (details.open && details.matches && details.matches("details[data-table]")
        && !details.querySelector(".cpop-chart-table table")) {
      details.querySelector(".cpop-chart-table").replaceChildren(table(JSON.parse(details.getAttribute("data-table"))));
    }
  }, true);

  // 2. built before the browser paints: mutation observers run as microtasks after React's commit
  function buildShown(div) {
    var json = div.getAttribute("data-html-table");
    if (json) div.replaceChildren(table(JSON.parse(json)));  // removed when React reuses the div
  }

  function buildWithin(node) {
    if (node.nodeType !== 1 || node instanceof SVGElement) return;  // a chart's own nodes hold no table
    if (node.hasAttribute("data-html-table")) buildShown(node);
    var found = node.getElementsByClassName("cpop-html-table");
    for (var i = 0; i < found.length; i++) {
      if (found[i].hasAttribute("data-html-table")) buildShown(found[i]);
    }
  }

  new MutationObserver(function (records) {
    records.forEach(function (record) {
      if (record.type === "attributes") buildShown(record.target);
      else record.addedNodes.forEach(buildWithin);
    });
  }).observe(document.documentElement, {subtree: true, childList: true, attributes: true,
                                        attributeFilter: ["data-html-table"]});
})();
