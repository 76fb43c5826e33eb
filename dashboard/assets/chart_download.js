// Every chart can be downloaded as SVG (vector) as well as PNG: plotly's camera button gives a
// high-resolution PNG (GRAPH_CONFIG scale 4); this adds a "Download SVG" button under each
// chart, drawn by plotly.js in the browser, so it works offline.
(function () {
  function addButtons() {
    document.querySelectorAll(".js-plotly-plot").forEach(function (gd) {
      var holder = gd.parentElement;
      if (!holder || holder.querySelector(":scope > .cpop-svg-download")) return;
      var button = document.createElement("button");
      button.type = "button";
      button.className = "btn btn-link btn-sm cpop-svg-download";
      button.textContent = "Download SVG";
      button.addEventListener("click", function () {
        var title = (gd.layout && gd.layout.title && gd.layout.title.text) || "cpop-chart";
        window.Plotly.downloadImage(gd, {format: "svg", filename: title.replace(/[^A-Za-z0-9]+/g, "-").toLowerCase()});
      });
      holder.appendChild(button);
    });
  }
  new MutationObserver(addButtons).observe(document.documentElement, {subtree: true, childList: true});
})();
