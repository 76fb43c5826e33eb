// The My areas map zooms with the mouse wheel whatever its tool is, as the WebGL map it replaced did.
// Why: it is an SVG map (plotly geo: dashboard/figures/area.py, selection_map), and plotly's SVG
// maps zoom with the wheel only while the pan tool is on; with the lasso on (how the map opens) the
// wheel did nothing. So a wheel turn over the map presses the map's own "Zoom in" or "Zoom out"
// button, which zooms by 2 about the map's centre. In pan mode plotly's own wheel zoom is left alone.
// The zoom survives the redraw after a click: assets/map_keep_view.js.
(function () {
  var MAP = "#my-map .js-plotly-plot";
  var STEP_MS = 250; // one zoom step per quarter second of wheeling: a trackpad sends dozens of events
  var last = 0;

  document.addEventListener("wheel", function (event) {
    var map = event.target && event.target.closest ? event.target.closest(MAP) : null;
    var layout = map && map._fullLayout;
    if (!layout || !layout.geo || layout.dragmode === "pan" || !event.deltaY) return;
    event.preventDefault(); // the wheel zooms the map, not the page, while the pointer is on it
    var now = Date.now();
    if (now - last < STEP_MS) return;
    last = now;
    var title = event.deltaY < 0 ? "Zoom in" : "Zoom out";
    var button = map.querySelector(".modebar-btn[data-title='" + title + "']");
    if (button) button.click();
  }, { passive: false });
})();
