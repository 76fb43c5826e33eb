// Charts drawn when the reader scrolls to them (dashboard/components/lazy_graph.py).
// A slot div[data-lazy-chart] holds its figure as JSON; when it comes within a few hundred pixels
// of the window, its figure goes to Dash as the slot's child, a dcc.Graph (dash_clientside.set_props),
// which plotly then draws. A slot the server sends again (another area, another indicator) is
// empty again, and is drawn again when seen. Before printing, every slot is drawn.
// While callbacks are still answering or charts still drawing, the page has not found its shape (a
// part answered early sits near the top until the parts above it arrive, a chart being drawn is
// not yet its full height), so a slot seen then is drawn only if it is still near the window once
// every callback has answered and every chart is drawn.
(function () {
  var SLOT = "[data-lazy-chart]";
  var MARGIN = 300;
  var wanted = new Set();

  function idOf(slot) {
    try { return JSON.parse(slot.id); } catch (e) { return slot.id; }
  }
  function drawn(slot) {
    return slot.querySelector(".dash-graph") !== null;
  }
  function near(slot) {
    var box = slot.getBoundingClientRect();
    return box.bottom > -MARGIN && box.top < window.innerHeight + MARGIN;
  }
  function draw(slot) {
    if (drawn(slot) || !window.dash_clientside || !window.dash_clientside.set_props) return;
    var spec = JSON.parse(slot.getAttribute("data-lazy-chart"));
    window.dash_clientside.set_props(idOf(slot), {children: {
      type: "Graph", namespace: "dash_core_components", props: {figure: spec.figure, config: spec.config}
    }});
  }

  var seen = "IntersectionObserver" in window ? new IntersectionObserver(function (entries) {
    entries.forEach(function (entry) {
      if (!entry.isIntersecting) return;
      seen.unobserve(entry.target);
      wanted.add(entry.target);
    });
    flush();
  }, {rootMargin: MARGIN + "px 0px"}) : null;

  function flush() {
    if (!wanted.size || document.querySelector("._dash-loading-callback, .dash-graph--pending")) return;
    var slots = Array.from(wanted);
    wanted.clear();
    slots.forEach(function (slot) {
      if (!slot.isConnected || drawn(slot)) return;
      if (near(slot)) draw(slot); else seen.observe(slot);
    });
  }

  function watch() {
    document.querySelectorAll(SLOT).forEach(function (slot) {
      if (drawn(slot) || wanted.has(slot)) return;
      if (seen) seen.observe(slot); else draw(slot);
    });
    flush();
  }

  // new slots come as new elements (or new figures in a slot); the page stops moving when the last
  // chart loses its "pending" class, so class changes are watched too (a cheap check when nothing waits)
  new MutationObserver(function (records) {
    if (records.some(function (r) { return r.type === "childList" || r.attributeName === "data-lazy-chart"; })) {
      watch();
    } else {
      flush();
    }
  }).observe(document.documentElement, {
    childList: true, subtree: true, attributes: true, attributeFilter: ["data-lazy-chart", "class"]
  });
  window.addEventListener("beforeprint", function () { document.querySelectorAll(SLOT).forEach(draw); });
})();
