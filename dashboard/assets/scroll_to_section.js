// Links such as the Data explorer's "Open map" (/area?...#map) name a section of a page that the
// page's callbacks draw after it loads, so the browser cannot scroll to it by itself. Wait for the
// section ([data-section=NAME], else #NAME) to appear, then bring it into view, once per link; the
// charts above it finish drawing a moment later and move it, so it is brought back into view a few
// times in the next two seconds, unless the reader has scrolled meanwhile.
(function () {
  var done = null;
  var moved = false;
  function section() {
    var name = decodeURIComponent((window.location.hash || "").slice(1));
    if (!name || !window.CSS || !CSS.escape) return null;
    return document.querySelector("[data-section='" + CSS.escape(name) + "']") ||
      document.getElementById(name);
  }
  function settle() {
    var el = section();
    if (el && !moved) el.scrollIntoView({block: "start"});
  }
  function check() {
    var key = window.location.pathname + window.location.search + window.location.hash;
    if (done === key || !section()) return;
    done = key;
    moved = false;
    settle();
    [300, 800, 1500, 2200].forEach(function (ms) { setTimeout(settle, ms); });
  }
  ["wheel", "touchstart", "keydown", "mousedown"].forEach(function (kind) {
    window.addEventListener(kind, function () { moved = true; }, {passive: true});
  });
  new MutationObserver(check).observe(document.documentElement, {subtree: true, childList: true});
  window.addEventListener("hashchange", function () { done = null; check(); });
})();
