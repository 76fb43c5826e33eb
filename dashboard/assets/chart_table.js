// A chart's data as a table (WCAG 1.1.1), built when its "Show the data as a table" is opened.
// Why: every chart carries its table, hidden in a closed <details>; drawn up front they cost the
// Area profile's first render about 50 ms (each a dcc.Markdown of escaped HTML) for tables most
// readers never open. The server puts the table in the details' data-table attribute as JSON
// (dashboard/components/chart_alternative.py); this builds it with textContent only, so no text
// is ever read as HTML.
(function () {
  function cell(tag, text, scope) {
    var el = document.createElement(tag);
    if (scope) el.scope = scope;
    el.textContent = text;
    return el;
  }

  function build(details) {
    var spec = JSON.parse(details.getAttribute("data-table"));
    var table = document.createElement("table");
    table.className = spec.className;
    if (spec.caption) {
      var caption = table.createCaption();
      caption.className = "visually-hidden";
      caption.textContent = spec.caption;
    }
    var head = table.createTHead().insertRow();
    spec.columns.forEach(function (name) { head.appendChild(cell("th", name, "col")); });
    var body = table.createTBody();
    spec.rows.forEach(function (row) {
      var tr = body.insertRow();
      tr.appendChild(cell("th", row[0], "row"));
      row[1].forEach(function (text) { tr.appendChild(cell("td", text)); });
    });
    details.querySelector(".cpop-chart-table").replaceChildren(table);
  }

  // "toggle" does not bubble: listen in the capture phase, for every details on every page
  document.addEventListener("toggle", function (event) {
    var details = event.target;
    if (details.open && details.matches && details.matches("details[data-table]")
        && !details.querySelector(".cpop-chart-table table")) {
      build(details);
    }
  }, true);
})();
