// Every chart can be downloaded as a high-resolution PNG (4x) and as SVG (vector), drawn by plotly.js
// in the browser, so it works offline. The buttons replace plotly's own camera button (removed in
// GRAPH_CONFIG) so that every downloaded image goes through one place: when the page shows the
// fictional demo's banner ([data-demo]), the image's title says "FICTIONAL DEMO DATA".
(function () {
  var DEMO = "FICTIONAL DEMO DATA (not real Scotland)";

  function figureFor(gd) {
    var layout = Object.assign({}, gd.layout);
    var title = (layout.title && layout.title.text) || "";
    if (document.querySelector("[data-demo]")) {
      title = title ? title + "<br><sup>" + DEMO + "</sup>" : DEMO;
      var margin = Object.assign({}, layout.margin);
      margin.t = Math.max(margin.t || 0, title.indexOf("<br>") >= 0 ? 70 : 40);
      layout.margin = margin;
      layout.title = Object.assign({}, layout.title, {text: title});
    }
    return {data: gd.data, layout: layout, name: title.replace(/<[^>]*>/g, " ")};
  }

  function download(gd, format) {
    var figure = figureFor(gd);
    var name = (figure.name || "cpop-chart").replace(/[^A-Za-z0-9]+/g, "-").replace(/^-|-$/g, "").toLowerCase();
    var options = {format: format, filename: name || "cpop-chart", width: gd._fullLayout.width,
                   height: gd._fullLayout.height};
    if (format === "png") options.scale = 4;
    window.Plotly.downloadImage({data: figure.data, layout: figure.layout}, options);
  }

  function button(gd, format, text) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "btn btn-link btn-sm cpop-" + format + "-download";
    b.textContent = text;
    b.addEventListener("click", function () { download(gd, format); });
    return b;
  }

  function addButtons() {
    document.querySelectorAll(".js-plotly-plot").forEach(function (gd) {
      var holder = gd.parentElement;
      // only the page's charts (dcc.Graph), not the hidden plot plotly draws an image from
      // (a chart whose page has its own download buttons says so with cpop-own-downloads)
      if (!holder || !holder.classList.contains("dash-graph") || holder.classList.contains("cpop-own-downloads") ||
          holder.querySelector(":scope > .cpop-downloads")) {
        return;
      }
      var span = document.createElement("span");
      span.className = "cpop-downloads";
      span.appendChild(button(gd, "png", "Download PNG"));
      span.appendChild(button(gd, "svg", "Download SVG"));
      holder.appendChild(span);
    });
  }
  new MutationObserver(addButtons).observe(document.documentElement, {subtree: true, childList: true});
})();
