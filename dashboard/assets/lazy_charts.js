// Charts marked [data-lazy-chart] (dashboard/components/lazy_chart.py) are drawn when they come
// within 300 px of the viewport: this sets their "seen" store, and a clientside callback draws the
// figure the page already holds. Elements appear and are replaced by callbacks, so new ones are
// looked for whenever the document changes.
(function () {
  if (!window.IntersectionObserver) return;
  var watched = new WeakSet();
  var observer = new IntersectionObserver(function (entries) {
    entries.forEach(function (entry) {
      if (!entry.isIntersecting || !window.dash_clientside || !window.dash_clientside.set_props) return;
      observer.unobserve(entry.target);
      window.dash_clientside.set_props(entry.target.getAttribute("data-lazy-chart"), {data: true});
    });
  }, {rootMargin: "300px 0px"});
  function look() {
    document.querySelectorAll("[data-lazy-chart]").forEach(function (el) {
      if (watched.has(el)) return;
      watched.add(el);
      observer.observe(el);
    });
  }
  new MutationObserver(look).observe(document.documentElement, {subtree: true, childList: true});
})();
