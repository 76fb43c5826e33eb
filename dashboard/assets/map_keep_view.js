// The My areas map keeps the reader's zoom and position when the selection changes.
// Why: each click, lasso or paste makes the server send the map again with the new shading, and
// plotly's `uirevision` (the council) should keep the reader's view through that redraw, but plotly
// does not count a zoom or pan of an SVG map (geo) as the reader's (its _preGUI stays empty), so the
// map went back to the whole council after every click. Here the view is remembered after each
// zoom or pan (plotly_relayout) and put back after a redraw (plotly_afterplot) as long as the
// figure's `uirevision` is the same; another council starts from its whole extent again.
(function () {
  var MAP = "#my-map .js-plotly-plot";
  var KEYS = ["projection.scale", "projection.rotation.lon", "projection.rotation.lat", "center.lon", "center.lat"];

  function at(object, path) {
    return path.split(".").reduce(function (o, key) { return o == null ? undefined : o[key]; }, object);
  }
  // the reader's view as relayout arguments, or null while the map shows its own fitted extent
  function viewOf(gd) {
    var geo = gd.layout && gd.layout.geo;
    if (!geo || typeof at(geo, "projection.scale") !== "number") return null;
    var view = { "geo.fitbounds": false };
    KEYS.forEach(function (key) {
      var value = at(geo, key);
      if (typeof value === "number") view["geo." + key] = value;
    });
    return view;
  }
  function watch(gd) {
    if (gd.__cpopKeepsView || typeof gd.on !== "function") return;
    gd.__cpopKeepsView = true;
    gd.on("plotly_relayout", function () {
      if (!gd.__cpopRestoring) gd.__cpopView = { revision: gd.layout.uirevision, view: viewOf(gd) };
    });
    gd.on("plotly_afterplot", function () {
      var kept = gd.__cpopView;
      if (!kept || !kept.view || gd.__cpopRestoring) return;
      if (kept.revision !== gd.layout.uirevision) { gd.__cpopView = null; return; }
      if (at(gd.layout, "geo.projection.scale") === kept.view["geo.projection.scale"]) return;
      gd.__cpopRestoring = true;
      var done = function () { gd.__cpopRestoring = false; };
      window.Plotly.relayout(gd, kept.view).then(done, done);
    });
  }
  new MutationObserver(function () {
    document.querySelectorAll(MAP).forEach(watch);
  }).observe(document.documentElement, { childList: true, subtree: true });
})();
